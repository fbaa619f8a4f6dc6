"""Random but realistic leak scenarios, seeded, and their lines in every format exposure reads.

A scenario is what happened on the server (who asked for what, when, and what the server sent: body bytes,
header bytes, ranges); a `LogFormat` here says what one server's log keeps of that (tests/oracle_rule.py reads
only what the log keeps) and writes the lines. Nothing here imports exposure: the generator and the oracle are
independent of the tool they check (tests/test_oracle.py).

Traps, each drawn at random: a file published and withdrawn (404, 410) and published again; probes (404) before
publication; 403/500 inside a window (they neither open nor close one); aborted 200s (some a few bytes short);
range downloads (in order, out of order, overlapping, with a hole, a last range to the end, a pause longer than
the range gap); HEAD and 304; staff addresses (--internal); clients behind one proxy (the log shows the proxy;
X-Forwarded-For where the format keeps it and the option is given); crawlers; IPv4 and IPv6; a query string on
the target; the target's spelling changed in case (case-insensitive logs only); a second file and noise paths;
times with a local offset (changing mid-log: daylight saving) or in UTC; the log split in two rotated files, one
compressed, a byte-identical copy under another name, an export overlapping the rotation seam.
"""

from __future__ import annotations

import bz2
import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

TARGET = "/docs/wob/2021/leak-lijst.xlsx"
ENCODED = "/docs/wob/2021/leak%2Dlijst.xlsx"  # TARGET with '-' percent-encoded
OTHER = "/docs/wob/2021/besluit.pdf"
NOISE = ("/", "/index.html", "/css/site.css", "/js/app.js", "/img/logo.png", "/nieuws/", "/contact")
INTERNAL = "203.0.113.0/24"
PROXY_NET = "10.20.0.0/16"
HOST = "www.example.org"
UAS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:95.0) Gecko/20100101 Firefox/95.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
    "Microsoft Office Excel 2014",
    "curl/7.68.0",
    "Wget/1.20.3 (linux-gnu)",
)
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
)


@dataclass(frozen=True)
class Request:
    """One request as it happened: what the client asked and what the server sent."""

    t: datetime  # UTC, whole seconds, unique in the scenario
    client: str  # the client's own address
    ua: str
    method: str
    path: str  # as the client spelled it (without query)
    status: int
    body: int  # body bytes sent
    headers: int  # header bytes sent
    query: str = ""
    proxy: str | None = None  # the connecting address when the client sits behind a proxy
    rng: tuple[int, int] | None = None  # a 206's first and last byte offset
    total: int | None = None  # the object's length (Content-Length of a whole 200, Content-Range total)
    aborted: bool = False  # the transfer stopped before the response was sent in full
    forged: str | None = None  # an X-Forwarded-For the client sent itself (a proxy appends to it)
    count_cut: bool = False  # its line is a copy's last, cut off inside its byte count (oracle_damage.cut_count)
    offsets_cut: bool = False  # ... cut off inside a range offset (oracle_damage.cut_tail): its offsets unknown
    flag_cut: bool = False  # ... cut off in or before its completion flag (oracle_damage.cut_tail): no flag


@dataclass
class Scenario:
    seed: int
    size: int  # the target's body length
    requests: list[Request]  # in time order
    offsets: list[tuple[datetime, int]]  # (from UTC, minutes east): the server's local offset from then on
    layout: dict[str, object] = field(default_factory=dict)  # how the log is cut into files

    def offset_at(self, t: datetime) -> int:
        minutes = self.offsets[0][1]
        for since, m in self.offsets:
            if t >= since:
                minutes = m
        return minutes


def _v4(rnd: random.Random) -> str:
    return f"{rnd.choice((81, 145, 188, 31, 77, 92))}.{rnd.randrange(1, 255)}.{rnd.randrange(0, 256)}.{rnd.randrange(1, 255)}"


def _v6(rnd: random.Random) -> str:
    return f"2a02:{rnd.randrange(0x1000, 0xffff):x}:{rnd.randrange(1, 0xffff):x}::{rnd.randrange(1, 0xffff):x}"


