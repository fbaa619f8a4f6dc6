"""The CLF fast path (string functions) gives exactly what the full regex gives, line for line."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from exposure.formats import clf_fast
from exposure.formats.clf import COMBINED

from ..conftest import REALWORLD, SAMPLE_LOGS
from .parse_lines import assert_fast_rows_exact, fast_request_rows, parse_lines

EDGE_LINES = [
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /a%20b?x=1 HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
    '192.0.2.7 - frank [08/Jun/2020:14:12:18 -0130] "HEAD / HTTP/2.0" 304 - "https://r/" "curl/8"',
    '2001:db8::1 - - [31/Feb/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',  # bad date: regex path
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /x HTTP/1.1" 2x0 1 "-" "x"',  # bad status
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /x HTTP/1.1" 200 12a "-" "x"',  # bad bytes
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /x" 200 1 "-" "x"',  # HTTP/0.9
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET http://evil/x?y HTTP/1.1" 200 1 "-" "x"',
    'www.example.nl:443 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "a \\"q\\" b"',
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "cut off',
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1',  # common
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x" extra',
    '192.0.2.7 -  [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',  # empty userid
    '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"\r',
    '192.0.2.7\t- - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',
    '192.0.2.7 - - [08/Jun/2020:14:12:18 0200] "GET / HTTP/1.1" 200 1 "-" "x"',
    '192.0.2.7 - - [8/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',
    ' 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"',
    "", "   ", "# comment", b'192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /caf\xe9 HTTP/1.1" 200 1 "-" "x"',
]


def _lines_of(path: Path) -> list[bytes]:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n")


def _assert_same(lines: list[str | bytes]) -> int:
    """Both parses of `lines` agree line for line, and every row the ingest's cheap path writes is the
    full path's request row for that line. The number of requests."""
    fast = parse_lines(COMBINED, lines)
    slow = parse_lines(COMBINED, lines, {"fast_path": False})
    assert len(fast) == len(slow) == len(lines)
    for f, s in zip(fast, slow, strict=True):
        assert f == s, (f["line_text"], {k: (f[k], s[k]) for k in f if f[k] != s[k]})
    _assert_cheap_rows_exact(lines, slow)
    return sum(r["verdict"] == "request" for r in fast)


def _assert_cheap_rows_exact(lines: list[str | bytes], slow: list[dict]) -> list[int]:
    return assert_fast_rows_exact(COMBINED, lines, slow)


def test_cheap_path_takes_the_plain_regular_lines() -> None:
    # the regular lines, less the one whose byte count is not a number (the full path rejects it) and the
    # absolute request target (its host is the vhost); the escaped quote in the agent is taken, decoded as the
    # shared stage decodes it; the CRLF line has lost its terminator here, as in ingest
    edge = [ln for ln in EDGE_LINES if isinstance(ln, str)]
    assert _assert_cheap_rows_exact(edge, parse_lines(COMBINED, edge, {"fast_path": False})) == [0, 1, 8, 12, 13, 16]
    # escapes in the referer and agent only (backslash, quote, nginx hex) are taken, each row the full path's;
    # a backslash anywhere else, or a quote that runs on, goes to the full path
    assert _assert_cheap_rows_exact(ESCAPE_LINES, parse_lines(COMBINED, ESCAPE_LINES, {"fast_path": False})) == [
        0, 1, 3, 4, 5, 6]


def test_address_list_without_space_goes_to_the_full_path() -> None:
    line = _HEAD.replace("192.0.2.7", "198.51.100.9,192.0.2.7") + '"GET / HTTP/1.1" 200 1 "-" "x"'
    (row,) = parse_lines(COMBINED, [line])
    assert (row["client"], row["xff"]) == ("192.0.2.7", "198.51.100.9")
    assert _assert_same([line]) == 1


def test_fast_path_equals_regex_on_edge_lines() -> None:
    # requests: 2 regular lines, HTTP/0.9, absolute target, vhost, escaped quotes, common, extra field,
    # empty userid, CRLF, one-digit day, Latin-1 byte; the rest are rejected or skipped by both paths
    assert _assert_same(EDGE_LINES) == 12


def _regular(lines: list[str]) -> list[bool]:
    rel = pa.table({"text": pa.array(lines, pa.string())})  # noqa: F841 (read by DuckDB)
    return [r[0] for r in duckdb.connect().execute(
        f"SELECT {clf_fast.REGULAR} FROM (SELECT *, {clf_fast._SPLITS.format(col='text', time_format=clf_fast.TIME_FORMAT)} "
        "FROM rel)").fetchall()]


def test_regular_lines_take_the_fast_path() -> None:
    # regular: two plain lines, a bad byte count (rejected the same way), an absolute target, an empty userid,
    # a one-digit day; everything else (escapes, vhost, tabs, CR, bad dates/offsets, ...) must reach the regex
    flags = _regular([ln for ln in EDGE_LINES if isinstance(ln, str)])
    assert [i for i, f in enumerate(flags) if f] == [0, 1, 4, 6, 8, 12, 16]


