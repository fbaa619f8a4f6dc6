"""Evidence integrity, the tool's own data protection and no network: inputs untouched, verify, 0600, offline."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from tests.conftest import ROOT, SAMPLE_LOGS

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def _state(root: Path) -> dict[str, tuple[int, int, str]]:
    return {str(p): (p.stat().st_mtime_ns, stat.S_IMODE(p.stat().st_mode), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_inputs_never_modified_by_ingest_and_analyse(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    shutil.copytree(SAMPLE_LOGS, logs)
    before = _state(logs)
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--case", str(tmp_path / "c.duckdb"),
                                      "--json", str(tmp_path / "a.json"), "-q"])
    assert result.exit_code == 0, result.output
    assert _state(logs) == before
    assert sorted(p.name for p in logs.rglob("*")) == sorted(p.name for p in SAMPLE_LOGS.rglob("*"))


def test_verify_match_changed_missing(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    shutil.copytree(SAMPLE_LOGS / "web1", logs)
    case = tmp_path / "c.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--case", str(case), str(logs), "-q"]).exit_code == 0
    ok = runner.invoke(app, ["verify", "--case", str(case)], terminal_width=250)
    assert ok.exit_code == 0, ok.output
    files = sorted(p for p in logs.iterdir())
    assert sum(line.startswith("match") for line in ok.output.splitlines()) == len(files)

    tampered, deleted = logs / "access.log", logs / "access.log-20200619"
    with open(tampered, "ab") as fh:
        fh.write(b"203.0.113.9 - - [21/Jun/2020:13:00:00 +0200] \"GET / HTTP/1.1\" 200 1\n")
    deleted.unlink()
    bad = runner.invoke(app, ["verify", "--case", str(case)], terminal_width=250)
    assert bad.exit_code == 3
    status = {line.split()[1]: line.split()[0] for line in bad.output.splitlines()
              if line.split() and line.split()[0] in ("match", "changed", "missing")}
    assert status[str(tampered)] == "changed" and status[str(deleted)] == "missing"
    assert sum(v == "match" for v in status.values()) == len(files) - 2
    assert "2 of " in bad.output and "changed or missing" in bad.output

    only_good = runner.invoke(app, ["verify", "--case", str(case), str(logs / "access.log-20200620")])
    assert only_good.exit_code == 0, only_good.output
    only_bad = runner.invoke(app, ["verify", "--case", str(case), str(tampered)])
    assert only_bad.exit_code == 3 and "changed" in only_bad.output
    stranger = tmp_path / "other.log"
    stranger.write_text("x\n")
    unknown = runner.invoke(app, ["verify", "--case", str(case), str(stranger)])
    assert unknown.exit_code == 2  # none of the paths is evidence: nothing was verified


def test_case_files_are_owner_only(tmp_path: Path) -> None:
    """Library: the case and its WAL are 0600 even under a permissive umask."""
    old = os.umask(0o022)
    try:
        case = tmp_path / "c.duckdb"
        with Case(case) as c:
            c.ingest([SAMPLE_LOGS / "web1" / "access.log"])
            created = [p for p in (case, Path(f"{case}.wal")) if p.exists()]
            assert case in created
            for p in created:
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    finally:
        os.umask(old)
    assert stat.S_IMODE(case.stat().st_mode) == 0o600


def test_cli_outputs_are_owner_only(tmp_path: Path) -> None:
    """The command: case file and JSON export owner-only, whatever the caller's umask."""
    out = tmp_path / "out" / "analysis.json"
    case = tmp_path / "c.duckdb"
    result = subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0o022); sys.argv[0] = 'exposure'; "
                             "from exposure.cli import main; main()", "analyse", str(SAMPLE_LOGS / "web1"),
                             "--target", TARGET, "--case", str(case), "--json", str(out), "-q"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["schema"].startswith("exposure.analysis/")
    for p in (case, out):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p, oct(p.stat().st_mode))
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o700


