"""IIS and CloudFront as they log by default: what each field means, and the writer's own word on a transfer
cut short.

IIS 8.5-10's default field set (IIS Manager, "W3C" logging, fields as shipped) has no `sc-bytes`: only the
status and `sc-win32-status`, the Windows error of the send (0 success; 64 "the specified network name is no
longer available" and 1236 "the network connection was aborted by the local system" when the client went
away). Where `sc-bytes` is selected it counts headers and body. CloudFront's standard log (33 fields since
December 2019) documents `x-edge-result-type` `Error` with an `x-edge-response-result-type` that is not `Error`
as "the client disconnected before finishing the download"; its `sc-bytes` count headers and body, so an
aborted transfer a few hundred bytes short of the body still lies in the complete-transfer band.
Lines written here from the documented field lists (Microsoft "Configure Logging in IIS"; AWS CloudFront
Developer Guide "Standard log file fields").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.cloudfront import STANDARD_FIELDS
from tests.servers import accounted, analyse

SIZE = 18412
TARGET = "/docs/leak.xlsx"
UA = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36"
IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 09:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status{bytes} time-taken\n")


def _iis(rows: list[tuple], with_bytes: bool) -> str:
    out = []
    for time, ip, method, status, win32, sent in rows:
        sent_field = f" {sent}" if with_bytes else ""
        out.append(f"2020-06-08 {time} 10.0.0.5 {method} {TARGET} - 443 - {ip} {UA} https://www.google.com/ "
                   f"{status} 0 {win32}{sent_field} 31")
    return IIS_HEAD.format(bytes=" sc-bytes" if with_bytes else "") + "\n".join(out) + "\n"


IIS_ROWS = [
    ("09:00:00", "198.51.100.1", "GET", 200, 0, SIZE + 320),
    ("09:01:00", "198.51.100.2", "GET", 200, 0, SIZE + 330),
    ("09:02:00", "198.51.100.3", "GET", 200, 0, SIZE + 340),
    ("09:03:00", "198.51.100.4", "GET", 200, 64, SIZE + 330 - 150),  # the client went away 150 bytes short
    ("09:04:00", "198.51.100.5", "GET", 200, 1236, 5000),
    ("09:05:00", "198.51.100.6", "HEAD", 200, 0, 330),
    ("09:06:00", "198.51.100.7", "GET", 304, 0, 250),
    ("10:00:00", "198.51.100.8", "GET", 404, 2, 1450),
]


def test_iis_default_fields_without_sc_bytes(tmp_path: Path) -> None:
    """No byte count: a 200 the server saw fail is partial, one it sent (sc-win32-status 0) complete, both by the
    server's own word (size_rule completion); never 0 bytes and never silently dropped."""
    answer = analyse(tmp_path, "u_ex200608.log", _iis(IIS_ROWS, with_bytes=False), TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["requests"], ev["skipped"], ev["bytes_meaning"]) == ("iis", 8, 4, "none")
    first = answer.rows[0]
    assert (first["ts_utc"].isoformat(), first["utc_offset_min"], first["client"], first["status"], first["bytes"],
            first["user_agent"], first["referer"], first["completion"]) == (
        "2020-06-08T09:00:00+00:00", None, "198.51.100.1", 200, None,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", "https://www.google.com/", "complete")
    assert [r["completion"] for r in answer.rows] == ["complete", "complete", "complete", "aborted", "aborted",
                                                      "complete", None, None]  # a 304 and a 404 send no file
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
                ("198.51.100.4", "partial"), ("198.51.100.5", "partial")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert [d["size_rule"] for d in answer.downloads] == ["completion"] * 5
    totals = answer.totals
    assert (totals["complete_downloads"], totals["partial_downloads"], totals["undetermined_downloads"],
            totals["head_requests"], totals["not_modified"], totals["errors"]) == (3, 2, 0, 1, 1, 1)


def test_iis_aborted_send_inside_the_band_is_partial(tmp_path: Path) -> None:
    """With sc-bytes (headers and body) an aborted send 150 bytes short lies among the complete copies' counts:
    sc-win32-status 64 makes it partial."""
    answer = analyse(tmp_path, "u_ex200608.log", _iis(IIS_ROWS, with_bytes=True), TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
                ("198.51.100.4", "partial"), ("198.51.100.5", "partial")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (3, 3)
    assert [d["size_rule"] for d in answer.downloads] == ["completion"] * 5  # the flag, then the band's edge


def _cloudfront(rows: list[dict[str, str]], fields: list[str] = STANDARD_FIELDS) -> str:
    out = ["#Version: 1.0", "#Fields: " + " ".join(fields)]
    for row in rows:
        values = {f: "-" for f in STANDARD_FIELDS}
        values.update({"date": "2020-06-08", "x-edge-location": "AMS1-C1", "cs(host)": "d111.cloudfront.net",
                       "cs-uri-stem": TARGET, "cs(user-agent)": "Mozilla/5.0%20(Windows%20NT%2010.0)",
                       "x-edge-request-id": "id==", "x-host-header": "www.example.nl", "cs-protocol": "https",
                       "cs-bytes": "180", "time-taken": "0.042", "ssl-protocol": "TLSv1.3",
                       "cs-protocol-version": "HTTP/2.0", "c-port": "51234", "time-to-first-byte": "0.010",
                       "sc-content-type": "application/vnd.ms-excel", **row})
        out.append("\t".join(values[f] for f in fields))
    return "\n".join(out) + "\n"


def _cf(time: str, ip: str, status: int, sc_bytes: int, result: str, response: str, length: int | str,
        method: str = "GET", start: str = "-", end: str = "-") -> dict[str, str]:
    return {"time": time, "c-ip": ip, "cs-method": method, "sc-status": str(status), "sc-bytes": str(sc_bytes),
            "x-edge-result-type": result, "x-edge-response-result-type": response,
            "x-edge-detailed-result-type": result, "sc-content-len": str(length), "sc-range-start": start,
            "sc-range-end": end}


CF_ROWS = [
    _cf("09:00:00", "198.51.100.1", 200, SIZE + 320, "Miss", "Miss", SIZE),
    _cf("09:01:00", "198.51.100.2", 200, SIZE + 330, "Hit", "Hit", SIZE),
    _cf("09:02:00", "198.51.100.3", 200, SIZE + 340, "Hit", "Hit", SIZE),
    _cf("09:03:00", "198.51.100.4", 200, SIZE - 200 + 330, "Error", "Hit", SIZE),  # disconnected 200 bytes short
    _cf("09:04:00", "198.51.100.5", 200, 5000, "Error", "Miss", SIZE),
    _cf("09:05:00", "198.51.100.6", 200, 330, "Hit", "Hit", SIZE, method="HEAD"),
    _cf("09:06:00", "198.51.100.7", 304, 250, "Hit", "Hit", "-"),
    _cf("09:07:00", "198.51.100.9", 206, 10400, "Hit", "Hit", 10000, start="0", end="9999"),
    _cf("09:08:00", "198.51.100.9", 206, SIZE - 10000 + 400, "Hit", "Hit", SIZE - 10000, start="10000",
        end=str(SIZE - 1)),
    _cf("09:09:00", "198.51.100.10", 0, 0, "Error", "Error", "-"),  # 000: closed before any response
    _cf("10:00:00", "198.51.100.8", 404, 500, "Error", "Error", 300),
]


@pytest.mark.parametrize("layout", [
    pytest.param(STANDARD_FIELDS, id="33-fields"),
    # before December 2019 the file ended at cs-protocol-version (24) and, from 2017, fle-encrypted-fields (26)
    pytest.param(STANDARD_FIELDS[:26], id="26-fields"),
])
def test_cloudfront_disconnect_is_partial(tmp_path: Path, layout: list[str]) -> None:
    answer = analyse(tmp_path, "E2EXAMPLE.2020-06-08-09.abcd1234", _cloudfront(CF_ROWS, list(layout)), TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    aborted = answer.rows[3]
    assert (aborted["ts_utc"].isoformat(), aborted["client"], aborted["vhost"], aborted["status"], aborted["bytes"],
            aborted["user_agent"], aborted["cache_result"], aborted["completion"]) == (
        "2020-06-08T09:03:00+00:00", "198.51.100.4", "www.example.nl", 200, SIZE + 130, "Mozilla/5.0 (Windows NT 10.0)",
        "Error", "aborted")
    outcomes = answer.outcomes()
    assert ("198.51.100.4", "partial") in outcomes and ("198.51.100.5", "partial") in outcomes
    assert answer.api_outcomes() == outcomes
    complete = sorted(ip for ip, outcome in outcomes if outcome == "complete")
    assert complete == ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.9"]
    ranged = {d["client_ip"]: d for d in answer.target["downloads"]}["198.51.100.9"]
    # sc-range-start/-end (33 fields): the parts' body offsets cover every byte; before them (26 fields) the
    # parts' header-inclusive sum, less one part's headers, reaches the band
    assert (ranged["kind"], ranged["parts"]) == ("range", 2)
    assert {d["client_ip"]: d["size_rule"] for d in answer.downloads}["198.51.100.9"] == (
        "offsets" if len(layout) == len(STANDARD_FIELDS) else "band_sum")
    [window] = answer.target["windows"]
    assert (window["first_available"], window["first_unavailable"]) == ("2020-06-08T09:00:00Z", "2020-06-08T10:00:00Z")


def test_an_aborted_send_never_widens_the_band(tmp_path: Path) -> None:
    """The complete-transfer band is built from the transfers the log does not call aborted: a flagged count
    between a short one (below the body size itself) and the complete copies must not join them into one band."""
    rows = [*IIS_ROWS[:4], ("09:03:30", "198.51.100.11", "GET", 200, 0, SIZE - 12), *IIS_ROWS[4:]]
    answer = analyse(tmp_path, "u_ex200608.log", _iis(rows, with_bytes=True), TARGET)
    assert answer.exit_code == 0, answer.output
    outcomes = dict(answer.outcomes())
    assert (outcomes["198.51.100.11"], outcomes["198.51.100.4"]) == ("partial", "partial")
    assert answer.target["windows"][0]["size_bytes"] == SIZE + 320


def test_portable_sql_reads_the_abort_flags_as_the_case_does(tmp_path: Path) -> None:
    """The portable dialect (Spark) gives the case's windows and downloads on the aborted-send fixtures: the
    flag decides there too, and an aborted count shapes no band."""
    from exposure import AnalysisOptions, Case
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    rows = [*IIS_ROWS[:4], ("09:03:30", "198.51.100.11", "GET", 200, 0, SIZE - 12), *IIS_ROWS[4:]]
    (tmp_path / "iis").mkdir()
    (tmp_path / "iis" / "u_ex200608.log").write_text(_iis(rows, with_bytes=True))
    (tmp_path / "cf").mkdir()
    (tmp_path / "cf" / "E2EXAMPLE.2020-06-08-09.abcd1234").write_text(_cloudfront(CF_ROWS))
    options = AnalysisOptions(geoip_city="none")
    for folder in ("iis", "cf"):
        with Case(tmp_path / f"{folder}.duckdb") as case:
            case.ingest([tmp_path / folder])
            expected = case_rows(case, options, TARGET)
            export_parquet(case.file, tmp_path / f"{folder}-parquet")
        got = portable_rows(run_portable(DuckDBEngine(), tmp_path / f"{folder}-parquet", TARGET, options))
        assert_same(expected, got, "duckdb")
        assert sum(d["outcome"] == "partial" for d in got["downloads"]) == (3 if folder == "iis" else 2)
