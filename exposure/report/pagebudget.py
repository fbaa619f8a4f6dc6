"""Page 1's budget of printed lines: how many lines each block above the evidence-status list takes on paper,
estimated from its text's length and the share of the page's column it is set in, one estimate for every block.

Page 1 must hold the answer, its windows, the evidence status and the caveats it must carry (EVIDENCE.md 11, 17,
18). A bound in characters per value did not hold it: three 460-character --alias paths in a Dutch report with a
211-character target were each cut, yet their rows, the target's name and the caveats naming them pushed the end of
the status list to page 2. The estimate here is in printed lines of page 1's body text (9 pt DejaVu Sans on A4 with
16 mm margins: about COLUMN characters a line, measured 100-110 in the PDF), so every block is counted in the
same unit; report/pageone.py fits the status list into what is left, and the aliases' table on page 1 gets what
the list leaves (every alias is in section 1's table, whole).
"""

from __future__ import annotations

from math import ceil
from typing import Any
from unicodedata import east_asian_width

from ..escaping import shorten_shown
from .html import PAGE_ONE_PATH, PAGE_ONE_ROW_PATH
from .i18n import Strings

# Rows of page 1's table of files (several targets); past it one counted row says how many more and how many
# complete downloads they hold, and section 1 has the table of every file.
PAGE_ONE_FILES = 6
# characters of page 1's body text on one printed line (fewer than measured: an estimate that errs long is safe)
COLUMN = 100
# printed lines page 1 holds (723 pt between the margins of an A4 page, 11 pt a line of the cover's text)
PAGE_ONE = 66
# lines a block adds beside its text: the space around a heading, a table's header and padding, a box's border
# (measured on the sample's page 1 and on three long --alias paths' Dutch page 1: 11 pt a line)
_HEADER = 1.8  # the kicker, "The answer" and the space between them (the title, identity and intro apart)
_TITLE = 1.6  # a line of the title (1.6 rem, about 60 characters a line) in lines of body text
_SPACE = 0.6  # the space after a paragraph
_TABLE = 2.0  # a table's header row and the space around the table
_ROW = 0.5  # a table row's padding
_CELL = 0.85  # a line of a table's smaller type, in lines of body text
_FIGURES = 3.0  # the three figure boxes
_STATUS = 2.5  # the evidence-status box: its title, border and space
_LINE = 0.0  # the space between two items of the status list (none measured: 11 pt a line throughout)
COUNTED = 2  # a line that counts what page 1 does not name ("and 3 more ...")
_ALERT = 2.0  # an alert box's border, padding and margins and its list's (measured 1.3 on review A's page 1: errs long)
_SMALL = 1.2  # a note's or a table cell's smaller type holds this many times the characters on a line
_BOX = 0.3  # the space above the case box at page 1's foot (0.3 rem: measured 0.25 lines on the sample's page 1)


