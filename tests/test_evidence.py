"""Reading evidence: exact lines and offsets, hashes, compression by content, raw lines read back."""

from __future__ import annotations

import bz2
import gzip
import hashlib
from pathlib import Path

import pytest

from exposure import evidence
from exposure.discovery import discover
from exposure.errors import InputError


def _read(path: Path) -> tuple[list[tuple[int, int, str]], evidence.ReadStats]:
    ev = evidence.describe(path, str(path), None)
    stats = evidence.ReadStats()
    out = []
    for chunk in evidence.read_lines(ev, stats, block_size=7):  # tiny blocks: lines span block borders
        texts = chunk.lines.to_pylist()
        out.extend(zip(chunk.line_no.tolist(), chunk.byte_offset.tolist(), texts, strict=True))
    return out, stats


def test_lines_offsets_and_final_line_without_newline(tmp_path: Path) -> None:
    data = b"first\r\nsecond has \r inside\n\nlast"
    path = tmp_path / "a.log"
    path.write_bytes(data)
    lines, stats = _read(path)
    assert [n for n, _, _ in lines] == [1, 2, 3, 4]
    assert [o for _, o, _ in lines] == [0, 7, 27, 28]
    assert [t.rstrip("\r\n") for _, _, t in lines] == ["first", "second has \r inside", "", "last"]
    assert stats.lines == 4 and stats.final_newline is False
    assert stats.sha256 == stats.content_sha256 == hashlib.sha256(data).hexdigest()


def test_invalid_utf8_is_replaced_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "b.log"
    path.write_bytes(b"ok line\nlatin \xe9 path\n\x00\x01 nul\n")
    ev = evidence.describe(path, str(path), None)
    stats = evidence.ReadStats()
    chunks = list(evidence.read_lines(ev, stats))
    texts = [t for c in chunks for t in c.lines.to_pylist()]
    bad = [b for c in chunks for b in c.bad_utf8.tolist()]
    assert texts[1] == "latin \ufffd path\n"
    assert bad == [False, True, False]
    assert texts[2].startswith("\x00\x01")


@pytest.mark.parametrize("compress", [pytest.param(gzip.compress, id="gzip"), pytest.param(bz2.compress, id="bzip2")])
def test_compression_detected_by_content_not_name(tmp_path: Path, compress) -> None:
    content = b"line one\nline two\n"
    path = tmp_path / "rotated.log.1"  # no telling extension
    path.write_bytes(compress(content))
    lines, stats = _read(path)
    assert [t.rstrip("\n") for _, _, t in lines] == ["line one", "line two"]
    assert stats.content_sha256 == hashlib.sha256(content).hexdigest()
    assert stats.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert stats.sha256 != stats.content_sha256


