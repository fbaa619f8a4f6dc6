"""Parse results other projects assert for lines of a site's own nginx log_format, against ours."""

from __future__ import annotations

from datetime import datetime

from exposure.formats.custom import custom_format

from .parse_lines import parse_lines


# honeycombio/honeytail parsers/nginx/nginx_test.go: TestProcessLinesNoPreReg (a log_format without the request:
# body_bytes_sent 174, remote_addr 10.252.4.24, request_time 0.099, status 200) and TestGetTimestamp's `$msec`
# (1444263986.25 = 2015-10-08 00:26:26.25 UTC).
def test_honeytail_format_without_request() -> None:
    fmt = custom_format({"nginx_log_format": "$http_x_forwarded_proto - $remote_addr - $remote_user [$time_local] "
                                             "$status $body_bytes_sent $request_time"})
    row = parse_lines(fmt, ["https - 10.252.4.24 - - [08/Oct/2015:00:26:26 +0000] 200 174 0.099"])[0]
    assert {k: row[k] for k in ("verdict", "client", "ts_utc", "status", "bytes", "duration_ms", "method", "path",
                                "extra")} == {
        "verdict": "request", "client": "10.252.4.24", "ts_utc": datetime(2015, 10, 8, 0, 26, 26), "status": 200,
        "bytes": 174, "duration_ms": 99.0, "method": None, "path": None, "extra": {"http_x_forwarded_proto": "https"}}


def test_honeytail_msec() -> None:
    fmt = custom_format({"nginx_log_format": '$msec $remote_addr "$request" $status $body_bytes_sent'})
    row = parse_lines(fmt, ['1444263986.25 10.0.0.1 "GET /a.xlsx HTTP/1.1" 200 5'])[0]
    assert (row["verdict"], row["ts_utc"], row["path"]) == ("request", datetime(2015, 10, 8, 0, 26, 26, 250000),
                                                            "/a.xlsx")
