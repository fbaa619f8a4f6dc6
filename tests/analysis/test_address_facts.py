"""The address facts kept at ingest are worked out many at a time (`clients.address_facts_many`: plain IPv4 by
integer over merged ranges) and must be exactly what `address_facts` says of each one: network type, normalised
address and published crawler ranges, over special, boundary, random and malformed clients."""

from __future__ import annotations

import ipaddress
import random

from exposure import clients
from exposure.clients import ADDRESS_FACTS, address_facts, address_facts_many

SPECIAL = [
    "0.0.0.0", "0.255.255.255", "1.0.0.0", "10.0.0.1", "10.255.255.255", "11.0.0.0", "100.63.255.255", "100.64.0.0",
    "100.127.255.255", "100.128.0.0", "127.0.0.1", "169.254.0.1", "169.254.255.255", "172.15.255.255", "172.16.0.0",
    "172.31.255.255", "172.32.0.0", "192.0.0.0", "192.0.0.8", "192.0.0.9", "192.0.0.170", "192.0.2.1",
    "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.255",
    "240.0.0.1", "255.255.255.255", "8.8.8.8", "66.249.66.1", "157.55.39.1", "40.77.167.1",
    # IPv6: loopback, link-local with and without a zone id, unique local, documentation, multicast, mapped v4
    "::1", "::", "fe80::1", "fe80::1%eth0", "[fe80::1%25eth0]", "fc00::1", "fd12:3456::1", "2001:db8::1",
    "ff02::1", "::ffff:10.0.0.1", "::ffff:8.8.8.8", "::ffff:100.64.0.1", "2001:4860:4801:10::1", "2a03:2880::1",
    "[2001:db8::5]", "2001:0DB8::0001", "64:ff9b::1.2.3.4", "2002::1",
    # not plain dotted quads: leading zeros, out of range, spaces, brackets, host names, garbage, non-ASCII digits
    "010.0.0.1", "1.2.3.04", "256.1.1.1", "1.2.3.4.5", "1.2.3", " 8.8.8.8", "8.8.8.8 ", "[8.8.8.8]", "8.8.8.8%1",
    "crawl-66-249-66-1.googlebot.com", "localhost", "-", "", "1.2.3.4a", "١.٢.٣.٤", "0x7f.0.0.1", "1.2.3.-4",
]


def _boundaries() -> list[str]:
    """The first and last address of every range the fast path uses, and their neighbours."""
    starts, _types = clients._v4_types()
    starts_ranges, ends = clients._range_index()[4]
    values = set()
    for v in [*starts, *starts_ranges, *(end for end, _op in ends)]:
        values.update((v - 1, v, v + 1))
    return [str(ipaddress.IPv4Address(v)) for v in sorted(values) if 0 <= v < 1 << 32]


def _random(n: int) -> list[str]:
    rnd = random.Random(19)
    v4 = [str(ipaddress.IPv4Address(rnd.getrandbits(32))) for _ in range(n)]
    v6 = [str(ipaddress.IPv6Address(rnd.getrandbits(128))) for _ in range(n // 10)]
    return v4 + v6


def test_many_at_once_equals_one_by_one() -> None:
    given = SPECIAL + _boundaries() + _random(20_000)
    many = address_facts_many(given)
    assert many["client"] == given
    for i, client in enumerate(given):
        assert {name: many[name][i] for name in ADDRESS_FACTS} == address_facts(client), client
    # the cases the special list is there for really occur
    kinds = set(many["network_type"])
    assert {"public", "private", "shared", "loopback", "link-local", "reserved", "hostname"} <= kinds
    assert any(many["published_ranges"])


def test_kept_in_sql_equals_one_by_one() -> None:
    """What settle keeps of new clients (exposure/derived.py `_add_addresses`: plain IPv4 in SQL, the rest
    through address_facts_many) is what `address_facts` says of each, over the same clients; clients kept under
    the rule already are not added again."""
    import duckdb

    from exposure import derived

    given = SPECIAL + _boundaries() + _random(20_000)
    con = duckdb.connect()
    con.execute("CREATE TABLE requests (client VARCHAR)")
    con.execute("INSERT INTO requests SELECT unnest($c::VARCHAR[])", {"c": [*given, given[0], None]})
    con.execute(f"CREATE TABLE {derived.ADDRESSES} ({derived.DDL[derived.ADDRESSES]})")
    derived._add_addresses(con)
    rows = con.execute(f"SELECT client, {', '.join(ADDRESS_FACTS)}, rule FROM {derived.ADDRESSES}").fetchall()
    assert len(rows) == len(set(given))
    kept = {client: dict(zip(ADDRESS_FACTS, facts, strict=True)) for client, *facts, _rule in rows}
    for client in given:
        assert kept[client] == address_facts(client), client
    assert {r[-1] for r in rows} == {derived.rule()}
    assert sum(1 for f in kept.values() if f["published_ranges"]) > 100  # the ranges' joins really occur
    derived._add_addresses(con)  # again: nothing new
    assert con.execute(f"SELECT count(*) FROM {derived.ADDRESSES}").fetchone()[0] == len(rows)
