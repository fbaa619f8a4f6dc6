"""The mark of a file's last line cut off mid-line (`extra['cut_field']`, exposure/lastline.py) and what it means
in words, English and Dutch. The texts are written once, in queries/cutwords.sql: its `cut_said` gives a `cut off`
finding's words in queries/findings.sql (the JSON answer, the terminal, `exposure sql findings`), and this module
reads the same tables for the file's warning (ingest) and the report (page 1, the table of findings, the raw lines,
in its language).

A mark is space-separated tokens, one per field the cut may have shortened or taken. A column's token is its
name (COLUMNS: `bytes`, `object_size`, `range_start`, `range_end`, `completion`, `user_agent`, `referer`); a
field of the log no column holds (kept in `extra` by its own name: an nginx `$http_x_request_id`, an Apache
`%{a b}e`) is `extra:` and its name percent-encoded (`extra:env_a%20b`), so a field's name is never read as a
column's token (an nginx variable `$bytes` is no byte count) and never splits in two.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote, unquote

import duckdb

from . import queries

NUMBERS = ("bytes", "object_size", "range_start", "range_end")  # the numbers a cut may shorten, in mark order
COLUMNS = (*NUMBERS, "completion", "user_agent", "referer")
FIELD = "extra:"  # the token of a field of the log kept in `extra`: FIELD + its name percent-encoded

LANGS = ("en", "nl")
FIELD_WORD = "cut_field_word"  # the key of the word a field of the log is said by: `field 'http_x_request_id'`


@cache
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, tuple[str, str]]]:
    """The texts (key -> (English, Dutch)), the marks said by a text of their own (mark -> key) and the words of
    each column (token -> (English, Dutch)): read from queries/cutwords.sql, the one text source, which
    queries/findings.sql says a `cut off` finding by (cut_said)."""
    con = duckdb.connect()
    try:
        queries.run(con, queries.get("cut_words"))
        texts = {k: (en, nl) for k, en, nl in con.execute("SELECT text_key, en, nl FROM cut_texts").fetchall()}
        own = dict(con.execute("SELECT marked, text_key FROM cut_marks").fetchall())
        names = {t: (en, nl) for t, en, nl in con.execute("SELECT token, en, nl FROM cut_names").fetchall()}
    finally:
        con.close()
    return texts, own, names


def texts() -> dict[str, tuple[str, str]]:
    """(English, Dutch) of each text, by the report's key (exposure/report/i18n.py takes them in)."""
    return _tables()[0]


def field_token(name: str) -> str:
    """The token of a field of the log kept in `extra` under `name`."""
    return FIELD + quote(name, safe="")


def _field_name(encoded: str) -> str:
    """A field's percent-encoded name decoded, or as encoded where it is no UTF-8 (queries/cutwords.sql says it so)."""
    try:
        return unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        return encoded


def shown(token: str, lang: str = "en") -> str:
    """A token as said: a column by what it holds (`byte count`); a field of the log by its own name, quoted
    (`field 'bytes'`: never taken for the column of that name)."""
    if token.startswith(FIELD):
        return f"{texts()[FIELD_WORD][LANGS.index(lang)]} '{_field_name(token[len(FIELD):])}'"
    names = _tables()[2]
    return names[token][LANGS.index(lang)] if token in names else token


def phrase(cut: str, lang: str = "en") -> tuple[str, dict[str, str]]:
    """The key of texts() that says `cut`, and its values in `lang`."""
    own = _tables()[1]
    if cut in own:
        return own[cut], {}
    return "cut_fields", {"fields": ", ".join(shown(t, lang) for t in cut.split())}


def said(cut: str, lang: str = "en") -> str:
    """What the mark `cut` means, in `lang`."""
    key, values = phrase(cut, lang)
    return texts()[key][LANGS.index(lang)].format(**values)


def taken_said(tokens: list[str], lang: str = "en") -> str:
    """The fields a placeholder stood in for (their value not kept), each said: '; its X was taken ...'."""
    return "".join("; " + texts()["cut_taken"][LANGS.index(lang)].format(field=shown(t, lang)) for t in tokens)
