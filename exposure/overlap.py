"""Overlapping copies, found by content anywhere in the case: files that share runs of request lines.

A rotation taken with copytruncate, an export that repeats the day before's tail, an administrator's partial copy
of a live log handed over in a folder of its own under any name: the same request lines are in two files whose
hashes differ (so they are not duplicates). Counting both would count those requests twice. The rule:

- **Same line**: every field parsed from the line is the same (DuckDB `hash()` of the request's columns; file,
  line and offset aside, so an LF and a CRLF copy match; the UTC offset the time is written at aside too, so a copy
  whose times an export rewrote at another offset matches; where one of the lines held bytes that are not UTF-8,
  every run of characters outside ASCII taken as one where the line is one in another encoding (its every character
  outside ASCII a U+FFFD), so a copy re-encoded to UTF-8 matches (LINE_HASH_WIDE); the server's
  request id among them, so lines whose ids differ are two requests) *and* the same second (`ts_utc`), so a 64-bit hash
  collision would also need the same time.
- **A run**: consecutive request lines of one file (skipped and rejected lines between them do not break it) that
  are the same, one for one, as consecutive request lines of another file.
- **An overlap** is a run of at least MIN_RUN (3) lines; or a shorter run that is all the request lines of one of
  the files (a copy of a small file); or one that ends one file and begins the other (the seam of a rotation or an
  export), also where a line or two altered in one copy cut the seam: the runs of one shift (the same line distance
  between the files) from one file's start to the other's end, each file going on past the seam on its own side
  and at most SEAM_ALTERED lines between them not shared, are the seam's (a download at a seam counted once; the
  altered lines stay in both). Two servers' logs of the same span (neither going on past the other) are no seam.
  Or two runs with one line between them on each side, one of the two lines the other's bytes cut short (a copy
  identical but for one line cut off mid-line: BRIDGE_SQL), together MIN_RUN lines or all of a file.
  Two servers that each logged one identical request (a health check, a retry in the same second) share
  a run of one or two lines in the middle of their logs: that is not an overlap and both are counted; so is a small
  log every line of which other logs hold (a new server's first rotation of health checks).
- **An extract** (`grep`, `grep -v`, `sort -u` of logs, EXTRACT_SQL): a file whose name leaves its stream to its
  content, every request line of which is a line of another file, one for one, in any order, is a copy of them.
  A known limit: a note of lines picked from the logs under a server's name, or with a line of its own (no run,
  not all of a file in one run, no extract) cannot be told from a small server's log, and its lines are counted as
  well (README: keep notes out of the evidence).
- **Counted once**: each line of a run is matched to one line of the other file (the longest run first), so a line
  written k times in one file and m times in the other is shared min(k, m) times: two genuine identical requests
  in one file stay two. Of the two files, the one the citation rule (queries/citation.sql) puts first is the
  original and keeps its lines; the copy's shared lines are listed in `overlap_lines` with the original's line,
  and every analysis leaves them out. A line repeated in several files is kept once, in the file cited first.
- **A line cut off** at the end of a file (a copy of a live log, a rotation copied while written) that still
  parses is the same request as a whole line of another file that begins with its bytes, in the same second
  from the same client (the next rotation, the live log): a copy of it, counted once from the whole line,
  whatever the citation order (its fields may be cut short: a byte count, an agent) — where the files are copies
  at that point: the line before the cut one is already a copy of the line before the whole one, or the whole
  one is its file's first request (a seam; a W3C header may stand before it). Elsewhere a line can begin
  another by chance (`206 1000` and `206 10000`, two range requests in one second) and both are counted. The
  bytes are read from the evidence as registered; a file gone or changed since is not read, and its cut line
  is counted.
- **A line cut off at the start** of a file (a `tail -c` excerpt, its cut in the client address: `2.0.2.21` of
  `192.0.2.21`) that still parses is a copy of a whole line another file holds in the same second whose bytes
  end with it, the line after each a copy of the other's (HEAD_CANDIDATES_SQL) — only where the file's name
  leaves its stream to its content (silent, a copy's, or in a copy's folder: namekinds.named_like_copy) and all
  its request lines after the first are copies of the other file's, to its end. A server's log whose first line
  ends another server's (`92.0.2.34` beside `192.0.2.34` in one second, then the same health checks) holds its
  own request: both are counted, even where the rest of the file is the other file's tail (web2 behind one load
  balancer with web1, rotated: its first request `2.0.0.5` ends web1's `12.0.0.5` in the same second, then both log
  the same checks). Content cannot tell that from a `tail -c` excerpt under a server's name (`excerpt.log`): its
  cut first line is then counted as a request of its own (a stated limit: a request too many, never one lost).
- **A file with its own lines twice** (`cat a.log a.log`, a rotation's gzip joined to itself, overlapping
  rotations concatenated): a run of at least MIN_RUN lines the same as an earlier run of the same file, beginning
  where the file's time runs back and more than one second from first to last line, is a copy of it (SELF_SQL),
  counted once (so are the pieces of such a repeat that a line or two altered in it cut: the islands of one shift
  from the step back to the line before it, at most SEAM_ALTERED lines not repeated); a step back from one line of
  the hour the clocks go back (--log-tz, FOLD_FLAG) to the next is its second pass, no copy; identical requests within one
  second are a burst (a line a second later may stand between them:
  Apache writes a request's start time when it ends) and stay counted.
- **Cheap**: only rows of files whose time spans meet are compared, and only inside the span they share (files
  rotated daily share none, so a case of many such files costs almost nothing here); the run analysis sees only
  lines that occur in two files.

`overlap_pairs` sums it per copy and original: shared lines, runs, first/last shared line in each, time span, and
the line ranges (a range runs over consecutive request lines: a rejected or skipped line inside it is not shared,
being no request, but does not cut it). The tables are recomputed in one transaction after an ingest that changed
the case's files, so they describe the whole case.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from . import corruption, overlapwords, queries
from .evidence import EvidenceFile, raw_lines
from .formats.base import FOLD_FLAG, sql_literal
from .plural import plural
from .schema import LINE_HASH_COLUMNS, TYPES, column_list, line_id_sql
from .transactions import transaction

LINE_HASH = column_list(LINE_HASH_COLUMNS, prefix="r.")  # the request's parsed fields (schema.LINE_HASH_COLUMNS)
# The same fields with every run of characters outside ASCII as one `?`: the identity of a line that held bytes which
# are not UTF-8 (the row flagged bad_utf8), each such byte, or a start of a sequence with its continuation bytes (the
# "maximal subpart": Latin-1 `\xe9\xbb` of `é»`), shown as one U+FFFD. A copy re-encoded to UTF-8 (`iconv -f latin1`:
# a Latin-1 user agent's `\xe9` now `é`, its `\xe9\xbb` now `é»`) holds the same request with a character or two
# where the original has U+FFFD: lines are paired on it only where one of the two is such a line in another encoding,
# every character of it outside ASCII a U+FFFD (REPLACED; a line that also holds a valid character outside ASCII,
# `/lijst-ë.xlsx` with a Latin-1 agent, is no re-encoded copy's original: iconv would have made its `ë` two
# characters), on LINE_HASH (every field exact) otherwise (WIDE_SAME). An ASCII-only value is taken as it is
# (strlen = length: no regex on it).
_TEXT = [c for c in LINE_HASH_COLUMNS if TYPES[c] == "VARCHAR"]
LINE_HASH_WIDE = ", ".join(
    f"CASE WHEN strlen(r.{c}) = length(r.{c}) THEN r.{c} ELSE regexp_replace(r.{c}, '[^[:ascii:]]+', '?', 'g') END"
    if c in _TEXT else f"r.{c}" for c in LINE_HASH_COLUMNS)
REPLACED = (f"CASE WHEN r.bad_utf8 THEN NOT regexp_matches(concat_ws('', {', '.join('r.' + c for c in _TEXT)}), "
            "'[^\\x00-\\x7F\\x{FFFD}]') ELSE false END")  # a regex only on lines flagged bad_utf8
WIDE_SAME = "(a.line_hash = b.line_hash OR a.replaced OR b.replaced)"
# The id a line carries (schema.line_id_sql: the id the server gives a request, `request_id`, else the line's fields no
# column holds, such as a trailing field no format names: nginx's combined + ` $request_id` read as combined) is
# compared apart, only where both lines have one: two lines with different ids are two requests; a line without one
# (a CloudFront export whose #Fields lacks x-edge-request-id, an nginx log_format without $request_id) may still be
# the same request as a line with one.
# The same within one file (SELF_SQL): a W3C log's `#Fields` may change mid-file and drop the id (a CloudFront or
# IIS export joined to one with another field list), so a line written twice around the change is one request.
LINE_ID = line_id_sql("r.")
SAME_ID = "(a.line_id IS NULL OR b.line_id IS NULL OR a.line_id = b.line_id)"
# A time read with --log-tz in the hour the clocks go back (both passes read as the earlier instant): a step back from
# one such line to the next is the second pass beginning, not a copy (red team 22: an uptime monitor's identical
# fetches at 02:00, 02:10 ... in both passes were taken for the file's own lines repeated, 6 of 36 downloads lost).
FOLDED = sql_literal(FOLD_FLAG)  # the flag itself (formats/base.py), as an SQL literal
MIN_RUN = 3  # consecutive shared lines that make an overlap anywhere in two files (see the module docstring)
SEAM_ALTERED = 2  # lines altered in one copy that may cut a seam (see the module docstring)

# Rows that occur in two files, with their request ordinal (the n-th request line of the file).
SHARED_ROWS_SQL = f"""
CREATE OR REPLACE TEMP TABLE ov_rows AS
WITH files AS (
    SELECT e.evidence_id, e.first_time, e.last_time FROM evidence e
    WHERE e.verdict = 'ingested' AND e.first_time IS NOT NULL
), sides AS (       -- the time span each file shares with another (a shared line has the same time in both)
    SELECT a.evidence_id, greatest(a.first_time, b.first_time) AS lo, least(a.last_time, b.last_time) AS hi
    FROM files a JOIN files b
      ON a.evidence_id <> b.evidence_id AND a.first_time <= b.last_time AND b.first_time <= a.last_time
), keyed AS (
    SELECT r.evidence_id, r.line_no, r.ts_utc, hash({LINE_HASH}) AS line_hash, {LINE_ID} AS line_id,
           hash({LINE_HASH_WIDE}) AS wide_hash, {REPLACED} AS replaced
    FROM requests r
    WHERE r.evidence_id IN (SELECT evidence_id FROM sides)
      AND EXISTS (SELECT 1 FROM sides s WHERE s.evidence_id = r.evidence_id AND r.ts_utc BETWEEN s.lo AND s.hi)
), shared AS (
    SELECT wide_hash, ts_utc FROM keyed GROUP BY ALL HAVING count(DISTINCT evidence_id) > 1
)
SELECT k.* FROM keyed k SEMI JOIN shared s USING (wide_hash, ts_utc)
"""  # noqa: S608 (column names from schema.COLUMNS, no input)



def _not_requests(files: str) -> str:
    """CTE `counted`: the rejected and skipped lines of the files `files` (SQL) lists, each with how many there are
    up to it in its file. The ordinal of a request line (the n-th request of its file) is its line number less
    `before` of the last such line above it (an ASOF join): a rejected or skipped line never breaks a run."""
    return f"""other AS (
    SELECT evidence_id, line_no FROM rejects WHERE evidence_id IN ({files})
    UNION ALL
    SELECT evidence_id, line_no FROM skipped WHERE evidence_id IN ({files})
), counted AS (
    SELECT evidence_id, line_no, row_number() OVER (PARTITION BY evidence_id ORDER BY line_no) AS before FROM other
)"""  # noqa: S608 (`files` is one of the two constant subqueries below)


def _ordinals(rows: str) -> str:
    """CTEs up to `ordered`: the rows of the relation `rows` (evidence_id, line_no, ...) with `ord`, their request
    ordinal in their file (the n-th request line), rejected and skipped lines not counted (see _not_requests)."""
    return f"""{_not_requests(f"SELECT DISTINCT evidence_id FROM {rows}")}, ordered AS (
    SELECT r.*, r.line_no - coalesce(c.before, 0) AS ord
    FROM {rows} r ASOF LEFT JOIN counted c ON c.evidence_id = r.evidence_id AND r.line_no >= c.line_no
)"""  # noqa: S608 (`rows` is a constant relation name)


ORDINALS_SQL = f"""
CREATE OR REPLACE TEMP TABLE ov_ordered AS
WITH {_ordinals("ov_rows")}
SELECT evidence_id, line_no, ts_utc, line_hash, line_id, wide_hash, replaced, ord FROM ordered
"""  # noqa: S608 (a constant)

_RANK = "rank AS (SELECT e.evidence_id, e.requests, c.cite_key FROM evidence e JOIN evidence_citation c USING (evidence_id))"

# Candidate matches between two files, each with its run (island), computed once (MATCH_SQL, BRIDGE_SQL and
# BRIDGE_LINES_SQL read them).
ISLANDS_SQL = f"""
CREATE OR REPLACE TEMP TABLE ov_islands AS
WITH {_RANK}, candidates AS (  -- oriented: c_ = the copy (cited later), k_ = the original (cited first)
    SELECT CASE WHEN ra.cite_key > rb.cite_key THEN a.evidence_id ELSE b.evidence_id END AS c_id,
           CASE WHEN ra.cite_key > rb.cite_key THEN a.ord ELSE b.ord END AS c_ord,
           CASE WHEN ra.cite_key > rb.cite_key THEN a.line_no ELSE b.line_no END AS c_line,
           CASE WHEN ra.cite_key > rb.cite_key THEN b.evidence_id ELSE a.evidence_id END AS k_id,
           CASE WHEN ra.cite_key > rb.cite_key THEN b.ord ELSE a.ord END AS k_ord,
           CASE WHEN ra.cite_key > rb.cite_key THEN b.line_no ELSE a.line_no END AS k_line
    FROM ov_ordered a JOIN ov_ordered b
      ON a.wide_hash = b.wide_hash AND a.ts_utc = b.ts_utc AND a.evidence_id < b.evidence_id AND {SAME_ID}
     AND {WIDE_SAME}
    JOIN rank ra ON ra.evidence_id = a.evidence_id
    JOIN rank rb ON rb.evidence_id = b.evidence_id
), islands AS (     -- a run: the same ordinal distance between the two files, ordinals consecutive in the copy
    SELECT *, k_ord - c_ord AS shift,
           c_ord - row_number() OVER (PARTITION BY c_id, k_id, k_ord - c_ord ORDER BY c_ord) AS island
    FROM candidates
)
SELECT * FROM islands
"""  # noqa: S608 (a constant)

# The runs of ov_islands, with the rank of their files.
_RUNS = f"""{_RANK}, islands AS (SELECT * FROM ov_islands), runs AS (
    SELECT c_id, k_id, shift, island, count(*) AS n,
           min(c_ord) AS c_lo, max(c_ord) AS c_hi, min(k_ord) AS k_lo, max(k_ord) AS k_hi,
           min(c_line) AS c_first, max(c_line) AS c_last, min(k_line) AS k_first, max(k_line) AS k_last
    FROM islands GROUP BY ALL
)"""  # noqa: S608 (a constant)

# One match per line on each side (the longest run first), of the runs that make an overlap.
MATCH_SQL = f"""
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
WITH {_RUNS}, seams AS (  -- a seam cut by lines altered in one copy: runs of one shift from one file's start to the
    SELECT r.c_id, r.k_id, r.shift FROM runs r      -- other's end, each file going on past it on its own side,
    JOIN rank rc ON rc.evidence_id = r.c_id         -- at most SEAM_ALTERED of the lines between them not shared
    JOIN rank rk ON rk.evidence_id = r.k_id
    GROUP BY r.c_id, r.k_id, r.shift, rc.requests, rk.requests
    HAVING (min(r.c_lo) = 1 AND max(r.k_hi) = rk.requests AND r.shift > 0 AND rc.requests > rk.requests - r.shift
            AND rk.requests - r.shift - sum(r.n) <= {SEAM_ALTERED})
        OR (min(r.k_lo) = 1 AND max(r.c_hi) = rc.requests AND r.shift < 0 AND rk.requests > rc.requests + r.shift
            AND rc.requests + r.shift - sum(r.n) <= {SEAM_ALTERED})
), qualifying AS (  -- MIN_RUN lines, or all of one file, or the end of one file and the start of the other
    SELECT r.* FROM runs r
    JOIN rank rc ON rc.evidence_id = r.c_id JOIN rank rk ON rk.evidence_id = r.k_id
    WHERE r.n >= {MIN_RUN}
       OR (r.c_lo = 1 AND r.c_hi = rc.requests) OR (r.k_lo = 1 AND r.k_hi = rk.requests)
       OR (r.c_hi = rc.requests AND r.k_lo = 1) OR (r.k_hi = rk.requests AND r.c_lo = 1)
       OR EXISTS (SELECT 1 FROM seams s WHERE s.c_id = r.c_id AND s.k_id = r.k_id AND s.shift = r.shift)
), matched AS (
    SELECT i.c_id, i.c_line, i.k_id, i.k_line, o.n, i.shift
    FROM islands i JOIN qualifying o USING (c_id, k_id, shift, island)
), one_per_copy_line AS (
    SELECT * FROM matched
    QUALIFY row_number() OVER (PARTITION BY c_id, c_line, k_id ORDER BY n DESC, abs(shift), k_line) = 1
), one_to_one AS (
    SELECT * FROM one_per_copy_line
    QUALIFY row_number() OVER (PARTITION BY c_id, k_id, k_line ORDER BY n DESC, abs(shift), c_line) = 1
)
SELECT o.c_id, o.c_line, o.k_id, o.k_line
FROM one_to_one o JOIN rank rk ON rk.evidence_id = o.k_id
QUALIFY row_number() OVER (PARTITION BY o.c_id, o.c_line ORDER BY rk.cite_key, o.k_line) = 1
ORDER BY o.c_id, o.c_line
"""  # noqa: S608 (a constant)

# Two runs of one pair of files, each too short to make an overlap alone, with one line between them on each side
# that is not the same: a copy identical but for one line cut off mid-line (the rest of it lost, the next line after
# it), which either side may hold, read as a rejected line (no request: nothing between the runs' requests on that
# side) or as a request that differs (a count or an agent cut short). Each side's line between (`*_mid`: one request
# line, or the one rejected line where no request is between) is returned with its byte offset; bridge_cut_copies
# joins the runs only where one of the two lines is the other's bytes cut short (a prefix): two servers' logs that share
# health checks around their own different requests are never joined. Together the runs and the cut line must be
# MIN_RUN lines, or all of a file. Two runs each of MIN_RUN lines or more are an overlap alone: they are taken only
# where the line between is a request on each side (a cut line read as one, its copy listed; else the copy's cut
# line counted as a request of its own beside the whole one: /tmp/review_merges20/c6_cut_mid_long).
BRIDGE_SQL = f"""
WITH {_RUNS}, bridged AS (
    SELECT a.c_id, a.k_id, a.shift AS a_shift, a.island AS a_island, b.shift AS b_shift, b.island AS b_island,
           a.c_last, b.c_first, a.k_last, b.k_first, b.c_lo - a.c_hi - 1 AS c_gap, b.k_lo - a.k_hi - 1 AS k_gap
    FROM runs a JOIN runs b ON a.c_id = b.c_id AND a.k_id = b.k_id
     AND b.c_lo - a.c_hi BETWEEN 1 AND 2 AND b.k_lo - a.k_hi BETWEEN 1 AND 2 AND b.c_lo - a.c_hi + b.k_lo - a.k_hi >= 3
    JOIN rank rc ON rc.evidence_id = a.c_id JOIN rank rk ON rk.evidence_id = a.k_id
    -- a run too short alone; two long runs (counted once already) only around a cut line read as a request on each
    -- side (`200 184`), which is no line of either run: its copy is listed here or it counts twice
    WHERE (a.n < {MIN_RUN} OR b.n < {MIN_RUN} OR (b.c_lo - a.c_hi = 2 AND b.k_lo - a.k_hi = 2))
      AND (a.n + b.n + 1 >= {MIN_RUN} OR (a.c_lo = 1 AND b.c_hi = rc.requests) OR (a.k_lo = 1 AND b.k_hi = rk.requests))
), middles AS (     -- the one line between the runs on each side: a request, or the one rejected line
    SELECT x.*,
           (SELECT CASE WHEN x.c_gap = 1 THEN min(r.line_no) END FROM requests r
            WHERE r.evidence_id = x.c_id AND r.line_no > x.c_last AND r.line_no < x.c_first) AS c_req,
           (SELECT CASE WHEN x.c_gap = 0 AND count(*) = 1 THEN min(j.line_no) END FROM rejects j
            WHERE j.evidence_id = x.c_id AND j.line_no > x.c_last AND j.line_no < x.c_first) AS c_rej,
           (SELECT CASE WHEN x.k_gap = 1 THEN min(r.line_no) END FROM requests r
            WHERE r.evidence_id = x.k_id AND r.line_no > x.k_last AND r.line_no < x.k_first) AS k_req,
           (SELECT CASE WHEN x.k_gap = 0 AND count(*) = 1 THEN min(j.line_no) END FROM rejects j
            WHERE j.evidence_id = x.k_id AND j.line_no > x.k_last AND j.line_no < x.k_first) AS k_rej
    FROM bridged x
)
SELECT m.c_id, m.k_id, m.a_shift, m.a_island, m.b_shift, m.b_island,
       coalesce(m.c_req, m.c_rej) AS c_mid, coalesce(cr.byte_offset, cj.byte_offset) AS c_off, m.c_req IS NOT NULL,
       coalesce(m.k_req, m.k_rej) AS k_mid, coalesce(kr.byte_offset, kj.byte_offset) AS k_off, m.k_req IS NOT NULL
