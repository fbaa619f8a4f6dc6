"""A command killed or stopped, second round: what the next writable open does about it (exposure/case.py
`_finish_unfinished`, exposure/seal.py `Session.settled_again`).

- A second writable open in the same process (a notebook holding two Case objects, the API called from a
  callback) took the first one's mark of running for a killed command and "recovered" it; a command begun inside
  another removed the outer one's mark.
- A recovery stopped by Ctrl-C or an error removed the mark: the next open did not recover again.
- A recovery was said only in the activity log: every later answer (terminal, page 1 of the report, JSON) says it.
- An ingest killed while it settled (after every file's seal link) left registry rows and settled tables that
  differ from the seal: the case never held again. The next open works them out again and seals them.

The kills are real: a child process runs the CLI with one function replaced by SIGKILL of itself."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import Case, ingest, seal
from exposure import case as case_mod
from exposure.case import CaseFile
from exposure.cli import app
from exposure.ingest import IngestOptions
from tests.conftest import write_log
from tests.logs import clf, t
from tests.test_killed_ingest import _killed, _overlapping_logs, _query

KILL_AT = """
import importlib, os, signal, sys
import exposure.seal
exposure.seal.SEAL_EVERY = 0.0  # every file sealed as it is stored: the kill comes after every file's link
module, _, name = sys.argv[1].rpartition(".")
module = importlib.import_module(module)
setattr(module, name, lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))
from exposure.cli import app
sys.argv = ["exposure", *sys.argv[2:]]
app()
"""


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), terminal_width=400)


def _kill_at(where: str, *args: str) -> None:
    """Run `exposure *args` in a child process killed (SIGKILL) when it calls `where` (module.function)."""
    proc = subprocess.run([sys.executable, "-c", KILL_AT, where, *args], capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


def test_a_second_writable_open_in_the_same_process_never_recovers_a_command_still_running(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    with CaseFile(path) as first, first.sealing("ingest"):
        with CaseFile(path) as second:  # a second Case of a notebook, while the first one's command runs
            assert second.fetchall("SELECT value FROM meta WHERE key = 'running'") == [("ingest",)]
        assert first.fetchall("SELECT command FROM activity") == []  # nothing "recovered"
    assert _query(path, "SELECT command FROM activity") == [("ingest",)]
    assert _query(path, "SELECT count(*) FROM meta WHERE key = 'running'") == [(0,)]


def test_a_command_begun_inside_another_leaves_the_outer_ones_mark(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    with CaseFile(path) as c:
        with c.sealing("ingest"):
            c.log_activity("api", "a note written while the ingest runs")
            assert c.fetchall("SELECT value FROM meta WHERE key = 'running'") == [("ingest",)]
        assert c.fetchall("SELECT count(*) FROM meta WHERE key = 'running'") == [(0,)]
    assert _query(path, "SELECT command FROM activity ORDER BY seq") == [("api",), ("ingest",)]


def test_a_recovery_stopped_by_ctrl_c_or_an_error_is_run_again_on_the_next_open(tmp_path: Path) -> None:
    logs = _overlapping_logs(tmp_path)
    case = tmp_path / "k.duckdb"
    _killed(case, logs)
    for stop in (KeyboardInterrupt, RuntimeError("disk full")):
        with pytest.MonkeyPatch.context() as mp:
            def stopped(*_a: object, _stop: BaseException | type[BaseException] = stop, **_k: object) -> None:
                raise _stop
            mp.setattr(case_mod, "settle", stopped)
            with pytest.raises(KeyboardInterrupt if stop is KeyboardInterrupt else RuntimeError):
                CaseFile(case)
        assert _query(case, "SELECT value FROM meta WHERE key = 'running'") == [("ingest",)]
        assert _query(case, "SELECT count(*) FROM overlap_lines") == [(0,)]  # never settled
    with CaseFile(case):  # the next open recovers, whole
        pass
    assert _query(case, "SELECT count(*) FROM overlap_lines")[0][0] > 0
    assert _query(case, "SELECT count(*) FROM meta WHERE key = 'running'") == [(0,)]
    details = [d for (d,) in _query(case, "SELECT detail FROM activity WHERE command = 'recovered' ORDER BY seq")]
    # Ctrl-C is noted at once; a failure that wrote nothing is not (as any command's)
    assert len(details) == 2 and "[interrupted (Ctrl-C)]" in details[0] and "[" not in details[1]
    assert all(d.startswith("a command (ingest) did not finish") for d in details)


@pytest.mark.usefixtures("html_only_reports")  # its report's HTML, JSON and terminal are read; the PDF is tests/report's
def test_an_ingest_killed_while_it_settles_is_settled_sealed_and_said_by_the_next_command(tmp_path: Path) -> None:
    """Killed in its last step (infer_facts): streams assigned, repeated lines found and the derived tables built,
    none of it sealed."""
    logs = _overlapping_logs(tmp_path)
    clean = tmp_path / "clean.duckdb"
    assert _cli("ingest", "--case", str(clean), str(logs)).exit_code == 0
    case = tmp_path / "k.duckdb"
    _kill_at("exposure.ingest.infer_facts", "ingest", "--case", str(case), str(logs), "-q")
    links = [n for (n,) in _query(case, "SELECT note FROM seal_links ORDER BY seq")]
    assert links[-1].startswith("evidence 4 stored")  # every file sealed, the command not closed
    killed = _cli("verify", "--case", str(case))
    assert killed.exit_code == 3 and "registry row differs from the one sealed" in killed.output

    rerun = _cli("ingest", "--case", str(case), str(logs))
    assert rerun.exit_code == 0, rerun.output  # was 3 on every command, for good
    (said,) = [ln for ln in rerun.output.splitlines() if ln.startswith("stated: interrupted command:")]
    assert "a command (ingest) did not finish (interrupted or killed)" in said
    assert ("the streams and byte meanings of evidence 1-4" in said and "left half written by the command that did "
            "not finish: worked out again from what is stored and sealed") in said
    assert _cli("verify", "--case", str(case)).exit_code == 0
    with Case(case, read_only=True) as c, Case(clean, read_only=True) as cl:
        assert c.analyse(["/leak.pdf"])["targets"] == cl.analyse(["/leak.pdf"])["targets"]
    for table in ("overlap_lines", "stream_silences", "agent_classes"):
        assert _query(case, f"SELECT * FROM {table} ORDER BY ALL") == _query(clean, f"SELECT * FROM {table} ORDER BY ALL")

    # every later answer says it: the JSON answer and the report's first page
    out = tmp_path / "r"
    report = _cli("report", "--case", str(case), "--target", "/leak.pdf", "--out", str(out),
                  "--pin-time", "2020-08-01T12:00:00Z")
    assert report.exit_code == 0, report.output
    assert "stated: interrupted command: activity entry 1 (" in report.output
    answer = json.loads((out / "analysis.json").read_text())
    (found,) = [f for f in answer["findings"] if f["kind"] == "interrupted command"]
    assert found["severity"] == "stated" and found["detail"].startswith("activity entry 1 (")
    cover = (out / "report.html").read_text().split('id="cover"', 1)[1].split("</section>", 1)[0]
    assert 'data-kind="interrupted command"' in cover


def test_a_recovery_seals_no_registry_row_changed_in_another_column(tmp_path: Path) -> None:
    """What the recovery works out again is sealed; an edit made outside in any other column stays a difference."""
    logs = _overlapping_logs(tmp_path)
    case = tmp_path / "k.duckdb"
    _kill_at("exposure.ingest.infer_facts", "ingest", "--case", str(case), str(logs), "-q")
    with duckdb.connect(str(case)) as con:
        con.execute("UPDATE evidence SET requests = 1 WHERE evidence_id = 2")
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 3
    found = _cli("verify", "--case", str(case))
    assert found.exit_code == 3
    (broken,) = [ln for ln in found.output.splitlines() if ln.startswith("BROKEN")]  # the other three sealed
    assert broken.startswith(f"BROKEN   evidence 2 ({logs / 'web1' / 'access.log'}): registry row differs from the "
                             "one sealed at link 3: ")
    assert "requests was 4, now 1" in broken
    assert seal.SETTLED_COLUMNS >= {"stream", "stream_reason"}


def _killed_with(case: Path, paths: list[Path], options: IngestOptions) -> None:
    """As test_killed_ingest._killed, with the ingest's options (custody given)."""
    with pytest.MonkeyPatch.context() as mp, CaseFile(case) as c:
        mp.setattr(ingest, "settle", lambda *_a, **_k: ([], []))
        mp.setattr(seal.Session, "flush", lambda _self: None)
        mp.setattr(CaseFile, "_close", lambda *_a, **_k: None)
        c.ingest([str(p) for p in paths], options)


