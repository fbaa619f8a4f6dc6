"""Evidence files: finding them, opening them read-only, hashing them, and splitting them into lines.

Lines are split on b"\\n" exactly (numpy over large blocks), so line numbers and byte offsets are exact and
independent of any CSV dialect: DuckDB's CSV reader treats a lone "\\r" as a line end and turns blank
lines into NULL rows, which would break the accounting `lines = requests + rejected + skipped`.
The bytes on disk and the decompressed content are hashed in the same pass that feeds the parser.
"""

from __future__ import annotations

import bz2
import hashlib
import os
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa

from .errors import InputError

BLOCK_SIZE = 32 << 20  # 32 MiB of content per parse chunk: large enough to vectorise, small enough for flat memory
SNIFF_BYTES = 256 << 10


@dataclass(frozen=True)
class EvidenceFile:
    """One input file as found on disk (before it is read)."""

    path: str  # as given or as found under a given directory
    abs_path: str
    size_bytes: int
    mtime: datetime  # UTC, naive
    compression: str  # none | gzip | bzip2
    server: str  # label used for gaps: the parent folder relative to the input root


@dataclass
class LineChunk:
    """A block of consecutive lines: `lines` has no trailing newline; offsets are into the content."""

    first_line_no: int
    line_no: np.ndarray
    byte_offset: np.ndarray
    lines: pa.Array  # large_string (valid UTF-8, invalid bytes replaced by U+FFFD)
    bad_utf8: np.ndarray | None  # bool per line where the chunk had invalid UTF-8, else None


@dataclass
class ReadStats:
    """Filled while a file is read: the hashes and the exact line count."""

    sha256: str = ""
    content_sha256: str = ""
    lines: int = 0
    content_bytes: int = 0
    final_newline: bool = True
    errors: list[str] = field(default_factory=list)


def _compression_of(head: bytes) -> str:
    # magic, deflate method and no reserved flag bits: two stray bytes 1f 8b alone do not make an archive
    if head.startswith(b"\x1f\x8b\x08") and len(head) > 3 and not head[3] & 0xE0:
        return "gzip"
    if head.startswith(b"BZh") and len(head) > 3 and head[3:4].isdigit():
        return "bzip2"
    return "none"


def describe(path: Path, shown: str, root: Path | None) -> EvidenceFile:
    """Stat one file and identify its compression from its magic bytes (never from its name)."""
    st = path.stat()
    with open(path, "rb") as fh:
        head = fh.read(4)
    if root is not None:
        rel_parent = path.parent.relative_to(root)
        server = str(rel_parent) if str(rel_parent) != "." else root.name
    else:
        server = path.parent.name or "."
    return EvidenceFile(
        path=shown,
        abs_path=str(path.resolve()),
        size_bytes=st.st_size,
        mtime=datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None),
        compression=_compression_of(head),
        server=server,
    )


def discover(inputs: list[str | os.PathLike[str]]) -> list[tuple[EvidenceFile, bool]]:
    """Expand files and directories (recursively, in sorted order) into evidence files.

    Returns (file, explicitly_named) pairs. Raises InputError for a path that does not exist or cannot be read.
    """
    found: list[tuple[EvidenceFile, bool]] = []
    seen: set[str] = set()
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise InputError(f"no such file or directory: {item}")
        if p.is_dir():
            files = sorted(q for q in p.rglob("*") if q.is_file() and not q.is_symlink() or _is_file_link(q))
            for q in files:
                if not os.access(q, os.R_OK):
                    raise InputError(f"cannot read {q}")
                ev = describe(q, str(q), p)
                if ev.abs_path not in seen:
                    seen.add(ev.abs_path)
                    found.append((ev, False))
        elif p.is_file():
            if not os.access(p, os.R_OK):
                raise InputError(f"cannot read {item}")
            ev = describe(p, str(item), None)
            if ev.abs_path not in seen:
                seen.add(ev.abs_path)
                found.append((ev, True))
        else:
            raise InputError(f"not a regular file or directory: {item}")
    return found


def _is_file_link(q: Path) -> bool:
    try:
        return q.is_symlink() and stat.S_ISREG(q.stat().st_mode)
    except OSError:
        return False


