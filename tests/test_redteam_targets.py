"""Red team, targets and folders given with SQL wildcard and glob characters: bound, never pasted, so `_` and
`%` are letters (a LIKE would widen `/docs/le_` to every `/docs/leX...`), and a path that only looks like the
target (a zero-width space, `_` for `.`) is never counted as the target."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exposure import Case
from exposure.errors import InputError
from tests.conftest import write_log
from tests.logs import clf, t

SERVED = ["/docs/leak.xlsx", "/docs/leak_xlsx", "/docs/leakXxlsx", "/docs/le%25ak.xlsx", "/docs/leak\u200b.xlsx",
          "/docs/leak.xlsx'--", "/docs/a_b/file.pdf", "/docs/aXb/secret.pdf"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served paths ingested once for the module (~0.6 CPU-s an ingest); each test opens its own copy."""
    root = tmp_path_factory.mktemp("targets")
    lines = [clf(f"192.0.2.{i + 1}", t(8, 10, i), path, size=4000) for i, path in enumerate(SERVED)]
    log = write_log(root / "access.log", lines)
    with Case(root / "leak.duckdb") as c:
        c.ingest([log])
    return root / "leak.duckdb"


@pytest.fixture
def case(ingested: Path, tmp_path: Path) -> Case:
    shutil.copy(ingested, tmp_path / "leak.duckdb")
    return Case(tmp_path / "leak.duckdb")


def test_a_target_counts_only_its_own_requests(case: Case) -> None:
    with case:
        assert case.totals("/docs/leak.xlsx")["requests"] == 1
        assert case.totals("/docs/leak_xlsx")["requests"] == 1
        assert case.totals("/docs/le%ak.xlsx")["requests"] == 1  # the logged %25, decoded
        assert case.totals("/docs/le%")["requests"] == 0
        assert case.totals("/docs/leak.xlsx'--")["requests"] == 1


@pytest.mark.parametrize("under", ["/docs/le_", "/docs/%", "/docs/le%", "/docs/_", "/%", "/docs/a%"])
def test_under_takes_wildcards_as_letters(case: Case, under: str) -> None:
    with case, pytest.raises(InputError, match="matches no path served"):
        case.expand_targets([], [], [under])


def test_under_a_folder_with_an_underscore_is_that_folder(case: Case) -> None:
    with case:
        assert case.expand_targets([], [], ["/docs/a_b"]) == ["/docs/a_b/file.pdf"]
        assert case.files(under="/docs/a_b/")["path"].tolist() == ["/docs/a_b/file.pdf"]


def test_a_glob_matches_what_it_says(case: Case) -> None:
    with case:
        assert case.expand_targets([], ["/docs/le[%]ak.xlsx"], []) == ["/docs/le%ak.xlsx"]
        assert sorted(case.expand_targets([], ["/docs/leak?xlsx"], [])) == [
            "/docs/leak.xlsx", "/docs/leakXxlsx", "/docs/leak_xlsx"]
        assert case.files(under="/docs/%/").empty and case.files(under="/%").empty
