"""What decoding compressed evidence shares: the compressed file read forward once (`Source`), what is found
(`DecodeLog`: damage with where it is in the content and in the compressed file, bytes skipped, other
findings), a `Gap` where content is lost, and the suspicious-size rule.

The decoders (gzipmembers.py, bzip2blocks.py) decode in small steps and keep every byte that decodes; they
yield content (bytes) and, where content is lost in between, a Gap.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

RAW_READ = 1 << 20  # compressed bytes read from disk per step
STEP = 256 << 10  # content bytes per decompress call: checked (CRC-32) while still in the cache

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


@dataclass(frozen=True)
class CrcFailure:
    """A gzip member that inflated to its end and whose CRC-32 fails: where its content lies in the file's content,
    and what its trailer records. The bytes it was compressed from are proven to be another file's bytes where those
    have its stored CRC-32 and size (exposure/corruption.py)."""

    member: int  # its number in the file (1-based)
    content_start: int  # content bytes decoded before the member
    content_bytes: int  # its content bytes (decoded in full)
    stored_crc: int  # the CRC-32 its trailer records
    stored_size: int  # ISIZE: the size its trailer records (mod 2^32)
    decoded_crc: int  # the CRC-32 of what it decoded to

    def row(self) -> dict[str, int]:
        return {"member": self.member, "content_start": self.content_start, "content_bytes": self.content_bytes,
                "stored_crc": self.stored_crc, "stored_size": self.stored_size, "decoded_crc": self.decoded_crc}


@dataclass
class DecodeLog:
    """What decoding found, filled while it runs."""

    damages: list[Damage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # findings that are not damage (trailing padding ...)
    crc_failures: list[CrcFailure] = field(default_factory=list)  # gzip members decoded whole, CRC-32 failing
    decoded: int = 0  # content bytes yielded
    suspicious: str | None = None
    ended_early: str | None = None  # why the content stops before its end (the last line may be cut there)

    def cut(self, damage: Damage) -> None:
        """Record damage after which the content ends (a truncation)."""
        self.damages.append(damage)
        self.ended_early = damage.detail

    def after_end(self, src: Source, start: int, tail: int, codec: str, unit: str, none_found: str | None) -> None:
        """The `tail` bytes at `start` that begin no `codec` `unit`: damage when the file held none at all
        (`none_found` says how); zero padding after the data is a note (not content); any other bytes there are
        damage: they may be lost lines (a `unit` whose header is destroyed, text appended to the file), which
        no reader can rule out (gzip itself warns and exits 2), so the answer cannot rest on the file whole."""
        if none_found:
            self.damages.append(Damage("damaged", 0, none_found, tail))
        elif src.all_zero(start, tail):
            self.notes.append(f"{tail} zero bytes after the end of the {codec} data (padding): not content")
        else:
            self.damages.append(Damage(
                "damaged", self.decoded, f"{tail} bytes at compressed byte {start}, after the end of the {codec} "
                f"data, are not {codec} data (trailing garbage, or a {unit} whose header is destroyed): not "
                "decoded, whatever lines they held are not in the answer", tail))


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

    def all_zero(self, start: int, n: int) -> bool:
        """The `n` bytes at `start` (read already) are all zero (padding)."""
        at = start
        while at < start + n:
            block = os.pread(self.fd, min(RAW_READ, start + n - at), at)
            if not block or block.strip(b"\0"):
                return False
            at += len(block)
        return True

    def drain(self) -> int:
        """Read (and hash) the rest of the file; the bytes that were left."""
        left = self._ready
        self.pos += left
        self._buf, self._at = b"", 0
        while more := self._more(RAW_READ):
            self.pos += len(more)
            left += len(more)
        return left


def watched(pieces: Iterator[bytes | Gap], src: Source, log: DecodeLog, stop: bool = True
            ) -> Iterator[bytes | Gap]:
    """A decoder's pieces, counted in `log.decoded`, under the suspicious-size rule: with `stop`, decoding stops
    once the content passes it (log.suspicious says so); without, the rule is only recorded."""
    for piece in pieces:
        if isinstance(piece, bytes):
            log.decoded += len(piece)
            if (log.suspicious is None and log.decoded > SUSPICIOUS_MIN
                    and log.decoded > SUSPICIOUS_RATIO * max(src.pos, 1)):
                log.suspicious = (f"decompresses to more than {_size(log.decoded)} from {_size(src.pos)} "
                                  f"(ratio over {log.decoded // max(src.pos, 1)}, limit {SUSPICIOUS_RATIO}): "
                                  "hashed in bounded memory, not parsed")
                if stop:
                    yield piece
                    return
        yield piece
