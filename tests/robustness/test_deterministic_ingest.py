"""Two ingests of the same logs give the same answer and the same rows. The order in which rows are stored
may differ (a parallel join normalises client addresses on the way in); nothing may depend on it: every
query orders by its keys and breaks ties by file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exposure import Case
from tests.bench.generate import TARGET, generate


def _ingest(log: Path, case_path: Path) -> tuple[dict[str, Any], str, list[int]]:
    with Case(case_path) as case:
        case.ingest([log])
        answer = case.analyse([TARGET])
        per_ip = case.per_ip(TARGET).to_csv(index=False)
        stored = [r[0] for r in case.con.execute("SELECT line_no FROM requests").fetchall()]
    return answer, per_ip, stored


@pytest.mark.slow
def test_two_ingests_of_the_same_logs_give_the_same_answer(tmp_path: Path) -> None:
    log = generate(tmp_path / "access.log", 120_000, seed=11)  # one chunk of several Arrow batches
    answer1, per_ip1, stored1 = _ingest(log, tmp_path / "a.duckdb")
    answer2, per_ip2, stored2 = _ingest(log, tmp_path / "b.duckdb")
    assert answer1["targets"][0]["totals"]["complete_downloads"] == 250
    for key in ("targets", "warnings"):
        assert json.dumps(answer1[key], default=str) == json.dumps(answer2[key], default=str), key
    assert per_ip1 == per_ip2
    assert len(stored1) > 100_000 and sorted(stored1) == sorted(stored2)