class _HashingReader:
    """Reads the raw file once: hashes the bytes on disk while a decompressor reads through it."""

    def __init__(self, fh: BinaryIO, digest: hashlib._Hash) -> None:
        self._fh = fh
        self._digest = digest

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self._digest.update(data)
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:  # the owner closes the real file
        pass


RAW_READ = 1 << 20
_MAGIC = {"gzip": b"\x1f\x8b", "bzip2": b"BZh"}


def _new_decompressor(compression: str) -> Any:
    return zlib.decompressobj(31) if compression == "gzip" else bz2.BZ2Decompressor()


def _inflate(raw: BinaryIO, compression: str, errors: list[str], limit: int) -> Iterator[bytes]:
    """Decompressed pieces (each at most `limit` bytes) of a gzip or bzip2 stream, members one after another.

    Written against zlib/bz2 directly because gzip.GzipFile and bz2.BZ2File drop everything decoded in a
    read() call that meets damage: a truncated archive would lose up to a whole block of readable lines.
    Here every byte that decodes is kept; damage, truncation and trailing bytes are recorded in `errors`.
    """
    magic = _MAGIC[compression]
    d: Any = None
    members = 0
    pending = b""
    while True:
        if not pending and (d is None or compression == "gzip" or d.needs_input):
            pending = raw.read(RAW_READ)
            if not pending:
                break
        if d is None:
            if members and not pending.startswith(magic):
                trailing, nonzero = len(pending), bool(pending.strip(b"\0"))
                for more in iter(lambda: raw.read(RAW_READ), b""):
                    trailing += len(more)
                    nonzero = nonzero or bool(more.strip(b"\0"))
                if nonzero:
                    errors.append(f"{trailing} bytes after the end of the {compression} stream are not content")
                return
            d = _new_decompressor(compression)
            members += 1
        try:
            out = d.decompress(pending, limit)
        except (zlib.error, OSError, EOFError) as exc:
            errors.append(f"content ends early ({compression} stream damaged: {exc})")
            return
        pending = d.unconsumed_tail if compression == "gzip" else b""
        if out:
            yield out
        if d.eof:
            pending = d.unused_data + pending
            d = None
    if d is not None:
        if compression == "gzip":
            tail = d.flush()
            if tail:
                yield tail
        errors.append(f"content ends early ({compression} stream damaged: compressed data ends before "
                      "the end-of-stream marker)")


def _content_blocks(raw: BinaryIO, compression: str, errors: list[str], block_size: int) -> Iterator[bytes]:
    """The content in blocks of about `block_size` bytes (the last may be shorter)."""
    if compression == "none":
        yield from iter(lambda: raw.read(block_size), b"")
        return
    parts: list[bytes] = []
    have = 0
    for piece in _inflate(raw, compression, errors, block_size):
        parts.append(piece)
        have += len(piece)
        if have >= block_size:
            yield b"".join(parts)
            parts, have = [], 0
    if parts:
        yield b"".join(parts)


def sniff(ev: EvidenceFile, n_bytes: int = SNIFF_BYTES) -> bytes:
    """The first bytes of the (decompressed) content, for format detection. Truncated archives give what they can."""
    with open(ev.abs_path, "rb") as fh:
        out = bytearray()
        for block in _content_blocks(fh, ev.compression, [], n_bytes):  # type: ignore[arg-type]
            out += block
            if len(out) >= n_bytes:
                break
    return bytes(out[:n_bytes])