def test_truncated_gzip_keeps_what_it_can_and_says_so(tmp_path: Path) -> None:
    whole = gzip.compress(b"".join(b"line %d with some text to compress\n" % i for i in range(2000)))
    path = tmp_path / "cut.gz"
    path.write_bytes(whole[: len(whole) // 2])
    lines, stats = _read(path)
    assert stats.damage == "truncated" and "ends early" in stats.errors[0]
    assert stats.damage_offset == stats.decode.decoded == stats.content_bytes
    assert stats.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert 0 < stats.lines < 2000
    assert [t for _, _, t in lines][:-1] == [f"line {i} with some text to compress\n" for i in range(stats.lines - 1)]


def test_raw_lines_by_offset_and_by_number(tmp_path: Path) -> None:
    data = b"a\nb \xff\xfe\r\nc\n"
    plain = tmp_path / "p.log"
    plain.write_bytes(data)
    packed = tmp_path / "p.log.gz"
    packed.write_bytes(gzip.compress(data))
    for path in (plain, packed):
        ev = evidence.describe(path, str(path), None)
        assert evidence.raw_lines(ev, {2: 2, 3: 8}) == {2: b"b \xff\xfe\r", 3: b"c"}


def test_discover_walks_folders_sorted_and_rejects_missing(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.log").write_text("x\n")
    (tmp_path / "a.log").write_text("x\n")
    (tmp_path / "c.log").write_text("x\n")
    found = discover([tmp_path]).files
    assert [Path(e.path).name for e, _ in found] == ["a.log", "z.log", "c.log"]
    assert [e.server for e, _ in found] == [tmp_path.name, "b", tmp_path.name]
    assert [e.path for e, _ in found] == [str(tmp_path / "a.log"), str(tmp_path / "b" / "z.log"),
                                          str(tmp_path / "c.log")]
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "missing"])


@pytest.mark.parametrize(("head", "compression"), [
    pytest.param(b"BZh91AY&SY", "bzip2", id="bzip2"),
    pytest.param(b"BZh0", "none", id="bzip2-level-0-is-no-level"),
    pytest.param(b"BZhx", "none", id="bzip2-no-digit"),
    pytest.param(b"\x1f\x8b\x08\x00", "gzip", id="gzip"),
    pytest.param(b"\x1f\x8b\x08\xe0", "none", id="gzip-reserved-flags"),
])
def test_compression_by_magic(tmp_path: Path, head: bytes, compression: str) -> None:
    path = tmp_path / "f"
    path.write_bytes(head)
    assert evidence.describe(path, str(path), None).compression == compression


WHOLE_CASES = [
    pytest.param(b"a 1\nb 2\n", id="lf"),
    pytest.param(b"a 1\nb 2", id="no-final-newline"),
    pytest.param(b"a 1\r\nb 2\r\n", id="crlf"),
    pytest.param(b"a 1\r\nb 2\n\n c\r\r\n", id="mixed"),
    pytest.param(b"#Version: 1.0\n\nlatin \xe9\n", id="comment-blank-latin1"),
    pytest.param(b"", id="empty"),
    pytest.param(b"a\rb\rc\r", id="lone-cr"),
    pytest.param(b"\xef\xbb\xbfa 1\nb 2\n", id="bom"),
    pytest.param(b"x" * 70_000 + b"\nshort\n", id="line-past-sniff-max"),
]


@pytest.mark.parametrize("data", WHOLE_CASES)
def test_whole_reads_and_samples_are_the_splitters(tmp_path: Path, data: bytes) -> None:
    """A small file read whole (read_whole, the sniff's one read) gives what the Splitter gives it, or declines
    (None) where the Splitter's rules are needed (a BOM, lone CRs)."""
    from dataclasses import replace

    from exposure import linekeys

    path = tmp_path / "f.log"
    path.write_bytes(data)
    ev = evidence.describe(path, str(path), None)
    # the general reading: a size the one-read paths never take
    assert evidence.sniff(ev) == evidence.sniff(replace(ev, size_bytes=1 << 30))
    whole = evidence.read_whole(ev, 1 << 20)
    assert evidence.read_whole(ev, len(data) - 1) is None or not data  # grown past the limit: read in blocks
    stats = evidence.ReadStats()
    chunks = list(evidence.read_lines(ev, stats))
    if b"\xef\xbb\xbf" in data or b"\r" in data.replace(b"\r\n", b""):
        assert whole is None
        return
    assert whole is not None
    got, content = whole
    assert content == data
    assert got.registry() == stats.registry()
    assert (got.lines, got.final_newline, got.content_bytes) == (stats.lines, stats.final_newline, stats.content_bytes)
    # cut with other files' contents: the same keys, offsets, lines and UTF-8 flags as the file's own chunks
    piece = linekeys.joined([(3, b"first\n"), (7, content), (9, b"")]).table.to_pydict()
    alone = linekeys.joined([(7, chunks)]).table.to_pydict()
    mine = [i for i, k in enumerate(piece["line_no"]) if k >> linekeys.KEY_BITS == 7]
    assert {name: [piece[name][i] for i in mine] for name in piece} == alone
