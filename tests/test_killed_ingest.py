"""An ingest killed (SIGKILL, power loss) after it stored a batch of files and before its first seal link: the
case held evidence no link ever sealed. A rerun said "already in case" and exit 0 (silent), and every later
`analyse` printed one "case changed outside exposure" line per file, each repeating the same three samples.
Now a rerun of the same files reads them again and seals them (and says so), an ingest into a case whose seal
still does not hold exits 3 with one line, and the seal's finding is one for the case.

The kill is simulated without a process to kill: the files are stored by the ingest layer alone
(`ingest_paths`, no seal session), which is what the case holds when the command dies between the batch's
commit and its first link (see the module's README section "Evidence integrity")."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import Case, ingest, seal
from exposure.case import CaseFile
from exposure.cli import app
from exposure.report.alerts import SEAL_SHOWN
from tests.conftest import write_log
from tests.logs import clf, t

FILES = 6


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), terminal_width=400)


def _logs(root: Path, files: int = FILES) -> Path:
    """Small files (read in one batch), one with a rejected line, the last a copy of the first elsewhere."""
    for f in range(files - 1):
        lines = [clf(f"198.51.100.{f * 10 + i}", t(8 + f, 10, i), "/leak.pdf", size=5000) for i in range(5)]
        if f == 2:
            lines.append("this is not a request line")
        write_log(root / "logs" / f"web{f}" / "access.log", lines)
    copy = root / "logs" / "zcopy" / "access.log"
    copy.parent.mkdir(parents=True)
    copy.write_bytes((root / "logs" / "web0" / "access.log").read_bytes())
    return root / "logs"


def _killed(case: Path, *inputs: Path) -> None:
    """What a killed ingest leaves: the case created and sealed, the command begun (as the real one begins it),
    the files stored, no link for them, and the steps over the whole case (`settle`: overlaps, streams, derived
    tables) and the closing transaction not run: it died before them."""
    with pytest.MonkeyPatch.context() as mp, CaseFile(case) as c:
        mp.setattr(ingest, "settle", lambda *_a, **_k: ([], []))
        mp.setattr(seal.Session, "flush", lambda _self: None)
        mp.setattr(CaseFile, "_close", lambda *_a, **_k: None)
        c.ingest([str(p) for p in inputs])


def _killed_one_line_files(root: Path, files: int) -> Path:
    """A case killed after it stored `files` files of one request each (two differences each: registry, rows)."""
    for f in range(files):
        write_log(root / "logs" / f"web{f:02d}" / "access.log",
                  [clf(f"198.51.100.{f}", t(8, 10, f), "/leak.pdf", size=5000)])
    _killed(root / "k.duckdb", root / "logs")
    return root / "k.duckdb"


def _rows(case: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(case), read_only=True) as con:
        return con.execute("SELECT path, sha256, verdict, lines, requests, rejected, skipped, "
                           "(SELECT path FROM evidence o WHERE o.evidence_id = e.duplicate_of) FROM evidence e "
                           "ORDER BY path").fetchall()


def _query(case: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(case), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_rerun_reads_never_sealed_files_again_seals_them_and_says_so(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    assert _cli("ingest", "--case", str(tmp_path / "clean.duckdb"), str(logs)).exit_code == 0
    case = tmp_path / "killed.duckdb"
    _killed(case, logs)
    before = _cli("verify", "--case", str(case))
    assert before.exit_code == 3 and "registry row not sealed" in before.output

    rerun = _cli("ingest", "--case", str(case), str(logs))
    said = (f"evidence 1-{FILES} were stored by a command that ended before sealing them: read again from their "
            "files and sealed")
    assert rerun.exit_code == 0, rerun.output
    assert said in rerun.output and "already in case" not in rerun.output
    assert _cli("verify", "--case", str(case)).exit_code == 0
    # the link that seals them and the activity log say it too
    assert any(said in note for (note,) in _query(case, "SELECT note FROM seal_links"))
    assert any(said in detail for (detail,) in _query(case, "SELECT detail FROM activity WHERE command = 'ingest'"))
    # the same files, ids, counts, duplicates and answer as a clean ingest
    assert _rows(case) == _rows(tmp_path / "clean.duckdb")
    assert [r[0] for r in _query(case, "SELECT evidence_id FROM evidence ORDER BY 1")] == list(range(1, FILES + 1))
    with Case(case, read_only=True) as c, Case(tmp_path / "clean.duckdb", read_only=True) as clean:
        assert c.analyse(["/leak.pdf"])["targets"] == clean.analyse(["/leak.pdf"])["targets"]
    # a second rerun finds them sealed: already in case, nothing said about them
    again = _cli("ingest", "--case", str(case), str(logs))
    assert again.exit_code == 0 and f"{FILES} files already in case" in again.output and said not in again.output


def test_a_large_file_read_alone_is_read_again_too(tmp_path: Path) -> None:
    """A file past SMALL_FILE is stored in a transaction of its own (ingest_file), not in a batch."""
    from exposure.ingest import SMALL_FILE

    lines = [clf(f"198.51.100.{i % 250}", t(8, i // 3600, i // 60 % 60, i % 60), f"/p/{i}") for i in range(9000)]
    big = write_log(tmp_path / "logs" / "access.log", lines)
    assert big.stat().st_size > SMALL_FILE
    case = tmp_path / "k.duckdb"
    _killed(case, big)
    rerun = _cli("ingest", "--case", str(case), str(big))
    assert rerun.exit_code == 0, rerun.output
    assert "evidence 1 was stored by a command that ended before sealing it: read again from its file" in rerun.output
    assert _query(case, "SELECT evidence_id, lines, requests FROM evidence") == [(1, 9000, 9000)]
    assert _cli("verify", "--case", str(case)).exit_code == 0


def test_a_file_not_given_again_stays_unsealed_named_and_the_ingest_exits_3(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    case = tmp_path / "k.duckdb"
    _killed(case, logs)
    # only web0 again: its copy (zcopy, evidence 6, a duplicate of evidence 1) and the others stay as they were
    part = _cli("ingest", "--case", str(case), str(logs / "web0"))
    assert part.exit_code == 3, part.output
    lines = [ln for ln in part.output.splitlines() if "case changed outside exposure" in ln]
    assert len(lines) == 1 and "exposure verify" in lines[0]
    assert "differences never sealed" in lines[0] and "evidence 2-6" in lines[0]
    assert "evidence 1 was stored by a command that ended before sealing it" in part.output
    # web0's file read again keeps its id (it was stored as evidence 7, the next one); its copy still names it
    assert _query(case, "SELECT evidence_id, duplicate_of FROM evidence WHERE path LIKE '%zcopy%'") == [(6, 1)]
    assert _query(case, "SELECT count(*) FROM evidence WHERE evidence_id = 1 AND path LIKE '%web0%'") == [(1,)]
    assert _query(case, "SELECT max(evidence_id) FROM evidence") == [(6,)]
    assert _cli("ingest", "--case", str(case), str(logs / "web0")).exit_code == 3
    # the rest given again: everything sealed, the copy still a duplicate of web0's file
    rest = _cli("ingest", "--case", str(case), str(logs))
    assert rest.exit_code == 0, rest.output
    assert "evidence 2-6 were stored by a command that ended before sealing them" in rest.output
    assert _cli("verify", "--case", str(case)).exit_code == 0
    web0, dup = _query(case, "SELECT (SELECT evidence_id FROM evidence WHERE path LIKE '%web0%'), "
                             "(SELECT duplicate_of FROM evidence WHERE path LIKE '%zcopy%')")[0]
    assert web0 == dup == 1


def test_a_row_that_was_sealed_and_changed_is_never_blessed_by_a_rerun(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    case = tmp_path / "c.duckdb"
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0
    with duckdb.connect(str(case)) as con:  # an edit with another tool, after the seal
        con.execute("UPDATE evidence SET requests = 4 WHERE evidence_id = 2")
    rerun = _cli("ingest", "--case", str(case), str(logs))
    assert rerun.exit_code == 3, rerun.output
    assert f"{FILES} files already in case" in rerun.output and "read again" not in rerun.output
    (line,) = [ln for ln in rerun.output.splitlines() if "case changed outside exposure" in ln]
    assert "1 difference changed after they were sealed: evidence 2" in line and "exposure verify" in line
    assert _query(case, "SELECT requests FROM evidence WHERE evidence_id = 2") == [(4,)]  # kept as it is, named
    assert _cli("verify", "--case", str(case)).exit_code == 3


def test_the_seal_finding_is_one_for_the_case_and_the_terminal_is_capped(tmp_path: Path) -> None:
    case = _killed_one_line_files(tmp_path, 30)
    result = _cli("analyse", "--case", str(case), "--target", "/leak.pdf", "--json", str(tmp_path / "a.json"))
    assert result.exit_code == 3
    lines = [ln for ln in result.output.splitlines() if "changed outside exposure" in ln]
    # one finding line and 10 warnings with the count of the rest: was 30 finding lines and 60 warnings
    assert len([ln for ln in lines if ln.startswith("incomplete:")]) == 1
    assert len([ln for ln in lines if ln.startswith("WARNING:")]) == 11
    assert "WARNING: the case was changed outside exposure: 50 more differences" in result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    found = [f for f in answer["findings"] if f["kind"] == "case changed outside exposure"]
    assert len(found) == 1 and "60 differences never sealed" in found[0]["detail"]
    assert "evidence 1-30" in found[0]["detail"]
    assert len(answer["seal"]["findings"]) == 60  # the JSON keeps every one
    (status,) = [g for g in answer["evidence_status"]["findings"] if g["kind"] == "case changed outside exposure"]
    assert status["count"] == 1
    # the command that did not finish is noted once in the activity log, not on every writable open again
    assert _cli("analyse", "--case", str(case), "--target", "/leak.pdf").exit_code == 3
    assert _query(case, "SELECT command FROM activity") == [("recovered",), ("analyse",), ("analyse",)]


def test_ctrl_c_while_the_case_is_being_created_leaves_no_case_and_the_next_ingest_makes_it(tmp_path: Path) -> None:
    """SIGINT as soon as the case file appears (its creation under way): exit 130, the file holds no case (an
    empty database, said in one line by a command that reads it), and the next ingest creates it whole."""
    logs = _logs(tmp_path)
    case = tmp_path / "c.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "exposure.cli", "ingest", "--case", str(case), str(logs), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while not case.exists() and proc.poll() is None:
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=120)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert code in (0, 130), err  # 0: it had finished first (a fast machine)
    if code == 130:
        assert err.strip().splitlines()[-1].startswith("exposure: interrupted (Ctrl-C)"), err
    rerun = _cli("ingest", "--case", str(case), str(logs))
    assert rerun.exit_code == 0, rerun.output
    assert _cli("verify", "--case", str(case)).exit_code == 0
    assert _query(case, "SELECT count(*) FROM evidence") == [(FILES,)]


@pytest.mark.usefixtures("html_only_reports")  # its report's HTML is read; the PDF is tests/report's
def test_the_report_says_the_seal_in_one_sentence_and_names_the_differences_that_fit(tmp_path: Path) -> None:
    case = _killed_one_line_files(tmp_path, 4)
    result = _cli("report", "--case", str(case), "--target", "/leak.pdf", "--out", str(tmp_path / "r"),
                  "--pin-time", "2020-08-01T12:00:00Z")
    assert result.exit_code == 3, result.output
    cover = (tmp_path / "r" / "report.html").read_text().split('id="cover"', 1)[1].split("</section>", 1)[0]
    # said once on page 1, by the seal's alert box (report/alerts.py): the status list leaves it to the box (it was
    # one line per file, then one line beside the box)
    assert cover.count('<li class="incomplete" data-kind="case changed outside exposure"') == 0
    assert cover.count('id="seal-alert"') == 1
    alert = cover.split('id="seal-alert"', 1)[1].split("</div>", 1)[0]
    # 8 differences: named while page 1's budget has room (report/alerts.py), at most SEAL_SHOWN, the rest counted
    named = alert.count("<li>")
    assert 1 <= named <= SEAL_SHOWN and f"and {8 - named} more: the evidence register (section 9), the JSON answer (seal.findings)" in alert


def test_a_seal_item_written_outside_under_any_name_is_a_finding_never_a_crash(tmp_path: Path) -> None:
    """An item named `evidence:x` written into the ledger with another tool: every command says the seal does not
    hold (exit 3); none fails on the name (it was `ValueError: invalid literal for int()`, exit 2, and an ingest
    that had stored its files then said 'nothing ingested')."""
    logs = _logs(tmp_path)
    case = tmp_path / "c.duckdb"
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0
    with duckdb.connect(str(case)) as con:
        con.execute("INSERT INTO seal_items VALUES (2, 'evidence:x', 1, 'ab', NULL)")
    for args in (("analyse", "--case", str(case), "--target", "/leak.pdf"), ("ingest", "--case", str(case), str(logs))):
        result = _cli(*args)
        assert result.exit_code == 3, result.output
        (line,) = [ln for ln in result.output.splitlines() if ln.startswith("incomplete: case changed outside")]
        assert "sealed and now missing: evidence x" in line
        assert "stream None" not in result.output  # a finding of no file and no stream names neither


def _overlapping_logs(root: Path) -> Path:
    """Four small files, the fourth repeating the first's lines (a rotated copy that grew): overlaps to settle."""
    first = [clf(f"198.51.100.{i}", t(8, 10, i), "/leak.pdf", size=5000) for i in range(4)]
    for f in range(3):
        write_log(root / "logs" / f"web{f}" / "access.log",
                  first if f == 0 else [clf(f"203.0.113.{f * 10 + i}", t(9 + f, 10, i), "/leak.pdf", size=5000)
                                        for i in range(4)])
    write_log(root / "logs" / "web3" / "access.log",
              [*first, *(clf(f"192.0.2.{i}", t(8, 11, i), "/leak.pdf", size=5000) for i in range(2))])
    return root / "logs"


