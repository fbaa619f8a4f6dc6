-- name: downloads_logged_twice
-- Downloads of the target that two tiers may both have logged: a reverse proxy or load balancer (its log names the
-- client as the connecting address) and the server behind it (its log names the proxy as the connecting address,
-- and the client in the X-Forwarded-For header it was sent). Both logs in one case count each such download twice:
-- once from the client, once from the proxy's address (or, with --client-ip-from xff, from the client again). A
-- download counts here where its first line carries an X-Forwarded-For naming the connecting address of a download
-- of the target that another log stream holds within 15 minutes of it (a proxy may log a transfer's end and the
-- server its start), from another connecting address than its own: that stream faced the client. Sibling servers
-- behind one load balancer are no pair: both name the balancer as the connecting address and the client in the
-- header, so neither names the other's connecting address (the client of a download read from the header is not
-- enough: /tmp/review_redteam12/lb, one client's two downloads from web1 and web2 five minutes apart). A pair of
-- streams found both ways is decided by its downloads: the direction holding more of them is the pair (one
-- request sending X-Forwarded-For: 127.0.0.1 to the proxy finds the reverse direction once and must not silence
-- the warning: /tmp/review_copyrt/w/tier_spoof.py); as many each way says no tier (neither faced the client).
-- Said as a warning (exposure/answer.py);
-- it changes no figure: which tier to answer from is the investigator's choice.
-- Columns: stream (the log whose lines carry the X-Forwarded-For), other_stream (the client-facing log),
-- downloads (of `stream`, each with such a counterpart), complete (of them complete), addresses (the connecting
-- addresses of those lines: the proxy), first_download (the lowest download_no of them).
-- needs: target_macros, address_macros
WITH d AS (      -- every download attempt of the target, at its first line
    SELECT td.download_no, td.time, td.client, td.outcome, r.xff, coalesce(r.peer, r.client) AS connected, e.stream
    FROM target_downloads() td
    JOIN target_raw r ON r.evidence_id = td.lines[1].evidence_id AND r.line_no = td.lines[1].line_no
    JOIN evidence e ON e.evidence_id = r.evidence_id
    WHERE td.outcome IN ('complete', 'partial', 'undetermined')
), forwarded AS (
    -- each entry normalised as a client is (queries/addresses.sql address_norm: `client:port` from an Azure
    -- Application Gateway or IIS ARR, brackets, upper-case IPv6); a hostname stays as written
    SELECT *, list_transform(string_split(xff, ','), lambda a: coalesce(address_norm(a), trim(a))) AS entries
    FROM d WHERE xff IS NOT NULL
), matched AS (
    SELECT f.download_no, f.outcome, f.connected, f.stream, min(o.stream) AS other_stream
    FROM forwarded f
    JOIN d o ON o.stream IS DISTINCT FROM f.stream AND list_contains(f.entries, o.connected)
            AND o.connected IS DISTINCT FROM f.connected
            AND abs(date_diff('second', o.time, f.time)) <= 900
    GROUP BY ALL
), pairs AS (       -- each direction of a pair of streams: how many downloads it holds
    SELECT stream, other_stream, count(*) AS n FROM matched GROUP BY ALL
), one_way AS (     -- the direction holding most of a pair's downloads: a proxy's log and its server's
    SELECT m.* FROM matched m
    JOIN pairs p ON p.stream = m.stream AND p.other_stream = m.other_stream
    LEFT JOIN pairs r ON r.stream = m.other_stream AND r.other_stream = m.stream
    WHERE p.n > coalesce(r.n, 0)
)
SELECT stream, other_stream, count(*) AS downloads, count(*) FILTER (WHERE outcome = 'complete') AS complete,
       list(DISTINCT connected ORDER BY connected) AS addresses, min(download_no) AS first_download
FROM one_way
GROUP BY ALL
ORDER BY stream, other_stream;
