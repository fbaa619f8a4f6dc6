"""Lines of a damaged copy that its intact copy contradicts: left out, and said.

A file whose integrity check failed (evidence.damage 'damaged': a gzip member whose CRC-32 no longer matches its
content, a bzip2 block whose CRC fails, NUL bytes in place of content) may hold altered bytes: a flipped bit turns
`198.51.100.3` into `198.51.100.9`, `2500` into `5000`, `10:03` into `10:33`. Where such a file shares runs of
request lines with an intact file (exposure/overlap.py matched them: the same fields in the same second), the
intact file is authoritative for the span they share. The rule:

- **One stream**: the damaged file and the intact file are of the same log stream (evidence.stream and server,
  exposure/streams.py): another server's file, or a merged export, sharing runs with it (health checks, one
  server's lines) is no copy of it, and its lines stay counted.
- **In the intact file's place**: a request line of the damaged file matched to no line of the intact one, in the
  place of one of the intact file's own unmatched lines (in the same stretch between two shared lines, as many
  request lines after the shared line before it, or before the shared line after it, in both files) and differing
  from it in one field at most of client, time, method, path, query, status, bytes, referrer and agent (ALIKE: a
  flipped bit alters one). The intact file holds that line of the stream, and not the damaged file's.
- **A time in its place is the stream's**: a line differing in its time alone, that time not before the shared
  line before it nor after the shared line after it (in the damaged file), is a time the stream may hold (a merged
  export that dropped a line has in its place another server's request by the same reader, minutes later): not
  a contradiction, counted. An altered time out of its place (10:03 become 12:33 between 10:02 and 10:04) is.
- **The damaged file's own**: its lines with no such counterpart (beyond the intact file's lines: a longer log, a
  rotation's seam; a merged export's other server between shared lines; a line the damage inserted) are counted,
  each cited line labelled as from a damaged file (the `damaged` finding; `damage` in the answer's cited lines).
- **Left out** as a copy's line is (a row of `overlap_lines` with `altered`, every analysis skips it), still a
  request line of its file (lines = requests + rejected + skipped holds), citing the intact file's line in its
  place.
- **Said**: the finding `altered line` (queries/findings.sql) names each such line, the intact file's line and
  what it has that differs (client, time, method, path, status, bytes, query, referrer, agent; or another field).
- **A copy after all**: a line the same as the intact file's line in its place (fields and second: the overlap
  rule's same line) is a copy of it (altered false), though too short a run to be an overlap on its own (one
  line between two altered ones): counted once, from the intact file, and said with the overlap.
- **One for one**: each line of either file is paired once (a copy first, then the most fields alike).
- A line already a copy of another file is left out already; an intact file is one with no damage
  (evidence.damage NULL); a file cited first or later alike (the citation rule does not decide which is intact).
"""

from __future__ import annotations

import duckdb

from .schema import LINE_HASH_COLUMNS, column_list

