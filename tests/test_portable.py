"""The portable SQL (queries/portable/windows_downloads.sql) on DuckDB over the Parquet export gives the
case's windows and downloads; tests/spark/test_spark_parity.py runs the same SQL on Spark (make test-spark)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case, queries
from exposure.portable import DuckDBEngine, portable_queries, run_portable
from tests.parity import OPTION_IDS, OPTION_SETS, TARGET, assert_same, case_rows, portable_rows


@pytest.fixture(scope="module")
def engine() -> DuckDBEngine:
    return DuckDBEngine()  # one connection for every option set: a second run replaces the first one's views


@pytest.mark.parametrize("options", OPTION_SETS, ids=OPTION_IDS)
def test_portable_sql_on_duckdb_matches_the_case(sample_case_path: Path, sample_export: Path, engine: DuckDBEngine,
                                                 options: AnalysisOptions, sample_truth: dict) -> None:
    with Case(sample_case_path, read_only=True) as case:
        expected = case_rows(case, options)
    got = portable_rows(run_portable(engine, sample_export, TARGET, options))
    assert_same(expected, got, "duckdb")
    complete = [d for d in got["downloads"] if d["outcome"] == "complete" and not d["internal"]]
    if options.internal:  # the sample's 11 external complete copies
        assert len(complete) == len(sample_truth["complete_downloads"])


def test_portable_sql_is_free_of_duckdb_only_syntax() -> None:
    code = "\n".join(q.sql for q in portable_queries().values())
    text = re.sub(r"--[^\n]*", "", code).lower()  # comments may name what the SQL avoids
    for duckdb_only in ("getvariable", "macro", "arg_max", "arg_min", "list(", "group by all", "by name",
                        "to_minutes", "::", "bool_and", "bool_or", "any_value", "{'"):
        assert duckdb_only not in text, duckdb_only
    assert set(portable_queries()) == {"portable_target_raw", "portable_target_clients", "portable_target_views",
                                       "portable_windows", "portable_downloads", "portable_download_lines"}


def test_the_portable_sql_writes_the_rule_s_constants_as_its_macros_give_them(sample_case_path: Path) -> None:
    """The portable SQL has no macros: where it writes a constant of queries/downloads_rule.sql it writes the macro's
    value (redirect_statuses(), refusal_statuses(), refused_addresses_needed(), opening_reach()), so a change to a
    macro that no fixture exercises (a status no log holds) turns this red, not the Spark door silently stale.
    A per-row rule travels in the export instead (exposure.sent_count: rule_sent_count)."""
    with Case(sample_case_path, read_only=True) as case:
        case.file.run(queries.get("download_rule"))
        redirects, refusals, needed, reach = case.file.fetchone(
            "SELECT redirect_statuses(), refusal_statuses(), refused_addresses_needed(), epoch(opening_reach())")
    code = " ".join("\n".join(q.sql for q in portable_queries().values()).split())
    assert f"WHEN r.status IN ({', '.join(map(str, redirects))}) THEN 'redirect'" in code
    assert f"WHEN r.status IN ({', '.join(map(str, refusals))}) THEN 'refusal'" in code
    assert f"f.external_addresses >= {needed} THEN" in code
    assert reach % 3600 == 0 and code.count(f"INTERVAL '{int(reach) // 3600}' HOUR") == 2  # open_at_log_start, unseen_from
