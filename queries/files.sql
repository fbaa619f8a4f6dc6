-- Every URL path served, summarised at once (set-based over all paths, not one target at a time), so an
-- investigator can see what a publication folder exposed before analysing single files.
-- Parameters (all optional; unset = every path):
--   SET VARIABLE path_prefix = '/documenten/wob/2020/';  -- only paths starting with this prefix
--   SET VARIABLE path_glob   = '*.xlsx';                -- only paths matching this GLOB (* also matches '/')
-- Same rules as target.sql: available = 200/206/304, unavailable = 404/410, a window is a run of available
-- responses ended by an unavailable one; a complete download is a 200 GET whose bytes reach the size, or one
-- client's (address + user agent) 206 parts within range_gap_minutes (default 30) covering the file.
-- One difference, stated: the size is the most common byte count of the path's 200 GET responses over the
-- whole evidence (a first approximation), where the per-target analysis infers it per window.
-- Paths are grouped as stored (percent-decoded, without query), over every virtual host.
-- The table client_info (written by `exposure files --internal` / Case.files(internal=...)) flags staff
-- addresses; without it every address counts as external.

-- name: files_requests
-- The requests of the selected paths (ingested evidence only), with the internal flag of their client.
-- needs: client_info
-- params: path_prefix?, path_glob?
CREATE OR REPLACE TEMP MACRO files_requests() AS TABLE
SELECT r.path, r.ts_utc, r.evidence_id, r.line_no, r.client, r.user_agent, r.method, r.status, r.bytes,
       r.object_size, r.range_start, r.range_end, r.completion,
       coalesce(ci.internal, false) AS internal
FROM requests r
JOIN evidence e USING (evidence_id)
LEFT JOIN client_info ci ON ci.client = r.client
WHERE e.verdict = 'ingested' AND r.path IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o   -- as in target.sql: a later copy of a counted line
                  WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no)
  AND starts_with(r.path, coalesce(getvariable('path_prefix'), ''))
  AND r.path GLOB coalesce(getvariable('path_glob'), '*');

