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
    monkeypatch.setattr(pdf, "room_left", lambda document: 0)
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


class _Layouts:
    """pdf.fitted's view of WeasyPrint: each HTML laid out to the lines it runs over and the lines it leaves free."""

    def __init__(self, fits: dict[str, tuple[int, int]]) -> None:
        self.fits, self.laid = fits, []

    def layout(self, html: str) -> str:
        self.laid.append(html)
        return html

    def spilled(self, document: str) -> int:
        return self.fits[document][0]

    def room_left(self, document: str) -> int:
        return self.fits[document][1]


def _fit(monkeypatch: pytest.MonkeyPatch, fits: dict[str, tuple[int, int]]) -> tuple[tuple[str, str, int], list[int],
                                                                                         _Layouts]:
    pages = _Layouts(fits)
    for name in ("layout", "spilled", "room_left"):
        monkeypatch.setattr(pdf, name, getattr(pages, name))
    asked: list[int] = []

    def render(less: int) -> str:
        asked.append(less)
        return "counted" if less >= 0 else "named"  # more room names what the estimate counted away

    return pdf.fitted(render), asked, pages


def test_room_left_at_page_one_s_foot_is_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The estimate ran long (page 1 fits with 5 lines free): laid out again with 4 of them given back, and the
    page that names what the first counted is kept where it still fits."""
    result, asked, _ = _fit(monkeypatch, {"counted": (0, 5), "named": (0, 1)})
    assert result == ("named", "named", 0) and asked == [0, -4]


def test_room_given_back_that_spills_keeps_the_page_that_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    result, asked, pages = _fit(monkeypatch, {"counted": (0, 5), "named": (2, 0)})
    assert result == ("counted", "counted", 0)
    assert asked == [0, -4, 0]  # the model of the HTML returned made last
    assert pages.laid == ["counted", "named"]


def test_no_room_left_lays_page_one_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result, asked, pages = _fit(monkeypatch, {"counted": (0, 1)})
    assert result == ("counted", "counted", 0) and asked == [0] and pages.laid == ["counted"]


def _clf(client: str, minute: int, status: int = 200, size: int = 18412, offset: str = "+0000") -> str:
    return (f'{client} - - [08/Jun/2020:10:{minute:02d}:00 {offset}] "GET /docs/x.xlsx HTTP/1.1" {status} {size} "-" '
            '"Mozilla/5.0 (X11)"')


@pytest.mark.slow  # a PDF
def test_a_damaged_file_is_named_where_page_one_has_room(tmp_path: Path) -> None:
    """Red team 17 (L2): a damaged file beside a vhost log with two offsets: the estimate ran long, page 1 said
    '1 more file not read in full, not named here' above blank room; given the room back it names the file and
    the time its damage leaves uncovered."""
    import contextlib

    from tests.conftest import write_log

    lines = [_clf(f"198.51.100.{i}", i).encode() for i in range(1, 7)]
    lines[3] = b"\0" * 4096 + lines[3]  # a run of NULs where a disk lost a block, before line 4's bytes
    write_log(tmp_path / "nul" / "access.log", lines)
    vhost = [f"www.example.nl:443 {line}" for line in (_clf("198.51.100.1", 1, offset="+0200"),)]
    vhost += [f"www.other.nl:80 {_clf('198.51.100.2', 2, offset='+0200')}",
              f"www.example.nl:80 {_clf('198.51.100.3', 3, offset='+0200')}",
              f"www.other.nl:443 {_clf('198.51.100.4', 4, status=404, size=200, offset='+0200')}",
              f"www.example.nl:443 {_clf('198.51.100.5', 5, size=9000, offset='+0200')}"]
    write_log(tmp_path / "l_vhost" / "apache2" / "other_vhosts_access.log", vhost)
    write_log(tmp_path / "l_vhost" / "apache2" / "other_vhosts_access.log.1",
              [f"www.example.nl:443 {_clf('198.51.100.9', 0, offset='+0200')}"])
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(app, ["analyse", "nul", "l_vhost", "--target", "/docs/x.xlsx", "--report", "rep",
                                          "--geoip-city", "none", "--geoip-asn", "none",
                                          "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "120"})
    assert result.exit_code == 3, result.output
    from .test_layout import pdf_text

    page1 = " ".join(pdf_text(tmp_path / "rep" / "report.pdf", 1).split())
    assert "INCOMPLETE · damaged: nul/access.log" in page1, page1
    assert "not named here (damaged)" not in page1
