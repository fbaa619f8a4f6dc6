"""Reading rules for plain content: a UTF-8 BOM, CR-only and mixed line endings, huge lines, UTF-16/32 refused,
sampling past a huge first line, and lines read back exactly as they were numbered."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import pytest

from exposure import evidence, lines

LINE = b'84.29.143.61 - - [08/Jun/2020:14:12:18 +0200] "GET /a HTTP/1.1" 200 10 "-" "Mozilla/5.0"'


def _read(path: Path, block_size: int = 7) -> tuple[list[tuple[int, int, str, str | None]], evidence.ReadStats]:
    ev = evidence.describe(path, str(path), None)
    stats = evidence.ReadStats()
    out = []
    for chunk in evidence.read_lines(ev, stats, block_size=block_size):
        texts = evidence.line_texts(chunk.lines, chunk.newline).to_pylist()
        out += [(n, o, t, chunk.forced) for n, o, t in zip(chunk.line_no.tolist(), chunk.byte_offset.tolist(), texts,
                                                           strict=True)]
    return out, stats


@pytest.mark.parametrize("pack", [pytest.param(lambda b: b, id="plain"), pytest.param(gzip.compress, id="gzip"),
                                  pytest.param(bz2.compress, id="bzip2")])
def test_utf8_bom_is_taken_off_the_first_line(tmp_path: Path, pack) -> None:
    content = b"\xef\xbb\xbf" + LINE + b"\n" + LINE + b"\n"
    path = tmp_path / "bom.log"
    path.write_bytes(pack(content))
    got, stats = _read(path)
    assert [(n, o) for n, o, _, _ in got] == [(1, 3), (2, 3 + len(LINE) + 1)]
    assert got[0][2].startswith("84.29.143.61 ") and "\ufeff" not in got[0][2]
    assert stats.bom == "utf-8" and stats.content_bytes == len(content)
    ev = evidence.describe(path, str(path), None)
    assert evidence.raw_lines(ev, {1: 3, 2: None}) == {1: LINE, 2: LINE}  # offsets stay exact into the content


def test_cr_only_file_has_cr_lines(tmp_path: Path) -> None:
    content = b"first\rsecond\r\rfourth\n still fourth\rlast"
    path = tmp_path / "mac.log"
    path.write_bytes(content)
    got, stats = _read(path)
    assert [(n, o, t) for n, o, t, _ in got] == [(1, 0, "first"), (2, 6, "second"), (3, 13, ""),
                                                 (4, 14, "fourth\n still fourth"), (5, 35, "last")]
    assert stats.line_endings == "mixed" and stats.final_newline is False  # a "\n" in a "\r" file
    path.write_bytes(content.replace(b"\n", b""))
    _, stats = _read(path)
    assert stats.line_endings == "cr" and stats.lines == 5
    packed = tmp_path / "mac.log.gz"
    packed.write_bytes(gzip.compress(content))
    for p in (path, packed):
        raw = evidence.raw_lines(evidence.describe(p, str(p), None), {2: 6 if p is path else None, 3: None})
        assert raw == {2: b"second", 3: b""}


@pytest.mark.parametrize(("content", "endings"), [
    pytest.param(b"a\nb\n", "lf", id="lf"),
    pytest.param(b"a\r\nb\r\n", "crlf", id="crlf"),
    pytest.param(b"a\r\nb\n", "mixed", id="mixed"),
    # a lone CR with text either side joins lines (joined_lines): not every line ends at LF (before: lf)
    pytest.param(b"a\nb \r inside\n", "mixed", id="lone-cr-joins"),
    pytest.param(b"a\n" * 62 + b"m\r" * 39 + b"z\n", "mixed", id="a-mac-part-joined"),
    pytest.param(b"a\rb\rc\r\n", "mixed", id="cr-file-with-crlf"),
    pytest.param(b"no newline at all", None, id="none"),
])
def test_line_endings_recorded(tmp_path: Path, content: bytes, endings: str | None) -> None:
    path = tmp_path / "e.log"
    path.write_bytes(content)
    _, stats = _read(path, block_size=3)
    assert stats.line_endings == endings


def test_overlong_line_is_not_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line past MAX_LINE is kept as its first KEEP bytes, rejected with its length, and passed over: the
    reader's memory does not grow with it. Numbering and offsets of the lines after it stay exact."""
    monkeypatch.setattr(lines, "MAX_LINE", 100)
    monkeypatch.setattr(lines, "KEEP", 10)
    content = LINE + b"\n" + b"x" * 1000 + b"\n" + LINE + b"\n" + b"y" * 500
    path = tmp_path / "long.log"
    path.write_bytes(content)
    got, stats = _read(path, block_size=64)
    assert [(n, o) for n, o, _, _ in got] == [(1, 0), (2, len(LINE) + 1), (3, len(LINE) + 1002),
                                              (4, 2 * len(LINE) + 1003)]
    assert got[1][2] == "x" * 10 and got[1][3].startswith("a line of 1001 bytes, longer than 100: not parsed")
    assert got[3][2] == "y" * 10 and "a line of 500 bytes" in got[3][3]
    assert got[2][2] == LINE.decode() and got[2][3] is None
    assert stats.lines == 4 and stats.content_bytes == len(content) and not stats.final_newline


