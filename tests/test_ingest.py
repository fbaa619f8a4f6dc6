"""Ingest: every line accounted for, rejects with reasons, duplicates by content, non-logs recorded."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from exposure import Case, InputError, NotALogError
from tests.conftest import write_log
from tests.logs import clf, t

GOOD = clf("198.51.100.7", t(8, 12), "/docs/x.xlsx")


def _evidence(case: Case) -> list[dict]:
    return case.evidence().to_dict("records")


def test_every_line_accounted_for_with_hostile_bytes(tmp_path: Path) -> None:
    lines: list[str | bytes] = [
        GOOD,
        b"\x00\x01\x02 junk \xff\xfe",  # garbage: rejected, not lost
        clf("198.51.100.8", t(8, 12, 1), "/caf\xe9.html").encode("latin-1"),  # invalid UTF-8: still a request
        "",
        "# a comment",
        clf("198.51.100.9", "31/Jun/2020:10:00:00 +0200", "/x"),  # impossible date
        GOOD[:60],  # truncated
        clf("198.51.100.10", t(8, 12, 2), "/with\rcr"),
        "   ",
    ]
    path = write_log(tmp_path / "hostile.log", lines)
    with Case() as case:
        case.ingest([path])
        (e,) = _evidence(case)
        assert (e["lines"], e["requests"], e["rejected"], e["skipped"]) == (9, 3, 3, 3)
        assert e["lines"] == e["requests"] + e["rejected"] + e["skipped"]
        rejects = case.rejects()
        assert rejects["line_no"].tolist() == [2, 6, 7]
        reasons = rejects["reason"].tolist()
        assert reasons[0].startswith("does not match")
        assert reasons[2].startswith("an unpaired quote")  # cut inside the request: the specific reason
        assert reasons[1] == "invalid timestamp: 31/Jun/2020:10:00:00 +0200"
        req = case.sql("SELECT line_no, path, bad_utf8 FROM requests ORDER BY line_no")
        assert req["line_no"].tolist() == [1, 3, 8]
        assert req["path"].tolist()[1] == "/caf\ufffd.html" and bool(req["bad_utf8"][1]) is True
        skipped = case.sql("SELECT line_no, kind FROM skipped ORDER BY line_no")
        assert skipped.values.tolist() == [[4, "blank"], [5, "comment"], [9, "blank"]]


def test_request_fields_are_normalised(tmp_path: Path) -> None:
    lines = [
        '203.0.113.5 - alice [08/Jun/2020:14:12:18 +0200] "GET /a%20b/file.xlsx?download=1&x=%41 HTTP/1.1" 200 '
        '4096 "https://news.example/artikel" "Mozilla/5.0 \\"quoted\\""',
        'crawler.example.org - - [08/Jun/2020:14:12:19 -0400] "GET /ksc.html" 304 -',
        '2001:db8::1 - - [08/Jun/2020:14:12:20 +0000] "GET  http://www.example.nl/p?q  HTTP/1.0" 404 0 "-" "-"',
    ]
    with Case() as case:
        case.ingest([write_log(tmp_path / "n.log", lines)])
        rows = case.sql("SELECT * FROM requests ORDER BY line_no").to_dict("records")
    a, b, c = rows
    assert str(a["ts_utc"]) == "2020-06-08 12:12:18+00:00" and a["utc_offset_min"] == 120
    assert (a["client"], a["userid"], a["method"], a["path"], a["query"], a["protocol"]) == (
        "203.0.113.5", "alice", "GET", "/a b/file.xlsx", "download=1&x=%41", "HTTP/1.1")
    assert (a["status"], a["bytes"], a["referer"], a["user_agent"]) == (
        200, 4096, "https://news.example/artikel", 'Mozilla/5.0 "quoted"')
    assert bool(a["client_is_hostname"]) is False
    assert str(b["ts_utc"]) == "2020-06-08 18:12:19+00:00" and b["utc_offset_min"] == -240
    assert b["client"] == "crawler.example.org" and bool(b["client_is_hostname"]) is True
    assert pd.isna(b["protocol"]) and b["path"] == "/ksc.html" and b["status"] == 304
    assert pd.isna(b["bytes"])
    assert c["client"] == "2001:db8::1" and c["path"] == "/p" and c["query"] == "q"
    assert pd.isna(c["referer"]) and pd.isna(c["user_agent"])


def test_duplicates_by_content_renamed_and_gzipped(tmp_path: Path) -> None:
    lines = [clf("198.51.100.7", t(8, 12, i), "/x") for i in range(5)]
    original = write_log(tmp_path / "logs" / "access.log", lines)
    write_log(tmp_path / "logs" / "copy-of-access.txt", lines)
    write_log(tmp_path / "logs" / "access.log.1.gz", lines, compress="gzip")
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        ev = _evidence(case)
        verdicts = {Path(e["path"]).name: (e["verdict"], e["duplicate_of"]) for e in ev}
        first_id = min(e["evidence_id"] for e in ev)
        assert verdicts == {"access.log": ("ingested", None), "access.log.1.gz": ("duplicate", first_id),
                            "copy-of-access.txt": ("duplicate", first_id)}
        assert case.sql("SELECT count(*) AS n FROM requests")["n"][0] == 5
        # a second ingest of the same files changes nothing
        before = case.sql("SELECT count(*) AS n FROM evidence")["n"][0]
        case.ingest([original, tmp_path / "logs"])
        assert case.sql("SELECT count(*) AS n FROM evidence")["n"][0] == before
        assert case.sql("SELECT count(*) AS n FROM requests")["n"][0] == 5


def test_the_servers_file_is_the_original_whatever_the_ingest_order(tmp_path: Path) -> None:
    """The citation rule (queries/citation.sql): the copy ingested first, the server's rotation in a later run;
    the rotation ends up cited with the request rows, the copy listed as its duplicate, the numbers unchanged."""
    lines = [clf("198.51.100.7", t(8, 12, i), "/x") for i in range(5)] + ["not a request line"]
    copy = write_log(tmp_path / "mail" / "kopie van access.log", lines)
    original = write_log(tmp_path / "web1" / "access.log-20200609.gz", lines, compress="gzip")
    with Case() as case:
        [first] = case.ingest([copy]).files
        assert first.verdict == "ingested"
        [second] = case.ingest([original]).files
        assert (second.verdict, second.replaces) == ("ingested", [first.evidence_id])
        rows = {Path(e["path"]).name: e for e in _evidence(case)}
        assert (rows["kopie van access.log"]["verdict"], rows["kopie van access.log"]["duplicate_of"]) == (
            "duplicate", second.evidence_id)
        assert rows["access.log-20200609.gz"]["verdict"] == "ingested"
        for table in ("requests", "rejects"):
            assert case.sql(f"SELECT DISTINCT evidence_id AS e FROM {table}")["e"].tolist() == [second.evidence_id]
        assert case.sql("SELECT count(*) AS n FROM requests")["n"][0] == 5
        # both keep their accounting: the copy's lines are the original's, line for line
        for e in rows.values():
            assert e["lines"] == e["requests"] + e["rejected"] + e["skipped"] == 6


def test_non_log_in_folder_is_recorded_and_run_goes_on(tmp_path: Path) -> None:
    write_log(tmp_path / "in" / "access.log", [GOOD])
    (tmp_path / "in" / "README.md").write_text("# Logs handed over\n\nThese are the logs of June.\n")
    with zipfile.ZipFile(tmp_path / "in" / "sheet.xlsx", "w") as sheet:  # a document: its content types first
        sheet.writestr("[Content_Types].xml", "<Types/>")
        sheet.writestr("xl/workbook.xml", bytes(range(256)) * 4)
    with Case() as case:
        result = case.ingest([tmp_path / "in"])
        verdicts = sorted((Path(f.path).name, f.verdict) for f in result.files)
        assert verdicts == [("README.md", "not a log"), ("access.log", "ingested"), ("sheet.xlsx", "not a log")]
        ev = {Path(e["path"]).name: e for e in _evidence(case)}
        assert len(ev["sheet.xlsx"]["sha256"]) == 64 and ev["sheet.xlsx"]["lines"] is None


@pytest.mark.parametrize("make, error", [
    pytest.param(lambda d: [d / "missing.log"], InputError, id="missing-path"),
    pytest.param(lambda d: [(d / "notes.txt", (d / "notes.txt").write_text("hello\nworld\n"))[0]], NotALogError,
                 id="named-non-log"),
    pytest.param(lambda d: [((d / "docs").mkdir(), (d / "docs" / "a.txt").write_text("plain text\n"), d / "docs")[2]],
                 NotALogError, id="folder-without-log"),
])
def test_bad_input_writes_nothing(tmp_path: Path, make, error) -> None:
    inputs = make(tmp_path)
    case_path = tmp_path / "case.duckdb"
    with Case(case_path) as case:
        with pytest.raises(error):
            case.ingest(inputs)
        assert case.sql("SELECT count(*) AS n FROM evidence")["n"][0] == 0


def test_forced_format_rejects_instead_of_guessing(tmp_path: Path) -> None:
    path = write_log(tmp_path / "odd.txt", ["not a log line at all", GOOD])
    with Case() as case:
        case.ingest([path], options=__import__("exposure").IngestOptions(format="combined"))
        (e,) = _evidence(case)
        assert (e["verdict"], e["requests"], e["rejected"]) == ("ingested", 1, 1)


def test_same_file_twice_in_one_call_is_one_evidence(tmp_path: Path) -> None:
    path = write_log(tmp_path / "a.log", [GOOD])
    shutil.copy(path, tmp_path / "b.log")
    with Case() as case:
        case.ingest([path, path])
        assert len(_evidence(case)) == 1


def test_a_copy_replaced_in_the_same_run_is_reported_as_the_copy(tmp_path: Path) -> None:
    lines = [clf("198.51.100.7", t(8, 12, i), "/x") for i in range(3)]
    write_log(tmp_path / "a-mail" / "access.log.bak", lines)  # sorts, and is ingested, first
    write_log(tmp_path / "web1" / "access.log", lines)
    with Case() as case:
        copy, original = case.ingest([tmp_path]).files
    assert (copy.verdict, copy.duplicate_of) == ("duplicate", original.evidence_id)
    assert (original.verdict, original.replaces) == ("ingested", [copy.evidence_id])


def _common(ip: str, second: int, status: int, size: int) -> str:
    return f'{ip} - - [08/Jun/2020:14:00:{second:02d} +0200] "GET /docs/x.zip HTTP/1.1" {status} {size}'


@pytest.mark.parametrize("fmt", ["combined", "w3c"])
def test_a_client_with_control_characters_is_rejected(tmp_path: Path, fmt: str) -> None:
    """A few NULs (fewer than a run taken off) before a line: its client was `\\x00...203.0.113.5`, another
    "address" with a download of its own, nothing said. Rejected with its reason, said as rejected lines."""
    if fmt == "combined":
        good = [clf(f"198.51.100.{n}", t(8, 12, n), "/docs/x.xlsx", size=48213) for n in range(1, 4)]
        text = (good[0] + "\n" + "\0" * 5 + good[1] + "\n" + good[2] + "\n").encode()
    else:
        head = "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes\n"
        rows = [f"2020-06-08 12:0{n}:00 198.51.100.{n} GET /docs/x.xlsx 200 48213" for n in range(1, 4)]
        text = (head + rows[0] + "\n" + rows[1].replace(" 198.", " \x01\x00198.") + "\n" + rows[2] + "\n").encode()
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "access.log").write_bytes(text)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        clients = set(case.sql("SELECT client FROM requests")["client"])
        [reason] = case.sql("SELECT reason FROM rejects")["reason"]
    assert clients == {"198.51.100.1", "198.51.100.3"}
    assert reason.startswith("control characters in the client address field")


def test_a_cut_w3c_line_completed_after_the_next_files_header_is_counted_once(tmp_path: Path) -> None:
    """The whole line is the next file's first request, after its #Fields header (line 3, not line 1)."""
    head = "#Version: 1.0\n#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cs(User-Agent)\n"
    rows = [f"2020-06-08 12:0{n}:00 198.51.100.{n} GET /docs/x.xlsx 200 48213 Mozilla/5.0+(X11)" for n in range(1, 5)]
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "u_ex200608_1.log").write_bytes((head + "\n".join(rows[:3]) + "\n" + rows[3][:-3]).encode())
    (logs / "u_ex200608_2.log").write_bytes((head + rows[3] + "\n").encode())
    with Case() as case:
        case.ingest([logs])
        assert case.totals("/docs/x.xlsx")["complete_downloads"] == 4
        assert [f.kind for f in case.findings() if f.kind == "overlap"] == ["overlap"]


