#!/usr/bin/env python3
"""Write the deterministic sample evidence set: Apache combined access logs of two load-balanced servers.

    python scripts/make_sample_logs.py

Writes sample_logs/ (web1/, web2/, export/, README.md) and tests/data/sample_truth.json. Standard library
only, seeded with SEED: two runs give byte-identical files (gzip members carry mtime 0 and no file name).
The ground truth is not typed in: it is recomputed from the written files by a small, independent
implementation of the counting rules (analyse() below) and checked against the intended story.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import json
import random
import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote_plus, unquote

SEED = 20200608
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "sample_logs"
TRUTH = ROOT / "tests" / "data" / "sample_truth.json"
CEST = timezone(timedelta(hours=2))
LOG_START, LOG_END = datetime(2020, 6, 1, tzinfo=CEST), datetime(2020, 6, 21, 12, 0, tzinfo=CEST)
GZIP_UP_TO = date(2020, 6, 17)  # rotations up to access.log-20200618 (17 June) are gzipped; newer ones are plain
SITE = "https://www.asielopvang.example"
WOB = "/documenten/wob/2020/"
TARGET = WOB + "signalen-mensenhandel-2017-2020.xlsx"
SPREADSHEET = ROOT / "sample_logs" / "signalen-mensenhandel-2017-2020.xlsx"
# The logs serve exactly the bytes of the sample spreadsheet (scripts/make_sample_spreadsheet.py writes it
# first), so `exposure inspect --target` can show that the downloaded version is the inspected one.
SIZE = SPREADSHEET.stat().st_size
INTERNAL = ipaddress.ip_network("203.0.113.0/24")
WOB_PAGE = "/actueel/wob-verzoeken/wob-besluit-signalen-mensenhandel-en-mensensmokkel"
OTHER_DOCS = {WOB + "besluit-wob-verzoek.pdf": 312877, WOB + "inventarislijst.pdf": 48392,
              WOB + "bijlage-1-toelichting-signalen.pdf": 201554}
NOT_FOUND = 5172  # body of the site's 404 page
DUP_DAY, DUP_EXPORT = date(2020, 6, 11), "export/web2-access-20200612.log"


def at(text: str) -> datetime:
    """'08 14:12:18' -> 8 June 2020 14:12:18 CEST."""
    return datetime.strptime("2020-06-" + text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CEST)


PUBLISHED = [(at("08 14:05:00"), at("11 11:10:00")), (at("15 09:25:00"), at("18 16:20:00"))]

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{} Safari/537.36"
UA = {
    "chrome": [CHROME.format(v) for v in ("83.0.4103.97", "83.0.4103.61", "81.0.4044.138")],
    "edge": [CHROME.format("83.0.4103.97") + " Edg/83.0.478.45"],
    "firefox": ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:77.0) Gecko/20100101 Firefox/77.0",
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:77.0) Gecko/20100101 Firefox/77.0"],
    "safari": ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/13.1.1 Safari/605.1.15"],
    "iphone": [f"Mozilla/5.0 (iPhone; CPU iPhone OS {v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "Version/13.1.1 Mobile/15E148 Safari/604.1" for v in ("13_5_1", "13_5")],
    "android": [f"Mozilla/5.0 (Linux; Android 10; {m}) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/83.0.4103.96 Mobile Safari/537.36" for m in ("SM-G973F", "SM-A505FN", "Pixel 3a")],
    "ie11": ["Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"],
}
UA_WEIGHTS = {"chrome": 30, "edge": 8, "firefox": 9, "safari": 7, "iphone": 22, "android": 20, "ie11": 4}
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BOTS = [  # (user agent, address prefixes, weight)
    (GOOGLEBOT, ["66.249.66", "66.249.64", "66.249.70"], 5),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", ["157.55.39", "207.46.13"], 3),
    ("Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)", ["54.36.148", "54.36.149"], 1),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", ["5.255.253"], 1),
    ("Mozilla/5.0 (compatible; SemrushBot/6~bl; +http://www.semrush.com/bot.html)", ["46.229.168"], 1),
]
QUOTE_UA = 'Mozilla/5.0 (compatible; Nimbostratus-Bot/v1.3.2; "http://cloudsystemnetworks.com")'
SCANNERS = [(QUOTE_UA, "45.146.164.97"), ("python-requests/2.22.0", "193.106.191.43"),
            ("Mozilla/5.0 zgrab/0.x", "5.188.62.214"), ("Go-http-client/1.1", "45.155.205.86")]
BAD_PATHS = ["/wp-login.php", "/.env", "/xmlrpc.php", "/phpmyadmin/", "/admin/", "/.git/config",
             "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/wp-content/plugins/wp-file-manager/readme.txt"]

# name: (address, user agent, description). Everyone who touches the target file.
ACTORS = {
    "journalist": ("84.29.143.61", UA["safari"][0], "journalist, Safari on macOS (Ziggo)"),
    "googlebot": ("66.249.66.159", GOOGLEBOT, "Googlebot (search index copy)"),
    "xs4all": ("80.101.47.212", UA["firefox"][0], "Firefox on Windows (XS4ALL)"),
    "archive": ("207.241.229.50", "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
                "Internet Archive crawler (web archive copy)"),
    "ranger": ("77.172.203.9", UA["firefox"][0], "Firefox with a resuming download manager (KPN)"),
    "curl": ("188.166.103.46", "curl/7.68.0", "curl script on a cloud server (DigitalOcean Amsterdam)"),
    "telegram": ("149.154.161.207", "TelegramBot (like TwitterBot)", "Telegram link preview"),
    "aborter1": ("77.163.88.140", UA["chrome"][0], "Chrome on Windows (KPN)"),
    "aborter2": ("94.211.30.187", UA["edge"][0], "Edge on Windows (Ziggo)"),
    "iphone": ("31.151.74.20", UA["iphone"][0], "Safari on iPhone (mobile network)"),
    "gapper": ("86.87.220.15", UA["android"][0], "Chrome on Android (KPN)"),
    "ziggo6": ("2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0", UA["chrome"][1], "Chrome over IPv6 (Ziggo)"),
    "cached": ("86.84.12.77", UA["chrome"][0], "Chrome with a cached copy from before the evidence"),
    "office": ("143.176.88.21", "Microsoft Office Existence Discovery", "MS Office link check"),
    "pyreq": ("145.100.190.4", "python-requests/2.23.0", "python-requests (SURF network)"),
    "kpn503": ("62.131.55.8", UA["chrome"][2], "Chrome on Windows"),
    "scanner": ("45.146.164.97", QUOTE_UA, "vulnerability scanner"),
    "staff1": ("203.0.113.24", UA["ie11"][0], "staff (internal), IE11"),
    "staff2": ("203.0.113.57", UA["edge"][0], "staff (internal), Edge"),
}
T, PCT, QS, BAK = TARGET, WOB + "signalen%2Dmensenhandel-2017-2020.xlsx", TARGET + "?download=1", TARGET + ".bak"
# (local time, server, actor, method, path, status, bytes, referer: "page" = came from the Wob page)
EVENTS = [
    ("08 14:12:18", 1, "journalist", "GET", T, 200, SIZE, "page"),  # first available, window 1
    ("08 14:19:44", 2, "staff1", "GET", T, 200, SIZE, "page"),
    ("08 14:31:50", 1, "staff2", "HEAD", T, 200, None, "-"),
    ("08 15:02:09", 1, "aborter1", "GET", T, 200, SIZE // 4, "page"),
    ("08 16:47:31", 2, "googlebot", "GET", T, 200, SIZE, "-"),
    ("08 19:22:05", 1, "xs4all", "GET", PCT, 200, SIZE, "-"),
    ("08 21:40:13", 2, "iphone", "GET", T, 206, 2, "page"),
    ("08 21:40:14", 2, "iphone", "GET", T, 206, SIZE // 5, SITE + WOB_PAGE),
    ("09 03:14:52", 1, "archive", "GET", T, 200, SIZE, "-"),
    ("09 09:05:11", 2, "ranger", "GET", T, 206, SIZE // 4, "page"),
    ("09 09:11:40", 2, "ranger", "GET", T, 206, SIZE // 3, SITE + WOB_PAGE),
    ("09 09:19:02", 2, "ranger", "GET", T, 206, SIZE - SIZE // 4 - SIZE // 3, SITE + WOB_PAGE),
    ("09 10:33:27", 1, "scanner", "GET", BAK, 404, NOT_FOUND, "-"),
    ("09 10:33:29", 1, "scanner", "GET", BAK + "~", 404, NOT_FOUND, "-"),
    ("09 11:40:06", 1, "curl", "HEAD", T, 200, None, "-"),
    ("09 11:40:07", 1, "curl", "GET", T, 200, SIZE, "-"),
    ("09 13:58:40", 2, "kpn503", "GET", T, 503, 299, "page"),
    ("09 20:15:33", 2, "journalist", "GET", T, 304, None, "page"),
    ("10 10:42:55", 2, "staff2", "GET", T, 200, SIZE, "page"),
    ("10 14:05:10", 1, "office", "HEAD", T, 200, 0, "-"),
    ("10 16:20:48", 2, "scanner", "GET", BAK, 404, NOT_FOUND, "-"),
    ("11 10:47:03", 1, "aborter2", "GET", T, 200, SIZE // 20, "page"),  # last available, window 1
    ("11 11:26:40", 2, "aborter2", "GET", T, 404, NOT_FOUND, "page"),  # first unavailable, window 1
    ("11 13:02:51", 1, "googlebot", "GET", T, 404, NOT_FOUND, "-"),
    ("11 16:55:20", 2, "ziggo6", "GET", T, 404, NOT_FOUND, "https://t.co/q8ZbW2mXcT"),
    ("12 09:14:37", 1, "xs4all", "GET", T, 404, NOT_FOUND, "-"),
    ("13 20:01:12", 2, "scanner", "GET", T, 404, NOT_FOUND, "-"),
    ("14 11:30:45", 1, "archive", "GET", T, 404, NOT_FOUND, "-"),
    ("15 09:31:55", 1, "googlebot", "GET", T, 200, SIZE, "-"),  # first available, window 2
    ("15 09:44:20", 2, "staff1", "GET", T, 200, SIZE, "page"),
    ("15 11:02:48", 2, "journalist", "GET", T, 200, SIZE, "page"),
    ("15 13:20:16", 1, "cached", "GET", T, 304, None, "page"),
    ("15 15:44:58", 1, "xs4all", "GET", T, 200, SIZE // 5, "page"),
    ("15 15:45:30", 2, "xs4all", "GET", QS, 200, SIZE, SITE + WOB_PAGE),
    ("16 10:02:37", 1, "gapper", "GET", T, 206, SIZE // 2, "page"),
    ("16 11:14:05", 2, "gapper", "GET", T, 206, SIZE - SIZE // 2, SITE + WOB_PAGE),
    ("16 14:40:21", 1, "scanner", "GET", BAK, 404, NOT_FOUND, "-"),
    ("16 16:12:09", 2, "ziggo6", "GET", T, 200, SIZE // 4, "page"),
    ("17 08:03:44", 1, "telegram", "GET", T, 200, SIZE, "-"),
    ("17 21:16:40", 2, "curl", "GET", T, 200, SIZE, "-"),
    ("18 09:12:37", 1, "pyreq", "HEAD", T, 200, None, "-"),
    ("18 15:58:12", 2, "journalist", "GET", T, 304, None, "page"),  # last available, window 2
    ("18 16:40:09", 1, "journalist", "GET", T, 404, NOT_FOUND, "page"),  # first unavailable, window 2
    ("18 16:45:30", 2, "staff1", "GET", T, 404, NOT_FOUND, "page"),
    ("18 17:05:02", 2, "telegram", "GET", T, 404, NOT_FOUND, "-"),
    ("18 19:30:40", 1, "aborter1", "GET", T, 404, NOT_FOUND, "page"),
    ("19 04:12:19", 2, "googlebot", "GET", T, 404, NOT_FOUND, "-"),
    ("19 10:01:55", 1, "archive", "GET", T, 404, NOT_FOUND, "-"),
    ("20 13:44:31", 2, "cached", "GET", T, 404, NOT_FOUND, "https://t.co/q8ZbW2mXcT"),
    ("21 09:20:08", 1, "kpn503", "GET", T, 404, NOT_FOUND, "page"),
]
MALFORMED = [(1, date(2020, 6, 3), "truncated"), (2, date(2020, 6, 5), "garbage"),
             (1, date(2020, 6, 6), "impossible_date")]

PAGES = ["/", "/", "/", "/nieuws/", "/over-ons/", "/contact/", "/locaties/", "/werken-bij/", "/werken-bij/vacatures/",
         "/asielzoekers/", "/asielzoekers/rechten-en-plichten/", "/gemeenten/", "/documenten/", "/pers/",
         "/actueel/wob-verzoeken/", "/privacy/", "/toegankelijkheid/", "/veelgestelde-vragen/"] + [
    f"/locaties/{x}/" for x in ("ter-apel", "budel-cranendonck", "zweeloo", "gilze", "musselkanaal", "den-helder")]
NEWS = [("2020-04-02", "coronamaatregelen-in-de-opvang"), ("2020-04-21", "extra-opvangplekken-in-zuid"),
        ("2020-05-06", "jaarverslag-2019-gepubliceerd"), ("2020-05-19", "nieuwe-locatie-in-gilze"),
        ("2020-05-28", "bezoekregeling-aangepast"), ("2020-06-03", "opvang-alleenstaande-minderjarigen"),
        ("2020-06-09", "werkbezoek-staatssecretaris-ter-apel"), ("2020-06-12", "reactie-op-berichtgeving-wob"),
        ("2020-06-17", "vacatures-woonbegeleiders"), ("2020-06-19", "datalek-gemeld-bij-ap")]
PDFS = {"/documenten/jaarverslag-2019.pdf": 2811044, "/documenten/brochures/welkom-in-de-opvang.pdf": 904312,
        "/documenten/coa-in-cijfers-2019.pdf": 412660}
ASSETS = {"/assets/css/main.css?v=20200515": 48213, "/assets/js/app.js?v=20200515": 91544,
          "/assets/img/logo.svg": 6120, "/assets/fonts/rijksoverheid-sans.woff2": 38412, "/favicon.ico": 5430}
SEARCH = ["ter apel", "vacatures", "wob", "jaarverslag", "klachten", "locatie budel", "corona", "mensenhandel",
          "wob verzoek", "contact"]
REFERERS = ["-"] * 6 + ["https://www.google.com/"] * 6 + ["https://www.google.nl/", "https://www.bing.com/",
            "https://duckduckgo.com/", "https://www.rijksoverheid.nl/", "https://nos.nl/", "https://t.co/4kLpQ2xZ"]
HOUR_WEIGHTS = [3, 2, 1, 1, 1, 2, 4, 8, 12, 14, 15, 14, 13, 14, 14, 13, 12, 11, 11, 12, 12, 10, 7, 5]
NL_V4 = ([f"84.{i}" for i in range(24, 32)] + [f"77.{i}" for i in range(160, 176)] + [f"86.{i}" for i in range(80, 96)]
         + [f"94.{i}" for i in range(208, 216)] + ["80.100", "80.101", "83.160", "83.161", "83.163", "89.99", "62.45",
         "145.53", "178.84", "143.176", "82.168", "87.208", "31.151", "62.131", "217.123", "213.127"])
BE_V4, V6 = ["81.82", "81.83", "91.178", "91.179"], ["2001:1c00", "2001:980", "2a02:a450"]


@dataclass
class Rec:
    t: datetime
    seq: int
    ip: str
    ua: str
    path: str
    status: int = 200
    nbytes: int | None = None
    ref: str = "-"
    method: str = "GET"
    proto: str = "HTTP/1.1"
    malformed: str = ""


def esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def render(r: Rec) -> bytes:
    assert r.t.month == 6
    stamp = f"{r.t.day:02d}/Jun/2020:{r.t:%H:%M:%S} +0200"
    size = "-" if not r.nbytes and r.status != 200 or r.nbytes is None else str(r.nbytes)
    line = (f'{r.ip} - - [{stamp}] "{esc(f"{r.method} {r.path} {r.proto}")}" {r.status} {size} '
            f'"{esc(r.ref)}" "{esc(r.ua)}"')
    if r.malformed == "truncated":
        line = line[: line.rindex('"', 0, len(line) - 1) + 24]  # cut 23 characters into the user agent
    elif r.malformed == "impossible_date":
        line = line.replace(f"{r.t.day:02d}/Jun/2020", "31/Jun/2020")
    elif r.malformed == "garbage":
        return b"\x00\x00\x00\x00\x8f\xa3\xff\xfe\xc3\x28 \x1b[0m\xe2\x82 GET /nieuws/ \xc0\xaf\x00\xde\xad\xbe\xef\n"
    return line.encode() + b"\n"


class Logs:
    def __init__(self) -> None:
        self.files: dict[tuple[int, date], list[Rec]] = defaultdict(list)
        self.seq = 0

    def add(self, server: int, t: datetime, ip: str, ua: str, path: str, **kw) -> None:
        if LOG_START <= t < LOG_END:
            self.seq += 1
            self.files[(server, t.date())].append(Rec(t, self.seq, ip, ua, path, **kw))


def page_size(path: str) -> int:
    return 9000 + int(hashlib.md5(path.encode()).hexdigest()[:6], 16) % 26000


def random_ip(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.08:
        groups = [f"{rng.randint(0x100, 0xffff):x}", f"{rng.randint(1, 0xff):x}00"] + [
            f"{rng.randint(0, 0xffff):x}" for _ in range(4)]
        return str(ipaddress.ip_address(rng.choice(V6) + ":" + ":".join(groups)))
    prefix = rng.choice(BE_V4 if r < 0.13 else NL_V4)
    return f"{prefix}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def make_clients(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    taken = {a[0] for a in ACTORS.values()}
    clients = []
    while len(clients) < n:
        ip = random_ip(rng)
        if ip in taken:
            continue
        taken.add(ip)
        family = rng.choices(list(UA_WEIGHTS), list(UA_WEIGHTS.values()))[0]
        proto = "HTTP/2.0" if family != "ie11" and rng.random() < 0.4 else "HTTP/1.1"
        clients.append((ip, rng.choice(UA[family]), proto))
    return clients


def site_pages(day: date) -> list[str]:
    news = [f"/nieuws/{d.replace('-', '/')}/{slug}" for d, slug in NEWS if date.fromisoformat(d) <= day]
    return PAGES + news + news[-3:] + news[-2:]  # recent news is read more


def visitor(logs: Logs, rng: random.Random, server: int, t: datetime, client, cached: set[str]) -> None:
    ip, ua, proto = client
    pages = site_pages(t.date())
    page = rng.choice(pages)
    ref = rng.choice(REFERERS)
    if rng.random() < 0.08:
        page, ref = "/zoeken?q=" + quote_plus(rng.choice(SEARCH)), SITE + "/"
    for step in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        if step:
            t += timedelta(seconds=rng.randint(6, 150))
            ref = ref if page in PDFS else SITE + page
            page = rng.choice(pages + list(PDFS))
        if rng.random() < 0.04 and page.endswith("/") and page != "/":
            logs.add(server, t, ip, ua, page[:-1], status=301, nbytes=251, ref=ref, proto=proto)
        elif rng.random() < 0.03:
            logs.add(server, t, ip, ua, "/nieuws/2018/oud-bericht-" + str(rng.randint(1, 40)), status=404,
                     nbytes=NOT_FOUND, ref=ref, proto=proto)
            continue
        if page == "/contact/" and rng.random() < 0.3:
            logs.add(server, t, ip, ua, page, method="POST", status=302, nbytes=0, ref=SITE + page, proto=proto)
            page = "/contact/bedankt/"
        size = PDFS.get(page) or page_size(page)
        if page in PDFS and rng.random() < 0.15:
            size = rng.randint(8, 60) * 4096  # reader closed the PDF early
        logs.add(server, t, ip, ua, page, nbytes=size, ref=ref, proto=proto)
        if page in PDFS:
            continue
        for asset, asize in ASSETS.items() if step == 0 else ():  # later pages: assets from memory cache
            t2, fresh = t + timedelta(seconds=rng.randint(0, 1)), rng.random()
            if ip not in cached or fresh < 0.05:
                logs.add(server, t2, ip, ua, asset, nbytes=asize, ref=SITE + page, proto=proto)
            elif fresh < 0.4:  # revalidated; otherwise still fresh in the browser cache: no request
                logs.add(server, t2, ip, ua, asset, status=304, ref=SITE + page, proto=proto)
        cached.add(ip)
    if "iPhone" in ua and rng.random() < 0.3:
        logs.add(server, t, ip, ua, "/apple-touch-icon.png", status=404, nbytes=NOT_FOUND, proto=proto)


def bot(logs: Logs, rng: random.Random, server: int, t: datetime) -> None:
    ua, prefixes, _ = rng.choices(BOTS, [b[2] for b in BOTS])[0]
    ip = f"{rng.choice(prefixes)}.{rng.randint(1, 254)}"
    if rng.random() < 0.2:
        logs.add(server, t, ip, ua, "/robots.txt", nbytes=412)
    for _ in range(rng.randint(1, 4)):
        t += timedelta(seconds=rng.randint(1, 40))
        page = rng.choice(site_pages(t.date()) + list(PDFS) + ["/sitemap.xml"])
        if rng.random() < 0.15:
            logs.add(server, t, ip, ua, page, status=304)
        else:
            logs.add(server, t, ip, ua, page, nbytes=PDFS.get(page) or page_size(page))


def scanner(logs: Logs, rng: random.Random, server: int, t: datetime) -> None:
    ua, ip = rng.choice(SCANNERS)
    for path in rng.sample(BAD_PATHS, rng.randint(2, 5)):
        t += timedelta(seconds=rng.randint(0, 2))
        status = 403 if path == "/.git/config" else 404
        logs.add(server, t, ip, ua, path, status=status, nbytes=NOT_FOUND if status == 404 else 199)


def ordinary(logs: Logs, rng: random.Random, clients, staff) -> None:
    cached: set[str] = set()
    day = LOG_START
    while day < LOG_END:
        hours = list(range(24)) if day.date() < LOG_END.date() else list(range(LOG_END.hour))
        weights = [HOUR_WEIGHTS[h] for h in hours]
        for server in (1, 2):
            wanted = rng.randint(420, 580) * sum(weights) // sum(HOUR_WEIGHTS)
            recs = logs.files[(server, day.date())]
            while len(recs) < wanted:
                t = day + timedelta(hours=rng.choices(hours, weights)[0], seconds=rng.randint(0, 3599))
                kind = rng.random()
                if kind < 0.14:
                    bot(logs, rng, server, t)
                elif kind < 0.18:
                    scanner(logs, rng, server, t)
                else:
                    office = 8 <= t.hour < 18 and day.weekday() < 5 and kind < 0.22
                    visitor(logs, rng, server, t, rng.choice(staff if office else clients), cached)
        day += timedelta(days=1)


def wob_documents(logs: Logs, rng: random.Random, clients) -> None:
    """The other Wob documents: downloaded while published, 404 after each takedown."""
    for start, end in PUBLISHED:
        t = start + timedelta(minutes=rng.randint(2, 15))
        while t < end:
            ip, ua, proto = rng.choice(clients)
            server = rng.randint(1, 2)
            logs.add(server, t, ip, ua, WOB_PAGE, nbytes=page_size(WOB_PAGE), ref=rng.choice(REFERERS), proto=proto)
            for doc in rng.sample(list(OTHER_DOCS), rng.randint(1, 2)):
                t += timedelta(seconds=rng.randint(5, 90))
                if t < end:
                    size = OTHER_DOCS[doc] if rng.random() < 0.9 else rng.randint(2, 9) * 4096
                    logs.add(server, t, ip, ua, doc, nbytes=size, ref=SITE + WOB_PAGE, proto=proto)
            t += timedelta(minutes=rng.randint(15, 150))
        for _ in range(8):
            t = end + timedelta(minutes=rng.randint(5, 60 * 60))
            ip, ua, proto = rng.choice(clients)
            logs.add(rng.randint(1, 2), t, ip, ua, rng.choice(list(OTHER_DOCS)), status=404, nbytes=NOT_FOUND,
                     ref=SITE + WOB_PAGE, proto=proto)


def target_events(logs: Logs, rng: random.Random) -> None:
    for when, server, actor, method, path, status, nbytes, ref in EVENTS:
        ip, ua, _ = ACTORS[actor]
        t = at(when)
        if ref == "page":  # the visitor first opened the Wob decision page
            logs.add(server, t - timedelta(seconds=rng.randint(8, 90)), ip, ua, WOB_PAGE,
                     nbytes=page_size(WOB_PAGE), ref=rng.choice(REFERERS[:9]))
            ref = SITE + WOB_PAGE
        logs.add(server, t, ip, ua, path, method=method, status=status, nbytes=nbytes, ref=ref)


def file_name(server: int, day: date) -> str:
    rotated = day + timedelta(days=1)
    if day == LOG_END.date():
        return f"web{server}/access.log"
    return f"web{server}/access.log-{rotated:%Y%m%d}" + (".gz" if day <= GZIP_UP_TO else "")


def write_logs(logs: Logs, rng: random.Random) -> tuple[dict[str, bytes], list[dict]]:
    for server, day, kind in MALFORMED:
        recs = logs.files[(server, day)]
        rng.choice([r for r in recs if 9 <= r.t.hour < 17 and len(r.ua) > 40]).malformed = kind
    for sub in ("web1", "web2", "export"):
        shutil.rmtree(OUT / sub, ignore_errors=True)
        (OUT / sub).mkdir(parents=True)
    contents, malformed = {}, []
    for (server, day), recs in sorted(logs.files.items()):
        recs.sort(key=lambda r: (r.t, r.seq))
        name = file_name(server, day)
        data = b"".join(render(r) for r in recs)
        malformed += [{"file": name, "line": n, "kind": r.malformed} for n, r in enumerate(recs, 1) if r.malformed]
        contents[name] = data
        with open(OUT / name, "wb") as f:
            if name.endswith(".gz"):
                with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
                    gz.write(data)
            else:
                f.write(data)
    contents[DUP_EXPORT] = contents[file_name(2, DUP_DAY)]
    (OUT / DUP_EXPORT).write_bytes(contents[DUP_EXPORT])
    return contents, malformed


# ---------------------------------------------------------------- independent recount from the written files
QUOTED = r'"((?:[^"\\]|\\.)*)"'
LINE_RE = re.compile(rf"^(\S+) \S+ \S+ \[([^\]]+)\] {QUOTED} (\d{{3}}) (\d+|-) {QUOTED} {QUOTED}$")


def parse(raw: bytes) -> dict | None:
    try:
        m = LINE_RE.match(raw.decode("utf-8"))
        t = datetime.strptime(m[2], "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC) if m else None
    except (UnicodeDecodeError, ValueError):
        return None
    request = re.sub(r"\\(.)", r"\1", m[3]).split(" ") if m else []
    if t is None or len(request) != 3:
        return None
    return {"ip": m[1], "t": t, "method": request[0], "path": request[1], "status": int(m[4]),
            "bytes": None if m[5] == "-" else int(m[5]), "ua": re.sub(r"\\(.)", r"\1", m[7])}


def iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def analyse(contents: dict[str, bytes]) -> dict:
    first_seen, duplicates, bad, reqs, lookalikes = {}, {}, [], [], []
    for name in sorted(contents, key=lambda n: (n.startswith("export/"), n)):
        digest = hashlib.sha256(contents[name]).hexdigest()
        if digest in first_seen:
            duplicates[name] = first_seen[digest]
            continue
        first_seen[digest] = name
        for no, raw in enumerate(contents[name].split(b"\n")[:-1], 1):
            r = parse(raw)
            if r is None:
                bad.append((name, no))
                continue
            r.update(file=name, line=no, internal=ipaddress.ip_address(r["ip"]) in INTERNAL)
            path = unquote(r["path"].split("?")[0])
            if path == TARGET:
                reqs.append(r)
            elif path.startswith(TARGET):
                lookalikes.append(r)
    reqs.sort(key=lambda r: (r["t"], r["file"], r["line"]))
    lookalikes.sort(key=lambda r: (r["t"], r["file"], r["line"]))
    windows, cur = [], None
    for r in reqs:
        if r["status"] in (200, 206, 304):
            cur = cur or {"first": r, "members": []}
            cur["last"] = r
            cur["members"].append(r)
        elif r["status"] in (404, 410) and cur:
            windows.append({**cur, "unavailable": r})
            cur = None
    assert cur is None, "the target must end unavailable"
    for w in windows:  # size inference: most common byte count of the window's 200 GETs
        sizes = Counter(r["bytes"] for r in w["members"] if r["method"] == "GET" and r["status"] == 200 and r["bytes"])
        (top, n1), (_, n2) = sizes.most_common(2)
        assert top == SIZE and n1 > n2, sizes
    downloads = []  # (kind, complete, parts)
    ranges = defaultdict(list)
    for r in reqs:
        if r["method"] == "GET" and r["status"] == 200:
            downloads.append(("200", (r["bytes"] or 0) >= SIZE, [r]))
        elif r["method"] == "GET" and r["status"] == 206:
            ranges[(r["ip"], r["ua"])].append(r)
    for parts in ranges.values():
        groups = [[parts[0]]]
        for r in parts[1:]:
            if r["t"] - groups[-1][-1]["t"] > timedelta(minutes=30):
                groups.append([])
            groups[-1].append(r)
        downloads += [("range", sum(p["bytes"] or 0 for p in g) >= SIZE, g) for g in groups]
    downloads.sort(key=lambda d: (d[2][-1]["t"], d[2][-1]["file"], d[2][-1]["line"]))
    external = [r for r in reqs if not r["internal"]]
    complete = [d for d in downloads if d[1] and not d[2][0]["internal"]]
    completers = {d[2][0]["ip"] for d in complete}
    for d in downloads:
        for p in d[2]:
            p["role"] = ("complete" if d[1] else "partial") + (" (range part)" if d[0] == "range" else
                                                               "" if d[1] else " (aborted 200)")
    for r in reqs:
        r.setdefault("role", "HEAD" if r["method"] == "HEAD" else "not modified" if r["status"] == 304
                     else "error" if r["status"] >= 400 else "other")
        if r["status"] == 304 and r["ip"] not in completers and not r["internal"]:
            r["role"] += " (copy before evidence)"
        r["role"] = ("internal " if r["internal"] else "") + r["role"]
    desc = {a[0]: a[2] for a in ACTORS.values()}
    assert len(duplicates) == 1
    return {
        "target": TARGET, "size_bytes": SIZE, "internal_cidr": str(INTERNAL),
        "windows": [{"first_available": iso(w["first"]["t"]), "last_available": iso(w["last"]["t"]),
                     "first_unavailable": iso(w["unavailable"]["t"])} for w in windows],
        "complete_downloads": [{"time": iso(g[-1]["t"]), "client_ip": g[0]["ip"], "user_agent": g[0]["ua"],
                                "kind": kind, "file": g[-1]["file"], "lines": [p["line"] for p in g],
                                "path": g[-1]["path"],
                                "client": desc[g[0]["ip"]]} for kind, _, g in complete],
        "distinct_ips": len(completers),
        "internal_complete_downloads": sum(1 for d in downloads if d[1] and d[2][0]["internal"]),
        "partial_downloads": sum(1 for d in downloads if not d[1] and not d[2][0]["internal"]),
        "head_requests": sum(1 for r in external if r["method"] == "HEAD"),
        "not_modified": sum(1 for r in external if r["status"] == 304),
        "errors": sum(1 for r in external if r["status"] >= 400),
        "copy_before_evidence": sorted({r["ip"] for r in external if r["status"] == 304} - completers),
        "malformed_lines": bad,
        "duplicate": [{"file": k, "duplicate_of": v} for k, v in duplicates.items()][0],
        "lines_per_file": {n: c.count(b"\n") for n, c in sorted(contents.items())},
        "target_requests": [{"time": iso(r["t"]), "file": r["file"], "line": r["line"], "client_ip": r["ip"],
                             "method": r["method"], "path": r["path"], "status": r["status"], "bytes": r["bytes"],
                             "role": r["role"]} for r in reqs],
        "lookalike_requests": [{"time": iso(r["t"]), "file": r["file"], "line": r["line"], "client_ip": r["ip"],
                                "path": r["path"], "status": r["status"]} for r in lookalikes],
    }


def check(truth: dict, malformed: list[dict]) -> None:
    """The recount must tell the intended story."""
    assert len(truth["complete_downloads"]) == 11 and truth["distinct_ips"] == 7, truth["complete_downloads"]
    expect = [("08 14:12:18", "11 10:47:03", "11 11:26:40"), ("15 09:31:55", "18 15:58:12", "18 16:40:09")]
    assert truth["windows"] == [dict(zip(("first_available", "last_available", "first_unavailable"),
                                         (iso(at(x)) for x in w), strict=True)) for w in expect]
    assert (truth["internal_complete_downloads"], truth["partial_downloads"]) == (3, 7)
    assert (truth["head_requests"], truth["not_modified"], truth["errors"]) == (3, 3, 14)
    assert truth["copy_before_evidence"] == [ACTORS["cached"][0]]
    assert truth["duplicate"] == {"file": DUP_EXPORT, "duplicate_of": file_name(2, DUP_DAY)}
    assert [(m["file"], m["line"]) for m in malformed] == truth["malformed_lines"]
    truth["malformed_lines"] = malformed
    assert sum(1 for d in truth["complete_downloads"] if d["kind"] == "range") == 1


README = """# Sample evidence: access logs of www.asielopvang.example, June 2020

