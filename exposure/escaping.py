"""Log-derived text made inert for display, in one place for the terminal, HTML, PDF and CSV.

Paths, user agents and referrers are written by whoever sent the request. Shown raw, an ESC sequence clears
a terminal or sets its title, and a right-to-left override (U+202E) makes `exe.fdp` read as `pdf.exe`.
`visible` writes every such character as an escape a reader can see (`\\x1b`, `\\u202e`); the stored value
is never changed (the case, the JSON answer and the CSV keep it as logged). `shorten` bounds what a page or
a terminal line shows of a value whose length the sender chose, and says how long the whole value is.
"""

from __future__ import annotations

import json
from typing import Any

# C0 controls, DEL and C1 controls; then the characters that reorder or hide text: the bidirectional
# embeddings, overrides, isolates and marks, the line/paragraph separators, zero-width characters and the BOM.
_INVISIBLE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x180E, *range(0x200B, 0x2010),
              *range(0x2028, 0x202F), *range(0x2060, 0x2070), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {code: _escape(code) for code in _INVISIBLE}
_TABLE[ord("\\")] = "\\\\"  # a literal backslash doubles, so `\x1b` shown always means the control character
_DISPLAY_LIMIT = 200


def visible(text: str) -> str:
    """`text` with every control, bidirectional or invisible formatting character written as an escape.

    >>> visible("a\\x1b[2Jb\\u202etxt.exe")
    'a\\\\x1b[2Jb\\\\u202etxt.exe'
    """
    return text.translate(_TABLE)


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


def display(text: str | None, limit: int = _DISPLAY_LIMIT, unit: str = "characters") -> str:
    """The one rule for showing a log-derived value to a person: cut to `limit`, then made visible."""
    if text is None:
        return ""
    return visible(shorten(text, limit, unit=unit))


# A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
