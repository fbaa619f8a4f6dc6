"""Many files: each file's chart drew one SVG element per request and per download, so 30 files of ~6,000
requests each made 33 MB of the report's 59 MB HTML (and most of the PDF's layout), for markers that lie on the
same spot. Markers of one lane and colour within 1/CHART_SPOTS of the time axis are drawn once; the labels and
tables still count every download."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from exposure.report.charts import target_chart
from exposure.report.i18n import strings

T0 = datetime(2024, 3, 1)


def _chart(requests: list[tuple[datetime, int, bool, bool]]) -> str:
    return target_chart({"requests": requests, "windows": [], "downloads": [], "gaps": []}, strings("en"))


def test_requests_on_one_spot_of_the_chart_are_drawn_once() -> None:
    burst = [T0 + timedelta(hours=12, seconds=i) for i in range(40)]  # 40 s of a day: one spot (43.2 s)
    gone = [T0 + timedelta(hours=6, seconds=i) for i in range(40)]
    ends = [(T0, 200, False, False), (T0 + timedelta(days=1), 200, False, False)]  # time, status, own, error
    full = _chart([*ends, *[(t, 200, False, False) for t in burst], *[(t, 404, False, True) for t in gone]])
    once = _chart([*ends, (burst[0], 200, False, False), (gone[0], 404, False, True)])
    assert full == once  # the same picture, byte for byte
    assert len(re.findall(r"<use ", full)) < 30  # not one element per request (82)


def _target(index: int, downloads: list[datetime]) -> dict[str, object]:
    return {"index": index, "path": f"/docs/file-{index}.pdf",
            "windows": [{"first_available": "2024-03-01T00:00:00Z", "last_available": "2024-03-11T00:00:00Z"}],
            "downloads": [{"time": d.isoformat() + "Z", "outcome": "complete", "internal": False} for d in downloads]}


def test_the_overview_draws_each_spot_of_its_shared_axis_once() -> None:
    """A spot is 1/CHART_SPOTS of the axis all rows share (ten days: 432 s), not of one file's own downloads:
    40 downloads a second apart are one tick, as in the file's own chart."""
    from exposure.report.charts import overview_chart

    spread = [T0 + timedelta(days=d) for d in range(10)]
    burst = [T0 + timedelta(days=5, hours=3, seconds=i) for i in range(40)]
    full = overview_chart([_target(1, spread), _target(2, burst)], strings("en"))
    once = overview_chart([_target(1, spread), _target(2, burst[:1])], strings("en"))
    assert full == once
    apart = overview_chart([_target(1, spread), _target(2, [burst[0], burst[0] + timedelta(hours=6)])],
                           strings("en"))
    assert apart != once  # two spots of the axis: two ticks
