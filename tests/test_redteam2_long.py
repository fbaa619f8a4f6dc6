"""Red team, round 2: values made long on purpose (a 300 KB path, a 64 KiB user agent and referrer). What a
person reads (the terminal answer, `files`' table, the report's pages) is bounded and says the full length;
what is exported as data (`--json`, `--csv`, the report's CSVs and analysis.json) keeps the value whole. A path
as long as a server accepts (8,000 characters) is never cut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.escaping import TERMINAL_LIMIT, bounded
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
HUGE_PATH = TARGET + "Z" * 300_000   # served with the target's size: a possible copy, printed in several places
REAL_LONG = "/docs/" + "a/" * 3_997 + "x.pdf"   # 8,005 characters: long, but a server would serve it
# 8 times the terminal's limit, past it as a megabyte is (README: "a 1 MB path or user agent"); classifying a
# 1 MB user agent alone cost 8 s of ingest, the rule is the same
LONG = 8 * TERMINAL_LIMIT
HUGE_UA = "UA-" + "A" * LONG


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write_log(tmp_path / "logs" / "access.log", [
        clf("192.0.2.1", t(8, 10), TARGET, size=5000, ua=HUGE_UA, referer="http://ref.example/" + "R" * LONG),
        clf("192.0.2.2", t(8, 11), HUGE_PATH, size=5000),
        clf("192.0.2.3", t(8, 12), REAL_LONG, size=5000),
        clf("192.0.2.4", t(8, 13), TARGET, size=5000),
        clf("192.0.2.9", t(9, 12), TARGET, status=404, size=200),
    ])


def _run(*args: str, stream: str = "output") -> str:
    """What the command printed: stdout and stderr together (what a person sees), or one of them by name."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output[:2000]
    return getattr(result, stream)


def test_the_terminal_answer_is_bounded_and_the_json_whole(log: Path, tmp_path: Path) -> None:
    answer_file = tmp_path / "a.json"
    output = _run("analyse", str(log), "--target", TARGET, "--json", str(answer_file))
    assert len(output) < 120_000, len(output)  # unbounded it is over a megabyte (the path printed 4 times)
    assert max(len(line) for line in output.splitlines()) < 2 * TERMINAL_LIMIT + 100
    assert f"… [{len(HUGE_PATH)} characters]" in output
    assert REAL_LONG in output  # a path a server would serve is whole, to copy into --target
    answer = json.loads(answer_file.read_text(encoding="utf-8"))
    copies = {c["path"] for c in answer["targets"][0]["possible_copies"]}
    assert HUGE_PATH in copies and REAL_LONG in copies


def test_files_table_is_bounded_and_its_json_whole(log: Path, tmp_path: Path) -> None:
    case = str(tmp_path / "case.duckdb")
    _run("ingest", str(log), "--case", case, "--quiet")
    table = _run("files", "--case", case)
    # unbounded every row is padded to the widest cell: 4 rows of 300 KB
    assert len(table) < 100_000, len(table)
    assert f"… [{len(HUGE_PATH)} characters]" in table and REAL_LONG in table
    rows = json.loads(_run("files", "--case", case, "--json", stream="stdout"))  # warnings go to stderr
    assert HUGE_PATH in {r["path"] for r in rows}


@pytest.mark.parametrize("line,kept", [
    ("short line", "short line"),
    ("stated: possible copy: " + "p" * 9_000 + ": detail", "p… [9000 characters]: detail"),
    ("ua " + "u" * 20_000, "u… [20000 characters]"),
])
def test_bounded_cuts_only_a_run_past_the_limit(line: str, kept: str) -> None:
    shown = bounded(line)
    assert kept in shown and len(shown) < 2 * TERMINAL_LIMIT + 100
