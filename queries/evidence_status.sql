-- name: evidence_findings
-- What the evidence registry records about files the answer could not count in full, or counted once
-- on purpose: one row per finding and file (kind, severity, evidence_id, path, detail), for the
-- `evidence_status` key of the JSON answer and the report's first page. kind: damaged, truncated, changed
-- during read (evidence.damage: the lines read before and after the damage are counted, what it destroyed is
-- missing; detail says where), unreadable (a file or folder that could not be opened, listed or decoded at all,
-- or content not parsed by rule), all lines rejected (an ingested file of which no line parsed: probably the
-- wrong format), overlap (request lines repeated from another file: counted once), duplicate (the same
-- content as another file: counted once), not a log (not analysed). severity: incomplete (the answer was made
-- without part of this evidence) or stated (resolved or said: the answer is whole).
WITH found AS (
    SELECT damage AS kind, 'incomplete' AS severity, evidence_id, path,
           coalesce(damage_detail, read_errors, damage) AS detail
    FROM evidence
    WHERE damage IS NOT NULL AND verdict <> 'unreadable'
    UNION ALL
    SELECT 'unreadable', 'incomplete', evidence_id, path,
           coalesce(read_errors, suspicious, 'could not be read')
    FROM evidence
    WHERE verdict = 'unreadable'
    UNION ALL
    SELECT 'all lines rejected', 'incomplete', evidence_id, path,
           rejected || ' of ' || lines || ' lines rejected as the ' || coalesce(format, '?') || ' format'
    FROM evidence
    WHERE verdict = 'ingested' AND requests = 0 AND rejected > 0
    UNION ALL
    SELECT 'overlap', 'stated', o.evidence_id, e.path,
           o.shared_lines || ' request lines also in ' || k.path || ' (lines ' || o.kept_first_line_no || '-'
           || o.kept_last_line_no || '), counted once'
    FROM overlap_pairs o
    JOIN evidence e ON e.evidence_id = o.evidence_id
    JOIN evidence k ON k.evidence_id = o.kept_evidence_id
    UNION ALL
    SELECT 'duplicate', 'stated', d.evidence_id, d.path, 'same content as ' || o.path || ', counted once'
    FROM evidence d JOIN evidence o ON o.evidence_id = d.duplicate_of
    WHERE d.verdict = 'duplicate'
    UNION ALL
    SELECT 'not a log', 'stated', evidence_id, path, 'not an access log: not analysed'
    FROM evidence
    WHERE verdict = 'not a log'
)
SELECT kind, severity, evidence_id, path, detail
FROM found
ORDER BY kind, evidence_id;

-- name: evidence_file_count
-- How many files the evidence registry holds (every verdict: logs, duplicates, files that are not logs).
SELECT count(*) AS files FROM evidence;