def _to_strings(buf: memoryview | bytes, offsets: np.ndarray) -> tuple[pa.Array, np.ndarray | None]:
    """Lines as an Arrow string array over `buf` (no copy: each slot runs to the next line's start, so it
    holds its terminator); invalid UTF-8 is replaced (U+FFFD) and flagged per line."""
    n = len(offsets) - 1
    binary = pa.LargeBinaryArray.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)])
    try:
        return binary.cast(pa.large_string()), None
    except pa.ArrowInvalid:
        pass
    # Only lines holding a byte >= 0x80 can be invalid: decode those in Python (rare in access logs), copy the
    # rest of the buffer as it is, and shift the offsets by what each replacement added.
    arr = np.frombuffer(buf, dtype=np.uint8)
    high = np.concatenate(([0], np.cumsum(arr >= 0x80, dtype=np.int64)))
    candidates = np.flatnonzero(high[offsets[1:]] - high[offsets[:-1]] > 0)
    bad = np.zeros(n, dtype=bool)
    growth = np.zeros(n + 1, dtype=np.int64)
    pieces: list[bytes] = []
    pos = 0
    for i in candidates.tolist():
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        line = bytes(buf[lo:hi])
        try:
            line.decode("utf-8")
            continue
        except UnicodeDecodeError:
            fixed = line.decode("utf-8", errors="replace").encode("utf-8")
        bad[i] = True
        pieces += [buf[pos:lo], fixed]
        pos = hi
        growth[i + 1] = len(fixed) - (hi - lo)
    pieces.append(buf[pos:int(offsets[-1])])
    new_offsets = offsets + np.cumsum(growth)
    fixed_buf = b"".join(pieces)
    strings = pa.LargeStringArray.from_buffers(n, pa.py_buffer(new_offsets), pa.py_buffer(fixed_buf))
    strings.validate(full=True)
    return strings, bad


def line_texts(lines: pa.Array) -> pa.Array:
    """The lines without their terminator (exactly one "\\n" or "\\r\\n": a further "\\r" is content), as
    an Arrow string_view array over the same buffer: no byte is copied, only the 16-byte views are built.

    A view holds the length, then the string itself when it is at most 12 bytes, else its first 4 bytes, a
    buffer index and an offset. The first 4 bytes of every line are gathered at once through an unaligned
    int32 view of the buffer; the few short lines are filled one by one.
    """
    n = len(lines)
    if n == 0:
        return pa.array([], pa.string_view())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + n + 1]
    data_buf = lines.buffers()[2]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    if len(data) >= 1 << 31:
        raise ValueError("a chunk of 2 GiB or more cannot be viewed")  # blocks are far smaller
    starts = offsets[:-1]
    ends = offsets[1:].copy()
    has_nl = (ends > starts) & (data[np.maximum(ends - 1, 0)] == 10)
    ends -= has_nl
    ends -= has_nl & (ends > starts) & (data[np.maximum(ends - 1, 0)] == 13)
    lengths = (ends - starts).astype(np.int32)
    words = np.zeros((n, 4), dtype=np.int32)
    words[:, 0] = lengths
    long = lengths > 12
    if len(data) >= 4:
        firsts = np.ndarray((len(data) - 3,), dtype="<i4", buffer=data, strides=(1,))  # 4 bytes at any offset
        words[long, 1] = firsts[starts[long]]
    words[long, 3] = starts[long]  # buffer index 0 (words[:, 2]) and offset
    views = words.view(np.uint8)
    for i in np.flatnonzero(~long).tolist():
        views[i, 4:4 + lengths[i]] = data[starts[i]:starts[i] + lengths[i]]
    return pa.Array.from_buffers(pa.string_view(), n, [None, pa.py_buffer(words), data_buf])


def read_lines(ev: EvidenceFile, stats: ReadStats, block_size: int = BLOCK_SIZE) -> Iterator[LineChunk]:
    """Yield the file's lines in chunks, hashing everything read. `stats` is complete after exhaustion.

    Each line keeps its terminator in the chunk (a final line without a newline is given one; stats records
    that it had none). A truncated compressed file yields what could be decompressed and records the error
    in stats.errors (the caller reports it; nothing is silently lost).
    """
    disk_digest = hashlib.sha256()
    content_digest = hashlib.sha256()
    line_no = 0
    offset = 0
    with open(ev.abs_path, "rb") as fh:
        blocks = _Blocks(fh, ev.compression, disk_digest, content_digest, stats.errors, block_size)
        rest = b""  # the start of a line still open at the end of the block(s) before
        mask = np.empty(0, dtype=bool)  # reused: where the block's newlines are
        while (data := blocks.next(rest)) is not None:
            if len(mask) < len(data):
                mask = np.empty(len(data), dtype=bool)
            nl = np.flatnonzero(np.equal(np.frombuffer(data, dtype=np.uint8), 10, out=mask[:len(data)]))
            if len(nl) == 0:  # a line longer than a block: carried whole into the next one
                rest = bytes(data)
                continue
            end = int(nl[-1]) + 1
            offsets = np.empty(len(nl) + 1, dtype=np.int64)
            offsets[0] = 0
            offsets[1:] = nl + 1
            yield _make_chunk(data, offsets, line_no, offset)
            line_no += len(nl)
            offset += end
            rest = bytes(data[end:])
        # bytes after the end of a compressed stream (or after damage) still belong to the on-disk hash
        for more in iter(lambda: fh.read(RAW_READ), b""):
            disk_digest.update(more)
    if rest:
        stats.final_newline = False
        data = rest + b"\n"
        yield _make_chunk(data, np.array([0, len(data)], dtype=np.int64), line_no, offset)
        line_no += 1
        offset += len(rest)
    stats.sha256 = disk_digest.hexdigest()
    stats.content_sha256 = content_digest.hexdigest() if ev.compression != "none" else stats.sha256
    stats.lines = line_no
    stats.content_bytes = offset


