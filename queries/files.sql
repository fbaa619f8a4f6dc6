-- Every file served, summarised at once (set-based over all paths, not one target at a time), so an
-- investigator can see what a publication folder exposed before analysing single files.
-- Parameters (all optional; unset = every path):
--   SET VARIABLE path_prefix = '/documenten/wob/2020/';  -- only paths starting with this prefix
--   SET VARIABLE path_glob   = '*.xlsx';                -- only paths matching this GLOB (* also matches '/')
--   SET VARIABLE files_targets = ['/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx'];  -- labels
--   SET VARIABLE files_host_targets = [{'name': 'https://www.example.nl/docs/a.pdf', 'path': '/docs/a.pdf',
--                                       'host': 'www.example.nl'}];  -- targets naming a host (path in files_targets)
--   SET VARIABLE range_gap_minutes = 30;
-- Windows, sizes and downloads are the download rule's (queries/downloads_rule.sql: run it first by hand, then
-- queries/totals.sql's figure_macros block, and a ua_class table: `exposure sql files` writes it, the classes
-- kept at ingest),
-- per file, exactly as `analyse` computes them for one target: for a target, `files` gives analyse's numbers.
-- A file is a path as stored (percent-decoded, without query), over every virtual host (a target naming a host,
-- --target https://HOST/PATH, is a row of its own: that host's requests alone, files_keys); a line of a server that
-- ignores case (evidence.paths_case_insensitive: IIS) is a spelling of a file, and prefix and pattern match it
-- case-insensitively (file_spellings below: what one file is, the rule --target counts by).
-- The table client_info (written by `exposure files --internal` / Case.files(internal=...)) flags staff
-- addresses; without it every address counts as external.

-- name: file_spellings
-- What one file is, for every path of the case at once: --target's own test (queries/target.sql
-- target_alias_no) read the other way round. A line's path is folded only where its server ignores case
-- (evidence.paths_case_insensitive: IIS). A path a case-sensitive server logged (nginx, Apache ...) and showed
-- available there (queries/downloads_rule.sql rule_names_file) names a file of its own, exactly as logged: a
-- case-insensitive server's line equal to it but for case is that file's (as `--target PATH` counts it; equal to
-- two such paths, each one's, as each --target counts it: shared_with). A path a case-sensitive server only
-- refused (a scanner's 404) is a file of its own lines alone, and takes no line of a case-insensitive server,
-- unless it is one of files_targets (as --target of it counts them, so `files` gives analyse's numbers). A
-- file only case-insensitive servers served is named by its most frequent spelling no case-sensitive server
-- logged (lines, later copies of overlapping lines left out; the larger spelling on a tie), every spelling of it
-- one file, counted once: so it never shares a name, and so lines, with a path such a server only refused (as
-- --target of that path would count them). Only where such a server logged every spelling (only refused them) is
-- it named by one of them all the same, and is that path's file with that path's lines: --target of it counts
-- them so. Where two of files_targets spell such a file (`--target /a.pdf --target /A.pdf`), each is a file of
-- its own, every folded line of it, shared_with the other: as analyse answers each target (split below).
-- The temporary table file_spellings: one row per file and spelling (path and folded, a spelling as logged by a
-- case-insensitive server or not): file, path, folded, n (its lines), available (one of them shows the file
-- available: the download rule's rule_available), selected (it matches prefix and pattern as its server matches
-- paths: case-insensitively where folded), shared_with (the other files this spelling is as much a spelling of,
-- sorted; empty for most). Which files are selected: selected_files below.
-- Which spellings are one file is decided fold by fold (lower(path): every window, claim and name below is per
-- fold): spellings_folds, where set (possible_copies.sql copy_matches), builds the table for those folds alone,
-- their rows exactly as over the whole case.
-- needs: download_rule
-- params: path_prefix?, path_glob?, files_targets?, spellings_folds?
CREATE OR REPLACE TEMP TABLE file_spellings AS
WITH logged AS (
    SELECT r.path, coalesce(e.paths_case_insensitive, false) AS folded,
           count(*) FILTER (WHERE o.line_no IS NULL) AS n,   -- a later copy of a counted line: not a spelling's vote
           bool_or(rule_available(r.method, r.status, r.bytes,
                                  rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field']),
                                  r.completion)) AS available
    FROM requests r
    JOIN evidence e USING (evidence_id)
    LEFT JOIN overlap_lines o ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no
    WHERE e.verdict = 'ingested' AND r.path IS NOT NULL
      AND (getvariable('spellings_folds') IS NULL
           OR lower(r.path) IN (SELECT unnest(getvariable('spellings_folds')::VARCHAR[])))
    GROUP BY ALL
), split AS (     -- a fold two targets given spell (`--target /a.pdf --target /A.pdf`): analyse answers each, every
                   -- folded line of the fold counted by both (each warned of the other: target_shared_spellings
                   -- run_targets), so each is a file of its own, as --target of it counts them, shared_with the other
    SELECT lower(t) AS fold
    FROM (SELECT DISTINCT t FROM unnest(coalesce(getvariable('files_targets')::VARCHAR[], [])) AS g(t))
    GROUP BY ALL HAVING count(*) > 1
), spelled AS (    -- claims: a file of its own that takes the fold's folded lines (rule_names_file, or a case-
                   -- sensitive path given in files_targets: --target of it counts them); claimed: a path of the fold
                   -- does, or two targets split it (split: each target a file of its own, no other name)
    SELECT *, bool_or(claims) OVER (PARTITION BY fold) OR fold IN (SELECT fold FROM split) AS claimed,
           bool_or(NOT folded) OVER (PARTITION BY path) AS kept_logged   -- a case-sensitive server logged this path
    FROM (SELECT lower(path) AS fold, *,
                 rule_names_file(folded, available)
                 OR (NOT folded AND list_contains(coalesce(getvariable('files_targets')::VARCHAR[], []), path)) AS claims
          FROM logged)
), named AS (      -- each case-sensitive path its own file (keeps_own: its own lines; claims: and the folded ones too),
                   -- the folded lines of a fold no such path claims, one file
    SELECT fold, path AS file, true AS keeps_own, claims FROM spelled WHERE NOT folded
    UNION ALL
    SELECT fold, arg_max(path, (NOT kept_logged, n, path)) AS file, false AS keeps_own, true AS claims
    FROM spelled WHERE folded AND NOT claimed GROUP BY fold
    UNION ALL      -- a target given that is only a case-insensitive server's spelling of a fold a path claims (or two
                   -- targets split): a file of its own, every folded line of the fold, as --target of it counts them
                   -- (shared_with that path, or the other target)
    SELECT DISTINCT lower(t) AS fold, t AS file, false AS keeps_own, true AS claims
    FROM unnest(coalesce(getvariable('files_targets')::VARCHAR[], [])) AS g(t)
    WHERE lower(t) IN (SELECT fold FROM spelled WHERE folded AND claimed)
      AND t NOT IN (SELECT path FROM spelled WHERE NOT folded)
), spellings AS (
    SELECT n.file, s.path, s.folded, s.n, s.available, s.fold
    FROM named n
    JOIN spelled s ON s.fold = n.fold AND CASE WHEN s.folded THEN n.claims ELSE n.keeps_own AND s.path = n.file END
)
SELECT file, path, folded, n, available,
       CASE WHEN folded
            THEN starts_with(fold, lower(coalesce(getvariable('path_prefix'), '')))
                 AND fold GLOB lower(coalesce(getvariable('path_glob'), '*'))
            ELSE starts_with(path, coalesce(getvariable('path_prefix'), ''))
                 AND path GLOB coalesce(getvariable('path_glob'), '*') END AS selected,
       list_sort(list_filter(list(file) OVER (PARTITION BY path, folded), lambda f: f <> file)) AS shared_with
FROM spellings;

-- The files selected (one row each; served: one of its responses shows it available): a file one of whose
-- spellings matches, as the server that logged it matches paths (file_spellings selected: case-insensitively on
-- IIS), whatever that spelling's responses were. A file is under a folder where any spelling the rule gives it
-- is: an IIS 404 on /docs/A.pdf is nginx's /Docs/a.pdf's (file_spellings, as --target /Docs/a.pdf counts it),
-- so that file is under /docs/ on IIS, and `files --under /docs/` is its row, with every line the unfiltered row
-- counts. `files` reads these files, --under and --target-glob the served (analyse then gives those rows' numbers).
CREATE OR REPLACE TEMP VIEW selected_files AS
SELECT file, bool_or(available) AS served
FROM file_spellings
GROUP BY file
HAVING bool_or(selected);

-- The name a file is shown by: a target's spelling as given in files_targets where that target is the file
-- (the file's own path, or for a file only case-insensitive servers logged, any spelling of it), else its own.
CREATE OR REPLACE TEMP MACRO file_named(file, folded) AS
    coalesce(CASE WHEN list_contains(coalesce(getvariable('files_targets')::VARCHAR[], []), file) THEN file END,
             list_filter(coalesce(getvariable('files_targets')::VARCHAR[], []),
                         lambda t: CASE WHEN folded THEN lower(t) = lower(file) ELSE t = file END)[1], file);

-- name: files_requests
-- The rows the files are counted in (files_keys): each selected file's spellings, file_key the file (host NULL:
-- every host); and for each target naming a host (files_host_targets: --target https://HOST/PATH, its path also
-- in files_targets) the spellings of the file its path is (file_named: the row --target PATH gives), file_key the
-- target as given, host its host: that row counts only the lines on_host says are on it (a line that logs no host
-- is every host's), as analyse --target https://HOST/PATH counts (queries/target.sql on_target_host).
-- needs: file_spellings, client_info, ua_class
-- params: files_host_targets?, files_targets?
CREATE OR REPLACE TEMP VIEW files_keys AS
WITH sel AS (
    SELECT file, path, folded, bool_and(folded) OVER (PARTITION BY file) AS file_folded
    FROM file_spellings WHERE file IN (SELECT file FROM selected_files)
)
SELECT file AS file_key, file, path, folded, NULL::VARCHAR AS host FROM sel
UNION ALL
SELECT h.name AS file_key, s.file, s.path, s.folded, h.host
FROM sel s
JOIN (SELECT DISTINCT unnest(getvariable('files_host_targets')::STRUCT(name VARCHAR, path VARCHAR, host VARCHAR)[],
                            recursive := true)) h
  ON file_named(s.file, s.file_folded) = h.path;

-- The requests of the selected files (file_spellings: every line of a file one of whose spellings matches;
-- ingested evidence, later copies of overlapping lines left out), in the view files_rule_input: the download
-- rule's input, file_key = the file (files_keys: or a host target's row); files_requests() returns it.
-- client_class: the agent's class as the target's
-- requests carry it (queries/target.sql target_requests: ua_class, written for every agent of the case from the
-- classes kept at ingest, exposure/derived.py agent_classes; 'unknown' for an agent it does not hold).
CREATE OR REPLACE TEMP VIEW files_rule_input AS
SELECT f.file_key,
       r.path, r.ts_utc, r.evidence_id, r.line_no, r.client, r.user_agent, r.method, r.status, r.bytes,
       rule_offset(r.range_start, r.extra['cut_field']) AS range_start,
       rule_offset(r.range_end, r.extra['cut_field']) AS range_end,
       r.completion, r.duration_ms, f.folded AS paths_case_insensitive,
       coalesce(e.bytes_meaning, 'body') AS bytes_meaning,
       rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field']) AS bytes_known,
       rule_exact_size(r.object_size, r.status, e.exact_length_field, r.extra['cut_field']) AS exact_size,
       coalesce(ci.internal, false) AS internal, coalesce(uc.client_class, 'unknown') AS client_class, r.vhost
FROM requests r
JOIN evidence e USING (evidence_id)
JOIN files_keys f
  ON f.path = r.path AND f.folded = coalesce(e.paths_case_insensitive, false) AND on_host(r.vhost, f.host)
LEFT JOIN client_info ci ON ci.client = r.client
LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM r.user_agent
WHERE e.verdict = 'ingested'
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o   -- as in target.sql: a later copy of a counted line
                  WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no);

CREATE OR REPLACE TEMP MACRO files_requests() AS TABLE SELECT * FROM files_rule_input;

-- What each row's spellings are as much a spelling of (file_spellings shared_with): a file's own; for a host
-- target's row (files_keys host), of those its file's, the files the target would be warned of on that host: one
-- another target given is, or a path a case-sensitive server showed available there (rule_names_file over that
-- host's lines), as analyse --target https://HOST/PATH says them (queries/target.sql target_shared_spellings).
CREATE OR REPLACE TEMP VIEW files_shared AS
WITH keyed AS (
    SELECT k.file_key, k.path, k.folded, k.host, fs.shared_with
    FROM files_keys k JOIN file_spellings fs ON fs.file = k.file AND fs.path = k.path AND fs.folded = k.folded
    WHERE len(fs.shared_with) > 0
), asked AS (      -- each host row's other files, once per host (none without host targets: nothing read)
    SELECT DISTINCT host, unnest(shared_with) AS other
    FROM keyed WHERE host IS NOT NULL AND getvariable('files_host_targets') IS NOT NULL
), shown AS (
    SELECT host, list(other) AS others
    FROM asked a
    WHERE list_contains(coalesce(getvariable('files_targets')::VARCHAR[], []), other)
       OR EXISTS (SELECT 1 FROM requests r JOIN evidence e USING (evidence_id)
                  WHERE e.verdict = 'ingested' AND r.path = a.other AND on_host(r.vhost, a.host)
                    AND rule_names_file(coalesce(e.paths_case_insensitive, false),
                                        rule_available(r.method, r.status, r.bytes,
                                                       rule_bytes_known(r.bytes, e.unsized_requests,
                                                                        r.extra['cut_field']), r.completion)))
    GROUP BY host
)
SELECT file_key, path, folded, shared_with FROM keyed WHERE host IS NULL
UNION ALL
SELECT k.file_key, k.path, k.folded, list_sort(list_filter(k.shared_with, lambda o: list_contains(s.others, o)))
FROM keyed k JOIN shown s USING (host);

-- name: files
-- One row per file: path (a target's spelling as given in files_targets, else the most frequent spelling),
-- spellings (every spelling logged, the one it is named by first, then most frequent first, the larger on a tie:
-- more than one only where paths are case-insensitive), first/last available response, withdrawn_at (the first unavailable response after the
-- last available one; NULL = still available when the logs end), windows (runs of available responses),
-- closed_windows (windows ended by a 404/410), the last window's size_bytes, size_votes and size_rule, and
-- where its byte counts include headers its complete-transfer band's edge and floor (band_bytes, band_floor: the
-- answer's window fields, rule_windows; where neither a given size nor the log's completion flag judges a count,
-- from the floor up to the edge undetermined, below it partial),
-- the answer's totals, every one of them, by the one definition (queries/totals.sql figure_macros:
-- download_figures, request_figures): complete_downloads and distinct_ips (external addresses with a complete
-- download), inferred_complete_downloads and inferred_only_ips (of those, complete by a sum of range parts
-- without offsets, and the addresses counted only through them: queries/downloads_rule.sql outcome_inferred),
-- fetcher_complete_downloads (of them, by web archives, crawlers and link previews: is_fetcher) and
-- cdn_complete_downloads (by a CDN filling its cache), no_address_complete_downloads (logged without a client
-- address: not in distinct_ips), internal_complete_downloads, partial_downloads and
-- undetermined_downloads (external), head_requests, not_modified, errors and no_method_responses (external),
-- requests and requesting_ips (external), internal_requests (the staff's),
-- available/unavailable responses (everyone's: a response says whether the file was there, whoever asked),
-- refused_after (where the last window is still open by the rule, never available again, and refused after it,
-- 401/403/451, to at least two external addresses: the first refusal, when it may have been withdrawn;
-- queries/downloads_rule.sql rule_refused_after, analyse's warning), shared_requests and shared_with (the file's
-- external requests logged by a server that ignores case that are as much the files in shared_with's, a
-- case-sensitive server's files equal to it but for case, each of which counts them too: file_spellings
-- shared_with, analyse's warning queries/target.sql target_shared_spellings; 0 and [] for most),
-- reopened_elsewhere (consecutive windows that may be one: queries/downloads_rule.sql rule_reopened_elsewhere,
-- analyse's warning; each {closed, reopened, seconds, closed_by, reopened_by}; [] for most), hosts (where the
-- file's requests name more than one site, each {host, requests} as site_host compares them, the most first:
-- analyse's warning, queries/target.sql target_hosts; [] for most), lengths_stated (the windows whose GETs state
-- two or more lengths, each {window, lengths}: analyse's "two or more lengths stated" warning; [] for most),
-- closed_by_error_page (the windows a custom error page answering 200 closed, rule_error_page: analyse's warning;
-- [] for most), reopened_in_flight (a later window that may be no republication: queries/downloads_rule.sql
-- rule_reopened_in_flight, analyse's warning; each {closed, reopened, seconds, responses, stream}; [] for most),
-- sizes_in_doubt (the windows whose size, inferred from body counts, two or more sizes each logged by several
-- addresses or a larger count put in doubt, rule_sizes_in_doubt: analyse's warning; each {window, sizes, size,
-- largest}; [] for most), redirects_after (the windows after whose last available response the path answered
-- redirects and was never available again in them: queries/downloads_rule.sql rule_redirects_after, analyse's
-- warning; each {window, responses, addresses, statuses, first_redirect, file, line_no, other_responses,
-- other_statuses}; [] for most), complete_on_sent_counts (complete downloads from external addresses resting on a
-- body count Apache's %b may have written, no completion flag: rule_complete_on_sent_counts, analyse's warning; 0
-- for most), sent_count_formats (their log formats, [] for most) and unseen_from (from when the first window
-- may have been online unseen: rule_windows unseen_from, opening_reach() before its first available response,
-- the answer's window field; NULL for a file never available).
-- Sorted: files published and then withdrawn first, then by complete downloads, addresses and path.
-- needs: files_requests, figure_macros
-- params: range_gap_minutes?
-- The rule's numbered responses and windows of every file are kept in temporary tables (many rows, each read
-- twice); then one row per file.
CREATE OR REPLACE TEMP TABLE files_rule_events AS SELECT * FROM rule_events('files_rule_input');
CREATE OR REPLACE TEMP TABLE files_rule_windows AS SELECT * FROM rule_windows('files_rule_events', NULL);
CREATE OR REPLACE TEMP TABLE files_rule_downloads AS
SELECT * FROM rule_downloads('files_rule_events', 'files_rule_windows', NULL,
                             coalesce(getvariable('range_gap_minutes')::INTEGER, 30));
WITH fr AS (
    SELECT * FROM files_requests()
), spelled AS (
    SELECT file_key, path, count(*) AS n, bool_and(paths_case_insensitive) AS folded FROM fr GROUP BY ALL
), names AS (      -- file_named: a target names its file as the user gave it
    SELECT file_key, file_named(file_key, bool_and(folded)) AS path,
           -- the name first (file_named, else the file's own spelling), then by lines, the larger on a tie
           list(path ORDER BY path = file_named(file_key, folded) DESC, path = file_key DESC, n DESC, path DESC)
               AS spellings
    FROM spelled GROUP BY file_key
), win AS (
    SELECT * FROM files_rule_windows
), win_sum AS (
    SELECT file_key, count(*) AS windows, count(first_unavailable) AS closed_windows,
           min(first_available) AS first_available, max(last_available) AS last_available,
           arg_max_null(first_unavailable, window_no) AS withdrawn_at,
           arg_max_null(size_bytes, window_no) AS size_bytes, arg_max_null(size_votes, window_no) AS size_votes,
           arg_max_null(size_rule, window_no) AS size_rule,
           -- the last window's complete-transfer band (counts that include headers): its edge and its floor, as
           -- the answer's window gives them (rule_windows): from the floor up to the edge undetermined, below partial
           arg_max_null(band_bytes, window_no) AS band_bytes, arg_max_null(band_floor, window_no) AS band_floor,
           sum(available_responses) AS available_responses,
           -- the first window's unseen_from (rule_windows): opening_reach() before first_available
           arg_min(unseen_from, window_no) AS unseen_from,
           -- the windows whose GETs state two or more lengths (rule_several_lengths: analyse's warning)
           coalesce(list({'window': window_no, 'lengths': lengths} ORDER BY window_no)
                        FILTER (WHERE rule_several_lengths(lengths)), []) AS lengths_stated,
           -- the windows a custom error page answering 200 closed (rule_error_page: analyse's warning)
           coalesce(list(window_no ORDER BY window_no) FILTER (WHERE unavailable_error_page), []) AS closed_by_error_page,
           -- the windows whose inferred size is in doubt (rule_sizes_in_doubt: analyse's warning)
           -- (with the size taken and the largest count: above it, the larger count put it in doubt)
           coalesce(list({'window': window_no, 'sizes': repeated_sizes, 'size': size_bytes,
                          'largest': largest_count} ORDER BY window_no)
                        FILTER (WHERE size_in_doubt), []) AS sizes_in_doubt
    FROM win GROUP BY file_key
), dl AS (       -- the answer's download figures (queries/totals.sql download_figures), per file
    SELECT file_key, download_figures(outcome, outcome_inferred, internal, client, client_class) AS f
    FROM files_rule_downloads
    GROUP BY file_key
), sent AS (     -- complete downloads resting on a count Apache's %b may have written (analyse's warning)
    SELECT file_key, sum(on_sent_counts)::BIGINT AS complete_on_sent_counts,
           list_sort(list_distinct(flatten(list(formats)))) AS sent_count_formats
    FROM rule_complete_on_sent_counts('files_rule_events', 'files_rule_downloads')
    GROUP BY file_key
), refused AS (
    SELECT file_key, first_refused FROM rule_refused_after('files_rule_input', 'files_rule_windows')
), redirected AS (  -- redirects after a window's last available response (rule_redirects_after, analyse's warning)
    SELECT x.file_key, list({'window': x.window_no, 'responses': x.responses, 'addresses': x.addresses,
                             'statuses': x.statuses, 'first_redirect': x.first_redirect, 'file': ev.path,
                             'line_no': x.first_line_no, 'other_responses': x.other_responses,
                             'other_statuses': x.other_statuses} ORDER BY x.window_no) AS redirects_after
    FROM rule_redirects_after('files_rule_input', 'files_rule_windows') x
    JOIN evidence ev ON ev.evidence_id = x.first_evidence_id
    GROUP BY x.file_key
), reopened AS (   -- windows that may be one (rule_reopened_elsewhere, analyse's warning)
    SELECT file_key, list({'closed': closed, 'reopened': reopened, 'seconds': seconds, 'closed_by': closed_by,
                           'reopened_by': reopened_by} ORDER BY closed) AS reopened_elsewhere
    FROM rule_reopened_elsewhere('files_rule_input', 'files_rule_windows')
    GROUP BY file_key
), in_flight AS (  -- a later window that may be no republication (rule_reopened_in_flight, analyse's warning)
    SELECT file_key, list({'closed': closed, 'reopened': reopened, 'seconds': seconds, 'responses': responses,
                           'stream': stream} ORDER BY closed) AS reopened_in_flight
    FROM rule_reopened_in_flight('files_rule_events', 'files_rule_windows')
    GROUP BY file_key
), shared AS (     -- the file's external requests that are as much another file's (files_shared)
    SELECT fr.file_key, count(*) FILTER (WHERE NOT fr.internal) AS shared_requests,
           list_sort(list_distinct(flatten(list(fs.shared_with)))) AS shared_with
    FROM fr JOIN files_shared fs
      ON fs.file_key = fr.file_key AND fs.path = fr.path AND fs.folded = fr.paths_case_insensitive
    WHERE len(fs.shared_with) > 0
    GROUP BY fr.file_key
), hosted AS (   -- the hosts its requests name, where more than one (target_hosts, analyse's warning)
    SELECT file_key, list({'host': host, 'requests': requests} ORDER BY requests DESC, host) AS hosts
    FROM (SELECT file_key, site_host(vhost) AS host, count(*) AS requests FROM fr WHERE site_host(vhost) IS NOT NULL
          GROUP BY ALL)
    GROUP BY file_key HAVING count(*) > 1
), req AS (      -- the answer's request figures (queries/totals.sql request_figures), per file
    SELECT file_key, request_figures(method, status, bytes, bytes_known, completion, internal, client) AS f,
           count(*) FILTER (WHERE rule_unavailable(status, completion)) AS unavailable_responses
    FROM fr GROUP BY file_key
)
-- The columns in a stable order, for scripts that read the CSV by position: those `files` had before, in their
-- order, then each column added later after them (README "Finding what was exposed"; tests/test_files_cmd.py
-- FILES_COLUMNS): never one in the middle.
SELECT n.path, n.spellings,
       w.first_available, w.last_available, w.withdrawn_at,
       coalesce(w.windows, 0) AS windows, coalesce(w.closed_windows, 0) AS closed_windows,
       w.size_bytes, w.size_votes, w.size_rule, w.band_bytes, w.band_floor,
       coalesce(dl.f.complete_downloads, 0) AS complete_downloads,
       coalesce(dl.f.distinct_ips, 0) AS distinct_ips,
       coalesce(dl.f.inferred_complete_downloads, 0) AS inferred_complete_downloads,
       coalesce(dl.f.inferred_only_ips, 0) AS inferred_only_ips,
       coalesce(dl.f.internal_complete_downloads, 0) AS internal_complete_downloads,
       coalesce(dl.f.partial_downloads, 0) AS partial_downloads,
       coalesce(dl.f.undetermined_downloads, 0) AS undetermined_downloads,
       req.f.requests, req.f.internal_requests, req.f.requesting_ips,
       coalesce(w.available_responses, 0)::BIGINT AS available_responses,
       req.unavailable_responses,
       rf.first_refused AS refused_after,
       coalesce(sh.shared_requests, 0) AS shared_requests, coalesce(sh.shared_with, []) AS shared_with,
       coalesce(ro.reopened_elsewhere, []) AS reopened_elsewhere,
       -- added later, each after those before it
       coalesce(dl.f.fetcher_complete_downloads, 0) AS fetcher_complete_downloads,
       coalesce(dl.f.cdn_complete_downloads, 0) AS cdn_complete_downloads,
       req.f.head_requests, req.f.not_modified, req.f.errors, req.f.no_method_responses,
       coalesce(ho.hosts, []) AS hosts,
       coalesce(w.lengths_stated, []) AS lengths_stated,
       coalesce(w.closed_by_error_page, []) AS closed_by_error_page,
       coalesce(fl.reopened_in_flight, []) AS reopened_in_flight,
       coalesce(w.sizes_in_doubt, []) AS sizes_in_doubt,
       coalesce(dl.f.no_address_complete_downloads, 0) AS no_address_complete_downloads,
       coalesce(rd.redirects_after, []) AS redirects_after,
       coalesce(se.complete_on_sent_counts, 0) AS complete_on_sent_counts,
       coalesce(se.sent_count_formats, []) AS sent_count_formats,
       w.unseen_from
FROM req
JOIN names n USING (file_key)
LEFT JOIN shared sh USING (file_key)
LEFT JOIN win_sum w USING (file_key)
LEFT JOIN dl USING (file_key)
LEFT JOIN refused rf USING (file_key)
LEFT JOIN redirected rd USING (file_key)
LEFT JOIN reopened ro USING (file_key)
LEFT JOIN hosted ho USING (file_key)
LEFT JOIN in_flight fl USING (file_key)
LEFT JOIN sent se USING (file_key)
ORDER BY (coalesce(w.closed_windows, 0) > 0) DESC, complete_downloads DESC, distinct_ips DESC,
         w.first_available NULLS LAST, n.path;

-- name: served_paths
-- The files (file_spellings) a spelling of which matches prefix and pattern, shown available by any spelling
-- (selected_files served; the download rule's rule_available: 200/206/304, or a GET/HEAD 499 with bytes), each
-- once, named as `files` names it (file_named), sorted: what --target-glob and --under expand to.
-- needs: file_spellings
-- params: none
SELECT file_named(file, bool_and(folded)) AS path
FROM file_spellings
WHERE file IN (SELECT file FROM selected_files WHERE served)
GROUP BY file
ORDER BY path;
