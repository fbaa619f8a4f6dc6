"""Who the clients were: address facts (internal, network type, GeoIP/ASN) and user-agent classes.

Both functions take the distinct values once (never one call per request) and return one row per value;
the analysis stores them as the tables `client_info` and `ua_class` that the target queries join.

User agents are classified from maintained data, not from a regex list kept here:
- `crawler-user-agents` (its patterns and tags) says which agents are bots and of what kind;
- `ua-parser` (uap-core regexes) names browsers, operating systems and tools.
What this module adds is small and documented below: how a crawler-user-agents tag maps to our classes
(`TAG_CLASS`), a few per-pattern corrections (`PATTERN_CLASS`), the operator names we print
(`PATTERN_NAME`) and signatures the data lacks (`SIGNATURES`: Apple's iMessage link preview, CloudFront's cache fill).

A user agent is a claim. `crawler_ranges.json` (exposure/data) ships the published address ranges of the
operators that publish them, with the operator's URL, the mirror read and the recording date; an address inside
the claimed operator's ranges makes the claim verified (queries/spread.sql does the join), anything else stays
"claimed, not verified". An operator that publishes no ranges (Meta, Slack) is listed without prefixes and its
note: its claims are "claimed, not verifiable from logs" (README: forward-confirmed reverse DNS by hand).
archive.today fetches with an ordinary browser user agent, so it cannot be recognised from the agent.
"""

from __future__ import annotations

import bisect
import ipaddress
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import uaparse
from .addresses import Network, normalise_address

if TYPE_CHECKING:
    import pandas as pd

    from .geo import GeoLookup

CLIENT_CLASSES = ("browser", "crawler", "archive", "link-preview", "cdn", "tool", "scanner", "monitoring", "unknown")
CGN = ipaddress.ip_network("100.64.0.0/10")
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]

# A client written in digits and dots that is no IPv4 address as a server writes one (four decimal numbers 0-255,
# no leading zero: what ipaddress and queries/addresses.sql address_v4 accept): `010.001.002.003`, `1.2.3`. No host
# name either (no host name is all digits, RFC 1123 2.1), and no address a server writes: Apache and nginx write the
# connection's address canonically. Ambiguous where it has a leading zero (inet_aton reads 010 as octal 8:
# 8.1.2.3; others decimal 10.1.2.3): a sign of an altered log or another tool's. Its network type is NOT_CANONICAL,
# it has no address (never looked up, never joined with either reading), and the file's requests that name one are
# the finding `not canonical address` (queries/findings.sql, by address_not_canonical: the same rule in SQL).
NOT_CANONICAL = "not canonical"
DIGITS_AND_DOTS = re.compile(r"[0-9.]+")


def not_canonical(client: str | None) -> bool:
    """Whether a client field is written in digits and dots and is no canonical IPv4 address (NOT_CANONICAL)."""
    return bool(client) and DIGITS_AND_DOTS.fullmatch(client or "") is not None and normalise_address(client)[0] is None


def network_type(addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> str:
    """public | private | shared (carrier-grade NAT) | loopback | link-local | reserved | hostname (no address;
    `address_facts` says `not canonical` of digits and dots that are none: NOT_CANONICAL)."""
    if addr is None:
        return "hostname"
    if addr.is_loopback:
        return "loopback"
    if addr.is_link_local:
        return "link-local"
    if isinstance(addr, ipaddress.IPv4Address) and addr in CGN:
        return "shared"
    if any(addr.version == n.version and addr in n for n in PRIVATE):
        return "private"
    if addr.is_reserved or addr.is_multicast or addr.is_unspecified or not addr.is_global:
        return "reserved"
    return "public"


# -- the tables the target queries join ----------------------------------------------------------------
CLIENT_INFO_COLUMNS: tuple[tuple[str, str], ...] = (
    ("client", "VARCHAR"), ("address", "VARCHAR"), ("internal", "BOOLEAN"), ("network_type", "VARCHAR"),
    ("published_ranges", "VARCHAR[]"),  # operators (crawler_ranges.json) whose published ranges hold the address
    ("country", "VARCHAR"), ("city", "VARCHAR"), ("accuracy_radius", "INTEGER"),
    ("asn", "BIGINT"), ("as_org", "VARCHAR"), ("geo_note", "VARCHAR"),
)
UA_CLASS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("user_agent", "VARCHAR"), ("client_class", "VARCHAR"), ("client_name", "VARCHAR"),
    ("claimed_operator", "VARCHAR"),  # the bot operator the agent names (a claim), else NULL
    ("ranges_operator", "VARCHAR"),   # its id in crawler_ranges.json when ranges are shipped, else NULL
    ("ranges_source", "VARCHAR"),     # where those ranges came from and when they were recorded
    ("matched_pattern", "VARCHAR"),   # the crawler-user-agents pattern (or signature) that matched
    ("crawler_tags", "VARCHAR"),      # its crawler-user-agents tags
    ("ua_family", "VARCHAR"), ("os", "VARCHAR"),  # ua-parser's agent and OS families
)


