"""Small hand-made evidence trees for the end-to-end tests of streams, overlaps, citation and findings.

Two load-balanced servers, web1 and web2, log a published file /docs/leak.xlsx (50 000 bytes) from 10 to 14 June
2020 (one combined-format line every 10 minutes per server, day and night, plus the requests below). The file is
online from 11 June 09:00 to 13 June 10:00 UTC and answers 404 from 13 June 14:00.

    web1  11 Jun 09:00  84.29.143.61    complete        web2  12 Jun 08:00  188.166.103.46  complete
    web1  11 Jun 15:00  80.101.47.212   complete        web2  12 Jun 11:00  203.0.113.5     complete (staff)
    web1  11 Jun 16:00  77.163.88.140   partial         web2  12 Jun 20:00  84.29.143.61    complete
    web1  13 Jun 10:00  66.249.66.159   complete        web2  13 Jun 15:00  80.101.47.212   404
    web1  13 Jun 14:00  84.29.143.61    404

Answer (--internal 203.0.113.0/24): one window, 5 complete external downloads from 4 addresses, 1 staff download,
1 partial. With `hole=True` web1 logs nothing from 12 June 01:00 to 14:00 UTC (13 hours inside the window): its
last line before is 00:50, its first after 14:00.
"""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from pathlib import Path

from tests.conftest import write_log
from tests.logs import clf

TARGET = "/docs/leak.xlsx"
SIZE = 50_000
INTERNAL = "203.0.113.0/24"
DAYS = (10, 11, 12, 13, 14)
HOLE = (datetime(2020, 6, 12, 1, 0), datetime(2020, 6, 12, 14, 0))

EVENTS = {
    "web1": [(datetime(2020, 6, 11, 9, 0, 5), "84.29.143.61", 200, SIZE),
             (datetime(2020, 6, 11, 15, 0, 5), "80.101.47.212", 200, SIZE),
             (datetime(2020, 6, 11, 16, 0, 5), "77.163.88.140", 200, 1000),
             (datetime(2020, 6, 13, 10, 0, 5), "66.249.66.159", 200, SIZE),
             (datetime(2020, 6, 13, 14, 0, 5), "84.29.143.61", 404, 200)],
    "web2": [(datetime(2020, 6, 12, 8, 0, 5), "188.166.103.46", 200, SIZE),
             (datetime(2020, 6, 12, 11, 0, 5), "203.0.113.5", 200, SIZE),
             (datetime(2020, 6, 12, 20, 0, 5), "84.29.143.61", 200, SIZE),
             (datetime(2020, 6, 13, 15, 0, 5), "80.101.47.212", 404, 200)],
}
ANSWER = {"complete_downloads": 5, "distinct_ips": 4, "internal_complete_downloads": 1, "partial_downloads": 1}


def day_lines(server: str, day: int, hole: bool = False) -> list[str]:
    """One server's lines of one UTC day, in time order."""
    n = 1 if server == "web1" else 2
    rows: list[tuple[datetime, str]] = []
    start = datetime(2020, 6, day)
    for i in range(144):
        when = start + timedelta(minutes=10 * i, seconds=n)
        rows.append((when, clf(f"198.51.10{n}.{i % 250 + 1}", when, f"/page/{day}/{i}", size=2000 + i)))
    for when, ip, status, size in EVENTS[server]:
        if when.day == day:
            rows.append((when, clf(ip, when, TARGET, status=status, size=size)))
    if hole and server == "web1":
        rows = [r for r in rows if not HOLE[0] <= r[0] < HOLE[1]]
    return [line for _, line in sorted(rows)]


def rotated_name(server: str, day: int) -> str:
    """logrotate's dateext name of the file holding `day` (rotated the next morning), the newest one live."""
    return f"{server}-access.log" if day == DAYS[-1] else f"{server}-access.log-202006{day + 1:02d}.gz"


def flat_folder(root: Path, hole: bool = False) -> Path:
    """Both servers' rotated logs in one flat folder: web1-access.log-202006DD.gz, web2-..., and the live files."""
    for server in ("web1", "web2"):
        for day in DAYS:
            name = rotated_name(server, day)
            write_log(root / name, day_lines(server, day, hole), compress="gzip" if name.endswith(".gz") else None)
    return root


def server_folders(root: Path) -> Path:
    """Each server's rotated logs in a folder of its own: web1/web1-access.log-202006DD.gz, web2/..."""
    for server in ("web1", "web2"):
        for day in DAYS:
            name = rotated_name(server, day)
            write_log(root / server / name, day_lines(server, day), compress="gzip" if name.endswith(".gz") else None)
    return root


def truncate_gzip(path: Path, keep: float = 0.5) -> None:
    """Cut a .gz file short (a copy that stopped early): what decodes of it is a prefix of its lines."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def lines_readable(path: Path) -> int:
    """How many whole lines a truncated .gz still gives (what zcat recovers before the damage)."""
    import zlib

    return zlib.decompressobj(31).decompress(path.read_bytes()).count(b"\n")


def live_log_and_copy(root: Path, cut_at_line: int = 200) -> tuple[Path, Path]:
    """web1's log of 11 and 12 June as one live file logs/access.log, and an administrator's copy of it taken
    while it was written, handed over as handover/access.log.copy: its first `cut_at_line` lines and half of the
    next one (cut mid-line)."""
    lines = day_lines("web1", 11) + day_lines("web1", 12)
    original = write_log(root / "logs" / "access.log", lines)
    partial = "".join(line + "\n" for line in lines[:cut_at_line]) + lines[cut_at_line][:40]
    copy = root / "handover" / "access.log.copy"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(partial.encode())
    return original, copy


def gzip_lines(lines: list[str]) -> bytes:
    return gzip.compress("".join(line + "\n" for line in lines).encode(), mtime=0)
