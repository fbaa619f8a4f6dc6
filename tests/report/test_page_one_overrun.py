"""Page 1 never runs onto page 2 unsaid: where report/pdf.py `fitted` gives up (TRIES layouts and the status and
case box still run past page 1) the report says how many printed lines stand on page 2, in the API's result and
as a warning in the terminal; a page 1 that fits says nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import exposure.report.pdf as pdf
from exposure.cli import app

from .conftest import TARGET

WARNING = "WARNING: report.pdf's first page could not hold its evidence status and case box"


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """WeasyPrint left out: every layout is measured as running over by the next number in the list (the last one
    repeats), the PDF written as a stub; each test fills the list."""
    over: list[int] = []
    laid: list[int] = []

    def spilled(document: object) -> int:
        laid.append(1)
        return over[min(len(laid), len(over)) - 1]

    monkeypatch.setattr(pdf, "layout", lambda html: object())
    monkeypatch.setattr(pdf, "spilled", spilled)
    monkeypatch.setattr(pdf, "write_pdf", lambda html, path, document=None: path.write_bytes(b"%PDF"))
    monkeypatch.setattr(pdf, "pdf_unavailable", lambda: None)
    return over


def _report(case: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["report", "--case", str(case), "--out", str(out), "--target", TARGET,
                                      "--pin-time", "2020-08-01T12:00:00Z", "--geoip-asn", "none"],
                                env={"COLUMNS": "120"})
    return result.exit_code, result.output


def test_a_page_one_that_still_runs_over_is_said(sample_case_copy: Path, tmp_path: Path,
                                                 laid_out: list[int]) -> None:
    laid_out.extend([9, 6, 4, 3, 3])  # every re-fit short by a few lines: after TRIES the last 3 lines spill
    code, output = _report(sample_case_copy, tmp_path / "r")
    assert code == 0, output
    assert f"{WARNING}: the last 3 printed lines of them stand at the top of page 2" in " ".join(output.split())


def test_a_page_one_fitted_by_a_re_fit_says_nothing(sample_case_copy: Path, tmp_path: Path,
                                                    laid_out: list[int]) -> None:
    laid_out.extend([9, 0])  # the first re-fit fits
    code, output = _report(sample_case_copy, tmp_path / "r")
    assert code == 0, output
    assert "first page could not hold" not in output


def test_the_api_result_carries_the_lines_over(sample_case_copy: Path, tmp_path: Path, laid_out: list[int]) -> None:
    from exposure import Case
    from exposure.report import ReportSettings

    from .conftest import sample_options

    laid_out.extend([5])
    with Case(sample_case_copy) as case:
        result = case.report([TARGET], tmp_path / "r", sample_options(), ReportSettings())
    assert result.page_one_over == 5
    assert pdf.TRIES == 4  # the layouts tried: the first and TRIES more
