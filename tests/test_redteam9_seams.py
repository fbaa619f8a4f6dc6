"""Red team 9: a stream's time running back BETWEEN its files. A clock set back (an NTP step, a clock put right
after a reboot) where logrotate gave way to a new file shows in no file alone: access.log.1 ends at 10:30 and
access.log begins at 09:31, each in order. Before, nothing was said (exit 0, no finding) though every window and gap
made of those times is suspect; now the file that begins back in time is said as `time ran back`, through the
terminal, the JSON answer and page 1. A rotation in order, a copy that repeats the earlier file's last lines and
AWS's deliveries, which interleave by design, say nothing. Seen by time alone: a step longer than the earlier
file's whole span (its lines all after the later file's) is not seen, the files' names not being read for order."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from exposure.ingest import IngestOptions
from tests.conftest import write_log
from tests.logs import clf, cloudfront_lines, t

TARGET = "/docs/leak.pdf"
SIZE = 50_000
CF_FIELDS = ["date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(host)", "cs-uri-stem",
             "sc-status", "cs(referer)", "cs(user-agent)", "x-edge-result-type", "cs-protocol", "x-host-header",
             "time-taken", "cs-protocol-version"]


def _minutes(hour: int, first: int, count: int, ip: str = "198.51.100.1") -> list[str]:
    return [clf(ip, t(12, hour, first + i), "/") for i in range(count)]


def _rotated_and_set_back(logs: Path) -> tuple[Path, Path]:
    """access.log.1: 08:00 .. 10:30, a line every 5 minutes, with a download at 08:20; the clock is set back an hour
    as the log rotates: access.log begins at 09:31 (a download at 09:40) and goes on from there."""
    older = [clf("198.51.100.1", t(12, 8, 0) + timedelta(minutes=5 * i), "/") for i in range(31)]
    older[4] = clf("198.51.100.8", t(12, 8, 20), TARGET, size=SIZE)
    newer = _minutes(9, 31, 25, ip="198.51.100.2")
    newer[9] = clf("198.51.100.9", t(12, 9, 40), TARGET, size=SIZE)
    return (write_log(logs / "web1" / "access.log.1", older), write_log(logs / "web1" / "access.log", newer))


@pytest.mark.usefixtures("html_only_reports")
def test_a_clock_set_back_at_a_rotation_is_said_on_every_door(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    older, newer = _rotated_and_set_back(logs)
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(tmp_path / "a.json"),
                                      "--report", str(tmp_path / "report"), "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [back] = [f for f in answer["findings"] if f["kind"] == "time ran back"]
    detail = (f"its start (line 1, 2020-06-12T09:31:00Z) is 59 minutes before the end of {older} "
              "(line 31, 2020-06-12T10:30:00Z), a file of the same stream web1/access.log that began before it, both "
              "written +0200, and the lines after stay back: the stream's time runs back between its files (a step "
              "of more than 10 minutes where one file gives way to the next: the server's clock set back at a "
              "rotation, or two servers' logs taken for one stream; the times around it, and windows and gaps made "
              "of them, are suspect; the files are put in order by their times, not their names, so a step longer "
              "than one file's span may be said against a neighbouring file of the stream, and its size is then a "
              "lower bound)")
    assert {k: back[k] for k in ("severity", "path", "stream", "detail", "uncovered_start", "uncovered_end", "lines",
                                 "minutes", "in_window")} == {
        "severity": "stated", "path": str(newer), "stream": "web1/access.log", "detail": detail,
        "uncovered_start": "2020-06-12T09:31:00Z", "uncovered_end": "2020-06-12T10:30:00Z", "lines": 1,
        "minutes": 59.0, "in_window": "window 1"}
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("stated: time ran back: ")]
    assert said == f"stated: time ran back: {newer}: {detail}; inside window 1"
    # the numbers do not move: both downloads counted, once each
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2
    html = (tmp_path / "report" / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", ""))))
    assert "time running back in a file (1)" in page
    assert f"{newer} (line 1: 2020-06-12T10:30:00Z → 2020-06-12T09:31:00Z, 59m back, inside window 1 of {TARGET})" in page


def test_a_rotation_in_order_a_copy_and_interleaved_deliveries_say_nothing(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log.1", _minutes(10, 0, 31))
    write_log(logs / "web1" / "access.log", _minutes(10, 31, 20))                 # follows on: no step
    # the investigator copied the live log twice: the second copy repeats the first's last 25 lines
    write_log(logs / "web2" / "access.log.1", _minutes(11, 0, 40))
    write_log(logs / "web2" / "access.log", _minutes(11, 15, 40))
    # two CloudFront deliveries of one hour whose lines interleave (AWS delivers so)
    for n, minute in enumerate((0, 5)):
        rows = [{"c-ip": "198.51.100.4", "time": f"10:{minute + 10 * i:02d}:00", "sc-status": "200",
                 "sc-bytes": "1000"} for i in range(5)]
        write_log(logs / "cf" / f"E2ABC.2020-06-12-10.{n:08x}.gz",
                  ["#Version: 1.0", "#Fields: " + " ".join(CF_FIELDS), *cloudfront_lines(rows, CF_FIELDS, "/")],
                  compress="gzip")
    with Case() as case:
        case.ingest([logs])
        assert case.sql("SELECT count(*) FROM evidence WHERE format = 'cloudfront'").iat[0, 0] == 2
        assert case.sql("SELECT count(*) FROM stream_silences WHERE kind IN ('back', 'seam')").iat[0, 0] == 0
        assert [f.kind for f in case.findings() if f.kind == "time ran back"] == []


def _every_minute(hour: int, count: int, ip: str = "198.51.100.1") -> list[str]:
    return [clf(ip, t(12, hour, 0) + timedelta(minutes=i), f"/p{i % 7}") for i in range(count)]


def _seam_cases() -> dict[str, dict[str, list[str]]]:
    """The review's false seams (red team 9, review): each stream is sound, its files in order, and nothing ran back."""
    stray_last = [*_every_minute(10, 30), clf("198.51.100.1", "01/Jan/2099:00:00:00 +0000", "/x")]
    stray_mid = [*_every_minute(10, 15), clf("198.51.100.1", "01/Jan/2099:00:00:00 +0000", "/x"),
                 *[clf("198.51.100.1", t(12, 10, 15 + i), "/") for i in range(15)]]
    long_first = [clf("198.51.100.9", t(12, 9, 30), TARGET, size=SIZE), *_every_minute(11, 60)]
    return {
        # 1. a 2099 line in access.log.2 (its last line; or mid-file, its own `stray time`) set the stream's latest
        "stray last line of an earlier file": {"access.log.2": stray_last, "access.log.1": _every_minute(11, 30),
                                               "access.log": _every_minute(12, 30)},
        "stray line mid-file in an earlier file": {"access.log.2": stray_mid, "access.log.1": _every_minute(11, 30),
                                                   "access.log": _every_minute(12, 30)},
        # 2. the newer file's first line dated 1970 (a clock before NTP after a reboot) put it first
        "1970 first line of the newer file": {
            "access.log.1": _every_minute(10, 30),
            "access.log": [clf("198.51.100.1", "01/Jan/1970:00:00:05 +0000", "/x"), *_every_minute(11, 30)]},
        # 3. hourly files: hour 11's first line a 2-hour download that started 09:30 put it before hour 10
        "long download first in an hourly file": {"access.log.2020061210": _every_minute(10, 60),
                                                  "access.log.2020061211": long_first},
        # 4. a live access.log of one line: a 30-minute download written with its start time
        "one-line live log": {"access.log.1": [clf("198.51.100.1", t(12, 8, 0) + timedelta(minutes=5 * i), "/")
                                               for i in range(31)],
                              "access.log": [clf("198.51.100.9", t(12, 10, 0), TARGET, size=SIZE)]},
    }


