"""Red team 4, JSON lines holding a lone UTF-16 surrogate escape (`\\ud800` with no low half after it: what Python's
json.dumps writes for a string decoded with surrogateescape, and Node's JSON.stringify for a lone surrogate).
The JSON grammar takes it, DuckDB's parser refuses the line: the request was rejected as "not a JSON object" and
a download dropped from the count. Now each lone surrogate reads as U+FFFD, as invalid UTF-8 bytes do, and the row
is flagged `bad_utf8`; a valid pair (an emoji) and an escaped backslash before `ud800` stay what they are."""

from __future__ import annotations

import json
from pathlib import Path

from exposure import Case

TARGET = "/docs/leak.xlsx"


def _line(i: int, path: str, agent: str) -> str:
    # the agent is JSON string text as the writer put it (escapes included)
    return (f'{{"time":"2020-06-08T10:{i:02d}:00+02:00","remote_addr":"198.51.100.{i + 1}","request":"GET {path} '
            f'HTTP/1.1","status":200,"body_bytes_sent":1000,"http_user_agent":"{agent}","http_referer":"-"}}')


def test_a_lone_surrogate_escape_is_replaced_never_a_lost_line(tmp_path: Path) -> None:
    lines = [_line(0, TARGET, "ok"),
             _line(1, TARGET, "\\ud800x"),                  # a lone high half
             _line(2, TARGET, "a\\udfffb\\ud800\\ud800"),     # a lone low half, then two lone highs in a row
             _line(3, TARGET, "\\ud83d\\ude00\\ud83d\\ude00 and \\ud800"),  # valid pairs beside a lone half
             _line(4, TARGET, "\\\\ud800 \\udc80"),          # an escaped backslash, then text 'ud800', then a lone half
             _line(5, "/p\\udc80.html", "x")]              # in the path
    for line in lines[1:]:
        json.loads(line)  # the JSON grammar takes every one
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "access.json").write_text("\n".join(lines) + "\n")
    with Case(tmp_path / "c.duckdb") as c:
        c.ingest([folder])
        rejects = c.sql("SELECT line_no, reason FROM rejects")
        assert rejects.empty, rejects.to_dict("records")
        rows = c.sql("SELECT line_no, path, user_agent, bad_utf8 FROM requests ORDER BY line_no").to_dict("records")
        assert c.totals(TARGET)["complete_downloads"] == 5
    assert [(r["line_no"], r["path"], r["user_agent"], r["bad_utf8"]) for r in rows] == [
        (1, TARGET, "ok", False),
        (2, TARGET, "\ufffdx", True),
        (3, TARGET, "a\ufffdb\ufffd\ufffd", True),
        (4, TARGET, "\U0001f600\U0001f600 and \ufffd", True),
        (5, TARGET, "\\ud800 \ufffd", True),
        (6, "/p\ufffd.html", "x", True)]
