"""Digests of the stored rows of one evidence file: its requests, rejected lines and skipped lines.

Each row is hashed in DuckDB with `hash()` over every stored column but the file's number (its line number
included, so a row is bound to its place), and the hashes are summed and xor-ed per block of BLOCK_LINES
lines. The blocks are kept in `row_blocks` when the file is ingested; the seal (exposure/seal.py) covers them
with SHA-256. Checking a case recomputes the blocks from the rows and names the blocks that differ, and the
accounting (every line 1..lines a request, a rejected or a skipped line) names a deleted line exactly.

Why this construction: it costs one vectorised pass (about a third of a second per million rows here), where a
SHA-256 per row costs more than the ingest itself. What it does not give: DuckDB's `hash()` is a 64-bit
non-cryptographic hash, so someone who studies it can build a replacement row with the same hash. The file
number is left out so that re-ingesting the same file, with the same tool and options, into any case gives
the same digest: the evidence files' own SHA-256 and a re-ingest remain the cryptographic check.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .schema import COMPUTED

if TYPE_CHECKING:
    from .case import CaseFile

BLOCK_LINES = 1024
KINDS = ("requests", "rejects", "skipped")  # the tables holding an evidence file's lines
# A fixed row of every type the stores use: its hash is recorded at creation, so a DuckDB whose hash()
# differs is recognised instead of reporting every row as changed.
PROBE_SQL = ("SELECT hash(1::BIGINT, 'exposure'::VARCHAR, TIMESTAMP '2020-06-08 12:00:00', 2.5::DOUBLE, true, "
             "NULL::VARCHAR, 404::SMALLINT, 7::INTEGER)::VARCHAR")


@dataclass(frozen=True)
class BlockDiff:
    """One block of one kind of rows whose sealed and present hashes differ."""

    evidence_id: int
    kind: str
    first_line: int
    last_line: int
    sealed_rows: int
    rows_now: int


def stored(case: CaseFile, table: str, database: str | None = None) -> str:
    """The case's own table, named with its database (`database`: as `case_database` gave it): `main.{table}`
    alone finds a temporary table of that name first (DuckDB's temp database has a schema main too), as an
    answer's own copy of silences another rule made (exposure/findings.py, ensure_silences), and the seal would
    digest that copy."""
    database = case_database(case) if database is None else database
    return '"{}".main.{}'.format(database.replace('"', '""'), table)


def case_database(case: CaseFile) -> str:
    """The name of the case's own database (DuckDB's current_database())."""
    return str(case.fetchone("SELECT current_database()")[0])


def columns(case: CaseFile, table: str) -> list[str]:
    """A table's (or view's) columns in table order."""
    return [r[0] for r in case.fetchall(f"DESCRIBE {stored(case, table)}")]


def hashed_columns(case: CaseFile, kind: str) -> list[str]:
    """The columns a row hash covers: every stored column of the table (for requests: of the view, without
    those it computes), in table order, except evidence_id."""
    return [c for c in columns(case, kind) if c != "evidence_id" and not (kind == "requests" and c in COMPUTED)]


def blocks_sql(case: CaseFile, where: str = "true") -> str:
    """SQL of the blocks of every kind of rows (restricted by `where`): evidence_id, kind, block, first_line,
    last_line, rows, hash_sum, hash_xor."""
    parts = [f"SELECT evidence_id, '{kind}' AS kind, line_no // {BLOCK_LINES} AS block, min(line_no) AS first_line, "
             f"max(line_no) AS last_line, count(*) AS rows, sum(h)::HUGEINT AS hash_sum, bit_xor(h) AS hash_xor "
             f"FROM (SELECT evidence_id, line_no, hash({', '.join(hashed_columns(case, kind))}) AS h FROM {kind} "
             f"WHERE {where}) GROUP BY evidence_id, block" for kind in KINDS]
    return " UNION ALL ".join(f"({p})" for p in parts)


def write_blocks(case: CaseFile, evidence_ids: list[int]) -> None:
    """Compute and keep the blocks of these evidence files' rows (replacing any kept before)."""
    which = _id_filter(evidence_ids)
    case.execute(f"DELETE FROM row_blocks WHERE {which}")
    case.execute(f"INSERT INTO row_blocks {blocks_sql(case, which)}")


