"""Windows and downloads of one target over a Parquet export, in SQL that Spark and DuckDB both run.

The SQL is queries/portable/windows_downloads.sql (what it covers, and what the export cannot give it, is in
its header). This module feeds it: the export as `ecs_requests`, the parameters as a one-row table
`target_params` and the --internal flags as `client_info`, each registered as data (Arrow), never pasted
into SQL. An engine is anything with the methods of `Engine`; `DuckDBEngine` is here, a Spark one is in
tests/spark/test_spark_parity.py (pyspark is not a dependency).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyarrow as pa

from .addresses import parse_cidrs
from .analysis.files import internal_flags
from .analysis.targets import Target, parse_target
from .queries import NamedQuery, parse_file, query_dir, statements

if TYPE_CHECKING:
    import duckdb

    from .analysis.options import AnalysisOptions

PORTABLE_SQL = "portable/windows_downloads.sql"

PARAMS_SCHEMA = pa.schema([("target_path", pa.string()), ("target_alt", pa.string()),
                           ("target_host", pa.string()), ("size", pa.int64()),
                           ("range_gap_minutes", pa.int32())])
# Views an engine that re-runs a view at every reference (Spark) should keep, each as soon as it is created:
# the target's rows (one scan of the export), then each view the later ones read more than once.
CACHED = ("portable_target_raw", "portable_window_headers", "portable_exact_sizes", "portable_bands", "portable_windows", "portable_transfers", "portable_range_parts",
          "portable_downloads", "portable_after")
_VIEW = re.compile(r"CREATE\s+OR\s+REPLACE\s+TEMPORARY\s+VIEW\s+([A-Za-z_]\w*)", re.I)
CLIENT_INFO_SCHEMA = pa.schema([("client", pa.string()), ("internal", pa.bool_())])


class Engine(Protocol):
    """What the portable SQL needs from an engine."""

    def register_parquet(self, name: str, directory: Path) -> None:
        """Make `name` a view over the Parquet files under `directory` (Hive partitions read as columns)."""

    def register(self, name: str, table: pa.Table) -> None:
        """Make `name` a view over a small Arrow table."""

    def execute(self, sql: str) -> None: ...

    def fetch(self, sql: str) -> pa.Table: ...

    def cache(self, name: str) -> None:
        """Keep the view's rows for the views and queries that follow (they read it several times), or do
        nothing. The view keeps its name."""


@dataclass(frozen=True)
class PortableAnswer:
    windows: pa.Table
    downloads: pa.Table
    download_lines: pa.Table


@cache
def portable_queries() -> dict[str, NamedQuery]:
    return {q.name: q for q in parse_file(query_dir() / PORTABLE_SQL)}


def target_params(target: str | Target, options: AnalysisOptions) -> pa.Table:
    """The one-row `target_params` table: the target as the case matches it, the size and the range gap."""
    tgt = target if isinstance(target, Target) else parse_target(target)
    row = {**tgt.params, "size": options.size, "range_gap_minutes": options.range_gap_minutes}
    return pa.Table.from_pylist([row], schema=PARAMS_SCHEMA)


def client_info(clients: list[str], internal: tuple[str, ...] | list[str]) -> pa.Table:
    """The `client_info` table: each client address and whether it lies in the --internal ranges."""
    flags = internal_flags(clients, parse_cidrs(internal))
    return pa.Table.from_pandas(flags, schema=CLIENT_INFO_SCHEMA, preserve_index=False)


def run_portable(engine: Engine, export_dir: str | os.PathLike[str], target: str | Target,
                 options: AnalysisOptions) -> PortableAnswer:
    """Run the portable windows and downloads of `target` on `engine` over the export in `export_dir`."""
    options = options.validated()
    q = portable_queries()
    engine.register_parquet("ecs_requests", Path(export_dir))
    engine.register("target_params", target_params(target, options))
    _create_views(engine, q["portable_target_raw"])
    clients = engine.fetch(q["portable_target_clients"].sql).column("client").to_pylist()
    engine.register("client_info", client_info(clients, options.internal))
    _create_views(engine, q["portable_target_views"])
    return PortableAnswer(windows=engine.fetch(q["portable_windows"].sql),
                          downloads=engine.fetch(q["portable_downloads"].sql),
                          download_lines=engine.fetch(q["portable_download_lines"].sql))


def _create_views(engine: Engine, block: NamedQuery) -> None:
    for stmt in statements(block.sql):
        engine.execute(stmt)
        view = _VIEW.search(stmt)
        if view and view.group(1) in CACHED:
            engine.cache(view.group(1))


class DuckDBEngine:
    """The portable SQL on a DuckDB connection (an in-memory one by default)."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        import duckdb

        self.con = con if con is not None else duckdb.connect()
        self._tables: dict[str, pa.Table] = {}

    def register_parquet(self, name: str, directory: Path) -> None:
        rel = self.con.read_parquet(str(directory / "**" / "*.parquet"), hive_partitioning=True)
        rel.create_view(_ident(name), replace=True)

    def register(self, name: str, table: pa.Table) -> None:
        self._tables[name] = table  # kept alive for as long as DuckDB may scan it
        self.con.register(name, table)

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def fetch(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def cache(self, name: str) -> None:
        # as target.sql's target_raw: the rows in a temporary table, and the view now over that table, so the
        # views and queries after it read the rows instead of scanning the export again
        view = _ident(name)
        self.con.execute(f"CREATE OR REPLACE TEMPORARY TABLE {view}__rows AS SELECT * FROM {view}")  # noqa: S608
        self.con.execute(f"CREATE OR REPLACE TEMPORARY VIEW {view} AS SELECT * FROM {view}__rows")  # noqa: S608


def _ident(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"not a plain identifier: {name!r}")
    return name
