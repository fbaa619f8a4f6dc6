"""bzip2 evidence decoded stream by stream; a damaged stream again block by block, blocks found bit by bit as
`bzip2recover` finds them: every block that decodes is kept, damage is recorded.

A bzip2 stream is `BZh` and a level digit, then blocks, each opening with the 48-bit magic 0x314159265359 (the
digits of pi) and the block's CRC, then the end-of-stream magic 0x177245385090 (sqrt(pi)) and the stream's
combined CRC. Blocks are not byte-aligned. A damaged stream is decoded here block by block: each block found is
wrapped as a stream of its own (a header, the block's bits, an end-of-stream marker carrying the block's CRC)
and decoded alone, so the blocks before and after a damaged one are kept. Only a damaged stream comes here; a
healthy one is decoded by `bz2.BZ2Decompressor` in one go.
"""

from __future__ import annotations

import bz2
import os
from collections.abc import Iterator
from dataclasses import dataclass

from .compressed import RAW_READ, STEP, Damage, DecodeLog, Gap, Source

BLOCK_MAGIC = (0x314159265359).to_bytes(6, "big")
END_MAGIC = (0x177245385090).to_bytes(6, "big")
MAX_BLOCK_BYTES = 1 << 21  # a block's compressed size is at most about 0.92 MB (900 kB of data, level 9)
SALVAGE_STEP = 1 << 16  # content bytes per call while finding how much of a failing block decodes
FEED = 1 << 16  # compressed bytes handed to libbz2 per call (it keeps what it has not used)


@dataclass(frozen=True)
class Marker:
    bit: int  # bit position in the data searched (0 = the most significant bit of its first byte)
    end: bool  # the end-of-stream magic (else a block magic)


def find_markers(data: bytes) -> list[Marker]:
    """Every block and end-of-stream magic in `data`, at any bit position, in order.

    Each of the 8 bit alignments is searched as bytes: the data shifted left by k bits, so a magic starting at
    bit 8j + k is a byte string at j. A magic ending in the zero bits shifted in at the end is not counted.
    """
    n = len(data)
    if n < 6:
        return []
    value = int.from_bytes(data, "big")
    mask = (1 << (8 * n)) - 1
    found: list[Marker] = []
    for k in range(8):
        shifted = ((value << k) & mask).to_bytes(n, "big")
        for magic, end in ((BLOCK_MAGIC, False), (END_MAGIC, True)):
            at = shifted.find(magic)
            while at >= 0:
                bit = 8 * at + k
                if bit + 48 <= 8 * n:
                    found.append(Marker(bit, end))
                at = shifted.find(magic, at + 1)
    return sorted(found, key=lambda m: m.bit)


def bits_of(data: bytes, first: int, last: int) -> tuple[int, int]:
    """The bits [first, last) of `data` as an integer, and how many there are."""
    lo, hi = first // 8, (last + 7) // 8
    value = int.from_bytes(data[lo:hi], "big")
    value >>= 8 * hi - last
    nbits = last - first
    return value & ((1 << nbits) - 1), nbits


