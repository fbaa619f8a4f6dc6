-- Possible copies of a target under other names: paths on the target's host (every host where it has none;
-- target.sql on_target_host, the test its aliases are matched by) that answered a GET with the
-- target's size while the target was available. People put the same file online under the names they give
-- copies (`lijst (1).xlsx`, `lijst.xlsx.bak`, `/backup/lijst.xls`); each complete download of such a path is
-- probably one more complete copy of the target. They are listed apart and never added to the target's
-- figures: `--alias PATH` (queries/target.sql, target_aliases) is the user's decision to count one.
-- A copy is a file as `files` makes one (queries/files.sql file_spellings, the one rule of which spellings are
-- one file: a line's path folded only where its server ignores case, a path a case-sensitive server showed
-- available its own file, an IIS-only file named by its most frequent spelling no such server logged), built with
-- no files_targets: the copies are not the run's targets.
-- By hand: run queries/downloads_rule.sql and queries/target.sql (target_macros), then copy_matches below, then
-- queries/files.sql file_spellings (files_targets unset; spellings_folds as copy_matches set it), then the rest.

-- name: copy_matches
-- The matching responses, each with its path as logged and whether its server ignores case, in the temporary
-- table copy_matches; and in the variable spellings_folds every such path case-folded: the folds
-- queries/files.sql file_spellings is built for (copy_macros then names each response's file by it).
-- A response matches when it is a GET answered 200 or 206, inside one of the target's own windows (from its
-- first available response up to its first unavailable one; to the end of the evidence when it was still
-- available), of a path as logged that the target and its aliases do not count (target.sql target_alias_no:
-- the copy's file may have the target's spellings too, a case-insensitive server's line as much another
-- file's; copy_macros leaves every line the target counts out of the copy's figures), and its size is the
-- window's size by the window's rule: size_match `exact` when the object's exact length the log states (S3
-- object_size, CloudFront sc-content-len, a Content-Range total) or a 200's body byte count equals the window's
-- body size; `band` when the byte count includes headers and lies in the window's complete-transfer band,
-- from 256 bytes (the band's island gap: another name may carry a shorter Content-Type) below its lower edge
-- to 2 KiB above it; `spelling` when the path is the target's spelled another way that a server may serve as
-- the target (server_spelling below), whatever the size: range parts, a header-inclusive count, a response cut
-- short. Such a request is no download of the target until the user says so (--alias); it is never hidden.
-- needs: target_macros
-- params: target_path
-- The spellings servers map to one file: a backslash as a slash (IIS), path parameters (`;jsessionid=...`,
-- Java servlet containers), repeated slashes (nginx merge_slashes, Apache), `/./` and `x/../` segments (left
-- in the logged request line), trailing dots and blanks (Windows file names, IIS); the Unicode compared in NFC
-- (a name written decomposed, NFD, by macOS: APFS and HFS+ serve either form as the same file).
-- A `#fragment` is not among them: paths are stored percent-decoded, so `/docs/x.xlsx#1` may be `%231` (another
-- file, named `x.xlsx#1`, that servers serve as such) as well as a literal `#`; the stored path cannot tell them apart.
CREATE OR REPLACE TEMP MACRO server_spelling(p) AS
    nfc_normalize(rtrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        replace(p, '\', '/'), ';[^/]*', '', 'g'), '/{2,}', '/', 'g'), '/(\./)+', '/', 'g'),
        '/[^/]+/\.\./', '/', 'g'), '/{2,}', '/', 'g'), '. '));
-- A spelling keeps the target's file name (every change above is around it): a path without it is passed over
-- by one `contains` before the five regexes (those over every GET of a 20 M-row case took 35 s).
-- A path with letters beyond ASCII (strlen, its bytes, above length, its characters) is compared in NFC
-- (nfc_normalize), case-folded too where paths are case-insensitive: `lijst-e` + U+0308 (NFD, as macOS writes
-- names) is the target `lijst-ë` spelled otherwise, and on IIS `/docs/lijst-e` + U+0308 is `/Docs/Lijst-ë`.
CREATE OR REPLACE TEMP MACRO target_name() AS
    nfc_normalize(regexp_extract(rtrim(getvariable('target_path'), '. '), '[^/\\]*$'));
