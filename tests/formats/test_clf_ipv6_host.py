"""A virtual host that is an IPv6 address in brackets, first on a CLF line: Apache's `%v:%p` or `%v` (a ServerName
given as `[2001:db8::1]`), `%V` with UseCanonicalName Off and nginx's `$host` of a request whose Host header names
the address write it so. The host rule took no brackets, so the line read `[2001:db8::1]:443` as the client and the
real client as %l: rejected as glued lines, the request lost and the file said incomplete
(/tmp/readfix/v6host/access.log: 5 lines, 2 requests, 3 rejected). Such a host is read as any host (without its
port, which `extra` keeps), and a client-first line whose client is an IPv6 address stays client first."""

from __future__ import annotations

import pytest

from exposure.formats.clf import COMBINED, VHOST_COMBINED

from .parse_lines import parse_lines

TAIL = '- - [08/Jun/2020:14:12:18 +0200] "GET /a.pdf HTTP/1.1" 200 5120 "-" "Mozilla/5.0"'


@pytest.mark.parametrize("fmt", [COMBINED, VHOST_COMBINED], ids=lambda f: f.name)
@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize(("host", "port"), [("[2001:db8::1]:443", "443"), ("[2001:db8::1]", None),
                                            ("[::ffff:192.0.2.1]:8080", "8080")])
@pytest.mark.parametrize("client", ["198.51.100.7", "2001:db8:beef::7"])
def test_a_bracketed_ipv6_host_first_is_read_as_the_host(fmt, fast_path: bool, host: str, port: str | None,
                                                          client: str) -> None:
    rows = parse_lines(fmt, [f"{host} {client} {TAIL}"], state={"fast_path": fast_path})
    row = rows[0]
    assert row["verdict"] == "request", row["reason"]
    assert (row["vhost"], row["client"], row["path"]) == (host.removesuffix(f":{port}"), client, "/a.pdf")
    assert (row["extra"] or {}).get("server_port") == port


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("client", ["2001:db8:beef::9", "[2001:db8:beef::9]", "::1"])
def test_a_client_first_line_whose_client_is_ipv6_stays_client_first(fast_path: bool, client: str) -> None:
    rows = parse_lines(COMBINED, [f"{client} {TAIL}"], state={"fast_path": fast_path})
    row = rows[0]
    assert row["verdict"] == "request", row["reason"]
    assert row["vhost"] is None
    assert row["client"] == "2001:db8:beef::9" if "beef" in client else row["client"] == "::1"
