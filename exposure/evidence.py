"""Evidence files: what was found on disk, read once (hashed as read, decoded, cut into numbered lines), checked
to be unchanged by the read, and lines read back.

The bytes on disk and the content are hashed in the same pass that feeds the parser. Compressed content is
decoded in small steps that keep every byte that decodes (compressed.py); lines are cut exactly (lines.py), so
line numbers and byte offsets are exact and independent of any CSV dialect (DuckDB's CSV reader treats a lone
"\r" as a line end and turns blank lines into NULL rows, which would break `lines = requests + rejected +
skipped`). A file is stat-ed when opened and after it is read; when anything changed it is hashed again, and
what was read is recorded as `changed during read` when the file no longer holds it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa

from . import bzip2blocks, compressed, gzipmembers
from .compressed import Damage, DecodeLog, Gap
from .lines import BOM, HEAD, NUL_RUN_MIN, LineFacts, Lines, Splitter, decide_newline, terminated, whole_facts
from .plural import plural

# a file system allocates (and a crash zeroes) whole blocks of this many bytes (ext4, XFS, NTFS, APFS: 4 KiB); a
# NUL run at a file's start that ends on such a boundary is a crash's, not logrotate copytruncate's (nul_pieces)
FS_BLOCK = 4096
BLOCK_SIZE = 32 << 20  # 32 MiB of content per parse chunk: large enough to vectorise, small enough for flat memory
RAW_READ = 1 << 20
SNIFF_BYTES = 256 << 10  # sample text wanted for format detection
SNIFF_BLOCK = 256 << 10
SNIFF_READ = 16 << 20  # content read at most to find sample lines (past a very long first line)
SNIFF_LINE_MAX = 64 << 10  # longer lines are left out of the sample
SNIFF_LONG_LINES = 20  # the sample where no line read is shorter (at most SNIFF_READ bytes in all)
JOINED = "joined lines"  # the damage of lines holding further lines (LineFacts.joined_lines)
NUL_RUNS_KEPT = 100  # NUL runs at line starts, and inside lines, said one by one (the rest counted)


@dataclass(frozen=True)
class EvidenceFile:
    """One input file as found on disk (before it is read)."""

    path: str  # as given, or as given plus the sub-path under a given folder
    abs_path: str
    size_bytes: int
    mtime: datetime  # UTC, naive
    compression: str  # none | gzip | bzip2
    server: str  # the parent folder relative to the input root, until the file's log stream is known (streams.py)


@dataclass
class LineChunk:
    """A block of consecutive lines: `lines` hold their terminator; offsets are into the content."""

    first_line_no: int
    line_no: np.ndarray
    byte_offset: np.ndarray
    lines: pa.Array  # large_string (valid UTF-8, invalid bytes replaced by U+FFFD)
    bad_utf8: np.ndarray | None  # bool per line where the chunk had invalid UTF-8, else None
    forced: str | None = None  # every line is rejected with this reason, unparsed (cut by lost content ...)
    newline: int = 10  # the terminator byte (13 in a file whose lines end at "\r")


@dataclass
class ReadStats:
    """Filled while a file is read: hashes, the exact line count, and what reading found."""

    sha256: str = ""
    content_sha256: str = ""
    lines: int = 0
    content_bytes: int = 0
    final_newline: bool = True
    errors: list[str] = field(default_factory=list)  # everything that went wrong, for `read_errors`
    disk_bytes: int = 0  # bytes read from disk (and hashed)
    decode: DecodeLog = field(default_factory=DecodeLog)
    facts: LineFacts = field(default_factory=LineFacts)
    changed: str | None = None  # how the file changed while it was read
    _nuls_said: bool = False

    @property
    def damage(self) -> str | None:
        """`changed during read`, `damaged` or `truncated` (in that order of weight), None when intact."""
        if self.changed:
            return "changed during read"
        kinds = {d.kind for d in self.decode.damages}
        for kind in ("damaged", "truncated", JOINED):
            if kind in kinds:
                return kind
        return None

    @property
    def damage_offset(self) -> int | None:
        """Content bytes before the first damage (for a change during the read: the end of what was read)."""
        return min(p["content_offset"] for p in self.damages) if self.damages else None

    @property
    def damage_detail(self) -> str | None:
        return "; ".join(p["detail"] for p in self.damages) if self.damages else None

    @property
    def damages(self) -> list[dict[str, Any]] | None:
        """Each damage of `damage_detail` apart (the change during the read last): where it starts in the content
        and what it is; None when read intact."""
        parts = [{"content_offset": d.content_offset, "detail": d.detail} for d in self.decode.damages]
        if self.changed:
            parts.append({"content_offset": self.content_bytes, "detail": self.changed})
        return parts or None

    @property
    def lost_bytes(self) -> int | None:
        """Compressed bytes that gave no content, summed over the damages; None where one of them is not known (a
        cut: what the file held after it; NUL bytes): 0 only where every damage lost nothing (a failed CRC)."""
        lost = [d.lost_bytes for d in self.decode.damages]
        return None if not lost or None in lost else sum(x for x in lost if x is not None)

    @property
    def suspicious(self) -> str | None:
        return self.decode.suspicious

    @property
    def bom(self) -> str | None:
        return self.facts.bom

    @property
    def line_endings(self) -> str | None:
        return self.facts.line_endings

    @property
    def bom_lines(self) -> int | None:
        return self.facts.bom_lines or None

    def registry(self) -> dict[str, object]:
        """The evidence-registry columns this read fills (queries/schema.sql)."""
        return {"sha256": self.sha256, "content_sha256": self.content_sha256, "size_bytes": self.disk_bytes,
                "damage": self.damage, "damage_offset": self.damage_offset, "damage_detail": self.damage_detail,
                "damages": self.damages,
                "crc_failures": [f.row() for f in self.decode.crc_failures] or None,
                "decoded_bytes": self.decode.decoded if self.decode.decoded else self.content_bytes,
                "lost_bytes": self.lost_bytes, "bom": self.bom, "line_endings": self.line_endings,
                "bom_lines": self.bom_lines, "first_bom_line": self.facts.first_bom_line,
                "suspicious": self.suspicious, "read_errors": "; ".join(self.errors) or None}

    def _say_nul_runs(self) -> None:
        """The NUL runs lines began with (taken off: nul_runs). One before the first line is logrotate
        copytruncate's: the lines it stands for are in the copy made before the file was emptied (the previous
        rotation), so it is a note. Anywhere else the run stands where lines were written and are gone: damage; so
        does a run inside a line (nul_cuts)."""
        if self._nuls_said or not (self.facts.nul_lines or self.facts.nul_cuts):
            return
        self._nuls_said = True
        for line, at, n in self.facts.nul_runs:
            if line == 1 and self.facts.nul_start_cut is not None:
                self.decode.damages.append(self._start_damage(at))
            elif line == 1:
                self.decode.notes.append(self._copytruncate_note(n))
            else:
                self.decode.damages.append(Damage(
                    "damaged", at, f"{n} NUL bytes at byte {at} (line {line}) in place of content: what was written "
                    "there is lost (a file preallocated and never written, a crash); what follows them on that line is "
                    "rejected: its start may be lost with them", None))
        for line, at, n in self.facts.nul_cuts:
            self.decode.damages.append(Damage(
                "damaged", at, f"{n} NUL bytes at byte {at} (inside line {line}) in place of content: what was "
                f"written there is lost (a crash, a file preallocated and never written); line {line} is rejected: it "
                "joins a piece of a line before them to a piece after them", None))
        if more := self.facts.nul_cut_lines - len(self.facts.nul_cuts):
            line, at, _ = self.facts.nul_cuts[-1]
            self.decode.damages.append(Damage(
                "damaged", at, f"{more} more lines after line {line} hold NUL bytes in place of content, each rejected (the "
                f"first {NUL_RUNS_KEPT} are said one by one)", None))
        self.decode.damages.sort(key=lambda d: d.content_offset)  # in content order, with decoding's own
        if more := self.facts.nul_lines - len(self.facts.nul_runs):
            self.decode.notes.append(f"{more} more lines began with NUL bytes (taken off)")

    def _start_damage(self, at: int) -> Damage:
        assert self.facts.nul_start_cut is not None
        end, n, why = self.facts.nul_start_cut
        return Damage("damaged", at, f"{n} NUL bytes at the start of the file in place of content ({why}): not "
                      "logrotate copytruncate's (whose run ends where the old file ended, before a whole line); what "
                      f"was written there is lost, and line 1, from byte {end}, is rejected: its start may be lost "
                      "with them", None)

    @property
    def copytruncate_start(self) -> bool:
        """Line 1 follows a NUL run at the start taken for logrotate copytruncate's (a note, so far)."""
        runs = self.facts.nul_runs
        return bool(runs) and runs[0][0] == 1 and self.facts.nul_start_cut is None

    def first_piece_cut(self) -> str | None:
        """After the parse, when line 1 followed a NUL run at the start taken for copytruncate's and was rejected:
        it is no whole line after the run, so the run is no copytruncate hole. Its note becomes damage; the
        reason to give line 1 is returned (None: nothing to change)."""
        if not self.copytruncate_start:
            return None
        _, at, n = self.facts.nul_runs[0]
        self.facts.nul_start_cut = (at + n, n, "what follows them parses as no line of the format")
        note = self._copytruncate_note(n)
        self.decode.notes = [x for x in self.decode.notes if x != note]
        self.decode.damages.append(self._start_damage(at))
        self.decode.damages.sort(key=lambda d: d.content_offset)
        self._finish_errors()
        return (f"begins after {n} NUL bytes at the start of the file and parses as no line: the start of the line "
                "may be lost with them")

    @staticmethod
    def _copytruncate_note(n: int) -> str:
        return (f"{n} NUL bytes at the start, taken off before line 1: the file was emptied by logrotate "
                "copytruncate while its server wrote on at its old offset (what they stand for is in the copy "
                "made before, the previous rotation)")

    def _finish_errors(self) -> None:
        self.errors = ([d.detail for d in self.decode.damages] + self.decode.notes
                       + ([self.changed] if self.changed else []))

    def _say_other_endings(self) -> None:
        """Lines holding the other line ending inside them (LineFacts.other_ending_lines) with nothing before or
        after it on the line: a note. Lines where it has content on both sides (LineFacts.joined_lines): no server
        writes a raw CR or LF inside a line (README, "Joined lines"), so each holds further lines joined to it (an
        old Mac OS log joined to a Unix one, a file converted in part) whose requests were not read: damage."""
        n, first = self.facts.other_ending_lines, self.facts.first_other_ending
        ends, other = ("CR", "an LF (line feed)") if self.facts.newline == 13 else ("LF", "a lone CR (carriage return)")
        of = plural(self.facts.lines, '# line', '# lines')
        if n and first is not None:
            note = (f"{n} of its {of} {plural(n, 'holds', 'hold')} {other} inside {plural(n, 'it', 'them')} with no "
                    f"text after it (the first: line {first}): lines end at {ends} in this file, so it is read as "
                    "content of its line; nothing follows it there")
            if note not in self.decode.notes:
                self.decode.notes.append(note)
        if self.facts.joined_lines and self.facts.first_joined is not None and not any(
                d.kind == JOINED for d in self.decode.damages):
            j, (line, at) = self.facts.joined_lines, self.facts.first_joined
            self.decode.damages.append(Damage(JOINED, at, joined_said(j, of, other, ends, line, at), None))
            self.decode.damages.sort(key=lambda d: d.content_offset)

    def _finish(self) -> None:
        self._say_nul_runs()
        self._say_other_endings()
        self.lines, self.content_bytes = self.facts.lines, self.facts.content_bytes
        self.final_newline = self.facts.final_newline
        self._finish_errors()