@pytest.mark.parametrize("name", list(_seam_cases()))
def test_no_seam_from_a_stray_a_long_download_or_a_short_file(tmp_path: Path, name: str) -> None:
    for file, lines in _seam_cases()[name].items():
        write_log(tmp_path / "logs" / "web1" / file, lines)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert case.sql("SELECT count(*) FROM stream_silences WHERE kind = 'seam'").iat[0, 0] == 0
        assert [f.detail for f in case.findings() if f.kind == "time ran back"] == []


def _seams(case: Case) -> list[tuple]:
    return [tuple(r) for r in case.sql(
        "SELECT e1.path, start_line_no, strftime(gap_start, '%H:%M'), e2.path, end_line_no, "
        "strftime(gap_end, '%H:%M'), round(gap_minutes) FROM stream_silences s "
        "JOIN evidence e1 ON e1.evidence_id = s.start_evidence_id JOIN evidence e2 ON e2.evidence_id = "
        "s.end_evidence_id WHERE kind = 'seam' ORDER BY 1, 2").itertuples(index=False)]


def test_a_seam_is_measured_between_the_lines_that_decide_it(tmp_path: Path) -> None:
    """Review 2: a clock set back an hour at a rotation (access.log.1 08:00-09:59, access.log from 09:00) whose new
    file's first line is dated 1970 (a clock before NTP). The first line decides nothing (its start is the median of
    its first 21 lines), yet the seam was measured from it: -26,532,598 minutes, said at line 1. Now from the
    earlier file's end line (09:59, line 120) to the first of the new file's first 21 lines within a day of their
    median (09:01, line 2): 58 minutes back."""
    older = write_log(tmp_path / "logs" / "web1" / "access.log.1", _every_minute(8, 120))
    newer = write_log(tmp_path / "logs" / "web1" / "access.log",
                      [clf("198.51.100.1", "01/Jan/1970:00:00:05 +0000", "/x"), *_every_minute(9, 120)[1:]])
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert _seams(case) == [(str(older), 120, "09:59", str(newer), 2, "09:01", -58.0)]
        [said] = [f.detail for f in case.findings() if f.kind == "time ran back" and f.path == str(newer)
                  and "between its files" in f.detail]
        assert said.startswith("its start (line 2, 2020-06-12T09:01:00Z) is 58 minutes before the end of "
                               f"{older} (line 120, 2020-06-12T09:59:00Z)")


