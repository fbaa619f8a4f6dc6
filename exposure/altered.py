"""Lines of a damaged copy that its intact copy contradicts: left out, and said.

A file whose integrity check failed (evidence.damage 'damaged': a gzip member whose CRC-32 no longer matches its
content, a bzip2 block whose CRC fails, NUL bytes in place of content) may hold altered bytes: a flipped bit turns
`198.51.100.3` into `198.51.100.9`, `2500` into `5000`, `10:03` into `10:33`. Where such a file shares runs of
request lines with an intact file (exposure/overlap.py matched them: the same fields in the same second), the
intact file is authoritative for the span they share. The rule:

- **Inside the span**: a request line of the damaged file matched to no line of the intact one, lying between two
  lines that are matched to it, or before the first (after the last) matched line where the intact file has as
  many request lines before (after) its matched line: the intact file holds that stretch of the stream, and not
  that line. Beyond the intact file's lines (a longer log, a rotation's seam) the damaged file's lines are its own
  and are counted, labelled as damaged evidence (the `damaged` finding).
- **Left out** as a copy's line is (a row of `overlap_lines` with `altered`, every analysis skips it), still a
  request line of its file (lines = requests + rejected + skipped holds), citing the intact file's line in its
  place (the same request ordinal from the nearest matched line; NULL where the intact file has no line there,
  only where the damage inserted a line).
- **Said**: the finding `altered line` (queries/findings.sql) names each such line, the intact file's line and
  what it has that differs (client, time, method, path, status, bytes).
- **A copy after all**: a line the same as the intact file's line in its place (fields and second: the overlap
  rule's same line) is a copy of it (altered false), though too short a run to be an overlap on its own (one
  line between two altered ones): counted once, from the intact file, and said with the overlap.
- A line already a copy of another file is left out already; an intact file is one with no damage
  (evidence.damage NULL); a file cited first or later alike (the citation rule does not decide which is intact).
"""

from __future__ import annotations

import duckdb

from .schema import LINE_HASH_COLUMNS, column_list

