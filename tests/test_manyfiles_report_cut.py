"""Many files, the review of the shared budget (model.page_shares): (1) it was split evenly by the number of
files, so a leak's tables showed "the first 10 of 40" beside 200 files of one request each although the report
used a few hundred of its rows; files needing fewer now give the rest back (water-fill). (2) It had no bound in
the number of files (at least FILE_ROWS each): past the budget only the files that fit have tables on the pages,
files with complete downloads first, and every other file says in one line where its rows are. (3) The referrers
table had no limit at all: it is cut by the same share and referrers.csv (in the manifest) has every one."""
from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.i18n import EN, strings

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
SIZE = 18412


def _line(ip: str, minute: int, second: int, path: str, size: int, referer: str = "-") -> str:
    return (f'{ip} - - [08/Jun/2020:12:{minute:02d}:{second:02d} +0000] "GET {path} HTTP/1.1" 200 {size} '
            f'"{referer}" "Mozilla/5.0"\n')


def _report(tmp_path: Path, lines: list[str], targets: list[str]) -> tuple[str, Path]:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text("".join(lines), encoding="ascii")
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report(targets, out, AnalysisOptions(size=SIZE), ReportSettings(pin_time=PIN, pdf=False))
    return (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", ""), out


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def _no_dead_links(html: str) -> None:
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert sorted({h for h in re.findall(r'href="#([^"]+)"', html) if h not in ids}) == []


def test_files_needing_few_rows_give_the_rest_to_the_leak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 30)  # 11 files: an even split gave each 2 (30 // 11)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    lines = [_line(f"198.51.100.{i}", i, 0, "/docs/leak.pdf", SIZE) for i in range(1, 9)]
    lines += [_line("203.0.113.9", 30, i, f"/docs/other{i}.pdf", 100) for i in range(10)]
    html, _out = _report(tmp_path, lines, ["/docs/leak.pdf"] + [f"/docs/other{i}.pdf" for i in range(10)])
    assert len(re.findall(r'<tr class="download_', _table(html, "t1-timeline"))) == 8  # all of the leak's
    assert len(re.findall(r'<td class="addr">', _table(html, "t1-per-ip"))) == 8
    assert 'data-capped="downloads"' not in html and 'data-capped="file"' not in html
    _no_dead_links(html)


def test_past_the_budget_only_files_that_fit_have_tables_and_the_rest_say_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 6)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    files = [f"/docs/f{f}.pdf" for f in range(5)]  # f0: partial downloads only; f1..f4: 3 complete each
    lines = [_line(f"198.51.{f}.{i}", f, i, path, 100 if f == 0 else SIZE)
             for f, path in enumerate(files) for i in range(1, 4)]
    html, out = _report(tmp_path, lines, files)
    shown = {i: len(re.findall(r'<tr class="(?:complete|partial)', html.split(f'id="t{i}-downloads"', 1)[1]
                                                                       .split("</table>", 1)[0]))
             for i in (2, 3, 4)}
    assert shown == {2: 2, 3: 2, 4: 2}  # 6 rows in all: f1..f3, complete downloads first
    for i in (1, 5):  # f0 (no complete download) and f4 (past the budget): one line per table, no rows
        assert f'id="t{i}-per-ip"' in html and f'<table class="data per-ip" id="t{i}-per-ip"' not in html
    def not_paged(file: str) -> str:
        return str(escape(strings("en").f("not_paged", total=3, budget=6, file=file)))
    assert html.count(not_paged("downloads.csv")) == 2
    assert html.count(not_paged("requests.csv")) == 2
    assert html.count(not_paged("analysis.json (per_ip)")) == 2
    assert str(escape(EN["files_not_paged"])).format(n=2, total=5, budget=6) in html
    per_ip_rows = sum(len(re.findall(r'<td class="addr">', _table(html, f"t{i}-per-ip"))) for i in (2, 3, 4))
    assert per_ip_rows == 6
    _no_dead_links(html)
    with open(out / "downloads.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 15  # the CSV keeps every one


def test_the_referrers_table_is_cut_and_referrers_csv_has_every_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model as model

    monkeypatch.setattr(model, "PAGE_ROWS", 3)
    lines = [_line("198.51.100.7", 1, i, "/docs/leak.pdf", SIZE, f"https://example.org/p{i}") for i in range(5)]
    html, out = _report(tmp_path, lines, ["/docs/leak.pdf"])
    assert re.findall(r'<td class="ua"><bdi>(https://example.org/p\d)</bdi></td>', _table(html, "t1-referrers")) == [
        "https://example.org/p0", "https://example.org/p1", "https://example.org/p2"]
    assert EN["referrers_capped"].format(shown=3, total=5, file="referrers.csv") in html
    with open(out / "referrers.csv", encoding="utf-8", newline="") as fh:
        assert [r["referer"] for r in csv.DictReader(fh)] == [f"https://example.org/p{i}" for i in range(5)]
    assert "  referrers.csv\n" in (out / "MANIFEST.sha256").read_text(encoding="utf-8")


def test_the_files_with_the_most_complete_downloads_keep_their_tables() -> None:
    """Review (mffix): files were ranked only by having a complete download, so a crawler that fetched each of
    250 files once put the leak (1,000 complete downloads) past the budget while the crawled files kept theirs."""
    from exposure.report.model import FILE_ROWS, REPORT_ROWS, page_shares

    shares = page_shares([FILE_ROWS] * 250 + [500], [1] * 250 + [1000])
    assert shares[-1] is not None and shares[-1] >= FILE_ROWS
    assert sum(s or 0 for s in shares) <= REPORT_ROWS


def test_a_file_past_the_budget_with_an_empty_table_says_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review (mffix): a file past the budget with no downloads said 'The 0 rows of this table ... did not fit'."""
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 2)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    lines = [_line(f"198.51.100.{i}", i, 0, "/docs/a.pdf", SIZE) for i in range(1, 4)]
    lines += [_line(f"198.51.100.{i}", 20 + i, 0, "/docs/b.pdf", SIZE).replace(" 200 ", " 404 ") for i in range(1, 4)]
    lines += [_line(f"198.51.100.{i}", 40 + i, 0, "/docs/c.pdf", SIZE) for i in range(1, 4)]
    html, _out = _report(tmp_path, lines, ["/docs/a.pdf", "/docs/b.pdf", "/docs/c.pdf"])
    assert "The 0 rows" not in html
    assert str(escape(strings("en").f("not_paged", total=3, budget=2, file="downloads.csv"))) in html


def test_a_file_past_the_budget_says_its_timeline_holds_its_windows_and_no_raw_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review (mffix): a file past the budget said 'The 3 rows of this table ... are not on these pages' above the
    window rows its timeline still shows, and its appendix 'the raw lines of the first 0 of 3 downloads are shown'."""
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 2)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    lines = [_line(f"198.51.100.{i}", i, 0, path, SIZE) for path in ("/docs/a.pdf", "/docs/c.pdf") for i in range(1, 4)]
    html, _out = _report(tmp_path, lines, ["/docs/a.pdf", "/docs/c.pdf"])
    en = strings("en")
    assert str(escape(en.f("timeline_not_paged", total=3, budget=2, file="timeline.csv"))) in html
    assert str(escape(en.f("raw_not_paged", total=3, budget=2, file="download_lines.csv"))) in html
    assert "first 0 of" not in html
