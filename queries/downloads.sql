-- name: downloads
-- Every download attempt of the target: single 200 GET transfers and grouped 206 range transfers, with
-- outcome complete | partial | undetermined (no file size known, or a count with headers just below the
-- complete-transfer band: size_rule band_below), in time order, each citing its lines.
-- Internal (staff) addresses are included and flagged.
-- Column names are the JSON answer's: client_ip, "window" (quote it by hand), bytes (delivered: a range group's
-- union of offsets or sum of parts); lines are the evidence lines as (evidence_id, line_no); via is the --alias
-- the download came through (NULL: the target's own path); outcome_inferred: complete by the sum of range parts'
-- byte counts, the log stating no offsets (queries/downloads_rule.sql).
-- needs: target_macros
SELECT download_no, time, client AS client_ip, user_agent, internal, client_class, window_no AS "window", size_bytes, kind,
       bytes_delivered AS bytes, parts, size_rule, outcome, outcome_inferred, lines, via
FROM target_downloads() d
ORDER BY download_no;
