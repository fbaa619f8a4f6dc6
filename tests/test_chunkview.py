"""The parse's view over the current chunk: it reads whatever table is shown, and holds no other, inside a
transaction too (where a view registered per chunk kept every chunk until the commit)."""

from __future__ import annotations

import gc
import weakref

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from exposure.chunkview import ChunkView
from exposure.linekeys import int64s

SCHEMA = pa.schema([("n", pa.int64())])


def _table(lo: int, n: int) -> pa.Table:
    return pa.table([int64s(np.arange(lo, lo + n, dtype=np.int64))], schema=SCHEMA)


def test_each_query_reads_the_table_shown_and_no_earlier_one_is_kept() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (n BIGINT)")
    con.begin()  # as an ingest: one transaction per file
    view = ChunkView(con, "chunk", SCHEMA)
    alive = []
    for i in range(6):
        table = _table(i * 100, 100)
        alive.append(weakref.ref(table))
        view.show(table)
        del table
        assert con.execute("SELECT min(n), count(*) FROM chunk").fetchone() == (i * 100, 100)
        con.execute("INSERT INTO t SELECT n FROM chunk WHERE n % 10 = 0")
        gc.collect()
        assert sum(r() is not None for r in alive) == 1  # only the one shown: not one per chunk until commit
    view.show(None)
    assert con.execute("SELECT count(*) FROM chunk").fetchone() == (0,)
    gc.collect()
    assert all(r() is None for r in alive)
    view.close()
    con.commit()
    assert con.execute("SELECT count(*), sum(n) FROM t").fetchone() == (60, sum(range(0, 600, 10)))


def test_a_table_of_another_schema_is_refused() -> None:
    con = duckdb.connect()
    view = ChunkView(con, "chunk", SCHEMA)
    with pytest.raises(ValueError, match="another schema"):
        view.show(pa.table({"m": pa.array(["x"])}))
    view.close()
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT * FROM chunk")
