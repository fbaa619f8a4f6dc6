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


def _joined(answer: object) -> list[dict[str, object]]:
    return [f for f in answer.cli["findings"] if f["kind"] == "joined lines"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "said"), [
    # 12 lines ending in "\n", then 12 ending in a lone "\r": line 13 holds the last 12 requests
    (b"\n".join(_lines(24)[:12]) + b"\n" + b"\r".join(_lines(24)[12:]) + b"\r",
     "1 of its 13 lines holds a lone CR (carriage return) with text after it (the first: line 13, at byte "),
    # a CRLF file whose last part ends in a lone "\r"
    (b"\r\n".join(_lines(24)[:12]) + b"\r\n" + b"\r".join(_lines(24)[12:]) + b"\r",
     "1 of its 13 lines holds a lone CR (carriage return) with text after it (the first: line 13, at byte "),
    # the first half old Mac OS, the second Unix (as many of each: the file is read as "\n")
    (b"\r".join(_lines(24)[:12]) + b"\r" + b"\n".join(_lines(24)[12:]) + b"\n",
     "1 of its 12 lines holds a lone CR (carriage return) with text after it (the first: line 1, at byte "),
], ids=["lf-then-cr", "crlf-then-cr", "cr-then-lf"])
def test_lines_joined_by_the_other_line_ending_make_the_file_incomplete(tmp_path: Path, text: bytes, said: str) -> None:
    answer = analyse(tmp_path, "access.log", text, TARGET)
    accounted(answer)
    assert answer.exit_code == 3, answer.output
    [joined] = _joined(answer)
    assert joined["severity"] == "incomplete"
    assert said in joined["detail"], joined["detail"]
    assert "lines end at LF in this file" in joined["detail"]
    assert "the requests inside such lines are not counted" in joined["detail"]
    assert _notes(answer) == []
    assert "incomplete: joined lines: " in answer.output  # the terminal says it


def test_the_join_is_where_the_lost_lines_begin(tmp_path: Path) -> None:
    lines = _lines(24)
    text = b"\n".join(lines[:12]) + b"\n" + b"\r".join(lines[12:]) + b"\r"
    answer = analyse(tmp_path, "access.log", text, TARGET)
    [joined] = _joined(answer)
    at = len(b"\n".join(lines[:13]) + b"\n") - 1  # the first lone CR: after line 13's first request
    assert f"(the first: line 13, at byte {at})" in joined["detail"], joined["detail"]
    # line 13 holds the next lines' starts: a glued line since red team 17, rejected, its first request not counted
    # either: the time uncovered begins at line 12's
    assert joined["uncovered_start"].startswith("2024-03-10T10:11:00"), joined


def test_a_cr_file_holding_lf_says_it(tmp_path: Path) -> None:
    lines = _lines(30)
    # mostly old Mac OS: lines end at "\r"; line 21 holds three Unix lines joined by "\n"
    text = b"\r".join(lines[:20]) + b"\r" + b"\n".join(lines[20:23]) + b"\r" + b"\r".join(lines[23:]) + b"\r"
    answer = analyse(tmp_path, "access.log", text, TARGET)
    accounted(answer)
    assert answer.exit_code == 3, answer.output
    [joined] = _joined(answer)
    assert "1 of its 28 lines holds an LF (line feed) with text after it (the first: line 21" in joined["detail"], \
        joined["detail"]
    assert "lines end at CR in this file" in joined["detail"]


def test_a_lone_cr_inside_a_user_agent_is_a_join_and_its_line_still_read(tmp_path: Path) -> None:
    # no server writes a raw CR inside a line (nginx \x0D, Apache \\r, JSON \\r): text after one is taken for a
    # joined line, the file incomplete; the line is still read as it stands
    lines = _lines(9)
    lines[4] = lines[4].replace(b'"agent4"', b'"agent\rfour"')
    answer = analyse(tmp_path, "access.log", b"\n".join(lines) + b"\n", TARGET)
    accounted(answer)
    assert answer.rows[4]["user_agent"] == "agent\rfour"  # content, as logged
    assert len(answer.rows) == 9
    assert answer.exit_code == 3, answer.output
    [joined] = _joined(answer)
    assert "1 of its 9 lines holds a lone CR (carriage return) with text after it (the first: line 5" in joined["detail"]