def generate(seed: int) -> Scenario:
    """One scenario from its seed (the same seed gives the same scenario)."""
    rnd = random.Random(seed)
    size = rnd.choice((rnd.randrange(3_000, 40_000), rnd.randrange(40_000, 900_000)))
    other_size = rnd.randrange(2_000, 300_000)
    start = datetime(rnd.randrange(2019, 2024), rnd.randrange(1, 13), rnd.randrange(1, 28), rnd.randrange(0, 24),
                     rnd.randrange(0, 60), tzinfo=UTC)
    span = timedelta(hours=rnd.randrange(30, 120))
    end = start + span
    used: set[datetime] = set()

    def when(lo: datetime, hi: datetime) -> datetime:
        for _ in range(1000):
            t = lo + timedelta(seconds=rnd.randrange(0, max(1, int((hi - lo).total_seconds()))))
            if t not in used:
                used.add(t)
                return t
        raise AssertionError("no free second")

    def take(t: datetime) -> datetime:
        while t in used:
            t += timedelta(seconds=1)
        used.add(t)
        return t

    def hdr(status: int) -> int:
        return {200: rnd.randrange(230, 390), 206: rnd.randrange(260, 420), 304: rnd.randrange(150, 260)}.get(
            status, rnd.randrange(160, 240))

    reqs: list[Request] = []
    staff = [f"203.0.113.{rnd.randrange(2, 250)}" for _ in range(2)]
    proxies = [f"10.20.{rnd.randrange(0, 256)}.{rnd.randrange(1, 255)}" for _ in range(2)]

    def client() -> tuple[str, str, str | None]:
        kind = rnd.random()
        if kind < 0.12:
            return rnd.choice(staff), rnd.choice(UAS[:3]), None
        if kind < 0.22:
            return _v4(rnd), rnd.choice(CRAWLERS), None
        proxy = rnd.choice(proxies) if kind > 0.82 else None
        ua = rnd.choice(UAS[:4]) if proxy is None else UAS[rnd.randrange(0, 2)]  # few agents: shared proxies
        return (_v6(rnd) if rnd.random() < 0.25 else _v4(rnd)), ua, proxy

    forged = [_v4(rnd) for _ in range(2)]

    # noise over the whole span: the evidence starts at `start` and ends at `end`; enough complete transfers
    # of several paths that a log's byte meaning can be told from its data (README: recorded facts)
    sizes = {p: rnd.randrange(800, 60_000) for p in NOISE}
    reqs.append(Request(take(start), _v4(rnd), UAS[0], "GET", "/", 200, sizes["/"], hdr(200)))
    for _ in range(rnd.randrange(40, 90)):
        ip, ua, proxy = client()
        p = rnd.choice(NOISE)
        r = rnd.random()
        status, body, method = (304, 0, "GET") if r < 0.15 else (200, 0, "HEAD") if r < 0.2 else (200, sizes[p], "GET")
        reqs.append(Request(when(start, end), ip, ua, method, p, status, body, hdr(status), proxy=proxy,
                            total=sizes[p] if status == 200 else None))
    reqs.append(Request(take(end), _v4(rnd), UAS[1], "GET", "/index.html", 200, sizes["/index.html"], hdr(200)))
    # the second file: published throughout, some downloads
    for _ in range(rnd.randrange(0, 6)):
        ip, ua, proxy = client()
        reqs.append(Request(when(start, end), ip, ua, "GET", OTHER, 200, other_size, hdr(200), proxy=proxy,
                            total=other_size))

    # the target's phases: available / withdrawn, one to three windows
    nwin = rnd.choice((1, 1, 2, 2, 3))
    publish = start + rnd.choice((timedelta(0), timedelta(minutes=rnd.randrange(1, 59)), timedelta(seconds=3599),
                                  timedelta(seconds=3601), timedelta(hours=rnd.randrange(2, 12))))
    edges = sorted(publish + timedelta(seconds=rnd.randrange(1800, int((end - publish).total_seconds()) - 60))
                   for _ in range(2 * nwin - 1))
    phases = [publish, *edges, end]  # available [phases[0], phases[1]), withdrawn [1, 2), available [2, 3) ...
    spellings = [TARGET]
    if rnd.random() < 0.5:
        spellings += [TARGET.upper(), "/Docs/WOB/2021/Leak-Lijst.xlsx"]
    if rnd.random() < 0.3:  # a client that percent-encodes what it need not: the same file
        spellings.append(ENCODED)

    def target_path() -> str:
        return rnd.choice(spellings) if rnd.random() < 0.3 else TARGET

    # probes before publication
    for _ in range(rnd.randrange(0, 3)):
        if publish > start + timedelta(seconds=10):
            ip, ua, proxy = client()
            reqs.append(Request(when(start, publish), ip, ua, "GET", TARGET, 404, 209, hdr(404), proxy=proxy))
    for k in range(0, len(phases) - 1):
        lo, hi = phases[k], phases[k + 1]
        if k % 2 == 1:  # withdrawn: the first request after the edge is a 404 or 410
            for n in range(rnd.randrange(1, 4)):
                ip, ua, proxy = client()
                t = take(lo) if n == 0 else when(lo, hi)
                reqs.append(Request(t, ip, ua, "GET", target_path(), rnd.choice((404, 404, 410)), 209, hdr(404),
                                    proxy=proxy))
            continue
        first = True
        for _ in range(rnd.randrange(1, 9)):
            ip, ua, proxy = client()
            reqs += _action(rnd, ip, ua, proxy, lo, hi, size, hdr, when, take if first else None, target_path)
            first = False
        if rnd.random() < 0.2:  # as many transfers cut 100 bytes short at one count (200 bytes of headers) as the
            # phase has complete ones: where those form one run, a tie of runs in the band's island
            whole = sum(1 for r in reqs if lo <= r.t < hi and r.method == "GET" and r.status == 200
                        and r.body == size and not r.aborted)
            for _ in range(whole):
                ip, ua, proxy = client()
                reqs.append(Request(when(lo, hi), ip, ua, "GET", TARGET, 200, size - 100, 200, proxy=proxy,
                                    total=size, aborted=True))
        if rnd.random() < 0.4 and hi - lo > timedelta(minutes=5):  # an action at the window's very end
            ip, ua, proxy = client()
            t = hi - timedelta(seconds=1)
            if t not in used and t > lo:
                used.add(t)
                reqs.append(Request(t, ip, ua, "GET", TARGET, 200, size, hdr(200), proxy=proxy, total=size))
        if rnd.random() < 0.3:  # a server error inside the window: neither opens nor closes it
            ip, ua, proxy = client()
            reqs.append(Request(when(lo, hi), ip, ua, "GET", TARGET, rnd.choice((403, 500, 503)), 350, hdr(500),
                                proxy=proxy))
    reqs = [replace(r, forged=rnd.choice(forged)) if rnd.random() < 0.15 else r for r in reqs]
    reqs.sort(key=lambda r: r.t)
    offsets = _offsets(rnd, start, end)
    layout = {"split": rnd.random() < 0.7, "at": rnd.random(), "compress": rnd.choice(("", "", ".gz", ".bz2")),
              "copy": rnd.random() < 0.3, "overlap": rnd.random() < 0.25, "refields": rnd.random() < 0.5}
    # the first request a W3C writer logs in its other fields, by its (unique) time: a damage that drops
    # requests leaves the switch where the writer made it
    switch = int(len(reqs) * float(layout["at"]) * 1.3)
    layout["refields_since"] = reqs[switch].t if layout["refields"] and switch < len(reqs) else None
    return Scenario(seed, size, reqs, offsets, layout)


