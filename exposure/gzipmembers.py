"""gzip evidence decoded member by member in small steps: every byte that decodes is kept, damage is recorded.

Each member's header is parsed here and its deflate data inflated raw by zlib, primed with the window gzip's own
inflater would hold (zeros before the first member, then what the members before left in it), so a damaged
distance reaching before the member's start decodes to the bytes `zcat` gives instead of stopping. CRC-32 and
ISIZE are checked here: a member that fails its check keeps all its content (recorded as damaged). Undecodable
deflate data is decoded up to the byte that fails (the decoder's state is copied before each step, and the
failing step fed again a byte at a time); the next member header is then searched for (from a little before
the failing byte: a cut member runs into the next one's header) and the members after the damage are read.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from .compressed import RAW_READ, STEP, CrcFailure, Damage, DecodeLog, Gap, Source

FEED = 1 << 16  # compressed bytes handed to zlib per call (small: the size rule sees what was used)
SEARCH_BACK = 1 << 16  # after damage, a member header is looked for from this far before the failing byte
WINDOW = 32768  # deflate's window

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


def content(src: Source, log: DecodeLog) -> Iterator[bytes | Gap]:
    """The content of a gzip file, member after member (see the module's docstring)."""
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
        log.after_end(src, start, src.pos - start, "gzip", "member",
                      None if members else "no gzip member can be found in the file")
        return False
    what = f"{nxt - start} bytes at compressed byte {start} are not gzip data; a member header follows at byte {nxt}"
    log.damages.append(Damage("damaged", log.decoded, what, nxt - start))
    yield Gap(what, clean_start=True)
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
    while pending := src.take(FEED):
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
                   f"early: the file ends inside its compressed data, after {size} content bytes of the member", None))


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
                                  f"at compressed byte {at}: its content is complete but not verified", None))
        return
    want_crc, want_size = struct.unpack("<II", trailer)
    if want_crc != crc and want_size != size & 0xFFFFFFFF:
        # not the bytes compressed, altered in place: the data decoded to another length (a member cut and what
        # followed it inflated as its rest, a damaged length code): content may be lost, how much is unknown
        log.damages.append(Damage("damaged", first, f"{where} fails its CRC-32 check (recorded {want_crc:08x}, "
                                  f"decoded {crc:08x}) and its size check (recorded {want_size} bytes, decoded "
                                  f"{size & 0xFFFFFFFF}): what it decoded to is not what was compressed, content "
                                  "may be lost", None))
        log.crc_failures.append(CrcFailure(member, first, size, want_crc, want_size, crc))
    elif want_crc != crc:
        log.damages.append(Damage("damaged", first, f"{where} fails its CRC-32 check (recorded {want_crc:08x}, "
                                  f"decoded {crc:08x}): its content was decoded in full but holds altered bytes",
                                  0))
        log.crc_failures.append(CrcFailure(member, first, size, want_crc, want_size, crc))
    elif want_size != size & 0xFFFFFFFF:
        log.notes.append(f"{where}: the size in its trailer ({want_size}) is not its size (its CRC-32 matches)")
