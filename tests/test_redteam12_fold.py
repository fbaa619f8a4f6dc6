"""Red team 12: the fall-back hour of a log written in local time without an offset (--log-tz).

On 25 October 2020 Europe/Amsterdam writes 02:00-02:59 twice (first at +0200, then at +0100). Each line was read
alone as the earlier instant: the second pass's downloads lay an hour early (02:06 CET = 01:06Z shown as 00:06Z)
and the hour after the fold, fully logged, was a 62-minute `gap in window` (/tmp/redteam12/E). The file's line
order tells the passes apart (exposure/folds.py, queries/folds.sql)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from exposure import AnalysisOptions, Case
from exposure.ingest import IngestOptions
from tests.conftest import write_log

AMS = ZoneInfo("Europe/Amsterdam")
TARGET = "/nota.docx"
FORMAT = '%h %l %u %{%Y-%m-%d %H:%M:%S}t "%r" %>s %b'


def _line(ip: str, utc: datetime, path: str, nbytes: int) -> str:
    return f'{ip} - - {utc.astimezone(AMS):%Y-%m-%d %H:%M:%S} "GET {path} HTTP/1.1" 200 {nbytes}'


def _log(tmp_path: Path, late: list[tuple[int, datetime]] = ()) -> tuple[Path, list[datetime]]:
    """A line every 4 minutes from 23:00Z to 03:00Z (the fold is 00:00Z-02:00Z), a download of the target at
    each 20th minute; `late` puts a line written after line index i with an earlier time (a long download)."""
    start = datetime(2020, 10, 24, 23, 0, tzinfo=ZoneInfo("UTC"))
    lines, downloads = [], []
    for i in range(60):
        when = start + timedelta(minutes=4 * i, seconds=7)
        if i % 5 == 0:
            lines.append(_line("192.0.2.9", when, TARGET, 88000))
            downloads.append(when)
        else:
            lines.append(_line(f"198.51.100.{i + 1}", when, "/", 500))
        for after, when_late in late:
            if after == i:
                lines.append(_line("192.0.2.77", when_late, "/big.iso", 9000000))
    return write_log(tmp_path / "web1" / "access_log", lines), downloads


def _answer(log: Path) -> tuple[list[str], list[str]]:
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        times = [d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in
                 case.downloads(TARGET, AnalysisOptions())["time"].sort_values()]
        kinds = [f.kind for f in case.findings() if f.kind in ("gap", "time ran back", "stray time")]
    return times, kinds


def test_the_second_pass_of_the_fall_back_hour_is_its_later_instant(tmp_path: Path) -> None:
    log, downloads = _log(tmp_path)
    times, kinds = _answer(log)
    # each download at its own instant: 01:00:07Z and 01:20:07Z (written 02:00:07 and 02:20:07 a second time)
    # were 00:00:07Z and 00:20:07Z; no silence of the stream, no clock set back
    assert times == [d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in downloads]
    assert "2020-10-25T01:20:07Z" in times
    assert kinds == []


def test_one_long_download_logged_late_is_no_second_pass(tmp_path: Path) -> None:
    """Apache writes a request's start time when it ends: a line 40 minutes back in the first pass (written at
    02:50 +0200 with 02:10) is one late line, the lines after it are still the first pass."""
    first_pass_late = datetime(2020, 10, 25, 0, 10, 3, tzinfo=ZoneInfo("UTC"))
    log, downloads = _log(tmp_path, late=[(27, first_pass_late)])  # after 00:48:07Z
    times, _ = _answer(log)
    assert times == [d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in downloads]
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        late = case.sql("SELECT ts_utc, ts_flag FROM requests WHERE path = '/big.iso'")
    assert str(late.iat[0, 0]) == "2020-10-25 00:10:03+00:00"
    assert "the earlier instant taken" in late.iat[0, 1]


def test_the_hour_written_twice_is_said_per_file(tmp_path: Path) -> None:
    """Which instant a fold line was read as is an inference from line order: said as a stated finding (terminal,
    JSON, page 1), with how many lines were read as each. The log above: 02:00-02:59 +0200 (00:00-00:56Z) and
    02:00-02:59 +0100 (01:00-01:56Z), a line every 4 minutes: 15 lines each pass."""
    log, _ = _log(tmp_path)
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        said = [(f.severity, f.path, f.lines, f.fact, f.detail) for f in case.findings() if f.kind == "ambiguous time"]
    assert said == [("stated", str(log), 30, "later 15 of 30",
                     "30 of its 60 requests were logged in the hour the clocks go back (2020-10-25 02:00 "
                     "Europe/Amsterdam), a local time written twice: 15 read as the later instant (the file's time ran "
                     "back into that hour: its second pass), 15 as the earlier (where the file does not show which pass "
                     "a line is, the earlier is taken: such a time may be an hour early); an inference from the file's "
                     "line order (the first: line 16)")]


def test_a_log_read_without_the_fold_says_nothing_of_it(tmp_path: Path) -> None:
    log = write_log(tmp_path / "web1" / "access_log",
                    [_line("192.0.2.9", datetime(2020, 10, 20, 10, m, tzinfo=ZoneInfo("UTC")), TARGET, 88000)
                     for m in range(30)])
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        assert [f for f in case.findings() if f.kind == "ambiguous time"] == []


def test_times_that_never_existed_in_the_zone_given_are_said(tmp_path: Path) -> None:
    """A log written in UTC (or another zone) read with --log-tz Europe/Amsterdam holds 02:00-02:59 on 29 March 2020,
    an hour that never existed there: the zone given is contradicted by the evidence, every time of the file may be
    off. /tmp/redteam12/L: 24 such lines, exit 0, no word (each row's ts_flag only)."""
    start = datetime(2020, 3, 28, 20, 0)
    lines = [f'192.0.2.9 - - {start + timedelta(minutes=10 * i):%Y-%m-%d %H:%M:%S} "GET {TARGET} HTTP/1.1" 200 88000'
             for i in range(72)]   # 20:00 to 07:50 as written
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        said = [(f.lines, f.fact, f.detail) for f in case.findings() if f.kind == "nonexistent time"]
    assert said == [(6, "2020-03-29 02:00",
                     "6 of its 72 requests were logged at a local time that never existed in Europe/Amsterdam (the hour "
                     "the clocks go forward, 2020-03-29 02:00), read with the offset before the change: a server "
                     "keeping that zone never writes one, so its clock may not have kept Europe/Amsterdam and every "
                     "time of the file may be off by the difference (check --log-tz; the first: line 37)")]