def _offsets(rnd: random.Random, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    first = rnd.choice((0, 60, 120, -300, -240, 330, 600, -180))
    out = [(start, first)]
    if rnd.random() < 0.3:  # a daylight-saving change mid-log
        out.append((start + (end - start) * rnd.random(), first + rnd.choice((60, -60))))
    return out


def _action(rnd: random.Random, ip: str, ua: str, proxy: str | None, lo: datetime, hi: datetime, size: int,
            hdr: Callable[[int], int], when: Callable[[datetime, datetime], datetime],
            first: Callable[[datetime], datetime] | None, path: Callable[[], str]) -> list[Request]:
    """What one client does with the target inside an available phase [lo, hi)."""
    kind = rnd.choices(("full", "aborted", "short", "near", "range", "head", "304"), (30, 12, 5, 4, 25, 8, 8))[0]
    t = first(lo) if first else when(lo, hi - timedelta(minutes=1))
    query = rnd.choice(("", "", "", "v=2", "download=1"))
    base = Request(t, ip, ua, "GET", path(), 200, size, hdr(200), query=query, proxy=proxy, total=size)
    if kind == "full":
        return [base]
    if kind == "aborted":
        return [replace(base, body=rnd.randrange(1, size), aborted=True)]
    if kind == "short":  # a few bytes short of the whole file
        return [replace(base, body=size - rnd.randrange(1, min(size - 1, 3000)), aborted=True)]
    if kind == "near":  # cut less than 256 bytes short: counts with headers just below the band (band_below)
        return [replace(base, body=size - rnd.randrange(1, 256), aborted=True)]
    if kind == "head":
        return [replace(base, method="HEAD", body=0)]
    if kind == "304":
        return [replace(base, status=304, body=0, headers=hdr(304), total=None)]
    parts = _ranges(rnd, size)
    out = []
    for n, (a, b) in enumerate(parts):
        if n:  # the next part a moment later; now and then after a pause longer than the range gap
            step = timedelta(seconds=rnd.randrange(1, 600)) if rnd.random() < 0.9 else timedelta(minutes=31)
            t = when(t + step, t + step + timedelta(seconds=30))
            if t >= hi:
                break
        out.append(replace(base, t=t, status=206, body=b - a + 1, headers=hdr(206), rng=(a, b), total=size))
    return out


def _ranges(rnd: random.Random, size: int) -> list[tuple[int, int]]:
    """Byte ranges of a range download: in order, out of order, overlapping, with a hole, open-ended."""
    shape = rnd.choice(("order", "shuffled", "overlap", "hole", "one", "eof"))
    if shape == "one":
        a = rnd.randrange(0, size // 2)
        return [(a, rnd.randrange(a, size))]
    cuts = sorted(rnd.sample(range(1, size), rnd.randrange(1, 5)))
    parts = [(a, b - 1) for a, b in zip([0, *cuts], [*cuts, size], strict=True)]
    if shape == "shuffled":
        rnd.shuffle(parts)
    elif shape == "overlap":
        parts = [(max(0, a - rnd.randrange(0, 500)), b) for a, b in parts]
    elif shape == "hole" and len(parts) > 1:
        del parts[rnd.randrange(0, len(parts))]
    elif shape == "eof":  # the last part asked as `bytes=N-`: to the end of the file
        parts = [*parts[:-1], (parts[-1][0], size - 1)]
    return parts


# -- formats ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogFormat:
    """What one server's log keeps of a request (read by the oracle) and how it writes the lines."""

    name: str
    line: Callable[[Scenario, Request], str]
    bytes_meaning: str | None = "body"  # 'body', 'headers+body' or None: no byte count logged
    has_ua: bool = True
    offsets: bool = False  # a 206's first and last offset
    exact: str | None = None  # 'every' (S3 object_size, a Content-Range total) | 'whole' (sc-content-len of a 200)
    completion: bool = False  # the log says whether the transfer completed
    aborts: bool = False  # the main line marks how each send ended (IIS sc-win32-status: 64 aborted, 0 complete)
    xff: bool = False  # the client is taken from X-Forwarded-For (with the options below)
    case_insensitive: bool = False
    header: Callable[[Scenario], list[str]] | None = None  # lines each file starts with
    options: dict[str, object] = field(default_factory=dict)  # IngestOptions fields
    cli: tuple[str, ...] = ()  # the same as command-line options
    compress_ok: bool = True
    # the header and line of the fields a W3C writer switches to mid-log (a new #Fields line)
    alt: tuple[Callable[[Scenario], list[str]], Callable[[Scenario, Request], str]] | None = None

    def observed_client(self, r: Request) -> str:
        return r.client if (self.xff or r.proxy is None) else r.proxy


def _local(s: Scenario, t: datetime) -> tuple[datetime, str]:
    m = s.offset_at(t)
    local = t.astimezone(timezone(timedelta(minutes=m)))
    sign = "+" if m >= 0 else "-"
    return local, f"{sign}{abs(m) // 60:02d}{abs(m) % 60:02d}"


def _clf_time(s: Scenario, t: datetime) -> str:
    local, off = _local(s, t)
    return f"[{local.strftime('%d/%b/%Y:%H:%M:%S')} {off}]"


def _target(r: Request) -> str:
    return r.path + (f"?{r.query}" if r.query else "")


def _clf_bytes(r: Request) -> str:
    return str(r.body) if r.body else "-"


def _wire(r: Request) -> int:
    return r.headers + r.body


def _content_range(r: Request) -> str:
    return f"bytes {r.rng[0]}-{r.rng[1]}/{r.total}" if r.rng else "-"


def _peer(r: Request) -> str:
    return r.proxy or r.client


def combined(s: Scenario, r: Request) -> str:
    return (f'{_peer(r)} - - {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} {_clf_bytes(r)} '
            f'"-" "{r.ua}"')


def common(s: Scenario, r: Request) -> str:
    return f'{_peer(r)} - - {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} {_clf_bytes(r)}'


def vhost_combined_o(s: Scenario, r: Request) -> str:  # Debian's default: %O, headers included
    return (f'{HOST}:443 {_peer(r)} - - {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} '
            f'{_wire(r)} "https://{HOST}/" "{r.ua}"')


APACHE_X = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %X'


def apache_x(s: Scenario, r: Request) -> str:
    flag = "X" if r.aborted else random.Random(r.t.timestamp()).choice("+-")
    return f'{combined(s, r)} {flag}'


APACHE_O_RANGE = '%a %l %u %t "%r" %>s %O "%{User-Agent}i" "%{Content-Range}o"'


def apache_o_range(s: Scenario, r: Request) -> str:
    return (f'{_peer(r)} - - {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} {_wire(r)} '
            f'"{r.ua}" "{_content_range(r)}"')


NGINX_XFF = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
             '"$http_user_agent" "$http_x_forwarded_for"')


def _xff(r: Request) -> str:
    """X-Forwarded-For as the server saw it: what the client sent, then what its proxy appended."""
    chain = [*([r.forged] if r.forged else []), *([r.client] if r.proxy else [])]
    return ", ".join(chain) or "-"


def nginx_xff(s: Scenario, r: Request) -> str:
    return (f'{_peer(r)} - - {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} {r.body} "-" '
            f'"{r.ua}" "{_xff(r)}"')


NGINX_SENT = '$remote_addr [$time_local] "$request" $status $bytes_sent $request_completion "$http_user_agent"'


def nginx_sent(s: Scenario, r: Request) -> str:
    done = "" if r.aborted else "OK"
    return f'{_peer(r)} {_clf_time(s, r.t)} "{r.method} {_target(r)} HTTP/1.1" {r.status} {_wire(r)} {done} "{r.ua}"'


def _iso(s: Scenario, t: datetime) -> str:
    local, off = _local(s, t)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + off[:3] + ":" + off[3:]


def jsonl(s: Scenario, r: Request) -> str:
    entry = {"time_iso8601": _iso(s, r.t), "remote_addr": _peer(r), "request": f"{r.method} {_target(r)} HTTP/1.1",
             "status": r.status, "body_bytes_sent": r.body, "http_referer": "", "http_user_agent": r.ua,
             "sent_http_content_range": _content_range(r) if r.rng else ""}
    return json.dumps(entry, separators=(",", ":"))


IIS_FIELDS = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
              "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")


