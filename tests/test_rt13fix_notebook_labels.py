"""Review of red team 13, the notebook door (exposure/notebook.py): a Styler (`frame.style`) escaped text cells
alone. A list or an array in a cell (`spellings` of case.files()) went through str() unescaped (a live
`<img onerror>`), index and column labels were neither escaped nor made visible (`set_index('user_agent').style`,
a pivot's columns), a `.format()` of the user's replaced the rule, `styler.format.thousands` was dropped, and the
plain frame left a right-to-left override raw in its index labels. Every displayed text value, of any type and
as a cell or a label, is now escaped and made visible; numbers keep their format."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from exposure import notebook as nb
from tests.test_redteam2_notebook import HOSTILE_UA, shell  # noqa: F401 - the fixture

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")
IMG = "/docs/<img src=x onerror=alert(1)>\u202eexe.pdf"


def _shown(shell: object, obj: object) -> str:  # noqa: F811 - the fixture's name
    return shell.display_formatter.format(obj)[0]["text/html"]


def _inert(html: str) -> None:
    assert "<script>" not in html and "<img" not in html
    assert "\u202e" not in html and "\x1b" not in html


@pytest.fixture
def inert(shell: object) -> Iterator[object]:  # noqa: F811 - the fixture's name
    nb.make_inert(shell)
    yield shell


def test_a_list_or_array_in_a_styled_cell_is_escaped(inert: object) -> None:
    frame = pd.DataFrame({"path": [IMG], "spellings": [np.array([IMG])], "listed": [[IMG]]})
    for html in (_shown(inert, frame.style), frame.style.to_html()):
        _inert(html)
        assert "&lt;img src=x onerror=alert(1)&gt;\\u202eexe.pdf" in html


def test_styled_index_and_column_labels_are_escaped(inert: object) -> None:
    frame = pd.DataFrame({"user_agent": [HOSTILE_UA, "curl"], "bytes": [1000, 2000]})
    for styled in (frame.set_index("user_agent").style, frame["user_agent"].value_counts().to_frame().style,
                   frame.pivot_table(columns="user_agent", values="bytes", aggfunc="sum").style,
                   frame.set_index("user_agent").style.format_index(precision=0)):
        html = _shown(inert, styled)
        _inert(html)
        assert "&lt;script&gt;" in html and "\\u202eexe.fdp" in html


def test_a_users_format_neither_unescapes_text_nor_loses_numbers(inert: object) -> None:
    frame = pd.DataFrame({"user_agent": [HOSTILE_UA], "bytes": [1234567.891]})
    html = _shown(inert, frame.style.format(precision=1))
    _inert(html)
    assert ">1234567.9<" in html
    with pd.option_context("styler.format.thousands", ","):
        html = _shown(inert, frame.style)
    assert ">1,234,567.891000<" in html


def test_a_plain_frames_labels_are_made_visible(inert: object) -> None:
    frame = pd.DataFrame({"user_agent": [HOSTILE_UA, "curl"], "bytes": [1000, 2000]})
    for html in (_shown(inert, frame.set_index("user_agent")), _shown(inert, frame["user_agent"].value_counts())):
        _inert(html)
        assert "\\u202eexe.fdp" in html