def joined_said(n: int, of: str, other: str, ends: str, line: int, at: int) -> str:
    """The damage `joined lines`: how many lines hold joins, the first, and what is not counted."""
    return (f"{n} of its {of} {plural(n, 'holds', 'hold')} {other} with text after it (the first: line {line}, at "
            f"byte {at}): lines end at {ends} in this file and no server writes that byte raw inside a line, so the "
            f"text after it is further lines joined to {plural(n, 'it', 'them')} (files with other line ends joined, "
            "a file converted in part): the requests inside such lines are not counted (each is read as one line); "
            f"read line {line} at its byte offset")


_NOATIME = getattr(os, "O_NOATIME", 0)


def open_evidence(path: str | os.PathLike[str]) -> BinaryIO:
    """Open an evidence file for reading: the one place evidence is opened. Read-only, and without touching
    its access time where the system allows it (O_NOATIME: the owner or root), so reading leaves no trace."""
    # O_NONBLOCK: a named pipe put where a file was found (after its stat) opens at once instead of waiting for a
    # writer for ever; it is then refused as not a regular file. On a regular file the flag changes nothing.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOATIME)
    except PermissionError:
        if not _NOATIME:
            raise
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # not the file's owner: O_NOATIME is refused, reading is not
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise OSError(errno.EINVAL, not_regular(mode), str(path))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def special_kind(mode: int) -> str | None:
    """What a file that is neither a regular file nor a folder is, for its reason; None for those two."""
    for test, name in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return None


