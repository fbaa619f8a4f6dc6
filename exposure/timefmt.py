"""Times for people: ISO 8601 UTC to the second, and the same instant in a display zone beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InputError
from .plural import plural


def iso_utc(ts: datetime | None) -> str | None:
    """`2020-06-08T12:12:18Z` for a naive-UTC or aware datetime; None stays None."""
    if ts is None:
        return None
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts.isoformat(timespec="seconds") + "Z"


def fixed_zone(offset_min: int) -> timezone:
    return timezone(timedelta(minutes=offset_min))


def offset_label(offset_min: int) -> str:
    sign = "+" if offset_min >= 0 else "-"
    return f"UTC{sign}{abs(offset_min) // 60:02d}:{abs(offset_min) % 60:02d}"


@dataclass(frozen=True)
class DisplayZone:
    """The zone times are shown in beside UTC: an IANA zone, or the fixed offset the logs carry."""

    name: str
    zone: tzinfo

    def local(self, ts: datetime | None) -> str | None:
        """ISO 8601 with the zone's offset, e.g. `2020-06-08T14:12:18+02:00`. A fixed offset (UTC, or the offset
        the logs write) is added and its text appended, a third of the time of astimezone: an answer formats each
        download's time (6,000 of them on 2 M lines)."""
        if ts is None:
            return None
        if self._fixed is not None:
            offset, written = self._fixed
            naive = ts if ts.tzinfo is None else ts.astimezone(UTC).replace(tzinfo=None)
            return (naive + offset).isoformat(timespec="seconds") + written
        aware = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
        return aware.astimezone(self.zone).isoformat(timespec="seconds")

    @cached_property
    def _fixed(self) -> tuple[timedelta, str] | None:
        """A fixed zone's offset and its text as isoformat writes it (`+02:00`); None for a zone with rules."""
        if not isinstance(self.zone, timezone):
            return None
        offset = self.zone.utcoffset(None)
        return offset, datetime(2000, 1, 1, tzinfo=self.zone).isoformat(timespec="seconds")[19:]


