"""Shared fixtures: the sample case ingested once per session, and small log writers."""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests import slowlist

# Property tests (tests/robustness/test_properties.py): how many examples each test, per format, gets. `ci` is
# chosen under CI=true, `fuzz` by `make fuzz` (HYPOTHESIS_PROFILE=fuzz); `dev` keeps a local run short. Each
# example is one ingest of a file (~0.12 CPU-s, the product's per-file cost): 50 per format were ~750 s of a CI
# run that must end within 90 minutes, so CI takes dev's 15, the same derandomized inputs every run, and the deep
# search (3,000 per format, random) is `make fuzz`'s job.
_QUIET = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("dev", max_examples=15, **_QUIET)
settings.register_profile("ci", max_examples=15, derandomize=True, **_QUIET)
settings.register_profile("fuzz", max_examples=3000, **_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LOGS = ROOT / "sample_logs"
SAMPLE_TRUTH = ROOT / "tests" / "data" / "sample_truth.json"
REALWORLD = ROOT.parent / "shared" / "realworld"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder `build` fills once per test run, shared by every xdist worker (`make test` runs two): the first
    worker to ask builds it under a file lock, the others wait for it and read it. What it holds is read-only to
    every test; a test that writes (a case file opened for writing) works on its own copy."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half-way in another worker
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


@pytest.fixture(scope="session")
def sample_truth() -> dict:
    return json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with sample_logs/ ingested once per session; open it read-only or copy it."""
    from exposure import Case

    path = tmp_path_factory.mktemp("sample-case") / "sample.duckdb"
    with Case(path) as case:
        case.ingest([SAMPLE_LOGS])
    return path


@pytest.fixture(scope="session")
def sample_export(sample_case_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample case exported as Parquet (exposure.export), for the portable-SQL checks."""
    from exposure import Case
    from exposure.export import export_parquet

    out = tmp_path_factory.mktemp("sample-export") / "parquet"
    with Case(sample_case_path, read_only=True) as case:
        export_parquet(case.file, out)
    return out


@pytest.fixture
def sample_case_copy(sample_case_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the sample case."""
    dest = tmp_path / "case.duckdb"
    shutil.copy(sample_case_path, dest)
    return dest


@pytest.fixture
def html_only_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """`report` and `analyse --report` run in-process (CliRunner) write every file but the PDF, as they do where
    WeasyPrint cannot draw one: for tests that read report.html, the CSVs or the terminal. A PDF costs 5-15 s to
    draw; tests/report and the pseudonym and file-mode tests check the PDF itself and do not use this."""
    import dataclasses

    from exposure import cli

    made = cli._report_settings
    monkeypatch.setattr(cli, "_report_settings", lambda *a, **k: dataclasses.replace(made(*a, **k), pdf=False))


def write_log(path: Path, lines: list[str | bytes], compress: str | None = None, newline: bytes = b"\n") -> Path:
    """Write log lines (text or raw bytes) to a file, optionally gzip/bz2 compressed."""
    data = b"".join((ln if isinstance(ln, bytes) else ln.encode("utf-8")) + newline for ln in lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress == "gzip":
        data = gzip.compress(data, mtime=0)
    elif compress == "bzip2":
        import bz2

        data = bz2.compress(data)
    path.write_bytes(data)
    return path


_SLOW = slowlist.slow_tests()


def pytest_itemcollected(item: pytest.Item) -> None:
    """A test the last full run measured slow, or one of a module it measured slow (tests/slow.txt, `make
    slow-list`), is marked `slow` like one marked in its module: `make test` (`-m "not slow"`) leaves both to `make test-slow`."""
    if item.nodeid in _SLOW or item.nodeid.split("::")[0] in _SLOW:
        item.add_marker(pytest.mark.slow)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `slow` run first, the longest measured first, the rest in their order (a stable sort: every
    xdist worker collects the same order). A long test started last keeps one worker busy while the other waits;
    started first, the short ones fill in beside it (`-n 2 --dist worksteal`)."""
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None,
                                 -_SLOW.get(item.nodeid, _SLOW.get(item.nodeid.split("::")[0], 0.0))))


# A run given a deadline (EXPOSURE_TEST_DEADLINE, seconds since the epoch: `.ci/run` sets it for the slow tier,
# whose ~1,200 tests take longer on a CI machine than CI's 90 minutes leave) starts no test after it: each one left
# is reported skipped, with the deadline as its reason, never passed. The slow tier runs the longest first, so what
# a deadline leaves are its shortest tests; `make test-slow` without it runs them all.
_DEADLINE = float(os.environ.get("EXPOSURE_TEST_DEADLINE") or 0)
PAST_DEADLINE = "not run: the run's time budget (EXPOSURE_TEST_DEADLINE) was spent; `make test-slow` runs it"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _DEADLINE and time.time() > _DEADLINE:
        pytest.skip(PAST_DEADLINE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many real-world checks (tests/test_realworld.py, ../shared/realworld) ran, and why others did not: a
    green run that checked nothing must not look like one that checked everything. And how many tests a deadline
    left unrun."""
    unrun = sum(1 for report in terminalreporter.stats.get("skipped", [])
                if isinstance(report.longrepr, tuple) and PAST_DEADLINE in report.longrepr[2])
    if unrun:
        terminalreporter.write_sep("-", f"{unrun} tests not run: past the run's deadline (EXPOSURE_TEST_DEADLINE)")
    outcomes: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for key in ("passed", "failed", "xfailed", "xpassed", "skipped", "error"):
        for report in terminalreporter.stats.get(key, []):
            if "test_realworld.py" not in getattr(report, "nodeid", "") or (key == "passed" and report.when != "call"):
                continue
            outcomes[key] = outcomes.get(key, 0) + 1
            if key == "skipped":
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                reason = reason.removeprefix("Skipped: ")
                skipped[reason] = skipped.get(reason, 0) + 1
    if not outcomes:
        return
    ran = sum(n for k, n in outcomes.items() if k != "skipped")
    terminalreporter.write_sep("-", "real-world checks (../shared/realworld)")
    terminalreporter.write_line(f"{ran} ran: " + ", ".join(f"{outcomes[k]} {k}" for k in
                                                             ("passed", "xfailed", "failed", "xpassed", "error")
                                                             if outcomes.get(k)) + (" (xfailed: known bugs, strict)"
                                                                                    if outcomes.get("xfailed") else ""))
    if skipped:
        terminalreporter.write_line(f"{outcomes['skipped']} skipped:")
        for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            terminalreporter.write_line(f"  {n:5d}  {reason}")


_STARTUP_HANDLERS = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}


@pytest.fixture(autouse=True)
def _stopping_signals_put_back() -> Iterator[None]:
    """After each test SIGINT and SIGTERM are as the run began (a fixture of wider scope may have changed them before
    the test). A test that runs `cli.main()` in the worker process
    (tests/test_redteam_names.py) ends with `interrupts.finished()`, which ignores both; a child process inherits an
    ignored signal, so a later test of the worker whose child must be stopped by one (test_interrupts_deferred)
    failed or passed by the order xdist gave the tests."""
    yield
    for s, handler in _STARTUP_HANDLERS.items():
        if handler is not None and signal.getsignal(s) is not handler:
            signal.signal(s, handler)


@pytest.fixture
def stop_handlers() -> Iterator[None]:
    """`exposure ingest`'s handlers for the test (interrupts.install), pytest's put back after it."""
    # imported here, not at the top: this file imports nothing of exposure (tests/wheel)
    from exposure import interrupts

    before = {s: signal.getsignal(s) for s in interrupts.STOPPING}
    interrupts.install()
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        interrupts._received.clear()
