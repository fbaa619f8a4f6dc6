"""What the case derives from its requests once, when an ingest settles, so that every answer reads it instead of
working it out again: each distinct user agent classified, each distinct client address described and looked up
in the GeoIP databases, and the silences of each log stream that gaps are made of.

Tables (persistent, in the case, under its seal: exposure/seal.py digests each whole, so an edit to one is
named by `verify` and by every answer's seal check, as an edit to the requests is):

    agent_classes    one row per distinct user agent: its `ua_class` row (exposure/clients.py) and `rule`
    address_facts    one row per distinct client: address, network_type, published_ranges and `rule`
    geo_databases    each GeoIP database looked up at ingest: SHA-256, kind, type, build date, path as found
    address_geo      per database (its SHA-256) and public address: found, and what the database holds
    stream_silences  queries/gaps.sql (stream_silences): the silences gaps are made of, per stream
    derived_rules    per table worked out by a query (stream_silences): the SHA-256 of the query that made it

`rule` names what a class or an address fact was worked out with (this tool's version, the crawler and
user-agent data, the shipped crawler ranges, clients.py's own class rules): an answer uses only rows of the rule
it runs, and works out the rest itself. A GeoIP row is used only for the database of the same SHA-256 the answer uses; another database
(--geoip-city, --geoip-asn) is looked up. The tables grow with each ingest (values a later ingest adds are
added); stream_silences is recomputed whenever the case's files or streams changed, or the query that makes it
(its SHA-256 in derived_rules) is not the one that made the kept rows.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import duckdb

from . import clients, geo, queries
from .clients import (
    DOTTED_QUAD,
    UA_CLASS_COLUMNS,
    address_facts_many,
    agent_rows,
    operator_ranges,
    published_v4,
    v4_types,
)
from .errors import InputError
from .geo import FACTS, KIND_FACTS, GeoLookup
from .transactions import transaction
from .version import TOOL_VERSION

AGENTS = "agent_classes"
ADDRESSES = "address_facts"
GEO_DATABASES = "geo_databases"
GEO = "address_geo"
SILENCES = "stream_silences"
RULES = "derived_rules"
TABLES = (AGENTS, ADDRESSES, GEO_DATABASES, GEO, SILENCES, RULES)  # sealed, each digested whole
GEO_TYPES = {"country": "VARCHAR", "city": "VARCHAR", "accuracy_radius": "INTEGER", "asn": "BIGINT",
             "as_org": "VARCHAR"}
DDL = {
    AGENTS: ", ".join(f"{c} {t}" for c, t in UA_CLASS_COLUMNS) + ", rule VARCHAR",
    ADDRESSES: "client VARCHAR, address VARCHAR, network_type VARCHAR, published_ranges VARCHAR[], rule VARCHAR",
    GEO_DATABASES: "sha256 VARCHAR, kind VARCHAR, database_type VARCHAR, build_date TIMESTAMP, path VARCHAR",
    GEO: "database_sha256 VARCHAR, address VARCHAR, found BOOLEAN, "
         + ", ".join(f"{c} {GEO_TYPES[c]}" for c in FACTS),
    SILENCES: "kind VARCHAR, stream VARCHAR, server VARCHAR, gap_start TIMESTAMP, gap_end TIMESTAMP, "
              "gap_minutes DOUBLE, start_evidence_id BIGINT, start_line_no BIGINT, end_evidence_id BIGINT, "
              "end_line_no BIGINT, offset_before SMALLINT, offset_after SMALLINT, threshold_minutes DOUBLE",
    RULES: "name VARCHAR, rule VARCHAR",
}
LABELS = {AGENTS: "the user agents' classes kept at ingest (agent_classes)",
          ADDRESSES: "the client addresses' facts kept at ingest (address_facts)",
          GEO_DATABASES: "the GeoIP databases looked up at ingest (geo_databases)",
          GEO: "the GeoIP lookups kept at ingest (address_geo)",
          SILENCES: "the log streams' silences kept at ingest (stream_silences)",
          RULES: "the queries the kept silences were made by (derived_rules)"}


@cache
def rule() -> str:
    """What classes and address facts are worked out with: a row made under another rule is not used."""
    def ver(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "absent"

    ranges = resources.files("exposure").joinpath("data/crawler_ranges.json").read_bytes()
    return (f"exposure {TOOL_VERSION}; crawler-user-agents {ver('crawler-user-agents')}; "
            f"ua-parser {ver('ua-parser')}; ua-parser-builtins {ver('ua-parser-builtins')}; "
            f"crawler_ranges.json {hashlib.sha256(ranges).hexdigest()[:16]}; classes {clients.classes_key()}")


def prefetch() -> None:
    """Start, in the background, what `refresh` will read whatever the requests are: the default GeoIP
    databases' SHA-256 (exposure/geo.py) and the classifiers' data (clients.warm). Called by an ingest once its
    files are found and may add requests (exposure/ingest.py, _may_add); refresh waits for it (the work is done
    once, the same either way)."""
    global _WARMING
    geo.prefetch_hashes()
    if _WARMING is None:
        _WARMING = threading.Thread(target=_warm, daemon=True)
        _WARMING.start()


_WARMING: threading.Thread | None = None


def _warm() -> None:
    try:
        clients.warm()
    except Exception:  # noqa: BLE001, S110  # the same work fails again where it is needed, and is reported there
        pass


def silences_sql() -> str:
    return queries.get(SILENCES).sql.rstrip().rstrip(";")


# Beside the kept silences (the table derived_rules, sealed and settled with them: a killed command's row is made
# again by the recovery, as its silences are): the SHA-256 of the query that made them (silences_key). Silences
# made by another rule (an older version, a query changed since) are made again at the next settle, and an answer
# on a case it does not write works them out itself (exposure/findings.py, ensure_silences): never read as this
# rule's. Read only where kept_tables holds RULES.
KEPT_KEY_SQL = f"SELECT rule FROM main.{RULES} WHERE name = '{SILENCES}'"
# an agent kept under another rule only (refresh): every agent of the case is kept at the settle of the ingest that
# added it, so agent_classes alone says it (one row per agent and rule), never a scan of the requests
STALE_AGENTS_SQL = (f"SELECT 1 FROM main.{AGENTS} a WHERE a.rule <> $rule AND NOT EXISTS (SELECT 1 FROM main.{AGENTS} b "
                    "WHERE b.rule = $rule AND b.user_agent IS NOT DISTINCT FROM a.user_agent) LIMIT 1")


@cache
def silences_key() -> str:
    """The SHA-256 of queries/gaps.sql's stream_silences as it runs: what the kept silences were made by."""
    return hashlib.sha256(silences_sql().encode()).hexdigest()


