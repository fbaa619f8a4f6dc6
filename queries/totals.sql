-- name: totals
-- The target's headline figures. Every count is of external addresses only (not in --internal), except
-- internal_complete_downloads. distinct_ips = external addresses with at least one complete download.
-- errors = responses with status >= 400.
-- needs: target_macros
WITH d AS (SELECT * FROM target_downloads()), r AS (SELECT * FROM target_requests())
SELECT
    (SELECT count(*) FROM d WHERE outcome = 'complete' AND NOT internal) AS complete_downloads,
    (SELECT count(DISTINCT client) FROM d WHERE outcome = 'complete' AND NOT internal) AS distinct_ips,
    (SELECT count(*) FROM d WHERE outcome = 'complete' AND internal) AS internal_complete_downloads,
    (SELECT count(*) FROM d WHERE outcome = 'partial' AND NOT internal) AS partial_downloads,
    (SELECT count(*) FROM d WHERE outcome = 'undetermined' AND NOT internal) AS undetermined_downloads,
    (SELECT count(*) FROM r WHERE method = 'HEAD' AND NOT internal) AS head_requests,
    (SELECT count(*) FROM r WHERE status = 304 AND NOT internal) AS not_modified,
    (SELECT count(*) FROM r WHERE status >= 400 AND NOT internal) AS errors,
    (SELECT count(*) FROM r WHERE NOT internal) AS requests,
    (SELECT count(*) FROM r WHERE internal) AS internal_requests,
    (SELECT count(DISTINCT client) FROM r WHERE NOT internal) AS requesting_ips;
