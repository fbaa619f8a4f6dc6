"""Red team 20: a path that differs from the target by a trailing blank (`/docs/x.xlsx `, logged `%20`) is listed by
`analyse` as a possible copy on a line of its own, `PATH: exact size, ...`. The blank was escaped only at the end of
a line, so the line read `/docs/x.xlsx : exact size` (the target's own name and a blank) where `files` showed
`/docs/x.xlsx\\x20` (README: blanks at the end of a value are written as escapes). A blank run ending a value
before the `:` a line puts after it is escaped too (exposure.escaping.visible, every door's one rule)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.escaping import visible
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/x.xlsx"


def test_blanks_ending_a_value_before_its_colon_are_escaped() -> None:
    assert visible("    /docs/x.xlsx : exact size") == "    /docs/x.xlsx\\x20: exact size"
    assert visible("/docs/x.xlsx  :") == "/docs/x.xlsx\\x20\\x20:"
    assert visible("/docs/x.xlsx: a : b") == "/docs/x.xlsx: a\\x20: b"
    assert visible("http://host:80/a :b") == "http://host:80/a :b"  # no value ends there


@pytest.mark.slow
def test_a_possible_copy_with_a_trailing_blank_never_reads_as_the_target(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log",
              [clf(f"198.51.100.{i + 1}", t(8, 8) + timedelta(minutes=i), TARGET) for i in range(3)]
              + [clf("198.51.100.9", t(8, 9), "/docs/x.xlsx%20")])
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET])
    [line] = [ln for ln in result.stdout.splitlines() if "exact size, " in ln]
    assert line.startswith("    /docs/x.xlsx\\x20: exact size, 1 complete download"), line
