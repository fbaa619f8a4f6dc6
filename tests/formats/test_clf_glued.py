"""Two CLF lines written without a newline between them (concurrent writers, a copy spliced from two reads):
the bare-quote reading of the referer and agent, or the lazy request, would swallow the second line whole and
count one request with the first line's time and the second line's status and bytes, the second request lost
without a word. Such a line is rejected with a reason that says what it holds (red team 17)."""

from __future__ import annotations

import pytest

from exposure.formats.clf import COMBINED, GLUED_REASON, VHOST_COMBINED

from .parse_lines import parse_lines

A = '198.51.100.3 - - [08/Jun/2020:10:03:00 +0000] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "Mozilla/5.0 (X11)"'
B = '198.51.100.4 - - [08/Jun/2020:10:04:00 +0000] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "Mozilla/5.0 (X11)"'


@pytest.mark.parametrize("glued", [
    A + B,                                    # a whole line, then the next with no newline
    A[:-5] + B,                               # cut inside the user agent
    A[:A.index("x.xlsx") + 3] + B,            # cut inside the request: B's status and bytes would be read as A's
    A + " 0.12" + B,                          # trailing fields ($request_time) cut, then the next line
])
def test_two_lines_glued_are_rejected_with_their_reason(glued: str) -> None:
    rows = parse_lines(COMBINED, [A, glued, B])
    assert [r["verdict"] for r in rows] == ["request", "rejected", "request"]
    assert rows[1]["reason"] == GLUED_REASON


def test_a_vhost_line_glued_to_the_next_is_rejected() -> None:
    va, vb = "www.example.nl:443 " + A, "www.example.nl:443 " + B
    rows = parse_lines(VHOST_COMBINED, [va + vb])
    assert rows[0]["verdict"] == "rejected" and rows[0]["reason"] == GLUED_REASON


@pytest.mark.parametrize("hostile", [
    # Apache and nginx escape a quote inside a value (\" or \x22): decoded, the agent holds a whole line's start
    A[:-1] + ' 1.2.3.4 - - [08/Jun/2020:10:04:00 +0000] \\"GET /x HTTP/1.1\\" 200 5"',
    A[:-1] + ' crawl.example.com - - [08/Jun/2020:10:04:00 +0000] \\x22GET /x HTTP/1.1\\x22 200 5"',
    # a referer ending in a line's start up to its time: the line as written holds `] "` (the agent's quote)
    A.replace('"-"', '"https://x/ 1.2.3.4 - - [08/Jun/2020:10:04:00 +0000] "'),
])
@pytest.mark.parametrize("fast_path", [True, False])
def test_an_agent_quoting_a_log_line_with_escaped_quotes_stays_a_request(hostile: str, fast_path: bool) -> None:
    # a hostile client's referer or agent holding a log line's text cannot make its own request rejected: the
    # escaped fields are never searched (only the bare-quote reading's, a writer that escapes nothing); by the
    # full regex too (a plain line takes the cheap path, which has no glued check to run)
    rows = parse_lines(COMBINED, [hostile], state={"fast_path": fast_path})
    assert rows[0]["verdict"] == "request" and rows[0]["client"] == "198.51.100.3"
    assert rows[0]["status"] == 200 and rows[0]["bytes"] == 18412
    assert "[08/Jun/2020:10:04:00 +0000]" in (rows[0]["user_agent"] or "") + (rows[0]["referer"] or "")


@pytest.mark.parametrize("cut", [14, 15, 16, 17, 45, 46])
def test_a_line_cut_before_its_request_then_the_next_is_rejected(cut: int) -> None:
    # the second line's start lands in %l/%u (`198.51.100.3 - 198.51.100.4 - - [`) or after the first time: read
    # as one, a complete download by .3 at .4's time (red team 17 review, t10)
    rows = parse_lines(COMBINED, [A[:cut] + B])
    assert rows[0]["verdict"] == "rejected" and rows[0]["reason"] == GLUED_REASON, rows[0]


@pytest.mark.parametrize("cut", [18, 20, 30, 44])
def test_a_line_cut_inside_its_time_then_the_next_is_glued_not_a_bad_time(cut: int) -> None:
    rows = parse_lines(COMBINED, [A[:cut] + B])
    assert rows[0]["verdict"] == "rejected" and rows[0]["reason"] == GLUED_REASON, rows[0]


