-- name: timeline
-- Every request for the target in time order, one row each, with what it amounted to (outcome):
--   complete | partial | undetermined      a 200 GET (a single transfer), judged against the window's size
--   range part (complete|partial|...)      a 206 GET, part of a client's range group; download_no names it
--   HEAD | not modified (304)              never a download (a HEAD answered with an error: the error)
--   unavailable (404|410), unavailable (error page, 200)   the file was gone; closes a window (rule_unavailable)
--   redirect | client error | server error (status), other (status)
--                                          an error: rule_error (totals.errors); a 499 with bytes that is
--                                          neither a transfer nor a HEAD (its line names no method): other
-- window is the exposure window the request falls in (NULL outside; of its alias where via names one),
-- download_no matches the numbering of the downloads query; outcome_inferred: the download's (downloads.sql). Column names are the JSON answer's: time (UTC),
-- client_ip, "window" (quote it by hand).
-- needs: target_macros
WITH dl AS (
    SELECT download_no, kind, outcome, outcome_inferred, lines FROM target_downloads()
), parts AS (
    SELECT download_no, kind, outcome, outcome_inferred, l.evidence_id, l.line_no
    FROM (SELECT download_no, kind, outcome, outcome_inferred, unnest(lines) AS l FROM dl)
)
SELECT r.ts_utc AS time, r.utc_offset_min, r.client AS client_ip, r.internal, r.client_class, r.method,
       r.status, r.bytes, r.range_start, r.range_end, w.window_no AS "window",
       CASE WHEN r.status IN (404, 410) THEN 'unavailable (' || r.status || ')'
            -- a custom error page answering 200 at the file's path (rule_error_page): unavailable, as a 404 is
            WHEN rule_error_page(r.status, r.completion) THEN 'unavailable (error page, ' || r.status || ')'
            WHEN r.method = 'HEAD' AND NOT rule_error(r.method, r.status, r.bytes, r.bytes_known, r.completion) THEN 'HEAD'
            WHEN r.status = 304 THEN 'not modified (304)'
            WHEN p.kind = 'single' THEN p.outcome
            WHEN p.kind = 'range' THEN 'range part (' || p.outcome || ')'
            -- an error by the rule's one test (rule_error: totals.errors, the report's column, the chart's red)
            WHEN rule_error(r.method, r.status, r.bytes, r.bytes_known, r.completion) AND r.status >= 500
                THEN 'server error (' || r.status || ')'
            WHEN rule_error(r.method, r.status, r.bytes, r.bytes_known, r.completion) THEN 'client error (' || r.status || ')'
            WHEN r.status BETWEEN 300 AND 399 THEN 'redirect (' || r.status || ')'
            ELSE 'other (' || coalesce(r.status::VARCHAR, '-') || ')' END AS outcome,
       p.download_no, coalesce(p.outcome_inferred, false) AS outcome_inferred, r.query, r.user_agent, r.referer,
       r.evidence_id, r.evidence_path, r.line_no, r.via
FROM target_requests() r
LEFT JOIN parts p ON p.evidence_id = r.evidence_id AND p.line_no = r.line_no
LEFT JOIN target_windows() w ON w.via IS NOT DISTINCT FROM r.via
                             AND r.ts_utc BETWEEN w.first_available AND w.last_available
ORDER BY r.ts_utc, r.evidence_id, r.line_no;
