"""A file's content read forward once per pass: ranges asked for in (mostly) increasing order are served from one
decode of a compressed file, not a decode from its first byte per range.

The proof of corrupted copies (exposure/corruption.py) reads a range of a damaged file per member and a range of an
intact file per candidate; with `evidence.content_pieces` each read of a compressed file decoded it from its start,
so a file of n members cost n decodes (square in its size). A `ContentStream` keeps one decode running and the
last `keep` bytes it gave: a range that begins at or after them is read on from there, a range that begins
before them (asked for out of order) starts a fresh decode (the same bytes, as `content_pieces` gives them). An
uncompressed file is read where asked (pread), never decoded.
"""

from __future__ import annotations

from collections.abc import Iterator

from .evidence import EvidenceFile, content_pieces

WHOLE = 1 << 62  # "to the content's end"


class ContentStream:
    """The content of one evidence file, read forward (see the module)."""

    def __init__(self, ev: EvidenceFile, keep: int) -> None:
        self.ev, self.keep = ev, keep
        self.decodes = 0  # how many decodes from the first byte were begun (what the pass costs)
        self._source: Iterator[bytes] | None = None
        self._tail, self._tail_start = b"", 0  # the last bytes given, from content offset _tail_start
        self._at = 0  # the content offset the running decode has reached

    def pieces(self, start: int, length: int) -> Iterator[bytes]:
        """The `length` content bytes from `start`, in pieces; fewer where the content ends sooner."""
        if self.ev.compression == "none":
            yield from content_pieces(self.ev, start, length)
            return
        if start < 0 or length <= 0:
            return
        if self._source is None or start < self._tail_start:
            self.close()
            self._source, self._at, self._tail, self._tail_start = content_pieces(self.ev, 0, WHOLE), 0, b"", 0
            self.decodes += 1
        end = start + length
        if start < self._at:  # from the bytes kept
            yield self._tail[start - self._tail_start:end - self._tail_start]
        while self._at < end and (piece := next(self._source, None)) is not None:
            lo = self._at
            self._at += len(piece)
            self._tail = (self._tail + piece)[-(self.keep + len(piece)):]
            self._tail_start = self._at - len(self._tail)
            if self._at > start:
                yield piece[max(start - lo, 0):end - lo]

    def close(self) -> None:
        if self._source is not None:
            self._source.close()  # type: ignore[attr-defined]
            self._source = None
