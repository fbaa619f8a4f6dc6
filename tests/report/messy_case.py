"""A messy case for page 1 (tests/report/test_page_one_said.py; /tmp/firstpage/c): one published file reachable in
two windows, a silence inside window 1, an overlapping copy of a stretch of the log in an export folder, a damaged
rotated .gz, two verified crawlers, two downloads from the organisation's own addresses (203.0.113.0/24) and a
size in doubt (a 200 with a larger body count than the size taken). Its Dutch page 1 counted the size in doubt as
'nog 1 kanttekening: elke kanttekening in hoofdstuk 1', never saying what it was."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from pathlib import Path

from tests.logs import clf

TARGET = "/docs/signalen-lijst.xlsx"
SIZE = 60_000
INTERNAL = "203.0.113.0/24"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARCHIVE = "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)"


def _d(day: int, h: int, m: int = 0, s: int = 0) -> datetime:
    return datetime(2020, 6, day, h, m, s)


def _web(start: datetime, stop: datetime, silent: tuple = ()) -> list[tuple[datetime, str]]:
    rows, w = [], start
    while w < stop:
        if not any(a <= w < b for a, b in silent):
            rows.append((w, clf("198.51.100.1", w, "/index.html", size=800)))
        w += timedelta(minutes=10)
    return rows


def build(logs: Path) -> None:
    """Write the case's logs under `logs`."""
    ev: list[tuple[datetime, str]] = []

    def add(ip: str, when: datetime, status: int = 200, size: int = SIZE,
            ua: str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0") -> None:
        ev.append((when, clf(ip, when, TARGET, status=status, size=size, ua=ua)))

    # window 1: 10 June 10:05 .. 12 June 12:00 (404 at 12:30); two addresses broke off at 32,768 bytes, one 200
    # logged more than the size taken (the size in doubt)
    add("84.29.1.1", _d(10, 10, 5, 7))
    add("84.29.1.2", _d(10, 11, 5, 7))
    add("84.29.1.3", _d(10, 12, 5, 7), size=32768)
    add("84.29.1.4", _d(10, 13, 5, 7), size=32768)
    add("66.249.66.1", _d(10, 15, 0, 1), ua=GOOGLEBOT)
    add("207.241.229.50", _d(11, 1, 0, 1), ua=ARCHIVE)
    add("203.0.113.24", _d(10, 16, 0, 3))
    add("203.0.113.57", _d(11, 10, 0, 3))
    add("84.29.1.7", _d(11, 14, 0, 0), size=75000)
    add("84.29.1.5", _d(12, 12, 0, 0))
    add("84.29.1.6", _d(12, 12, 30, 0), status=404, size=153)
    add("85.30.2.4", _d(13, 9, 0, 0), status=404, size=153)
    # window 2: 15 June 08:00 .. 16 June 11:00 (404 at 12:40)
    add("84.29.2.1", _d(15, 8, 0, 9))
    add("66.249.66.1", _d(15, 9, 0, 1), ua=GOOGLEBOT)
    add("85.30.2.2", _d(16, 11, 0, 0))
    add("85.30.2.3", _d(16, 12, 40, 0), status=404, size=153)
    lines = [line for _, line in sorted(_web(_d(10, 0), _d(18, 0), silent=((_d(11, 2), _d(11, 9)),)) + ev)]
    (logs / "web1").mkdir(parents=True)
    (logs / "web1" / "access.log").write_text("\n".join(lines) + "\n")
    (logs / "export").mkdir()
    (logs / "export" / "web1-copy.log").write_text("\n".join(lines[300:420]) + "\n")
    old = [line for _, line in _web(_d(7, 0), _d(10, 0))]
    packed = bytearray(gzip.compress(("\n".join(old) + "\n").encode(), mtime=0))
    packed[len(packed) // 2:len(packed) // 2 + 40] = b"\xff" * 40
    (logs / "web1" / "access.log.1.gz").write_bytes(bytes(packed))
