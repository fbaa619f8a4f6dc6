"""The first answer's whole-case statements are planned as DuckDB runs them fast (issue 19, the first answer on a
2 M-line case <= 1 s): a line left out because it repeats another (overlap_lines) by an anti join, never by a
correlated NOT EXISTS that DuckDB turns into a group of every request line beside the query's own (0.2 s of CPU
of 2 M lines for the UTC offsets alone). The answers these queries give are tested where their rules are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exposure import Case, queries


def _operators(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from _operators(child)


def plan_operators(case: Case, sql: str) -> list[str]:
    """The names of the physical plan's operators of `sql` on the case, outermost first."""
    text = case.file.fetchone(f"EXPLAIN (FORMAT json) {sql}")[1]
    return [op["name"] for root in json.loads(text) for op in _operators(root)]


def test_the_utc_offsets_group_the_requests_once(sample_case_path: Path) -> None:
    """queries/facts.sql log_offsets: one group (by offset) over the requests, no subquery's group of every line."""
    with Case(sample_case_path, read_only=True) as case:
        ops = plan_operators(case, queries.get("log_offsets").sql)
        assert case.file.log_offset_counts() == [(120, 20272)]
    groups = [op for op in ops if "GROUP_BY" in op]
    assert len(groups) == 1, ops
    assert not [op for op in ops if "CTE" in op or "DELIM" in op], ops
