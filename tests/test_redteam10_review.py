"""Review of red team 10's changes: what the review found besides the fragment rule (tests/test_redteam10_fragment.py)."""

from __future__ import annotations

import doctest

from exposure import escaping
from exposure.escaping import display, display_parts

TARGET = "/docs/x.xlsx"


def test_a_cut_on_a_blank_shows_the_blank_as_it_is() -> None:
    """display_parts showed a cut landing on a blank as `\\x20…`: a blank before the cut marker is not the
    value's trailing blank. A whole value's trailing blank is still escaped."""
    assert display("/docs/my report final.pdf", 9) == "/docs/my … [25 characters]"
    assert display_parts("/docs/my report final.pdf", 9, shown=9) == ("/docs/my …", " [25 characters]")
    assert display("/docs/x.xlsx ", 100) == "/docs/x.xlsx\\x20"
    assert doctest.testmod(escaping).failed == 0
