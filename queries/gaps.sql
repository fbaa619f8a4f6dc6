-- name: stream_silences
-- The silences of every log stream (evidence.stream: one server's log, exposure/streams.py), from the line
-- before each to the line after, that a gap can be made of: each silence longer than a minute, and each day's
-- longest (what the stream's usual quiet time is made of). Computed once over every line of the case when an
-- ingest settles and kept in the case (exposure/derived.py: the table stream_silences, under the seal); the
-- gaps for any threshold (gap_macros below) are then read from it. Lines of every ingested file of the stream
-- count (a copy's repeated lines are the same moments); files that are not logs are left out.
-- Columns: stream, server, gap_start, gap_end (UTC), gap_minutes, the evidence lines that bound it
-- (start_evidence_id, start_line_no, end_evidence_id, end_line_no) and longest_of_day.
WITH lines AS (
    SELECT e.stream, e.server, r.ts_utc, r.evidence_id, r.line_no
    FROM evidence e
    JOIN requests r USING (evidence_id)
    WHERE e.verdict = 'ingested' AND e.stream IS NOT NULL
), silences AS (
    SELECT stream, server, ts_utc AS gap_start, evidence_id AS start_evidence_id, line_no AS start_line_no,
           lead(ts_utc) OVER w AS gap_end,
           lead(evidence_id) OVER w AS end_evidence_id,
           lead(line_no) OVER w AS end_line_no
    FROM lines
    WINDOW w AS (PARTITION BY stream ORDER BY ts_utc, evidence_id, line_no)
), days AS (        -- each day's longest silence (an aggregate and a join: a second sort cost 0.4 s per 2 M lines)
    SELECT stream, CAST(gap_start AS DATE) AS day, max(gap_end - gap_start) AS longest
    FROM silences WHERE gap_end IS NOT NULL GROUP BY ALL
)
SELECT s.stream, s.server, s.gap_start, s.gap_end, date_diff('second', s.gap_start, s.gap_end) / 60.0 AS gap_minutes,
       s.start_evidence_id, s.start_line_no, s.end_evidence_id, s.end_line_no,
       s.gap_end - s.gap_start = d.longest AS longest_of_day
FROM silences s JOIN days d ON d.stream = s.stream AND d.day = CAST(s.gap_start AS DATE)
WHERE s.gap_end IS NOT NULL
  AND (date_diff('second', s.gap_start, s.gap_end) / 60.0 > 1 OR s.gap_end - s.gap_start = d.longest)
ORDER BY s.stream, s.gap_start, s.start_evidence_id, s.start_line_no;

-- name: gap_macros
-- Defines the table macro evidence_gaps(gap_minutes, gap_factor) that the query gaps (below) and the findings
-- (findings.sql) read: periods with no log line at all, per log stream, that are longer than the stream's own
-- quiet times. A missing log rotation, a server outage, a logging failure or an unreadable file shows up here.
-- A silence (the table stream_silences: the block above, kept in the case) counts as a gap when it is longer
-- than both
--   * gap_minutes (default 60; never less than a minute), and
--   * gap_factor (default 2) times the stream's usual longest silence: the median, over the stream's whole
--     days (its first and last day left out), of each day's longest silence (a silence belongs to the day it
--     starts). Quiet nights are the usual longest silences of most logs; a stream with fewer than three whole
--     days has no usual silence and gap_minutes alone applies.
-- One row per gap: stream, server, last line before, first line after, minutes, the threshold that applied
-- (threshold_minutes, usual_silence_minutes) and the evidence lines that bound it.
-- needs: stream_silences
CREATE OR REPLACE TEMP MACRO evidence_gaps(gap_minutes, gap_factor) AS TABLE
WITH days AS (
    SELECT stream, CAST(gap_start AS DATE) AS day, max(gap_end - gap_start) AS longest
    FROM stream_silences GROUP BY ALL
), usual AS (       -- whole days only: the first and last day of a stream are cut by its start and end
    SELECT d.stream, CASE WHEN count(*) >= 3 THEN median(epoch(d.longest)) / 60.0 END AS usual_silence_minutes
    FROM days d
    JOIN (SELECT stream, min(day) AS first_day, max(day) AS last_day FROM days GROUP BY stream) b USING (stream)
    WHERE d.day > b.first_day AND d.day < b.last_day
    GROUP BY d.stream
), thresholds AS (
    SELECT s.stream, u.usual_silence_minutes,
           greatest(coalesce(gap_minutes, 60)::DOUBLE, 1.0,
                    coalesce(coalesce(gap_factor, 2)::DOUBLE * u.usual_silence_minutes, 0))
               AS threshold_minutes
    FROM (SELECT DISTINCT stream FROM stream_silences) s LEFT JOIN usual u USING (stream)
)
SELECT o.stream, o.server, o.gap_start, o.gap_end, o.gap_minutes,
       t.threshold_minutes, t.usual_silence_minutes,
       o.start_evidence_id, o.start_line_no, o.end_evidence_id, o.end_line_no
FROM stream_silences o JOIN thresholds t USING (stream)
WHERE o.gap_minutes > t.threshold_minutes;

-- name: gaps
-- The gaps of the evidence, per log stream (see gap_macros above for the rule): stream, server, gap_start,
-- gap_end, gap_minutes, threshold_minutes, usual_silence_minutes and the evidence lines that bound each gap.
-- needs: gap_macros
-- params: gap_minutes?, gap_factor?
SELECT * FROM evidence_gaps(getvariable('gap_minutes'), getvariable('gap_factor'))
ORDER BY stream, gap_start;
