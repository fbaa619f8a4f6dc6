"""A folder of many small files: every file registered and accounted for.

`make test` uses EXPOSURE_MANY_FILES (default 300) files; run with EXPOSURE_MANY_FILES=10000 for the full size.
What many small files cost is measured in `make bench`, never timed here.
"""

from __future__ import annotations

import os
from pathlib import Path

from exposure import Case
from tests.logs import clf, t
from tests.robustness.case_state import accounting

N_FILES = int(os.environ.get("EXPOSURE_MANY_FILES", "300"))


def test_folder_of_many_small_files(tmp_path: Path) -> None:
    root = tmp_path / "logs"
    for i in range(N_FILES):
        folder = root / f"srv{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        body = clf(f"192.0.2.{i % 250}", t(8, i // 3600 % 24, i // 60 % 60, i % 60), f"/f/{i}") + "\n"
        if i % 3 == 0:
            body += "# a comment\nnot a log line\n"
        (folder / f"access-{i:05d}.log").write_text(body)
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([root])
        rows = accounting(case.con)
        assert case.con.execute("SELECT count(*) FROM requests").fetchone()[0] == N_FILES
    assert len(result.files) == len(rows) == N_FILES
    assert all(r[2:5] == r[5:8] and sum(r[2:5]) == r[1] for r in rows)
    assert sum(r[3] for r in rows) == sum(r[4] for r in rows) == len(range(0, N_FILES, 3))
