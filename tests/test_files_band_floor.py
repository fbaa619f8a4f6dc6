"""`exposure files` and the complete-transfer band (byte counts that include headers, `--bytes headers`, size
unknown): the band's edge (`band_bytes`) and floor (`band_floor`, the line between partial and undetermined) of
the file's last window, as the JSON answer's window gives them (one rule: queries/downloads_rule.sql
rule_windows, read by queries/files.sql), in `files --json`, `--csv` and its terminal table."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.servers import GEO_OFF
from tests.test_redteam12_band_runs import MINORITY, SIZE, TARGET, _log

runner = CliRunner(env={"COLUMNS": "250"})


def _case(tmp_path: Path) -> tuple[Path, dict]:
    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir(parents=True)
    log.write_text(_log(MINORITY))
    case, out = tmp_path / "c.duckdb", tmp_path / "a.json"
    said = runner.invoke(app, ["analyse", str(log.parent), "--case", str(case), "--target", TARGET,
                               "--bytes", "headers", "--json", str(out), "--quiet", *GEO_OFF])
    assert said.exit_code == 0, said.output
    return case, json.loads(out.read_text())["targets"][0]


def test_files_gives_the_band_edge_and_floor_the_answer_gives(tmp_path: Path) -> None:
    case, target = _case(tmp_path)
    window = target["windows"][-1]
    assert (window["band_bytes"], window["band_floor"]) == (SIZE + 380, SIZE + 250)  # the band tests' case
    said = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert said.exit_code == 0, said.output
    row = next(r for r in json.loads(said.stdout) if r["path"] == TARGET)
    assert {k: row[k] for k in ("size_bytes", "band_bytes", "band_floor", "undetermined_downloads")} == {
        "size_bytes": window["size_bytes"], "band_bytes": window["band_bytes"], "band_floor": window["band_floor"],
        "undetermined_downloads": target["totals"]["undetermined_downloads"]}
    said = runner.invoke(app, ["files", "--case", str(case), "--csv"])
    row = next(r for r in csv.DictReader(io.StringIO(said.stdout)) if r["path"] == TARGET)
    assert (int(row["band_bytes"]), int(row["band_floor"])) == (window["band_bytes"], window["band_floor"])
    # the terminal table shows them where some file has a band, as analyse's terminal says them
    table = runner.invoke(app, ["files", "--case", str(case)]).stdout
    assert "band_floor" in table and f"{window['band_floor']:,}".replace(",", "") in table.replace(",", ""), table


def test_the_table_keeps_no_band_columns_where_no_file_has_a_band(sample_case_path: Path) -> None:
    table = runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "*.xlsx"]).stdout
    assert "band_floor" not in table and "band_bytes" not in table, table
    rows = json.loads(runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "*.xlsx",
                                          "--json"]).stdout)
    assert [(r["band_bytes"], r["band_floor"]) for r in rows] == [(None, None)]
