"""Red team, the terminal door: hostile text is made visible exactly once. Escaped twice, `\\x1b` shows as
`\\\\x1b`, which by escaping.visible's own rule means a logged backslash: the path a reader sees is not the path
that was served. Findings about the evidence, errors naming a value the user gave and sandbox refusals each
carry such text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.escaping import visible
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
HOSTILE = "/docs/leak\u202e.xlsx\x1b]0;x\x07\\b"  # a bidi override, an OSC title and a logged backslash


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    return result.output


def test_a_finding_naming_a_hostile_path_is_escaped_once(tmp_path: Path) -> None:
    lines = [clf(f"192.0.2.{i}", t(8, 10, i), TARGET, size=4000) for i in range(1, 4)]
    lines.append(clf("192.0.2.9", t(8, 10, 30), HOSTILE.replace("\\", "\\\\"), size=4000))  # Apache doubles it
    log = write_log(tmp_path / "access.log", lines)
    output = _run(["analyse", str(log), "--target", TARGET])
    findings = [ln for ln in output.splitlines() if ln.startswith("stated: possible copy:")]
    assert findings == [f"stated: possible copy: {visible(HOSTILE)}: served with a target's exact size "
                        f"{findings[0].split(' exact size ', 1)[1]}"]
    assert "\\\\x1b" not in output and "\\\\u202e" not in output
    assert f"{visible(HOSTILE)}" in output  # `\u202e`, `\x1b`, `\x07` once; the logged backslash doubled once


@pytest.mark.parametrize("args", [
    ["--under", HOSTILE],
    ["--target-glob", HOSTILE],
    ["--internal", "10.0.0.0/8" + HOSTILE],
    ["--display-tz", "Europe/" + HOSTILE],
], ids=["under", "glob", "internal", "display-tz"])
def test_an_error_naming_a_value_given_is_escaped_once(tmp_path: Path, args: list[str]) -> None:
    log = write_log(tmp_path / "access.log", [clf("192.0.2.1", t(8, 10), TARGET, size=4000)])
    output = _run(["analyse", str(log), "--target", TARGET, *args])
    error = [ln for ln in output.splitlines() if ln.startswith("exposure: error:")]
    assert len(error) == 1, output
    assert visible(args[1]) in error[0], error[0]
    assert "\\\\x1b" not in error[0] and "\\\\\\\\b" not in error[0]


def test_a_sandbox_refusal_quoting_the_statement_is_escaped_once(sample_case_path: Path, tmp_path: Path) -> None:
    query = tmp_path / "evil.sql"
    query.write_text("-- name: evil\nSELECT * FROM read_text('/etc/\\x\x1b[2J');\n", encoding="utf-8")
    output = _run(["sql", str(query), "--case", str(sample_case_path)])
    line = [ln for ln in output.splitlines() if ln.startswith("exposure: error:")]
    assert len(line) == 1 and "refused" in line[0], output
    assert "\x1b" not in output and "\\\\x1b" not in line[0]
    assert "/etc/\\\\x\\x1b[2J" in line[0]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_csv_and_json_on_a_terminal_are_inert_and_byte_for_byte_elsewhere() -> None:
    from exposure.terminal import write_data

    data = f"path,agent\n'{HOSTILE},\"a\x9b31mb\"\n"
    tty, pipe = _Tty(), io.StringIO()
    write_data(data, tty)
    write_data(data, pipe)
    assert pipe.getvalue() == data  # the data as logged, for programs
    shown = tty.getvalue()
    assert shown.splitlines() == ["path,agent", visible(f"'{HOSTILE},\"a\x9b31mb\"")]
    assert all(ch == "\n" or ord(ch) >= 32 for ch in shown) and "\x9b" not in shown


@pytest.mark.parametrize("name", ["esc\x1b]0;title\x07.log", "[link=https:evil.example]click.log",
                                  "[bold red]x.log", "\u202egol.exe"])
def test_the_progress_bar_shows_a_file_name_inert(tmp_path: Path, name: str) -> None:
    from rich.console import Console

    from exposure.terminal.ingest import progress

    screen = io.StringIO()
    out = Console(file=screen, force_terminal=True, width=200, color_system="standard")
    with progress(out, quiet=False) as (on_progress, _on_file):
        assert on_progress is not None
        on_progress(str(tmp_path / name), 10, 10, 1000)
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # rich's own cursor and colour codes
    assert "\x1b" not in drawn and "\x07" not in drawn and "\u202e" not in drawn
    assert visible(name) in drawn  # the name as it is, brackets included: not taken as markup


def test_a_table_title_naming_a_value_is_never_markup() -> None:
    from rich.console import Console

    from exposure.terminal import table

    screen = io.StringIO()
    Console(file=screen, force_terminal=True, width=200).print(table("paths served under /x[bold red]/", ["a"], [["b"]]))
    drawn = "".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue()).split())  # the title folds
    assert "pathsservedunder/x[boldred]/" in drawn
