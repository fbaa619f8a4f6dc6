-- name: counts_before
-- Each ingested file's counts before an ingest's steps over the whole case (exposure/ingest.py settle), kept for
-- the command's length: the steps may change a file already in the case (a damaged gzip member proven a corrupted
-- copy of the file this command brought has its altered lines rejected, exposure/corruption.py), and the command
-- says the counts it changed (counts_changed). A temporary table: never in the case file.
-- params: none
CREATE OR REPLACE TEMP TABLE counts_before AS
SELECT evidence_id, lines, requests, rejected, skipped FROM evidence WHERE verdict = 'ingested';

-- name: counts_changed
-- The ingested files whose counts differ from counts_before (the registry's counts now, what the command says of
-- them), in evidence order; the table dropped by exposure/ingest.py once read.
-- params: none
SELECT e.evidence_id, e.path, e.format, e.lines, e.requests, e.rejected, e.skipped, e.damage
FROM evidence e JOIN counts_before b USING (evidence_id)
WHERE e.verdict = 'ingested'
  AND (e.lines, e.requests, e.rejected, e.skipped) IS DISTINCT FROM (b.lines, b.requests, b.rejected, b.skipped)
ORDER BY e.evidence_id;
