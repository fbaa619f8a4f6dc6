"""Damaged gzip and bzip2 evidence: every line `zcat`/`bzcat` recover from the same file is read, and more.

The reference is the Debian tools themselves (skipped cleanly when absent). Lines are compared as the reader
gives them (evidence.read_lines, the path ingest takes), as a multiset of complete lines.
"""

from __future__ import annotations

import bz2
import collections
import gzip
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from exposure import evidence

ZCAT, BZCAT = shutil.which("zcat"), shutil.which("bzcat")


def _log(n: int, tag: str, start: int = 0) -> bytes:
    """Log-like lines, all different, deterministic (no random generator: the same bytes on every machine)."""
    return b"".join(b'10.%d.%d.%d - - [08/Jun/2020:12:%02d:%02d +0200] "GET /%s/%d HTTP/1.1" 200 %d\n'
                    % (i % 7, i * 37 % 251, i * 91 % 253, i // 60 % 60, i % 60, tag.encode(), i * 7919 % 100003,
                       i * 104729 % 999983) for i in range(start, start + n))


def _read(path: Path) -> tuple[list[tuple[int, int, bytes, str | None]], evidence.ReadStats]:
    """(line number, content offset, line bytes without terminator, forced reason) per line, and the stats."""
    ev = evidence.describe(path, str(path), None)
    stats = evidence.ReadStats()
    out = []
    for chunk in evidence.read_lines(ev, stats, block_size=1 << 16):  # small blocks: gaps meet block borders
        for no, off, text in zip(chunk.line_no.tolist(), chunk.byte_offset.tolist(), chunk.lines.to_pylist(),
                                 strict=True):
            out.append((no, off, text.encode("utf-8", "surrogateescape").rstrip(b"\n"), chunk.forced))
    return out, stats


def _tool_lines(tool: str | None, path: Path) -> list[bytes]:
    """The complete lines the Debian tool writes out for `path` (it may stop early; its exit code is ignored)."""
    if tool is None:
        pytest.skip("zcat/bzcat not installed")
    out = subprocess.run([tool], stdin=path.open("rb"), capture_output=True, timeout=120).stdout
    return out.split(b"\n")[:-1]


def _missing(reference: list[bytes], ours: list[bytes]) -> list[bytes]:
    have = collections.Counter(ours)
    want = collections.Counter(reference)
    return [line for line, n in want.items() if have[line] < n]


def _flip(data: bytes, at: int, bit: int = 0x10) -> bytes:
    out = bytearray(data)
    out[at] ^= bit
    return bytes(out)


CONTENT = _log(30_000, "a")
GZ = gzip.compress(CONTENT, mtime=0)
MEMBERS = [_log(4000, "m1"), b"", _log(4000, "m2", 4000), _log(4000, "m3", 8000)]


