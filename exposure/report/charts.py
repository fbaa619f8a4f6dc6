"""Timeline charts (matplotlib, SVG): one per target and an overview when there are several.

SVG output is made deterministic (fixed hash salt for element ids, no date in the metadata, text kept as
text) so the same case gives byte-identical charts. Charts carry no addresses: downloads are labelled with
their number in the timeline table (D1, D2, ...).
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import datetime, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ..escaping import visible  # noqa: E402
from .i18n import Strings  # noqa: E402

CLASS_COLOURS = {
    "browser": "#1f5fa8", "crawler": "#d9822b", "archive": "#7a4fa3", "link-preview": "#2a9d8f",
    "cdn": "#b5a000", "tool": "#c0392b", "scanner": "#8c564b", "monitoring": "#7f7f7f", "unknown": "#333333",
}
WINDOW_COLOUR = "#f6d7a7"
GAP_COLOUR = "#9a9a9a"
# text.parse_math off: a logged path is text, never mathtext (`/a$\\foo$` would stop the report)
RC = {"svg.hashsalt": "exposure-report", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
      "axes.spines.top": False, "axes.spines.right": False, "text.parse_math": False}


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.rstrip("Z"))


# A chart of more than CHART_VECTOR_MARKS marks (markers, shaded windows and gaps) draws them as one image inside
# the SVG, at CHART_DPI, instead of one element each: 31 charts of up to 7,000 markers and 3,400 gap shadings each
# (a case of 15,000 files) were 20 MB of the HTML and most of what the PDF writer laid out. The picture is the
# same, the axes, labels and legend stay text; the charts of a small case stay vectors (no image). Ticks that fall
# on one spot of a chart's time axis are drawn once in every chart, small or not (`_spots`, below).
CHART_VECTOR_MARKS = 1_000
CHART_DPI = 200


def _marks(fig: Any) -> int:
    return sum(len(c.get_offsets()) for ax in fig.axes for c in ax.collections) + sum(
        len(ax.patches) for ax in fig.axes)


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    dense = _marks(fig) > CHART_VECTOR_MARKS
    if dense:
        for ax in fig.axes:
            for artist in [*ax.collections, *ax.patches]:
                artist.set_rasterized(True)
    with warnings.catch_warnings():  # a glyph the font lacks is drawn as a box; the warning would quote it raw
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight",
                    **({"dpi": CHART_DPI} if dense else {}))
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined in HTML
    # responsive: let CSS size it while keeping the aspect ratio
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1', text, count=1).replace(
        "<svg", '<svg role="img" preserveAspectRatio="xMidYMid meet"', 1)


def _time_axis(ax: Any, start: datetime, end: datetime, s: Strings) -> None:
    pad = max((end - start) * 0.03, timedelta(hours=2))
    ax.set_xlim(start - pad, end + pad)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    # numbers only: a month name would be English in the Dutch report
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, show_offset=True, formats=["%Y", "%m", "%d", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%m-%d", "%m-%d", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]))
    ax.set_xlabel(s["time_utc"])
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


# Markers of one lane and colour closer than 1/CHART_SPOTS of the time axis (well under a pixel: the chart is some
# 720 points wide) are drawn once: 30 files of ~6,000 requests each made 33 MB of SVG (one element per marker)
# that the PDF writer lays out for minutes, for the same picture. Labels and tables still count every download.
CHART_SPOTS = 2_000


def _spots(times: list[datetime], start: datetime, end: datetime) -> list[datetime]:
    """The first of `times` at each of CHART_SPOTS spots along start..end (in time order): what the eye sees.

    >>> t0 = datetime(2024, 3, 1)
    >>> _spots([t0, t0 + timedelta(seconds=1), t0 + timedelta(hours=12)], t0, t0 + timedelta(days=1))
    [datetime.datetime(2024, 3, 1, 0, 0), datetime.datetime(2024, 3, 1, 12, 0)]
    """
    step = max((end - start) / CHART_SPOTS, timedelta(microseconds=1))
    seen: dict[int, datetime] = {}
    for when in sorted(times):
        seen.setdefault((when - start) // step, when)
    return list(seen.values())


def request_marks(requests: list[tuple[Any, ...]]) -> tuple[list[datetime], list[datetime]]:
    """The requests lane's times: (blue, red). Red is an error in the figures (totals.errors' own test, rule_error:
    the is_error the model carries), never status >= 400 alone: a GET 499 with bytes is a transfer, not red.

    >>> t0 = datetime(2024, 3, 1)
    >>> request_marks([(t0, 200, False, False), (t0, 499, False, False), (t0, 404, False, True)])
    ([datetime.datetime(2024, 3, 1, 0, 0), datetime.datetime(2024, 3, 1, 0, 0)], [datetime.datetime(2024, 3, 1, 0, 0)])
    """
    return [r[0] for r in requests if not r[3]], [r[0] for r in requests if r[3]]


def unavailable_marks(requests: list[tuple[Any, ...]]) -> list[datetime]:
    """The unavailable lane's times: a 404 or 410, and a 200 the figures count as an error (is_error, rule_error): a
    custom error page answering 200 at the file's path (queries/downloads_rule.sql rule_error_page), which closes a
    window as a 404 does."""
    return [r[0] for r in requests if r[1] in (404, 410) or (r[1] == 200 and r[3])]


def target_chart(t: dict[str, Any], s: Strings) -> str:
    """Swim lanes over time: all requests, 404/410, partial, complete (external) and own-address downloads."""
    with plt.rc_context(RC):
        lanes = ["lane_requests", "lane_unavailable", "lane_partial", "lane_internal", "lane_complete"]
        y = {name: i for i, name in enumerate(lanes)}
        fig, ax = plt.subplots(figsize=(10, 3.6))
        times = [r[0] for r in t["requests"]] or [datetime(1970, 1, 1)]
        start, end = min(times), max(times)
        for w in t["windows"]:
            first = _parse(w["first_available"])
            last = _parse(w["last_available"])
            ax.axvspan(first, last, color=WINDOW_COLOUR, alpha=0.7, linewidth=0, zorder=0)
            if w["first_unavailable"]:
                ax.axvspan(last, _parse(w["first_unavailable"]), color=WINDOW_COLOUR, alpha=0.3, linewidth=0,
                           zorder=0, hatch="///")
            # above the plot, clear of the download numbers
            ax.text(first, 1.01, f"{s['window']} {w['window']}", fontsize=8, va="bottom", color="#8a5a00",
                    transform=ax.get_xaxis_transform())
        # a server's log silent inside a window: downloads then leave no line, so the lanes are empty by absence
        # of evidence, not of requests
        for g in t.get("gaps") or []:
            ax.axvspan(_parse(g["start"]), _parse(g["end"]), facecolor="none", edgecolor=GAP_COLOUR, linewidth=0,
                       hatch="xx", zorder=1)
        ok, bad = (_spots(marks, start, end) for marks in request_marks(t["requests"]))
        ax.scatter(ok, [y["lane_requests"]] * len(ok), marker="|", s=120, color="#1f5fa8", linewidths=1)
        ax.scatter(bad, [y["lane_requests"]] * len(bad), marker="|", s=120, color="#c0392b", linewidths=1)
        gone = _spots(unavailable_marks(t["requests"]), start, end)
        ax.scatter(gone, [y["lane_unavailable"]] * len(gone), marker="x", s=36, color="#c0392b", linewidths=1.2)
        used_classes: list[str] = []
        labels: list[tuple[datetime, str, str]] = []
        # one scatter per lane and colour, never one per download: each call rescales the axes over every point
        # drawn so far (6,000 downloads: 6,000 calls, 45 s)
        marks: dict[tuple[str, str], list[datetime]] = {}
        for d in t["downloads"]:
            when = _parse(d["time"])
            cls = d["client_class"] or "unknown"
            colour = CLASS_COLOURS.get(cls, CLASS_COLOURS["unknown"])
            if d["outcome"] == "complete" and not d["internal"]:
                lane = "lane_complete"
                if cls not in used_classes:
                    used_classes.append(cls)
            elif d["internal"]:
                lane = "lane_internal"
            else:
                lane = "lane_partial"
            marks.setdefault((lane, colour), []).append(when)
            if d["outcome"] == "complete" or lane == "lane_partial":
                labels.append((when, lane, f"{s['download_short']}{d['no']}"))
        for (lane, colour), spread in marks.items():
            whens = _spots(spread, start, end)
            style = {"lane_complete": {"marker": "o", "s": 60, "color": colour, "edgecolors": "white",
                                       "linewidths": 0.6},
                     "lane_internal": {"marker": "s", "s": 40, "color": "#999999"},
                     "lane_partial": {"marker": "^", "s": 44, "facecolors": "none", "edgecolors": colour,
                                      "linewidths": 1.2}}[lane]
            ax.scatter(whens, [y[lane]] * len(whens), zorder=3, **style)
        ax.set_yticks(range(len(lanes)), [s[name] for name in lanes])
        ax.set_ylim(-0.6, len(lanes) + 0.2)  # room for three levels of numbers above the top lane
        _time_axis(ax, start, end, s)
        _place_labels(fig, ax, [(when, y[lane], text) for when, lane, text in labels])
        handles = [Patch(color=WINDOW_COLOUR, label=s["windows"])]
        if t.get("gaps"):
            handles.append(Patch(facecolor="none", edgecolor=GAP_COLOUR, hatch="xx", linewidth=0,
                                 label=s["chart_gap"]))
        handles += [Line2D([], [], marker="o", linestyle="", color=CLASS_COLOURS.get(c, "#333333"), label=s.cls(c).replace("\u00ad", ""))
                    for c in sorted(used_classes)]
        handles += [Line2D([], [], marker="^", linestyle="", markerfacecolor="none", color="#555555",
                           label=s["lane_partial"]),
                    Line2D([], [], marker="x", linestyle="", color="#c0392b", label="404 / 410")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=min(len(handles), 6),
                  frameon=False, fontsize=8)
        return _svg(fig)


LABEL_PT = 6.5
LABEL_LEVELS = (7, 15, 23)  # points above the marker; the next lane is about 40 points up


def _label_text(members: list[str]) -> str:
    """One label for the downloads it stands for: up to three by number ("D12,D14"), more as their first and last
    number and how many ("D32–D52 (14)"), so a crowded lane keeps short labels."""
    ordered = sorted(members, key=lambda m: int(re.sub(r"\D", "", m) or 0))
    return ",".join(ordered) if len(ordered) <= 3 else f"{ordered[0]}–{ordered[-1]} ({len(ordered)})"


def _place_labels(fig: Any, ax: Any, labels: list[tuple[datetime, float, str]]) -> None:
    """Number the downloads without overlapping labels: each label takes the lowest free level above its marker;
    labels that find no free level join the nearest label on the top level of their lane, and top-level labels
    that then meet are joined too ("D12,D14"; "D32–D52 (14)" for more than three)."""
    fig.canvas.draw()  # the axis transform needs the final limits and layout
    scale = fig.dpi / 72

    def half(text: str) -> float:
        return len(text) * LABEL_PT * 0.62 * scale / 2 + 1.5 * scale

    top_level = len(LABEL_LEVELS) - 1
    placed: dict[tuple[float, int], list[dict[str, Any]]] = {}  # (lane, level) -> [{x0, x1, members, xs}, ...]
    for when, lane, text in sorted(labels, key=lambda item: (item[1], item[0])):
        x = ax.transData.transform((mdates.date2num(when), lane))[0]
        for level in range(len(LABEL_LEVELS)):
            taken = placed.setdefault((lane, level), [])
            if all(x + half(text) < item["x0"] or x - half(text) > item["x1"] for item in taken):
                taken.append({"x0": x - half(text), "x1": x + half(text), "members": [text], "xs": [x]})
                break
        else:
            top = placed[(lane, top_level)]
            nearest = min(top, key=lambda item: abs((item["x0"] + item["x1"]) / 2 - x))
            nearest["members"].append(text)
            nearest["xs"].append(x)
    for (lane, level), items in placed.items():
        if level == top_level:  # joined labels grew: join those that now meet, until none do
            merged: list[dict[str, Any]] = []
            for item in sorted(items, key=lambda it: min(it["xs"])):
                merged.append(item)
                while len(merged) > 1:
                    a, b = merged[-2], merged[-1]
                    for it in (a, b):
                        centre = (min(it["xs"]) + max(it["xs"])) / 2
                        it["x0"], it["x1"] = centre - half(_label_text(it["members"])), centre + half(
                            _label_text(it["members"]))
                    if b["x0"] > a["x1"]:
                        break
                    merged[-2:] = [{"members": a["members"] + b["members"], "xs": a["xs"] + b["xs"]}]
            items = merged
        for item in items:
            centre = (min(item["xs"]) + max(item["xs"])) / 2
            at = mdates.num2date(ax.transData.inverted().transform((centre, 0))[0]).replace(tzinfo=None)
            ax.annotate(_label_text(item["members"]), (at, lane), xytext=(0, LABEL_LEVELS[level]),
                        textcoords="offset points", ha="center", fontsize=LABEL_PT, color="#333333")


def overview_chart(targets: list[dict[str, Any]], s: Strings) -> str:
    """One row per target: its windows as bars and its complete external downloads as ticks."""
    with plt.rc_context(RC):
        fig, ax = plt.subplots(figsize=(10, 0.6 + 0.5 * len(targets)))
        rows = [([(_parse(w["first_available"]), _parse(w["last_available"])) for w in t["windows"]],
                 [_parse(d["time"]) for d in t["downloads"] if d["outcome"] == "complete" and not d["internal"]])
                for t in reversed(targets)]
        times = [when for windows, done in rows for when in (*(x for w in windows for x in w), *done)]
        if not times:
            times = [datetime(1970, 1, 1)]
        start, end = min(times), max(times)  # the axis all rows share: a spot is 1/CHART_SPOTS of it in each row
        for row, (windows, done) in enumerate(rows):
            for first, last in windows:
                ax.barh(row, last - first, left=first, height=0.5, color=WINDOW_COLOUR, edgecolor="#c9a05b")
            done = _spots(done, start, end)  # one tick per spot, as in a file's own chart
            ax.scatter(done, [row] * len(done), marker="|", s=160, color="#1f5fa8", zorder=3)
        ax.set_yticks(range(len(targets)), [f"{t['index']}. {_short(t['path'])}" for t in reversed(targets)])
        _time_axis(ax, start, end, s)
        return _svg(fig)


def _short(path: str, width: int = 40) -> str:
    """The end of a logged path, made visible (escaping.visible: a bidi override would reverse the label)."""
    return visible(path if len(path) <= width else "…" + path[-(width - 1):])
