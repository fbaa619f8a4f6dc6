"""Overlapping copies: evidence files of one server that share request lines without being identical.

A rotation taken with copytruncate, or an export that repeats the previous day's tail, puts the same
request lines in two files whose hashes differ (so they are not duplicates). Counting both would count
those requests twice. Two lines are the same when every field parsed from them is (DuckDB `hash()` of the
request's columns, file, line and offset aside: an LF and a CRLF copy match, and the text is not stored);
here, set-based over the whole case:

- lines are matched per server label (`evidence.server`: the folder a file was found in), on that hash
  *and* the parsed UTC time, so a 64-bit hash collision would also need the same second; only the
  rows inside the time span two files of a server have in common are compared (files rotated daily share
  none, so a case of many such files costs almost nothing here);
- a line written k times in one file and m times in another is shared min(k, m) times (the n-th
  occurrence in one file matches the n-th in the other): two genuine identical requests in the same
  second stay two requests;
- the copy in the earliest evidence file (lowest evidence_id, i.e. ingest order) is kept; each later copy
  is listed in `overlap_lines` with the line it repeats, and `target_requests()` leaves it out;
- `overlap_pairs` sums this per file pair (shared lines, first/last shared line in each file, time span).

The tables are recomputed in one transaction after every ingest, so they always describe the whole case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from .schema import LINE_HASH_COLUMNS, column_list

LINE_HASH = column_list(LINE_HASH_COLUMNS, prefix="r.")  # the request's parsed fields (schema.LINE_HASH_COLUMNS)

MATCH_SQL = f"""
INSERT INTO overlap_lines
WITH spans AS (     -- a shared line has the same time in both files: only times two files of a server share
    SELECT a.evidence_id, greatest(a.first_time, b.first_time) AS lo, least(a.last_time, b.last_time) AS hi
    FROM evidence a JOIN evidence b
      ON a.server IS NOT DISTINCT FROM b.server AND a.evidence_id <> b.evidence_id
     AND a.first_time <= b.last_time AND b.first_time <= a.last_time
    WHERE a.verdict = 'ingested' AND b.verdict = 'ingested'
), keyed AS (
    SELECT r.evidence_id, r.line_no, r.ts_utc, e.server,
           hash({LINE_HASH}) AS line_hash
    FROM requests r JOIN evidence e USING (evidence_id)
    WHERE e.verdict = 'ingested'
      AND r.evidence_id IN (SELECT evidence_id FROM spans)
      AND EXISTS (SELECT 1 FROM spans s WHERE s.evidence_id = r.evidence_id AND r.ts_utc BETWEEN s.lo AND s.hi)
), shared AS (      -- only lines present in more than one file of a server go through the window below
    SELECT server, line_hash, ts_utc FROM keyed
    GROUP BY ALL HAVING count(DISTINCT evidence_id) > 1
), occurrences AS (
    SELECT k.*, row_number() OVER (PARTITION BY k.evidence_id, k.line_hash, k.ts_utc ORDER BY k.line_no) AS occ
    FROM keyed k SEMI JOIN shared s
      ON s.server IS NOT DISTINCT FROM k.server AND s.line_hash = k.line_hash AND s.ts_utc = k.ts_utc
), ranked AS (
    SELECT *, first_value(evidence_id) OVER w AS kept_evidence_id, first_value(line_no) OVER w AS kept_line_no
    FROM occurrences
    WINDOW w AS (PARTITION BY server, line_hash, ts_utc, occ ORDER BY evidence_id)
)
SELECT evidence_id, line_no, kept_evidence_id, kept_line_no
FROM ranked WHERE evidence_id <> kept_evidence_id
ORDER BY evidence_id, line_no
"""  # noqa: S608 (column names from schema.COLUMNS, no input)

PAIRS_SQL = """
INSERT INTO overlap_pairs
SELECT e.server, o.evidence_id, o.kept_evidence_id, count(*) AS shared_lines,
       min(o.line_no), max(o.line_no), min(o.kept_line_no), max(o.kept_line_no),
       min(r.ts_utc), max(r.ts_utc)
FROM overlap_lines o
JOIN requests r USING (evidence_id, line_no)
JOIN evidence e USING (evidence_id)
GROUP BY e.server, o.evidence_id, o.kept_evidence_id
ORDER BY o.evidence_id, o.kept_evidence_id
"""


@dataclass(frozen=True)
class Overlap:
    """Request lines of `evidence_id` that repeat lines of the earlier `kept_evidence_id` (same server)."""

    server: str | None
    evidence_id: int
    path: str
    kept_evidence_id: int
    kept_path: str
    shared_lines: int
    first_line_no: int
    last_line_no: int
    kept_first_line_no: int
    kept_last_line_no: int
    first_time: datetime
    last_time: datetime

    def describe(self) -> str:
        return (f"{self.shared_lines} request lines (lines {self.first_line_no}-{self.last_line_no}) repeat "
                f"lines {self.kept_first_line_no}-{self.kept_last_line_no} of {self.kept_path} "
                f"(evidence {self.kept_evidence_id}, same server {self.server!r}): counted once")


def detect_overlaps(con: duckdb.DuckDBPyConnection) -> list[Overlap]:
    """Recompute `overlap_lines` and `overlap_pairs` for the whole case (one transaction) and return the pairs."""
    con.begin()
    try:
        con.execute("DELETE FROM overlap_lines")
        con.execute("DELETE FROM overlap_pairs")
        con.execute(MATCH_SQL)
        con.execute(PAIRS_SQL)
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return list_overlaps(con)


def list_overlaps(con: duckdb.DuckDBPyConnection) -> list[Overlap]:
    """The recorded overlapping file pairs, in evidence order."""
    rows = con.execute("""
        SELECT o.server, o.evidence_id, e.path, o.kept_evidence_id, k.path, o.shared_lines,
               o.first_line_no, o.last_line_no, o.kept_first_line_no, o.kept_last_line_no, o.first_time, o.last_time
        FROM overlap_pairs o JOIN evidence e USING (evidence_id) JOIN evidence k ON k.evidence_id = o.kept_evidence_id
        ORDER BY o.evidence_id, o.kept_evidence_id""").fetchall()
    return [Overlap(*row) for row in rows]
