"""A damaged gzip member proven, by its own CRC-32 and size, a corrupted copy of an intact file's bytes
(exposure/corruption.py): its lines that are not those bytes' lines in their place are rejected (`corrupted: ...`), the
intact file's lines counted; where no intact bytes have its CRC-32 and size, nothing changes (counted as read,
marked, `damaged`, exit code 3)."""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.formats.base import GLUED_REASON
from tests.servers import GEO_OFF

TARGET = "/lijst.xlsx"
SIZE = 5000


def _text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _line(ip: str, t: str, path: str, size: int, agent: str) -> str:
    return f'{ip} - - [10/Mar/2024:{t} +0000] "GET {path} HTTP/1.1" 200 {size} "-" "{agent}"'


def _log() -> list[str]:
    """Five downloads of the target by five addresses, each followed by a page request."""
    lines = []
    for i in range(1, 6):
        lines.append(_line(f"198.51.100.{i}", f"10:{i:02d}:00", TARGET, SIZE, f"UA{i}"))
        lines.append(_line(f"203.0.113.{i}", f"10:{i:02d}:30", "/index.html", 300, f"UA{i}"))
    return lines


def _damaged_gzip(path: Path, compressed_from: bytes, decodes_to: bytes) -> None:
    """A member that inflates whole to `decodes_to` and records the CRC-32 and size of `compressed_from` (what a
    bit flipped in a literal leaves: the bytes change, their number does not)."""
    data = bytearray(gzip.compress(decodes_to, mtime=0))
    data[-8:] = struct.pack("<II", zlib.crc32(compressed_from), len(compressed_from) & 0xFFFFFFFF)
    path.write_bytes(bytes(data))


def _analyse(tmp_path: Path, case: Path | None = None) -> tuple[int, str, dict[str, Any]]:
    out = tmp_path / "answer.json"
    extra = ["--case", str(case)] if case is not None else []
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json", str(out),
                                      *extra, *GEO_OFF], terminal_width=200)
    return result.exit_code, result.output, json.loads(out.read_text())


def _downloads(answer: dict[str, Any]) -> list[tuple[str, list[tuple[str, int, str | None]]]]:
    return sorted((d["client_ip"], sorted((Path(e["file"]).name, e["line"], e["damage"]) for e in d["evidence"]))
                  for d in answer["targets"][0]["downloads"])


def _accounted(answer: dict[str, Any]) -> None:
    for ev in answer["evidence"]:
        assert ev["lines"] == ev["requests"] + ev["rejected"] + ev["skipped"], ev


def _damaged_detail(answer: dict[str, Any]) -> str:
    [finding] = [f for f in answer["evidence_status"]["findings"] if f["kind"] == "damaged"]
    return str(finding["detail"])


def _rejects(case: Path) -> list[tuple[str, int, str, str]]:
    with duckdb.connect(str(case), read_only=True) as con:
        return con.execute("SELECT e.path, r.line_no, r.reason, r.raw_text FROM rejects r JOIN evidence e "
                           "USING (evidence_id) ORDER BY 1, 2").fetchall()


def _logs(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    return logs


# the five downloads, each cited from the intact file (line 1, 3, ... 9), none from the damaged copy
GLUED = "holds the start of another log line"  # exposure/formats/base.py GLUED_REASON
INTACT_FIVE = [(f"198.51.100.{i}", [("access.log", 2 * i - 1, None)]) for i in range(1, 6)]


def _proven(tmp_path: Path, intact: bytes, damaged: bytes, beside: bytes | None = None,
            name: str = "access.log.1.gz") -> tuple[Path, dict[str, Any]]:
    """`access.log` (`beside`, else `intact`) and a gzip copy `name` decoding to `damaged` whose trailer records
    `intact`'s CRC-32 and size, analysed into a case: exit 3 (the damage said), the case and the answer."""
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact if beside is None else beside)
    _damaged_gzip(logs / name, intact, damaged)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    return case, answer


