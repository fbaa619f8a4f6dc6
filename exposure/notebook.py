"""The notebook door: how a DataFrame of log values is shown in Jupyter, by the one display rule.

The frames `Case` returns are data: every value as logged. Jupyter shows a frame as HTML, and there a logged
value is live: pandas escapes `<` and `&`, but a right-to-left override (U+202E) still turns `exe.fdp` into
`pdf.exe`, an ESC or zero-width character is unseen, a pair of `$` is typeset by MathJax (a `\\href` in it is a
link), and a `Styler` (`frame.style`) writes cells unescaped unless told. `make_inert` makes the HTML shown
for every DataFrame and Series the frame with each text cell and label through `exposure.escaping.visible`,
escaped, outside MathJax; shows every Styler with each value that is no number, time or bool (text, a list, an
array), cell or label, by the same rule and escaped, whatever `.format()` it was given (styler_html), and has
`Styler.to_html()` escape HTML, write its cells through the same rule (its numbers in its own format, with
`styler.format.thousands`) and keep MathJax off its tables. The frame itself is never changed.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from typing import Any

from .escaping import visible

_INSTALLED: set[int] = set()  # the shells (by id) the formatter is registered in


def _cell(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return visible(str(value))


def _plain(value: Any) -> bool:
    """A value whose text holds nothing logged: a number, a bool, a time, None or NaN (shown in its own format)."""
    import datetime as dt

    import numpy as np

    return value is None or isinstance(value, (int, float, complex, bool, np.number, np.bool_, dt.date, dt.time,
                                               dt.timedelta, np.datetime64, np.timedelta64))


def _number(value: Any) -> str:
    """A plain value in Styler's own default format: its precision, and its thousands separator where one is set
    (`styler.format.thousands`; pandas adds it only to its own formatter, not to one set in its place)."""
    import pandas as pd
    from pandas.io.formats.style_render import _default_formatter  # Styler's own, with its precision option

    thousands = pd.get_option("styler.format.thousands") is not None
    return str(_default_formatter(value, precision=pd.get_option("styler.format.precision"), thousands=thousands))


def styler_cell(value: Any) -> str:
    """A Styler cell (pandas' `styler.format.formatter`; a text HTML-escaped by Styler before it): text made
    visible; a value of any other kind that holds text (a list, an array, bytes: `spellings` of case.files())
    through str(), made visible and escaped here (Styler escapes text alone); numbers in Styler's own format."""
    if isinstance(value, str):
        return visible(value)
    if _plain(value):
        return _number(value)
    return visible(html.escape(str(value)))


def _shown(func: Any) -> Any:
    """A Styler display function made inert: every text value, and every value that is no number (a list ...),
    escaped and made visible, whatever `func` (a `.format()` or `.format_index()` of the user's, Styler's default
    for labels, which escapes nothing) would write; a number as `func` writes it (its precision, separators)."""

    def shown(value: Any) -> str:
        if _plain(value):
            return func(value)
        return visible(html.escape(value if isinstance(value, str) else str(value)))

    return shown


_DISPLAY_FUNCS = ("_display_funcs", "_display_funcs_index", "_display_funcs_columns", "_display_funcs_index_names",
                  "_display_funcs_column_names")


def styler_html(styler: Any) -> str:
    """The HTML Jupyter shows for a Styler: its own, with every cell, index and column label and their names
    escaped and made visible (_shown), MathJax off. The Styler is left as it was."""
    import pandas as pd

    kept = {attr: getattr(styler, attr) for attr in _DISPLAY_FUNCS if hasattr(styler, attr)}
    try:
        for attr, funcs in kept.items():
            factory = funcs.default_factory
            setattr(styler, attr, defaultdict(lambda factory=factory: _shown(factory()),
                                              {key: _shown(func) for key, func in funcs.items()}))
        with pd.option_context("styler.html.mathjax", False):
            return str(styler._repr_html_())
    finally:
        for attr, funcs in kept.items():
            setattr(styler, attr, funcs)


def _label(value: Any) -> Any:
    return visible(value) if isinstance(value, str) else value


def frame_html(frame: Any) -> str:
    """The HTML Jupyter shows for a DataFrame or Series: pandas' own (rows and columns cut by the display
    options), each text cell made visible and then escaped, MathJax off."""
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    # index and column labels (a user_agent set as index, value_counts, a pivot's columns) by the same rule;
    # pandas escapes them
    frame = frame.rename(index=_label, columns=_label)
    texts = {col: _cell for col, dtype in frame.dtypes.items() if not pd.api.types.is_numeric_dtype(dtype)
             and not pd.api.types.is_bool_dtype(dtype) and not pd.api.types.is_datetime64_any_dtype(dtype)}
    option = pd.get_option
    rows = option("display.max_rows")
    if rows is not None and len(frame) > rows:  # as pandas' own repr: past max_rows, min_rows are shown
        rows = option("display.min_rows") or rows
    with pd.option_context("display.html.use_mathjax", False):
        return frame.to_html(formatters=texts, escape=True, notebook=True, border=1, max_rows=rows,
                             max_cols=option("display.max_columns"),
                             show_dimensions=option("display.show_dimensions"))


def make_inert(shell: Any = None) -> bool:
    """Register `frame_html` for DataFrame and Series in the running IPython shell (or `shell`) and have
    Styler escape HTML and show text cells by the same rule, outside MathJax. True when a shell was there;
    idempotent."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    if id(shell) not in _INSTALLED:
        import pandas as pd

        shown = shell.display_formatter.formatters["text/html"]
        shown.for_type(pd.DataFrame, frame_html)
        shown.for_type(pd.Series, frame_html)
        # by name: Styler needs jinja2, imported when a Styler is first shown
        shown.for_type_by_name("pandas.io.formats.style", "Styler", styler_html)
        pd.set_option("styler.format.escape", "html")
        pd.set_option("styler.format.formatter", styler_cell)
        pd.set_option("styler.html.mathjax", False)
        _INSTALLED.add(id(shell))
    return True
