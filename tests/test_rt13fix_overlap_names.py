"""Review of red team 13: how an overlap names the file a copy repeats where one path names two evidence files.

5. Two files given by one relative path from two folders (`cd r1; ingest web1/access.log`, `cd r2; ingest
   web1/access.log`) were said as "web1/access.log as first ingested ... the file changed since": two files, no
   change. They are told apart by their absolute path (queries/overlapwords.sql kept_version).
6. A live log ingested three times: the third version's line 4, held first by the second version, was said to
   repeat the file "as first ingested (evidence 2)"; evidence 1 was. Now "an earlier version ... (evidence N)",
   and `verify` names each file's evidence id so N can be matched.
7. The report (EN, NL) said the self-overlap with the same path twice and no evidence id: it now names the kept
   file as every door does (exposure/overlapwords.py, from the finding's fact).
"""
from __future__ import annotations

import html
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.report import ReportSettings
from tests.conftest import write_log
from tests.logs import clf, t

LINES = [clf(f"198.51.100.{i + 1}", t(12, 10, i + 1), "/docs/leak.pdf") for i in range(5)]


def _grown_three_times(tmp_path: Path) -> tuple[Path, Path]:
    log = write_log(tmp_path / "logs" / "web1" / "access.log", LINES[:3])
    case_path = tmp_path / "case.duckdb"
    with Case(case_path) as case:
        case.ingest([log])
        write_log(log, LINES[:4])  # the log grew
        case.ingest([log])
        write_log(log, LINES[:5])  # and again
        case.ingest([log])
    return log, case_path


def test_a_third_version_names_the_version_that_held_the_line_first(tmp_path: Path) -> None:
    log, case_path = _grown_three_times(tmp_path)
    with Case(case_path) as case:
        said = sorted(f.detail for f in case.findings() if f.kind == "overlap" and f.evidence_id == 3)
    assert said == [
        f"1 request line (line 4, 2020-06-12T10:04:00Z to 2020-06-12T10:04:00Z UTC) repeats line 4 of an earlier "
        f"version of {log} (evidence 2, another SHA-256: the file changed since): counted once, from the earlier "
        f"version of {log} (evidence 2)",
        f"3 request lines (lines 1-3, 2020-06-12T10:01:00Z to 2020-06-12T10:03:00Z UTC) repeat lines 1-3 of an "
        f"earlier version of {log} (evidence 1, another SHA-256: the file changed since): counted once, from the "
        f"earlier version of {log} (evidence 1)"]
    output = CliRunner().invoke(app, ["verify", "--case", str(case_path)]).output
    assert [line.split("  sha256")[0] for line in output.splitlines() if str(log) in line] == [
        f"changed  {log} (evidence 1)", f"changed  {log} (evidence 2)", f"match    {log} (evidence 3)"]


def test_one_relative_path_from_two_folders_is_no_changed_file(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_log(tmp_path / "r1" / "web1" / "access.log", LINES[:3])
    write_log(tmp_path / "r2" / "web1" / "access.log", LINES[:4])  # another server's copy, one line more
    with Case(tmp_path / "case.duckdb") as case:
        monkeypatch.chdir(tmp_path / "r1")
        case.ingest(["web1/access.log"])
        monkeypatch.chdir(tmp_path / "r2")
        result = case.ingest(["web1/access.log"])
        [finding] = [f for f in case.findings() if f.kind == "overlap"]
    first = tmp_path / "r1" / "web1" / "access.log"
    assert "changed since" not in finding.detail and "version" not in finding.detail
    assert finding.detail.endswith(f"repeat lines 1-3 of {first} (evidence 1): counted once, from {first} "
                                   f"(evidence 1)")
    assert [o.describe() for o in result.overlaps] == [
        f"3 request lines (lines 1-3) repeat lines 1-3 of {first} (evidence 1): counted once, cited from {first} "
        f"(evidence 1)"]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "repeat lines 1-3 of an earlier version of {log} (evidence 1, another SHA-256: the file changed since): "
           "counted once, cited from the earlier version of {log} (evidence 1)"),
    ("nl", "herhalen regels 1-3 van een eerdere versie van {log} (bewijsstuk 1, een andere SHA-256: het bestand is "
           "sindsdien veranderd): één keer geteld, geciteerd uit de eerdere versie van {log} (bewijsstuk 1)")])
def test_the_report_names_the_earlier_version_as_every_door_does(tmp_path: Path, lang: str, said: str) -> None:
    log, case_path = _grown_three_times(tmp_path)
    out = tmp_path / "out"
    with Case(case_path) as case:
        case.report(["/docs/leak.pdf"], out, AnalysisOptions(), ReportSettings(pdf=False, lang=lang))
    text = html.unescape((out / "report.html").read_text(encoding="utf-8").replace("<wbr>", ""))
    assert said.format(log=log) in text
    assert f"of {log}: counted once, cited from {log}" not in text and f"van {log}: één keer" not in text
