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
-- undetermined).
-- Where cdn_logs > 0, cdn_unlogged_viewers (below) names the viewers those logs miss.
-- Columns: via, window, fetches, complete, addresses (the connecting addresses), names (the CDNs, as their
-- user agents name them), first_download (the lowest download_no), cdn_logs, cdn_log_downloads.
-- needs: target_macros
WITH d AS (      -- every download attempt of the target, with the format of the file its first line is in
    SELECT td.download_no, td.window_no, td.via, td.client, td.outcome, td.client_class, td.user_agent, e.format
    FROM target_downloads() td
    JOIN evidence e ON e.evidence_id = td.lines[1].evidence_id
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), fills AS (
    SELECT d.via, d.window_no, count(*) AS fetches, count(*) FILTER (WHERE d.outcome = 'complete') AS complete,
           list(DISTINCT d.client ORDER BY d.client) AS addresses,
           list(DISTINCT coalesce(uc.matched_pattern, uc.client_name) ORDER BY coalesce(uc.matched_pattern, uc.client_name))
               AS names,
           min(d.download_no) AS first_download
    FROM d
    LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM d.user_agent
    WHERE d.client_class = 'cdn'
    GROUP BY ALL
)
SELECT f.via, f.window_no AS "window", f.fetches, f.complete, f.addresses, f.names, f.first_download,
       (SELECT count(*) FROM evidence e WHERE e.verdict = 'ingested' AND e.format = 'cloudfront') AS cdn_logs,
       (SELECT count(*) FROM d WHERE d.format = 'cloudfront' AND d.via IS NOT DISTINCT FROM f.via
                                 AND d.window_no = f.window_no) AS cdn_log_downloads
FROM fills f
ORDER BY f.via NULLS FIRST, f.window_no;

-- name: cdn_unlogged_viewers
-- The viewers a CDN's cache fills were made for that the case's CloudFront logs hold no download of the file by
-- within 15 minutes of the fill, per window of the target (or --alias path, `via`): CloudFront appends the viewer's
-- address to the X-Forwarded-For it sends the origin, so its last entry (normalised as a client is:
-- queries/addresses.sql address_norm; an entry that is no address is left out) is who the fill was for; a viewer
-- missing from those logs says files of them may be missing (another distribution's, an edge's or an hour's).
-- Asked only where cdn_cache_fills found fills and the case holds CloudFront logs (exposure/answer.py):
-- address_norm costs a third of a second to plan.
-- Columns: via, window, viewers.
-- needs: target_macros, address_macros
WITH d AS (      -- every download attempt of the target, with the file format of its first line
    SELECT td.time, td.window_no, td.via, td.client, td.client_class, td.lines[1] AS first_line, e.format
    FROM target_downloads() td
    JOIN evidence e ON e.evidence_id = td.lines[1].evidence_id
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), fills AS (    -- the CDN's downloads and the viewer each names last in its X-Forwarded-For
    SELECT d.via, d.window_no, d.time, list_last(string_split(r.xff, ',')) AS named
    FROM d
    JOIN target_raw r ON r.evidence_id = d.first_line.evidence_id AND r.line_no = d.first_line.line_no
    WHERE d.client_class = 'cdn' AND r.xff IS NOT NULL
)
SELECT f.via, f.window_no AS "window", list(DISTINCT f.viewer ORDER BY f.viewer) AS viewers
FROM (SELECT *, address_norm(named) AS viewer FROM fills) f
WHERE f.viewer IS NOT NULL   -- CloudFront writes an address there: other text is no viewer it names
  AND NOT EXISTS (SELECT 1 FROM d o WHERE o.format = 'cloudfront' AND o.client = f.viewer
                                      AND abs(date_diff('second', o.time, f.time)) <= 900)
GROUP BY ALL
ORDER BY f.via NULLS FIRST, f.window_no;
