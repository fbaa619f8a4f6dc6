-- name: cdn_cache_fills
-- A CDN filling its cache from the origin (client class `cdn`, exposure/clients.py: the user agent CloudFront
-- sends the origin, `Amazon CloudFront`; a claim, as every agent is): per window of the target (or of one of its
-- --alias paths, `via`), how many downloads of the file the CDN made (`fetches`: complete, partial and
-- undetermined; `complete` of them), from which addresses and under which names. Such a download is a copy that
-- left the origin for the CDN, counted among the downloads as it is (its class says whose), not a person's: the
-- CDN may have served the file to any number of viewers, who appear only in the CDN's own logs. Said as a warning
-- (exposure/answer.py cdn_fill_sentence), with what the case holds of those logs: `cdn_logs`, the CloudFront
-- standard logs ingested in the case (format cloudfront; CloudFront is the one CDN the class names today), and
-- `cdn_log_downloads`, the downloads of the file in the same window that those logs hold (complete, partial and
-- undetermined; not the CDN's own fills).
-- Where cdn_logs > 0, cdn_unlogged_viewers (below) names the viewers those logs miss.
-- One row per path (the target's, each --alias: via), its windows with fills together (one warning, not one per
-- window: fourteen windows of fills took page 1 over).
-- Columns: via, windows (the window numbers), fetches, complete, addresses (the connecting addresses), names (the
-- CDNs' user agents), first_download (the lowest download_no), cdn_logs, cdn_log_downloads.
-- needs: target_macros
WITH d AS (      -- every download attempt of the target, with the format of the file its first line is in
    SELECT td.download_no, td.window_no, td.via, td.client, td.outcome, td.client_class, td.user_agent, e.format
    FROM target_downloads() td
    JOIN evidence e ON e.evidence_id = td.lines[1].evidence_id
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), fills AS (
    SELECT d.via, list(DISTINCT d.window_no ORDER BY d.window_no) AS windows, count(*) AS fetches,
           count(*) FILTER (WHERE d.outcome = 'complete') AS complete,
           list(DISTINCT d.client ORDER BY d.client) AS addresses,
           list(DISTINCT d.user_agent ORDER BY d.user_agent) AS names,
           min(d.download_no) AS first_download
    FROM d
    WHERE d.client_class = 'cdn'
    GROUP BY ALL
)
SELECT f.via, f.windows, f.fetches, f.complete, f.addresses, f.names, f.first_download,
       (SELECT count(*) FROM evidence e WHERE e.verdict = 'ingested' AND e.format = 'cloudfront') AS cdn_logs,
       -- the viewers' downloads there: not a fill a CloudFront log holds itself (a distribution chained to another)
       (SELECT count(*) FROM d WHERE d.format = 'cloudfront' AND d.via IS NOT DISTINCT FROM f.via
                                 AND list_contains(f.windows, d.window_no)
                                 AND d.client_class IS DISTINCT FROM 'cdn') AS cdn_log_downloads
FROM fills f
ORDER BY f.via NULLS FIRST;

-- name: cdn_unlogged_viewers
-- The addresses a CDN's cache fills named in their X-Forwarded-For where the case's CloudFront logs hold no
-- download of the file by any of them within 15 minutes of the fill, per path (the target's or an --alias path,
-- `via`): CloudFront appends the viewer's address to the X-Forwarded-For it sends the origin, but a hop behind it
-- (a load balancer, a proxy) appends its own after it, and a viewer may send entries before it, so every entry
-- that is an address (normalised as a client is: queries/addresses.sql address_norm; other text is left out) is
-- tried; a fill none of whose addresses those logs hold says files of them may be missing (another
-- distribution's, an edge's or an hour's). Asked only where cdn_cache_fills found fills and the case holds
-- CloudFront logs (exposure/answer.py): address_norm costs a third of a second to plan.
-- Columns: via, viewers (the addresses of the fills none of whose addresses those logs hold).
-- needs: target_macros, address_macros
WITH d AS (      -- every download attempt of the target, with the file format of its first line
    SELECT td.time, td.window_no, td.via, td.client, td.client_class, td.lines[1] AS first_line, e.format
    FROM target_downloads() td
    JOIN evidence e ON e.evidence_id = td.lines[1].evidence_id
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), fills AS (    -- the CDN's downloads and the addresses in their X-Forwarded-For
    SELECT d.via, d.time,
           list_filter(list_transform(string_split(r.xff, ','), lambda x: address_norm(x)), lambda v: v IS NOT NULL) AS named
    FROM d
    JOIN target_raw r ON r.evidence_id = d.first_line.evidence_id AND r.line_no = d.first_line.line_no
    WHERE d.client_class = 'cdn' AND r.xff IS NOT NULL
)
SELECT f.via, list_sort(list_distinct(flatten(list(f.named)))) AS viewers
FROM fills f
WHERE len(f.named) > 0
  AND NOT EXISTS (SELECT 1 FROM d o WHERE o.format = 'cloudfront' AND o.client_class IS DISTINCT FROM 'cdn'
                                      AND list_contains(f.named, o.client)
                                      AND abs(date_diff('second', o.time, f.time)) <= 900)
GROUP BY ALL
ORDER BY f.via NULLS FIRST;
