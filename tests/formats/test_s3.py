"""Amazon S3 server access logs: key as path, operations as methods, exact completeness fields."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.s3 import S3

from .parse_lines import assert_fast_rows_exact, parse_lines, realworld_lines

OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"


def s3_line(op: str = "REST.GET.OBJECT", key: str = "documents/x.xlsx", uri: str = '"GET /documents/x.xlsx HTTP/1.1"',
            status: str = "200", error: str = "-", sent: str = "18412", size: str = "18412",
            agent: str = '"Mozilla/5.0 (X11)"', ip: str = "198.51.100.7", time: str = "08/Jun/2020:12:12:18 +0000",
            tail: str = " - Sig SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader www.example.nl TLSv1.2 - -",
            referer: str = '"https://www.example.nl/"') -> str:
    return (f"{OWNER} example-bucket [{time}] {ip} arn:aws:iam::123456789012:user/alice 3E57427F3EXAMPLE {op} "
            f'{key} {uri} {status} {error} {sent} {size} 70 10 {referer} {agent}{tail}')


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(s3_line(), {"ts_utc": datetime(2020, 6, 8, 12, 12, 18), "utc_offset_min": 0, "method": "GET",
                             "path": "/documents/x.xlsx", "status": 200, "bytes": 18412, "object_size": 18412,
                             "client": "198.51.100.7", "user_agent": "Mozilla/5.0 (X11)",
                             "referer": "https://www.example.nl/", "userid": "arn:aws:iam::123456789012:user/alice",
                             # the bucket is the site; the Host header the client sent is kept
                             "vhost": "example-bucket", "host_header": "www.example.nl",
                             "protocol": "HTTP/1.1", "duration_ms": 70.0},
                 id="get-object-with-trailing-fields"),
    pytest.param(s3_line(op="REST.HEAD.OBJECT", uri='"HEAD /documents/x.xlsx HTTP/1.1"', sent="-"),
                 {"method": "HEAD", "bytes": None, "object_size": 18412}, id="head-object"),
    pytest.param(s3_line(status="404", error="NoSuchKey", sent="298", size="-", tail=""),
                 {"status": 404, "object_size": None, "vhost": "example-bucket"}, id="nosuchkey-no-trailing-fields"),
    pytest.param(s3_line(sent="4096", time="08/Jun/2020:14:12:18 +0200"),
                 {"bytes": 4096, "object_size": 18412, "ts_utc": datetime(2020, 6, 8, 12, 12, 18),
                  "utc_offset_min": 120}, id="aborted-and-offset"),
    pytest.param(s3_line(op="REST.GET.ACL", uri='"GET /documents/x.xlsx?acl HTTP/1.1"', sent="520", size="-"),
                 {"method": "REST.GET.ACL", "path": "/documents/x.xlsx", "query": "acl"}, id="acl-is-not-a-get"),
    pytest.param(s3_line(op="REST.PUT.OBJECT", uri='"PUT /documents/x.xlsx HTTP/1.1"', sent="-"),
                 {"method": "PUT"}, id="put-object"),
    pytest.param(s3_line(op="S3.EXPIRE.OBJECT", uri='"-"', ip="-", sent="-", size="-", agent='"-"'),
                 {"method": "S3.EXPIRE.OBJECT", "client": None, "user_agent": None, "path": "/documents/x.xlsx"},
                 id="lifecycle-dashes"),
    pytest.param(s3_line(op="REST.GET.BUCKET", key="-", uri='"GET /?list-type=2&prefix=documents%2F HTTP/1.1"',
                         size="-"),
                 {"method": "REST.GET.BUCKET", "path": "/", "query": "list-type=2&prefix=documents%2F"},
                 id="no-key-uses-request-uri"),
    pytest.param(s3_line(key="documents/my%20file%2B1.xlsx"), {"path": "/documents/my file+1.xlsx"},
                 id="url-encoded-key"),
    # S3 does not escape a quote inside a quoted field: each field ends where the fields after it fit
    pytest.param(s3_line(agent='"Mozilla/5.0 (X11; Linux x86_64) "quoted" Firefox/123.0"'),
                 {"user_agent": 'Mozilla/5.0 (X11; Linux x86_64) "quoted" Firefox/123.0',
                  "host_header": "www.example.nl",
                  "referer": "https://www.example.nl/", "bytes": 18412}, id="bare-quotes-in-agent"),
    pytest.param(s3_line(referer='"https://www.example.nl/?q="wob" 2020"', agent='"curl/8.5.0"'),
                 {"referer": 'https://www.example.nl/?q="wob" 2020', "user_agent": "curl/8.5.0",
                  "host_header": "www.example.nl"}, id="bare-quotes-in-referer"),
    pytest.param(s3_line(referer='"a "b" c"', agent='"x "y" z"', tail=""),
                 {"referer": 'a "b" c', "user_agent": 'x "y" z', "vhost": "example-bucket"},
                 id="bare-quotes-in-both-no-trailing-fields"),
    pytest.param(s3_line(key="documents/%22", uri='"GET /documents/" HTTP/1.1"', status="404", error="NoSuchKey"),
                 {"path": '/documents/"', "protocol": "HTTP/1.1", "status": 404, "bytes": 18412},
                 id="bare-quote-in-request-uri"),
    pytest.param(s3_line(agent='"a \\"quoted\\" agent \\"'), {"user_agent": 'a \\"quoted\\" agent \\'},
                 id="backslashes-are-content"),
])
def test_s3_quirks(line: str, expected: dict) -> None:
    row = parse_lines(S3, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    for key, value in expected.items():
        assert row[key] == value, key


def test_s3_accounting_and_rejects() -> None:
    lines = [s3_line(), "", "not an s3 line at all", s3_line(time="08/Jun/2020:25:12:18 +0000")]
    rows = parse_lines(S3, lines)
    assert [r["verdict"] for r in rows] == ["request", "skipped", "rejected", "rejected"]
    assert rows[2]["reason"] == "does not match the s3 format"
    assert rows[3]["reason"] == "invalid timestamp: 08/Jun/2020:25:12:18 +0000"


S3_LINES = [
    s3_line(), s3_line(op="REST.HEAD.OBJECT", uri='"HEAD /documents/x.xlsx HTTP/1.1"', sent="-"),
    s3_line(status="404", error="NoSuchKey", sent="298", size="-", tail=""),
    s3_line(sent="4096", time="08/Jun/2020:14:12:18 +0200"),
    s3_line(op="REST.GET.ACL", uri='"GET /documents/x.xlsx?acl HTTP/1.1"', sent="520", size="-"),
    s3_line(op="S3.EXPIRE.OBJECT", uri='"-"', ip="-", sent="-", size="-", agent='"-"'),
    s3_line(op="REST.GET.BUCKET", key="-", uri='"GET /?list-type=2&prefix=documents%2F HTTP/1.1"', size="-"),
    s3_line(key="documents/my%20file%2B1.xlsx"), s3_line(ip="2001:0db8::0007"), s3_line(ip="fe80::1%eth0"),
    s3_line(agent='"a \\"quoted\\" agent"'), s3_line(agent='"a "bare" quote"'), s3_line(uri="-"),
    s3_line(tail=" "), s3_line(time="08/Jun/2020:25:12:18 +0000"), s3_line(sent="12x"), "", "not s3",
    # bare quotes in the agent: it ends at the line's last quote followed by a space or the end (GREEDY)
    s3_line(agent='"x "y" z"', tail=""), s3_line(agent='"ends in a quote""'), s3_line(agent='""""'),
    s3_line(referer='"a" "b"', agent='"c"'), s3_line(agent='"x "y" z"', tail=' - a"b'),
    s3_line(agent='"x "y" z"', tail=' - "'),
]


def test_cheap_path_rows_equal_the_full_parse() -> None:
    taken = assert_fast_rows_exact(S3, S3_LINES)
    # not: a '-' request line (quoted or not), a zone id (its column is not in the S3 store), escaped quotes
    # in the agent, the bad time and byte count (the full path rejects them), the blank and foreign lines, a
    # quote in a trailing field not followed by a space (the agent then ends at an earlier quote)
    assert taken == [0, 1, 2, 3, 4, 6, 7, 8, 11, 13, 18, 19, 20, 21, 23]


@pytest.mark.parametrize("rel", ["elastic-integrations/aws_s3access/test-s3-server-access.log",
                                 "matomo-log-analytics/logs/s3.log",
                                 "filebeat-beats-current-index/aws-s3access/s3_server_access.log"])
def test_cheap_path_on_realworld(rel: str) -> None:
    assert_fast_rows_exact(S3, realworld_lines(rel))
