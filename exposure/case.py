"""The case file: a DuckDB database holding evidence, requests, rejects and the activity log.

`CaseFile` owns the connection: it opens (or creates) the file, migrates its schema, keeps the activity log
and the evidence registry, runs the ingest and ad-hoc SQL. Everything above it (the analysis of targets, the
JSON answer, the report) goes through its small interface (`execute`, `fetchone`, `fetchall`, `frame`,
`registered`, `transaction`, `bind`, `run`), never through the connection itself. The public `exposure.Case`
(exposure/api.py) composes this with the analysis and the outputs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import duckdb

from . import queries, store
from .errors import CaseError, CaseInUseError, QueryError
from .ingest import IngestOptions, IngestResult, ingest_paths, memory_limit
from .version import TOOL_VERSION

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    Frame: TypeAlias = pd.DataFrame | pa.Table  # what the query methods return: pandas, or pyarrow with arrow=True

# 2: request rows in narrow stores behind the `requests` view (exposure/store.py); 3: the recorded facts of each
# evidence file (what its paths, byte counts, lengths and times mean) and their basis; 4: escapes decoded, the
# `extra` column (a line's other fields), hosts from absolute request targets; 5: what reading found in the
# evidence registry (damage, damage_offset, damage_detail, decoded_bytes, lost_bytes, bom, line_endings,
# suspicious; verdict `unreadable`); 6: log streams, content overlaps and the citation rule (evidence.stream,
# stream_reason, name_kind, copy_folder; overlap_pairs per copy and original; the view evidence_citation)
SCHEMA_VERSION = 6


def __getattr__(name: str) -> Any:
    """`Frame` (pandas DataFrame | pyarrow Table) is built on first use: importing exposure skips pandas."""
    if name == "Frame":
        import pandas as pd
        import pyarrow as pa

        frame = globals()["Frame"] = pd.DataFrame | pa.Table
        return frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection to a case file, set up the one way every case is read: UTC, insertion order kept, and no
    replacement scans (a query never reads a Python variable by its name: frames are registered by name)."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CaseInUseError(f"case is in use by another process: {path}") from None
        raise CaseError(f"cannot open case {path}: {exc}") from None
    except duckdb.Error as exc:
        raise CaseError(f"cannot open case {path}: {exc}") from None
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET python_enable_replacements = false")
    return con


class CaseFile:
    """A case file (or a temporary one when `path` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="exposure-case-")
            path = Path(self._tmpdir) / "case.duckdb"
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise CaseError(f"no case file at {self.path}")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        self.con = connect(self.path, read_only)
        if new:
            os.chmod(self.path, 0o600)
        if not read_only:
            self._migrate()
        self._check_version()
        # counts the changes to the requests (ingests): what was derived from them is stale when it moved
        self.generation = 0

    # -- life cycle -----------------------------------------------------------------------------------
    def __enter__(self) -> CaseFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            if self._tmpdir:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    @property
    def temporary(self) -> bool:
        return self._tmpdir is not None

    def _migrate(self) -> None:
        for stmt in queries.statements(queries.get("schema").sql):
            self.con.execute(stmt)
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] == str(SCHEMA_VERSION):
            store.create_schema(self.con)
            for stmt in queries.statements(queries.get("citation").sql):  # a view over this version's columns
                self.con.execute(stmt)
        if row is None:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_with', ?)",
                             [str(SCHEMA_VERSION), TOOL_VERSION])

    def _check_version(self) -> None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            raise CaseError(f"{self.path} is not an exposure case file") from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise CaseError(f"{self.path} has case schema version {found}; this exposure ({TOOL_VERSION}) "
                            f"reads version {SCHEMA_VERSION}: re-ingest the evidence into a new case")

    # -- the interface everything above the case uses ----------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
        """Run one statement (parameters bound: `?` with a list, `$name` with a dict)."""
        self.con.execute(sql, params or None)

    def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        return self.con.execute(sql, params or None).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or None).fetchall()

    def frame(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None, *,
              arrow: bool = False) -> Frame:
        """A query's rows as a pandas DataFrame (a pyarrow Table with arrow=True)."""
        if arrow:
            return self.con.sql(sql, params=params or None).to_arrow_table()
        return self.con.execute(sql, params or None).df()

    @contextmanager
    def registered(self, name: str, data: Any) -> Iterator[str]:
        """`data` (a pandas DataFrame or an Arrow table) readable in SQL as the view `name` while in the block:
        the one way Python data reaches a query (replacement scans are off)."""
        queries.register(self.con, name, data)
        try:
            yield name
        finally:
            queries.unregister(self.con, name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    def bind(self, params: dict[str, Any]) -> None:
        """Set named-query parameters as DuckDB variables (bound values, see `queries.bind`)."""
        queries.bind(self.con, params)

    def run(self, block: queries.NamedQuery) -> None:
        """Run every statement of a named block (definitions: macros, temporary tables)."""
        for stmt in queries.statements(block.sql):
            self.con.execute(stmt)

    def table_exists(self, name: str) -> bool:
        return bool(self.fetchone("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name])[0])

    # -- activity log and evidence --------------------------------------------------------------------------
    def log_activity(self, command: str, detail: str = "") -> None:
        """Append to the case's activity log (who ran what, with which version, when)."""
        seq = self.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM activity").fetchone()[0]
        self.con.execute("INSERT INTO activity VALUES (?, ?, ?, ?, ?)",
                         [seq, datetime.now(UTC).replace(tzinfo=None), TOOL_VERSION, command, detail])

    def ingest(self, paths: Sequence[str | os.PathLike[str]], options: IngestOptions | None = None,
               on_file: Any = None, on_progress: Any = None) -> IngestResult:
        """Hash, register and parse log files and folders. See `exposure.ingest.ingest_paths`."""
        try:
            result = ingest_paths(self.con, [str(p) for p in paths], options or IngestOptions(), on_file,
                                  on_progress)
        finally:
            self.generation += 1
        wal = Path(f"{self.path}.wal")
        if self._tmpdir is None and wal.exists() and wal.stat().st_mode & 0o077:
            os.chmod(wal, 0o600)  # DuckDB creates the WAL with the process umask (the CLI sets 0o077)
        self.log_activity("ingest", " ".join(map(str, paths)))
        with memory_limit(self.con):  # write the new row groups out now, under the ingest's memory limit
            self.con.execute("CHECKPOINT")
        return result

    def evidence(self, *, arrow: bool = False) -> Frame:
        """The evidence registry: one row per input file with hashes (sha256 of the bytes on disk,
        content_sha256 of the decompressed content), format, verdict and line accounting
        (lines = requests + rejected + skipped)."""
        return self.frame("SELECT * FROM evidence ORDER BY evidence_id", arrow=arrow)

    def rejects(self, *, arrow: bool = False) -> Frame:
        """Rejected lines with file, line number, byte offset and reason."""
        return self.frame(
            "SELECT e.path, r.* FROM rejects r JOIN evidence e USING (evidence_id) ORDER BY evidence_id, line_no",
            arrow=arrow)

    def log_offsets(self) -> list[int]:
        """UTC offsets written in the logs, most common first."""
        rows = self.fetchall("SELECT utc_offset_min FROM requests WHERE utc_offset_min IS NOT NULL "
                             "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5")
        return [int(r[0]) for r in rows]

    # -- ad-hoc SQL -----------------------------------------------------------------------------------
    def sql(self, query: str, *, arrow: bool = False, **params: Any) -> Frame:
        """Run ad-hoc SQL on the case; parameters are bound as `$name` (never interpolated), e.g.
        `case.sql("SELECT * FROM requests WHERE client = $ip", ip="84.29.143.61")`."""
        try:
            return self.frame(query, params, arrow=arrow)
        except duckdb.Error as exc:
            raise QueryError(f"query failed: {exc}") from None
