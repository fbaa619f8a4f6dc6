"""A plain copy cut inside a multi-byte character of its last line's user agent (`€` is `e2 82 ac`: the copy ends
after `e2`) is cut in its user agent, after a whole status and byte count: counted as its request with the cut
field marked, as the same line cut at an ASCII byte is (README "Reading evidence"). Red team 18b: the line was
rejected ("does not match the combined format") because its bytes were no UTF-8 text, so the withdrawal's 404
it held was lost and the window stayed open ("still available when the logs end"), exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_redteam18b_converted_times import answer

pytestmark = pytest.mark.slow

LEAK = "/leak.xlsx"


def _log(agent_end: bytes) -> bytes:
    """Three complete downloads of LEAK, then a 404 whose user agent ends `agent_end`, the file cut after it."""
    lines = [f'198.51.100.{i} - - [08/Jun/2020:10:0{i}:00 +0200] "GET {LEAK} HTTP/1.1" 200 50000 "-" "UA"\n'.encode()
             for i in range(1, 4)]
    lines.append(f'192.0.2.9 - - [08/Jun/2020:10:09:00 +0200] "GET {LEAK} HTTP/1.1" 404 200 "-" "Firefox '.encode()
                 + agent_end)
    return b"".join(lines)


@pytest.mark.parametrize("agent_end", [b"\xe2\x82", b"\xe2", b"\xe2\x82\xac x"], ids=["two-of-three", "one-of-three",
                                                                                   "whole"])
def test_a_last_line_cut_inside_a_character_of_its_agent_is_counted(tmp_path: Path, agent_end: bytes) -> None:
    _, found = answer(tmp_path, {"web1/access.log": _log(agent_end)})
    target = found["targets"][0]
    [window] = target["windows"]
    assert window["first_unavailable"] == "2020-06-08T08:09:00Z"
    assert (target["totals"]["complete_downloads"], target["totals"]["errors"]) == (3, 1)
    [evidence] = found["evidence"]
    assert (evidence["lines"], evidence["requests"], evidence["rejected"]) == (4, 4, 0)
    [cut] = [f["detail"] for f in found["findings"] if f["kind"] == "cut off"]
    assert "the cut falls in its user agent" in cut
