"""Red team, round 2: the notebook door. A frame `Case` returns holds log values as logged; shown in Jupyter
(IPython's HTML formatter) every text cell goes through the one display rule (controls, bidi and look-alikes as
escapes), HTML-escaped, outside MathJax, and a Styler escapes HTML. The frame itself is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exposure import Case
from exposure import notebook as nb
from tests.conftest import write_log
from tests.logs import clf, t

pd = pytest.importorskip("pandas")
# imported here: pandas loads its Styler module lazily, so whether `pd.io.formats.style` exists at teardown depended
# on which tests ran before on this worker (an AttributeError at teardown in a fresh-clone run, ci45)
styler = pytest.importorskip("pandas.io.formats.style")
interactiveshell = pytest.importorskip("IPython.core.interactiveshell")

TARGET = "/docs/leak.xlsx"
HOSTILE_UA = "<script>alert(1)</script> \u202eexe.fdp \x1b[2J $\\href{javascript:alert(1)}{click}$"


@pytest.fixture
def shell() -> Iterator[object]:
    shell = interactiveshell.InteractiveShell.instance()
    yield shell
    html = shell.display_formatter.formatters["text/html"]  # leave the process as it was
    for kind in (pd.DataFrame, pd.Series, styler.Styler):
        html.type_printers.pop(kind, None)
    html.deferred_printers.pop(("pandas.io.formats.style", "Styler"), None)
    nb._INSTALLED.discard(id(shell))
    for option in ("styler.format.escape", "styler.format.formatter", "styler.html.mathjax"):
        pd.reset_option(option)


def test_a_frame_of_hostile_values_is_shown_inert(tmp_path: Path, shell: object) -> None:
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("192.0.2.1", t(8, 10), TARGET, size=4000, ua=HOSTILE_UA),
        clf("192.0.2.2", t(8, 11), TARGET, size=4000),
        clf("192.0.2.3", t(9, 11), TARGET, status=404, size=100)])
    with Case(tmp_path / "case.duckdb") as case:  # opened in a shell: the formatter is registered
        case.ingest([log])
        frame = case.timeline(TARGET)
    assert HOSTILE_UA in set(frame["user_agent"])  # the data keeps the value as logged
    html = shell.display_formatter.format(frame)[0]["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\u202e" not in html and "\x1b" not in html
    assert "\\u202eexe.fdp" in html and "\\x1b[2J" in html
    assert "tex2jax_ignore" in html  # MathJax leaves the cells alone
    series_html = shell.display_formatter.format(frame["user_agent"])[0]["text/html"]
    assert "\u202e" not in series_html and "&lt;script&gt;" in series_html
    assert "<script>" not in frame.style.to_html()


def test_a_long_frame_is_cut_as_pandas_cuts_it(shell: object) -> None:
    nb.make_inert(shell)
    html = shell.display_formatter.format(pd.DataFrame({"path": [f"/p/{i}" for i in range(5000)]}))[0]["text/html"]
    assert "/p/0<" in html and "/p/4999<" in html and "/p/2500<" not in html
    assert "5000 rows" in html


def test_a_styled_frame_of_hostile_values_is_shown_inert(shell: object) -> None:
    """Red team 13: `frame.style` escaped HTML but wrote a right-to-left override, an ESC and a `$...$` for MathJax
    as logged (`a\u202eb` shown reversed). Its text cells now go through the same display rule, numbers keep
    Styler's own format, and MathJax is told to leave the table alone."""
    nb.make_inert(shell)
    frame = pd.DataFrame({"user_agent": [HOSTILE_UA], "bytes": [0.123456789]})
    html = shell.display_formatter.format(frame.style)[0]["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\u202e" not in html and "\x1b" not in html
    assert "\\u202eexe.fdp" in html and "\\x1b[2J" in html
    assert "tex2jax_ignore" in html
    assert ">0.123457<" in html  # Styler's precision, as without make_inert
    assert frame["user_agent"][0] == HOSTILE_UA