FROM middles m
LEFT JOIN requests cr ON cr.evidence_id = m.c_id AND cr.line_no = m.c_req
LEFT JOIN rejects cj ON cj.evidence_id = m.c_id AND cj.line_no = m.c_rej
LEFT JOIN requests kr ON kr.evidence_id = m.k_id AND kr.line_no = m.k_req
LEFT JOIN rejects kj ON kj.evidence_id = m.k_id AND kj.line_no = m.k_rej
WHERE coalesce(m.c_req, m.c_rej) IS NOT NULL AND coalesce(m.k_req, m.k_rej) IS NOT NULL
ORDER BY m.c_id, m.k_id, m.a_shift, m.a_island
"""  # noqa: S608 (a constant)

# The lines of two bridged runs (ov_bridged), matched one for one, where neither is matched yet.
BRIDGE_LINES_SQL = f"""
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
WITH {_RUNS}
SELECT i.c_id, i.c_line, i.k_id, i.k_line
FROM islands i SEMI JOIN ov_bridged b ON b.c_id = i.c_id AND b.k_id = i.k_id AND b.shift = i.shift AND b.island = i.island
WHERE NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = i.c_id AND o.line_no = i.c_line)
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = i.c_id AND o.kept_evidence_id = i.k_id
                                                   AND o.kept_line_no = i.k_line)