def _killed_after_the_proof(tmp_path: Path) -> tuple[Path, Path]:
    """`access.log` and its CRC-broken `.gz` copy (.3 -> .9) ingested by a command killed after the proof (in
    infer_facts, before it closes): the logs folder and the case."""
    from tests.test_killed_recovery import _kill_at

    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "k.duckdb"
    _kill_at("exposure.ingest.infer_facts", "ingest", "--case", str(case), str(logs), "-q")
    return logs, case


def test_an_altered_address_proven_by_the_member_crc_is_rejected_on_every_door(tmp_path: Path) -> None:
    """The .gz copy of access.log fails its CRC-32, one address changed (198.51.100.3 -> .9). The intact access.log's
    bytes have the member's recorded CRC-32 and size: the member is proven a corrupted copy of them, its line 5
    is rejected (corrupted, naming access.log's line 5), and the downloads are access.log's: 5 from 5 addresses
    (before: 6 from 6, .9 cited from the damaged file). `damaged` stays said (exit code 3), with the proof; the
    API's files, verify and the Parquet export's portable rule agree."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_FIVE
    assert answer["targets"][0]["totals"]["complete_downloads"] == 5
    _accounted(answer)
    rows = {Path(e["path"]).name: (e["requests"], e["rejected"], e["lines"]) for e in answer["evidence"]}
    assert rows == {"access.log": (10, 0, 10), "access.log.gz": (9, 1, 10)}
    [(path, line, reason, raw)] = _rejects(case)
    assert (Path(path).name, line) == ("access.log.gz", 5) and raw.startswith("198.51.100.9 ")
    assert reason.startswith("corrupted: gzip member 1's CRC-32 and size match intact copy ")
    assert reason.endswith("access.log (its line 5 in this line's place): this line's bytes differ from them, "
                           "altered by the damage")
    detail = _damaged_detail(answer)
    assert "fails its CRC-32 check" in detail
    assert "gzip member 1 is proven a corrupted copy of " in detail and "(lines 1-10) by its CRC-32" in detail
    assert "not an attacker's" in detail and "in their place (5) are rejected (corrupted)" in detail
    assert "is proven a corrupted copy of" in " ".join(output.split())
    assert "198.51.100.9" not in output

    from exposure import AnalysisOptions, Case
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    options = AnalysisOptions(geoip_city="none")
    with Case(case) as opened:
        assert opened.verify().ok
        frame = opened.files()
        assert frame[frame["path"] == TARGET].iloc[0]["complete_downloads"] == 5
        expected = case_rows(opened, options, TARGET)
        opened.export_parquet(tmp_path / "export")
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "export", TARGET, options))
    assert_same(expected, got, "duckdb")
    assert sorted(d["client"] for d in got["downloads"]) == [f"198.51.100.{i}" for i in range(1, 6)]


def test_two_servers_sharing_a_stream_name_lose_nothing(tmp_path: Path) -> None:
    """Two balanced servers' logs in one folder (one stream name): both log the balancer's health checks, each its
    own genuine download in the same place (198.51.100.20 on a, .21 on b), lines of the same lengths, so the files
    are the same size. b's rotation (.gz) fails its CRC-32 (an agent changed). a's bytes have the member's size but
    not its CRC-32: no proof, nothing rejected, both downloads counted (b's marked as from a damaged file)."""
    def server(own: str, reader: str) -> list[str]:
        def health(minute: int) -> list[str]:
            return [_line("10.0.0.1", f"10:{minute:02d}:{s}0", "/health", 2, "ELB-HealthChecker/2.0")
                    for s in range(4)]
        return [*health(0), _line(own, "10:00:45", "/about.html", 300, "Mozilla/5.0"),
                _line(reader, "10:01:00", TARGET, SIZE, "Mozilla/5.0"), *health(2)]
    a, b = _text(server("203.0.113.1", "198.51.100.20")), _text(server("203.0.113.2", "198.51.100.21"))
    assert len(a) == len(b)
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(a)
    _damaged_gzip(logs / "access.log.1.gz", b, b.replace(b'about.html HTTP/1.1" 200 300 "-" "Mozilla/5.0"',
                                                         b'about.html HTTP/1.1" 200 300 "-" "Mozilla/5.1"'))
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert len({e["stream"] for e in answer["evidence"]}) == 1  # one stream name for both servers' logs
    assert _downloads(answer) == [("198.51.100.20", [("access.log", 6, None)]),
                                  ("198.51.100.21", [("access.log.1.gz", 6, "damaged")])]
    assert _rejects(case) == []
    assert "proven" not in _damaged_detail(answer)
    assert _damaged_detail(answer).endswith("every byte decoded, altered bytes may lie in any of its lines")
    _accounted(answer)


@pytest.mark.parametrize("before, after", [
    pytest.param(b"[10/Mar/2024:10:03:00", b"[10/Mar/2024:10:13:00", id="minute"),  # '0' -> '1'
    pytest.param(b"[10/Mar/2024:10:03:00", b"[10/Mar/2034:10:03:00", id="year"),  # '2' -> '3'
])
def test_a_time_flip_adds_no_download(tmp_path: Path, before: bytes, after: bytes) -> None:
    """A flipped bit in a time: the damaged line would be a second download by 198.51.100.3, ten minutes or ten
    years later (before: 6 downloads). Proven by the member's CRC-32, it is rejected: 5; the file's first and last
    time are its requests' again (before: the year flip's line set its last time to 2034)."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    altered = intact.replace(before, after)
    assert altered != intact
    _damaged_gzip(logs / "access.log.1.gz", intact, altered)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_FIVE
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.1.gz", 5)]
    spans = {Path(e["path"]).name: (e["first_time"], e["last_time"]) for e in answer["evidence"]}
    assert spans["access.log.1.gz"] == spans["access.log"] == ("2024-03-10T10:01:00Z", "2024-03-10T10:05:30Z")
    _accounted(answer)


def test_without_an_intact_copy_nothing_changes(tmp_path: Path) -> None:
    """No intact copy: the damaged .gz (198.51.100.3 -> .9) beside another damaged copy of the same lines, whose
    content is genuine and only its trailer's CRC-32 flipped. A damaged file proves nothing, though its bytes have
    the other's CRC-32: every line counted as read and marked, 6 downloads from 6 addresses, nothing rejected."""
    genuine = _text(_log())
    logs = _logs(tmp_path)
    _damaged_gzip(logs / "access.log.1.gz", genuine + b"x", genuine)  # genuine bytes, a CRC-32 not theirs
    _damaged_gzip(logs / "access.log.2.gz", genuine, genuine.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    clients = [c for c, _ in _downloads(answer)]
    assert clients == sorted([f"198.51.100.{i}" for i in range(1, 6)] + ["198.51.100.9"])
    assert {e["damage"] for d in answer["targets"][0]["downloads"] for e in d["evidence"]} == {"damaged"}
    assert _rejects(case) == []
    _accounted(answer)


def test_the_same_size_and_another_crc_proves_nothing(tmp_path: Path) -> None:
    """The intact file beside the damaged .gz is not what was compressed: one agent differs (UA4 -> UB4, the same
    length), so its bytes have the member's size and another CRC-32. No proof: the altered address is counted as
    read and marked, 6 downloads from 6 addresses; nothing is rejected."""
    original = _text(_log())
    beside = original.replace(b'"UA4"', b'"UB4"')
    case, answer = _proven(tmp_path, original, original.replace(b"198.51.100.3 ", b"198.51.100.9 "), beside)
    downloads = dict(_downloads(answer))
    assert sorted(downloads) == sorted([f"198.51.100.{i}" for i in range(1, 6)] + ["198.51.100.9"])
    assert downloads["198.51.100.9"] == [("access.log.1.gz", 5, "damaged")]
    assert _rejects(case) == []
    assert "proven" not in _damaged_detail(answer)
    _accounted(answer)


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_says_the_proof_and_counts_the_intact_copy(tmp_path: Path) -> None:
    """The report's door: page 1 says the member proven a corrupted copy by its CRC-32 beside `damaged`, its
    downloads are the intact copy's five (no line cited from the damaged file), analysis.json as analyse's."""
    import html as htmllib
    import re

    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), "-q", *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page.replace("<wbr>", ""))))
    assert "gzip member 1 is proven a corrupted copy of" in text
    assert "198.51.100.9" not in text
    assert "from a damaged file (its bytes may be altered)" not in text
    # nothing lost, its altered lines proven: never 'what lies at the damage is lost' beside 'nothing of it is lost'
    assert ("10 lines read from damaged content: only its check fails; nothing of it is lost: every byte decoded; "
            "its altered lines are the ones the CRC-32 proof names (rejected as corrupted), its other lines the "
            "intact copy's") in text
    assert "is lost or" not in text
    # the status names the kind of incompleteness: damaged, not 'could not be read' (every byte was read), and
    # never that the answer is made from what could be read (tests/test_status_all_read.py)
    assert "INCOMPLETE: part of the evidence is damaged (each file and what its damage does: below)." in text
    assert "could not be read or" not in text and "made from what could be read" not in text
    dutch = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(tmp_path / "nl"),
                                     "--lang", "nl", "-q", *GEO_OFF])
    assert dutch.exit_code == 3, dutch.output
    nl = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", (tmp_path / "nl" / "report.html").read_text(
        encoding="utf-8").replace("<wbr>", ""))))
    assert "10 regels gelezen uit beschadigde inhoud: alleen de controle faalt; er is niets van verloren" in nl
    assert "is verloren of" not in nl
    answer = json.loads((out / "analysis.json").read_text())
    assert sorted(d["client_ip"] for d in answer["targets"][0]["downloads"]) == [f"198.51.100.{i}"
                                                                                 for i in range(1, 6)]