Synthetic but realistic Apache **combined** access logs that reproduce the COA Wob leak of June 2020: a Wob decision published with an Excel annex `{target}` ({size} bytes) whose hidden rows held personal data, online twice for about three days. Every address, user agent and line was generated; none belongs to a real visitor.

## Layout

- `web1/`, `web2/`: two load-balanced servers, one file per day, rotated at local midnight by logrotate: `access.log-20200602` holds 1 June. Rotations up to `access.log-20200618.gz` (17 June) are gzipped (mtime 0, no name in the header); the three newest rotations are plain; `access.log` is the live file (21 June 00:00 to about 12:00).
- Times are local (`+0200`, CEST); Apache `%t` is when the request was received; lines are in time order.
- `{dup}`: the same rotated log handed over twice, byte-identical to the decompressed `{dup_of}`. It must be recognised by content hash and not counted twice.
- `README.md` (this file) is not a log.

Lines: web1 {web1}, web2 {web2} (plus {dup_lines} in the duplicate), {mb:.1f} MB uncompressed. Per-file counts: `tests/data/sample_truth.json`.

## Ground truth

Analyse with `--target {target} --internal 203.0.113.0/24`.

| window | first available | last available | first unavailable |
|---|---|---|---|
{windows}

**{n} complete external downloads from {ips} addresses** (a range download counts once, at its last part):

