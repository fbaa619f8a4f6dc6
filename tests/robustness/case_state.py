"""What robustness tests compare: an independent line count and a case's table contents."""

from __future__ import annotations

from typing import Any

import duckdb

# Columns that record when something happened, not what the evidence says.
VOLATILE = {"ingested_at", "at_utc"}
TABLES = ("evidence", "requests", "rejects", "skipped", "overlap_lines", "overlap_pairs")


def count_lines(content: bytes) -> int:
    """Lines as a forensic examiner counts them: newline-terminated, plus a final unterminated line."""
    return content.count(b"\n") + (1 if content and not content.endswith(b"\n") else 0)


def snapshot(con: duckdb.DuckDBPyConnection, drop: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the evidence tables in a stable order, without volatile or dropped columns."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in VOLATILE and r[0] not in drop]
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    return out


def accounting(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Per ingested file: (path, lines, requests, rejected, skipped) as recorded and as found in the tables."""
    return con.execute("""
        SELECT e.path, e.lines, e.requests, e.rejected, e.skipped,
               (SELECT count(*) FROM requests r WHERE r.evidence_id = e.evidence_id),
               (SELECT count(*) FROM rejects r WHERE r.evidence_id = e.evidence_id),
               (SELECT count(*) FROM skipped s WHERE s.evidence_id = e.evidence_id)
        FROM evidence e WHERE e.verdict = 'ingested' ORDER BY e.evidence_id""").fetchall()
