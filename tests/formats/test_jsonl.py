"""JSON lines: nginx escape=json, Caddy, Traefik and a --json-fields mapping."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.errors import FormatError
from exposure.formats.jsonl import JSON_LINES, json_path, mapped_format

from .parse_lines import assert_fast_rows_exact, parse_lines, realworld_lines

NGINX = ('{"time_local":"08/Jun/2020:14:12:18 +0200","remote_addr":"192.0.2.7","request":"GET /a.xlsx?x=1 HTTP/1.1",'
         '"status":"200","body_bytes_sent":"5120","http_user_agent":"Mo\\"z","http_x_forwarded_for":"",'
         '"request_time":"0.250","request_completion":"OK"}')
CADDY = ('{"level":"info","ts":1591618338.123,"logger":"http.log.access","msg":"handled request","request":'
         '{"remote_ip":"10.0.0.2","client_ip":"192.0.2.9","proto":"HTTP/2.0","method":"GET","host":"www.example.nl",'
         '"uri":"/a.xlsx","headers":{"User-Agent":["curl/7.68"]}},"duration":0.5,"size":5120,"status":200}')
TRAEFIK = ('{"ClientHost":"192.0.2.10","RequestMethod":"GET","RequestPath":"/a.xlsx","RequestProtocol":"HTTP/1.1",'
           '"DownstreamStatus":206,"DownstreamContentSize":100,"StartUTC":"2020-06-08T12:12:18.123456789Z",'
           '"request_User-Agent":"Wget","Duration":2000000}')
COLS = ("client", "peer", "method", "path", "query", "protocol", "status", "bytes", "user_agent", "ts_utc",
        "utc_offset_min", "duration_ms", "completion", "vhost")


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(NGINX, ("192.0.2.7", None, "GET", "/a.xlsx", "x=1", "HTTP/1.1", 200, 5120, 'Mo"z',
                         datetime(2020, 6, 8, 12, 12, 18), 120, 250.0, "complete", None), id="nginx-escape-json"),
    pytest.param(CADDY, ("192.0.2.9", "10.0.0.2", "GET", "/a.xlsx", None, "HTTP/2.0", 200, 5120, "curl/7.68",
                         datetime(2020, 6, 8, 12, 12, 18, 123000), None, 500.0, None, "www.example.nl"), id="caddy"),
    pytest.param(TRAEFIK, ("192.0.2.10", None, "GET", "/a.xlsx", None, "HTTP/1.1", 206, 100, "Wget",
                           datetime(2020, 6, 8, 12, 12, 18, 123456), 0, 2.0, None, None), id="traefik"),
])
def test_known_servers(line: str, expected: tuple[object, ...]) -> None:
    row = parse_lines(JSON_LINES, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert tuple(row[c] for c in COLS) == expected
    assert row["ts_flag"] is None


@pytest.mark.parametrize("line", ["not json", '["a", 1]', '{"truncated": "obj'])
def test_not_a_json_object_is_rejected(line: str) -> None:
    row = parse_lines(JSON_LINES, [line])[0]
    assert (row["verdict"], row["reason"]) == ("rejected", "not a JSON object")


def test_json_without_a_time_is_rejected() -> None:
    row = parse_lines(JSON_LINES, ['{"remote_addr":"192.0.2.7","request":"GET / HTTP/1.1","status":200}'])[0]
    assert (row["verdict"], row["reason"]) == ("rejected", "invalid timestamp: (none)")


def test_json_fields_mapping() -> None:
    fmt = mapped_format("time=when,client=who.ip,uri=what,user_agent=hdr.User-Agent[0]")
    assert fmt.options["definition"].startswith("--json-fields ")
    row = parse_lines(fmt, ['{"when":"2020-06-08T14:12:18+02:00","who":{"ip":"192.0.2.1"},"what":"/x?y=1",'
                            '"status":404,"hdr":{"User-Agent":["UA 1"]}}'])[0]
    assert (row["client"], row["path"], row["query"], row["status"], row["user_agent"], row["ts_utc"]) == (
        "192.0.2.1", "/x", "y=1", 404, "UA 1", datetime(2020, 6, 8, 12, 12, 18))


def test_json_path_and_bad_mapping() -> None:
    assert json_path("request.headers.User-Agent[0]") == '$.request.headers."User-Agent"[0]'
    with pytest.raises(FormatError, match="unknown field 'colour'"):
        mapped_format("colour=c")
    with pytest.raises(FormatError, match="is not NAME=PATH"):
        mapped_format("time")


NGINX_V6 = NGINX.replace('"192.0.2.7"', '"2001:0db8::0007"')
CADDY_V6 = CADDY.replace('"10.0.0.2"', '"fe80::1%eth0"')
MIXED = [NGINX, NGINX_V6, NGINX.replace('"status":"200"', '"status":"2x0"'), "not json", "",
         NGINX.replace('"http_user_agent"', '"\\u0068ttp_user_agent"'),  # a key spelled with an escape
         NGINX.replace('"request_time"', '"ts":"1591618338.5","request_time"'),  # a key the first line lacks
         CADDY, CADDY_V6, TRAEFIK]


def test_cheap_path_rows_equal_the_full_parse() -> None:
    # the chunk's first object is nginx's: its keys are read; lines with another top-level key the full parse
    # reads go to the full parse (Caddy's and Traefik's lines here, and the one with a `ts`); a key spelled
    # with an escape is still that key; a nested key of the same name is not a top-level key
    assert assert_fast_rows_exact(JSON_LINES, MIXED) == [0, 1, 5]
    assert assert_fast_rows_exact(JSON_LINES, [CADDY, CADDY_V6, NGINX]) == [0, 1]
    mapped = mapped_format("time=ts,client=src.ip,uri=req.path,status=code,bytes=size")
    line = '{"ts":"2020-06-08T12:12:18Z","src":{"ip":"2001:db8::0:1"},"req":{"path":"/x"},"code":200,"size":1}'
    assert assert_fast_rows_exact(mapped, [line, line.replace('"code"', '"status":200,"code"')]) == [0]


@pytest.mark.parametrize("rel", ["matomo-log-analytics/logs/nginx_json.log", "matomo-log-analytics/logs/traefik_json.log",
                                 "matomo-log-analytics/logs/caddy_json.log"])
def test_cheap_path_on_realworld(rel: str) -> None:
    assert assert_fast_rows_exact(JSON_LINES, realworld_lines(rel))
