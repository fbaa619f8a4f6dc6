"""A window never seen withdrawn holds the evidence's time after its last request (exposure/findings.py Window.open).

Before (review F7): a window still available when the logs end spanned, for gaps, only up to its last available
response: a stream's silence after the target's last request and before the end of the evidence was said to be
in no window ("gap", not "gap in window"), though the file was still online and the silence may hide downloads.
Now such a window holds every time after its last request too, and a finding or gap lying there names it
`window N (open: no withdrawal seen)` (JSON in_window / in_windows[].after_last_available, the target's gaps,
the terminal, the report in English and Dutch). The downloads counted do not change."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.findings import Window
from exposure.report.model import _inside
from exposure.terminal.answer import window_lines
from tests.conftest import write_log
from tests.logs import clf

T = "/f.xlsx"
DAY = datetime(2020, 6, 10)


def _log(tmp_path: Path, silences: list[tuple[int, int]], target: list[tuple[int, int]]) -> Path:
    """An index page every 5 minutes from 08:00 to 20:00 but in `silences` (hours), the target at `target`
    (hour, status), one minute past the hour."""
    lines = []
    t = DAY + timedelta(hours=8)
    while t < DAY + timedelta(hours=20):
        if not any(DAY + timedelta(hours=a) < t < DAY + timedelta(hours=b) for a, b in silences):
            lines.append((t, clf("198.51.100.9", t, "/index.html", size=500)))
        t += timedelta(minutes=5)
    for n, (hour, status) in enumerate(target):
        when = DAY + timedelta(hours=hour, minutes=1)
        lines.append((when, clf(f"198.51.100.{n + 1}", when, T, status=status, size=1000)))
    log = tmp_path / "access.log"
    write_log(log, [line for _, line in sorted(lines)])
    return log


def _answer(log: Path) -> dict:
    with Case() as case:
        case.ingest([log])
        return case.analyse([T], AnalysisOptions(geoip_city="none"))


def test_a_silence_after_the_last_request_of_an_open_window_is_inside_it(tmp_path: Path) -> None:
    answer = _answer(_log(tmp_path, [(10, 12), (13, 17)], [(9, 200), (12, 200)]))
    [target] = answer["targets"]
    assert [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-10T09:01:00Z", "2020-06-10T12:01:00Z", None)]
    assert [(d["client_ip"], d["outcome"]) for d in target["downloads"]] == [
        ("198.51.100.1", "complete"), ("198.51.100.2", "complete")]   # unchanged: two complete downloads
    gaps = [(g["start"], g["end"], g["after_last_available"], g["window_label"]) for g in target["gaps"]]
    assert gaps == [("2020-06-10T10:00:00Z", "2020-06-10T12:00:00Z", False, "window 1"),
                    ("2020-06-10T13:00:00Z", "2020-06-10T17:00:00Z", True, "window 1 (open: no withdrawal seen)")]
    found = [(f["uncovered_start"], f["in_window"], f["in_windows"]) for f in answer["findings"] if f["kind"] == "gap"]
    assert found == [
        ("2020-06-10T10:00:00Z", "window 1",
         [{"window": 1, "target": T, "alias": None, "after_last_available": False}]),
        ("2020-06-10T13:00:00Z", "window 1 (open: no withdrawal seen)",
         [{"window": 1, "target": T, "alias": None, "after_last_available": True}])]
    said = window_lines(target["windows"])
    assert said[-1].split("  ")[-1] == "still available when the logs end (open: no withdrawal seen)"
    status = {s["kind"]: s["count"] for s in answer["evidence_status"]["findings"]}
    assert (status.get("gap in window"), status.get("gap")) == (2, None)


def test_a_withdrawn_window_holds_no_silence_after_its_withdrawal(tmp_path: Path) -> None:
    """A 404 closes the window: a silence after it lies in no window, one before it (after the last 200) does."""
    answer = _answer(_log(tmp_path, [(10, 12), (13, 17)], [(9, 200), (12, 404)]))
    found = [(f["uncovered_start"], f["in_window"]) for f in answer["findings"] if f["kind"] == "gap"]
    assert found == [("2020-06-10T10:00:00Z", "window 1"), ("2020-06-10T13:00:00Z", None)]
    answer = _answer(_log(tmp_path, [(13, 17)], [(9, 200), (18, 404)]))
    found = [(f["uncovered_start"], f["in_window"]) for f in answer["findings"] if f["kind"] == "gap"]
    assert found == [("2020-06-10T13:00:00Z", "window 1")]   # before the withdrawal: the window as logged


def test_the_report_names_the_open_span_in_its_language() -> None:
    from exposure.report.i18n import strings

    span = Window("window 1", DAY, DAY + timedelta(hours=1), 1, T, open=True)
    after = DAY + timedelta(hours=2)
    assert span.holds(after, after + timedelta(hours=1)) and span.holds(after, after)   # a silence, a stray time
    assert not Window("window 1", DAY, DAY + timedelta(hours=1), 1, T).holds(after, after + timedelta(hours=1))
    f = {"in_window": span.named(after, None), "in_windows": [span.ref(after, None)]}
    assert _inside(f, strings("en")) == "; inside window 1 of /f.xlsx (open: no withdrawal seen)"
    assert _inside(f, strings("nl")) == "; binnen venster 1 van /f.xlsx (open: geen terugtrekking gezien)"
    inside = {"in_windows": [span.ref(DAY + timedelta(minutes=10), DAY + timedelta(minutes=20))]}
    assert _inside(inside, strings("en")) == "; inside window 1 of /f.xlsx"


def test_a_window_refused_after_it_ends_for_gaps_at_its_first_refusal(tmp_path: Path) -> None:
    """Review of defaults3 (refused.log): a 200 at 09:01, then 403s to three external addresses at 10:01, 11:01,
    12:01 and no 404/410: the file may have been withdrawn at 10:01 (refused_after_window). A silence after the
    refusals (13:00-17:00) was said 'inside window 1 (open: no withdrawal seen)' beside the warning that it may
    have been withdrawn; it is now a gap in no window (for gaps the window ends at its first refusal, as at a
    404)."""
    answer = _answer(_log(tmp_path, [(13, 17)], [(9, 200), (10, 403), (11, 403), (12, 403)]))
    [target] = answer["targets"]
    [window] = target["windows"]
    assert (window["first_unavailable"], window["refused_after"]) == (None, "2020-06-10T10:01:00Z")
    assert any("may have been withdrawn" in w for w in target["warnings"])
    assert target["gaps"] == []
    found = [(f["kind"], f["uncovered_start"], f["in_window"]) for f in answer["findings"]
             if f["kind"] in ("gap", "gap in window")]
    assert found == [("gap", "2020-06-10T13:00:00Z", None)]
