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
-- Where the case holds CloudFront logs, a fill whose X-Forwarded-For names its viewer (CloudFront appends the
-- viewer's address) while those logs hold no download of the file by that address within 15 minutes of it says the
-- logs miss that viewer's download (another distribution's, an edge's or an hour's file not supplied):
-- `unlogged_viewers` names them (the header's last entry, normalised as a client is: queries/addresses.sql).
-- Columns: via, window, fetches, complete, addresses (the connecting addresses), names (the CDNs, as their
-- user agents name them), first_download (the lowest download_no), cdn_logs, cdn_log_downloads, unlogged_viewers.
-- needs: target_macros, address_macros
WITH d AS (      -- every download attempt of the target, with its first line's file format and X-Forwarded-For
    SELECT td.download_no, td.time, td.window_no, td.via, td.client, td.outcome, td.client_class, td.user_agent,
           e.format, r.xff
    FROM target_downloads() td
    JOIN evidence e ON e.evidence_id = td.lines[1].evidence_id
    JOIN target_raw r ON r.evidence_id = td.lines[1].evidence_id AND r.line_no = td.lines[1].line_no
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), unlogged AS (  -- fills naming a viewer no CloudFront log of the case holds a download of within 15 minutes
    SELECT f.via, f.window_no,
           list(DISTINCT f.viewer ORDER BY f.viewer) AS viewers
    FROM (SELECT *, coalesce(address_norm(list_last(string_split(xff, ','))), trim(list_last(string_split(xff, ','))))
                    AS viewer
          FROM d WHERE client_class = 'cdn' AND xff IS NOT NULL) f
    WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.verdict = 'ingested' AND e.format = 'cloudfront')
      AND NOT EXISTS (SELECT 1 FROM d o WHERE o.format = 'cloudfront' AND o.client = f.viewer
                                          AND abs(date_diff('second', o.time, f.time)) <= 900)
    GROUP BY ALL
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
                                 AND d.window_no = f.window_no) AS cdn_log_downloads,
       coalesce(u.viewers, []) AS unlogged_viewers
FROM fills f
LEFT JOIN unlogged u ON u.via IS NOT DISTINCT FROM f.via AND u.window_no = f.window_no
ORDER BY f.via NULLS FIRST, f.window_no;
