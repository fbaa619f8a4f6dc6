"""Review of red team 13: an unread rotation placed by its rotation's date (queries/findings.sql `placed`).

1. A dated rotation beside the live log only (`access.log` + an empty `access.log-20200611.gz`), or beside numbered
   ones (`access.log.2.gz`), had no rotation dated before or after it: placed "unknown", its window lost. The live
   log (a server's name with no rotation: evidence.name_time_kind `live`) is newer than every rotation, so it bounds
   the span; with neither a dated rotation nor a live log beside it the file is placed by its name's date among the
   stream's lines.
2. The span came out backwards ('may lack lines from 2020-06-09T23:30Z to 2020-06-01T00:30Z') where a file dated
   after it (an export named by the day it was made) held older lines: its end is now the first line after its start.
3. Under `--stream-from folder` an S3 key was placed as a rotation and its name time said to be a rotation's date:
   what a name's time is, is read from the name with it (evidence.name_time_kind), not from the stream's prefix.
4. An epoch-second rotation (`dateformat -%s`: `access.log-1789021500`) was read as the year 1789.
"""
from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from exposure import Case, IngestOptions
from exposure.findings import Finding
from exposure.streams import read_name
from tests.test_redteam7_unread_placed import _objects

COPIED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()  # when the delivery was copied


def _day(day: datetime) -> bytes:
    """Four lines of one day, 00:30 to 23:30."""
    return "".join(f'198.51.100.{h} - - [{(day + timedelta(hours=h, minutes=30)):%d/%b/%Y:%H:%M:%S} +0000] '
                   f'"GET /x HTTP/1.1" 200 5 "-" "x"\n' for h in (0, 8, 16, 23)).encode("ascii")


def _write(path: Path, *days: datetime, gz: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = b"".join(_day(d) for d in days)
    path.write_bytes((gzip.compress(text, mtime=0) if text else b"") if gz else text)
    os.utime(path, (COPIED, COPIED))


def _unread(folder: Path, options: IngestOptions | None = None) -> Finding:
    with Case(folder.parent / "case.duckdb") as case:
        case.ingest([folder], options)
        [finding] = [f for f in case.findings() if f.incomplete]
    return finding


def test_a_dated_rotation_beside_the_live_log_ends_at_its_first_line(tmp_path: Path) -> None:
    """logrotate dateext: access.log-20200610.gz holds 9 June, the empty -20200611 10 June, the live log 11 June."""
    web1 = tmp_path / "web1"
    _write(web1 / "access.log-20200610.gz", datetime(2020, 6, 9))
    _write(web1 / "access.log-20200611.gz")
    _write(web1 / "access.log", datetime(2020, 6, 11), gz=False)
    finding = _unread(web1)
    assert (finding.kind, finding.fact) == ("empty compressed", "name 2020-06-11T00:00:00Z")
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 9, 23, 30),
                                                                datetime(2020, 6, 11, 0, 30))


def test_a_lone_dated_rotation_beside_the_live_log_is_placed_before_it(tmp_path: Path) -> None:
    """The commonest layout: the live log and one rotation (empty), no other dated one: before, 'unknown'."""
    web1 = tmp_path / "web1"
    _write(web1 / "access.log-20200611.gz")
    _write(web1 / "access.log", datetime(2020, 6, 11), datetime(2020, 6, 12), gz=False)
    _write(web1 / "access.log.2.gz", datetime(2020, 6, 8), datetime(2020, 6, 9))  # numbered: its order unknown
    finding = _unread(web1)
    assert "the time it leaves uncovered" not in finding.line()
    assert (finding.uncovered_start, finding.uncovered_end) == (None, datetime(2020, 6, 11, 0, 30))
    assert "may lack lines from the start of the stream to 2020-06-11T00:30:00Z" in finding.line()


def test_a_dated_rotation_among_numbered_ones_only_is_placed_by_its_date(tmp_path: Path) -> None:
    """No dated rotation and no live log beside it: its name's date among the stream's lines."""
    web1 = tmp_path / "web1"
    _write(web1 / "access.log-20200611.gz")
    _write(web1 / "access.log.1.gz", datetime(2020, 6, 9), datetime(2020, 6, 11))
    finding = _unread(web1)
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 9, 23, 30),
                                                                datetime(2020, 6, 11, 0, 30))
    assert "may lack lines from 2020-06-09T23:30:00Z to 2020-06-11T00:30:00Z" in finding.line()


def test_a_placed_span_never_runs_backwards(tmp_path: Path) -> None:
    """An export named by the day it was made (access.log-20260102) holds lines older than the rotations."""
    web1 = tmp_path / "web1"
    _write(web1 / "access.log-20200610.gz", datetime(2020, 6, 9))
    _write(web1 / "access.log-20200611.gz")
    _write(web1 / "access.log-20200612.gz", datetime(2020, 6, 11))
    _write(web1 / "access.log-20260102", datetime(2020, 6, 1), datetime(2020, 6, 2), gz=False)
    finding = _unread(web1)
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 9, 23, 30),
                                                                datetime(2020, 6, 11, 0, 30))


def test_an_s3_key_stays_an_s3_key_under_stream_from_folder(tmp_path: Path) -> None:
    logs = _objects(tmp_path / "rt7-s3trap")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs], IngestOptions(stream_from="folder"))
        [finding] = [f for f in case.findings() if f.incomplete]
        [(kind, meaning)] = case.sql(
            "SELECT e.name_time_kind, name_time_meaning(e.name_time_kind, e.name_time_utc) FROM evidence e "
            "WHERE verdict = 'unreadable'").values.tolist()
    assert finding.stream == str(logs)  # the folder: no `s3:` prefix
    assert (kind, meaning) == ("s3", "read from the file's name: the time AWS delivered the file, after its lines "
                                     "(an S3 server access log key)")
    # an S3 key's time is its delivery: after the stream's previous delivery (03:10), not its previous line
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 8, 3, 10),
                                                                datetime(2020, 6, 8, 3, 15))


def test_an_epoch_second_rotation_is_read_as_one() -> None:
    epoch = read_name("web1/access.log-1789021500.gz", "/x/web1/access.log-1789021500.gz")
    assert (epoch.name_time, epoch.name_time_kind) == (datetime(2026, 9, 10, 6, 25), "rotation")
    hourly = read_name("web1/access.log-2020061105", "/x/web1/access.log-2020061105")
    assert hourly.name_time == datetime(2020, 6, 11, 5)  # a date where the digits make a plausible one
    assert read_name("web1/access.log-17890215", "/x/web1/access.log-17890215").name_time is None  # no year 1789
    assert read_name("web1/access.log", "/x/web1/access.log").name_time_kind == "live"
    assert read_name("web1/access.log.1", "/x/web1/access.log.1").name_time_kind is None
