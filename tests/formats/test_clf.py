"""Apache/nginx CLF family: every quirk real logs have, one named case each."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.clf import COMBINED, UNPAIRED_QUOTE_REASON

from .parse_lines import parse_lines

T = "[01/Aug/1995:00:00:10 -0400]"
UTC = datetime(1995, 8, 1, 4, 0, 10)


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(f'192.0.2.7 - - {T} "GET /a.html HTTP/1.0" 200 7280', {"client": "192.0.2.7", "method": "GET",
                 "path": "/a.html", "protocol": "HTTP/1.0", "status": 200, "bytes": 7280, "user_agent": None},
                 id="common"),
    pytest.param(f'192.0.2.7 - bob {T} "GET /a?x=1 HTTP/1.1" 304 - "https://r.nl/" "Mozilla/5.0 (X11)"',
                 {"userid": "bob", "path": "/a", "query": "x=1", "status": 304, "bytes": None,
                  "referer": "https://r.nl/", "user_agent": "Mozilla/5.0 (X11)"}, id="combined"),
    pytest.param(f'www.example.nl:443 192.0.2.7 - - {T} "GET / HTTP/1.1" 200 5 "-" "UA"',
                 {"vhost": "www.example.nl", "client": "192.0.2.7", "referer": None}, id="vhost-combined"),
    pytest.param(f'piweba3y.prodigy.com - - {T} "GET /ksc.html" 200 7280',
                 {"client": "piweba3y.prodigy.com", "client_is_hostname": True, "path": "/ksc.html",
                  "protocol": None}, id="http09-hostname"),
    pytest.param(f'192.0.2.7 - - {T} "GET  /a%20b.html   HTTP/1.0" 200 1', {"path": "/a b.html", "protocol": "HTTP/1.0",
                 "client_is_hostname": False}, id="repeated-spaces"),
    pytest.param(f'192.0.2.7 - - {T} "GET /q?t=\\"x\\" HTTP/1.1" 200 1 "-" "Joomla \\"}}__test\\\\0"',
                 {"query": 't="x"', "user_agent": 'Joomla "}__test\\0'}, id="apache-escapes"),
    pytest.param(f'192.0.2.7 - - {T} "GET /q?t=\\x22x\\x22 HTTP/1.1" 200 0 "-" "A \\x22b\\x22 \\x5Cx22"',
                 {"query": 't="x"', "user_agent": 'A "b" \\x22', "bytes": 0}, id="nginx-escapes-and-zero"),
    pytest.param(f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 10 "-" "UA" "-" rt=0.003 extra', {"bytes": 10,
                 "user_agent": "UA"}, id="combined-extra-fields"),
    pytest.param(f'2a03:0000:10ff:0:0:0:0:1 - - {T} "GET / HTTP/1.1" 200 1', {"client": "2a03:0:10ff::1",
                 "client_is_hostname": False}, id="ipv6-compressed"),
    pytest.param(f'192.0.2.7 - - {T} "-" 400 0 "-" "-"', {"method": None, "path": None, "status": 400},
                 id="empty-request"),
    pytest.param(f'198.51.100.9, 10.0.0.1, 127.0.0.1 - - {T} "GET /x HTTP/1.1" 200 5 "-" "UA"',
                 {"client": "127.0.0.1", "xff": "198.51.100.9, 10.0.0.1", "userid": None, "path": "/x"},
                 id="address-list-connecting-last"),
    pytest.param(f'"198.51.100.9, 199.96.1.1" 10.2.1.185 - - {T} "GET /x HTTP/1.1" 200 5 "-" "UA"',
                 {"client": "10.2.1.185", "xff": "198.51.100.9, 199.96.1.1", "userid": None},
                 id="quoted-forwarded-list-then-address"),
    # writers that leave a quote inside a value as it came (Express's morgan, gunicorn): the bare form
    pytest.param(f'192.0.2.7 - - {T} "GET /a.xlsx HTTP/1.1" 200 10 "-" "Mozilla/5.0 "quoted" Firefox/123.0"',
                 {"path": "/a.xlsx", "bytes": 10, "referer": None, "user_agent": 'Mozilla/5.0 "quoted" Firefox/123.0'},
                 id="bare-quotes-in-agent"),
    pytest.param(f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 10 "https://r.nl/?q="wob" 2020" "curl/8.5.0"',
                 {"referer": 'https://r.nl/?q="wob" 2020', "user_agent": "curl/8.5.0"}, id="bare-quotes-in-referer"),
    pytest.param(f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 10 "-" "UA" "-" rt=0.003', {"user_agent": "UA",
                 "referer": None}, id="escaped-form-first-extra-fields-kept-apart"),
])
def test_request_lines(line: str, expected: dict[str, object]) -> None:
    row = parse_lines(COMBINED, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert row["ts_utc"] == UTC and row["utc_offset_min"] == -240
    assert {k: row[k] for k in expected} == expected


@pytest.mark.parametrize(("line", "reason"), [
    pytest.param(f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (cut', UNPAIRED_QUOTE_REASON,
                 id="truncated-user-agent"),
    pytest.param('192.0.2.7 - - [31/Feb/1995:00:00:10 -0400] "GET / HTTP/1.1" 200 1',
                 "invalid timestamp: 31/Feb/1995:00:00:10 -0400", id="impossible-date"),
    pytest.param('192.0.2.7 - - [01/Aug/1995:00:00:10] "GET / HTTP/1.1" 200 1',
                 "invalid timestamp: 01/Aug/1995:00:00:10", id="no-offset"),
    pytest.param("\x00\x01\x7f garbage", "does not match the combined format", id="garbage-bytes"),
    pytest.param("133.43.96.45 - - [01/Aug/199", "does not match the combined format", id="split-line"),
    pytest.param(f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 10 "-" "Mozilla \\"', UNPAIRED_QUOTE_REASON,
                 id="agent-closing-quote-escaped-is-truncated"),
])
def test_rejected_lines(line: str, reason: str) -> None:
    row = parse_lines(COMBINED, [line])[0]
    assert (row["verdict"], row["reason"]) == ("rejected", reason)


def test_invalid_utf8_is_a_request_with_the_flag() -> None:
    row = parse_lines(COMBINED, [f'192.0.2.7 - - {T} "GET /\xff\xfe.xlsx HTTP/1.1" 200 10'.encode("latin-1")])[0]
    assert row["verdict"] == "request" and row["bad_utf8"] is True
    assert row["path"] == "/\ufffd\ufffd.xlsx" and row["status"] == 200


def test_every_line_gets_exactly_one_verdict() -> None:
    lines = [f'192.0.2.7 - - {T} "GET / HTTP/1.1" 200 1', "", "# comment", "junk"]
    rows = parse_lines(COMBINED, lines)
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("request", None), ("skipped", "blank"), ("skipped", "comment"),
        ("rejected", "does not match the combined format")]
