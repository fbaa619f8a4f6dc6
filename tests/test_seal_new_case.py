"""The first seal of a new case: a database DuckDB made anew in this process holds no macro, so its seal does not
read DuckDB's function list (~15 ms of every new case); a file that was there before (even one without tables,
taken as new) has its macros read and sealed as always."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from exposure import Case, seal
from exposure.case import CaseFile


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements CaseFile.fetchall runs (the seal reads through it)."""
    seen: list[str] = []
    fetchall = CaseFile.fetchall

    def recorded(self: CaseFile, sql: str, params: Any = None) -> list[tuple[Any, ...]]:  # noqa: ANN401
        seen.append(sql)
        return fetchall(self, sql, params)

    monkeypatch.setattr(CaseFile, "fetchall", recorded)
    return seen


def test_a_case_made_anew_is_sealed_without_reading_the_function_list(tmp_path: Path, statements: list[str]) -> None:
    path = tmp_path / "new.duckdb"
    Case(path).close()
    assert seal._MACROS not in statements
    assert any("duckdb_columns()" in s for s in statements)  # the schema item was made
    with Case(path, read_only=True) as case:  # a fresh read of everything (macros too) agrees with the seal
        check = case.seal_check()
    assert check.findings == [] and check.links == 1


def test_a_file_there_before_has_its_macros_read_and_sealed(tmp_path: Path, statements: list[str]) -> None:
    path = tmp_path / "there.duckdb"
    with duckdb.connect(str(path)) as con:  # no table: taken as a new case, but not made by this process
        con.execute("CREATE MACRO doubled(x) AS x * 2")
    Case(path).close()
    assert seal._MACROS in statements
    with Case(path, read_only=True) as case:  # the macro is in the first link's schema item, as it was read
        check = case.seal_check()
    assert check.findings == [] and check.links == 1
