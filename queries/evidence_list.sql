-- name: evidence_list
-- Every evidence file as the JSON answer lists it (`evidence`, exposure/answer.py evidence_section): its path,
-- hashes, format, line accounting, the file it duplicates, verdict, size, compression, stream, first and last
-- time (UTC, ISO 8601 with Z; the time a file's name gives is read from the name, not from its lines) and the
-- recorded facts with their basis (exposure/facts.py: declared | inferred | given | assumed). One row per file,
-- in the order of ingest.
-- needs: evidence_rules
SELECT e.path, e.sha256, e.content_sha256, e.format, e.lines, e.requests, e.rejected, e.skipped,
       o.path AS duplicate_of, e.verdict, e.size_bytes, e.compression, e.server,
       strftime(e.first_time, '%Y-%m-%dT%H:%M:%SZ') AS first_time,
       strftime(e.last_time, '%Y-%m-%dT%H:%M:%SZ') AS last_time,
       e.time_meaning, e.bytes_meaning, e.format_lacks, e.read_errors,
       e.time_basis, e.bytes_basis, e.bytes_basis_detail, e.exact_length_field, e.exact_length_basis,
       e.paths_case_insensitive, e.paths_basis, e.stream, e.stream_reason, e.name_kind, c.cite_reason,
       strftime(e.name_time_utc, '%Y-%m-%dT%H:%M:%SZ') AS name_time_utc,
       name_time_meaning(e.name_time_kind, e.name_time_utc) AS name_time_meaning
FROM evidence e LEFT JOIN evidence o ON o.evidence_id = e.duplicate_of
LEFT JOIN evidence_citation c ON c.evidence_id = e.evidence_id
ORDER BY e.evidence_id;
