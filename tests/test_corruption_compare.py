"""corruption.compare (exposure/corruption.py): the member and the intact bytes compared a block at a time give what
comparing them whole gives, for any block and piece sizes: each differing line's start, the intact lines holding its
first and last byte, the anchor's and the range's last byte's intact line, the member's last newline."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from exposure import corruption


def _whole(mine: bytes, theirs: bytes, start: int, line_start: int, anchor: int) -> tuple:
    """The reference: the member and the intact range compared whole, byte by byte."""
    size = len(theirs)

    def rel(q: int) -> int:  # intact newlines before member offset q
        return theirs[:max(q - start, 0)].count(b"\n")
    bad: list[list[int]] = []
    for p in range(start, start + size):
        if mine[p - start] == theirs[p - start]:
            continue
        s = max((i + 1 for i in range(start, p) if mine[i - start] == 10), default=line_start)
        if bad and bad[-1][0] == s:
            continue
        end = next((i for i in range(p, start + size) if mine[i - start] == 10), start + size - 1)
        bad.append([s, rel(s), rel(end)])
    newlines = [i for i in range(start, start + size) if mine[i - start] == 10]
    return bad, rel(start + size - 1), rel(anchor), newlines[-1] if newlines else -1


def _pieces(data: bytes, rng: random.Random) -> Iterator[bytes]:
    at = 0
    while at < len(data):
        n = rng.randint(1, 9)
        yield data[at:at + n]
        at += n


@pytest.mark.parametrize("seed", range(40))
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
    found = corruption.compare(_pieces(bytes(mine), rng), _pieces(theirs, rng), start, len(theirs), line_start,
                               anchor)
    assert found is not None
    assert (found.bad, found.last_rel, found.anchor_rel, found.last_newline) == _whole(
        bytes(mine), theirs, start, line_start, anchor)


def test_fewer_bytes_than_the_member_holds_is_no_comparison() -> None:
    assert corruption.compare(iter([b"ab\nab"]), iter([b"ab\na"]), 0, 5, 0, 0) is None
