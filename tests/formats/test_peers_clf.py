"""Parse results other projects assert for Apache/nginx CLF lines, against ours: each line written here as a
test vector (short log lines from the peer's fixture, cited by repository and path), the fields we must give.

Where we differ from the peer on purpose the case says why (docs/servers.md, "Where we differ from peers").
"""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.clf import COMBINED

from .parse_lines import parse_lines

FOX = "Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2"


def _row(line: str) -> dict[str, object]:
    row = parse_lines(COMBINED, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    return row


# elastic/integrations packages/nginx/data_stream/access/_dev/test/pipeline/test-test-with-host.log(-expected.json):
# nginx `$host $remote_addr - $remote_user [$time_local] ...` where $host is an address (a request addressed to the
# server's IP, as scanners send) or `_`. The peer: destination = the first field, source = the second. Four fields
# before the time; we read the first as the host (vhost) and the rest as %h %l %u, never the client's address as
# the identd answer and `- -` as a user name.
@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(f'67.43.156.15 localhost - - [29/May/2017:19:02:48 +0000] "GET /test2 HTTP/1.1" 200 612 "-" "{FOX}" "-"',
                 {"vhost": "67.43.156.15", "client": "localhost", "ident": None, "userid": None,
                  "ts_utc": datetime(2017, 5, 29, 19, 2, 48), "path": "/test2", "status": 200, "bytes": 612,
                  "user_agent": FOX}, id="elastic-nginx-ip-host-then-name"),
    # the peer takes the left-most entry of the list (2a02:...) as source; we take the address that connected
    # (the last) and keep the list in xff (JUDGED in test_realworld.py, filebeat/nginx/test.log:5)
    pytest.param('67.43.156.15 2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6, 10.225.192.17 10.2.2.121 - - '
                 '[30/Dec/2016:06:47:09 +0000] "GET /test.html HTTP/1.1" 404 8571 "-" "Facebot 1.0"',
                 {"vhost": "67.43.156.15", "client": "10.2.2.121",
                  "xff": "2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6, 10.225.192.17", "ident": None, "userid": None,
                  "ts_utc": datetime(2016, 12, 30, 6, 47, 9), "status": 404, "bytes": 8571},
                 id="elastic-nginx-ip-host-then-list"),
    pytest.param('203.0.113.5 198.51.100.7 - alice [29/May/2017:19:02:48 +0000] "GET /x.xlsx HTTP/1.1" 200 1 "-" "UA"',
                 {"vhost": "203.0.113.5", "client": "198.51.100.7", "ident": None, "userid": "alice"},
                 id="ip-host-with-user"),
    pytest.param('_ 198.51.100.7 - - [29/May/2017:19:02:48 +0000] "GET /x.xlsx HTTP/1.1" 200 1 "-" "UA"',
                 {"vhost": "_", "client": "198.51.100.7", "ident": None, "userid": None},
                 id="nginx-default-server-name"),
    pytest.param('2001:db8::1 198.51.100.7 - - [29/May/2017:19:02:48 +0000] "GET /x.xlsx HTTP/1.1" 200 1 "-" "UA"',
                 {"vhost": "2001:db8::1", "client": "198.51.100.7", "userid": None}, id="ipv6-host"),
    # the rule's limits: three fields before the time stay %h %l %u; a user name with a space (HTTP basic auth
    # allows it) stays one user name, because the field after the first is then `-`, no address
    pytest.param('192.0.2.7 - John Doe [29/May/2017:19:02:48 +0000] "GET / HTTP/1.1" 200 1 "-" "UA"',
                 {"vhost": None, "client": "192.0.2.7", "ident": None, "userid": "John Doe"},
                 id="user-name-with-space-is-no-host"),
    pytest.param('192.0.2.7 - - [29/May/2017:19:02:48 +0000] "GET / HTTP/1.1" 200 1 "-" "UA"',
                 {"vhost": None, "client": "192.0.2.7", "userid": None}, id="three-fields"),
])
def test_host_before_the_client(line: str, expected: dict[str, object]) -> None:
    row = _row(line)
    assert {k: row[k] for k in expected} == expected
