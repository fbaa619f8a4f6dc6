"""Review of red team 18b's LINE_HASH_WIDE (overlap.py): a line that held bytes that are not UTF-8 is paired with
a re-encoded copy's line on its characters outside ASCII taken as one only where it is a line in another encoding,
its every character outside ASCII a U+FFFD; and a Latin-1 pair of bytes the decoder shows as one U+FFFD (the
"maximal subpart": `\\xe9\\xbb` of `é»`) is two characters in the copy."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.test_redteam18b_converted_times import answer

pytestmark = pytest.mark.slow


def test_a_line_with_a_valid_character_and_a_latin1_agent_is_not_another_files_request(tmp_path: Path) -> None:
    """web1 logged `/lijst-ë.xlsx` (valid UTF-8) with a Latin-1 agent `Caf\\xe9`; web2 `/lijst-é.xlsx` with the agent
    in UTF-8, the same seconds and clients: two files' requests. Before: web2's 4 lines were an `overlap` of web1's
    and `/lijst-é.xlsx` had 0 complete downloads where 4."""
    files = {}
    for server, letter, agent in (("web1", "ë".encode(), b"UA (Caf\xe9)"), ("web2", "é".encode(), "UA (Café)".encode())):
        files[f"{server}/access.log"] = b"".join(
            f'198.51.100.{i} - - [08/Jun/2020:10:0{i}:00 +0200] "GET /lijst-'.encode() + letter
            + b'.xlsx HTTP/1.1" 200 50000 "-" "' + agent + b'"\n' for i in range(1, 5))
    for target in ("/lijst-é.xlsx", "/lijst-ë.xlsx"):
        _, found = answer(tmp_path / target[-6], files, target)
        assert found["targets"][0]["totals"]["complete_downloads"] == 4, target
        assert [f for f in found["findings"] if f["kind"] == "overlap"] == []


def test_a_copy_re_encoded_whose_latin1_pair_was_one_replacement_is_counted_once(tmp_path: Path) -> None:
    """The agent `(«Café»)` in Latin-1 (`\\xab Caf \\xe9\\xbb`): the original reads `\\xe9\\xbb` as one U+FFFD, the
    iconv copy as `é»`. Before: 6 complete downloads where 3, an overlap of 58 of 61 lines."""
    lines = []
    for i in range(61):
        t = datetime(2020, 6, 8, 10, 0, 0) + timedelta(minutes=5 * (i + 1))
        path, size, ip, agent = f"/page{i}.html", 1000 + i, f"192.0.2.{i % 50 + 1}", b"Firefox/77.0"
        if i in (10, 25, 40):
            path, size, ip, agent = "/leak.xlsx", 50000, f"198.51.100.{i}", b"Firefox/77.0 (\xabCaf\xe9\xbb)"
        lines.append(f'{ip} - - [{t:%d/%b/%Y:%H:%M:%S} +0200] "GET {path} HTTP/1.1" 200 {size} "-" "'.encode()
                     + agent + b'"')
    original = b"\n".join(lines) + b"\n"
    _, found = answer(tmp_path, {"web1/access.log": original, "export/access.log": original.decode("latin-1").encode()})
    assert found["targets"][0]["totals"]["complete_downloads"] == 3
    [overlap] = [f for f in found["findings"] if f["kind"] == "overlap"]
    assert (overlap["lines"], overlap["line_ranges"]) == (61, "1-61")
