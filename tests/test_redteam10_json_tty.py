"""Red team 10: `sql --json` and `files --json` printed on a terminal were made visible line by line like CSV,
which doubles JSON's own backslashes: a referrer `=HYPERLINK("x")` showed as `"=HYPERLINK(\\"x\\")"` and a user
name ESC[2J as `"\\u001b[2J"`, JSON that reads as other values (a backslash and `u001b`; a string that ends at
`\\"`). On a terminal the JSON is now rewritten so that every character `visible` escapes is a JSON escape
(escaping.json_visible): what the investigator sees is valid JSON that decodes to the value as logged, and
nothing in it runs on the terminal. To a pipe or file it stays byte for byte."""

from __future__ import annotations

import io
import json

from exposure.escaping import json_visible
from exposure.terminal import write_data

VALUES = ["=HYPERLINK(\"http://x\")", "\x1b[2Jadmin", "back\\slash", "\u202eevil\u200b", "\x9b31m",
          "mensenh\u0430ndel", "math \U0001d426", "r\u00e9sum\u00e9", "lijst-e\u0308"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_json_on_a_terminal_decodes_to_the_value_and_is_inert() -> None:
    data = json.dumps([{"v": v} for v in VALUES], ensure_ascii=False, indent=2) + "\n"
    tty, pipe = _Tty(), io.StringIO()
    write_data(data, tty, json_text=True)
    write_data(data, pipe, json_text=True)
    assert pipe.getvalue() == data
    shown = tty.getvalue()
    assert [r["v"] for r in json.loads(shown)] == VALUES  # the values exactly, as logged
    assert all(ch == "\n" or 32 <= ord(ch) < 0x7F or ch in "\u00e9" for ch in shown), shown
    assert '"\\u001b[2Jadmin"' in shown and '"back\\\\slash"' in shown and '"\\u202eevil\\u200b"' in shown
    assert '"math \\ud835\\udc26"' in shown and '"mensenh\\u0430ndel"' in shown and '"r\u00e9sum\u00e9"' in shown


def test_json_visible_keeps_plain_text_as_it_is() -> None:
    assert json_visible('{"a": "b", "n": 1}') == '{"a": "b", "n": 1}'