def silences_current(key: tuple[Any, ...] | None) -> bool:
    """Whether the kept silences were made by this rule, from the row of KEPT_KEY_SQL (None: no key kept)."""
    return key is not None and key[0] == silences_key()


def refresh(con: duckdb.DuckDBPyConnection, changed: bool, edited: frozenset[str] = frozenset()) -> None:
    """Bring the tables up to date with the case's requests (one transaction): the silences again when the
    files or streams `changed` (or never computed), classes and facts for the values not yet kept. The values'
    Python work runs in a thread while DuckDB computes the silences (its statement does not hold the GIL).
    `edited`: the tables that differ from the case's seal (an edit made outside exposure, exposure/seal.py
    Session.broken): an edited key (derived_rules) is no older rule to make the silences again for, and is left
    as found, so the seal says the edit after the command (writing the sealed key back would mend it unsaid)."""
    con.execute("DROP TABLE IF EXISTS temp.stream_silences")  # an answer's own copy (case without the table)
    # a table kept with other columns (another version of this module) is worked out again
    existing = kept_tables(con.execute(KEPT_COLUMNS_SQL, {"names": list(TABLES)}).fetchall())
    # and silences made by another rule's query (an older version: silences_key) are made again
    current = RULES in existing and (RULES in edited or silences_current(con.execute(KEPT_KEY_SQL).fetchone()))
    # agents kept under another rule only (an older version of exposure or of its data): kept again under this one
    # by the next ingest, a re-run of the same logs too, so `files` (which opens the case read-only and cannot keep
    # them) classifies them once, not every agent of the case each time it runs
    stale = AGENTS in existing and AGENTS not in edited and bool(con.execute(STALE_AGENTS_SQL, {"rule": rule()}).fetchone())
    if not changed and existing == set(TABLES) and current and not stale:
        return
    if _WARMING is not None:
        _WARMING.join()  # the classifiers' data built beside the reading, not twice
    with transaction(con):
        for name in TABLES:
            if name not in existing:
                con.execute(f"CREATE OR REPLACE TABLE {name} ({DDL[name]})")
        _add_addresses(con)  # before the lookups are chosen: the new public addresses are among them
        with ThreadPoolExecutor(1) as pool:
            work = pool.submit(_new_rows, *_todo(con))
            if changed or SILENCES not in existing or not current:
                con.execute(f"DELETE FROM {SILENCES}")
                con.execute(f"INSERT INTO {SILENCES} {silences_sql()}")
                if RULES not in edited:
                    con.execute(f"DELETE FROM {RULES} WHERE name = ?", [SILENCES])
                    con.execute(f"INSERT INTO {RULES} VALUES (?, ?)", [SILENCES, silences_key()])
            rows = work.result()
        queries.insert_columns(con, AGENTS, rows[AGENTS], {"rule": rule()})
        queries.insert_columns(con, GEO_DATABASES, rows[GEO_DATABASES])
        for sha, found in rows[GEO].items():  # per database: its SHA-256 bound once, its kind's facts only
            queries.insert_columns(con, GEO, found, {"database_sha256": sha})