def _w3c_ua(ua: str) -> str:
    return ua.replace(" ", "+")


def iis(s: Scenario, r: Request) -> str:
    return (f"{r.t:%Y-%m-%d %H:%M:%S} 10.1.1.5 {r.method} {r.path} {r.query or '-'} 443 - {_peer(r)} "
            f"{_w3c_ua(r.ua)} - {r.status} 0 {64 if r.aborted else 0} {_wire(r)} 420 31")


def iis_header(s: Scenario) -> list[str]:
    return ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            f"#Date: {s.requests[0].t:%Y-%m-%d %H:%M:%S}", f"#Fields: {IIS_FIELDS}"]


def iis_bare(s: Scenario, r: Request) -> str:  # IIS 8.5-10's default fields, the #Fields header lost
    return (f"{r.t:%Y-%m-%d %H:%M:%S} 10.1.1.5 {r.method} {r.path} {r.query or '-'} 443 - {_peer(r)} "
            f"{_w3c_ua(r.ua)} - {r.status} 0 {64 if r.aborted else 0} 31")


def s3(s: Scenario, r: Request) -> str:
    op = f"REST.{r.method}.OBJECT"
    size = r.total if r.status in (200, 206, 304) else "-"
    sent = r.body if r.body and r.method != "HEAD" else "-"
    err = "NoSuchKey" if r.status == 404 else "-"
    return (f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be leak-bucket "
            f"[{r.t:%d/%b/%Y:%H:%M:%S} +0000] {_peer(r)} - 3E57427F3EXAMPLE {op} {r.path.lstrip('/') or '-'} "
            f'"{r.method} {_target(r)} HTTP/1.1" {r.status} {err} {sent} {size} 70 10 "-" "{r.ua}" - '
            f"AIDAJDPLRKLG7UEXAMPLE SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader leak-bucket.s3.amazonaws.com TLSv1.2")


