"""The sealed case: edits made with a DuckDB connection, as an attacker would, are found and named by verify,
flagged by analyse and on the report's first page (exit 3); the seal holds on an honest case, reruns give the
same bytes, a digest kept outside catches a rewritten chain."""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.report import ReportSettings, parse_pin_time
from tests.conftest import SAMPLE_LOGS

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
INTERNAL = "203.0.113.0/24"
PIN = "2020-08-01T12:00:00Z"


def _cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args), terminal_width=400)


def _attack(case: Path, *statements: str) -> None:
    """What an attacker with the case file and DuckDB does: plain SQL, no exposure involved."""
    with duckdb.connect(str(case)) as con:
        for sql in statements:
            con.execute(sql)


def _target_rows(case: Path, where: str) -> list[tuple[int, int, str]]:
    with duckdb.connect(str(case), read_only=True) as con:
        return con.execute(f"SELECT r.evidence_id, r.line_no, e.path FROM requests r JOIN evidence e USING "
                           f"(evidence_id) WHERE r.path = '{TARGET}' AND {where} ORDER BY r.ts_utc").fetchall()


def _totals(case: Path) -> tuple[int, int, int, dict]:
    """analyse on the case: exit code, complete downloads, external addresses and the answer's seal."""
    result = _cli("analyse", str(SAMPLE_LOGS), "--case", str(case), "--target", TARGET, "--internal", INTERNAL,
                  "--json", str(case.parent / "a.json"), "-q")
    answer = json.loads((case.parent / "a.json").read_text())
    totals = answer["targets"][0]["totals"]
    return result.exit_code, totals["complete_downloads"], totals["distinct_ips"], answer["seal"]


def test_honest_case_holds(sample_case_copy: Path) -> None:
    ok = _cli("verify", "--case", str(sample_case_copy))
    assert ok.exit_code == 0, ok.output
    assert "links hold, every stored row re-hashed" in ok.output and "BROKEN" not in ok.output
    code, complete, ips, seal = _totals(sample_case_copy)
    assert (code, complete, ips) == (0, 11, 7)
    assert seal["holds"] and seal["findings"] == [] and len(seal["digest"]) == 64
    with Case(sample_case_copy, read_only=True) as case:
        check = case.seal_check(rows=True)
    assert check.holds and check.evidence_digest == seal["digest"] and check.links > 1


def test_two_200s_to_404_and_a_deleted_row_are_named(sample_case_copy: Path) -> None:
    complete = _target_rows(sample_case_copy, "status = 200 AND bytes = 71577 AND method = 'GET' "
                                              "AND client NOT LIKE '203.0.113.%'")
    (e1, l1, p1), (e2, l2, _p2), (e3, l3, p3) = complete[0], complete[3], complete[6]
    with duckdb.connect(str(sample_case_copy), read_only=True) as con:
        stores = [r[0] for r in con.execute("SELECT table_name FROM request_stores").fetchall()]
    _attack(sample_case_copy, *[statement for store in stores for statement in (
        f"UPDATE {store} SET status = 404 WHERE (evidence_id, line_no) IN (({e1}, {l1}), ({e2}, {l2}))",
        f"DELETE FROM {store} WHERE evidence_id = {e3} AND line_no = {l3}")])
    bad = _cli("verify", "--case", str(sample_case_copy))
    assert bad.exit_code == 3, bad.output
    broken = [line for line in bad.output.splitlines() if line.startswith("BROKEN")]
    assert len(broken) == len({e1, e2, e3}), bad.output  # one line per evidence file whose rows changed
    text = "\n".join(broken)
    assert f"evidence {e1} ({p1}): request rows differ from the seal in lines" in text
    assert f"evidence {e3} ({p3}): request rows" in text
    assert f"no request, rejected or skipped row for line {l3}" in text  # the deleted row, exactly
    ranges = [(int(a), int(b)) for named in re.findall(r"in lines ([0-9, -]+)", text)
              for a, b in re.findall(r"(\d+)-(\d+)", named)]
    assert all(any(a <= line <= b for a, b in ranges) for line in (l1, l2, l3)), text
    assert "the case's seal does not hold" in bad.output
    # analyse finds it from the row counts (cheap): flagged, exit 3, the figures still shown
    code, complete_n, ips, seal = _totals(sample_case_copy)
    assert code == 3 and complete_n < 11
    assert not seal["holds"] and any(f"evidence {e3}" in f and "rows sealed" in f for f in seal["findings"])
    status = json.loads((sample_case_copy.parent / "a.json").read_text())["evidence_status"]
    assert not status["complete"] and "case changed outside exposure" in status["checked"]
    (finding,) = [f for f in status["findings"] if f["kind"] == "case changed outside exposure"]
    # one finding for the case (not one per file repeating the same samples): what it counts names the files
    assert finding["severity"] == "incomplete" and finding["count"] == 1
    named = re.search(r"changed after they were sealed: evidence ([0-9, -]+)", finding["detail"])
    assert named, finding["detail"]
    ids = {n for part in named.group(1).strip(" ,").split(", ")
           for n in range(int(part.split("-")[0]), int(part.split("-")[-1]) + 1)}
    assert ids == {e3}  # the row counts (analyse's cheap check) see the deleted row, not the edited values


