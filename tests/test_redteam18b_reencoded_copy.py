"""A copy re-encoded to UTF-8 (`iconv -f latin1 -t utf-8`) of a log whose download lines hold a Latin-1 user agent
is the same request lines: the original's bytes that are not UTF-8 read as U+FFFD, the copy's as `é`, and the
lines are paired where one side is flagged bad_utf8 (overlap.py LINE_HASH_WIDE). Red team 18b: the three download
lines broke the runs, were counted twice (6 complete downloads where the server logged 3), exit 0; only the
other 57 lines were said as an overlap."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.test_redteam18b_converted_times import answer

pytestmark = pytest.mark.slow

LEAK = "/leak.xlsx"


def _log() -> bytes:
    """61 lines at +0200: 3 complete downloads of LEAK by an agent naming `Caf\\xe9` in Latin-1, then a 404."""
    lines = []
    for i in range(61):
        t = datetime(2020, 6, 8, 10, 0, 0) + timedelta(minutes=5 * (i + 1))
        path, size, ip, agent = f"/page{i}.html", 1000 + i, f"192.0.2.{i % 50 + 1}", b"Firefox/77.0"
        if i in (10, 25, 40):
            path, size, ip, agent = LEAK, 50000, f"198.51.100.{i}", b"Firefox/77.0 (Caf\xe9)"
        if i == 60:
            path, size, ip = LEAK, 200, "192.0.2.99"
        status = 404 if i == 60 else 200
        lines.append(f'{ip} - - [{t:%d/%b/%Y:%H:%M:%S} +0200] "GET {path} HTTP/1.1" {status} {size} "-" "'.encode()
                     + agent + b'"')
    return b"\n".join(lines) + b"\n"


def test_a_copy_re_encoded_to_utf8_is_counted_once(tmp_path: Path) -> None:
    original = _log()
    _, found = answer(tmp_path, {"web1/access.log": original,
                                 "export/access.log": original.decode("latin-1").encode()})
    totals = found["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (3, 3)
    [overlap] = [f for f in found["findings"] if f["kind"] == "overlap"]
    assert (overlap["lines"], overlap["line_ranges"]) == (61, "1-61")
    assert [f["path"].endswith("web1/access.log") for f in found["findings"] if f["kind"] == "not utf-8"] == [True]


def test_lines_alike_but_for_a_character_outside_ascii_stay_two_requests(tmp_path: Path) -> None:
    """Where neither line held bytes that are not UTF-8, every field must be the same: `/lijst-ë.xlsx` and
    `/lijst-é.xlsx` requested alike in the same seconds by two servers' logs are two files' requests."""
    files = {f"{server}/access.log": "".join(
        f'198.51.100.{i} - - [08/Jun/2020:10:0{i}:00 +0200] "GET /lijst-{letter}.xlsx HTTP/1.1" 200 50000 "-" "UA"\n'
        for i in range(1, 5)).encode() for server, letter in (("web1", "ë"), ("web2", "é"))}
    _, found = answer(tmp_path, files, "/lijst-é.xlsx")
    assert found["targets"][0]["totals"]["complete_downloads"] == 4
    assert [f for f in found["findings"] if f["kind"] == "overlap"] == []