_HEAD = '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] '
ESCAPE_LINES = [  # backslashes: the full path's split sets escapes aside in referer and agent only
    _HEAD + '"GET / HTTP/1.1" 200 1 "r\\\\" "agent"',  # escaped backslash ends the referer
    _HEAD + '"GET / HTTP/1.1" 200 1 "a\\\\\\"b" "x"',  # escaped backslash, then an escaped quote
    _HEAD + '"GET / HTTP/1.1" 200 1 "a\\" "x"',  # the referer's closing quote is escaped: runs on
    _HEAD + '"GET / HTTP/1.1" 200 1 "a\\x22b" "c\\x5Cd"',  # nginx hex escapes
    _HEAD + '"GET / HTTP/1.1" 200 1 "x" "ag\\ent"',  # a backslash before an ordinary character
    _HEAD + '"GET / HTTP/1.1" 200 1 "x" "\\\\\\\\"',  # four backslashes
    _HEAD + '"GET / HTTP/1.1" 200 1 "x" "agent\\\\"',  # escaped backslash ends the agent
    _HEAD + '"GET / HTTP/1.1" 200 1 "x" "a\\"',  # the agent's closing quote is escaped: truncated
    _HEAD + '"GET /a\\"b HTTP/1.1" 200 1 "x" "y"',  # escaped quote in the request
    _HEAD + '"GET /a\\b HTTP/1.1" 200 1 "x" "y"',  # backslash in the request
    _HEAD + '"GET / HTTP/1.1" 200 1 "x\ue001" "y\\"z"',  # holds the placeholder character itself
    '192.0.2.7 - \\u [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "x" "y\\"z"',  # backslash in userid
]


def test_fast_path_equals_regex_on_escapes() -> None:
    assert _assert_same(ESCAPE_LINES) == 10
    flags = _regular(ESCAPE_LINES)
    assert [i for i, f in enumerate(flags) if f] == [0, 1, 3, 4, 5, 6]


def test_fast_path_equals_regex_on_sample_logs() -> None:
    files = sorted(p for p in SAMPLE_LOGS.rglob("*") if p.is_file() and p.name != "README.md")
    lines = [ln for p in files for ln in _lines_of(p)]
    assert len(lines) > 1000
    assert _assert_same(lines) > 1000


REALWORLD_CLF = ["nasa-http-1995/yunshengtw-dbai-labs/nasa.log",
                 "nasa-http-1995/Aman-Panchal-Churning-logs-of-NASA-/NASA_access_log_Aug95",
                 "elastic-examples/apache_logs",
                 "elastic-examples-nginx_logs-partial-copy/nginx_logs.txt"]


@pytest.mark.parametrize("rel", REALWORLD_CLF)
def test_fast_path_equals_regex_on_realworld(rel: str) -> None:
    path = REALWORLD / rel
    if not path.is_file():
        pytest.skip(f"{rel} not present")
    lines = _lines_of(path)[:20000]
    assert _assert_same(lines) > 0


def test_cheap_path_normalises_client_addresses_as_the_full_path_does() -> None:
    rest = ' - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"'
    clients = ["2001:0db8:0000::0001", "fe80::1%eth0", "::ffff:192.0.2.9", "host.example.nl", "2001:db8::1",
               "192.0.2.7"]
    lines = [c + rest for c in clients]
    assert _assert_same(lines) == 6
    taken = fast_request_rows(COMBINED, lines)
    # a zone id (`%eth0`) needs a column the narrow store lacks: that line is left to the full parse
    assert [(r["client"], r["client_zone"], r["client_is_hostname"]) for r in taken.values()] == [
        ("2001:db8::1", None, False), ("192.0.2.9", None, False),
        ("host.example.nl", None, True), ("2001:db8::1", None, False), ("192.0.2.7", None, False)]
    zoned = parse_lines(COMBINED, lines)[1]
    assert (zoned["verdict"], zoned["client"], zoned["client_zone"]) == ("request", "fe80::1", "eth0")


def test_detection_statistics_count_what_the_regex_finds() -> None:
    """Format detection's CLF statistics take a regular line's fields from its string pieces and match only the
    other lines with the regex: per file the same counts (lines matched, with a vhost, with a referer or agent)
    as the regex on every line."""
    from exposure.formats.base import sql_literal
    from exposure.formats.clf import HOST_IDENT_RE, LINE_GROUPS, LINE_RE, SAMPLE_STATS_SQL

    vhost = 'www.example.nl:443 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"'
    lighttpd = '192.0.2.7 www.example.nl - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "-" "x"'
    texts = [ln.decode("utf-8", "replace") if isinstance(ln, bytes) else ln for ln in [*EDGE_LINES, *ESCAPE_LINES]]
    texts += [vhost] * 3 + [lighttpd] * 2 + [ln.decode("utf-8", "replace") for ln in _lines_of(SAMPLE_LOGS / "web1" / "access.log")]
    texts += ['192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 1 "" ""']  # regular, both empty
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE sample AS SELECT (i % 7)::INTEGER AS f, t AS text "
                "FROM (SELECT unnest(range(len($1))) AS i, unnest($1) AS t)", [texts])
    regex = con.execute(f"""
        SELECT f, count(*) FILTER (WHERE p.client <> ''), count(*) FILTER (WHERE p.vhost <> ''),
               count(*) FILTER (WHERE p.agent <> '' OR p.referer <> '' OR p.agent_bare <> '' OR p.referer_bare <> ''),
               count(*) FILTER (WHERE regexp_full_match(p.ident, {sql_literal(HOST_IDENT_RE)}))
        FROM (SELECT f, regexp_extract(text, {sql_literal(LINE_RE)}, {LINE_GROUPS!r}) AS p FROM sample)
        GROUP BY f ORDER BY f""").fetchall()
    assert con.execute(f"SELECT * FROM ({SAMPLE_STATS_SQL}) ORDER BY f").fetchall() == regex
    assert sum(r[2] for r in regex) >= 3 and sum(r[1] for r in regex) > 100 > sum(r[1] - r[3] for r in regex) > 0
    assert sum(r[4] for r in regex) >= 2
