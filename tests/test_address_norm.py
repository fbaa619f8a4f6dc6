"""One rule for an address as logged: exposure/formats/clientaddr.py parse_address (Python, at ingest) and
queries/addresses.sql address_norm (SQL, where a log's X-Forwarded-For entries are compared with normalised
addresses: queries/tiers.sql) give the same address for the same text."""

from __future__ import annotations

import duckdb
import pytest

from exposure import queries
from exposure.formats.clientaddr import parse_address

SPELLINGS = [
    "192.0.2.1", "192.0.2.1:50003", ' "192.0.2.1" ', "[2001:DB8::1]:443", "2001:DB8:0000:0:0:0:0:1",
    "2001:db8::1%eth0", "::ffff:192.0.2.7", "::FFFF:C000:0207", "[::ffff:10.0.0.2]:8080", "::", "::1", "[::1]",
    "1::", "1:0:0:1:0:0:0:1", "1:0:0:1:1:0:0:1", "0:0:0:0:0:0:0:0", "1:2:3:4:5:6:7::", "::1.2.3.4",
    "2001:db8::192.0.2.1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1%eth0",
    # no address: a hostname, a word, a leading zero, an octet past 255, '::' twice or filling nothing, a group
    # of five digits, nine groups, a port after an unbracketed IPv6 address, nothing
    "host.example", "unknown", "-", "", "01.2.3.4", "256.1.1.1", "1::2::3", "1:2:3:4:5:6:7:8::", "12345::",
    "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.4:80", "1.2.3.4:",
    # text after the closing bracket that is no port: the address inside the brackets, in both (red team 21b: Python
    # read it, SQL read none; shared/realworld filebeat IIS 7.5 holds `[10.100.118.31](http://10.100.118.31)`, a
    # line pasted through Markdown, which filebeat reads as 10.100.118.31)
    "[2001:db8::2]junk", "[192.0.2.1]80", "[2001:db8::2]:", "[2001:db8::2]:443x", "[10.1.1.1](http://10.1.1.1)",
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    queries.run(con, queries.get("address_macros"))
    return con


@pytest.mark.parametrize("text", SPELLINGS)
def test_sql_and_python_normalise_an_address_alike(con: duckdb.DuckDBPyConnection, text: str) -> None:
    """Seen red with address_v6_text's compression dropped (every group written: '2001:db8:0:0:0:0:0:1') and with
    address_unwrapped's port rule dropped ('192.0.2.1:50003' no address)."""
    assert con.execute("SELECT address_norm(?)", [text]).fetchone()[0] == parse_address(text)[0]


def test_address_private_holds_the_ranges_network_type_calls_inside_a_network() -> None:
    """queries/addresses.sql address_private: private, shared, loopback and link-local (exposure/clients.py
    network_type), never a documentation or public address (a header's hop there is a client, not our proxy)."""
    import ipaddress

    import duckdb

    from exposure import queries
    from exposure.clients import network_type

    con = duckdb.connect()
    con.execute(queries.get("address_macros").sql)
    values = ["10.1.1.2", "172.16.0.1", "172.32.0.1", "192.168.9.9", "127.0.0.1", "169.254.1.1", "100.64.0.1",
              "100.128.0.1", "192.0.2.99", "203.0.113.7", "8.8.8.8", "fd12:3456::1", "fc00::1", "fc::1", "fe80::1",
              "febf::1", "fec0::1", "::1", "2001:db8::1", "2a00:1450::1"]
    got = dict(con.execute("SELECT v, address_private(v) FROM unnest($1::VARCHAR[]) t(v)", [values]).fetchall())
    inside = {"private", "shared", "loopback", "link-local"}
    assert got == {v: network_type(ipaddress.ip_address(v)) in inside for v in values}
