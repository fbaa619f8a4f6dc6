"""Red team, round 2: a disk that takes no more. A full disk under the case, the report folder or the command's
output is said in one line naming what could not be written, exit 2, never "unexpected failure"; a report
that could not be written whole is not left half-written; the case keeps what was complete before and a rerun
with space gives the clean answer."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.errors import storage_failure
from tests.conftest import write_log
from tests.logs import clf, t

EXPOSURE = [sys.executable, "-m", "exposure.cli"]
TARGET = "/docs/leak.xlsx"


def _logs(root: Path, files: int = 4, lines: int = 2000) -> Path:
    for f in range(files):
        write_log(root / "logs" / f"access.log-{f:02d}",
                  [clf(f"198.51.{f}.{i % 250}", t(1 + f, i // 3600, i // 60 % 60, i % 60),
                       TARGET if i % 100 == 0 else f"/p/{i}", size=4000 if i % 100 == 0 else 900)
                   for i in range(lines)])
    return root / "logs"


def _run(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXPOSURE, *args], stdout=stdout, stderr=subprocess.PIPE, text=True)


def _invoke(*args: str) -> int:
    """The command in-process (CliRunner): its exit code."""
    return CliRunner().invoke(app, list(args)).exit_code


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_full_device_is_one_clear_line(tmp_path: Path) -> None:
    logs = _logs(tmp_path, files=1, lines=200)
    case = str(tmp_path / "case.duckdb")
    assert _invoke("ingest", str(logs), "--case", case, "-q") == 0  # the setup in-process; the write below is not
    with open("/dev/full", "w") as full:
        done = _run("files", "--case", case, "--json", stdout=full)
    # the files' warnings (said before the table is written: combined logs' sent counts) apart, one line says it
    lines = [ln for ln in done.stderr.strip().splitlines() if not ln.startswith("warning: ")]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "no space left on device" in lines[0] and "unexpected failure" not in lines[0], lines[0]


@pytest.mark.parametrize("exc,said", [
    (OSError(errno.ENOSPC, "No space left on device", "/cases/leak.duckdb.wal"),
     "no space left on device writing /cases/leak.duckdb.wal"),
    (OSError(errno.EROFS, "Read-only file system"), "read-only file system while writing"),
    (RuntimeError('TransactionContext Error: Failed to commit: Could not write file "/c/x.duckdb.wal": '
                  "No space left on device"), "no space left on device writing /c/x.duckdb.wal"),
    (OSError(errno.ENOENT, "No such file or directory", "x"), None),
    (ValueError("Could not write the thing"), None),
])
def test_storage_failure_names_what_could_not_be_written(exc: BaseException, said: str | None) -> None:
    assert storage_failure(exc) == said


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a tmpfs of the size asked (root with mount rights only; skipped elsewhere)."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        if os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True).returncode:
            pytest.skip("cannot mount a small tmpfs here")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.slow
def test_a_case_on_a_full_disk_keeps_what_was_complete_and_a_rerun_answers(
        tmp_path: Path, small_disk: Callable[[str], Path]) -> None:
    logs = _logs(tmp_path)
    disk = small_disk("2m")
    case = disk / "case.duckdb"
    done = _run("ingest", str(logs), "--case", str(case), "-q")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("exposure: error: no space left on device writing ") and "unexpected" not in lines[0]
    moved = tmp_path / "case.duckdb"  # the investigator moves the case to a disk with space and reruns
    for name in os.listdir(disk):
        shutil.copy(disk / name, tmp_path / name)
    # the rerun, its check and the answers in-process: the process's exit and line on a full disk are above
    assert _invoke("ingest", str(logs), "--case", str(moved), "-q") == 0
    assert _invoke("verify", "--case", str(moved)) == 0  # every file matches, the seal holds
    answer = tmp_path / "a.json"
    assert _invoke("analyse", str(logs), "--case", str(moved), "--target", TARGET, "--json", str(answer), "-q") == 0
    clean = tmp_path / "clean.json"
    assert _invoke("analyse", str(logs), "--target", TARGET, "--json", str(clean), "-q") == 0
    totals = [json.loads(p.read_text())["targets"][0]["totals"] for p in (answer, clean)]
    assert totals[0] == totals[1] and totals[0]["complete_downloads"] == 4 * 20


def test_a_report_that_does_not_fit_is_not_left_half_written(
        tmp_path: Path, small_disk: Callable[[str], Path]) -> None:
    logs = _logs(tmp_path, files=1, lines=300)  # 3 downloads: a 4-page PDF (4 x 2000 lines: 34 pages, 11 CPU-s)
    case = str(tmp_path / "case.duckdb")
    assert _invoke("ingest", str(logs), "--case", case, "-q") == 0
    # room for the HTML, the PDF, the CSVs and analysis.json (about 184 kB in 4 kB pages), not for queries.sql too
    # (58 kB, the same for every case): the report fails after it has written five files
    out = small_disk("216k") / "report"
    done = _run("report", "--case", case, "--target", TARGET, "--out", str(out))
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"exposure: error: cannot write the report to {out}: ") and "no space left" in last.lower()
    assert not out.exists() or list(out.iterdir()) == []
