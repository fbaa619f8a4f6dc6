-- The citation rule: between files that hold the same lines (identical copies, exposure/ingest.py; or
-- overlapping ones, exposure/overlap.py) one is cited as the original, its lines counted; the others are listed
-- as its copies. The order, whatever order the files were ingested in:
--   0. a file whose integrity check failed (evidence.damage 'damaged': a gzip CRC-32 that fails, so bytes may be
--      altered) after any other: an intact copy of the same lines is cited, whatever the names (between identical
--      copies, the same bytes, the other way round: identical_citation below);
--   1. who wrote the file name (evidence.name_kind, exposure/streams.py): a name servers, rotation or log
--      shippers write (server) before a name that says nothing (silent) before a name people give a copy (copy:
--      `copy of`, `kopie`, ` (1)`, `.bak`, `_old`, `.copy` ...);
--   2. where it lies: outside a folder named like a copy's (export/, backup/ ...: evidence.copy_folder) first;
--   3. how whole the file is: intact before partial (its last line cut off mid-line) before damaged, truncated
--      or changed while it was read (evidence.damage);
--   4. the earliest ingested (evidence_id).

-- name: citation
-- The view evidence_citation: per evidence file its place in the citation rule (cite_key, lowest cited first)
-- and why (cite_reason). Persisted in the case (created with it), so it can be queried by hand.
CREATE VIEW IF NOT EXISTS evidence_citation AS
SELECT evidence_id,
       CASE name_kind WHEN 'server' THEN 0 WHEN 'silent' THEN 1 ELSE 2 END AS name_rank,
       CASE WHEN copy_folder IS NULL THEN 0 ELSE 1 END AS folder_rank,
       CASE WHEN damage IS NOT NULL THEN 2 WHEN final_newline = false THEN 1 ELSE 0 END AS integrity_rank,
       [CASE WHEN damage = 'damaged' THEN 1 ELSE 0 END, name_rank, folder_rank, integrity_rank, evidence_id]
           AS cite_key,
       concat_ws(', ',
           CASE name_kind WHEN 'server' THEN 'a name servers write' WHEN 'silent' THEN 'a name that says nothing'
                          ELSE 'a copy''s name' END,
           CASE WHEN copy_folder IS NOT NULL THEN 'in a folder named like a copy''s (' || copy_folder || ')' END,
           CASE integrity_rank WHEN 0 THEN 'intact' WHEN 1 THEN 'last line cut off' ELSE damage END,
           'ingested as evidence ' || evidence_id) AS cite_reason
FROM evidence;

-- name: identical_citation
-- The citation rule between identical copies (the same content_sha256: exposure/ingest.py makes all but the first
-- its duplicates): a file whose reading found the content damaged (evidence.damage 'damaged': a gzip member failing
-- its CRC-32) first, its copies after it, then the citation rule's order (cite_key). The damage is the content's:
-- `zcat` of a damaged .gz writes the same altered bytes, and a plain copy cited in its place would carry neither
-- the `damaged` finding nor the CRC-32 failures the proof reads (exposure/corruption.py). Per ingested file of
-- the contents asked for: its content, its evidence id and its key (lowest cited first).
-- params: content_shas
SELECT e.content_sha256, e.evidence_id,
       list_prepend(CASE WHEN e.damage = 'damaged' THEN 0 ELSE 1 END, c.cite_key) AS identical_key
FROM evidence e JOIN evidence_citation c USING (evidence_id)
WHERE e.verdict = 'ingested' AND list_contains(getvariable('content_shas'), e.content_sha256)
ORDER BY e.content_sha256, identical_key;
