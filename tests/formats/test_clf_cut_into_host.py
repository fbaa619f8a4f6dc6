"""A host-first line (vhost_combined, nginx's `$host $remote_addr`) cut at any byte and glued to the next line, which
starts with its host: every line is a request or a rejected line, and a request read from the glued line is the next
line's, every field its own. A cut inside the first line's host runs into the next line's host (`www.si` +
`www.site.nl ...`: host `www.siwww.site.nl`): a host of its own to any rule that reads one line, read so, the cut
line's request lost unsaid (README limit, "glued lines"); every other cut position is rejected or read whole.
Last stop counted 22 positions mis-read: these 11 positions on both paths (/tmp/readfix/cutglue/gen.py)."""

from __future__ import annotations

import pytest

from exposure.formats.clf import VHOST_COMBINED

from .parse_lines import parse_lines

pytestmark = pytest.mark.slow

L1 = 'www.site.nl 198.51.100.1 - - [08/Jun/2020:09:00:00 +0000] "GET /a.pdf HTTP/1.1" 200 1111 "-" "UA-one"'
L2 = 'www.site.nl 198.51.100.2 - - [08/Jun/2020:09:00:01 +0000] "GET /b.pdf HTTP/1.1" 206 2222 "http://r2/" "UA-two"'
L3 = 'www.site.nl 203.0.113.3 - - [08/Jun/2020:09:00:02 +0000] "GET /c.pdf HTTP/1.1" 200 3333 "-" "UA-three"'
HOST = len("www.site.nl")


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_cut_run_into_the_next_lines_host_invents_nothing(fast_path: bool) -> None:
    read_as_host = []
    for cut in range(1, len(L2)):
        rows = parse_lines(VHOST_COMBINED, [L1, L2[:cut] + L3, L1], state={"fast_path": fast_path})
        assert [r["verdict"] for r in rows][::2] == ["request", "request"]
        row = rows[1]
        if row["verdict"] != "request":
            assert row["verdict"] == "rejected" and row["reason"], cut
            continue
        got = (row["client"], row["path"], row["status"], row["bytes"], row["referer"], row["user_agent"], row["ident"],
               row["userid"], row["ts_utc"].second)
        assert got == ("203.0.113.3", "/c.pdf", 200, 3333, None, "UA-three", None, None, 2), (cut, got)
        assert row["vhost"] == L2[:cut] + "www.site.nl", cut
        read_as_host.append(cut)
    assert read_as_host == list(range(1, HOST + 1))  # the limit: a cut inside the host, nothing else
