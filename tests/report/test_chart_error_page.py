"""errfix: the chart's unavailable lane marks a custom error page answering 200 (queries/downloads_rule.sql
rule_error_page, counted an error: is_error) as it marks a 404, since it closes a window as a 404 does. Before: only
404 and 410 were marked, the window's end drawn without the response that ended it."""

from __future__ import annotations

from datetime import datetime

from exposure.report.charts import unavailable_marks


def test_an_error_page_is_marked_unavailable() -> None:
    t = [datetime(2024, 3, 10, 9, m) for m in range(5)]
    # (time, status, internal, is_error): a copy, a 404, an error page (200 counted an error), a 410, a 499 transfer
    rows = [(t[0], 200, False, False), (t[1], 404, False, True), (t[2], 200, False, True), (t[3], 410, False, True),
            (t[4], 499, False, False)]
    assert unavailable_marks(rows) == [t[1], t[2], t[3]]
