-- name: corruption_candidates
-- Each gzip member that inflated to its end and fails its CRC-32 (evidence.crc_failures) whose decoded size is the
-- size its trailer records (mod 2^32: no byte was added or lost, so a copy's bytes lie in the same places), with
-- each intact file (no damage, ingested) the overlap rule paired lines of the member with (overlap_lines): `shift`,
-- from a content byte of the member to the same byte in the intact file (the paired lines' byte offsets apart),
-- one paired line as the anchor that numbers the intact file's lines, and how many paired lines give that shift;
-- most first. exposure/corruption.py reads the intact bytes each candidate names and tests their CRC-32 and size.
-- params:
WITH members AS (
    SELECT e.evidence_id, unnest(e.crc_failures) AS f
    FROM evidence e WHERE e.verdict = 'ingested' AND e.damage = 'damaged' AND e.crc_failures IS NOT NULL
), whole AS (
    SELECT evidence_id, f.member, f.content_start AS lo, f.content_start + f.content_bytes AS hi,
           f.content_bytes, f.stored_crc
    FROM members WHERE f.content_bytes % 4294967296 = f.stored_size
), paired AS (
    SELECT w.evidence_id, w.member, w.lo, w.content_bytes, w.stored_crc, o.kept_evidence_id,
           k.byte_offset - d.byte_offset AS shift, k.line_no AS k_line, k.byte_offset AS k_offset
    FROM whole w
    JOIN overlap_lines o ON o.evidence_id = w.evidence_id AND o.kept_evidence_id <> o.evidence_id
    JOIN requests d ON d.evidence_id = o.evidence_id AND d.line_no = o.line_no
                   AND d.byte_offset >= w.lo AND d.byte_offset < w.hi
    JOIN requests k ON k.evidence_id = o.kept_evidence_id AND k.line_no = o.kept_line_no
    JOIN evidence ke ON ke.evidence_id = o.kept_evidence_id AND ke.damage IS NULL AND ke.verdict = 'ingested'
)
SELECT evidence_id, member, lo, content_bytes, stored_crc, kept_evidence_id, shift,
       min(k_line) AS anchor_line, min(k_offset) AS anchor_offset, count(*) AS pairs
FROM paired
WHERE lo + shift >= 0
GROUP BY evidence_id, member, lo, content_bytes, stored_crc, kept_evidence_id, shift
ORDER BY evidence_id, member, pairs DESC, kept_evidence_id, shift;
