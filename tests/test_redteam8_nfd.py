"""Red team 8: a file name written decomposed (NFD: `e` + U+0308, as macOS writes names) against a target typed
composed (NFC: `ë`). The two strings differ, so the target had no request, and nothing pointed at the path
that was downloaded: `files` showed two rows that read alike, and `analyse` said "possible copies: none".
Now the decomposed path is a possible copy by spelling (queries/possible_copies.sql server_spelling compares
in NFC) and every door shows its combining mark as an escape (exposure.escaping.visible)."""

from __future__ import annotations

from pathlib import Path

from exposure.escaping import display, visible
from tests.servers import analyse

NFC = "/docs/lijst-\u00eb.xlsx"
NFD_LOGGED = "/docs/lijst-e%CC%88.xlsx"  # as the browser sends the decomposed name


def _line(minute: int, ip: str, path: str, status: int, size: int) -> str:
    return f'{ip} - - [08/Jun/2020:10:{minute:02d}:00 +0200] "GET {path} HTTP/1.1" {status} {size} "-" "ua"\n'


def test_a_decomposed_name_is_a_possible_copy_of_the_composed_target(tmp_path: Path) -> None:
    log = (_line(0, "198.51.100.1", NFD_LOGGED, 200, 1000) + _line(1, "198.51.100.2", NFD_LOGGED, 200, 1000)
           + _line(2, "198.51.100.3", "/docs/lijst-%C3%AB.xlsx", 404, 200))
    answer = analyse(tmp_path, "access.log", log, NFC)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 0 and answer.target["windows"] == []
    [copy] = answer.target["possible_copies"]
    assert (copy["path"], copy["size_match"], copy["complete_downloads"], copy["distinct_ips"]) == (
        "/docs/lijst-e\u0308.xlsx", "spelling", 2, 2)
    [said] = [f for f in answer.cli["evidence_status"]["findings"] if f["kind"] == "possible copy"]
    assert (said["count"], said["paths"]) == (1, ["/docs/lijst-e\u0308.xlsx"])
    assert "letters decomposed: NFD" in said["detail"]


def test_a_decomposed_letter_never_reads_as_the_composed_one() -> None:
    assert visible("/docs/lijst-e\u0308.xlsx") == "/docs/lijst-e\\u0308.xlsx"
    assert display("/docs/lijst-e\u0308.xlsx") != display(NFC) == NFC
    # writing that is composed (NFC) stays as it is, marks NFC keeps apart too (Vietnamese, Devanagari nukta)
    assert visible("Ti\u1ebfng Vi\u1ec7t") == "Ti\u1ebfng Vi\u1ec7t"
    assert visible("\u0915\u093c") == "\u0915\u093c"
