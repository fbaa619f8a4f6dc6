"""Review of merges 20: a gzip member cut and run into the next (`cat cut.gz next.gz`) decodes thousands of bytes,
garbled where it was damaged, and shows no format where it was sampled: redteam20 ingests it as damaged (exit 3),
but its finding said 'too little of it could be read to tell its format', the words of a rotation cut before its
first line, of a file of which 5,326 bytes were decoded (/tmp/review_merges20/c7_cut_member). Now it says the bytes
decoded show no known format where it was damaged; a file cut before a line keeps its words
(tests/test_redteam_files.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.test_redteam20_cut_member import TARGET, _cut_into_next

pytestmark = pytest.mark.slow


def test_a_garbled_sample_is_never_said_too_little_read(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    _cut_into_next(logs)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    [damaged] = [f for f in json.loads(out.read_text())["findings"] if f["kind"] == "damaged"]
    assert "too little of it could be read" not in damaged["detail"], damaged["detail"]
    assert "bytes decoded from it show no known format where it was damaged (no request read from it)" in \
        damaged["detail"], damaged["detail"]
