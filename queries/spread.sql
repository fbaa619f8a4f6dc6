-- Where a target could have spread: which archives, crawlers and link-preview fetchers took it, who the
-- clients were (class, claimed identity, GeoIP/ASN) and where the downloads were referred from.
-- Needs: totals.sql (figure_macros: is_fetcher) and target.sql (target_macros) run first, and the tables client_info, ua_class and geoip_databases
-- written by `exposure analyse` (Case.prepare): `SELECT * FROM ua_class` shows how each agent was classed.

-- name: client_claims
-- One row per client address and user agent that requested the target: class, claimed operator and
-- whether the claim is verified (the address lies in that operator's shipped published ranges, see
-- exposure/data/crawler_ranges.json), with requests and complete/partial downloads.
-- crawler_verified is NULL when the agent claims no operator (browsers, tools, scanners, unknown).
-- Kept in the temporary table target_claims (client_profiles and spread_fetchers both read it: worked out
-- once per target and client facts).
-- needs: target_macros, client_info, ua_class
CREATE OR REPLACE TEMP TABLE target_claims AS
WITH r AS (
    SELECT client, user_agent, count(*) AS requests, min(ts_utc) AS first_request, max(ts_utc) AS last_request,
           list(DISTINCT status ORDER BY status) AS statuses
    FROM target_requests() GROUP BY ALL
), d AS (
    SELECT client, user_agent,
           count(*) FILTER (WHERE outcome = 'complete') AS complete,
           count(*) FILTER (WHERE outcome = 'partial') AS partial,
           list(time ORDER BY time) FILTER (WHERE outcome = 'complete') AS complete_times
    FROM target_downloads() GROUP BY ALL
)
SELECT r.client, r.user_agent, r.requests, r.first_request, r.last_request, r.statuses,
       coalesce(d.complete, 0) AS complete, coalesce(d.partial, 0) AS partial,
       coalesce(d.complete_times, []) AS complete_times,
       coalesce(uc.client_class, 'unknown') AS client_class, uc.client_name, uc.claimed_operator,
       uc.matched_pattern, uc.crawler_tags,
       CASE WHEN uc.claimed_operator IS NULL THEN NULL
            ELSE coalesce(list_contains(ci.published_ranges, uc.ranges_operator), false) END AS crawler_verified,
       CASE WHEN uc.claimed_operator IS NULL THEN NULL
            WHEN list_contains(ci.published_ranges, uc.ranges_operator)
                THEN 'verified: address in the published ranges of ' || uc.claimed_operator
                     || ' (' || uc.ranges_source || ')'
            WHEN uc.ranges_operator IS NOT NULL
                THEN 'claimed, not verified: address outside the shipped ranges of ' || uc.claimed_operator
                     || ' (' || uc.ranges_source || ')'
            WHEN uc.ranges_source IS NOT NULL   -- an operator that publishes no ranges (or none are shipped)
                THEN 'claimed, not verifiable from logs: ' || uc.claimed_operator || ': ' || uc.ranges_source
            ELSE 'claimed, not verifiable from logs: no published ranges known for ' || uc.claimed_operator END
           AS verification,
       coalesce(ci.internal, false) AS internal, ci.network_type, ci.country, ci.city, ci.accuracy_radius,
       ci.asn, ci.as_org, ci.geo_note
FROM r
LEFT JOIN d ON d.client IS NOT DISTINCT FROM r.client AND d.user_agent IS NOT DISTINCT FROM r.user_agent
LEFT JOIN client_info ci ON ci.client = r.client
LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM r.user_agent;
CREATE OR REPLACE TEMP MACRO client_claims() AS TABLE SELECT * FROM target_claims;

-- name: client_profiles
-- One row per client address that requested the target: network type, GeoIP/ASN facts (with geo_note
-- when a database is older than the requests or the address was not looked up), the class of the agent
-- that took most (complete, then partial downloads, then requests), every class and name it used, and
-- crawler_verified (true when every identity it claimed is verified, NULL when it claimed none).
-- needs: target_macros, client_claims
SELECT client AS client_ip,
       arg_max(client_class, (complete, partial, requests, coalesce(user_agent, ''))) AS client_class,
       list(DISTINCT client_class ORDER BY client_class) AS client_classes,
       list(DISTINCT client_name ORDER BY client_name) FILTER (WHERE client_name IS NOT NULL) AS client_names,
       bool_and(crawler_verified) AS crawler_verified,
       list(DISTINCT verification ORDER BY verification) FILTER (WHERE verification IS NOT NULL) AS verification,
       any_value(network_type) AS network_type, any_value(country) AS country, any_value(city) AS city,
       any_value(accuracy_radius) AS accuracy_radius, any_value(asn) AS asn, any_value(as_org) AS as_org,
       any_value(geo_note) AS geo_note
FROM client_claims()
GROUP BY client
ORDER BY client_ip;

