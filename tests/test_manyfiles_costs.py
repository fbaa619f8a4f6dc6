"""Many files, the costs that grew with each file (measured on 15,000 files: docs/scale.md): (1) the seal's ledger
was turned into Python four times per command (seal._ledger), now once per process and open case, and read again
when it changed; (2) `refuse_protected` resolved every evidence file's path (15,007 realpath calls), now each
folder once, with the rule kept (an output never replaces evidence: by its name, through a link, as a hard
link); (3) the JSON evidence list was formatted row by row in Python, now one query (queries/evidence_list.sql)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from exposure import Case
from exposure.errors import InputError
from exposure.outfiles import refuse_protected
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _case(tmp_path: Path, folders: int = 2, files: int = 6) -> Path:
    for f in range(folders):
        for i in range(files):
            write_log(tmp_path / "logs" / f"srv{f}" / f"access-{i}.log",
                      [clf(f"192.0.2.{i + 1}", t(8, 10 + f, i), TARGET, size=4000)])
    case = tmp_path / "leak.duckdb"
    with Case(case) as c:
        c.ingest([tmp_path / "logs"])
    return case


def _fetched(monkeypatch: pytest.MonkeyPatch, holding: str) -> list[str]:
    """The statements holding `holding` that the case's connections fetch from (CaseFile.fetchall), from now on."""
    from exposure.case import CaseFile

    seen: list[str] = []
    fetchall = CaseFile.fetchall

    def counting(self: CaseFile, sql: str, params: object = None) -> list[tuple[object, ...]]:
        if holding in sql:
            seen.append(sql)
        return fetchall(self, sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(CaseFile, "fetchall", counting)
    return seen


def test_the_ledger_is_read_once_and_again_after_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case(tmp_path)
    reads = _fetched(monkeypatch, "FROM seal_items ORDER BY")
    with Case(case) as c:
        first = c.seal_check(rows=True)
        second = c.seal_check(rows=True)
        assert first.holds and second.holds
        assert len(reads) == 1  # four before: check, sealed_state twice, the session
        c.file.execute("UPDATE seal_items SET digest = 'x' || digest WHERE seq = 1 AND item = "
                       "(SELECT min(item) FROM seal_items WHERE seq = 1)")
        third = c.seal_check(rows=False)
    assert len(reads) == 2  # the edit moved the fingerprint: read anew, and found
    assert not third.holds
    assert any("seal link 1" in f.message for f in third.findings)


def test_refuse_protected_resolves_each_folder_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case(tmp_path, folders=2, files=6)
    with Case(case, read_only=True) as c:
        protected = c.file.protected_paths()
    assert len(protected) == 14  # the case, its WAL, 12 evidence files
    calls: list[str] = []
    realpath = os.path.realpath

    def counting(path: str | os.PathLike[str], **kw: object) -> str:
        calls.append(os.fspath(path))
        return realpath(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os.path, "realpath", counting)
    outputs = [tmp_path / "out" / f"f{i}.csv" for i in range(3)]
    refuse_protected(outputs, protected, "report file")
    # the case's folder + 2 evidence folders + the WAL (no such file now: resolved by itself) + 3 outputs,
    # never one per evidence file
    assert len(calls) == 7, calls
    with pytest.raises(InputError, match="is evidence or the case itself"):
        refuse_protected([tmp_path / "logs" / "srv1" / "access-3.log"], protected, "report file")


@pytest.mark.parametrize("how", ["a linked output folder", "a link to the evidence", "a hard link"])
def test_refuse_protected_keeps_the_rule_through_links(tmp_path: Path, how: str) -> None:
    case = _case(tmp_path, folders=2, files=3)
    evidence_file = tmp_path / "logs" / "srv0" / "access-1.log"
    before = evidence_file.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    if how == "a linked output folder":
        os.symlink(tmp_path / "logs" / "srv0", out / "via")
        target = out / "via" / "access-1.log"
    elif how == "a link to the evidence":
        target = out / "report.html"
        os.symlink(evidence_file, target)
    else:
        target = out / "report.html"
        os.link(evidence_file, target)
    with Case(case, read_only=True) as c:
        with pytest.raises(InputError, match="is evidence or the case itself"):
            refuse_protected([target], c.file.protected_paths(), "report file")
        refuse_protected([out / "other.html"], c.file.protected_paths(), "report file")
    assert evidence_file.read_bytes() == before


def test_the_json_evidence_list_is_one_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.answer as answer

    case = _case(tmp_path, folders=1, files=3)

    def no_row_loop(*_a: object) -> None:
        raise AssertionError("the evidence list formats its times in Python, row by row")

    monkeypatch.setattr(answer, "iso_utc", no_row_loop, raising=False)
    with Case(case, read_only=True) as c:
        rows = answer.evidence_section(c.file)
    assert [Path(r["path"]).name for r in rows] == ["access-0.log", "access-1.log", "access-2.log"]
    assert [(r["first_time"], r["last_time"], r["lines"], r["requests"]) for r in rows] == [
        ("2020-06-08T10:00:00Z", "2020-06-08T10:00:00Z", 1, 1),
        ("2020-06-08T10:01:00Z", "2020-06-08T10:01:00Z", 1, 1),
        ("2020-06-08T10:02:00Z", "2020-06-08T10:02:00Z", 1, 1)]
    assert all(len(r["sha256"]) == 64 and r["name_time_utc"] is None for r in rows)


def _refuses(case: Path, target: Path) -> None:
    with Case(case, read_only=True) as c:
        with pytest.raises(InputError, match="is evidence or the case itself"):
            refuse_protected([target], c.file.protected_paths(), "report file")


def test_refuse_protected_follows_evidence_moved_since_ingest(tmp_path: Path) -> None:
    """Evidence moved after ingest, a link left at its old name: its new place is still the evidence."""
    case = _case(tmp_path, folders=1, files=2)
    old = tmp_path / "logs" / "srv0" / "access-1.log"
    moved = tmp_path / "archive" / "access-1.log"
    moved.parent.mkdir()
    before = old.read_bytes()
    os.rename(old, moved)
    os.symlink(moved, old)
    _refuses(case, moved)
    assert moved.read_bytes() == before


def test_refuse_protected_refuses_the_target_of_a_dangling_evidence_link(tmp_path: Path) -> None:
    """A link to a missing file is stored unresolved (os.path.abspath): writing its target would give it content."""
    (tmp_path / "logs" / "srv0").mkdir(parents=True)
    missing = tmp_path / "gone" / "access-9.log"
    missing.parent.mkdir()
    os.symlink(missing, tmp_path / "logs" / "srv0" / "access-9.log")
    case = _case(tmp_path, folders=1, files=1)
    with Case(case, read_only=True) as c:
        stored = c.file.protected_paths()
    assert str(tmp_path / "logs" / "srv0" / "access-9.log") in stored
    _refuses(case, missing)
    assert not missing.exists()


def test_refuse_protected_compares_inodes_of_single_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A case-insensitive file system (APFS, vfat, CIFS): ACCESS-1.LOG is evidence access-1.log, one link only.
    Emulated: the upper-case name stats (and opens) as the lower-case file, as such a file system answers."""
    case = _case(tmp_path, folders=1, files=2)
    folder = tmp_path / "logs" / "srv0"
    stat = os.stat

    def insensitive(path: str | os.PathLike[str], *a: object, **kw: object) -> os.stat_result:
        text = os.fspath(path)
        if os.path.dirname(text) == str(folder):
            text = os.path.join(str(folder), os.path.basename(text).lower())
        return stat(text, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", insensitive)
    assert os.stat(folder / "ACCESS-1.LOG").st_nlink == 1
    _refuses(case, folder / "ACCESS-1.LOG")


def test_a_seal_check_digests_the_tables_in_one_statement_and_labels_only_what_differs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command checks its seal three times (open, close, the check after an ingest): the settled and derived
    tables (overlap_lines, overlap_pairs, corrupted_members, the six of exposure/derived.py) are digested in one
    statement each time (it was one statement per table: nine), and an item is labelled (its path escaped for the
    terminal) only where it differs from the seal: a thousand files' registry rows that hold cost no label."""
    from exposure import seal

    case = _case(tmp_path)
    digests = _fetched(monkeypatch, "hash(*COLUMNS(*))")
    labelled: list[str] = []
    label = seal._label
    monkeypatch.setattr(seal, "_label", lambda name, paths: labelled.append(name) or label(name, paths))
    with Case(case) as c:
        held = c.seal_check(rows=False)
        assert held.holds and len(digests) == 1 and labelled == []
        assert all(f"FROM {t}" not in digests[0] for t in ("activity", "evidence"))
        assert digests[0].count("UNION ALL") == 8  # overlap_lines .. derived_rules: nine tables
        c.file.execute("INSERT INTO agent_classes (user_agent, rule) VALUES ('edited', 'x')")
        edited = c.seal_check(rows=False)
    assert [f.item for f in edited.findings] == ["agent_classes"] and labelled == ["agent_classes"]
    assert "user agents' classes kept at ingest (agent_classes) differs from the one sealed" in edited.findings[0].message
