-- What a log's fields mean, where its lines cannot say: inferred from the data (exposure/facts.py runs this
-- after every ingest, over the whole case, like the overlap detection).

-- name: bytes_meaning_inference
-- Per server log stream (evidence.stream, exposure/streams.py: one server's log, whatever folder its files lie
-- in) whose byte counts no format or directive declares (CLF: Apache %b and %O, nginx $body_bytes_sent, look
-- alike): body or headers+body, from two kinds of evidence.
--   complete transfers: the 200 GETs of one path within 64 bytes of its most common byte count, where a
--     path has at least 3. Under %b the complete copies of one file version are byte-identical; under %O
--     their counts spread by a few header bytes (Keep-Alive max=N, Connection, cookies, Date...).
--   responses without a body (304, HEAD answered 200): under %b they log no bytes ('-' or 0), under %O
--     their headers (a few hundred bytes).
-- A stream is headers+body when one kind says so and the other does not say body; body likewise; anything
-- else stays undecided (the caller keeps 'body' with basis 'assumed' and says why). Later copies of lines
-- in overlapping files are left out (they would double a byte-identical transfer). The ingest assigns the streams
-- (and finds the overlaps) before it runs this.
-- params: none
WITH files AS (
    SELECT evidence_id, stream FROM evidence
    WHERE verdict = 'ingested' AND bytes_basis IN ('assumed', 'inferred')
), rows AS (
    SELECT f.stream, r.path, r.method, r.status, r.bytes
    FROM requests r JOIN files f USING (evidence_id)
    ANTI JOIN overlap_lines o ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no  -- NOT EXISTS, planned
    -- as a join (as log_offsets below): DuckDB planned NOT EXISTS here as a group of every request line
    WHERE r.status IN (200, 304) AND r.method IN ('GET', 'HEAD')
), bodiless AS (
    SELECT stream, count(*) FILTER (WHERE bytes > 0) AS with_bytes,
           count(*) FILTER (WHERE coalesce(bytes, 0) = 0) AS without_bytes,
           min(bytes) FILTER (WHERE bytes > 0) AS lo, max(bytes) FILTER (WHERE bytes > 0) AS hi
    FROM rows WHERE status = 304 OR method = 'HEAD' GROUP BY stream
), counts AS (
    SELECT stream, path, bytes, count(*) AS n FROM rows
    WHERE status = 200 AND method = 'GET' AND bytes > 0 GROUP BY ALL
), modes AS (
    SELECT stream, path, arg_max(bytes, (n, bytes)) AS mode FROM counts GROUP BY stream, path
), clusters AS (
    SELECT c.stream, c.path, count(*) AS distinct_counts, max(c.bytes) - min(c.bytes) AS spread
    FROM counts c JOIN modes m ON m.stream IS NOT DISTINCT FROM c.stream AND m.path IS NOT DISTINCT FROM c.path
    WHERE abs(c.bytes - m.mode) <= 64
    GROUP BY c.stream, c.path
    HAVING sum(c.n) >= 3
), paths AS (
    SELECT stream, count(*) FILTER (WHERE distinct_counts = 1) AS identical,
           count(*) FILTER (WHERE distinct_counts > 1) AS spread_paths,
           min(spread) FILTER (WHERE distinct_counts > 1) AS spread_lo,
           max(spread) FILTER (WHERE distinct_counts > 1) AS spread_hi
    FROM clusters GROUP BY stream
), votes AS (
    SELECT s.stream,
           coalesce(p.identical, 0) AS identical, coalesce(p.spread_paths, 0) AS spread_paths,
           p.spread_lo, p.spread_hi,
           coalesce(b.with_bytes, 0) AS with_bytes, coalesce(b.without_bytes, 0) AS without_bytes, b.lo, b.hi
    FROM (SELECT DISTINCT stream FROM files) s
    LEFT JOIN paths p ON p.stream IS NOT DISTINCT FROM s.stream
    LEFT JOIN bodiless b ON b.stream IS NOT DISTINCT FROM s.stream
), said AS (
    SELECT *,
           CASE WHEN spread_paths >= 2 AND spread_paths >= 3 * identical THEN 'headers+body'
                WHEN identical >= 2 AND identical >= 3 * spread_paths THEN 'body' END AS by_transfers,
           CASE WHEN with_bytes > 0 AND without_bytes = 0 THEN 'headers+body'
                WHEN without_bytes > 0 AND with_bytes = 0 THEN 'body'
                WHEN with_bytes > 0 THEN 'mixed' END AS by_bodiless
    FROM votes
)
SELECT stream,
       CASE WHEN by_bodiless IS DISTINCT FROM 'mixed'
             AND 'headers+body' IN (by_transfers, by_bodiless)
             AND 'body' NOT IN (coalesce(by_transfers, ''), coalesce(by_bodiless, '')) THEN 'headers+body'
            WHEN by_bodiless IS DISTINCT FROM 'mixed'
             AND 'body' IN (by_transfers, by_bodiless)
             AND 'headers+body' NOT IN (coalesce(by_transfers, ''), coalesce(by_bodiless, '')) THEN 'body'
       END AS bytes_meaning,
       concat_ws('; ',
           CASE WHEN spread_paths + identical = 0
                THEN 'no path with 3 or more complete-looking transfers (200 GETs within 64 bytes of each other)'
                WHEN spread_paths = 0 THEN format('{} {} complete transfers byte-identical', identical,
                                                  CASE WHEN identical = 1 THEN 'path''s' ELSE 'paths''' END)
                ELSE format('{} of {} {} complete transfers spread by {}-{} bytes, {} byte-identical',
                            spread_paths, spread_paths + identical,
                            CASE WHEN spread_paths + identical = 1 THEN 'path''s' ELSE 'paths''' END,
                            spread_lo, spread_hi, identical) END,
           CASE WHEN with_bytes + without_bytes = 0 THEN 'no response without a body (HEAD, 304)'
                WHEN with_bytes = 0 THEN format('{} {} without a body (HEAD, 304) logged with no bytes', without_bytes,
                                                CASE WHEN without_bytes = 1 THEN 'response' ELSE 'responses' END)
                WHEN without_bytes = 0 THEN format('{} {} without a body (HEAD, 304) logged with {}-{} bytes'
                                                   ' (their headers)', with_bytes,
                                                   CASE WHEN with_bytes = 1 THEN 'response' ELSE 'responses' END,
                                                   lo, hi)
                ELSE format('{} responses without a body (HEAD, 304): {} logged with {}-{} bytes, {} with none',
                            with_bytes + without_bytes, with_bytes, lo, hi, without_bytes)
           END) AS detail
