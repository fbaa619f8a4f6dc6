"""Finding evidence: never aborts, never hides. Unreadable files and folders, special files, folder links and
loops, the case's own files and exposure's own output."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from exposure import discovery
from exposure.discovery import EvidenceFile, Unreadable, discover
from exposure.errors import InputError

LOG = b'84.29.143.61 - - [08/Jun/2020:14:12:18 +0200] "GET /a HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n'


def _tree(root: Path) -> Path:
    (root / "logs" / "web1").mkdir(parents=True)
    (root / "logs" / "web1" / "access.log").write_bytes(LOG)
    (root / "logs" / "web2").mkdir()
    (root / "logs" / "web2" / "access.log").write_bytes(LOG)
    return root / "logs"


def _shown(found: discovery.Discovery) -> list[tuple[str, str]]:
    return [(type(item).__name__, item.path) for item, _ in found.items]


def test_special_files_are_unreadable_not_read(tmp_path: Path) -> None:
    logs = _tree(tmp_path)
    os.mkfifo(logs / "web1" / "pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(logs / "web1" / "sock"))
        found = discover([logs])
    kinds = {item.path: item for item, _ in found.items}
    pipe, sock_item = kinds[f"{logs}/web1/pipe"], kinds[f"{logs}/web1/sock"]
    assert isinstance(pipe, Unreadable) and pipe.reason == "a named pipe (FIFO), not a regular file: not read"
    assert isinstance(sock_item, Unreadable) and sock_item.reason.startswith("a socket")
    assert [p for p, item in kinds.items() if isinstance(item, EvidenceFile)] == [f"{logs}/web1/access.log",
                                                                              f"{logs}/web2/access.log"]


def test_unlistable_folder_and_unopenable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EACCES simulated at the two places it happens (listing a folder, opening a file), so this holds as root."""
    logs = _tree(tmp_path)
    real_scandir, real_open = os.scandir, discovery.described.__globals__["open_evidence"]

    def scandir(path):  # noqa: ANN001, ANN202
        if Path(path) == logs / "web2":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def open_evidence(path):  # noqa: ANN001, ANN202
        if Path(path).name == "secret.log":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path)

    (logs / "web1" / "secret.log").write_bytes(LOG)
    monkeypatch.setattr(discovery.os, "scandir", scandir)
    monkeypatch.setattr("exposure.evidence.open_evidence", open_evidence)
    found = discover([logs])
    assert _shown(found) == [("EvidenceFile", f"{logs}/web1/access.log"),
                             ("Unreadable", f"{logs}/web1/secret.log"), ("Unreadable", f"{logs}/web2")]
    secret, folder = (item for item, _ in found.items if isinstance(item, Unreadable))
    assert (secret.kind, secret.reason, secret.size_bytes) == ("file", "permission denied", len(LOG))
    assert (folder.kind, folder.reason) == ("folder", "folder cannot be listed: permission denied")
    assert folder.abs_path == str(logs / "web2") and folder.server == "logs"


