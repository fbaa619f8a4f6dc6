"""A 206 whose body count is above the file's size is a multipart/byteranges response: its body holds, beside
the ranges' bytes, a boundary and part headers per range and a closing boundary (Apache's %b, nginx's
$body_bytes_sent), so its count is no proof that it held the whole file (`Range: bytes=0-24899,25000-49999`:
49,900 bytes of the file and ~220 of multipart framing read 50,120). A single-range 206 never exceeds the file:
its count equal to the size is the whole file (`bytes=0-`), not inferred. Above it, the completeness is read
from the count alone: complete (inferred), labelled in every door, and the warning does not say the bytes were
fetched twice for certain. Input kept in /tmp/defaults/apache-multipart (TRUTH.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse, files_row

pytestmark = pytest.mark.slow

SIZE = 50000
TARGET = "/dl/leak.pdf"


def _clf(ip: str, time: str, status: int, count: int | str, method: str = "GET") -> str:
    return f'{ip} - - [08/Jun/2020:{time} +0200] "{method} {TARGET} HTTP/1.1" {status} {count} "-" "Mozilla/5.0"'


LOG = "\n".join([
    _clf("198.51.100.1", "09:00:00", 200, SIZE),
    _clf("198.51.100.2", "09:01:00", 200, SIZE),
    _clf("198.51.100.3", "09:02:00", 206, SIZE),                 # Range: bytes=0- : the whole file in one part
    _clf("198.51.100.5", "09:04:00", 206, 49900 + 2 * 98 + 24),  # two ranges with a gap, and their framing
    _clf("198.51.100.4", "09:05:00", 304, "-"),
    _clf("198.51.100.9", "10:00:00", 404, 196),
]) + "\n"


def test_a_206_counting_more_than_the_file_is_complete_only_by_inference(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", LOG, TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    got = [(d["client_ip"], d["kind"], d["outcome"], d["outcome_inferred"], d["bytes"])
           for d in answer.target["downloads"]]
    assert got == [("198.51.100.1", "single", "complete", False, SIZE),
                   ("198.51.100.2", "single", "complete", False, SIZE),
                   ("198.51.100.3", "range", "complete", False, SIZE),
                   ("198.51.100.5", "range", "complete", True, 50120)]
    assert [d["outcome_inferred"] for d in answer.downloads] == [False, False, False, True]
    totals = answer.totals
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["inferred_complete_downloads"],
            totals["inferred_only_ips"]) == (4, 4, 1, 1)
    [said] = [w for w in answer.target["warnings"] if "inferred from the sum" in w]
    assert "for certain" not in said and "multipart/byteranges" in said, said

    row = files_row(tmp_path, TARGET)
    assert (row["complete_downloads"], row["inferred_complete_downloads"], row["inferred_only_ips"]) == (4, 1, 1)
