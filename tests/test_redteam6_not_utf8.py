"""Lines holding bytes that are not UTF-8 (a Latin-1 user agent, `Caf\\xe9`) are stored with U+FFFD in their place
and flagged (bad_utf8), but nothing said so: the report, the terminal and the JSON answer showed `Caf\ufffd` as
if logged so. Now a stated finding, `not utf-8`, names the file, how many lines and the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse


def _line(minute: int, ip: str, agent: bytes) -> bytes:
    return (f'{ip} - - [10/Mar/2024:10:{minute:02d}:00 +0100] "GET /docs/leak.xlsx HTTP/1.1" 200 18412 "-" "'
            .encode() + agent + b'"\n')


def test_bytes_that_are_not_utf8_are_said(tmp_path: Path) -> None:
    text = (_line(0, "198.51.100.1", b"Mozilla/5.0") + _line(1, "198.51.100.2", b"Caf\xe9 browser")
            + _line(2, "198.51.100.3", b"Mozilla/5.0") + _line(3, "198.51.100.4", b"na\xefve/1.0"))
    answer = analyse(tmp_path, "access.log", text, "/docs/leak.xlsx")
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert [r["bad_utf8"] for r in answer.rows] == [False, True, False, True]
    assert answer.rows[1]["user_agent"] == "Caf\ufffd browser"
    [finding] = [f for f in answer.cli["evidence_status"]["findings"] if f["kind"] == "not utf-8"]
    assert (finding["severity"], finding["count"]) == ("stated", 1)
    assert finding["detail"].endswith("access.log: 2 of its 4 lines held bytes that are not UTF-8 (another encoding, such "
                                      "as Latin-1): shown with U+FFFD in their place (the first: line 2); the bytes as "
                                      "logged are in the file at each row's byte_offset (column bad_utf8)")
    assert answer.cli["evidence_status"]["complete"] is True


def test_utf8_text_has_no_such_finding(tmp_path: Path) -> None:
    text = _line(0, "198.51.100.1", "Café browser".encode()) + _line(1, "198.51.100.2", b"Mozilla/5.0")
    answer = analyse(tmp_path, "access.log", text, "/docs/leak.xlsx")
    assert [f for f in answer.cli["evidence_status"]["findings"] if f["kind"] == "not utf-8"] == []


_W3C_HEAD = (b"#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2024-03-10 10:00:00\r\n")
_W3C_FIELDS = (b"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
               b"cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken\r\n")


def _w3c(agent: bytes) -> bytes:
    return (b"2024-03-10 10:00:00 10.0.0.1 GET /docs/leak.xlsx - 443 - 198.51.100.1 " + agent
            + b" - 200 0 0 18412 15\r\n")


@pytest.mark.parametrize(("remark", "said"), [
    # a comment of plain bytes: the file's real line count (its comments too), one line of bad bytes
    (b"#Remark: plain\r\n", "1 of its 6 lines held bytes that are not UTF-8 (another encoding, such as Latin-1): "
                            "shown with U+FFFD in their place (the first: line 6)"),
    # a skipped comment holding bad bytes counts too, and comes first (review: it was left out)
    (b"#Remark: Caf\xe9\r\n", "2 of its 6 lines held bytes that are not UTF-8 (another encoding, such as Latin-1): "
                              "shown with U+FFFD in their place (the first: line 4)"),
], ids=["comment-plain", "comment-latin1"])
def test_skipped_lines_count_in_the_not_utf8_finding(tmp_path: Path, remark: bytes, said: str) -> None:
    text = _W3C_HEAD + remark + _W3C_FIELDS + _w3c(b"Caf\xe9")
    answer = analyse(tmp_path, "u_ex240310.log", text, "/docs/leak.xlsx")
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["lines"], ev["requests"], ev["skipped"]) == (6, 1, 5)
    [finding] = [f for f in answer.cli["findings"] if f["kind"] == "not utf-8"]
    assert finding["detail"].startswith(said), finding["detail"]
    assert (finding["lines"], finding["of_lines"]) == ((2, 6) if b"\xe9" in remark else (1, 6))
