"""A stream's silence at its edge (queries/gaps.sql kinds 'end' and 'start'): a server that stops logging while
another logs on (or starts after the evidence begins) may have served the file unseen. Longer than the stream's
threshold and inside a target's window it is a gap, said (`gap in window`) and in the JSON gaps; outside every
window it is said nowhere (a retired server)."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.streams import stream_folder
from tests.logs import clf, t

TARGET = "/doc/leak.xlsx"
# web1's own client where web2 logs the same hours: lines of one client, path and size in the same seconds in both
# files would make web1 a copy of web2's tail (a `tail` excerpt by content), whose start is no edge (gaps.sql)
WEB1 = "203.0.113.9"


def _every(start: datetime, end: datetime, minutes: int = 10) -> list[datetime]:
    out, at = [], start
    while at <= end:
        out.append(at)
        at += timedelta(minutes=minutes)
    return out


def _write(folder: Path, server: str, lines: list[str]) -> None:
    (folder / server).mkdir(parents=True, exist_ok=True)
    (folder / server / "access.log").write_text("".join(line + "\n" for line in lines))


def _answer(tmp_path: Path, web1: list[str], web2: list[str]) -> dict[str, Any]:
    logs = tmp_path / "logs"
    _write(logs, "web1", web1)
    _write(logs, "web2", web2)
    case, out = str(tmp_path / "case.duckdb"), tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", "--case", case, str(logs), "--target", TARGET, "--json", str(out)],
                                terminal_width=400)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _busy(start: datetime, end: datetime, client: str = "198.51.100.9") -> list[str]:
    return [clf(client, when, "/index.html", size=800) for when in _every(start, end)]


def _edge_gaps(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in answer["findings"] if f["kind"] == "gap" and f["stream"] == "web1/access.log"]


def test_a_stream_that_stops_inside_an_open_window_leaves_a_gap(tmp_path: Path) -> None:
    # web1 serves the target at 10:00 on the 8th and its log ends there; web2 logs on until 14:00
    web1 = _busy(t(8, 0), t(8, 9, 50)) + [clf("198.51.100.1", t(8, 10), TARGET, size=5000)]
    answer = _answer(tmp_path, web1, _busy(t(8, 0), t(8, 14)))
    gaps = _edge_gaps(answer)
    assert [(g["uncovered_start"], g["uncovered_end"], g["in_window"]) for g in gaps] == [
        ("2020-06-08T10:00:00Z", "2020-06-08T14:00:00Z", "window 1 (open: no withdrawal seen)")]
    assert "after its last line" in gaps[0]["detail"] and round(gaps[0]["minutes"]) == 240
    assert [(g["start"], g["end"], g["stream"]) for g in answer["targets"][0]["gaps"]] == [
        ("2020-06-08T10:00:00Z", "2020-06-08T14:00:00Z", "web1/access.log")]


def test_a_stream_that_starts_late_inside_a_window_leaves_a_gap(tmp_path: Path) -> None:
    # web2 serves the target from 00:00 and logs all day; web1 starts logging at 12:00, inside that window
    web2 = [clf("198.51.100.1", t(8, 0), TARGET, size=5000)] + _busy(t(8, 0, 5), t(8, 14))
    answer = _answer(tmp_path, _busy(t(8, 12), t(8, 14)), web2)
    gaps = _edge_gaps(answer)
    assert [(g["uncovered_start"], g["uncovered_end"]) for g in gaps] == [("2020-06-08T00:00:00Z",
                                                                            "2020-06-08T12:00:00Z")]
    assert "before its first line" in gaps[0]["detail"] and gaps[0]["in_window"]


def test_a_stream_that_stops_outside_every_window_says_nothing(tmp_path: Path) -> None:
    # the target is withdrawn (404) at 09:00; web1, retired, logs until 09:50, web2 until 14:00
    web2 = ([clf("198.51.100.1", t(8, 8), TARGET, size=5000), clf("198.51.100.2", t(8, 9), TARGET, status=404,
                                                                       size=0)] + _busy(t(8, 8, 5), t(8, 14)))
    answer = _answer(tmp_path, _busy(t(8, 8), t(8, 9, 50)), web2)
    assert _edge_gaps(answer) == [] and answer["targets"][0]["gaps"] == []


@pytest.mark.parametrize("client", [WEB1, "198.51.100.9"])
def test_a_stray_time_bounds_no_edge_and_no_silence(tmp_path: Path, client: str) -> None:
    # review of readfixB (A2): web2 serves the target at 08:00 and logs 00:00-14:00, one line of it dated 1970 (a
    # clock before NTP: `stray time`); web1 starts at 09:00. The stray set the evidence's first line: web1 was
    # 'silent 26526780 minutes before its first line, from 1970-01-01', web2 silent from 1970 to its next line.
    # web1's lines the same as web2's (client 198.51.100.9: two servers behind one load balancer logging its
    # checks): web1's own 9 silent hours are still said (review of streams16 F2: a server-named file's start is
    # never excused by copies, only a copy-named take's)
    web2 = ([clf("198.51.100.1", t(8, 0), TARGET, size=5000)] + _busy(t(8, 0, 10), t(8, 10))
            + [clf("198.51.100.7", "01/Jan/1970:01:00:00 +0100", "/index.html", size=800)] + _busy(t(8, 10, 10), t(8, 14)))
    answer = _answer(tmp_path, _busy(t(8, 9), t(8, 14), client), web2)
    gaps = [f for f in answer["findings"] if f["kind"] == "gap"]
    assert [(g["stream"], g["uncovered_start"], g["uncovered_end"]) for g in gaps] == [
        ("web1/access.log", "2020-06-08T00:00:00Z", "2020-06-08T09:00:00Z")]
    assert [f["kind"] for f in answer["findings"] if f["kind"] == "stray time"] == ["stray time"]  # still said


@pytest.mark.parametrize("where", ["first line", "last line"])
def test_a_stray_time_as_a_files_first_or_last_line_is_said_and_bounds_nothing(tmp_path: Path, where: str) -> None:
    # review of edgefix F3: a clock before NTP writes 1970 in the first lines after a boot, a file's first line.
    # A file's first and last line were never judged: the 1970 line as web2's first (or last) line made a gap from
    # 1970-01-01 (26 million minutes) and no `stray time` was said. Judged against the rest of the evidence now
    stray = [clf("198.51.100.7", "01/Jan/1970:01:00:00 +0100", "/index.html", size=800)]
    body = [clf("198.51.100.1", t(8, 0), TARGET, size=5000)] + _busy(t(8, 0, 10), t(8, 14))
    answer = _answer(tmp_path, _busy(t(8, 9), t(8, 14), WEB1), stray + body if where == "first line" else body + stray)
    gaps = [f for f in answer["findings"] if f["kind"] == "gap"]
    assert [(g["stream"], g["uncovered_start"], g["uncovered_end"]) for g in gaps] == [
        ("web1/access.log", "2020-06-08T00:00:00Z", "2020-06-08T09:00:00Z")]
    [said] = [f for f in answer["findings"] if f["kind"] == "stray time"]
    line, neighbour, side, days, at = ((1, 2, "first", "18421.0", "00:00") if where == "first line" else
                                       (86, 85, "last", "18421.6", "14:00"))
    assert said["detail"].startswith(
        f"line {line} (the file's {side} line) is dated 1970-01-01T00:00:00Z (+0100), {days} days before the line "
        f"{'after' if line == 1 else 'before'} it (line {neighbour}: 2020-06-08T{at}:00Z) and outside the time every "
        "other line of the evidence covers"), said["detail"]


def _gap_table(page: str) -> str:
    """The report's gap table (section 'Gaps'), tags dropped and spaces folded."""
    start = page.index("<table", page.index('id="gaps"'))
    block = page[start:page.index("</table>", start)]
    return re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", " ", block.replace("<wbr>", ""))))


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang, words", [
    ("en", "after the stream's last line: it ends at the evidence's last line, another stream's"),
    ("nl", "na de laatste regel van de logstroom: het loopt tot de laatste regel van het bewijs, van een andere "
           "logstroom")])