ORDER BY i.c_id, i.c_line
"""  # noqa: S608 (a constant)


# An extract: a file whose name leaves its stream to its content (evidence.named_like_copy: silent, a copy's, or in a
# copy's folder) every request line of which is a line of another file (the same fields, id and second), one for
# one (the n-th occurrence of a line in one file paired with the n-th in the other), in any order: `grep leak.xlsx
# access.log.1 access.log > notes/leak-lines.txt`, `grep -v /health access.log > export/access.log`, `sort -u
# access.log > backup/access.log` beside the log. Its lines are no run (the lines picked leave the original's between
# them, or sort reorders them), so MATCH_SQL leaves most of them counted a second time. Each such line is a copy of
# the first file holding it by the citation rule (oriented by that rule as every overlap is), where neither it nor
# the line it pairs with is matched already. A file with one line of its own is no extract (its lines stay as the
# other rules leave them); a server-named file never is.
EXTRACT_SQL = f"""
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
WITH {_RANK}, occ AS (
    SELECT o.evidence_id, o.line_no, o.line_hash, o.line_id, o.ts_utc,
           row_number() OVER (PARTITION BY o.evidence_id, o.line_hash, o.line_id, o.ts_utc ORDER BY o.line_no) AS n
    FROM ov_ordered o
), pairs AS (       -- x: a line of a file named like a copy, y: the same occurrence of it in another file
    SELECT x.evidence_id AS x_id, x.line_no AS x_line, y.evidence_id AS y_id, y.line_no AS y_line
    FROM occ x JOIN evidence e ON e.evidence_id = x.evidence_id AND e.named_like_copy
    JOIN occ y ON y.line_hash = x.line_hash AND y.ts_utc = x.ts_utc AND y.line_id IS NOT DISTINCT FROM x.line_id
     AND y.n = x.n AND y.evidence_id <> x.evidence_id
), extracts AS (    -- every request line of x is a line of another file
    SELECT p.x_id FROM pairs p JOIN rank rx ON rx.evidence_id = p.x_id
    GROUP BY p.x_id, rx.requests HAVING count(DISTINCT p.x_line) = rx.requests
), chosen AS (      -- each line of x with the first file holding it by the citation rule
    SELECT p.*, rx.cite_key AS x_key, ry.cite_key AS y_key FROM pairs p SEMI JOIN extracts USING (x_id)
    JOIN rank rx ON rx.evidence_id = p.x_id JOIN rank ry ON ry.evidence_id = p.y_id
    QUALIFY row_number() OVER (PARTITION BY p.x_id, p.x_line ORDER BY ry.cite_key, p.y_line) = 1
), oriented AS (    -- c_ the copy (cited later), k_ the original
    SELECT CASE WHEN x_key > y_key THEN x_id ELSE y_id END AS c_id,
           CASE WHEN x_key > y_key THEN x_line ELSE y_line END AS c_line,
           CASE WHEN x_key > y_key THEN y_id ELSE x_id END AS k_id,
           CASE WHEN x_key > y_key THEN y_line ELSE x_line END AS k_line
    FROM chosen
), fresh AS (       -- neither line matched already; each line once (two files each an extract of the other)
    SELECT DISTINCT o.* FROM oriented o
    WHERE NOT EXISTS (SELECT 1 FROM overlap_lines l WHERE l.evidence_id = o.c_id AND l.line_no = o.c_line)
      AND NOT EXISTS (SELECT 1 FROM overlap_lines l WHERE l.evidence_id = o.c_id AND l.kept_evidence_id = o.k_id
                                                       AND l.kept_line_no = o.k_line)
), one_per_copy_line AS (
    SELECT f.* FROM fresh f JOIN rank rk ON rk.evidence_id = f.k_id
    QUALIFY row_number() OVER (PARTITION BY f.c_id, f.c_line ORDER BY rk.cite_key, f.k_line) = 1
)
SELECT c_id, c_line, k_id, k_line FROM one_per_copy_line
QUALIFY row_number() OVER (PARTITION BY c_id, k_id, k_line ORDER BY c_line) = 1
ORDER BY c_id, c_line
"""  # noqa: S608 (a constant)


def bridge_cut_copies(con: duckdb.DuckDBPyConnection) -> None:
    """Join two runs of a pair of files across one line cut off mid-line in one of them (BRIDGE_SQL): their lines
    are listed in `overlap_lines`, and the cut line, where it was read as a request, as a copy of the whole one
    (whatever the citation order, as `cut_lines` does); a cut line read as rejected stays said as rejected."""
    candidates = con.execute(BRIDGE_SQL).fetchall()
    if not candidates:
        return
    read = _read_lines(con, [spot for c in candidates for spot in ((c[0], c[6], c[7]), (c[1], c[9], c[10]))])
    runs: list[tuple[int, int, int, int]] = []
    cut: list[tuple[int, int, int, int]] = []
    for c_id, k_id, a_shift, a_island, b_shift, b_island, c_mid, _, c_req, k_mid, _, k_req in candidates:
        c_text, k_text = read[c_id].get(c_mid, b""), read[k_id].get(k_mid, b"")
        if not c_text or not k_text or len(c_text) == len(k_text):
            continue
        short, whole = sorted(((c_text, c_id, c_mid, c_req), (k_text, k_id, k_mid, k_req)), key=lambda t: len(t[0]))
        if not whole[0].startswith(short[0]):
            continue
        runs += [(c_id, k_id, a_shift, a_island), (c_id, k_id, b_shift, b_island)]
        if short[3] and whole[3]:  # both read as requests: the cut one is the copy of the whole one
            cut.append((short[1], short[2], whole[1], whole[2]))
    if not runs:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE ov_bridged (c_id INTEGER, k_id INTEGER, shift BIGINT, island BIGINT)")
    con.executemany("INSERT INTO ov_bridged VALUES (?, ?, ?, ?)", runs)
    con.execute(BRIDGE_LINES_SQL)
    for row in cut:
        if not con.execute("SELECT count(*) FROM overlap_lines WHERE evidence_id = ? AND line_no = ?",
                           row[:2]).fetchone()[0]:
            con.execute("INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no) "
                        "VALUES (?, ?, ?, ?)", list(row))
    con.execute("DROP TABLE ov_bridged")


# A file that holds its own lines twice (`cat a.log a.log`, a rotation's gzip members joined twice, rotations that
# overlapped concatenated, so a run repeats in the middle): a run of at least MIN_RUN consecutive request lines the
# same, one for one, as an earlier run of the same file, that begins where the file's time runs back (the request
# line before it is later) and whose lines are more than one second apart from first to last. Identical requests
# within one second (a burst: Apache writes a request's start time when it ends, so steps of a second back are
# routine) never make a copy. Cost is linear: the steps back are found by one lag() pass over the files holding a
# line twice; they cut the file into stretches, and the n-th occurrence of a line (fields and second) in a stretch
# is matched to the n-th in the nearest earlier stretch holding it (one ASOF join, no pairs within a burst). Each
# repeated line is a copy of the earlier one (FOLLOW_SQL then cites the first of all): counted once.
SELF_SQL = f"""
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
WITH steps AS MATERIALIZED (  -- one lag() pass: where the time runs back; stretch n of a file begins at its n-th
    SELECT evidence_id, line_no, ts_utc, row_number() OVER (PARTITION BY evidence_id ORDER BY line_no) AS stretch
    FROM (SELECT evidence_id, line_no, ts_utc,
                 ts_utc < lag(ts_utc) OVER (PARTITION BY evidence_id ORDER BY line_no) AS back,
                 starts_with(coalesce(ts_flag, ''), {FOLDED})
                 AND starts_with(coalesce(lag(ts_flag) OVER (PARTITION BY evidence_id ORDER BY line_no), ''),
                                 {FOLDED}) AS fold
          FROM requests WHERE evidence_id IN (SELECT evidence_id FROM evidence WHERE verdict = 'ingested'))
    WHERE back AND NOT fold  -- the hour the clocks go back written twice (--log-tz): its second pass, no copy
), step_seconds AS (  -- the lines in the seconds a step runs back to
    SELECT *, min(line_no) OVER (PARTITION BY evidence_id, ts_utc, line_hash) AS first_line
    FROM (SELECT r.evidence_id, r.line_no, r.ts_utc, hash({LINE_HASH}) AS line_hash
          FROM requests r SEMI JOIN steps s ON s.evidence_id = r.evidence_id AND s.ts_utc = r.ts_utc)
), files AS (       -- a file where a step's line is the same as an earlier line: only there can a copy begin
    SELECT DISTINCT x.evidence_id FROM step_seconds x SEMI JOIN steps s USING (evidence_id, line_no)
    WHERE x.first_line < x.line_no
), keyed AS (
    SELECT r.evidence_id, r.line_no, r.ts_utc, hash({LINE_HASH}) AS line_hash, {LINE_ID} AS line_id
    FROM requests r WHERE r.evidence_id IN (SELECT evidence_id FROM files)
), twice AS (       -- a line whose fields and second occur more than once in its file
    SELECT * FROM keyed SEMI JOIN (SELECT evidence_id, line_hash, ts_utc FROM keyed GROUP BY ALL HAVING count(*) > 1)
    USING (evidence_id, line_hash, ts_utc)
), {_ordinals("twice")}, occurrences AS (  -- occ: the n-th of its line (fields, second) in its stretch;
    -- occ_id: the n-th of its line with its id (NULL without one): requests in one second differing only in id
    SELECT *, CASE WHEN line_id IS NOT NULL THEN row_number() OVER (
                  PARTITION BY evidence_id, stretch, line_hash, ts_utc, line_id ORDER BY line_no) END AS occ_id
    FROM (SELECT o.*, coalesce(s.stretch, 0) AS stretch,
                 row_number() OVER (PARTITION BY o.evidence_id, coalesce(s.stretch, 0), o.line_hash, o.ts_utc
                                    ORDER BY o.line_no) AS occ
          FROM ordered o ASOF LEFT JOIN steps s ON s.evidence_id = o.evidence_id AND o.line_no >= s.line_no)
), paired AS (      -- b repeats a in the nearest earlier stretch holding it: paired on the id where both lines
    -- have one (the same occurrence of the line with that id), on the line alone where one side lacks it (SAME_ID)
    SELECT b.evidence_id, b.line_no, b.ord, b.ts_utc, a.line_no AS k_line, a.ord AS k_ord, a.stretch AS k_stretch,
           true AS on_id
    FROM (SELECT * FROM occurrences WHERE line_id IS NOT NULL) b
    ASOF JOIN (SELECT * FROM occurrences WHERE line_id IS NOT NULL) a
      ON a.evidence_id = b.evidence_id AND a.line_hash = b.line_hash AND a.ts_utc = b.ts_utc
     AND a.line_id = b.line_id AND a.occ_id = b.occ_id AND b.stretch > a.stretch
    UNION ALL
    SELECT b.evidence_id, b.line_no, b.ord, b.ts_utc, a.line_no, a.ord, a.stretch, false
    FROM occurrences b ASOF JOIN occurrences a
      ON a.evidence_id = b.evidence_id AND a.line_hash = b.line_hash AND a.ts_utc = b.ts_utc AND a.occ = b.occ
     AND b.stretch > a.stretch
    WHERE a.line_id IS NULL OR b.line_id IS NULL
), candidates AS (  -- one earlier line per repeat: the nearest stretch, an id pair before a pair on the line alone
    SELECT evidence_id AS id, ord AS c_ord, line_no AS c_line, ts_utc, k_line, ord - k_ord AS shift
    FROM paired
    QUALIFY row_number() OVER (PARTITION BY evidence_id, line_no ORDER BY k_stretch DESC, on_id DESC, k_line) = 1
), islands AS (
    SELECT *, c_ord - row_number() OVER (PARTITION BY id, shift ORDER BY c_ord) AS island FROM candidates
), runs AS (        -- MIN_RUN lines, more than one second from first to last, beginning at a step back
    SELECT u.* FROM (
        SELECT id, shift, island, min(c_line) AS first_line FROM islands GROUP BY ALL
        HAVING count(*) >= {MIN_RUN} AND max(ts_utc) - min(ts_utc) > INTERVAL 1 SECOND
    ) u SEMI JOIN steps s ON s.evidence_id = u.id AND s.line_no = u.first_line
), seams AS (       -- a repeat cut by lines altered in one copy: the islands of one shift from a step back to the
    SELECT g.id, g.shift FROM (  -- line before it (the earlier copy's end), at most SEAM_ALTERED lines not repeated
        SELECT id, shift, min(c_ord) AS lo, max(c_ord) AS hi, count(*) AS n, arg_min(c_line, c_ord) AS first_line,
               max(ts_utc) - min(ts_utc) AS span
        FROM islands GROUP BY id, shift
    ) g SEMI JOIN steps s ON s.evidence_id = g.id AND s.line_no = g.first_line
    WHERE g.hi = g.lo + g.shift - 1 AND g.shift - g.n <= {SEAM_ALTERED} AND g.span > INTERVAL 1 SECOND
)
SELECT i.id, i.c_line, i.id, i.k_line
FROM islands i
WHERE (EXISTS (SELECT 1 FROM runs r WHERE r.id = i.id AND r.shift = i.shift AND r.island = i.island)
       OR EXISTS (SELECT 1 FROM seams m WHERE m.id = i.id AND m.shift = i.shift))
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = i.id AND o.line_no = i.c_line)
ORDER BY i.id, i.c_line
"""  # noqa: S608 (column names from schema.COLUMNS, no input)

# A file's last line, cut off mid-line and parsed, and the lines of other files in the same second from the same
# client: the whole line it was cut from is among them (compared by raw bytes in cut_lines).
CUT_CANDIDATES_SQL = """
SELECT c.evidence_id, c.line_no, c.byte_offset, k.evidence_id, k.line_no, k.byte_offset
FROM evidence e
JOIN requests c ON c.evidence_id = e.evidence_id AND c.line_no = e.lines
JOIN requests k ON k.ts_utc = c.ts_utc AND k.client IS NOT DISTINCT FROM c.client AND k.evidence_id <> c.evidence_id
JOIN evidence ke ON ke.evidence_id = k.evidence_id AND ke.verdict = 'ingested'
WHERE e.verdict = 'ingested' AND e.final_newline = false AND e.damage IS NULL
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = c.evidence_id AND o.line_no = c.line_no)
  AND (NOT EXISTS (SELECT 1 FROM requests k0 WHERE k0.evidence_id = k.evidence_id AND k0.line_no < k.line_no)
       -- the lines before them are one copy of the other, whichever file is cited first
       OR EXISTS (SELECT 1 FROM overlap_lines o
                                WHERE o.evidence_id = c.evidence_id AND o.line_no = c.line_no - 1
                                  AND o.kept_evidence_id = k.evidence_id AND o.kept_line_no = k.line_no - 1)
       OR EXISTS (SELECT 1 FROM overlap_lines o
                                WHERE o.evidence_id = k.evidence_id AND o.line_no = k.line_no - 1
                                  AND o.kept_evidence_id = c.evidence_id AND o.kept_line_no = c.line_no - 1))