CF_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
             "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
             "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
             "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")


def cloudfront(s: Scenario, r: Request) -> str:
    # sc-content-len: the response's Content-Length (a 200's is the whole file, even when the transfer stops)
    length = r.total if r.status == 200 and r.method == "GET" else (r.body if r.status == 206 else "-")
    start, end = (str(r.rng[0]), str(r.rng[1])) if r.rng else ("-", "-")
    result = "Error" if r.status >= 400 else "Hit"
    ua = r.ua.replace(" ", "%20")
    values = [f"{r.t:%Y-%m-%d}", f"{r.t:%H:%M:%S}", "AMS50-C1", str(_wire(r)), _peer(r), r.method,
              "d111111abcdef8.cloudfront.net", r.path, str(r.status), "-", ua, r.query or "-", "-", result,
              "EXAMPLEid==", HOST, "https", "180", "0.042", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result,
              "HTTP/2.0", "-", "-", "51234", "0.010", result, "application/octet-stream", str(length), start, end]
    return "\t".join(values)


def cloudfront_header(s: Scenario) -> list[str]:
    return ["#Version: 1.0", f"#Fields: {CF_FIELDS}"]


def alb(s: Scenario, r: Request) -> str:
    peer = _peer(r)
    client = f"[{peer}]:51234" if ":" in peer else f"{peer}:51234"
    return (f"https {r.t:%Y-%m-%dT%H:%M:%S}.000000Z app/leak-alb/50dc6c495c0c9188 {client} 10.0.0.1:80 0.001 "
            f'0.042 0.000 {r.status} {r.status} 180 {_wire(r)} "{r.method} https://{HOST}:443{_target(r)} HTTP/1.1" '
            f'"{r.ua}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "
            f'"Root=1-58337262-36d228ad5d99923122bbe354" "{HOST}" "-" 0 {r.t:%Y-%m-%dT%H:%M:%S}.000000Z "forward" '
            '"-" "-" "10.0.0.1:80" "200" "-" "-"')


