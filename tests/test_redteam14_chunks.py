"""Range groups are made by address, agent and the 30-minute gap alone. A part that "continued" the client's
previous part past the gap (8b7d530's rule_continues) joined groups the log shows closed: a download manager
logging parallel segments out of order (0,1,3,2 at 10:10; 3,0,1,2 at 16:10) was 1 complete download, not 2, and a
complete download at 10:10 followed by only the file's last 64 KiB at 16:10 was 1 complete dated 16:10, the
partial lost. The rule that would join only an open group (its union still short of the size) is recursive and
not built; chunks hours apart are partial downloads, each, and partials_adding_up names a client whose partials
together reach the size. Checked in every door: the JSON answer, the API, `files`, the portable SQL on DuckDB.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure import AnalysisOptions
from exposure.cli import app
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse
from tests.test_redteam6_ranges import CF_FIELDS, SIZE, TARGET, UA

MIB = 262144  # a quarter of SIZE: four chunks make the file


def _cf(minute: int, ip: str, status: int, sc_bytes: int, start: int | None = None, end: int | None = None) -> str:
    hour, minute = divmod(minute, 60)
    length = SIZE if status == 200 else end - start + 1 if start is not None and end is not None else 0
    values = ["2024-03-10", f"{10 + hour:02d}:{minute:02d}:00", "AMS1-C1", str(sc_bytes), ip, "GET",
              "d111111abcdef8.cloudfront.net", TARGET, str(status), "-", UA.replace(" ", "%20"), "-", "-",
              "Hit", "req==", "www.example.nl", "https", "200", "0.100", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
              "Hit", "HTTP/2.0", "-", "-", "5555", "0.01", "Hit", "application/pdf", str(length) if length else "-",
              "-" if start is None else str(start), "-" if end is None else str(end)]
    return "\t".join(values)


def _chunk(minute: int, ip: str, k: int) -> str:
    return _cf(minute, ip, 206, MIB + 390, k * MIB, (k + 1) * MIB - 1)


LINES = ["#Version: 1.0", "#Fields: " + " ".join(CF_FIELDS),
         _cf(0, "198.51.100.1", 200, SIZE + 312), _cf(1, "198.51.100.6", 200, SIZE + 320),
         _cf(2, "198.51.100.7", 200, SIZE + 331),
         # four chunks 50 minutes apart: four partial downloads (groups by the gap alone)
         *(_chunk(10 + 50 * k, "198.51.100.2", k) for k in range(4)),
         # the first half twice, 3 hours apart: the second starts the file again, two partial groups
         _chunk(20, "198.51.100.3", 0), _chunk(21, "198.51.100.3", 1),
         _chunk(200, "198.51.100.3", 0), _chunk(201, "198.51.100.3", 1),
         _cf(400, "198.51.100.9", 404, 300)]
EXPECTED = [("198.51.100.1", "single", "complete"), ("198.51.100.6", "single", "complete"),
            ("198.51.100.7", "single", "complete"), ("198.51.100.2", "range", "partial"),
            ("198.51.100.3", "range", "partial"), ("198.51.100.2", "range", "partial"),
            ("198.51.100.2", "range", "partial"), ("198.51.100.2", "range", "partial"),
            ("198.51.100.3", "range", "partial")]
NAME = "E2EXAMPLE.2024-03-10-10.abcd1234"


def test_chunks_hours_apart_are_partial_downloads_each(tmp_path: Path) -> None:
    answer = analyse(tmp_path, NAME, "\n".join(LINES) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    got = [(d["client_ip"], d["kind"], d["outcome"]) for d in answer.target["downloads"]]
    assert got == EXPECTED
    assert [(d["client_ip"], d["kind"], d["outcome"]) for d in answer.downloads] == EXPECTED
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (3, 3)
    # the chunks together are the file: said (partials_adding_up); the first half twice is not (p1: the offsets
    # place both on bytes 0-524287, their counts' sum is the size)
    said = [w for w in answer.target["warnings"] if "partials_adding_up" in w]
    assert len(said) == 1 and "(198.51.100.2: 4 partials from download 4, up to 1048576 of 1048576 bytes)" in said[0]


def test_files_and_the_portable_sql_group_chunks_hours_apart_the_same(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / NAME).write_text("\n".join(LINES) + "\n")
    options = AnalysisOptions(geoip_city="none")
    got = portable_equals_case(tmp_path, logs, TARGET, options)
    assert [(d["client"], d["outcome"]) for d in got["downloads"] if d["kind"] == "range"] == [
        (ip, outcome) for ip, kind, outcome in EXPECTED if kind == "range"]
    result = CliRunner().invoke(app, ["files", "--case", str(tmp_path / "case.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["path"], row["complete_downloads"], row["distinct_ips"]) == (TARGET, 3, 3)


BASE = LINES[:5]
# a download manager's parallel segments, logged as they finish: the whole file at 10:10 (0,1,3,2) and again at
# 16:10 (3,0,1,2): two complete downloads
SEGMENTS = [*BASE, *(_chunk(10 + k // 2, "198.51.100.2", s) for k, s in enumerate((0, 1, 3, 2))),
            *(_chunk(370 + k // 2, "198.51.100.2", s) for k, s in enumerate((3, 0, 1, 2)))]
# the whole file at 10:10-10:13, then only its last 64 KiB at 16:10 (a viewer reading the trailer): a complete
# download at 10:13 and a partial one at 16:10
TRAILER = [*BASE, *(_chunk(10 + k, "198.51.100.2", k) for k in range(4)),
           _cf(370, "198.51.100.2", 206, 65536 + 390, SIZE - 65536, SIZE - 1)]
CLOSED = [(SEGMENTS, [("2024-03-10T10:11:00Z", 4, "complete"), ("2024-03-10T16:11:00Z", 4, "complete")]),
          (TRAILER, [("2024-03-10T10:13:00Z", 4, "complete"), ("2024-03-10T16:10:00Z", 1, "partial")])]


def test_a_part_after_the_gap_never_joins_a_download_the_log_shows_complete(tmp_path: Path) -> None:
    for k, (lines, expected) in enumerate(CLOSED):
        answer = analyse(tmp_path / str(k), NAME, "\n".join(lines) + "\n", TARGET)
        assert answer.exit_code == 0, answer.output
        accounted(answer)
        got = [(d["time"], d["parts"], d["outcome"]) for d in answer.target["downloads"] if d["kind"] == "range"]
        assert got == expected
        logs = tmp_path / str(k) / "again"
        logs.mkdir()
        (logs / NAME).write_text("\n".join(lines) + "\n")
        portable = portable_equals_case(tmp_path / str(k), logs, TARGET, AnalysisOptions(geoip_city="none"))
        assert [(d["parts"], d["outcome"]) for d in portable["downloads"] if d["kind"] == "range"] == [
            (parts, outcome) for _, parts, outcome in expected]


CUT = 419430  # 40 %


def _resumed(ip: str, minute: int, resume_at: int) -> list[str]:
    """`Range: bytes=0-` answered with the whole file and broken off at 40 % (sc-bytes: the body bytes and 300 of
    headers; the edge says the client disconnected), then the rest asked from `resume_at`."""
    cut = _cf(minute, ip, 206, CUT + 300, 0, SIZE - 1).replace("\tHit\t", "\tError\t", 1)
    return [cut, _cf(minute + 2, ip, 206, SIZE - resume_at + 390, resume_at, SIZE - 1)]


def test_a_resume_the_header_allowance_cannot_place_is_undetermined_never_partial(tmp_path: Path) -> None:
    """The rule counts a cut part's body as its count less header_bytes (1024 where no HEAD or 304 measures the
    headers): a lower bound. A resume at the byte the client really reached (CUT: its headers were 300 bytes)
    leaves 724 bytes the lower bound does not cover, and the group was 'partial', a certainty the log does not
    give: the count may hold up to CUT + 299 body bytes. Partial only where even that falls short (a resume 2,000
    bytes further on), else undetermined, as the rule already says of a group with some parts without offsets."""
    lines = ["#Version: 1.0", "#Fields: " + " ".join(CF_FIELDS),
             _cf(0, "198.51.100.1", 200, SIZE + 312), _cf(1, "198.51.100.6", 200, SIZE + 320),
             _cf(2, "198.51.100.7", 200, SIZE + 331),
             *_resumed("198.51.100.15", 10, CUT), *_resumed("198.51.100.16", 20, CUT + 2000),
             _cf(400, "198.51.100.9", 404, 300)]
    answer = analyse(tmp_path, NAME, "\n".join(lines) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    got = [(d["client_ip"], d["outcome"]) for d in answer.target["downloads"] if d["kind"] == "range"]
    assert got == [("198.51.100.15", "undetermined"), ("198.51.100.16", "partial")]
    assert [(d["client_ip"], d["outcome"]) for d in answer.downloads if d["kind"] == "range"] == got
    logs = tmp_path / "again"
    logs.mkdir()
    (logs / NAME).write_text("\n".join(lines) + "\n")
    options = AnalysisOptions(geoip_city="none")
    portable_equals_case(tmp_path, logs, TARGET, options)
