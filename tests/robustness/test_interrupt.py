"""Interrupted and repeated work: SIGKILL during ingest, two processes on one case, schema versions."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from exposure import Case
from exposure.case import SCHEMA_VERSION
from exposure.errors import CaseError, CaseInUseError
from tests.conftest import write_log
from tests.logs import clf, t
from tests.robustness.case_state import accounting, snapshot

EXPOSURE = [sys.executable, "-m", "exposure.cli"]
KILLS = 5


def _logs(root: Path) -> Path:
    for f in range(8):
        lines = [clf(f"198.51.{f}.{i % 250}", t(1 + f, i // 3600, i // 60 % 60, i % 60), f"/p/{i}") for i in range(6000)]
        write_log(root / "logs" / "web1" / f"access.log-{f:02d}", lines + ["garbage line"])
    return root / "logs"


def _ingest(case: Path, logs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*EXPOSURE, "ingest", "--case", str(case), str(logs), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkill_during_ingest_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    assert _ingest(clean, logs).wait() == 0
    full = time.perf_counter() - started
    rng = random.Random(8)
    case = tmp_path / "killed.duckdb"
    survived = 0
    for _ in range(KILLS):
        proc = _ingest(case, logs)
        time.sleep(rng.uniform(0.05, max(0.1, full)))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            survived += 1
        proc.wait()
        with Case(case) as c:  # opens after every kill: the WAL replays, no half-loaded file
            for row in accounting(c.con):
                assert row[2:5] == row[5:8] and sum(row[2:5]) == row[1], row
    assert survived >= 1, "every run finished before it could be killed"
    rerun = _ingest(case, logs)
    assert rerun.wait() == 0, rerun.stderr.read() if rerun.stderr else ""
    with duckdb.connect(str(clean), read_only=True) as a, duckdb.connect(str(case), read_only=True) as b:
        assert snapshot(a) == snapshot(b)
        assert b.execute("SELECT count(*), count(DISTINCT abs_path) FROM evidence").fetchone() == (8, 8)


HOLDER = """
import sys, time
from exposure import Case
with Case(sys.argv[1]):
    print("open", flush=True)
    time.sleep(60)
"""


def test_second_process_gets_case_in_use(tmp_path: Path) -> None:
    case = tmp_path / "case.duckdb"
    Case(case).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(case)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"open"
        with pytest.raises(CaseInUseError, match="case is in use"):
            Case(case)
        logs = _logs(tmp_path)
        result = subprocess.run([*EXPOSURE, "ingest", "--case", str(case), str(logs / "web1" / "access.log-00")],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert result.stderr.strip().startswith("exposure: error: case is in use"), result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()
    with Case(case) as c:  # not corrupted
        assert c.con.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1])
def test_other_schema_version_says_what_to_do(tmp_path: Path, version: int) -> None:
    case = tmp_path / "case.duckdb"
    Case(case).close()
    with duckdb.connect(str(case)) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    for read_only in (False, True):
        with pytest.raises(CaseError) as err:
            Case(case, read_only=read_only)
        assert str(err.value) == (
            f"{case} has case schema version {version}; this exposure ({_tool_version()}) reads version "
            f"{SCHEMA_VERSION}: re-ingest the evidence into a new case")


def _tool_version() -> str:
    from exposure.version import TOOL_VERSION

    return TOOL_VERSION


def test_sigkill_leaves_evidence_files_untouched(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in logs.rglob("*") if p.is_file()}
    proc = _ingest(tmp_path / "c.duckdb", logs)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in logs.rglob("*") if p.is_file()} == before