def test_every_door_carries_the_edge(tmp_path: Path, lang: str, words: str) -> None:
    # review of readfixB: the answer's targets[].gaps and the report's gap table did not carry `edge` (the report
    # cited web2's line as the gap's end without saying so), and Case.findings() without windows left out the edge
    # gap `exposure sql findings` lists, its docstring 'everything found about the evidence'
    web1 = _busy(t(8, 0), t(8, 9, 50)) + [clf("198.51.100.1", t(8, 10), TARGET, size=5000)]
    logs = tmp_path / "logs"
    _write(logs, "web1", web1)
    _write(logs, "web2", _busy(t(8, 0), t(8, 14)))
    case, out = str(tmp_path / "case.duckdb"), tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", "--case", case, str(logs), "--target", TARGET, "--json", str(out),
                                      "--report", str(tmp_path / "rep"), "--lang", lang,
                                      "--pin-time", "2020-08-01T12:00:00Z"], terminal_width=400)
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert [(g["stream"], g["edge"]) for g in answer["targets"][0]["gaps"]] == [("web1/access.log",
                                                                               "after its last line")]
    table = _gap_table((tmp_path / "rep" / "report.html").read_text())
    assert words in table and "web2/access.log" in table  # the end cited from web2, and said to be another's
    with Case(case, read_only=True) as c:
        everything = [(f.stream, f.fact) for f in c.findings() if f.kind == "gap"]
    sql = CliRunner().invoke(app, ["sql", "findings", "--case", case, "--json"], terminal_width=400)
    assert sql.exit_code == 0, sql.output
    assert everything == [("web1/access.log", "after its last line")]
    assert [(f["stream"], f["fact"]) for f in json.loads(sql.output) if f["kind"] == "gap"] == everything


