"""A messy case for comparing the doors (tests/test_doors_messy.py): every kind of trouble evidence has, in a few
lines. A combined log (+0200) with a complete, a partial, a range sum, a 304-only address, an internal download, a
three-hour silence and a last line cut off in its byte count; a copy of it in another folder; a file mostly of
lines that are not the format; a .gz that cannot be read; an IIS W3C log (a second format) with one download."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.logs import clf, t

TARGET = "/doc/leak.xlsx"
SIZE = 5000
INTERNAL = "203.0.113.0/24"


def build(folder: Path) -> Path:
    """Write the case's logs under `folder`/logs and return that folder."""
    logs = folder / "logs"
    (logs / "web1").mkdir(parents=True)
    (logs / "copy").mkdir()
    (logs / "iis").mkdir()
    lines = [clf("198.51.100.9", t(8, 9, 0), "/index.html", size=800),
             clf("198.51.100.1", t(8, 9, 5), TARGET, size=SIZE),                 # complete
             clf("198.51.100.2", t(8, 9, 10), TARGET, size=2000),                # partial
             clf("198.51.100.3", t(8, 9, 20), TARGET, status=206, size=2500),    # a range sum: 2500 + 2500
             clf("198.51.100.3", t(8, 9, 20, 10), TARGET, status=206, size=2500),
             clf("198.51.100.4", t(8, 9, 30), TARGET, status=304, size=0),       # 304 only
             clf("203.0.113.5", t(8, 9, 40), TARGET, size=SIZE),                 # internal
             clf("198.51.100.9", t(8, 10, 0), "/index.html", size=800)]
    lines += [clf("198.51.100.9", t(8, 10, m), "/index.html", size=800) for m in range(5, 60, 5)]
    # silent from 11:00 to 14:00 while the file was available
    lines += [clf("198.51.100.9", t(8, 14, m), "/index.html", size=800) for m in range(0, 60, 5)]
    lines += [clf("198.51.100.6", t(8, 14, 30), TARGET, size=SIZE),              # complete
              clf("198.51.100.9", t(8, 15, 0), "/index.html", size=800)]
    cut = clf("198.51.100.7", t(8, 15, 5), TARGET, size=SIZE)
    cut = cut[:cut.index(f" {SIZE} ") + 3]                                       # "... 200 50": cut in its bytes
    text = "\n".join(lines) + "\n" + cut
    (logs / "web1" / "access.log").write_text(text)
    day7 = "\n".join(clf("198.51.100.9", t(7, 12, m), "/index.html", size=800) for m in range(0, 30, 5)) + "\n"
    (logs / "web1" / "access.log-20200607").write_text(day7)
    (logs / "copy" / "access.log-20200607").write_text(day7)                   # a duplicate copy
    junk = ([clf("198.51.100.9", t(8, 9, 1 + i), "/a", size=1) for i in range(4)]
            + [f"this is not a log line {i}" for i in range(6)])
    (logs / "web1" / "notes.log").write_text("\n".join(junk) + "\n")             # mostly rejected
    whole = gzip.compress(day7.encode() * 50)
    (logs / "web1" / "access.log-20200606.gz").write_bytes(whole[: len(whole) // 2])  # an unread .gz
    (logs / "web1" / "access.log-20200605.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(7, 200)))  # unread
    iis = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0", "#Date: 2020-06-08 09:00:00",
           "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
           "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken",
           f"2020-06-08 09:50:00 192.0.2.10 GET {TARGET} - 443 - 198.51.100.8 Mozilla/5.0 - 200 0 0 {SIZE + 300} 15",
           "2020-06-08 09:55:00 192.0.2.10 GET /index.html - 443 - 198.51.100.9 Mozilla/5.0 - 200 0 0 900 15"]
    (logs / "iis" / "u_ex200608.log").write_text("\n".join(iis) + "\n")
    return logs
