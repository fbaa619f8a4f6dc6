"""Every end-to-end leak fixture in one place, for the download-rule parity tests (tests/test_rule_parity.py on
DuckDB, tests/spark/test_spark_parity.py on Spark) and the byte-meaning acceptance tests.

The IIS, S3 and CloudFront leak (tests/formats/test_format_leaks.py), the JSON lines and proxy leak
(tests/formats/test_format_leaks_more.py), and three written here:

- **Debian's Apache defaults** (`debian_apache`): Debian and Ubuntu log `combined` and `vhost_combined` with
  `%O` (bytes sent, headers included). Every response's header bytes are computed from the headers Apache
  2.4 sends for a static file (status line, Date, Server, Last-Modified, ETag, Accept-Ranges, Content-Length,
  Content-Range on a 206, Keep-Alive `max=N` or `Connection: close`, Content-Type), so complete copies of one
  file differ by a few bytes. Several files, aborted transfers, a HEAD, 304 revalidations, range requests
  (one group covering the file, one not). The `%b` twin logs the same responses' body bytes ('-' for none).
- **CloudFront ranges** (`cloudfront_ranges`): the IIS/S3/CloudFront leak's CloudFront log plus a client that
  fetches the file in three 206 parts covering every byte (sc-range-start/end; sc-content-len is each part's
  length, sc-bytes adds headers) and one that fetches only the first part.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from exposure import AnalysisOptions
from exposure.formats.cloudfront import STANDARD_FIELDS
from exposure.ingest import IngestOptions

from .formats import test_format_leaks as leaks
from .formats import test_format_leaks_more as leaks_more

TARGET = "/docs/leak.xlsx"
SIZE = 18412
INTERNAL = ("203.0.113.0/24",)


@dataclass(frozen=True)
class LeakCase:
    """One fixture: a log file's name and text, how it is read, and the answer it must give for TARGET."""

    file_name: str
    text: Callable[[], str]
    ingest: IngestOptions = field(default_factory=IngestOptions)
    # complete (external), distinct_ips, partial (external), internal complete: None = not pinned here
    expected: tuple[int, int, int, int] | None = None

    def write(self, folder: Path) -> Path:
        path = folder / self.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text(), encoding="utf-8")
        return path


OPTIONS = AnalysisOptions(internal=INTERNAL)


# -- Debian's default Apache: combined / vhost_combined with %O --------------------------------------------
CEST = timezone(timedelta(hours=2))
T0 = datetime(2020, 6, 8, 9, 0, 0, tzinfo=UTC)
REASON = {200: "OK", 206: "Partial Content", 304: "Not Modified", 404: "Not Found"}
FILES = {  # path: (body bytes, Content-Type)
    TARGET: (SIZE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "/index.html": (5120, "text/html"),
    "/css/site.css": (2310, "text/css"),
    "/docs/besluit.pdf": (91234, "application/pdf"),
    "/img/logo.png": (4096, "image/png"),
}
UA = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:77.0) Gecko/20100101 Firefox/77.0"


def apache_headers(status: int, path: str, keep_alive: int | None, length: int,
                   content_range: tuple[int, int] | None = None) -> int:
    """The bytes of the headers Apache 2.4 on Ubuntu sends for a static file (what %O adds to the body)."""
    size, ctype = FILES[path]
    lines = [f"HTTP/1.1 {status} {REASON[status]}", "Date: Mon, 08 Jun 2020 07:12:18 GMT",
             "Server: Apache/2.4.41 (Ubuntu)"]
    if status != 404:
        lines += ["Last-Modified: Fri, 05 Jun 2020 14:02:11 GMT", f'ETag: "{size:x}-5a75a1c2e6f80"']
    if status in (200, 206):
        lines += ["Accept-Ranges: bytes", f"Content-Length: {length}"]
    if content_range:
        lines.append(f"Content-Range: bytes {content_range[0]}-{content_range[1]}/{size}")
    if keep_alive is None:
        lines.append("Connection: close")
    else:
        lines += [f"Keep-Alive: timeout=5, max={keep_alive}", "Connection: Keep-Alive"]
    if status != 304:
        lines.append(f"Content-Type: {ctype if status != 404 else 'text/html; charset=iso-8859-1'}")
    return sum(len(line) + 2 for line in lines) + 2


