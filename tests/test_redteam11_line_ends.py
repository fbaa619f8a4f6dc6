"""Red team 11: a file whose lines end two ways. Lines end where the file's first MiB says they end (`\\n`, or a lone
`\\r` in an old Mac OS file); the other ending is content. A log joined from a Unix part and an old Mac OS part
(`cat unix.log mac.log`) has its Mac part read as ONE line: the first request of it parsed, every other one kept
in that line's `trailing` field, never counted, never said (24 requests, 8 downloads of the file: 13 lines, 13
requests, 5 downloads, exit 0, no finding). The same for a `\\r` file with a `\\n` part. Now such lines are said
(a `read note`: how many lines hold the other line ending, the first, and what it means) in every door that
reads the findings; what is counted does not change (a lone `\\r` inside a user agent is content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse

TARGET = "/docs/leak.xlsx"


def _lines(n: int) -> list[bytes]:
    return [(f'198.51.100.{i + 1} - - [10/Mar/2024:10:{i:02d}:00 +0000] "GET '
             f'{TARGET if i % 3 == 0 else f"/page{i}"} HTTP/1.1" 200 18412 "-" "agent{i}"').encode()
            for i in range(n)]


def _notes(answer: object) -> list[dict[str, object]]:
    return [f for f in answer.cli["findings"] if f["kind"] == "read note"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "said"), [
    # 12 lines ending in "\n", then 12 ending in a lone "\r": line 13 holds the last 12 requests
    (b"\n".join(_lines(24)[:12]) + b"\n" + b"\r".join(_lines(24)[12:]) + b"\r",
     "1 of its 13 lines holds a lone CR (carriage return) inside it (the first: line 13)"),
    # a CRLF file whose last part ends in a lone "\r"
    (b"\r\n".join(_lines(24)[:12]) + b"\r\n" + b"\r".join(_lines(24)[12:]) + b"\r",
     "1 of its 13 lines holds a lone CR (carriage return) inside it (the first: line 13)"),
    # the first half old Mac OS, the second Unix (as many of each: the file is read as "\n")
    (b"\r".join(_lines(24)[:12]) + b"\r" + b"\n".join(_lines(24)[12:]) + b"\n",
     "1 of its 12 lines holds a lone CR (carriage return) inside it (the first: line 1)"),
], ids=["lf-then-cr", "crlf-then-cr", "cr-then-lf"])
def test_lines_holding_the_other_line_ending_are_said(tmp_path: Path, text: bytes, said: str) -> None:
    answer = analyse(tmp_path, "access.log", text, TARGET)
    accounted(answer)
    [note] = _notes(answer)
    assert said in note["detail"], note["detail"]
    assert "lines end at LF in this file" in note["detail"]
    assert "may hold further lines, not counted" in note["detail"]


def test_a_cr_file_holding_lf_says_it(tmp_path: Path) -> None:
    lines = _lines(30)
    # mostly old Mac OS: lines end at "\r"; line 21 holds three Unix lines joined by "\n"
    text = b"\r".join(lines[:20]) + b"\r" + b"\n".join(lines[20:23]) + b"\r" + b"\r".join(lines[23:]) + b"\r"
    answer = analyse(tmp_path, "access.log", text, TARGET)
    accounted(answer)
    [note] = _notes(answer)
    assert "1 of its 28 lines holds an LF (line feed) inside it (the first: line 21)" in note["detail"], note["detail"]
    assert "lines end at CR in this file" in note["detail"]


def test_a_lone_cr_in_one_user_agent_is_said_and_counted_as_read(tmp_path: Path) -> None:
    lines = _lines(9)
    lines[4] = lines[4].replace(b'"agent4"', b'"agent\rfour"')
    answer = analyse(tmp_path, "access.log", b"\n".join(lines) + b"\n", TARGET)
    accounted(answer)
    assert answer.rows[4]["user_agent"] == "agent\rfour"  # content, as logged
    assert len(answer.rows) == 9
    [note] = _notes(answer)
    assert "1 of its 9 lines holds a lone CR (carriage return) inside it (the first: line 5)" in note["detail"], note["detail"]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_one_line_ending_gives_no_note(tmp_path: Path, ending: bytes) -> None:
    answer = analyse(tmp_path, "access.log", ending.join(_lines(9)) + ending, TARGET)
    accounted(answer)
    assert _notes(answer) == []