def _id_filter(evidence_ids: list[int]) -> str:
    """SQL choosing these evidence files: a range when they are consecutive (a command's new files are; planning
    three scans with a thousand literals each cost more than the scans), else the list."""
    ids = sorted({int(e) for e in evidence_ids})
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return f"evidence_id BETWEEN {ids[0]} AND {ids[-1]}"
    return f"evidence_id IN ({', '.join(map(str, ids))})"


def digests(case: CaseFile, evidence_ids: list[int] | None = None) -> dict[tuple[int, str], tuple[int, str]]:
    """(evidence_id, kind) -> (rows, SHA-256 over its kept blocks), for the given files (None: every file with
    kept blocks). A file of no rows of a kind has rows 0 and the digest of no blocks."""
    rows = case.fetchall(
        "SELECT evidence_id, kind, block, first_line, last_line, rows, hash_sum::VARCHAR, hash_xor::VARCHAR "
        "FROM row_blocks WHERE $ids IS NULL OR list_contains($ids, evidence_id) ORDER BY evidence_id, kind, block",
        {"ids": evidence_ids})
    grouped: dict[tuple[int, str], list[list[object]]] = {}
    for evid, kind, *block in rows:
        grouped.setdefault((int(evid), kind), []).append(block)
    ids = evidence_ids if evidence_ids is not None else sorted({k[0] for k in grouped})
    return {(evid, kind): _digest(kind, grouped.get((evid, kind), [])) for evid in ids for kind in KINDS}


def _digest(kind: str, blocks: list[list[object]]) -> tuple[int, str]:
    if not blocks:  # most files have no rejected or skipped lines: the digest of none, once per kind
        return _no_blocks(kind)
    text = json.dumps([kind, BLOCK_LINES, blocks], separators=(",", ":"))
    return sum(int(b[3]) for b in blocks), hashlib.sha256(text.encode()).hexdigest()


@cache
def _no_blocks(kind: str) -> tuple[int, str]:
    return 0, hashlib.sha256(json.dumps([kind, BLOCK_LINES, []], separators=(",", ":")).encode()).hexdigest()


def counts(case: CaseFile) -> dict[tuple[int, str], int]:
    """(evidence_id, kind) -> rows stored now, for every file with rows (a cheap check: no hashing)."""
    out: dict[tuple[int, str], int] = {}
    for kind in KINDS:
        for evid, n in case.fetchall(f"SELECT evidence_id, count(*) FROM {kind} GROUP BY ALL"):
            out[(int(evid), kind)] = int(n)
    return out


def differing_blocks(case: CaseFile) -> list[BlockDiff]:
    """Every block whose rows now hash differently from the blocks kept at ingest (every row re-hashed)."""
    now = blocks_sql(case)
    rows = case.fetchall(f"""
        SELECT coalesce(s.evidence_id, n.evidence_id), coalesce(s.kind, n.kind),
               coalesce(s.first_line, n.first_line), coalesce(s.last_line, n.last_line),
               coalesce(s.rows, 0), coalesce(n.rows, 0), s.block
        FROM row_blocks s FULL JOIN ({now}) n USING (evidence_id, kind, block)
        WHERE s.rows IS DISTINCT FROM n.rows OR s.hash_sum IS DISTINCT FROM n.hash_sum
           OR s.hash_xor IS DISTINCT FROM n.hash_xor
        ORDER BY 1, 2, 3""")
    return [BlockDiff(int(e), k, int(f), int(la), int(s), int(n)) for e, k, f, la, s, n, _ in rows]


def unaccounted_lines(case: CaseFile, evidence_id: int, lines: int, first: int, last: int,
                      limit: int = 10) -> list[int]:
    """Line numbers between `first` and `last` (of a file of `lines` lines) with no request, rejected or
    skipped row: rows deleted from the case."""
    rows = case.fetchall(
        "SELECT n FROM range(greatest($first, 1), least($last, $lines) + 1) t(n) WHERE n NOT IN ("
        "SELECT line_no FROM requests WHERE evidence_id = $e UNION ALL SELECT line_no FROM rejects "
        "WHERE evidence_id = $e UNION ALL SELECT line_no FROM skipped WHERE evidence_id = $e) ORDER BY n LIMIT $k",
        {"first": first, "last": last, "lines": lines, "e": evidence_id, "k": limit})
    return [int(r[0]) for r in rows]


def probe(case: CaseFile) -> str:
    return str(case.fetchone(PROBE_SQL)[0])
