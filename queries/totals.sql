-- name: totals
-- The target's headline figures. Every count is of external addresses only (not in --internal), except
-- internal_complete_downloads. distinct_ips = external addresses with at least one complete download.
-- inferred_complete_downloads: of complete_downloads, those complete by a sum of range parts without offsets
-- (outcome_inferred, queries/downloads_rule.sql); inferred_only_ips: of distinct_ips, the addresses counted
-- only through such downloads. fetcher_complete_downloads: of complete_downloads, those by automated fetchers
-- (is_fetcher: web archives, crawlers, link previews, by their user agent; queries/target.sql).
-- cdn_complete_downloads: of complete_downloads, those by a CDN filling its cache from the origin (client class
-- `cdn`: copies that left the origin for the CDN, not a viewer's; queries/cdn.sql says who the CDN served).
-- errors = responses with status >= 400 that do not show the file available (rule_error: an nginx 499 with
-- bytes to a GET is a partial or undetermined download, or a HEAD's header-only response; the report's 'counted in'
-- column reads the same macro). no_method_responses = responses showing the file with its body (200, 206, a 499 with bytes: rule_available, not 304; a line without a method) whose line names no method
-- (a format without %r/%m): never downloads (a GET cannot be told from a HEAD), so they are counted here.
-- needs: target_macros
-- One pass over the downloads and one over the requests (each count a FILTER of it).
WITH d AS (
    SELECT count(*) FILTER (WHERE outcome = 'complete' AND NOT internal) AS complete_downloads,
           count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT internal) AS distinct_ips,
           count(*) FILTER (WHERE outcome = 'complete' AND internal) AS internal_complete_downloads,
           -- of the external complete downloads, those inferred from a sum of range parts (outcome_inferred),
           -- and the addresses counted in distinct_ips only through such downloads
           count(*) FILTER (WHERE outcome = 'complete' AND outcome_inferred AND NOT internal)
               AS inferred_complete_downloads,
           count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT internal)
               - count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT outcome_inferred AND NOT internal)
               AS inferred_only_ips,
           count(*) FILTER (WHERE outcome = 'complete' AND NOT internal AND is_fetcher(client_class))
               AS fetcher_complete_downloads,
           count(*) FILTER (WHERE outcome = 'complete' AND NOT internal AND client_class = 'cdn')
               AS cdn_complete_downloads,
           count(*) FILTER (WHERE outcome = 'partial' AND NOT internal) AS partial_downloads,
           count(*) FILTER (WHERE outcome = 'undetermined' AND NOT internal) AS undetermined_downloads
    FROM target_downloads()
), r AS (
    SELECT count(*) FILTER (WHERE method = 'HEAD' AND NOT internal) AS head_requests,
           count(*) FILTER (WHERE status = 304 AND NOT internal) AS not_modified,
           count(*) FILTER (WHERE rule_error(method, status, bytes, bytes_known) AND NOT internal) AS errors,
           count(*) FILTER (WHERE NOT internal) AS requests,
           count(*) FILTER (WHERE internal) AS internal_requests,
           count(DISTINCT client) FILTER (WHERE NOT internal) AS requesting_ips,
           count(*) FILTER (WHERE method IS NULL AND status <> 304 AND rule_available(method, status, bytes, bytes_known)
                            AND NOT internal) AS no_method_responses
    FROM target_requests()
)
SELECT complete_downloads, distinct_ips, inferred_complete_downloads, inferred_only_ips, fetcher_complete_downloads,
       cdn_complete_downloads,
       internal_complete_downloads, partial_downloads, undetermined_downloads, head_requests, not_modified, errors, requests, internal_requests, requesting_ips, no_method_responses
FROM d, r;
