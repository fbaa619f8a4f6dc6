"""Log-derived text made inert for display, in one place for the terminal, HTML, PDF and CSV.

Paths, user agents and referrers are written by whoever sent the request. Shown raw, an ESC sequence clears
a terminal or sets its title, and a right-to-left override (U+202E) makes `exe.fdp` read as `pdf.exe`.
`visible` writes every such character as an escape a reader can see (`\\x1b`, `\\u202e`); the stored value
is never changed (the case, the JSON answer and the CSV keep it as logged). `shorten` bounds what a page or
a terminal line shows of a value whose length the sender chose, and says how long the whole value is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls, DEL and C1 controls; then the characters that reorder or hide text: the bidirectional
# embeddings, overrides, isolates and marks, the line/paragraph separators, zero-width characters and the BOM.
_INVISIBLE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x180E, *range(0x200B, 0x2010),
              *range(0x2028, 0x202F), *range(0x2060, 0x2070), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]


def _escape(code: int) -> str:
    # past the BMP eight digits (`\U0001d426`): `\u1d426` would read as U+1D42 and a `6`
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_TABLE = {code: _escape(code) for code in _INVISIBLE}
_TABLE[ord("\\")] = "\\\\"  # a literal backslash doubles, so `\x1b` shown always means the control character
_DISPLAY_LIMIT = 200


# Characters that pass for ASCII punctuation in a path and that NFKC does not map to it: slashes, backslashes,
# dots, colons and hyphens of other blocks (U+2215 DIVISION SLASH reads as `/`), and the soft hyphen (unseen).
# The en dash stays: it is wider than `-`, and the report's own wording uses it.
_PUNCTUATION_TWINS = frozenset([0x00AD, 0x2010, 0x2011, 0x2012, 0x2043, 0x2044, 0x2212, 0x2215, 0x2216,
                                0x2236, 0x2571, 0x29F5, 0x29F8, 0x29F9, 0x0589, 0xA789, 0x02D0, 0x0702])
# Compatibility forms made to pass for ASCII: fullwidth forms (U+FF01-FF5E) and mathematical letters and digits
# (U+1D400-1D7FF). Other compatibility characters are ordinary writing (º, ª, ², µ): shown as they are.
_ASCII_FORMS = ((0xFF01, 0xFF5E), (0x1D400, 0x1D7FF))
# Scripts whose letters have Latin twins (Cyrillic а, Greek ο): inside a word that also holds Latin letters
# such a letter is a disguise (Unicode TS #39, mixed-script confusables), not a spelling.
_TWIN_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")
_WORD = re.compile(r"[^\W_]+")
# blanks ending a value: at the end of the text, or before the `:` a line puts after a value (`PATH: detail`)
_TRAILING_BLANKS = re.compile(r"\s+(?=$|:(?:\s|$))")


def _lookalike(ch: str) -> bool:
    """A non-ASCII character shown in place of an ASCII one: a compatibility form (fullwidth `／`, `ｓ`) or a
    punctuation twin."""
    code = ord(ch)
    if code in _PUNCTUATION_TWINS:
        return True
    folded = unicodedata.normalize("NFKC", ch)
    if not (len(folded) == 1 and folded != ch and folded.isascii() and folded.isprintable()):
        return False
    return folded in "/\\.:-" or any(lo <= code <= hi for lo, hi in _ASCII_FORMS)


def _twin_script(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(_TWIN_SCRIPTS)


# Unicode's stream-safe text format: at most 30 non-starters in a row; NFC never looks further back than that
_NFC_CONTEXT = 32


def _nfc_changed(text: str) -> set[int]:
    """The positions of the characters NFC would change where they stand: one changed alone (U+212B ANGSTROM
    SIGN, U+2126 OHM SIGN, U+F900), one that composes with what comes before it (`e` + U+0308 shows as the `ë`
    of another path, NFD as macOS writes names; a Hangul syllable written as conjoining jamo), and a mark after
    an escaped one (shown raw it would sit on the escape). The context is the text from the last character left
    as it is, so a jamo that composes with an escaped one is escaped too."""
    out: set[int] = set()
    base = 0
    for i, ch in enumerate(text):
        context = text[max(base, i - _NFC_CONTEXT):i]
        if (not unicodedata.is_normalized("NFC", ch)
                or unicodedata.normalize("NFC", context + ch) != unicodedata.normalize("NFC", context) + ch
                or (i - 1 in out and unicodedata.combining(ch) > 0)):
            out.add(i)
        else:
            base = i
    return out


def _unmask(text: str) -> str:
    """`text` with look-alikes written as escapes: fullwidth/mathematical forms and punctuation twins anywhere,
    letters of a twin script inside a word of more Latin letters, a character NFC would change (`e\\u0308`, not
    `ë`: _nfc_changed), blanks at the end and before a `:` that ends a value (a path `a.xlsx ` is not `a.xlsx`,
    also in `a.xlsx : 1 complete download`; blanks at the start stay, they indent the terminal's own lines)."""
    if not text.isascii():
        chars = list(text)
        changed = set() if unicodedata.is_normalized("NFC", text) else _nfc_changed(text)
        for i, ch in enumerate(chars):
            if not ch.isascii() and (_lookalike(ch) or i in changed):
                chars[i] = _escape(ord(ch))
        for word in _WORD.finditer(text):
            token = word.group(0)
            if token.isascii():
                continue
            latin = sum("a" <= c.lower() <= "z" for c in token)
            twins = [offset for offset, ch in enumerate(token) if not ch.isascii() and _twin_script(ch)]
            # a Latin word with a few twin letters is a disguise; a Russian or Greek word with a Latin letter
            # or two (`отчетV2`, `5μm`) is writing
            if latin > len(twins):
                for offset in twins:
                    chars[word.start() + offset] = _escape(ord(token[offset]))
        text = "".join(chars)
    text = _TRAILING_BLANKS.sub(lambda m: "".join(_escape(ord(c)) for c in m.group(0)), text)
    return text


def visible(text: str) -> str:
    """`text` with every control, bidirectional or invisible formatting character written as an escape, and so
    every character that passes for another: a path that is not the target never reads as the target.

    >>> visible("a\\x1b[2Jb\\u202etxt.exe")
    'a\\\\x1b[2Jb\\\\u202etxt.exe'
    >>> visible("/wob/2020\\u2215mensenh\\u0430ndel.xlsx ")
    '/wob/2020\\\\u2215mensenh\\\\u0430ndel.xlsx\\\\x20'
    """
    return _unmask(text.translate(_TABLE))


def is_inert(text: str) -> bool:
    """True when `text` holds no character `visible` would escape (other than a backslash)."""
    return not any(ord(ch) in _TABLE and ch != "\\" for ch in text)


def shorten(text: str, limit: int = _DISPLAY_LIMIT, marker: str = "…", unit: str = "characters") -> str:
    """At most `limit` characters of `text`, then the marker and the full length when it was longer:
    `/a/very/long/pa… [1048576 characters]` (`unit` names the count in the reader's language). The cut is for
    display only: the full value stays in the data."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}{marker} [{len(text)} {unit}]"


# What a terminal line shows of one value: more than any path a server accepts with its defaults (IIS 4,096
# characters of path, Apache 8,190 of request line, nginx 8 KiB), so a real path is always whole and can be
# copied into --target; a value past it was made to be long and is cut (`--json`/`--csv` keep it whole).
TERMINAL_LIMIT = 8192


def _long_run(limit: int) -> re.Pattern[str]:
    # a separator the line puts after a value (`PATH: detail`) is not counted in the value's length
    return re.compile(r"(?<!\S)(\S{" + str(limit + 1) + r",}?)([:;,]?)(?=\s|$)")  # tried at a run's start only


_LONG_RUN = _long_run(TERMINAL_LIMIT)


def bounded(text: str, limit: int = TERMINAL_LIMIT) -> str:
    """A line for a person: every run of non-blank characters (a path, a user agent without blanks) longer than
    `limit` cut by `shorten` with its full length, and the whole line to `limit` more than that (a long value
    with blanks in it). Not made visible: `visible` comes after, once."""
    if len(text) <= limit:
        return text
    pattern = _LONG_RUN if limit == TERMINAL_LIMIT else _long_run(limit)
    return shorten(pattern.sub(lambda m: shorten(m.group(1), limit) + m.group(2), text), 2 * limit)


def display(text: str | None, limit: int = _DISPLAY_LIMIT, unit: str = "characters") -> str:
    """The one rule for showing a log-derived value to a person: cut to `limit`, then made visible."""
    return "".join(display_parts(text, limit, unit))


def display_parts(text: str | None, limit: int = _DISPLAY_LIMIT, unit: str = "characters",
                  shown: int | None = None) -> tuple[str, str]:
    """`display` in two parts: the value as shown (cut to `limit` characters, then made visible, with `…` where
    cut) and the cut's count (` [N characters]`, empty when whole), so a page can isolate the value (`<bdi>`)
    and keep the count out of its writing direction: `[307 characters]` after Arabic never reads `307] …`.

    `shown` also bounds what is shown, escapes included (page 1's rows: 100 `e` + U+0301 cut to 200
    characters are 700 when shown): the longest start of the value whose escaped form fits is kept, never
    an escape split.

    >>> display_parts("ab\x1bcd", 3)
    ('ab\\\\x1b…', ' [5 characters]')
    >>> display_parts("ab\x1bcd", 10, shown=4)
    ('ab…', ' [5 characters]')

    A blank where the value is cut is no trailing blank of the value (the marker follows it): never escaped.

    >>> display_parts("/docs/my report final.pdf", 9)
    ('/docs/my …', ' [25 characters]')
    """
    if text is None:
        return "", ""
    head = fitted(text, limit, shown)
    if len(head) == len(text):
        return visible(head), ""
    return visible(head + "…"), f" [{len(text)} {unit}]"


def fitted(text: str, limit: int = _DISPLAY_LIMIT, shown: int | None = None) -> str:
    """The start of `text` that `display_parts` shows, as logged (not yet made visible): its first `limit`
    characters, and with `shown` the longest start of them whose visible form is at most `shown` characters
    (a cut start as shown before the marker: a blank there is not escaped)."""
    def seen(start: str) -> int:
        return len(visible(start)) if len(start) == len(text) else len(visible(start + "…")) - 1

    head = text[:limit]
    if shown is None or seen(head) <= shown:
        return head
    low, high = 0, len(head)  # head[:low] fits, head[:high] does not
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if seen(head[:mid]) <= shown else (low, mid)
    return head[:low]


def shorten_shown(text: str, shown: int, unit: str = "characters") -> str:
    """`shorten` bounded by what is shown, for a value a sentence quotes before the sentence is made visible
    once (page 1's gap lines name their file): the fitted start, then `… [N characters]` where cut."""
    head = fitted(text, shown, shown)
    return text if len(head) == len(text) else f"{head}… [{len(text)} {unit}]"


_SHOWN_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_escape(shown: re.Match[str]) -> str:
    what = shown.group(1)
    if what == "\\":
        return "\\\\"
    code = int(what[1:], 16)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # past the BMP: JSON's surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_string(value: str) -> str:
    """A JSON string literal of `value` for a person's screen: every character `visible` writes as an escape
    (controls, bidirectional and invisible characters, look-alikes) written as a JSON escape, so the literal
    still decodes to `value` exactly and nothing in it runs on a terminal."""
    shown = visible(value)
    parts, last = [], 0
    for m in _SHOWN_ESCAPE.finditer(shown):
        parts += [json.dumps(shown[last:m.start()], ensure_ascii=False)[1:-1], _json_escape(m)]
        last = m.end()
    parts.append(json.dumps(shown[last:], ensure_ascii=False)[1:-1])
    return '"' + "".join(parts) + '"'


def json_visible(text: str) -> str:
    """JSON text for a terminal: each string literal (keys too) written again by `json_string`; the rest (numbers,
    punctuation, layout) as it is. Valid JSON that decodes to the same data, unlike `visible` line by line,
    which doubles JSON's own backslashes (`\\"`, `\\u001b`)."""
    return _JSON_STRING.sub(lambda m: json_string(json.loads(m.group(0))), text)


# A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection); the full-width forms
# too (East Asian Excel and LibreOffice take `＝1+1` as `=1+1`), and `|`, which starts a DDE payload.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: Any) -> str:
    """The one rule for a CSV cell (the report's CSVs, `--csv` of `files` and `sql`): the value as logged, with
    a leading apostrophe when a spreadsheet would run it as a formula (also after leading blanks) or when it
    holds a control or bidirectional character (the apostrophe reads "text, not to be trusted as shown"). Numbers stay numbers (a
    negative number is no formula); booleans are true/false; lists and maps are JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    # after leading blanks too: some spreadsheets trim a cell before they look at its first character
    if text.lstrip().startswith(FORMULA_START) or not is_inert(text):
        return "'" + text
    return text