def table_ddl(name: str) -> str:
    """CREATE statement for the TEMP table `client_info` or `ua_class` (typed, also when empty)."""
    cols = {"client_info": CLIENT_INFO_COLUMNS, "ua_class": UA_CLASS_COLUMNS}[name]
    return f"CREATE OR REPLACE TEMP TABLE {name} (" + ", ".join(f"{c} {t}" for c, t in cols) + ")"


# -- addresses -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OperatorRanges:
    operator: str
    name: str
    claims: tuple[str, ...]  # crawler-user-agents patterns that claim this operator
    source_url: str
    recorded: str | None
    prefixes: tuple[Network, ...]
    note: str | None = None  # why claims cannot be verified here, for operators without shipped prefixes

    @property
    def source(self) -> str:
        if not self.prefixes:
            return f"{self.note} ({self.source_url})"
        return f"{self.source_url}, recorded {self.recorded}"


@cache
def operator_ranges() -> tuple[OperatorRanges, ...]:
    """The shipped published ranges (exposure/data/crawler_ranges.json)."""
    data = json.loads(resources.files("exposure").joinpath("data/crawler_ranges.json").read_text("utf-8"))
    return tuple(OperatorRanges(o["operator"], o["name"], tuple(o["claims"]), o["source_url"], o.get("recorded"),
                                tuple(ipaddress.ip_network(p) for p in o["prefixes"]), o.get("note"))
                 for o in data["operators"])


@cache
def _range_index() -> dict[int, tuple[list[int], list[tuple[int, str]]]]:
    """Per IP version: the start of every published prefix, sorted, and (its last address, operator) in the same
    order; one bisect finds the candidates for an address however many thousand prefixes are shipped."""
    rows: dict[int, list[tuple[int, int, str]]] = {4: [], 6: []}
    for o in operator_ranges():
        for net in o.prefixes:
            rows[net.version].append((int(net.network_address), int(net.broadcast_address), o.operator))
    index = {}
    for version, items in rows.items():
        items.sort()
        index[version] = ([a for a, _, _ in items], [(b, op) for _, b, op in items])
    return index


# the longest prefix shipped spans at most this many addresses before an address (a /19 in IPv4 today; the
# bound is computed, so a wider prefix is still found)
@cache
def _widest() -> dict[int, int]:
    return {v: max((int(n.num_addresses) for o in operator_ranges() for n in o.prefixes if n.version == v), default=1)
            for v in (4, 6)}


def published_ranges_of(addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> list[str]:
    """Operators whose shipped ranges contain the address (in the order of crawler_ranges.json)."""
    if addr is None:
        return []
    return _published_at(addr.version, int(addr))


def _published_at(version: int, value: int) -> list[str]:
    starts, ends = _range_index()[version]
    hi = bisect.bisect_right(starts, value)
    lo = bisect.bisect_left(starts, value - _widest()[version] + 1, 0, hi)
    if lo == hi:
        return []
    found = {op for (end, op) in ends[lo:hi] if end >= value}
    return [o.operator for o in operator_ranges() if o.operator in found] if found else []


ADDRESS_FACTS = ("address", "network_type", "published_ranges")  # what an address is, whatever the options


def address_facts(client: str) -> dict[str, Any]:
    """What a client address is, whatever the analysis options: its normalised `address` (None for a host
    name and for digits and dots that are no canonical address), `network_type` and the operators whose
    `published_ranges` hold it."""
    addr, _zone = normalise_address(client)
    kind = NOT_CANONICAL if addr is None and not_canonical(client) else network_type(addr)
    return {"address": str(addr) if addr is not None else None, "network_type": kind,
            "published_ranges": published_ranges_of(addr)}


# A client written as plain dotted-quad IPv4, as ipaddress accepts it (ASCII digits, no leading zero, each <= 255
# checked after): most clients of a log. Anything else (IPv6, a zone id, brackets, a host name) takes address_facts.
DOTTED_QUAD = re.compile(r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})")