def test_files_that_start_at_the_same_time_are_put_in_order_by_path(tmp_path: Path) -> None:
    """Review 2: two files of a stream whose first 21 lines have the same median time were put in order by their
    evidence ids, the order they were ingested in. Now by path: access.log (10:00-10:20, then 10:40) comes before
    access.log.1 (10:00-10:20 from another address, then 12:00), and the seam is said on access.log.1 (its line 1,
    40 minutes before access.log's line 22) whichever was ingested first."""
    logs = tmp_path / "logs" / "web1"
    late = write_log(logs / "access.log.1", [*_every_minute(10, 21, ip="198.51.100.2"),
                                             *[clf("198.51.100.2", t(12, 12, i), "/") for i in range(5)]])
    early = write_log(logs / "access.log", [*_every_minute(10, 21), clf("198.51.100.1", t(12, 10, 40), "/")])
    with Case() as case:
        case.ingest([late])         # ingested first: the lower evidence id
        case.ingest([early])
        assert _seams(case) == [(str(early), 22, "10:40", str(late), 1, "10:00", -40.0)]


def test_a_fall_back_hour_among_a_file_s_first_lines_is_no_seam(tmp_path: Path) -> None:
    """Review 2: with --log-tz, the fall-back hour's lines are read as their earlier instant and flagged; a seam is
    refused when any of the lines that decide it (a file's first 21, the earlier file's last 21) is. access.log.1 holds 01:00-02:59 (the first pass) and
    access.log begins with a long download's line at 01:58 (not flagged), then 02:00-02:59 again (the second pass,
    flagged) and 03:00-03:30: no clock was set back, and nothing is said."""
    def local(hour: int, minute: int, ip: str = "198.51.100.3") -> str:
        return f'{ip} - - [25/Oct/2020:{hour:02d}:{minute:02d}:00] "GET / HTTP/1.1" 200 1'
    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log.1", [local(h, m) for h in (1, 2) for m in range(60)])
    write_log(logs / "access.log", [local(1, 58, "198.51.100.4"), *[local(2, m, "198.51.100.4") for m in range(60)],
                                    *[local(3, m, "198.51.100.4") for m in range(31)]])
    with Case() as case:
        case.ingest([tmp_path / "logs"], IngestOptions(log_format='%h %l %u [%{%d/%b/%Y:%H:%M:%S}t] "%r" %>s %b',
                                                       log_tz="Europe/Amsterdam"))
        assert case.sql("SELECT count(*) FROM requests WHERE ts_flag LIKE 'ambiguous local time%'").iat[0, 0] == 120
        assert _seams(case) == []
        assert [f.detail for f in case.findings() if f.kind == "time ran back"] == []


