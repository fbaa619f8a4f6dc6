"""Ctrl-C held back while the case writes what must not be cut in half: a seal link and its activity entry.

A SIGINT that arrives inside `deferred()` is remembered and raised as KeyboardInterrupt when the block ends,
so the case never holds evidence stored but unsealed because the user pressed Ctrl-C at the wrong moment.
Outside the main thread (where Python delivers signals) the block runs as it is.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, also as DuckDB reports it when the signal arrives while a query runs: it stops the query and
    raises RuntimeError('Query interrupted') or its InterruptException, or, when the signal came while it read a
    registered Arrow stream, an error that wraps the KeyboardInterrupt in its message."""
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


@contextmanager
def deferred() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if previous is signal.default_int_handler:
                raise KeyboardInterrupt
            if callable(previous):
                previous(signal.SIGINT, None)
