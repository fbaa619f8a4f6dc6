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


@pytest.mark.slow
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


def test_by_hand_sql_in_a_duckdb_shell_gives_the_answer(sample_case_path: Path) -> None:
    """The README's shell session for one target, run as duckdb-cli would (`.read FILE` pastes the file) on the
    case opened read-only: the sample's 11 complete downloads from 7 addresses, 3 from staff."""
    import duckdb

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## By hand in SQL")
    [session] = [b for b in re.findall(r"```sql\n(.*?)```", text[start:], flags=re.S) if ".read " in b]
    con = duckdb.connect(str(sample_case_path), read_only=True)
    statement: list[str] = []
    result = None
    for line in session.splitlines():
        if line.startswith(".read "):
            result = con.execute((ROOT / line.split(maxsplit=1)[1]).read_text(encoding="utf-8"))
            continue
        statement.append(line)
        if line.split("--")[0].rstrip().endswith(";"):
            con.execute("\n".join(statement))
            statement = []
    assert result is not None and statement == []
    totals = dict(zip([d[0] for d in result.description], result.fetchone(), strict=True))
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["internal_complete_downloads"]) == (11, 7, 3)


def test_every_command_option_and_environment_variable_is_in_the_readme() -> None:
    """The README is the user's only guide: each command of `exposure --help`, each of its options and each
    environment variable an option reads is named in it."""
    import typer.main

    from exposure.cli import app

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for name, command in typer.main.get_command(app).commands.items():
        if f"exposure {name}" not in text:
            missing.append(f"command {name}")
        for param in command.params:
            missing += [f"{name} {opt}" for opt in param.opts if opt.startswith("--") and opt != "--help"
                        and not re.search(re.escape(opt) + r"(?![\w-])", text)]
            envvars = param.envvar if isinstance(param.envvar, list | tuple) else [param.envvar]
            missing += [f"{name} ${var}" for var in envvars if var and var not in text]
    assert missing == []
