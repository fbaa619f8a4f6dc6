-- name: evidence_rules
-- Rules about an evidence file that more than one door reads, each written once, here: the findings
-- (queries/findings.sql: the JSON answer, page 1 of the report, the terminal), the ingest's warning of a file
-- (exposure/ingest.py) and the answer's warnings (exposure/answer.py) all call these macros.
-- mostly_rejected(rejected, lines): more than half of a file's lines were rejected (5 of 10 is not, 6 of 10
-- is): probably not the format it was read as.
-- not_the_format(format): what such a file is said to be, in the words the finding, the ingest's warning and the
-- answer's warning all use (the report's Dutch is its translation, exposure/report/i18n.py `rejected_mostly`).
-- needs: none
-- params: none
CREATE OR REPLACE TEMP MACRO mostly_rejected(rejected, lines) AS coalesce(lines > 0 AND rejected * 2 > lines, false);
CREATE OR REPLACE TEMP MACRO not_the_format(format) AS format('probably not the {} format', format);
