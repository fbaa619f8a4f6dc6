"""'The answer is made from what could be read' is said only where some evidence was not read. A damaged .gz whose
damage is proven a corrupted copy of an intact file (tests/test_crc_proof.py) loses nothing: every byte decoded,
its altered lines named. Its evidence is still incomplete (exit 3, the damage said), but page 1 (English and Dutch)
and the terminal no longer say the answer rests on what could be read, nor that it lacks part of the evidence. A
truncated .gz beside it is unread content: then they say it again."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from tests.evidence_trees import truncate_gzip
from tests.servers import GEO_OFF
from tests.test_crc_proof import TARGET, _damaged_gzip, _log, _text


def _cover(out: Path) -> str:
    page = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    cover = page[page.index('<section id="cover"'):page.index('data-section="summary"')]
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", cover)))


def _run(logs: Path, out: Path, lang: str) -> str:
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), "--lang", lang,
                                      *GEO_OFF], terminal_width=200)
    assert result.exit_code == 3, result.output  # the damage is said either way: incomplete evidence
    return result.output


def _cover_says_minimum(cover: str, s: Strings, what: str) -> None:
    """Page 1 of an answer resting on what could be read: the old wording, the figures a minimum."""
    assert s.f("status_incomplete_kinds", what=what) in cover
    assert s.f("status_incomplete_kinds_read", what=what) not in cover
    assert s["key_status_incomplete"] in cover and s["key_status_incomplete_read"] not in cover
    assert s["headline_minimum"] in cover


def _logs(tmp_path: Path, lost: bool) -> Path:
    """access.log and its CRC-broken .gz copy (one address altered, proven by the member's CRC-32); with `lost` also
    a second server's .gz cut in half (content that could not be read)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    intact = _text(_log())
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    if lost:
        import gzip

        other = logs / "web2" / "access.log.gz"
        other.parent.mkdir()
        other.write_bytes(gzip.compress(_text(_log() * 40), mtime=0))
        truncate_gzip(other, keep=0.5)
    return logs


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_damage_that_lost_nothing_is_not_said_to_leave_part_unread(tmp_path: Path, lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    output = _run(_logs(tmp_path, lost=False), tmp_path / "report", lang)
    cover = _cover(tmp_path / "report")
    damaged = s["status_incomplete_damaged"]
    assert s.f("status_incomplete_kinds_read", what=damaged) in cover
    assert s.f("status_incomplete_kinds", what=damaged) not in cover
    could_be_read = s["status_incomplete_kinds"].split("; ", 1)[1]  # 'the answer is made from what could be read.'
    assert could_be_read not in cover
    # nor that its figures are a minimum: nothing unread, no log silent inside the window
    assert s["key_status_incomplete_read"] in cover and s["key_status_incomplete"] not in cover
    assert s["headline_minimum"] not in cover
    # the terminal: incomplete, never 'lacks part of the evidence' nor 'rests on what could be read'
    assert "evidence status: INCOMPLETE: see below (nothing of the evidence is unread)" in output
    assert "lacks part of the evidence" not in output and "rests on what could be read" not in output
    assert "exposure: the evidence is incomplete (see above), nothing of it unread (exit code 3)" in output


@pytest.mark.usefixtures("html_only_reports")
def test_content_lost_beside_it_is_said_to_leave_part_unread(tmp_path: Path) -> None:
    s = Strings(EN)
    output = _run(_logs(tmp_path, lost=True), tmp_path / "report", "en")
    cover = _cover(tmp_path / "report")
    # the CRC-broken copy is damaged, web2's cut one truncated: each named
    what = f"{s['status_incomplete_damaged']}; {s.f('status_incomplete_truncated', n=1)}"
    assert s.f("status_incomplete_kinds", what=what) in cover
    assert s["key_status_incomplete"] in cover and s["headline_minimum"] in cover
    assert "evidence status: INCOMPLETE: the answer lacks part of the evidence (see below)" in output
    assert "the answer rests on what could be read (exit code 3)" in output


@pytest.mark.usefixtures("html_only_reports")
def test_a_damage_decoded_in_full_but_not_proven_leaves_the_figures_a_minimum(tmp_path: Path) -> None:
    """A CRC-failing .gz with no intact copy beside it decodes in full, yet its bytes may be altered anywhere: here
    one of the five target GETs decodes as another path (4 downloads counted, 5 true). Not read in full: the answer
    rests on what could be read, its figures a minimum."""
    s = Strings(EN)
    logs = tmp_path / "logs"
    logs.mkdir()
    intact = _text(_log())
    altered = intact.replace(f"GET {TARGET} ".encode(), f"GET {TARGET[:-1]}X ".encode(), 1)
    assert altered != intact and len(altered) == len(intact)
    _damaged_gzip(logs / "access.log.gz", intact, altered)
    output = _run(logs, tmp_path / "report", "en")
    _cover_says_minimum(_cover(tmp_path / "report"), s, s["status_incomplete_damaged"])
    assert "the answer rests on what could be read (exit code 3)" in output and "nothing of it unread" not in output


@pytest.mark.usefixtures("html_only_reports")
def test_a_case_changed_outside_exposure_leaves_the_figures_a_minimum(sample_case_copy: Path, tmp_path: Path) -> None:
    """Rows deleted from the case with DuckDB (the seal breaks): what was lost cannot be counted, so the evidence is
    not read whole: all_read false, the terminal and page 1 say the answer rests on what could be read."""
    import json

    import duckdb

    from tests.test_seal import TARGET as SAMPLE_TARGET

    with duckdb.connect(str(sample_case_copy)) as con:
        con.execute("DELETE FROM requests_core WHERE path = ? AND rowid = (SELECT min(rowid) FROM requests_core "
                    "WHERE path = ?)", [SAMPLE_TARGET, SAMPLE_TARGET])
    s = Strings(EN)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["analyse", "--case", str(sample_case_copy), "--target", SAMPLE_TARGET,
                                      "--report", str(out), "--json", str(tmp_path / "a.json"), *GEO_OFF],
                                terminal_width=200)
    assert result.exit_code == 3, result.output
    status = json.loads((tmp_path / "a.json").read_text())["evidence_status"]
    assert status["all_read"] is False and status["complete"] is False
    assert "the answer rests on what could be read (exit code 3)" in result.output
    assert "nothing of the evidence is unread" not in result.output
    cover = _cover(out)
    assert s["key_status_incomplete"] in cover and s["key_status_incomplete_read"] not in cover
    assert s["headline_minimum"] in cover
