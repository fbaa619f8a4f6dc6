"""Bytes after a compressed file's last member or stream that are neither compressed data nor zero padding may
be lost log lines (a member whose header was destroyed, plain text appended): the file is `damaged` and the
answer incomplete (exit 3), never a `read note` with an answer said complete. Zero padding stays a note."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from tests.servers import analyse

TARGET = "/docs/leak.xlsx"


def _lines(first: int, n: int) -> bytes:
    return "".join(f'198.51.100.{first + i} - - [08/Jun/2020:1{i}:00:00 +0200] "GET {TARGET} HTTP/1.1" 200 18412 '
                   f'"-" "curl/7.68.0"\n' for i in range(n)).encode()


def _gz_destroyed_member() -> bytes:  # two rotations end to end, the second member's 10-byte header overwritten
    second = gzip.compress(_lines(10, 4), mtime=0)
    return gzip.compress(_lines(1, 4), mtime=0) + bytes(range(1, 11)) + second[10:]


def _gz_text_appended() -> bytes:  # `cat access.log >> access.log.1.gz`
    return gzip.compress(_lines(1, 4), mtime=0) + _lines(10, 4)


def _bz2_destroyed_stream() -> bytes:
    second = bz2.compress(_lines(10, 4))
    return bz2.compress(_lines(1, 4)) + b"XYZ9" + second[4:]


@pytest.mark.parametrize(("name", "data"), [
    pytest.param("access.log.1.gz", _gz_destroyed_member(), id="gzip-member-header-destroyed"),
    pytest.param("access.log.1.gz", _gz_text_appended(), id="gzip-text-appended"),
    pytest.param("access.log.1.bz2", _bz2_destroyed_stream(), id="bzip2-stream-header-destroyed"),
])
def test_undecoded_trailing_bytes_make_the_evidence_incomplete(tmp_path: Path, name: str, data: bytes) -> None:
    answer = analyse(tmp_path, name, data, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 4  # the lines that decode still answer
    [finding] = [f for f in answer.cli["findings"] if f["path"] and f["path"].endswith(name)]
    assert (finding["severity"], finding["kind"]) == ("incomplete", "damaged")
    assert "after the end of the" in finding["detail"] and "not decoded" in finding["detail"]


def test_zero_padding_after_the_data_stays_a_note(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log.1.gz", gzip.compress(_lines(1, 4), mtime=0) + bytes(4096), TARGET)
    assert answer.exit_code == 0, answer.output
    [finding] = [f for f in answer.cli["findings"] if f["path"] and f["path"].endswith("access.log.1.gz")]
    assert (finding["severity"], finding["kind"]) == ("stated", "read note")