def not_regular(mode: int) -> str:
    """The reason a file that is not a regular file is not read (discovery's stat, or the open after it)."""
    return f"{special_kind(mode) or 'a folder'}, not a regular file: not read"


def _compression_of(head: bytes) -> str:
    # magic, deflate method and no reserved flag bits: two stray bytes 1f 8b alone do not make an archive
    if head.startswith(b"\x1f\x8b\x08") and len(head) > 3 and not head[3] & 0xE0:
        return "gzip"
    if head in (b"\x1f\x8b", b"\x1f\x8b\x08"):  # the whole file: a gzip cut inside its magic (no text begins so)
        return "gzip"
    if head.startswith(b"BZh") and len(head) > 3 and head[3:4] in (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8",
                                                                    b"9"):  # block size 100-900 kB
        return "bzip2"
    return "none"


def describe(path: Path, shown: str, root: Path | None) -> EvidenceFile:
    """Stat one file and identify its compression from its magic bytes (never from its name)."""
    return described(path, shown, root)[0]


def described(path: Path, shown: str, root: Path | None, st: os.stat_result | None = None,
              real: str | None = None, head_bytes: int = 4) -> tuple[EvidenceFile, bytes]:
    """`describe`, and the first `head_bytes` bytes of the file, from one open (`st` and `real`, the resolved
    path, when the caller has them already)."""
    st = st or path.stat()
    with open_evidence(path) as fh:
        head = fh.read(max(head_bytes, 4))
    return EvidenceFile(
        path=shown,
        abs_path=real or str(path.resolve()),
        size_bytes=st.st_size,
        mtime=datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None),
        compression=_compression_of(head),
        server=_server(path.parent, root),
    ), head


@lru_cache(maxsize=1024)  # the files of one folder share it: computed once per folder
def _server(parent: Path, root: Path | None) -> str:
    if root is None:
        return parent.name or "."
    rel_parent = parent.relative_to(root)
    return str(rel_parent) if str(rel_parent) != "." else root.name


class _PlainBlocks:
    """An uncompressed file in blocks, each read straight into a new buffer after the carried start of its first
    line (no other copy of the content) and hashed as read."""

    def __init__(self, fh: BinaryIO, digest: hashlib._Hash, size: int) -> None:
        self._fh, self._digest, self._size = fh, digest, size
        self.read = 0

    def next(self, carried: bytes) -> tuple[memoryview, None] | None:
        buf = np.empty(len(carried) + self._size, dtype=np.uint8)  # not zero-filled: read over at once
        buf[:len(carried)] = np.frombuffer(carried, dtype=np.uint8)
        view = memoryview(buf).cast("B")
        n = self._fh.readinto(view[len(carried):])
        if not n:
            return None
        self._digest.update(view[len(carried):len(carried) + n])
        self.read += n
        return view[:len(carried) + n], None


class _DecodedBlocks:
    """Decoded content in blocks of about `size` bytes, each cut short where content is lost (a Gap)."""

    def __init__(self, pieces: Iterator[bytes | Gap], digest: hashlib._Hash, size: int) -> None:
        self._pieces, self._digest, self._size = pieces, digest, size

    def next(self, carried: bytes) -> tuple[bytes, Gap | None] | None:
        parts = [carried] if carried else []
        have = 0
        for piece in self._pieces:
            if isinstance(piece, Gap):
                return b"".join(parts), piece
            self._digest.update(piece)
            parts.append(piece)
            have += len(piece)
            if have >= self._size:
                break
        if not have:
            return None
        return b"".join(parts), None


class _Limited:
    """Blocks up to about `limit` content bytes (sampling the start of a file). NUL bytes the content begins
    with do not count: a logrotate copytruncate run is as long as the log was (gigabytes, sparse), and the
    lines the sample needs come after it."""

    def __init__(self, blocks: _PlainBlocks | _DecodedBlocks, limit: int) -> None:
        self._blocks, self._left, self._leading = blocks, limit, True

    def next(self, carried: bytes) -> tuple[bytes | memoryview, Gap | None] | None:
        if self._left <= 0:
            return None
        got = self._blocks.next(carried)
        if got is not None:
            new = bytes(got[0][len(carried):]) if self._leading else None
            nuls = len(new) - len(new.lstrip(b"\0")) if new is not None else 0
            self._leading = self._leading and nuls == len(new or b"")
            self._left -= len(got[0]) - len(carried) - nuls
        return got


