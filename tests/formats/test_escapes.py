"""The escapes Apache and nginx write, decoded to the bytes they stand for, then UTF-8 (exposure.formats.escapes).

Real lines: Apache's rule is `ap_escape_logitem` (httpd server/util.c: `\\b \\n \\r \\t \\v \\\\ \\"`, other bytes
`\\xhh`); nginx's is `ngx_http_log_escape` (`\\xHH` for `"`, `\\`, control bytes and every byte >= 0x7F).
The Joomla exploit user agent below is the one jwodder/apachelogs test/test_parse.py logs (a real attack,
CVE-2015-8562), with `\\"` and `\\\\0` escapes and a 4-byte UTF-8 character written as `\\xf0\\x9d\\x8c\\x86`.
The fuzzed tests encode random bytes the way each server does, parse the line and get the bytes back.
"""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.formats.clf import COMBINED
from exposure.formats.custom import custom_format
from exposure.formats.escapes import decoded_sql, json_repaired_sql
from exposure.formats.jsonl import JSON_LINES

from .parse_lines import parse_lines

HEAD = '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET {path} HTTP/1.1" 200 5120 "-" "{agent}"'
NGINX = custom_format({"nginx_log_format": '$remote_addr - $remote_user [$time_local] "$request" $status '
                                           '$body_bytes_sent "$http_referer" "$http_user_agent"'})


def nginx_escape(data: bytes) -> str:
    """nginx's default escape (ngx_http_log_escape): `"`, `\\`, bytes below 0x20 and from 0x7F up as `\\xHH`."""
    return "".join(f"\\x{b:02X}" if b < 0x20 or b >= 0x7F or b in (0x22, 0x5C) else chr(b) for b in data)


APACHE_SHORT = {0x08: "\\b", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x0B: "\\v", 0x5C: "\\\\", 0x22: '\\"'}


def apache_escape(data: bytes) -> str:
    """httpd's ap_escape_logitem: the C escapes, `\\\\` and `\\"`, every other unprintable byte as `\\xhh`."""
    return "".join(APACHE_SHORT.get(b) or (f"\\x{b:02x}" if b < 0x20 or b >= 0x7F else chr(b)) for b in data)


CON = duckdb.connect()
DECODE = f"SELECT d.v, d.bad FROM (SELECT {decoded_sql('$1')} AS d)"


def decode(value: str) -> tuple[str, bool]:
    row = CON.execute(DECODE, [value]).fetchone()
    return row[0], row[1]


def test_a_non_ascii_file_name_matches_however_the_server_wrote_it() -> None:
    rows = parse_lines(COMBINED, [HEAD.format(path="/lijst-\\xC3\\xAB.xlsx", agent="x"),  # nginx
                                  HEAD.format(path="/lijst-\\xc3\\xab.xlsx", agent="x"),  # Apache (lower-case hex)
                                  HEAD.format(path="/lijst-%C3%AB.xlsx", agent="x")])     # percent-encoded
    assert [r["path"] for r in rows] == ["/lijst-ë.xlsx"] * 3
    assert [r["bad_utf8"] for r in rows] == [False] * 3
    json_row = parse_lines(JSON_LINES, ['{"time_iso8601":"2020-06-08T14:12:18+02:00","remote_addr":"192.0.2.7",'
                                        '"request":"GET /lijst-ë.xlsx HTTP/1.1","status":200}'])[0]
    assert json_row["path"] == "/lijst-ë.xlsx"


def test_real_joomla_exploit_agent_decoded() -> None:
    agent = ('}__test|O:21:\\"JDatabaseDriverMysqli\\":3:{s:4:\\"\\\\0\\\\0\\\\0a\\";O:17:\\"JSimplepieFactory\\":0:{}'
             's:21:\\"\\\\0\\\\0\\\\0disconnectHandlers\\";a:1:{i:0;a:2:{i:0;O:9:\\"SimplePie\\":5:{s:8:\\"sanitize\\";'
             'O:20:\\"JDatabaseDriverMysql\\":0:{}}}}}\\xf0\\x9d\\x8c\\x86')
    row = parse_lines(COMBINED, [HEAD.format(path="/", agent=agent)])[0]
    assert row["verdict"] == "request"
    assert row["user_agent"].startswith('}__test|O:21:"JDatabaseDriverMysqli":3:{s:4:"\\0\\0\\0a";')
    assert row["user_agent"].endswith("}}}}}\U0001d306") and not row["bad_utf8"]


def test_apache_control_escapes_and_a_backslash_that_starts_no_escape() -> None:
    assert decode('tab\\there\\nnew \\"q\\" back\\\\slash') == ('tab\there\nnew "q" back\\slash', False)
    assert decode("\\\\x41") == ("\\x41", False)  # an escaped backslash, then the text x41
    assert decode("C:\\q\\x") == ("C:\\q\\x", False)  # no escape: kept as written
    assert decode("plain") == ("plain", False)