@cache
def _v4_types() -> tuple[list[int], list[str]]:
    """The IPv4 space as sorted, merged ranges of one network type: (first address of each range, its type).
    The types are what `network_type` says, asked once at the start of each range: every network ipaddress's
    properties and our own CGN/PRIVATE lists are made of bounds a range, so the type is constant inside one
    (tests/analysis/test_address_facts.py compares the two over special and random addresses)."""
    nets: list[ipaddress.IPv4Network] = [CGN, *(n for n in PRIVATE if n.version == 4)]
    constants = ipaddress._IPv4Constants  # type: ignore[attr-defined]  # the networks behind is_private & co.
    for name in dir(constants):
        value = getattr(constants, name)
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, ipaddress.IPv4Network):
                nets.append(item)
            elif isinstance(item, ipaddress.IPv4Address):
                nets.append(ipaddress.IPv4Network(item))
    bounds = {0}
    for net in nets:
        bounds.add(int(net.network_address))
        bounds.add(int(net.broadcast_address) + 1)
    starts: list[int] = []
    types: list[str] = []
    ordered = sorted(b for b in bounds if b < 1 << 32)
    for i, start in enumerate(ordered):
        kind = network_type(ipaddress.IPv4Address(start))
        end = (ordered[i + 1] if i + 1 < len(ordered) else 1 << 32) - 1
        if network_type(ipaddress.IPv4Address(end)) != kind:  # a bound ipaddress keeps elsewhere: refuse to guess
            raise RuntimeError(f"IPv4 network types not constant from {start} to {end}")
        if not types or types[-1] != kind:
            starts.append(start)
            types.append(kind)
    return starts, types


def warm() -> None:
    """Build what describing addresses and classifying agents read whatever the values (the shipped ranges,
    the IPv4 types, crawler-user-agents' pre-filter, ua-parser's pure-Python resolver and its spider candidates):
    0.1 s of imports, parsing and compiling that an ingest does in a thread while its files are read
    (exposure/derived.py)."""
    from crawleruseragents import is_crawler

    _v4_types()
    _widest()
    _range_index()
    _crawler_data()
    is_crawler("")  # compiles the package's pre-filter chunks
    uaparse.basic_parser()
    _spider_candidates()
    # not ua-parser-rs's pre-filters (0.14 CPU-s to build): agent_rows builds them where there are enough agents


def v4_types() -> tuple[list[int], list[str]]:
    """The IPv4 space as ranges of one network type: (first address of each range, its type), sorted."""
    return _v4_types()


def published_v4() -> tuple[list[int], list[tuple[int, str]]]:
    """The shipped IPv4 prefixes: their first addresses, sorted, and (last address, operator) in the same order."""
    return _range_index()[4]


def address_facts_many(clients: Sequence[str]) -> dict[str, list[Any]]:
    """`address_facts` of many clients as columns (client, address, network_type, published_ranges), the same
    values: plain IPv4 by integer and bisect over `_v4_types` and the published ranges; the rest one by one."""
    starts, types = _v4_types()
    out: dict[str, list[Any]] = {"client": [], **{name: [] for name in ADDRESS_FACTS}}
    for client in clients:
        m = DOTTED_QUAD.fullmatch(client)
        octets = [int(g) for g in m.groups()] if m else None
        if octets is not None and max(octets) <= 255:
            value = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]
            facts = (client, types[bisect.bisect_right(starts, value) - 1], _published_at(4, value))
        else:
            f = address_facts(client)
            facts = (f["address"], f["network_type"], f["published_ranges"])
        out["client"].append(client)
        for name, fact in zip(ADDRESS_FACTS, facts, strict=True):
            out[name].append(fact)
    return out


