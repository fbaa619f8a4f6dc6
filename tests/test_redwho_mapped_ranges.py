"""Red team 21b (who): own addresses and trusted proxies given as the log writes them, IPv4-mapped IPv6.

A dual-stack server (Tomcat, a Java or Node app on `::`) logs its IPv4 clients as `::ffff:203.0.113.5`; exposure
reads each such client as its IPv4 address (addresses.normalise_address). Before: `--internal
::ffff:203.0.113.0/120`, the staff's range as the log shows it, stayed an IPv6 network that held none of those
IPv4 clients: the staff's 2 downloads were counted external ("4 complete downloads from 4 external addresses",
own 0), silently; `--trusted-proxy ::ffff:10.0.0.5` trusted no hop, so no X-Forwarded-For was read. Now such a
network is its IPv4 network (addresses.parse_cidrs, the one parse of both options)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.addresses import parse_cidrs
from exposure.formats import registry
from tests.conftest import write_log
from tests.formats.parse_lines import parse_lines

TARGET = "/docs/leak.xlsx"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.97 "
          "Safari/537.36")


@pytest.mark.parametrize(("given", "network"), [
    ("::ffff:203.0.113.0/120", "203.0.113.0/24"), ("::ffff:203.0.113.5", "203.0.113.5/32"),
    ("::FFFF:CB00:7100/120", "203.0.113.0/24"), ("::ffff:0:0/96", "0.0.0.0/0"),
    ("203.0.113.0/24", "203.0.113.0/24"), ("2001:db8::/32", "2001:db8::/32"), ("::/0", "::/0"),
])
def test_a_mapped_network_is_its_ipv4_network(given: str, network: str) -> None:
    """Seen red with the mapping taken out: '::ffff:203.0.113.0/120' stayed '::ffff:cb00:7100/120'."""
    assert parse_cidrs([given]) == [ipaddress.ip_network(network)]


@pytest.mark.slow
def test_own_addresses_given_as_the_log_writes_them(tmp_path: Path) -> None:
    """Seen red: (4, 4, 0), the staff's two downloads counted external."""
    lines = [f'{client} - - [08/Jun/2020:09:{i:02d}:00 +0200] "GET {TARGET} HTTP/1.1" 200 40000 "-" "{CHROME}"'
             for i, client in enumerate(("::ffff:198.51.100.1", "::ffff:198.51.100.2", "::ffff:203.0.113.5",
                                         "::ffff:203.0.113.6"))]
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([write_log(tmp_path / "logs" / "access.log", lines)])
        totals = case.totals(TARGET, AnalysisOptions(internal=("::ffff:203.0.113.0/120",)))
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["internal_complete_downloads"]) == (2, 2, 2)


def test_a_trusted_proxy_given_as_the_log_writes_it() -> None:
    """Seen red: the client stayed the proxy, 10.0.0.5, its header unread."""
    line = (f'::ffff:10.0.0.5 - - [08/Jun/2020:09:00:00 +0200] "GET {TARGET} HTTP/1.1" 200 40000 "-" "{CHROME}" '
            '"198.51.100.7"')
    row = parse_lines(registry.get_format("combined"), [line], client_ip_from="xff", trusted=("::ffff:10.0.0.5",))[0]
    assert (row["client"], row["peer"]) == ("198.51.100.7", "10.0.0.5")
