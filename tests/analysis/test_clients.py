"""Client classes from maintained data (crawler-user-agents, ua-parser) and address facts."""

from __future__ import annotations

import pandas as pd
import pytest

from exposure.addresses import parse_cidrs
from exposure.clients import (
    CLIENT_CLASSES,
    classify_user_agent,
    classify_user_agents,
    describe_addresses,
)

# Real user agents as they appear in access logs (from the operators' documentation and public logs).
AGENTS = [
    pytest.param("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                 "crawler", "Googlebot", id="googlebot"),
    pytest.param("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                 "crawler", "Bingbot", id="bingbot"),
    pytest.param("Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
                 "archive", "Internet Archive", id="archive.org_bot"),
    pytest.param("CCBot/2.0 (https://commoncrawl.org/faq/)", "archive", "Common Crawl", id="ccbot"),
    pytest.param("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "link-preview", "Slack", id="slack"),
    pytest.param("WhatsApp/2.19.81 A", "link-preview", "WhatsApp", id="whatsapp"),
    pytest.param("TelegramBot (like TwitterBot)", "link-preview", "Telegram", id="telegram"),
    pytest.param("Twitterbot/1.0", "link-preview", "Twitter/X", id="twitterbot"),
    pytest.param("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                 "link-preview", "Facebook", id="facebook"),
    pytest.param("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
                 "link-preview", "LinkedIn", id="linkedin"),
    pytest.param("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
                 "link-preview", "Microsoft Teams/Skype", id="skype-teams"),
    pytest.param("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
                 "link-preview", "Discord", id="discord"),
    pytest.param("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) "
                 "Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
                 "link-preview", "iMessage (Apple Messages)", id="imessage"),
    # CloudFront filling its cache from the origin (its default origin-request agent): a CDN's copy
    pytest.param("Amazon CloudFront", "cdn", "Amazon CloudFront (CDN cache fill)", id="cloudfront-cache-fill"),
    pytest.param("curl/7.68.0", "tool", "curl", id="curl"),
    pytest.param("Wget/1.20.3 (linux-gnu)", "tool", "Wget", id="wget"),
    pytest.param("python-requests/2.23.0", "tool", "Python Requests", id="python-requests"),
    pytest.param("aria2/1.35.0", "tool", "aria2", id="aria2-download-manager"),
    pytest.param("Nessus SOAP v0.0.1 (Nessus.org)", "scanner", "Nessus", id="nessus"),
    pytest.param("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)", "scanner", "Nikto", id="nikto"),
    pytest.param("Mozilla/5.0 zgrab/0.x", "scanner", "zgrab", id="zgrab"),
    pytest.param("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
                 "monitoring", "UptimeRobot", id="uptimerobot"),
    pytest.param("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "monitoring", "PingdomBot", id="pingdom"),
    pytest.param("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/83.0.4103.97 Safari/537.36", "browser", "Chrome 83 on Windows", id="chrome"),
    pytest.param("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:77.0) Gecko/20100101 Firefox/77.0",
                 "browser", "Firefox 77 on Windows", id="firefox"),
    pytest.param("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/13.1.1 Safari/605.1.15", "browser", "Safari 13 on Mac OS X", id="safari"),
    pytest.param("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/83.0.4103.97 Safari/537.36 Edg/83.0.478.45", "browser", "Edge 83 on Windows", id="edge"),
    pytest.param("Mozilla/5.0 (iPhone; CPU iPhone OS 13_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/13.1.1 Mobile/15E148 Safari/604.1", "browser", "Mobile Safari 13 on iOS", id="iphone"),
    pytest.param("", "unknown", None, id="empty"),
    pytest.param("-", "unknown", None, id="dash"),
    pytest.param(None, "unknown", None, id="missing"),
]


@pytest.mark.parametrize(("agent", "cls", "name"), AGENTS)
def test_real_agents_are_classed(agent: str | None, cls: str, name: str | None) -> None:
    got = classify_user_agent(agent)
    assert (got.client_class, got.client_name) == (cls, name)
    assert got.client_class in CLIENT_CLASSES


def test_every_class_is_exercised() -> None:
    assert {p.values[1] for p in AGENTS} == set(CLIENT_CLASSES)


def test_bots_cite_the_maintained_pattern_they_matched() -> None:
    google = classify_user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    assert google.matched_pattern == "Googlebot\\/" and google.crawler_tags == "search-engine"
    assert google.claimed_operator == "Googlebot" and google.ranges_operator == "google-common"
    assert "googlebot.json" in (google.ranges_source or "")
    bing = classify_user_agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")
    assert bing.claimed_operator == "Bingbot" and bing.ranges_operator == "bing"
    meta = classify_user_agent("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")
    assert meta.claimed_operator == "Facebook" and meta.ranges_operator is None  # Meta publishes no ranges
    assert "claimed, not verifiable from logs" in (meta.ranges_source or "")
    assert classify_user_agent("curl/7.68.0").claimed_operator is None  # a tool claims no operator


def test_classify_user_agents_one_row_per_distinct_value_null_included() -> None:
    df = classify_user_agents(["curl/7.68.0", None, "curl/7.68.0", "TelegramBot (like TwitterBot)"])
    agents = df["user_agent"].tolist()
    assert agents[:2] == ["TelegramBot (like TwitterBot)", "curl/7.68.0"] and pd.isna(agents[2])
    assert df["client_class"].tolist() == ["link-preview", "tool", "unknown"]


@pytest.mark.parametrize(("client", "network_type"), [
    pytest.param("10.1.2.3", "private", id="rfc1918"),
    pytest.param("192.168.0.9", "private", id="rfc1918-192"),
    pytest.param("100.64.0.1", "shared", id="cgn-start"),
    pytest.param("100.127.255.254", "shared", id="cgn-end"),
    pytest.param("100.128.0.1", "public", id="just-after-cgn"),
    pytest.param("127.0.0.1", "loopback", id="loopback"),
    pytest.param("::1", "loopback", id="ipv6-loopback"),
    pytest.param("fd00::1", "private", id="ipv6-ula"),
    pytest.param("fe80::1%eth0", "link-local", id="ipv6-link-local-zone"),
    pytest.param("2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0", "public", id="ipv6-global"),
    pytest.param("::ffff:84.29.143.61", "public", id="ipv4-mapped"),
    pytest.param("203.0.113.7", "reserved", id="documentation"),
    pytest.param("proxy.example.org", "hostname", id="hostname"),
])
def test_address_network_types(client: str, network_type: str) -> None:
    row = describe_addresses([client], []).iloc[0]
    assert row["network_type"] == network_type


def test_internal_flag_and_published_ranges() -> None:
    df = describe_addresses(["66.249.66.159", "149.154.161.207", "2001:b28:f23d::5", "1.2.3.4", "10.0.0.5"],
                            parse_cidrs(["10.0.0.0/8"])).set_index("client")
    assert list(df.loc["66.249.66.159", "published_ranges"]) == ["google-common"]
    assert list(df.loc["149.154.161.207", "published_ranges"]) == ["telegram"]
    assert list(df.loc["2001:b28:f23d::5", "published_ranges"]) == ["telegram"]  # IPv6 range
    assert list(df.loc["1.2.3.4", "published_ranges"]) == []
    assert df["internal"].to_dict() == {"10.0.0.5": True, "149.154.161.207": False, "1.2.3.4": False,
                                        "2001:b28:f23d::5": False, "66.249.66.159": False}


def test_crawler_matches_through_the_prefilter_equal_every_pattern_tried() -> None:
    """Patterns are tried only in the pre-filter's chunks that matched: the same matches, in the same order, as
    trying all 1,504 patterns, over every example agent crawler-user-agents ships and ordinary browsers."""
    import re

    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    from exposure import clients

    agents = [a for d in CRAWLER_USER_AGENTS_DATA for a in d.get("instances", [])] + [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "curl/8.4.0", "python-requests/2.31.0", "-", "Wget/1.21.4"]
    assert clients._crawler_chunks() is not None  # the pre-filter is used, not the fallback
    everything = [(re.compile(d["pattern"]), (d["pattern"], tuple(d.get("tags", ())))) for d in CRAWLER_USER_AGENTS_DATA]
    several = 0
    for ua in agents:
        got = clients._crawler_matches(ua)
        assert got == [m for rx, m in everything if rx.search(ua)], ua
        several += len(got) > 1
    assert several  # agents matching patterns in more than one place occur


@pytest.mark.slow
@pytest.mark.parametrize("fast", [False, True], ids=["pure-python", "ua-parser-rs"])
def test_agent_families_and_spider_equal_the_whole_parse(fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The class reads ua-parser's agent and OS families and whether its device is "Spider"; without ua-parser-rs
    the device is decided by trying only the patterns that could name "Spider" (`clients._spider`): the same answer
    as ua-parser's pure-Python whole parse over every example agent crawler-user-agents ships, this file's agents,
    the sample case's and agents ua-parser alone calls spiders (a generic "bot", one after a device pattern that
    matches first); and with ua-parser-rs's pre-filter (exposure/uaparse.py)."""
    import re
    from pathlib import Path

    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    from exposure import clients, uaparse

    logs = Path(__file__).resolve().parents[2] / "sample_logs"
    sample = {m.group(1) for p in logs.rglob("*.log") for m in
              re.finditer(r'"([^"]*)"\s*$', p.read_text("utf-8", "replace"), re.MULTILINE)}
    agents = sorted({a for d in CRAWLER_USER_AGENTS_DATA for a in d.get("instances", [])}
                    | {p.values[0] for p in AGENTS if p.values[0]} | sample | {
        "Mozilla/5.0 (compatible; ExampleSpider/1.0; +https://example.org/spider.html)",
        "SomeCrawler/2.1 (+https://example.org)",
        "Mozilla/5.0 (Linux; Android 10; SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) examplebot/1.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 13_5 like Mac OS X) AppleWebKit/605.1.15 bots/1.0",
        "Spider", "Spi der"})
    assert len(sample) > 3 and len(agents) > 1500
    whole = uaparse.basic_parser()
    if not fast:
        monkeypatch.setattr(uaparse, "fast_parser", lambda: None)
    assert (uaparse.fast_parser() is not None) == fast
    spiders = 0
    for ua in agents:
        result = whole.parse(ua)
        family = result.user_agent.family if result.user_agent is not None else "Other"
        os_name = result.os.family if result.os is not None and result.os.family != "Other" else None
        assert clients._parse(ua) == (family, os_name), ua
        spider = result.device is not None and result.device.family == "Spider"
        assert clients._spider(ua) == spider, ua
        spiders += spider
    assert clients._spider_candidates() is not None  # the candidates are used, not the whole parse
    assert 50 < spiders < len(agents) - 100  # both answers occur
