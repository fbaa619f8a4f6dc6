"""Red team, the SQL door on a writable case (notebooks: `Case(path)`, `case.sql`, `case.query` with your own
file): ad-hoc SQL reads the case and never changes it. Before, an UPDATE of the registry or a CREATE OR REPLACE
of a view the answer reads went through; and a case whose definitions were changed outside exposure stopped the
next answer with "unexpected failure" instead of saying so."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.errors import QueryError
from exposure.sandbox import REFUSED

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",))
WRITES = [
    "UPDATE evidence SET sha256 = 'forged'",
    "DELETE FROM evidence WHERE evidence_id = 1",
    "INSERT INTO activity SELECT * FROM activity LIMIT 1",
    "CREATE OR REPLACE VIEW evidence_citation AS SELECT 1 AS x",
    "CREATE OR REPLACE MACRO target_downloads(a) AS TABLE SELECT 1 AS x",
    "CREATE TABLE notes AS SELECT 1 AS x",
    "DROP VIEW evidence_citation",
    "ALTER TABLE evidence ADD COLUMN x INTEGER",
    "SELECT 1; UPDATE evidence SET sha256 = 'forged'",
    "WITH x AS (SELECT 1) UPDATE evidence SET sha256 = 'forged'",
    "EXPLAIN ANALYZE UPDATE evidence SET sha256 = 'forged'",
]


def test_ad_hoc_sql_on_a_writable_case_never_changes_it(sample_case_copy: Path) -> None:
    with Case(sample_case_copy) as case:
        before = case.sql("SELECT evidence_id, sha256 FROM evidence ORDER BY 1").values.tolist()
        for statement in WRITES:
            with pytest.raises(QueryError) as err:
                case.sql(statement)
            assert str(err.value).startswith(REFUSED), (statement, str(err.value))
        # reading still works, in every form an analyst uses
        assert int(case.sql("SELECT count(*) AS n FROM requests")["n"][0]) > 1000
        for statement in ("SUMMARIZE evidence", "DESCRIBE requests", "SHOW TABLES", "FROM evidence LIMIT 1",
                          "PRAGMA database_size", "SET VARIABLE ip = '84.29.143.61'"):
            case.sql(statement)
        assert case.sql("SELECT evidence_id, sha256 FROM evidence ORDER BY 1").values.tolist() == before
        assert case.totals(TARGET, OPTIONS)["complete_downloads"] == 11
        assert case.seal_check(rows=True).holds


def test_your_own_query_file_reads_and_ours_still_run(sample_case_copy: Path, tmp_path: Path) -> None:
    own = tmp_path / "mine.sql"
    own.write_text("-- name: mine\nUPDATE evidence SET sha256 = 'forged';\n", encoding="utf-8")
    with Case(sample_case_copy) as case:
        with pytest.raises(QueryError, match="reads the case and never changes it"):
            case.query(str(own))
        own.write_text("-- name: mine\nSELEC 1;\n", encoding="utf-8")  # a typo is your query's error, one line
        with pytest.raises(QueryError, match=r"query 'mine' .* failed: Parser Error"):
            case.query(str(own))
        assert int(case.query("totals", target=TARGET, internal="203.0.113.0/24")["complete_downloads"][0]) == 11
        assert case.seal_check(rows=True).holds


def test_a_view_changed_outside_exposure_is_said_not_a_crash(sample_case_copy: Path) -> None:
    con = duckdb.connect(str(sample_case_copy))  # another tool on the case file
    con.execute("CREATE OR REPLACE VIEW evidence_citation AS SELECT 1 AS x")
    con.close()
    result = CliRunner().invoke(app, ["analyse", "--case", str(sample_case_copy), "--target", TARGET, "-q",
                                      str(Path(__file__).parent.parent / "sample_logs")])
    assert result.exit_code == 2, result.output
    assert "the case was changed outside exposure" in result.output
    assert "unexpected failure" not in result.output