-- name: spread_fetchers
-- Archives, search-engine and other crawlers, and link-preview fetchers that requested the target: per
-- address and user agent, when (first/last request, every complete download) and with what result.
-- A link-preview fetch means someone pasted the link into that app. The claim is verified only when the
-- address lies in the operator's shipped published ranges.
-- needs: target_macros, client_claims
SELECT client_class, client_name, crawler_tags, client AS client_ip, user_agent, crawler_verified, verification,
       first_request, last_request, requests, statuses, complete, partial, complete_times,
       country, asn, as_org, geo_note
FROM client_claims()
WHERE is_fetcher(client_class)
ORDER BY first_request, client_ip, user_agent;

-- name: spread_referrers
-- Referrers of the target's downloads grouped by site (host of the Referer), with a category: the
-- publication's own site (same host as the target or the request's virtual host, or a page these logs
-- serve), a search engine, a social network, a chat web client, webmail, an app, or another site (a news
-- article, a blog, a forum: the pages are listed). Downloads without a referrer form one row with site
-- NULL. The host lists below are exposure's own, kept short on purpose.
-- needs: target_macros
-- params: target_host?
WITH dl AS (
    SELECT download_no, outcome, time, lines FROM target_downloads()
), parts AS (
    SELECT download_no, outcome, time, unnest(lines) AS l FROM dl
), refs AS (
    SELECT p.download_no, p.outcome, p.time, r.referer, r.vhost,
           -- the host as host_key reads a virtual host: an IPv6 address in brackets whole, without them
           host_key(regexp_extract(r.referer, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/@?#]*@)?(\[[^]/?#]*\]|[^/:?#]+)', 1))
               AS host,
           regexp_extract(r.referer, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+(/[^?#]*)', 1) AS ref_path,
           lower(regexp_extract(r.referer, '^([A-Za-z][A-Za-z0-9+.-]*):', 1)) AS scheme
    -- a download's lines are the target's requests, collected once in target_raw (no probe of every request)
    FROM parts p JOIN target_raw r ON r.evidence_id = p.l.evidence_id AND r.line_no = p.l.line_no
), served AS (      -- referrer pages that these logs themselves serve (the publication site)
    SELECT DISTINCT q.path FROM requests q
    WHERE q.path IN (SELECT ref_path FROM refs WHERE ref_path NOT IN ('', '/')) AND q.status BETWEEN 200 AND 399
), classed AS (
    SELECT refs.*,
           CASE WHEN referer IS NULL OR referer = '' THEN NULL
                WHEN scheme = 'android-app' THEN 'app'
                WHEN regexp_full_match(host, '(web\.whatsapp\.com|web\.telegram\.org|(.*\.)?slack\.com|'
                                             || 'teams\.microsoft\.com|teams\.live\.com|(.*\.)?discord(app)?\.com|'
                                             || 'web\.skype\.com|(www\.)?messenger\.com|app\.element\.io)')
                    THEN 'chat web client'
                WHEN regexp_full_match(host, '(mail\.google\.com|outlook\.live\.com|outlook\.office(365)?\.com|'
                                             || 'mail\.yahoo\.com)')
                    THEN 'webmail'
                WHEN regexp_full_match(host, '(.*\.)?(google\.[a-z.]+|bing\.com|duckduckgo\.com|search\.yahoo\.com|'
                                             || 'ecosia\.org|startpage\.com|qwant\.com|yandex\.[a-z]+|baidu\.com)')
                    THEN 'search engine'
                WHEN regexp_full_match(host, '(t\.co|(.*\.)?twitter\.com|(www\.)?x\.com|(.*\.)?facebook\.com|'
                                             || '(.*\.)?linkedin\.com|lnkd\.in|(.*\.)?reddit\.com|'
                                             || '(.*\.)?instagram\.com)')
                    THEN 'social network'
                WHEN host = lower(getvariable('target_host')) OR host = host_key(vhost)
                     OR ref_path IN (SELECT path FROM served)
                    THEN 'publication site'
                ELSE 'other site' END AS category
    FROM refs
), sited AS (
    SELECT download_no, outcome, time, referer,
           CASE WHEN category IS NULL THEN NULL ELSE coalesce(nullif(host, ''), referer) END AS site,
           coalesce(category, 'no referrer') AS category
    FROM classed
)
SELECT site, category,
       count(DISTINCT download_no) AS downloads,
       count(DISTINCT download_no) FILTER (WHERE outcome = 'complete') AS complete,
       min(time) AS first_download, max(time) AS last_download,
       list(DISTINCT referer ORDER BY referer) FILTER (WHERE referer IS NOT NULL AND referer <> '') AS pages
FROM sited
GROUP BY site, category
ORDER BY category = 'no referrer', downloads DESC, site;

-- name: geoip_databases
-- The GeoIP/ASN databases used, with their build date and whether they are older than the target's
-- first request (then every result from them carries a geo_note).
-- needs: target_macros, geoip_databases
SELECT g.kind, g.database_type, g.path, g.source, g.build_date, g.sha256,
       g.build_date < (SELECT min(ts_utc) FROM target_requests()) AS older_than_events
FROM geoip_databases g
ORDER BY g.kind;
