"""Many files, the register's dense listing (report/inventory.py) measured in display columns, as the review of its
line width found it: (1) wrap counted code points, so a CJK path of 212 of them (about 410 columns) ran past the
landscape page's edge; (2) a column was as wide as a fixed number, so a 10-digit line count (13 characters with
its thin spaces) or a size of 1 TB or more pushed the columns after it out of line and a Dutch row over 212 was
wrapped mid-row; (3) a blank right before a break was invisible at the line's end."""
from __future__ import annotations

import unicodedata

import pytest

from exposure.report import inventory
from exposure.report.i18n import strings
from tests.test_manyfiles_listing import _entry, _unwrapped


def _columns(text: str) -> int:  # the rule as the review states it, written here apart from the code under test
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_a_cjk_path_wraps_on_display_columns_and_keeps_every_character(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 0)
    name = "/logs/" + "日本語ログ" * 60 + ".log"  # 300 wide characters: 600 columns
    blocks = inventory.listing([_entry(path=name)], strings("en"))
    assert blocks is not None
    lines = blocks[0].split("\n")
    assert max(_columns(line) for line in lines) <= inventory.LINE_WIDTH == 212
    assert sum(line.startswith(inventory.CONTINUED) for line in lines) == 3  # 8 + 610 columns and the rest: 4 lines
    assert _columns(lines[2]) == 212 and lines[2].startswith("     1  /logs/日本語ログ")
    first = next(line for line in _unwrapped(blocks[0]) if line.startswith("     1  "))
    assert first == f"     1  {name}  (read · combined · web1/access.log)"  # every character, in order
    assert inventory.wrap("a" * 211 + "e\u0301" + "b") == ["a" * 211 + "e\u0301", inventory.CONTINUED + "b"]
    assert inventory.wrap("a" * 211 + "日") == ["a" * 211, inventory.CONTINUED + "日"]  # no half a character


def test_wide_numbers_widen_their_columns_and_every_row_stays_under_its_names(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 0)
    big = _entry(lines=1_234_567_890, requests=1_234_567_000, size_bytes=1_234_567_890_123)
    for lang in ("en", "nl"):
        blocks = inventory.listing([big, _entry()], strings(lang))
        assert blocks is not None
        lines = blocks[0].split("\n")
        assert max(_columns(line) for line in lines) <= inventory.LINE_WIDTH
        rows = (len(lines) - 3) // 3  # field lines: the names' and each file's, after the head and 2 path lines
        assert len(lines) == 3 + 3 * rows
        names, one, two = lines[1:1 + rows], lines[2 + rows:2 + 2 * rows], lines[3 + 2 * rows:]
        assert len(two) == rows and (rows == 1) == (lang == "en")  # Dutch names are longer: a continuation line
        s = strings(lang)
        label = {key: inventory._label(s, name) for key, name, _ in inventory._COLUMNS}
        values = {"size_bytes": ("1\u202f234\u202f567\u202f890\u202f123", "13\u202f482"),
                  "lines": ("1\u202f234\u202f567\u202f890", "1\u202f234\u202f567"),
                  "requests": ("1\u202f234\u202f567\u202f000", "1\u202f234\u202f000"),
                  "skipped": ("1\u202f085", "1\u202f085"), "first_time": ("2020-06-08T00:00:01Z",) * 2,
                  "last_time": ("2020-06-08T23:59:59Z",) * 2}
        for key, (wide, narrow) in values.items():
            at = next(i for i, line in enumerate(names) if label[key] in line)
            start = names[at].index(label[key])
            if key.endswith("time"):  # left-aligned: the value starts where its name does
                assert one[at].index(wide, start) == two[at].index(narrow, start) == start
            else:  # right-aligned: it ends where the column ends, the name or the widest value
                end = max(start + len(label[key]), one[at].index(wide, start - 10) + len(wide))
                assert one[at].index(wide, start - 10) + len(wide) == end
                assert two[at].index(narrow, start - 10) + len(narrow) == end
                assert names[at].index(label[key]) + len(label[key]) == end


def test_a_blank_at_a_break_opens_the_continuation_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 0)
    name = "/" + "p" * 202 + "  " + "q" * 20  # the first line's columns 212 and 213 are blanks
    blocks = inventory.listing([_entry(path=name)], strings("en"))
    assert blocks is not None
    lines = blocks[0].split("\n")
    assert lines[2] == "     1  /" + "p" * 202 and lines[3] == inventory.CONTINUED + "  " + "q" * 20 + "  (read · combined · web1/access.log)"
    assert not any(line.endswith(" ") for line in lines)
    assert inventory.wrap(" " * 300) == [" " * 212, inventory.CONTINUED + " " * 88]  # a line of blanks: cut as it is
