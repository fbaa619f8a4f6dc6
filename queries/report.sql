-- Queries the report adds to windows/downloads/per_ip/totals/gaps. Run target.sql (target_macros) first
-- for the target_* ones.

-- name: report_target_requests
-- Every request for the target in time order (the timeline chart and the report's table of every request,
-- which backs the HEAD, 304, error and request figures): time, client address, method, status, bytes,
-- whether the client is one of the organisation's own addresses, its evidence (file, line), and cut_field: the
-- field a copy's cut of its file's last line fell in (extra['cut_field'], exposure/lastline.py), else NULL;
-- is_error: counted in totals.errors (if external), by the same macro (rule_error, queries/downloads_rule.sql).
-- needs: target_macros
SELECT ts_utc, client, method, status, bytes, internal, evidence_path, evidence_id, line_no,
       extra['cut_field'] AS cut_field, rule_error(method, status, bytes, bytes_known, completion) AS is_error
FROM target_requests()
ORDER BY ts_utc, evidence_id, line_no;

-- name: report_referrers
-- Referring pages of requests for the target: the Referer header as logged, with the number of requests
-- and of distinct client addresses.
-- needs: target_macros
SELECT referer, count(*) AS requests, count(DISTINCT client) AS clients, min(ts_utc) AS first_seen
FROM target_requests()
WHERE referer IS NOT NULL AND referer <> ''
GROUP BY referer
ORDER BY requests DESC, referer;

-- name: report_rejects
-- Rejected lines grouped by reason: how many, and the first file and line where each reason occurs.
SELECT r.reason, count(*) AS lines,
       arg_min(e.path, (r.evidence_id, r.line_no)) AS first_file,
       arg_min(r.line_no, (r.evidence_id, r.line_no)) AS first_line
FROM rejects r JOIN evidence e USING (evidence_id)
GROUP BY r.reason
ORDER BY lines DESC, r.reason;

-- name: report_cache_status
-- How many requests carry a cache status (a cache or CDN in front of the origin), per status value.
SELECT cache_result, count(*) AS requests
FROM requests
WHERE cache_result IS NOT NULL
GROUP BY cache_result
ORDER BY requests DESC, cache_result;

-- name: report_coverage_streams
-- The coverage of a case of many files (past exposure/report/inventory.py INVENTORY_ROWS) one row per stream: its
-- files read, the first and last of them (in the order of ingest), the first and last time in their lines and the
-- sum of their lines, requests, rejected and skipped lines. Every file's own row is in the register's listing
-- (section 9) and in analysis.json (`evidence`).
SELECT stream, count(*) AS files,
       arg_min(path, evidence_id) AS first_file, arg_max(path, evidence_id) AS last_file,
       strftime(min(first_time), '%Y-%m-%dT%H:%M:%SZ') AS first_time,
       strftime(max(last_time), '%Y-%m-%dT%H:%M:%SZ') AS last_time,
       sum(lines)::BIGINT AS lines, sum(requests)::BIGINT AS requests, sum(rejected)::BIGINT AS rejected,
       sum(skipped)::BIGINT AS skipped
FROM evidence
WHERE verdict = 'ingested'
GROUP BY stream
ORDER BY min(evidence_id);
