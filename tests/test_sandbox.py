"""The SQL door is sandboxed: no file but the case, no network, no extensions, no settings; plain SELECTs and
the analysis itself still work (read-only and writable cases, `Case.sql`, `Case.query`, `exposure sql`)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.errors import QueryError
from exposure.sandbox import REFUSED
from tests.conftest import SAMPLE_LOGS

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def _attacks(tmp: Path) -> list[tuple[str, str]]:
    """(id, statement): each would read or write outside the case, reach the network or change a setting."""
    victim = tmp / "evidence.log"
    return [
        ("copy-to", f"COPY (SELECT 'overwritten') TO '{victim}'"),
        ("copy-db", f"COPY FROM DATABASE memory TO '{tmp / 'x.duckdb'}'"),
        ("export", f"EXPORT DATABASE '{tmp / 'dump'}'"),
        ("read-text", "SELECT * FROM read_text('/etc/passwd')"),
        ("read-csv", "SELECT * FROM read_csv('/etc/hostname')"),
        ("glob", "SELECT * FROM glob('/etc/*')"),
        ("url", "SELECT * FROM 'https://example.invalid/x.csv'"),
        ("attach", f"ATTACH '{tmp / 'other.duckdb'}' AS other"),
        ("install", "INSTALL httpfs"),
        ("load", "LOAD httpfs"),
        ("load-path", f"LOAD '{tmp / 'evil.duckdb_extension'}'"),
        ("set-external", "SET enable_external_access = true"),
        ("set-memory", "SET memory_limit = '100GB'"),
        ("set-temp", f"SET temp_directory = '{tmp}'"),
        ("unlock", "SET lock_configuration = false"),
        ("logging", f"CALL enable_logging(storage = 'file', storage_path = '{tmp / 'log'}')"),
    ]


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
def test_case_sql_refuses_every_way_out(sample_case_copy: Path, tmp_path: Path, read_only: bool) -> None:
    victim = tmp_path / "evidence.log"
    victim.write_text("original\n")
    with Case(sample_case_copy, read_only=read_only) as case:
        for name, statement in _attacks(tmp_path):
            with pytest.raises(QueryError) as err:
                case.sql(statement)
            message = str(err.value)
            assert message.startswith(REFUSED) or message.startswith("query failed"), (name, message)
            assert "\n" not in message, (name, message)
        assert int(case.sql("SELECT count(*) AS n FROM requests")["n"][0]) > 1000  # a plain SELECT works
        assert case.totals(TARGET, AnalysisOptions(internal=("203.0.113.0/24",)))["complete_downloads"] == 11
    assert victim.read_text() == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.duckdb", "evidence.log"] + (
        ["case.duckdb.wal"] if (tmp_path / "case.duckdb.wal").exists() else [])


def test_refusals_say_sandbox(sample_case_path: Path, tmp_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        for name, statement in _attacks(tmp_path):
            if name in ("copy-db",):  # refused earlier: the catalog `memory` is not attached
                continue
            with pytest.raises(QueryError, match="^refused: SQL on a case runs sandboxed"):
                case.sql(statement)


def test_named_query_file_is_sandboxed(sample_case_path: Path, tmp_path: Path) -> None:
    own = tmp_path / "mine.sql"
    victim = tmp_path / "evidence.log"
    victim.write_text("original\n")
    own.write_text(f"COPY (SELECT 1) TO '{victim}';\nSELECT 1 AS one\n")
    with Case(sample_case_path, read_only=True) as case:
        with pytest.raises(QueryError, match="^refused"):
            case.query(str(own))
    assert victim.read_text() == "original\n"


def test_exposure_sql_one_line_refusal(sample_case_path: Path, tmp_path: Path) -> None:
    own = tmp_path / "read.sql"
    own.write_text("SELECT * FROM read_text('/etc/passwd')\n")
    result = CliRunner().invoke(app, ["sql", str(own), "--case", str(sample_case_path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("exposure: error: refused: SQL on a case runs sandboxed")
    ok = CliRunner().invoke(app, ["sql", "totals", "--case", str(sample_case_path), "--param", f"target={TARGET}",
                                  "--param", "internal=203.0.113.0/24", "--csv"])
    assert ok.exit_code == 0 and ok.output.splitlines()[1].split(",")[0] == "11"


def test_ingest_and_analysis_after_the_door_locked_a_writable_case(tmp_path: Path) -> None:
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([SAMPLE_LOGS / "web1"])
        case.sql("SELECT 1")  # locks the settings
        with pytest.raises(QueryError, match="^refused"):
            case.sql("SET threads = 1")
        case.ingest([SAMPLE_LOGS / "web2", SAMPLE_LOGS / "export"])  # its memory limit can no longer be set
        assert case.totals(TARGET, AnalysisOptions(internal=("203.0.113.0/24",)))["complete_downloads"] == 11
        assert case.seal_check(rows=True).holds


def test_the_case_connection_has_no_external_access(sample_case_copy: Path) -> None:
    with Case(sample_case_copy) as case:
        setting = case.con.execute("SELECT current_setting('enable_external_access')").fetchall()[0][0]
        assert setting is False
        with pytest.raises(duckdb.Error):
            case.con.execute("SET enable_external_access = true")