def test_sniff_looks_past_a_huge_first_line(tmp_path: Path) -> None:
    path = tmp_path / "access.log"
    path.write_bytes(b"GET /" + b"A" * (1 << 20) + b"\n" + (LINE + b"\n") * 5)
    sniffed = evidence.sniff(evidence.describe(path, str(path), None))
    assert sniffed.refusal is None and sniffed.text == (LINE + b"\n") * 5


def test_sniff_samples_long_lines_where_every_line_is_long(tmp_path: Path) -> None:
    """A log whose every line is over SNIFF_LINE_MAX (huge user agents) is sampled from those lines, not empty."""
    long_line = LINE + b" " + b"A" * evidence.SNIFF_LINE_MAX
    path = tmp_path / "access.log"
    path.write_bytes((long_line + b"\n") * 2)
    sniffed = evidence.sniff(evidence.describe(path, str(path), None))
    assert sniffed.refusal is None and sniffed.text == (long_line + b"\n") * 2


@pytest.mark.parametrize(("data", "says"), [
    pytest.param("a\nb\n".encode("utf-16"), "UTF-16 text: convert to UTF-8 first (iconv -f UTF-16 -t UTF-8)",
                 id="utf-16-bom"),
    pytest.param(LINE.decode().encode("utf-16-le") * 3, "UTF-16LE text without a byte-order mark: convert to UTF-8 "
                 "first (iconv -f UTF-16LE -t UTF-8)", id="utf-16le-no-bom"),
    pytest.param(LINE.decode().encode("utf-16-be") * 3, "(iconv -f UTF-16BE -t UTF-8)", id="utf-16be-no-bom"),
    pytest.param("a\n".encode("utf-32"), "UTF-32 text: convert to UTF-8 first", id="utf-32-bom"),
    pytest.param(LINE.decode().encode("utf-32-le"), "(iconv -f UTF-32LE -t UTF-8)", id="utf-32le-no-bom"),
])
def test_utf16_and_utf32_are_refused(tmp_path: Path, data: bytes, says: str) -> None:
    path = tmp_path / "u.log"
    path.write_bytes(data)
    refusal = evidence.sniff(evidence.describe(path, str(path), None)).refusal
    assert refusal is not None and says in refusal


@pytest.mark.parametrize("data", [pytest.param(LINE + b"\n", id="utf-8"),
                                  pytest.param(b"\x00" * 64, id="zeros"),
                                  pytest.param("caf\u00e9 \u4e2d\u6587\n".encode() * 20, id="non-ascii-utf-8")])
def test_utf8_and_binary_are_not_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "u.log"
    path.write_bytes(data)
    assert evidence.sniff(evidence.describe(path, str(path), None)).refusal is None


@pytest.mark.parametrize("block_size", [7, 1 << 20])
@pytest.mark.parametrize("pack", [pytest.param(lambda b: b, id="plain"), pytest.param(gzip.compress, id="gzip"),
                                  pytest.param(bz2.compress, id="bzip2")])