def test_a_rerun_killed_again_after_a_recovery_is_settled_and_noted_again(tmp_path: Path) -> None:
    """Killed, recovered by a writable open (recovered_through 4), the re-run (files 1-4 forgotten and stored
    again as 1-4) killed again: the next open found no id above 4 and settled nothing (overlap_lines 0, the
    repeated lines counted twice: 21 downloads for 16, no note of the second kill). A command begun and not
    closed is found whatever its ids."""
    logs = _overlapping_logs(tmp_path)
    clean = tmp_path / "clean.duckdb"
    assert _cli("ingest", "--case", str(clean), str(logs)).exit_code == 0
    case = tmp_path / "k.duckdb"
    _killed(case, logs)
    with CaseFile(case):  # a writable open: the recovery
        pass
    assert _query(case, "SELECT count(*) FROM overlap_lines")[0][0] > 0
    _killed(case, logs)  # the re-run, killed after its batch committed
    with Case(case) as c:
        answer = c.analyse(["/leak.pdf"])
        with Case(clean, read_only=True) as cl:
            assert answer["targets"] == cl.analyse(["/leak.pdf"])["targets"]
    assert _query(case, "SELECT count(*) FROM overlap_lines") == _query(clean, "SELECT count(*) FROM overlap_lines")
    assert [c for (c,) in _query(case, "SELECT command FROM activity ORDER BY seq")].count("recovered") == 2
    assert _query(case, "SELECT count(*) FROM meta WHERE key = 'running'") == [(0,)]