def describe_addresses(clients: Sequence[str | None], internal: Sequence[Network], *,
                       geo: GeoLookup | None = None,
                       first_seen: Mapping[str, datetime] | None = None) -> pd.DataFrame:
    """One row per distinct client: internal flag, network type, published crawler ranges and, when `geo`
    is given, GeoIP/ASN facts (public addresses only; one lookup per distinct address). `first_seen` (per
    client) lets the GeoIP note say when a database is older than the requests it describes."""
    import pandas as pd

    distinct = sorted({c for c in clients if c is not None})
    many = address_facts_many(distinct)
    worked_out = {c: dict(zip(ADDRESS_FACTS, facts, strict=True))
                  for c, *facts in zip(many["client"], *(many[name] for name in ADDRESS_FACTS), strict=True)}
    rows = []
    for client in distinct:
        facts = worked_out[client]
        address = facts["address"]
        inside = False
        if address is not None and internal:
            addr = ipaddress.ip_address(address)
            inside = any(addr.version == n.version and addr in n for n in internal)
        rows.append({"client": client, "address": address, "internal": inside,
                     "network_type": facts["network_type"], "published_ranges": list(facts["published_ranges"])})
    geo_facts: dict[str, dict[str, Any]] = {}
    if geo is not None:
        seen = first_seen or {}
        geo_facts = geo.describe([(r["address"], r["network_type"], seen.get(r["client"])) for r in rows
                                  if r["address"] is not None])
    for r in rows:
        f = geo_facts.get(r["address"], {}) if r["address"] is not None else {}
        for col, _type in CLIENT_INFO_COLUMNS[5:]:
            r[col] = f.get(col)
    return pd.DataFrame(rows, columns=[c for c, _t in CLIENT_INFO_COLUMNS])


# -- user agents -----------------------------------------------------------------------------------------
# crawler-user-agents tag -> our class. Tags not in the table (and a bot ua-parser recognises but the
# list does not) are "crawler". When one agent matches several patterns the class earliest in
# CLASS_PRIORITY wins: a link-preview fetcher built on python-requests is a link preview, not a tool.
TAG_CLASS = {
    "archiver": "archive",
    "social-preview": "link-preview",
    "search-engine": "crawler",
    "scanner": "scanner",
    "monitoring": "monitoring",
    "http-library": "tool",
    "browser-automation": "tool",
    "seo": "crawler",
    "advertising": "crawler",
    "feed-reader": "crawler",
    "ai-crawler": "crawler",
    "academic": "crawler",
}
CLASS_PRIORITY = ("archive", "link-preview", "scanner", "monitoring", "crawler", "cdn", "tool")
# Corrections where a tag misleads for our question: Common Crawl publishes its crawl as an open web
# archive (tagged ai-crawler upstream); Qualys is a vulnerability scanner (tagged monitoring upstream).
PATTERN_CLASS = {"CCBot": "archive", "Qualys": "scanner"}
# The operator a pattern names, as printed in the spread summary.
PATTERN_NAME = {
    "archive\\.org_bot": "Internet Archive", "ia_archiver": "Internet Archive (Alexa)",
    "Archive-It": "Internet Archive (Archive-It)", "heritrix": "Heritrix (Internet Archive crawler software)",
    "Wayback": "Internet Archive (Wayback)", "ArchiveBot": "Archive Team", "CCBot": "Common Crawl",
    "Slackbot": "Slack", "Slack-ImgProxy": "Slack", "WhatsApp": "WhatsApp", "TelegramBot": "Telegram",
    "Twitterbot": "Twitter/X", "facebookexternalhit": "Facebook", "Facebot": "Facebook",
    "LinkedInBot": "LinkedIn", "SkypeUriPreview": "Microsoft Teams/Skype", "MicrosoftPreview\\/": "Microsoft Teams/Outlook",
    "Discordbot": "Discord", "Googlebot\\/": "Googlebot", "bingbot": "Bingbot", "BingPreview\\/": "Bing preview",
    "Viber": "Viber", "Mastodon": "Mastodon", "redditbot": "Reddit", "Applebot": "Applebot",
}
# A signature crawler-user-agents lacks: Apple Messages (iMessage) unfurls links with a Safari agent that
# appends "facebookexternalhit/1.1 Facebot Twitterbot/1.0"; it is neither Facebook nor Twitter.
# CloudFront fills its cache from the origin with the agent `Amazon CloudFront` and nothing else: a CDN's copy,
# which it may serve to any number of viewers logged only in the CDN's own logs (queries/cdn.sql cdn_cache_fills).
# The whole agent, not crawler-user-agents' pattern (tagged http-library there, found anywhere in an agent): a
# browser's agent with those words appended is no cache fill.
SIGNATURES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"Safari/[\d.]+ facebookexternalhit/1\.1 Facebot Twitterbot/1\.0$"), "link-preview",
     "iMessage (Apple Messages)"),
    (re.compile(r"^Amazon CloudFront$"), "cdn", "Amazon CloudFront (CDN cache fill)"),
)


