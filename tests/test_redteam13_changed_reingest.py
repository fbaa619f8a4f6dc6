"""Red team 13: a live log ingested, grown by a line, and ingested again (the README's "a live log that grew": stored
as a new evidence file). Its lines that the first version held were said as an overlap of the file with itself:
`in/web1/access.log: 3 request lines (lines 1-3) repeat lines 1-3 of in/web1/access.log: counted once, cited from
in/web1/access.log`, one path for two evidence files, as if the file held its lines twice. The version first
ingested is now named as such, by its evidence id, with why there are two (exposure/overlap.py Overlap.describe,
queries/findings.sql)."""

from __future__ import annotations

from pathlib import Path

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t


def test_a_grown_log_ingested_again_names_its_first_version(tmp_path: Path) -> None:
    lines = [clf("198.51.100.1", t(12, 10, i), "/index.html") for i in range(3)]
    log = write_log(tmp_path / "logs" / "web1" / "access.log", lines)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        write_log(log, [*lines, clf("198.51.100.2", t(12, 10, 5), "/index.html")])  # the log grew
        result = case.ingest([log])
        [finding] = [f for f in case.findings() if f.kind == "overlap"]
    said = (f"3 request lines (lines 1-3) repeat lines 1-3 of an earlier version of {log} (evidence 1, another "
            f"SHA-256: the file changed since): counted once, cited from the earlier version of {log} (evidence 1)")
    assert [o.describe() for o in result.overlaps] == [said]
    assert finding.detail == (f"3 request lines (lines 1-3, 2020-06-12T10:00:00Z to 2020-06-12T10:02:00Z UTC) repeat "
                              f"lines 1-3 of an earlier version of {log} (evidence 1, another SHA-256: the file "
                              f"changed since): counted once, from the earlier version of {log} (evidence 1)")