def test_rewritten_evidence_hash_is_named_with_both_values(sample_case_copy: Path) -> None:
    with duckdb.connect(str(sample_case_copy), read_only=True) as con:
        evid, path, sha = con.execute("SELECT evidence_id, path, sha256 FROM evidence WHERE verdict = 'ingested' "
                                      "ORDER BY evidence_id LIMIT 1").fetchone()
    _attack(sample_case_copy, f"UPDATE evidence SET sha256 = '{'0' * 64}' WHERE evidence_id = {evid}")
    bad = _cli("verify", "--case", str(sample_case_copy))
    assert bad.exit_code == 3
    assert (f"BROKEN   evidence {evid} ({path}): registry row differs from the one sealed at link"
            in bad.output)
    assert f"sha256 was '{sha}', now '{'0' * 64}'" in bad.output


def test_edited_activity_entry_is_named_and_never_blessed(sample_case_copy: Path) -> None:
    _attack(sample_case_copy, "UPDATE activity SET detail = 'nothing to see' WHERE seq = 1")
    code, complete, ips, seal = _totals(sample_case_copy)  # a new command writes a link after the edit
    assert code == 3 and (complete, ips) == (11, 7)
    assert any(f.startswith("activity entry 1 differs") for f in seal["findings"])
    bad = _cli("verify", "--case", str(sample_case_copy))
    assert bad.exit_code == 3
    assert "activity entry 1 differs from the one sealed at link" in bad.output
    assert "detail was 'sample_logs', now 'nothing to see'" in bad.output.replace(str(SAMPLE_LOGS), "sample_logs")


@pytest.mark.parametrize("statement, named", [
    pytest.param("CREATE OR REPLACE VIEW requests AS SELECT * FROM requests_core WHERE status <> 200",
                 "the case's table, view and macro definitions differ", id="view-replaced"),
    pytest.param("INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no) "
                 "SELECT evidence_id, line_no, evidence_id, line_no FROM requests_core "
                 "LIMIT 3", "the repeated lines counted once (overlap_lines) differs", id="rows-hidden-as-overlap"),
    pytest.param("INSERT INTO activity VALUES (99, now(), 'x', 'ingest', 'forged')",
                 "activity entry 99 not sealed", id="entry-added"),
    pytest.param("DELETE FROM seal_items WHERE item LIKE 'activity:%'", "does not hold", id="ledger-edited"),
    # link 2 is a file link or the ingest's own, as the ingest's time decides (one file link per 2 s of it)
    pytest.param("UPDATE seal_links SET note = 'x' WHERE seq = 2", re.compile(r"seal link 2 (\(activity entry 1\) )?does not hold"),
                 id="link-edited"),
    pytest.param("UPDATE row_blocks SET rows = rows + 1 WHERE block = 0 AND kind = 'requests'",
                 "their digests kept at ingest differ", id="row-digests-edited"),
])
def test_other_edits_are_named(sample_case_copy: Path, statement: str, named: str | re.Pattern[str]) -> None:
    _attack(sample_case_copy, statement)
    bad = _cli("verify", "--case", str(sample_case_copy))
    assert bad.exit_code == 3, bad.output
    assert (named.search(bad.output) if isinstance(named, re.Pattern) else named in bad.output), bad.output