FROM said
ORDER BY stream NULLS FIRST;

-- name: log_offsets
-- Each UTC offset written in the logs with its number of request lines, most common first (the display zone's
-- default, exposure/timefmt.py, and the warning where the logs write several). Each request once, as the totals
-- count them: the lines of ingested files, a copy's repeated lines (overlap_lines) left out. An anti join: the
-- same test as NOT EXISTS, which DuckDB plans here as a group of every request line (0.2 s CPU of 2 M lines).
SELECT r.utc_offset_min, count(*) AS request_lines
FROM requests r JOIN evidence e USING (evidence_id)
ANTI JOIN overlap_lines o ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no
WHERE r.utc_offset_min IS NOT NULL AND e.verdict = 'ingested'
GROUP BY 1 ORDER BY count(*) DESC, 1;

-- name: log_offsets_off_zone
-- The request lines whose written UTC offset is not the offset of the zone `log_tz_zone` at the line's time (ICU's
-- rules: Europe/Amsterdam is +02:00 in October before the 25th's change, +01:00 after): where the --log-tz zone is
-- the display zone (exposure/timefmt.py log_tz_note), such a line shows its time in that zone, not at the offset
-- it wrote; with none, every time shown is the one its line wrote and nothing is said. Each request once, as
-- log_offsets counts them.
-- params: log_tz_zone
SELECT count(*) AS request_lines
FROM requests r JOIN evidence e USING (evidence_id)
ANTI JOIN overlap_lines o ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no
WHERE r.utc_offset_min IS NOT NULL AND e.verdict = 'ingested'
  AND r.utc_offset_min * 60 <> epoch(timezone(getvariable('log_tz_zone'), timezone('UTC', r.ts_utc))) - epoch(r.ts_utc);

-- name: log_zones
-- The zones given with --log-tz (evidence.log_tz) that read some request line of an ingested file (a row flagged
-- 'local time read in --log-tz ZONE', exposure/formats/base.py ZONE_READ_FLAG; a file none of whose lines it read
-- is the finding 'zone not applied'), by name: where there is one, local times are shown in it (exposure/timefmt.py
-- log_zone), the zone the user said the logs' clocks keep.
SELECT DISTINCT e.log_tz
FROM evidence e SEMI JOIN requests r ON r.evidence_id = e.evidence_id AND contains(r.ts_flag, 'local time read in --log-tz ')
WHERE e.verdict = 'ingested' AND e.log_tz IS NOT NULL
ORDER BY 1;
