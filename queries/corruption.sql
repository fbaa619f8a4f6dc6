-- name: corruption_candidates
-- Each gzip member that inflated to its end and fails its CRC-32 (evidence.crc_failures) whose decoded size is the
-- size its trailer records (mod 2^32: no byte was added or lost, so a copy's bytes lie in the same places), with
-- each intact file (no damage, ingested) the overlap rule paired lines of the member with (overlap_lines): `shift`,
-- from a content byte of the member to the same byte in the intact file (the paired lines' byte offsets apart),
-- one paired line as the anchor that numbers the intact file's lines, and how many paired lines give that shift;
-- most first. A member in which no paired line begins (every line beginning in it altered or made by the damage,
-- or none beginning in it) takes the shift of the nearest paired line before it and of the nearest after it, each
-- at most `max_back` bytes from it: the line is the anchor (exposure/corruption.py counts the intact lines between
-- it and the member).
-- exposure/corruption.py reads the intact bytes each candidate names and tests their CRC-32 and size.
-- params: max_back
WITH members AS (
    SELECT e.evidence_id, unnest(e.crc_failures) AS f
    FROM evidence e WHERE e.verdict = 'ingested' AND e.damage = 'damaged' AND e.crc_failures IS NOT NULL
      AND e.line_endings IN ('lf', 'crlf')  -- lines that end at "\n", as exposure/corruption.py cuts them
), whole AS (
    SELECT evidence_id, f.member, f.content_start AS lo, f.content_start + f.content_bytes AS hi,
           f.content_bytes, f.stored_crc
    FROM members WHERE f.content_bytes % 4294967296 = f.stored_size
      AND f.content_bytes > 0  -- an empty member holds no line, and would tie on lo with the member after it
), pairs AS (     -- each line of a damaged file the overlap rule paired with an intact file's
    SELECT o.evidence_id, o.kept_evidence_id, k.byte_offset - d.byte_offset AS shift, k.line_no AS k_line,
           k.byte_offset AS k_offset, d.byte_offset AS d_offset
    FROM overlap_lines o
    JOIN requests d ON d.evidence_id = o.evidence_id AND d.line_no = o.line_no
    JOIN requests k ON k.evidence_id = o.kept_evidence_id AND k.line_no = o.kept_line_no
    JOIN evidence ke ON ke.evidence_id = o.kept_evidence_id AND ke.damage IS NULL AND ke.verdict = 'ingested'
                    AND ke.line_endings IN ('lf', 'crlf')
    WHERE o.kept_evidence_id <> o.evidence_id
      AND o.evidence_id IN (SELECT evidence_id FROM whole)
), paired AS (    -- each paired line in the member it lies in: the member beginning last at or before it (an ASOF
    -- join, one pass; a range join of every member with every line grew as their product), if it ends after it
    SELECT w.evidence_id, w.member, w.lo, w.content_bytes, w.stored_crc, p.kept_evidence_id, p.shift, p.k_line,
           p.k_offset
    FROM pairs p ASOF JOIN whole w ON w.evidence_id = p.evidence_id AND p.d_offset >= w.lo
    WHERE p.d_offset < w.hi
), lonely AS (    -- the members in which no paired line begins
    SELECT * FROM whole w
    WHERE NOT EXISTS (SELECT 1 FROM paired p WHERE p.evidence_id = w.evidence_id AND p.member = w.member)
), before AS (    -- the nearest paired line before each of them
    SELECT w.evidence_id, w.member, w.lo, w.content_bytes, w.stored_crc, p.kept_evidence_id, p.shift, p.k_line,
           p.k_offset
    FROM lonely w ASOF JOIN pairs p ON p.evidence_id = w.evidence_id AND w.lo > p.d_offset
    WHERE w.lo - p.d_offset <= getvariable('max_back')
), after AS (     -- and the nearest after it (a file's first member has none before it)
    SELECT w.evidence_id, w.member, w.lo, w.content_bytes, w.stored_crc, p.kept_evidence_id, p.shift, p.k_line,
           p.k_offset
    FROM lonely w ASOF JOIN pairs p ON p.evidence_id = w.evidence_id AND w.hi <= p.d_offset
    WHERE p.d_offset - w.hi <= getvariable('max_back')
)
SELECT evidence_id, member, lo, content_bytes, stored_crc, kept_evidence_id, shift,
       min(k_line) AS anchor_line, min(k_offset) AS anchor_offset, count(*) AS pairs
FROM (SELECT * FROM paired UNION ALL SELECT * FROM before UNION ALL SELECT * FROM after)
WHERE lo + shift >= 0
GROUP BY evidence_id, member, lo, content_bytes, stored_crc, kept_evidence_id, shift
ORDER BY evidence_id, member, pairs DESC, kept_evidence_id, shift;

-- name: corrupted_copies
-- A member proven a corrupted copy (exposure/corruption.py): each request line of it whole in it (begun at or after
-- its first byte `member_start`, ended by a newline at or before its last, `member_last_newline`) and the same as
-- the intact bytes in its place (no byte of it differs: `differing_offsets` lists the lines that do) is a copy of
-- the intact file's request line beginning there (`shift` bytes on), counted once from it: one the overlap rule
-- left out (a run too short between altered lines). Inserts into overlap_lines.
-- params: damaged_id, kept_id, member_start, member_last_newline, shift, differing_offsets
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
SELECT d.evidence_id, d.line_no, k.evidence_id, k.line_no
FROM requests d
JOIN requests k ON k.evidence_id = getvariable('kept_id') AND k.byte_offset = d.byte_offset + getvariable('shift')
WHERE d.evidence_id = getvariable('damaged_id')
  AND d.byte_offset >= getvariable('member_start') AND d.byte_offset <= getvariable('member_last_newline')
  AND NOT list_contains(getvariable('differing_offsets'), d.byte_offset)
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = d.evidence_id AND o.line_no = d.line_no)
ORDER BY d.line_no;

-- name: corrupted_counts
-- The registry's counts of a file whose lines were rejected as corrupted (exposure/corruption.py), as the ingest
-- counts them (exposure/ingest.py _parsed_rows): its requests, rejected lines, first and last request time, and
-- its requests without a byte count (none in a format whose dash is 0 bytes: the least of the two).
-- params: damaged_id
UPDATE evidence SET
    requests = (SELECT count(*) FROM requests WHERE evidence_id = getvariable('damaged_id')),
    rejected = (SELECT count(*) FROM rejects WHERE evidence_id = getvariable('damaged_id')),
    first_time = (SELECT min(ts_utc) FROM requests WHERE evidence_id = getvariable('damaged_id')),
    last_time = (SELECT max(ts_utc) FROM requests WHERE evidence_id = getvariable('damaged_id')),
    unsized_requests = least(unsized_requests, (SELECT count(*) - count(bytes) FROM requests
                                                WHERE evidence_id = getvariable('damaged_id')))
WHERE evidence_id = getvariable('damaged_id');

-- name: aligned_copies
-- A member proven a corrupted copy (exposure/corruption.py) puts the damaged file's bytes `shift` bytes from the
-- intact file's: each request line of the damaged file outside the member's compared lines (before it, or after
-- its last newline; none whose start the proof named, `differing_offsets`) that the overlap rule left unpaired
-- (its run cut short by the altered lines) and is the same line as the intact request line beginning `shift` bytes
-- on (the same line hash and time, exposure/overlap.py ov_rows: the overlap rule's identity of a line) is a copy of
-- it, counted once from it. Inserts into overlap_lines; reads ov_rows, the table the overlap pass holds.
-- params: damaged_id, kept_id, member_start, member_last_newline, shift, differing_offsets
INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
SELECT d.evidence_id, d.line_no, k.evidence_id, k.line_no
FROM requests d
JOIN requests k ON k.evidence_id = getvariable('kept_id') AND k.byte_offset = d.byte_offset + getvariable('shift')
JOIN ov_rows dh ON dh.evidence_id = d.evidence_id AND dh.line_no = d.line_no
JOIN ov_rows kh ON kh.evidence_id = k.evidence_id AND kh.line_no = k.line_no
               AND kh.line_hash = dh.line_hash AND kh.ts_utc = dh.ts_utc
               AND (kh.line_id IS NULL OR dh.line_id IS NULL OR kh.line_id = dh.line_id)  -- overlap.py SAME_ID
WHERE d.evidence_id = getvariable('damaged_id')
  AND (d.byte_offset < getvariable('member_start') OR d.byte_offset > getvariable('member_last_newline'))
  AND NOT list_contains(getvariable('differing_offsets'), d.byte_offset)
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = d.evidence_id AND o.line_no = d.line_no)
ORDER BY d.line_no;