def test_a_file_read_again_keeps_its_id_and_a_moved_id_is_named_with_its_path(tmp_path: Path) -> None:
    """Killed ingest of a, b, c (evidence 1-3); `ingest a c`: evidence 3 (was c) became a and c became 4, and the
    note 'evidence 1, 3 ... (now evidence 3, 4)' paired two sorted lists. Each file read again keeps its id."""
    paths = []
    for n, name in enumerate("abc"):
        paths.append(write_log(tmp_path / "logs" / f"{name}.log",
                               [clf(f"198.51.100.{n * 10 + i}", t(8 + n, 10, i), "/leak.pdf", size=5000)
                                for i in range(3)]))
    case = tmp_path / "k.duckdb"
    _killed(case, *paths)
    rerun = _cli("ingest", "--case", str(case), str(paths[0]), str(paths[2]))
    assert rerun.exit_code == 3, rerun.output  # b (evidence 2) is still not sealed
    assert ("evidence 1, 3 were stored by a command that ended before sealing them: read again from their files "
            "and sealed") in rerun.output and "now evidence" not in rerun.output
    assert _query(case, "SELECT evidence_id, path FROM evidence ORDER BY 1") == [
        (1, str(paths[0])), (2, str(paths[1])), (3, str(paths[2]))]
    # where an id does change (two never-sealed rows of one file: it keeps the first), old and new with the path
    from exposure.seal import read_again_said
    assert read_again_said([([1], 1, "a.log"), ([3, 5], 3, "c.log"), ([4], 6, "d.log")]) == (
        "evidence 1, 3-5 were stored by a command that ended before sealing them: read again from their files and "
        "sealed (evidence 3, 5 now evidence 3: c.log; evidence 4 now evidence 6: d.log)")


