"""A file read as combined whose lines switch to nginx's `$host $remote_addr - $remote_user` (its log_format changed
mid-file) writes `_` (nginx's catch-all server name, the $host of a request without a Host header) or a single-label
name first. idfix's glued rule (01ce9c4) took every line read host first in a combined file as a cut glued to the
next, so these requests were rejected as "glued lines" (/tmp/review_idfix/iphost/combined-then-underscore: 3
complete downloads -> 0, exit 3); its review's mend kept an address read as the host a cut, which rejected real
requests to a server's IP (peers' fixtures, test_peers_clf): every host-first line is a request in any file."""

from __future__ import annotations

import pytest

from exposure.formats.clf import COMBINED

from .parse_lines import parse_lines

A = '198.51.100.3 - - [08/Jun/2020:10:03:00 +0000] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "Mozilla/5.0 (X11)"'


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("host", ["_", "localhost"])
def test_a_host_first_line_whose_host_is_no_address_stays_a_request_in_combined(host: str, fast_path: bool) -> None:
    rows = parse_lines(COMBINED, [A, f"{host} {A}", f"{host} {A}"], state={"fast_path": fast_path})
    assert [r["verdict"] for r in rows] == ["request"] * 3, rows[1]
    assert (rows[1]["vhost"], rows[1]["client"]) == (host, "198.51.100.3")


@pytest.mark.parametrize("fast_path", [True, False])
def test_an_address_read_as_the_host_in_combined_is_a_host_first_request(fast_path: bool) -> None:
    # nginx's `$host $remote_addr - $remote_user` with an address for the host (a request to the server's IP, as
    # elastic's nginx fixtures hold: test_peers_clf) is a request read host first, in any file; a line cut to its
    # client alone and glued to the next reads byte for byte the same (`198.51.100.3 ` + the next line), so such a
    # cut is read host first too, the cut line's request lost with its cut (README limit). The review of idfix
    # proved the glued reading rejected real requests (combined-then-iphost: 3 complete downloads -> 0).
    nxt = A.replace("198.51.100.3", "198.51.100.4")
    rows = parse_lines(COMBINED, [A, "203.0.113.5 " + nxt, nxt], state={"fast_path": fast_path})
    assert [r["verdict"] for r in rows] == ["request"] * 3, rows[1]
    assert (rows[1]["vhost"], rows[1]["client"]) == ("203.0.113.5", "198.51.100.4")