@pytest.mark.slow
@pytest.mark.usefixtures("html_only_reports")
def test_outputs_that_existed_with_wider_modes_become_owner_only(tmp_path: Path) -> None:
    """A JSON answer, report files and a case (and its WAL) that existed as 0644 are 0600 after a run. In-process
    under umask 022 and without the PDF (it was a subprocess drawing one, ~5 CPU-s): none of the files that existed
    is the PDF, and a new report.pdf's 0600 is tests/report/test_report.py's manifest test."""
    case, out, report = tmp_path / "c.duckdb", tmp_path / "analysis.json", tmp_path / "report"
    with Case(case) as c:
        c.ingest([SAMPLE_LOGS / "web1" / "access.log"])
    report.mkdir()
    for name in ("report.html", "downloads.csv", "analysis.json", "MANIFEST.sha256"):
        (report / name).write_text("old\n")
    out.write_text("old\n")
    for p in (case, out, report, *report.iterdir()):
        p.chmod(0o755 if p.is_dir() else 0o644)
    wal = Path(f"{case}.wal")
    old_umask = os.umask(0o022)
    try:
        result = CliRunner().invoke(app, ["analyse", str(SAMPLE_LOGS / "web1"), "--target", TARGET, "--case",
                                          str(case), "--json", str(out), "--report", str(report), "--pin-time",
                                          "2020-08-01T12:00:00Z", "-q"])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["schema"].startswith("exposure.analysis/")
    for p in (case, out, *report.iterdir(), *([wal] if wal.exists() else [])):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p, oct(p.stat().st_mode))
    assert stat.S_IMODE(report.stat().st_mode) == 0o700


GUARD = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    sys.stderr.write("NETWORK ATTEMPT %r\\n" % (args,))
    raise OSError("network disabled by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
sys.argv = ["exposure"] + sys.argv[1:]
from exposure.cli import main
try:
    main()
finally:
    if attempts:
        sys.exit(97)
"""


def test_full_demo_runs_offline(tmp_path: Path) -> None:
    out = tmp_path / "analysis.json"
    result = subprocess.run([sys.executable, "-c", GUARD, "analyse", str(SAMPLE_LOGS), "--target", TARGET,
                             "--internal", "203.0.113.0/24", "--json", str(out), "-q"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300,
                            env={**os.environ, "NO_PROXY": "*", "http_proxy": "", "https_proxy": ""})
    assert "NETWORK ATTEMPT" not in result.stderr
    assert result.returncode == 0, result.stderr
    totals = json.loads(out.read_text())["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (11, 7)


def test_verify_says_a_file_swapped_for_a_named_pipe_is_one_and_does_not_hang(tmp_path: Path) -> None:
    """Red team 11: a file replaced by a FIFO after ingest was said `missing`, "no longer at the path recorded":
    the path holds a named pipe, and verify says so (evidence.not_regular, the reason discovery gives) without
    opening it (an open would wait for a writer for ever)."""
    from exposure.findings import rehash_findings
    from exposure.verify import verify_evidence

    logs = tmp_path / "vf"
    shutil.copytree(SAMPLE_LOGS / "web1", logs)
    case = tmp_path / "c.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs), "-q"]).exit_code == 0
    (logs / "access.log").unlink()
    os.mkfifo(logs / "access.log")
    done = subprocess.run([sys.executable, "-m", "exposure", "verify", "--case", str(case)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "250"}, cwd=ROOT)
    assert done.returncode == 3, done.stdout + done.stderr
    [line] = [x for x in done.stdout.splitlines() if str(logs / "access.log") + " " in x]
    assert line.startswith("missing") and "(now a named pipe (FIFO), not a regular file: not read)" in line, line
    with Case(str(case), read_only=True) as opened:
        [finding] = rehash_findings([v for v in verify_evidence(opened.file) if v.status != "match"])
    assert finding.detail == ("the path recorded at ingest now holds a named pipe (FIFO), not a regular file: not "
                              "read; the figures come from the content hashed at ingest"), finding.detail
