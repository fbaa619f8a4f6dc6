"""An IIS/W3C `#Fields` field the tool does not know is kept in `extra` under its name (formats/w3c.py
unknown_fields); a field named as one of exposure's own marks on a line (schema.MARK_KEYS: `cut_field`,
`bytes_field`) was kept under that very key, so the log's value was read as exposure's mark
(/tmp/review_readfix/w3c/cutname: an IIS custom field `cut_field` whose value is `bytes` made a complete download
undetermined, nothing said: 3 complete -> 2 complete + 1 undetermined). Such a field is kept under `field NAME`
(a `#Fields` name holds no space: no field of the log is named so), on both parse paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"
HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cut_field bytes_field\n")


def _line(n: int, cut: str, byt: str) -> str:
    return f"2020-06-08 09:00:0{n} 198.51.100.{n} GET {TARGET} 200 18412 {cut} {byt}\n"


@pytest.mark.parametrize("layouts", [1, 2], ids=["one-fields-line", "fields-changed-mid-file"])
def test_a_field_named_as_a_mark_is_the_logs_value_not_the_mark(tmp_path: Path, layouts: int) -> None:
    text = HEAD + _line(1, "bytes", "x") + _line(2, "range_start", "-") + _line(3, "-", "-")
    if layouts == 2:  # another #Fields mid-file: the lines after it read by the per-line (slow) path
        text += HEAD.replace("bytes_field", "x-other") + _line(4, "bytes", "y")
    answer = analyse(tmp_path, "u_ex200608.log", text, TARGET, "--size", "18412", "--bytes", "body")
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["undetermined_downloads"]) == (2 + layouts, 0)
    extras = {r["line_no"]: r["extra"] for r in answer.rows}
    assert extras[4] == {"field cut_field": "bytes", "field bytes_field": "x"}
    assert extras[5] == {"field cut_field": "range_start"}
    if layouts == 2:
        assert extras[10] == {"field cut_field": "bytes", "x-other": "y"}
