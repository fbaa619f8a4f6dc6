"""A file holding two lines written without a newline between them (formats' GLUED_REASON) lost requests: it is
incomplete (finding `glued lines`, exit 3), said by every door alike: the terminal, the JSON answer's findings
and evidence status, and page 1 of the report in English and Dutch, with the time its stream is left without a
line from the glued line's time on (red team 17)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t
from tests.test_findings_rejected import _page_one

TARGET = "/docs/leak.xlsx"
SIZE = 50_000
PIN = "2020-08-01T12:00:00Z"


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_glued_lines_make_the_answer_incomplete_in_every_door(tmp_path: Path, lang: str) -> None:
    lines = [clf(f"198.51.100.{i}", t(8, 10, 10 * i), TARGET, size=SIZE) for i in range(1, 6)]
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:]
    log = write_log(tmp_path / "logs" / "web1" / "access.log", glued)
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--report", str(tmp_path / "report"), "--lang", lang,
                                      "--pin-time", PIN, "--geoip-city", "none", "--geoip-asn", "none"],
                             terminal_width=400)
    assert result.exit_code == 3, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [finding] = [f for f in answer["findings"] if f["kind"] == "glued lines"]
    assert finding["severity"] == "incomplete"
    assert (finding["lines"], finding["of_lines"], finding["path"]) == (1, 4, str(log))
    # from the last line before the glued one (10:20 UTC) to the next line after it (10:50)
    assert (finding["uncovered_start"], finding["uncovered_end"]) == ("2020-06-08T10:20:00Z", "2020-06-08T10:50:00Z")
    assert answer["evidence_status"]["complete"] is False
    assert [line for line in result.output.splitlines() if line.startswith("incomplete: glued lines: ")] == \
        [f"incomplete: glued lines: {log}: {finding['detail']}; stream web1/access.log has no line from "
         "2020-06-08T10:20:00Z to 2020-06-08T10:50:00Z; inside window 1"]
    page = _page_one(tmp_path / "report")
    assert str(log) in page
    assert ("lines holding another line" if lang == "en" else "regels die een andere regel bevatten") in page


def test_the_glued_reason_is_the_one_the_rules_match() -> None:
    # one rule: the reason the formats write is the one queries/evidence_rules.sql matches whole
    import duckdb

    from exposure import queries
    from exposure.formats.base import GLUED_REASON

    con = duckdb.connect()
    con.execute("CREATE TABLE rejects (evidence_id INTEGER, reason VARCHAR)")
    con.execute(queries.get("evidence_rules").sql)
    assert con.execute("SELECT glued_reason(?), glued_reason(? || 'x')", [GLUED_REASON, GLUED_REASON]).fetchone() \
        == (True, False)


def _spans(tmp_path: Path, lines: list[str]) -> list[tuple[str, str, str]]:
    write_log(tmp_path / "logs" / "web1" / "access.log", lines)
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"])
    assert result.exit_code == 3, result.output
    findings = json.loads((tmp_path / "a.json").read_text())["findings"]
    return sorted((f["kind"], f["uncovered_start"], f["uncovered_end"]) for f in findings
                  if f["kind"] in ("glued lines", "prefixed lines"))


def _twelve() -> list[str]:
    return [clf(f"198.51.100.{i}", t(8, 10, 5 * i), TARGET, size=SIZE) for i in range(12)]


def test_each_run_of_glued_lines_leaves_its_own_time_uncovered(tmp_path: Path) -> None:
    """Review of red team 17: two glued pairs (10:10+10:15, 10:45+10:50) said only the first one's time; now each
    run its own, between its readable neighbours (findings.sql rejected_runs, as lines behind a prefix)."""
    lines = _twelve()
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:9] + [lines[9] + lines[10]] + lines[11:]
    assert _spans(tmp_path, glued) == [("glued lines", "2020-06-08T10:05:00Z", "2020-06-08T10:20:00Z"),
                                       ("glued lines", "2020-06-08T10:40:00Z", "2020-06-08T10:55:00Z")]


def test_glued_and_prefixed_lines_of_one_file_are_each_said_with_their_time(tmp_path: Path) -> None:
    """Review of red team 17: a file with both took the glued line's offset for its prefixed lines (10:05-10:20
    said for lines behind a prefix at 10:40 and 10:45) and said no glued lines; now both, each with its own time."""
    lines = _twelve()
    lines[8] = "Jun  8 10:40:00 web1 nginx: " + lines[8]
    lines[9] = "Jun  8 10:45:00 web1 nginx: " + lines[9]
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:]
    assert _spans(tmp_path, glued) == [("glued lines", "2020-06-08T10:05:00Z", "2020-06-08T10:20:00Z"),
                                       ("prefixed lines", "2020-06-08T10:35:00Z", "2020-06-08T10:50:00Z")]


def _combined(tmp_path: Path, kind: str) -> Path:
    """A file with glued lines (lines 3: 10:10+10:15) or lines behind a prefix (10:40) beside another finding:
    NUL bytes in place of content, two runs of them, a gzip member whose CRC-32 fails, a last line cut off."""
    lines = _twelve()
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:]
    nul = "\0" * 32
    path = tmp_path / "logs" / "web1" / "access.log"
    path.parent.mkdir(parents=True)
    if kind == "nul+glued":
        path.write_text("\n".join(glued[:7]) + "\n" + nul + "\n".join(glued[7:]) + "\n")
    elif kind == "two nul+glued":
        path.write_text("\n".join(glued[:5]) + "\n" + nul + "\n".join(glued[5:8]) + "\n" + nul
                        + "\n".join(glued[8:]) + "\n")
    elif kind == "crc+glued":
        packed = bytearray(gzip.compress(("\n".join(glued) + "\n").encode(), mtime=0))
        packed[-8] ^= 0xFF  # the trailer's CRC-32: every byte decodes, the check fails
        path = path.with_name("access.log.gz")
        path.write_bytes(bytes(packed))
    elif kind == "nul+prefixed":
        lines[8] = "Jun  8 10:40:00 web1 nginx: " + lines[8]
        path.write_text("\n".join(lines[:4]) + "\n" + nul + "\n".join(lines[4:]) + "\n")
    else:  # cut+glued
        path.write_text("\n".join(glued) + "\n" + lines[0][:40])
    return path


# each case: its incomplete findings (kind, uncovered start, end): the damage's, and the rejected lines' own
GLUED_SPAN = ("glued lines", "2020-06-08T10:05:00Z", "2020-06-08T10:20:00Z")
COMBINED = {
    "nul+glued": [("damaged", "2020-06-08T10:35:00Z", "2020-06-08T10:45:00Z"), GLUED_SPAN],
    "two nul+glued": [("damaged", "2020-06-08T10:25:00Z", "2020-06-08T10:35:00Z"),
                      ("damaged", "2020-06-08T10:40:00Z", "2020-06-08T10:50:00Z"), GLUED_SPAN],
    "crc+glued": [("damaged", None, None), GLUED_SPAN],
    "nul+prefixed": [("damaged", "2020-06-08T10:15:00Z", "2020-06-08T10:25:00Z"),
                     ("prefixed lines", "2020-06-08T10:35:00Z", "2020-06-08T10:45:00Z")],
    "cut+glued": [GLUED_SPAN],
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(COMBINED))
def test_every_incomplete_kind_of_a_damaged_file_is_said_with_its_time(tmp_path: Path, kind: str) -> None:
    """A file both damaged and holding glued lines (or lines behind a prefix) was said only as damaged: the glued
    lines, their exit code and the time they leave uncovered went unsaid. Each kind is a finding of its own now,
    in the JSON answer, its evidence status and the terminal (queries/findings.sql `incomplete`)."""
    path = _combined(tmp_path, kind)
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"],
                                terminal_width=400)
    assert result.exit_code == 3, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    found = [(f["kind"], f["uncovered_start"], f["uncovered_end"]) for f in answer["findings"]
             if f["severity"] == "incomplete"]
    assert found == COMBINED[kind]
    assert {g["kind"] for g in answer["evidence_status"]["findings"] if g["severity"] == "incomplete"} \
        == {k for k, _, _ in COMBINED[kind]}
    said = [line.split(": ")[1] for line in result.output.splitlines() if line.startswith("incomplete: ")]
    assert said == [k for k, _, _ in COMBINED[kind]]
    assert all(str(path) in line for line in result.output.splitlines() if line.startswith("incomplete: "))
    if kind == "cut+glued":
        assert [f["kind"] for f in answer["findings"] if f["kind"] == "cut off"] == ["cut off"]


@pytest.mark.slow
@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_the_glued_lines_of_a_damaged_file(tmp_path: Path, lang: str) -> None:
    _combined(tmp_path, "nul+glued")
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--report",
                                      str(tmp_path / "report"), "--lang", lang, "--pin-time", PIN,
                                      "--geoip-city", "none", "--geoip-asn", "none"])
    assert result.exit_code == 3, result.output
    page = _page_one(tmp_path / "report")
    if lang == "en":
        assert "INCOMPLETE · damaged:" in page and "INCOMPLETE · lines holding another line:" in page
        assert "has no line from 2020-06-08T10:05:00Z to 2020-06-08T10:20:00Z" in page
    else:
        assert "ONVOLLEDIG · beschadigd:" in page and "ONVOLLEDIG · regels die een andere regel bevatten:" in page
        assert "heeft geen regel van 2020-06-08T10:05:00Z tot 2020-06-08T10:20:00Z" in page



@pytest.mark.parametrize("newline, other", [(b"\n", b"\r"), (b"\r", b"\n")], ids=["lone-cr", "lf-in-cr-file"])
def test_a_line_joined_by_the_other_line_end_is_one_joined_finding_not_glued_too(tmp_path: Path, newline: bytes,
                                                                                 other: bytes) -> None:
    """Line 3 holds line 4 after a raw CR (or an LF where lines end at CR): one line, one finding. It was said
    twice, `joined lines` (the raw byte) and `glued lines` (the format saw line 4's start in it); its per-line
    reason now says what it is (formats/base.py JOINED_REASON), and the glued rule, which matches its reason, leaves
    it to `joined lines`. Line 9, glued with no line end between, stays glued."""
    import duckdb

    from exposure.formats.base import GLUED_REASON, JOINED_REASON

    lines = [line.encode() for line in _twelve()]
    joined = lines[:2] + [lines[2] + other + lines[3]] + lines[4:9] + [lines[9] + lines[10]] + lines[11:]
    write_log(tmp_path / "logs" / "web1" / "access.log", joined, newline=newline)
    case = tmp_path / "case.duckdb"
    result = CliRunner().invoke(app, ["analyse", "--case", str(case), str(tmp_path / "logs"), "--target", TARGET,
                                      "--json", str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn",
                                      "none"], terminal_width=400)
    assert result.exit_code == 3, result.output
    findings = json.loads((tmp_path / "a.json").read_text())["findings"]
    said = sorted((f["kind"], f["uncovered_start"]) for f in findings if f["severity"] == "incomplete")
    assert said == [("glued lines", "2020-06-08T10:40:00Z"), ("joined lines", "2020-06-08T10:05:00Z")]
    assert [f["lines"] for f in findings if f["kind"] == "glued lines"] == [1]
    assert [line.split(": ")[1] for line in result.output.splitlines() if line.startswith("incomplete: ")] \
        == ["joined lines", "glued lines"]
    con = duckdb.connect(str(case), read_only=True)
    # every line accounted for once: lines = requests + rejected + skipped, lines 3 and 9 each with its own reason
    assert con.execute("SELECT lines, requests, rejected, skipped FROM evidence").fetchall() == [(10, 8, 2, 0)]
    assert con.execute("SELECT line_no, reason FROM rejects ORDER BY 1").fetchall() \
        == [(3, JOINED_REASON), (9, GLUED_REASON)]


@pytest.mark.parametrize("other", ["glued", "prefixed"])
def test_a_file_s_own_rejects_are_never_taken_for_another_file_s_glued_or_prefixed_lines(tmp_path: Path,
                                                                                          other: str) -> None:
    """/tmp/pagefix/glued_rejects: a.log with one line that is not the format, b.log with two lines glued: a.log was
    `glued lines` too (glued_lines(evidence_id) in findings.sql's WHERE bound evidence_id to the rejects' own
    column: every glued line of the case counted for every file with a reject), a finding with no detail, and
    ingest failed (TypeError, exit 2)."""
    from exposure import Case

    a = [clf("198.51.100.1", t(8, 10, i), "/i", size=800) for i in range(6)]
    b = [clf("198.51.100.2", t(8, 11, i), "/i", size=800) for i in range(6)]
    b = b[:2] + ([b[2] + b[3]] if other == "glued" else [f"Jun  8 11:02:00 web2 nginx: {b[2]}"]) + b[4:]
    write_log(tmp_path / "logs" / "a" / "access.log", a[:3] + ["this is not a log line"] + a[3:])
    write_log(tmp_path / "logs" / "b" / "access.log", b)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        found = sorted((Path(f.path).parent.name, f.kind, f.lines) for f in case.findings()
                       if f.kind in ("glued lines", "prefixed lines", "rejected lines"))
    assert found == [("a", "rejected lines", 1), ("b", f"{other} lines", 1), ("b", "rejected lines", 1)]
