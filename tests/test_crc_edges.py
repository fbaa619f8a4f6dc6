"""The CRC-32 proof (exposure/corruption.py) at a gzip member's edges: a newline the damage made as a member's last
byte makes a line of the next member's first bytes, rejected wherever the member boundary falls."""

from __future__ import annotations

import gzip
import struct
import zlib
from itertools import pairwise
from pathlib import Path

import pytest

from tests.test_crc_proof import SIZE, TARGET, _accounted, _analyse, _downloads, _line, _logs, _rejects, _text


def _joined_log() -> bytes:
    """20 lines: ten addresses, the odd ones downloading the target; line 12 holds two records joined by '*' (one
    request, 203.0.113.6's page), the second a download by 198.51.100.66."""
    lines = []
    for i in range(1, 11):
        lines.append(_line(f"198.51.100.{i}", f"10:{i:02d}:00", TARGET if i % 2 else "/index.html", SIZE, f"UA{i}"))
        lines.append(_line(f"203.0.113.{i}", f"10:{i:02d}:30", "/index.html", 300, f"UA{i}"))
    lines[11] = lines[11][:-1] + '"*' + _line("198.51.100.66", "10:06:40", TARGET, SIZE, "X")
    return _text(lines)


def _members(path: Path, intact: bytes, damaged: bytes, bounds: list[int], bad: int) -> None:
    """A .gz of one member per range of `bounds`; member `bad` (1-based) compresses `damaged`'s bytes and records
    `intact`'s CRC-32 and size (a bit flipped in transit), the others are whole."""
    out = b""
    for m, (lo, hi) in enumerate(pairwise(bounds), 1):
        member = bytearray(gzip.compress((damaged if m == bad else intact)[lo:hi], mtime=0))
        member[-8:] = struct.pack("<II", zlib.crc32(intact[lo:hi]), hi - lo)
        out += member
    path.write_bytes(out)


INTACT_DOWNLOADS = [(f"198.51.100.{i}", [("access.log", 2 * i - 1, None)]) for i in range(1, 10, 2)]


@pytest.mark.parametrize("after_star", [
    pytest.param(1, id="the-newline-is-the-members-last-byte"),
    pytest.param(20, id="the-member-ends-in-the-line-it-made"),
    pytest.param(None, id="the-member-ends-after-the-line-it-made"),
])
def test_a_line_an_altered_newline_made_is_rejected_wherever_the_member_ends(tmp_path: Path,
                                                                              after_star: int | None) -> None:
    """access.log intact; access.log.gz its copy in four members (lines 1-5, 6 to the cut, the cut to line 17, the
    rest), member 2 compressed from bytes whose '*' in line 12 became a newline, its trailer the intact CRC-32 and
    size. Line 12 is altered and line 13 (198.51.100.66's download) a line the damage made: both rejected, the five
    downloads are access.log's. Before, with the newline member 2's last byte: line 13 lies in member 3 and was
    counted (a sixth download, .66, cited from the damaged file; 21 lines = 20 requests + 1 rejected)."""
    intact = _joined_log()
    star = intact.index(b'"*198.51.100.66') + 1
    damaged = intact[:star] + b"\n" + intact[star + 1:]
    starts = [0] + [i + 1 for i, byte in enumerate(intact) if byte == 10]
    cut = starts[13] if after_star is None else star + after_star
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, damaged, [0, starts[5], cut, starts[17], len(intact)], bad=2)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_DOWNLOADS
    rejected = [(Path(p).name, n, reason.split(": ")[0], raw[:13]) for p, n, reason, raw in _rejects(case)]
    assert rejected == [("access.log.gz", 12, "corrupted", "203.0.113.6 -"),
                        ("access.log.gz", 13, "corrupted", "198.51.100.66")]
    rows = {Path(e["path"]).name: (e["lines"], e["requests"], e["rejected"], e["skipped"]) for e in answer["evidence"]}
    assert rows == {"access.log": (20, 20, 0, 0), "access.log.gz": (21, 19, 2, 0)}
    _accounted(answer)
