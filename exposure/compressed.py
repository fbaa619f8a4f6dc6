"""Compressed evidence decoded in small steps: every byte that decodes is kept, damage is located and recorded.

gzip: each member's header is parsed here and its deflate data inflated raw by zlib, primed with the window
gzip's own inflater would hold (zeros before the first member, then what the members before left in it), so
a damaged distance reaching before the member's start decodes to the bytes `zcat` gives instead of stopping;
CRC-32 and ISIZE are checked here, so a member that fails its check keeps all its content (recorded as
damaged). Undecodable deflate data is decoded up to the byte that fails (the
decoder's state is copied before each step, and the failing step fed again a byte at a time); the next
member header is then searched for and the members after the damage are recovered.
bzip2: decoded by libbz2 while healthy; a stream that fails is decoded again block by block (bzip2blocks.py),
so blocks before and after a damaged block are kept, and the damaged block gives what decodes before its
check fails.

What is yielded is content (bytes) and, where content is lost in between, a `Gap`. `DecodeLog` collects the
damage (where in the content, what and where in the compressed file, bytes skipped) and other findings.
"""

from __future__ import annotations

import bz2
import hashlib
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from . import bzip2blocks

RAW_READ = 1 << 20  # compressed bytes read from disk per step
GZIP_FEED = 1 << 16  # compressed bytes handed to zlib per call (small: the size rule sees what was used)
BZIP2_FEED = 1 << 16  # compressed bytes handed to libbz2 per call (it keeps what it has not used)
STEP = 256 << 10  # content bytes per decompress call: checked (CRC-32) while still in the cache
SEARCH_BACK = 1 << 16  # after damage, a member header is looked for from this far before the failing byte
WINDOW = 32768  # deflate's window

# Content more than SUSPICIOUS_RATIO times the compressed bytes it came from, once past SUSPICIOUS_MIN bytes, is
# not parsed (README, "Reading evidence"): real logs compress 5-40 times (gzip; a health-check log repeating one
# line ten times a second about 200 times, bzip2 230), a zero-filled bomb about 1,000 (gzip) or far more (bzip2).
SUSPICIOUS_RATIO = 500
SUSPICIOUS_MIN = 64 << 20


@dataclass(frozen=True)
class Gap:
    """Content lost between the content before it and the content after it."""

    detail: str
    clean_start: bool  # what follows starts where a writer started (a gzip member), not somewhere in a line


@dataclass(frozen=True)
class Damage:
    kind: str  # damaged | truncated
    content_offset: int  # content bytes decoded before the damage
    detail: str  # what, and where in the compressed file
    lost_bytes: int | None  # compressed bytes that gave no content (None: not known)


