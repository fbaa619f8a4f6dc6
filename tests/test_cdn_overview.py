"""Several targets, one fetched by CloudFront's cache fills: the overview of files (page 1's table, section 1's
table of every file: one macro) labels the CDN's copies beside each file's complete downloads, from the answer's
`cdn_complete_downloads` (queries/totals.sql), as each file's answer sentence and the terminal's figure line do;
a file without fills says nothing of a CDN."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.report import ReportSettings
from exposure.report.i18n import strings
from tests.test_cdn_cache_fill import CHROME, START, TARGET, _logs, _origin

OTHER = "/docs/other.pdf"


def _two_files(root: Path) -> Path:
    """The origin's log of test_cdn_cache_fill (3 CloudFront fills and a browser's download of TARGET) and a
    browser's download of another file, no CDN involved."""
    logs = _logs(root, cdn_log=False)
    log = logs / "access.log"
    log.write_text(log.read_text() + _origin(START + timedelta(hours=22), "192.0.2.45", OTHER, 200, 4096, CHROME,
                                             "-") + "\n")
    return logs


def _cells(page: str, table_id: str) -> dict[int, str]:
    """The complete-downloads cell of each row of an overview table, its text as read."""
    table = re.search(rf'<table class="data compact answer-overview" id="{table_id}">(.*?)</table>', page, re.S)
    assert table, table_id
    rows = re.findall(r'<tr data-target="(\d+)">(.*?)</tr>', table.group(1), re.S)
    return {int(n): " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                                    re.S)[-2])).split())
            for n, row in rows}


def test_the_overview_labels_each_file_s_cdn_fills_from_the_answer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_two_files(tmp_path)])
        case.report([TARGET, OTHER], out, AnalysisOptions(), ReportSettings(pdf=False))
    answer = json.loads((out / "analysis.json").read_text())
    totals = {t["path"]: t["totals"] for t in answer["targets"]}
    assert (totals[TARGET]["complete_downloads"], totals[TARGET]["cdn_complete_downloads"]) == (4, 3)
    assert (totals[OTHER]["complete_downloads"], totals[OTHER]["cdn_complete_downloads"]) == (1, 0)
    s = strings("en")
    cells = _cells((out / "report.html").read_text(encoding="utf-8").replace("<wbr>", ""), "answer-overview")
    assert cells == {1: f"4 {s.f('overview_cdn', n=3)}", 2: "1"}
    assert "CDN" in s.f("overview_cdn", n=3)
    # section 1's figures of each file: the CDN's fills a row of their own, backed by that file's downloads table
    # (t1: the first file's; the other file has none)
    page = (out / "report.html").read_text(encoding="utf-8")
    summary = page.split('data-section="summary"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'data-figure="cdn_complete_downloads">(\d+)</td><td><a href="#([\w-]+)"', summary)
    assert rows == [(str(totals[TARGET]["cdn_complete_downloads"]), "t1-downloads")]


def test_section_one_s_table_of_every_file_labels_them_too(tmp_path: Path) -> None:
    """Past page 1's rows (PAGE_ONE_FILES), section 1 has the table of every file: the same cell."""
    from exposure.report.pagebudget import PAGE_ONE_FILES

    logs = _two_files(tmp_path)
    log = logs / "access.log"
    extra = [f"/docs/more-{n}.pdf" for n in range(PAGE_ONE_FILES)]
    log.write_text(log.read_text() + "".join(
        _origin(START + timedelta(hours=21, minutes=n), "192.0.2.46", p, 200, 2048, CHROME, "-") + "\n"
        for n, p in enumerate(extra)))
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report([*extra, OTHER, TARGET], out, AnalysisOptions(), ReportSettings(pdf=False))
    page = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    cells = _cells(page, "answer-overview-all")
    assert cells[PAGE_ONE_FILES + 2] == f"4 {strings('en').f('overview_cdn', n=3)}"
    assert [c for n, c in cells.items() if n != PAGE_ONE_FILES + 2] == ["1"] * (PAGE_ONE_FILES + 1)


def test_the_terminal_labels_them_in_each_target_s_figures(tmp_path: Path) -> None:
    """The terminal has no table of files: each target's figure line says its CDN fills (terminal/answer.py
    figure_lines), the other target's says none."""
    result = CliRunner().invoke(app, ["analyse", str(_two_files(tmp_path)), "--target", TARGET, "--target", OTHER,
                                      "--geoip-city", "none", "--geoip-asn", "none"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    figures = [line for line in result.output.splitlines() if line.startswith("  complete downloads ")]
    assert figures == [
        "  complete downloads 4 from 4 external addresses (3 of them by a CDN filling its cache from the origin: "
        "the CDN's copies, not a viewer's; see the warning)",
        "  complete downloads 1 from 1 external address"]


def test_page_one_s_budget_counts_the_note_under_the_table() -> None:
    """report/pagebudget.py above_status: page 1's lines above the status list hold the note the table of files
    gets where a row labels CDN fills (its lines as a note's), and nothing where none does."""
    from exposure.report.pagebudget import _note, above_status

    s = strings("en")
    rows = [{"path": TARGET, "totals": {"cdn_complete_downloads": 3}}, {"path": OTHER, "totals": {}}]
    plain = [{**r, "totals": {}} for r in rows]
    with_cdn, without = (above_status("t", "i", r, False, "status", s) for r in (rows, plain))
    assert with_cdn - without >= int(_note(s["overview_cdn_note"])) > 0