def test_a_last_line_that_begins_another_by_chance_is_counted(tmp_path: Path) -> None:
    """Two range requests of one client in one second, `206 1000` ending one file (no final newline) and
    `206 10000` in another that is no copy of it: the first's bytes begin the second's, and both are counted."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log.1").write_bytes("\n".join(
        [_common(f"198.51.100.{n}", n, 200, 5) for n in range(1, 5)] + [_common("203.0.113.5", 9, 206, 1000)]).encode())
    (logs / "access.log").write_bytes(("\n".join(
        [_common(f"192.0.2.{n}", 1 + n, 200, 7) for n in range(1, 5)] + [_common("203.0.113.5", 9, 206, 10000)])
        + "\n").encode())
    with Case() as case:
        case.ingest([logs])
        assert case.sql("SELECT count(*) AS n FROM overlap_lines")["n"][0] == 0
        assert not [f for f in case.findings() if f.kind == "overlap"]


def test_a_cut_line_is_compared_only_with_the_bytes_registered(tmp_path: Path) -> None:
    """The rotation holding the whole line moved away before the next ingest: not read (it was a crash,
    FileNotFoundError, exit 1); the cut line is counted as it parses."""
    lines = [clf(f"198.51.100.{n}", t(8, 12, n), "/docs/x.xlsx", size=48213) for n in range(1, 5)]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "access.log").write_bytes(("\n".join(lines) + "\n").encode())
    (tmp_path / "b" / "access.log.1").write_bytes(("\n".join(lines[:3]) + "\n").encode() + lines[3].encode()[:83])
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "a"])
    (tmp_path / "a").rename(tmp_path / "gone")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "b"])
        assert case.sql("SELECT count(*) AS n FROM overlap_lines WHERE line_no = 4")["n"][0] == 0


@pytest.mark.parametrize(("cut", "parses"), [(60, False), (79, True), (83, True), (95, True)],
                         ids=["in-the-path", "in-the-bytes", "after-the-bytes", "in-the-agent"])
def test_a_cut_last_line_completed_in_the_next_rotation_is_counted_once(tmp_path: Path, cut: int,
                                                                          parses: bool) -> None:
    """A rotation copied while it was written ends mid-line; the server's next rotation begins with that line,
    whole. Where the cut line still parses (a byte count cut short, an agent cut off: exposure/lastline.py) it is the same request as
    the whole one: counted once, from the whole line, and said as an overlap; never a second (or a partial)
    download."""
    lines = [clf(f"198.51.100.{n}", t(8, 12, n), "/docs/x.xlsx", size=48213, ua="Mozilla/5.0 (X11)")
             for n in range(1, 5)]
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log.1").write_bytes(("\n".join(lines[:3]) + "\n").encode() + lines[3].encode()[:cut])
    (logs / "access.log").write_bytes(("\n".join(lines[3:]) + "\n").encode())
    with Case() as case:
        case.ingest([logs])
        totals = case.totals("/docs/x.xlsx")
        assert (totals["complete_downloads"], totals["partial_downloads"]) == (4, 0)
        said = [f for f in case.findings() if f.kind == "overlap"]
        assert [(f.path, f.related_path, f.line_ranges, f.related_line_ranges) for f in said] == (
            [(str(logs / "access.log.1"), str(logs / "access.log"), "4", "1")] if parses else [])
        assert [f.kind for f in case.findings() if f.path == str(logs / "access.log.1")] == (
            ["overlap", "cut off"] if parses else ["cut off", "rejected lines"])
