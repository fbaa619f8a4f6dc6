"""Red team 13: a year of daily rotations (`access.log-YYYYMMDD.gz`, logrotate's `dateext`), one of them an empty
`.gz` (a copy cut to nothing). Its name says where it stands among the stream's rotations, yet it was placed by its
modification time (the day the delivery was copied, long after the logs): "stream web1/access.log has no line from
2020-06-12T23:30:00Z to the end of the stream", a span after the last line that holds nothing, while the day it
held (its lines lie after those of the rotation dated before it and before those of the one dated after it) went
unnamed. A rotation's date (`-YYYYMMDD`, `-YYYYMMDDHH`) is now the file's name time, and such a file is placed
among the stream's rotations: from the last line of those dated before it to the first line of those dated after
it (queries/findings.sql, exposure/streams.py)."""
from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from exposure import Case
from exposure.streams import read_name

COPIED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()  # when the delivery was copied


def _day(day: datetime) -> bytes:
    """Four lines of one day, 00:30 to 23:30."""
    return "".join(f'198.51.100.{h} - - [{(day + timedelta(hours=h, minutes=30)):%d/%b/%Y:%H:%M:%S} +0000] '
                   f'"GET /x HTTP/1.1" 200 5 "-" "x"\n' for h in (0, 8, 16, 23)).encode("ascii")


def _rotations(folder: Path) -> Path:
    """Days 8-12 June 2020, each in the file rotated the next morning (`access.log-20200609.gz` holds 8 June); the
    rotation of 11 June (`access.log-20200611.gz`, holding 10 June) is an empty file."""
    folder.mkdir(parents=True)
    for n in range(5):
        day = datetime(2020, 6, 8) + timedelta(days=n)
        path = folder / f"access.log-{(day + timedelta(days=1)):%Y%m%d}.gz"
        path.write_bytes(b"" if n == 2 else gzip.compress(_day(day), mtime=0))
        os.utime(path, (COPIED, COPIED))
    return folder


def test_a_rotations_date_is_its_name_time() -> None:
    assert read_name("web1/access.log-20200611.gz", "/x/web1/access.log-20200611.gz").name_time == datetime(2020, 6, 11)
    assert read_name("web1/access.log-2020061105", "/x/web1/access.log-2020061105").name_time == datetime(2020, 6, 11, 5)
    assert read_name("web1/access.log.1", "/x/web1/access.log.1").name_time is None
    assert read_name("web1/access.log-20201345.gz", "/x/web1/access.log-20201345.gz").name_time is None  # no date


def test_an_empty_rotation_is_placed_among_the_streams_rotations(tmp_path: Path) -> None:
    logs = _rotations(tmp_path / "web1")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        [finding] = [f for f in case.findings() if f.incomplete]
    assert (finding.kind, finding.stream, finding.fact) == ("empty compressed", "web1/access.log",
                                                            "name 2020-06-11T00:00:00Z")
    # after the last line of the rotation dated 10 June (9 June 23:30), before the first of the one dated 12 June
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 9, 23, 30),
                                                                datetime(2020, 6, 11, 0, 30))
    assert finding.line().endswith(
        "stream web1/access.log may lack lines from 2020-06-09T23:30:00Z to 2020-06-11T00:30:00Z (no request line of "
        "it was read: placed by the time its name gives, 2020-06-11T00:00:00Z, an inference from the name (the time "
        "of an S3 key is when its lines were delivered, after them and after the previous delivery of the stream; "
        "that of a CloudFront name the hour they lie in; a rotation's date places it among the stream's rotations, "
        "after the lines of those dated before it and before the lines of those dated after it and of the live log))")
