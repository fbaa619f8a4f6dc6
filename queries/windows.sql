-- name: windows
-- One row per exposure window of the target: first/last available response, first unavailable (404/410)
-- response after it (NULL when the logs end first), whether it opened in the first hour of the evidence,
-- the file size used for completeness (given or inferred) and the evidence lines that bound it.
-- The true removal time lies between last_available and first_unavailable.
-- Column names are the JSON answer's (`window`, not the rule's window_no): quote it by hand, "window".
-- via: the --alias the window is of (NULL: the target's own path).
-- needs: target_macros
SELECT window_no AS "window", * EXCLUDE (window_no) FROM target_windows() ORDER BY via NULLS FIRST, "window";

-- name: windows_header_streams
-- Per window of the target (via: an alias's), the log streams whose byte counts include the headers (the
-- evidence file's recorded fact, bytes_meaning 'headers+body': IIS sc-bytes, nginx $bytes_sent, %O ...) among its
-- 200 GET responses: the ones a complete-transfer band (size_rule 'band') is measured on. The size's sentence
-- names them, so that 'byte counts include headers' is said of them, never of the whole case.
-- params: target_path
-- needs: target_macros
SELECT w.window_no AS "window", nullif(e.file_key, getvariable('target_path')) AS via,
       list(DISTINCT coalesce(ev.stream, ev.path) ORDER BY coalesce(ev.stream, ev.path)) AS streams
FROM target_rule_events e
JOIN target_rule_windows w ON w.file_key = e.file_key AND w.grp = e.u_seen
JOIN evidence ev ON ev.evidence_id = e.evidence_id
WHERE e.avail AND e.method = 'GET' AND e.status = 200 AND e.bytes_meaning = 'headers+body'
GROUP BY ALL
ORDER BY via NULLS FIRST, "window";

-- name: counts_below_given_size
-- With a given size (--size): identical byte counts the rule judges partial that complete copies may look like.
-- kind 'below': per window, the byte count below the size that 200 GETs from three or more external addresses
-- delivered exactly (the most such responses, the lower count on a tie), where the log states no exact length
-- and counts the body alone: what complete copies look like where the server compressed the response
-- (Apache mod_deflate, nginx gzip: the log counts the compressed body) or served another version of the file.
-- kind 'equal': per window, 200 GETs from three or more external addresses whose counts include the headers
-- and equal the size exactly: partial by the rule (headers are never 0 bytes), yet what complete copies look
-- like if the log counts the body alone (a byte meaning inferred wrongly: --bytes body states it).
-- Transfers the log calls aborted are left out. Said as warnings; they change no figure.
-- params: size, target_path
-- needs: target_macros
WITH got AS (
    SELECT w.window_no AS "window", nullif(e.file_key, getvariable('target_path')) AS via, e.bytes,
           CASE WHEN e.bytes_meaning = 'body' AND e.exact_size IS NULL AND e.bytes < getvariable('size') THEN 'below'
                WHEN e.bytes_meaning = 'headers+body' AND e.bytes = getvariable('size') THEN 'equal' END AS kind,
           count(*) AS responses, count(DISTINCT e.client) AS addresses
    FROM target_rule_events e
    JOIN target_rule_windows w ON w.file_key = e.file_key AND w.grp = e.u_seen
    WHERE getvariable('size') IS NOT NULL AND e.method = 'GET' AND e.status = 200 AND e.bytes > 0
      AND NOT coalesce(e.internal, false) AND coalesce(e.completion, '') <> 'aborted'
    GROUP BY ALL
    HAVING kind IS NOT NULL AND count(DISTINCT e.client) >= 3
)
SELECT kind, "window", via, bytes, responses, addresses FROM got
QUALIFY row_number() OVER (PARTITION BY kind, via, "window" ORDER BY responses DESC, bytes) = 1
ORDER BY kind, via NULLS FIRST, "window";

-- name: complete_on_sent_counts
-- Per path (the target's own, each --alias: via) and window, the complete downloads whose completeness rests on
-- a body byte count alone that Apache's %b may have written, the log giving no completion flag:
-- queries/downloads_rule.sql rule_complete_on_sent_counts, the one rule `files` reads too. Said as a warning (the
-- server logged the whole file as sent, not shown received); it changes no outcome.
-- params: target_path
-- needs: target_macros
SELECT window_no AS "window", nullif(file_key, getvariable('target_path')) AS via, complete, on_sent_counts, formats
FROM rule_complete_on_sent_counts('target_rule_events', 'target_rule_downloads')
WHERE on_sent_counts > 0
ORDER BY via NULLS FIRST, "window";

-- name: refused_after_window
-- Per path (the target's own, each --alias: via), its last window when no 404/410 closes it, nothing after its
-- last available response was available and the file was refused after it (401/403/451) to at least two
-- external addresses (may have been withdrawn, S3 answering a deleted object with 403), with every other
-- response after it (other_responses, other_statuses):
-- queries/downloads_rule.sql rule_refused_after, the one rule `files` reads too (refused_after). Said as a
-- warning: it changes no window and no figure.
-- params: target_path
-- needs: target_macros
SELECT window_no AS "window", nullif(file_key, getvariable('target_path')) AS via, * EXCLUDE (file_key, window_no)
FROM rule_refused_after('target_rule_input', 'target_rule_windows')
ORDER BY via NULLS FIRST, "window";

-- name: redirects_after_window
-- Per window of each path (the target's own, each --alias: via), the redirects (301/302/303/307/308) after its last
-- available response while it was never available again in that window (before its first 404/410, or the logs'
-- end): queries/downloads_rule.sql rule_redirects_after, the one rule `files` reads too (redirects_after). Said as
-- a warning (the file may have been moved or withdrawn then): it changes no window and no figure.
-- params: target_path
-- needs: target_macros
SELECT window_no AS "window", nullif(file_key, getvariable('target_path')) AS via, * EXCLUDE (file_key, window_no)
FROM rule_redirects_after('target_rule_input', 'target_rule_windows')
ORDER BY via NULLS FIRST, "window";

-- name: window_reopened_elsewhere
-- Consecutive windows of one path (the target's own, each --alias: via) that may be one withdrawal read as a
-- withdrawal and a republication: queries/downloads_rule.sql rule_reopened_elsewhere (the later opened within 10
-- minutes of the earlier's first unavailable response, in another log stream, which logged no unavailable
-- response of the path between the two), the one rule `files` reads too. Said as a warning (exposure/answer.py);
-- the windows stay as the rule makes them.
-- Columns: via, closed (the earlier window), reopened (the later), seconds (from the first unavailable response
-- to the reopening available one), closed_by and reopened_by (the streams of those two lines).
-- params: target_path
-- needs: target_macros
SELECT nullif(file_key, getvariable('target_path')) AS via, * EXCLUDE (file_key)
FROM rule_reopened_elsewhere('target_rule_input', 'target_rule_windows')
ORDER BY via NULLS FIRST, closed;

-- name: window_reopened_in_flight
-- Consecutive windows of one path (the target's own, each --alias: via) whose later one may be no republication:
-- queries/downloads_rule.sql rule_reopened_in_flight (its available responses all transfers within 10 minutes after
-- the earlier's first unavailable response, in the stream that logged it, in files whose time may mark the
-- response's end: downloads begun before the withdrawal, logged when they ended). Said as a warning
-- (exposure/answer.py); the windows stay as the rule makes them.
-- Columns: via, closed (the earlier window), reopened (the later), seconds, responses, stream.
-- params: target_path
-- needs: target_macros
SELECT nullif(file_key, getvariable('target_path')) AS via, * EXCLUDE (file_key)
FROM rule_reopened_in_flight('target_rule_events', 'target_rule_windows')
ORDER BY via NULLS FIRST, closed;

-- name: partials_macros
-- partials_held(rows): the holders of partials_adding_up (below) whose partials may together hold the file. rows:
-- downloads (target_downloads() columns) with `client` the holder and `address` the address that fetched them.
-- Columns: via, window_no, client (the holder, or its one address), addresses, members (where more than one),
-- downloads, delivered, size_bytes, first_download.
-- needs: target_macros
CREATE OR REPLACE TEMP MACRO partials_held(rows) AS TABLE
WITH partials AS (
    SELECT via, window_no, client, count(*) FILTER (outcome = 'partial') AS downloads,
           count(DISTINCT address) FILTER (outcome = 'partial') AS addresses,
           list(DISTINCT address ORDER BY address) FILTER (outcome = 'partial') AS members,
           max(size_bytes) FILTER (outcome = 'partial') AS size_bytes,
           min(download_no) FILTER (outcome = 'partial') AS first_download
    FROM query_table(rows)
    GROUP BY via, window_no, client
    HAVING count(*) FILTER (outcome = 'complete') = 0 AND count(*) FILTER (outcome = 'partial') >= 2
), piece AS (      -- each request of those partial downloads, placed where the log says where its bytes lie
    SELECT p.via, p.window_no, p.client, p.size_bytes, r.bytes, r.bytes_known,
           CASE WHEN r.status = 200 THEN 0
                WHEN r.status = 206 AND r.range_end IS NOT NULL THEN r.range_start END AS lo,
           -- a count not known: as far as the response can reach (the file's end, the part's)
           CASE WHEN r.status = 200 THEN least(CASE WHEN r.bytes_known THEN coalesce(r.bytes, 0)
                                                    ELSE p.size_bytes END, p.size_bytes) - 1
                WHEN r.status = 206 AND r.range_end IS NOT NULL
                THEN least(r.range_end, CASE WHEN r.bytes_known THEN r.range_start + coalesce(r.bytes, 0) - 1
                                             ELSE r.range_end END, p.size_bytes - 1) END AS hi
    FROM (SELECT via, window_no, client, unnest(lines) AS l FROM query_table(rows) WHERE outcome = 'partial') x
    JOIN partials p ON p.via IS NOT DISTINCT FROM x.via AND p.window_no = x.window_no AND p.client = x.client
    JOIN target_raw r ON r.evidence_id = x.l.evidence_id AND r.line_no = x.l.line_no
), placed AS (     -- islands of the placed pieces: sorted by start, a new island past the end so far
    SELECT *, sum(new_island) OVER (PARTITION BY via, window_no, client ORDER BY lo, hi
                                    ROWS UNBOUNDED PRECEDING) AS island
    FROM (SELECT *, CASE WHEN lo > max(hi) OVER (PARTITION BY via, window_no, client ORDER BY lo, hi
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                         THEN 1 ELSE 0 END AS new_island
          FROM piece WHERE lo IS NOT NULL AND hi >= lo)
), held AS (
    SELECT via, window_no, client, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT via, window_no, client, island, min(lo) AS lo, max(hi) AS hi FROM placed GROUP BY ALL)
    GROUP BY ALL
), unplaced AS (
    SELECT via, window_no, client,
           CASE WHEN bool_and(bytes_known OR lo IS NOT NULL) THEN
                sum(CASE WHEN lo IS NULL THEN coalesce(bytes, 0) ELSE 0 END) END AS unplaced_bytes
    FROM piece GROUP BY ALL
)
SELECT p.via, p.window_no,
       CASE WHEN p.addresses = 1 THEN p.members[1] ELSE p.client END AS client, p.addresses,
       CASE WHEN p.addresses > 1 THEN p.members END AS members, p.downloads,
       coalesce(h.union_bytes, 0) + u.unplaced_bytes AS delivered, p.size_bytes, p.first_download
FROM partials p
JOIN unplaced u ON u.via IS NOT DISTINCT FROM p.via AND u.window_no = p.window_no AND u.client = p.client
LEFT JOIN held h ON h.via IS NOT DISTINCT FROM p.via AND h.window_no = p.window_no AND h.client = p.client
WHERE p.size_bytes IS NOT NULL AND coalesce(h.union_bytes, 0) + u.unplaced_bytes >= p.size_bytes;

-- name: partials_adding_up
-- Per path (the target's own, each --alias: via) and window, the external addresses (one address with two agents
-- is one client) with no complete download in it whose two or more partial downloads may together hold the file:
-- a download resumed or fetched in pieces more than the range gap apart is counted so, every piece partial (wget -c:
-- the 200 cut short a single, the 206 that finishes it a range group; chunks an hour apart). `delivered` is the most
-- the pieces can hold: the union of the bytes whose place the log gives (a 200 always starts at byte 0: its count
-- from there; a 206 with offsets: from its start, its count at most to its end), never past the size, plus the
-- counts of the pieces without a place (a 206 without offsets, a 499); named where it reaches the size (the
-- largest size_bytes among them). A piece fetched twice at the same place adds nothing. Said as a warning
-- (exposure/answer.py); it changes no figure. Unknown (not named) where a piece without a place has no count.
-- The holder is the address where its own partials hold the file; else, for IPv6, its /64 (address_v6_net64:
-- one LAN, or one host's changing privacy addresses; none for NAT64 addresses, each an IPv4 host) with the other
-- addresses of it whose own do not: two addresses of one /64 each fetching half the file may together hold it (an
-- inference, said so: `addresses` the holder's addresses with partials, `members` them by name where more than
-- one). An address that holds the file alone keeps that fact, never folded into its /64. Else, the addresses of
-- both families, IPv4 and IPv6, with one user agent whose partial downloads lie in one run without a pause of more
-- than the range gap (single linkage: the first and the last piece may lie further apart)
-- (range_gap_minutes, each download at its last part) and that have no complete download in the window: one
-- dual-stack host whose download manager or browser took both routes (red team 19: 8 ranges alternating between
-- its IPv4 and IPv6 address, two partials of 4 parts each), or several clients with one agent: an inference, said
-- so; two addresses of one family stay apart (two IPv4 addresses are two hosts as often as one), and so does a run
-- of the agent's partials holding two IPv4 addresses, an IPv6 address between them or not, or IPv6 addresses of
-- two or more /64 networks (one dual-stack host has one IPv4 address and its LAN's /64: a browser agent's viewers
-- behind a CGNAT address and on IPv6 networks of their own are many clients).
-- Columns: via, window, client (the address, the /64 where it holds more than one, or the members joined by
-- ' and ' for one agent's), basis (`address`, `ipv6 /64`, `user agent`), addresses, members, downloads,
-- delivered, size_bytes, first_download (the lowest download_no).
-- params: range_gap_minutes?
-- needs: target_macros, address_macros, partials_macros
WITH d AS (SELECT *, client AS address FROM target_downloads() WHERE NOT coalesce(internal, false)),
alone AS (SELECT * FROM partials_held(d)),
net AS (SELECT d.* REPLACE (address_v6_net64(d.client) AS client) FROM d
        WHERE address_v6_net64(d.client) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM alone a WHERE a.via IS NOT DISTINCT FROM d.via AND a.window_no = d.window_no
                                                  AND a.client = d.address)),
together AS (SELECT * FROM partials_held(net) WHERE addresses > 1),
named AS (SELECT via, window_no, unnest(coalesce(members, [client])) AS address
          FROM (SELECT * FROM alone UNION ALL SELECT * FROM together)),
unheld AS (        -- the partials of agents' addresses neither named above nor with a complete download
    SELECT d.*, CASE WHEN d.time - lag(d.time) OVER (PARTITION BY d.via, d.window_no, d.user_agent
                                                     ORDER BY d.time, d.download_no)
                          > to_minutes(coalesce(getvariable('range_gap_minutes')::INTEGER, 30))
                     THEN 1 ELSE 0 END AS new_session
    FROM d
    WHERE d.outcome = 'partial' AND nullif(d.user_agent, '-') IS NOT NULL
      AND address_norm(d.address) IS NOT NULL     -- an address (a host name has no family)
      AND NOT EXISTS (SELECT 1 FROM named n WHERE n.via IS NOT DISTINCT FROM d.via AND n.window_no = d.window_no
                                              AND n.address = d.address)
      AND NOT EXISTS (SELECT 1 FROM d c WHERE c.via IS NOT DISTINCT FROM d.via AND c.window_no = d.window_no
                                          AND c.address = d.address AND c.outcome = 'complete')
),
sessions AS (SELECT * EXCLUDE (new_session) REPLACE (user_agent || chr(0) || session AS client)
             FROM (SELECT *, sum(new_session) OVER (PARTITION BY via, window_no, user_agent
                                                    ORDER BY time, download_no ROWS UNBOUNDED PRECEDING) AS session
                   FROM unheld)),
agent AS (SELECT s.* FROM sessions s
          JOIN (SELECT via, window_no, client FROM sessions GROUP BY ALL
                -- both families, one IPv4 address and IPv6 addresses of one /64 (a dual-stack host has one
                -- IPv4 address and its LAN's prefix: two IPv4 addresses are two hosts, rt16; several /64s several)
                HAVING count(DISTINCT contains(address, ':')) = 2
                   AND count(DISTINCT address) FILTER (WHERE NOT contains(address, ':')) = 1
                   AND count(DISTINCT address_v6_net64(address)) FILTER (WHERE contains(address, ':')) = 1) f
            ON f.via IS NOT DISTINCT FROM s.via AND f.window_no = s.window_no AND f.client = s.client),
by_agent AS (SELECT * REPLACE (array_to_string(members, ' and ') AS client)
             FROM partials_held(agent) WHERE addresses > 1)
SELECT via, window_no AS "window", client, basis, addresses, members, downloads, delivered, size_bytes,
       first_download
FROM (SELECT *, 'address' AS basis FROM alone UNION ALL SELECT *, 'ipv6 /64' FROM together
      UNION ALL SELECT *, 'user agent' FROM by_agent)
ORDER BY via NULLS FIRST, "window", first_download;

-- name: ranges_across_forwarded
-- Complete range groups (the download rule's 206 parts of one connecting address and user agent) whose parts carry
-- X-Forwarded-For headers naming different clients, where the line's client was not taken from that header (no
-- --client-ip-from xff: evidence.client_from; or with it, the connecting address no --trusted-proxy holds: the
-- client stayed the connecting address, requests.peer): behind one proxy or load balancer, the pieces of two clients with
-- one browser join into one group, and their sum or union may read as one copy that nobody held (red team 16:
-- /tmp/redteam16/xff). The header is the client's word (it can be forged), so the rule does not split groups by
-- it; the group stays as the rule makes it and this says it joins different forwarded clients (exposure/answer.py;
-- page 1). What a part's header names is the client --client-ip-from xff would take with the connecting address
-- and the private hops trusted (xff_client in queries/addresses.sql: the first hop from the right that is
-- neither), normalised as a client is (address_norm): one client through two proxy chains (`203.0.113.7` and
-- `203.0.113.7, 10.1.1.2`) is one client. A part without the header names no client: it neither adds a value nor
-- hides one. Each hop is normalised once (`normed`: the chosen hop's value, else the hop as written), then tested:
-- address_norm bound inside address_private, which names its address five times, and again on the chosen hop made
-- this query 1.4 CPU-s to plan, half of every analysis of a small case (0.1 s so, measured on a 3-line case).
-- Columns: via, download_no, client, parts, outcome_inferred, forwarded (the distinct values, sorted).
-- needs: target_macros, address_macros
WITH parts AS (
    SELECT td.via, td.download_no, td.client, td.parts, td.outcome_inferred, r.xff
    FROM target_downloads() td, unnest(td.lines) AS l(line)
    JOIN target_raw r ON r.evidence_id = line.evidence_id AND r.line_no = line.line_no
    JOIN evidence e ON e.evidence_id = r.evidence_id
    WHERE td.kind = 'range' AND td.outcome = 'complete' AND td.parts > 1
      AND r.xff IS NOT NULL
      -- per line: its client was not taken from the header (no --client-ip-from xff, or the connecting address is
      -- no --trusted-proxy's: the client stayed the connecting address, peer)
      AND NOT coalesce(e.client_from = 'xff' AND r.client IS DISTINCT FROM r.peer, false)
)
SELECT via, download_no, any_value(client) AS client, any_value(parts) AS parts,
       any_value(outcome_inferred) AS outcome_inferred,
       list(DISTINCT forwarded ORDER BY forwarded) AS forwarded
FROM (SELECT *, coalesce(xff_client(normed, trusted), xff_client(hops, trusted)) AS forwarded
      FROM (SELECT *, list_transform(hops, lambda h, i: h = client OR coalesce(address_private(normed[i]), false))
                      AS trusted
            FROM (SELECT *, list_transform(hops, lambda h: address_norm(h)) AS normed
                  FROM (SELECT *, xff_hops(client, xff) AS hops FROM parts))))
GROUP BY via, download_no
HAVING count(DISTINCT forwarded) > 1
ORDER BY via NULLS FIRST, download_no;

-- name: window_fold_responses
-- The target's responses that open, hold or close its windows (rule_events: available and unavailable) read with
-- --log-tz in the hour the clocks go back (ts_flag 'ambiguous local time (DST fold)', the finding `ambiguous
-- time`): each read as the earlier instant, so one written in the second pass, an hour later, sits an hour early in
-- the rule's order: a 404 written after the 200s reads before them and closes no window (the window is said still
-- available when the logs end), a 200 written after a 404 reads inside the window the 404 closed. The windows stay
-- as the rule makes them; the answer says so (red team 21a: a withdrawal at 02:10 of the second pass lost).
-- Per path (via: an alias's), how many such responses, how many unavailable, and the first in line order.
-- params: target_path
-- needs: target_macros
SELECT nullif(file_key, getvariable('target_path')) AS via, count(*) AS responses,
       count(*) FILTER (WHERE NOT avail) AS unavailable,
       arg_min(evidence_id, (evidence_id, line_no)) AS first_evidence_id,
       arg_min(line_no, (evidence_id, line_no)) AS first_line_no
FROM target_rule_events
WHERE starts_with(coalesce(ts_flag, ''), 'ambiguous local time (DST fold)')
GROUP BY ALL
ORDER BY via NULLS FIRST;
