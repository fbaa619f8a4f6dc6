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


def test_an_agent_quoting_a_log_line_with_escaped_quotes_stays_a_request() -> None:
    # Apache and nginx escape a quote inside a value (\" or \x22): a hostile agent holding a line's text cannot
    # make its own request rejected
    hostile = A[:-1] + ' 1.2.3.4 - - [08/Jun/2020:10:04:00 +0000] \\"GET /x HTTP/1.1\\" 200 5"'
    rows = parse_lines(COMBINED, [hostile])
    assert rows[0]["verdict"] == "request" and rows[0]["client"] == "198.51.100.3"
    assert rows[0]["status"] == 200 and rows[0]["bytes"] == 18412