def test_a_rewritten_chain_is_caught_by_the_digest_kept_outside(sample_case_copy: Path, tmp_path: Path) -> None:
    with Case(sample_case_copy, read_only=True) as case:
        kept = case.seal_check().evidence_digest
    anchored = _cli("verify", "--case", str(sample_case_copy), "--anchor", kept)
    assert anchored.exit_code == 0 and "the digest kept outside is link" in anchored.output
    # the attacker rebuilds the whole case (re-ingest with the evidence he wants): a valid seal, another chain
    forged = tmp_path / "forged.duckdb"
    with Case(forged) as case:
        case.ingest([SAMPLE_LOGS / "web1"])
    alone = _cli("verify", "--case", str(forged))
    assert alone.exit_code == 0, alone.output  # what the seal cannot see by itself
    caught = _cli("verify", "--case", str(forged), "--anchor", kept)
    assert caught.exit_code == 3 and "is no link of this case's seal" in caught.output


def test_row_digests_reproducible_across_cases(tmp_path: Path) -> None:
    digests = []
    for name, extra in (("a", []), ("b", [SAMPLE_LOGS / "web2"])):
        with Case(tmp_path / f"{name}.duckdb") as case:
            case.ingest([*extra, SAMPLE_LOGS / "web1" / "access.log"])
            digests.append(case.con.execute(
                "SELECT i.item, i.rows, i.digest FROM seal_items i JOIN evidence e "
                "ON i.item IN ('requests:' || e.evidence_id, 'rejects:' || e.evidence_id) "
                "WHERE e.path LIKE '%web1/access.log' ORDER BY i.item").fetchall())
    assert [(item.split(":")[0], rows, d) for item, rows, d in digests[0]] == \
        [(item.split(":")[0], rows, d) for item, rows, d in digests[1]]
    assert digests[0][1][1] > 100  # requests


def test_report_states_the_digest_and_reruns_give_the_same_bytes(sample_case_copy: Path, tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"r{i}"
        with Case(sample_case_copy) as case:
            from exposure import AnalysisOptions

            case.report([TARGET], out, AnalysisOptions(internal=(INTERNAL,)),
                        ReportSettings(pin_time=parse_pin_time(PIN), pdf=False))
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]
    with Case(sample_case_copy, read_only=True) as case:
        check = case.seal_check(rows=True)
    html = outs[0]["report.html"].decode()
    cover = html.split('id="cover"', 1)[1].split("</section>", 1)[0]
    assert f"<code class=\"hash\">{check.evidence_digest}</code>" in cover
    assert 'id="seal-alert"' not in html
    assert json.loads(outs[0]["analysis.json"])["evidence_status"]["complete"]
    assert json.loads(outs[0]["analysis.json"])["seal"]["digest"] == check.evidence_digest


@pytest.mark.usefixtures("html_only_reports")
def test_report_flags_a_broken_seal_on_page_one(sample_case_copy: Path, tmp_path: Path) -> None:
    _attack(sample_case_copy, "DELETE FROM requests_core WHERE rowid = (SELECT min(rowid) + 4 FROM requests_core)")
    result = _cli("report", "--case", str(sample_case_copy), "--target", TARGET, "--out", str(tmp_path / "r"),
                  "--pin-time", PIN)
    assert result.exit_code == 3, result.output
    assert "WARNING: the case was changed outside exposure" in result.output
    html = (tmp_path / "r" / "report.html").read_text()
    cover = html.split('id="cover"', 1)[1].split("</section>", 1)[0]
    # page 1's seal box says it and counts the differences; it names them while its room lasts (report/alerts.py:
    # this case's page 1 is full), the report's answer (analysis.json) and `exposure verify` name every one
    assert 'id="seal-alert"' in cover and "1 difference found when this report was made" in cover
    answer = json.loads((tmp_path / "r" / "analysis.json").read_text())
    assert any("request rows differ from the seal in lines" in f for f in answer["seal"]["findings"])


def test_verify_on_read_only_media(sample_case_copy: Path, tmp_path: Path) -> None:
    media = tmp_path / "media"
    media.mkdir()
    case = media / "case.duckdb"
    shutil.copy(sample_case_copy, case)
    case.chmod(0o444)
    media.chmod(0o555)
    try:
        before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in media.iterdir()}
        result = _cli("verify", "--case", str(case))
        assert result.exit_code == 0, result.output  # as root too: DuckDB's read-only mode writes nothing
        assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in media.iterdir()} == before
        assert stat.S_IMODE(case.stat().st_mode) == 0o444
    finally:
        media.chmod(0o755)


