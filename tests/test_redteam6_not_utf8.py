"""Lines holding bytes that are not UTF-8 (a Latin-1 user agent, `Caf\\xe9`) are stored with U+FFFD in their place
and flagged (bad_utf8), but nothing said so: the report, the terminal and the JSON answer showed `Caf\ufffd` as
if logged so. Now a stated finding, `not utf-8`, names the file, how many lines and the first."""

from __future__ import annotations

from pathlib import Path

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