def test_a_server_retired_before_an_open_window_is_said_inside_it(tmp_path: Path) -> None:
    # review of readfixB (L), README: web1 logs 1-3 June only; web2 first serves the target on 10 June and never
    # withdraws it. The open window runs to the evidence's end, so web1's silence after its last line covers it:
    # had web1 still served (its log lost), a download could hide there; said, never dropped
    web1 = [clf("198.51.100.9", when, "/index.html", size=800) for when in _every(t(1, 0), t(3, 23, 30), 30)]
    web2 = _busy(t(10, 0), t(10, 7, 50)) + [clf("198.51.100.1", t(10, 8), TARGET, size=5000)] + _busy(t(10, 8, 10),
                                                                                                       t(12, 23, 40))
    gaps = _edge_gaps(_answer(tmp_path, web1, _busy(t(1, 0), t(3, 0)) + web2))
    assert [(g["uncovered_start"], g["uncovered_end"], g["in_window"]) for g in gaps] == [
        ("2020-06-03T23:30:00Z", "2020-06-12T23:40:00Z", "window 1")]


def _day_folders(logs: Path, days: tuple[int, ...]) -> None:
    """A folder per day of one server (logs/2020-06-08/access.log ...), a line every 10 minutes; the target
    served at 08:00:05 UTC on the 8th, never withdrawn (its window open to the evidence's end)."""
    for day in days:
        lines = _busy(t(day, 0), t(day, 23, 50))
        if day == 8:
            lines.insert(49, clf("198.51.100.1", t(8, 8, 0, 5), TARGET, size=5000))
        (logs / f"2020-06-{day:02d}").mkdir(parents=True)
        (logs / f"2020-06-{day:02d}" / "access.log").write_text("".join(line + "\n" for line in lines))


