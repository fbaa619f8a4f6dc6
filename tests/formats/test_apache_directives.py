"""Apache LogFormat strings as httpd reads them (apache_directive): every directive compiles, grammars are no
stricter than the built-in formats, the request line as sent wins.

Sources of the directives and lines: httpd's docs (mod_log_config, mod_logio, mod_ssl), jwodder/apachelogs
test/test_parse.py (the `%<>s`, `%>{s}!200T`, `%{MS}T`, `%m %% %U%q %% %H` cases), filebeat's ssl-request.log
(`%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b`, mod_ssl's default), and lines of lnav's shop log
(test/logfile_shop_access_log.0: combined plus a trailing field).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.errors import FormatError
from exposure.formats.custom import custom_format

from .parse_lines import parse_lines

T = "[08/Jun/2020:14:12:18 +0200]"


def one(directive: str, line: str) -> dict:
    return parse_lines(custom_format({"log_format": directive}), [line])[0]


def test_user_with_a_space_and_a_method_with_digits_as_builtin_combined() -> None:
    row = one('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
              f'192.0.2.7 - john smith {T} "M_1 /a HTTP/1.1" 200 5 "-" "UA"')
    assert (row["verdict"], row["userid"], row["method"], row["path"]) == ("request", "john smith", "M_1", "/a")
    row = one("%h %t %m %U %>s %b", f"192.0.2.7 {T} PROPFIND_2 /dav 207 5")  # %m alone, digits and `_`
    assert (row["verdict"], row["method"], row["path"], row["status"]) == ("request", "PROPFIND_2", "/dav", 207)


def test_extra_trailing_fields_accepted_and_recorded() -> None:
    # lnav logfile_shop_access_log.0: the combined fields, then a trailing "-" (the site's own LogFormat)
    line = ('54.36.149.41 - - [22/Jan/2019:03:56:14 +0330] "GET /filter/27|13%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8'
            '%B3%D9%84,27|%DA%A9%D9%85%D8%AA%D8%B1%20%D8%A7%D8%B2%205%20%D9%85%DA%AF%D8%A7%D9%BE%DB%8C%DA%A9%D8%B3%D9%84,p53 '
            'HTTP/1.1" 200 30577 "-" "Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)" "-"')
    row = one('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"', line)
    assert (row["verdict"], row["extra"], row["path"][:15]) == ("request", {"trailing": '"-"'}, "/filter/27|13 م")


def test_percent_percent_and_the_request_line_wins() -> None:
    row = one("%m %% %U%q %% %H", "GET % /index.html?foo % HTTP/1.1")  # jwodder test_parse:24
    assert (row["method"], row["path"], row["query"], row["protocol"]) == ("GET", "/index.html", "foo", "HTTP/1.1")
    # %r as sent wins: an empty %q does not take away the query the client sent
    row = one('%h %t "%r" %m %U %q %>s %b', f'192.0.2.7 {T} "GET /a.xlsx?x=1 HTTP/1.1" GET /a.xlsx  200 5')
    assert (row["verdict"], row["path"], row["query"], row["extra"]) == (
        "request", "/a.xlsx", "x=1", {"request_method": "GET", "uri": "/a.xlsx"})


@pytest.mark.parametrize(("directive", "line", "key", "value"), [
    pytest.param("%h %t %>s %b %<>s", f"192.0.2.7 {T} 200 5 200", "status", "200", id="<>s"),
    pytest.param("%h %t %>s %b %{MS}T", f"192.0.2.7 {T} 200 5 1042", "duration_ms", 1042.0, id="MS-unit"),
    pytest.param("%h %t %>s %b %>{s}!200T", f"192.0.2.7 {T} 200 5 -", "duration_ms", None, id="condition-fails"),
    pytest.param("%h %t %>s %b %{xx}T", f"192.0.2.7 {T} 200 5 xx", "extra", {"request_time": "xx"}, id="bogus-unit"),
    pytest.param("%h %t %>s %b %{SSL_PROTOCOL}x %{SSL_CIPHER}x %p %{remote}p %I %O %^FB %k",
                 f"192.0.2.7 {T} 200 5 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 443 51234 310 5400 1200 0", "extra",
                 {"ssl_protocol": "TLSv1.2", "ssl_cipher": "ECDHE-RSA-AES128-GCM-SHA256", "server_port": "443",
                  "remote_port": "51234", "request_length": "310", "bytes_sent": "5400", "first_byte_time_us": "1200",
                  "keepalive_requests": "0"}, id="modules"),
    pytest.param('%h %t %>s %b "%{X-Request-Id}i" %{UNIQUE_ID}e %{forensic-id}n %{Set-Cookie}o %Z',
                 f'192.0.2.7 {T} 200 5 "abc 1" YxZ1 fid "a=b" zz', "extra",
                 {"http_x_request_id": "abc 1", "note_forensic-id": "fid",
                  "sent_http_set_cookie": '"a=b"', "%Z": "zz"}, id="any-letter"),
    # mod_unique_id's id and %L: the id the server gives the request (schema request_id), never an extra field
    pytest.param("%h %t %>s %b %{UNIQUE_ID}e", f"192.0.2.7 {T} 200 5 YxZ1", "request_id", "YxZ1", id="UNIQUE_ID"),
    pytest.param("%h %t %>s %b %L", f"192.0.2.7 {T} 200 5 YxZ1", "request_id", "YxZ1", id="log-id"),
])
def test_every_directive_compiles(directive: str, line: str, key: str, value: object) -> None:
    row = one(directive, line)
    assert row["verdict"] == "request", row["reason"]
    assert (row["status"] if key == "status" else row[key]) == (200 if key == "status" else value)


def test_epoch_with_zone_in_strftime() -> None:
    row = one("%{%s@%z}t %r", "1511642826@-0500 GET / HTTP/1.1")  # jwodder test_parse_custom_time:5
    assert (row["ts_utc"], row["utc_offset_min"]) == (datetime(2017, 11, 25, 20, 47, 6), -300)


def test_vhost_port_and_host_header() -> None:
    row = one('%v:%p %h %l %u %t "%r" %>s %b "%{Host}i"',
              f'www.example.nl:443 192.0.2.7 - - {T} "GET / HTTP/1.1" 200 5 "Files.Example.nl:8443"')
    # the Host the client sent wins, as sent; the server's name and port are kept
    assert (row["vhost"], row["extra"]) == ("Files.Example.nl:8443", {"server_name": "www.example.nl",
                                                                     "server_port": "443"})


def test_empty_user_written_as_two_quotes() -> None:
    assert one("%h %t %u %>s %b", f'192.0.2.7 {T} "" 200 5')["userid"] is None  # httpd: log_remote_user


@pytest.mark.parametrize("directive", ["%h % %b", "%h %>", "%h %{Referer", "%h %!"])
def test_what_httpd_refuses_is_refused(directive: str) -> None:
    with pytest.raises(FormatError):
        custom_format({"log_format": directive})
