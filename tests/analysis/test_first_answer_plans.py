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


def test_possible_copies_test_the_size_edges_in_the_scan(sample_case_path: Path) -> None:
    """queries/possible_copies.sql copy_matches: each scan of the requests tests the target's size edges as constants
    (a row's path is read only where the size fits, or the path spells the target), where a subquery's edges were
    tested after a join of every GET's path with the spellings."""
    target = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
    [stmt] = [s for s in queries.statements(queries.get("copy_matches").sql) if "TEMP TABLE copy_matches" in s]
    with Case(sample_case_path, read_only=True) as case:
        case.analysis.possible_copies(target)  # the target, its windows and spellings bound
        size = case.analysis.windows(target, arrow=True).to_pylist()[0]["size_bytes"]
        text = case.file.fetchone(f"EXPLAIN (FORMAT json) {stmt}")[1]
    ops = [op for root in json.loads(text) for op in _operators(root)]
    scans = [json.dumps(op.get("extra_info", {})) for op in ops
             if op["name"] == "SEQ_SCAN" and "requests_" in json.dumps(op.get("extra_info", {}))]
    assert len(scans) == 2 and all(f"(bytes >= {size - 256})" in s or f"(bytes >= {size})" in s
                                   for s in scans), scans
    assert "BLOCKWISE_NL_JOIN" not in [op["name"] for op in ops]


def test_the_spellings_test_the_name_in_the_scan(sample_case_path: Path) -> None:
    """queries/possible_copies.sql copy_spellings: the scan of the requests keeps only a path that holds the
    target's name (case-folded) or letters beyond ASCII, before the join with each file's case rule."""
    target = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
    [stmt] = [s for s in queries.statements(queries.get("copy_matches").sql) if "TEMP TABLE copy_spellings" in s]
    with Case(sample_case_path, read_only=True) as case:
        case.analysis.possible_copies(target)
        text = case.file.fetchone(f"EXPLAIN (FORMAT json) {stmt}")[1]
    scans = [json.dumps(op.get("extra_info", {})) for root in json.loads(text) for op in _operators(root)
             if op["name"] == "SEQ_SCAN" and "requests_" in json.dumps(op.get("extra_info", {}))]
    assert scans and all("contains(lower(path), 'signalen-mensenhandel-2017-2020.xlsx')" in s for s in scans), scans


def test_the_targets_own_path_is_no_spelling_to_scan_for(sample_case_path: Path) -> None:
    """copy_spellings keeps the other paths that spell the target only: its own path (and its aliases') is no copy,
    so where no other path spells it, copy_hits' scan for spellings reads no row (it read every response of the
    target's own path, to drop them at its end)."""
    target = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
    with Case(sample_case_path, read_only=True) as case:
        copies = case.analysis.possible_copies(target, arrow=True).to_pylist()
        assert case.file.fetchall("SELECT path FROM copy_spellings") == []
        assert case.file.fetchone("SELECT count(*) FROM copy_hits")[0] == sum(c["matching_responses"] for c in copies)