# (minutes after T0, client, method, status, path, body bytes sent, Keep-Alive max (None: close), range)
DEBIAN_EVENTS: list[tuple[int, str, str, int, str, int, int | None, tuple[int, int] | None]] = [
    (0, "203.0.113.5", "GET", 200, TARGET, SIZE, 100, None),          # the publisher checks it (internal)
    (40, "198.51.100.1", "GET", 200, TARGET, SIZE, 100, None),
    (55, "198.51.100.3", "GET", 200, TARGET, 4096, 99, None),          # aborted
    (70, "198.51.100.2", "GET", 200, TARGET, SIZE, None, None),        # Connection: close
    (80, "198.51.100.4", "HEAD", 200, TARGET, 0, 100, None),
    (95, "198.51.100.6", "GET", 206, TARGET, 10000, 100, (0, 9999)),  # two parts covering the file
    (96, "198.51.100.6", "GET", 206, TARGET, SIZE - 10000, 99, (10000, SIZE - 1)),
    (110, "198.51.100.7", "GET", 206, TARGET, 10000, 100, (0, 9999)),  # one part only
    (130, "198.51.100.1", "GET", 200, TARGET, SIZE, 98, None),
    (150, "198.51.100.8", "GET", 304, TARGET, 0, 100, None),           # revalidates a copy it already had
    (170, "198.51.100.9", "GET", 200, TARGET, SIZE, 7, None),
    (190, "198.51.100.10", "GET", 200, TARGET, 18000, 100, None),      # aborted 412 bytes before the end
    (1380, "198.51.100.11", "GET", 404, TARGET, 196, 100, None),
    (1440, "198.51.100.12", "GET", 404, TARGET, 196, None, None),
]
DEBIAN_EXPECTED = (5, 4, 3, 1)  # .1 twice, .2, .6 (two ranges), .9; partial .3, .7, .10; the publisher
DEBIAN_OUTCOMES = [("203.0.113.5", "complete"), ("198.51.100.1", "complete"), ("198.51.100.3", "partial"),
                   ("198.51.100.2", "complete"), ("198.51.100.6", "complete"), ("198.51.100.7", "partial"),
                   ("198.51.100.1", "complete"), ("198.51.100.9", "complete"), ("198.51.100.10", "partial")]


def _background() -> list[tuple[int, str, str, int, str, int, int | None, tuple[int, int] | None]]:
    """Other pages fetched by other visitors: complete copies with their Keep-Alive counts, a few 304s."""
    out = []
    for k in range(36):
        path = ("/index.html", "/css/site.css", "/img/logo.png", "/docs/besluit.pdf")[k % 4]
        status = 304 if k % 9 == 8 else 200
        keep = None if k % 5 == 4 else 100 - (k % 3) * 45  # max=100, max=55, max=10, or Connection: close
        out.append((5 + k * 7, f"192.0.2.{10 + k}", "GET", status, path, 0 if status == 304 else FILES[path][0],
                    keep, None))
    return out


def _apache_line(event: tuple, vhost: bool, wire: bool) -> str:
    minute, ip, method, status, path, body, keep, rng = event
    t = (T0 + timedelta(minutes=minute, seconds=minute % 7)).astimezone(CEST)
    length = (rng[1] - rng[0] + 1) if rng else (FILES[path][0] if status in (200, 206) else body)
    sent = body + apache_headers(status, path, keep, length, rng) if wire else (body or "-")
    prefix = "www.example.nl:443 " if vhost else ""
    return (f'{prefix}{ip} - - [{t:%d/%b/%Y:%H:%M:%S %z}] "{method} {path} HTTP/1.1" {status} {sent} '
            f'"https://www.example.nl/" "{UA}"')


def debian_apache(vhost: bool = False, wire: bool = True) -> str:
    """An access.log as Debian's Apache writes it: `combined` (or `vhost_combined`) with %O (wire=True), or
    the same responses with %b (wire=False)."""
    events = sorted(DEBIAN_EVENTS + _background(), key=lambda e: e[0])
    return "".join(_apache_line(e, vhost, wire) + "\n" for e in events)


# -- CloudFront: a copy fetched in three 206 parts ------------------------------------------------------------
RANGE_EVENTS = [  # (minutes after leaks.T0, client, first byte, last byte)
    (200, "198.51.100.6", 0, 6999), (201, "198.51.100.6", 7000, 13999), (202, "198.51.100.6", 14000, SIZE - 1),
    (210, "198.51.100.7", 0, 9999),
]


