"""A 206 part's logged range is what the server announced, not what the client received. Browsers and PDF/media
players send `Range: bytes=0-`; the server answers 206 with the whole file (Caddy's Content-Range, CloudFront's
sc-range-start/-end) and the client may break off at 40 %. Such a part covers only the bytes its count holds:
the group is partial, in every door (CLI JSON, API, `files`, the portable SQL on DuckDB)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions
from exposure.cli import app
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse

SIZE = 1048576
TARGET = "/leak/secret.pdf"
T0 = 1710064800  # 2024-03-10T10:00:00Z
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
CUT = 419430  # 40 %


def _caddy(minute: int, ip: str, status: int, size: int, content_range: str | None = None) -> str:
    resp = {"Content-Type": ["application/pdf"], "Accept-Ranges": ["bytes"]}
    if status == 200:
        resp["Content-Length"] = [str(SIZE)]
    if content_range:
        start, end = content_range.split()[1].split("/")[0].split("-")
        resp |= {"Content-Length": [str(int(end) - int(start) + 1)], "Content-Range": [content_range]}
    return json.dumps({"level": "info", "ts": T0 + 60 * minute + 0.5, "logger": "http.log.access.log0",
                       "msg": "handled request", "request": {"remote_ip": ip, "client_ip": ip, "method": "GET",
                                                             "host": "www.example.nl", "uri": TARGET,
                                                             "headers": {"User-Agent": [UA]}},
                       "duration": 0.5, "size": size, "status": status, "resp_headers": resp})


CADDY = [
    _caddy(0, "198.51.100.1", 200, SIZE),
    # bytes=0- answered with the whole file, broken off at 40 %
    _caddy(5, "198.51.100.2", 206, CUT, f"bytes 0-{SIZE - 1}/{SIZE}"),
    # two parts: the first in full, the second cut 1000 bytes short of its end
    _caddy(10, "198.51.100.3", 206, 500000, f"bytes 0-499999/{SIZE}"),
    _caddy(11, "198.51.100.3", 206, SIZE - 500000 - 1000, f"bytes 500000-{SIZE - 1}/{SIZE}"),
    # the whole file in two parts, each delivered in full
    _caddy(15, "198.51.100.4", 206, 500000, f"bytes 0-499999/{SIZE}"),
    _caddy(16, "198.51.100.4", 206, SIZE - 500000, f"bytes 500000-{SIZE - 1}/{SIZE}"),
    _caddy(60, "198.51.100.9", 404, 0),
]
CADDY_EXPECTED = [("198.51.100.1", "complete", SIZE), ("198.51.100.2", "partial", CUT),
                  ("198.51.100.3", "partial", SIZE - 1000), ("198.51.100.4", "complete", SIZE)]


def test_a_cut_range_part_covers_only_what_its_count_holds(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", "\n".join(CADDY) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    got = [(d["client_ip"], d["outcome"], d["bytes"]) for d in answer.target["downloads"]]
    assert got == CADDY_EXPECTED
    assert [(d["client_ip"], d["outcome"], d["bytes"]) for d in answer.downloads] == CADDY_EXPECTED
    assert answer.totals["complete_downloads"] == 2


def test_files_and_the_portable_sql_read_cut_parts_the_same(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text("\n".join(CADDY) + "\n")
    options = AnalysisOptions(geoip_city="none")
    got = portable_equals_case(tmp_path, logs, TARGET, options)
    assert [(d["client"], d["outcome"], d["bytes_delivered"]) for d in got["downloads"]] == CADDY_EXPECTED
    # files: the same rule for every path at once
    result = CliRunner().invoke(app, ["files", "--case", str(tmp_path / "case.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["path"], row["complete_downloads"]) == (TARGET, 2)


CF_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
             "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
             "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
             "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end").split()


def _cf(minute: int, ip: str, status: int, sc_bytes: int, result: str = "Hit", start: int | None = None,
        end: int | None = None) -> str:
    length = SIZE if status == 200 else (end - start + 1 if start is not None and end is not None else 0)
    values = ["2024-03-10", f"10:{minute:02d}:00", "AMS1-C1", str(sc_bytes), ip, "GET",
              "d111111abcdef8.cloudfront.net", TARGET, str(status), "-", UA.replace(" ", "%20"), "-", "-",
              "Error" if result != "Hit" else "Hit", "req==", "www.example.nl", "https", "200", "0.100", "-",
              "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "5555", "0.01",
              "Error" if result != "Hit" else "Hit", "application/pdf", str(length) if length else "-",
              "-" if start is None else str(start), "-" if end is None else str(end)]
    return "\t".join(values)


@pytest.mark.parametrize(("line", "outcome"), [
    # the edge says the client disconnected; its sc-bytes hold 40 % and the headers
    pytest.param(_cf(5, "198.51.100.2", 206, CUT + 390, "Error", 0, SIZE - 1), "partial", id="disconnected"),
    # no Error, but sc-bytes (headers included) at the part's length: less than the body went out
    pytest.param(_cf(5, "198.51.100.2", 206, SIZE, "Hit", 0, SIZE - 1), "partial", id="count-at-length"),
    pytest.param(_cf(5, "198.51.100.2", 206, SIZE + 390, "Hit", 0, SIZE - 1), "complete", id="whole"),
])
def test_cloudfront_range_cut_short(tmp_path: Path, line: str, outcome: str) -> None:
    lines = ["#Version: 1.0", "#Fields: " + " ".join(CF_FIELDS),
             _cf(0, "198.51.100.1", 200, SIZE + 312), line, _cf(6, "198.51.100.6", 200, SIZE + 320),
             _cf(7, "198.51.100.7", 200, SIZE + 331), _cf(50, "198.51.100.9", 404, 300, "Error")]
    answer = analyse(tmp_path, "E2EXAMPLE.2024-03-10-10.abcd1234", "\n".join(lines) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    ranged = [(d["client_ip"], d["kind"], d["outcome"]) for d in answer.target["downloads"] if d["kind"] == "range"]
    assert ranged == [("198.51.100.2", "range", outcome)]
    assert [(d["client_ip"], d["outcome"]) for d in answer.downloads if d["kind"] == "range"] == [
        ("198.51.100.2", outcome)]
