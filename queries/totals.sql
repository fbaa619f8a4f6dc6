-- name: figure_macros
-- The headline figures of a set of requests and of their download attempts, defined once for every door: the
-- answer's totals (below, one target: its requests and downloads) and `files` (queries/files.sql, per file),
-- each an aggregate over the rows it is given (GROUP BY a file, or none), returned as one struct whose fields
-- are the figures' names. Every count is of external addresses only (not in --internal), except
-- internal_complete_downloads and internal_requests.
-- download_figures (over the download rule's downloads, queries/downloads_rule.sql rule_downloads):
--   complete_downloads; distinct_ips = external addresses with at least one complete download;
--   inferred_complete_downloads: of complete_downloads, those complete by a sum of range parts without offsets
--   (outcome_inferred); inferred_only_ips: of distinct_ips, the addresses counted only through such downloads;
--   fetcher_complete_downloads: of complete_downloads, those by automated fetchers (is_fetcher: web archives,
--   crawlers, link previews, by their user agent); cdn_complete_downloads: of complete_downloads, those by a CDN
--   filling its cache from the origin (client class `cdn`: copies that left the origin for the CDN, not a
--   viewer's; queries/cdn.sql says who the CDN served); no_address_complete_downloads: of complete_downloads,
--   those whose line logs no client address (a `-` where the address stands: Apache's `%{X-Forwarded-For}i` in
--   place of `%h` without the header; NULL client), counted as downloads but not in distinct_ips, which counts
--   addresses; internal_complete_downloads, partial_downloads, undetermined_downloads.
-- request_figures (over the requests, the rule's input rows): head_requests, not_modified (304), errors =
--   responses with status >= 400 that do not show the file available (rule_error: an nginx 499 with bytes to a
--   GET is a partial or undetermined download, or a HEAD's header-only response; the report's 'counted in'
--   column reads the same macro), requests, internal_requests, requesting_ips, no_method_responses = responses
--   showing the file with its body (200, 206, a 499 with bytes: rule_available, not 304) whose line names no
--   method (a format without %r/%m): never downloads (a GET cannot be told from a HEAD), so they are counted here.
-- The client class is ua_class's (exposure/clients.py, kept in the case at ingest: agent_classes), 'unknown'
-- for an agent it does not hold.
-- needs: download_rule
-- params: none
-- An automated fetcher: a client whose user agent names it a web archive, a crawler or a link-preview fetcher
-- (ua_class; a claim unless spread's verification says otherwise). The one test of it (spread_fetchers in
-- spread.sql, fetcher_complete_downloads below).
CREATE OR REPLACE TEMP MACRO is_fetcher(client_class) AS client_class IN ('archive', 'crawler', 'link-preview');
CREATE OR REPLACE TEMP MACRO download_figures(outcome, outcome_inferred, internal, client, client_class) AS
    struct_pack(
        complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND NOT internal),
        distinct_ips := count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT internal),
        inferred_complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND outcome_inferred
                                                              AND NOT internal),
        inferred_only_ips := count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT internal)
            - count(DISTINCT client) FILTER (WHERE outcome = 'complete' AND NOT outcome_inferred AND NOT internal),
        fetcher_complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND NOT internal
                                                             AND is_fetcher(client_class)),
        cdn_complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND NOT internal
                                                         AND client_class = 'cdn'),
        no_address_complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND NOT internal
                                                                AND client IS NULL),
        internal_complete_downloads := count(*) FILTER (WHERE outcome = 'complete' AND internal),
        partial_downloads := count(*) FILTER (WHERE outcome = 'partial' AND NOT internal),
        undetermined_downloads := count(*) FILTER (WHERE outcome = 'undetermined' AND NOT internal));
CREATE OR REPLACE TEMP MACRO request_figures(method, status, bytes, bytes_known, completion, internal, client) AS
    struct_pack(
        head_requests := count(*) FILTER (WHERE method = 'HEAD' AND NOT internal),
        not_modified := count(*) FILTER (WHERE status = 304 AND NOT internal),
        errors := count(*) FILTER (WHERE rule_error(method, status, bytes, bytes_known, completion) AND NOT internal),
        requests := count(*) FILTER (WHERE NOT internal),
        internal_requests := count(*) FILTER (WHERE internal),
        requesting_ips := count(DISTINCT client) FILTER (WHERE NOT internal),
        no_method_responses := count(*) FILTER (WHERE method IS NULL AND status <> 304
                                                      AND rule_available(method, status, bytes, bytes_known, completion)
                                                      AND NOT internal));

-- name: totals
-- The target's headline figures (figure_macros above: every field's definition, the one `files` reads too),
-- over its requests and download attempts (its --alias paths' with them). Every count is of external addresses
-- only (not in --internal), except internal_complete_downloads and internal_requests.
-- needs: target_macros, figure_macros
-- One pass over the downloads and one over the requests.
WITH d AS (
    SELECT download_figures(outcome, outcome_inferred, internal, client, client_class) AS f FROM target_downloads()
), r AS (
    SELECT request_figures(method, status, bytes, bytes_known, completion, internal, client) AS f FROM target_requests()
)
SELECT d.f.complete_downloads, d.f.distinct_ips, d.f.inferred_complete_downloads, d.f.inferred_only_ips,
       d.f.fetcher_complete_downloads, d.f.cdn_complete_downloads, d.f.internal_complete_downloads,
       d.f.partial_downloads, d.f.undetermined_downloads, r.f.head_requests, r.f.not_modified, r.f.errors,
       r.f.requests, r.f.internal_requests, r.f.requesting_ips, r.f.no_method_responses,
       d.f.no_address_complete_downloads
FROM d, r;