def _decoded(src: compressed.Source, compression: str, log: DecodeLog, stop: bool = True) -> Iterator[bytes | Gap]:
    """The decoded content of a gzip or bzip2 file, under the suspicious-size rule (compressed.watched)."""
    decoder = gzipmembers if compression == "gzip" else bzip2blocks
    return compressed.watched(decoder.content(src, log), src, log, stop)


def _parts(ev: EvidenceFile, stats: ReadStats, block_size: int, watch_size: bool = True,
           limit: int | None = None) -> Iterator[Lines]:
    """The file's lines as `Lines`, hashing everything read; `stats` is complete after exhaustion (unless
    `limit` content bytes stopped the reading early)."""
    disk = hashlib.sha256()
    content = hashlib.sha256()
    with open_evidence(ev.abs_path) as fh:
        opened = os.fstat(fh.fileno())
        if ev.compression == "none":
            blocks: _PlainBlocks | _DecodedBlocks = _PlainBlocks(fh, disk, block_size)
        else:
            src = compressed.Source(fh, disk)
            blocks = _DecodedBlocks(_decoded(src, ev.compression, stats.decode, watch_size), content, block_size)
        yield from Splitter(stats.facts, lambda: stats.decode.ended_early).run(
            blocks if limit is None else _Limited(blocks, limit))
        if limit is not None:  # a sample: the file was not read to its end, there is nothing to check
            return
        if isinstance(blocks, _PlainBlocks):
            stats.disk_bytes = blocks.read
        else:
            src.drain()  # bytes after the end of the compressed data still belong to the on-disk hash
            stats.disk_bytes = src.read_to
        stats.sha256 = disk.hexdigest()
        stats.content_sha256 = content.hexdigest() if ev.compression != "none" else stats.sha256
        _check_unchanged(ev.abs_path, fh.fileno(), opened, stats)
    _say_cut_to_nothing(ev, stats)
    stats._finish()


def read_lines(ev: EvidenceFile, stats: ReadStats, block_size: int | None = None) -> Iterator[LineChunk]:
    """Yield the file's lines in chunks, hashing everything read. `stats` is complete after exhaustion.

    Each line keeps its terminator in the chunk (a final line without one is given one; stats records that it
    had none). Damaged compressed content yields what decodes; lines cut by lost content come in chunks of
    their own with `forced` (rejected, unparsed). When the content passes the suspicious-size rule, reading
    stops (stats.suspicious says why: the caller parses nothing of it).
    """
    for part in _parts(ev, stats, block_size or BLOCK_SIZE):
        for piece in nul_pieces(part, stats.facts):
            yield _make_chunk(piece, stats.facts)


def read_whole(ev: EvidenceFile, limit: int) -> tuple[ReadStats, bytes] | None:
    """An uncompressed file read whole in one call, hashed, checked unchanged and counted (`lines.whole_facts`):
    what `read_lines` gives, without cutting it here (many small files are cut together: linekeys). None when
    the content needs `read_lines` (a BOM, lines ending in a lone "\\r") or has grown past `limit` bytes since
    it was found (a live log: never held whole in memory)."""
    stats = ReadStats()
    with open_evidence(ev.abs_path) as fh:
        opened = os.fstat(fh.fileno())
        data = fh.read(limit + 1)
        facts = whole_facts(data) if len(data) <= limit else None
        if facts is None:
            return None
        stats.facts = facts
        stats.disk_bytes = len(data)
        stats.sha256 = stats.content_sha256 = hashlib.sha256(data).hexdigest()
        _check_unchanged(ev.abs_path, fh.fileno(), opened, stats)
    _say_cut_to_nothing(ev, stats)
    stats._finish()
    return stats, data


def _check_unchanged(path: str, fd: int, opened: os.stat_result, stats: ReadStats) -> None:
    """Stat the file again after reading it; on any change, hash what is at the path now and compare."""
    now = os.fstat(fd)
    try:
        there: os.stat_result | None = os.stat(path)
    except OSError:
        there = None
    if there is not None and _same(opened, now) and _same(opened, there) and stats.disk_bytes == opened.st_size:
        return
    try:
        current = sha256_on_disk(path) if there is not None else None
    except OSError:
        current = None
    sizes = (f"{opened.st_size} bytes when opened, {stats.disk_bytes} read"
             + (f", {there.st_size} now" if there is not None else ", and the path is gone now"))
    if there is not None and (there.st_ino, there.st_dev) != (opened.st_ino, opened.st_dev):
        sizes += " (the path now names another file: replaced)"
    if current == stats.sha256:
        stats.decode.notes.append(f"the file's metadata changed while it was read ({sizes}); its content now is "
                                  "exactly what was read")
        return
    stats.changed = (f"changed while it was read ({sizes}): the {stats.disk_bytes} bytes read are what is hashed "
                     "and parsed" + (f"; the file now has SHA-256 {current}" if current else ""))


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ino, a.st_dev) == (b.st_size, b.st_mtime_ns, b.st_ino, b.st_dev)


def hash_file(ev: EvidenceFile) -> ReadStats:
    """Hash a file that is not parsed (not a log, or past the suspicious-size rule): the bytes on disk and the
    decoded content, streamed in bounded memory, with what decoding found."""
    stats = ReadStats()
    disk = hashlib.sha256()
    nul_only = True  # every content byte so far is NUL (bytes.count: C speed, no copy)
    with open_evidence(ev.abs_path) as fh:
        opened = os.fstat(fh.fileno())
        if ev.compression == "none":
            for block in iter(lambda: fh.read(RAW_READ), b""):
                disk.update(block)
                stats.disk_bytes += len(block)
                nul_only = nul_only and block.count(0) == len(block)
            stats.sha256 = stats.content_sha256 = disk.hexdigest()
        else:
            content = hashlib.sha256()
            src = compressed.Source(fh, disk)
            for piece in _decoded(src, ev.compression, stats.decode, stop=False):
                if isinstance(piece, bytes):
                    content.update(piece)
                    nul_only = nul_only and piece.count(0) == len(piece)
            src.drain()
            stats.disk_bytes = src.read_to
            stats.sha256, stats.content_sha256 = disk.hexdigest(), content.hexdigest()
        _check_unchanged(ev.abs_path, fh.fileno(), opened, stats)
    # a compressed file's content is what it decodes to, also when that is nothing (an empty rotation gzipped)
    content_bytes = stats.disk_bytes if ev.compression == "none" else stats.decode.decoded
    if nul_only and content_bytes and not stats.suspicious:
        _say_lost_content(stats, content_bytes)
    _say_cut_to_nothing(ev, stats)
    stats._finish()
    stats.content_bytes = content_bytes
    return stats


