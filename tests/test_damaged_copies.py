"""Damaged copies: a file whose integrity check failed (a gzip member whose CRC-32 no longer matches: `holds altered
bytes`) is counted as it decodes (but a member proven by its CRC-32 a corrupted copy of an intact file's bytes,
tests/test_crc_proof.py), and said: `damaged` (exit code 3), each download resting on it marked (JSON
`damage`, `(damaged file)` in the terminal, the report's timeline); where an intact copy holds the same lines it is
cited first, whatever the names. Other servers' genuine lines beside a damaged file are never left out."""

from __future__ import annotations

import gzip
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.servers import GEO_OFF

TARGET = "/lijst.xlsx"
SIZE = 5000


def _log(altered: int | None = None, *, byte_count: dict[int, int] | None = None) -> list[str]:
    """Five downloads of the target by five addresses, each followed by a page request."""
    lines = []
    for i in range(1, 6):
        size = (byte_count or {}).get(i, SIZE)
        lines.append(f'198.51.100.{i} - - [10/Mar/2024:10:{i:02d}:00 +0100] "GET {TARGET} HTTP/1.1" 200 {size} "-" '
                     f'"UA{i}"')
        lines.append(f'203.0.113.{i} - - [10/Mar/2024:10:{i:02d}:30 +0100] "GET /index.html HTTP/1.1" 200 300 "-" '
                     f'"UA{i}"')
    return lines


def _crc_broken_gzip(path: Path, intact: bytes, altered: bytes) -> None:
    """`altered` compressed, its member's CRC-32 that of `intact`: it inflates whole, and fails its check."""
    data = bytearray(gzip.compress(altered, mtime=0))
    data[-8:-4] = struct.pack("<I", zlib.crc32(intact))
    path.write_bytes(bytes(data))