def _gzip_cases() -> list:
    members = b"".join(gzip.compress(m, mtime=0) for m in MEMBERS)
    first = len(gzip.compress(MEMBERS[0], mtime=0))
    return [
        pytest.param(_flip(GZ, len(GZ) // 2), id="bit-flipped-mid-stream"),
        pytest.param(_flip(GZ, 1000, 0x80), id="bit-flipped-early"),
        pytest.param(_flip(GZ, len(GZ) // 3, 0x04), id="bit-flipped-a-third-in"),
        pytest.param(GZ[: len(GZ) * 2 // 3], id="cut-at-two-thirds"),
        pytest.param(GZ[:-4], id="cut-in-trailer"),
        pytest.param(_flip(members, first // 2, 0x21), id="members-damage-in-first"),
        pytest.param(members[: first // 2] + members[first:], id="members-first-cut-then-the-rest"),
        pytest.param(GZ + bytes(4096), id="trailing-zeros"),
        pytest.param(GZ + b"not gzip at all\n", id="trailing-garbage"),
    ]


@pytest.mark.parametrize("data", _gzip_cases())
def test_gzip_damage_loses_no_line_zcat_recovers(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "access.log.1.gz"
    path.write_bytes(data)
    lines, stats = _read(path)
    ours = [text for _, _, text, _ in lines]
    assert _missing(_tool_lines(ZCAT, path), ours) == []
    assert [no for no, _, _, _ in lines] == list(range(1, len(lines) + 1))
    assert stats.lines == len(lines) and stats.sha256  # every line counted, the file hashed


def test_gzip_members_after_damage_are_recovered(tmp_path: Path) -> None:
    """Damage in the first of concatenated members: zcat stops there, the reader carries on with the next
    member header and keeps every line of the members after it."""
    packed = [gzip.compress(m, mtime=0) for m in MEMBERS]
    # The first member as `gzip` writes it (its file name in the header), its data in stored blocks (level 0),
    # flushed after 40,000 bytes, the length check of the block after that broken: undecodable data for any
    # inflater after exactly 40,000 bytes of content, which the reader's step that fails also holds.
    deflate = zlib.compressobj(0, zlib.DEFLATED, -15)
    data = bytearray(deflate.compress(MEMBERS[0][:40_000]) + deflate.flush(zlib.Z_FULL_FLUSH)
                     + deflate.compress(MEMBERS[0][40_000:]) + deflate.flush())
    at = length = 0
    while length < 40_000 or not int.from_bytes(data[at + 1:at + 3], "little"):  # stored blocks: 1+2+2 byte heads
        size = int.from_bytes(data[at + 1:at + 3], "little")
        at, length = at + 5 + size, length + size
    data[at + 3] ^= 0xFF  # NLEN of the block after the first 40,000 bytes no longer complements its LEN
    header = b"\x1f\x8b\x08\x08" + bytes(4) + b"\x00\x03" + b"access.log-20200601\x00"
    broken = header + bytes(data) + struct.pack("<II", zlib.crc32(MEMBERS[0]), len(MEMBERS[0]))
    path = tmp_path / "rotations.gz"
    path.write_bytes(broken + b"".join(packed[1:]))
    lines, stats = _read(path)
    ours = [text for _, _, text, _ in lines]
    assert _missing(MEMBERS[2].split(b"\n")[:-1] + MEMBERS[3].split(b"\n")[:-1], ours) == []
    assert _missing(_tool_lines(ZCAT, path), ours) == []
    assert stats.damage == "damaged" and stats.damage_offset is not None
    assert "member 1" in stats.damage_detail and f"next member header at byte {len(broken)}" in stats.damage_detail
    assert stats.damage_offset == length and stats.lost_bytes > 0
    before = MEMBERS[0][:length]  # what the first member gives before the damage: whole lines, then a piece
    whole, piece = before[:before.rfind(b"\n") + 1].splitlines(), before[before.rfind(b"\n") + 1:]
    assert ours[:len(whole)] == whole and piece
    no, off, text, forced = lines[len(whole)]
    assert (no, off, text) == (len(whole) + 1, before.rfind(b"\n") + 1, piece)
    assert forced.startswith("cut off by lost content (gzip member 1") and forced.endswith("the rest of the line is lost")
    assert lines[len(whole) + 1][3] is None  # the next member starts a line: parsed as any other


def test_gzip_lost_member_numbering_and_offsets(tmp_path: Path) -> None:
    """A member destroyed whole (its bytes replaced by garbage): the lines after it continue the numbering of
    the decoded content, their offsets are offsets in the decoded content, and the registry says what is lost."""
    one, two, three = (gzip.compress(m, mtime=0) for m in (MEMBERS[0], MEMBERS[2], MEMBERS[3]))
    garbage = bytes((i * 7 + 3) % 256 for i in range(len(two)))
    assert b"\x1f\x8b" not in garbage
    path = tmp_path / "rotations.gz"
    path.write_bytes(one + garbage + three)
    lines, stats = _read(path)
    first_lines = MEMBERS[0].split(b"\n")[:-1]
    third_lines = MEMBERS[3].split(b"\n")[:-1]
    assert [t for _, _, t, _ in lines] == first_lines + third_lines
    n1 = len(first_lines)
    assert lines[n1][:2] == (n1 + 1, len(MEMBERS[0]))  # numbering and offsets continue over the lost member
    assert all(forced is None for *_, forced in lines)  # a member starts a line: nothing cut
    assert (stats.damage, stats.damage_offset, stats.lost_bytes) == ("damaged", len(MEMBERS[0]), len(garbage))
    assert stats.decode.decoded == len(MEMBERS[0]) + len(MEMBERS[3]) == stats.content_bytes


def test_gzip_crc_error_keeps_all_content(tmp_path: Path) -> None:
    """A flipped bit that inflates but fails the CRC: every byte zcat writes is kept; the member is damaged."""
    for at in range(len(GZ) // 2, len(GZ) // 2 + 400):
        data = _flip(GZ, at, 0x01)
        path = tmp_path / "crc.gz"
        path.write_bytes(data)
        if subprocess.run(["gzip", "-t"], stdin=path.open("rb"), capture_output=True).stderr.find(b"crc") >= 0:
            break
    else:
        pytest.skip("no CRC-only flip near the middle with this zlib")
    lines, stats = _read(path)
    zcat = subprocess.run([ZCAT or "zcat"], stdin=path.open("rb"), capture_output=True).stdout
    assert b"".join(t + b"\n" for _, _, t, _ in lines) == zcat
    assert stats.damage == "damaged" and "fails its CRC-32" in stats.damage_detail and stats.damage_offset == 0


def test_gzip_empty_members_and_padding_are_not_damage(tmp_path: Path) -> None:
    data = gzip.compress(b"", mtime=0) + GZ + gzip.compress(b"", mtime=0) + bytes(512)
    path = tmp_path / "padded.gz"
    path.write_bytes(data)
    lines, stats = _read(path)
    assert b"".join(t + b"\n" for _, _, t, _ in lines) == CONTENT
    assert stats.damage is None and stats.errors == ["512 zero bytes after the end of the gzip data (padding): "
                                                     "not content"]


def test_truncated_gzip_cut_line_is_rejected_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "cut.gz"
    path.write_bytes(GZ[: len(GZ) // 2])
    lines, stats = _read(path)
    *whole, (no, off, last, forced) = lines
    assert all(f is None for *_, f in whole) and CONTENT.startswith(b"".join(t + b"\n" for _, _, t, _ in whole))
    assert forced is not None and forced.startswith("cut off where the content ends early")
    assert CONTENT[off:].startswith(last) and not CONTENT[off:].startswith(last + b"\n")
    assert (stats.damage, stats.damage_offset) == ("truncated", stats.decode.decoded)


BZ_CONTENT = _log(12_000, "b")


def _bz2_blocks(data: bytes) -> list[int]:
    from exposure.bzip2blocks import find_markers

    return [m.bit for m in find_markers(data) if not m.end]


def test_bzip2_corrupt_block_keeps_the_blocks_around_it(tmp_path: Path) -> None:
    packed = bz2.compress(BZ_CONTENT, 1)  # 100 kB blocks: several of them
    starts = _bz2_blocks(packed)
    assert len(starts) >= 5
    middle = (starts[2] + starts[3]) // 16  # a byte in the middle of the third block
    path = tmp_path / "access.log.2.bz2"
    path.write_bytes(_flip(packed, middle, 0x08))
    lines, stats = _read(path)
    ours = [t for _, _, t, _ in lines]
    assert _missing(_tool_lines(BZCAT, path), ours) == []
    original = BZ_CONTENT.split(b"\n")[:-1]
    lost = _missing(original, ours)
    shortest = min(map(len, original)) + 1
    assert 0 < len(lost) <= 100_000 // shortest + 2  # at most the lines of the damaged block (100 kB) and its edges
    assert original[0] in ours and original[-1] in ours  # the blocks before and after the damage
    assert stats.damage == "damaged" and "block 3" in stats.damage_detail
    assert [no for no, *_ in lines] == list(range(1, len(lines) + 1))


def test_bzip2_damage_in_first_of_two_streams(tmp_path: Path) -> None:
    one, two = bz2.compress(BZ_CONTENT[:500_000], 1), bz2.compress(BZ_CONTENT[500_000:], 1)
    starts = _bz2_blocks(one)
    path = tmp_path / "two.bz2"
    path.write_bytes(_flip(one, (starts[1] + starts[2]) // 16, 0x40) + two)
    lines, stats = _read(path)
    ours = [t for _, _, t, _ in lines]
    assert _missing(_tool_lines(BZCAT, path), ours) == []
    assert _missing(BZ_CONTENT[500_000:].split(b"\n")[1:-1], ours) == []  # the second stream, whole
    assert stats.damage == "damaged"


def test_bzip2_truncated_says_which_block_is_lost(tmp_path: Path) -> None:
    packed = bz2.compress(BZ_CONTENT, 1)
    starts = _bz2_blocks(packed)
    cut = (starts[3] + starts[4]) // 16
    path = tmp_path / "cut.bz2"
    path.write_bytes(packed[:cut])
    lines, stats = _read(path)
    assert _missing(_tool_lines(BZCAT, path), [t for _, _, t, _ in lines]) == []
    assert stats.damage == "truncated" and "incomplete" in stats.damage_detail
    assert stats.lost_bytes == cut - starts[3] // 8