-- name: files
-- One row per path: first/last available response, first unavailable response after the last available
-- one (withdrawn_at; NULL = still available when the logs end), windows (runs of available responses),
-- closed_windows (windows ended by a 404/410), the size used (most common 200 GET byte count of the path)
-- and its votes, complete_downloads and distinct_ips (external addresses with a complete download),
-- internal_complete_downloads, partial_downloads (external), requests and requesting_ips (everyone,
-- staff included), available/unavailable responses.
-- Sorted: paths published and then withdrawn first, then by complete downloads, addresses and path.
-- needs: files_requests
-- params: range_gap_minutes?
WITH fr AS (
    SELECT * FROM files_requests()
), ev AS (
    SELECT path, ts_utc, evidence_id, line_no, status IN (200, 206, 304) AS avail
    FROM fr WHERE status IN (200, 206, 304, 404, 410)
), numbered AS (
    SELECT *, sum(CASE WHEN avail THEN 0 ELSE 1 END)
                  OVER (PARTITION BY path ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS u_seen
    FROM ev
), win AS (
    SELECT path, count(DISTINCT u_seen) FILTER (WHERE avail) AS windows,
           min(ts_utc) FILTER (WHERE avail) AS first_available,
           max(ts_utc) FILTER (WHERE avail) AS last_available,
           max((ts_utc, evidence_id, line_no)) FILTER (WHERE avail) AS last_key,
           count(*) FILTER (WHERE avail) AS available_responses,
           count(*) FILTER (WHERE NOT avail) AS unavailable_responses
    FROM numbered GROUP BY path
), closed AS (   -- windows followed by an unavailable response
    SELECT a.path, count(DISTINCT a.u_seen) AS closed_windows
    FROM numbered a JOIN numbered u ON u.path = a.path AND NOT u.avail AND u.u_seen = a.u_seen + 1
    WHERE a.avail GROUP BY a.path
), withdrawn AS (
    SELECT n.path, min(n.ts_utc) AS withdrawn_at
    FROM numbered n JOIN win w USING (path)
    WHERE NOT n.avail AND (n.ts_utc, n.evidence_id, n.line_no) > w.last_key
    GROUP BY n.path
), sizes AS (
    SELECT path, arg_max(bytes, (n, bytes)) AS size_bytes, max(n)::BIGINT AS size_votes
    FROM (SELECT path, bytes, count(*) AS n FROM fr
          WHERE status = 200 AND method = 'GET' AND bytes > 0 GROUP BY ALL)
    GROUP BY path
), tr AS (
    SELECT fr.*, s.size_bytes FROM fr LEFT JOIN sizes s USING (path)
    WHERE fr.method = 'GET' AND fr.status IN (200, 206)
), single AS (
    SELECT path, client, internal,
           CASE WHEN object_size IS NOT NULL AND bytes IS NOT NULL THEN bytes >= object_size
                WHEN completion IS NOT NULL THEN completion = 'complete' AND coalesce(bytes, 0) >= size_bytes
                WHEN size_bytes IS NULL THEN NULL
                ELSE coalesce(bytes, 0) >= size_bytes END AS is_complete
    FROM tr WHERE status = 200
), part AS (
    SELECT *, CASE WHEN ts_utc - lag(ts_utc) OVER (PARTITION BY path, client, coalesce(user_agent, '')
                                                   ORDER BY ts_utc, evidence_id, line_no)
                        > to_minutes(coalesce(getvariable('range_gap_minutes')::INTEGER, 30)) THEN 1 ELSE 0 END
               AS new_group
    FROM tr WHERE status = 206
), grouped AS (
    SELECT *, sum(new_group) OVER (PARTITION BY path, client, coalesce(user_agent, '')
                                   ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS grp
    FROM part
), islands AS (
    SELECT *, CASE WHEN range_start > max(range_end) OVER (PARTITION BY path, client, coalesce(user_agent, ''), grp
                   ORDER BY range_start, range_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 1 ELSE 0 END AS new_island
    FROM grouped
), island_no AS (
    SELECT *, sum(new_island) OVER (PARTITION BY path, client, coalesce(user_agent, ''), grp
                                    ORDER BY range_start, range_end ROWS UNBOUNDED PRECEDING) AS island
    FROM islands
), ranged AS (
    SELECT path, client, user_agent, grp, bool_or(internal) AS internal, any_value(size_bytes) AS size_bytes,
           sum(coalesce(bytes, 0)) AS bytes_sum,
           bool_and(range_start IS NOT NULL AND range_end IS NOT NULL) AS has_offsets
    FROM island_no GROUP BY ALL
), covered AS (
    SELECT path, client, user_agent, grp, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT path, client, user_agent, grp, island, min(range_start) AS lo, max(range_end) AS hi
          FROM island_no WHERE range_start IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
), ranges AS (
    SELECT r.path, r.client, r.internal,
           CASE WHEN r.size_bytes IS NULL THEN NULL
                WHEN r.has_offsets THEN c.union_bytes >= r.size_bytes
                ELSE r.bytes_sum >= r.size_bytes END AS is_complete
    FROM ranged r LEFT JOIN covered c
      ON c.path = r.path AND c.client IS NOT DISTINCT FROM r.client
     AND c.user_agent IS NOT DISTINCT FROM r.user_agent AND c.grp = r.grp
), dl AS (
    SELECT path,
           count(*) FILTER (WHERE is_complete AND NOT internal) AS complete_downloads,
           count(DISTINCT client) FILTER (WHERE is_complete AND NOT internal) AS distinct_ips,
           count(*) FILTER (WHERE is_complete AND internal) AS internal_complete_downloads,
           count(*) FILTER (WHERE NOT is_complete AND NOT internal) AS partial_downloads
    FROM (SELECT * FROM single UNION ALL SELECT * FROM ranges) GROUP BY path
), req AS (
    SELECT path, count(*) AS requests, count(DISTINCT client) AS requesting_ips FROM fr GROUP BY path
)
SELECT req.path,
       w.first_available, w.last_available, wd.withdrawn_at,
       coalesce(w.windows, 0) AS windows, coalesce(c.closed_windows, 0) AS closed_windows,
       s.size_bytes, s.size_votes,
       coalesce(dl.complete_downloads, 0) AS complete_downloads,
       coalesce(dl.distinct_ips, 0) AS distinct_ips,
       coalesce(dl.internal_complete_downloads, 0) AS internal_complete_downloads,
       coalesce(dl.partial_downloads, 0) AS partial_downloads,
       req.requests, req.requesting_ips,
       coalesce(w.available_responses, 0) AS available_responses,
       coalesce(w.unavailable_responses, 0) AS unavailable_responses
FROM req
LEFT JOIN win w USING (path)
LEFT JOIN closed c USING (path)
LEFT JOIN withdrawn wd USING (path)
LEFT JOIN sizes s USING (path)
LEFT JOIN dl USING (path)
ORDER BY (coalesce(c.closed_windows, 0) > 0) DESC, complete_downloads DESC, distinct_ips DESC,
         w.first_available NULLS LAST, req.path;