def _analyse(tmp_path: Path, files: dict[str, tuple[bytes, bytes | None]]) -> tuple[int, str, dict[str, Any]]:
    """Write each file (plain content, or a CRC-broken gzip of the altered content), analyse the folder."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, (content, altered) in files.items():
        if altered is None:
            (logs / name).write_bytes(content)
        else:
            _crc_broken_gzip(logs / name, content, altered)
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out), *GEO_OFF],
                                terminal_width=200)
    return result.exit_code, result.output, json.loads(out.read_text())


def _text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _finding(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    [finding] = [f for f in answer["evidence_status"]["findings"] if f["kind"] == kind]
    return finding


def _accounted(answer: dict[str, Any]) -> None:
    for ev in answer["evidence"]:
        assert ev["lines"] == ev["requests"] + ev["rejected"] + ev["skipped"], ev


@pytest.mark.parametrize("intact_name, damaged_name", [
    pytest.param("access.log", "access.log.gz", id="server-names"),
    pytest.param("access (1).log", "access.log.gz", id="intact-under-a-copys-name"),  # still cited: it is intact
])
def test_a_changed_address_in_a_damaged_copy_proven_by_its_crc_is_rejected(tmp_path: Path, intact_name: str,
                                                                           damaged_name: str) -> None:
    """The damage changed one address (the member's CRC-32 fails) and the intact copy's bytes have the member's
    recorded CRC-32 and size: the member is proven a corrupted copy of them (exposure/corruption.py), the changed
    line rejected, and the five true downloads cite the intact copy, whatever the names (queries/citation.sql);
    `damaged` is said and the exit code is 3. (Before the proof: the changed line was counted as read, a sixth
    download from 198.51.100.9 marked as from the damaged file; tests/test_crc_proof.py holds the rule.)"""
    intact = _text(_log())
    altered = intact.replace(b"198.51.100.3 ", b"198.51.100.9 ")
    code, output, answer = _analyse(tmp_path, {intact_name: (intact, None), damaged_name: (intact, altered)})
    assert code == 3, output
    kept = str(tmp_path / "logs" / intact_name)
    cited = {d["client_ip"]: {(e["file"], e["damage"]) for e in d["evidence"]}
             for d in answer["targets"][0]["downloads"]}
    assert cited == {f"198.51.100.{i}": {(kept, None)} for i in range(1, 6)}
    assert "198.51.100.9" not in output
    _accounted(answer)
    assert "damaged" in {f["kind"] for f in answer["evidence_status"]["findings"]}


def test_a_damaged_file_without_an_intact_copy_still_counts(tmp_path: Path) -> None:
    intact = _text(_log())
    altered = intact.replace(b"198.51.100.3 ", b"198.51.100.9 ")
    code, output, answer = _analyse(tmp_path, {"access.log.gz": (intact, altered)})
    assert code == 3, output
    totals = answer["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (5, 5)
    assert "198.51.100.9" in {d["client_ip"] for d in answer["targets"][0]["downloads"]}
    # each download is labelled as resting on damaged evidence: the JSON's line, the terminal's table
    assert {e["damage"] for d in answer["targets"][0]["downloads"] for e in d["evidence"]} == {"damaged"}
    assert f"{tmp_path / 'logs' / 'access.log.gz'}:5 (damaged file)" in output
    detail = _finding(answer, "damaged")["detail"]
    assert "holds altered bytes" in detail
    # nothing is lost (every line decoded): before, "stream logs/access.log has no line from 09:01:00Z to 09:01:30Z"
    assert "has no line from" not in detail
    assert detail.endswith("(10 lines read); nothing of it is lost: every byte decoded, altered bytes may lie in "
                           "any of its lines")


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_marks_a_download_resting_on_a_damaged_file(tmp_path: Path) -> None:
    import html as htmllib

    intact = _text(_log())
    logs = tmp_path / "logs"
    logs.mkdir()
    _crc_broken_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), "-q", *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page.replace("<wbr>", ""))))
    assert text.count("from a damaged file (its bytes may be altered)") == 5


def test_an_intact_copy_cut_mid_line_defers_to_the_whole_line_it_begins(tmp_path: Path) -> None:
    """The intact copy is a plain copy of a live log, cut inside its last line's byte count (`200 50`); the
    damaged .gz has that line whole (`200 5000`). The cut line is a copy of the whole line it begins (the overlap
    rule, whatever the citation order: here the cut file is cited first, the damaged one last), so the download is
    complete and counted once (the damage changed a page request's agent only). Before: the cut line counted as well,
    the download undetermined (4 complete)."""
    lines = []
    for i in range(1, 6):
        lines.append(f'203.0.113.{i} - - [10/Mar/2024:10:{i:02d}:30 +0100] "GET /index.html HTTP/1.1" 200 300 "-" '
                     f'"UA{i}"')
        lines.append(f'198.51.100.{i} - - [10/Mar/2024:10:{i:02d}:40 +0100] "GET {TARGET} HTTP/1.1" 200 {SIZE} "-" '
                     f'"UA{i}"')
    intact = _text(lines)
    cut = intact[:intact.rindex(b" 5000 ") + 4]
    altered = intact.replace(b'/index.html HTTP/1.1" 200 300 "-" "UA3"', b'/index.html HTTP/1.1" 200 300 "-" "UB3"')
    code, output, answer = _analyse(tmp_path, {"access.log": (cut, None), "access.log.gz": (intact, altered)})
    assert code == 3, output
    totals = answer["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["undetermined_downloads"]) == (5, 5, 0)
    _accounted(answer)


def test_a_cut_line_cited_first_is_a_copy_of_the_whole_line(tmp_path: Path) -> None:
    """No damage: the live log copied while written (`access.log`, cut inside its last line's byte count) and a
    whole copy under a copy's name (`access (1).log`): the cut file is cited first (a name servers write), yet its
    cut line is the copy of the whole one (exposure/overlap.py: whatever the citation order). Before: counted
    twice, a complete download and an undetermined one from the same address and second."""
    lines = [f'198.51.100.{i} - - [10/Mar/2024:10:{i:02d}:40 +0100] "GET {TARGET} HTTP/1.1" 200 {SIZE} "-" "UA{i}"'
             for i in range(1, 6)]
    whole = _text(lines)
    cut = whole[:whole.rindex(b" 5000 ") + 4]
    code, output, answer = _analyse(tmp_path, {"access.log": (cut, None), "access (1).log": (whole, None)})
    assert code == 0, output
    totals = answer["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["undetermined_downloads"], totals["requests"]) == (5, 0, 5)


def test_a_damaged_merge_of_two_servers_is_no_copy_of_one_servers_log(tmp_path: Path) -> None:
    """The damaged .gz is an export merging two servers' lines in time order (runs of web1's lines, then web2's);
    the intact log is web1's alone. The export is a stream of its own (its name), no copy of web1's log: the
    altered-line rule does not compare them (a line in web1's place may be web2's own, t8 in
    test_a_merged_export_that_dropped_a_line_keeps_the_other_servers_download). Its lines the intact log does not
    have are counted, each download citing it labelled as resting on a damaged file (the `damaged` finding)."""
    web1, merged = [], []
    for i in range(1, 6):
        block = [f'198.51.100.{i} - - [10/Mar/2024:10:{i:02d}:0{k} +0100] "GET /page{k}.html HTTP/1.1" 200 300 "-" '
                 f'"UA{i}"' for k in range(3)]
        block.append(f'198.51.100.{i} - - [10/Mar/2024:10:{i:02d}:05 +0100] "GET {TARGET} HTTP/1.1" 200 {SIZE} "-" '
                     f'"UA{i}"')
        web1 += block
        merged += block + [f'192.0.2.{i} - - [10/Mar/2024:10:{i:02d}:3{k} +0100] "GET {TARGET} HTTP/1.1" 200 '
                           f'{SIZE} "-" "web2-{k}"' for k in range(2)]
    intact, export = _text(web1), _text(merged)
    altered = export.replace(b"198.51.100.3 - - [10/Mar/2024:10:03:05", b"198.51.100.9 - - [10/Mar/2024:10:03:05")
    code, output, answer = _analyse(tmp_path, {"access.log": (intact, None), "export.log.gz": (export, altered)})
    assert code == 3, output
    downloads = answer["targets"][0]["downloads"]
    clients = sorted(d["client_ip"] for d in downloads)
    assert clients == sorted([f"198.51.100.{i}" for i in range(1, 6)] + ["198.51.100.9"]
                             + [f"192.0.2.{i}" for i in range(1, 6)] * 2)
    [nine] = [d for d in downloads if d["client_ip"] == "198.51.100.9"]
    assert {e["damage"] for e in nine["evidence"]} == {"damaged"}
    _accounted(answer)


def _crc_only_gzip(path: Path, content: bytes) -> None:
    """`content` gzipped whole and genuine, only its CRC-32 trailer flipped: it fails its check."""
    data = bytearray(gzip.compress(content, mtime=0))
    data[-8] ^= 1
    path.write_bytes(bytes(data))


def _line(ip: str, t: str, path: str, size: int, agent: str = "Mozilla/5.0") -> str:
    return f'{ip} - - [10/Mar/2024:{t} +0000] "GET {path} HTTP/1.1" 200 {size} "-" "{agent}"'


def _health(t: str) -> str:
    return _line("10.0.0.1", t, "/health", 2, "ELB-HealthChecker/2.0")


def _analyse_tree(root: Path, files: dict[str, bytes], crc_only: set[str]) -> tuple[int, str, dict[str, Any]]:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if name in crc_only:
            _crc_only_gzip(root / name, content)
        else:
            (root / name).write_bytes(content)
    out = root.parent / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(root), "--target", TARGET, "--json", str(out), *GEO_OFF],
                                terminal_width=200)
    return result.exit_code, result.output, json.loads(out.read_text())


def test_two_servers_sharing_health_checks_keep_their_downloads(tmp_path: Path) -> None:
    """Two load-balanced servers (a/, b/) both log the balancer's health checks (runs the overlap rule shares);
    b's rotated .gz fails its CRC, its content genuine. The same reader downloads from a at 10:01 and from b at
    10:05: two downloads. The altered-line rule compares a damaged copy with an intact copy of its own stream."""
    def server(own: str, t: str) -> list[str]:
        return [_line(own, "09:59:00", "/index.html", 300), _health("10:00:00"), _health("10:00:10"),
                _health("10:00:20"), _line(own, "10:00:25", "/about.html", 300), _health("10:00:30"),
                _health("10:00:40"), _health("10:00:50"), _line("198.51.100.20", t, TARGET, SIZE)]
    code, output, answer = _analyse_tree(tmp_path / "logs", {
        "a/access.log": _text(server("203.0.113.1", "10:01:00")),
        "b/access.log.1.gz": _text(server("203.0.113.2", "10:05:00"))}, {"b/access.log.1.gz"})
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2, output
    _accounted(answer)


def test_a_retry_logged_the_same_by_two_servers_is_two_downloads(tmp_path: Path) -> None:
    """A retry in the same second lands on a and on b (identical lines) between each server's own lines: two
    servers' lines, no copy of each other (a run of one between two servers' logs is no overlap)."""
    retry = _line("198.51.100.20", "10:01:00", TARGET, SIZE)

    def server(o: int) -> list[str]:
        return [_health("10:00:00"), _health("10:00:10"), _health("10:00:20"),
                _line(f"203.0.113.{o}", f"10:00:5{o}", f"/a{o}.html", 300 + o), retry,
                _line(f"192.0.2.{o}", f"10:01:1{o}", f"/b{o}.html", 400 + o),
                _health("10:02:00"), _health("10:02:10"), _health("10:02:20")]
    code, output, answer = _analyse_tree(tmp_path / "logs", {
        "a/access.log": _text(server(1)), "b/access.log.1.gz": _text(server(2))}, {"b/access.log.1.gz"})
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2, output
    _accounted(answer)


def test_a_merged_export_that_dropped_a_line_keeps_the_other_servers_download(tmp_path: Path) -> None:
    """A central export (its own stream) merges web1 and web2, fails its CRC (content genuine) and dropped one of
    web1's lines; in its place web2's line: the same reader's second download, differing in time only. web1's
    own log is intact. Two downloads: the export is no copy of web1's stream."""
    web1 = [_line(f"203.0.113.{i}", f"10:00:0{i}", f"/p{i}.html", 300 + i) for i in range(1, 5)]
    web1 += [_line("198.51.100.20", "10:01:00", TARGET, SIZE)]
    web1 += [_line(f"203.0.113.{i}", f"10:06:0{i}", f"/q{i}.html", 300 + i) for i in range(1, 5)]
    export = web1[:4] + [_line("198.51.100.20", "10:05:00", TARGET, SIZE)] + web1[5:]
    code, output, answer = _analyse_tree(tmp_path / "logs", {
        "web1-access.log": _text(web1), "central-export.log.gz": _text(export)}, {"central-export.log.gz"})
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2, output
    _accounted(answer)


def test_a_failed_crc_beside_a_cut_member_says_what_the_cut_lost(tmp_path: Path) -> None:
    """Member 1 fails its CRC (content genuine), member 2 is cut mid-stream: the file lost what followed the cut,
    so neither damage says 'nothing of it is lost' (review t6: a truncation's unknown loss dropped out of the
    file's lost_bytes, leaving 0); each gives the time it leaves uncovered instead."""
    first = [_line(f"198.51.100.{i}", f"10:0{i}:00", TARGET, SIZE) for i in range(1, 4)]
    second = [_line(f"198.51.100.{i}", f"11:{i:02d}:00", TARGET, SIZE) for i in range(10, 40)]
    m1 = bytearray(gzip.compress(_text(first), mtime=0))
    m1[-8] ^= 1
    m2 = gzip.compress(_text(second), mtime=0)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log.1.gz").write_bytes(bytes(m1) + m2[: len(m2) // 2])
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out), *GEO_OFF],
                                terminal_width=200)
    assert result.exit_code == 3, result.output
    answer = json.loads(out.read_text())
    detail = _finding(answer, "damaged")["detail"]
    assert "ends early" in detail and "fails its CRC-32 check" in detail
    assert "nothing of it is lost" not in detail
    assert "nothing of it is lost" not in result.output
    assert "has no line from" in detail  # the time the cut leaves uncovered, as any cut says