@pytest.mark.parametrize("days", [(8, 9, 10), (8, 10)], ids=["every-day", "day-9-missing"])
def test_a_folder_per_day_is_one_stream_by_folder(tmp_path: Path, days: tuple[int, ...]) -> None:
    """Review: with --stream-from folder, logs/2020-06-08/access.log, logs/2020-06-09/access.log ... were a stream
    each: every day's stream stopped where the next began, 4 false edge gaps 'inside window 1' (1440 and 2880
    minutes). A date folder names no server (the auto rule passes over it too): it is taken off the folder, so a
    server's days are one stream, and a day missing is the one gap, between the days around it. Seen red with
    the date folders kept in the folder's stream (streams.stream_folder)."""
    _day_folders(tmp_path / "logs", days)
    case, out = str(tmp_path / "case.duckdb"), tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", "--case", case, str(tmp_path / "logs"), "--stream-from", "folder",
                                      "--target", TARGET, "--json", str(out)], terminal_width=400)
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert {e["stream"] for e in answer["evidence"]} == {str(tmp_path / "logs")}
    gaps = [(f["stream"], f["detail"]) for f in answer["findings"] if f["kind"] == "gap"]
    assert [(s, re.search(r"no log line for (\d+) minutes", detail)[1]) for s, detail in gaps] == (
        [] if days == (8, 9, 10) else [(str(tmp_path / "logs"), "1450")])


@pytest.mark.parametrize("stream_from", [[], ["--stream-from", "folder"]], ids=["default", "folder"])
@pytest.mark.parametrize("folders", [("8080", "8443"), ("1", "2")], ids=["ports", "nodes"])
def test_port_and_node_folders_are_servers_not_dates(tmp_path: Path, folders: tuple[str, str],
                                                     stream_from: list[str]) -> None:
    """Review of gapsrest (J): logs/8080/access.log and logs/8443/access.log (a log folder per listener; or node 1
    and 2), the second silent 09:00-12:00 UTC. A bare number was read as a date folder (2020, 06, 20200608): both
    files one stream (folder mode: 'date folder 8080 taken off'), the 190-minute gap filled by the other's lines.
    A date folder is a valid date's shape (streams.date_folders): a port or a node number is a server. Seen red
    with date_folders taking every bare number of up to 8 digits for a date (one stream, no gap)."""
    first = [clf("198.51.100.9", at, "/index.html", size=800) for at in _every(t(8, 0), t(8, 14))]
    first.insert(49, clf("198.51.100.1", t(8, 8, 0, 1), TARGET, size=5000))
    second = [clf("203.0.113.5", at, "/index.html", size=800)
              for at in _every(t(8, 0), t(8, 8, 50)) + _every(t(8, 12), t(8, 14))]
    _write(tmp_path / "logs", folders[0], first)
    _write(tmp_path / "logs", folders[1], second)
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", "--case", str(tmp_path / "case.duckdb"), str(tmp_path / "logs"),
                                      *stream_from, "--target", TARGET, "--json", str(out)], terminal_width=400)
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    streams = sorted({e["stream"] for e in answer["evidence"]})
    assert [Path(s).parts[0 if not stream_from else -1] for s in streams] == list(folders)
    assert not any("taken off" in e["stream_reason"] for e in answer["evidence"])
    gaps = [(f["stream"], f["detail"]) for f in answer["findings"] if f["kind"] == "gap"]
    assert [(s, re.search(r"no log line for (\d+) minutes", detail)[1]) for s, detail in gaps] == [
        (streams[1], "190")]


@pytest.mark.parametrize("folders", [
    "2020-06-08", "2020_06_08", "2020.06.08", "20200608", "dt=2020-06-08", "date=20200608",
    "year=2020/month=06/day=08", "2020/06/08", "2020/06/08/10", "2020-06"])
def test_a_date_folder_of_a_valid_date_is_taken_off_by_folder(folders: str) -> None:
    """--stream-from folder takes a date folder off (a server's days are one stream), in every date shape."""
    assert stream_folder(f"/e/logs/web1/{folders}/access.log")[0] == "/e/logs/web1"


@pytest.mark.parametrize("folder", ["8080", "1", "02", "20201308", "1989-06-01", "202006", "2020/13/01"])
def test_a_number_that_is_no_valid_date_stays_in_the_stream(folder: str) -> None:
    """A port, a node number, a month 13 or a year before 1990 is no date: the folder is the stream's."""
    assert stream_folder(f"/e/logs/{folder}/access.log")[0] == f"/e/logs/{folder}"
