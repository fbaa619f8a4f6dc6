"""Custom formats from the server's own directive: Apache LogFormat and nginx log_format."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import Case
from exposure.errors import FormatError
from exposure.formats.custom import custom_format
from exposure.ingest import IngestOptions

from .parse_lines import parse_lines

NGINX_MAIN = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
              '"$http_user_agent" "$http_x_forwarded_for" $request_time $request_completion "$sent_http_content_range"')


def one(settings: dict[str, str], line: str, state: dict[str, str] | None = None) -> dict[str, object]:
    return parse_lines(custom_format(settings), [line], state)[0]


def test_apache_completion_and_wire_bytes() -> None:
    fmt = custom_format({"log_format": '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D %X'})
    assert fmt.bytes_meaning == "headers+body"
    row = parse_lines(fmt, ['www.example.nl:443 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" '
                            '200 5400 "-" "Mo \\"z\\"" 1500 X'])[0]
    assert row["verdict"] == "request"
    assert (row["vhost"], row["client"], row["path"], row["bytes"], row["user_agent"]) == (
        "www.example.nl", "192.0.2.7", "/a.xlsx", 5400, 'Mo "z"')
    assert (row["ts_utc"], row["utc_offset_min"], row["duration_ms"], row["completion"]) == (
        datetime(2020, 6, 8, 12, 12, 18), 120, 1.5, "aborted")


@pytest.mark.parametrize(("flag", "completion"), [("X", "aborted"), ("+", "complete"), ("-", "complete")])
def test_apache_percent_x(flag: str, completion: str) -> None:
    row = one({"log_format": "%h %t %>s %b %X"}, f"192.0.2.7 [08/Jun/2020:14:12:18 +0200] 200 10 {flag}")
    assert row["completion"] == completion


def test_body_bytes_win_over_wire_bytes() -> None:
    fmt = custom_format({"log_format": "%h %t %>s %b %O"})
    assert fmt.bytes_meaning == "body"
    assert parse_lines(fmt, ["192.0.2.7 [08/Jun/2020:14:12:18 +0200] 200 10 300"])[0]["bytes"] == 10


def test_apache_strftime_path_query_and_units() -> None:
    row = one({"log_format": "%a %{%Y-%m-%d %H:%M:%S %z}t %m %U%q %H %s %B %{ms}T"},
              "192.0.2.7 2020-06-08 14:12:18 +0200 GET /a.xlsx?x=1 HTTP/1.1 200 99 12")
    assert (row["ts_utc"], row["utc_offset_min"], row["method"], row["path"], row["query"], row["protocol"]) == (
        datetime(2020, 6, 8, 12, 12, 18), 120, "GET", "/a.xlsx", "x=1", "HTTP/1.1")
    assert (row["status"], row["bytes"], row["duration_ms"]) == (200, 99, 12.0)


def test_apache_epoch_time_and_first_time_wins() -> None:
    row = one({"log_format": '%h %{end:msec}t "%r" %>s %b %t'},
              '192.0.2.7 1591618338123 "GET /ksc.html" 200 - [08/Jun/2020:00:00:00 +0000]')
    assert row["ts_utc"] == datetime(2020, 6, 8, 12, 12, 18, 123000)
    assert custom_format({"log_format": "%h %{end:msec}t"}).time_meaning.startswith("when the response was completed")


def test_apache_forwarded_for_and_peer() -> None:
    row = one({"log_format": '%{c}a %h %t "%r" %>s %b "%{X-Forwarded-For}i"'},
              '10.0.0.1 192.0.2.7 [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "192.0.2.7, 10.0.0.1"')
    assert (row["peer"], row["client"], row["xff"]) == ("10.0.0.1", "192.0.2.7", "192.0.2.7, 10.0.0.1")


def test_line_not_in_the_directive_is_rejected() -> None:
    row = one({"log_format": "%h %t %>s %b"}, "192.0.2.7 [08/Jun/2020:14:12:18 +0200] OK 10")
    assert (row["verdict"], row["reason"]) == ("rejected", "does not match the apache-custom format")


# only what the server itself refuses: httpd's parse_log_item ("Unrecognized LogFormat directive", "Ran off
# end of LogFormat"); any letter and any nginx variable compile (test_directives.py)
@pytest.mark.parametrize(("settings", "message"), [
    ({"log_format": "%h % %b"}, "unrecognized LogFormat directive %  at position 3"),
    ({"log_format": "%h %>"}, "the LogFormat ends inside a directive: '%>'"),
    ({"log_format": "%h %{Referer"}, "the LogFormat ends inside a directive"),
    ({"nginx_log_format": "no variables"}, "no $variable"),
    ({"nginx_log_format": "log_format x escape=xml '$remote_addr';"}, "unknown nginx log_format escape=xml"),
    ({"log_format": "%h", "nginx_log_format": "$remote_addr"}, "not both"),
])
def test_bad_directives(settings: dict[str, str], message: str) -> None:
    with pytest.raises(FormatError, match=message.replace("$", r"\$").replace("{", r"\{").replace("}", r"\}")):
        custom_format(settings)


def test_nginx_completion_range_and_escapes() -> None:
    fmt = custom_format({"nginx_log_format": NGINX_MAIN})
    rows = parse_lines(fmt, [
        '10.0.0.1 - - [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" 206 100 "-" "Mo\\x22z" "192.0.2.9" '
        '0.003 OK "bytes 0-99/5400"',
        '10.0.0.1 - - [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" 200 10 "-" "Mo" "-" 0.250  "-"',
    ])
    first, second = rows
    assert (first["status"], first["bytes"], first["user_agent"], first["xff"]) == (206, 100, 'Mo"z', "192.0.2.9")
    assert (first["range_start"], first["range_end"], first["object_size"], first["completion"]) == (0, 99, 5400, "complete")
    assert (second["completion"], second["duration_ms"], second["xff"], second["range_start"]) == ("aborted", 250.0, None, None)


def test_nginx_iso_time_host_and_wire_bytes() -> None:
    fmt = custom_format({"nginx_log_format": '$host $remote_addr [$time_iso8601] "$request" $status $bytes_sent'})
    assert fmt.bytes_meaning == "headers+body" and fmt.lacks
    row = parse_lines(fmt, ['www.example.nl 192.0.2.7 [2020-06-08T14:12:18+02:00] "GET / HTTP/1.1" 200 10'])[0]
    assert (row["vhost"], row["ts_utc"], row["utc_offset_min"], row["bytes"]) == (
        "www.example.nl", datetime(2020, 6, 8, 12, 12, 18), 120, 10)


def test_log_format_selects_the_custom_format_and_is_recorded(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text('192.0.2.7 [08/Jun/2020:14:12:18 +0200] "GET /a.xlsx HTTP/1.1" 200 10 X\nbad line\n')
    directive = '%h %t "%r" %>s %b %X'
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log], IngestOptions(log_format=directive).validated())
        ev = case.con.execute("SELECT format, format_definition, requests, rejected FROM evidence").fetchall()
        req = case.con.execute("SELECT path, completion FROM requests").fetchall()
    assert ev == [("apache-custom", directive, 1, 1)]
    assert req == [("/a.xlsx", "aborted")]


def test_malformed_directive_fails_before_anything_is_written() -> None:
    with pytest.raises(FormatError):
        IngestOptions(log_format="%h %!").validated()
