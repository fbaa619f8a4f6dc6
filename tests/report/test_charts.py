"""The timeline chart's download numbers: never on top of each other, every counted download named, even when
dozens fall within hours (a popular file of a publication)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from exposure.report.charts import LABEL_PT, _label_text, target_chart
from exposure.report.i18n import EN, Strings

_TEXT = re.compile(r'<text style="font-size: 6.5px;[^"]*"\s+x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</text>')


def _crowded(n: int) -> dict:
    """`n` complete downloads in bursts of ten, nine minutes apart, one burst every twelve hours."""
    start = datetime(2020, 6, 8, 9, 0)
    times = [start + timedelta(hours=(i // 10) * 12, minutes=(i % 10) * 9) for i in range(n)]
    iso = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in times]
    return {"windows": [{"window": 1, "first_available": iso[0], "last_available": iso[-1],
                         "first_unavailable": (times[-1] + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")}],
            "requests": [(t, 200, False, False) for t in times],
            "downloads": [{"no": i + 1, "time": iso[i], "client_class": "browser", "outcome": "complete",
                           "internal": False} for i in range(n)]}


def _numbers(label: str) -> int:
    """How many downloads a label stands for."""
    counted = re.search(r"\((\d+)\)$", label)
    return int(counted.group(1)) if counted else len(label.split(","))


def test_label_text_names_three_and_counts_more() -> None:
    assert _label_text(["D14", "D12"]) == "D12,D14"
    assert _label_text(["D9", "D10", "D32", "D11"]) == "D9–D32 (4)"


def test_sixty_downloads_in_bursts_are_numbered_without_overlap() -> None:
    svg = target_chart(_crowded(60), Strings(EN))
    labels = [(float(x), float(y), text) for x, y, text in _TEXT.findall(svg)]
    assert sum(_numbers(text) for _x, _y, text in labels) == 60  # each download in exactly one label
    clashes = []
    for i, (x1, y1, t1) in enumerate(labels):
        for x2, y2, t2 in labels[i + 1:]:
            apart = (len(t1) + len(t2)) * LABEL_PT * 0.62 / 2  # half of each label's width, in SVG points
            if abs(y1 - y2) < LABEL_PT and abs(x1 - x2) < apart:
                clashes.append((t1, t2))
    assert clashes == []
