-- name: cut_words
-- What the mark of a file's last line cut off mid-line (extra['cut_field'], exposure/lastline.py) means in words,
-- English and Dutch: the one text source. findings.sql says a `cut off` finding's fields by cut_said(mark), so
-- `exposure sql findings` gives the text the JSON answer and the terminal give; exposure/cutwords.py reads these
-- same tables for the ingest's warning and the report (in its language).
-- A mark is space-separated tokens: a column's name, or `extra:` and the percent-encoded name of a field of the
-- log no column holds (said as `field 'name'`). A mark of cut_marks has a text of its own, any other is said by
-- cut_fields with each token's words (cut_names) joined.
-- needs: none
-- params: none
CREATE OR REPLACE TEMP TABLE cut_texts AS SELECT * FROM (VALUES
    ('cut_bytes', 'it ends in its byte count, which may have lost digits: counted as a request whose delivered bytes are unknown',
     'hij eindigt in het aantal bytes, dat cijfers kwijt kan zijn: geteld als verzoek waarvan de geleverde bytes onbekend zijn'),
    ('cut_object_size', 'it ends in its object length, which may have lost digits: counted as a request (its byte count whole), the length never the object''s size',
     'hij eindigt in de objectlengte, die cijfers kwijt kan zijn: geteld als verzoek (het aantal bytes heel), de lengte nooit de bestandsgrootte'),
    ('cut_bytes_object_size', 'it ends in digits its byte count and object length both read as, either may be cut: counted as a request whose delivered bytes are unknown, the length never the object''s size',
     'hij eindigt in cijfers die het aantal bytes en de objectlengte allebei kunnen zijn: geteld als verzoek waarvan de geleverde bytes onbekend zijn, de lengte nooit de bestandsgrootte'),
    ('cut_user_agent', 'the cut falls in its user agent (kept as read, marked cut), after its status and byte count: counted as a request',
     'de afbreking valt in de user agent (gelezen zoals hij is, gemarkeerd), na status en aantal bytes: geteld als verzoek'),
    ('cut_referer', 'the cut falls in its referrer (kept as read, marked cut), after its status and byte count: counted as a request',
     'de afbreking valt in de referrer (gelezen zoals hij is, gemarkeerd), na status en aantal bytes: geteld als verzoek'),
    ('cut_range_start', 'it ends in a range offset, which may have lost digits: counted as a request whose offsets are unknown (its range group judged by its byte counts)',
     'hij eindigt in een bereikgrens, die cijfers kwijt kan zijn: geteld als verzoek waarvan de bereikgrenzen onbekend zijn (de bereikgroep beoordeeld op de aantallen bytes)'),
    ('cut_completion', 'it ends in its completion flag, not read whole: counted as a request, the flag never decides',
     'hij eindigt in de voltooiingsvlag, niet heel gelezen: geteld als verzoek, de vlag beslist nooit'),
    ('cut_fields', 'the cut may have shortened or taken its {fields} (marked cut, a value it took never kept): counted as a request, none of them decides',
     'de afbreking kan deze velden hebben ingekort of weggenomen: {fields} (gemarkeerd, een weggenomen waarde nooit bewaard): geteld als verzoek, geen ervan beslist'),
    ('cut_field_word', 'field',
     'veld'),
    ('cut_taken', 'its {field} was taken by the cut: not kept',
     'het veld {field} is door de afbreking weggenomen: niet bewaard')) v(text_key, en, nl);
CREATE OR REPLACE TEMP TABLE cut_marks AS SELECT * FROM (VALUES
    ('bytes', 'cut_bytes'), ('object_size', 'cut_object_size'), ('bytes object_size', 'cut_bytes_object_size'), ('user_agent', 'cut_user_agent'), ('referer', 'cut_referer'), ('range_start', 'cut_range_start'), ('range_end', 'cut_range_start'), ('completion', 'cut_completion')) v(marked, text_key);
CREATE OR REPLACE TEMP TABLE cut_names AS SELECT * FROM (VALUES
    ('bytes', 'byte count', 'aantal bytes'), ('object_size', 'object length', 'objectlengte'), ('range_start', 'range start', 'bereikbegin'), ('range_end', 'range end', 'bereikeinde'), ('completion', 'completion flag', 'voltooiingsvlag'), ('user_agent', 'user agent', 'user agent'), ('referer', 'referrer', 'referrer')) v(token, en, nl);
-- a token as said: a column by what it holds (`byte count`), a field of the log by its own name, quoted (as
-- encoded where it does not decode to UTF-8: exposure/cutwords.py `shown` says it so too)
CREATE OR REPLACE TEMP MACRO cut_token_said(tok, field_word, column_words) AS
    CASE WHEN starts_with(tok, 'extra:') THEN format('{} ''{}''', field_word, coalesce(try(url_decode(tok[7:])), tok[7:]))
         ELSE coalesce(column_words, tok) END;
-- what the mark `mark` means, in English (the language of a finding's detail)
CREATE OR REPLACE TEMP MACRO cut_said(mark) AS coalesce(
    (SELECT t.en FROM cut_marks m JOIN cut_texts t USING (text_key) WHERE m.marked = mark),
    (SELECT replace(t.en, '{fields}', string_agg(cut_token_said(u.tok, w.en, n.en), ', ' ORDER BY u.i))
     FROM (SELECT unnest(string_split(mark, ' ')) AS tok, generate_subscripts(string_split(mark, ' '), 1) AS i) u
     LEFT JOIN cut_names n ON n.token = u.tok
     CROSS JOIN (SELECT en FROM cut_texts WHERE text_key = 'cut_fields') t
     CROSS JOIN (SELECT en FROM cut_texts WHERE text_key = 'cut_field_word') w
     GROUP BY t.en, w.en));
-- the `cut lines` finding's words (queries/findings.sql; exposure/midcut.py says them in the ingest's warning):
-- `n` lines of a combined file cut off mid-file right after or inside their byte count, the first `first_line`
CREATE OR REPLACE TEMP MACRO cut_lines_said(n, first_line) AS
    format('{} {} in {} byte count, without the referrer and user agent the lines around {} have (the first: line '
           '{}): cut off mid-line, the rest lost; counted as {} request{}, the delivered bytes unknown (the count '
           'read may have lost digits: undetermined)',
           n, CASE WHEN n = 1 THEN 'line ends' ELSE 'lines end' END, CASE WHEN n = 1 THEN 'its' ELSE 'their' END,
           CASE WHEN n = 1 THEN 'it' ELSE 'them' END, first_line, CASE WHEN n = 1 THEN 'its' ELSE 'their' END,
           CASE WHEN n = 1 THEN '' ELSE 's' END);
