"""--log-tz: wall-clock times without an offset converted DST-correctly, folds and gaps flagged."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.base import FOLD_FLAG, GAP_FLAG, NO_ZONE_FLAG, ZONE_READ_FLAG
from exposure.formats.custom import custom_format

from .parse_lines import parse_lines

FMT = custom_format({"log_format": "%h %{%Y-%m-%d %H:%M:%S}t %>s %b"})


def at(local: str, zone: str | None) -> dict[str, object]:
    return parse_lines(FMT, [f"192.0.2.7 {local} 200 1"], {"log_tz": zone} if zone else None)[0]


@pytest.mark.parametrize(("local", "zone", "utc", "flag"), [
    pytest.param("2020-06-08 14:12:18", "Europe/Amsterdam", datetime(2020, 6, 8, 12, 12, 18), None, id="summer"),
    pytest.param("2020-01-08 14:12:18", "Europe/Amsterdam", datetime(2020, 1, 8, 13, 12, 18), None, id="winter"),
    pytest.param("2020-10-25 02:30:00", "Europe/Amsterdam", datetime(2020, 10, 25, 0, 30), FOLD_FLAG, id="fold"),
    pytest.param("2020-10-25 03:30:00", "Europe/Amsterdam", datetime(2020, 10, 25, 2, 30), None, id="after-fold"),
    pytest.param("2020-03-29 02:30:00", "Europe/Amsterdam", datetime(2020, 3, 29, 1, 30), GAP_FLAG, id="gap"),
    pytest.param("2020-03-08 02:30:00", "America/New_York", datetime(2020, 3, 8, 7, 30), GAP_FLAG, id="gap-us"),
    pytest.param("2020-11-01 01:30:00", "America/New_York", datetime(2020, 11, 1, 5, 30), FOLD_FLAG, id="fold-us"),
    pytest.param("2020-06-08 14:12:18", None, datetime(2020, 6, 8, 14, 12, 18), NO_ZONE_FLAG, id="no-zone-as-utc"),
])
def test_local_times(local: str, zone: str | None, utc: datetime, flag: str | None) -> None:
    row = at(local, zone)
    assert row["verdict"] == "request"
    # every time read in the zone says so on its row, after a fold or gap flag (the record that it was applied)
    said = "; ".join(f for f in (flag, ZONE_READ_FLAG + zone if zone else None) if f)
    assert (row["ts_utc"], row["ts_flag"], row["utc_offset_min"]) == (utc, said, None)


def test_zone_does_not_touch_times_with_an_offset() -> None:
    fmt = custom_format({"log_format": "%h %t %>s %b"})
    row = parse_lines(fmt, ["192.0.2.7 [25/Oct/2020:02:30:00 +0100] 200 1"], {"log_tz": "America/New_York"})[0]
    assert (row["ts_utc"], row["ts_flag"], row["utc_offset_min"]) == (datetime(2020, 10, 25, 1, 30), None, 60)