# The compressors whose file names a 0-byte file may carry: each writes a header and a trailer even for no content
# (gzip 20 bytes, bzip2 14, xz 32, zstd 13), so none writes an empty file.
COMPRESSED_NAMES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}


def cut_to_nothing(ev: EvidenceFile, size: int) -> str | None:
    """Why a file of `size` bytes is a copy cut to nothing: 0 bytes named as compressed, which no compressor
    writes (a transfer that failed, a disk full): missing evidence, never an empty log. None for any other file.
    Compression is read from magic bytes alone (there are none here); the name only says what an empty file is."""
    tool = COMPRESSED_NAMES.get(Path(ev.path).suffix.lower())
    if tool is None or size != 0:
        return None
    return (f"named as {tool}-compressed but empty (0 bytes; {tool} never writes an empty file): likely a copy cut "
            "to nothing, what it held is unknown")


def _say_cut_to_nothing(ev: EvidenceFile, stats: ReadStats) -> None:
    if (why := cut_to_nothing(ev, stats.disk_bytes)) is not None:
        stats.decode.damages.append(Damage("truncated", 0, why, None))


def _say_lost_content(stats: ReadStats, content_bytes: int) -> None:
    """Content of NUL bytes alone: written as a size and never as data (a file preallocated and never written,
    a crash that lost what was written, as XFS and ext4 leave a file the power failed under). Not logrotate
    copytruncate, whose NUL run a line written after it always follows. What was there is lost: damage from its
    first byte, never "not a log"."""
    stats.decode.damages.insert(0, Damage(
        "damaged", 0, f"all {content_bytes} bytes of its content are NUL bytes: what was written there is lost "
        "(a file preallocated and never written, a crash)", None))


@dataclass(frozen=True)
class Sniff:
    text: bytes  # sample lines for format detection, each ending in "\n"
    refusal: str | None  # why the file cannot be read as text at all (UTF-16 ...), else None
    cut: str | None = None  # the content ended early before one line could be read: why (damage, not "no log")
    damaged: str | None = None  # damage met while sampling (a CRC failure ...): a sample of no format is no "no log"


def sniff(ev: EvidenceFile) -> Sniff:
    """Sample lines from the start of the content for format detection, read with the same rules as the parse
    (BOM, line endings, damage); a line longer than SNIFF_LINE_MAX is passed over, so a log whose first line is
    huge is still recognised. Where every line read is that long (a log of huge user agents), the first
    SNIFF_LONG_LINES of them are the sample: left out, the whole file would pass as "not a log"."""
    if ev.compression == "none" and ev.size_bytes < SNIFF_LINE_MAX:
        with open_evidence(ev.abs_path) as fh:
            data = fh.read(SNIFF_LINE_MAX + 1)
        if (why := cut_to_nothing(ev, len(data))) is not None:  # damage, not "no log", also when named alone
            return Sniff(b"", None, why)
        if len(data) < SNIFF_LINE_MAX and whole_facts(data) is not None:
            # all of a small file, so every line within SNIFF_LINE_MAX: the sample is its content as it is
            refusal = encoding_refusal(data[:HEAD])
            return Sniff(b"" if refusal else terminated(data), refusal)
    stats = ReadStats()
    out = bytearray()
    long_lines: list[bytes] = []
    for part in _parts(ev, stats, SNIFF_BLOCK, limit=SNIFF_READ):
        refusal = encoding_refusal(stats.facts.head)
        if refusal:
            return Sniff(b"", refusal)
        if part.forced is None:
            offsets = part.offsets.tolist()
            for lo, hi in zip(offsets, offsets[1:], strict=False):
                if hi - lo > SNIFF_LINE_MAX and len(long_lines) >= SNIFF_LONG_LINES:
                    continue
                line = _strip(bytes(part.data[lo:hi]), part.newline).lstrip(b"\0") + b"\n"
                if hi - lo <= SNIFF_LINE_MAX:
                    out += line
                else:
                    long_lines.append(line)
        if len(out) >= SNIFF_BYTES:
            break
    sample = bytes(out[:SNIFF_BYTES]) if out else b"".join(long_lines)
    return Sniff(sample, encoding_refusal(stats.facts.head), None if sample else stats.decode.ended_early,
                 stats.decode.damages[0].detail if stats.decode.damages else None)


_UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                 (b"\xfe\xff", "UTF-16"))


# Compressed or archived content exposure does not decode (gzip and bzip2 it does): by magic bytes. Left
# unrecognised it would pass as "not a log", and a rotated day compressed by xz or zstd would drop out silently.
# Zip only where it is no document (_zip_archive): the published documents themselves (xlsx, docx) are zip files.
_PACKED = ((b"\xfd7zXZ\x00", "xz", "xz -dk"), (b"\x28\xb5\x2f\xfd", "zstd", "zstd -d"),
           (b"\x04\x22\x4d\x18", "lz4", "lz4 -d"), (b"\x1f\x9d", "compress (.Z)", "uncompress"),
           (b"7z\xbc\xaf\x27\x1c", "7-Zip", "7z x"),
           (b"\x89LZO\x00\r\n\x1a\n", "lzop", "lzop -d"))


