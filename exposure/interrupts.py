"""Ctrl-C held back while the case writes what must not be cut in half: a seal link and its activity entry.

A SIGINT or SIGTERM that arrives inside `deferred()` is remembered and acted on when the block ends, so the case
never holds evidence stored but unsealed because the user pressed Ctrl-C, or a job was stopped, at the wrong
moment. `install()` makes SIGTERM stop a command as Ctrl-C does. Outside the main thread (where Python delivers
signals) the block runs as it is.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


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


@contextmanager
def deferred() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in STOPPING}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            first = caught[0]
            handler = previous[first]
            if handler is signal.default_int_handler:
                raise KeyboardInterrupt
            if callable(handler):
                handler(first, None)
            elif handler == signal.SIG_DFL and first == signal.SIGTERM:  # no handler installed: as the default
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