ORDER BY c.evidence_id, k.evidence_id, k.line_no
"""

# A file's first line, cut off at its start (a `tail -c` excerpt, a copy begun mid-line) and parsed, and the lines
# of other files in the same second, the line after each a copy of the line after the other: the whole line it
# was cut from is among them (compared by raw bytes in cut_lines). The cut may fall in the client address
# (`2.0.2.21` of `192.0.2.21`), so the client is not compared. Only a file whose name leaves its stream to its
# content (evidence.named_like_copy: namekinds.named_like_copy, written at ingest) and all of whose request lines after the first are copies
# of the other file's, to its end: a server's log whose first line ends another's (92.0.2.34 beside 192.0.2.34 in
# one second, both servers then logging the same health checks) holds its own request.
HEAD_CANDIDATES_SQL = """
SELECT c.evidence_id, c.line_no, c.byte_offset, k.evidence_id, k.line_no, k.byte_offset
FROM evidence e
JOIN requests c ON c.evidence_id = e.evidence_id AND c.line_no = 1
JOIN requests k ON k.ts_utc = c.ts_utc AND k.evidence_id <> c.evidence_id
JOIN evidence ke ON ke.evidence_id = k.evidence_id AND ke.verdict = 'ingested'
WHERE e.verdict = 'ingested' AND e.damage IS NULL AND e.named_like_copy
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = c.evidence_id AND o.line_no = c.line_no)
  AND (EXISTS (SELECT 1 FROM overlap_lines o
                       WHERE o.evidence_id = c.evidence_id AND o.line_no = c.line_no + 1
                         AND o.kept_evidence_id = k.evidence_id AND o.kept_line_no = k.line_no + 1)
       OR EXISTS (SELECT 1 FROM overlap_lines o
                          WHERE o.evidence_id = k.evidence_id AND o.line_no = k.line_no + 1
                            AND o.kept_evidence_id = c.evidence_id AND o.kept_line_no = c.line_no + 1))
  AND e.requests - 1 = (SELECT count(DISTINCT x.line_no)  -- its request lines after the first, copies either way
                        FROM (SELECT o.line_no FROM overlap_lines o
                              WHERE o.evidence_id = c.evidence_id AND o.kept_evidence_id = k.evidence_id
                              UNION ALL
                              SELECT o.kept_line_no FROM overlap_lines o
                              WHERE o.evidence_id = k.evidence_id AND o.kept_evidence_id = c.evidence_id) x
                        WHERE x.line_no > 1)
