-- THE DOWNLOAD RULE (queries/downloads_rule.sql) in a second dialect: windows and downloads of one target over
-- a Parquet export (`exposure export --parquet DIR`), in SQL that both Spark SQL and DuckDB run unchanged: no
-- getvariable, no macros, no lists or structs, no arg_max; ties are broken with row_number() and every ORDER BY
-- says where NULLs go. Read downloads_rule.sql for what each step means: this file follows it block by block.
-- `make test-spark` checks that the case, DuckDB over the export and Spark over the export give the same
-- windows and downloads, and tests/test_parity.py that DuckDB over the export gives the case's, for every format.
--
-- Identifiers are double-quoted ANSI identifiers (the ECS names hold dots and '@'): on Spark set
-- spark.sql.ansi.enabled=true and spark.sql.ansi.doubleQuotedIdentifiers=true. Run the blocks in file order.
-- The caller provides three tables or views (exposure/portable.py does, for DuckDB and for Spark):
--   ecs_requests   the export, read with its Hive partitions (Spark: spark.read.parquet(DIR)); each row carries
--                  its file's facts (exposure.bytes_meaning, exposure.exact_size, exposure.exact_length_field,
--                  exposure.paths_case_insensitive) and, for a later copy of an overlapping line, the line it
--                  repeats (exposure.repeats_evidence_id): such rows are left out, as the case leaves them out;
--                  exposure.stray_time marks a stray time (a broken clock's 1970), never the evidence's start;
--                  exposure.sent_count a body count Apache's %b may have written, no completion flag (each the
--                  rule's own macro over the row: rule_stray_time, rule_sent_count)
--   target_params  one row: target_path (decoded), target_alt (as given), target_host (or NULL),
--                  size (BIGINT, NULL = inferred per window), range_gap_minutes (INT)
--   client_info    client, internal (BOOLEAN): the --internal flag per address (may be empty); written
--                  after portable_target_clients, as the case writes its own client_info
-- Parameters travel as data in target_params, never as SQL text.
-- The views are plain views; an engine that re-runs a view at every reference may materialise each one as it
-- is created, under the same name (exposure/portable.py: CACHED). Not here: client_class (ua_class).
-- The rule's constants are written as their macros give them (tests/test_portable.py checks each):
-- opening_reach() INTERVAL '1' HOUR, redirect_statuses() 301/302/303/307/308, refusal_statuses() 401/403/451,
-- refused_addresses_needed() 2.

-- name: portable_target_raw
-- The target's requests with the case's column names (one scan of the export): its path as decoded or as
-- given, or equal but for case where the file's paths are case-insensitive; exact_size is rule_exact_size's (export).
CREATE OR REPLACE TEMPORARY VIEW portable_target_raw AS
SELECT r."exposure.evidence_id" AS evidence_id, r."log.file.line" AS line_no, r."@timestamp" AS ts_utc,
       r."source.address" AS client, r."http.request.method" AS method, r."url.path" AS path,
       r."http.response.status_code" AS status, r."http.response.body.bytes" AS bytes,
       r."exposure.bytes_meaning" AS bytes_meaning, r."exposure.bytes_known" AS bytes_known,
       r."exposure.exact_size" AS exact_size,
       -- the offsets as the rule reads them: none where a copy's cut fell in them (the export's
       -- exposure.offsets_known: the case's rule_offsets_known)
       CASE WHEN r."exposure.offsets_known" THEN r."exposure.range_start" END AS range_start,
       CASE WHEN r."exposure.offsets_known" THEN r."exposure.range_end" END AS range_end,
       -- rule_completion: a client-closed response (nginx 499, rule_client_closed) is aborted whatever the flag
       -- an error result ('error', rule_never_complete) is judged as a line without a flag, then never complete
       CASE WHEN r."http.response.status_code" = 499 THEN 'aborted'
            WHEN r."exposure.completion" IN ('error', 'origin_error') THEN NULL ELSE r."exposure.completion" END
           AS completion,
       -- rule_error_result: 'error', and 'origin_error' (CloudFront's detailed type names an origin failure)
       coalesce(r."exposure.completion" IN ('error', 'origin_error'), false) AS error_result,
       -- rule_error_page: an error result answering 200, a custom error page at the file's path: unavailable
       coalesce(r."exposure.completion" = 'error' AND r."http.response.status_code" = 200, false) AS error_page,
       r."user_agent.original" AS user_agent,
       -- rule_sent_count: a body count Apache's %b may have written, no completion flag (the export's
       -- exposure.sent_count, the rule's own macro over the row)
       r."exposure.sent_count" AS sent_count
FROM ecs_requests r
CROSS JOIN target_params p
WHERE r."exposure.repeats_evidence_id" IS NULL
  AND (p.target_host IS NULL OR r."url.domain" IS NULL
       -- the host test of queries/target.sql: without port, brackets, trailing dot and case
       OR lower(TRIM(TRAILING '.' FROM CASE WHEN substr(r."url.domain", 1, 1) = '[' THEN split_part(substr(r."url.domain", 2), ']', 1)
                 WHEN length(r."url.domain") - length(replace(r."url.domain", ':', '')) = 1 THEN split_part(r."url.domain", ':', 1)
                 ELSE r."url.domain" END)) = lower(TRIM(TRAILING '.' FROM p.target_host)))
  AND (r."url.path" = p.target_path OR r."url.path" = p.target_alt
       OR (r."exposure.paths_case_insensitive" AND lower(r."url.path") = lower(p.target_path)));

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

-- rule_events: u_seen numbers the runs (a window's available responses share one, its closing response has the next)
CREATE OR REPLACE TEMPORARY VIEW portable_events AS
-- rule_available: 200/206/304 and a 499 (the client closed the connection) with a known count above 0 (rare:
-- nginx logs 499 only before a response status was set or a byte written; read as a begun response, an inference)
-- to a GET or HEAD, or a line naming no method (rule_reads_file: an OPTIONS, PUT or POST answered 200, or S3's
-- REST.GET.ACL, shows no file; a POST or OPTIONS 499 is an error, neither window nor download)
-- rule_unavailable: 404, 410 and a custom error page answering 200 (error_page), which is never available
SELECT t.*, CASE WHEN status IN (404, 410) OR error_page THEN 'U' ELSE 'A' END AS kind,
       -- sized: a count that may vote for a size (rule_windows' numbered: some bytes, and known)
       coalesce(bytes > 0 AND bytes_known, false) AS sized,
       sum(CASE WHEN status IN (404, 410) OR error_page THEN 1 ELSE 0 END)
           OVER (ORDER BY ts_utc, evidence_id, line_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS u_seen
FROM portable_target_requests t
WHERE status IN (404, 410) OR error_page
   OR ((method IS NULL OR method IN ('GET', 'HEAD'))
       AND (status IN (200, 206, 304) OR (status = 499 AND bytes_known AND bytes > 0)));

-- per window (grp): the largest header-only response whose count includes headers (HEAD answered 200, a 304),
-- and whether any of its counts include headers (rule_windows' win)
CREATE OR REPLACE TEMPORARY VIEW portable_window_headers AS
SELECT u_seen AS grp,
       max(CASE WHEN bytes_meaning = 'headers+body' AND sized
                 AND (status = 304 OR (status = 200 AND method = 'HEAD')) THEN bytes END) AS header_only,
       max(CASE WHEN bytes_meaning = 'headers+body' AND sized AND status = 200 AND method = 'HEAD'
                THEN bytes END) AS head_only,
       max(CASE WHEN bytes_meaning = 'headers+body' THEN 1 ELSE 0 END) AS with_headers
FROM portable_events
WHERE kind = 'A'
GROUP BY u_seen;

-- per window: the most common exact length (the larger on a tie) and every length its GETs state (least, most,
-- how many: two or more, the file changed while available)
CREATE OR REPLACE TEMPORARY VIEW portable_exact_sizes AS
WITH exact_votes AS (
    SELECT u_seen AS grp, exact_size, count(*) AS n
    FROM portable_events
    WHERE kind = 'A' AND method = 'GET' AND exact_size > 0
    GROUP BY u_seen, exact_size
), exact_sizes AS (  -- the most votes wins, the larger on a tie
    SELECT grp, exact_size AS exact_bytes, votes_max, votes_sum
    FROM (SELECT v.*, row_number() OVER (PARTITION BY grp ORDER BY n DESC, exact_size DESC) AS pos,
                 max(n) OVER (PARTITION BY grp) AS votes_max, sum(n) OVER (PARTITION BY grp) AS votes_sum
          FROM exact_votes v) AS ranked
    WHERE pos = 1
)
SELECT x.*, l.lengths_least, l.lengths_most, l.lengths_count
FROM exact_sizes x
JOIN (SELECT grp, min(exact_size) AS lengths_least, max(exact_size) AS lengths_most, count(*) AS lengths_count
      FROM exact_votes GROUP BY grp) AS l ON l.grp = x.grp;

-- the complete-transfer band per window (grp) and length (blen: rule_band_length, 0 the window's own band; a
-- response stating another length than the window's most common is banded with the others of its length)
CREATE OR REPLACE TEMPORARY VIEW portable_bands AS
WITH band_rows AS (
    SELECT e.u_seen AS grp,
           CASE WHEN e.exact_size IS NOT NULL AND e.exact_size <> coalesce(x.exact_bytes, -1)
                THEN e.exact_size ELSE 0 END AS blen,
           e.bytes
    FROM portable_events e
    JOIN portable_window_headers w ON w.grp = e.u_seen
    LEFT JOIN portable_exact_sizes x ON x.grp = e.u_seen
    WHERE e.kind = 'A' AND e.status = 200 AND e.method = 'GET' AND e.sized
      AND e.bytes_meaning = 'headers+body'
      AND e.bytes > coalesce(e.exact_size, 0) AND coalesce(e.completion, '') <> 'aborted'
      -- a count not above the window's header-only responses (HEAD, 304) carried no body: never the band's
      AND e.bytes > coalesce(w.header_only, 0)
), band_counted AS (
    SELECT r.*,
           count(*) OVER (PARTITION BY grp, blen ORDER BY bytes
                          RANGE BETWEEN CURRENT ROW AND 2048 FOLLOWING) AS in_band,
           count(*) OVER (PARTITION BY grp, blen) AS sample
    FROM band_rows r
), band_start AS (  -- the densest 2 KiB of counts (the higher on a tie)
    SELECT grp, blen, bytes AS lo, sample
    FROM (SELECT b.*, row_number() OVER (PARTITION BY grp, blen ORDER BY in_band DESC, bytes DESC) AS pos
          FROM band_counted b) AS ranked
    WHERE pos = 1
), band_counts AS (
    SELECT r.grp, r.blen, r.bytes, count(*) AS n
    FROM band_rows r JOIN band_start s ON s.grp = r.grp AND s.blen = r.blen
    WHERE r.bytes BETWEEN s.lo AND s.lo + 2048
    GROUP BY r.grp, r.blen, r.bytes
), band_values AS (  -- islands: a new one where the next count is more than 256 bytes higher
    SELECT grp, blen, bytes, n,
           sum(CASE WHEN bytes - prev > 256 THEN 1 ELSE 0 END)
               OVER (PARTITION BY grp, blen ORDER BY bytes ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island
    FROM (SELECT c.*, lag(bytes) OVER (PARTITION BY grp, blen ORDER BY bytes) AS prev FROM band_counts c) AS stepped
), band_mode AS (  -- the island holding the most transfers (the higher on a tie)
    SELECT grp, blen, island
    FROM (SELECT i.*, row_number() OVER (PARTITION BY grp, blen ORDER BY n DESC, island DESC) AS pos
          FROM (SELECT grp, blen, island, sum(n) AS n FROM band_values GROUP BY grp, blen, island) AS i) AS ranked
    WHERE pos = 1
), band_runs AS (  -- its counts in runs: a new one where the next count is more than 64 bytes higher
    SELECT grp, blen, bytes, n,
           sum(CASE WHEN bytes - prev > 64 THEN 1 ELSE 0 END)
               OVER (PARTITION BY grp, blen ORDER BY bytes ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run
    FROM (SELECT v.grp, v.blen, v.bytes, v.n, lag(v.bytes) OVER (PARTITION BY v.grp, v.blen ORDER BY v.bytes) AS prev
          FROM band_values v JOIN band_mode m ON m.grp = v.grp AND m.blen = v.blen AND m.island = v.island) AS stepped
), band_edge AS (  -- the run holding the most transfers (the higher on a tie): its lowest count is the edge; the
    -- floor the island's lowest count, at most 256 bytes below the edge (band_below_reach: a count from it up to
    -- the edge undetermined, band_below)
    SELECT grp, blen, lo AS band_bytes, greatest(floor_lo, lo - 256) AS band_floor
    FROM (SELECT r.*, row_number() OVER (PARTITION BY grp, blen ORDER BY n DESC, lo DESC) AS pos,
                 min(lo) OVER (PARTITION BY grp, blen) AS floor_lo
          FROM (SELECT grp, blen, run, min(bytes) AS lo, sum(n) AS n FROM band_runs GROUP BY grp, blen, run) AS r)
          AS ranked
    WHERE pos = 1
)
SELECT e.grp, e.blen, e.band_bytes, e.band_floor, s.sample, sum(v.n) AS votes
FROM band_edge e
JOIN band_start s ON s.grp = e.grp AND s.blen = e.blen
JOIN band_values v ON v.grp = e.grp AND v.blen = e.blen AND v.bytes >= e.band_bytes
GROUP BY e.grp, e.blen, e.band_bytes, e.band_floor, s.sample;

CREATE OR REPLACE TEMPORARY VIEW portable_windows AS
WITH available AS (
    SELECT e.*,
           row_number() OVER (PARTITION BY u_seen ORDER BY ts_utc, evidence_id, line_no) AS pos_first,
           row_number() OVER (PARTITION BY u_seen ORDER BY ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_last
    FROM portable_events e
    WHERE kind = 'A'
), win_lines AS (
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
), win AS (
    SELECT w.*, h.header_only, h.head_only, h.with_headers FROM win_lines w JOIN portable_window_headers h ON h.grp = w.grp
), closing AS (    -- each unavailable response starts the next run, so it is the only one with its number
    SELECT u_seen AS grp, ts_utc, evidence_id, line_no FROM portable_events WHERE kind = 'U'
), common_votes AS (  -- each body count: its responses, and how many addresses logged it
    SELECT u_seen AS grp, bytes, count(*) AS n, count(DISTINCT client) AS addresses
    FROM portable_events
    WHERE kind = 'A' AND status = 200 AND method = 'GET' AND sized AND bytes_meaning = 'body'
    GROUP BY u_seen, bytes
), common_sizes AS (
    -- rule_size_repeated (queries/downloads_rule.sql): the largest count two or more addresses logged, else the
    -- most common (the larger on a tie)
    SELECT grp, bytes AS common_bytes, n AS votes_max, votes_sum, addresses, largest_count
    FROM (SELECT v.*, max(bytes) OVER (PARTITION BY grp) AS largest_count,
                 row_number() OVER (PARTITION BY grp ORDER BY CASE WHEN addresses >= 2 THEN 1 ELSE 0 END DESC,
                                                              CASE WHEN addresses >= 2 THEN bytes END DESC,
                                                              n DESC, bytes DESC) AS pos,
                 sum(n) OVER (PARTITION BY grp) AS votes_sum
          FROM common_votes v) AS ranked
    WHERE pos = 1
), common_rivals AS (
    -- rule_sizes_in_doubt: the counts two or more addresses logged, each by as many addresses as the size taken or
    -- more (the taken one too, where it is such a count): two or more, the size is in doubt
    SELECT c.grp, count(*) AS rivals
    FROM common_sizes c JOIN common_votes o ON o.grp = c.grp AND o.addresses >= 2 AND o.addresses >= c.addresses
    GROUP BY c.grp
), log_start AS (  -- the evidence's first request, its stray times aside (exposure.stray_time: rule_evidence_start)
    SELECT min("@timestamp") AS t0 FROM ecs_requests WHERE NOT coalesce("exposure.stray_time", false)
), sized AS (
    SELECT w.*, c.ts_utc AS first_unavailable, c.evidence_id AS unavailable_evidence_id,
           c.line_no AS unavailable_line_no, p.size AS given_size,
           coalesce(p.size, x.exact_bytes, m.common_bytes) AS body_size,
           b.band_bytes, b.band_floor,
           CASE WHEN w.with_headers = 1 THEN coalesce(w.header_only, 1024) END AS header_bytes,
           -- a part's header allowance in a band_sum sum: the most a 206's headers may take (rule_part_headers in
           -- queries/downloads_rule.sql): the 200's (band less the given, else exact, size) or a measured HEAD
           -- answered 200 (never a 304: it carries fewer headers than a 206), each plus 38 bytes and three numbers of
           -- the size's digits (part_headers_more), the greatest; else 1024
           CASE WHEN w.with_headers = 1 THEN
                coalesce(greatest(CASE WHEN b.band_bytes > coalesce(p.size, x.exact_bytes)
                                       THEN b.band_bytes - coalesce(p.size, x.exact_bytes) + 38
                                            + 3 * length(CAST(coalesce(p.size, x.exact_bytes) AS STRING)) END,
                                  w.head_only + 38 + 3 * coalesce(length(CAST(coalesce(p.size, x.exact_bytes,
                                                                                          b.band_bytes) AS STRING)), 19)),
                         1024) END AS part_headers,
           CASE WHEN p.size IS NOT NULL THEN NULL WHEN x.exact_bytes IS NOT NULL THEN x.votes_max
                WHEN m.common_bytes IS NOT NULL THEN m.votes_max ELSE b.votes END AS size_votes,
           CASE WHEN p.size IS NOT NULL THEN NULL WHEN x.exact_bytes IS NOT NULL THEN x.votes_sum
                WHEN m.common_bytes IS NOT NULL THEN m.votes_sum ELSE b.sample END AS size_sample,
           CASE WHEN p.size IS NOT NULL THEN 'given'
                WHEN x.exact_bytes IS NOT NULL THEN 'object_size'
                WHEN m.common_bytes IS NOT NULL THEN 'most_common' END AS body_rule,
           x.lengths_least, x.lengths_most, x.lengths_count, r.rivals, m.addresses AS size_addresses, m.largest_count
    FROM win w
    CROSS JOIN target_params p
    LEFT JOIN closing c ON c.grp = w.grp + 1
    LEFT JOIN portable_exact_sizes x ON x.grp = w.grp
    LEFT JOIN common_sizes m ON m.grp = w.grp
    LEFT JOIN common_rivals r ON r.grp = w.grp
    LEFT JOIN portable_bands b ON b.grp = w.grp AND b.blen = 0
)
SELECT grp,
       CAST(row_number() OVER (ORDER BY first_available, grp) AS BIGINT) AS window_no,
       first_available, last_available, first_unavailable,
       first_available < (SELECT t0 FROM log_start) + INTERVAL '1' HOUR AS open_at_log_start,
       -- rule_windows unseen_from: from when the window may have been online unseen, for gaps: opening_reach()
       -- (1 hour) before its first available response, never before the previous window's first unavailable one
       greatest(first_available - INTERVAL '1' HOUR,
                lag(first_unavailable) OVER (ORDER BY first_available, grp)) AS unseen_from,
       CAST(coalesce(body_size, band_bytes) AS BIGINT) AS size_bytes,
       given_size IS NULL AS size_inferred,
       CAST(size_votes AS BIGINT) AS size_votes, CAST(size_sample AS BIGINT) AS size_sample,
       CASE WHEN body_rule IS NOT NULL AND band_bytes IS NOT NULL THEN concat(body_rule, '+band')
            ELSE coalesce(body_rule, CASE WHEN band_bytes IS NOT NULL THEN 'band' END) END AS size_rule,
       CAST(band_bytes AS BIGINT) AS band_bytes, CAST(band_floor AS BIGINT) AS band_floor,
       CAST(body_size AS BIGINT) AS body_size,
       CAST(header_bytes AS BIGINT) AS header_bytes, CAST(part_headers AS BIGINT) AS part_headers,
       CAST(available_responses AS BIGINT) AS available_responses,
       first_evidence_id, first_line_no, last_evidence_id, last_line_no,
       unavailable_evidence_id, unavailable_line_no,
       -- the lengths the window's GETs state: smallest, largest, how many (two or more: the file changed)
       lengths_least, lengths_most, lengths_count,
       -- rule_sizes_in_doubt: another body count two or more addresses logged, by as many addresses as the size
       -- inferred from them
       coalesce(body_rule = 'most_common' AND (rivals > 1 OR largest_count > body_size), false) AS size_in_doubt,
       -- rule_counts_in_doubt: where the size is in doubt, how many addresses logged the size taken; a smaller
       -- count logged by as many is one the doubt rivals (never judged partial)
       CAST(CASE WHEN body_rule = 'most_common' AND size_addresses >= 2 THEN size_addresses END AS BIGINT)
           AS doubt_addresses
FROM sized;

-- GET 200 and 206 responses, and 499s with bytes (rule_transfer), with the window they belong to
CREATE OR REPLACE TEMPORARY VIEW portable_transfers AS
SELECT e.*, w.window_no, w.body_size,
       -- the complete-transfer band of the response's own length (portable_bands: the window's, blen 0, unless
       -- it states another length)
       coalesce(lb.band_bytes, w.band_bytes) AS band_bytes, coalesce(lb.band_floor, w.band_floor) AS band_floor,
       w.header_bytes, w.part_headers, w.lengths_least, w.lengths_most, w.lengths_count,
       -- rule_never_complete: a response stating a length other than the window's own (the given size, else its
       -- most common one; length_bands: every other length, with its band or none), or an error result the log
       -- marks (error_result)
       coalesce(e.exact_size > 0 AND e.exact_size <> coalesce(p.size, x.exact_bytes), false) OR e.error_result
           AS never_complete,
       -- rule_counts_in_doubt: a smaller body count the window's size in doubt rivals (as many addresses logged it)
       coalesce(e.bytes < w.body_size AND cv.addresses >= w.doubt_addresses, false) AS count_in_doubt
FROM portable_events e
CROSS JOIN target_params p
JOIN portable_windows w ON w.grp = e.u_seen
LEFT JOIN (SELECT u_seen AS grp, bytes, count(DISTINCT client) AS addresses FROM portable_events
           WHERE kind = 'A' AND status = 200 AND method = 'GET' AND sized AND bytes_meaning = 'body'
           GROUP BY u_seen, bytes) cv ON cv.grp = e.u_seen AND cv.bytes = e.bytes
LEFT JOIN portable_exact_sizes x ON x.grp = e.u_seen
LEFT JOIN portable_bands lb ON lb.grp = e.u_seen AND lb.blen > 0 AND lb.blen = e.exact_size
WHERE e.method = 'GET' AND e.status <> 304 AND e.kind = 'A';

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
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rgrp
    FROM part
), delivered AS (
    -- rule_range_upto (downloads_rule.sql): the last offset the part surely delivered; to its logged end only
    -- where it went out in full (not aborted, its count reaching the part's length), else from its start as
    -- many body bytes as its count holds (less part_headers, never a 304's header_bytes), never its last byte
    -- where aborted; NULL where it surely delivered none
    SELECT grouped.*,
           CASE WHEN coalesce(completion, '') <> 'aborted'
                     AND (NOT bytes_known
                          OR CASE WHEN bytes_meaning = 'headers+body'
                                  THEN coalesce(bytes, 0) > range_end - range_start + 1
                                  ELSE coalesce(bytes, 0) >= range_end - range_start + 1 END)
                THEN range_end
                ELSE nullif(greatest(range_start - 1 + least(range_end - range_start,
                                         CASE WHEN bytes_known THEN coalesce(bytes, 0)
                                              - CASE WHEN bytes_meaning = 'headers+body'
                                                     THEN coalesce(part_headers, 1024) ELSE 0 END
                                              ELSE 0 END),
                                     range_start - 1), range_start - 1) END AS range_upto
    FROM grouped
), islands AS (
    SELECT delivered.*,
           CASE WHEN range_upto IS NOT NULL
                     AND range_start > max(range_upto) OVER (PARTITION BY client, coalesce(user_agent, ''), rgrp
                                                             ORDER BY range_start NULLS LAST, range_upto NULLS LAST
                                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                THEN 1 ELSE 0 END AS new_island
    FROM delivered
)
SELECT islands.*,
       sum(new_island) OVER (PARTITION BY client, coalesce(user_agent, ''), rgrp
                             ORDER BY range_start NULLS LAST, range_upto NULLS LAST
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS island,
       row_number() OVER (PARTITION BY client, user_agent, rgrp
                          ORDER BY ts_utc, evidence_id, line_no) AS pos_first,
       row_number() OVER (PARTITION BY client, user_agent, rgrp
                          ORDER BY ts_utc DESC, evidence_id DESC, line_no DESC) AS pos_last
FROM islands;

-- Every GET answered 200 is a single transfer; each range group is one attempt, counted at its last part.
CREATE OR REPLACE TEMPORARY VIEW portable_downloads AS
WITH single_rules AS (
    SELECT t.ts_utc AS time, t.client, t.user_agent, t.internal, t.window_no, t.completion, t.exact_size,
           t.band_bytes, t.band_floor, t.never_complete, t.count_in_doubt, t.sent_count AS on_sent_count,
           'single' AS kind, t.bytes_meaning = 'headers+body' AS with_headers, p.size AS given_size,
           CAST(CASE WHEN t.bytes_known THEN coalesce(t.bytes, 0) END AS BIGINT) AS bytes_delivered,
           CAST(1 AS BIGINT) AS parts,
           CASE WHEN t.bytes_meaning = 'headers+body' THEN
                    CASE WHEN t.exact_size IS NOT NULL AND coalesce(t.bytes, 0) <= t.exact_size THEN 'object_size'
                         -- rule_band_below: from the band's floor up to its edge, judged by the band: undetermined
                         WHEN t.bytes_known AND t.bytes >= t.band_floor AND t.bytes < t.band_bytes
                              AND p.size IS NULL AND t.completion IS NULL
                         THEN 'band_below'
                         WHEN t.completion IS NOT NULL THEN 'completion'
                         WHEN p.size IS NOT NULL THEN 'given' ELSE 'band' END
                -- rule_above_size: more body bytes than the file holds, never the file: undetermined
                WHEN t.bytes_known AND t.bytes > CASE WHEN t.exact_size IS NOT NULL AND t.bytes IS NOT NULL
                                                      THEN t.exact_size ELSE t.body_size END
                THEN 'above_size'
                WHEN t.exact_size IS NOT NULL AND t.bytes IS NOT NULL THEN 'object_size'
                WHEN t.completion IS NOT NULL THEN 'completion'
                WHEN p.size IS NOT NULL THEN 'given' ELSE 'most_common' END AS size_rule,
           CAST(CASE WHEN t.bytes_meaning = 'headers+body' THEN
                         CASE WHEN t.exact_size IS NOT NULL AND coalesce(t.bytes, 0) <= t.exact_size THEN t.exact_size
                              WHEN p.size IS NOT NULL THEN p.size ELSE t.band_bytes END
                     WHEN t.exact_size IS NOT NULL AND t.bytes IS NOT NULL THEN t.exact_size
                     ELSE t.body_size END AS BIGINT) AS size_bytes,
           t.evidence_id AS first_evidence_id, t.line_no AS first_line_no,
           t.evidence_id AS last_evidence_id, t.line_no AS last_line_no
    FROM portable_transfers t
    CROSS JOIN target_params p
    WHERE t.status <> 206   -- 200, and a 499 with bytes
), single AS (
    SELECT time, client, user_agent, internal, window_no, size_bytes, kind, bytes_delivered, parts, size_rule,
           -- rule_reaches: a count with headers reaches a body size (exact or given) only above it. An aborted
           -- transfer is never complete (rule_aborted_outcome): no count, partial; a count with headers
           -- undetermined where it reaches the band's floor and the given (else exact) size by a byte of headers
           -- (the larger of the known ones), partial below, neither known undetermined; a body count partial only
           -- short of size_bytes, none undetermined
           CASE WHEN completion = 'aborted' THEN
                    CASE WHEN bytes_delivered IS NULL THEN false
                         WHEN with_headers THEN
                              CASE WHEN band_floor IS NULL AND coalesce(given_size, exact_size) IS NULL THEN NULL
                                   WHEN bytes_delivered >= greatest(
                                            coalesce(band_floor, coalesce(given_size, exact_size) + 1),
                                            coalesce(coalesce(given_size, exact_size) + 1, band_floor)) THEN NULL
                                   ELSE false END
                         WHEN size_bytes IS NULL OR bytes_delivered >= size_bytes THEN NULL
                         ELSE false END
                WHEN size_rule = 'band_below' THEN NULL
                WHEN size_rule = 'above_size' THEN NULL
                -- rule_counts_in_doubt: a count the size in doubt rivals: undetermined, never partial
                WHEN size_rule = 'most_common' AND count_in_doubt THEN NULL
                WHEN size_rule = 'object_size' THEN
                    CASE WHEN with_headers THEN bytes_delivered > size_bytes ELSE bytes_delivered >= size_bytes END
                -- a count from the band's floor up to its edge that the log's own flag calls complete: complete
                WHEN size_rule = 'completion' THEN completion = 'complete' AND (bytes_delivered IS NULL
                    OR CASE WHEN with_headers AND given_size IS NOT NULL THEN bytes_delivered > size_bytes
                            ELSE bytes_delivered >= size_bytes END
                    OR (with_headers AND given_size IS NULL
                        AND bytes_delivered >= band_floor AND bytes_delivered < band_bytes))
                WHEN size_bytes IS NULL THEN NULL
                WHEN with_headers AND size_rule = 'given' THEN bytes_delivered > size_bytes
                ELSE bytes_delivered >= size_bytes END
           -- rule_never_complete: AND NULL turns complete into undetermined and leaves partial (false) and
           -- undetermined (NULL) as they are
           AND (NOT never_complete OR NULL) AS is_complete,
           false AS sum_inferred, on_sent_count,
           first_evidence_id, first_line_no, last_evidence_id, last_line_no
    FROM single_rules
), ranged AS (
    SELECT client, user_agent, rgrp,
           max(ts_utc) AS time,
           max(CASE WHEN internal THEN 1 ELSE 0 END) = 1 AS internal,
           max(CASE WHEN pos_last = 1 THEN window_no END) AS window_no,
           -- the last part's window's figures, even where it has none (never an earlier window's size)
           max(CASE WHEN pos_last = 1 THEN body_size END) AS body_size,
           max(CASE WHEN pos_last = 1 THEN band_bytes END) AS band_bytes,
           max(CASE WHEN pos_last = 1 THEN band_floor END) AS band_floor,
           max(CASE WHEN pos_last = 1 THEN part_headers END) AS part_headers,
           max(CASE WHEN pos_last = 1 THEN lengths_least END) AS lengths_least,
           max(CASE WHEN pos_last = 1 THEN lengths_most END) AS lengths_most,
           max(CASE WHEN pos_last = 1 THEN lengths_count END) AS lengths_count,
           max(exact_size) AS exact_size,
           -- every part's line a sent count (rule_complete_on_sent_counts: bool_and over the download's lines)
           min(CASE WHEN sent_count THEN 1 ELSE 0 END) = 1 AS on_sent_count,
           -- a part the log marks an error result (rule_never_complete)
           max(CASE WHEN never_complete THEN 1 ELSE 0 END) = 1 AS never_complete,
           CASE WHEN min(CASE WHEN bytes_known THEN 1 ELSE 0 END) = 1 THEN sum(coalesce(bytes, 0)) END AS bytes_sum,
           max(bytes) AS largest_part,
           min(CASE WHEN range_start IS NOT NULL AND range_end IS NOT NULL THEN 1 ELSE 0 END) = 1 AS has_offsets,
           max(CASE WHEN range_start IS NOT NULL AND range_end IS NOT NULL THEN 1 ELSE 0 END) = 1 AS some_offsets,
           -- the most the parts can have delivered beyond the union of what they surely delivered (the case's
           -- beyond_most, rule_body_most: a count less one byte for headers where it includes them)
           CASE WHEN min(CASE WHEN bytes_known OR (range_start IS NOT NULL AND range_end IS NOT NULL) THEN 1 ELSE 0
                              END) = 1
                THEN sum(CASE WHEN range_start IS NULL OR range_end IS NULL
                              THEN greatest(coalesce(bytes, 0) - CASE WHEN bytes_meaning = 'headers+body' THEN 1
                                                                      ELSE 0 END, 0)
                              ELSE greatest(CASE WHEN bytes_known
                                                 THEN least(range_end, range_start - 1 + greatest(coalesce(bytes, 0)
                                                      - CASE WHEN bytes_meaning = 'headers+body' THEN 1 ELSE 0 END, 0))
                                                 ELSE range_end END - coalesce(range_upto, range_start - 1), 0)
                         END) END AS beyond_most,
           max(CASE WHEN bytes_meaning = 'headers+body' THEN 1 ELSE 0 END) = 1 AS with_headers,
           count(*) AS parts,
           max(CASE WHEN pos_first = 1 THEN evidence_id END) AS first_evidence_id,
           max(CASE WHEN pos_first = 1 THEN line_no END) AS first_line_no,
           max(CASE WHEN pos_last = 1 THEN evidence_id END) AS last_evidence_id,
           max(CASE WHEN pos_last = 1 THEN line_no END) AS last_line_no
    FROM portable_range_parts
    GROUP BY client, user_agent, rgrp
), covered AS (
    SELECT client, user_agent, rgrp, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT client, user_agent, rgrp, island, min(range_start) AS lo, max(range_upto) AS hi
          FROM portable_range_parts
          WHERE range_upto IS NOT NULL
          GROUP BY client, user_agent, rgrp, island) AS island_span
    GROUP BY client, user_agent, rgrp
), range_sized AS (
    SELECT r.*, coalesce(c.union_bytes, 0) AS union_bytes, p.size AS given_size,
           coalesce(p.size, r.exact_size, r.body_size) AS body_bytes,
           -- rule_version_bounds: a group stating no length of its own in a window whose GETs state two or more
           -- is complete only covering the largest, partial only short of the smallest
           CASE WHEN p.size IS NULL AND r.exact_size IS NULL AND r.lengths_count > 1 THEN r.lengths_least
                ELSE coalesce(p.size, r.exact_size, r.body_size) END AS least_bytes,
           CASE WHEN p.size IS NULL AND r.exact_size IS NULL AND r.lengths_count > 1 THEN r.lengths_most
                ELSE coalesce(p.size, r.exact_size, r.body_size) END AS most_bytes,
           -- offsets: every part's, or the known ones already cover the body; mixed: some parts with offsets that
           -- fall short, others without
           CASE WHEN r.has_offsets OR c.union_bytes >= coalesce(p.size, r.exact_size, r.body_size) THEN 'offsets'
                WHEN r.some_offsets THEN 'mixed'
                WHEN r.with_headers THEN 'band_sum' ELSE 'byte_sum' END AS size_rule
    FROM ranged r
    CROSS JOIN target_params p
    LEFT JOIN covered c
      ON c.client IS NOT DISTINCT FROM r.client AND c.user_agent IS NOT DISTINCT FROM r.user_agent
     AND c.rgrp = r.rgrp
), range_judged AS (
    SELECT time, client, user_agent, internal, window_no, least_bytes, most_bytes, never_complete, on_sent_count,
           CAST(CASE WHEN size_rule = 'offsets' THEN coalesce(body_bytes, band_bytes)
                     WHEN size_rule IN ('byte_sum', 'mixed') THEN body_bytes
                     WHEN given_size IS NOT NULL THEN given_size ELSE band_bytes END AS BIGINT) AS size_bytes,
           'range' AS kind,
           -- mixed: the most the parts can have delivered, never more than the body (the case's rule)
           CAST(CASE WHEN size_rule = 'offsets' THEN union_bytes
                     WHEN size_rule = 'mixed' THEN CASE WHEN beyond_most IS NOT NULL THEN least(union_bytes + beyond_most, most_bytes) END
                     ELSE bytes_sum END AS BIGINT) AS bytes_delivered,
           CAST(parts AS BIGINT) AS parts, size_rule,
           CASE WHEN size_rule = 'offsets' THEN
                    -- short of the body: partial only where the most the parts can have delivered falls short too
                    CASE WHEN body_bytes IS NOT NULL THEN
                              CASE WHEN union_bytes >= most_bytes THEN true
                                   WHEN union_bytes + beyond_most < least_bytes THEN false END
                         WHEN band_bytes IS NOT NULL AND union_bytes >= band_bytes THEN true END
                -- some parts with offsets short of the body, others without: never complete by a sum
                WHEN size_rule = 'mixed' THEN CASE WHEN union_bytes + beyond_most < least_bytes THEN false END
                WHEN size_rule = 'byte_sum' THEN CASE WHEN bytes_sum >= most_bytes THEN true
                                                      WHEN bytes_sum < least_bytes THEN false END
                WHEN given_size IS NOT NULL THEN
                    CASE WHEN bytes_sum - parts * part_headers >= given_size THEN true
                         WHEN bytes_sum <= given_size THEN false END
                -- the file changed while available (rule_version_bounds): as against a known size, the largest
                WHEN least_bytes < most_bytes THEN
                    CASE WHEN bytes_sum - parts * part_headers >= most_bytes THEN true
                         WHEN bytes_sum <= least_bytes THEN false END
                -- band_bytes holds a 200's headers: the last part's are those and what a 206 adds (part_headers_more)
                ELSE CASE WHEN bytes_sum - (parts - 1) * part_headers - 38 - 3 * length(CAST(band_bytes AS STRING))
                               >= band_bytes THEN true
                          WHEN bytes_sum < band_floor THEN false END
           END AS is_complete,
           -- complete by a sum without offsets, no part alone the size: an inference (outcome_inferred); a body
           -- count above the size is a multipart/byteranges response (its framing counted), inferred too
           -- (against the size it was judged by: the largest length where the file changed, rule_version_bounds)
           size_rule <> 'offsets' AND NOT coalesce(CASE WHEN size_rule = 'byte_sum' THEN largest_part = most_bytes
                                                        WHEN given_size IS NOT NULL THEN largest_part - part_headers >= given_size
                                                        WHEN least_bytes < most_bytes THEN largest_part - part_headers >= most_bytes
                                                        ELSE largest_part - 38 - 3 * length(CAST(band_bytes AS STRING))
                                                             >= band_bytes END, false) AS sum_inferred,
           first_evidence_id, first_line_no, last_evidence_id, last_line_no
    FROM range_sized
), ranges AS (
    -- what is shown is what was judged: between two lengths the smallest for a partial, else the largest; a group
    -- holding an error result's part never complete (AND NULL turns complete into undetermined)
    SELECT time, client, user_agent, internal, window_no,
           CAST(CASE WHEN least_bytes < most_bytes THEN CASE WHEN NOT is_complete THEN least_bytes ELSE most_bytes END
                     ELSE size_bytes END AS BIGINT) AS size_bytes,
           kind, bytes_delivered, parts, size_rule,
           is_complete AND (NOT never_complete OR NULL) AS is_complete,
           sum_inferred, on_sent_count, first_evidence_id, first_line_no, last_evidence_id, last_line_no
    FROM range_judged
), attempts AS (
    SELECT * FROM single
    UNION ALL
    SELECT * FROM ranges
)
SELECT time, client, user_agent, internal, window_no, size_bytes, kind, bytes_delivered, parts, size_rule,
       CASE WHEN is_complete THEN 'complete' WHEN is_complete IS NULL THEN 'undetermined' ELSE 'partial' END
           AS outcome,
       coalesce(is_complete AND sum_inferred, false) AS outcome_inferred,
       first_evidence_id, first_line_no, last_evidence_id, last_line_no,
       -- every line it rests on a sent count (rule_complete_on_sent_counts)
       on_sent_count
FROM attempts;

-- rule_after_last_available (queries/downloads_rule.sql), for rule_redirects_after and rule_refused_after: per
-- window, the target's responses after its last available response (in the rule's order: ts_utc, evidence_id,
-- line_no) and before its first unavailable one (none: to the logs' end), so never available again in it; those
-- answered with a redirect (redirect_statuses(): 301, 302, 303, 307, 308) and those refused (refusal_statuses():
-- 401, 403, 451), each kind summed with its first response's evidence line; last_open: the target's last window,
-- no 404/410 closing it. A window with none of either kind after it has no row.
CREATE OR REPLACE TEMPORARY VIEW portable_after AS
WITH w AS (
    SELECT window_no, last_available, last_evidence_id, last_line_no, first_unavailable, unavailable_evidence_id,
           unavailable_line_no, first_unavailable IS NULL AND window_no = max(window_no) OVER () AS last_open
    FROM portable_windows
), later AS (
    SELECT r.client, r.internal, r.ts_utc, r.evidence_id, r.line_no, w.window_no, w.last_open,
           CASE WHEN r.status IN (301, 302, 303, 307, 308) THEN 'redirect'
                WHEN r.status IN (401, 403, 451) THEN 'refusal' END AS after_kind
    FROM w
    JOIN portable_target_requests r
      ON (r.ts_utc > w.last_available
          OR (r.ts_utc = w.last_available
              AND (r.evidence_id > w.last_evidence_id
                   OR (r.evidence_id = w.last_evidence_id AND r.line_no > w.last_line_no))))
     AND (w.first_unavailable IS NULL OR r.ts_utc < w.first_unavailable
          OR (r.ts_utc = w.first_unavailable
              AND (r.evidence_id < w.unavailable_evidence_id
                   OR (r.evidence_id = w.unavailable_evidence_id AND r.line_no < w.unavailable_line_no))))
), ranked AS (
    SELECT l.*, row_number() OVER (PARTITION BY window_no, after_kind ORDER BY ts_utc, evidence_id, line_no) AS pos
    FROM later l
    WHERE after_kind IS NOT NULL
)
SELECT window_no, after_kind, max(CASE WHEN last_open THEN 1 ELSE 0 END) = 1 AS last_open,
       CAST(count(*) AS BIGINT) AS responses, CAST(count(DISTINCT client) AS BIGINT) AS addresses,
       CAST(count(DISTINCT CASE WHEN NOT internal THEN client END) AS BIGINT) AS external_addresses,
       min(ts_utc) AS first_at,
       max(CASE WHEN pos = 1 THEN evidence_id END) AS first_evidence_id,
       max(CASE WHEN pos = 1 THEN line_no END) AS first_line_no
FROM ranked
GROUP BY window_no, after_kind;

-- name: portable_windows
-- One row per exposure window (as queries/windows.sql): first/last available response, first unavailable
-- response after it, the sizes used for completeness and the evidence lines that bound it; then what the
-- answer says of the window beside them (its window fields):
--   complete_on_sent_counts   its complete downloads from external addresses every line of which is a body count
--                             Apache's %b may have written, no completion flag (rule_complete_on_sent_counts)
--   refused_after             the first refusal after the last window's last available response, where no
--                             404/410 closes it and refusals went to refused_addresses_needed() (2) external
--                             addresses or more (rule_refused_after: it may have been withdrawn), else NULL
--   redirects_after_*         the redirects after its last available response, never available again in it
--                             (rule_redirects_after): how many responses, from how many addresses, the first's
--                             time and evidence line; NULL where there are none (their statuses: not here)
SELECT w.*, CAST(coalesce(s.on_sent_counts, 0) AS BIGINT) AS complete_on_sent_counts,
       CASE WHEN f.last_open AND f.external_addresses >= 2 THEN f.first_at END AS refused_after,
       d.responses AS redirects_after_responses, d.addresses AS redirects_after_addresses,
       d.first_at AS redirects_after_first, d.first_evidence_id AS redirects_after_evidence_id,
       d.first_line_no AS redirects_after_line_no
FROM portable_windows w
LEFT JOIN (SELECT window_no, sum(CASE WHEN on_sent_count THEN 1 ELSE 0 END) AS on_sent_counts
           FROM portable_downloads
           WHERE outcome = 'complete' AND NOT internal
           GROUP BY window_no) AS s ON s.window_no = w.window_no
LEFT JOIN portable_after d ON d.window_no = w.window_no AND d.after_kind = 'redirect'
LEFT JOIN portable_after f ON f.window_no = w.window_no AND f.after_kind = 'refusal'
ORDER BY w.window_no;

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
    WHERE status <> 206   -- 200, and a 499 with bytes
), range_lines AS (
    SELECT g.time, p.client, p.user_agent, 'range' AS kind, CAST(p.pos_first AS BIGINT) AS part_no,
           p.evidence_id, p.line_no
    FROM portable_range_parts p
    JOIN (SELECT client, user_agent, rgrp, max(ts_utc) AS time
          FROM portable_range_parts
          GROUP BY client, user_agent, rgrp) AS g
      ON g.client IS NOT DISTINCT FROM p.client AND g.user_agent IS NOT DISTINCT FROM p.user_agent
     AND g.rgrp = p.rgrp
), all_lines AS (
    SELECT * FROM single_lines
    UNION ALL
    SELECT * FROM range_lines
)
SELECT * FROM all_lines
ORDER BY time, client NULLS LAST, user_agent NULLS LAST, kind, part_no;
