-- Exposure windows and downloads of one target over a Parquet export (`exposure export --parquet DIR`), in
-- SQL that both Spark SQL and DuckDB run unchanged: no getvariable, no macros, no lists or structs, no
-- arg_max; ties are broken with row_number() and every ORDER BY says where NULLs go.
-- The same logic as target.sql (target_windows, target_downloads); `make test-spark` checks that the case,
-- DuckDB over the export and Spark over the export give the same windows and downloads (docs/scale.md).
--
-- Identifiers are double-quoted ANSI identifiers (the ECS names hold dots and '@'): on Spark set
-- spark.sql.ansi.enabled=true and spark.sql.ansi.doubleQuotedIdentifiers=true. Run the blocks in file order.
-- The caller provides three tables or views (exposure/portable.py does, for DuckDB and for Spark):
--   ecs_requests   the export, read with its Hive partitions (Spark: spark.read.parquet(DIR))
--   target_params  one row: target_path (decoded), target_alt (as given), target_host (or NULL),
--                  size (BIGINT, NULL = inferred per window), range_gap_minutes (INT)
--   client_info    client, internal (BOOLEAN): the --internal flag per address (may be empty); written
--                  after portable_target_clients, as the case writes its own client_info
-- Parameters travel as data in target_params, never as SQL text.
-- The views are plain views; an engine that re-runs a view at every reference may materialise each one as it
-- is created, under the same name (exposure/portable.py: CACHED).
--
-- What the export does not carry, and so this file does not do (target.sql does, in the case): the
-- complete-transfer band for byte counts that include headers (IIS/W3C sc-bytes, CloudFront, ALB: the
-- evidence's bytes_meaning), case-insensitive paths for IIS/W3C (the evidence's format), leaving out
-- overlap_lines (later copies of lines in overlapping files) and client_class (ua_class). For logs of body
-- bytes without overlapping files (Apache/nginx, S3, JSON lines) the answers are the same.

-- name: portable_target_raw
-- The target's requests with the case's column names (one scan of the export).
CREATE OR REPLACE TEMPORARY VIEW portable_target_raw AS
SELECT r."exposure.evidence_id" AS evidence_id, r."log.file.line" AS line_no, r."@timestamp" AS ts_utc,
       r."source.address" AS client, r."http.request.method" AS method, r."url.path" AS path,
       r."http.response.status_code" AS status, r."http.response.body.bytes" AS bytes,
       r."exposure.object_size" AS object_size, r."exposure.range_start" AS range_start,
       r."exposure.range_end" AS range_end, r."exposure.completion" AS completion,
       r."user_agent.original" AS user_agent
FROM ecs_requests r
CROSS JOIN target_params p
WHERE (p.target_host IS NULL OR r."url.domain" IS NULL
       -- the host test of queries/target.sql: without port, brackets, trailing dot and case
       OR lower(TRIM(TRAILING '.' FROM CASE WHEN substr(r."url.domain", 1, 1) = '[' THEN split_part(substr(r."url.domain", 2), ']', 1)
                 WHEN length(r."url.domain") - length(replace(r."url.domain", ':', '')) = 1 THEN split_part(r."url.domain", ':', 1)
                 ELSE r."url.domain" END)) = lower(TRIM(TRAILING '.' FROM p.target_host)))
  AND (r."url.path" = p.target_path OR r."url.path" = p.target_alt);

-- name: portable_target_clients
-- The target's distinct client addresses: the caller flags the internal ones into client_info.
SELECT DISTINCT client FROM portable_target_raw WHERE client IS NOT NULL ORDER BY client;

-- name: portable_target_views
-- The views the queries below read: the target's requests with the internal flag, its available (200/206/304)
-- and unavailable (404/410) responses numbered in time order, its windows, and its download attempts.
CREATE OR REPLACE TEMPORARY VIEW portable_target_requests AS
SELECT t.*, coalesce(ci.internal, false) AS internal
FROM portable_target_raw t
LEFT JOIN client_info ci ON ci.client = t.client;

