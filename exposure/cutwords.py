"""The mark of a file's last line cut off mid-line (`extra['cut_field']`, exposure/lastline.py) and what it means
in words, English and Dutch: the one text source the file's warning (ingest), its `cut off` finding (terminal,
JSON answer) and the report (page 1, the table of findings, the raw lines) read.

A mark is space-separated tokens, one per field the cut may have shortened or taken. A column's token is its
name (COLUMNS: `bytes`, `object_size`, `range_start`, `range_end`, `completion`, `user_agent`, `referer`); a
field of the log no column holds (kept in `extra` by its own name: an nginx `$http_x_request_id`, an Apache
`%{a b}e`) is `extra:` and its name percent-encoded (`extra:env_a%20b`), so a field's name is never read as a
column's token (an nginx variable `$bytes` is no byte count) and never splits in two.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

NUMBERS = ("bytes", "object_size", "range_start", "range_end")  # the numbers a cut may shorten, in mark order
COLUMNS = (*NUMBERS, "completion", "user_agent", "referer")
FIELD = "extra:"  # the token of a field of the log kept in `extra`: FIELD + its name percent-encoded

# (English, Dutch), by the report's key (exposure/report/i18n.py takes them in)
TEXTS: dict[str, tuple[str, str]] = {
    "cut_bytes": ("it ends in its byte count, which may have lost digits: counted as a request whose delivered "
                  "bytes are unknown",
                  "hij eindigt in het aantal bytes, dat cijfers kwijt kan zijn: geteld als verzoek waarvan de "
                  "geleverde bytes onbekend zijn"),
    "cut_object_size": ("it ends in its object length, which may have lost digits: counted as a request (its byte "
                        "count whole), the length never the object's size",
                        "hij eindigt in de objectlengte, die cijfers kwijt kan zijn: geteld als verzoek (het aantal "
                        "bytes heel), de lengte nooit de bestandsgrootte"),
    "cut_bytes_object_size": ("it ends in digits its byte count and object length both read as, either may be cut: "
                              "counted as a request whose delivered bytes are unknown, the length never the "
                              "object's size",
                              "hij eindigt in cijfers die het aantal bytes en de objectlengte allebei kunnen zijn: "
                              "geteld als verzoek waarvan de geleverde bytes onbekend zijn, de lengte nooit de "
                              "bestandsgrootte"),
    "cut_user_agent": ("the cut falls in its user agent (kept as read, marked cut), after its status and byte count: "
                       "counted as a request",
                       "de afbreking valt in de user agent (gelezen zoals hij is, gemarkeerd), na status en aantal "
                       "bytes: geteld als verzoek"),
    "cut_referer": ("the cut falls in its referrer (kept as read, marked cut), after its status and byte count: "
                    "counted as a request",
                    "de afbreking valt in de referrer (gelezen zoals hij is, gemarkeerd), na status en aantal bytes: "
                    "geteld als verzoek"),
    "cut_range_start": ("it ends in a range offset, which may have lost digits: counted as a request whose offsets "
                        "are unknown (its range group judged by its byte counts)",
                        "hij eindigt in een bereikgrens, die cijfers kwijt kan zijn: geteld als verzoek waarvan de "
                        "bereikgrenzen onbekend zijn (de bereikgroep beoordeeld op de aantallen bytes)"),
    "cut_completion": ("it ends in its completion flag, not read whole: counted as a request, the flag never decides",
                       "hij eindigt in de voltooiingsvlag, niet heel gelezen: geteld als verzoek, de vlag beslist "
                       "nooit"),
    "cut_fields": ("the cut may have shortened or taken its {fields} (marked cut, a value it took never kept): "
                   "counted as a request, none of them decides",
                   "de afbreking kan deze velden hebben ingekort of weggenomen: {fields} (gemarkeerd, een "
                   "weggenomen waarde nooit bewaard): geteld als verzoek, geen ervan beslist"),
    "cut_field_word": ("field", "veld"),  # a field of the log no column holds: `field 'http_x_request_id'`
    "cut_taken": ("its {field} was taken by the cut: not kept", "het veld {field} is door de afbreking weggenomen: "
                  "niet bewaard"),
}
# a mark said by a text of its own (the marks the built-in formats give); any other by cut_fields
_OWN = {"bytes": "cut_bytes", "object_size": "cut_object_size", "bytes object_size": "cut_bytes_object_size",
        "user_agent": "cut_user_agent", "referer": "cut_referer", "range_start": "cut_range_start",
        "range_end": "cut_range_start", "completion": "cut_completion"}
LANGS = ("en", "nl")
_NAMES = {"bytes": ("byte count", "aantal bytes"), "object_size": ("object length", "objectlengte"),
          "range_start": ("range start", "bereikbegin"), "range_end": ("range end", "bereikeinde"),
          "completion": ("completion flag", "voltooiingsvlag"), "user_agent": ("user agent", "user agent"),
          "referer": ("referrer", "referrer")}


def field_token(name: str) -> str:
    """The token of a field of the log kept in `extra` under `name`."""
    return FIELD + quote(name, safe="")


def shown(token: str, lang: str = "en") -> str:
    """A token as said: a column by what it holds (`byte count`); a field of the log by its own name, quoted
    (`field 'bytes'`: never taken for the column of that name)."""
    if token.startswith(FIELD):
        return f"{TEXTS['cut_field_word'][LANGS.index(lang)]} '{unquote(token[len(FIELD):])}'"
    return _NAMES[token][LANGS.index(lang)] if token in _NAMES else token


def phrase(cut: str, lang: str = "en") -> tuple[str, dict[str, str]]:
    """The key of TEXTS that says `cut`, and its values in `lang`."""
    if cut in _OWN:
        return _OWN[cut], {}
    return "cut_fields", {"fields": ", ".join(shown(t, lang) for t in cut.split())}


def said(cut: str, lang: str = "en") -> str:
    """What the mark `cut` means, in `lang`."""
    key, values = phrase(cut, lang)
    return TEXTS[key][LANGS.index(lang)].format(**values)


def taken_said(tokens: list[str], lang: str = "en") -> str:
    """The fields a placeholder stood in for (their value not kept), each said: '; its X was taken ...'."""
    return "".join("; " + TEXTS["cut_taken"][LANGS.index(lang)].format(field=shown(t, lang)) for t in tokens)
