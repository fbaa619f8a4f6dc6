"""`exposure sql`: named queries by file or name, bound parameters, table/CSV/JSON output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from exposure.escaping import csv_cell as safe_csv_text

runner = CliRunner(env={"COLUMNS": "200"})
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def test_sql_file_and_name_agree(sample_case_path: Path) -> None:
    args = ["--case", str(sample_case_path), "--param", f"target={TARGET}", "--json"]
    by_file = runner.invoke(app, ["sql", "queries/windows.sql", *args])
    by_name = runner.invoke(app, ["sql", "windows", *args])
    assert by_file.exit_code == 0, by_file.output
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_file.output) == json.loads(by_name.output)
    rows = json.loads(by_file.output)
    assert [r["first_available"] for r in rows] == ["2020-06-08T12:12:18Z", "2020-06-15T07:31:55Z"]


def test_sql_totals_with_internal(sample_case_path: Path) -> None:
    result = runner.invoke(app, ["sql", "totals", "--case", str(sample_case_path), "--param", f"target={TARGET}",
                                 "--param", "internal=203.0.113.0/24", "--csv"])
    assert result.exit_code == 0, result.output
    header, values = result.output.splitlines()[:2]
    row = dict(zip(header.split(","), values.split(","), strict=True))
    assert (row["complete_downloads"], row["distinct_ips"], row["internal_complete_downloads"]) == ("11", "7", "3")


def test_sql_table_with_default_and_given_parameter(sample_case_path: Path) -> None:
    result = runner.invoke(app, ["sql", "queries/gaps.sql", "--case", str(sample_case_path),
                                 "--param", "gap_minutes=300"])
    assert result.exit_code == 0, result.output
    assert "gap_start" in result.output and "web2/access.log" in result.output
    # web2's 483-minute silence; web1's longest, 321 minutes, is below twice its usual longest silence of a day
    assert "1 row" in result.output


def test_sql_own_file(sample_case_path: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.sql"
    mine.write_text("-- name: by_client\n-- Requests of one address.\n"
                    "SELECT count(*) AS n FROM requests WHERE client = getvariable('ip');\n")
    result = runner.invoke(app, ["sql", str(mine), "--case", str(sample_case_path), "--param",
                                 "ip=84.29.143.61' OR '1'='1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": 0}]


def test_sql_errors(sample_case_path: Path) -> None:
    case = ["--case", str(sample_case_path)]
    for args, message in ((["nope", *case], "no query named 'nope' in exposure.sql (queries/); named queries: "
                                            "address_macros, aligned_copies, bytes_meaning_inference, cdn_cache_fills, cdn_unlogged_viewers, citation, "),
                          (["windows", *case], "one target: give target=/path/of/the/file (exposure sql: --param "
                                                "target=/path/of/the/file)"),
                          (["gaps", *case, "--param", "gap_minute=3"], "no parameter"),
                          (["gaps", *case, "--param", "novalue"], "k=v"),
                          (["queries/nope.sql", *case], "no query file")):
        result = runner.invoke(app, ["sql", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


def test_csv_neutralises_formulas() -> None:
    assert safe_csv_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_csv_text(-5) == "-5"
    assert safe_csv_text("/path") == "/path"