@dataclass
class DecodeLog:
    """What decoding found, filled while it runs."""

    damages: list[Damage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # findings that are not damage (trailing padding ...)
    decoded: int = 0  # content bytes yielded
    suspicious: str | None = None
    ended_early: str | None = None  # why the content stops before its end (the last line may be cut there)

    def cut(self, damage: Damage) -> None:
        """Record damage after which the content ends (a truncation)."""
        self.damages.append(damage)
        self.ended_early = damage.detail


def _size(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g} {unit}"
    return f"{n} bytes"


class Source:
    """A compressed file read forward once and hashed as it is read. Recovery may step back over bytes already
    read: those are read again by position (os.pread) and not hashed twice; stepping forward reads and hashes
    the bytes skipped."""

    def __init__(self, fh: BinaryIO, digest: hashlib._Hash) -> None:
        self._fh = fh
        self.fd = fh.fileno()
        self._digest = digest
        self.read_to = 0  # bytes read (and hashed) from the start of the file
        self._buf = b""
        self._at = 0  # index in _buf of the first byte not yet taken (taking copies only what it takes)
        self.pos = 0  # file offset of that byte

    def _more(self, n: int) -> bytes:
        at = self.pos + self._ready
        if at < self.read_to:
            return os.pread(self.fd, min(n, self.read_to - at), at)
        while self.read_to < at:  # skipping forward: the skipped bytes are still hashed
            skipped = self._fh.read(min(RAW_READ, at - self.read_to))
            if not skipped:
                return b""
            self._digest.update(skipped)
            self.read_to += len(skipped)
        data = self._fh.read(n)
        self._digest.update(data)
        self.read_to += len(data)
        return data

    @property
    def _ready(self) -> int:
        return len(self._buf) - self._at

    def fill(self, n: int) -> bool:
        """At least `n` bytes ready to take (False: the file ends sooner; what there is stays ready)."""
        while self._ready < n:
            more = self._more(max(RAW_READ, n - self._ready))
            if not more:
                return False
            self._buf, self._at = self._buf[self._at:] + more, 0
        return True

    def peek(self, n: int) -> bytes:
        self.fill(n)
        return self._buf[self._at:self._at + n]

    def take(self, n: int) -> bytes:
        """Up to `n` bytes (fewer only at the end of the file)."""
        if not self._ready:
            self.fill(1)
        data = self._buf[self._at:self._at + n]
        self._at += len(data)
        self.pos += len(data)
        return data

    def give_back(self, data: bytes) -> None:
        """Bytes taken but not used (after the end of a member or stream): the last ones taken."""
        if data:
            self.seek(self.pos - len(data))

    def seek(self, offset: int) -> None:
        start = self.pos - self._at  # file offset of _buf[0]
        if start <= offset <= start + len(self._buf):
            self._at = offset - start
        else:
            self._buf, self._at = b"", 0
        self.pos = offset

    def at_end(self) -> bool:
        return not self.fill(1)

    def drain(self) -> int:
        """Read (and hash) the rest of the file; the bytes that were left."""
        left = self._ready
        self.pos += left
        self._buf, self._at = b"", 0
        while more := self._more(RAW_READ):
            self.pos += len(more)
            left += len(more)
        return left


def content(src: Source, compression: str, log: DecodeLog, watch_size: bool = True) -> Iterator[bytes | Gap]:
    """The content of a gzip or bzip2 file: bytes, and a Gap where content is lost.

    With `watch_size`, decoding stops once the content passes the suspicious-size rule (log.suspicious says
    so); without it the rule is only recorded."""
    pieces = _gzip(src, log) if compression == "gzip" else _bzip2(src, log)
    for piece in pieces:
        if isinstance(piece, bytes):
            log.decoded += len(piece)
            if (log.suspicious is None and log.decoded > SUSPICIOUS_MIN
                    and log.decoded > SUSPICIOUS_RATIO * max(src.pos, 1)):
                log.suspicious = (f"decompresses to more than {_size(log.decoded)} from {_size(src.pos)} "
                                  f"(ratio over {log.decoded // max(src.pos, 1)}, limit {SUSPICIOUS_RATIO}): "
                                  "hashed in bounded memory, not parsed")
                if watch_size:
                    yield piece
                    return
        yield piece


# -- gzip -----------------------------------------------------------------------------------------------------
MAGIC = b"\x1f\x8b\x08"  # ID1 ID2 and CM = 8 (deflate)
FHCRC, FEXTRA, FNAME, FCOMMENT = 2, 4, 8, 16


@dataclass(frozen=True)
class _Header:
    length: int  # -1: the file ends inside it
    problem: str | None = None  # a header that parses but is wrong (its own CRC-16)


def _header(src: Source, strict: bool) -> _Header | None:
    """The gzip member header at src.pos (nothing taken), or None when there is none. `strict` (when searching
    after damage) also wants a known XFL and OS byte, so that a few random bytes are not taken for a header."""
    head = src.peek(10)
    if len(head) < 10:
        return _Header(-1) if head and not strict and MAGIC.startswith(head[:3]) else None
    flags = head[3]
    if head[:3] != MAGIC or flags & 0xE0:
        return None
    if strict and (head[8] not in (0, 2, 4) or not (head[9] <= 13 or head[9] == 255)):
        return None
    n = 10
    if flags & FEXTRA:
        extra = src.peek(n + 2)
        if len(extra) < n + 2:
            return _Header(-1)
        n += 2 + struct.unpack("<H", extra[n:n + 2])[0]
    for flag in (FNAME, FCOMMENT):
        if flags & flag:
            while True:
                text = src.peek(n + 4096)
                end = text.find(b"\0", n)
                if end >= 0:
                    n = end + 1
                    break
                if len(text) < n + 4096:
                    return None if strict else _Header(-1)
                if strict and len(text) > 1 << 16:
                    return None
                n = len(text)
    problem = None
    if flags & FHCRC:
        whole = src.peek(n + 2)
        if len(whole) < n + 2:
            return None if strict else _Header(-1)
        if struct.unpack("<H", whole[n:n + 2])[0] != zlib.crc32(whole[:n]) & 0xFFFF:
            problem = "its header fails its CRC-16"
        n += 2
    if len(src.peek(n)) < n:
        return None if strict else _Header(-1)
    return _Header(n, problem)


class _Window:
    """The 32 KiB window gzip's inflater (gzip 1.x, inflate.c) keeps from member to member: each content byte
    at member position p lands at p mod 32768, and a distance reaching before a member's start wraps into what
    the members before left there."""

    def __init__(self) -> None:
        self.slots = bytearray(WINDOW)
        self.tail = b""  # the last bytes of the member being decoded (at most WINDOW)
        self.size = 0  # content bytes of that member so far

    def add(self, out: bytes) -> None:
        self.tail = (self.tail + out)[-WINDOW:] if len(out) < WINDOW else out  # cut to WINDOW at the end
        self.size += len(out)

    def member_done(self) -> None:
        self.tail = self.tail[-WINDOW:]
        first = (self.size - len(self.tail)) % WINDOW
        cut = min(WINDOW - first, len(self.tail))
        self.slots[first:first + cut] = self.tail[:cut]
        self.slots[:len(self.tail) - cut] = self.tail[cut:]
        self.tail, self.size = b"", 0


def _gzip(src: Source, log: DecodeLog) -> Iterator[bytes | Gap]:
    member = 0
    window = _Window()
    while not src.at_end():
        start = src.pos
        header = _header(src, strict=False)
        if header is None:  # not a member: padding or garbage at the end, or damage with members after it
            if not (yield from _after_garbage(src, log, start, member)):
                return
            continue
        member += 1
        if header.length < 0:
            left = src.drain()
            log.cut(Damage("truncated", log.decoded, f"gzip member {member} at compressed byte {start}: the file "
                           "ends inside its header", left))
            return
        if header.problem:
            log.notes.append(f"gzip member {member} at compressed byte {start}: {header.problem}")
        src.take(header.length)
        for piece in _member(src, log, member, start, bytes(window.slots)):
            if isinstance(piece, bytes):
                window.add(piece)
            yield piece
        window.member_done()


def _after_garbage(src: Source, log: DecodeLog, start: int, members: int) -> Iterator[Gap]:
    """Bytes at `start` that do not start a member. True when a member header follows them."""
    nxt = _find_member(src, start + 1)
    if nxt is None:
        tail = src.pos - start
        if not members:
            log.damages.append(Damage("damaged", 0, "no gzip member can be found in the file", tail))
        elif _all_zero(src, start, tail):
            log.notes.append(f"{tail} zero bytes after the end of the gzip data (padding): not content")
        else:
            log.notes.append(f"{tail} bytes after the end of the gzip data are not gzip data (trailing garbage, "
                             "or a member whose header is destroyed): not decoded")
        return False
    what = f"{nxt - start} bytes at compressed byte {start} are not gzip data; a member header follows at byte {nxt}"
    log.damages.append(Damage("damaged", log.decoded, what, nxt - start))
    yield Gap(what, clean_start=True)
    return True


def _all_zero(src: Source, start: int, n: int) -> bool:
    at = start
    while at < start + n:
        block = os.pread(src.fd, min(RAW_READ, start + n - at), at)
        if not block or block.strip(b"\0"):
            return False
        at += len(block)
    return True


def _find_member(src: Source, first: int) -> int | None:
    """The offset of the next (strict) member header at or after `first`, src left there; None: src at the end."""
    src.seek(first)
    while src.fill(10):
        window = src.peek(RAW_READ)
        at = window.find(MAGIC)
        if at < 0:
            src.take(max(len(window) - 2, 1))  # the last two bytes may begin a header
            continue
        src.take(at)
        if _header(src, strict=True) is not None:
            return src.pos
        src.take(1)
    src.drain()
    return None


def _member(src: Source, log: DecodeLog, member: int, start: int, window: bytes) -> Iterator[bytes | Gap]:
    """Inflate one member whose header has been taken, check its trailer, recover after damage."""
    d = zlib.decompressobj(-15, zdict=window)
    data_start = src.pos
    first = log.decoded
    crc = size = 0
    while pending := src.take(GZIP_FEED):
        base = src.pos - len(pending)  # compressed offset of pending[0]
        while pending:
            saved = d.copy()  # the state before this step, to feed it again in small steps if it fails
            try:
                out = d.decompress(pending, STEP)
            except zlib.error as exc:
                pieces, bad = _salvage(saved, pending)
                for out in pieces:
                    crc, size = zlib.crc32(out, crc), size + len(out)
                    yield out
                yield from _after_damage(src, log, member, start, data_start, base + bad, size, str(exc))
                return
            if out:
                crc, size = zlib.crc32(out, crc), size + len(out)
                yield out
            if d.eof:
                src.give_back(d.unused_data)
                _trailer(src, log, member, start, crc, size, first)
                return
            base += len(pending) - len(d.unconsumed_tail)
            pending = d.unconsumed_tail
    tail = d.flush()
    if tail:
        crc, size = zlib.crc32(tail, crc), size + len(tail)
        yield tail
    log.cut(Damage("truncated", log.decoded, f"gzip member {member} (header at compressed byte {start}) ends "
                   f"early: the file ends inside its compressed data, after {size} content bytes of the member", 0))


def _salvage(d: zlib._Decompress, data: bytes) -> tuple[list[bytes], int]:
    """Feed `data` again from the state before the step that failed, in small steps: the content up to the
    undecodable byte, and that byte's index in `data`."""
    out: list[bytes] = []
    pos = 0
    for step in (4096, 1):
        while pos < len(data):
            before = d.copy()
            piece = data[pos:pos + step]
            got: list[bytes] = []
            try:
                while piece:
                    got.append(d.decompress(piece, STEP))
                    piece = d.unconsumed_tail
            except zlib.error:
                if step == 1:
                    return out, pos
                d = before
                break
            out += got
            pos += len(data[pos:pos + step])
    return out, len(data)


def _after_damage(src: Source, log: DecodeLog, member: int, start: int, data_start: int, bad: int, size: int,
                  message: str) -> Iterator[Gap]:
    """Record undecodable deflate data at compressed byte `bad`; carry on from the next member header."""
    nxt = _find_member(src, max(data_start + 1, bad - SEARCH_BACK))
    what = (f"gzip member {member} (header at compressed byte {start}): undecodable compressed data at byte "
            f"{bad} ({message.split(': ', 1)[-1]}) after {size} content bytes of the member; "
            + (f"recovered from the next member header at byte {nxt}" if nxt is not None
               else "no member header after it"))
    end = nxt if nxt is not None else src.pos
    log.damages.append(Damage("damaged", log.decoded, what, max(end - bad, 0)))
    yield Gap(what, clean_start=True)


def _trailer(src: Source, log: DecodeLog, member: int, start: int, crc: int, size: int, first: int) -> None:
    at = src.pos
    trailer = src.take(8)
    where = f"gzip member {member} (header at compressed byte {start}; content bytes {first}-{first + size})"
    if len(trailer) < 8:
        log.damages.append(Damage("truncated", log.decoded, f"{where}: the file ends inside its CRC/size trailer "
                                  f"at compressed byte {at}: its content is complete but not verified", 0))
        return
    want_crc, want_size = struct.unpack("<II", trailer)
    if want_crc != crc:
        log.damages.append(Damage("damaged", first, f"{where} fails its CRC-32 check (recorded {want_crc:08x}, "
                                  f"decoded {crc:08x}): its content was decoded in full but holds altered bytes",
                                  0))
    elif want_size != size & 0xFFFFFFFF:
        log.notes.append(f"{where}: the size in its trailer ({want_size}) is not its size (its CRC-32 matches)")


# -- bzip2 ----------------------------------------------------------------------------------------------------
def _bzip2(src: Source, log: DecodeLog) -> Iterator[bytes | Gap]:
    stream = 0
    while not src.at_end():
        start = src.pos
        head = src.peek(4)
        if head[:3] != b"BZh" or not head[3:4].isdigit() or head[3:4] == b"0":
            tail = src.drain()
            if not stream:
                log.damages.append(Damage("damaged", 0, "no bzip2 stream header at byte 0", tail))
            elif _all_zero(src, start, tail):
                log.notes.append(f"{tail} zero bytes after the end of the bzip2 data (padding): not content")
            else:
                log.notes.append(f"{tail} bytes after the end of the bzip2 data are not bzip2 data "
                                 "(trailing garbage, or a stream whose header is destroyed): not decoded")
            return
        stream += 1
        d = bz2.BZ2Decompressor()
        first = log.decoded
        try:
            while not d.eof:
                data = src.take(BZIP2_FEED) if d.needs_input else b""
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
    first = max(start, end - 2 * bzip2blocks.MAX_BLOCK_BYTES)
    blocks = [m for m in bzip2blocks.find_markers(os.pread(src.fd, end - first, first)) if not m.end]
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
        self._found: list[bzip2blocks.Marker] = []
        self.ended = False

    @property
    def end_bit(self) -> int:
        return 8 * (self._at + len(self._data))

    def next(self, bit: int, limit: int | None = None) -> bzip2blocks.Marker | None:
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
            for m in bzip2blocks.find_markers(self._data[lo:]):
                at = 8 * (self._at + lo) + m.bit
                if at + 48 > 8 * (self._at + old):
                    self._found.append(bzip2blocks.Marker(at, m.end))

    def bits(self, first: int, last: int) -> tuple[int, int]:
        return bzip2blocks.bits_of(self._data, first - 8 * self._at, last - 8 * self._at)

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
        after = marks.next(here.bit + 48, here.bit + 8 * bzip2blocks.MAX_BLOCK_BYTES)
        stop = after.bit if after is not None else min(marks.end_bit, here.bit + 8 * bzip2blocks.MAX_BLOCK_BYTES)
        block += 1
        bits, nbits = marks.bits(here.bit, stop)
        decoded = (bzip2blocks.decode_block(bzip2blocks.block_stream(bits, nbits)) if nbits > 80
                   else bzip2blocks.Decoded(b"", "the block is cut off"))
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
                                                                  0 if decoded.content else (stop - here.bit) // 8))
            yield Gap(what, clean_start=False)
        elif ends_file:
            log.cut(Damage("truncated", log.decoded, f"{name} ends after {where} without its end marker", 0))
        if ends_file:
            return None
        bit = stop
