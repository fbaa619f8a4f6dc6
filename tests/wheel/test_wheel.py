"""The package installs and answers from a wheel, outside the checkout: the SQL ships inside it (exposure.sql).

Builds the wheel, installs it into a fresh virtual environment in a temporary folder, and from another working
directory runs `exposure analyse` on sample_logs/ (11 complete downloads from 7 addresses) and `exposure sql
windows`. Not part of `make test` (it installs the dependencies into a new environment): `make test-wheel` runs
it with EXPOSURE_WHEEL=1, and .ci/run runs that after `make test`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"

if os.environ.get("EXPOSURE_WHEEL") != "1":
    pytest.skip("the wheel test runs with EXPOSURE_WHEEL=1 (make test-wheel)", allow_module_level=True)


def _run(args: list[str | Path], cwd: Path, timeout: int = 1800) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "EXPOSURE_CASE")}
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (outside the checkout) with the wheel and its dependencies; its bin/."""
    tmp = tmp_path_factory.mktemp("wheel")
    # built from a copy: a build writes build/ and *.egg-info next to the sources, never into the checkout
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "reports", "bench",
        "*.duckdb", "*.duckdb.wal"))
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src], cwd=tmp)
    [wheel] = dist.glob("exposure-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "exposure/sql/target.sql" in names and "exposure/sql/portable/windows_downloads.sql" in names
    assert not any(n.startswith("queries/") for n in names)
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run([env_dir / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], cwd=tmp)
    return env_dir / "bin"


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import exposure, exposure.queries as q; "
                  "print(exposure.__file__); print(q.query_dir())"], cwd=tmp_path).split()
    assert all(not Path(p).resolve().is_relative_to(ROOT) for p in where), where
    assert where[1].endswith(os.path.join("exposure", "sql"))


def test_analyse_the_sample_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    _run([installed / "exposure", "analyse", (ROOT / "sample_logs").resolve(), "--target", TARGET,
          "--internal", "203.0.113.0/24", "--json", "out.json", "--quiet"], cwd=tmp_path)
    totals = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (11, 7)


def test_named_sql_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    _run([installed / "exposure", "ingest", "--case", "case.duckdb", (ROOT / "sample_logs").resolve(), "--quiet"],
         cwd=tmp_path)
    rows = json.loads(_run([installed / "exposure", "sql", "windows", "--case", "case.duckdb",
                            "--param", f"target={TARGET}", "--json"], cwd=tmp_path))
    assert [r["window"] for r in rows] == [1, 2]
    rows = json.loads(_run([installed / "exposure", "sql", "queries/totals.sql", "--case", "case.duckdb",
                            "--param", f"target={TARGET}", "--param", "internal=203.0.113.0/24", "--json"],
                           cwd=tmp_path))
    assert (rows[0]["complete_downloads"], rows[0]["distinct_ips"]) == (11, 7)