-- The target's file name in a path, case-folded where the evidence file's paths are case-insensitive (IIS).
CREATE OR REPLACE TEMP MACRO holds_target_name(p, folded) AS
    CASE WHEN folded THEN contains(lower(p), lower(target_name())) ELSE contains(p, target_name()) END;
CREATE OR REPLACE TEMP MACRO target_spelling(p, folded) AS
    (holds_target_name(p, folded) OR (strlen(p) <> length(p) AND holds_target_name(nfc_normalize(p), folded)))
    AND (server_spelling(p) = server_spelling(getvariable('target_path'))
         OR (folded AND lower(server_spelling(p)) = lower(server_spelling(getvariable('target_path')))));

-- The paths that spell the target, each distinct path (and case rule) tested once: only a path holding the name
-- or with letters beyond ASCII is kept at all, then each is tested (nfc_normalize once per row of 5 M CJK
-- responses took 10 s). Two statements: in one, DuckDB pushes the test below the DISTINCT, to every row. The
-- name case-folded (a path holding it as written holds it so too) is a test of the path alone, which the scan
-- runs before the join with the evidence file's case rule (0.06 s of CPU of 2 M lines where the join's ran).
CREATE OR REPLACE TEMP TABLE copy_spellings AS
SELECT DISTINCT r.path, coalesce(e.paths_case_insensitive, false) AS folded
FROM requests r
JOIN evidence e USING (evidence_id)
WHERE e.verdict = 'ingested' AND r.method = 'GET' AND r.status IN (200, 206) AND r.path IS NOT NULL
  AND (strlen(r.path) <> length(r.path) OR contains(lower(r.path), lower(target_name())))
  AND (strlen(r.path) <> length(r.path) OR holds_target_name(r.path, coalesce(e.paths_case_insensitive, false)));
-- The target's own paths and its aliases' (target_alias_no) are no copies: copy_hits drops them at its end, so
-- they are dropped here, and where no other path spells the target the scan for spellings reads nothing (the
-- target's own responses were read there: 0.05 s of 2 M lines).
DELETE FROM copy_spellings WHERE NOT target_spelling(path, folded) OR target_alias_no(path, folded) IS NOT NULL;

-- Every size any of the target's own windows accepts lies in [lo, hi] (NULLs: it has no such window): a cheap
-- filter before the window join, set as a value so that the scan below tests it on each row before it reads the
-- row's path (as a subquery it was tested after a join of every GET's path: 0.1 s of CPU of 2 M lines).
SET VARIABLE copy_size_edges = (
    SELECT [min(least(body_size, band_bytes - 256)), max(greatest(body_size, band_bytes + 2048))]
    FROM target_windows()
    WHERE via IS NULL AND (body_size > 0 OR band_bytes > 0));
-- A GET answered 200 or 206 whose byte count or exact length lies within those edges.
CREATE OR REPLACE TEMP MACRO copy_size_fits(bytes, object_size) AS
    coalesce(bytes BETWEEN getvariable('copy_size_edges')[1] AND getvariable('copy_size_edges')[2]
             OR object_size BETWEEN getvariable('copy_size_edges')[1] AND getvariable('copy_size_edges')[2], false);

