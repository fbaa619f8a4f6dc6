"""The caller's callbacks (an ingest's `on_file` and `on_progress`): what they raise is theirs.

A callback runs inside the ingest's reading (a file's progress is said while it is parsed), where an OSError means
the evidence could not be read and the file is registered 'unreadable' with it as the reason. An error the
caller's own code raised (its log hit a full disk, its terminal went away) is carried past those handlers as
`CallerError` and raised to the caller as it was raised (`raised`), never read as the evidence's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


class CallerError(Exception):
    """A caller's callback failed with `error` (no handler of the ingest's own errors catches it)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def theirs(callback: _F | None) -> _F | None:
    """`callback` with what it raises (an Exception) carried as CallerError."""
    if callback is None:
        return None

    def call(*args: Any) -> Any:  # noqa: ANN401 (the callback's own)
        try:
            return callback(*args)
        except Exception as exc:  # noqa: BLE001 (the caller's, handed back whole by `raised`)
            raise CallerError(exc) from exc

    return call  # type: ignore[return-value]


@contextmanager
def raised() -> Iterator[None]:
    """A callback's error, carried out of the block as CallerError, raised as the callback raised it."""
    try:
        yield
    except CallerError as failed:
        raise failed.error from None
