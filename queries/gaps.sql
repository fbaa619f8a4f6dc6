-- name: gaps
-- Periods with no log lines at all, per server label (evidence.server: the folder a file was found in),
-- longer than getvariable('gap_minutes') minutes (default 60). A missing log rotation, a server outage or
-- a logging failure shows up here. One row per gap: server, last line before, first line after, minutes,
-- and the evidence lines that bound it. A file handed over twice is ingested once, but both copies cover
-- their own folder's label (a rotation found again in an export folder still covers its server).
-- Files that are not logs are left out.
-- params: gap_minutes?
WITH lines AS (
    SELECT e.server, r.ts_utc, r.evidence_id, r.line_no
    FROM evidence e
    JOIN requests r ON r.evidence_id = coalesce(e.duplicate_of, e.evidence_id)
    WHERE e.verdict IN ('ingested', 'duplicate')
), ordered AS (
    SELECT server, ts_utc AS gap_start, evidence_id AS start_evidence_id, line_no AS start_line_no,
           lead(ts_utc) OVER w AS gap_end,
           lead(evidence_id) OVER w AS end_evidence_id,
           lead(line_no) OVER w AS end_line_no
    FROM lines
    WINDOW w AS (PARTITION BY server ORDER BY ts_utc, evidence_id, line_no)
)
SELECT server, gap_start, gap_end,
       date_diff('second', gap_start, gap_end) / 60.0 AS gap_minutes,
       start_evidence_id, start_line_no, end_evidence_id, end_line_no
FROM ordered
WHERE gap_end IS NOT NULL
  AND gap_end - gap_start > to_minutes(coalesce(getvariable('gap_minutes'), 60)::INTEGER)
ORDER BY server, gap_start;