def test_an_ingest_after_a_killed_inspect_keeps_the_inspected_document(tmp_path: Path) -> None:
    """`inspect` killed after its register committed, before its link: an ingest of a folder holding the document
    removed evidence 1 (verdict 'inspected') as a never-sealed file, while inspections row 1 still named it."""
    logs = _logs(tmp_path, 2)
    doc = logs / "published.csv"
    doc.write_text("name,email\nJan Jansen,jan@example.org\nPiet Puk,piet@example.org\n", encoding="utf-8")
    case = tmp_path / "k.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(CaseFile, "_close", lambda *_a, **_k: None)
        with Case(case) as c:
            c.inspect(doc)
    assert _query(case, "SELECT evidence_id, verdict FROM evidence") == [(1, "inspected")]
    result = _cli("ingest", "--case", str(case), str(logs))
    assert result.exit_code == 3, result.output  # the document's row is still not sealed: said, not removed
    assert _query(case, "SELECT evidence_id, verdict FROM evidence WHERE path LIKE '%published.csv'") == [
        (1, "inspected")]
    assert _query(case, "SELECT i.inspection_id, e.verdict FROM inspections i JOIN evidence e USING (evidence_id)") \
        == [(1, "inspected")]


def test_a_file_that_changed_since_it_was_stored_is_said_to_need_a_new_case(tmp_path: Path) -> None:
    """A never-sealed file whose content changed since (a live log that grew: a new SHA-256) is never read again
    in its place; every command said 'an ingest of the same files reads them again and seals them'."""
    log = write_log(tmp_path / "logs" / "access.log",
                    [clf(f"198.51.100.{i}", t(8, 10, i), "/leak.pdf", size=5000) for i in range(3)])
    case = tmp_path / "k.duckdb"
    _killed(case, log)
    with log.open("a", encoding="utf-8") as f:
        f.write(clf("198.51.100.9", t(8, 11, 0), "/leak.pdf", size=5000) + "\n")
    rerun = _cli("ingest", "--case", str(case), str(log))
    assert rerun.exit_code == 3, rerun.output
    assert _query(case, "SELECT evidence_id, lines FROM evidence ORDER BY 1") == [(1, 3), (2, 4)]  # both kept
    (line,) = [ln for ln in rerun.output.splitlines() if ln.startswith("incomplete: case changed outside")]
    assert ("one whose content changed since (a new SHA-256: a live log that grew) or that was unreadable when "
            "stored cannot be mended so: only a new case from the same files seals it") in line
    assert "evidence 1" in line