def without_permission_override(args: list[str]) -> list[str]:
    """`args` run so that file modes apply: as is for a normal user; for root, through setpriv without the
    capabilities that let root read and list anything (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    if os.geteuid() != 0:
        return args
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be made to apply")
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", *args]


def test_real_permissions(tmp_path: Path) -> None:
    logs = _tree(tmp_path)
    (logs / "web1" / "access.log").chmod(0)
    (logs / "web2").chmod(0)
    code = ("import json, sys; from exposure.discovery import discover; "
            "print(json.dumps([(type(i).__name__, i.path, getattr(i, 'reason', None)) "
            "for i, _ in discover([sys.argv[1]]).items]))")
    try:
        done = subprocess.run(without_permission_override([sys.executable, "-c", code, str(logs)]),
                              capture_output=True, text=True, timeout=120)
    finally:
        (logs / "web1" / "access.log").chmod(0o644)
        (logs / "web2").chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [["Unreadable", f"{logs}/web1/access.log", "permission denied"],
                                       ["Unreadable", f"{logs}/web2", "folder cannot be listed: permission denied"]]


def test_folder_links_followed_once_and_loops_named(tmp_path: Path) -> None:
    logs = _tree(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "old.log").write_bytes(LOG)
    (logs / "linked").symlink_to(elsewhere, target_is_directory=True)
    (logs / "web1" / "loop").symlink_to(logs, target_is_directory=True)
    (logs / "web2" / "again").symlink_to(logs / "web1", target_is_directory=True)
    (logs / "gone.log").symlink_to(tmp_path / "nowhere.log")
    found = discover([logs])
    assert _shown(found) == [("Unreadable", f"{logs}/gone.log"), ("EvidenceFile", f"{logs}/linked/old.log"),
                             ("EvidenceFile", f"{logs}/web1/access.log"), ("EvidenceFile", f"{logs}/web2/access.log")]
    gone = found.items[0][0]
    assert gone.reason == f"a link to a missing file ({tmp_path / 'nowhere.log'})"
    assert found.notes == [f"folder link {logs}/web1/loop loops back to {logs}: not followed again",
                           f"folder {logs}/web2/again is the same folder as {logs}/web1: read once, there"]
    assert found.files[0][0].server == "linked"  # the folder as walked, not where the link points


def test_the_case_and_exposure_output_are_not_evidence(tmp_path: Path) -> None:
    logs = _tree(tmp_path)
    case = logs / "case.duckdb"
    for name in ("case.duckdb", "case.duckdb.wal"):
        (logs / name).write_bytes(b"x" * 100)
    (logs / "case.duckdb.tmp").mkdir()
    (logs / "case.duckdb.tmp" / "spill.bin").write_bytes(b"x")
    report = logs / "report"
    report.mkdir()
    (report / "report.html").write_text('<html><head><meta name="generator" content="exposure 0.9">')
    (report / "analysis.json").write_text('{\n  "schema": "exposure.analysis/1"\n}\n')
    (report / "MANIFEST.sha256").write_text("0" * 64 + "  analysis.json\n" + "0" * 64 + "  report.html\n")
    (report / "notes.log").write_bytes(LOG)  # not in the manifest: evidence like any other file
    (logs / "answer.json").write_text('{\n  "schema": "exposure.analysis/1",\n  "tool": {}\n}\n')
    found = discover([logs], own=[str(case), f"{case}.wal", f"{case}.tmp"])
    assert [p for _, p in _shown(found)] == [f"{logs}/report/notes.log", f"{logs}/web1/access.log",
                                             f"{logs}/web2/access.log"]
    assert found.notes == [f"not evidence: {logs}/answer.json is output written by exposure",
                           f"not evidence: {logs}/case.duckdb is the open case's own file",
                           f"not evidence: {logs}/case.duckdb.tmp is the open case's temporary folder",
                           f"not evidence: {logs}/case.duckdb.wal is the open case's own file",
                           f"not evidence: 3 files of an exposure report in {logs}/report"]


def test_paths_as_given_plus_sub_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = discover(["logs/", "./logs/web1/access.log"])
    assert [p for _, p in _shown(found)] == ["logs/web1/access.log", "logs/web2/access.log"]
    with pytest.raises(InputError, match="no such file or directory: nothing"):
        discover(["nothing"])


def test_a_file_link_to_a_file_read_already_is_named(tmp_path: Path) -> None:
    """Red team 11: a link to a file of the folder (the same file under a second name) was passed over in silence
    when the file came first (web1/inlink.log -> access.log: never named, by no door), while a folder link to a
    folder read already is named. It is read once, at the name met first, and the other name is said."""
    logs = _tree(tmp_path)
    (logs / "web1" / "inlink.log").symlink_to("access.log")
    (logs / "web1" / "a-link.log").symlink_to("access.log")  # sorts first: read there, through a link
    found = discover([logs, logs / "web2" / "access.log"])
    assert _shown(found) == [("EvidenceFile", f"{logs}/web1/a-link.log"), ("EvidenceFile", f"{logs}/web2/access.log")]
    assert found.notes == [f"file {logs}/web1/access.log is the same file as {logs}/web1/a-link.log: read once, there",
                           f"file {logs}/web1/inlink.log is the same file as {logs}/web1/a-link.log: read once, there",
                           f"file {logs}/web2/access.log is given again: read once"]


def test_a_file_that_became_a_fifo_after_it_was_found_does_not_hang(tmp_path: Path) -> None:
    """Red team 11: discovery stats a file and refuses a named pipe, but the file is opened later (hashing, the
    parse): a regular file replaced by a FIFO in between (a hostile delivery, a link retargeted) blocked the open
    for ever, no writer ever coming. The race is simulated by a discovery that sees every file as regular; the
    open itself must refuse what is not a regular file, at once, and the file is said as unreadable."""
    logs = _tree(tmp_path)
    os.mkfifo(logs / "web1" / "pipe.log")
    code = ("import json, sys\n"
            "from exposure import discovery\n"
            "discovery.special_kind = lambda mode: None  # the stat saw a regular file: the FIFO came after\n"
            "from exposure import Case\n"
            "with Case(sys.argv[1]) as case:\n"
            "    result = case.ingest([sys.argv[2]])\n"
            "print(json.dumps(sorted([f.path, f.verdict, f.reason or ''] for f in result.files)))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "c.duckdb"), str(logs)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [f"{logs}/web1/pipe.log", "unreadable", "a named pipe (FIFO), not a regular file: not read"] in rows, rows


@pytest.mark.parametrize("pipe", ["report.html", "MANIFEST.sha256"])
def test_a_named_pipe_under_a_report_name_does_not_hang(tmp_path: Path, pipe: str) -> None:
    """Review of red team 11: discovery looks into report.html and MANIFEST.sha256 to tell an exposure report's
    own files from evidence; it opened them with a plain open, so a named pipe under either name blocked the ingest
    for ever. They are opened as evidence is (open_evidence): refused at once, and the folder read as any other."""
    logs = _tree(tmp_path)
    for name in ("report.html", "MANIFEST.sha256"):
        if name == pipe:
            os.mkfifo(logs / name)
        else:
            (logs / name).write_text("x  report.html\n" if name == "MANIFEST.sha256" else "<html></html>\n")
    done = subprocess.run([sys.executable, "-m", "exposure", "ingest", "--case", str(tmp_path / "c.duckdb"),
                           str(logs)], capture_output=True, text=True, timeout=60)
    assert "a named pipe (FIFO), not a regular file: not read" in done.stdout + done.stderr, done.stdout


def test_a_name_met_again_for_what_was_not_read_says_not_read(tmp_path: Path) -> None:
    """Red team 11 review: a broken link and a pipe given twice were said 'given again: read once', though never
    read; a link to a pipe was keyed on its own path (files on the path resolved) and so met as a second pipe.
    Now: 'not read', with the reason said already."""
    logs = tmp_path / "logs"
    logs.mkdir()
    os.mkfifo(logs / "pipe")
    (logs / "to-pipe").symlink_to("pipe")
    (logs / "broken.log").symlink_to("gone.log")
    found = discover([logs / "broken.log", logs / "broken.log", logs / "pipe", logs / "to-pipe"])
    assert _shown(found) == [("Unreadable", f"{logs}/broken.log"), ("Unreadable", f"{logs}/pipe")]
    assert found.notes == [
        f"file {logs}/broken.log is given again: not read (a link to a missing file (gone.log))",
        f"file {logs}/to-pipe is the same file as {logs}/pipe: not read (a named pipe (FIFO), not a regular file: "
        "not read), there"]


def test_a_hard_link_is_the_same_file(tmp_path: Path) -> None:
    """Red team 11 review: a hard link (a second name, one inode) was read and hashed twice and shown as a content
    duplicate, where the README says a file met again through a link is read once: it is the same file, by its
    device and inode as a folder is."""
    logs = _tree(tmp_path)
    os.link(logs / "web1" / "access.log", logs / "web1" / "hard.log")
    found = discover([logs])
    assert _shown(found) == [("EvidenceFile", f"{logs}/web1/access.log"), ("EvidenceFile", f"{logs}/web2/access.log")]
    assert found.notes == [f"file {logs}/web1/hard.log is the same file as {logs}/web1/access.log: read once, there"]


@pytest.mark.parametrize("order", ["folder-first", "file-first"])
def test_a_file_given_by_name_is_held_to_it_wherever_it_was_met(tmp_path: Path, order: str) -> None:
    """Red team 11 review: `ingest od od/notes.txt` read notes.txt as a file of the folder (not a log: passed
    over, exit 0) while `ingest od/notes.txt od` failed 'not an access log': a file given by name is held to
    that wherever it is met first."""
    logs = _tree(tmp_path)
    named = logs / "web1" / "access.log"
    found = discover([logs, named] if order == "folder-first" else [named, logs])
    assert [(item.path, explicit) for item, explicit in found.items if item.abs_path == str(named)] == [
        (str(named), True)]


def test_a_folder_that_cannot_be_listed_met_again_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Red team 11 review: a folder that could not be listed, given again, was said 'the same folder as ...: read
    once, there'. It is said not read, with the reason, as a folder."""
    logs = _tree(tmp_path)
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "web2":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    found = discover([logs, logs / "web2"])
    assert ("Unreadable", f"{logs}/web2") in _shown(found)
    assert found.notes == [f"folder {logs}/web2 is given again: not read (folder cannot be listed: permission "
                           "denied)"]