@pytest.mark.parametrize("files", [1, 3])  # a file read alone, a batch of small files
def test_a_rerun_that_does_not_give_the_killed_commands_custody_says_what_it_recorded(tmp_path: Path,
                                                                                       files: int) -> None:
    paths = [write_log(tmp_path / "logs" / f"{n}.log", [clf(f"198.51.100.{n}", t(8, 10, n), "/leak.pdf", size=5000)])
             for n in range(files)]
    custody = IngestOptions(supplied_by="Hoster BV", custody_note="USB stick 7")
    case = tmp_path / "k.duckdb"
    _killed_with(case, paths, custody)
    rerun = _cli("ingest", "--case", str(case), *map(str, paths))  # the CLI has no custody options
    assert rerun.exit_code == 0, rerun.output
    said = [ln for ln in rerun.output.splitlines() if "its never-sealed registry row" in ln]
    assert said == [f"warning: {p}: its never-sealed registry row (evidence {n + 1}, stored by a command that ended "
                    "before sealing it) recorded supplied_by 'Hoster BV', custody_note 'USB stick 7'; this ingest "
                    "gives none: the row sealed now has this ingest's (give them again to keep them)"
                    for n, p in enumerate(paths)]
    assert _query(case, "SELECT DISTINCT supplied_by FROM evidence") == [(None,)]
    # given again: nothing to say, and the custody is sealed with the file
    again = tmp_path / "again.duckdb"
    _killed_with(again, paths, custody)
    with Case(again) as c:
        result = c.ingest(paths, custody)
    assert not [w for w in result.read_warnings if "never-sealed registry row" in w]
    assert _query(again, "SELECT DISTINCT supplied_by, custody_note FROM evidence") == [("Hoster BV", "USB stick 7")]


