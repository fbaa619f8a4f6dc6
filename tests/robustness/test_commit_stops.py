"""Stops around a file's commit. The caller's `on_file` is called after the commit, never inside it: a Ctrl-C that
comes while it runs stops the ingest at once (a stop is held only for the commit and the seal's bookkeeping), and
an error it raises is the caller's, never read as an error reading the evidence (a second 'unreadable' registry
row, or DuckDB's duplicate key in place of the real error), nor is one `on_progress` raises while a file is read.
A stop that lands where no hold can reach (after a transaction's block, before its commit is held; after a
failure, before its rollback is) leaves no transaction open: the command's activity entry is written, the case
sealed, and the next command runs."""

from __future__ import annotations

import signal
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import duckdb
import pytest

from exposure import Case, interrupts, transactions
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


class _StopBeforeHold:
    """transactions' `interrupts`, whose `deferred()` is stopped (KeyboardInterrupt) as it is called, once: at the
    commit of the transaction that holds evidence `evid` (`window` 'commit'), or at the rollback of a transaction
    stopped by a first Ctrl-C (`window` 'rollback'). Exactly where a real signal lands before the hold is in place
    (contextlib's __exit__, deferred() building its table of handlers)."""

    def __init__(self, con: Any, evid: int, window: str) -> None:  # noqa: ANN401 (a DuckDB connection)
        self._con, self._evid, self._window, self.fired = con, evid, window, False

    def deferred(self) -> AbstractContextManager[None]:
        if not self.fired:
            handling = sys.exc_info()[0]
            if self._window == "rollback" and handling is KeyboardInterrupt:
                self.fired = True
                raise KeyboardInterrupt
            if (self._window == "commit" and handling is None and self._con.execute(
                    "SELECT count(*) FROM evidence WHERE evidence_id = ?", [self._evid]).fetchone()[0]):
                self.fired = True
                raise KeyboardInterrupt
        return interrupts.deferred()


@pytest.mark.parametrize("window", ["commit", "rollback"])
def test_a_stop_before_the_hold_leaves_no_transaction_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           window: str) -> None:
    """The second file's transaction is stopped where deferred() cannot hold it yet: the transaction is rolled
    back where the stop is handled, so the file kept is settled (its stream), the ingest's activity entry says it
    and the first file kept, no mark of
    a command that did not finish is left, the seal holds, and the same open case ingests again (a notebook's
    next cell). It was left open: no activity entry, the mark left, evidence 1 unsealed; every later ingest
    failed 'Current transaction is aborted'."""
    logs = _logs(tmp_path, large=True)
    case_path = tmp_path / "case.duckdb"
    progress: list[str] = []

    def on_progress(path: str, *_counts: Any) -> None:  # noqa: ANN401 (the progress callback's numbers)
        progress.append(path)
        if window == "rollback" and Path(path).name == "access.log-01":
            raise KeyboardInterrupt  # a first Ctrl-C while the second file is read: its transaction rolls back

    with Case(case_path) as case:
        hook = _StopBeforeHold(case.file.con, 2, window)
        monkeypatch.setattr(transactions, "interrupts", hook)
        with pytest.raises(KeyboardInterrupt):
            case.ingest([logs], on_progress=on_progress)
        monkeypatch.undo()
        assert hook.fired
        rows, detail = _last_activity_open(case)
        assert rows == [(1, "ingested")], rows
        settled = case.file.fetchall("SELECT evidence_id FROM evidence WHERE stream IS NOT NULL")
        assert settled == [(1,)], "the file kept had the steps over the case (its stream) left undone"
        assert detail.endswith("[interrupted (Ctrl-C); evidence 1 kept]"), detail
        case.ingest([logs])  # the next cell
    rows, _ = _last_activity(case_path)
    assert rows == [(1, "ingested"), (2, "ingested"), (3, "ingested")], rows


def _last_activity_open(case: Case) -> tuple[list[tuple[int, str]], str]:
    rows = case.file.fetchall("SELECT evidence_id, verdict FROM evidence ORDER BY 1")
    detail = case.file.fetchone("SELECT detail FROM activity ORDER BY seq DESC LIMIT 1")
    assert case.file.unfinished() is None, "the mark of a command that did not finish left"
    assert detail is not None, "no activity entry"
    return rows, detail[0]


def _called_from(name: str) -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == name:
            return True
        frame = frame.f_back
    return False


