"""How an overlap names the file whose lines a copy repeats, English and Dutch. The words are written once, in
queries/overlapwords.sql: queries/findings.sql says the overlap finding by its macros, and this module reads the
same table for ingest's warning (exposure/overlap.py Overlap.describe) and the report (in its language), from
the overlap finding's fact (`earlier 4`: which of the files a path names, and the kept file's evidence id)."""

from __future__ import annotations

from functools import cache

import duckdb

from . import queries

LANGS = ("en", "nl")


@cache
def _texts() -> dict[str, tuple[str, str]]:
    """key -> (English, Dutch), read from queries/overlapwords.sql (the one text source)."""
    con = duckdb.connect()
    try:
        queries.run(con, queries.get("overlap_words"))
        return {k: (en, nl) for k, en, nl in con.execute("SELECT text_key, en, nl FROM overlap_texts").fetchall()}
    finally:
        con.close()


def parse_fact(fact: str | None) -> tuple[str, int] | None:
    """(which, kept evidence id) of an overlap finding's fact (`earlier 4`), or None where its path says it."""
    if not fact or " " not in fact:
        return None
    which, _, evid = fact.partition(" ")
    return (which, int(evid)) if f"kept_{which}" in _texts() and evid.isdigit() else None


def said(which: str | None, named: str, kept_id: int, lang: str = "en") -> tuple[str, str]:
    """The kept file as a copy repeats it and as its lines are cited from it (queries/overlapwords.sql's
    kept_said and cited_said): `named` (its path, or its absolute path where `which` is `elsewhere`) alone where
    `which` is None."""
    if which is None:
        return named, named
    i = LANGS.index(lang)
    return (_texts()[f"kept_{which}"][i].format(named, kept_id), _texts()[f"cited_{which}"][i].format(named, kept_id))