@pytest.mark.parametrize(("edit", "said"), [
    # a byte meaning inferred, rewritten as declared: infer_facts writes no declared meaning
    ("UPDATE evidence SET bytes_basis = 'declared', bytes_meaning = 'headers+body' WHERE evidence_id = 1",
     "bytes_basis was"),
    # an inferred meaning's format_lacks rewritten: inference only swaps what the log lacks
    ("UPDATE evidence SET format_lacks = 'nothing' WHERE evidence_id = 1", "format_lacks was"),
], ids=["declared-meaning", "format-lacks"])
def test_a_forged_mark_of_running_never_blesses_an_edit_no_settling_step_writes(tmp_path: Path, edit: str,
                                                                                said: str) -> None:
    """Review: the mark of running is not sealed (anyone can write it); a recovery it started sealed any edit of a
    registry row's settled columns (a byte meaning made `declared`, format_lacks `nothing`), and `verify` then said
    the seal holds over tampered evidence. A recovery blesses only what a settling step writes for such a row."""
    logs = _overlapping_logs(tmp_path)
    case = tmp_path / "c.duckdb"
    assert _cli("ingest", "--case", str(case), str(logs), "-q").exit_code == 0
    with duckdb.connect(str(case)) as con:
        assert con.execute("SELECT bytes_basis FROM evidence WHERE evidence_id = 1").fetchone()[0] in (
            "assumed", "inferred")
        con.execute(edit)
        con.execute("INSERT INTO meta VALUES ('running', 'ingest')")
    with Case(case):
        pass  # the writable open that recovers
    found = _cli("verify", "--case", str(case))
    assert found.exit_code == 3
    (broken,) = [ln for ln in found.output.splitlines() if ln.startswith("BROKEN")]
    assert broken.startswith(f"BROKEN   evidence 1 ({logs / 'web0' / 'access.log'}): registry row differs")
    assert said in broken