class _StopAtRecoveryCommit:
    """transactions' `interrupts`, whose `deferred()` is stopped once as it is called for the commit of the first
    transaction of a recovery's steps over the case (CaseFile._finish_unfinished)."""

    def __init__(self, con: Any) -> None:  # noqa: ANN401 (a DuckDB connection)
        self._con, self.fired = con, False

    def deferred(self) -> AbstractContextManager[None]:
        if not self.fired and sys.exc_info()[0] is None and _called_from("_finish_unfinished"):
            first = self._con.execute("SELECT txid_current()").fetchall()
            if first == self._con.execute("SELECT txid_current()").fetchall():  # in a transaction: its commit
                self.fired = True
                raise KeyboardInterrupt
        return interrupts.deferred()


def test_a_stop_before_the_hold_in_a_recovery_is_said_and_recovered_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Any command, not only an ingest: the recovery of a killed ingest is stopped between the end of its first
    transaction's block and its commit's hold. The transaction is rolled back where the stop is handled, so the
    recovery's activity entry says it was interrupted and its mark stays for the next writable open, which
    recovers. (Left open, the closing transaction could not begin: no activity entry at all.)"""
    logs = _logs(tmp_path, large=True)
    case_path = tmp_path / "case.duckdb"
    case = Case(case_path)  # an ingest killed after its first file (no closing transaction)
    case.ingest([logs / "access.log-00"])
    case.file.execute("INSERT INTO meta VALUES ('running', 'ingest')")
    case.con.close()
    con = None

    def connect(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401 (duckdb.connect's own)
        nonlocal con
        con = real(*args, **kwargs)
        monkeypatch.setattr(transactions, "interrupts", _StopAtRecoveryCommit(con))
        return con

    real = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", connect)
    with pytest.raises(KeyboardInterrupt):
        Case(case_path)
    monkeypatch.undo()
    assert con is not None
    con.close()
    with Case(case_path, read_only=True) as c:
        last = c.file.fetchone("SELECT command, detail FROM activity ORDER BY seq DESC LIMIT 1")
        assert last is not None and last[0] == "recovered" and "[interrupted (Ctrl-C)" in last[1], last
        assert c.file.unfinished() is not None
    with Case(case_path) as c:
        last = c.file.fetchone("SELECT command, detail FROM activity ORDER BY seq DESC LIMIT 1")
        assert last is not None and last[0] == "recovered" and "[interrupted" not in last[1], last
        assert c.file.unfinished() is None and c.seal_check(rows=True).holds


def test_a_stop_while_the_commits_hold_is_put_in_place_rolls_the_transaction_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """transaction() itself: a stop raised as the commit's deferred() is entered (building its table of handlers)
    leaves no transaction open on the connection (the next BEGIN works) and nothing of the block stored."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER)")
    calls = []

    class _Stopped:
        def deferred(self) -> AbstractContextManager[None]:
            calls.append(sys.exc_info()[0])
            if len(calls) == 2:  # BEGIN's, then the commit's
                raise KeyboardInterrupt
            return interrupts.deferred()

    monkeypatch.setattr(transactions, "interrupts", _Stopped())
    with pytest.raises(KeyboardInterrupt), transactions.transaction(con):
        con.execute("INSERT INTO t VALUES (1)")
    monkeypatch.undo()
    con.begin()  # raised 'cannot start a transaction within a transaction' when left open
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
    con.rollback()


def test_an_on_progress_error_is_the_callers_never_a_read_error(tmp_path: Path) -> None:
    """on_progress fails while the first file is read (the caller's terminal went away): the OSError reaches the
    caller as raised and nothing is registered (the file's transaction rolled back); it was swallowed and the
    file registered 'unreadable' with the caller's error as its reason (exit 0 through the API)."""
    logs = _logs(tmp_path, large=True)
    case_path = tmp_path / "case.duckdb"

    def on_progress(*_said: Any) -> None:  # noqa: ANN401 (the progress callback's values)
        raise OSError(5, "Input/output error")

    with Case(case_path) as case, pytest.raises(OSError, match="Input/output error"):
        case.ingest([logs / "access.log-00"], on_progress=on_progress)
    with Case(case_path, read_only=True) as c:
        assert c.file.fetchall("SELECT evidence_id, verdict, read_errors FROM evidence") == []


def test_abandon_never_replaces_the_error_being_handled() -> None:
    """Where a stop or failure is handled the connection may itself have failed: rolling back raises nothing of
    its own (a closed connection's 'Connection already closed' took the place of the error being handled)."""
    con = duckdb.connect()
    transactions.abandon(con)  # none open
    con.close()
    with pytest.raises(OSError, match="the error being handled"):
        try:
            raise OSError("the error being handled")
        except OSError:
            transactions.abandon(con)
            raise