# A Parquet table (its magic bytes begin and end the file): CloudFront's standard logging v2 delivers a
# distribution's log so where asked (red team 21: such an hour was "not a log", its downloads gone, exit 0).
_PARQUET = b"PAR1"
_PARQUET_REFUSAL = ("a Parquet table, which exposure does not read (CloudFront's standard logging v2 delivers "
                    "a log so where asked): deliver the log in its W3C text form (CloudFront: the w3c output "
                    "format, with its #Fields line), which exposure reads with each field's meaning")


# The first entry of a zip that is a document, not an archive of files: Office Open XML (xlsx, docx, pptx: its
# content types, relations or properties first), OpenDocument and EPUB (`mimetype` first, as their standards
# require), Java archives (META-INF).
_DOCUMENT_ENTRIES = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"xl/", b"word/", b"ppt/", b"customXml/",
                     b"mimetype", b"META-INF/")


def _zip_archive(head: bytes) -> bool:
    """A zip (local file header first) whose first entry is no document's part: files packed by hand or by a
    hosting panel (`logs.zip`). Stored (zip -0) its lines would be read as text behind each entry's header;
    deflated it would pass as "not a log"."""
    if not head.startswith(b"PK\x03\x04") or len(head) < 30:
        return False
    name = head[30:30 + int.from_bytes(head[26:28], "little")]
    return not name.startswith(_DOCUMENT_ENTRIES)


def _tar_header(block: bytes) -> bool:
    """A POSIX or GNU tar header block: its magic with the NUL byte that ends it ("ustar\\0", GNU "ustar  \\0")
    and its checksum (the sum of its bytes, the checksum field counted as spaces). A log line can carry "ustar"
    and a matching checksum in a requested path (the first request after a rotation is anyone's), never a NUL
    byte: servers escape it."""
    if len(block) < 512 or not (block[257:263] == b"ustar\0" or block[257:265] == b"ustar  \0"):
        return False
    try:
        stored = int(block[148:156].strip(b" \0") or b"-1", 8)
    except ValueError:
        return False
    return stored == sum(block[:148]) + 8 * 32 + sum(block[156:512])


def _archive_refusal(head: bytes) -> str | None:
    """Files packed in an archive exposure does not open (zip, tar), in the content as read (a .tar.gz decoded):
    read as text, each packed file's first line would be lost behind its header and the padding taken for a
    crash."""
    if _zip_archive(head):
        return ("a ZIP archive of files, which exposure does not open: extract it first (unzip -d FOLDER FILE) and "
                "give the folder")
    if _tar_header(head[:512]):
        return "a tar archive of files, which exposure does not open: extract it first (tar xf FILE) and give the folder"
    return None


def encoding_refusal(head: bytes) -> str | None:
    """Why content cannot be read as UTF-8 text at all: compressed in a form exposure does not decode (xz, zstd,
    lz4, compress, 7-Zip, lzop: by magic bytes), files packed in a zip or tar archive, a Parquet table, UTF-16 or UTF-32 (by
    byte-order mark, or ASCII text interleaved with NUL bytes without one). None for anything else."""
    if head.startswith(b"\0\0\0\0"):  # no UTF-16/32 text starts with U+0000: a copytruncate NUL run (nul_runs)
        head = head.lstrip(b"\0")
    for magic, name, tool in _PACKED:
        if head.startswith(magic):
            return (f"{name}-compressed content, which exposure does not decode (it reads gzip and bzip2): "
                    f"decompress it first ({tool} FILE) and give the result")
    if archive := _archive_refusal(head):
        return archive
    if head.startswith(_PARQUET):
        return _PARQUET_REFUSAL
    if (inner := _compression_of(head)) != "none":  # what gzip or bzip2 gave is gzip or bzip2 again
        return (f"its content is {inner}-compressed again (compressed twice): exposure decodes one layer; "
                "decompress it once first and give the result")
    for bom, name in _UNICODE_BOMS:
        if head.startswith(bom):
            return f"{name} text: convert to UTF-8 first (iconv -f {name} -t UTF-8)"
    n = len(head) // 4 * 4
    if n < 16 or b"\x00" not in head:  # text without NUL bytes is no UTF-16/32 (the common case: no counting)
        return None
    zero = np.frombuffer(head[:n], dtype=np.uint8) == 0
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        share = zero.reshape(-1, width).mean(axis=0)
        for order, nul, text in (("LE", share[1:], share[0]), ("BE", share[:-1], share[-1])):
            if nul.min() >= 0.9 and text <= 0.1:
                return (f"{name}{order} text without a byte-order mark: convert to UTF-8 first "
                        f"(iconv -f {name}{order} -t UTF-8)")
    return None


def line_strings(buf: memoryview | bytes, offsets: np.ndarray) -> tuple[pa.Array, np.ndarray | None]:
    """Lines as an Arrow string array over `buf` (no copy: each slot runs to the next line's start, so it
    holds its terminator); invalid UTF-8 is replaced (U+FFFD) and flagged per line."""
    n = len(offsets) - 1
    strings = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))
    try:
        strings.validate(full=True)  # checks UTF-8 (a cast would import pyarrow.compute: 50 ms of start-up)
        return strings, None
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