# A host-first line (nginx's `$host $remote_addr`, Apache's `%v %h` with an address for the host) is read under the
# format a file of such lines is detected as, vhost_combined (clf.refine): in a file read as combined, whose lines
# name no host, the same shape is a line cut to its first field glued to the next (idfix, below)
@pytest.mark.parametrize("fmt, line, client, user", [
    pytest.param(VHOST_COMBINED, '_ 198.51.100.4 - - [08/Jun/2020:10:04:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "a"',
                 "198.51.100.4", None, id="nginx-catch-all-host-first"),
    pytest.param(VHOST_COMBINED,
                 '192.0.2.1 198.51.100.4 - bob [08/Jun/2020:10:04:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "a"',
                 "198.51.100.4", "bob", id="apache-vhost-as-address"),
    pytest.param(COMBINED, '198.51.100.4 - John Doe [08/Jun/2020:10:04:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "a"',
                 "198.51.100.4", "John Doe", id="user-with-a-space"),
])
def test_fields_before_the_time_that_are_no_second_line_stay_a_request(fmt, line: str, client: str,
                                                                       user: str | None) -> None:
    rows = parse_lines(fmt, [line])
    assert rows[0]["verdict"] == "request" and rows[0]["client"] == client and rows[0]["userid"] == user


def test_a_second_line_whose_client_is_a_host_name_is_glued() -> None:
    # Apache HostnameLookups On writes the client's name (red team 17 review, t14/host)
    named = B.replace("198.51.100.4", "crawl-66-249-66-1.googlebot.com")
    rows = parse_lines(COMBINED, [A + named, A[:-5] + named])
    assert [(r["verdict"], r["reason"]) for r in rows] == [("rejected", GLUED_REASON)] * 2


@pytest.mark.parametrize("fast_path", [True, False])
@pytest.mark.parametrize("cut", range(1, 13))
def test_a_line_cut_inside_its_client_then_the_next_is_glued(cut: int, fast_path: bool) -> None:
    # `198.5198.51.100.4 - - [...`: digits and dots that are no address, ending in the second line's: read as one
    # request from "client" 198.5198.51.100.4 at .4's time, the first line lost (red team 17 review, t10/c001-c012)
    rows = parse_lines(COMBINED, [A, A[:cut] + B], state={"fast_path": fast_path})
    assert rows[0]["verdict"] == "request"
    assert rows[1]["verdict"] == "rejected" and rows[1]["reason"] == GLUED_REASON, rows[1]


@pytest.mark.parametrize("client", ["010.0.0.1", "255.255.255.255", "308.8.8.8", "host1234.example.com", "a.b.c.d.example.com", "2001:0db8:0000::0001"])
def test_a_client_that_is_an_address_or_a_host_name_stays_a_request(client: str) -> None:
    rows = parse_lines(COMBINED, [B.replace("198.51.100.4", client)], state={"fast_path": True})
    assert rows[0]["verdict"] == "request"


V = "www.site.nl "  # Apache's `%v %h %l %u` host alone; nginx's `$host $remote_addr - $remote_user`
VP = "www.site.nl:443 "


@pytest.mark.parametrize("fmt, line, cut", [
    # idfix (/tmp/idfix/f2: every cut length of a line glued to the next, cutsg); a line cut to its client alone
    # reads as nginx's `$host $remote_addr` with an address for the host, as real lines do (peers' fixtures:
    # test_peers_clf test_host_before_the_client): read host first, a README limit (test_clf_host_first_in_combined)
    # a cut in the client after the host: the next line's `address ident user` where %l %u stand
    pytest.param(VHOST_COMBINED, V + A, len(V) + 1, id="vhost-13-bytes"),
    pytest.param(VHOST_COMBINED, V + A, len(V), id="vhost-host-alone"),
    pytest.param(VHOST_COMBINED, V + A, len(V + "198.51.100.3 "), id="vhost-host-and-client"),
    pytest.param(VHOST_COMBINED, VP + A, len(VP) + 4, id="vhostport-client-cut"),
    # (a cut inside the port, `www.site.nl:4` + the next line, leaves a client that is no address: rejected as a
    # prefix's fields, said as prefixed lines: test_prefix_rejects)
])
def test_a_line_cut_to_its_first_fields_glued_to_the_next_is_rejected(fmt, line: str, cut: int) -> None:
    nxt = line.replace("198.51.100.3", "198.51.100.4").replace("10:03:00", "10:04:00")
    rows = parse_lines(fmt, [line, line[:cut] + nxt, nxt])
    assert [r["verdict"] for r in rows] == ["request", "rejected", "request"], rows[1]
    assert rows[1]["reason"] == GLUED_REASON


@pytest.mark.parametrize("line", [
    "10.0.0.5 " + A,                    # nginx `$host $remote_addr - $remote_user`, the request to the server's IP
    "_ " + A,                           # nginx's catch-all server name
    V + A, VP + A,
])
def test_a_host_first_line_of_a_host_layout_stays_a_request(line: str) -> None:
    rows = parse_lines(VHOST_COMBINED, [line, line])
    assert [r["verdict"] for r in rows] == ["request", "request"]
    assert rows[0]["client"] == "198.51.100.3" and rows[0]["vhost"] == line.split(" ")[0].split(":")[0]
