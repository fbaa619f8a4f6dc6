"""AWS ALB and classic ELB access logs: absolute-form requests, client ports, TCP lines."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from exposure.formats.alb import ALB, ELB
from exposure.formats.detect import detect_format

from .parse_lines import parse_lines

ALB_LINE = ('https 2020-06-08T12:12:18.123456Z app/my-alb/50dc6c495c0c9188 198.51.100.7:50123 10.0.0.1:80 '
            '0.001 0.042 0.000 200 200 180 18712 "GET https://www.example.nl:443/docs/x.xlsx?v=1 HTTP/1.1" '
            '"Mozilla/5.0 (X11)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
            'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
            '"Root=1-58337262-36d228ad5d99923122bbe354" "www.example.nl" "-" 0 2020-06-08T12:12:18.080000Z '
            '"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"')
ELB_LINE = ('2020-06-08T12:12:18.123456Z my-loadbalancer 198.51.100.7:50123 10.0.0.1:80 0.000086 0.001048 '
            '0.001337 200 200 0 18412 "GET https://www.example.nl:443/docs/x.xlsx HTTP/1.1" "Mozilla/5.0 (X11)" '
            'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2')
TCP_LINE = ('2020-06-08T12:12:19.000000Z my-loadbalancer 198.51.100.8:2817 10.0.0.1:80 0.001069 0.000028 '
            '0.000041 - - 82 305 "- - - " "-" - -')


@pytest.mark.parametrize(("fmt", "line", "expected"), [
    pytest.param(ALB, ALB_LINE, {"ts_utc": datetime(2020, 6, 8, 12, 12, 18, 123456), "client": "198.51.100.7",
                                 "method": "GET", "path": "/docs/x.xlsx", "query": "v=1", "status": 200,
                                 "bytes": 18712, "user_agent": "Mozilla/5.0 (X11)", "vhost": "www.example.nl",
                                 "protocol": "HTTP/1.1", "duration_ms": 42.0, "extra": {"url_port": "443"}},
                 id="alb-https"),
    # the host of the absolute request target, not the TLS SNI name (domain_name), and without its port
    pytest.param(ALB, ALB_LINE.replace("198.51.100.7:50123", "2001:db8::7:50123").replace(
        '"www.example.nl"', '"-"').replace("https://www.example.nl:443/", "http://Files.Example.NL:8080/"),
        {"client": "2001:db8::7", "vhost": "Files.Example.NL", "extra": {"url_port": "8080"}}, id="alb-ipv6-client"),
    pytest.param(ALB, ALB_LINE.replace(" 200 200 180 18712 ", " 502 - 180 277 ").replace("0.042", "-1"),
                 {"status": 502, "bytes": 277, "duration_ms": None}, id="alb-target-failed"),
    pytest.param(ELB, ELB_LINE, {"client": "198.51.100.7", "path": "/docs/x.xlsx", "status": 200, "bytes": 18412,
                                 "vhost": "www.example.nl", "extra": {"url_port": "443"}}, id="classic-elb"),
])
def test_elb_quirks(fmt, line: str, expected: dict) -> None:
    row = parse_lines(fmt, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    for key, value in expected.items():
        assert row[key] == value, key


@pytest.mark.parametrize("fmt", [ALB, ELB])
def test_hex_escapes_are_decoded_and_nothing_else(fmt) -> None:
    r"""AWS writes a quote inside the request or user agent as `\x22` (DataBiosphere/azul#4920): decoded, as are
    the bytes of a non-ASCII character; a backslash that starts no `\xHH` stays as written (no Apache `\n`)."""
    line = (ALB_LINE if fmt is ALB else ELB_LINE).replace(
        "x.xlsx?v=1", r"x.xlsx?q=\x22a\nb").replace("x.xlsx HTTP", r"x.xlsx?q=\x22a\nb HTTP").replace(
        '"Mozilla/5.0 (X11)"', r'"Mozilla/5.0 \x22caf\xC3\xA9\x22 \\ (X11)"')
    row = parse_lines(fmt, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert (row["path"], row["query"]) == ("/docs/x.xlsx", r'q="a\nb')
    assert row["user_agent"] == 'Mozilla/5.0 "café" \\\\ (X11)' and row["bad_utf8"] is False


def test_tcp_lines_are_skipped_with_their_kind_and_garbage_is_rejected() -> None:
    rows = parse_lines(ELB, [ELB_LINE, TCP_LINE, "2020-06-08T12:12:19Z truncated"])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("request", None), ("skipped", "tcp connection"), ("rejected", "does not match the elb format")]


def test_detection() -> None:
    con = duckdb.connect()
    assert detect_format(con, (ALB_LINE + "\n").encode()).format is ALB
    assert detect_format(con, (ELB_LINE + "\n" + TCP_LINE + "\n").encode()).format is ELB