def cloudfront_ranges() -> str:
    base = leaks._cloudfront(leaks.EVENTS).splitlines()
    extra = []
    for minute, ip, lo, hi in RANGE_EVENTS:
        t = leaks.T0 + timedelta(minutes=minute)
        values = {f: "-" for f in STANDARD_FIELDS}
        part = hi - lo + 1
        values.update({
            "date": f"{t:%Y-%m-%d}", "time": f"{t:%H:%M:%S}", "x-edge-location": "AMS1-C1",
            "sc-bytes": str(part + 371), "c-ip": ip, "cs-method": "GET", "cs(host)": "d1.cloudfront.net",
            "cs-uri-stem": TARGET, "sc-status": "206", "cs(user-agent)": leaks.UA.replace(" ", "%2520"),
            "x-edge-result-type": "Hit", "x-host-header": "www.example.nl", "cs-protocol": "https",
            "time-taken": "0.020", "cs-protocol-version": "HTTP/1.1", "sc-content-len": str(part),
            "sc-range-start": str(lo), "sc-range-end": str(hi),
        })
        extra.append("\t".join(values[f] for f in STANDARD_FIELDS))
    # CloudFront writes lines in the order requests finish; the 404s of the next day stay last
    body = base[2:]
    return "\n".join(base[:2] + body[:-2] + extra + body[-2:]) + "\n"


def iis_default() -> str:
    """The IIS leak as IIS 8.5-10 logs it by default: no sc-bytes in #Fields. The short transfer (4,096 of
    18,412 bytes) is the one whose send failed (sc-win32-status 64); the others were sent (0): complete by the
    server's word alone, with no byte count."""
    out = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
           "#Date: 2020-06-08 09:00:00",
           "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
           "cs(Referer) sc-status sc-substatus sc-win32-status time-taken"]
    for minute, ip, method, status, body, _head, path in leaks.EVENTS:
        win32 = 64 if method == "GET" and status == 200 and path == TARGET and body < SIZE else 0
        out.append(f"{leaks.T0 + timedelta(minutes=minute):%Y-%m-%d %H:%M:%S} 192.0.2.10 {method} {path} - 443 - "
                   f"{ip} {leaks.UA.replace(' ', '+')} - {status} 0 {win32} 15")
    return "\n".join(out) + "\n"


CASES: dict[str, LeakCase] = {
    "iis": LeakCase("logs/u_ex200608.log", lambda: leaks._iis(leaks.EVENTS), expected=(4, 3, 1, 1)),
    "iis-default-no-sc-bytes": LeakCase("logs/u_ex200608.log", iis_default, expected=(4, 3, 1, 1)),
    "s3": LeakCase("logs/2020-06-08-09-00-00-EXAMPLE", lambda: leaks._s3(leaks.EVENTS), expected=(4, 3, 1, 1)),
    "cloudfront": LeakCase("logs/E2EXAMPLE.2020-06-08-09.abcd1234", lambda: leaks._cloudfront(leaks.EVENTS),
                           expected=(4, 3, 1, 1)),
    "cloudfront-ranges": LeakCase("logs/E2EXAMPLE.2020-06-08-09.abcd1234", cloudfront_ranges,
                                  expected=(5, 4, 2, 1)),
    "nginx-json": LeakCase("logs/access.json.log", lambda: leaks_more._nginx_json(leaks_more.EVENTS),
                           expected=(5, 4, 1, 1)),
    "caddy": LeakCase("logs/caddy-access.log", lambda: leaks_more._caddy(leaks_more.EVENTS), expected=(5, 4, 1, 1)),
    "behind-proxy": LeakCase("logs/access.log", lambda: leaks_more._behind_proxy(leaks_more.EVENTS),
                             IngestOptions(nginx_log_format=leaks_more.PROXY_FORMAT, client_ip_from="xff",
                                           trusted_proxies=("10.0.0.0/24",)), expected=(5, 4, 1, 1)),
    "debian-combined-%O": LeakCase("apache2/access.log", debian_apache, expected=DEBIAN_EXPECTED),
    "debian-vhost_combined-%O": LeakCase("apache2/other_vhosts_access.log", lambda: debian_apache(vhost=True),
                                         expected=DEBIAN_EXPECTED),
    "combined-%b": LeakCase("apache2/access.log", lambda: debian_apache(wire=False), expected=DEBIAN_EXPECTED),
}


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
