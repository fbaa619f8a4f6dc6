"""Red team, output paths: an output never replaces the evidence it was made from, nor the case. Each test gives
an output path that is an input, a hard link to one, evidence found under an input folder, or the case itself."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.errors import InputError
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _log(path: Path) -> Path:
    return write_log(path, [clf(f"192.0.2.{i}", t(8, 10, i), TARGET, size=4000) for i in range(1, 4)])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


@pytest.mark.parametrize("how", ["the input", "a hard link to the input", "evidence under an input folder"])
def test_json_answer_never_overwrites_evidence(tmp_path: Path, how: str) -> None:
    log = _log(tmp_path / "logs" / "access.log")
    before = _digest(log)
    given = str(log)
    out = log
    if how == "a hard link to the input":
        out = tmp_path / "answer.json"
        os.link(log, out)
    elif how == "evidence under an input folder":
        given = str(log.parent)
    code, output = _run(["analyse", given, "--target", TARGET, "-q", "--json", str(out)])
    assert code == 2, output
    assert "is evidence or the case itself" in output
    assert _digest(log) == before


def test_json_answer_never_overwrites_the_case(tmp_path: Path) -> None:
    log = _log(tmp_path / "access.log")
    case = tmp_path / "leak.duckdb"
    with Case(case) as c:
        c.ingest([log])
    code, output = _run(["analyse", str(log), "--target", TARGET, "-q", "--case", str(case), "--json", str(case)])
    assert code == 2, output
    assert "is evidence or the case itself" in output
    with Case(case, read_only=True) as c:  # still the case
        assert len(c.evidence()) == 1


def test_json_answer_still_written_beside_the_evidence(tmp_path: Path) -> None:
    log = _log(tmp_path / "logs" / "access.log")
    out = tmp_path / "logs" / "answer.json"
    code, output = _run(["analyse", str(log.parent), "--target", TARGET, "-q", "--json", str(out)])
    assert code == 0, output
    assert out.read_bytes().startswith(b"{")


def test_inspect_json_never_overwrites_the_document(tmp_path: Path) -> None:
    doc = tmp_path / "leak.csv"
    doc.write_text("name,phone\nJan Jansen,0612345678\n", encoding="utf-8")
    before = _digest(doc)
    code, output = _run(["inspect", str(doc), "-q", "--json", str(doc)])
    assert code == 2, output
    assert _digest(doc) == before


def test_report_never_overwrites_evidence_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    _log(folder / "access.log")
    evidence = write_log(folder / "report.html", [clf("192.0.2.9", t(8, 11), TARGET, size=4000)])
    before = _digest(evidence)
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([folder])
        with pytest.raises(InputError, match="is evidence or the case itself"):
            c.report([TARGET], folder)
    assert _digest(evidence) == before
