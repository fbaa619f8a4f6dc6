"""Red team, round 2: symbolic links in an evidence folder. A file reached through a link (its own, or a
folder link on the way) is read where the link resolves, possibly outside the folder given: the registry keeps
the path as given (`via_link`) beside where it resolved (`abs_path`), a stated finding says both, and `verify`
names a link that resolves elsewhere since ingest (exit 3 when what it resolves to now holds other bytes)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _lines(first: int) -> list[str]:
    return [clf(f"192.0.2.{first + i}", t(8, 10, i), TARGET, size=4000) for i in range(3)]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """evidence/access.log -> ../outside/real.log; evidence/more -> ../elsewhere (a folder); evidence/own.log."""
    monkeypatch.chdir(tmp_path)  # paths are recorded as given, relative to where ingest runs
    write_log(tmp_path / "outside" / "real.log", _lines(1))
    write_log(tmp_path / "elsewhere" / "other.log", _lines(10))
    write_log(tmp_path / "evidence" / "own.log", _lines(20))
    os.symlink("../outside/real.log", tmp_path / "evidence" / "access.log")
    os.symlink("../elsewhere", tmp_path / "evidence" / "more")
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_a_file_reached_through_a_link_is_said_with_where_it_resolved(tree: Path) -> None:
    code, output = _run("ingest", "evidence", "--case", "case.duckdb")
    assert code == 0, output
    with duckdb.connect("case.duckdb", read_only=True) as con:
        rows = dict(((p, (a, v)) for p, a, v in con.execute("SELECT path, abs_path, via_link FROM evidence").fetchall()))
    assert rows == {
        "evidence/access.log": (str(tree / "outside" / "real.log"), str(tree / "evidence" / "access.log")),
        "evidence/more/other.log": (str(tree / "elsewhere" / "other.log"), str(tree / "evidence/more/other.log")),
        "evidence/own.log": (str(tree / "evidence" / "own.log"), None),
    }
    said = [line for line in output.splitlines() if line.startswith("stated: through a link:")]
    assert len(said) == 2, output
    assert any(str(tree / "outside" / "real.log") in line and "evidence/access.log" in line for line in said)
    # the answer carries the same finding, counted in the evidence status, and the answer stays complete
    code, output = _run("analyse", "evidence", "--case", "case.duckdb", "--target", TARGET, "--json", "a.json",
                        "--quiet")
    assert code == 0, output
    answer = json.loads(Path("a.json").read_text(encoding="utf-8"))
    links = [f for f in answer["findings"] if f["kind"] == "through a link"]
    assert sorted(f["path"] for f in links) == ["evidence/access.log", "evidence/more/other.log"]
    assert {f["fact"] for f in links} == {str(tree / "outside" / "real.log"), str(tree / "elsewhere" / "other.log")}


def test_verify_names_a_link_that_resolves_elsewhere_since_ingest(tree: Path) -> None:
    assert _run("ingest", "evidence", "--case", "case.duckdb", "--quiet")[0] == 0
    assert _run("verify", "--case", "case.duckdb")[0] == 0
    # retargeted to a file with other content: the evidence as supplied no longer gives what was read
    write_log(tree / "outside" / "forged.log", _lines(100))
    os.replace(tree / "evidence" / "access.log", tree / "old-link")
    os.symlink("../outside/forged.log", tree / "evidence" / "access.log")
    code, output = _run("verify", "--case", "case.duckdb")
    assert code == 3, output
    line = next(x for x in output.splitlines() if "evidence/access.log" in x)
    assert line.startswith("changed") and str(tree / "outside" / "forged.log") in line, line
    assert str(tree / "outside" / "real.log") in line  # where it resolved at ingest
    # retargeted to a byte-identical copy: nothing read differs, but the move is said
    (tree / "outside" / "copy.log").write_bytes((tree / "outside" / "real.log").read_bytes())
    (tree / "evidence" / "access.log").unlink()
    os.symlink("../outside/copy.log", tree / "evidence" / "access.log")
    code, output = _run("verify", "--case", "case.duckdb")
    assert code == 0, output
    line = next(x for x in output.splitlines() if "evidence/access.log" in x)
    assert line.startswith("match") and "copy.log now" in line, line
    # a folder link retargeted: the file under it is named too
    (tree / "evidence" / "more").unlink()
    write_log(tree / "elsewhere2" / "other.log", _lines(200))
    os.symlink("../elsewhere2", tree / "evidence" / "more")
    code, output = _run("verify", "--case", "case.duckdb")
    assert code == 3 and "changed  evidence/more/other.log" in output, output


def test_dot_dot_after_a_link_leads_where_the_link_leads(tree: Path) -> None:
    """`evidence/more/../real.log` with more -> ../elsewhere reads elsewhere/../real.log = real.log beside
    elsewhere: collapsed as text it was evidence/real.log, another file (here absent), and verify said the link
    was gone; the path is kept as given and verify resolves it as ingest did."""
    write_log(tree / "real.log", _lines(50))
    assert _run("ingest", "evidence/more/../real.log", "--case", "case.duckdb", "--quiet")[0] == 0
    with duckdb.connect("case.duckdb", read_only=True) as con:
        [(abs_path, via)] = con.execute("SELECT abs_path, via_link FROM evidence").fetchall()
    assert (abs_path, via) == (str(tree / "real.log"), str(tree / "evidence/more/../real.log"))
    write_log(tree / "evidence" / "real.log", _lines(60))  # a different file where the text collapse points
    code, output = _run("verify", "--case", "case.duckdb")
    assert code == 0 and output.startswith("match"), output
