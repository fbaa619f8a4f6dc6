"""nginx log_format strings (nginx_directive): any $variable, known ones typed, others kept by name in extra.

Sources: ingress-nginx's default `log_format upstreaminfo` (kubernetes.github.io/ingress-nginx/user-guide/
nginx-configuration/log-format/) with the lines vectordotdev/vrl's parse_nginx_log tests use; `$server` and
`$traceId`-style variables (set by `map`/`set`, OpenTelemetry modules) as the issue reports them.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.errors import FormatError
from exposure.formats.custom import custom_format

from .parse_lines import parse_lines

UPSTREAMINFO = ("log_format upstreaminfo '$remote_addr - $remote_user [$time_local] \"$request\" ' "
                "'$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" ' "
                "'$request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] "
                "$upstream_addr ' '$upstream_response_length $upstream_response_time $upstream_status $req_id';")
UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0.0.0 "
      "Safari/537.36")


def test_ingress_upstreaminfo_with_upstream_lists() -> None:
    fmt = custom_format({"nginx_log_format": UPSTREAMINFO})
    rows = parse_lines(fmt, [
        f'0.0.0.0 - bob [18/Mar/2023:15:00:00 +0000] "GET /some/path HTTP/2.0" 200 12312 '
        f'"https://10.0.0.1/some/referer" "{UA}" 462 0.050 [some-upstream-service-9000] [some-other-upstream-5000] '
        '10.0.50.80:9000 19437 0.049 200 752178adb17130b291aefd8c386279e7',
        f'0.0.0.0 - - [18/Mar/2023:15:00:00 +0000] "GET /some/path HTTP/2.0" 200 12312 "" "{UA}" 462 0.050 '
        '[some-upstream-service-9000] [] - - - - 752178adb17130b291aefd8c386279e7',
        # nginx joins the servers it tried with ", " (a retry after a 502)
        f'0.0.0.0 - - [18/Mar/2023:15:00:00 +0000] "GET /a HTTP/2.0" 200 1 "-" "{UA}" 462 0.050 [svc] [] '
        '10.0.50.80:9000, 10.0.50.81:9000 0, 19437 0.001, 0.049 502, 200 752178adb17130b291aefd8c386279e7',
    ])
    assert [r["verdict"] for r in rows] == ["request"] * 3
    first, empty, retried = rows
    assert (first["userid"], first["duration_ms"], first["ts_utc"]) == ("bob", 50.0, datetime(2023, 3, 18, 15))
    assert first["extra"] == {"request_length": "462", "proxy_upstream_name": "some-upstream-service-9000",
                              "proxy_alternative_upstream_name": "some-other-upstream-5000",
                              "upstream_addr": "10.0.50.80:9000", "upstream_response_length": "19437",
                              "upstream_response_time": "0.049", "upstream_status": "200",
                              "req_id": "752178adb17130b291aefd8c386279e7"}
    assert empty["extra"] == {"request_length": "462", "proxy_upstream_name": "some-upstream-service-9000",
                              "req_id": "752178adb17130b291aefd8c386279e7"}
    assert (retried["extra"]["upstream_addr"], retried["extra"]["upstream_status"]) == (
        "10.0.50.80:9000, 10.0.50.81:9000", "502, 200")


def test_unknown_variables_are_named_string_fields() -> None:
    fmt = custom_format({"nginx_log_format": '$server $remote_addr [$time_local] "$request" $status $body_bytes_sent '
                                             '$traceId "$http_user_agent" $host'})
    row = parse_lines(fmt, ['web01 192.0.2.1 [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 5 4bf92f35 "UA x" '
                            'www.example.nl'])[0]
    assert (row["verdict"], row["user_agent"], row["vhost"]) == ("request", "UA x", "www.example.nl")
    assert row["extra"] == {"server": "web01", "traceId": "4bf92f35"}


def test_statement_with_escape_json_and_proxy_add_x_forwarded_for() -> None:
    fmt = custom_format({"nginx_log_format": "log_format edge escape=json '$proxy_add_x_forwarded_for - "
                                             "[$time_local] \"$request\" $status $bytes_sent \"$http_user_agent\"';"})
    row = parse_lines(fmt, ['203.0.113.9, 10.0.0.5 - [08/Jun/2020:14:12:18 +0200] "GET /a HTTP/1.1" 200 5 '
                            '"Mo \\"z\\" \\u00e9"'])[0]
    assert (row["client"], row["xff"], row["user_agent"]) == ("10.0.0.5", "203.0.113.9", 'Mo "z" é')
    assert fmt.bytes_meaning == "headers+body"


def test_escape_none_leaves_quotes_bare_and_they_are_content() -> None:
    """nginx `escape=none` writes a value as it came: a quote inside the referer or agent is content, the value
    ending where the rest of the line fits (the agent, logged last, at the line's last quote)."""
    fmt = custom_format({"nginx_log_format": "log_format raw escape=none '$remote_addr - $remote_user "
                                             "[$time_local] \"$request\" $status $body_bytes_sent "
                                             "\"$http_referer\" \"$http_user_agent\"';"})
    row = parse_lines(fmt, ['192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" 200 5 '
                            '"https://r.nl/?q="wob" 2020" "Mozilla/5.0 "quoted" Firefox/123.0"'])[0]
    assert row["verdict"] == "request", row["reason"]
    assert (row["path"], row["bytes"]) == ("/a.xlsx", 5)
    assert (row["referer"], row["user_agent"]) == ('https://r.nl/?q="wob" 2020', 'Mozilla/5.0 "quoted" Firefox/123.0')


def test_unknown_escape_is_refused() -> None:
    with pytest.raises(FormatError, match="escape=xml"):
        custom_format({"nginx_log_format": "log_format x escape=xml '$remote_addr';"})