def test_a_registry_row_a_command_changes_is_sealed_with_its_new_content(sample_case_copy: Path) -> None:
    """A command's session writes each registry row's canonical JSON once and reuses it while DuckDB's hash of
    the row is unchanged: a row the command itself changes (as settle's citation rule does) is digested anew."""
    with Case(sample_case_copy) as case:
        with case.file.sealing("custody", "note added"):
            case.file.execute("UPDATE evidence SET custody_note = 'received 2020-08-03, USB stick 4' "
                              "WHERE evidence_id = 1")
        sealed = case.con.execute("SELECT content FROM seal_items WHERE item = 'evidence:1' "
                                  "ORDER BY seq DESC LIMIT 1").fetchone()[0]
        check = case.seal_check(rows=False)
    assert "received 2020-08-03, USB stick 4" in sealed
    assert check.holds, [f.message for f in check.findings]


def test_row_blocks_rewritten_for_exactly_the_files_named(sample_case_copy: Path) -> None:
    """write_blocks names its files as a range when they are consecutive, else as a list: either way the blocks
    of exactly those files are replaced, the other files' blocks stay as they were sealed."""
    from exposure import rowdigest

    with Case(sample_case_copy) as case:
        ids = [r[0] for r in case.con.execute("SELECT DISTINCT evidence_id FROM row_blocks ORDER BY 1").fetchall()]
        assert len(ids) >= 4
        case.con.execute("UPDATE row_blocks SET hash_xor = 0")  # what write_blocks replaces is told apart
        rowdigest.write_blocks(case.file, [ids[2], ids[0]])
        rowdigest.write_blocks(case.file, [ids[3]])
        rewritten = {r[0] for r in case.con.execute("SELECT DISTINCT evidence_id FROM row_blocks "
                                                    "WHERE hash_xor <> 0").fetchall()}
        kept = case.con.execute("SELECT count(*) FROM row_blocks WHERE evidence_id = ?", [ids[1]]).fetchone()[0]
    assert rewritten == {ids[0], ids[2], ids[3]}
    assert kept > 0  # the file between them keeps its (untouched) blocks


def test_a_new_cases_first_command_starts_from_its_creation_unless_written_since(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The first command on a case created by the same process starts from what the creation sealed (the case
    is not read again: one small_items less); an edit made through the raw connection in between is still never
    sealed by that command, and verify names it."""
    from exposure import seal

    calls: list[int] = []
    counted = seal.small_items
    monkeypatch.setattr(seal, "small_items", lambda *a, **k: calls.append(1) or counted(*a, **k))
    with Case(tmp_path / "fresh.duckdb") as case:
        case.ingest([SAMPLE_LOGS])
    assert len(calls) == 2  # the creation's link and the ingest's closing link; not the ingest's start
    assert _cli("verify", "--case", str(tmp_path / "fresh.duckdb")).exit_code == 0

    with Case(tmp_path / "edited.duckdb") as case:
        case.con.execute("INSERT INTO activity VALUES (99, now(), 'x', 'ingest', 'forged')")
        case.ingest([SAMPLE_LOGS])
    bad = _cli("verify", "--case", str(tmp_path / "edited.duckdb"))
    assert bad.exit_code == 3 and "activity entry 99 not sealed" in bad.output, bad.output


def test_a_seal_check_reads_the_sealed_items_once(sample_case_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chain and the sealed state are checked against one read of `seal_items` (its content column is every
    registry row's canonical JSON: a thousand small files' worth was read twice by each check), and the check
    still names an edit."""
    from exposure import seal

    reads: list[int] = []
    ledger = seal._ledger
    monkeypatch.setattr(seal, "_ledger", lambda *a, **k: reads.append(1) or ledger(*a, **k))
    with Case(sample_case_copy) as case:
        lines = case.con.execute("SELECT lines FROM evidence WHERE evidence_id = 2").fetchone()[0]
        reads.clear()  # opening the case reads them too (a command that did not finish is looked for)
        assert case.seal_check().holds
        assert len(reads) == 1
        case.con.execute("UPDATE evidence SET lines = lines + 1 WHERE evidence_id = 2")
        broken = case.seal_check()
    assert len(reads) == 2
    assert [f.item for f in broken.findings] == ["evidence:2"]
    assert f"lines was {lines}, now {lines + 1}" in broken.findings[0].message
