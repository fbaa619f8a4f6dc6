"""End to end through the command line: evidence never changes the answer silently. Each case asserts the exact
answer, what is said about the evidence (terminal, JSON, the report's first page) and the exit code."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from tests.evidence_trees import (
    ANSWER,
    INTERNAL,
    TARGET,
    flat_folder,
    lines_readable,
    live_log_and_copy,
    server_folders,
    truncate_gzip,
)

ENV = {"COLUMNS": "80"}  # a narrow terminal: paths must still come out whole
PIN = "2020-08-01T12:00:00Z"


def _run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def _analyse(inputs: Path, out: Path, *extra: str, report: bool = False):
    args = ["analyse", str(inputs), "--target", TARGET, "--internal", INTERNAL, "--json", str(out / "a.json"), *extra]
    if report:
        args += ["--report", str(out / "report"), "--pin-time", PIN]
    result = _run(*args)
    answer = json.loads((out / "a.json").read_text()) if (out / "a.json").exists() else None
    return result, answer


def _said(output: str, start: str) -> str:
    """The one terminal line that starts with `start` (a finding is one line, never wrapped at 80 columns)."""
    [line] = [ln for ln in output.splitlines() if ln.startswith(start)]
    return line


def _totals(answer: dict) -> dict:
    return {k: answer["targets"][0]["totals"][k] for k in ANSWER}


def _page_one(report: Path) -> str:
    """The report's first page as text: the cover section of report.html (what the PDF's page 1 is made of)."""
    html = (report / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cover))


@pytest.mark.usefixtures("html_only_reports")
def test_flat_folder_of_two_servers_shows_each_servers_gap(tmp_path: Path) -> None:
    logs = flat_folder(tmp_path / "flat", hole=True)
    result, answer = _analyse(logs, tmp_path, report=True)
    assert result.exit_code == exitcodes.COMPLETE, result.output
    assert _totals(answer) == ANSWER
    streams = {Path(e["path"]).name: (e["stream"], e["server"]) for e in answer["evidence"]}
    assert streams["web1-access.log-20200612.gz"] == ("web1-access.log", "web1")
    assert streams["web2-access.log-20200612.gz"] == ("web2-access.log", "web2")
    # web1 is silent 13 hours inside the window while web2 goes on: web1's gap, not hidden by web2's lines
    [gap] = answer["targets"][0]["gaps"]
    assert {k: gap[k] for k in ("start", "end", "stream", "server", "window", "minutes", "threshold_minutes")} == {
        "start": "2020-06-12T00:50:01Z", "end": "2020-06-12T14:00:01Z", "stream": "web1-access.log",
        "server": "web1", "window": 1, "minutes": 790.0, "threshold_minutes": 60.0}
    assert [(e["file"], e["line"]) for e in gap["evidence"]] == [(str(logs / "web1-access.log-20200613.gz"), 6)] * 1 + [
        (str(logs / "web1-access.log-20200613.gz"), 7)]
    assert answer["evidence_status"]["complete"] is True
    said = _said(result.output, "stated: gap: stream web1-access.log: no log line for 790 minutes")
    assert said.endswith("from 2020-06-12T00:50:01Z to 2020-06-12T14:00:01Z; inside window 1")
    page = _page_one(tmp_path / "report")
    assert "Evidence status: Complete" in page and "gaps inside a window: 1" in page
    assert ("server web1 (stream web1-access.log): no log line from 2020-06-12T00:50:01Z to 2020-06-12T14:00:01Z "
            f"(13h 10m), inside window 1 of {TARGET}") in page


def test_streams_taken_from_folders_hide_the_gap(tmp_path: Path) -> None:
    """The other side: with --stream-from folder (the old rule) both servers are one stream and web2's lines fill
    web1's hole; the same answer, no gap. The rule given is kept in the case and said per file."""
    logs = flat_folder(tmp_path / "flat", hole=True)
    result, answer = _analyse(logs, tmp_path, "--stream-from", "folder")
    assert result.exit_code == 0, result.output
    assert _totals(answer) == ANSWER
    assert answer["targets"][0]["gaps"] == []
    assert {e["stream"] for e in answer["evidence"]} == {str(logs)}
    assert all(e["stream_reason"] == f"--stream-from folder: {logs}" for e in answer["evidence"])


