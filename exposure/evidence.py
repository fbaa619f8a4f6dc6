"""Evidence files: finding them, opening them read-only, hashing them, and splitting them into lines.

Lines are split on b"\\n" exactly (numpy over large blocks), so line numbers and byte offsets are exact and
independent of any CSV dialect: DuckDB's CSV reader treats a lone "\\r" as a line end and turns blank
lines into NULL rows, which would break the accounting `lines = requests + rejected + skipped`.
The bytes on disk and the decompressed content are hashed in the same pass that feeds the parser.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

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
    if head.startswith(b"\x1f\x8b"):
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


def _content_stream(raw: _HashingReader, compression: str) -> BinaryIO:
    if compression == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[arg-type]
    if compression == "bzip2":
        return bz2.BZ2File(raw, mode="rb")  # type: ignore[arg-type]
    return raw  # type: ignore[return-value]


def sniff(ev: EvidenceFile, n_bytes: int = SNIFF_BYTES) -> bytes:
    """The first bytes of the (decompressed) content, for format detection. Truncated archives give what they can."""
    with open(ev.abs_path, "rb") as fh:
        stream = _content_stream(_HashingReader(fh, hashlib.sha256()), ev.compression)
        out = bytearray()
        try:
            while len(out) < n_bytes:
                block = stream.read(n_bytes - len(out))
                if not block:
                    break
                out += block
        except (OSError, EOFError):
            pass
    return bytes(out)


def _to_strings(buf: bytes, starts: np.ndarray, ends: np.ndarray) -> tuple[pa.Array, np.ndarray | None]:
    """Lines as an Arrow string array; invalid UTF-8 is replaced (U+FFFD) and flagged per line."""
    n = len(starts)
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[:-1] = starts
    offsets[-1] = ends[-1] if n else 0
    # Arrow offsets must be contiguous: each line's slot runs to the next line's start, so it still holds
    # its terminator ("\n", maybe "\r"). Those are stripped in SQL (see formats.base.LINE_TEXT).
    binary = pa.LargeBinaryArray.from_buffers(pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)])
    try:
        return binary.cast(pa.large_string()), None
    except pa.ArrowInvalid:
        pass
    texts: list[str] = []
    bad = np.zeros(n, dtype=bool)
    for i, item in enumerate(binary.to_pylist()):
        try:
            texts.append(item.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(item.decode("utf-8", errors="replace"))
            bad[i] = True
    return pa.array(texts, type=pa.large_string()), bad


def read_lines(ev: EvidenceFile, stats: ReadStats, block_size: int = BLOCK_SIZE) -> Iterator[LineChunk]:
    """Yield the file's lines in chunks, hashing everything read. `stats` is complete after exhaustion.

    A final line without a newline is still a line. A truncated compressed file yields what could be
    decompressed and records the error in stats.errors (the caller reports it; nothing is silently lost).
    """
    disk_digest = hashlib.sha256()
    content_digest = hashlib.sha256()
    line_no = 0
    offset = 0
    rest = b""
    with open(ev.abs_path, "rb") as fh:
        raw = _HashingReader(fh, disk_digest)
        stream = _content_stream(raw, ev.compression)
        while True:
            try:
                block = stream.read(block_size)
            except (OSError, EOFError) as exc:
                stats.errors.append(f"content ends early ({ev.compression} stream damaged: {exc})")
                block = b""
            if ev.compression != "none":
                content_digest.update(block)
            if not block:
                break
            data = rest + block if rest else block
            arr = np.frombuffer(data, dtype=np.uint8)
            nl = np.flatnonzero(arr == 10)
            if len(nl) == 0:
                rest = data
                continue
            end = int(nl[-1]) + 1
            starts = np.empty(len(nl), dtype=np.int64)
            starts[0] = 0
            starts[1:] = nl[:-1] + 1
            chunk = _make_chunk(data[:end], starts, nl + 1, line_no, offset)
            yield chunk
            line_no += len(nl)
            offset += end
            rest = data[end:]
        # bytes after the end of a compressed stream (or after damage) still belong to the on-disk hash
        for _ in iter(lambda: raw.read(1 << 20), b""):
            pass
    if rest:
        stats.final_newline = False
        data = rest + b"\n"
        chunk = _make_chunk(data, np.array([0], dtype=np.int64), np.array([len(data)], dtype=np.int64), line_no, offset)
        yield chunk
        line_no += 1
        offset += len(rest)
    stats.sha256 = disk_digest.hexdigest()
    stats.content_sha256 = content_digest.hexdigest() if ev.compression != "none" else stats.sha256
    stats.lines = line_no
    stats.content_bytes = offset


def _make_chunk(buf: bytes, starts: np.ndarray, ends: np.ndarray, line0: int, offset0: int) -> LineChunk:
    strings, bad = _to_strings(buf, starts, ends)
    n = len(starts)
    return LineChunk(
        first_line_no=line0 + 1,
        line_no=np.arange(line0 + 1, line0 + 1 + n, dtype=np.int64),
        byte_offset=starts + offset0,
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
        stream = fh if ev.compression == "none" else _content_stream(_HashingReader(fh, hashlib.sha256()), ev.compression)
        todo = sorted(wanted)
        index = 0
        for number, line in enumerate(stream, start=1):
            if number == todo[index]:
                out[number] = line.rstrip(b"\n")
                index += 1
                if index == len(todo):
                    break
    return out
