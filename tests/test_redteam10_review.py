"""Review of red team 10's changes: what the review found besides the fragment rule (tests/test_redteam10_fragment.py)."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

from typer.testing import CliRunner

from exposure import escaping
from exposure.cli import app
from exposure.escaping import display, display_parts
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/x.xlsx"


def test_a_spelling_with_the_exact_size_is_said_as_the_target_spelled_otherwise(tmp_path: Path) -> None:
    """`/docs//x.xlsx` answered 200 with the target's exact size was "probably another copy of the same file":
    size_match ranked exact above spelling. It is the target spelled otherwise whatever its size."""
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("192.0.2.1", t(8, 10), TARGET, size=5000),
        clf("198.51.100.1", t(8, 11), "/docs//x.xlsx", size=5000),
        clf("198.51.100.2", t(8, 11, 5), "/backup/x.xlsx", size=5000),   # another name, the exact size: a copy
        clf("192.0.2.9", t(8, 12), TARGET, status=404, size=200)])
    answer_file = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(answer_file)])
    assert result.exit_code == 0, result.output
    copies = json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]["possible_copies"]
    assert sorted((c["path"], c["size_match"]) for c in copies) == [("/backup/x.xlsx", "exact"),
                                                                     ("/docs//x.xlsx", "spelling")]
    said = {line.split(": ", 2)[2].split(":", 1)[0]: line for line in result.output.splitlines()
            if line.startswith("stated: possible copy: ")}
    assert "perhaps downloads of the target" in said["/docs//x.xlsx"]
    assert "another copy of the same file" not in said["/docs//x.xlsx"]
    assert "probably another copy of the same file" in said["/backup/x.xlsx"]


def test_a_cut_on_a_blank_shows_the_blank_as_it_is() -> None:
    """display_parts showed a cut landing on a blank as `\\x20…`: a blank before the cut marker is not the
    value's trailing blank. A whole value's trailing blank is still escaped."""
    assert display("/docs/my report final.pdf", 9) == "/docs/my … [25 characters]"
    assert display_parts("/docs/my report final.pdf", 9, shown=9) == ("/docs/my …", " [25 characters]")
    assert display("/docs/x.xlsx ", 100) == "/docs/x.xlsx\\x20"
    assert doctest.testmod(escaping).failed == 0
