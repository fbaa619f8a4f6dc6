"""One case holding every incomplete kind the README names (evidence_status.KINDS): damaged, truncated, empty
compressed, joined lines, all lines rejected, prefixed lines, glued lines, unreadable, made by a few lines; suspicious
size (the rule's bounds lowered for the ingest: 64 MiB of content otherwise), changed during read (a file cut to
nothing after its first block, as logrotate copytruncate does), changed since ingest and missing (a file grown and
one removed after the ingest: the report's re-hash finds them), case changed outside exposure (an activity entry
altered with DuckDB after the ingest), and a last line cut off: each is said by the terminal, by the JSON answer (its
findings and its evidence status) and on page 1 of the PDF report (pdftotext of page 1) in English and in Dutch:
named there, or counted in the status line and named among the kinds of the files page 1 has no room to name; and
each alone makes the exit code 3 where the README's table says (test_each_kind_alone_changes_the_exit_code)."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import compressed, evidence
from exposure.analysis.evidence_status import SEVERITY
from exposure.cli import app
from exposure.report.i18n import strings
from tests.logs import clf, t
from tests.report.conftest import need

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
PIN = "2020-08-01T12:00:00Z"
# the incomplete kinds the case holds (evidence_status.KINDS order), and the stated one beside them
INCOMPLETE = ["case changed outside exposure", "changed since ingest", "missing", "unreadable", "damaged",
              "truncated", "empty compressed", "joined lines", "changed during read", "suspicious size",
              "all lines rejected", "prefixed lines", "glued lines"]
REHASHED = {"changed since ingest", "missing"}
# the kinds page 1 says in an alert box of its own (report/alerts.py said_by_alerts), not in the status list
ALERTED = {"changed since ingest": "evidence_bad", "missing": "evidence_bad", "case changed outside exposure": "seal_bad"}  # found by the re-hash of `report` and `verify`, not by `analyse`


def _day(n: int = 12) -> list[str]:
    return [clf(f"198.51.100.{i + 1}", t(8, 10, 5 * i), TARGET, size=50_000) for i in range(n)]


def _build(root: Path) -> Path:
    logs = root / "logs"
    for name in ("web1", "web2", "web3", "web4", "web5", "web6", "web7", "web8"):
        (logs / name).mkdir(parents=True)
    lines = _day()
    # glued lines (line 3 holds line 4's start)
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:]
    # damaged: NUL bytes in place of content, in a file with glued lines too (the damage hid them once)
    (logs / "web1" / "access.log").write_text("\n".join(glued[:6]) + "\n" + "\0" * 32 + "\n".join(glued[6:]) + "\n")
    # glued lines and a last line cut off
    (logs / "web2" / "access.log").write_text("\n".join(glued) + "\n" + lines[0][:40])
    # a line behind a syslog prefix
    prefixed = _day()
    prefixed[5] = "Jun  8 10:25:00 web3 nginx: " + prefixed[5]
    (logs / "web3" / "access.log").write_text("\n".join(prefixed) + "\n")
    # every line rejected: each dated a day June has not
    (logs / "web4" / "access.log").write_text("\n".join(clf(f"198.51.100.{i}", "31/Jun/2020:10:00:00 +0200", TARGET)
                                                        for i in range(4)) + "\n")
    # joined lines: a part ending in lone CRs after the LF lines
    (logs / "web5" / "access.log").write_bytes(("\n".join(lines[:6]) + "\n" + "\r".join(lines[6:]) + "\r").encode())
    # truncated: a gzip file cut in half
    whole = gzip.compress(("\n".join(_day()) + "\n").encode() * 20, mtime=0)
    (logs / "web6" / "access.log-20200609.gz").write_bytes(whole[: len(whole) // 2])
    # empty compressed: 0 bytes named .gz
    (logs / "web7" / "access.log-20200610.gz").write_bytes(b"")
    # unreadable: UTF-16 text
    (logs / "web8" / "access.log").write_bytes("\n".join(lines[:3]).encode("utf-16"))
    _more(logs)
    return logs


def _more(logs: Path) -> None:
    """The files of the kinds a few lines do not make by themselves (_reading, _after_ingest)."""
    def many(day: int, n: int) -> list[str]:
        return [clf(f"198.51.100.{i % 250 + 1}", t(day, 10, i % 60), TARGET, size=50_000) for i in range(n)]

    # suspicious size: content far past its compressed bytes (the rule's bounds lowered while reading: _reading)
    (logs / "web9").mkdir(parents=True)
    (logs / "web9" / "access.log-20200611.gz").write_bytes(gzip.compress(("\n".join(many(9, 400)) + "\n").encode() * 8,
                                                                         mtime=0))
    # changed during read: cut to nothing after its first block (_reading)
    (logs / "web10").mkdir()
    (logs / "web10" / "access.log").write_text("\n".join(many(10, 60)) + "\n")
    # changed since ingest (grows after it) and missing (removed after it): _after_ingest
    for day, name in ((12, "web11"), (13, "web12")):
        (logs / name).mkdir()
        (logs / name / "access.log").write_text("\n".join(many(day, 5)) + "\n")


@contextmanager
def _reading(logs: Path) -> Iterator[None]:
    """While the ingest reads: the suspicious-size rule's bounds lowered (content over 20 times its compressed bytes,
    past 100 kB), and web10/access.log cut to nothing right after its content was read (logrotate copytruncate, as
    tests/robustness/test_reading.py does to a file read in blocks; a small file is read whole, then checked
    unchanged: evidence._check_unchanged)."""
    cut = logs / "web10" / "access.log"
    real = evidence._check_unchanged

    def cut_then_check(path, fd, opened, stats):  # noqa: ANN001, ANN202
        if path == str(cut):
            os.truncate(cut, 0)
        return real(path, fd, opened, stats)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compressed, "SUSPICIOUS_MIN", 100_000)
        mp.setattr(compressed, "SUSPICIOUS_RATIO", 20)
        mp.setattr(evidence, "_check_unchanged", cut_then_check)
        yield


def _grow(logs: Path) -> None:
    with (logs / "web11" / "access.log").open("a") as grown:
        grown.write(clf("198.51.100.99", t(12, 11), TARGET, size=50_000) + "\n")


def _remove(logs: Path) -> None:
    (logs / "web12" / "access.log").unlink()


def _alter(case: Path) -> None:
    with duckdb.connect(str(case)) as con:
        con.execute("UPDATE activity SET detail = 'nothing to see' WHERE seq = 1")


def _after_ingest(logs: Path, case: Path) -> None:
    """A file grows after the ingest, another is removed, and an activity entry is altered outside exposure."""
    _grow(logs)
    _remove(logs)
    _alter(case)


def _said(output: str) -> set[str]:
    """The kinds the terminal's `incomplete: KIND: ...` lines name (ingest's line per file, `incomplete: PATH
    (...)`, names none)."""
    return {line.split(": ")[1] for line in output.splitlines()
            if line.startswith("incomplete: ") and line.split(": ")[1] in SEVERITY}


def _page_one(pdf: Path) -> str:
    done = subprocess.run([need("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True)
    return re.sub(r"\s+", " ", done.stdout)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("every_kind")
    logs = _build(root)
    case = root / "case.duckdb"
    with _reading(logs):
        done = CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs)])
    assert done.exit_code == 3, done.output
    assert _said(done.output) == set(INCOMPLETE) - REHASHED - {"case changed outside exposure"}, done.output
    _after_ingest(logs, case)
    return case


def test_the_terminal_and_the_json_answer_say_every_kind(case: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyse", "--case", str(case), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"],
                                terminal_width=400)
    assert result.exit_code == 3, result.output
    assert _said(result.output) == set(INCOMPLETE) - REHASHED  # analyse re-hashes nothing (README: report and verify do)
    assert "stated: cut off: " in result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    assert {f["kind"] for f in answer["findings"] if f["severity"] == "incomplete"} == set(INCOMPLETE) - REHASHED
    assert sorted(Path(f["path"]).parent.name for f in answer["findings"] if f["kind"] == "glued lines") \
        == ["web1", "web2"]
    status = answer["evidence_status"]
    assert [g["kind"] for g in status["findings"] if g["severity"] == "incomplete"] \
        == [k for k in INCOMPLETE if k not in REHASHED]
    assert "cut off" in {g["kind"] for g in status["findings"]}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_names_or_counts_every_kind(case: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--case", str(case), "--target", TARGET, "--out", str(out),
                                      "--lang", lang, "--pin-time", PIN, "--geoip-city", "none", "--geoip-asn",
                                      "none"])
    assert result.exit_code == 3, result.output
    # the report's terminal says every kind, the re-hash's too (the case's seal: its own line, first)
    assert _said(result.output) == set(INCOMPLETE), result.output
    page = _page_one(out / "report.pdf")
    s = strings(lang)
    status = json.loads((out / "analysis.json").read_text())["evidence_status"]
    counts = {g["kind"]: g["count"] for g in status["findings"]}
    more = re.search(r"(?:more files? not read in full|niet volledig gelezen bestand(?:en)?|more findings of the files "
                     r"named above|nog bevindingen van de hierboven genoemde bestanden),? (?:not named here|hier niet "
                     r"genoemd) \(([^)]*)\)", page)
    assert counts["glued lines"] == 2
    for kind in [*INCOMPLETE, "cut off"]:
        assert f"{s[f'finding_{kind}']}: {counts[kind]}" in page, kind  # counted in the status line
        if kind in ("cut off", "case changed outside exposure"):  # the seal's box: test_the_seal_alert_is_on_page_one
            continue
        label = s["kind_" + kind.replace(" ", "_")]
        named = f"{s['status_line_incomplete']} · {label}:" in page  # a line of its own, its path and time
        listed = more is not None and s[f"finding_{kind}"] in more[1].split(", ")  # among the files not named
        boxed = kind in ALERTED and s[ALERTED[kind]] in page  # an alert box says it
        assert named or listed or boxed, (kind, page)
    # page 1's alert box of the files changed or missing since ingest (report/alerts.py), with their count
    assert s["evidence_bad"] in page, page
    if lang == "nl":  # what is said of them is Dutch too (report/wording.py): the unreadable file's reason
        assert "convert to UTF-8 first" not in page and "zet hem eerst om naar UTF-8" in page



def test_the_seal_alert_is_on_page_one(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--case", str(case), "--target", TARGET, "--out", str(out),
                                      "--pin-time", PIN, "--geoip-city", "none", "--geoip-asn", "none"])
    assert result.exit_code == 3, result.output
    assert strings("en")["seal_bad"] in _page_one(out / "report.pdf")


# each kind alone, in a case of one good file beside it: the command the README's exit-code table names exits 3
ALONE = {"suspicious size": ("web9", "ingest"), "changed during read": ("web10", "ingest"),
         "changed since ingest": ("web11", "report"), "missing": ("web12", "report"),
         "case changed outside exposure": (None, "analyse")}


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("kind", list(ALONE))
def test_each_kind_alone_changes_the_exit_code(tmp_path: Path, kind: str) -> None:
    full = _build(tmp_path / "all")
    logs = tmp_path / "logs"
    (logs / "web1").mkdir(parents=True)
    (logs / "web1" / "access.log").write_text("\n".join(_day()) + "\n")
    folder, command = ALONE[kind]
    if folder:
        (full / folder).rename(logs / folder)
    case = tmp_path / "case.duckdb"
    with _reading(logs) if folder in ("web9", "web10") else nullcontext():
        ingest = CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs)])
    assert ingest.exit_code == (3 if command == "ingest" else 0), ingest.output
    args = ["--case", str(case), "--target", TARGET, "--geoip-city", "none", "--geoip-asn", "none"]
    before = CliRunner().invoke(app, ["analyse", *args])
    assert before.exit_code == (3 if command == "ingest" else 0), before.output
    if folder == "web11":
        _grow(logs)
    elif folder == "web12":
        _remove(logs)
    elif command == "analyse":
        _alter(case)
    asked = {"ingest": ["analyse", *args], "analyse": ["analyse", *args],
             "report": ["report", *args, "--out", str(tmp_path / "report")]}[command]
    result = CliRunner().invoke(app, asked, terminal_width=400)
    assert result.exit_code == 3, result.output
    assert kind in _said(result.output) or command == "ingest" and kind in _said(ingest.output), result.output
    if command == "report":  # verify's re-hash says it too, exit 3
        done = CliRunner().invoke(app, ["verify", "--case", str(case)], terminal_width=400)
        assert done.exit_code == 3, done.output
