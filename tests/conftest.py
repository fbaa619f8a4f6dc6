"""Shared fixtures: the sample case ingested once per session, and small log writers."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LOGS = ROOT / "sample_logs"
SAMPLE_TRUTH = ROOT / "tests" / "data" / "sample_truth.json"
REALWORLD = ROOT.parent / "shared" / "realworld"


@pytest.fixture(scope="session")
def sample_truth() -> dict:
    return json.loads(SAMPLE_TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with sample_logs/ ingested once per session; open it read-only or copy it."""
    from exposure import Case

    path = tmp_path_factory.mktemp("sample-case") / "sample.duckdb"
    with Case(path) as case:
        case.ingest([SAMPLE_LOGS])
    return path


@pytest.fixture(scope="session")
def sample_export(sample_case_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample case exported as Parquet (exposure.export), for the portable-SQL checks."""
    from exposure import Case
    from exposure.export import export_parquet

    out = tmp_path_factory.mktemp("sample-export") / "parquet"
    with Case(sample_case_path, read_only=True) as case:
        export_parquet(case.file, out)
    return out


@pytest.fixture
def sample_case_copy(sample_case_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the sample case."""
    dest = tmp_path / "case.duckdb"
    shutil.copy(sample_case_path, dest)
    return dest


def write_log(path: Path, lines: list[str | bytes], compress: str | None = None, newline: bytes = b"\n") -> Path:
    """Write log lines (text or raw bytes) to a file, optionally gzip/bz2 compressed."""
    data = b"".join((ln if isinstance(ln, bytes) else ln.encode("utf-8")) + newline for ln in lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compress == "gzip":
        data = gzip.compress(data, mtime=0)
    elif compress == "bzip2":
        import bz2

        data = bz2.compress(data)
    path.write_bytes(data)
    return path