def block_stream(block: int, nbits: int) -> bytes:
    """A one-block bzip2 stream around a block's bits (from its magic up to the next marker): the combined CRC
    of a one-block stream is the block's own CRC, the 32 bits after its magic."""
    crc = (block >> (nbits - 80)) & 0xFFFFFFFF
    value = (((block << 48) | int.from_bytes(END_MAGIC, "big")) << 32) | crc
    total = nbits + 80
    pad = -total % 8
    return b"BZh9" + (value << pad).to_bytes((total + pad) // 8, "big")  # level 9: room for any block


@dataclass(frozen=True)
class Decoded:
    content: bytes
    error: str | None  # None: decoded in full and its CRC matched


def decode_block(stream: bytes) -> Decoded:
    """Decode a one-block stream; when it fails, as much of its content as libbz2 gives out before the failure.

    libbz2 checks a block's CRC only after writing its content out, and Python drops the output of the call that
    fails: so the content is taken again in steps, the last step one byte at a time, losing at most the block's
    final byte (the one whose call meets the check)."""
    try:
        d = bz2.BZ2Decompressor()
        content = d.decompress(stream)
        if d.eof:
            return Decoded(content, None)
        return Decoded(content, "the block ends before its data does")
    except (OSError, EOFError) as exc:
        error = str(exc) or type(exc).__name__
    good = _decodable(stream, SALVAGE_STEP, 0)
    return Decoded(_decodable(stream, 1, len(good)), error)


def _decodable(stream: bytes, step: int, first: int) -> bytes:
    """The content a fresh decoder gives out before it fails: `first` bytes in one call (known to decode without
    failing), then `step` bytes per call."""
    d = bz2.BZ2Decompressor()
    parts: list[bytes] = []
    try:
        parts.append(d.decompress(stream, first or step))
        while not d.eof:
            more = d.decompress(b"", step)
            if not more:
                break
            parts.append(more)
    except (OSError, EOFError):
        pass
    return b"".join(parts)


def content(src: Source, log: DecodeLog) -> Iterator[bytes | Gap]:
    """The content of a bzip2 file, stream after stream (see the module's docstring)."""
    stream = 0
    while not src.at_end():
        start = src.pos
        head = src.peek(4)
        if head[:3] != b"BZh" or not head[3:4].isdigit() or head[3:4] == b"0":
            log.after_end(src, start, src.drain(), "bzip2", "stream",
                          None if stream else "no bzip2 stream header at byte 0")
            return
        stream += 1
        d = bz2.BZ2Decompressor()
        first = log.decoded
        try:
            while not d.eof:
                data = src.take(FEED) if d.needs_input else b""
                if d.needs_input and not data:
                    _bzip2_truncated(src, log, stream, start)
                    return
                out = d.decompress(data, STEP)
                if out:
                    yield out
        except (OSError, EOFError):
            end = yield from _bzip2_blocks(src, log, stream, start, log.decoded - first)
            if end is None:
                return
            src.seek(end)
            continue
        src.give_back(d.unused_data)


def _bzip2_truncated(src: Source, log: DecodeLog, stream: int, start: int) -> None:
    """The file ends inside a stream: its last block, incomplete, cannot be decoded (a block decodes whole)."""
    end = src.pos
    first = max(start, end - 2 * MAX_BLOCK_BYTES)
    blocks = [m for m in find_markers(os.pread(src.fd, end - first, first)) if not m.end]
    what = f"bzip2 stream {stream} (header at compressed byte {start}) ends early"
    lost: int | None = None
    if blocks:
        at = 8 * first + blocks[-1].bit
        what += (f": its last block, from compressed bit {at} (byte {at // 8}), is incomplete and cannot be "
                 "decoded")
        lost = end - at // 8
    log.cut(Damage("truncated", log.decoded, what, lost))


class _Markers:
    """The block and end-of-stream markers of a bzip2 stream, found as the file is read forward, with the bytes
    from the oldest bit still wanted (file-wide bit positions)."""

    def __init__(self, src: Source, first_byte: int) -> None:
        src.seek(first_byte)
        self._src = src
        self._data = b""
        self._at = first_byte  # file offset of _data[0]
        self._found: list[Marker] = []
        self.ended = False

    @property
    def end_bit(self) -> int:
        return 8 * (self._at + len(self._data))

    def next(self, bit: int, limit: int | None = None) -> Marker | None:
        """The first marker at or after `bit` and, with `limit`, before it; None when there is none."""
        while True:
            for m in self._found:
                if m.bit >= bit:
                    return m if limit is None or m.bit < limit else None
            if limit is not None and self.end_bit >= limit + 48:
                return None
            if limit is None:  # nothing before `bit` is wanted any more: memory stays flat through garbage
                self.forget(min(bit, self.end_bit - 48))
            more = self._src.take(RAW_READ)
            if not more:
                self.ended = True
                return None
            old = len(self._data)
            self._data += more
            lo = max(old - 6, 0)  # a marker that starts in the last 6 old bytes may end in the new ones
            for m in find_markers(self._data[lo:]):
                at = 8 * (self._at + lo) + m.bit
                if at + 48 > 8 * (self._at + old):
                    self._found.append(Marker(at, m.end))

    def bits(self, first: int, last: int) -> tuple[int, int]:
        return bits_of(self._data, first - 8 * self._at, last - 8 * self._at)

    def forget(self, bit: int) -> None:
        """Drop the bytes and markers before `bit`."""
        drop = max(bit // 8 - self._at, 0)
        self._data, self._at = self._data[drop:], self._at + drop
        self._found = [m for m in self._found if m.bit >= bit]


def _bzip2_blocks(src: Source, log: DecodeLog, stream: int, start: int, skip: int) -> Iterator[bytes | Gap]:
    """Decode the stream at `start` again block by block, giving out only what follows the first `skip` content
    bytes (given out already). Returns the offset after the stream's end marker, or None at the end of the file.
    """
    marks = _Markers(src, start + 4)
    stream_first = log.decoded - skip  # content offset of the stream's first byte
    name = f"bzip2 stream {stream} (header at compressed byte {start})"
    bit = 8 * (start + 4)
    block = done = 0
    while True:
        here = marks.next(bit)
        if here is None or here.bit > bit:  # bits that hold no marker: nothing in them can be decoded
            last = here.bit if here is not None else marks.end_bit
            if last > bit or here is None:
                kind = "truncated" if here is None else "damaged"
                what = (f"{name}: compressed bits {bit}-{last} (bytes {bit // 8}-{last // 8}) hold no block that "
                        "can be found" + (", and the file ends without the stream's end marker"
                                          if here is None else ""))
                (log.cut if here is None else log.damages.append)(Damage(kind, log.decoded, what, (last - bit) // 8))
                yield Gap(what, clean_start=False)
            if here is None:
                return None
        if here.end:
            return (here.bit + 80 + 7) // 8  # the end marker, the stream's CRC, padding to a byte
        after = marks.next(here.bit + 48, here.bit + 8 * MAX_BLOCK_BYTES)
        stop = after.bit if after is not None else min(marks.end_bit, here.bit + 8 * MAX_BLOCK_BYTES)
        block += 1
        bits, nbits = marks.bits(here.bit, stop)
        decoded = (decode_block(block_stream(bits, nbits)) if nbits > 80
                   else Decoded(b"", "the block is cut off"))
        new = decoded.content[max(skip - done, 0):]
        block_first = stream_first + done
        done += len(decoded.content)
        if new:
            yield new
        ends_file = after is None and marks.ended  # the file ends in this block or right after it
        where = f"{name}, block {block} at compressed bit {here.bit} (byte {here.bit // 8})"
        if decoded.error is not None:
            what = (f"{where}: " + ("the file ends inside it" if ends_file else decoded.error)
                    + (f"; {len(decoded.content)} content bytes decoded from it may hold altered bytes and its end "
                       "is lost" if decoded.content else "; nothing in it can be decoded"))
            (log.cut if ends_file else log.damages.append)(Damage("truncated" if ends_file else "damaged",
                                                                  block_first, what,
                                                                  # its end is lost: how much, not known
                                                                  None if decoded.content else (stop - here.bit) // 8))
            yield Gap(what, clean_start=False)
        elif ends_file:
            log.cut(Damage("truncated", log.decoded, f"{name} ends after {where} without its end marker", None))
        if ends_file:
            return None
        bit = stop
