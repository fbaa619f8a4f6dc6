-- name: overlap_words
-- How an overlap names the file whose lines a copy repeats (the kept file), English and Dutch: the one text
-- source. A path alone says it, except where it names two evidence files: the same file ingested again after it
-- changed (the same absolute path, another evidence id: a live log that grew, an earlier or a later version of
-- it, by evidence id, which ingest gives in order), and two files given by one relative path from two folders
-- (the same path as given, another absolute path: named by the absolute path). Each is named with its evidence
-- id (`verify` and `sql evidence` show it). queries/findings.sql says the overlap finding by these macros (the
-- JSON answer, the terminal, `exposure sql findings`); exposure/overlapwords.py reads the same table for ingest's
-- warning (Overlap.describe) and the report (in its language), from the finding's fact.
-- kept_version(path, abs_path, evid, kept_path, kept_abs, kept_evid): earlier | later | elsewhere, or NULL where
-- the path names the kept file alone. The overlap finding's fact is it and the kept evidence id
-- (`earlier 4`, `elsewhere 7`: exposure/overlapwords.py parses it).
-- kept_named(which, kept_path, kept_abs): the path it is named by (the finding's related_path): its absolute path
-- where the path as given names another file too (elsewhere), else its path as given.
-- kept_said(which, named, kept_evid, lang): the kept file as the copy repeats it; cited_said(which, named,
-- kept_evid, lang): the same where its lines are cited from it.
-- needs: none
-- params: none
CREATE OR REPLACE TEMP TABLE overlap_texts AS
SELECT * FROM (VALUES
    ('kept_earlier', 'an earlier version of {} (evidence {}, another SHA-256: the file changed since)',
     'een eerdere versie van {} (bewijsstuk {}, een andere SHA-256: het bestand is sindsdien veranderd)'),
    ('cited_earlier', 'the earlier version of {} (evidence {})', 'de eerdere versie van {} (bewijsstuk {})'),
    ('kept_later', 'a later version of {} (evidence {}, another SHA-256: the file changed since)',
     'een latere versie van {} (bewijsstuk {}, een andere SHA-256: het bestand is sindsdien veranderd)'),
    ('cited_later', 'the later version of {} (evidence {})', 'de latere versie van {} (bewijsstuk {})'),
    ('kept_elsewhere', '{} (evidence {})', '{} (bewijsstuk {})'),
    ('cited_elsewhere', '{} (evidence {})', '{} (bewijsstuk {})')
) AS t(text_key, en, nl);
CREATE OR REPLACE TEMP MACRO kept_version(path, abs_path, evid, kept_path, kept_abs, kept_evid) AS
    CASE WHEN kept_evid = evid THEN NULL
         WHEN kept_abs = abs_path THEN CASE WHEN kept_evid < evid THEN 'earlier' ELSE 'later' END
         WHEN kept_path = path THEN 'elsewhere' END;
CREATE OR REPLACE TEMP MACRO overlap_text(key, lang) AS
    (SELECT CASE lang WHEN 'nl' THEN nl ELSE en END FROM overlap_texts WHERE text_key = key);
CREATE OR REPLACE TEMP MACRO kept_named(which, kept_path, kept_abs) AS
    CASE which WHEN 'elsewhere' THEN kept_abs ELSE kept_path END;
CREATE OR REPLACE TEMP MACRO kept_said(which, named, kept_evid, lang) AS
    CASE WHEN which IS NULL THEN named ELSE format(overlap_text('kept_' || which, lang), named, kept_evid) END;
CREATE OR REPLACE TEMP MACRO cited_said(which, named, kept_evid, lang) AS
    CASE WHEN which IS NULL THEN named ELSE format(overlap_text('cited_' || which, lang), named, kept_evid) END;