def width(text: str) -> int:
    """Columns `text` takes on paper, in characters of page 1's body text: a wide glyph (East Asian Wide or
    Fullwidth: CJK, most emoji) two. Counted as one, a title and --alias paths in Chinese took twice the lines the
    budget gave them, which only a PDF's layout (report/pdf.py fitted) caught: an HTML-only report spilled."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if east_asian_width(c) in "WF")


def printed(text: str | int, share: float = 1.0) -> int:
    """Printed lines of `text` (or of that many columns, report/pagebudget.py `width`) set in `share` of page 1's
    column: at least one."""
    chars = text if isinstance(text, int) else width(text)
    return max(1, ceil(chars / max(int(COLUMN * share), 1)))


def shown(value: str, width: int, s: Strings) -> str:
    """`value` as page 1 shows it when cut to `width` characters (the marker of its length included)."""
    return shorten_shown(value, width, s["characters"])


def _note(text: str) -> float:
    return small(text) + _SPACE


def small(text: str, share: float = 1.0) -> int:
    """Printed lines of `text` in the smaller type of a note or a table cell, set in `share` of the column."""
    return printed(int(width(text) / _SMALL), share)


def _windows(t: dict[str, Any], s: Strings) -> float:
    """The table of the first windows: each row as tall as its tallest cell (two times, each bound's evidence
    lines cut to PAGE_ONE_ROW_PATH, in a column of 30% of the page), and the note beneath it."""
    rows = t.get("page_one_windows") or []
    if not rows:  # no window, or their table given way to the findings (report/model.py): one line saying where
        return (printed(s.f("page_one_windows_elsewhere", n=len(t["windows"]))) if t.get("windows") else 1) + _SPACE
    lines = _TABLE + (2 if t.get("windows_more") else 0)
    for w in rows:
        cells = [sum(small(shown(e["file"], PAGE_ONE_ROW_PATH, s) + f":{e['line']}", 0.3) for e in refs)
                 for refs in w["refs"].values()]
        lines += (2 + max(cells, default=0) + (1 if w.get("open_at_log_start") else 0)) * _CELL + _ROW
    return lines + _note((s["removal_note_some"] + " " if t.get("closed_windows") else "") + s["bound_evidence"])


def alias_row(path: str, s: Strings) -> float:
    """One row of page 1's table of --alias paths: its path cut to PAGE_ONE_ROW_PATH in 28% of the column, beside
    two lines of times."""
    return max(small(shown(path, PAGE_ONE_ROW_PATH, s), 0.28), 2) * _CELL + _ROW


def above_status(title: str, identity: str, targets: list[dict[str, Any]], minimum: bool, status_line: str,
                 s: Strings, files: int = PAGE_ONE_FILES, sent: str | None = None) -> int:
    """Printed lines of page 1 above the evidence-status list, the aliases' rows left out (they get what the list
    leaves): the title and the line saying which report it is (`identity`), the answer (one file's name, its sentence, size, windows and figures; or, of several, the
    table of its first `files` files), the notes under it (`minimum`: the note that the figures are a minimum) and the status box
    with its line of counts; `sent`: the note on what the complete downloads rest on (report/caveats.sent_note)."""
    lines = _HEADER + printed(title, 0.6) * _TITLE + _note(identity) + _note(s["answer_intro"])
    if len(targets) > 1:
        rows = targets[:files]
        lines += _TABLE + sum(max(small(shown(t["path"], PAGE_ONE_ROW_PATH, s), 0.34), 2) * _CELL + _ROW
                              for t in rows)
        lines += 2 if len(targets) > len(rows) else 0
        # a row labelling its CDN cache fills (two lines, within the row's least) and the note under the table
        if any((t.get("totals") or {}).get("cdn_complete_downloads") for t in rows):
            lines += _note(s["overview_cdn_note"])
    else:
        for t in targets:
            lines += printed(shown(t["path"], PAGE_ONE_PATH, s)) + printed(t["key"]) + 2 * _SPACE
            size = t.get("size") or {}
            lines += printed(" ".join([size.get("label", s["size"]), *size.get("rules", []),
                                       *size.get("votes", [])])) + _SPACE
            lines += _windows(t, s) + _FIGURES + _note(s["headline_others"])
            if t.get("aliases"):
                lines += _note(s["aliases"] + s["aliases_intro"]) + _TABLE
    lines += _note(f"{sent} ({s['caveat_where']})") if sent else 0  # as the template prints it: where it is said whole
    lines += _note(s["headline_note"] + s["clock_note"]) + (_note(s["headline_minimum"]) if minimum else 0)
    return ceil(lines + _STATUS + printed(status_line))


def case_box(pairs: list[tuple[str, str]], whole: list[tuple[str, str]]) -> float:
    """Printed lines of the case box that ends page 1 (its rows `label: value` in a note's type): the short rows
    (`pairs`) two to a line, each in half the column, the seal's and the command's rows (`whole`) the column's
    width. Left out of the budget, a page 1 full of findings printed the box's digest and command on page 2."""
    halves = [small(f"{label}: {value}", 0.5) for label, value in pairs]
    lines = sum(max(halves[i:i + 2]) for i in range(0, len(halves), 2))
    lines += sum(small(f"{label}: {value}") for label, value in whole)
    return _BOX + lines * _CELL


def item(chars: int) -> float:
    """Printed lines of one item of the status list of `chars` characters (its space to the next included)."""
    return printed(chars) + _LINE


def alert(title: str, detail: str) -> float:
    """Printed lines of an alert box of page 1 without its items: its border and space, and its title run into
    its sentence."""
    return _ALERT + printed(f"{title}. {detail}")