ORDER BY c.evidence_id, k.evidence_id, k.line_no
"""

# whether any file's name leaves its stream to its content (evidence.named_like_copy)
ANY_NAMED_LIKE_COPY_SQL = "SELECT coalesce(bool_or(named_like_copy), false) FROM evidence WHERE verdict = 'ingested'"

FILE_SQL = """
SELECT path, abs_path, size_bytes, mtime_utc, compression, server FROM evidence WHERE evidence_id = ?
"""


def cut_lines(con: duckdb.DuckDBPyConnection) -> None:
    """List in `overlap_lines` each parsed line cut off at a file's end whose bytes begin a longer line of
    another file, and each parsed first line cut off at its start whose bytes end one (the module's rule): the
    cut one is the copy, the whole one is counted."""
    _cut(con, CUT_CANDIDATES_SQL, bytes.startswith)
    if con.execute(ANY_NAMED_LIKE_COPY_SQL).fetchone()[0]:
        _cut(con, HEAD_CANDIDATES_SQL, bytes.endswith)


def _cut(con: duckdb.DuckDBPyConnection, candidates_sql: str, part_of: Callable[[bytes, bytes], bool]) -> None:
    """One cut line per file: the first candidate whose whole line holds its bytes where `part_of` says."""
    candidates = con.execute(candidates_sql).fetchall()
    if not candidates:
        return
    read = _read_lines(con, [spot for c in candidates for spot in (c[:3], c[3:])])
    done: set[int] = set()
    for c_id, c_line, _, k_id, k_line, _ in candidates:
        cut, whole = read[c_id].get(c_line, b""), read[k_id].get(k_line, b"")
        if c_id not in done and cut and len(whole) > len(cut) and part_of(whole, cut):
            con.execute("INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no) "
                        "VALUES (?, ?, ?, ?)", [c_id, c_line, k_id, k_line])
            done.add(c_id)


def _read_lines(con: duckdb.DuckDBPyConnection, spots: list[tuple[int, int, int]]) -> dict[int, dict[int, bytes]]:
    """The bytes of each (evidence id, line, byte offset), by file and line: one read of each file."""
    wanted: dict[int, dict[int, int]] = {}
    for evidence_id, line_no, offset in spots:
        wanted.setdefault(evidence_id, {})[line_no] = offset
    return {evidence_id: _registered_lines(con, evidence_id, want) for evidence_id, want in wanted.items()}


def _registered_lines(con: duckdb.DuckDBPyConnection, evidence_id: int, wanted: dict[int, int]) -> dict[int, bytes]:
    """The lines' bytes (one read of the file), none where the file is gone or no longer the size it was
    registered with: bytes that changed since are no evidence of the registered content."""
    ev = EvidenceFile(*con.execute(FILE_SQL, [evidence_id]).fetchone())
    try:
        if os.stat(ev.abs_path).st_size != ev.size_bytes:
            return {}
        return raw_lines(ev, dict(wanted))
    except OSError:
        return {}


# A copy's line matched to a line that is itself a copy: cite the line that is counted.
FOLLOW_SQL = """
UPDATE overlap_lines o SET kept_evidence_id = k.kept_evidence_id, kept_line_no = k.kept_line_no
FROM overlap_lines k
WHERE k.evidence_id = o.kept_evidence_id AND k.line_no = o.kept_line_no
"""

PAIRS_SQL = f"""
INSERT INTO overlap_pairs
WITH {_not_requests("SELECT evidence_id FROM overlap_lines UNION SELECT kept_evidence_id FROM overlap_lines")},
ordinals AS (
    SELECT o.*, r.ts_utc, o.line_no - coalesce(c.before, 0) AS ord, o.kept_line_no - coalesce(k.before, 0) AS kept_ord
    FROM overlap_lines o
    JOIN requests r USING (evidence_id, line_no)
    ASOF LEFT JOIN counted c ON c.evidence_id = o.evidence_id AND o.line_no >= c.line_no
    ASOF LEFT JOIN counted k ON k.evidence_id = o.kept_evidence_id AND o.kept_line_no >= k.line_no
), lines AS (       -- a range: consecutive request lines (ordinals), whatever rejected or skipped lines lie between
    SELECT *, ord - row_number() OVER (PARTITION BY evidence_id, kept_evidence_id ORDER BY ord) AS grp
    FROM ordinals
), ranges AS (
    SELECT evidence_id, kept_evidence_id, min(line_no) AS lo, max(line_no) AS hi FROM lines
    GROUP BY evidence_id, kept_evidence_id, grp
), kept_lines AS (  -- each original line once, however many copies cite it (a file repeating itself beside it)
    SELECT DISTINCT evidence_id, kept_evidence_id, kept_line_no, kept_ord FROM ordinals
), kept_ranges AS (
    SELECT evidence_id, kept_evidence_id, min(kept_line_no) AS lo, max(kept_line_no) AS hi
    FROM (SELECT *, kept_ord - row_number() OVER (PARTITION BY evidence_id, kept_evidence_id ORDER BY kept_ord) AS g
          FROM kept_lines)
    GROUP BY evidence_id, kept_evidence_id, g
), text AS (
    SELECT evidence_id, kept_evidence_id, count(*) AS runs,
           string_agg(CASE WHEN lo = hi THEN lo::VARCHAR ELSE lo || '-' || hi END, ', ' ORDER BY lo) AS line_ranges
    FROM ranges GROUP BY ALL
), kept_text AS (
    SELECT evidence_id, kept_evidence_id,
           string_agg(CASE WHEN lo = hi THEN lo::VARCHAR ELSE lo || '-' || hi END, ', ' ORDER BY lo) AS line_ranges
    FROM kept_ranges GROUP BY ALL
)
SELECT l.evidence_id, l.kept_evidence_id, count(*) AS shared_lines, any_value(t.runs),
       min(l.line_no), max(l.line_no), min(l.kept_line_no), max(l.kept_line_no), min(l.ts_utc), max(l.ts_utc),
       any_value(t.line_ranges), any_value(k.line_ranges)
FROM lines l
JOIN text t USING (evidence_id, kept_evidence_id)
JOIN kept_text k USING (evidence_id, kept_evidence_id)
GROUP BY l.evidence_id, l.kept_evidence_id
ORDER BY l.evidence_id, l.kept_evidence_id
"""  # noqa: S608 (a constant)


@dataclass(frozen=True)
class Overlap:
    """Request lines of the copy `evidence_id` that repeat lines of `kept_evidence_id`, the original cited."""

    evidence_id: int
    path: str
    stream: str | None
    kept_evidence_id: int
    kept_path: str
    kept_stream: str | None
    shared_lines: int
    runs: int
    first_line_no: int
    last_line_no: int
    kept_first_line_no: int
    kept_last_line_no: int
    first_time: datetime
    last_time: datetime
    line_ranges: str
    kept_line_ranges: str
    # where the kept file's path names another evidence file too (queries/overlapwords.sql kept_version): an
    # earlier or a later version of the same file, or a file of the same relative path elsewhere; and the path
    # it is named by (its absolute path where elsewhere)
    which: str | None = None
    kept_named: str | None = None

    def describe(self) -> str:
        """The overlap in words, the kept file named as queries/findings.sql's overlap finding names it."""
        kept, cited = overlapwords.said(self.which, self.kept_named or self.kept_path, self.kept_evidence_id)
        said = plural(self.shared_lines, "# request line (line", "# request lines (lines")
        repeat = plural(self.shared_lines, "repeats line", "repeat lines")
        return (f"{said} {self.line_ranges}) {repeat} {self.kept_line_ranges} of {kept}: counted once, cited from "
                f"{cited}")


def detect_overlaps(con: duckdb.DuckDBPyConnection,
                    rows_changed: Callable[[list[int]], None] | None = None) -> None:
    """Recompute `overlap_lines` and `overlap_pairs` for the whole case (one transaction); `list_overlaps` reads
    the pairs once the streams they name are assigned (exposure/ingest.py settle).
    `rows_changed` is told, in that transaction, when members were proven corrupted copies now: the files whose rows
    the proof changed (maybe none), to be sealed with the proof (`corrupted_members`)."""
    with transaction(con):
        con.execute("DELETE FROM overlap_lines")
        con.execute("DELETE FROM overlap_pairs")
        con.execute(SHARED_ROWS_SQL)
        if con.execute("SELECT count(*) FROM ov_rows").fetchone()[0]:
            con.execute(ORDINALS_SQL)
            con.execute(ISLANDS_SQL)
            con.execute(MATCH_SQL)
            bridge_cut_copies(con)
            if con.execute(ANY_NAMED_LIKE_COPY_SQL).fetchone()[0]:
                con.execute(EXTRACT_SQL)
        con.execute(SELF_SQL)
        cut_lines(con)
        proved = corruption.prove(con)  # a damaged member proven a corrupted copy: its altered lines rejected
        if con.execute("SELECT count(*) FROM overlap_lines").fetchone()[0]:
            while con.execute(FOLLOW_SQL).fetchone()[0]:
                pass
            con.execute(PAIRS_SQL)
        con.execute("DROP TABLE IF EXISTS ov_rows")
        con.execute("DROP TABLE IF EXISTS ov_ordered")
        con.execute("DROP TABLE IF EXISTS ov_islands")
        if (proved.changed or proved.members) and rows_changed is not None:
            rows_changed(proved.changed)  # the proof and the rows it changed sealed in this transaction


def list_overlaps(con: duckdb.DuckDBPyConnection) -> list[Overlap]:
    """The recorded copies and their originals, in evidence order (none: the naming rule is not defined)."""
    if not con.execute("SELECT count(*) FROM overlap_pairs").fetchone()[0]:
        return []
    queries.run(con, queries.get("overlap_words"))  # kept_version, kept_named: the rule the finding names it by
    rows = con.execute("""
        SELECT o.evidence_id, e.path, e.stream, o.kept_evidence_id, k.path, k.stream, o.shared_lines, o.runs,
               o.first_line_no, o.last_line_no, o.kept_first_line_no, o.kept_last_line_no, o.first_time,
               o.last_time, o.line_ranges, o.kept_line_ranges, w.which, kept_named(w.which, k.path, k.abs_path)
        FROM overlap_pairs o JOIN evidence e USING (evidence_id) JOIN evidence k ON k.evidence_id = o.kept_evidence_id
        CROSS JOIN LATERAL (SELECT kept_version(e.path, e.abs_path, e.evidence_id, k.path, k.abs_path,
                                                k.evidence_id) AS which) w
        ORDER BY o.evidence_id, o.kept_evidence_id""").fetchall()
    return [Overlap(*row) for row in rows]
