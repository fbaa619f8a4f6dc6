"""An incomplete file whose stream lacks lines inside a target's window says so (`in_window`), as a gap does: the
regulator's "what evidence is missing" is answered for the file, not left to comparing two sets of times by hand
(readme6: a CloudFront hour cut mid-way, inside the window, said only as a span of UTC times)."""

from __future__ import annotations

import gzip
import html
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from exposure.findings import Window
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 50_000


def _day(day: int, target_status: int | None) -> list[str]:
    """A day of web1: a line every 10 minutes from 06:00 to 19:50, the target asked for at 12:30."""
    lines = [clf(f"198.51.100.{2 + k % 7}", t(day, 6 + k // 6, k % 6 * 10), f"/page{k}") for k in range(84)]
    if target_status is not None:
        lines.insert(39, clf(f"198.51.100.{10 + day}", t(day, 12, 30), TARGET, status=target_status,
                            size=SIZE if target_status == 200 else 153))
    return lines


def _text(page: str) -> str:
    """A page's text: tags dropped, entities read, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page.replace("<wbr>", ""))))


def _cut_gzip(path: Path, lines: list[str]) -> Path:
    """The day's lines gzipped and cut after half its compressed bytes (a copy that stopped mid-way)."""
    data = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.usefixtures("html_only_reports")
def test_a_truncated_file_whose_lost_time_lies_in_the_window_says_so(tmp_path: Path) -> None:
    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log.2.gz", _day(10, 200), compress="gzip")   # 10 June: the file online
    cut = _cut_gzip(logs / "access.log.1.gz", _day(11, 200))              # 11 June: cut mid-way
    write_log(logs / "access.log", _day(12, 200) + _day(13, 404))         # 12 June online, 13 June gone
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--report", str(tmp_path / "report"),
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [window] = answer["targets"][0]["windows"]
    assert (window["first_available"], window["first_unavailable"]) == (
        "2020-06-10T12:30:00Z", "2020-06-13T12:30:00Z")
    [found] = [f for f in answer["findings"] if f["kind"] == "truncated"]
    assert found["path"] == str(cut)
    assert found["uncovered_end"] == "2020-06-12T06:00:00Z"  # the stream's next line, inside the window
    assert found["in_window"] == "window 1"
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("incomplete: truncated: ")]
    assert said.endswith("; inside window 1"), said
    page = _text((tmp_path / "report" / "report.html").read_text())
    assert f"to 2020-06-12T06:00:00Z; inside window 1 of {TARGET}" in page  # the file's line, as a gap's says it


@pytest.mark.usefixtures("html_only_reports")
def test_a_truncated_file_outside_every_window_names_none(tmp_path: Path) -> None:
    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log.2.gz", _day(10, None), compress="gzip")
    _cut_gzip(logs / "access.log.1.gz", _day(11, None))                   # lost before the file was online
    write_log(logs / "access.log", _day(12, 200) + _day(13, 404))
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json")], env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [found] = [f for f in answer["findings"] if f["kind"] == "truncated"]
    assert found["in_window"] is None
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("incomplete: truncated: ")]
    assert "inside window" not in said


@pytest.mark.usefixtures("html_only_reports")
def test_the_dutch_report_names_the_window_in_dutch(tmp_path: Path) -> None:
    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log.2.gz", _day(10, 200), compress="gzip")
    _cut_gzip(logs / "access.log.1.gz", _day(11, 200))
    write_log(logs / "access.log", _day(12, 200) + _day(13, 404))
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--report",
                                      str(tmp_path / "report"), "--lang", "nl", "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    page = _text((tmp_path / "report" / "report.html").read_text())
    assert f"tot 2020-06-12T06:00:00Z; binnen venster 1 van {TARGET}" in page
    assert "window 1" not in page


def test_the_last_file_of_a_stream_cut_inside_the_window_says_so(tmp_path: Path) -> None:
    """review_readme6 a: web1's last file cut mid-way leaves web1 without a line 'to the end of the stream'
    (uncovered_end None), while web2 shows the file online until 13 June: the open end lies in the window."""
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log.2.gz", _day(10, 200), compress="gzip")
    cut = _cut_gzip(logs / "web1" / "access.log.1.gz", _day(11, None))   # web1's last file, cut mid-way
    web2 = [line.replace("198.51.100.", "198.51.101.") for day in (10, 11) for line in _day(day, None)]
    write_log(logs / "web2" / "access.log", web2 + _day(12, 200) + _day(13, 404))
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(tmp_path / "a.json")],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [found] = [f for f in answer["findings"] if f["kind"] == "truncated"]
    assert (found["path"], found["uncovered_start"], found["uncovered_end"]) == (
        str(cut), "2020-06-11T10:00:00Z", None)
    assert found["in_window"] == "window 1"
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("incomplete: truncated: ")]
    assert said.endswith("to the end of the stream; inside window 1"), said


@pytest.mark.parametrize(("start", "end", "held"), [
    pytest.param(None, datetime(2020, 6, 11), True, id="open-start-into-window"),
    pytest.param(None, datetime(2020, 6, 9), False, id="open-start-before-window"),
    pytest.param(datetime(2020, 6, 11), None, True, id="open-end-from-inside"),
    pytest.param(datetime(2020, 6, 14), None, False, id="open-end-after-window"),
    pytest.param(None, None, False, id="unknown-time"),
])
def test_an_open_end_is_the_stream_s(start: datetime | None, end: datetime | None, held: bool) -> None:
    window = Window("window 1", datetime(2020, 6, 10, 12, 30), datetime(2020, 6, 13, 12, 30))
    assert window.holds(start, end) is held