# The clients the case does not keep facts of yet (under this rule), each with its value as an integer when it is
# a plain dotted-quad IPv4 address as `clients.address_facts_many` reads one (its DOTTED_QUAD; else NULL).
NEW_CLIENTS_SQL = f"""CREATE OR REPLACE TEMP TABLE exposure_new_clients AS
SELECT client, CASE WHEN greatest(try_cast(o.a AS INTEGER), try_cast(o.b AS INTEGER), try_cast(o.c AS INTEGER),
                             try_cast(o.d AS INTEGER)) <= 255  -- NULL (no match: '') never passes, whatever the order
    THEN try_cast(o.a AS BIGINT) * 16777216 + try_cast(o.b AS BIGINT) * 65536 + try_cast(o.c AS BIGINT) * 256
         + try_cast(o.d AS BIGINT) END AS v4
FROM (SELECT client, regexp_extract(client, '^(?:{DOTTED_QUAD.pattern.replace("'", "''")})$', ['a', 'b', 'c', 'd']) AS o
      FROM (SELECT DISTINCT client FROM requests r WHERE client IS NOT NULL AND NOT EXISTS
            (SELECT 1 FROM address_facts a WHERE a.client = r.client AND a.rule = $rule)))"""
# Their facts, as address_facts_many works them out: the network type of the IPv4 range holding the value (the
# last range starting at or before it), the operators whose shipped prefixes hold it in crawler_ranges.json's order.
PLAIN_V4_FACTS_SQL = """INSERT INTO address_facts BY NAME
SELECT c.client, c.client AS address, t.network_type, coalesce(x.ranges, []::VARCHAR[]) AS published_ranges,
       $rule AS rule
FROM exposure_new_clients c ASOF JOIN exposure_v4_types t ON c.v4 >= t.first
LEFT JOIN (SELECT client, list(operator ORDER BY op_order) AS ranges
           FROM (SELECT DISTINCT c.client, p.operator, p.op_order FROM exposure_new_clients c
                 JOIN exposure_v4_ranges p ON c.v4 BETWEEN p.first AND p.last)
           GROUP BY client) x USING (client)"""


