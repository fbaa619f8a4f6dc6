-- name: windows
-- One row per exposure window of the target: first/last available response, first unavailable (404/410)
-- response after it (NULL when the logs end first), whether it opened in the first hour of the evidence,
-- the file size used for completeness (given or inferred) and the evidence lines that bound it.
-- The true removal time lies between last_available and first_unavailable.
-- Column names are the JSON answer's (`window`, not the rule's window_no): quote it by hand, "window".
-- via: the --alias the window is of (NULL: the target's own path).
-- needs: target_macros
SELECT window_no AS "window", * EXCLUDE (window_no) FROM target_windows() ORDER BY via NULLS FIRST, "window";

-- name: counts_below_given_size
-- With a given size (--size): per window, each byte count below it that 200 GETs from three or more
-- addresses delivered exactly, where the log states no exact length and counts the body alone. The rule
-- counts each such transfer partial; identical counts from several clients are what complete copies look like
-- where the server compressed the response (Apache mod_deflate, nginx gzip, IIS compression: the log counts
-- the compressed body) or served another version of the file. Said as a warning; it changes no figure.
-- params: size, target_path
-- needs: target_macros
SELECT w.window_no AS "window", nullif(e.file_key, getvariable('target_path')) AS via, e.bytes,
       count(*) AS responses, count(DISTINCT e.client) AS addresses
FROM target_rule_events e
JOIN target_rule_windows w ON w.file_key = e.file_key AND w.grp = e.u_seen
WHERE getvariable('size') IS NOT NULL AND e.method = 'GET' AND e.status = 200 AND e.bytes_meaning = 'body'
  AND e.exact_size IS NULL AND e.bytes > 0 AND e.bytes < getvariable('size')
GROUP BY ALL
HAVING count(DISTINCT e.client) >= 3
ORDER BY via NULLS FIRST, "window", responses DESC, e.bytes;
