"""Reading ahead of the parse in a thread, bounded in bytes: the next chunk is read, hashed and cut into lines
(hashlib, numpy and Arrow release the GIL) while DuckDB parses this one.

The bound is on what waits between the reader and the parse, counted by the queue itself: items are let in
while the bytes they hold stay within `limit`, and one item on its own always is (a chunk larger than the limit
must still be parsed). Besides what waits, the reader holds the item it is making and the parse the item it is
parsing: at most two items more than the queue's bytes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

_T = TypeVar("_T")

READ_AHEAD_BYTES = 64 << 20  # what may wait for the parse: about one 32 MiB chunk with its line arrays


class ByteQueue(Generic[_T]):
    """A queue of items with sizes, holding at most `limit` bytes of them (or one item, whatever its size)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0  # bytes of the items waiting
        self.peak = 0  # the most bytes ever waiting (tests of the bound)
        self._items: deque[tuple[_T, int]] = deque()
        self._changed = threading.Condition()
        self.closed = False  # the consumer has gone: puts return at once

    def put(self, item: _T, nbytes: int) -> bool:
        """Wait until `item` fits, then queue it; False when the queue was closed instead."""
        with self._changed:
            while not self.closed and self._items and self.held + nbytes > self.limit:
                self._changed.wait()
            if self.closed:
                return False
            self._items.append((item, nbytes))
            self.held += nbytes
            self.peak = max(self.peak, self.held)
            self._changed.notify_all()
            return True

    def get(self) -> _T:
        """The next item, waiting for one."""
        with self._changed:
            while not self._items:
                self._changed.wait()
            item, nbytes = self._items.popleft()
            self.held -= nbytes
            self._changed.notify_all()
            return item

    def close(self) -> None:
        """Let a waiting producer go, and drop what still waits."""
        with self._changed:
            self.closed = True
            self._items.clear()
            self.held = 0
            self._changed.notify_all()


class _End:
    pass


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def read_ahead(items: Iterator[_T], size: Callable[[_T], int], limit: int | None = None,
               queue: ByteQueue | None = None) -> Iterator[_T]:
    """`items` produced in a reader thread, at most `limit` bytes (by `size`; default READ_AHEAD_BYTES) ahead
    of the consumer; the reader's exceptions are raised here, in order. `queue` may be given to watch its
    accounting."""
    box: ByteQueue = queue if queue is not None else ByteQueue(READ_AHEAD_BYTES if limit is None else limit)

    def work() -> None:
        try:
            for item in items:
                if not box.put(item, size(item)):
                    return
            box.put(_End(), 0)
        except BaseException as exc:  # handed to the consumer, never lost
            box.put(_Failed(exc), 0)

    thread = threading.Thread(target=work, name="exposure-reader", daemon=True)
    thread.start()
    try:
        while True:
            got = box.get()
            if isinstance(got, _End):
                break
            if isinstance(got, _Failed):
                raise got.exc
            yield got
            del got  # not held while the next one is awaited
    finally:
        box.close()
        thread.join()