def test_a_line_alone_between_altered_ones_is_a_copy_of_the_intact_line(tmp_path: Path) -> None:
    """Lines 2 and 4 altered (the page requests' agents): lines 1 and 3 of the .gz, downloads by .1 and .2, are each
    a run of one the overlap rule does not pair. The member proven, each is a copy of the intact line in its place:
    counted once, from access.log (before the rule took them for copies: 7 downloads, .1 and .2 twice)."""
    intact = _text(_log())
    altered = intact.replace(b'/index.html HTTP/1.1" 200 300 "-" "UA1"', b'/index.html HTTP/1.1" 200 300 "-" "UB1"')
    altered = altered.replace(b'/index.html HTTP/1.1" 200 300 "-" "UA2"', b'/index.html HTTP/1.1" 200 300 "-" "UB2"')
    case, answer = _proven(tmp_path, intact, altered)
    assert _downloads(answer) == INTACT_FIVE
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.1.gz", 2), ("access.log.1.gz", 4)]
    _accounted(answer)


@pytest.mark.parametrize("block", [5, 64, 4 << 20])
def test_lines_compared_in_blocks_of_any_size_name_the_same_intact_lines(tmp_path: Path, block: int,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The member is compared with the intact bytes a block at a time (never held whole): whatever the block's size,
    the same lines are rejected, each naming the intact lines in its place; a newline the damage changed joins the
    intact lines 7 and 8 into the damaged file's line 7, which names both, and the lines after it keep their
    place by bytes (the damaged file's line 8 is the intact line 9)."""
    from exposure import corruption

    monkeypatch.setattr(corruption, "BLOCK", block)
    intact = _text(_log())
    lines = intact.split(b"\n")
    lines[1] = lines[1].replace(b'"UA1"', b'"UB1"')  # line 2: an agent
    lines[6] = lines[6] + b"X" + lines[7]  # line 7's newline become 'X': lines 7 and 8 one line
    del lines[7]
    altered = b"\n".join(lines)
    assert len(altered) == len(intact)
    case, answer = _proven(tmp_path, intact, altered)
    # line 7 holds two lines' records: rejected as glued when read, before the proof, which names it too (the
    # intact lines 7-8 in its place) with the reason it was read with (before: left out, said as glued alone)
    rejects = _rejects(case)
    said = [(n, reason.split("(its ")[1].split(" in this")[0]) for _, n, reason, _ in rejects]
    assert said == [(2, "line 2"), (7, "lines 7-8")]
    assert rejects[1][2].endswith(f"; read before the proof, it was rejected: {GLUED_REASON}")
    assert _downloads(answer) == INTACT_FIVE
    _accounted(answer)


def test_an_ingest_killed_after_the_proof_leaves_the_changed_rows_sealed(tmp_path: Path) -> None:
    """The proof moves a sealed file's line from its requests to its rejects in the steps over the whole case; the
    ingest is killed after them (in infer_facts, before it closes). The changed rows were sealed in the same
    transaction (Session.rows_changed), so the next command recovers and the seal holds (before: 'request rows
    differ from the seal in lines 1-10', 'rejected lines differ ... in lines 5-5', for good)."""
    from tests.test_killed_recovery import _cli

    logs, case = _killed_after_the_proof(tmp_path)
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 3  # damaged: incomplete, as ever
    verified = _cli("verify", "--case", str(case))
    assert verified.exit_code == 0, verified.output
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.gz", 5)]


def test_an_intact_copy_that_is_itself_compressed_is_decoded_for_the_proof(tmp_path: Path) -> None:
    """The intact copy is a .gz too (a second, undamaged copy of the rotation): its decoded bytes have the damaged
    member's CRC-32 and size, so the member is proven and its altered line rejected: 5 downloads."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log.1.gz").write_bytes(gzip.compress(intact, mtime=0))
    _damaged_gzip(logs / "access.log.1 (copy).gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == [(f"198.51.100.{i}", [("access.log.1.gz", 2 * i - 1, None)]) for i in range(1, 6)]
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.1 (copy).gz", 5)]


def test_a_proof_stays_when_the_intact_copy_grows_later(tmp_path: Path) -> None:
    """The intact copy is the live log: after the proof it grows (a line appended), and a later ingest of another
    file works the overlaps out again. The proof was made from the bytes as registered and stays (kept in
    corrupted_members, nothing read again): still said, still 5 downloads (before: the proof was worked out again,
    the live log's size no longer the registered one, so it was dropped: no longer said beside the line it rejected)."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.1.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    assert _analyse(tmp_path, case)[0] == 3
    with (logs / "access.log").open("ab") as fh:
        fh.write(_text([_line("203.0.113.9", "10:09:00", "/index.html", 300, "UA9")]))
    more = tmp_path / "more"
    more.mkdir()
    (more / "other.log").write_bytes(_text([_line("192.0.2.1", "11:00:00", "/other.html", 10, "x")]))
    assert CliRunner().invoke(app, ["ingest", "--case", str(case), str(more)]).exit_code == 3
    out = tmp_path / "again.json"
    again = CliRunner().invoke(app, ["analyse", "--case", str(case), "--target", TARGET, "--json", str(out),
                                     *GEO_OFF], terminal_width=200)
    answer = json.loads(out.read_text())
    assert _downloads(answer) == INTACT_FIVE
    assert "gzip member 1 is proven a corrupted copy of" in _damaged_detail(answer), again.output


def test_a_recovery_works_a_proof_out_anew_never_blessing_an_edit(tmp_path: Path) -> None:
    """A proof is kept from run to run (corrupted_members); an edit of it under a forged mark of running (the
    mark is not sealed) is not kept by the recovery that mark starts: the table is emptied and the proof worked out
    anew from the files, so the seal holds over what the files prove, not over the edit (before: the edited row
    was kept and sealed as 'worked out again')."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    assert _analyse(tmp_path, case)[0] == 3
    query = "SELECT * EXCLUDE (kept_evidence_id) FROM corrupted_members"
    with duckdb.connect(str(case)) as con:
        proven = con.execute(query).fetchall()
        con.execute("UPDATE corrupted_members SET kept_first_line_no = 7, differing_lines = '1'")
        con.execute("INSERT INTO meta VALUES ('running', 'ingest')")
    from exposure import Case

    with Case(case):
        pass  # the writable open that recovers
    with duckdb.connect(str(case), read_only=True) as con:
        assert con.execute(query).fetchall() == proven
    verified = CliRunner().invoke(app, ["verify", "--case", str(case)])
    assert verified.exit_code == 0, verified.output


def test_lines_ending_at_a_lone_cr_are_no_candidate(tmp_path: Path) -> None:
    """Lines that end at a lone "\\r" (an old Mac's): the proof cuts lines at "\\n", where such a member is one line,
    so it is no candidate and nothing changes: 6 downloads (.9 marked), nothing rejected (with it a candidate, the
    first line, .1's download, was rejected for the byte that differs in line 5)."""
    intact = "\r".join(_log()).encode() + b"\r"
    case, answer = _proven(tmp_path, intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    assert [c for c, _ in _downloads(answer)] == sorted([f"198.51.100.{i}" for i in range(1, 6)] + ["198.51.100.9"])
    assert _rejects(case) == []


def test_a_line_made_by_an_altered_newline_is_rejected_not_counted(tmp_path: Path) -> None:
    """The intact access.log's line 5 holds two records joined by '*' (one request, 198.51.100.3's). The .gz's
    member has that '*' flipped to a newline (one bit): its CRC-32 and size are the intact file's, so it is proven.
    Its line 5 differs and is rejected; its line 6 (198.51.100.66's download) has the intact bytes in its place, but
    no intact line begins there: a line the damage made, rejected too (before: counted, a sixth download cited from
    the damaged file). 5 downloads, all the intact file's; the finding's 'the others are that file's lines' holds."""
    lines = _log()
    lines[4] = lines[4][:-1] + '"*' + _line("198.51.100.66", "10:03:10", TARGET, SIZE, "X")
    intact = _text(lines)
    damaged = intact.replace(b'"*198.51.100.66', b'"\n198.51.100.66')
    assert len(damaged) == len(intact) and damaged.count(b"\n") == intact.count(b"\n") + 1
    case, answer = _proven(tmp_path, intact, damaged)
    # the intact line 5 holds two records: a glued line since red team 17, neither counted (.3's download with it)
    assert _downloads(answer) == [d for d in INTACT_FIVE if d[0] != "198.51.100.3"]
    rejects = _rejects(case)
    assert [(Path(p).name, n) for p, n, reason, _ in rejects if reason.startswith(GLUED)] == [("access.log", 5)]
    said = [(Path(p).name, n, reason.split("(its ")[1]) for p, n, reason, _ in rejects if not reason.startswith(GLUED)]
    assert said == [("access.log.1.gz", 5, "line 5 in this line's place): this line's bytes differ from them, "
                                           "altered by the damage"),
                    ("access.log.1.gz", 6, "line 5 in this line's place): this line's bytes are theirs but no line "
                                           "of theirs begins where it does: a line the damage made (the line end "
                                           "before it altered)")]
    rows = {Path(e["path"]).name: (e["requests"], e["rejected"], e["lines"]) for e in answer["evidence"]}
    assert rows == {"access.log": (9, 1, 10), "access.log.1.gz": (9, 2, 11)}
    detail = _damaged_detail(answer)
    assert "in their place (5, 6) are rejected (corrupted)" in detail
    # the proof names the altered lines: not 'altered bytes may lie in any of its lines' (said before)
    assert detail.endswith("nothing of it is lost: every byte decoded; its altered lines are the ones the CRC-32 "
                           "proof names (rejected as corrupted), its other lines the intact copy's")
    _accounted(answer)


def test_a_recovery_keeps_the_proof_beside_the_rejections_it_made(tmp_path: Path) -> None:
    """Killed after the proof (in infer_facts, before the ingest closes); the intact live log grows (a line
    appended) before the recovery that a later ingest of another file runs. The proof was sealed with the rows it
    changed (Session.rows_changed), so the recovery keeps it: corrupted_members keeps its row, line 5 of the .gz
    stays rejected beside it and the finding still says the proof (before: the table emptied, 1 -> 0 rows, and the
    grown log no longer provable, so line 5 stayed rejected with no proof said, the seal holding over that)."""
    from exposure import Case
    from tests.test_killed_recovery import _cli

    logs, case = _killed_after_the_proof(tmp_path)
    query = "SELECT member, kept_first_line_no, kept_last_line_no, differing_lines FROM corrupted_members"
    with duckdb.connect(str(case), read_only=True) as con:
        proven = con.execute(query).fetchall()
    assert proven == [(1, 1, 10, "5")]
    with (logs / "access.log").open("ab") as fh:
        fh.write(_text([_line("203.0.113.9", "10:09:00", "/index.html", 300, "UA9")]))
    more = tmp_path / "more"
    more.mkdir()
    (more / "other.log").write_bytes(_text([_line("192.0.2.1", "11:00:00", "/other.html", 10, "x")]))
    assert _cli("ingest", "--case", str(case), str(more)).exit_code == 3
    with duckdb.connect(str(case), read_only=True) as con:
        assert con.execute(query).fetchall() == proven
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.gz", 5)]
    out = tmp_path / "again.json"
    CliRunner().invoke(app, ["analyse", "--case", str(case), "--target", TARGET, "--json", str(out), *GEO_OFF])
    answer = json.loads(out.read_text())
    assert "gzip member 1 is proven a corrupted copy of" in _damaged_detail(answer)
    assert _downloads(answer) == INTACT_FIVE
    with Case(case) as opened:
        assert opened.seal_check(rows=True).holds


def test_each_file_is_decoded_once_per_proof_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rotation of 4 gzip members, each with a page request's agent altered, beside an intact copy that is a .gz
    itself: all 4 members proven, their 4 altered lines rejected, and each compressed file decoded once by the
    proof (before: from its first byte for every member and every candidate, 8 decodes here, square in the number
    of members); the rejected lines' raw bytes read back in one reading of the damaged file (before: one per
    member)."""
    from exposure import contentstream, corruption

    decodes: list[str] = []
    readbacks: list[int] = []
    real_pieces, real_raw = contentstream.content_pieces, corruption.raw_lines
    monkeypatch.setattr(contentstream, "content_pieces",
                        lambda ev, start, length: decodes.append(Path(ev.path).name) or real_pieces(ev, start, length))
    monkeypatch.setattr(corruption, "raw_lines", lambda ev, wanted: readbacks.append(len(wanted)) or real_raw(ev, wanted))
    parts = []
    for m in range(4):
        lines = [_line(f"198.51.{m}.{i}", f"1{m}:{i:02d}:00", TARGET if i % 2 else "/index.html", SIZE, f"UA{i}")
                 for i in range(10)]
        parts.append(_text(lines))
    logs = _logs(tmp_path)
    (logs / "access.log.1.gz").write_bytes(gzip.compress(b"".join(parts), mtime=0))
    damaged = bytearray()
    for part in parts:
        altered = part.replace(b'"UA4"', b'"UB4"')
        member = bytearray(gzip.compress(altered, mtime=0))
        member[-8:] = struct.pack("<II", zlib.crc32(part), len(part))
        damaged += member
    (logs / "access.log.1 (copy).gz").write_bytes(bytes(damaged))
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log.1 (copy).gz", 10 * m + 5)
                                                                    for m in range(4)]
    assert sorted(decodes) == ["access.log.1 (copy).gz", "access.log.1.gz"]
    assert readbacks == [4]
    _accounted(answer)


def test_a_line_spanning_two_proven_members_is_rejected_once(tmp_path: Path) -> None:
    """Review of crcfix3 (s_span): line 5 split between two members, a byte altered on each side of the boundary,
    both members proven. Each member's pass found line 5: it was rejected twice (10 lines = 9 + 2 + 0). Once now,
    with the first member's reason."""
    intact = _text(_log())
    s5 = intact.index(b"198.51.100.3 ")
    e5 = intact.index(b"\n", s5)
    r = intact.index(b'"-"', s5) + 1
    cut = r + 3
    damaged = bytearray(intact)
    damaged[r] ^= 0x01
    damaged[e5 - 2] ^= 0x01
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    gz = logs / "access.log.1.gz"
    _damaged_gzip(gz, intact[:cut], bytes(damaged[:cut]))
    first = gz.read_bytes()
    _damaged_gzip(gz, intact[cut:], bytes(damaged[cut:]))
    gz.write_bytes(first + gz.read_bytes())
    code, _, answer = _analyse(tmp_path, tmp_path / "case.duckdb")
    assert code == 3
    _accounted(answer)
    rejected = [(Path(p).name, n, reason.split(" (")[0]) for p, n, reason, _ in _rejects(tmp_path / "case.duckdb")]
    assert rejected == [("access.log.1.gz", 5, "corrupted: gzip member 1's CRC-32 and size match intact copy "
                         f"{logs / 'access.log'}")]
    assert [ip for ip, _ in _downloads(answer)] == [f"198.51.100.{i}" for i in range(1, 6)]


def test_an_empty_damaged_member_before_a_proven_one_takes_no_line(tmp_path: Path) -> None:
    """Review of crcfix3 (s_empty a): an empty gzip member whose trailer CRC-32 fails, then a member proven a
    corrupted copy. Both begin at content offset 0; the ASOF join picked the empty one, every pair fell outside it,
    nothing was proven: 7 downloads (.3 counted again from the .gz, and .66 the damage made). An empty member holds
    no line: left out, the proof holds, 5 downloads."""
    lines = _log()
    lines[4] = lines[4][:-1] + '"*' + _line("198.51.100.66", "10:03:10", TARGET, SIZE, "X")
    intact = _text(lines)
    damaged = intact.replace(b'"*198.51.100.66', b'"\n198.51.100.66')
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    empty = bytearray(gzip.compress(b"", mtime=0))
    empty[-8:-4] = struct.pack("<I", 0x12345678)
    gz = logs / "access.log.1.gz"
    _damaged_gzip(gz, intact, damaged)
    gz.write_bytes(bytes(empty) + gz.read_bytes())
    code, _, answer = _analyse(tmp_path, tmp_path / "case.duckdb")
    assert code == 3
    _accounted(answer)
    # the intact line 5 holds two records: a glued line since red team 17, neither counted (.3's download with it)
    assert [ip for ip, _ in _downloads(answer)] == [f"198.51.100.{i}" for i in (1, 2, 4, 5)]
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(tmp_path / "case.duckdb")] == [
        ("access.log", 5), ("access.log.1.gz", 5), ("access.log.1.gz", 6)]


def test_ingest_says_the_counts_the_proof_left(tmp_path: Path) -> None:
    """The proof runs after each file is read: ingest's per-file line, its total and the API's result carry the
    registry's final counts (before: `lines=10 requests=10 rejected=0` and the total `requests=20 rejected=0` for a
    member whose line 5 the proof rejected, while the case held 9 and 1)."""
    intact = _text(_log())
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    result = CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs)], terminal_width=300)
    assert result.exit_code == 3, result.output
    said = " ".join(result.output.split())
    assert "access.log.gz [combined] lines=10 requests=9 rejected=1 skipped=0 (damaged)" in said
    assert "2 files: 2 ingested (lines=20 requests=19 rejected=1 skipped=0)" in said

    from exposure import Case

    with Case(tmp_path / "api.duckdb") as opened:
        got = opened.ingest([logs])
        held = opened.con.execute("SELECT path, requests, rejected FROM evidence ORDER BY 1").fetchall()
    assert sorted((Path(f.path).name, f.requests, f.rejected) for f in got.files) == [
        ("access.log", 10, 0), ("access.log.gz", 9, 1)]
    assert sorted((Path(p).name, r, j) for p, r, j in held) == [("access.log", 10, 0), ("access.log.gz", 9, 1)]
