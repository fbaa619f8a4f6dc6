"""A file read as combined whose lines switch to nginx's `$host $remote_addr - $remote_user` (its log_format changed
mid-file) writes `_` (nginx's catch-all server name, the $host of a request without a Host header) or a single-label
name first. idfix's glued rule (01ce9c4) took every line read host first in a combined file as a cut glued to the
next, so these requests were rejected as "glued lines" (/tmp/review_idfix/iphost/combined-then-underscore: 3
complete downloads -> 0, exit 3). A cut to a line's first field leaves its client, an address (a server writes %h
from the socket): only an address read as the host is such a cut; `_` or a name never is."""

from __future__ import annotations

import pytest

from exposure.formats.clf import COMBINED, GLUED_REASON

from .parse_lines import parse_lines

A = '198.51.100.3 - - [08/Jun/2020:10:03:00 +0000] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "Mozilla/5.0 (X11)"'


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("host", ["_", "localhost"])
def test_a_host_first_line_whose_host_is_no_address_stays_a_request_in_combined(host: str, fast_path: bool) -> None:
    rows = parse_lines(COMBINED, [A, f"{host} {A}", f"{host} {A}"], state={"fast_path": fast_path})
    assert [r["verdict"] for r in rows] == ["request"] * 3, rows[1]
    assert (rows[1]["vhost"], rows[1]["client"]) == (host, "198.51.100.3")


@pytest.mark.parametrize("fast_path", [True, False])
def test_an_address_read_as_the_host_in_combined_is_still_a_cut_glued(fast_path: bool) -> None:
    nxt = A.replace("198.51.100.3", "198.51.100.4")
    rows = parse_lines(COMBINED, [A, "198.51.100.3 " + nxt, nxt], state={"fast_path": fast_path})
    assert [r["verdict"] for r in rows] == ["request", "rejected", "request"]
    assert rows[1]["reason"] == GLUED_REASON