def line_texts(lines: pa.Array, newline: int = 10) -> pa.Array:
    """The lines without their terminator (exactly one "\\n" or "\\r\\n": a further "\\r" is content; in a file
    whose lines end at "\\r", exactly one "\\r"), as
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
    has_nl = (ends > starts) & (data[np.maximum(ends - 1, 0)] == newline)
    ends -= has_nl
    if newline == 10:
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


def inner_boms(data: bytes | memoryview, offsets: np.ndarray) -> np.ndarray | None:
    """Which lines (cut at `offsets` in `data`) begin with a UTF-8 byte-order mark, None when none does. A mark
    inside a file is where files were joined end to end (`cat a.log b.log`, each written by a tool that starts
    its files with one): taken off before parsing as the file's first one is (else the line's client would be
    U+FEFF followed by the address, and match nothing)."""
    starts = offsets[:-1]
    arr = np.frombuffer(data, dtype=np.uint8)
    first = np.take(arr, starts) == BOM[0]  # every line holds at least its terminator: each start is in `data`
    if not first.any():  # nearly every chunk: one gather of a byte per line (~15 ns a line), no mark
        return None
    first &= (offsets[1:] - starts) >= len(BOM)
    for i, byte in enumerate(BOM[1:], 1):
        first[first] = arr[starts[first] + i] == byte
    return first if first.any() else None


def nul_runs(data: bytes | memoryview, offsets: np.ndarray) -> np.ndarray | None:
    """How many NUL bytes each line (cut at `offsets` in `data`) begins with, None when none begins with one. A
    file that begins with NULs was emptied by logrotate `copytruncate` while its server wrote on at its old
    offset (the first line follows the run directly); NULs later in a file stand where lines were never written
    (a file preallocated, a crash). Either way the line after the run is whole: a run of NUL_RUN_MIN bytes or
    more is taken off before parsing, as a byte-order mark is, and said (ReadStats)."""
    starts = offsets[:-1]
    arr = np.frombuffer(data, dtype=np.uint8)
    marked = np.take(arr, starts) == 0
    if not marked.any():  # nearly every chunk: one gather of a byte per line, no run
        return None
    runs = np.zeros(len(starts), dtype=np.int64)
    for i in np.flatnonzero(marked).tolist():  # rare lines: each run measured on its own
        line = arr[int(starts[i]):int(offsets[i + 1])]
        text = np.flatnonzero(line)
        runs[i] = int(text[0]) if len(text) else len(line)
    runs[runs < NUL_RUN_MIN] = 0  # a stray NUL or two is a byte of the line (binary junk, kept as it is)
    return runs if runs.any() else None


def nul_pieces(part: Lines, facts: LineFacts) -> Iterator[Lines]:
    """`part`, with each line a run of NUL bytes makes a piece of a line given alone and rejected (`forced`). A
    crash zeroes whole file-system blocks, and a block boundary falls anywhere in a line: a run begun inside a
    line joins a piece of one line to a piece of another (counted in `facts.nul_cuts`, damage); a run ended
    inside a line leaves a line whose start may be lost with it, read whole it would be another address
    (198.51.100.31 cut by two bytes is 8.51.100.31). A run at the start of the file is logrotate copytruncate's:
    the server wrote whole lines after it, so its line is read (nul_runs)."""
    lo, hi = int(part.offsets[0]), int(part.offsets[-1])
    arr = np.frombuffer(part.data, dtype=np.uint8)[lo:hi]
    if part.forced is not None or not len(arr) or arr.min():  # nearly every chunk: no NUL byte at all
        yield part
        return
    zero = np.flatnonzero(arr == 0)
    breaks = np.flatnonzero(np.diff(zero) != 1)
    starts = zero[np.concatenate(([0], breaks + 1))] + lo
    ends = zero[np.concatenate((breaks, [len(zero) - 1]))] + lo + 1
    long = ends - starts >= NUL_RUN_MIN
    reasons: dict[int, str] = {}
    for start, end in zip(starts[long].tolist(), ends[long].tolist(), strict=True):
        i = int(np.searchsorted(part.offsets, start, side="right")) - 1
        line_no, line_end = part.first_no + i, int(part.offsets[i + 1])
        n = end - start + facts.passed_nuls(part.base + start)  # NULs passed over before the line (lines.Splitter)
        if start > part.offsets[i]:
            facts.nul_cut_lines += 1
            if len(facts.nul_cuts) < NUL_RUNS_KEPT:
                facts.nul_cuts.append((line_no, part.base + start, end - start))
            reasons.setdefault(i, f"{end - start} NUL bytes inside the line in place of content: what was written "
                                  "there is lost; the line joins a piece of a line before them to a piece after them")
        elif line_no > 1 and bytes(part.data[end:line_end]).strip(b"\r\n\0"):
            reasons.setdefault(i, f"begins after {n} NUL bytes in place of content: the start of the "
                                  "line may be lost with them")
        elif (part.base + end) % FS_BLOCK == 0 and bytes(part.data[end:line_end]).strip(b"\r\n\0"):
            # the file's first line: copytruncate's run ends where the old file ended (any byte), a crash's zeroed
            # blocks on a block boundary, where a line may go on: 198.51.100.31 read from its third byte is 8.51.100.31
            facts.nul_start_cut = (part.base + end, n, f"they end at byte {part.base + end}, on a file-system "
                                   f"block boundary (a multiple of {FS_BLOCK}), as a crash's zeroed blocks do")
            reasons.setdefault(i, f"begins after {n} NUL bytes at the start of the file that end on a "
                                  f"file-system block boundary (byte {part.base + end}): a crash zeroed the blocks "
                                  "before it, and the start of the line may be lost with them")
    at = 0
    for i in sorted(reasons):
        if i > at:
            yield Lines(part.data, part.offsets[at:i + 1], part.first_no + at, part.base, part.newline)
        yield Lines(part.data, part.offsets[i:i + 2], part.first_no + i, part.base, part.newline, reasons[i])
        at = i + 1
    if at < len(part.offsets) - 1:
        yield Lines(part.data, part.offsets[at:], part.first_no + at, part.base, part.newline)


def _without_prefixes(data: bytes | memoryview, offsets: np.ndarray, taken: np.ndarray) -> tuple[bytes, np.ndarray]:
    """`data` without the first `taken[i]` bytes of each line i, and the lines' offsets in it."""
    keep = np.ones(len(data), dtype=bool)
    for i in np.flatnonzero(taken).tolist():
        keep[int(offsets[i]):int(offsets[i]) + int(taken[i])] = False
    shift = np.concatenate(([0], np.cumsum(taken, dtype=np.int64)))
    return np.frombuffer(data, dtype=np.uint8)[keep].tobytes(), offsets - shift