ALTERED_SQL = f"""
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no, altered)
WITH pairs AS MATERIALIZED (  -- lines matched between a damaged file d and an intact file k, whichever is the copy
    SELECT p.* FROM (
        SELECT evidence_id AS d_id, line_no AS d_line, kept_evidence_id AS k_id, kept_line_no AS k_line
        FROM overlap_lines WHERE NOT altered
        UNION ALL
        SELECT kept_evidence_id, kept_line_no, evidence_id, line_no FROM overlap_lines WHERE NOT altered
    ) p
    JOIN evidence d ON d.evidence_id = p.d_id JOIN evidence k ON k.evidence_id = p.k_id
    WHERE d.damage = 'damaged' AND k.damage IS NULL AND k.verdict = 'ingested' AND p.d_id <> p.k_id
), files AS (
    SELECT d_id AS evidence_id FROM pairs UNION SELECT k_id FROM pairs
), other AS (       -- rejected and skipped lines: no request, so no ordinal (they never break a span)
    SELECT evidence_id, line_no FROM rejects SEMI JOIN files USING (evidence_id)
    UNION ALL
    SELECT evidence_id, line_no FROM skipped SEMI JOIN files USING (evidence_id)
), counted AS (
    SELECT evidence_id, line_no, row_number() OVER (PARTITION BY evidence_id ORDER BY line_no) AS before FROM other
), ords AS MATERIALIZED (  -- each request line of those files with its ordinal: the n-th request line of its file
    SELECT r.evidence_id, r.line_no, r.line_no - coalesce(c.before, 0) AS ord
    FROM (SELECT evidence_id, line_no FROM requests SEMI JOIN files USING (evidence_id)) r
    ASOF LEFT JOIN counted c ON c.evidence_id = r.evidence_id AND r.line_no >= c.line_no
), matched AS (
    SELECT p.d_id, p.k_id, d.ord AS d_ord, k.ord AS k_ord
    FROM pairs p
    JOIN ords d ON d.evidence_id = p.d_id AND d.line_no = p.d_line
    JOIN ords k ON k.evidence_id = p.k_id AND k.line_no = p.k_line
), loose AS (       -- the damaged file's request lines matched to no line of the intact one nor copies of another
    SELECT m.d_id, m.k_id, o.line_no, o.ord
    FROM (SELECT DISTINCT d_id, k_id FROM pairs) m JOIN ords o ON o.evidence_id = m.d_id
    WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.d_id = m.d_id AND p.k_id = m.k_id AND p.d_line = o.line_no)
      AND NOT EXISTS (SELECT 1 FROM overlap_lines l WHERE l.evidence_id = o.evidence_id AND l.line_no = o.line_no)
), placed AS (      -- the nearest matched lines before (b_) and after (a_) it
    SELECT l.*, b.d_ord AS b_d, b.k_ord AS b_k, a.d_ord AS a_d, a.k_ord AS a_k
    FROM loose l
    ASOF LEFT JOIN matched b ON b.d_id = l.d_id AND b.k_id = l.k_id AND l.ord > b.d_ord
    ASOF LEFT JOIN (SELECT d_id, k_id, -d_ord AS neg_d, d_ord, k_ord FROM matched) a
        ON a.d_id = l.d_id AND a.k_id = l.k_id AND -l.ord > a.neg_d
), inside AS (      -- the intact file's request ordinal in its place, and whether the intact file spans it
    SELECT p.*, CASE WHEN b_d IS NOT NULL THEN b_k + (ord - b_d) ELSE a_k - (a_d - ord) END AS k_ord
    FROM placed p JOIN evidence k ON k.evidence_id = p.k_id
    WHERE (b_d IS NOT NULL OR a_d IS NOT NULL)
      AND (b_d IS NOT NULL OR a_k - (a_d - ord) >= 1)
      AND (a_d IS NOT NULL OR b_k + (ord - b_d) <= k.requests)
), theirs AS (      -- the intact file's line in that place: one it has there, not matched to the damaged file
    SELECT i.*, k.line_no AS k_line
    FROM inside i LEFT JOIN ords k
      ON k.evidence_id = i.k_id AND k.ord = i.k_ord
     AND (i.b_k IS NULL OR i.k_ord > i.b_k) AND (i.a_k IS NULL OR i.k_ord < i.a_k)
     AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.d_id = i.d_id AND p.k_id = i.k_id AND p.k_line = k.line_no)
), judged AS (      -- the same line as the intact file's in its place (fields and second): a copy, not altered
    SELECT t.d_id, t.line_no, t.k_id, t.k_line,
           coalesce(NOT (hash({column_list(LINE_HASH_COLUMNS, prefix="d.")}) = hash({column_list(LINE_HASH_COLUMNS, prefix="k.")})
                         AND d.ts_utc = k.ts_utc), true) AS altered
    FROM theirs t
    JOIN requests d ON d.evidence_id = t.d_id AND d.line_no = t.line_no
    LEFT JOIN requests k ON k.evidence_id = t.k_id AND k.line_no = t.k_line
)
SELECT d_id, line_no, k_id, k_line, altered FROM judged
QUALIFY row_number() OVER (PARTITION BY d_id, line_no ORDER BY k_line IS NULL, altered, k_id) = 1
ORDER BY d_id, line_no
"""  # noqa: S608 (column names from schema.COLUMNS, no input)


def altered_lines(con: duckdb.DuckDBPyConnection) -> None:
    """List in `overlap_lines` (altered) each line of a damaged file that its intact copy contradicts (the
    module's rule). Runs inside detect_overlaps' transaction, after the copies are matched; a case without a
    damaged file (most) pays one look at the registry."""
    if con.execute("SELECT count(*) FROM evidence WHERE damage = 'damaged' AND verdict = 'ingested'").fetchone()[0]:
        con.execute(ALTERED_SQL)
