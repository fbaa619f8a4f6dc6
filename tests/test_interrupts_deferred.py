"""interrupts.deferred(): a stopping signal held while a commit or a seal link is written is delivered afterwards
to the handler in place, whatever it is (an embedding program's SIG_DFL included), a SIGTERM is never lost behind
a Ctrl-C, and no signal landing while the handlers are swapped leaves the holder in place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from exposure import interrupts

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals")

# A program embedding exposure, its handlers set as given, that holds `signals` inside deferred() (raise_signal:
# delivered and noted at once, no timing) and says what went on after the block
_HELD = """import signal, sys
from exposure import interrupts
# Python's own handlers first, none blocked, whatever the test process left (a child inherits the signals its
# parent ignores and blocks)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
for name, how in [{handlers}]:
    signal.signal(getattr(signal, name), how)
try:
    with interrupts.deferred():
        for name in [{signals}]:
            signal.raise_signal(getattr(signal, name))
        print("block whole", flush=True)
    print("went on", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
"""


def _held(handlers: str, signals: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _HELD.format(handlers=handlers, signals=signals)],
                          capture_output=True, text=True, timeout=60)


def test_a_ctrl_c_held_under_sig_dfl_ends_the_process_after_the_block() -> None:
    """SIGINT left at SIG_DFL (a program that wants Ctrl-C to end it outright): the block runs whole, then the
    process ends by the SIGINT, as it would have without the hold (it was dropped: the program went on, exit 0)."""
    run = _held('("SIGINT", signal.SIG_DFL)', '"SIGINT"')
    assert (run.returncode, run.stdout) == (-signal.SIGINT, "block whole\n"), (run.returncode, run.stdout, run.stderr)


def test_a_ctrl_c_held_under_sig_ign_stays_ignored() -> None:
    run = _held('("SIGINT", signal.SIG_IGN)', '"SIGINT"')
    assert (run.returncode, run.stdout) == (0, "block whole\nwent on\n"), (run.returncode, run.stdout, run.stderr)


def test_a_sigterm_after_a_ctrl_c_is_not_lost() -> None:
    """Python's own handlers (SIGINT: KeyboardInterrupt, SIGTERM: end the process): a Ctrl-C then a `kill` while
    held end the process by the SIGTERM (only the first was acted on: a KeyboardInterrupt, the process alive)."""
    run = _held("", '"SIGINT", "SIGTERM"')
    assert (run.returncode, run.stdout) == (-signal.SIGTERM, "block whole\n"), (run.returncode, run.stdout,
                                                                                run.stderr)


def test_a_sigterm_after_a_ctrl_c_stops_the_command_as_sigterm(stop_handlers: None) -> None:
    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts.deferred():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            done.append("link written")
    assert done == ["link written"] and interrupts.how() == "SIGTERM"


def test_a_ctrl_c_while_the_handlers_are_put_back_leaves_none_stale(stop_handlers: None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C landing right after SIGINT's handler is put back, before SIGTERM's is (a hook in signal.signal at
    that very point): the stop is acted on and SIGTERM's handler is `install`'s again, never the block's holder
    (it was left in place for good: every later SIGTERM silently held by nobody)."""
    real: Callable[..., Any] = signal.signal
    mine = signal.getsignal(signal.SIGTERM)
    landed = []

    def swapping(signum: int, handler: Any) -> Any:  # noqa: ANN401 (signal.signal's own)
        before = real(signum, handler)
        if signum == signal.SIGINT and handler is mine and not landed:  # SIGINT's own handler back
            landed.append(signum)
            signal.raise_signal(signal.SIGINT)
        return before

    monkeypatch.setattr(signal, "signal", swapping)
    with pytest.raises(KeyboardInterrupt):
        with interrupts.deferred():
            pass
    monkeypatch.undo()
    assert landed and signal.getsignal(signal.SIGTERM) is mine and signal.getsignal(signal.SIGINT) is mine


def test_a_holder_left_in_place_by_another_threads_signal_hands_the_next_one_on(
        stop_handlers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mask keeps a signal out of the swap only in this thread: one another thread took (DuckDB's, Arrow's)
    runs SIGINT's handler, put back, before SIGTERM's is (a hook raising install's stop right there). SIGTERM's
    holder stays in place, and the next SIGTERM is handed to the handler it replaced: the command stops as by
    SIGTERM and the handler is put back (it was kept by nobody, for good)."""
    real: Callable[..., Any] = signal.signal
    mine = signal.getsignal(signal.SIGTERM)
    landed = []

    def swapping(signum: int, handler: Any) -> Any:  # noqa: ANN401 (signal.signal's own)
        before = real(signum, handler)
        if signum == signal.SIGINT and handler is mine and not landed:  # SIGINT's own handler back
            landed.append(signum)
            interrupts._stop(signal.SIGINT, None)  # as Python runs it for a signal another thread took
        return before

    monkeypatch.setattr(signal, "signal", swapping)
    with pytest.raises(KeyboardInterrupt):
        with interrupts.deferred():
            pass
    monkeypatch.undo()
    assert landed
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGTERM)
    assert interrupts.how() == "SIGTERM" and signal.getsignal(signal.SIGTERM) is mine


def test_a_block_inside_another_swaps_nothing_and_its_stop_waits_for_the_outer(
        stop_handlers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deferred() block inside another (each file of a batch sealed inside the batch's commit: 1,000 small files,
    1,000 inner blocks) puts no handler in place: the outer hold holds what arrives in it, and the stop is acted on
    when the outer block ends, not the inner one, the outer block running whole."""
    real: Callable[..., Any] = signal.signal
    swapped: list[int] = []

    def counting(signum: int, handler: Any) -> Any:  # noqa: ANN401 (signal.signal's own)
        swapped.append(signum)
        return real(signum, handler)

    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts.deferred():
            monkeypatch.setattr(signal, "signal", counting)
            for _ in range(3):
                with interrupts.deferred():
                    signal.raise_signal(signal.SIGTERM)
                done.append("file sealed")
            monkeypatch.undo()
            done.append("commit done")
    assert swapped == [] and done == ["file sealed"] * 3 + ["commit done"] and interrupts.how() == "SIGTERM"
