"""CaseFile.bind sets a named query's parameters as DuckDB variables: a variable it set before is set again only
when its value (type included) differs, or when the variable no longer holds what the case set (set by hand on the
connection since); the same values bound before each of an analysis's queries cost one statement, not eight."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exposure import queries
from exposure.case import CaseFile


@pytest.fixture
def case(tmp_path: Path) -> Iterator[CaseFile]:
    with CaseFile(tmp_path / "c.duckdb") as c:
        yield c


@pytest.fixture
def sets(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The parameters each call of queries.bind sets."""
    seen: list[dict[str, Any]] = []
    bind = queries.bind

    def recorded(con: Any, params: dict[str, Any]) -> None:  # noqa: ANN401
        seen.append(dict(params))
        bind(con, params)

    monkeypatch.setattr(queries, "bind", recorded)
    return seen


def _held(case: CaseFile, *names: str) -> list[tuple[Any, str]]:
    return [case.fetchall(f"SELECT getvariable('{n}'), typeof(getvariable('{n}'))")[0] for n in names]


def test_the_same_values_are_not_set_again(case: CaseFile, sets: list[dict[str, Any]]) -> None:
    params = {"target_path": "/a b.pdf", "target_aliases": ["/x", "/y, z"], "size": None, "gap_factor": 2.5}
    case.bind(params)
    case.bind(dict(params))
    assert sets == [params]
    assert _held(case, "target_path", "target_aliases", "size", "gap_factor") == [
        ("/a b.pdf", "VARCHAR"), (["/x", "/y, z"], "VARCHAR[]"), (None, '"NULL"'), (2.5, "DOUBLE")]


@pytest.mark.parametrize("first, then, held", [
    pytest.param("/a.pdf", "/b.pdf", ("/b.pdf", "VARCHAR"), id="another-value"),
    pytest.param(1, True, (True, "BOOLEAN"), id="another-type"),
    pytest.param([1], [1.0], ([1.0], "DOUBLE[]"), id="another-element-type"),
    pytest.param(["/a", "/b"], ["/a, /b"], (["/a, /b"], "VARCHAR[]"), id="list-of-one"),
    pytest.param(None, 5, (5, "INTEGER"), id="was-null"),
])
def test_a_changed_value_is_set(case: CaseFile, sets: list[dict[str, Any]], first: Any, then: Any,  # noqa: ANN401
                                held: tuple[Any, str]) -> None:
    case.bind({"size": first, "target_path": "/same.pdf"})
    case.bind({"size": then, "target_path": "/same.pdf"})
    assert sets[1] == {"size": then}  # the unchanged one not again
    assert _held(case, "size") == [held]


def test_a_variable_set_by_hand_since_is_set_again(case: CaseFile, sets: list[dict[str, Any]]) -> None:
    case.bind({"target_path": "/a.pdf", "size": 100})
    case.con.execute("SET VARIABLE target_path = '/other.pdf'")  # a notebook's own line on Case.con
    case.con.execute("SET VARIABLE size = 100::SMALLINT")  # the same number, another type
    case.bind({"target_path": "/a.pdf", "size": 100})
    assert sets[1] == {"target_path": "/a.pdf", "size": 100}
    assert _held(case, "target_path", "size") == [("/a.pdf", "VARCHAR"), (100, "INTEGER")]


def test_a_value_whose_repr_is_not_all_of_it_is_always_set_again(case: CaseFile) -> None:
    """numpy shortens the repr of an array past 1,000 items: two arrays differing in the middle looked the same, and
    the second query read the first array (a review found the sum of the first)."""
    np = pytest.importorskip("numpy")
    a = np.arange(3000)
    b = a.copy()
    b[1500] = 10**6
    case.bind({"ids": a})
    case.bind({"ids": b})
    assert case.fetchall("SELECT list_sum(getvariable('ids'))")[0][0] == int(b.sum())


@pytest.mark.parametrize(("ours", "by_hand", "probe", "expected"), [
    (__import__("datetime").timedelta(days=30), "INTERVAL '1 month'",
     "SELECT DATE '2020-02-01' + getvariable('v')", __import__("datetime").datetime(2020, 3, 2)),
    (0.0, "-0.0::DOUBLE", "SELECT 1 / getvariable('v')", float("inf")),
], ids=["interval", "negative-zero"])
def test_a_value_set_by_hand_that_reads_the_same_in_python_is_replaced(case: CaseFile, ours: Any, by_hand: str,
                                                                       probe: str, expected: Any) -> None:
    """What a variable holds is compared as DuckDB writes it: INTERVAL '1 month' and '30 days' are the same Python
    timedelta, -0.0 equals 0.0; either set by hand survived the next bind of the case's own value."""
    case.bind({"v": ours})
    case.execute(f"SET VARIABLE v = {by_hand}")
    case.bind({"v": ours})
    got = case.fetchall(probe)[0][0]
    assert (got.replace(tzinfo=None) if hasattr(got, "replace") and not isinstance(got, float) else got) == expected


def test_a_case_path_under_the_home_folder_is_the_file_duckdb_opens(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`~/c.duckdb`: DuckDB opens the home folder's file; the case looked for a folder named `~` and took an existing
    case for one made anew (its macros left out of the first seal)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with CaseFile("~/c.duckdb") as c:
        assert c.path == tmp_path / "c.duckdb"
    assert (tmp_path / "c.duckdb").exists() and not (tmp_path / "~").exists()