def test_byte_order_marks_inside_a_file_are_taken_off_their_lines(tmp_path: Path, pack, block_size: int) -> None:
    """Two files joined end to end (`cat a.log b.log`), each begun with a BOM: the second mark starts a line."""
    mark = b"\xef\xbb\xbf"
    content = mark + LINE + b"\n" + LINE + b"\n" + mark + LINE + b"\n" + mark + b"\n" + LINE + b"\n"
    path = tmp_path / "joined.log"
    path.write_bytes(pack(content))
    got, stats = _read(path, block_size)
    second = 3 + 2 * (len(LINE) + 1)
    assert [(n, o) for n, o, _, _ in got] == [(1, 3), (2, 3 + len(LINE) + 1), (3, second),
                                              (4, second + len(LINE) + 4), (5, second + len(LINE) + 8)]
    assert [t for _, _, t, _ in got] == [LINE.decode()] * 3 + ["", LINE.decode()]  # a line of only a mark is blank
    assert (stats.bom, stats.facts.bom_lines, stats.facts.first_bom_line) == ("utf-8", 2, 3)
    assert stats.registry()["bom_lines"] == 2 and stats.lines == 5
    ev = evidence.describe(path, str(path), None)
    # raw lines are read back whole, the mark included (the offsets are where the lines start)
    assert evidence.raw_lines(ev, {3: second if pack(b"") == b"" else None}) == {3: mark + LINE}


def test_a_joined_files_mark_does_not_make_a_second_client(tmp_path: Path) -> None:
    """The trap of a first-line BOM (the address no longer matches --internal, one client counted as two) where
    files were joined: the client of the line after the mark is the plain address, and the finding is said."""
    from exposure import Case

    plain = LINE.replace(b"84.29.143.61", b"10.1.2.3")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "joined.log").write_bytes(LINE + b"\n" + b"\xef\xbb\xbf" + plain + b"\n" + plain + b"\n")
    (logs / "other.log").write_bytes(LINE + b"\n")  # the small files' batch reads it with joined.log
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([logs])
        clients = case.sql("SELECT client, count(*) FROM requests GROUP BY ALL ORDER BY ALL", arrow=True)
        assert clients.to_pylist() == [{"client": "10.1.2.3", "count_star()": 2},
                                       {"client": "84.29.143.61", "count_star()": 2}]
        [said] = [f for f in case.findings() if f.kind == "inner byte-order marks"]
        assert (said.path, said.lines, said.of_lines) == (str(logs / "joined.log"), 1, 3)
        assert "(the first: line 2)" in said.detail


W3C = (b"#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem "
       b"sc-status sc-bytes\n")
W3C_LINE = b"2020-06-08 12:12:18 84.29.143.61 GET /a 200 10"


@pytest.mark.parametrize("block_size", [7, 1 << 20])
@pytest.mark.parametrize("run", [300, 70_000])
def test_copytruncate_nuls_at_the_start_are_taken_off_the_first_line(tmp_path: Path, block_size: int,
                                                                      run: int) -> None:
    """logrotate copytruncate: the file was copied and emptied while the server wrote on at its old offset, so
    it starts with NUL bytes and the first line follows them directly. The line is read (nothing is lost: the
    NULs stand for what the copy holds), the run is said as a note, not damage; raw, the line keeps them."""
    path = tmp_path / "access.log"
    path.write_bytes(b"\0" * run + LINE + b"\n" + LINE + b"\n")
    got, stats = _read(path, block_size)
    assert [(n, o, t) for n, o, t, _ in got] == [(1, 0, LINE.decode()), (2, run + len(LINE) + 1, LINE.decode())]
    row = stats.registry()
    assert row["damage"] is None
    assert f"{run} NUL bytes at the start" in row["read_errors"] and "copytruncate" in row["read_errors"]
    ev = evidence.describe(path, str(path), None)
    assert evidence.raw_lines(ev, {1: 0}) == {1: b"\0" * run + LINE}
    assert evidence.sniff(ev).refusal is None


