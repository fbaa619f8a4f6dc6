"""Red team 21a (time, windows and gaps): "when was the file reachable" where the evidence's own times mislead.

A window opening within the first hour of the evidence may have opened before the logs (`open_at_log_start`,
README "Log streams, copies and gaps" and page 1's caveat). The evidence's start is its first line, its stray
times aside: a 1970 a server's clock writes after a boot, before NTP sets it, is said as `stray time` and bounds
no silence and no stream's edge (queries/gaps.sql), so it must not move the evidence's start 51 years back and
take the caveat away (input: /tmp/redtime/stray_start, control /tmp/redtime/stray_start_ctrl)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.portable import DuckDBEngine, run_portable
from tests.conftest import write_log
from tests.logs import clf

pytestmark = pytest.mark.slow

T = "/leak.xlsx"


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 3, 1, hour, minute)


def _logs(tmp_path: Path, stray: bool) -> Path:
    """web1 serves the file from 00:15, 15 minutes after the evidence begins (both servers' first real line at
    00:00), withdrawn at 05:00; with `stray`, web1's first line is dated 1970 (a clock not yet set)."""
    web1 = [clf("192.0.2.9", datetime(1970, 1, 1, 0, 0, 5), "/health", size=2, offset_min=60)] if stray else []
    web1 += [clf("192.0.2.50", _at(h, m), "/index.html", size=1234, offset_min=60)
             for h in range(12) for m in (0, 30)]
    web1 += [clf("198.51.100.1", _at(0, 15), T, size=5000, offset_min=60),
             clf("198.51.100.2", _at(2, 15), T, size=5000, offset_min=60),
             clf("198.51.100.3", _at(5), T, status=404, size=200, offset_min=60)]
    # in time order, the 1970 line first (as written)
    web1.sort(key=lambda line: (not line.startswith("192.0.2.9"), datetime.strptime(line.split("[")[1][:20],
                                                                                      "%d/%b/%Y:%H:%M:%S")))
    write_log(tmp_path / "logs" / "web1" / "access.log", web1)
    write_log(tmp_path / "logs" / "web2" / "access.log",
              [clf("192.0.2.51", _at(h, m), "/index.html", size=1234, offset_min=60)
               for h in range(12) for m in (0, 30)])
    return tmp_path / "logs"


@pytest.mark.parametrize("stray", [False, True], ids=["control", "stray-1970-first-line"])
def test_a_stray_1970_line_does_not_move_the_evidence_start(tmp_path: Path, stray: bool) -> None:
    logs = _logs(tmp_path, stray)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        answer = case.analyse([T])
        (w,) = answer["targets"][0]["windows"]
        assert (w["first_available"], w["first_unavailable"]) == ("2021-03-01T00:15:00Z", "2021-03-01T05:00:00Z")
        assert w["open_at_log_start"] is True
        assert any("window 1 opens within the first hour of the evidence" in x
                   for x in answer["targets"][0]["warnings"])
        strays = [f for f in answer["evidence_status"]["findings"] if f["kind"] == "stray time"]
        assert len(strays) == (1 if stray else 0)
        export_parquet(case.file, tmp_path / "export")
    portable = run_portable(DuckDBEngine(), tmp_path / "export", T, AnalysisOptions())
    assert portable.windows.column("open_at_log_start").to_pylist() == [True]
