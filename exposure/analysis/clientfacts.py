"""The per-client facts the target queries join, written into the case as temporary tables: `client_info`
(internal flag, network type, GeoIP/ASN), `ua_class` (what each user agent is) and `geoip_databases` (the
databases used, with build date and hash). One lookup per distinct value, never one per request: the classes,
address facts and GeoIP lookups kept in the case at ingest (exposure/derived.py) are joined in SQL, and only
values the case does not hold (another rule, another GeoIP database, a case made before they were kept) are
worked out here, with the functions that made the kept rows (clients.agent_row, clients.address_facts_many,
GeoLookup.raw), and added beside them.

The clients and agents are those of the temporary table `answer_seen` (client, user_agent, first_seen), which
the analysis fills from the targets' rows and their possible copies' (`reset_seen`, `add_seen`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .. import clients, derived
from ..addresses import parse_cidrs
from ..clients import CLIENT_INFO_COLUMNS, UA_CLASS_COLUMNS, address_facts_many, table_ddl
from ..geo import (
    FACTS,
    GEO_TABLE_DDL,
    KIND_FACTS,
    GeoDatabase,
    GeoLookup,
    describe_found,
    file_sha256,
    resolve,
)
from .files import internal_flag_columns

if TYPE_CHECKING:
    from ..case import CaseFile

TABLES = ("client_info", "ua_class", "geoip_databases")
SEEN = "answer_seen"
# the kept rows for the seen values plus the ones worked out here, with the kept tables' columns
AGENTS, ADDRESSES, GEO = "answer_agent_classes", "answer_address_facts", "answer_address_geo"


def ensure_tables(case: CaseFile, names: Iterable[str] = TABLES) -> None:
    """Create the (empty, typed) tables that are missing, so a query joining them runs before any analysis."""
    names = list(names)
    there = {r[0] for r in case.fetchall("SELECT table_name FROM duckdb_tables() WHERE list_contains($names, "
                                         "table_name)", {"names": names})}
    for name in names:
        if name not in there:
            case.execute(GEO_TABLE_DDL if name == "geoip_databases" else table_ddl(name))


def hash_databases_meanwhile(geoip_city: str | None, geoip_asn: str | None) -> Callable[[], None]:
    """Start hashing the GeoIP databases an answer will use (their SHA-256 names them, 0.05 s for the packaged
    57 MB one) in a thread while DuckDB collects the targets' rows (hashlib and DuckDB both let go of the GIL);
    returns the wait for it. geo.file_sha256 keeps the digest for GeoLookup; what cannot be hashed is left for
    GeoLookup to report."""
    def work() -> None:
        for kind, given in (("city", geoip_city), ("asn", geoip_asn)):
            try:
                found = resolve(kind, given)
                if found is not None and found[0].is_file():
                    file_sha256(kind, *found)
            except Exception:  # noqa: BLE001,S112 (GeoLookup says what is wrong, in the answer's own words)
                continue

    thread = threading.Thread(target=work, name="geoip-sha256", daemon=True)
    thread.start()
    return thread.join


def reset_seen(case: CaseFile) -> None:
    """An empty `answer_seen`: the clients and agents the next client facts are for."""
    case.execute(f"CREATE OR REPLACE TEMP TABLE {SEEN} (client VARCHAR, user_agent VARCHAR, first_seen TIMESTAMP)")


def add_seen(case: CaseFile, table: str) -> None:
    """Add the clients and agents of a table of requests (target_raw, copy_raw), each with its first request."""
    case.execute(f"INSERT INTO {SEEN} SELECT client, user_agent, min(ts_utc) FROM {table} GROUP BY ALL")  # noqa: S608


def write_client_facts(case: CaseFile, internal: Sequence[str], geoip_city: str | None,
                       geoip_asn: str | None) -> None:
    """Write client_info for the clients of `answer_seen` (their first request dates the GeoIP age notes),
    ua_class for its user agents and geoip_databases for the databases used."""
    nets = parse_cidrs(internal)
    kept = _kept(case)
    rule = derived.rule()
    _agents(case, kept, rule)
    _addresses(case, kept, rule)
    known = derived.known_databases(case.fetchall(derived.KNOWN_DATABASES_SQL)) if kept else None
    with GeoLookup(geoip_city, geoip_asn, known=known) as geo:
        _lookups(case, kept, geo)
        databases = list(geo.databases)
    case.execute(GEO_TABLE_DDL)
    case.insert_rows("geoip_databases", [d.as_row() for d in databases])
    _client_info(case, nets, databases)


def write_rule_facts(case: CaseFile, internal: Sequence[str]) -> None:
    """What the download rule reads of the clients of `answer_seen`: ua_class, and client_info's internal flag
    (its other columns are written by write_client_facts)."""
    _agents(case, _kept(case), derived.rule())
    nets = parse_cidrs(internal)
    case.execute(table_ddl("client_info"))
    if nets:
        _internal_table(case, "answer_internal", [r[0] for r in case.fetchall(f"SELECT client FROM {SEEN}")], nets)  # noqa: S608
        case.execute("INSERT INTO client_info BY NAME SELECT * FROM answer_internal")


def write_agent_classes(case: CaseFile) -> None:
    """ua_class for every user agent of the case (the `files` query: its fetcher and CDN figures, as the answer's
    totals count them): the classes kept at ingest joined in SQL, only the agents the case does not hold (another
    rule, a case made before they were kept) classified here."""
    _agents(case, _kept(case), derived.rule(), seen="(SELECT DISTINCT user_agent FROM requests)")


def _agents(case: CaseFile, kept: bool, rule: str, seen: str = SEEN) -> None:
    """ua_class: the kept class of each seen agent (those of `seen`, a table or subquery with a user_agent
    column), the others classified here."""
    case.execute(f"CREATE OR REPLACE TEMP TABLE {AGENTS} ({derived.DDL[derived.AGENTS]})")
    if kept:
        case.execute(f"INSERT INTO {AGENTS} SELECT * FROM main.{derived.AGENTS} a WHERE rule = $rule AND EXISTS "  # noqa: S608
                     f"(SELECT 1 FROM {seen} s WHERE s.user_agent IS NOT DISTINCT FROM a.user_agent)", {"rule": rule})
    new = [clients.agent_row(r[0]) for r in case.fetchall(  # looked up on the module: tests count its calls
        f"SELECT DISTINCT user_agent FROM {seen} s WHERE NOT EXISTS (SELECT 1 FROM {AGENTS} a "  # noqa: S608
        "WHERE a.user_agent IS NOT DISTINCT FROM s.user_agent) ORDER BY 1 NULLS LAST")]
    case.insert_columns(AGENTS, {c: [r[c] for r in new] for c, _t in UA_CLASS_COLUMNS}, {"rule": rule})
    columns = ", ".join(c for c, _t in UA_CLASS_COLUMNS)
    case.execute(table_ddl("ua_class"))
    case.execute(f"INSERT INTO ua_class SELECT {columns} FROM {AGENTS} ORDER BY user_agent NULLS LAST")  # noqa: S608


def _addresses(case: CaseFile, kept: bool, rule: str) -> None:
    """The facts of each seen client: kept, or worked out here."""
    case.execute(f"CREATE OR REPLACE TEMP TABLE {ADDRESSES} ({derived.DDL[derived.ADDRESSES]})")
    if kept:
        case.execute(f"INSERT INTO {ADDRESSES} SELECT * FROM main.{derived.ADDRESSES} a WHERE rule = $rule "  # noqa: S608
                     f"AND client IN (SELECT client FROM {SEEN})", {"rule": rule})
    new = [r[0] for r in case.fetchall(
        f"SELECT DISTINCT client FROM {SEEN} WHERE client IS NOT NULL AND client NOT IN "  # noqa: S608
        f"(SELECT client FROM {ADDRESSES}) ORDER BY 1")]
    case.insert_columns(ADDRESSES, address_facts_many(new), {"rule": rule})


def _lookups(case: CaseFile, kept: bool, geo: GeoLookup) -> None:
    """What each database holds for each seen public address: kept for its SHA-256, or looked up here."""
    case.execute(f"CREATE OR REPLACE TEMP TABLE {GEO} ({derived.DDL[derived.GEO]})")
    shas = [d.sha256 for d in geo.databases]
    if kept and shas:
        case.execute(f"INSERT INTO {GEO} SELECT * FROM main.{derived.GEO} g WHERE list_contains($shas, "  # noqa: S608
                     f"database_sha256) AND address IN (SELECT address FROM {ADDRESSES} "
                     "WHERE network_type = 'public')", {"shas": shas})
    rows: dict[str, list[Any]] = {c: [] for c in ("database_sha256", "address", "found", *FACTS)}
    for db in geo.databases:
        for (address,) in case.fetchall(
                f"SELECT DISTINCT address FROM {ADDRESSES} a WHERE network_type = 'public' AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {GEO} g WHERE g.database_sha256 = $sha AND g.address = a.address) ORDER BY 1",
                {"sha": db.sha256}):
            found = geo.raw(db.kind, address)
            rows["database_sha256"].append(db.sha256)
            rows["address"].append(address)
            rows["found"].append(found is not None)
            for column in FACTS:
                rows[column].append(found.get(column) if found else None)
    case.insert_columns(GEO, rows)


def _client_info(case: CaseFile, nets: Sequence[Any], databases: Sequence[GeoDatabase]) -> None:
    """client_info in one statement over the seen clients, their facts and each database's lookups. The
    GeoIP note is geo.describe_found's, asked once per distinct kind of address (network type, found and
    older than its first request in each database, the day of that request), not once per address."""
    joins, facts, keys = [], dict.fromkeys(FACTS, "NULL"), []
    params: dict[str, Any] = {}
    for i, db in enumerate(databases):
        params[f"sha{i}"], params[f"built{i}"] = db.sha256, db.build_date.replace(tzinfo=None)
        joins.append(f"LEFT JOIN {GEO} g{i} ON g{i}.database_sha256 = $sha{i} AND g{i}.address = f.address "
                     "AND f.network_type = 'public'")
        for column in KIND_FACTS[db.kind]:
            facts[column] = f"CASE WHEN g{i}.found THEN g{i}.{column} END"
        keys += [f"coalesce(g{i}.found, false) AS found{i}", f"$built{i} < f.address_seen AS older{i}"]
    keyed = ", ".join(["f.network_type", *keys, "strftime(f.address_seen, '%Y-%m-%d') AS seen_day"])
    key_names = ["network_type", *(f"{k}{i}" for i in range(len(databases)) for k in ("found", "older")),
                 "seen_day"]
    case.execute(f"""
        CREATE OR REPLACE TEMP TABLE answer_client_keys AS
        WITH s AS (SELECT client, min(first_seen) AS first_seen FROM {SEEN} WHERE client IS NOT NULL GROUP BY client),
        f AS (SELECT s.client, a.address, a.network_type, a.published_ranges,
                     min(s.first_seen) OVER (PARTITION BY a.address) AS address_seen
              FROM s JOIN {ADDRESSES} a USING (client))
        SELECT f.client, f.address, f.network_type, f.published_ranges, f.address_seen,
               {', '.join(f'{expr} AS {col}' for col, expr in facts.items())}, {keyed}
        FROM f {' '.join(joins)}""", params)  # noqa: S608 (column names and numbered parameters only)
    notes: dict[str, list[Any]] = {name: [] for name in (*key_names, "geo_note")}
    for row in case.fetchall(f"SELECT {', '.join(key_names)}, min(address_seen) FROM answer_client_keys "  # noqa: S608
                             "WHERE address IS NOT NULL GROUP BY ALL ORDER BY ALL"):
        found = [row[1 + 2 * i] for i in range(len(databases))]
        for name, value in zip(key_names, row, strict=False):
            notes[name].append(value)
        notes["geo_note"].append(describe_found(row[0], row[-1], [
            (db, {} if f else None) for db, f in zip(databases, found, strict=True)])["geo_note"])
    columns = ", ".join(f"k.{c}" for c, _t in CLIENT_INFO_COLUMNS if c not in ("internal", "geo_note"))
    on = " AND ".join(f"n.{k} IS NOT DISTINCT FROM k.{k}" for k in key_names)
    case.execute("CREATE OR REPLACE TEMP TABLE answer_geo_notes ("  # noqa: S608 (column names only)
                 + ", ".join(f"{k} {'VARCHAR' if k in ('network_type', 'seen_day') else 'BOOLEAN'}" for k in key_names)
                 + ", geo_note VARCHAR)")
    case.insert_columns("answer_geo_notes", notes)
    _internal_table(case, "answer_internal", [r[0] for r in case.fetchall(
        "SELECT client FROM answer_client_keys")] if nets else [], nets)
    case.execute(table_ddl("client_info"))
    case.execute(f"""
        INSERT INTO client_info BY NAME
        SELECT {columns}, coalesce(i.internal, false) AS internal, n.geo_note
        FROM answer_client_keys k
        LEFT JOIN answer_internal i USING (client)
        LEFT JOIN answer_geo_notes n ON k.address IS NOT NULL AND {on}
        ORDER BY client""")  # noqa: S608


def _internal_table(case: CaseFile, name: str, clients: list[str], nets: Sequence[Any]) -> None:
    """A temporary table `name` (client, internal) of the clients' staff flags (bound as lists: no Arrow
    built from Python values, which would import pandas)."""
    case.execute(f"CREATE OR REPLACE TEMP TABLE {name} (client VARCHAR, internal BOOLEAN)")
    case.insert_columns(name, internal_flag_columns(clients, nets))


def _kept(case: CaseFile) -> bool:
    """The case keeps classes and lookups (exposure/derived.py): made or ingested into since they were kept."""
    kept = derived.kept_tables(case.fetchall(derived.KEPT_COLUMNS_SQL, {"names": list(derived.TABLES)}))
    return kept >= {derived.AGENTS, derived.ADDRESSES, derived.GEO_DATABASES, derived.GEO}


def write_internal_flags(case: CaseFile, internal: Sequence[str]) -> None:
    """client_info with only the internal flag, for every client of the case (the `files` query)."""
    nets = parse_cidrs(internal)
    _internal_table(case, "client_info", [r[0] for r in case.fetchall("SELECT DISTINCT client FROM requests")], nets)
