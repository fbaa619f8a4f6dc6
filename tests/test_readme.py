"""README snippets work when copied: the workbench, notebook and by-hand SQL sections run on a sample case."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("## Finding what was exposed", "## In a notebook", "## By hand in SQL")


def _blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for title in SECTIONS:
        start = text.index(title)
        end = text.find("\n## ", start + len(title))
        body = text[start:end if end != -1 else len(text)]
        out += re.findall(r"```(sh|python)\n(.*?)```", body, flags=re.S)
    return out


def test_sections_present() -> None:
    kinds = [k for k, _ in _blocks()]
    assert kinds.count("python") == 1 and kinds.count("sh") >= 4


@pytest.fixture
def workdir(sample_case_path: Path, tmp_path: Path) -> Path:
    shutil.copy(sample_case_path, tmp_path / "leak.duckdb")
    (tmp_path / "sample_logs").symlink_to(ROOT / "sample_logs")
    return tmp_path


def test_readme_snippets_run(workdir: Path) -> None:
    bindir = str(Path(sys.executable).parent) + "/"
    ran = 0
    for kind, code in _blocks():
        if kind == "python":
            result = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True,
                                    timeout=120)
            assert result.returncode == 0, result.stderr
            assert "'complete_downloads': 11, 'distinct_ips': 7" in result.stdout
            ran += 1
            continue
        for line in code.splitlines():
            if not line.startswith(".venv/bin/"):
                continue
            cmd = line.replace(".venv/bin/", bindir, 1)
            result = subprocess.run(["bash", "-c", cmd], cwd=workdir, capture_output=True, text=True, timeout=120,
                                    env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})
            assert result.returncode == 0, (line, result.stdout[-2000:], result.stderr[-2000:])
            ran += 1
    assert ran >= 8
    assert (workdir / "wob.json").is_file()
    assert (workdir / "leak-v1.4.duckdb").stat().st_size > 0
