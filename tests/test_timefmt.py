"""The one display rule for times (exposure/timefmt.py): UTC to the second with `Z`, and the same instant in the
display zone with its offset. A fixed zone is written without astimezone (an answer formats every download's
time): each text is the one astimezone and isoformat give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from exposure.timefmt import DisplayZone, display_zone, iso_utc

ZONES = [UTC, timezone(timedelta(minutes=120)), timezone(timedelta(minutes=-570)), timezone(timedelta(hours=14)),
         timezone(timedelta(seconds=3723)), ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/St_Johns")]
TIMES = [datetime(2020, 6, 8, 12, 12, 18), datetime(2024, 3, 4, 0, 15, 37, 999999),
         datetime(2020, 10, 25, 0, 59, 59, 500000), datetime(2020, 10, 25, 1, 30),  # Amsterdam's clocks go back
         datetime(2020, 12, 31, 23, 30), datetime(2021, 1, 1, 0, 0, 0, 1),
         datetime(2020, 6, 8, 12, 12, 18, 250000, tzinfo=timezone(timedelta(hours=-7))),
         datetime(2020, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))]


def _reference(zone: timezone | ZoneInfo, ts: datetime) -> str:
    aware = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
    return aware.astimezone(zone).replace(microsecond=0).isoformat()


@pytest.mark.parametrize("zone", ZONES, ids=str)
def test_local_times_are_astimezones(zone: timezone | ZoneInfo) -> None:
    shown = DisplayZone("shown", zone)
    assert [shown.local(ts) for ts in TIMES] == [_reference(zone, ts) for ts in TIMES]
    assert shown.local(None) is None


def test_a_fixed_offset_is_written_as_the_logs_wrote_it() -> None:
    zone = display_zone(None, [120, 0])
    assert zone.name == "UTC+02:00"
    assert zone.local(datetime(2020, 6, 8, 23, 12, 18, 900000)) == "2020-06-09T01:12:18+02:00"
    assert display_zone("UTC", [120]).local(datetime(2020, 6, 8, 23, 12, 18)) == "2020-06-08T23:12:18+00:00"
    assert display_zone(None, [-90]).local(datetime(2020, 1, 1, 0, 30)) == "2019-12-31T23:00:00-01:30"


def test_utc_times_are_to_the_second() -> None:
    assert [iso_utc(ts) for ts in TIMES] == [
        "2020-06-08T12:12:18Z", "2024-03-04T00:15:37Z", "2020-10-25T00:59:59Z", "2020-10-25T01:30:00Z",
        "2020-12-31T23:30:00Z", "2021-01-01T00:00:00Z", "2020-06-08T19:12:18Z", "2020-03-29T01:30:00Z"]
    assert iso_utc(None) is None
