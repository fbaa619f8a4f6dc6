"""Red team 4, a log a crash zeroed: the file system kept the file's size but not what was written in some of its
blocks, which read back as NUL bytes (XFS, ext4 with delayed allocation after a power failure). A block boundary
falls anywhere in a line, so the run of NULs begins and ends mid-line.

- Begun mid-line, the run and the piece of a line after it were one line with the piece before it: that line was
  rejected like any bad line, the file was not called damaged and the lines the NULs stand for were lost with
  exit code 0. Now the run is damage (exit code 3) and the line is rejected saying why.
- Ended mid-line (begun at a line start), the piece after it was read as a whole line: `198.51.100.31 ...` cut
  two bytes in became a complete download by 8.51.100.31, a real network, an address that never asked. Now the
  piece is rejected: its start may be lost with the NULs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from exposure import Case, evidence
from exposure.findings import exit_code
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _lines() -> list[bytes]:
    """A line a minute from 10:00 UTC, every third the target (from 198.51.100.<i+1>)."""
    return [clf(f"198.51.100.{i + 1}", t(8, 10, i), TARGET if i % 3 == 0 else f"/p{i}.html").encode() + b"\n"
            for i in range(40)]


def _zeroed(lines: list[bytes], first: int, into_first: int, last: int, into_last: int) -> tuple[bytes, int, int]:
    """The lines with NUL bytes from `into_first` bytes into line `first` (1-based) to `into_last` bytes into line
    `last`; the content, where the run starts and how long it is."""
    data = b"".join(lines)
    start = sum(len(x) for x in lines[:first - 1]) + into_first
    end = sum(len(x) for x in lines[:last - 1]) + into_last
    return data[:start] + b"\0" * (end - start) + data[end:], start, end - start


def _case(tmp_path: Path, name: str, content: bytes) -> tuple[list, list[str], int, list[tuple[int, str]]]:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / name).write_bytes(content)
    with Case(tmp_path / "c.duckdb") as c:
        c.ingest([folder])
        found = c.findings()
        clients = c.sql("SELECT DISTINCT client FROM requests ORDER BY client")["client"].tolist()
        complete = c.totals(TARGET)["complete_downloads"]
        rejects = [tuple(r) for r in c.sql("SELECT line_no, reason FROM rejects ORDER BY line_no").itertuples(
            index=False)]
    return found, clients, complete, rejects


@pytest.mark.parametrize("name,pack", [("access.log", lambda b: b), ("access.log.1.gz", gzip.compress)])
def test_nul_bytes_begun_mid_line_are_damage_and_their_line_rejected(tmp_path: Path, name: str, pack) -> None:
    # lines 22, 25, 28 (downloads by .22, .25, .28) lie under the NULs: from 23 bytes into line 20 to 2 into 30
    content, at, n = _zeroed(_lines(), 20, 23, 30, 2)
    found, clients, complete, rejects = _case(tmp_path, name, pack(content))
    [damaged] = [f for f in found if f.kind == "damaged"]
    assert damaged.severity == "incomplete" and exit_code(found) == 3
    assert damaged.detail.startswith(f"{n} NUL bytes at byte {at} (inside line 20) in place of content")
    assert [line for line, _ in rejects] == [20]
    assert rejects[0][1].startswith(f"{n} NUL bytes inside the line in place of content")
    # 14 downloads in 40 lines (lines 1, 4, ... 40), of which lines 22, 25 and 28 are lost under the NULs: 11
    assert complete == 11
    assert "8.51.100.30" not in clients and "198.51.100.30" not in clients


@pytest.mark.parametrize("name,pack", [("access.log", lambda b: b), ("access.log.1.gz", gzip.compress)])
def test_what_follows_nul_bytes_mid_file_is_never_read_as_a_whole_line(tmp_path: Path, name: str, pack) -> None:
    # the NULs begin at line 20's start and end 2 bytes into line 31 ("198.51.100.31 ..." -> "8.51.100.31 ...")
    content, at, n = _zeroed(_lines(), 20, 0, 31, 2)
    found, clients, complete, rejects = _case(tmp_path, name, pack(content))
    assert "8.51.100.31" not in clients  # a real network's address that never asked
    [damaged] = [f for f in found if f.kind == "damaged"]
    assert damaged.detail.startswith(f"{n} NUL bytes at byte {at} (line 20) in place of content")
    assert exit_code(found) == 3
    assert rejects == [(20, f"begins after {n} NUL bytes in place of content: the start of the line may be lost "
                            "with them")]
    assert complete == 10  # 0..39 by 3 less 21, 24, 27 (under the NULs) and 30 (the piece, rejected)


@pytest.mark.parametrize("block_size", [7, 1 << 20])
def test_the_split_holds_across_blocks(tmp_path: Path, block_size: int) -> None:
    content, at, n = _zeroed(_lines(), 20, 23, 30, 2)
    path = tmp_path / "access.log"
    path.write_bytes(content + content)  # twice: the second run lies in a later block
    ev = evidence.describe(path, str(path), None)
    stats = evidence.ReadStats()
    forced = {}
    for chunk in evidence.read_lines(ev, stats, block_size=block_size):
        if chunk.forced:
            forced.update(dict.fromkeys(chunk.line_no.tolist(), chunk.forced))
    assert sorted(forced) == [20, 50]  # 19 lines, the joined one, 10 more; then again
    assert stats.lines == 60 and stats.registry()["damage"] == "damaged"
    assert [d["content_offset"] for d in stats.registry()["damages"]] == [at, len(content) + at]