CREATE OR REPLACE TEMP TABLE copy_matches AS
WITH win AS (      -- the target's own windows (an alias's are not the target's availability)
    SELECT window_no, first_available, first_unavailable, body_size, band_bytes
    FROM target_windows()
    WHERE via IS NULL AND (body_size > 0 OR band_bytes > 0)
), candidates AS ( -- a size within the edges, or a path that spells the target (in its own file's case rule)
    SELECT r.path, r.ts_utc, r.evidence_id, r.line_no, r.status, r.bytes,
           coalesce(e.bytes_meaning, 'body') AS bytes_meaning,
           rule_exact_size(r.object_size, r.status, e.exact_length_field, r.extra['cut_field']) AS exact_size,
           coalesce(e.paths_case_insensitive, false) AS folded, s.path IS NOT NULL AS spelled
    FROM (  -- two scans, each of which tests a constant before it reads a row's other fields: the size edges, and
            -- the few paths of copy_spellings; a row both select comes from the first
        SELECT * FROM requests
        WHERE method = 'GET' AND status IN (200, 206) AND path IS NOT NULL AND copy_size_fits(bytes, object_size)
          AND on_target_host(vhost)
        UNION ALL
        SELECT * FROM requests
        WHERE method = 'GET' AND status IN (200, 206) AND path IN (SELECT path FROM copy_spellings)
          AND NOT copy_size_fits(bytes, object_size) AND on_target_host(vhost)
    ) r   -- on the target's host, as its own lines and its aliases' (target.sql on_target_host)
    JOIN evidence e USING (evidence_id)
    ANTI JOIN overlap_lines o   -- as in target.sql: a later copy of a counted line
        ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no
    LEFT JOIN copy_spellings s ON s.path = r.path AND s.folded = coalesce(e.paths_case_insensitive, false)
    WHERE e.verdict = 'ingested' AND (copy_size_fits(r.bytes, r.object_size) OR s.path IS NOT NULL)
), judged AS (
    SELECT c.*, w.window_no AS target_window,
           CASE WHEN c.exact_size = w.body_size
                     OR (c.bytes_meaning = 'body' AND c.status = 200 AND c.bytes = w.body_size) THEN 'exact'
                WHEN c.bytes_meaning = 'headers+body' AND c.status = 200
                     AND c.bytes BETWEEN w.band_bytes - 256 AND w.band_bytes + 2048 THEN 'band'
                WHEN c.spelled THEN 'spelling' END AS size_match
    FROM candidates c
    JOIN win w ON c.ts_utc >= w.first_available
              AND (w.first_unavailable IS NULL OR c.ts_utc < w.first_unavailable)
    UNION ALL       -- another spelling outside every window of the target (or with no window at all: every
                    -- request of the file spelled another way) is listed too
    SELECT c.*, NULL, 'spelling'
    FROM candidates c
    WHERE c.spelled
      AND NOT EXISTS (SELECT 1 FROM win w WHERE c.ts_utc >= w.first_available
                                            AND (w.first_unavailable IS NULL OR c.ts_utc < w.first_unavailable))
)
SELECT path, folded, ts_utc, evidence_id, line_no, status, bytes, target_window, size_match
FROM judged
WHERE size_match IS NOT NULL
  AND target_alias_no(path, folded) IS NULL;  -- a path the target and its aliases do not count (target.sql's one test)
-- which spellings are one file is decided fold by fold (file_spellings): built for these folds alone, it gives
-- their files exactly as over the whole case, without a pass over every path of it
SET VARIABLE spellings_folds = (SELECT coalesce(list(DISTINCT lower(path) ORDER BY lower(path)), [])
                                FROM copy_matches);

-- name: copy_macros
-- The matching responses (copy_matches) in the temporary table copy_hits, each with the file it is a spelling of
-- (queries/files.sql file_spellings, built for their folds: of each file, where it is as much several files'),
-- every request of those files in copy_raw (target_counted: a line the target or an alias counts, target_raw; a
-- case-insensitive server's line may be as much the target's file as a copy's; shared_with: file_spellings'
-- other files the line is as much a spelling of), and the download rule over those files without the lines the
-- target counts (copy_rule_events, copy_rule_windows, copy_downloads()): each file's own windows, size and
-- downloads by the one rule, as `files` gives them for that file but for the target's own lines, so that what
-- the copy adds is never in the target's figures already (a given --size applies to them as it would to an
-- alias).
-- needs: copy_matches, file_spellings
-- params: size?, range_gap_minutes
CREATE OR REPLACE TEMP TABLE copy_hits AS
SELECT f.file AS file_key, m.path, m.ts_utc, m.evidence_id, m.line_no, m.status, m.bytes, m.target_window,
       m.size_match
FROM copy_matches m
JOIN file_spellings f ON f.path = m.path AND f.folded = m.folded;

CREATE OR REPLACE TEMP TABLE copy_raw AS   -- every line of each file a response matched (file_spellings)
SELECT f.file AS file_key,
       r.* REPLACE (rule_offset(r.range_start, r.extra['cut_field']) AS range_start,
                    rule_offset(r.range_end, r.extra['cut_field']) AS range_end),
       e.path AS evidence_path, e.sha256 AS evidence_sha256,
       coalesce(e.bytes_meaning, 'body') AS bytes_meaning,
       rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field']) AS bytes_known,
       rule_exact_size(r.object_size, r.status, e.exact_length_field, r.extra['cut_field']) AS exact_size,
       tr.line_no IS NOT NULL AS target_counted, f.shared_with
FROM requests r
JOIN evidence e USING (evidence_id)
JOIN (SELECT file, path, folded, shared_with FROM file_spellings WHERE file IN (SELECT file_key FROM copy_hits)) f
  ON f.path = r.path AND f.folded = coalesce(e.paths_case_insensitive, false)
LEFT JOIN (SELECT evidence_id, line_no FROM target_raw) tr   -- the target's own lines (target.sql target_raw)
  ON tr.evidence_id = r.evidence_id AND tr.line_no = r.line_no
WHERE e.verdict = 'ingested' AND r.path IS NOT NULL
  AND on_target_host(r.vhost)   -- the host test of the target and its aliases: --alias PATH would count these lines
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o
                  WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no);

CREATE OR REPLACE TEMP MACRO copy_requests() AS TABLE
SELECT t.*, coalesce(ci.internal, false) AS internal, coalesce(uc.client_class, 'unknown') AS client_class
FROM copy_raw t
LEFT JOIN client_info ci ON ci.client = t.client
LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM t.user_agent;

CREATE OR REPLACE TEMP VIEW copy_rule_input AS SELECT * FROM copy_requests() WHERE NOT target_counted;
-- the rule's steps kept in temporary tables, as the target's (its windows and downloads both read them)
CREATE OR REPLACE TEMP TABLE copy_rule_events AS SELECT * FROM rule_events('copy_rule_input');
CREATE OR REPLACE TEMP TABLE copy_rule_windows AS
SELECT * FROM rule_windows('copy_rule_events', getvariable('size'));

CREATE OR REPLACE TEMP MACRO copy_downloads() AS TABLE
SELECT * FROM rule_downloads('copy_rule_events', 'copy_rule_windows', getvariable('size'),
                             getvariable('range_gap_minutes'));

-- name: possible_copies
-- One row per possible copy of the target (a file of file_spellings: a path, and where a server ignores case the
-- spellings the rule gives it): path (the file's name, as `files` names it) and spellings (that name first, then
-- most frequent first, the larger on a tie, as `files` lists them); size_match (exact when at least one
-- response matched exactly, else band when one did within the band, else spelling) and target_windows (the target's windows it answered in);
-- matching_responses, first_match and last_match (the matching responses; lines: their evidence lines); its
-- own windows by the download rule: first_available, last_available, withdrawn_at (the first unavailable
-- response after its last available one; NULL: still available when the logs end), windows, size_bytes and
-- size_rule (its last window's); its downloads by the answer's figures (queries/totals.sql download_figures):
-- complete_downloads and distinct_ips (external addresses with a complete download; client_ips lists them),
-- no_address_complete_downloads (of them, logged without a client address), internal_complete_downloads,
-- partial_downloads and
-- undetermined_downloads (external); target_shared_requests (its external requests the target or an alias
-- counts: left out of every figure above), shared_requests and shared_with (of the rest, its external requests
-- as much the files in shared_with's, as `files` gives them: two copies given as --alias count them once). Never
-- added to the target's figures. Sorted by complete downloads, then first match and path.
-- needs: copy_macros
-- params: none
WITH hits AS (
    SELECT file_key,
           CASE WHEN bool_or(size_match = 'exact') THEN 'exact' WHEN bool_or(size_match = 'band') THEN 'band'
                ELSE 'spelling' END AS size_match,
           coalesce(list(DISTINCT target_window ORDER BY target_window) FILTER (WHERE target_window IS NOT NULL),
                    []) AS target_windows,
           count(*) AS matching_responses, min(ts_utc) AS first_match, max(ts_utc) AS last_match,
           list({'evidence_id': evidence_id, 'line_no': line_no} ORDER BY ts_utc, evidence_id, line_no) AS lines
    FROM copy_hits GROUP BY file_key
), spelled AS (
    SELECT file_key, path, count(*) AS n FROM copy_raw GROUP BY ALL
), names AS (
    SELECT file_key, file_key AS path, list(path ORDER BY path = file_key DESC, n DESC, path DESC) AS spellings
    FROM spelled GROUP BY file_key
), win AS (
    SELECT file_key, count(*) AS windows, min(first_available) AS first_available,
           max(last_available) AS last_available, arg_max_null(first_unavailable, window_no) AS withdrawn_at,
           arg_max_null(size_bytes, window_no) AS size_bytes, arg_max_null(size_rule, window_no) AS size_rule
    FROM copy_rule_windows GROUP BY file_key
), dl AS (
    SELECT file_key, f.complete_downloads, f.distinct_ips, client_ips, f.no_address_complete_downloads,
           f.internal_complete_downloads, f.partial_downloads, f.undetermined_downloads
    FROM (SELECT file_key, download_figures(outcome, outcome_inferred, internal, client, client_class) AS f,
                 list(DISTINCT client ORDER BY client) FILTER (WHERE outcome = 'complete' AND NOT internal
                                                                  AND client IS NOT NULL) AS client_ips
          FROM copy_downloads() GROUP BY file_key)
), shared AS (
    SELECT file_key, count(*) FILTER (WHERE target_counted AND NOT internal) AS target_shared_requests,
           count(*) FILTER (WHERE NOT target_counted AND NOT internal AND len(shared_with) > 0) AS shared_requests,
           list_sort(list_distinct(flatten(list(shared_with) FILTER (WHERE NOT target_counted)))) AS shared_with
    FROM copy_requests() GROUP BY file_key
)
SELECT n.path, n.spellings, h.size_match, h.target_windows, h.matching_responses, h.first_match, h.last_match,
       w.first_available, w.last_available, w.withdrawn_at, coalesce(w.windows, 0) AS windows,
       w.size_bytes, w.size_rule,
       coalesce(dl.complete_downloads, 0) AS complete_downloads, coalesce(dl.distinct_ips, 0) AS distinct_ips,
       coalesce(dl.client_ips, []) AS client_ips,
       coalesce(dl.no_address_complete_downloads, 0) AS no_address_complete_downloads,
       coalesce(dl.internal_complete_downloads, 0) AS internal_complete_downloads,
       coalesce(dl.partial_downloads, 0) AS partial_downloads,
       coalesce(dl.undetermined_downloads, 0) AS undetermined_downloads,
       sh.target_shared_requests, sh.shared_requests, coalesce(sh.shared_with, []) AS shared_with,
       h.lines
FROM hits h
JOIN names n USING (file_key)
LEFT JOIN win w USING (file_key)
LEFT JOIN dl USING (file_key)
JOIN shared sh USING (file_key)
ORDER BY complete_downloads DESC, h.first_match, n.path;