def _take_off_prefixes(part: Lines, facts: LineFacts) -> tuple[bytes | memoryview, np.ndarray]:
    """`part`'s data and offsets without the byte-order marks and NUL runs its lines begin with, counted in
    `facts` (their lines and places: the raw lines keep them)."""
    # only this part's own bytes: a part set apart by nul_pieces shares its whole block's buffer, and copying
    # that block for each such part made a file with many zeroed blocks cost its size times their number
    lo, hi = int(part.offsets[0]), int(part.offsets[-1])
    data, offsets = memoryview(part.data)[lo:hi], part.offsets - lo
    if (marked := inner_boms(data, offsets)) is not None:
        if not facts.bom_lines:
            facts.first_bom_line = part.first_no + int(np.argmax(marked))
        facts.bom_lines += int(marked.sum())
        data, offsets = _without_prefixes(data, offsets, marked.astype(np.int64) * len(BOM))
    if (runs := nul_runs(data, offsets)) is not None:
        for i in np.flatnonzero(runs).tolist():
            facts.nul_lines += 1
            if len(facts.nul_runs) < NUL_RUNS_KEPT:
                at = int(part.offsets[i]) + part.base
                passed = facts.passed_nuls(at)  # a run longer than a line may be (lines.Splitter)
                facts.nul_runs.append((part.first_no + i, at - passed, facts.head_nuls(at, int(runs[i])) + passed))
        data, offsets = _without_prefixes(data, offsets, runs)
    return data, offsets


def _make_chunk(part: Lines, facts: LineFacts) -> LineChunk:
    """A LineChunk of the lines in `part` (Arrow strings over its buffer, no copy; a copy only where lines
    begin with a byte-order mark or NUL bytes, counted in `facts`). `byte_offset` is where each line starts in
    the content, the mark or the NULs included (raw lines are read back whole)."""
    data, offsets = part.data, part.offsets
    starts = part.offsets[:-1] + part.base
    firsts = np.take(np.frombuffer(data, dtype=np.uint8), offsets[:-1])  # every line holds its terminator
    if len(firsts) and ((firsts == BOM[0]) | (firsts == 0)).any():  # nearly every chunk: neither, one gather
        data, offsets = _take_off_prefixes(part, facts)
        if facts.nul_passed:  # a line read after NULs passed over (lines.Splitter) starts where its run starts
            starts = starts - np.array([facts.passed_nuls(int(at)) for at in starts.tolist()], dtype=np.int64)
    strings, bad = line_strings(data, offsets)
    n = len(part.offsets) - 1
    return LineChunk(
        first_line_no=part.first_no,
        line_no=np.arange(part.first_no, part.first_no + n, dtype=np.int64),
        byte_offset=starts,
        lines=strings,
        bad_utf8=bad,
        forced=part.forced,
        newline=part.newline,
    )


def sha256_on_disk(path: str) -> str:
    digest = hashlib.sha256()
    with open_evidence(path) as fh:
        for block in iter(lambda: fh.read(RAW_READ), b""):
            digest.update(block)
    return digest.hexdigest()


def _strip(line: bytes, newline: int) -> bytes:
    """A line without its terminator byte (a "\\r" before a "\\n" is kept: raw means raw)."""
    return line[:-1] if line and line[-1] == newline else line


def raw_lines(ev: EvidenceFile, wanted: dict[int, int | None]) -> dict[int, bytes]:
    """Read back the verbatim bytes of the given line numbers (line_no -> byte offset or None), without their
    terminator. Lines are numbered as the parse numbered them (the same reading rules)."""
    out: dict[int, bytes] = {}
    if not wanted:
        return out
    if ev.compression == "none" and all(off is not None for off in wanted.values()):
        with open_evidence(ev.abs_path) as fh:
            newline = _newline_of(fh)
            for number, off in sorted(wanted.items()):
                out[number] = _line_at(fh, int(off), newline)  # type: ignore[arg-type]
        return out
    todo = sorted(wanted)
    index = 0
    for part in _parts(ev, ReadStats(), BLOCK_SIZE, watch_size=False):
        last = part.first_no + len(part.offsets) - 2
        while index < len(todo) and todo[index] <= last:
            i = todo[index] - part.first_no
            if i >= 0:
                lo, hi = int(part.offsets[i]), int(part.offsets[i + 1])
                out[todo[index]] = _strip(bytes(part.data[lo:hi]), part.newline)
            index += 1
        if index == len(todo):
            break
    return out


def content_pieces(ev: EvidenceFile, start: int, length: int, step: int = 1 << 20) -> Iterator[bytes]:
    """The `length` content bytes from content offset `start`, in pieces (decoded, for a compressed file, as the
    ingest decoded it: damage recovered alike, from the file's start); fewer where the content ends sooner."""
    if start < 0 or length <= 0:
        return
    with open_evidence(ev.abs_path) as fh:
        if ev.compression == "none":
            at, end = start, start + length
            while at < end and (piece := os.pread(fh.fileno(), min(step, end - at), at)):
                yield piece
                at += len(piece)
            return
        at = 0
        src = compressed.Source(fh, hashlib.sha256())
        for piece in _decoded(src, ev.compression, DecodeLog(), stop=False):
            if isinstance(piece, bytes):
                lo, hi = max(start - at, 0), min(start + length - at, len(piece))
                if lo < hi:
                    yield piece[lo:hi]
                at += len(piece)
                if at >= start + length:
                    return


def _newline_of(fh: BinaryIO) -> int:
    """The terminator byte of an uncompressed file, decided as lines.Splitter decides it."""
    fh.seek(0)
    skip = 3 if fh.read(3) == BOM else 0
    fh.seek(skip)
    while block := fh.read(RAW_READ):
        breaks = [i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0]
        if breaks:
            window = block[min(breaks):]
            window += fh.read(max(RAW_READ - len(window), 0))
            return decide_newline(window) or 10
    return 10


def _line_at(fh: BinaryIO, offset: int, newline: int) -> bytes:
    fh.seek(offset)
    parts = []
    end = bytes([newline])
    while block := fh.read(1 << 16):
        at = block.find(end)
        if at >= 0:
            parts.append(block[:at])
            break
        parts.append(block)
    return b"".join(parts)
