-- One target file: its requests, and its exposure windows and downloads by the download rule.
-- By hand: run queries/downloads_rule.sql, then this file, after setting the parameters, e.g. in the DuckDB shell:
--   SET VARIABLE target_path = '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx';  -- decoded
--   SET VARIABLE target_alt  = '/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx';  -- as given
--   SET VARIABLE target_host = NULL;    -- a virtual host, or NULL for every host
--   SET VARIABLE target_aliases = NULL; -- --alias: other paths counted as the target, e.g. ['/backup/lijst.xls']
--   SET VARIABLE target_alias_alts = NULL;  -- the same aliases as given (percent-encoded or not), same order
--   SET VARIABLE size = NULL;           -- the file size in bytes when known (--size), else inferred
--   SET VARIABLE range_gap_minutes = 30;
-- The table client_info (one row per client address: internal flag, network type) is written by
-- `exposure analyse`/`report` from the --internal ranges; `SELECT * FROM client_info` shows it.

-- name: target_macros
-- Collects the target's requests in the temporary table target_raw (one scan of the case; every query below
-- reads that table), then defines target_requests() and, over the download rule (queries/downloads_rule.sql,
-- run first), target_windows() and target_downloads(). A request is the target's when its path is the target
-- as decoded or as given, or equal to it but for case where the evidence file's paths are case-insensitive.
-- Aliases (--alias: the user's decision that another path served the same file) are matched the same way;
-- their requests count as the target's, each row labelled `via` = the alias (NULL: the target's own path),
-- and the rule runs per path (an alias has windows of its own: its 404 never closes the target's window).
-- needs: download_rule, figure_macros, client_info, ua_class
-- params: target_path, target_alt, target_host?, target_aliases?, target_alias_alts?, target_folded?, size?, range_gap_minutes
-- (figure_macros, queries/totals.sql: is_fetcher and the headline figures every query of a target may read)
-- Whose a logged path is: 0 the target's, k the k-th alias's, NULL neither (folded: the evidence file's paths
-- are case-insensitive). The one test of "is the target" (target_raw below, and copy_hits in possible_copies.sql).
CREATE OR REPLACE TEMP MACRO target_alias_no(logged_path, folded) AS
    CASE WHEN logged_path = getvariable('target_path') OR logged_path = getvariable('target_alt')
              OR (folded AND lower(logged_path) = lower(getvariable('target_path'))) THEN 0
         ELSE coalesce(list_position(getvariable('target_aliases')::VARCHAR[], logged_path),
                       list_position(getvariable('target_alias_alts')::VARCHAR[], logged_path),
                       CASE WHEN folded THEN
                           list_position(list_transform(getvariable('target_aliases')::VARCHAR[], lambda a: lower(a)),
                                         lower(logged_path)) END) END;

-- Whether a line's virtual host is the target's (--target https://HOST/PATH; NULL: every host, and a line that
-- logs no host is every host's): the one host test of the target, its aliases (target_raw below) and its
-- possible copies (possible_copies.sql copy_matches, copy_raw). The host as logged: a name or address, maybe with
-- the port the client sent (a Host header), an IPv6 address bare or in brackets, a trailing dot; compared without
-- port, brackets, dot and case (downloads_rule.sql on_host; the same test as queries/portable/windows_downloads.sql).
CREATE OR REPLACE TEMP MACRO on_target_host(vhost) AS on_host(vhost, getvariable('target_host'));

CREATE OR REPLACE TEMP TABLE target_raw AS
SELECT * EXCLUDE (alias_no), CASE WHEN alias_no > 0 THEN getvariable('target_aliases')[alias_no] END AS via
FROM (
-- the offsets as the rule reads them: none where a copy's cut fell in them
SELECT r.* REPLACE (rule_offset(r.range_start, r.extra['cut_field']) AS range_start,
                    rule_offset(r.range_end, r.extra['cut_field']) AS range_end),
       e.path AS evidence_path, e.sha256 AS evidence_sha256,
       coalesce(e.bytes_meaning, 'body') AS bytes_meaning,
       rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field']) AS bytes_known,
       rule_exact_size(r.object_size, r.status, e.exact_length_field, r.extra['cut_field']) AS exact_size,
       target_alias_no(r.path, e.paths_case_insensitive) AS alias_no
FROM requests r
JOIN evidence e USING (evidence_id)
WHERE e.verdict = 'ingested'
  AND NOT EXISTS (SELECT 1 FROM overlap_lines o   -- a later copy of a line already counted (exposure/overlap.py)
                  WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no)
  AND on_target_host(r.vhost)
  -- the path as logged, a test DuckDB runs in the scan (0.1 s of 2 M lines, where the macro below costs 0.37 s),
  -- unless aliases or case-insensitive paths (target_folded: some evidence file has them; NULL: unknown) may
  -- match otherwise; target_alias_no decides
  AND (r.path = getvariable('target_path') OR r.path = getvariable('target_alt')
       OR getvariable('target_aliases') IS NOT NULL OR coalesce(getvariable('target_folded'), true))
)
WHERE alias_no IS NOT NULL;

CREATE OR REPLACE TEMP MACRO target_requests() AS TABLE
SELECT t.*, coalesce(ci.internal, false) AS internal, coalesce(uc.client_class, 'unknown') AS client_class
FROM target_raw t
LEFT JOIN client_info ci ON ci.client = t.client
LEFT JOIN ua_class uc ON uc.user_agent IS NOT DISTINCT FROM t.user_agent;

-- the rule's steps, each kept in a temporary table (every query below reads them: the rule runs once per
-- target, set of client facts and size options, not once per query): every request of the target is one file,
-- and each alias another
CREATE OR REPLACE TEMP VIEW target_rule_input AS
SELECT coalesce(via, getvariable('target_path')) AS file_key, * FROM target_requests();
CREATE OR REPLACE TEMP TABLE target_rule_events AS SELECT * FROM rule_events('target_rule_input');
CREATE OR REPLACE TEMP TABLE target_rule_windows AS
SELECT * FROM rule_windows('target_rule_events', getvariable('size'));
CREATE OR REPLACE TEMP TABLE target_rule_downloads AS
SELECT * FROM rule_downloads('target_rule_events', 'target_rule_windows', getvariable('size'),
                             getvariable('range_gap_minutes'));

-- One row per exposure window (the download rule's columns, without its file_key and run number), the
-- target's own first, then each alias's (via).
CREATE OR REPLACE TEMP MACRO target_windows() AS TABLE
SELECT * EXCLUDE (file_key, grp), nullif(file_key, getvariable('target_path')) AS via
FROM target_rule_windows ORDER BY via NULLS FIRST, window_no;

-- Every download attempt of the target (the download rule's columns, without its file_key; via: the alias
-- it was made through, NULL for the target's own path), numbered once here in time order (download_no: the
-- number the downloads table, the timeline and the spread signals all cite).
CREATE OR REPLACE TEMP MACRO target_downloads() AS TABLE
SELECT row_number() OVER (ORDER BY time, client, user_agent, kind,
                                   nullif(file_key, getvariable('target_path')) NULLS FIRST) AS download_no,
       * EXCLUDE (file_key), nullif(file_key, getvariable('target_path')) AS via
FROM target_rule_downloads;

-- name: target_hosts
-- The sites the target's own requests (not an alias's) name, as on_target_host compares them (site_host), each
-- with its requests, where the target names no host (--target PATH) and they name more than one: the rule counts
-- every site's requests for the path as one file (another site's 404 closes a window, its 200s open one), which
-- the answer's warning says. No row otherwise; a line that logs no host names none.
-- needs: target_macros
-- params: target_host?
SELECT host, requests
FROM (SELECT site_host(vhost) AS host, count(*) AS requests, count(*) OVER () AS hosts
      FROM target_raw
      WHERE via IS NULL AND site_host(vhost) IS NOT NULL AND getvariable('target_host') IS NULL
      GROUP BY host)
