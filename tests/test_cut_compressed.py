"""A compressed log cut before any of its content can be read (a copy stopped in its first bytes): damage the
evidence status names and the exit code carries, never "no access log found" or "not an access log" for a
folder or a file that is a cut log."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.logs import clf, t

LOG = "".join(clf(f"198.51.100.{i}", t(8, 10 + i), "/docs/x.xlsx", size=5000) + "\n" for i in range(5)).encode()
GZ = gzip.compress(LOG, mtime=0)


def _run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize("cut", [2, 3, 10, 40], ids=lambda n: f"{n}-bytes")
def test_a_folder_of_cut_gzip_logs_is_damaged_evidence(tmp_path: Path, cut: int) -> None:
    """Cut inside the header (2, 3: the gzip magic alone; 10) or the compressed data (40): the folder is ingested,
    the file is said truncated and the answer incomplete (exit 3). It was refused "no access log found in this
    folder" (exit 2, nothing recorded), and a 2- or 3-byte cut was "not an access log" even beside a log."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log.1.gz").write_bytes(GZ[:cut])
    result = _run("ingest", "--case", str(tmp_path / "c.duckdb"), str(logs))
    assert result.exit_code == 3, result.output
    assert "no access log found" not in result.output
    assert f"incomplete: truncated: {logs}/access.log.1.gz: gzip member 1" in result.stderr


def test_a_cut_gzip_named_alone_is_damaged_evidence(tmp_path: Path) -> None:
    """Named on the command line, a cut log is not "not an access log in any known format (use --format …)"."""
    cut = tmp_path / "access.log.1.gz"
    cut.write_bytes(GZ[:2])
    result = _run("ingest", "--case", str(tmp_path / "c.duckdb"), str(cut))
    assert result.exit_code == 3, result.output
    assert "not an access log in any known format" not in result.output
    assert "the file ends inside its header" in result.stderr


def test_two_bytes_that_are_no_gzip_stay_no_log(tmp_path: Path) -> None:
    """Only the gzip magic itself (1f 8b, and 1f 8b 08) reads as a cut gzip: other two-byte files are no log."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_bytes(LOG)
    (logs / "x.gz").write_bytes(b"\x1f\x8c")
    result = _run("ingest", "--case", str(tmp_path / "c.duckdb"), str(logs))
    assert result.exit_code == 0, result.output
    assert f"not a log: {logs}/x.gz" in result.stderr
