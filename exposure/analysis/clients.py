"""Who the clients were: address facts (internal, network type) and user-agent classes, batched per distinct value.

Both functions take the distinct values once (never one call per request) and return one row per value;
the analysis stores them as the tables `client_info` and `ua_class` that the target queries join.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import InputError

CLIENT_CLASSES = ("browser", "crawler", "archive", "link-preview", "tool", "scanner", "monitoring", "unknown")
CGN = ipaddress.ip_network("100.64.0.0/10")
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_cidrs(values: Iterable[str]) -> list[Network]:
    """Validate CIDRs (or single addresses) from the command line; one clear error for a bad one."""
    nets: list[Network] = []
    for value in values:
        try:
            nets.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise InputError(f"invalid CIDR or address: {value!r}") from None
    return nets


def normalise_address(text: str | None) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address | None, str | None]:
    """(address, zone id) for a client field, or (None, None) for a hostname. `::ffff:a.b.c.d` becomes IPv4."""
    if not text:
        return None, None
    value = text.strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    zone = None
    if "%" in value:
        value, zone = value.split("%", 1)
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None, None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped, zone
    return addr, zone


def network_type(addr: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> str:
    """public | private | shared (carrier-grade NAT) | loopback | link-local | reserved | hostname."""
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


def describe_addresses(clients: Sequence[str | None], internal: Sequence[Network]) -> pd.DataFrame:
    """One row per distinct client: internal flag (in an --internal range) and network type."""
    rows = []
    for client in sorted({c for c in clients if c is not None}):
        addr, _zone = normalise_address(client)
        rows.append({
            "client": client,
            "address": str(addr) if addr is not None else None,
            "internal": addr is not None and any(addr.version == n.version and addr in n for n in internal),
            "network_type": network_type(addr),
        })
    return pd.DataFrame(rows, columns=["client", "address", "internal", "network_type"])


def classify_user_agents(agents: Sequence[str | None]) -> pd.DataFrame:
    """One row per distinct user agent (NULL included): client_class and the claimed client name."""
    rows = []
    for ua in sorted({a for a in agents if a is not None}) + ([None] if None in agents else []):
        cls, name = _classify(ua)
        rows.append({"user_agent": ua, "client_class": cls, "client_name": name})
    return pd.DataFrame(rows, columns=["user_agent", "client_class", "client_name"])


_RULES: list[tuple[str, str, str]] = [
    ("archive.org_bot", "archive", "Internet Archive"),
    ("ia_archiver", "archive", "Internet Archive (Alexa)"),
    ("ccbot", "archive", "Common Crawl"),
    ("archive.today", "archive", "archive.today"),
    ("slackbot", "link-preview", "Slack"),
    ("whatsapp", "link-preview", "WhatsApp"),
    ("telegrambot", "link-preview", "Telegram"),
    ("twitterbot", "link-preview", "Twitter/X"),
    ("facebookexternalhit", "link-preview", "Facebook"),
    ("linkedinbot", "link-preview", "LinkedIn"),
    ("discordbot", "link-preview", "Discord"),
    ("skypeuripreview", "link-preview", "Microsoft Teams/Skype"),
    ("googlebot", "crawler", "Googlebot"),
    ("bingbot", "crawler", "Bingbot"),
    ("yandex", "crawler", "Yandex"),
    ("duckduckbot", "crawler", "DuckDuckBot"),
    ("baiduspider", "crawler", "Baiduspider"),
    ("curl/", "tool", "curl"),
    ("wget", "tool", "Wget"),
    ("python-requests", "tool", "python-requests"),
    ("python-urllib", "tool", "Python urllib"),
    ("go-http-client", "tool", "Go http client"),
    ("bot", "crawler", "unnamed bot"),
    ("spider", "crawler", "unnamed spider"),
    ("crawl", "crawler", "unnamed crawler"),
    ("mozilla/", "browser", "browser"),
    ("opera/", "browser", "browser"),
]


def _classify(ua: str | None) -> tuple[str, str | None]:
    if not ua or not ua.strip():
        return "unknown", None
    low = ua.lower()
    for needle, cls, name in _RULES:
        if needle in low:
            return cls, name
    return "unknown", None