def test_invalid_utf8_is_kept_as_replacement_and_flagged() -> None:
    assert decode("Gh0st\\xad") == ("Gh0st\ufffd", True)
    assert decode("a\\xE2\\x82b\\xC3\\xABc") == ("a\ufffdbëc", True)  # a cut 3-byte sequence is one U+FFFD
    row = parse_lines(COMBINED, ['66.240.205.34 - - [18/Nov/2017:12:30:55 +0000] "Gh0st\\xad" 400 0 "-" "-"'])[0]
    # a request line that is no `METHOD target` is kept as sent (decoded) in extra
    assert (row["verdict"], row["method"], row["extra"], row["bad_utf8"]) == (
        "request", None, {"request": "Gh0st\ufffd"}, True)


def test_nginx_json_written_without_escape_json_is_read() -> None:
    # nginx before 1.11.8 had no escape=json: a JSON-shaped log_format writes `\xHH` into its strings
    line = ('{"time_local":"08/Jun/2020:14:12:18 +0200","remote_addr":"192.0.2.7","request":'
            '"GET /lijst-\\xC3\\xAB.xlsx HTTP/1.1","status":"200","http_user_agent":"Mo \\x22z\\x22 \\x5C"}')
    row = parse_lines(JSON_LINES, [line])[0]
    assert (row["verdict"], row["path"], row["user_agent"]) == ("request", "/lijst-ë.xlsx", 'Mo "z" \\')
    fixed = duckdb.connect().execute(f"SELECT {json_repaired_sql('$1')}", ['{"a":"\\x0A\\x22"}']).fetchone()[0]
    assert fixed == '{"a":"\\n\\""}'


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=40))
def test_fuzz_nginx_escaped_bytes_come_back(data: bytes) -> None:
    value, bad = decode(nginx_escape(data))
    assert value == data.decode("utf-8", errors="replace")
    assert bad == _invalid(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=40))
def test_fuzz_apache_escaped_bytes_come_back(data: bytes) -> None:
    value, bad = decode(apache_escape(data))
    assert value == data.decode("utf-8", errors="replace")
    assert bad == _invalid(data)


@settings(max_examples=12, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_fuzz_whole_lines_nginx_and_apache(text: str) -> None:
    data = text.encode("utf-8")
    nginx_line = HEAD.format(path="/" + nginx_escape(data).replace(" ", "%20"), agent=nginx_escape(data))
    apache_line = HEAD.format(path="/f", agent=apache_escape(data))
    nginx_row = parse_lines(NGINX, [nginx_line])[0]
    apache_row = parse_lines(COMBINED, [apache_line])[0]
    assert nginx_row["verdict"] == apache_row["verdict"] == "request"
    assert nginx_row["user_agent"] == apache_row["user_agent"] == (text if text not in ("", "-") else None)


def _invalid(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_extra_of_a_format_without_escapes_drops_dash_and_empty_values_only() -> None:
    # formats without escapes (W3C, S3, CloudFront, JSON) keep `extra` as built, less `-`/empty values; a map
    # left empty is NULL (the same as the decoding route of Apache/nginx formats, tested first, rebuilt only then)
    from exposure.formats.base import _decoded_stage

    con = duckdb.connect()
    con.execute("CREATE TABLE base AS SELECT * FROM (VALUES (1, MAP {'a': '-', 'b': 'x'}), (2, MAP {'a': '-'}), "
                "(3, MAP {}::MAP(VARCHAR, VARCHAR)), (4, NULL::MAP(VARCHAR, VARCHAR)), (5, MAP {'a': 'x', 'b': ''}), "
                "(6, MAP {'a': 'x', 'c': 'y'}), (7, MAP {'a': NULL::VARCHAR})) t(i, extra)")
    rows = con.execute(f"SELECT i, extra, esc_bad FROM ({_decoded_stage('none')}) ORDER BY i").fetchall()
    assert rows == [(1, {"b": "x"}, False), (2, None, False), (3, None, False), (4, None, False),
                    (5, {"a": "x"}, False), (6, {"a": "x", "c": "y"}, False), (7, None, False)]
    # end to end: a JSON line written by Caddy behind docker-compose, its log prefix kept in extra
    row = parse_lines(JSON_LINES, ['web_1  | {"ts":1591618338.5,"request":{"remote_ip":"192.0.2.7","method":"GET",'
                                   '"uri":"/a","proto":"HTTP/1.1"},"status":200,"size":5}'])[0]
    assert row["verdict"] == "request"
    assert row["extra"] == {"log_prefix": "web_1  |"}