def classes_key() -> str:
    """A digest of this module's own class rules (the tables above): a class kept in a case (exposure/derived.py
    `rule`) was worked out with them, so a case classed before a correction (`Amazon CloudFront` a tool) is classed
    again, also under the same tool version."""
    import hashlib

    tables = (CLIENT_CLASSES, TAG_CLASS, CLASS_PRIORITY, PATTERN_CLASS, PATTERN_NAME,
              tuple((p.pattern, cls, name) for p, cls, name in SIGNATURES))
    return hashlib.sha256(repr(tables).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class AgentClass:
    client_class: str
    client_name: str | None = None
    claimed_operator: str | None = None
    ranges_operator: str | None = None
    ranges_source: str | None = None
    matched_pattern: str | None = None
    crawler_tags: str | None = None
    ua_family: str | None = None
    os: str | None = None


def classify_user_agents(agents: Sequence[str | None]) -> pd.DataFrame:
    """One row per distinct user agent (NULL included): class, claimed name/operator and how it was found."""
    import pandas as pd

    rows = [agent_row(ua) for ua in sorted({a for a in agents if a is not None}) + ([None] if None in agents else [])]
    return pd.DataFrame(rows, columns=[c for c, _t in UA_CLASS_COLUMNS])


# distinct agents from which ua-parser-rs's pre-filters (exposure/uaparse.py) pay for their building (0.14 CPU-s):
# measured on crawler-user-agents' examples, from a fresh process, 10 agents took 0.09 s with the pure-Python
# parsers and 0.19 s with the pre-filters, 400 agents 0.28 and 0.34 s, 1,200 agents 0.62 and 0.55 s
PREFILTER_FROM = 500


def agent_rows(agents: Sequence[str | None]) -> list[dict[str, Any]]:
    """`agent_row` of each agent, with ua-parser-rs's pre-filters only for PREFILTER_FROM agents or more (an
    ingest of a few new agents does not build them); the same rows either way (tests/analysis/test_clients_fast.py)."""
    prefilter = len(agents) >= PREFILTER_FROM
    return [agent_row(ua, prefilter) for ua in agents]


def agent_row(ua: str | None, prefilter: bool = True) -> dict[str, Any]:
    """One user agent's row of `ua_class` (UA_CLASS_COLUMNS)."""
    return {"user_agent": ua, **classify_user_agent(ua, prefilter).__dict__}


def classify_user_agent(ua: str | None, prefilter: bool = True) -> AgentClass:
    """The class of one user agent (see the module doc for the data behind it). `prefilter`: with ua-parser-rs's
    pre-filters where installed (exposure/uaparse.py), the same answers, faster per agent once built."""
    if ua is None or ua.strip() in ("", "-"):
        return AgentClass("unknown")
    browser, os_name = _parse(ua, prefilter)
    for pattern, cls, name in SIGNATURES:
        if pattern.search(ua):
            return AgentClass(cls, name, claimed_operator=name, matched_pattern=pattern.pattern,
                              crawler_tags="exposure-signature", ua_family=browser, os=os_name)
    matches = _crawler_matches(ua, prefilter)
    if matches:
        def rank(m: tuple[str, tuple[str, ...]]) -> int:
            return CLASS_PRIORITY.index(_pattern_class(*m))
        pattern, tags = min(matches, key=rank)
        cls = _pattern_class(pattern, tags)
        name = PATTERN_NAME.get(pattern) or (browser if browser != "Other" else None) or pattern.replace("\\", "")
        claims = cls in ("archive", "link-preview", "crawler", "monitoring")
        ranges = next((o for o in operator_ranges() if pattern in o.claims), None) if claims else None
        return AgentClass(cls, name, claimed_operator=name if claims else None,
                          ranges_operator=ranges.operator if ranges and ranges.prefixes else None,
                          ranges_source=ranges.source if ranges else None,
                          matched_pattern=pattern, crawler_tags=",".join(tags), ua_family=browser, os=os_name)
    if _spider(ua, prefilter):  # a bot ua-parser knows but crawler-user-agents does not
        return AgentClass("crawler", browser, matched_pattern="ua-parser: Spider",
                          ua_family=browser, os=os_name)
    if browser != "Other" and ua.lstrip().startswith(("Mozilla/", "Opera/")):
        return AgentClass("browser", _browser_name(ua, browser, os_name, prefilter), ua_family=browser, os=os_name)
    if browser != "Other":  # a named non-browser client (aria2, Java, ...): a tool
        return AgentClass("tool", browser, matched_pattern="ua-parser", ua_family=browser, os=os_name)
    return AgentClass("unknown", None, ua_family=None, os=os_name)


def _pattern_class(pattern: str, tags: tuple[str, ...]) -> str:
    if pattern in PATTERN_CLASS:
        return PATTERN_CLASS[pattern]
    classes = [TAG_CLASS.get(t, "crawler") for t in tags] or ["crawler"]
    return min(classes, key=CLASS_PRIORITY.index)


@cache
def _crawler_data() -> tuple[tuple[str, tuple[str, ...]], ...]:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    return tuple((d["pattern"], tuple(d.get("tags", ()))) for d in CRAWLER_USER_AGENTS_DATA)


@cache
def _crawler_patterns() -> tuple[str, ...]:
    return tuple(pattern for pattern, _tags in _crawler_data())


@cache
def _crawler_rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _crawler_chunks() -> tuple[list[re.Pattern[str]], int] | None:
    """crawler-user-agents' own pre-filter: its patterns joined by `|` in chunks of CHUNK_SIZE, in data order
    (compiled by `is_crawler` anyway), or None when the package no longer has them."""
    import crawleruseragents

    chunks = getattr(crawleruseragents.CRAWLER_PATTERNS, "_chunks_case_sensitive", None)
    size = getattr(crawleruseragents, "CHUNK_SIZE", None)
    if not isinstance(chunks, list) or not isinstance(size, int) or len(chunks) != -(-len(_crawler_data()) // size):
        return None
    return chunks, size


def _crawler_matches(ua: str, prefilter: bool = True) -> list[tuple[str, tuple[str, ...]]]:
    """Every crawler-user-agents pattern the agent matches, in the data's order. A pattern is compiled and tried
    only inside a chunk of the pre-filter that matched (an alternation matches when one of its patterns does; no
    pattern uses a group reference that joining would renumber): 8 new agents took 0.21 s compiling all 1,504."""
    from crawleruseragents import is_crawler

    if prefilter and uaparse.readable(ua):  # ua-parser-rs's pre-filter: none of the patterns matches where it finds none
        first = uaparse.first_match(_crawler_patterns())
        if first is not None and first(ua) is None:
            return []
    if not is_crawler(ua):  # the package's chunked pre-filter: most agents are browsers
        return []
    data = _crawler_data()
    found = _crawler_chunks()
    if found is None:
        candidates = range(len(data))
    else:
        chunks, size = found
        candidates = (i for c, rx in enumerate(chunks) if rx.search(ua)
                      for i in range(c * size, min((c + 1) * size, len(data))))
    return [data[i] for i in candidates if _crawler_rx(data[i][0]).search(ua)]


def _parse(ua: str, prefilter: bool = True) -> tuple[str, str | None]:
    """ua-parser's agent family ("Other" when none) and OS family (None when none): its device is read only by
    `_spider`, when the answer needs it."""
    from ua_parser import Domain

    parser = uaparse.parser_for(ua, prefilter)
    try:
        result = parser(ua, Domain.USER_AGENT | Domain.OS)
    except ValueError:  # the first OS pattern it matches gives no family (hostile text): no OS named
        return _family(parser(ua, Domain.USER_AGENT).user_agent), None
    os_name = result.os.family if result.os is not None and result.os.family != "Other" else None
    return _family(result.user_agent), os_name


def _family(agent: Any) -> str:
    return agent.family if agent is not None else "Other"


SPIDER = "Spider"
_GROUP_REF = re.compile(r"\$\d")


@cache
def _spider_candidates() -> tuple[list[Any], list[tuple[int, int]]] | None:
    """ua-parser's device matchers in order, and (position, piece) for each that can name the device "Spider":
    piece 0 for one whose family is "Spider" or has letters of its own that could spell it; for a family made
    only of match groups (`$1`, `$1 $2`, ...: 300 of the 633), the length of a part of "Spider" the agent must
    contain for its groups to spell it (k groups split the word into at most k pieces, one of them at least
    ceil(6 / k) long). None when ua-parser's matchers do not look like this any more (then the device is
    parsed whole)."""
    from ua_parser import load_lazy_builtins

    devices = list(load_lazy_builtins()[2])
    found: list[tuple[int, int]] = []
    for i, matcher in enumerate(devices):
        family = getattr(matcher, "family", None)
        if not isinstance(family, str) or not isinstance(getattr(matcher, "regex", None), str):
            return None
        refs = len(_GROUP_REF.findall(family))
        letters = [part.strip() for part in _GROUP_REF.split(family) if part.strip()]
        if not refs:
            if family.strip() == SPIDER:
                found.append((i, 0))
        elif letters:
            # the result is the letters and the groups' text in order: every run of letters must be in the word
            if all(part in SPIDER for part in letters):
                found.append((i, 0))
        else:
            found.append((i, -(-len(SPIDER) // refs)))
    return devices, found


def _spider(ua: str, prefilter: bool = True) -> bool:
    """Whether ua-parser names the agent's device "Spider" (its first matching device pattern gives that family).
    The whole device parse where ua-parser-rs pre-filters it (exposure/uaparse.py); else trying only the patterns
    that could: a browser's device is "Other" only after all 633 of them, 0.07 s of compiling for the first agent
    of a process. The first candidate that names "Spider" is the answer only when no pattern before it matches
    (tests/analysis/test_clients.py compares both with the whole pure-Python parse).
    ua-parser raises where the first device pattern an agent matches gives no family (`AIRIS  ;`, `CELKON_`: text
    anyone can send); that device is named nothing, so not "Spider". A candidate that raises matched, so the
    first match is it or one before it, and no pattern before it names "Spider" (the candidates are tried in
    order): not "Spider" either way, as the whole parse says."""
    parser = uaparse.parser_for(ua, prefilter)  # pre-filtered by ua-parser-rs: the whole device parse below is cheap
    known = _spider_candidates() if parser is uaparse.basic_parser() else None
    try:
        if known is None:
            device = parser.parse_device(ua)
            return device is not None and device.family == SPIDER
        devices, candidates = known
        for position, piece in candidates:
            if piece and not any(SPIDER[i:i + piece] in ua for i in range(len(SPIDER) - piece + 1)):
                continue
            device = devices[position](ua)
            if device is not None and device.family == SPIDER:
                return not any(devices[j](ua) for j in range(position))
        return False
    except ValueError:  # a device pattern matched whose groups gave no family
        return False


def _browser_name(ua: str, family: str, os_name: str | None, prefilter: bool = True) -> str:
    agent = uaparse.parser_for(ua, prefilter).parse_user_agent(ua)
    version = f" {agent.major}" if agent is not None and agent.major else ""
    return f"{family}{version}" + (f" on {os_name}" if os_name else "")