| # | time UTC | local (+0200) | address | client | kind | file:line |
|---|---|---|---|---|---|---|
{downloads}

Also: {internal} internal (staff, 203.0.113.0/24) complete downloads, {partial} external partial downloads, {head} external HEAD requests, {nm} external 304s, {errors} external error responses for the target. A 304 went to an address with no complete download in the evidence (copy before the evidence): {cbe}.

## Traps

Every other request for the target, none of them a complete external download:

| file:line | time UTC | address | request | status bytes | counts as |
|---|---|---|---|---|---|
{traps}

Also: 206 parts are grouped per address + user agent, a gap over 30 minutes starts a new group (86.87.220.15 on 16 June: two groups, each partial, together the full size). The other Wob documents in the same folder are downloaded in the same windows and answer 404 after each takedown.

## How they were made

`python scripts/make_sample_logs.py` (standard library only, `random.Random({seed})`) writes these files and `tests/data/sample_truth.json`; two runs give byte-identical output. The counts above are not typed in: the script recomputes them from the written files with its own implementation of the counting rules and asserts them against the intended story.

## The spreadsheet

`signalen-mensenhandel-2017-2020.xlsx` is a fictional stand-in for the leaked annex (written by `python scripts/make_sample_spreadsheet.py`, seeded, byte-identical on every run; every person in it is invented). It reproduces the 2020 pattern: a visible summary (4 rows of yearly counts), a whited-out block (header and 24 records in white font on white fill) and 1,100 hidden records (in hidden rows) with names, dates of birth, nationalities, phone numbers, licence plates and COA locations. `exposure inspect` reports what is in it. Log ingestion registers it as "not a log". The logs serve exactly its size ({size} bytes): the logs were generated after it, so `exposure inspect --target` shows that the downloaded version is this file.
"""


def readme(truth: dict, contents: dict[str, bytes]) -> str:
    def local(iso_utc: str) -> str:
        return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone(CEST).strftime("%d %b %H:%M:%S")

    def name(path: str) -> str:
        return "" if path == TARGET else f" `{path.rsplit('/', 1)[1]}`"

    lines = truth["lines_per_file"]
    windows = [f"| {i} | " + " | ".join(f"{w[k]} ({local(w[k])})" for k in w) + " |"
               for i, w in enumerate(truth["windows"], 1)]
    downloads = [f"| {i} | {d['time']} | {local(d['time'])} | {d['client_ip']} | {d['client']} | {d['kind']}"
                 f"{name(d['path'])} | {d['file']}:{','.join(map(str, d['lines']))} |"
                 for i, d in enumerate(truth["complete_downloads"], 1)]
    traps = [(r["file"], r["line"], r["time"], r["client_ip"], f"{r['method']}{name(r['path'])}",
              f"{r['status']} {'-' if r['bytes'] is None else r['bytes']}", r["role"])
             for r in truth["target_requests"] if not r["role"].startswith("complete")]
    traps += [(r["file"], r["line"], r["time"], r["client_ip"], f"GET{name(r['path'])}", f"{r['status']}",
               "look-alike path, not the target") for r in truth["lookalike_requests"]]
    traps += [(m["file"], m["line"], "", "", "", "", f"malformed line ({m['kind']})") for m in truth["malformed_lines"]]
    return README.format(
        target=TARGET, size=SIZE, dup=DUP_EXPORT, dup_of=truth["duplicate"]["duplicate_of"], seed=SEED,
        web1=sum(n for f, n in lines.items() if f.startswith("web1")), dup_lines=lines[DUP_EXPORT],
        web2=sum(n for f, n in lines.items() if f.startswith("web2")), mb=sum(map(len, contents.values())) / 1e6,
        windows="\n".join(windows), downloads="\n".join(downloads), n=len(downloads), ips=truth["distinct_ips"],
        internal=truth["internal_complete_downloads"], partial=truth["partial_downloads"],
        head=truth["head_requests"], nm=truth["not_modified"], errors=truth["errors"],
        cbe=", ".join(truth["copy_before_evidence"]),
        traps="\n".join(f"| {f}:{n} | {t} | {ip} | {req} | {sb} | {role} |" for f, n, t, ip, req, sb, role in traps))


def main() -> None:
    rng = random.Random(SEED)
    logs = Logs()
    clients = make_clients(rng, 1600)
    staff = [(f"203.0.113.{i}", rng.choice(UA["ie11"] + UA["edge"] + UA["chrome"][:1]), "HTTP/1.1")
             for i in range(10, 90, 3)]
    target_events(logs, rng)
    wob_documents(logs, rng, clients)
    ordinary(logs, rng, clients, staff)
    contents, malformed = write_logs(logs, rng)
    truth = analyse(contents)
    check(truth, malformed)
    TRUTH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(readme(truth, contents), encoding="utf-8")
    print(f"wrote {len(contents)} log files, truth: {len(truth['complete_downloads'])} complete downloads "
          f"from {truth['distinct_ips']} addresses")


if __name__ == "__main__":
    main()
