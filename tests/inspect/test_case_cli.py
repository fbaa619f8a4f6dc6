"""Case integration: evidence row, stored findings, the size comparison with the logs, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.inspect.link import compare_with_windows


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Naam", "Telefoon"])
    ws.append(["Anna Bakker", "06-12345678"])
    ws.row_dimensions[2].hidden = True
    wb.save(path)
    return path


def _log(path: Path, size: int) -> Path:
    target = "/wob/lijst.xlsx"
    lines = [
        f'198.51.100.7 - - [08/Jun/2020:14:00:00 +0200] "GET {target} HTTP/1.1" 200 {size} "-" "curl/7"',
        f'198.51.100.8 - - [08/Jun/2020:15:00:00 +0200] "GET {target} HTTP/1.1" 404 200 "-" "curl/7"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_case_stores_inspection_and_links_size(tmp_path: Path) -> None:
    xlsx = _workbook(tmp_path / "lijst.xlsx")
    size = xlsx.stat().st_size
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_log(tmp_path / "access.log", size)])
        insp = case.inspect(xlsx)
        ev = case.sql("SELECT verdict, format, sha256, size_bytes FROM evidence WHERE path = $p", p=str(xlsx))
        assert ev.to_dict("records") == [{"verdict": "inspected", "format": "xlsx", "sha256": insp.sha256,
                                          "size_bytes": size}]
        kinds = case.sql("SELECT kind, cells, rows FROM inspection_findings ORDER BY finding_no").to_dict("records")
        assert kinds == [{"kind": "hidden_rows", "cells": 2, "rows": 1}]
        cats = case.sql("SELECT category, records_hidden FROM inspection_categories ORDER BY category")
        assert cats.to_dict("records") == [{"category": "name", "records_hidden": 1},
                                           {"category": "phone", "records_hidden": 1}]
        link = compare_with_windows(case, insp, "/wob/lijst.xlsx")
        assert [(r["window_no"], r["verdict"], r["log_size_bytes"]) for r in link] == [(1, "match", size)]
        insp.size_bytes += 1
        assert compare_with_windows(case, insp, "/wob/lijst.xlsx")[0]["verdict"] == "mismatch"


def test_cli_inspect_json_and_errors(tmp_path: Path) -> None:
    xlsx = _workbook(tmp_path / "lijst.xlsx")
    out = tmp_path / "inspection.json"
    runner = CliRunner()
    result = runner.invoke(app, ["inspect", str(xlsx), "--json", str(out)], terminal_width=120)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["schema"] == "exposure.inspection/1"
    item = doc["files"][0]
    assert item["findings"][0]["kind"] == "hidden_rows"
    assert item["findings"][0]["samples"] == ["A*** B*****", "0*-1*******"]
    assert item["source"].endswith(item["sha256"])
    shown = runner.invoke(app, ["inspect", str(xlsx), "--show-values"], terminal_width=200)
    assert "Anna Bakker" in shown.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = runner.invoke(app, ["inspect", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
