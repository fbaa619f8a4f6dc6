"""The real client behind proxies: X-Forwarded-For read from the right, addresses normalised."""

from __future__ import annotations

import pytest

from exposure.formats.clientaddr import parse_address
from exposure.formats.custom import custom_format

from .parse_lines import parse_lines

FMT = custom_format({"nginx_log_format": '$remote_addr - $remote_user [$time_local] "$request" $status '
                                         '$body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"'})
LINE = '{} - - [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" 200 10 "-" "UA" "{}"'
TRUSTED = ("10.0.0.0/8",)


@pytest.mark.parametrize(("peer", "xff", "client", "kept_peer"), [
    pytest.param("10.0.0.5", "198.51.100.7", "198.51.100.7", "10.0.0.5", id="one-proxy"),
    pytest.param("10.0.0.5", "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7", "10.0.0.5",
                 id="forged-left-part-ignored"),
    pytest.param("203.0.113.9", "1.1.1.1", "203.0.113.9", "203.0.113.9", id="untrusted-peer-header-ignored"),
    pytest.param("10.0.0.5", "-", "10.0.0.5", None, id="no-header"),
    pytest.param("10.0.0.5", "10.0.0.7, 10.0.0.8", "10.0.0.7", "10.0.0.5", id="all-trusted-leftmost"),
    pytest.param("::ffff:10.0.0.5", "2a03:0000:10ff:0000:0000:0000:0000:0001", "2a03:0:10ff::1", "10.0.0.5",
                 id="mapped-peer-ipv6-client"),
    pytest.param("10.0.0.5", "198.51.100.7:51234", "198.51.100.7", "10.0.0.5", id="port-dropped"),
])
def test_client_from_forwarded_for(peer: str, xff: str, client: str, kept_peer: str | None) -> None:
    row = parse_lines(FMT, [LINE.format(peer, xff)], client_ip_from="xff", trusted=TRUSTED)[0]
    assert (row["client"], row["peer"], row["client_is_hostname"]) == (client, kept_peer, False)


def test_without_xff_option_the_header_is_only_kept() -> None:
    row = parse_lines(FMT, [LINE.format("10.0.0.5", "198.51.100.7")])[0]
    assert (row["client"], row["peer"], row["xff"]) == ("10.0.0.5", None, "198.51.100.7")


def test_non_address_entry_is_kept_as_hostname() -> None:
    row = parse_lines(FMT, [LINE.format("10.0.0.5", "proxy-a.corp")], client_ip_from="xff", trusted=TRUSTED)[0]
    assert (row["client"], row["client_is_hostname"]) == ("proxy-a.corp", True)


def test_unknown_names_no_client() -> None:
    """RFC 7239's `unknown` (Squid's `forwarded_for unknown`): a client the proxy does not know or hides, no client at
    all (base.client_sql), never one host named `unknown` every such request is counted as (red team 21b: 2 clients
    behind Squid were 1 external address `unknown`, network type hostname)."""
    row = parse_lines(FMT, [LINE.format("10.0.0.5", "unknown")], client_ip_from="xff", trusted=TRUSTED)[0]
    assert (row["client"], row["peer"]) == (None, "10.0.0.5")


@pytest.mark.parametrize(("text", "expected"), [
    ("fe80::1%eth0", ("fe80::1", "eth0")),
    ("[2001:db8::1]:443", ("2001:db8::1", None)),
    ("::ffff:192.0.2.1", ("192.0.2.1", None)),
    ("2001:0db8:0000:0000:0000:0000:0000:0001", ("2001:db8::1", None)),
    ("monitoring-server", (None, None)),
])
def test_parse_address(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_address(text) == expected


def test_zone_id_kept_apart() -> None:
    row = parse_lines(FMT, [LINE.format("fe80::1%eth0", "-")])[0]
    assert (row["client"], row["client_zone"]) == ("fe80::1", "eth0")


def test_unquoted_list_before_the_connecting_address() -> None:
    """elastic/beats filebeat/module/nginx/access/test/test.log: `$http_x_forwarded_for $remote_addr - $remote_user`
    with an unquoted list: the address after the list connected, the list goes to xff and resolves from the right."""
    from exposure.formats.clf import COMBINED

    line = ('2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121 - - [30/Dec/2016:06:47:09 +0000] '
            '"GET /test.html HTTP/1.1" 404 8571 "-" "Mozilla/5.0 (compatible; Facebot 1.0; '
            'https://developers.facebook.com/docs/sharing/webmasters/crawler)"')
    plain = parse_lines(COMBINED, [line])[0]
    assert (plain["client"], plain["ident"], plain["userid"], plain["xff"]) == (
        "10.2.2.121", None, None, "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17")
    resolved = parse_lines(COMBINED, [line], client_ip_from="xff", trusted=("10.0.0.0/8",))[0]
    assert (resolved["client"], resolved["peer"]) == ("2a03:0:10ff:f00f::8000", "10.2.2.121")
