-- Definitions for one target file: its requests, exposure windows and downloads.
-- Run this file first when working by hand, after setting the parameters, e.g. in the DuckDB shell:
--   SET VARIABLE target_path = '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx';  -- decoded
--   SET VARIABLE target_alt  = '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx';  -- as given
--   SET VARIABLE target_host = NULL;    -- a virtual host, or NULL for every host
--   SET VARIABLE size = NULL;           -- the file size in bytes when known (--size), else inferred
--   SET VARIABLE range_gap_minutes = 30;
-- The table client_info (one row per client address: internal flag, network type) is written by
-- `exposure analyse`/`report` from the --internal ranges; `SELECT * FROM client_info` shows it.

-- name: target_macros
-- Collects the target's requests in the temporary table target_raw (one scan of the case; every query below
-- reads that table), then defines the macros target_requests(), target_windows() and target_downloads().
-- needs: client_info, ua_class
-- params: target_path, target_alt, target_host?, size?, range_gap_minutes
CREATE OR REPLACE TEMP TABLE target_raw AS
SELECT r.*, e.path AS evidence_path, e.sha256 AS evidence_sha256,
       coalesce(e.bytes_meaning, 'body') AS bytes_meaning
FROM requests r
JOIN evidence e USING (evidence_id)
WHERE e.verdict = 'ingested'
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o   -- a later copy of a line already counted (exposure/overlap.py)
                  WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no)
  AND (getvariable('target_host') IS NULL OR r.vhost IS NULL
       -- the host as logged: a name or address, maybe with the port the client sent (a Host header), an IPv6
       -- address bare or in brackets, a trailing dot; compared without port, brackets, dot and case (the same
       -- test as queries/portable/windows_downloads.sql)
       OR lower(TRIM(TRAILING '.' FROM CASE WHEN substr(r.vhost, 1, 1) = '[' THEN split_part(substr(r.vhost, 2), ']', 1)
                 WHEN length(r.vhost) - length(replace(r.vhost, ':', '')) = 1 THEN split_part(r.vhost, ':', 1)
                 ELSE r.vhost END)) = lower(TRIM(TRAILING '.' FROM getvariable('target_host'))))
  AND (r.path = getvariable('target_path') OR r.path = getvariable('target_alt')
       OR (e.format IN ('iis', 'w3c') AND lower(r.path) = lower(getvariable('target_path'))));

CREATE OR REPLACE TEMP MACRO target_requests() AS TABLE
SELECT t.*, coalesce(ci.internal, false) AS internal, coalesce(uc.client_class, 'unknown') AS client_class
FROM target_raw t
LEFT JOIN client_info ci ON ci.client = t.client
LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM t.user_agent;

