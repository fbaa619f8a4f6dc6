"""Red team 11 review: one rule for an overlong line wherever it lies in the read blocks (plain and gzip, a block
smaller than the line, the line starting late in one, the line inside one): the other line ending inside it is
said, a NUL run before it is measured whole, NUL bytes it begins with do not make it long, and a "\\r\\n" is its
terminator, not its length. MAX_LINE is 100 here so that every layout is cheap."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from exposure import lines

from .test_lines import LINE, _read

UNIX = (LINE + b"\n") * 6
LAYOUTS = [64, 150, 1 << 16]


@pytest.fixture(autouse=True)
def _small_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines, "MAX_LINE", 100)
    monkeypatch.setattr(lines, "KEEP", 20)  # a head holds NUL_RUN_MIN NULs, as KEEP (1 MiB) does


def _read_as(tmp_path: Path, content: bytes, block_size: int, gz: bool) -> tuple[list, object]:
    path = tmp_path / ("access.log.gz" if gz else "access.log")
    path.write_bytes(gzip.compress(content) if gz else content)
    return _read(path, block_size=block_size)


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("block_size", LAYOUTS)
@pytest.mark.parametrize("tail", [b"\n" + LINE + b"\n", b""], ids=["mac-part-inside", "mac-part-last"])
def test_a_long_line_holding_the_other_ending_is_said_wherever_it_lies(tmp_path: Path, block_size: int, gz: bool,
                                                                       tail: bytes) -> None:
    """`cat unix.log mac.log`: the Mac part is one line of the Unix file, longer than MAX_LINE. Passed over across
    blocks it was rejected with no word of the lone CRs it holds (requests inside it uncounted); held in one
    block it was said. Said alike: one line, line 7, joined at its first lone CR (rt11fix's rule, the same for a
    line passed over across blocks: Splitter._scan_long)."""
    got, stats = _read_as(tmp_path, UNIX + (LINE + b"\r") * 3 + tail, block_size, gz)
    assert got[6][3].startswith("a line of ")
    # the lone CRs have content on both sides: lines joined (README "Joined lines"), as held in one block
    assert (stats.facts.joined_lines, stats.facts.first_joined[0], stats.facts.other_ending_lines) == (1, 7, 0)
    assert stats.facts.first_joined[1] == len(UNIX) + len(LINE)


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("block_size", LAYOUTS)
def test_a_nul_run_before_a_long_line_is_measured_whole(tmp_path: Path, block_size: int, gz: bool) -> None:
    """40 NULs, then 120 bytes: a long line whose kept head (KEEP bytes) holds only part of the run. The damage
    said is the run's length, 40, not what of it the head holds (20)."""
    at = len(LINE) + 1
    got, stats = _read_as(tmp_path, LINE + b"\n" + b"\0" * 40 + b"x" * 120 + b"\n" + LINE + b"\n", block_size, gz)
    assert [(n, o) for n, o, *_ in got] == [(1, 0), (2, at), (3, at + 161)]
    assert got[1][3].startswith("a line of 161 bytes, longer than 100")
    assert f"40 NUL bytes at byte {at} (line 2)" in stats.registry()["damage_detail"]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("block_size", LAYOUTS)
def test_nul_bytes_a_line_begins_with_do_not_make_it_long(tmp_path: Path, block_size: int, gz: bool) -> None:
    """40 NULs, then 80 bytes: 120 bytes, but the NULs stand for lost lines (copytruncate, a crash), not for
    this one: in one block it was rejected for the NULs alone, across blocks as longer than MAX_LINE."""
    got, stats = _read_as(tmp_path, LINE + b"\n" + b"\0" * 40 + b"x" * 80 + b"\n" + LINE + b"\n", block_size, gz)
    at = len(LINE) + 1  # the line starts where its NULs start, however many of them were passed over unread
    assert [(n, o, t, r) for n, o, t, r in got] == [
        (1, 0, LINE.decode(), None),
        (2, at, "x" * 80, "begins after 40 NUL bytes in place of content: the start of the line may be lost with "
                          "them"),
        (3, at + 121, LINE.decode(), None)]
    assert f"40 NUL bytes at byte {len(LINE) + 1} (line 2)" in stats.registry()["damage_detail"]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("block_size", LAYOUTS)
def test_a_crlf_terminator_is_not_the_lines_length(tmp_path: Path, block_size: int, gz: bool) -> None:
    """MAX_LINE bytes and "\\r\\n" is a line like MAX_LINE bytes and "\\n" (it was 'a line of 102 bytes, longer
    than 100'); one byte more is long."""
    got, _ = _read_as(tmp_path, LINE + b"\r\n" + b"x" * 100 + b"\r\n" + b"y" * 101 + b"\r\n" + LINE + b"\r\n",
                      block_size, gz)
    assert [(n, t, r) for n, _, t, r in got[:2]] == [(1, LINE.decode(), None), (2, "x" * 100, None)]
    assert got[2][3].startswith("a line of 103 bytes, longer than 100")
    assert [n for n, *_ in got] == [1, 2, 3, 4]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("block_size", LAYOUTS)
def test_a_long_line_holding_lf_in_a_cr_file_is_said_wherever_it_lies(tmp_path: Path, block_size: int,
                                                                      gz: bool) -> None:
    """The other way round: a Unix part inside an old Mac OS file is one long line of it; said alike, and the
    file's line endings are 'mixed' however the blocks fell (passed over whole, they read 'cr')."""
    content = (LINE + b"\r") * 6 + (LINE + b"\n") * 3 + b"\r" + LINE + b"\r"
    got, stats = _read_as(tmp_path, content, block_size, gz)
    assert got[6][3].startswith("a line of 268 bytes")
    assert (stats.facts.joined_lines, stats.facts.first_joined[0], stats.facts.other_ending_lines) == (1, 7, 0)
    assert stats.facts.line_endings == "mixed"
