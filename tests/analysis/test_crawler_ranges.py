"""The shipped crawler ranges (exposure/data/crawler_ranges.json): sourced, parseable, and looked up exactly."""

from __future__ import annotations

import ipaddress
import json
from importlib import resources

import pytest
from crawleruseragents import CRAWLER_USER_AGENTS_DATA

from exposure.clients import classify_user_agent, operator_ranges, published_ranges_of

DATA = json.loads(resources.files("exposure").joinpath("data/crawler_ranges.json").read_text("utf-8"))


def test_every_operator_says_where_its_ranges_come_from() -> None:
    patterns = {d["pattern"] for d in CRAWLER_USER_AGENTS_DATA}
    for op in DATA["operators"]:
        assert op["source_url"] and set(op["claims"]) <= patterns, op["operator"]
        if op["prefixes"]:
            assert op["mirror"] and op["recorded"] == "2026-12-04", op["operator"]
            nets = [ipaddress.ip_network(p, strict=True) for p in op["prefixes"]]
            assert len(set(nets)) == len(nets)
        else:
            assert "not" in op["note"], op["operator"]  # why a claim cannot be verified from the logs
    shipped = {o["operator"] for o in DATA["operators"] if o["prefixes"]}
    assert {"google-common", "google-special", "google-user-triggered", "bing", "apple", "duckduckgo", "openai-gptbot",
            "openai-searchbot", "openai-chatgpt-user", "common-crawl", "internet-archive", "telegram"} <= shipped


def _brute(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[str]:
    return [o.operator for o in operator_ranges() if any(addr.version == n.version and addr in n for n in o.prefixes)]


def test_lookup_equals_a_scan_of_every_prefix_at_every_edge() -> None:
    probes = []
    for o in operator_ranges():
        for n in o.prefixes[::3]:  # every third prefix of each operator, at its four edges
            probes += [n.network_address, n.broadcast_address, n.network_address - 1, n.broadcast_address + 1]
    for addr in probes:
        assert published_ranges_of(addr) == _brute(addr), addr


@pytest.mark.parametrize(("agent", "address", "operator"), [
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "157.55.39.1", "bing"),
    ("Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)", "17.241.208.161", "apple"),
    ("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", "20.191.45.212", "duckduckgo"),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
     "20.171.207.1", "openai-gptbot"),
    ("CCBot/2.0 (https://commoncrawl.org/faq/)", "18.97.14.81", "common-crawl"),
    ("AdsBot-Google (+http://www.google.com/adsbot.html)", "66.249.90.1", "google-special"),
])
def test_a_claim_in_the_claimed_operators_ranges(agent: str, address: str, operator: str) -> None:
    claim = classify_user_agent(agent)
    assert claim.ranges_operator == operator
    assert operator in published_ranges_of(ipaddress.ip_address(address))


# Google's user-triggered fetchers (user-triggered-fetchers.json, creationTime 2026-05-06T14:45:39): 34.116.20.64/27
# and 2600:1900:0:3c1::/64 are in the list, 34.116.20.96/27 and 2600:1900:0:3c2::/64 are not; the Internet Archive's
# IPv6 network is 2620:0:9c0::/48 (AS7941). The agents are the crawler-user-agents instances of the claims.
@pytest.mark.parametrize(("agent", "inside", "outside", "operator"), [
    ("Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 1 subscribers; feed-id=728742641706423)",
     "34.116.20.95", "34.116.20.96", "google-user-triggered"),
    ("Mozilla/5.0 (compatible; Google-Site-Verification/1.0)",
     "2600:1900:0:3c1:ffff:ffff:ffff:ffff", "2600:1900:0:3c2::", "google-user-triggered"),
    ("Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
     "2620:0:9c0::1", "2620:0:9c1::", "internet-archive"),
])
def test_a_claim_verified_at_the_edge_of_the_published_ranges(agent: str, inside: str, outside: str,
                                                              operator: str) -> None:
    claim = classify_user_agent(agent)
    assert claim.ranges_operator == operator
    assert published_ranges_of(ipaddress.ip_address(inside)) == [operator]
    assert published_ranges_of(ipaddress.ip_address(outside)) == []  # the next address: claimed, not verified
