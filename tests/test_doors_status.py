"""Every door that answers from a case says the evidence status (README, exit codes): `files`, `timeline` and
`sql` print the incomplete findings and the status line on stderr and exit 3 when the evidence is incomplete,
their stdout (table, JSON, CSV) the answer alone; on complete evidence they say nothing more and exit 0."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.doors_case import TARGET, build
from tests.logs import clf, t

STATUS = "exposure: the evidence is incomplete (see above)"


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), terminal_width=400)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The doors case: a .gz that cannot be read, a truncated last line (incomplete, exit 3)."""
    work = tmp_path_factory.mktemp("status")
    case = str(work / "case.duckdb")
    assert _run("ingest", "--case", case, str(build(work))).exit_code == 3
    return case


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> str:
    work = tmp_path_factory.mktemp("clean")
    log = work / "access.log"
    log.write_text("".join(clf("198.51.100.1", t(8, 9, m), TARGET, size=5000) + "\n" for m in range(3)))
    case = str(work / "case.duckdb")
    assert _run("ingest", "--case", case, str(log)).exit_code == 0
    return case


DOORS = [("files", "--json"), ("timeline", "--target", TARGET),
         ("sql", "totals", "--param", f"target={TARGET}", "--json")]


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d[0])
def test_a_door_on_incomplete_evidence_says_it_on_stderr_and_exits_3(messy: str, door: tuple[str, ...]) -> None:
    result = _run(door[0], "--case", messy, *door[1:])
    assert result.exit_code == 3, result.output
    incomplete = [line for line in result.stderr.splitlines() if line.startswith("incomplete: ")]
    assert len(incomplete) >= 1 and any(".gz" in line for line in incomplete)
    assert STATUS in result.stderr
    assert STATUS not in result.stdout and "incomplete: " not in result.stdout  # pipes stay clean
    if "--json" in door:
        assert json.loads(result.stdout)  # the answer alone, parseable


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d[0])
def test_a_door_on_complete_evidence_says_nothing_more_and_exits_0(clean: str, door: tuple[str, ...]) -> None:
    result = _run(door[0], "--case", clean, *door[1:])
    assert result.exit_code == 0, result.output
    assert STATUS not in result.stderr and "incomplete: " not in result.stderr


def test_files_names_the_same_findings_as_analyse(messy: str, tmp_path: Path) -> None:
    """The one function that makes the lines: `files` prints analyse's incomplete lines, word for word but for
    the windows a span falls in (a target's: `files` names none)."""
    analysed = _run("analyse", "--case", messy, "--target", TARGET, "--quiet")
    files = _run("files", "--case", messy, "--csv")
    said = [re.sub(r"; inside window \d+( \([^)]*\))?(, window \d+( \([^)]*\))?)*$", "", line) for line in analysed.stderr.splitlines()
            if line.startswith("incomplete: ")]
    assert said and [line for line in files.stderr.splitlines() if line.startswith("incomplete: ")] == said
