"""A host as every door compares hosts: the download rule's own `host_key` macro (queries/downloads_rule.sql), run
for a host Python holds (a target's `https://[2001:DB8:0::1]/x.pdf`: `2001:db8::1`), so Python and SQL never key a
host two ways (the one rule, one place)."""

from __future__ import annotations

import functools
import threading

import duckdb

from . import queries


_LOCK = threading.Lock()  # one connection (its TEMP macros are its own), one statement at a time


@functools.cache
def _rules() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(queries.get("download_rule").sql)
    return con


def host_key(host: str) -> str:
    """`host` without port, brackets, trailing dot and case, an IPv6 address in its one text form (RFC 5952)."""
    with _LOCK:
        row = _rules().execute("SELECT host_key(?)", [host]).fetchone()
    return str(row[0]) if row and row[0] is not None else host