def elb(s: Scenario, r: Request) -> str:
    peer = _peer(r)
    client = f"[{peer}]:51234" if ":" in peer else f"{peer}:51234"
    sent = 0 if r.method == "HEAD" else r.body
    return (f"{r.t:%Y-%m-%dT%H:%M:%S}.000000Z leak-lb {client} 10.0.0.1:80 0.000086 0.001048 0.001337 "
            f'{r.status} {r.status} 0 {sent} "{r.method} https://{HOST}:443{_target(r)} HTTP/1.1" "{r.ua}" '
            "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2")


def jsonl_sent(s: Scenario, r: Request) -> str:  # an nginx JSON log_format with "bytes_sent":$bytes_sent
    entry = {"time_iso8601": _iso(s, r.t), "remote_addr": _peer(r), "request": f"{r.method} {_target(r)} HTTP/1.1",
             "status": r.status, "bytes_sent": _wire(r), "http_user_agent": r.ua}
    return json.dumps(entry, separators=(",", ":"))


def caddy(s: Scenario, r: Request) -> str:
    """Caddy's access entry (logger http.log.access.log0); a 404/5xx also gets an entry of its error logger,
    which is no request of its own."""
    request = {"remote_ip": _peer(r), "remote_port": "51234", "proto": "HTTP/1.1", "method": r.method, "host": HOST,
               "uri": _target(r), "headers": {"User-Agent": [r.ua]}}
    resp = {"Content-Type": ["application/octet-stream"]}
    if r.rng:
        resp["Content-Range"] = [_content_range(r)]
    access = {"level": "error" if r.status >= 400 else "info", "ts": r.t.timestamp(), "logger": "http.log.access.log0",
              "msg": "handled request", "request": request, "bytes_read": 0, "user_id": "", "duration": 0.0123,
              "size": r.body, "status": r.status, "resp_headers": resp}
    line = json.dumps(access, separators=(",", ":"))
    if r.status >= 400:
        error = {"level": "error", "ts": r.t.timestamp(), "logger": "http.log.error.log0", "msg": "not found",
                 "request": request, "duration": 0.0011, "status": r.status, "err_id": "f3k2", "err_trace": "fs"}
        line += "\n" + json.dumps(error, separators=(",", ":"))
    return line


