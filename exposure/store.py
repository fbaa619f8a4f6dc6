"""Where request rows are kept: narrow store tables behind the one `requests` view everybody reads.

Every request has the core columns; most formats leave the other columns (proxy, range, cache, timing...)
empty for every line of a file. DuckDB pays for a column on every row even when it only holds NULL (about
35 ns a value on the machine this was measured on: more than parsing a field), so rows are written to the
store whose columns are the core plus the extras their format can fill: `requests_core` for Apache/nginx
combined lines, `requests_vhost_size_duration` for S3, and so on. `requests_all` holds every column and
takes any row that fits no narrower store (a proxied request, an IPv6 zone id, invalid UTF-8).

The view `requests` is the union of the stores, column for column in the order of `schema.COLUMNS`, with the absent
extras NULL (`bad_utf8` false), `client_is_hostname` computed from the client and the client a host name in
lower case (`client_key_sql`: one client whatever the case the log wrote it in). Queries, the notebooks
and `exposure sql` read the view; only ingest writes the stores. `request_stores` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from .schema import ANY_FORMAT, COLUMNS, COMPUTED, CORE, EXTRAS, NOT_NULL, TYPES, absent_sql

__all__ = ["ALL_STORE", "ANY_FORMAT", "COLUMNS", "COMPUTED", "CORE", "EXTRAS", "TYPES", "Store", "absent_sql",
           "client_key_sql", "hostname_sql"]
ALL_STORE = "requests_all"

# A client field is a hostname unless it is digits and dots (IPv4, or no address) or an IPv6 address
# (with a zone); a NULL client is none. The cheap tests come first: only names with ':' need the pattern.
HOSTNAME_SQL = ("CASE WHEN {c} IS NULL THEN false WHEN NOT ({c} GLOB '*[!0-9.]*') THEN false "
                "WHEN NOT contains({c}, ':') THEN true "
                "ELSE NOT regexp_full_match({c}, '[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%.+)?') END")


def hostname_sql(client: str) -> str:
    """Whether the client field `client` (an SQL expression) is a hostname rather than an address."""
    return HOSTNAME_SQL.format(c=client)


# The client as one key for every count and grouping: a host name with its ASCII letters in lower case (DNS names
# compare without case, RFC 4343, which folds ASCII letters only: `Host.Example.COM` and `host.example.com` are one
# client), anything else as stored (an address is stored normalised, in lower case: exposure/formats/clientaddr.py).
# The requests view's `client` (every door reads it) and a client asked for by name (Analysis.requests) are made by
# it; the stored row and the log's line keep the name as logged. The cheap test first: most clients have no
# capital letter (lower() equal to the client: 15 ns a row, where GLOB '*[A-Z]*' took 120 ns on 5 M IPv4 clients).
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CLIENT_KEY_SQL = ("CASE WHEN lower({c}) <> {c} AND (" + HOSTNAME_SQL + ") "
                  f"THEN translate({{c}}, '{_UPPER}', '{_UPPER.lower()}') ELSE {{c}} END")


def client_key_sql(client: str) -> str:
    """The client key of the client field `client` (an SQL expression): a host name in lower case (CLIENT_KEY_SQL)."""
    return CLIENT_KEY_SQL.format(c=client)


class Store:
    """One store table: the core columns plus `extras` (in view order)."""

    def __init__(self, extras: Iterable[str] = ()) -> None:
        wanted = set(extras)
        unknown = wanted - set(EXTRAS)
        if unknown:
            raise ValueError(f"not optional request columns: {sorted(unknown)}")
        if wanted & {"range_start", "range_end"}:
            wanted |= {"range_start", "range_end"}
        self.extras = tuple(name for name in EXTRAS if name in wanted)
        if set(self.extras) == set(EXTRAS):
            self.table = ALL_STORE
        else:
            words = dict.fromkeys(EXTRAS[name] for name in self.extras)  # ordered, range once
            self.table = "requests_" + ("_".join(words) if words else "core")

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns, in view order."""
        kept = set(CORE) | set(self.extras)
        return tuple(c.name for c in COLUMNS if c.name in kept)

    @property
    def column_list(self) -> str:
        return ", ".join(self.columns)

    def fits_sql(self, only: Iterable[str] | None = None) -> str:
        """A predicate over a row with every request column: it has nothing in the columns this store lacks
        (of `only`, when given: the columns the rows may fill at all)."""
        lacking = [name for name in EXTRAS if name not in self.extras and (only is None or name in only)]
        tests = [f"coalesce(NOT {n}, true)" if n == "bad_utf8" else f"{n} IS NULL" for n in lacking]
        return " AND ".join(tests) or "true"

    def ddl(self) -> str:
        cols = ",\n    ".join(f"{name} {TYPES[name]}{' NOT NULL' if name in NOT_NULL else ''}"
                              for name in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n    {cols}\n)"

    def view_select(self) -> str:
        """This store's rows in the view's columns."""
        kept = set(self.columns)
        parts = []
        for name in (c.name for c in COLUMNS):
            if name == "client_is_hostname":
                parts.append(f"{hostname_sql('client')} AS client_is_hostname")
            elif name == "client":
                parts.append(f"{client_key_sql('client')} AS client")
            elif name in kept:
                parts.append(name)
            else:
                parts.append(f"{absent_sql(name)} AS {name}")
        return f"SELECT {', '.join(parts)} FROM {self.table}"


