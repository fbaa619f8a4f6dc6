"""exposure/contentstream.py: a file's content read forward once per pass gives, for any ranges in any order, the
bytes evidence.content_pieces gives; ranges asked for in order (a line followed back `keep` bytes at most) cost one
decode of a compressed file, not one per range (the proof of corrupted copies read a file of n members n times)."""

from __future__ import annotations

import gzip
import random
from datetime import datetime
from pathlib import Path

import pytest

from exposure import contentstream
from exposure.contentstream import ContentStream
from exposure.evidence import EvidenceFile, content_pieces


def _gz(tmp_path: Path, rng: random.Random) -> tuple[EvidenceFile, bytes]:
    content = b"".join(bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 3000))) for _ in range(5))
    path = tmp_path / "x.log.gz"
    path.write_bytes(b"".join(gzip.compress(content[i:i + 4000], mtime=0) for i in range(0, len(content), 4000)))
    return EvidenceFile(str(path), str(path), path.stat().st_size, datetime(2024, 1, 1), "gzip", "."), content


@pytest.mark.parametrize("seed", range(20))
def test_any_ranges_give_the_content_pieces_bytes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    ev, content = _gz(tmp_path, rng)
    stream = ContentStream(ev, rng.choice([0, 1, 10, 500]))
    for _ in range(30):
        start, length = rng.randint(-5, len(content) + 5), rng.randint(-1, 2000)
        want = b"".join(content_pieces(ev, start, length))
        assert b"".join(stream.pieces(start, length)) == want == (content[start:start + length]
                                                                     if start >= 0 and length > 0 else b"")
    stream.close()


def test_ranges_in_order_cost_one_decode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members read in order, each from up to `keep` bytes before it, one left half read: one decode from the first
    byte in all (before: content_pieces decoded from it for every range, 50 here)."""
    ev, content = _gz(tmp_path, random.Random(7))
    calls: list[int] = []

    def counted(e: EvidenceFile, start: int, length: int) -> object:
        calls.append(start)
        return content_pieces(e, start, length)

    monkeypatch.setattr(contentstream, "content_pieces", counted)
    stream = ContentStream(ev, 100)
    step = len(content) // 50
    for i in range(50):
        pieces = stream.pieces(max(i * step - 100, 0), step + 100)
        got = next(pieces, b"") if i == 20 else b"".join(pieces)  # one range left half read
        assert content[max(i * step - 100, 0):].startswith(got)
    stream.close()
    assert calls == [0]
