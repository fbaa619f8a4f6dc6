-- name: fold_second_pass
-- The request lines of a log written in local time without an offset (read with --log-tz) that lie in the
-- fall-back hour's second pass: 02:00-02:59 is written twice on the day clocks go back (Europe/Amsterdam,
-- 25 October 2020: first at +0200, then at +0100), and a time of it alone names two instants. Parsed line by
-- line, each such time is read as the earlier instant and flagged (exposure/formats/base.py FOLD_FLAG); the
-- file's line order tells the passes apart: a server writes its log forward, so where the file's local time
-- runs back by more than 30 minutes inside the fold (the second pass begins: 02:59 then 02:00) and the fold line
-- after it (if any) stays more than 10 minutes back too (one long download logged late, Apache writing a
-- request's start time when it ends, is no second pass), that line and every fold line of the same fold after
-- it in the file are the later instant. A file whose fold lines never run back (it begins in the second pass, or
-- the hour is too sparse to show the step) keeps the earlier instant, flagged.
-- Columns: evidence_id, line_no (a fold line of the second pass), later_utc (its time at the later instant),
-- step_line (the line where the file's time ran back into the second pass).
-- Parameters: lo, hi (the evidence ids just parsed; at ingest, before they are counted and sealed, exposure/folds.py
-- moves these lines), zone (the --log-tz zone). Run on a case it lists the lines already moved no more (they are
-- flagged 'the later instant taken').
-- params: lo, hi, zone
WITH fold AS (      -- the fold lines of the files just parsed, with their local time as written
    SELECT evidence_id, line_no, ts_utc,
           timezone(getvariable('zone'), timezone('UTC', ts_utc)) AS loc
    FROM requests
    WHERE evidence_id BETWEEN getvariable('lo') AND getvariable('hi')
      AND starts_with(coalesce(ts_flag, ''), 'ambiguous local time (DST fold): the earlier instant taken')
), ordered AS (
    SELECT *, CAST(loc AS DATE) AS fold_day,
           max(loc) OVER w AS before_max,
           lead(loc) OVER (PARTITION BY evidence_id, CAST(loc AS DATE) ORDER BY line_no) AS next_loc
    FROM fold
    WINDOW w AS (PARTITION BY evidence_id, CAST(loc AS DATE) ORDER BY line_no
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), steps AS (       -- where the file's time runs back into the second pass
    SELECT evidence_id, fold_day, min(line_no) AS step_line
    FROM ordered
    WHERE loc < before_max - INTERVAL 30 minute
      AND (next_loc IS NULL OR next_loc < before_max - INTERVAL 10 minute)
    GROUP BY ALL
)
SELECT o.evidence_id, o.line_no,
       -- the later instant: the wall-clock time less the offset in force a day after it
       o.loc - (timezone(getvariable('zone'), timezone('UTC', o.loc + INTERVAL 1 day)) - (o.loc + INTERVAL 1 day)) AS later_utc,
       s.step_line
FROM ordered o JOIN steps s USING (evidence_id, fold_day)
WHERE o.line_no >= s.step_line
ORDER BY o.evidence_id, o.line_no
