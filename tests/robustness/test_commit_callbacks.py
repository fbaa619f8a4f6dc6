"""The caller's `on_file` is called after a file's commit, never inside it: a Ctrl-C that comes while it runs stops
the ingest at once (a stop is held only for the commit and the seal's bookkeeping), and an error it raises is the
caller's, never read as an error reading the evidence (a second 'unreadable' registry row, or DuckDB's duplicate
key in place of the real error)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from exposure import Case, interrupts
from exposure.ingest import SMALL_FILE, FileOutcome
from tests.conftest import write_log
from tests.logs import clf, t

pytestmark = pytest.mark.skipif(not hasattr(signal, "raise_signal"), reason="signals")


def _logs(root: Path, large: bool) -> Path:
    """Three logs of one format: each past SMALL_FILE (read alone, one transaction each) or small (one batch)."""
    lines = 9000 if large else 20
    for f in range(3):
        path = write_log(root / "logs" / f"access.log-{f:02d}",
                         [clf(f"198.51.{f}.{i % 250}", t(1 + f, i // 3600, i // 60 % 60, i % 60), f"/p/{i}")
                          for i in range(lines)])
        assert (path.stat().st_size > SMALL_FILE) == large
    return root / "logs"


@pytest.fixture
def stop_handlers() -> Iterator[None]:
    """`exposure ingest`'s handlers for the test (interrupts.install), pytest's put back after it."""
    before = {s: signal.getsignal(s) for s in interrupts.STOPPING}
    interrupts.install()
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        interrupts._received.clear()


def _last_activity(case_path: Path) -> tuple[list[tuple[int, str]], str]:
    with Case(case_path, read_only=True) as c:
        rows = c.file.fetchall("SELECT evidence_id, verdict FROM evidence ORDER BY 1")
        detail = c.file.fetchone("SELECT detail FROM activity ORDER BY seq DESC LIMIT 1")
        assert c.file.unfinished() is None
        check = c.seal_check(rows=True)
        assert check.holds, [f.message for f in check.findings]
    assert detail is not None
    return rows, detail[0]


def test_an_on_file_error_is_the_callers_never_a_read_error(tmp_path: Path) -> None:
    """on_file fails (its own log hit a full disk) as the first file is said: the OSError reaches the caller as
    raised; the file stays stored once, 'ingested', and the activity entry names the real error."""
    logs = _logs(tmp_path, large=True)
    case_path = tmp_path / "case.duckdb"

    def on_file(_outcome: FileOutcome) -> None:
        raise OSError(28, "No space left on device")

    with Case(case_path) as case, pytest.raises(OSError, match="No space left on device"):
        case.ingest([logs], on_file=on_file)
    rows, detail = _last_activity(case_path)
    assert rows == [(1, "ingested")], rows
    assert detail.endswith("[stopped: [Errno 28] No space left on device; evidence 1 kept]"), detail


@pytest.mark.parametrize("large", [True, False], ids=["file-alone", "batch"])
def test_a_ctrl_c_while_on_file_runs_stops_the_ingest_at_once(tmp_path: Path, stop_handlers: None,
                                                             large: bool) -> None:
    """A Ctrl-C while the caller's on_file runs (a slow callback: a network post, a widget waiting) is acted on
    right there, not held until the callback returns; every file stored is still said and kept."""
    logs = _logs(tmp_path, large)
    case_path = tmp_path / "case.duckdb"
    said: list[str] = []

    def on_file(outcome: FileOutcome) -> None:
        said.append(Path(outcome.path).name)
        if len(said) == 1:
            signal.raise_signal(signal.SIGINT)  # delivered at once: acted on here unless held
            said.append("callback went on")

    with Case(case_path) as case, pytest.raises(KeyboardInterrupt):
        case.ingest([logs], on_file=on_file)
    rows, detail = _last_activity(case_path)
    if large:  # stopped as the first file was said: the second never begun
        assert said == ["access.log-00"] and rows == [(1, "ingested")], (said, rows)
        assert detail.endswith("[interrupted (Ctrl-C); evidence 1 kept]"), detail
    else:  # the batch's three files stored in one commit: the two after the stop said as it goes on
        assert said == ["access.log-00", "access.log-01", "access.log-02"], said
        assert rows == [(1, "ingested"), (2, "ingested"), (3, "ingested")], rows
        assert detail.endswith("[interrupted (Ctrl-C); evidence 1, 2, 3 kept]"), detail