@pytest.mark.parametrize("pack", [pytest.param(lambda b: b, id="plain"), pytest.param(gzip.compress, id="gzip")])
@pytest.mark.parametrize("run", [16, 500])
def test_nuls_in_place_of_lines_are_damage(tmp_path: Path, pack, run: int) -> None:
    """A file preallocated then crashed: a stretch of lines reads as NUL bytes. What was there is lost, so the
    file is damaged at the run's offset (exit code 3); what follows the run on its line is rejected (its start may
    be lost with the NULs: red team 4), kept with the run taken off."""
    path = tmp_path / "access.log"
    at = len(LINE) + 1
    path.write_bytes(pack(LINE + b"\n" + b"\0" * run + LINE + b"\n"))
    got, stats = _read(path)
    assert [(n, o, t) for n, o, t, _ in got] == [(1, 0, LINE.decode()), (2, at, LINE.decode())]
    assert [f for *_, f in got] == [None, f"begins after {run} NUL bytes in place of content: the start of the line "
                                          "may be lost with them"]
    row = stats.registry()
    assert (row["damage"], row["damage_offset"]) == ("damaged", at)
    assert f"{run} NUL bytes at byte {at} (line 2)" in row["damage_detail"]


@pytest.mark.parametrize("content", [pytest.param(b"\0" * 4096, id="only-nuls"),
                                     # not ending on a 4096-byte block boundary: a crash's zeroed blocks do
                                     # (tests/test_nul_start.py); copytruncate's hole ends at the old size
                                     pytest.param(b"\0" * ((17 << 20) + 1000) + (LINE + b"\n") * 3,
                                                  id="run-past-the-sample")])
def test_a_file_that_begins_with_a_long_nul_run(tmp_path: Path, content: bytes) -> None:
    """A copytruncate run longer than detection's sample budget (16 MiB: the log was that long when emptied):
    the lines after it are the sample (the file was "not a log", its requests dropped); a file of NULs alone
    is no log, said in one line (it crashed detection: NameError)."""
    from exposure import Case
    from exposure.errors import NotALogError

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_bytes(content)
    with Case(tmp_path / "c.duckdb") as case:
        if not content.endswith(b"\n"):
            with pytest.raises(NotALogError, match="no access log found"):
                case.ingest([logs])
            return
        [outcome] = case.ingest([logs]).files
    assert (outcome.verdict, outcome.format, outcome.requests) == ("ingested", "combined", 3)


def test_a_w3c_file_after_copytruncate_keeps_its_first_request(tmp_path: Path) -> None:
    """End to end: the NULs before a W3C header do not hide the header nor lose the first request."""
    from exposure import Case

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "u_ex200608.log").write_bytes(b"\0" * 5000 + W3C + W3C_LINE + b"\n" + W3C_LINE.replace(b"12:18", b"12:19")
                                          + b"\n")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([logs])
        [row] = case.sql("SELECT format, lines, requests, rejected, skipped, damage FROM evidence").to_dict("records")
        assert (row["format"], row["lines"], row["requests"], row["rejected"], row["skipped"], row["damage"]) == (
            "iis", 4, 2, 0, 2, None)
        [note] = [f for f in case.findings() if f.kind == "read note"]
        assert note.severity == "stated" and "5000 NUL bytes at the start" in note.detail


@pytest.mark.parametrize("block_size", [64, 150, 1 << 16], ids=["spans-blocks", "starts-late-in-block", "in-one-block"])
def test_an_overlong_line_is_rejected_wherever_it_lies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      block_size: int) -> None:
    """Red team 11: a line past MAX_LINE was rejected only where MAX_LINE of it lay in one read block without its
    end; held whole inside a block it was parsed (a 20 MiB user agent: a request at byte 91 or 22 MiB of a file,
    rejected at 13.7 MiB). One rule, wherever the line lies: rejected with its length, its first KEEP bytes kept."""
    monkeypatch.setattr(lines, "MAX_LINE", 100)
    monkeypatch.setattr(lines, "KEEP", 10)
    content = LINE + b"\n" + b"x" * 101 + b"\n" + b"z" * 100 + b"\n" + LINE + b"\n"
    path = tmp_path / "long.log"
    path.write_bytes(content)
    got, stats = _read(path, block_size=block_size)
    assert [(n, o) for n, o, _, _ in got] == [(1, 0), (2, len(LINE) + 1), (3, len(LINE) + 103),
                                              (4, len(LINE) + 204)]
    assert got[1][2] == "x" * 10 and got[1][3].startswith("a line of 102 bytes, longer than 100: not parsed")
    assert got[2][2] == "z" * 100 and got[2][3] is None  # MAX_LINE bytes and its terminator: a line like any
    assert [g[3] for g in (got[0], got[3])] == [None, None]
    assert stats.lines == 4 and stats.content_bytes == len(content)
