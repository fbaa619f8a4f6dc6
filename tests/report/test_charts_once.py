"""The charts are drawn once per report: page 1's retries in report/pdf.py `fitted` (each a new model and HTML with
less room on page 1) reuse them, since a chart does not depend on page 1's room; the HTML of a retry is the one a
report made with that room from the start holds, chart included (a matplotlib figure drawn again cost 0.4 s a
chart on every retry)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import exposure.report.charts as charts
import exposure.report.pdf as pdf
from exposure import Case
from exposure.report import ReportSettings

from .conftest import PIN, TARGET, sample_options

RETRIES = (0, 5, 9)  # page 1 laid out three times, each with less room


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The anchor of every chart drawn, in order."""
    drawn: list[str] = []
    target_chart = charts.target_chart

    def counting(t: dict, s: dict) -> str:
        drawn.append(t["anchor"])
        return target_chart(t, s)

    monkeypatch.setattr(charts, "target_chart", counting)
    return drawn


def test_page_one_retries_draw_each_chart_once(sample_case_copy: Path, tmp_path: Path, counted: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    made: dict[int, str] = {}

    def retried(render: Callable[[int], str]) -> tuple[str, None, int]:  # pdf.fitted as on a page 1 that spills twice
        for less in RETRIES:
            made[less] = render(less)
        return made[RETRIES[-1]], None, 0

    def at_once(render: Callable[[int], str]) -> tuple[str, None, int]:  # the last retry's room from the start
        return render(RETRIES[-1]), None, 0

    monkeypatch.setattr(pdf, "write_pdf", lambda html, path, document=None: path.write_bytes(b"%PDF"))
    with Case(sample_case_copy) as case:
        monkeypatch.setattr(pdf, "fitted", retried)
        case.report([TARGET], tmp_path / "r", sample_options(), ReportSettings(pin_time=PIN))
        assert counted == ["t1"], counted  # one file: one chart, drawn once for three renders
        monkeypatch.setattr(pdf, "fitted", at_once)
        case.report([TARGET], tmp_path / "r", sample_options(), ReportSettings(pin_time=PIN))
    assert made[0] != made[RETRIES[-1]]  # the retries did change page 1
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert html == made[RETRIES[-1]] and "<svg" in html  # the same bytes, chart included