def test_a_recovery_killed_before_its_closing_transaction_leaves_nothing_said_and_runs_again(tmp_path: Path) -> None:
    """The recovery wrote meta.recovered_through in a commit of its own, before its link: killed between the two,
    the next open took the files as said and noted nothing. Now it is written in the recovery's closing
    transaction: killed before it, nothing of it is kept but the mark, and the next open recovers."""
    case = _killed_one_line_files(tmp_path, 3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(CaseFile, "_close", lambda *_a, **_k: None)
        with CaseFile(case):  # the recovery, killed before its closing transaction
            pass
    assert _query(case, "SELECT key FROM meta WHERE key IN ('recovered_through', 'running')") == [("running",)]
    with CaseFile(case):
        pass
    assert _query(case, "SELECT value FROM meta WHERE key = 'recovered_through'") == [("3",)]
    (detail,) = _query(case, "SELECT detail FROM activity WHERE command = 'recovered'")[0]
    assert "a command (ingest) did not finish" in detail and "evidence 1-3 stored but not sealed" in detail


def test_a_mark_of_running_written_outside_is_never_quoted_into_the_sealed_log(tmp_path: Path) -> None:
    """The mark of running is not sealed (a state, not evidence): text written into it with another tool was
    copied into the sealed activity entry of the recovery ('a command (ingest FORGED: ...) did not finish'). Only a
    command's name is said; the recovery still runs and says that a command did not finish."""
    logs = _logs(tmp_path)
    case = tmp_path / "c.duckdb"
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0
    with duckdb.connect(str(case)) as con:
        con.execute("INSERT INTO meta VALUES ('running', 'ingest FORGED: the analyst deleted evidence 3')")
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0
    [(detail,)] = _query(case, "SELECT detail FROM activity WHERE command = 'recovered'")
    assert "FORGED" not in detail
    assert detail.startswith("a command (its mark of running names no command exposure writes: not quoted) did not "
                             "finish")
    assert _cli("verify", "--case", str(case)).exit_code == 0


def test_verify_of_a_case_a_command_did_not_finish_says_so(tmp_path: Path) -> None:
    """A read-only open cannot recover a command that did not finish: `verify` said 'the case's seal holds' and
    nothing else while the steps over the whole case may not have run; it says so and what settles it."""
    logs = _logs(tmp_path)
    case = tmp_path / "c.duckdb"
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0
    with duckdb.connect(str(case)) as con:
        con.execute("INSERT INTO meta VALUES ('running', 'ingest')")
    result = _cli("verify", "--case", str(case))
    assert result.exit_code == 0, result.output  # every file and the seal hold
    assert "warning: a command (ingest) did not finish (interrupted or killed)" in result.output
    assert _cli("ingest", "--case", str(case), str(logs)).exit_code == 0  # the writable open settles it
    assert "did not finish" not in _cli("verify", "--case", str(case)).output


def test_files_read_again_beside_new_ones_are_counted_as_a_clean_ingest_counts_them(tmp_path: Path) -> None:
    """Killed ingest of b, c (evidence 1, 2); the re-run gives a folder with a new file a before them. A batch of
    small files takes consecutive ids (its line keys ascend): a new file (3) and files read again (1, 2) in one
    batch left every count of the batch wrong. Files read again batch together in their ids' order; the registry's
    counts are those of a clean ingest, and every file is sealed."""
    logs = tmp_path / "logs"
    for n, name in enumerate("abc"):
        write_log(logs / f"{name}.log", [clf(f"198.51.100.{n * 10 + i}", t(8 + n, 10, i), "/leak.pdf", size=5000)
                                         for i in range(3 + n)])
    case = tmp_path / "k.duckdb"
    _killed(case, logs / "b.log", logs / "c.log")
    rerun = _cli("ingest", "--case", str(case), str(logs))
    assert rerun.exit_code == 0, rerun.output
    assert _query(case, "SELECT evidence_id, path, lines, requests FROM evidence ORDER BY 1") == [
        (1, str(logs / "b.log"), 4, 4), (2, str(logs / "c.log"), 5, 5), (3, str(logs / "a.log"), 3, 3)]
    assert _query(case, "SELECT evidence_id, count(*) FROM requests GROUP BY 1 ORDER BY 1") == [(1, 4), (2, 5), (3, 3)]
    assert _cli("verify", "--case", str(case)).exit_code == 0
