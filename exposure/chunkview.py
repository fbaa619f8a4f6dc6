"""One SQL view over the Arrow chunk being parsed, its data swapped chunk by chunk without registering again.

Why not `con.register(name, table)` per chunk: inside a transaction (an ingest is one per file) DuckDB keeps
every view it replaces, and with it the Python object it scans, until the transaction ends, so that a rollback
could restore it. Registering each chunk anew therefore held every chunk of a file in memory until its commit:
the whole file, outside DuckDB's memory limit (a 1 GB S3 log peaked at 1.65 GB RSS, 20 M combined lines at
4.9 GB; docs/scale.md, "Memory"). The view is registered once, over an object that hands DuckDB the current
chunk through the Arrow C stream interface each time a query scans it; a chunk is released as soon as the next
one is shown (or the view is cleared).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from . import queries


class _Current:
    """What DuckDB scans: the Arrow stream of whatever table is current when a query runs."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.table: pa.Table | None = None

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        table = self.table if self.table is not None else self.schema.empty_table()
        return table.__arrow_c_stream__(requested_schema)


class ChunkView:
    """The view `name` on `con`, showing one Arrow table (of `schema`) at a time.

    Each table shown must have the schema the view was made with (a query binds the view's columns from it).
    Only the current table is referenced from here.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str, schema: pa.Schema) -> None:
        self.con, self.name = con, name
        self._current = _Current(schema)
        queries.register(con, name, self._current)

    def show(self, table: pa.Table | None) -> None:
        """Make `table` what the view reads (None: an empty table); the previous one is no longer referenced."""
        if table is not None and not table.schema.equals(self._current.schema):
            raise ValueError(f"{self.name}: a table of another schema ({table.schema}) than the view's")
        # a result still open would go on reading from the table shown next (DuckDB streams results and asks
        # for the Arrow stream lazily)
        queries.finish_open_result(self.con)
        self._current.table = table

    def release(self) -> None:
        """Let go of the current table (cannot fail: also on the error path, inside an aborted transaction)."""
        self._current.table = None

    def close(self) -> None:
        """Drop the view; its current table is released."""
        self.release()
        queries.unregister(self.con, self.name)
