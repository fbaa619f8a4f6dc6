"""Ctrl-C held back while the case writes what must not be cut in half: a seal link and its activity entry.

A SIGINT or SIGTERM that arrives inside `deferred()` is remembered and acted on when the block ends, so the case
never holds evidence stored but unsealed because the user pressed Ctrl-C, or a job was stopped, at the wrong
moment. `install()` makes SIGTERM stop a command as Ctrl-C does. Outside the main thread (where Python delivers
signals) the block runs as it is.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, also as DuckDB reports it when the signal arrives while a query runs: it stops the query and
    raises RuntimeError('Query interrupted') or its InterruptException, or, when the signal came while it read a
    registered Arrow stream, an error that wraps the KeyboardInterrupt in its message. Once a stopping signal
    has reached `install`'s handler, any failure is the interrupt's: DuckDB importing pandas when it arrived
    reports "'pandas' is required ... but it was not installed", with the KeyboardInterrupt lost."""
    if _received:
        return True
    seen: BaseException | None = exc
    for _ in range(10):  # the exception and what caused it
        if seen is None:
            return False
        if (isinstance(seen, KeyboardInterrupt) or type(seen).__name__ == "InterruptException"
                or (type(seen) is RuntimeError and str(seen) == "Query interrupted")
                or (type(seen).__module__.startswith(("duckdb", "_duckdb")) and "KeyboardInterrupt" in str(seen))):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# The signals that stop a command the way Ctrl-C does. SIGTERM is what `kill`, `timeout`, a stopped container
# or a cancelled job sends: left to Python's default it ends the process on the spot, between a file stored and
# its seal link, and the case then reads "changed outside exposure" for good.
STOPPING = (signal.SIGINT, signal.SIGTERM)
_received: list[str] = []  # the names of the stopping signals received, in order


def _stop(signum: int, _frame: FrameType | None) -> None:
    _received.append(signal.Signals(signum).name)
    raise KeyboardInterrupt


def install() -> None:
    """Have SIGTERM (and SIGINT) stop a command as Ctrl-C does: KeyboardInterrupt, so the step under way is rolled
    back, the files stored before it are sealed and the activity log says so. Main thread only (where Python
    delivers signals); a command-line entry point calls it once."""
    if threading.current_thread() is threading.main_thread():
        _received.clear()
        for signum in STOPPING:
            signal.signal(signum, _stop)


def finished() -> None:
    """The command's outcome is decided (its exit code known, everything written): a stopping signal from now on
    is ignored. Python restores the default handlers while the interpreter shuts down, so a SIGTERM that came
    then killed a process whose work was done (exit -15 instead of its own code). Main thread only."""
    if threading.current_thread() is threading.main_thread():
        for signum in STOPPING:
            signal.signal(signum, signal.SIG_IGN)


def how() -> str:
    """How the command was stopped, for its one line and its activity entry: `Ctrl-C` or `SIGTERM`."""
    return "SIGTERM" if _received and _received[-1] == "SIGTERM" else "Ctrl-C"


# the hold of the deferred() block the main thread is in (none or one): a block inside it swaps nothing
_holding: list[Any] = []

# The stronger stop first: a `kill` (SIGTERM) that came after a Ctrl-C is never lost behind it.
_STRONGEST_FIRST = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def deferred() -> Iterator[None]:
    """The block runs whole: a stopping signal that arrives meanwhile is held, and when the block ends each one
    held is delivered again to the process (signal.raise_signal, SIGTERM first), so the handler in place acts as it
    would have: Python's KeyboardInterrupt, `install`'s stop, an embedding program's handler, SIG_DFL ending the
    process, SIG_IGN nothing.

    The handlers are swapped with both signals blocked (`_masked`). That keeps a signal out of the swap only where
    no other thread takes it: a process's signal goes to any thread that does not block it (DuckDB's, Arrow's), and
    Python then runs the handler in place between the two swaps; one put back that raises stops the other's swap.
    So the holder outlives its block knowingly: once the block has ended, a holder still in place puts back the
    handler it replaced and delivers the signal to it (never a signal kept by nobody).

    A block inside another (each file of a batch sealed inside the batch's commit) swaps nothing: the outer hold is
    in place and holds what arrives, delivered when the outer block ends, as the inner hold's delivery to it was
    (1,000 small files: 1,000 swaps of two handlers under a mask, 0.04 CPU-s)."""
    if threading.current_thread() is not threading.main_thread() or _holding:
        yield
        return
    holding = [True]
    caught: list[int] = []
    previous: dict[int, Any] = {}

    def hold(signum: int, _frame: FrameType | None) -> None:
        if holding[0]:
            caught.append(signum)
            return
        signal.signal(signum, previous[signum])  # left in place by a stop while the handlers were put back
        signal.raise_signal(signum)

    try:
        with _masked():
            _swap(dict.fromkeys(STOPPING, hold), previous)
        _holding.append(hold)
        yield
    finally:
        if _holding:
            _holding.pop()
        try:
            with _masked():
                _swap(previous, {})
        finally:
            holding[0] = False  # no call: nothing runs a handler before it
            try:
                for signum, handler in previous.items():  # a holder a stop in the swap left in place
                    if signal.getsignal(signum) is hold:
                        signal.signal(signum, handler)
            finally:
                for signum in _STRONGEST_FIRST:  # each, where the first one's handler does not stop the process
                    if signum in caught:
                        signal.raise_signal(signum)


def _swap(handlers: dict[int, Any], replaced: dict[int, Any]) -> None:
    """Install `handlers`, each one it replaces noted in `replaced` before it is replaced (never lost to a stop
    raised as signal.signal returns). A Python function: a signal the C handler already noted runs the Python
    handler in place as it is entered, before any swap."""
    for signum, handler in handlers.items():
        replaced[signum] = signal.getsignal(signum)
        signal.signal(signum, handler)


@contextmanager
def _masked() -> Iterator[None]:
    """The stopping signals blocked (kept pending by the system) while in the block, where the platform can."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
