"""The client address: normalised, and optionally resolved from X-Forwarded-For behind trusted proxies.

Runs on the staged rows of one chunk, after `base.normalise_sql`, in SQL; only the distinct addresses
that need it go through Python's `ipaddress` (batched, once per distinct value).

Normalisation: IPv6 compressed (`2a03:0000:10ff::` -> `2a03:0:10ff::`), `::ffff:a.b.c.d` read as IPv4, a
zone id (`fe80::1%eth0`) kept apart in `client_zone`, brackets and ports dropped. A hostname stays as written.

X-Forwarded-For (`--client-ip-from xff --trusted-proxy CIDR...`): the chain is the header's entries
followed by the connecting address. Walking from the right, the first address that is not a trusted proxy
is the client: entries left of it were written by the client itself and can be forged. A request that did
not come through a trusted proxy keeps its connecting address (its header is the client's own claim).
When every hop is trusted the left-most entry is taken. The connecting address is kept in `peer`.
"""

from __future__ import annotations

import ipaddress
import re

import duckdb

from .. import queries
from ..addresses import Network, normalise_address, parse_cidrs
from .base import client_sql, sql_literal

HOSTNAME_TEST = "NOT regexp_full_match(client, '[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%.+)?')"
_V4_PORT = re.compile(r"^([0-9.]+):[0-9]+$")
_V6_PORT = re.compile(r"^\[([^\]]+)\](?::[0-9]+)?$")


def parse_address(text: str | None) -> tuple[str | None, str | None]:
    """(normalised address, zone id) for an address as logged, or (None, None) when it is no address."""
    if not text:
        return None, None
    value = text.strip().strip('"')
    m = _V4_PORT.match(value) or _V6_PORT.match(value)
    if m:
        value = m.group(1)
    addr, zone = normalise_address(value)
    return (str(addr), zone) if addr is not None else (None, None)


def _trusted(norm: str | None, nets: list[Network]) -> bool:
    if norm is None:
        return False
    addr = ipaddress.ip_address(norm)
    return any(addr.version == n.version and addr in n for n in nets)


# The values `address_map` may change (a format placeholder `{a}`): digits and dots alone are either a
# canonical IPv4 address, kept as written, or no address at all; a cheap test, before any DISTINCT.
NEEDS_NORMALISING = "{a} GLOB '*[!0-9.]*'"


def address_map(con: duckdb.DuckDBPyConnection, values: list[str]) -> int:
    """Write the temporary table `addr_map` (raw, norm, zone): each distinct address as logged whose normalised
    form differs from it. One `ipaddress` parse per distinct value; a table to join in SQL, so that rows need
    no update one by one. The number of rows."""
    rows = []
    for text in values:
        norm, zone = parse_address(text)
        if norm is not None and (norm != text or zone):
            rows.append((text, norm, zone))
    con.execute("CREATE OR REPLACE TEMP TABLE addr_map AS SELECT unnest($1::VARCHAR[]) AS raw, "
                "unnest($2::VARCHAR[]) AS norm, unnest($3::VARCHAR[]) AS zone",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]])
    return len(rows)


def resolve_clients(con: duckdb.DuckDBPyConnection, table: str, client_ip_from: str | None,
                    trusted_proxies: tuple[str, ...] | list[str] = (), where: str | None = None) -> None:
    """Update request rows of `table` (client, peer, xff, client_zone, client_is_hostname) in place.

    `where` selects the rows (a predicate qualified with the table name); default: the staged requests.
    """
    rows_of = where or f"{table}.verdict = 'request'"
    nets = parse_cidrs(trusted_proxies)
    use_xff = client_ip_from == "xff"
    if use_xff:
        raw = con.execute(
            f"SELECT DISTINCT trim(h) FROM (SELECT unnest(list_concat([client], string_split(xff, ','))) AS h "
            f"FROM {table} WHERE {rows_of} AND xff IS NOT NULL) WHERE h IS NOT NULL"
        ).fetchall()
        trusted = sorted({r[0] for r in raw if _trusted(parse_address(r[0])[0], nets)})
        # every row with a header keeps its connecting address in peer, whether or not it is trusted
        tlist = "[" + ", ".join(sql_literal(t) for t in trusted) + "]::VARCHAR[]"
        # hops from the right: the connecting address first, then the header's entries right to left
        con.execute(queries.get("address_macros").sql)  # xff_hops, xff_client: the one rule (queries/addresses.sql)
        con.execute(f"""
UPDATE {table} SET peer = {table}.client, client = {client_sql('r.chosen')}
FROM (
  SELECT evidence_id, line_no, xff_client(hops, list_transform(hops, lambda x: list_contains({tlist}, x))) AS chosen
  FROM (SELECT evidence_id, line_no, xff_hops(client, xff) AS hops
        FROM {table} WHERE {rows_of} AND xff IS NOT NULL AND client IS NOT NULL)
) r
WHERE {table}.evidence_id = r.evidence_id AND {table}.line_no = r.line_no AND {rows_of}
""")
    # normalise the addresses that are not already plain IPv4 (IPv6, zones, ports, brackets, hostnames)
    raw = con.execute(
        f"SELECT DISTINCT a FROM (SELECT client AS a FROM {table} WHERE {rows_of} UNION ALL "
        f"SELECT peer FROM {table} WHERE {rows_of}) WHERE {NEEDS_NORMALISING.format(a='a')}").fetchall()
    rows = address_map(con, [r[0] for r in raw])
    if rows:
        con.execute(f"UPDATE {table} SET client = m.norm, client_zone = m.zone FROM addr_map m "
                    f"WHERE {table}.client = m.raw AND {rows_of}")
        con.execute(f"UPDATE {table} SET peer = m.norm FROM addr_map m "
                    f"WHERE {table}.peer = m.raw AND {rows_of}")
    if use_xff:  # any client may have changed
        con.execute(f"UPDATE {table} SET client_is_hostname = {HOSTNAME_TEST} "
                    f"WHERE {rows_of} AND client IS NOT NULL")
    elif rows:  # only the clients just normalised
        con.execute(f"UPDATE {table} SET client_is_hostname = {HOSTNAME_TEST} "
                    f"WHERE {rows_of} AND client IN (SELECT norm FROM addr_map)")