WHERE hosts > 1
ORDER BY requests DESC, host;

-- name: target_shared_spellings
-- The files a case-sensitive server (nginx, Apache ...) named (queries/downloads_rule.sql rule_names_file: a path
-- it showed available) equal to the target but for case and not it (other_path), each with `requests`: the
-- target's own external requests (not --internal, as totals.requests counts them) logged by a server that ignores
-- case (IIS), which may as well be that file's (--target of it counts them too, as --under, --target-glob and
-- `files` do: queries/files.sql file_spellings, shared_with): the logs cannot tell which of the files such a
-- request fetched. And each other target of the run (run_targets: --target, --under and --target-glob's, as
-- `files --target` makes each a file) equal to it but for case, which counts them as well. No row where the
-- target has no such request, nor for a path that server only refused and the run does not analyse.
-- needs: target_macros
-- params: target_path, target_alt, run_targets?
WITH others AS (
    SELECT r.path AS other_path
    FROM requests r JOIN evidence e USING (evidence_id)
    WHERE e.verdict = 'ingested' AND NOT coalesce(e.paths_case_insensitive, false)
      AND on_target_host(r.vhost)   -- on the target's host (another host's file is not one its lines may be)
      AND lower(r.path) = lower(getvariable('target_path'))
      AND r.path <> getvariable('target_path') AND r.path <> getvariable('target_alt')
    GROUP BY r.path
    HAVING rule_names_file(bool_or(coalesce(e.paths_case_insensitive, false)), bool_or(rule_available(r.method, r.status, r.bytes,
                                         rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field']),
                                         r.completion)))
    UNION          -- another target of the run equal to it but for case: --target of it counts them too
    SELECT g.t FROM unnest(coalesce(getvariable('run_targets')::VARCHAR[], [])) AS g(t)
    WHERE lower(g.t) = lower(getvariable('target_path'))
      AND g.t <> getvariable('target_path') AND g.t <> getvariable('target_alt')
), shared AS (
    SELECT count(*) AS requests
    FROM target_requests() t JOIN evidence e USING (evidence_id)
    WHERE t.via IS NULL AND coalesce(e.paths_case_insensitive, false) AND NOT t.internal
)
SELECT o.other_path, s.requests FROM others o CROSS JOIN shared s WHERE s.requests > 0 ORDER BY o.other_path;
