"""The one display rule for log-derived text (exposure/escaping.py)."""

from __future__ import annotations

import pytest

from exposure.escaping import display, is_inert, shorten, visible


@pytest.mark.parametrize(("raw", "shown"), [
    pytest.param("\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07", id="esc-clear-and-title"),
    pytest.param("report\u202etxt.exe", "report\\u202etxt.exe", id="rtl-override"),
    pytest.param("a\u2066b\u2069c\u200bd\ufeff", "a\\u2066b\\u2069c\\u200bd\\ufeff", id="isolates-zero-width-bom"),
    pytest.param("tab\there\r\nnl", "tab\\x09here\\x0d\\x0anl", id="tab-cr-lf"),
    pytest.param("c1\x85\x9b", "c1\\x85\\x9b", id="c1-controls"),
    pytest.param("back\\x1b", "back\\\\x1b", id="literal-backslash-doubled"),
    pytest.param("/documenten/lijst-ë.xlsx", "/documenten/lijst-ë.xlsx", id="letters-unchanged"),
])
def test_visible_escapes_every_control_and_bidi_character(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert is_inert(visible(raw))


def test_is_inert_finds_the_characters_visible_escapes() -> None:
    assert not is_inert("x\x1by")
    assert not is_inert("x\u202ey")
    assert is_inert("plain /path?q=1 \\ backslash")


def test_shorten_cuts_for_display_and_states_the_full_length() -> None:
    assert shorten("abc", 3) == "abc"
    assert shorten("a" * 1_048_576, 10) == "a" * 10 + "… [1048576 characters]"
    with pytest.raises(ValueError):
        shorten("abc", 0)


def test_display_cuts_before_escaping_so_the_escape_is_never_split() -> None:
    assert display("ab\x1bcd", 3) == "ab\\x1b… [5 characters]"
    assert display(None) == ""
