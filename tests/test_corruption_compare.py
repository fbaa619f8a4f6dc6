"""corruption.compare (exposure/corruption.py): the member and the intact bytes compared a block at a time give what
comparing them whole gives, for any block and piece sizes: each differing line's start, the intact lines holding its
first and last byte, the anchor's and the range's last byte's intact line, the member's last newline, and whether its
last byte is a newline the damage made (the line after the member one it made)."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from exposure import corruption


def _spans(data: bytes, start: int, begins_line: bool) -> list[tuple[int | None, int | None]]:
    """The lines of a range (from content offset `start`), each its first and last byte's offset: None for a first
    begun before the range (`begins_line` False) and for a last that no newline ends."""
    spans: list[tuple[int | None, int | None]] = []
    first: int | None = start if begins_line else None
    for i, byte in enumerate(data, start):
        if byte == 10:
            spans.append((first, i))
            first = i + 1
    if first is None or first < start + len(data):
        spans.append((first, None))
    return spans


def _whole(mine: bytes, theirs: bytes, start: int, line_start: int, anchor: int, theirs_begins_line: bool) -> tuple:
    """The reference: both ranges cut whole into lines; a line of the member is bad unless the intact range has a
    line of the same first and last byte and the same bytes (the rule of exposure/corruption.py)."""
    size, end = len(theirs), start + len(theirs)

    def rel(q: int) -> int:  # intact newlines before member offset q
        return theirs[:max(q - start, 0)].count(b"\n")
    intact = set(_spans(theirs, start, theirs_begins_line))
    bad: list[list] = []
    for first, last in _spans(mine, start, line_start == start):
        lo, hi = start if first is None else first, end - 1 if last is None else last
        differs = mine[lo - start:hi - start + 1] != theirs[lo - start:hi - start + 1]
        if differs or (first, last) not in intact:
            bad.append([line_start if first is None else first, rel(lo), rel(hi), differs])
    newlines = [i for i in range(start, start + size) if mine[i - start] == 10]
    after = mine[-1] == 10 != theirs[-1]  # a newline made at the last byte: the line after the member is made
    return bad, rel(end - 1), rel(anchor), newlines[-1] if newlines else -1, after


def _pieces(data: bytes, rng: random.Random) -> Iterator[bytes]:
    at = 0
    while at < len(data):
        n = rng.randint(1, 9)
        yield data[at:at + n]
        at += n


@pytest.mark.parametrize("seed", range(200))
def test_blocks_give_what_the_whole_gives(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(corruption, "BLOCK", rng.choice([1, 2, 3, 5, 8, 13, 64, 4096]))
    theirs = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(1, 80)))
    mine = bytearray(theirs)
    for _ in range(rng.randint(1, 6)):  # flipped bytes, newlines made letters and letters newlines
        i = rng.randrange(len(mine))
        mine[i] = rng.choice([c for c in b"abX\n" if c != mine[i]])
    start = rng.randint(0, 50)
    line_start = start - rng.randint(0, min(start, 10))
    anchor = start + rng.randrange(len(theirs))
    theirs_begins_line = rng.random() < 0.7
    found = corruption.compare(_pieces(bytes(mine), rng), _pieces(theirs, rng), start, len(theirs), line_start,
                               anchor, theirs_begins_line)
    assert found is not None
    assert (found.bad, found.last_rel, found.anchor_rel, found.last_newline, found.after) == _whole(
        bytes(mine), theirs, start, line_start, anchor, theirs_begins_line)


def test_fewer_bytes_than_the_member_holds_is_no_comparison() -> None:
    assert corruption.compare(iter([b"ab\nab"]), iter([b"ab\na"]), 0, 5, 0, 0) is None