CORE_STORE = Store()
WIDE_STORE = Store(EXTRAS)

REGISTRY_DDL = """CREATE TABLE IF NOT EXISTS request_stores (
    table_name    VARCHAR PRIMARY KEY,   -- a table holding request rows (the requests view reads them all)
    extra_columns VARCHAR                -- its columns besides the core ones, comma-separated
)"""


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The registry, the core and the all-columns stores, and the view (idempotent)."""
    con.execute(REGISTRY_DDL)
    for store in (CORE_STORE, WIDE_STORE):
        ensure(con, store)
    if not con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'requests' AND NOT internal"
                       ).fetchone()[0]:
        refresh_view(con)


def ensure(con: duckdb.DuckDBPyConnection, store: Store) -> Store:
    """Create `store`'s table (and add it to the view) if the case does not have it yet."""
    known = con.execute("SELECT count(*) FROM request_stores WHERE table_name = ?", [store.table]).fetchone()[0]
    if not known:
        con.execute(store.ddl())
        con.execute("INSERT INTO request_stores VALUES (?, ?)", [store.table, ", ".join(store.extras)])
        refresh_view(con)
    return store


def stores(con: duckdb.DuckDBPyConnection) -> list[Store]:
    """The case's stores, in the order the view unions them (core first, then by name)."""
    rows = con.execute("SELECT extra_columns FROM request_stores").fetchall()
    found = [Store([c for c in (r[0] or "").split(", ") if c]) for r in rows]
    return sorted(found, key=lambda s: (s.table != CORE_STORE.table, s.table == ALL_STORE, s.table))


def refresh_view(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)define `requests` as the union of every store."""
    union = "\nUNION ALL\n".join(s.view_select() for s in stores(con))
    con.execute(f"CREATE OR REPLACE VIEW requests AS\n{union}")


def delete_evidence(con: duckdb.DuckDBPyConnection, evidence_id: int | None) -> None:
    """Remove one evidence file's requests (None: every request) from every store."""
    for store in stores(con):
        con.execute(f"DELETE FROM {store.table} WHERE ? IS NULL OR evidence_id = ?",
                    [evidence_id, evidence_id])


def delete_lines(con: duckdb.DuckDBPyConnection, evidence_id: int, line_nos: list[int]) -> None:
    """Remove request lines of one evidence file from every store (a line proven no request:
    exposure/corruption.py rejects it)."""
    for store in stores(con):
        con.execute(f"DELETE FROM {store.table} WHERE evidence_id = ? AND list_contains(?, line_no)",
                    [evidence_id, line_nos])


def insert_routed(con: duckdb.DuckDBPyConnection, rows: str, store: Store) -> int:
    """Write the request rows `rows` selects (every view column but the computed ones, any order, by name)
    into `store` where they fit it and into `requests_all` otherwise; the number written."""
    ensure(con, store)
    n = int(con.execute(f"INSERT INTO {store.table} SELECT {store.column_list} FROM ({rows}) "
                        f"WHERE {store.fits_sql()}").fetchone()[0])
    return n + insert_misfits(con, rows, store)


def insert_misfits(con: duckdb.DuckDBPyConnection, rows: str, store: Store) -> int:
    """Write the request rows of `rows` that do not fit `store` into `requests_all`, in line order; the number."""
    if store.table == ALL_STORE:
        return 0
    return int(con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM ({rows}) "
                           f"WHERE NOT ({store.fits_sql()}) ORDER BY evidence_id, line_no").fetchone()[0])
