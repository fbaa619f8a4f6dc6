-- name: evidence_rules
-- Rules about an evidence file that more than one door reads, each written once, here: the findings
-- (queries/findings.sql: the JSON answer, page 1 of the report, the terminal), the ingest's warning of a file
-- (exposure/ingest.py) and the answer's warnings (exposure/answer.py) all call these macros.
-- mostly_rejected(rejected, lines): more than half of a file's lines were rejected (5 of 10 is not, 6 of 10
-- is): probably not the format it was read as.
-- not_the_format(format): what such a file is said to be, in the words the finding, the ingest's warning and the
-- answer's warning all use (the report's Dutch is its translation, exposure/report/i18n.py `rejected_mostly`).
-- rejected_hint(evid): where every rejected line of the file gives one reason and that reason says how to read
-- the file (a cloud service's JSON layout, exposure/formats/jsonl.py FOREIGN_LAYOUTS: "... give --json-fields
-- '...'"; a line behind a syslog, docker compose or kubectl prefix: "... take the prefix off first"), that reason;
-- else NULL. The report's page 1 says it too (exposure/report/model.py _findings: detail_all_lines_rejected_hint).
-- The reason is matched whole, never searched for a phrase: a reason may quote the line (`invalid timestamp: ...`).
-- prefixed_reason(reason): the reason of a line standing behind a prefix (exposure/formats/base.py
-- PREFIX_TIME_REASON, PREFIX_FIELDS_REASON, codes 9 and 10 of normalise_sql; PREFIX_SYSLOG_REASON, code 4;
-- PREFIX_JSON_REASON, jsonl's): an access line the format could not
-- read as it stands. prefixed_lines(evid): how many lines of the file were rejected so. A file with one is
-- incomplete (findings.sql `prefixed lines`, exit 3) whatever share of its lines they are: each is a request
-- not counted.
-- glued_lines(evid): how many lines of the file were rejected as holding another line's start (two lines written
-- without a newline between them: exposure/formats/base.py GLUED_REASON, matched whole). A file with one is
-- incomplete (findings.sql `glued lines`, exit 3): two requests not counted.
-- rejected_said(evid, format): what a mostly rejected file is said to be: its rejected_hint, else not_the_format.
-- name_time_meaning(kind, name_time): what evidence.name_time_utc means by its kind (evidence.name_time_kind,
-- read from the name with it, never from the stream's prefix, which --stream-from replaces): an S3
-- server access log key's time is AWS's delivery time (after the file's lines), a CloudFront log's the start of
-- the hour its lines fall in, a rotation's date (access.log-20200612) its place among the stream's rotations; NULL
-- where the name gives no time. findings.sql places an unread file by the same.
-- prefix_run_lines(first, last): a run of rejected lines behind a prefix or holding another line's start
-- (findings.sql rejected_runs) as its line range, `10` or `90-92`; rejected_run_said(first, last, n, m): where a
-- file has several runs (m > 1), which one a finding is, ` (lines 90-92: run 2 of 3 in this file)`, the 10th of
-- more saying only the first 10 are; '' for a file of one run.
-- The three that count a file's rejects read them as of_file, never evidence_id: a caller's `evidence_id` (WHERE
-- glued_lines(evidence_id) > 0) was bound to the rejects' own column inside the subquery, every file with a rejected
-- line counted every glued line of the case.
-- needs: none
-- params: none
CREATE OR REPLACE TEMP MACRO prefix_run_lines(first, last) AS
    if(first = last, first::VARCHAR, format('{}-{}', first, last));
CREATE OR REPLACE TEMP MACRO rejected_run_said(first, last, n, m) AS
    CASE WHEN m > 1
         THEN format(' ({} {}: run {} of {} in this file{})', if(first = last, 'line', 'lines'),
                     prefix_run_lines(first, last), n, m, if(m > 10 AND n = 10, ', the first 10 said (table rejects)', ''))
         ELSE '' END;
CREATE OR REPLACE TEMP MACRO prefixed_reason(reason) AS
    reason IN ('the client address field holds a time or a syslog priority (the line stands behind a prefix: syslog, '
               || 'docker --timestamps, kubectl --timestamps): not a client address: take the prefix off first',
               'the client, ident and user fields hold a prefix (a syslog time and host, a relay''s address and tag, a '
               || 'docker compose or kubectl name) and the line''s own address, ident and user stand after it: not a '
               || 'client address: take the prefix off first',
               'the line begins with a syslog time (the line stands behind a prefix: syslog): not the format''s '
               || 'line: take the prefix off first',
               'the line begins with something before its JSON object (the line stands behind a prefix: syslog, '
               || 'docker --timestamps, kubectl --timestamps): not a JSON object: take the prefix off first');
CREATE OR REPLACE TEMP MACRO prefixed_lines(evid) AS
    (SELECT count(*) FROM (SELECT evidence_id AS of_file, reason FROM rejects)
     WHERE of_file = evid AND prefixed_reason(reason));
CREATE OR REPLACE TEMP MACRO glued_reason(reason) AS
    reason = 'holds the start of another log line (two lines written without a newline between them: concurrent '
             || 'writers, a copy spliced together): neither request is counted';
CREATE OR REPLACE TEMP MACRO glued_lines(evid) AS
    (SELECT count(*) FROM (SELECT evidence_id AS of_file, reason FROM rejects)
     WHERE of_file = evid AND glued_reason(reason));
CREATE OR REPLACE TEMP MACRO rejected_hint(evid) AS
    (SELECT min(reason) FROM (SELECT evidence_id AS of_file, reason FROM rejects) WHERE of_file = evid
     HAVING count(DISTINCT reason) = 1
        AND (prefixed_reason(min(reason))
             -- a cloud layout (exposure/formats/jsonl.py: FOREIGN_LAYOUTS with the --json-fields that read it,
             -- UNREAD_JSON_LAYOUTS with how to have it read)
             OR starts_with(min(reason), 'a request in a JSON layout exposure does not read ')));
CREATE OR REPLACE TEMP MACRO mostly_rejected(rejected, lines) AS coalesce(lines > 0 AND rejected * 2 > lines, false);
CREATE OR REPLACE TEMP MACRO not_the_format(format) AS format('probably not the {} format', format);
CREATE OR REPLACE TEMP MACRO rejected_said(evid, format) AS coalesce(rejected_hint(evid), not_the_format(format));
CREATE OR REPLACE TEMP MACRO name_time_meaning(kind, name_time) AS
    CASE WHEN name_time IS NULL THEN NULL
         WHEN kind = 'cloudfront' THEN 'read from the file''s name: the start of the hour its lines fall in (a CloudFront log)'
         WHEN kind = 's3' THEN 'read from the file''s name: the time AWS delivered the file, after its lines (an S3 server access log key)'
         ELSE 'read from the file''s name: the date (or epoch second) of a rotation (logrotate dateext), its place among the stream''s rotations' END;