class _Blocks:
    """The content in blocks of about `block_size` bytes, each behind the carried-over start of its first line.

    An uncompressed file is read straight into a new buffer after the carried bytes (no other copy of the
    content) and hashed as read; a compressed one is hashed on disk as read and as content per block.
    """

    def __init__(self, fh: BinaryIO, compression: str, disk: hashlib._Hash, content: hashlib._Hash,
                 errors: list[str], block_size: int) -> None:
        self._fh = fh
        self._disk = disk
        self._content = content
        self._size = block_size
        self._inflated = (None if compression == "none" else
                          _content_blocks(_HashingReader(fh, disk), compression, errors, block_size))  # type: ignore[arg-type]

    def next(self, carried: bytes) -> memoryview | bytes | None:
        """The next block with `carried` in front of it; None at the end (`carried` is then the last line)."""
        if self._inflated is not None:
            block = next(self._inflated, None)
            if block is None:
                return None
            self._content.update(block)
            return carried + block if carried else block
        buf = np.empty(len(carried) + self._size, dtype=np.uint8)  # not zero-filled: read over at once
        buf[:len(carried)] = np.frombuffer(carried, dtype=np.uint8)
        view = memoryview(buf).cast("B")
        n = self._fh.readinto(view[len(carried):])
        if not n:
            return None
        self._disk.update(view[len(carried):len(carried) + n])
        return view[:len(carried) + n]


def _make_chunk(buf: memoryview | bytes, offsets: np.ndarray, line0: int, offset0: int) -> LineChunk:
    """The lines of `buf` between `offsets` (n + 1 of them, each line with its terminator)."""
    strings, bad = _to_strings(buf, offsets)
    n = len(offsets) - 1
    return LineChunk(
        first_line_no=line0 + 1,
        line_no=np.arange(line0 + 1, line0 + 1 + n, dtype=np.int64),
        byte_offset=offsets[:-1] + offset0,
        lines=strings,
        bad_utf8=bad,
    )


def hash_file(ev: EvidenceFile) -> tuple[str, str]:
    """(SHA-256 of the bytes on disk, SHA-256 of the decompressed content), reading the file once."""
    stats = ReadStats()
    for _ in read_lines(ev, stats):
        pass
    return stats.sha256, stats.content_sha256


def sha256_on_disk(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_lines(ev: EvidenceFile, wanted: dict[int, int | None]) -> dict[int, bytes]:
    """Read back the verbatim bytes of the given line numbers (line_no -> byte offset or None), without newline."""
    out: dict[int, bytes] = {}
    if not wanted:
        return out
    with open(ev.abs_path, "rb") as fh:
        if ev.compression == "none" and all(off is not None for off in wanted.values()):
            for number, off in sorted(wanted.items()):
                fh.seek(int(off))  # type: ignore[arg-type]
                out[number] = fh.readline().rstrip(b"\n")
            return out
        todo = sorted(wanted)
        index = 0
        for number, line in enumerate(_lines_of(_content_blocks(fh, ev.compression, [], BLOCK_SIZE)), start=1):
            if number == todo[index]:
                out[number] = line
                index += 1
                if index == len(todo):
                    break
    return out


def _lines_of(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """Lines (without their newline) of a block stream; for reading a few lines back, not for parsing."""
    rest = b""
    for block in blocks:
        parts = (rest + block).split(b"\n")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest
