"""The terminal (exposure/terminal/): every command's output is inert (control and bidirectional characters from
the logs shown as escapes), whole on a pipe (never cut or wrapped at 80 columns), and the answer is always said;
--csv and --json keep the raw value (CSV neutralised by the one rule)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import SAMPLE_LOGS, write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 4000
CLEAR = "\x1b[2J"  # clears the screen
TITLE = "\x1b]0;pwned\x07"  # sets the window title
RLO = "\u202e"  # right-to-left override: `report\u202exslx.exe` reads `reportexe.xlsx`
RAW = ("\x1b", "\x07", RLO)
HOSTILE_PATH = f"/docs/{CLEAR}report{RLO}xslx.exe"
HOSTILE_FILE = f"acc{CLEAR}ess{RLO}.log"
LONG_PATH = "/documenten/wob/2020/" + "bijlage-" * 16 + "lijst.xlsx"  # 159 characters
# Apache writes control bytes in a header as \xhh (ap_escape_logitem); the parser decodes them back
AGENT = r"Mozilla/5.0 \x1b]0;pwned\x07 \xe2\x80\xae evil"
REFERER = r"https://example.org/\x1b[2J\xe2\x80\xae"


def _logs(tmp_path: Path) -> Path:
    lines = [clf("198.51.100.1", t(8, 10), TARGET, size=SIZE, ua=AGENT, referer=REFERER),
             clf("198.51.100.2", t(8, 11), quote(HOSTILE_PATH, safe="/"), size=SIZE, ua=AGENT, referer=REFERER),
             clf("198.51.100.3", t(8, 12), LONG_PATH, size=SIZE),
             clf("198.51.100.4", t(8, 13), TARGET, size=SIZE),
             "this line is no request",
             clf("198.51.100.5", t(9, 10), TARGET, status=404)]
    return write_log(tmp_path / "logs" / HOSTILE_FILE, lines).parent


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The hostile logs ingested once for the module; each test gets its own copy of the case (`case`)."""
    root = tmp_path_factory.mktemp("terminal")
    logs = _logs(root)
    path = root / "case.duckdb"
    result = CliRunner().invoke(app, ["ingest", "--case", str(path), str(logs)])
    assert result.exit_code == 0, result.output
    return path, logs


@pytest.fixture
def case(ingested: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    path, logs = ingested
    shutil.copy(path, tmp_path / "case.duckdb")
    return tmp_path / "case.duckdb", logs


def _inert(text: str, *, shown: tuple[str, ...] = ("\\x1b", "\\u202e")) -> None:
    """No raw control or bidirectional character; the escapes a reader sees instead."""
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} in output:\n{text[:3000]!r}"
    for escape in shown:
        assert escape in text, f"{escape} not shown:\n{text[:3000]}"


def _run(*args: str) -> object:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.usefixtures("html_only_reports")
def test_every_command_prints_log_values_inert(case: tuple[Path, Path], tmp_path: Path) -> None:
    path, logs = case
    c = str(path)
    ingest = CliRunner().invoke(app, ["ingest", "--case", str(tmp_path / "again.duckdb"), str(logs)])
    assert ingest.exit_code == 0
    _inert(ingest.stderr)  # the file's own name, said with its rejected line
    _inert(_run("files", "--case", c).stdout)
    _inert(_run("sql", "--case", c, str(_own_query(tmp_path))).stdout)  # user agents, referrers, paths
    _inert(_run("timeline", "--case", c, "--target", TARGET).stdout)  # the evidence file's name
    analysed = _run("analyse", "--case", c, str(logs), "--target", TARGET)
    _inert(analysed.stdout)  # the possible copy's path, the evidence file
    assert "report\\u202exslx.exe" in analysed.stdout
    _inert(_run("verify", "--case", c).stdout)
    # every finding (here the hostile file's rejected line) on stderr, through the same one printer as analyse
    _inert(_run("report", "--case", c, "--target", TARGET, "--out", str(tmp_path / "report")).stderr)
    document = tmp_path / f"leak{CLEAR}{RLO}.csv"
    document.write_text("name,city\nJan Jansen,Utrecht\n", encoding="utf-8")
    _inert(_run("inspect", str(document), "--case", c).stdout)


def _own_query(tmp_path: Path) -> Path:
    query = tmp_path / "agents.sql"
    query.write_text("SELECT path, user_agent, referer FROM requests ORDER BY line_no;\n", encoding="utf-8")
    return query


def test_csv_and_json_keep_the_raw_value(case: tuple[Path, Path], tmp_path: Path) -> None:
    path, _logs_dir = case
    rows = list(csv.DictReader(io.StringIO(_run("sql", "--case", str(path), str(_own_query(tmp_path)),
                                                "--csv").stdout)))
    agents = {r["user_agent"] for r in rows}
    # the raw value, as logged, with the apostrophe that marks a cell not to be trusted as shown
    assert "'Mozilla/5.0 \x1b]0;pwned\x07 \u202e evil" in agents
    assert "'" + HOSTILE_PATH in {r["path"] for r in rows}
    records = json.loads(_run("files", "--case", str(path), "--json").stdout)
    assert HOSTILE_PATH in {r["path"] for r in records}


def _exposure(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command in a real process, stdout and stderr pipes (as `| less` or `> file` see them)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TERM")}
    done = subprocess.run([sys.executable, "-m", "exposure", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.slow
def test_a_pipe_gets_every_path_whole_and_inert(case: tuple[Path, Path]) -> None:
    path, logs = case
    files = _exposure("files", "--case", str(path))
    _inert(files.stdout)
    assert "…" not in files.stdout
    assert any(LONG_PATH in line for line in files.stdout.splitlines())  # one line, not cut at 80 columns
    answer = _exposure("analyse", "--case", str(path), str(logs), "--target", LONG_PATH)
    assert f"\n{LONG_PATH}\n" in answer.stdout and "…" not in answer.stdout
    _inert(answer.stdout + answer.stderr)
    timeline = _exposure("timeline", "--case", str(path), "--target", TARGET)
    _inert(timeline.stdout)
    evidence = str(logs / HOSTILE_FILE).replace(CLEAR, "\\x1b[2J").replace(RLO, "\\u202e")
    assert all(line.endswith(f"{evidence}:{n}") for line, n in zip(timeline.stdout.splitlines()[1:], (1, 4, 6),
                                                                   strict=True))
    assert "lines/s" not in answer.stderr  # progress is for a terminal only


def test_analyse_always_answers_unless_quiet(case: tuple[Path, Path], tmp_path: Path) -> None:
    path, logs = case
    out = tmp_path / "answer.json"
    with_json = _run("analyse", "--case", str(path), str(logs), "--target", TARGET, "--json", str(out))
    answer = json.loads(out.read_text(encoding="utf-8"))
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2
    assert "complete downloads 2 from 2 external addresses" in with_json.stdout
    assert "window 1  first available    2020-06-08T10:00:00Z  2020-06-08T12:00:00+02:00" in with_json.stdout
    assert "evidence status: complete" in with_json.stdout and f"wrote {out}" in with_json.stderr
    quiet = _run("analyse", "--case", str(path), str(logs), "--target", TARGET, "--json", str(out), "--quiet")
    assert quiet.stdout == ""


def test_quiet_still_says_the_warnings(case: tuple[Path, Path]) -> None:
    """--quiet drops the answer, not its warnings (its help: "warnings and errors are still said"): a target's
    warnings and the case's reach stderr, each naming its target; the answer itself stays off the terminal."""
    path, logs = case
    never = "/docs/never.xlsx"
    loud = _run("analyse", "--case", str(path), str(logs), "--target", TARGET, "--target", never)
    said = f"warning: {never} was never requested in the evidence: no windows, no downloads"
    assert said in loud.stdout
    quiet = _run("analyse", "--case", str(path), str(logs), "--target", TARGET, "--target", never, "--quiet")
    assert quiet.stdout == ""
    assert quiet.stderr.count("was never requested") == 1
    assert f"warning: {never}: {never} was never requested in the evidence: no windows, no downloads" in quiet.stderr


def test_own_addresses_are_said_only_when_given(case: tuple[Path, Path]) -> None:
    """Without --internal nobody is staff: the answer says so instead of "0" own downloads."""
    path, logs = case
    plain = _run("analyse", "--case", str(path), str(logs), "--target", TARGET).stdout
    assert "own addresses: none given (--internal): every address is counted as external" in plain
    assert "counted apart" not in plain
    given = _run("analyse", "--case", str(path), str(logs), "--target", TARGET, "--internal", "198.51.100.4/32",
                 "--internal", "10.0.0.0/8").stdout
    # one of each is said in the singular (it said "1 external addresses", "1 complete downloads")
    assert "  complete downloads 1 from 1 external address\n" in given
    assert "own addresses (--internal 198.51.100.4/32, 10.0.0.0/8, counted apart) 1 complete download\n" in given


def test_a_rerun_says_already_in_case_once(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    for day in range(1, 6):
        write_log(logs / f"access.log-2020060{day}", [clf("198.51.100.1", t(day, 10), TARGET, size=SIZE)])
    case = str(tmp_path / "case.duckdb")
    first = _run("ingest", "--case", case, str(logs))
    assert "5 files: 5 ingested (lines=5 requests=5 rejected=0 skipped=0)" in first.stderr
    assert "ingested: " not in first.stderr  # a file read cleanly is counted, not listed
    again = _run("ingest", "--case", case, str(logs))
    lines = [ln for ln in again.stderr.splitlines() if "already in case" in ln]
    assert lines == ["5 files already in case"]


@pytest.mark.slow
def test_progress_is_drawn_on_a_terminal_only(tmp_path: Path) -> None:
    """stderr a terminal (a pseudo-terminal here): the bar shows files, lines, bytes and the rate."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "exposure", "ingest", "--case", str(tmp_path / "c.duckdb"),
                             str(SAMPLE_LOGS)], stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    assert proc.wait(timeout=300) == 0
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", errors="replace"))
    assert re.search(r"\d+ files", text) and re.search(r"[\d,]+ lines", text), text[-2000:]
    assert " MB" in text and "M lines/s" in text, text[-2000:]
    piped = subprocess.run([sys.executable, "-m", "exposure", "ingest", "--case", str(tmp_path / "p.duckdb"),
                            str(SAMPLE_LOGS)], capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == 0 and "lines/s" not in piped.stderr and "\x1b" not in piped.stderr, piped.stderr


def test_quiet_says_a_mostly_rejected_file_once(tmp_path: Path) -> None:
    """A file mostly rejected is said by the ingest (a file's warning) and again by the answer (the case's): with
    --quiet, which prints the answer's warnings, it was said twice in one command."""
    logs = tmp_path / "logs"
    write_log(logs / "access.log", [clf(f"198.51.100.{i}", t(8, 10 + i), TARGET, size=SIZE) for i in range(4)]
              + [f"garbage line {i}" for i in range(6)])
    result = _run("analyse", str(logs), "--target", TARGET, "--quiet")
    assert result.stderr.count("6 of 10 lines rejected: probably not the") == 1, result.stderr
