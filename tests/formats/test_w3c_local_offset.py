"""IIS Advanced Logging writing both `date`/`time` (UTC) and `date-local`/`time-local`: the line's offset is their
difference, kept (UTC inside, the local time shown at it), where it is a whole number of quarter hours within
±14:00; before, no offset was kept and the local time was shown at +00:00. Truth: /tmp/w3cfix/c4_advlocal."""

from __future__ import annotations

from datetime import datetime

from exposure.formats.w3c import IIS

from .parse_lines import fast_request_rows, parse_lines

LINES = ["#Software: IIS Advanced Logging Module",
         "#Fields: date time date-local time-local c-ip cs-method cs-uri-stem sc-status sc-bytes",
         "2020-06-08 12:12:18 2020-06-08 14:12:18 198.51.100.7 GET /x.xlsx 200 18412",        # CEST
         "2020-06-08 22:30:00.250 2020-06-09 00:30:00.250 198.51.100.8 GET /x.xlsx 200 18412",  # past midnight
         "2020-12-08 12:12:18 2020-12-08 17:42:18 198.51.100.9 GET /x.xlsx 200 18412",        # +05:30
         "2020-12-08 12:12:18 2020-12-08 12:19:58 198.51.100.9 GET /x.xlsx 200 18412"]        # a clock apart


def test_the_offset_is_the_difference_of_local_and_utc_time() -> None:
    rows = parse_lines(IIS, LINES, {"fast_path": False})
    got = [(r["ts_utc"], r["utc_offset_min"]) for r in rows[2:]]
    assert got == [(datetime(2020, 6, 8, 12, 12, 18), 120), (datetime(2020, 6, 8, 22, 30, 0, 250000), 120),
                   (datetime(2020, 12, 8, 12, 12, 18), 330), (datetime(2020, 12, 8, 12, 12, 18), None)]
    fast = fast_request_rows(IIS, LINES)
    assert [(fast[n]["ts_utc"], fast[n]["utc_offset_min"]) for n in sorted(fast)] == got


def test_utc_alone_keeps_no_offset() -> None:
    rows = parse_lines(IIS, ["#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes",
                             "2020-06-08 12:12:18 198.51.100.7 GET /x.xlsx 200 18412"])
    assert (rows[1]["ts_utc"], rows[1]["utc_offset_min"]) == (datetime(2020, 6, 8, 12, 12, 18), None)
