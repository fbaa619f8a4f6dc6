"""The per-client facts the target queries join, written into the case as temporary tables: `client_info`
(internal flag, network type, GeoIP/ASN), `ua_class` (what each user agent is) and `geoip_databases` (the
databases used, with build date and hash). One lookup per distinct value, never one per request: the classes,
address facts and GeoIP lookups kept in the case at ingest (exposure/derived.py) are read, and only values the
case does not hold (another rule, another GeoIP database, a case made before they were kept) are worked out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import derived
from ..addresses import parse_cidrs
from ..clients import (
    CLIENT_INFO_COLUMNS,
    UA_CLASS_COLUMNS,
    classify_user_agents,
    describe_addresses,
    table_ddl,
)
from ..geo import GEO_TABLE_DDL, GeoLookup
from .files import internal_flags

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ..case import CaseFile

TABLES = ("client_info", "ua_class", "geoip_databases")
GEO_COLUMNS = ["kind", "database_type", "path", "source", "build_date", "sha256"]


def ensure_tables(case: CaseFile, names: Iterable[str] = TABLES) -> None:
    """Create the (empty, typed) tables that are missing, so a query joining them runs before any analysis."""
    names = list(names)
    there = {r[0] for r in case.fetchall("SELECT table_name FROM duckdb_tables() WHERE list_contains($names, "
                                         "table_name)", {"names": names})}
    for name in names:
        if name not in there:
            case.execute(GEO_TABLE_DDL if name == "geoip_databases" else table_ddl(name))


def write_client_facts(case: CaseFile, first_seen: Mapping[str, datetime], agents: Iterable[str | None],
                       internal: Sequence[str], geoip_city: str | None, geoip_asn: str | None) -> None:
    """Write client_info for the addresses (`first_seen`: each one's first request, for GeoIP age notes),
    ua_class for the user agents and geoip_databases for the databases used."""
    import pandas as pd

    nets = parse_cidrs(internal)
    agents = set(agents)
    clients = sorted(first_seen)
    kept = _kept(case)
    rule = {"rule": derived.rule()}
    known_agents = known_clients = cached = known_dbs = None
    if kept:
        known_dbs = derived.known_databases(case.fetchall(derived.KNOWN_DATABASES_SQL))
        with _values(case, sorted(a for a in agents if a is not None)):
            known_agents = derived.agents_known(case.fetchall(derived.KEPT_AGENTS_SQL, rule))
        with _values(case, clients):
            known_clients = derived.address_known(case.fetchall(derived.KEPT_ADDRESSES_SQL, rule))
    with GeoLookup(geoip_city, geoip_asn, known=known_dbs) as geo:
        if kept:
            with _values(case, sorted({f["address"] for f in known_clients.values() if f["address"]})):
                cached = derived.geo_found(case.fetchall(derived.KEPT_GEO_SQL,
                                                         {"shas": [d.sha256 for d in geo.databases]}))
        info = describe_addresses(clients, nets, geo=geo, first_seen=first_seen, known=known_clients,
                                  cached=cached)
        databases = pd.DataFrame([d.as_row() for d in geo.databases], columns=GEO_COLUMNS)
    classes = classify_user_agents(sorted(a for a in agents if a is not None) + ([None] if None in agents else []),
                                   known_agents)
    for name, frame in (("client_info", info), ("ua_class", classes)):
        case.execute(table_ddl(name))
        with case.registered("exposure_rows", _typed(frame, CLIENT_INFO_COLUMNS if name == "client_info"
                                                     else UA_CLASS_COLUMNS)):
            case.execute(f"INSERT INTO {name} SELECT * FROM exposure_rows")  # noqa: S608 (constant names)
    case.execute(GEO_TABLE_DDL)
    with case.registered("exposure_rows", databases):
        case.execute("INSERT INTO geoip_databases SELECT * FROM exposure_rows")


ARROW_TYPES = {"VARCHAR": "string", "BOOLEAN": "bool_", "INTEGER": "int32", "BIGINT": "int64"}


def _typed(frame: pd.DataFrame, columns: Sequence[tuple[str, str]]) -> pa.Table:
    """The rows as Arrow with the table's types: DuckDB reading pandas guesses a column's type from its first
    rows, and a column whose first thousands are all NULL (50,000 clients of a 20 M-line case) was refused."""
    import pyarrow as pa

    def arrow_type(sql: str) -> pa.DataType:
        if sql.endswith("[]"):
            return pa.list_(arrow_type(sql[:-2]))
        return getattr(pa, ARROW_TYPES[sql])()

    schema = pa.schema([(c, arrow_type(t)) for c, t in columns])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def _kept(case: CaseFile) -> bool:
    """The case keeps classes and lookups (exposure/derived.py): made or ingested into since they were kept."""
    kept = derived.kept_tables(case.fetchall(derived.KEPT_COLUMNS_SQL, {"names": list(derived.TABLES)}))
    return kept >= {derived.AGENTS, derived.ADDRESSES, derived.GEO_DATABASES, derived.GEO}


def _values(case: CaseFile, values: list[str]) -> Any:
    """The values readable in SQL as the view `exposure_values` (one column `value`) while in the block."""
    import pyarrow as pa

    return case.registered("exposure_values", pa.table({"value": pa.array(values, pa.string())}))


def write_internal_flags(case: CaseFile, internal: Sequence[str]) -> None:
    """client_info with only the internal flag, for every client of the case (the `files` query)."""
    nets = parse_cidrs(internal)
    clients = [r[0] for r in case.fetchall("SELECT DISTINCT client FROM requests")]
    with case.registered("exposure_rows", internal_flags(clients, nets)):
        case.execute("CREATE OR REPLACE TEMP TABLE client_info AS SELECT * FROM exposure_rows")
