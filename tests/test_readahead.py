"""The read-ahead's bound: what waits between the reader thread and the parse, counted in bytes by its queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from exposure.readahead import ByteQueue, read_ahead


def _sized(sizes: list[int], made: list[int]) -> Iterator[tuple[int, int]]:
    for i, n in enumerate(sizes):
        made.append(i)
        yield i, n


def test_waiting_bytes_never_pass_the_limit_with_a_slow_consumer() -> None:
    box: ByteQueue = ByteQueue(100)
    made: list[int] = []
    got = []
    for item in read_ahead(_sized([30, 30, 30, 30, 60, 10, 10, 90], made), size=lambda x: x[1], queue=box):
        got.append(item[0])
        assert box.held <= 100
        time.sleep(0.02)  # the reader runs ahead as far as the bound lets it
    assert got == list(range(8))  # every item, in order
    assert 30 < box.peak <= 100  # it did run ahead, never past the limit (30+30+30 fit, a fourth did not)
    assert box.held == 0


def test_one_item_larger_than_the_limit_still_passes_alone() -> None:
    box: ByteQueue = ByteQueue(10)
    got = [x[0] for x in read_ahead(_sized([50, 50, 5], []), size=lambda x: x[1], queue=box)]
    assert got == [0, 1, 2]
    assert box.peak == 50  # never two of them waiting


def test_a_reader_error_reaches_the_consumer_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for x in read_ahead(items(), size=lambda x: 8, limit=8):
            got.append(x)
    assert got == [1, 2]


def test_a_consumer_that_stops_early_lets_the_reader_finish() -> None:
    made: list[int] = []
    before = threading.active_count()
    for item in read_ahead(_sized([10] * 1000, made), size=lambda x: x[1], limit=20):
        if item[0] == 3:
            break
    assert threading.active_count() == before  # the reader thread has ended (joined), not left blocked
    assert len(made) < 10  # and it stopped reading: the bound held it back