# A line in the intact file's place counts as altered where at most one of these nine fields differs (a flipped bit
# changes one): client, time, method, path, query, status, bytes, referrer, agent.
ALIKE = 8

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
      AND d.stream = k.stream AND d.server IS NOT DISTINCT FROM k.server   -- copies of one stream (SAME_STREAM)
), files AS (
    SELECT d_id AS evidence_id FROM pairs UNION SELECT k_id FROM pairs
), other AS (       -- rejected and skipped lines: no request, so no ordinal (they never break a span)
    SELECT evidence_id, line_no FROM rejects SEMI JOIN files USING (evidence_id)
    UNION ALL
    SELECT evidence_id, line_no FROM skipped SEMI JOIN files USING (evidence_id)
), counted AS (
    SELECT evidence_id, line_no, row_number() OVER (PARTITION BY evidence_id ORDER BY line_no) AS before FROM other
), ords AS MATERIALIZED (  -- each request line of those files with its ordinal: the n-th request line of its file
    SELECT r.evidence_id, r.line_no, r.line_no - coalesce(c.before, 0) AS ord, r.ts_utc
    FROM (SELECT evidence_id, line_no, ts_utc FROM requests SEMI JOIN files USING (evidence_id)) r
    ASOF LEFT JOIN counted c ON c.evidence_id = r.evidence_id AND r.line_no >= c.line_no
), matched AS (
    SELECT p.d_id, p.k_id, d.ord AS d_ord, k.ord AS k_ord, d.ts_utc AS ts
    FROM pairs p
    JOIN ords d ON d.evidence_id = p.d_id AND d.line_no = p.d_line
    JOIN ords k ON k.evidence_id = p.k_id AND k.line_no = p.k_line
), loose AS (       -- the damaged file's request lines matched to no line of the intact one nor copies of another
    SELECT m.d_id, m.k_id, o.line_no, o.ord
    FROM (SELECT DISTINCT d_id, k_id FROM pairs) m JOIN ords o ON o.evidence_id = m.d_id
    WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.d_id = m.d_id AND p.k_id = m.k_id AND p.d_line = o.line_no)
      AND NOT EXISTS (SELECT 1 FROM overlap_lines l WHERE l.evidence_id = o.evidence_id AND l.line_no = o.line_no)
), spare AS (      -- the intact file's request lines matched to no line of the damaged one
    SELECT m.d_id, m.k_id, o.line_no, o.ord
    FROM (SELECT DISTINCT d_id, k_id FROM pairs) m JOIN ords o ON o.evidence_id = m.k_id
    WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.d_id = m.d_id AND p.k_id = m.k_id AND p.k_line = o.line_no)
), neg AS (         -- matched lines keyed for the nearest one after (ASOF joins look back: ordinals negated)
    SELECT d_id, k_id, -d_ord AS nd, -k_ord AS nk, d_ord, k_ord, ts FROM matched
), d_placed AS (    -- each loose line's stretch (the matched line before it; 0: none) and its distance from the
    -- matched lines before and after it
    SELECT l.*, coalesce(b.k_ord, 0) AS stretch, l.ord - coalesce(b.d_ord, 0) AS from_before,
           a.d_ord - l.ord AS to_after, b.ts AS ts_before, a.ts AS ts_after
    FROM loose l
    ASOF LEFT JOIN matched b ON b.d_id = l.d_id AND b.k_id = l.k_id AND l.ord > b.d_ord
    ASOF LEFT JOIN neg a ON a.d_id = l.d_id AND a.k_id = l.k_id AND -l.ord > a.nd
), k_placed AS (
    SELECT s.*, coalesce(b.k_ord, 0) AS stretch, s.ord - coalesce(b.k_ord, 0) AS from_before,
           a.k_ord - s.ord AS to_after
    FROM spare s
    ASOF LEFT JOIN matched b ON b.d_id = s.d_id AND b.k_id = s.k_id AND s.ord > b.k_ord
    ASOF LEFT JOIN neg a ON a.d_id = s.d_id AND a.k_id = s.k_id AND -s.ord > a.nk
), placed AS (     -- pairs in the same place of the same stretch: as many lines after the shared line before
    -- them, or before the one after them (two equi-joins: an OR in one join pairs every two lines of a stretch)
    SELECT d.d_id, d.k_id, d.line_no, k.line_no AS k_line, d.ts_before, d.ts_after
    FROM d_placed d JOIN k_placed k
      ON k.d_id = d.d_id AND k.k_id = d.k_id AND k.stretch = d.stretch AND k.from_before = d.from_before
    UNION
    SELECT d.d_id, d.k_id, d.line_no, k.line_no AS k_line, d.ts_before, d.ts_after
    FROM d_placed d JOIN k_placed k
      ON k.d_id = d.d_id AND k.k_id = d.k_id AND k.stretch = d.stretch AND k.to_after = d.to_after
), candidates AS (  -- in the same place of the same stretch, one field at most differing
    SELECT d.d_id, d.k_id, d.line_no AS d_line, d.k_line,
           (dr.client IS NOT DISTINCT FROM kr.client)::INT + (dr.ts_utc IS NOT DISTINCT FROM kr.ts_utc)::INT
           + (dr.method IS NOT DISTINCT FROM kr.method)::INT + (dr.path IS NOT DISTINCT FROM kr.path)::INT
           + (dr.query IS NOT DISTINCT FROM kr.query)::INT + (dr.status IS NOT DISTINCT FROM kr.status)::INT
           + (dr.bytes IS NOT DISTINCT FROM kr.bytes)::INT + (dr.referer IS NOT DISTINCT FROM kr.referer)::INT
           + (dr.user_agent IS NOT DISTINCT FROM kr.user_agent)::INT AS same,
           hash({column_list(LINE_HASH_COLUMNS, prefix="dr.")}) = hash({column_list(LINE_HASH_COLUMNS, prefix="kr.")})
               AND dr.ts_utc = kr.ts_utc AS copy,
           -- its time alone differs, and lies in its place (not before the shared line before it nor after the
           -- one after it): a time the stream may hold (another request of the same reader), not a contradiction
           dr.ts_utc IS DISTINCT FROM kr.ts_utc AND dr.ts_utc >= coalesce(d.ts_before, dr.ts_utc)
               AND dr.ts_utc <= coalesce(d.ts_after, dr.ts_utc) AS in_place
    FROM placed d
    JOIN requests dr ON dr.evidence_id = d.d_id AND dr.line_no = d.line_no
    JOIN requests kr ON kr.evidence_id = d.k_id AND kr.line_no = d.k_line
), likely AS (
    SELECT * FROM candidates WHERE same >= {ALIKE} AND NOT (same = {ALIKE} AND in_place)
    QUALIFY row_number() OVER (PARTITION BY d_id, d_line ORDER BY copy DESC, same DESC, k_id, k_line) = 1
)
SELECT d_id, d_line, k_id, k_line, NOT copy FROM likely
QUALIFY row_number() OVER (PARTITION BY k_id, k_line, d_id ORDER BY copy DESC, same DESC, d_line) = 1
ORDER BY d_id, d_line
"""  # noqa: S608 (column names from schema.COLUMNS, no input)


# A damaged file and an intact file of one log stream (the registry's stream and server, exposure/streams.py):
# only there is the intact file a copy of the damaged one's lines. Two servers both logging a balancer's health
# checks, or a merged export beside one server's log, share runs of lines, and are no copy of each other.
SAME_STREAM = """
SELECT count(*) FROM evidence d JOIN evidence k ON d.stream = k.stream AND d.server IS NOT DISTINCT FROM k.server
WHERE d.damage = 'damaged' AND d.verdict = 'ingested' AND k.damage IS NULL AND k.verdict = 'ingested'
"""


def wanted(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the case holds a damaged file and an intact file of its stream (the rule may find lines)."""
    return bool(con.execute(SAME_STREAM).fetchone()[0])


def altered_lines(con: duckdb.DuckDBPyConnection) -> None:
    """List in `overlap_lines` (altered) each line of a damaged file that its intact copy of the same stream
    contradicts (the module's rule). Runs inside detect_overlaps' transaction, after the copies are matched; it
    reads the streams the registry holds (settle runs detect_overlaps again once streams are assigned, where
    `wanted`); a case without a damaged file beside an intact one of its stream (most) pays one look."""
    if wanted(con):
        con.execute(ALTERED_SQL)