@pytest.mark.parametrize("text", [
    b"\n".join(_lines(9)) + b"\r\r\n",  # a lone CR before a CRLF: nothing after it on its line
    b"\n".join(_lines(8)) + b"\n" + _lines(9)[8] + b"\r\r",  # the last line, no terminator: nothing after the CR
], ids=["cr-crlf", "last-line-cr-cr"])
def test_a_lone_cr_with_nothing_after_it_joins_nothing(tmp_path: Path, text: bytes) -> None:
    answer = analyse(tmp_path, "access.log", text, TARGET)
    accounted(answer)
    assert _joined(answer) == []
    assert len(answer.rows) == 9
    [note] = _notes(answer)
    assert "1 of its 9 lines holds a lone CR (carriage return) inside it with no text after it (the first: line 9)" \
        in note["detail"], note["detail"]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_one_line_ending_gives_no_note(tmp_path: Path, ending: bytes) -> None:
    answer = analyse(tmp_path, "access.log", ending.join(_lines(9)) + ending, TARGET)
    accounted(answer)
    assert _notes(answer) == []
    assert _joined(answer) == []


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("lang", "kind", "words"), [
    ("en", "INCOMPLETE · joined lines", "2 lines read; 1 of its 2 lines holds a lone CR (carriage return) with text "
                                        "after it (the first: line 2,"),
    ("nl", "ONVOLLEDIG · samengevoegde regels", "2 regels gelezen; 1 van zijn 2 regels bevat een losse CR (carriage "
                                               "return) met tekst erna (de eerste: regel 2,"),
], ids=["en", "nl"])
def test_page_one_says_joined_lines(tmp_path: Path, lang: str, kind: str, words: str) -> None:
    import html as htmllib
    import re

    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    folder = tmp_path / "logs"
    folder.mkdir()
    lines = _lines(3)
    (folder / "access.log").write_bytes(lines[0] + b"\n" + lines[1] + b"\r" + lines[2] + b"\n")  # line 2 holds two
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(folder), "--target", TARGET, "--report", str(out), "-q",
                                     "--lang", lang, *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    cover = page[page.index('<section id="cover"'):page.index('data-section="summary"')].replace("<wbr>", "")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", cover)))
    assert kind in text, text
    assert words in text, text


@pytest.mark.parametrize("block_size", [61, 62, 63, 64, 65, 1 << 20])
def test_which_lines_are_joined_whatever_the_read_blocks(tmp_path: Path, block_size: int) -> None:
    from exposure import evidence

    # the first block decides the line end (LF: lines 1-10); the next blocks fall across lines 11-15's bytes
    text = (b"plain\n" * 10
            + b"a\r\rb\n"     # line 11: a run of CRs with text on both sides: joined (the CR before "b": byte 62)
            + b"\r\rc\n"      # line 12: nothing before the CRs: joins nothing
            + b"d\r\r\n"      # line 13: nothing after them but the CRLF: joins nothing
            + b"e\rf\rg\n"    # line 14: joined twice, counted once
            + b"h\ri")        # line 15, the last, no terminator: joined
    path = tmp_path / "a.log"
    path.write_bytes(text)
    stats = evidence.ReadStats()
    for _ in evidence.read_lines(evidence.describe(path, str(path), None), stats, block_size=block_size):
        pass
    assert stats.facts.lines == 15
    assert (stats.facts.joined_lines, stats.facts.first_joined) == (3, (11, 62))
    assert (stats.facts.other_ending_lines, stats.facts.first_other_ending) == (2, 12)
    assert stats.damage == "joined lines"


_W3C_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-03-10 10:00:00\n"
             "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
             "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n")


@pytest.mark.parametrize(("name", "head", "line", "first"), [
    ("access.json", "", '{{"time":"2024-03-10T10:{i:02d}:00Z","remote_addr":"198.51.100.{n}",'
                        '"request":"GET /docs/leak.xlsx HTTP/1.1","status":200,"body_bytes_sent":18412}}', 13),
    ("u_ex240310.log", _W3C_HEAD, "2024-03-10 10:{i:02d}:00 10.0.0.1 GET /docs/leak.xlsx - 443 - 198.51.100.{n} "
                                  "Mozilla/5.0 - 200 0 0 18412 10", 17),
], ids=["json", "w3c"])
def test_joined_lines_in_other_formats(tmp_path: Path, name: str, head: str, line: str, first: int) -> None:
    lines = [line.format(i=i, n=i + 1) for i in range(24)]
    text = (head + "\n".join(lines[:12]) + "\n" + "\r".join(lines[12:]) + "\n").encode()  # line ended by LF
    answer = analyse(tmp_path, name, text, TARGET)
    accounted(answer)
    assert answer.exit_code == 3, answer.output
    [joined] = _joined(answer)
    assert f"(the first: line {first}, at byte " in joined["detail"], joined["detail"]