def _add_addresses(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the facts of the clients not kept yet: plain IPv4 addresses (nearly all) in SQL over the IPv4 ranges
    `clients.address_facts_many` uses (16,434 clients: 0.05 s where fetching, working out and binding them took
    0.075 s; tests/analysis/test_address_facts.py compares the two), the rest through address_facts_many."""
    con.execute(NEW_CLIENTS_SQL, {"rule": rule()})
    if not con.execute("SELECT count(*) FROM exposure_new_clients").fetchone()[0]:
        con.execute("DROP TABLE exposure_new_clients")
        return
    starts, types = v4_types()
    order = {o.operator: i for i, o in enumerate(operator_ranges())}
    firsts, ends = published_v4()
    con.execute("CREATE OR REPLACE TEMP TABLE exposure_v4_types AS SELECT unnest($first::BIGINT[]) AS first, "
                "unnest($type::VARCHAR[]) AS network_type", {"first": starts, "type": types})
    con.execute("CREATE OR REPLACE TEMP TABLE exposure_v4_ranges AS SELECT unnest($first::BIGINT[]) AS first, "
                "unnest($last::BIGINT[]) AS last, unnest($operator::VARCHAR[]) AS operator, "
                "unnest($op_order::INTEGER[]) AS op_order",
                {"first": firsts, "last": [e for e, _op in ends], "operator": [op for _e, op in ends],
                 "op_order": [order[op] for _e, op in ends]})
    try:
        con.execute(PLAIN_V4_FACTS_SQL, {"rule": rule()})
        others = [r[0] for r in con.execute("SELECT client FROM exposure_new_clients WHERE v4 IS NULL ORDER BY 1")
                  .fetchall()]
        queries.insert_columns(con, ADDRESSES, address_facts_many(others), {"rule": rule()})
    finally:
        con.execute("DROP TABLE IF EXISTS exposure_new_clients")
        con.execute("DROP TABLE IF EXISTS exposure_v4_types")
        con.execute("DROP TABLE IF EXISTS exposure_v4_ranges")


def _columns(name: str) -> list[tuple[str, str]]:
    return [tuple(part.strip().split(" ", 1)) for part in DDL[name].split(", ")]  # type: ignore[misc]


# the columns of the case's kept tables (bind $names: the tables asked about)
KEPT_COLUMNS_SQL = ("SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = "
                    "current_database() AND schema_name = 'main' AND list_contains($names, table_name) "
                    "ORDER BY table_name, column_index")


def kept_tables(rows: list[tuple[Any, ...]]) -> set[str]:
    """The tables the case keeps with this module's columns, from the rows of KEPT_COLUMNS_SQL: only those are
    read or added to (a case made before they were kept, or by another version, has the others worked out)."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        columns.setdefault(table, []).append((column, dtype))
    return {name for name in TABLES if columns.get(name) == _columns(name)}


def _todo(con: duckdb.DuckDBPyConnection) -> tuple[list[str | None], GeoLookup | None, dict[str, Any]]:
    """The agents and clients the case does not keep yet (under this rule), the GeoIP databases an answer uses
    by default, and per database (SHA-256) whether it is recorded and the kept addresses not yet looked up in it."""
    agents = [r[0] for r in con.execute(
        f"SELECT DISTINCT r.user_agent FROM requests r WHERE NOT EXISTS (SELECT 1 FROM {AGENTS} a "
        "WHERE a.user_agent IS NOT DISTINCT FROM r.user_agent AND a.rule = $rule) ORDER BY 1",
        {"rule": rule()}).fetchall()]
    try:
        geo = GeoLookup()  # the databases an answer uses without --geoip-city/--geoip-asn
    except (InputError, ImportError, OSError):
        # no readable default database (one named by the environment is not there, the packaged one is not
        # installed): the ingest goes on, and each answer looks up, or says why it cannot, itself
        geo = None
    pending: dict[str, Any] = {}
    for db in geo.databases if geo is not None else []:
        recorded = bool(con.execute(f"SELECT 1 FROM {GEO_DATABASES} WHERE sha256 = ?", [db.sha256]).fetchone())
        kept = [r[0] for r in con.execute(
            f"SELECT DISTINCT address FROM {ADDRESSES} a WHERE network_type = 'public' AND NOT EXISTS "
            f"(SELECT 1 FROM {GEO} g WHERE g.database_sha256 = $sha AND g.address = a.address) ORDER BY 1",
            {"sha": db.sha256}).fetchall()]
        pending[db.sha256] = (recorded, kept)
    return agents, geo, pending


def _new_rows(agents: list[str | None], geo: GeoLookup | None, pending: dict[str, Any]) -> dict[str, Any]:
    """The rows to add, as columns (bound as typed lists: no row dicts): a class per agent, each public address
    not looked up yet looked up once in each database (GEO: per database SHA-256, the columns of its kind's
    facts). No database access: this runs beside the silences' statement."""
    out: dict[str, Any] = {}
    rows = agent_rows(agents)
    out[AGENTS] = {c: [r[c] for r in rows] for c, _t in UA_CLASS_COLUMNS}
    out[GEO_DATABASES] = {c: [] for c in ("sha256", "kind", "path", "database_type", "build_date")}
    out[GEO] = {}  # database SHA-256 -> its rows: address, found and the facts its kind holds
    if geo is None:
        return out
    with geo:
        for db in geo.databases:
            recorded, kept = pending[db.sha256]
            if not recorded:
                for column, value in (("sha256", db.sha256), ("kind", db.kind), ("path", db.path),
                                      ("database_type", db.database_type),
                                      ("build_date", db.build_date.replace(tzinfo=None))):
                    out[GEO_DATABASES][column].append(value)
            held = KIND_FACTS[db.kind]
            rows = out[GEO][db.sha256] = {c: [] for c in ("address", "found", *held)}
            for address in kept:  # distinct and ordered by the query
                found = geo.raw(db.kind, address)
                rows["address"].append(address)
                rows["found"].append(found is not None)
                for column in held:
                    rows[column].append(found.get(column) if found else None)
    return out


# -- what an answer reads ----------------------------------------------------------------------------------
def known_databases(rows: list[tuple[Any, ...]]) -> dict[str, tuple[str, str, Any]]:
    """SHA-256 -> (kind, type, build date) from the rows of `SELECT sha256, kind, database_type, build_date`."""
    return {sha: (kind, dbtype, built) for sha, kind, dbtype, built in rows}


KNOWN_DATABASES_SQL = f"SELECT sha256, kind, database_type, build_date FROM main.{GEO_DATABASES} ORDER BY sha256"