AMSTERDAM = "Europe/Amsterdam"
APACHE_LOCAL = '%h %l %u %{%Y-%m-%d %H:%M:%S}t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'


def apache_local(s: Scenario, r: Request) -> str:  # times without an offset: read with --log-tz
    local = r.t.astimezone(ZoneInfo(AMSTERDAM))
    return (f'{_peer(r)} - - {local:%Y-%m-%d %H:%M:%S} "{r.method} {_target(r)} HTTP/1.1" {r.status} '
            f'{_clf_bytes(r)} "-" "{r.ua}"')


IIS_REFIELDS = ("date time c-ip cs-method cs-uri-stem cs-uri-query sc-status sc-bytes cs(User-Agent) "
                "time-taken s-ip")


def iis_refielded(s: Scenario, r: Request) -> str:  # after a restart with other fields chosen
    return (f"{r.t:%Y-%m-%d %H:%M:%S} {_peer(r)} {r.method} {r.path} {r.query or '-'} {r.status} {_wire(r)} "
            f"{_w3c_ua(r.ua)} 31 10.1.1.5")


def iis_refields_header(s: Scenario) -> list[str]:
    return ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0", f"#Fields: {IIS_REFIELDS}"]


FORMATS: dict[str, LogFormat] = {f.name: f for f in (
    LogFormat("combined", combined),
    LogFormat("common", common, has_ua=False),
    LogFormat("vhost_combined-%O", vhost_combined_o, bytes_meaning="headers+body"),
    LogFormat("apache-%X", apache_x, completion=True, options={"log_format": APACHE_X},
              cli=("--log-format", APACHE_X)),
    LogFormat("apache-%O-range", apache_o_range, bytes_meaning="headers+body", offsets=True, exact="every",
              options={"log_format": APACHE_O_RANGE}, cli=("--log-format", APACHE_O_RANGE)),
    LogFormat("nginx-xff", nginx_xff, xff=True,
              options={"nginx_log_format": NGINX_XFF, "client_ip_from": "xff", "trusted_proxies": (PROXY_NET,)},
              cli=("--nginx-log-format", NGINX_XFF, "--client-ip-from", "xff", "--trusted-proxy", PROXY_NET)),
    LogFormat("nginx-bytes_sent", nginx_sent, bytes_meaning="headers+body", completion=True,
              options={"nginx_log_format": NGINX_SENT}, cli=("--nginx-log-format", NGINX_SENT)),
    LogFormat("json", jsonl, offsets=True, exact="every"),
    LogFormat("iis", iis, bytes_meaning="headers+body", case_insensitive=True, header=iis_header, aborts=True,
              alt=(iis_refields_header, iis_refielded)),
    LogFormat("json-bytes_sent", jsonl_sent, bytes_meaning="headers+body"),
    LogFormat("caddy", caddy, offsets=True, exact="every"),
    LogFormat("apache-localtime", apache_local, options={"log_format": APACHE_LOCAL, "log_tz": AMSTERDAM},
              cli=("--log-format", APACHE_LOCAL, "--log-tz", AMSTERDAM)),
    LogFormat("iis-bare", iis_bare, bytes_meaning=None, case_insensitive=True, aborts=True),
    LogFormat("s3", s3, exact="every"),
    LogFormat("cloudfront", cloudfront, bytes_meaning="headers+body", offsets=True, exact="whole",
              header=cloudfront_header),
    LogFormat("alb", alb, bytes_meaning="headers+body"),
    LogFormat("elb", elb),
)}