def test_a_burst_of_far_future_lines_sets_no_file_s_end(tmp_path: Path) -> None:
    """Review 2: three 2099 lines (lines 51-53) in an hourly file of 08:00-09:59 lines, later files at 10, 12 and
    14 h. Each 2099 line was the other's neighbour, so none was a day ahead of every line beside it, 2099 set the
    file's end and every later file began 'back in time' (3 false seams). A file's end is now the latest of its last
    21 lines within a day of their median: no seam; the step back inside access.log.3 after the burst is still said."""
    logs = tmp_path / "logs" / "web1"
    burst = write_log(logs / "access.log.3", [*_every_minute(8, 50), *[clf("198.51.100.1", f"01/Jan/2099:00:00:0{i} +0000",
                                                                        "/x") for i in range(3)],
                                              *_every_minute(8, 120)[53:]])
    for n, hour in ((2, 10), (1, 12), (0, 14)):
        write_log(logs / ("access.log" + (f".{n}" if n else "")), _every_minute(hour, 120))
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert _seams(case) == []
        assert [(f.path, f.lines) for f in case.findings() if f.kind == "time ran back"] == [(str(burst), 54)]


def test_a_fall_back_hour_later_in_the_new_file_hides_no_seam(tmp_path: Path) -> None:
    """Review 2: a fall-back hour's flag was read as `arg_min(flag, k)`, which passes over unflagged (NULL) lines: ONE
    flagged line anywhere in the new file, not its first line, refused its seam. access.log.1 holds 00:00-01:40 of
    25 October 2020 (Amsterdam, no offsets written, --log-tz); the clock is set back 70 minutes at the rotation and
    access.log begins at 00:30, reaching the fall-back hour 02:00-02:10 (flagged) only at its end: the seam is said,
    01:40 (UTC 23:40) to 00:30 (UTC 22:30)."""
    def local(hour: int, minute: int, ip: str) -> str:
        return f'{ip} - - [25/Oct/2020:{hour:02d}:{minute:02d}:00] "GET / HTTP/1.1" 200 1'
    logs = tmp_path / "logs" / "web1"
    older = write_log(logs / "access.log.1", [local(m // 60, m % 60, "198.51.100.3") for m in range(101)])
    newer = write_log(logs / "access.log", [local(m // 60, m % 60, "198.51.100.4") for m in range(30, 131)])
    with Case() as case:
        case.ingest([tmp_path / "logs"], IngestOptions(log_format='%h %l %u [%{%d/%b/%Y:%H:%M:%S}t] "%r" %>s %b',
                                                       log_tz="Europe/Amsterdam"))
        assert case.sql("SELECT count(*) FROM requests WHERE ts_flag LIKE 'ambiguous local time%'").iat[0, 0] == 11
        assert _seams(case) == [(str(older), 101, "23:40", str(newer), 1, "22:30", -70.0)]
