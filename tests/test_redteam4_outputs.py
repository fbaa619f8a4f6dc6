"""Red team 4, values that reach a terminal or a spreadsheet: the formula starts a spreadsheet also runs
(full-width `＝ ＋ － ＠`, which East Asian Excel and LibreOffice take as their ASCII forms, and `|`, the start of a
DDE payload) were left as they are in every CSV; the column names of `exposure sql` (a query's aliases, text
from whoever wrote the query) were printed raw in the terminal table and unneutralised in the CSV header."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.escaping import csv_cell

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.mark.parametrize("value", ["＝1+1", "＋1", "－1+1", "＠SUM(1)", "|calc", "  ＝1", "  |calc"])
def test_full_width_and_dde_formula_starts_are_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["/docs/a|b.pdf", "Mozilla/5.0", "abc＝", ""])
def test_text_that_runs_nothing_is_left_as_logged(value: str) -> None:
    assert csv_cell(value) == value


def test_sql_column_names_are_inert_on_the_terminal_and_neutralised_in_csv(sample_case_path: Path,
                                                                           tmp_path: Path) -> None:
    query = tmp_path / "mine.sql"
    query.write_text("SELECT 1 AS \"x\x1b[2J\u202ey\", 2 AS \"=cmd|' /C calc'!A0\"\n", encoding="utf-8")
    table = runner.invoke(app, ["sql", str(query), "--case", str(sample_case_path)])
    assert table.exit_code == 0, table.output
    assert "\x1b" not in table.output and "\u202e" not in table.output
    assert "x\\x1b[2J\\u202ey" in table.output
    as_csv = runner.invoke(app, ["sql", str(query), "--case", str(sample_case_path), "--csv"])
    assert as_csv.exit_code == 0, as_csv.output
    header, values = list(csv.reader(io.StringIO(as_csv.output)))
    assert header == ["'x\x1b[2J\u202ey", "'=cmd|' /C calc'!A0"] and values == ["1", "2"]
