"""The notebook door: how a DataFrame of log values is shown in Jupyter, by the one display rule.

The frames `Case` returns are data: every value as logged. Jupyter shows a frame as HTML, and there a logged
value is live: pandas escapes `<` and `&`, but a right-to-left override (U+202E) still turns `exe.fdp` into
`pdf.exe`, an ESC or zero-width character is unseen, a pair of `$` is typeset by MathJax (a `\\href` in it is a
link), and a `Styler` (`frame.style`) writes cells unescaped unless told. `make_inert` makes the HTML shown
for every DataFrame and Series the frame with each text cell through `exposure.escaping.visible`, escaped,
outside MathJax, and has `Styler` escape HTML, write its text cells through the same rule (its numbers in its
own format) and keep MathJax off its tables. The frame itself is never changed.
"""

from __future__ import annotations

import math
from typing import Any

from .escaping import visible

_INSTALLED: set[int] = set()  # the shells (by id) the formatter is registered in


def _cell(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return visible(str(value))


def styler_cell(value: Any) -> str:
    """A Styler cell (pandas' `styler.format.formatter`; HTML-escaped before it): text made visible, any other
    value in Styler's own default format."""
    if isinstance(value, str):
        return visible(value)
    import pandas as pd
    from pandas.io.formats.style_render import _default_formatter  # Styler's own, with its precision option

    return str(_default_formatter(value, precision=pd.get_option("styler.format.precision")))


def frame_html(frame: Any) -> str:
    """The HTML Jupyter shows for a DataFrame or Series: pandas' own (rows and columns cut by the display
    options), each text cell made visible and then escaped, MathJax off."""
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
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

        html = shell.display_formatter.formatters["text/html"]
        html.for_type(pd.DataFrame, frame_html)
        html.for_type(pd.Series, frame_html)
        pd.set_option("styler.format.escape", "html")
        pd.set_option("styler.format.formatter", styler_cell)
        pd.set_option("styler.html.mathjax", False)
        _INSTALLED.add(id(shell))
    return True
