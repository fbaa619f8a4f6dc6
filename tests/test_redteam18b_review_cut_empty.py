"""A last line cut right after the opening quote of its user agent (or of its referrer, after a whole status and
count), or inside the first character after that quote (`e2 82` of `€`, which the cut-in-character rule drops),
is cut in that field with nothing of it read: counted as its request with the cut field marked, as the same line
cut one character later is (README "Reading evidence"). Review of red team 18b: its value read empty parses as
none, so the line stayed rejected ('does not match the combined format'): the withdrawal's 404 it held was lost,
the window said still available when the logs end (first_unavailable none), errors 0 where 1, exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_redteam18b_converted_times import answer

pytestmark = pytest.mark.slow

LEAK = "/leak.xlsx"
LAST = f'192.0.2.9 - - [08/Jun/2020:10:09:00 +0200] "GET {LEAK} HTTP/1.1" 404 200'.encode()


@pytest.mark.parametrize(("end", "field"), [(b' "-" "', "user agent"), (b' "-" "\xe2\x82', "user agent"),
                                            (b' "', "referrer"), (b' "\xc3', "referrer")],
                         ids=["agent-quote", "agent-first-character", "referrer-quote", "referrer-first-character"])
def test_a_last_line_cut_after_an_opening_quote_is_counted(tmp_path: Path, end: bytes, field: str) -> None:
    lines = [f'198.51.100.{i} - - [08/Jun/2020:10:0{i}:00 +0200] "GET {LEAK} HTTP/1.1" 200 50000 "-" "UA"\n'.encode()
             for i in range(1, 4)]
    _, found = answer(tmp_path, {"web1/access.log": b"".join(lines) + LAST + end})
    target = found["targets"][0]
    [window] = target["windows"]
    assert window["first_unavailable"] == "2020-06-08T08:09:00Z"
    assert (target["totals"]["complete_downloads"], target["totals"]["errors"]) == (3, 1)
    [evidence] = found["evidence"]
    assert (evidence["lines"], evidence["requests"], evidence["rejected"]) == (4, 4, 0)
    [cut] = [f["detail"] for f in found["findings"] if f["kind"] == "cut off"]
    assert f"the cut falls in its {field}" in cut


def test_a_json_line_cut_after_a_keys_opening_quote_stays_rejected(tmp_path: Path) -> None:
    """`"remote_addr":"` with nothing read: the value may be any field's (an address): not counted."""
    def line(i: int, status: int, size: int, client: str) -> str:
        return (f'{{"time": "2020-06-08T10:0{i}:00+02:00", "request": "GET /leak.xlsx HTTP/1.1", "status": {status}, '
                f'"body_bytes_sent": {size}, "http_user_agent": "UA", "remote_addr": "{client}"}}')
    lines = [(line(i, 200, 50000, f"198.51.100.{i}") + "\n").encode() for i in range(1, 4)]
    last = line(9, 404, 200, "")[:-2].encode()
    assert last.endswith(b'"remote_addr": "')
    _, found = answer(tmp_path, {"web1/access.log": b"".join(lines) + last})
    [evidence] = found["evidence"]
    assert (evidence["requests"], evidence["rejected"]) == (3, 1)
