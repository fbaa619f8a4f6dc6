"""AWS CloudFront standard logs: tab-separated W3C, encoded agents, sc-bytes with headers, ranges."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from exposure.formats.cloudfront import CLOUDFRONT, STANDARD_FIELDS
from exposure.formats.detect import detect_format

from .parse_lines import parse_lines

HEADER = ["#Version: 1.0", "#Fields: " + " ".join(STANDARD_FIELDS)]


def cf_line(**over: str) -> str:
    values = {
        "date": "2020-06-08", "time": "12:12:18", "x-edge-location": "AMS1-C1", "sc-bytes": "18712",
        "c-ip": "198.51.100.7", "cs-method": "GET", "cs(host)": "d111111abcdef8.cloudfront.net",
        "cs-uri-stem": "/docs/x.xlsx", "sc-status": "200", "cs(referer)": "-",
        "cs(user-agent)": "Mozilla/5.0%20(X11;%20Linux)", "cs-uri-query": "-", "cs(cookie)": "-",
        "x-edge-result-type": "Miss", "x-edge-request-id": "EXAMPLEid==", "x-host-header": "www.example.nl",
        "cs-protocol": "https", "cs-bytes": "180", "time-taken": "0.042", "x-forwarded-for": "-",
        "ssl-protocol": "TLSv1.3", "ssl-cipher": "TLS_AES_128_GCM_SHA256", "x-edge-response-result-type": "Miss",
        "cs-protocol-version": "HTTP/2.0", "fle-status": "-", "fle-encrypted-fields": "-", "c-port": "51234",
        "time-to-first-byte": "0.010", "x-edge-detailed-result-type": "Miss",
        "sc-content-type": "application/vnd.ms-excel", "sc-content-len": "18412", "sc-range-start": "-",
        "sc-range-end": "-",
    }
    values.update({k.replace("_", "-"): v for k, v in over.items()})
    return "\t".join(values[f] for f in STANDARD_FIELDS)


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(cf_line(), {"ts_utc": datetime(2020, 6, 8, 12, 12, 18), "client": "198.51.100.7",
                             "method": "GET", "path": "/docs/x.xlsx", "status": 200, "bytes": 18712,
                             "object_size": 18412, "vhost": "www.example.nl", "cache_result": "Miss",
                             "user_agent": "Mozilla/5.0 (X11; Linux)", "protocol": "HTTP/2.0",
                             "duration_ms": 42.0, "range_start": None}, id="standard"),
    pytest.param(cf_line(**{"cs(user-agent)": "Mozilla/5.0%2520(Windows;%2520U)"}),
                 {"user_agent": "Mozilla/5.0 (Windows; U)"}, id="double-encoded-agent"),
    pytest.param(cf_line(sc_status="206", sc_bytes="1500", sc_range_start="0", sc_range_end="1023",
                         sc_content_len="1024"),
                 {"status": 206, "range_start": 0, "range_end": 1023, "object_size": 1024}, id="range"),
    pytest.param(cf_line(x_host_header="-", x_forwarded_for="203.0.113.9,%20192.0.2.1"),
                 {"vhost": "d111111abcdef8.cloudfront.net", "xff": "203.0.113.9,%20192.0.2.1"},
                 id="no-host-header-and-xff"),
    # CloudFront's own encoding (`%25` for `%`) undone, then the request URL's (as every path): the file's name
    pytest.param(cf_line(cs_uri_stem="/docs/my%2520file.xlsx"), {"path": "/docs/my file.xlsx"},
                 id="stem-decoded-twice"),
    pytest.param(cf_line(sc_status="000", sc_bytes="0", x_edge_result_type="Error"),
                 {"status": 0, "bytes": 0, "cache_result": "Error"}, id="status-000"),
])
def test_cloudfront_quirks(line: str, expected: dict) -> None:
    rows = parse_lines(CLOUDFRONT, [*HEADER, line])
    assert [r["verdict"] for r in rows] == ["skipped", "skipped", "request"], rows[-1]["reason"]
    for key, value in expected.items():
        assert rows[-1][key] == value, key


def test_lines_without_header_use_the_standard_fields_older_layouts_are_prefixes() -> None:
    old_layout = "\t".join(cf_line().split("\t")[:19])  # 2014 layout: up to time-taken
    short = "\t".join(cf_line().split("\t")[:10])
    rows = parse_lines(CLOUDFRONT, [cf_line(), old_layout, short])
    assert rows[0]["verdict"] == "request" and rows[0]["path"] == "/docs/x.xlsx"
    assert (rows[1]["verdict"], rows[1]["path"], rows[1]["bytes"], rows[1]["object_size"]) == (
        "request", "/docs/x.xlsx", 18712, None)
    assert (rows[2]["verdict"], rows[2]["reason"]) == ("rejected", "10 values under 33 fields")


def test_detected_with_and_without_header() -> None:
    con = duckdb.connect()
    assert detect_format(con, ("\n".join([*HEADER, cf_line()]) + "\n").encode()).format is CLOUDFRONT
    assert detect_format(con, (cf_line() + "\n" + cf_line() + "\n").encode()).format is CLOUDFRONT