def display_zone(name: str | None, log_offsets: list[int]) -> DisplayZone:
    """`--display-tz` when given (validated), else the most common offset written in the logs, else UTC."""
    if name:
        if name.upper() == "UTC":
            return DisplayZone("UTC", UTC)
        try:
            return DisplayZone(name, ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone: '{name}' (use an IANA name such as Europe/Amsterdam)") from None
    if log_offsets:
        offset = log_offsets[0]
        return DisplayZone(offset_label(offset), fixed_zone(offset))
    return DisplayZone("UTC", UTC)


def log_zone(name: str | None, offsets: list[tuple[int, int]], zones: Sequence[str] = (),
             off_zone: int | None = None) -> tuple[DisplayZone, list[str]]:
    """The zone local times are shown in, and what must be said of it (none, one or two notes): the one place it is
    chosen. `--display-tz` (`name`) where given; else the zone given with --log-tz where it read lines (`zones`:
    CaseFile.log_zones; exactly one: the zone the user said the logs' clocks keep, each time at its wall-clock time
    there, log_tz_note); else the offset the logs write most (`offsets`: (offset in minutes, request lines), most
    common first, a tie the lower offset: CaseFile.log_offset_counts; offsets_note). Files read in two or more
    --log-tz zones leave the offset rule in place: both are said, the zones and the offsets. `off_zone`: with one
    --log-tz zone, the request lines whose written offset differs from its own at their time
    (CaseFile.log_offsets_off_zone, off_log_zone; None: not counted, said where offsets are written)."""
    if not name and len(zones) == 1:
        zone = display_zone(zones[0], [])
        return zone, _said(log_tz_note(offsets, zone) if off_zone is None or off_zone > 0 else None)
    zone = display_zone(name, [offset for offset, _lines in offsets])
    offsets_said = offsets_note(offsets, zone, name)
    if not name and len(zones) > 1:  # which of them the user meant for display: not ours to choose
        return zone, [f"{LOG_TZ_ZONES} {len(zones)} zones ({', '.join(zones)}): every local time "
                      f"is shown at {zone.name}, not in those zones; the UTC times are exact; give --display-tz with "
                      "the zone's name for each time's wall-clock time there", *_said(offsets_said)]
    return zone, _said(offsets_said)


def _said(note: str | None) -> list[str]:
    return [note] if note else []


def _offsets_written(offsets: list[tuple[int, int]]) -> str:
    (top, n), rest = offsets[0], offsets[1:]
    return ", ".join([f"{offset_label(top)} on {plural(n, '# request line', '# request lines')}",
                      *(f"{offset_label(o)} on {k}" for o, k in rest)])


def log_tz_note(offsets: list[tuple[int, int]], zone: DisplayZone) -> str | None:
    """Said where local times are shown in the --log-tz zone and the logs also write UTC offsets some line of which
    is not the zone's own at its time (log_zone: off_zone): such a line is shown in that zone, not at the offset it
    wrote."""
    if not offsets:
        return None
    return (f"every local time is shown in {zone.name}, {LOG_TZ_SHOWN}, beside the UTC offsets the "
            f"logs write ({_offsets_written(offsets)}): a line from a server in another zone shows its time in "
            f"{zone.name}, not at the offset it wrote; the UTC times are exact; give --display-tz to show another zone")


# the first words of offsets_note, and words of log_tz_note (caveats page 1 must carry: answer.must_carry)
OFFSETS_WRITTEN = "the logs write"
LOG_TZ_SHOWN = "the zone given with --log-tz"
LOG_TZ_ZONES = "files were read with --log-tz in"


def offsets_note(offsets: list[tuple[int, int]], zone: DisplayZone, given: str | None) -> str | None:
    """Said where the logs write more than one UTC offset (a daylight-saving change inside them, servers in other
    zones) and no --display-tz was given: local times are shown at one fixed offset, not each line's own.
    `offsets`: (offset in minutes, request lines), most common first."""
    if given or len(offsets) < 2:
        return None
    # a tie: as many lines at another offset (log_offsets orders them by their number, then the offset)
    chosen = ("the lower of the offsets written on as many request lines (a tie)" if offsets[0][1] == offsets[1][1]
              else "the most common")
    return (f"{OFFSETS_WRITTEN} {len(offsets)} UTC offsets ({_offsets_written(offsets)}: a change of daylight saving "
            f"time, or servers in other zones): every local time is shown at {zone.name}, {chosen}, not at the offset "
            "its own line wrote; the UTC times are exact; give --display-tz with the zone's name (e.g. "
            "Europe/Amsterdam) for each time's wall-clock time")


def validate_zone(name: str | None) -> str | None:
    if name is None:
        return None
    if not name.strip():
        raise InputError("empty time zone name (use an IANA name such as Europe/Amsterdam)")
    display_zone(name, [])
    return name


def whole(value: float) -> int:
    """`value` rounded to a whole number, half away from zero as DuckDB's round() does (queries/findings.sql says
    the same gap in the terminal and JSON: 60 min 30 s is 61 minutes in every door, never 60 in one)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def human_minutes(minutes: float) -> str:
    """A length of time for people: `2h 14m`, `1d 3h 05m`, `45m` (minutes rounded half away from zero)."""
    total = whole(minutes)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days}d"] if days else []) + ([f"{hours}h"] if hours else [])
    return " ".join([*parts, f"{mins:02d}m" if parts else f"{mins}m"])


def _human_seconds(seconds: int) -> str:
    """`1h 00m 18s`, `45m 03s`; whole minutes as human_minutes says them."""
    mins, secs = divmod(seconds, 60)
    return human_minutes(mins) + (f" {secs:02d}s" if secs else "")


def gap_lengths(minutes: float, threshold: float) -> tuple[str, str]:
    """A gap's length and the threshold it exceeds, for people, so that the length said is never at or below the
    threshold said: in whole minutes (`1h 14m`, `1h 00m`), or, where whole minutes would round the length down to
    the threshold (a silence of 60 min 18 s against 60 minutes), both to the second, the threshold rounded down
    (`1h 00m 18s`, `1h 00m`). The same rule words the finding's own text (queries/findings.sql, the gap)."""
    if whole(minutes) > whole(threshold):
        return human_minutes(minutes), human_minutes(threshold)
    return _human_seconds(whole(minutes * 60)), _human_seconds(math.floor(threshold * 60))


def utc_aware(frame: Any) -> Any:
    """A pandas DataFrame or pyarrow Table with every naive timestamp column marked UTC (what they hold: the case
    stores UTC), so a frame says its zone. Aware columns and other types are left as they are."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - a dependency
        pa = None
    if pa is not None and isinstance(frame, pa.Table):
        fields = [f.with_type(pa.timestamp(f.type.unit, tz="UTC"))
                  if pa.types.is_timestamp(f.type) and f.type.tz is None else f for f in frame.schema]
        return frame.cast(pa.schema(fields, metadata=frame.schema.metadata))
    for col in frame.columns:
        dtype = frame[col].dtype
        if getattr(dtype, "kind", None) == "M" and getattr(dtype, "tz", None) is None:
            frame[col] = frame[col].dt.tz_localize("UTC")
    return frame
