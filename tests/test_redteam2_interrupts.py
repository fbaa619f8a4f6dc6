"""Red team, round 2: SIGTERM, what `kill`, `timeout`, a stopped container or a cancelled job sends. Left to
Python's default it ended `exposure ingest` on the spot, with no line, between files stored and their seal link:
the case then read "changed outside exposure" in every later answer (exit 3), and a rerun did not mend it. Now
it stops a command as Ctrl-C does: one line, exit 130, the step under way rolled back, the files before it
sealed, the activity log says so, and a rerun gives the clean case's numbers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case, interrupts
from exposure.errors import CaseError
from exposure.ingest import SMALL_FILE
from tests.conftest import write_log
from tests.logs import clf, t
from tests.robustness.case_state import accounting

EXPOSURE = [sys.executable, "-m", "exposure.cli"]
FILES = 8


def _logs(root: Path) -> Path:
    for f in range(FILES):  # each past SMALL_FILE: read in a transaction of its own
        lines = [clf(f"198.51.{f}.{i % 250}", t(1 + f, i // 3600, i // 60 % 60, i % 60), f"/p/{i}")
                 for i in range(9000)]
        assert write_log(root / "logs" / f"access.log-{f:02d}", lines).stat().st_size > SMALL_FILE
    return root / "logs"


def _ingest(case: Path, logs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*EXPOSURE, "ingest", "--case", str(case), str(logs), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _counts(case: Path) -> list[tuple[object, ...]]:
    with Case(case, read_only=True) as c:
        return c.con.execute("SELECT path, sha256, lines, requests, rejected, skipped FROM evidence "
                             "ORDER BY path").fetchall()


@pytest.mark.slow
def test_sigterm_mid_ingest_stops_as_ctrl_c_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    started = time.perf_counter()
    assert _ingest(tmp_path / "clean.duckdb", logs).wait() == 0
    full = time.perf_counter() - started
    clean = _counts(tmp_path / "clean.duckdb")
    midway = 0
    # two stops, at 55 and 8 % of a clean run (were seeded: a third at 52 % stopped where the first did), each
    # followed by a rerun
    for attempt, fraction in enumerate((0.55, 0.08)):
        case = tmp_path / f"c{attempt}.duckdb"
        proc = _ingest(case, logs)
        while not case.exists() and proc.poll() is None:  # past Python's start-up: the command is running
            time.sleep(0.01)
        time.sleep(fraction * full)
        if proc.poll() is not None:
            continue
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=120)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if code == 0:
            continue  # it had finished its work
        assert code == 130, (code, err)  # -15 before: killed, nothing said
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("exposure: interrupted (SIGTERM)"), err
        try:
            c = Case(case, read_only=True)
        except CaseError as exc:  # stopped while the case was being created (a loaded machine): it holds nothing
            assert "holds no case: its creation was stopped" in str(exc)
        else:
            with c:
                for row in accounting(c.con):  # every file kept is whole
                    assert row[2:5] == row[5:8] and sum(row[2:5]) == row[1], row
                last = c.con.execute("SELECT detail FROM activity ORDER BY seq DESC LIMIT 1").fetchone()
                # none: stopped while the case was being created, before the ingest began: nothing kept
                assert last is not None or c.con.execute("SELECT count(*) FROM evidence").fetchone()[0] == 0
                detail = last[0] if last else ""
                check = c.seal_check(rows=True)
                assert check.holds, [f.message for f in check.findings]
            midway += "[interrupted (SIGTERM)" in detail
        with Case(case) as c:  # the rerun in-process (the API the command calls): its numbers are the rule here
            c.ingest([logs])
        assert _counts(case) == clean
        with Case(case, read_only=True) as c:
            assert c.seal_check(rows=True).holds
    assert midway >= 1, "no run was stopped while it ingested"


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_a_sigterm_inside_a_seal_link_waits_for_it() -> None:
    before = {s: signal.getsignal(s) for s in interrupts.STOPPING}
    interrupts.install()
    try:
        done = []
        with pytest.raises(KeyboardInterrupt):
            with interrupts.deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # delivered here, held
                done.append("link written")
        assert done == ["link written"] and interrupts.how() == "SIGTERM"
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)



def test_any_failure_after_a_stopping_signal_is_the_interrupt() -> None:
    """A SIGTERM that came while DuckDB imported pandas surfaced as "'pandas' is required for this operation but
    it was not installed" (exit 2, "unexpected failure"): once a stopping signal has arrived, the failure is it."""
    failure = RuntimeError("Invalid Input Error: 'pandas' is required for this operation but it was not installed")
    before = {s: signal.getsignal(s) for s in interrupts.STOPPING}
    interrupts.install()
    try:
        assert not interrupts.is_interrupt(failure)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
        assert interrupts.is_interrupt(failure) and interrupts.how() == "SIGTERM"
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        interrupts._received.clear()


@pytest.mark.parametrize("stop", [KeyboardInterrupt, OSError(28, "No space left on device")], ids=["ctrl-c", "full"])
def test_a_report_stopped_while_writing_leaves_no_half_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              stop: BaseException) -> None:
    import exposure.report as report

    log = write_log(tmp_path / "logs" / "access.log", [clf("192.0.2.1", t(1, 10), "/p/0", size=100)])
    out = tmp_path / "out"

    def stopped(*_args: object, **_kwargs: object) -> None:
        raise stop

    monkeypatch.setattr(report, "write_json", stopped)  # after the HTML, PDF and CSVs are written
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        with pytest.raises(KeyboardInterrupt if stop is KeyboardInterrupt else report.InputError):
            case.report(["/p/0"], out, AnalysisOptions(), report.ReportSettings(pdf=False))
    assert list(out.iterdir()) == []


def test_a_stop_after_the_outcome_is_decided_does_not_kill_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python restores the default SIGTERM handler while it shuts down: a `kill` then ended a command whose work
    was done with -15 instead of its exit code (seen under load in the test above). Once main() knows its exit
    code, stopping signals are ignored."""
    script = ("import os, signal\nfrom exposure import interrupts\ninterrupts.install()\ninterrupts.finished()\n"
              "os.kill(os.getpid(), signal.SIGTERM)\nos.kill(os.getpid(), signal.SIGINT)\nprint('alive')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "alive"), done.stderr
    calls: list[str] = []
    from exposure import cli
    monkeypatch.setattr(interrupts, "finished", lambda: calls.append("finished"))
    monkeypatch.setattr(sys, "argv", ["exposure", "formats"])
    monkeypatch.setattr(interrupts, "install", lambda: None)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 0 and calls == ["finished"]