-- a window is a run of available responses ended by an unavailable one; u_seen numbers the runs
CREATE OR REPLACE TEMPORARY VIEW portable_events AS
SELECT ts_utc, evidence_id, line_no, status, method, bytes, object_size,
       CASE WHEN status IN (200, 206, 304) THEN 'A' ELSE 'U' END AS kind,
       sum(CASE WHEN status IN (404, 410) THEN 1 ELSE 0 END)
           OVER (ORDER BY ts_utc, evidence_id, line_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS u_seen
FROM portable_target_requests
WHERE status IN (200, 206, 304, 404, 410);

CREATE OR REPLACE TEMPORARY VIEW portable_windows AS
WITH available AS (
    SELECT e.*,
           row_number() OVER (PARTITION BY u_seen ORDER BY ts_utc, evidence_id, line_no) AS pos_first,
           row_number() OVER (PARTITION BY u_seen ORDER BY ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_last
    FROM portable_events e
    WHERE kind = 'A'
), win AS (
    SELECT u_seen AS grp,
           min(ts_utc) AS first_available,
           max(ts_utc) AS last_available,
           max(CASE WHEN pos_first = 1 THEN evidence_id END) AS first_evidence_id,
           max(CASE WHEN pos_first = 1 THEN line_no END) AS first_line_no,
           max(CASE WHEN pos_last = 1 THEN evidence_id END) AS last_evidence_id,
           max(CASE WHEN pos_last = 1 THEN line_no END) AS last_line_no,
           count(*) AS available_responses
    FROM available
    GROUP BY u_seen
), closing AS (    -- each unavailable response starts the next run, so it is the only one with its number
    SELECT u_seen AS grp, ts_utc, evidence_id, line_no FROM portable_events WHERE kind = 'U'
), votes AS (      -- body bytes: the most common byte count of the window's 200 GET responses (HEAD, 0 excluded)
    SELECT u_seen AS grp, bytes, count(*) AS n,
           min(CASE WHEN object_size IS NOT NULL THEN 1 ELSE 0 END) AS exact
    FROM portable_events
    WHERE kind = 'A' AND status = 200 AND method = 'GET' AND bytes > 0
    GROUP BY u_seen, bytes
), ranked AS (     -- the most votes wins, the larger byte count on a tie
    SELECT v.*,
           row_number() OVER (PARTITION BY grp ORDER BY n DESC, bytes DESC) AS pos,
           max(n) OVER (PARTITION BY grp) AS votes_max,
           sum(n) OVER (PARTITION BY grp) AS votes_sum,
           min(exact) OVER (PARTITION BY grp) AS all_exact
    FROM votes v
), sizes AS (
    SELECT grp, bytes AS inferred_size, votes_max, votes_sum, all_exact = 1 AS exact FROM ranked WHERE pos = 1
), log_start AS (
    SELECT min("@timestamp") AS t0 FROM ecs_requests
)
SELECT CAST(row_number() OVER (ORDER BY w.first_available, w.grp) AS BIGINT) AS window_no,
       w.first_available, w.last_available,
       c.ts_utc AS first_unavailable,
       w.first_available < (SELECT t0 FROM log_start) + INTERVAL '1' HOUR AS open_at_log_start,
       CAST(coalesce(p.size, s.inferred_size) AS BIGINT) AS size_bytes,
       p.size IS NULL AS size_inferred,
       CAST(s.votes_max AS BIGINT) AS size_votes, CAST(s.votes_sum AS BIGINT) AS size_sample,
       CASE WHEN p.size IS NOT NULL THEN 'given'
            WHEN s.inferred_size IS NOT NULL THEN CASE WHEN s.exact THEN 'object_size' ELSE 'most_common' END
       END AS size_rule,
       CAST(w.available_responses AS BIGINT) AS available_responses,
       w.first_evidence_id, w.first_line_no, w.last_evidence_id, w.last_line_no,
       c.evidence_id AS unavailable_evidence_id, c.line_no AS unavailable_line_no
FROM win w
CROSS JOIN target_params p
LEFT JOIN closing c ON c.grp = w.grp + 1
LEFT JOIN sizes s ON s.grp = w.grp;

-- GET 200 and 206 responses with the window they fall in and its size
CREATE OR REPLACE TEMPORARY VIEW portable_transfers AS
SELECT t.*, w.window_no, w.size_bytes
FROM portable_target_requests t
LEFT JOIN portable_windows w ON t.ts_utc BETWEEN w.first_available AND w.last_available
WHERE t.method = 'GET' AND t.status IN (200, 206);

-- 206 parts of one client (address + user agent) grouped until a gap of more than range_gap_minutes, with
-- the islands of their byte ranges (sorted by start, a new island when a part starts past the end so far)
CREATE OR REPLACE TEMPORARY VIEW portable_range_parts AS
WITH part AS (
    SELECT t.*,
           CASE WHEN t.ts_utc - lag(t.ts_utc) OVER (PARTITION BY t.client, coalesce(t.user_agent, '')
                                                    ORDER BY t.ts_utc, t.evidence_id, t.line_no)
                     > INTERVAL '1' MINUTE * p.range_gap_minutes THEN 1 ELSE 0 END AS new_group
    FROM portable_transfers t
    CROSS JOIN target_params p
    WHERE t.status = 206
), grouped AS (
    SELECT part.*,
           sum(new_group) OVER (PARTITION BY client, coalesce(user_agent, '')
                                ORDER BY ts_utc, evidence_id, line_no
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS grp
    FROM part
), islands AS (
    SELECT grouped.*,
           CASE WHEN range_start > max(range_end) OVER (PARTITION BY client, coalesce(user_agent, ''), grp
                                                        ORDER BY range_start NULLS LAST, range_end NULLS LAST
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                THEN 1 ELSE 0 END AS new_island
    FROM grouped
)
SELECT islands.*,
       sum(new_island) OVER (PARTITION BY client, coalesce(user_agent, ''), grp
                             ORDER BY range_start NULLS LAST, range_end NULLS LAST
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island,
       row_number() OVER (PARTITION BY client, user_agent, grp
                          ORDER BY ts_utc, evidence_id, line_no) AS pos_first,
       row_number() OVER (PARTITION BY client, user_agent, grp
                          ORDER BY ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_last,
       -- the window and size of the last part that has one (as arg_max, which skips NULL values)
       row_number() OVER (PARTITION BY client, user_agent, grp
                          ORDER BY CASE WHEN window_no IS NULL THEN 1 ELSE 0 END,
                                   ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_window,
       row_number() OVER (PARTITION BY client, user_agent, grp
                          ORDER BY CASE WHEN size_bytes IS NULL THEN 1 ELSE 0 END,
                                   ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_size
FROM islands;

-- Every GET answered 200 is a single transfer; each range group is one attempt, counted at its last part.
-- Completeness compares bytes (or the union of byte ranges, where the log gives offsets) with the size.
CREATE OR REPLACE TEMPORARY VIEW portable_downloads AS
WITH single AS (
    SELECT t.ts_utc AS time, t.client, t.user_agent, t.internal, t.window_no, t.size_bytes,
           'single' AS kind, CAST(coalesce(t.bytes, 0) AS BIGINT) AS bytes_delivered,
           CAST(1 AS BIGINT) AS parts,
           CASE WHEN t.object_size IS NOT NULL AND t.bytes IS NOT NULL THEN 'object_size'
                WHEN t.completion IS NOT NULL THEN 'completion'
                WHEN p.size IS NOT NULL THEN 'given' ELSE 'most_common' END AS size_rule,
           CASE WHEN t.object_size IS NOT NULL AND t.bytes IS NOT NULL THEN t.bytes >= t.object_size
                WHEN t.completion IS NOT NULL THEN t.completion = 'complete' AND coalesce(t.bytes, 0) >= t.size_bytes
                WHEN t.size_bytes IS NULL THEN NULL
                ELSE coalesce(t.bytes, 0) >= t.size_bytes END AS is_complete,
           t.evidence_id AS first_evidence_id, t.line_no AS first_line_no,
           t.evidence_id AS last_evidence_id, t.line_no AS last_line_no
    FROM portable_transfers t
    CROSS JOIN target_params p
    WHERE t.status = 200
), ranged AS (
    SELECT client, user_agent, grp,
           max(ts_utc) AS time,
           max(CASE WHEN internal THEN 1 ELSE 0 END) = 1 AS internal,
           max(CASE WHEN pos_window = 1 THEN window_no END) AS window_no,
           max(CASE WHEN pos_size = 1 THEN size_bytes END) AS size_bytes,
           sum(coalesce(bytes, 0)) AS bytes_sum,
           min(CASE WHEN range_start IS NOT NULL AND range_end IS NOT NULL THEN 1 ELSE 0 END) = 1 AS has_offsets,
           count(*) AS parts,
           max(CASE WHEN pos_first = 1 THEN evidence_id END) AS first_evidence_id,
           max(CASE WHEN pos_first = 1 THEN line_no END) AS first_line_no,
           max(CASE WHEN pos_last = 1 THEN evidence_id END) AS last_evidence_id,
           max(CASE WHEN pos_last = 1 THEN line_no END) AS last_line_no
    FROM portable_range_parts
    GROUP BY client, user_agent, grp
), covered AS (
    SELECT client, user_agent, grp, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT client, user_agent, grp, island, min(range_start) AS lo, max(range_end) AS hi
          FROM portable_range_parts
          WHERE range_start IS NOT NULL
          GROUP BY client, user_agent, grp, island) AS island_span
    GROUP BY client, user_agent, grp
), ranges AS (
    SELECT r.time, r.client, r.user_agent, r.internal, r.window_no, r.size_bytes,
           'range' AS kind,
           CAST(CASE WHEN r.has_offsets THEN c.union_bytes ELSE r.bytes_sum END AS BIGINT) AS bytes_delivered,
           CAST(r.parts AS BIGINT) AS parts,
           CASE WHEN p.size IS NOT NULL THEN 'given' ELSE 'window size' END AS size_rule,
           CASE WHEN r.size_bytes IS NULL THEN NULL
                WHEN r.has_offsets THEN c.union_bytes >= r.size_bytes
                ELSE r.bytes_sum >= r.size_bytes END AS is_complete,
           r.first_evidence_id, r.first_line_no, r.last_evidence_id, r.last_line_no
    FROM ranged r
    CROSS JOIN target_params p
    LEFT JOIN covered c
      ON c.client IS NOT DISTINCT FROM r.client AND c.user_agent IS NOT DISTINCT FROM r.user_agent
     AND c.grp = r.grp
), attempts AS (
    SELECT * FROM single
    UNION ALL
    SELECT * FROM ranges
)
SELECT time, client, user_agent, internal, window_no, size_bytes, kind, bytes_delivered, parts, size_rule,
       CASE WHEN is_complete THEN 'complete' WHEN is_complete IS NULL THEN 'undetermined' ELSE 'partial' END
           AS outcome,
       first_evidence_id, first_line_no, last_evidence_id, last_line_no
FROM attempts;

-- name: portable_windows
-- One row per exposure window (as queries/windows.sql, without band_bytes): first/last available response,
-- first unavailable response after it, the size used for completeness and the evidence lines that bound it.
SELECT * FROM portable_windows ORDER BY window_no;

-- name: portable_downloads
-- Every download attempt in time order (as queries/downloads.sql, without client_class), each citing its
-- first and last evidence line (the same line for a single transfer); portable_download_lines lists them all.
SELECT d.*,
       CAST(row_number() OVER (ORDER BY time, client NULLS LAST, user_agent NULLS LAST, kind) AS BIGINT)
           AS download_no
FROM portable_downloads d
ORDER BY time, client NULLS LAST, user_agent NULLS LAST, kind;

-- name: portable_download_lines
-- Every evidence line a download rests on (the `lines` list of queries/downloads.sql, one row each):
-- the download's time, client, user agent and kind, then part_no (1-based, in time order) and the line.
WITH single_lines AS (
    SELECT ts_utc AS time, client, user_agent, 'single' AS kind, CAST(1 AS BIGINT) AS part_no, evidence_id, line_no
    FROM portable_transfers
    WHERE status = 200
), range_lines AS (
    SELECT g.time, p.client, p.user_agent, 'range' AS kind, CAST(p.pos_first AS BIGINT) AS part_no,
           p.evidence_id, p.line_no
    FROM portable_range_parts p
    JOIN (SELECT client, user_agent, grp, max(ts_utc) AS time
          FROM portable_range_parts
          GROUP BY client, user_agent, grp) AS g
      ON g.client IS NOT DISTINCT FROM p.client AND g.user_agent IS NOT DISTINCT FROM p.user_agent
     AND g.grp = p.grp
), all_lines AS (
    SELECT * FROM single_lines
    UNION ALL
    SELECT * FROM range_lines
)
SELECT * FROM all_lines
ORDER BY time, client NULLS LAST, user_agent NULLS LAST, kind, part_no;
