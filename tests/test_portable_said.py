"""What the answer says of a window beside its figures, said by every door from one rule each: unseen_from
(rule_windows, opening_reach()), complete_on_sent_counts (rule_complete_on_sent_counts), redirects_after
(rule_redirects_after) and refused_after (rule_refused_after). The JSON answer, `files` and the portable SQL over
the Parquet export (queries/portable/windows_downloads.sql, on DuckDB here; tests/spark/ on Spark) give the same
values, non-zero here (tests/test_rule_parity.py: zero on the leak fixtures but the %b twin)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.portable import DuckDBEngine, run_portable
from exposure.timefmt import iso_utc
from tests.conftest import write_log
from tests.logs import clf
from tests.parity import answer_said, evidence_files, portable_said

pytestmark = pytest.mark.slow  # a whole ingest, export and analysis

T = "/leak.xlsx"
START = datetime(2021, 3, 1)
OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",), geoip_city="none", geoip_asn="none")


def _at(hour: int, minute: int = 0) -> datetime:
    return START + timedelta(hours=hour, minutes=minute, seconds=1)


def write_logs(folder: Path) -> Path:
    """Combined lines (Apache's %b, no completion flag), +0100, a filler request every 10 minutes all day.
    Window 1: 200s of 5000 bytes to two addresses at 02:00 and 02:30, two 206 parts of 2500 from a third (a range
    group complete by its sum), then 302s to two addresses (03:00, 03:10), then a 404 at 03:20 closes it.
    Window 2 opens at 03:50, within the hour after that 404 (its unseen_from is the 404, not 02:50): a 200 to an
    external address and one to an internal one, then 403s to two external addresses (05:00, 05:10) and a 500,
    never available again before the logs end."""
    rows = [(START + timedelta(minutes=m), "192.0.2.50", "/index.html", 200, 1234) for m in range(0, 24 * 60, 10)]
    rows += [(_at(2), "198.51.100.1", T, 200, 5000), (_at(2, 30), "198.51.100.2", T, 200, 5000),
             (_at(2, 40), "198.51.100.3", T, 206, 2500), (_at(2, 41), "198.51.100.3", T, 206, 2500),
             (_at(3), "198.51.100.20", T, 302, 230), (_at(3, 10), "198.51.100.21", T, 302, 230),
             (_at(3, 20), "198.51.100.22", T, 404, 300),
             (_at(3, 50), "198.51.100.4", T, 200, 5000), (_at(4), "203.0.113.9", T, 200, 5000),
             (_at(5), "198.51.100.30", T, 403, 300), (_at(5, 10), "198.51.100.31", T, 403, 300),
             (_at(5, 20), "198.51.100.32", T, 500, 300)]
    rows.sort(key=lambda r: r[0])
    lines = [clf(ip, when, path, status=status, size=size, offset_min=60) for when, ip, path, status, size in rows]
    return write_log(folder / "logs" / "access.log", lines).parent


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("said")
    with Case(work / "case.duckdb") as case:
        case.ingest([write_logs(work)])
        export_parquet(case.file, work / "parquet")
        answer = case.analyse([T], OPTIONS)
        [row] = [r for r in case.files(internal=OPTIONS.internal, targets=[T]).to_dict("records") if r["path"] == T]
        files = evidence_files(case)
    portable = run_portable(DuckDBEngine(), work / "parquet", T, OPTIONS)
    return {"answer": answer, "files_row": row, "portable": portable_said(portable, files),
            "log": work / "logs" / "access.log"}


def test_the_answer_says_each_window_s_ends_and_sent_counts(doors: dict[str, Any]) -> None:
    log = doors["log"]
    # line 24 is the 302 at 03:00:01 (19 filler lines 00:00-03:00 and the four responses of the file before it)
    assert answer_said(doors["answer"], T) == [
        {"window_no": 1, "unseen_from": "2021-03-01T01:00:01Z", "complete_on_sent_counts": 3, "refused_after": None,
         "redirects_after": {"responses": 2, "addresses": 2, "first": "2021-03-01T03:00:01Z", "line": f"{log}:24"}},
        # the internal address's complete download is not counted; refused after it to two external addresses
        {"window_no": 2, "unseen_from": "2021-03-01T03:20:01Z", "complete_on_sent_counts": 1,
         "refused_after": "2021-03-01T05:00:01Z", "redirects_after": None}]
    [t] = doors["answer"]["targets"]
    assert t["complete_on_sent_counts"] == 4 == t["totals"]["complete_downloads"]


def test_the_portable_sql_says_what_the_answer_says(doors: dict[str, Any]) -> None:
    assert doors["portable"] == answer_said(doors["answer"], T)


def test_files_says_what_the_answer_says(doors: dict[str, Any]) -> None:
    row, said = doors["files_row"], answer_said(doors["answer"], T)
    assert row["complete_on_sent_counts"] == sum(w["complete_on_sent_counts"] for w in said)
    # the first window's unseen_from (the file's first_available less opening_reach()), the last's refusal
    assert iso_utc(row["unseen_from"]) == said[0]["unseen_from"]
    assert iso_utc(row["refused_after"]) == said[-1]["refused_after"]
    [redirected] = row["redirects_after"]
    first = said[0]["redirects_after"]
    assert (redirected["window"], redirected["responses"], redirected["addresses"],
            iso_utc(redirected["first_redirect"]), f"{redirected['file']}:{redirected['line_no']}") == \
        (1, first["responses"], first["addresses"], first["first"], first["line"])