def served(fmt: LogFormat, r: Request) -> Request:
    """The request as this server answered it: on a case-sensitive server another spelling of a path is
    another (missing) file."""
    if fmt.case_insensitive or r.path in (TARGET, ENCODED, OTHER) or r.path in NOISE:
        return r
    return replace(r, status=404, body=209, rng=None, total=None, aborted=False)


def _pack(text: str, suffix: str) -> bytes:
    data = text.encode()
    if suffix == ".gz":
        return gzip.compress(data, mtime=0)
    if suffix == ".bz2":
        return bz2.compress(data)
    return data


def in_alt(s: Scenario, fmt: LogFormat, r: Request) -> bool:
    """Whether `r` is written in the writer's other fields (after a new #Fields line)."""
    since = s.layout.get("refields_since")
    return bool(fmt.alt) and since is not None and r.t >= since


def write_logs(s: Scenario, fmt: LogFormat, folder: Path) -> list[Path]:
    """The scenario's log as the server left it in `folder`: one file, or two rotations (the older one maybe
    compressed), maybe a byte-identical copy of the older under another name and an export across the seam.
    A W3C writer may switch its fields mid-log (a new #Fields line; a rotation starts with the header in force)."""
    folder.mkdir(parents=True, exist_ok=True)
    header = fmt.header(s) if fmt.header else []
    rows: list[tuple[list[str], list[str]]] = []  # (header in force, the request's lines)
    alt_header = fmt.alt[0](s) if fmt.alt else []
    for r in s.requests:
        if fmt.alt and in_alt(s, fmt, r):
            rows.append((alt_header, [fmt.alt[1](s, served(fmt, r))]))
        else:
            rows.append((header, [fmt.line(s, served(fmt, r))]))
    lay = s.layout
    cut = max(1, min(len(rows) - 1, int(len(rows) * float(lay["at"])))) if lay["split"] else len(rows)
    old, new = rows[:cut], rows[cut:]
    suffix = str(lay["compress"]) if fmt.compress_ok else ""
    written = []

    def text(part: list[tuple[list[str], list[str]]]) -> str:
        out: list[str] = []
        in_force: list[str] | None = None
        for head, lines in part:
            if head is not in_force:
                out += head
                in_force = head
            out += lines
        return "\n".join(out) + "\n"

    def put(name: str, part: list[tuple[list[str], list[str]]], comp: str = "") -> None:
        path = folder / (name + comp)
        path.write_bytes(_pack(text(part), comp))
        written.append(path)

    if new:
        put("access.log.1", old, suffix)
        put("access.log", new)
    else:
        put("access.log", old)
    if lay["copy"]:
        put("copy of access.log.1" if new else "copy of access.log", old)
    if lay["overlap"] and new and len(old) >= 4 and len(new) >= 4:
        (folder / "export").mkdir(exist_ok=True)
        put("export/access-export.log", old[-4:] + new[:4])
    return written