-- Available (200/206/304) and unavailable (404/410) responses in order; a window is a run of available
-- responses ended by an unavailable one. Other statuses neither open nor close a window.
CREATE OR REPLACE TEMP MACRO target_windows() AS TABLE
WITH ev AS (
    SELECT ts_utc, evidence_id, line_no, status, method, bytes, object_size, bytes_meaning,
           CASE WHEN status IN (200, 206, 304) THEN 'A' ELSE 'U' END AS kind
    FROM target_requests()
    WHERE status IN (200, 206, 304, 404, 410)
), numbered AS (
    SELECT *, sum(CASE WHEN kind = 'U' THEN 1 ELSE 0 END)
                  OVER (ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS u_seen
    FROM ev
), win AS (
    SELECT u_seen AS grp,
           min(ts_utc) AS first_available,
           max(ts_utc) AS last_available,
           arg_min(evidence_id, (ts_utc, evidence_id, line_no)) AS first_evidence_id,
           arg_min(line_no, (ts_utc, evidence_id, line_no)) AS first_line_no,
           arg_max(evidence_id, (ts_utc, evidence_id, line_no)) AS last_evidence_id,
           arg_max(line_no, (ts_utc, evidence_id, line_no)) AS last_line_no,
           count(*) AS available_responses
    FROM numbered WHERE kind = 'A' GROUP BY u_seen
), closing AS (
    SELECT u_seen AS grp, ts_utc, evidence_id, line_no FROM numbered WHERE kind = 'U'
), sizes AS (   -- body bytes: the most common byte count of the window's 200 GET responses (HEAD, 0 and '-' excluded)
    SELECT grp, arg_max(bytes, (n, bytes)) AS inferred_size, max(n)::BIGINT AS size_votes, sum(n)::BIGINT AS size_sample,
           bool_and(exact) AS exact
    FROM (SELECT n.u_seen AS grp, bytes, count(*) AS n, bool_and(object_size IS NOT NULL) AS exact FROM numbered n
          WHERE kind = 'A' AND status = 200 AND method = 'GET' AND bytes > 0 AND bytes_meaning = 'body' GROUP BY ALL)
    GROUP BY grp
), band_rows AS (  -- bytes that include headers (IIS/CloudFront sc-bytes, ALB sent_bytes): for each 200 GET byte
    -- count b, how many 200 GETs fall in [b, b + 2 KiB]; a count below an announced length (CloudFront
    -- sc-content-len) cannot be a complete transfer and is left out
    SELECT n.u_seen AS grp, bytes,
           count(*) OVER (PARTITION BY n.u_seen ORDER BY bytes RANGE BETWEEN CURRENT ROW AND 2048 FOLLOWING) AS in_band,
           count(*) OVER (PARTITION BY n.u_seen) AS sample
    FROM numbered n
    WHERE kind = 'A' AND status = 200 AND method = 'GET' AND bytes > 0 AND bytes_meaning = 'headers+body'
      AND bytes >= coalesce(object_size, 0)
), band AS (       -- the complete-transfer band: the densest such cluster (the higher one on a tie); its lower edge
    SELECT grp, arg_max(bytes, (in_band, bytes)) AS band_bytes, max(in_band)::BIGINT AS band_votes,
           any_value(sample)::BIGINT AS band_sample
    FROM band_rows GROUP BY grp
), log_start AS (   -- the first request of the evidence (evidence.first_time: each file's earliest request)
    SELECT min(first_time) AS t0 FROM evidence WHERE verdict = 'ingested'
)
SELECT row_number() OVER (ORDER BY w.first_available) AS window_no,
       w.first_available, w.last_available,
       c.ts_utc AS first_unavailable,
       w.first_available < (SELECT t0 FROM log_start) + INTERVAL 1 HOUR AS open_at_log_start,
       coalesce(getvariable('size')::BIGINT, s.inferred_size, b.band_bytes) AS size_bytes,
       getvariable('size') IS NULL AS size_inferred,
       coalesce(s.size_votes, b.band_votes) AS size_votes, coalesce(s.size_sample, b.band_sample) AS size_sample,
       -- which rule judges completeness: given (--size), object_size (the log gives each object's length:
       -- S3), most_common (body bytes), band (bytes include headers), or both when the window mixes them
       CASE WHEN getvariable('size') IS NOT NULL THEN 'given'
            WHEN s.inferred_size IS NOT NULL AND b.band_bytes IS NOT NULL
                 THEN (CASE WHEN s.exact THEN 'object_size' ELSE 'most_common' END) || '+band'
            WHEN s.inferred_size IS NOT NULL THEN CASE WHEN s.exact THEN 'object_size' ELSE 'most_common' END
            WHEN b.band_bytes IS NOT NULL THEN 'band' END AS size_rule,
       b.band_bytes,
       w.available_responses,
       w.first_evidence_id, w.first_line_no, w.last_evidence_id, w.last_line_no,
       c.evidence_id AS unavailable_evidence_id, c.line_no AS unavailable_line_no
FROM win w
LEFT JOIN closing c ON c.grp = w.grp + 1
                   AND (c.ts_utc, c.evidence_id, c.line_no) = (SELECT min((ts_utc, evidence_id, line_no))
                                                             FROM closing c2 WHERE c2.grp = w.grp + 1)
LEFT JOIN sizes s ON s.grp = w.grp
LEFT JOIN band b ON b.grp = w.grp;

-- Every GET answered 200 is a single transfer; 206 GET responses of one client (address + user agent)
-- form a range group until a gap of more than range_gap_minutes. Completeness compares bytes (or the
-- union of byte ranges, where the log gives offsets) with the window's file size.
CREATE OR REPLACE TEMP MACRO target_downloads() AS TABLE
WITH tr AS (
    SELECT t.*, w.window_no, w.size_bytes, w.band_bytes
    FROM target_requests() t
    LEFT JOIN target_windows() w ON t.ts_utc BETWEEN w.first_available AND w.last_available
    WHERE t.method = 'GET' AND t.status IN (200, 206)
), single AS (
    SELECT ts_utc AS time, client, user_agent, internal, client_class, window_no, size_bytes,
           'single' AS kind, coalesce(bytes, 0)::BIGINT AS bytes_delivered,
           CASE WHEN bytes_meaning = 'headers+body' THEN   -- bytes include headers: see band in target_windows()
                    CASE WHEN object_size IS NOT NULL AND coalesce(bytes, 0) < object_size THEN false
                         WHEN getvariable('size') IS NOT NULL THEN coalesce(bytes, 0) >= getvariable('size')::BIGINT
                         WHEN band_bytes IS NOT NULL THEN coalesce(bytes, 0) >= band_bytes END
                WHEN object_size IS NOT NULL AND bytes IS NOT NULL THEN bytes >= object_size
                WHEN completion IS NOT NULL THEN completion = 'complete' AND coalesce(bytes, 0) >= size_bytes
                WHEN size_bytes IS NULL THEN NULL
                ELSE coalesce(bytes, 0) >= size_bytes END AS is_complete,
           CASE WHEN bytes_meaning = 'headers+body' THEN
                    CASE WHEN object_size IS NOT NULL AND coalesce(bytes, 0) < object_size THEN 'object_size'
                         WHEN getvariable('size') IS NOT NULL THEN 'given' ELSE 'band' END
                WHEN object_size IS NOT NULL AND bytes IS NOT NULL THEN 'object_size'
                WHEN completion IS NOT NULL THEN 'completion'
                WHEN getvariable('size') IS NOT NULL THEN 'given' ELSE 'most_common' END AS size_rule,
           1 AS parts,
           [{'evidence_id': evidence_id, 'line_no': line_no}] AS lines
    FROM tr WHERE status = 200
), part AS (
    SELECT *, CASE WHEN ts_utc - lag(ts_utc) OVER (PARTITION BY client, coalesce(user_agent, '')
                                                   ORDER BY ts_utc, evidence_id, line_no)
                        > to_minutes(getvariable('range_gap_minutes')::INTEGER) THEN 1 ELSE 0 END AS new_group
    FROM tr WHERE status = 206
), grouped AS (
    SELECT *, sum(new_group) OVER (PARTITION BY client, coalesce(user_agent, '')
                                   ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS grp
    FROM part
), islands AS (    -- union of known byte ranges: sort by start, a new island when a part starts past the end so far
    SELECT *, CASE WHEN range_start > max(range_end) OVER (PARTITION BY client, coalesce(user_agent, ''), grp
                   ORDER BY range_start, range_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 1 ELSE 0 END AS new_island
    FROM grouped
), island_no AS (
    SELECT *, sum(new_island) OVER (PARTITION BY client, coalesce(user_agent, ''), grp
                                    ORDER BY range_start, range_end ROWS UNBOUNDED PRECEDING) AS island
    FROM islands
), ranged AS (
    SELECT client, user_agent, grp,
           max(ts_utc) AS time,
           bool_or(internal) AS internal,
           any_value(client_class) AS client_class,
           arg_max(window_no, (ts_utc, evidence_id, line_no)) AS window_no,
           arg_max(size_bytes, (ts_utc, evidence_id, line_no)) AS size_bytes,
           sum(coalesce(bytes, 0)) AS bytes_sum,
           bool_and(range_start IS NOT NULL AND range_end IS NOT NULL) AS has_offsets,
           count(*) AS parts,
           list({'evidence_id': evidence_id, 'line_no': line_no} ORDER BY ts_utc, evidence_id, line_no) AS lines
    FROM island_no GROUP BY client, user_agent, grp
), covered AS (
    SELECT client, user_agent, grp, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT client, user_agent, grp, island, min(range_start) AS lo, max(range_end) AS hi
          FROM island_no WHERE range_start IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
), ranges AS (
    SELECT r.time, r.client, r.user_agent, r.internal, r.client_class, r.window_no, r.size_bytes,
           'range' AS kind,
           CASE WHEN getvariable('size') IS NOT NULL THEN 'given' ELSE 'window size' END AS size_rule,
           (CASE WHEN r.has_offsets THEN c.union_bytes ELSE r.bytes_sum END)::BIGINT AS bytes_delivered,
           CASE WHEN r.size_bytes IS NULL THEN NULL
                WHEN r.has_offsets THEN c.union_bytes >= r.size_bytes
                ELSE r.bytes_sum >= r.size_bytes END AS is_complete,
           r.parts, r.lines
    FROM ranged r LEFT JOIN covered c
      ON c.client IS NOT DISTINCT FROM r.client AND c.user_agent IS NOT DISTINCT FROM r.user_agent AND c.grp = r.grp
)
SELECT time, client, user_agent, internal, client_class, window_no, size_bytes, kind, bytes_delivered, parts, size_rule,
       CASE WHEN is_complete THEN 'complete' WHEN is_complete IS NULL THEN 'undetermined' ELSE 'partial' END
           AS outcome,
       lines
FROM (SELECT * FROM single UNION ALL BY NAME SELECT * FROM ranges);
