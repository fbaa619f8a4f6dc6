"""Apache %t as peers read it: a `+hhmm` offset has hours 00-23 and minutes 00-59. jwodder/apachelogs and
waveform80/lars parse %t with Python's %z, which refuses `+9999` (99 hours) and `+0160` (sixty minutes);
logstash-patterns-core's HTTPDATE (spec/patterns/core_spec.rb) refuses a month that is no month (`Map`). We reject
such a time with its reason, never read `+0160` as `+0200` or `+9999` as 100 hours east."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.clf import COMBINED
from exposure.formats.custom import custom_format
from exposure.formats.jsonl import JSON_LINES
from exposure.formats.s3 import S3

from .parse_lines import fast_request_rows, parse_lines


def _line(t: str) -> str:
    return f'192.0.2.7 - - [{t}] "GET /x.xlsx HTTP/1.1" 200 1 "-" "UA"'


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("t", ["04/Mar/2015:13:17:15 +9999", "04/Mar/2015:13:17:15 +0160",
                               "04/Mar/2015:13:17:15 -2400", "04/Map/2015:13:17:15 +0200"])
def test_clf_offset_out_of_range_is_rejected(t: str, fast_path: bool) -> None:
    row = parse_lines(COMBINED, [_line(t)], {"fast_path": fast_path})[0]
    assert (row["verdict"], row["reason"], row["ts_utc"]) == ("rejected", f"invalid timestamp: {t}", None)


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize(("t", "utc", "offset"), [
    ("04/Mar/2015:13:17:15 +2359", datetime(2015, 3, 3, 13, 18, 15), 1439),
    ("04/Mar/2015:13:17:15 -2359", datetime(2015, 3, 5, 13, 16, 15), -1439),
    ("04/Mar/2015:13:17:15 +1400", datetime(2015, 3, 3, 23, 17, 15), 840),
    ("04/Mar/2015:13:17:15 -0000", datetime(2015, 3, 4, 13, 17, 15), 0),
])
def test_clf_offset_limits_are_read(t: str, utc: datetime, offset: int, fast_path: bool) -> None:
    row = parse_lines(COMBINED, [_line(t)], {"fast_path": fast_path})[0]
    assert (row["verdict"], row["ts_utc"], row["utc_offset_min"]) == ("request", utc, offset)


def test_directive_offset_out_of_range_is_rejected() -> None:
    fmt = custom_format({"log_format": '%h %l %u %t "%r" %>s %b'})
    rows = parse_lines(fmt, ['192.0.2.7 - - [04/Mar/2015:13:17:15 +0160] "GET / HTTP/1.1" 200 1',
                             '192.0.2.7 - - [04/Mar/2015:13:17:15 +0130] "GET / HTTP/1.1" 200 1'])
    assert [(r["verdict"], r["utc_offset_min"]) for r in rows] == [("rejected", None), ("request", 90)]


def test_s3_offset_out_of_range_is_rejected() -> None:
    line = ('79a5 bucket [06/Feb/2019:00:00:38 +0160] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT x.xlsx '
            '"GET /x.xlsx HTTP/1.1" 200 - 10 10 5 4 "-" "UA" -')
    row = parse_lines(S3, [line])[0]
    assert (row["verdict"], row["reason"]) == ("rejected", "invalid timestamp: 06/Feb/2019:00:00:38 +0160")


def test_cheap_path_leaves_an_invalid_offset_to_the_full_parse() -> None:
    taken = fast_request_rows(COMBINED, [_line("04/Mar/2015:13:17:15 +0160"), _line("04/Mar/2015:13:17:15 +0130")])
    assert sorted(taken) == [2] and taken[2]["utc_offset_min"] == 90


@pytest.mark.parametrize(("t", "offset"), [("04/Mar/2015:13:17:15 +0160", None), ("2015-03-04T13:17:15+01:60", None),
                                           ("2015-03-04T13:17:15+25:00", None), ("2015-03-04T13:17:15+01:30", 90),
                                           ("04/Mar/2015:13:17:15 -0130", -90)])
def test_json_time_offsets(t: str, offset: int | None) -> None:
    key = "time_iso8601" if "T" in t else "time_local"
    line = f'{{"{key}":"{t}","remote_addr":"192.0.2.7","request":"GET /a HTTP/1.1","status":200}}'
    row = parse_lines(JSON_LINES, [line])[0]
    if offset is None:
        assert (row["verdict"], row["reason"]) == ("rejected", f"invalid timestamp: {t}")
    else:
        assert (row["verdict"], row["utc_offset_min"]) == ("request", offset)


@pytest.mark.parametrize("log_format", ['%h %l %u [%{%d/%b/%Y:%H:%M:%S %z}t] "%r" %>s %b',
                                        '%h %l %u [%{%Y-%m-%dT%H:%M:%S%z}t] "%r" %>s %b'])
def test_strftime_offset_out_of_range_is_rejected(log_format: str) -> None:
    """A strftime %z that is no offset was read as if none were written: UTC with a 'no offset' flag, or the
    --log-tz zone the line contradicts (review). Now rejected as every other door rejects it."""
    fmt = custom_format({"log_format": log_format})
    stamp = "08/Jun/2020:14:12:18 {}" if "%d/%b" in log_format else "2020-06-08T14:12:18{}"
    rows = parse_lines(fmt, [f'1.2.3.4 - - [{stamp.format(off)}] "GET / HTTP/1.1" 200 1'
                             for off in ("+0160", "+9999", "-0330")])
    assert [r["verdict"] for r in rows] == ["rejected", "rejected", "request"]
    assert rows[0]["reason"].startswith("invalid timestamp") and rows[2]["ts_utc"] == datetime(2020, 6, 8, 17, 42, 18)
