"""bzip2 blocks found bit by bit, as `bzip2recover` finds them, and decoded one at a time.

A bzip2 stream is `BZh` and a level digit, then blocks, each opening with the 48-bit magic 0x314159265359 (the
digits of pi) and the block's CRC, then the end-of-stream magic 0x177245385090 (sqrt(pi)) and the stream's
combined CRC. Blocks are not byte-aligned. A damaged stream is decoded here block by block: each block found is
wrapped as a stream of its own (a header, the block's bits, an end-of-stream marker carrying the block's CRC)
and decoded alone, so the blocks before and after a damaged one are kept. Only a damaged stream comes here; a
healthy one is decoded by `bz2.BZ2Decompressor` in one go (compressed.py).
"""

from __future__ import annotations

import bz2
from dataclasses import dataclass

BLOCK_MAGIC = (0x314159265359).to_bytes(6, "big")
END_MAGIC = (0x177245385090).to_bytes(6, "big")
MAX_BLOCK_BYTES = 1 << 21  # a block's compressed size is at most about 0.92 MB (900 kB of data, level 9)
SALVAGE_STEP = 1 << 16  # content bytes per call while finding how much of a failing block decodes


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
