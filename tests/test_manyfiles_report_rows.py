"""Many files: the report's tables were capped at PAGE_ROWS rows per FILE, so a report over many published files
(--under over thousands) had pages without bound (30 files of ~1,000 downloads each: a 94 MB HTML whose PDF had
not been laid out after 10 minutes and 5 GB). The files now share one budget (model.REPORT_ROWS, at least
FILE_ROWS each): every cut says how many rows there are and which file holds them all, the figures are the
queries' counts, and the CSVs and analysis.json keep every row."""
from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.i18n import EN

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
SIZE = 18412
FILES = ("/docs/a.pdf", "/docs/b.pdf", "/docs/c.pdf")


def _logs(folder: Path, per_file: int) -> Path:
    """Each file downloaded whole once by each of `per_file` addresses."""
    folder.mkdir(parents=True)
    lines = [f'198.51.{f}.{i} - - [08/Jun/2020:12:{i:02d}:0{f} +0000] "GET {path} HTTP/1.1" 200 {SIZE} "-" '
             f'"Mozilla/5.0"\n' for i in range(1, per_file + 1) for f, path in enumerate(FILES)]
    (folder / "access.log").write_text("".join(lines), encoding="ascii")
    return folder


def test_many_files_share_the_pages_rows_and_every_cut_says_where_all_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 12)  # 3 files: 4 rows each (PAGE_ROWS, 500, would show all 6)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    assert model.page_shares([6] * len(FILES), [6] * len(FILES)) == [4, 4, 4]
    logs = _logs(tmp_path / "logs", 6)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report(list(FILES), out, AnalysisOptions(size=SIZE), ReportSettings(pin_time=PIN, pdf=False))
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    for i in (1, 2, 3):
        timeline = html.split(f'id="t{i}-timeline"', 1)[1].split("</table>", 1)[0]
        assert len(re.findall(r'<tr class="download_', timeline)) == 4
        per_ip = html.split(f'id="t{i}-per-ip"', 1)[1].split("</table>", 1)[0]
        assert len(re.findall(r'<td class="addr">', per_ip)) == 4
    raw = html.split(EN["raw_downloads"], 1)[1]
    assert len(re.findall(r'<div class="raw" id="t\d-d\d+-raw"', raw)) == 12
    assert html.count(EN["downloads_capped"].format(shown=4, total=6, file="downloads.csv")) == 3
    assert html.count(EN["per_ip_capped"].format(shown=4, total=6, file="analysis.json")) == 3
    assert html.count(EN["raw_capped"].format(shown=4, total=6, file="download_lines.csv")) == 3
    ids = set(re.findall(r' id="([^"]+)"', html))  # no link leads to a row left out
    assert sorted({h for h in re.findall(r'href="#([^"]+)"', html) if h not in ids}) == []
    with open(out / "downloads.csv", encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 18
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert [t["totals"]["complete_downloads"] for t in answer["targets"]] == [6, 6, 6]
    assert [len(t["per_ip"]) for t in answer["targets"]] == [6, 6, 6]
