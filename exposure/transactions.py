"""One transaction on a DuckDB connection that a Ctrl-C (or SIGTERM) never leaves half way.

DuckDB stops any statement a signal arrives in, COMMIT included ("Query interrupted"), and either side of the
commit: after it (the rows stored, the caller never told) or before it (the transaction left open, so no later
statement of the command can begin one: its activity entry was never written). The commit is therefore run with
the stopping signals held (exposure/interrupts.py), together with `told` (what was stored said to the seal): the
stop is acted on once both are done. BEGIN and ROLLBACK are held alike, BEGIN inside the block that rolls back:
a stop just after it never leaves a transaction open either.

A stop that lands while the commit's hold is put in place (`deferred()` building its table of handlers) is
rolled back there. What no hold can reach: a stop that lands after the block ends and before the generator
resumes (contextlib's __exit__), or after the block failed and before the rollback's hold is in place. It
escapes with the transaction open (aborted by DuckDB's interrupted statement, or simply never committed). Python
offers no way to enter the hold before the generator resumes, so the guarantee is where the stop is handled:
`abandon`, before anything more is written (the activity entry, the seal, the steps over the case).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from . import interrupts

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, told: Callable[[], None] | None = None) -> Iterator[None]:
    """One transaction on `con`: committed when the block ends (and `told` called, with the commit, before a
    stopping signal that came meanwhile is acted on), rolled back when the block raises."""
    begun = False
    try:
        with interrupts.deferred():
            con.begin()
            begun = True
        yield
    except BaseException:
        if begun:
            with interrupts.deferred():  # a second stop never cuts the rollback short
                con.rollback()
        raise
    committed = False
    try:
        with interrupts.deferred():
            con.commit()
            committed = True
            if told is not None:
                told()
    except BaseException:
        if not committed:  # stopped while the hold was put in place (or the commit failed): not left open
            abandon(con)
        raise


def abandon(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the transaction a stop left open on `con` (see above), if there is one: called where a stop or
    a failure is handled, before the case is written to again. Never raises a DuckDB error of its own: none open
    ("cannot rollback - no transaction is active"), or the connection itself failed (what comes next says so; the
    error being handled is not replaced by this one)."""
    with interrupts.deferred():
        try:
            con.rollback()
        except duckdb.Error:
            pass