def test_administrators_copy_in_a_folder_of_its_own(tmp_path: Path) -> None:
    original, copy = live_log_and_copy(tmp_path / "case")
    result, answer = _analyse(tmp_path / "case", tmp_path)
    assert result.exit_code == exitcodes.COMPLETE, result.output
    # web1's 11 and 12 June: two complete downloads from two addresses, one partial; the copy adds nothing
    assert _totals(answer) == {"complete_downloads": 2, "distinct_ips": 2, "internal_complete_downloads": 0,
                               "partial_downloads": 1}
    cited = {e["file"] for d in answer["targets"][0]["downloads"] for e in d["evidence"]}
    assert cited == {str(original)}
    by_name = {e["path"]: e for e in answer["evidence"]}
    assert by_name[str(copy)]["stream"] == by_name[str(original)]["stream"]
    assert by_name[str(copy)]["name_kind"] == "copy"
    kinds = {(f["kind"], f["path"], f["related_path"]) for f in answer["findings"]}
    assert ("overlap", str(copy), str(original)) in kinds
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert (overlap["lines"], overlap["line_ranges"], overlap["related_line_ranges"]) == (200, "1-200", "1-200")
    assert ("cut off", str(copy), None) in kinds  # its last line stops mid-line: said, not damage
    assert all(f["severity"] == "stated" for f in answer["findings"])
    assert _said(result.output, f"stated: overlap: {copy}: 200 request lines (lines 1-200")


def test_the_original_is_cited_whatever_the_ingest_order(tmp_path: Path) -> None:
    """The copy ingested first, the original in a later run: the original ends up cited, its lines counted, the
    copy listed as its copy; the numbers are those of the other order."""
    original, copy = live_log_and_copy(tmp_path / "case")
    case_path = tmp_path / "c.duckdb"
    assert _run("ingest", "--case", str(case_path), str(copy)).exit_code == 0
    assert _run("ingest", "--case", str(case_path), str(original)).exit_code == 0
    with Case(case_path, read_only=True) as case:
        [pair] = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        ids = dict(case.sql("SELECT path, evidence_id FROM evidence").values.tolist())
        assert (pair["evidence_id"], pair["kept_evidence_id"]) == (ids[str(copy)], ids[str(original)])
        downloads = case.downloads(TARGET)
        assert {line["evidence_id"] for lines in downloads["lines"] for line in lines} == {ids[str(original)]}
    result, answer = _analyse(tmp_path / "case", tmp_path, "--case", str(case_path))
    assert result.exit_code == 0, result.output
    assert _totals(answer) == {"complete_downloads": 2, "distinct_ips": 2, "internal_complete_downloads": 0,
                               "partial_downloads": 1}


@pytest.mark.usefixtures("html_only_reports")
def test_truncated_gzip_in_place_of_a_day(tmp_path: Path) -> None:
    logs = flat_folder(tmp_path / "flat")
    damaged = logs / "web1-access.log-20200612.gz"  # web1's 11 June: downloads at 09:00, 15:00 and 16:00 (partial)
    truncate_gzip(damaged, keep=0.55)
    kept = lines_readable(damaged)
    assert 60 < kept < 90  # the cut falls between the 09:00 download (line 56) and the 15:00 one (line 92)
    result, answer = _analyse(logs, tmp_path, report=True)
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    assert answer is not None and answer["evidence_status"]["complete"] is False  # the answer is still written in full
    # 80.101.47.212's download at 15:00 and the partial one at 16:00 are in the part that does not decode
    assert _totals(answer) == {**ANSWER, "complete_downloads": 4, "distinct_ips": 3, "partial_downloads": 0}
    [finding] = [f for f in answer["findings"] if f["severity"] == "incomplete"]
    last_read = answer["evidence"][[e["path"] for e in answer["evidence"]].index(str(damaged))]["last_time"]
    assert {k: finding[k] for k in ("kind", "path", "stream", "uncovered_start", "uncovered_end")} == {
        "kind": "truncated", "path": str(damaged), "stream": "web1-access.log",
        "uncovered_start": last_read, "uncovered_end": "2020-06-12T00:00:01Z"}
    said = _said(result.output, f"incomplete: truncated: {damaged}: gzip member 1 (header at compressed byte 0) ends "
                 "early: the file ends inside its compressed data")
    # the lost hours lie in the file's first window (8-11 June): said as a gap inside one is
    assert finding["in_window"] == "window 1"
    assert said.endswith(f"stream web1-access.log has no line from {last_read} to 2020-06-12T00:00:01Z; "
                         "inside window 1")
    assert _said(result.output, "exposure: the evidence is incomplete")
    page = _page_one(tmp_path / "report")
    # a truncated file is truncated, neither damaged nor unread (the status names its kind of incompleteness)
    assert "Evidence status: INCOMPLETE: part of the evidence is truncated" in page
    assert f"{damaged}" in page and f"stream web1-access.log has no line from {last_read} to 2020-06-12T00:00:01Z" in page


@pytest.mark.usefixtures("html_only_reports")
def test_unreadable_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """web2's folder cannot be listed (EACCES, simulated where it happens so that it holds for root too): the
    answer from web1 alone is written, marked incomplete, exit 3, the folder named on page 1 and the terminal."""
    import exposure.discovery as discovery

    logs = server_folders(tmp_path / "logs")
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if not isinstance(path, int) and Path(path) == logs / "web2":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    result, answer = _analyse(logs, tmp_path, report=True)
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    assert answer["evidence_status"]["complete"] is False
    assert _totals(answer) == {"complete_downloads": 3, "distinct_ips": 3, "internal_complete_downloads": 0,
                               "partial_downloads": 1}
    [finding] = [f for f in answer["findings"] if f["severity"] == "incomplete"]
    assert (finding["kind"], finding["path"], finding["detail"]) == (
        "unreadable", str(logs / "web2"), "folder cannot be listed: permission denied")
    said = _said(result.output, f"incomplete: unreadable: {logs / 'web2'}: folder cannot be listed: permission denied")
    assert said.endswith("the time it leaves uncovered is unknown")
    page = _page_one(tmp_path / "report")
    assert "Evidence status: INCOMPLETE: part of the evidence could not be read" in page
    assert f"{logs / 'web2'}: could not be read (folder cannot be listed: permission denied)" in page


def test_ingest_of_a_truncated_gzip_exits_incomplete(tmp_path: Path) -> None:
    logs = flat_folder(tmp_path / "flat")
    truncate_gzip(logs / "web2-access.log-20200611.gz", keep=0.3)
    result = _run("ingest", "--case", str(tmp_path / "c.duckdb"), str(logs), "--quiet")
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    # --quiet keeps the per-file lines back, never an incomplete finding
    assert _said(result.output, f"incomplete: truncated: {logs / 'web2-access.log-20200611.gz'}: ")
    assert "ingested:" not in result.output


def test_forced_format_that_fits_no_line_of_a_file(tmp_path: Path) -> None:
    logs = flat_folder(tmp_path / "flat")
    result, answer = _analyse(logs / "web1-access.log", tmp_path, "--format", "s3")
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    [finding] = answer["findings"]
    assert (finding["severity"], finding["kind"], finding["path"]) == ("incomplete", "all lines rejected",
                                                                       str(logs / "web1-access.log"))
    said = _said(result.output, "incomplete: ")  # said once, not once per line
    assert said.startswith(f"incomplete: all lines rejected: {logs / 'web1-access.log'}: every one of its 144 lines that "
                           "is not blank or a comment was rejected by the s3 format")
    assert "without --format the format of each file is detected" in said


@pytest.mark.parametrize("quiet", [False, True])
def test_a_complete_answer_exits_zero_and_says_its_findings(tmp_path: Path, quiet: bool) -> None:
    logs = flat_folder(tmp_path / "flat")
    result, answer = _analyse(logs, tmp_path, *(["--quiet"] if quiet else []))
    assert result.exit_code == 0, result.output
    assert answer["evidence_status"]["complete"] is True
    # the one thing said: what the servers' byte counts cover, which these few transfers cannot decide
    assert [(f["severity"], f["kind"], f["stream"]) for f in answer["findings"]] == [
        ("stated", "assumed bytes", "web1-access.log"), ("stated", "assumed bytes", "web2-access.log")]
    assert "incomplete" not in result.output
    assert ("stated: assumed bytes" in result.output) is not quiet


def test_a_finding_about_the_file_on_disk_or_the_case_says_no_uncovered_time() -> None:
    """Review (doors): Finding.said() gave a re-hash or seal finding 'the time it leaves uncovered is unknown', in
    the terminal and (since the doors were joined) the JSON evidence status: it leaves no time uncovered."""
    from exposure.findings import INCOMPLETE, NOT_OF_TIME, said

    for kind in NOT_OF_TIME:
        assert said(INCOMPLETE, kind, "/x/a.log", "the SHA-256 differs").said() == "/x/a.log: the SHA-256 differs"
    assert "uncovered" in said(INCOMPLETE, "damaged", "/x/a.log", "not read").said()
