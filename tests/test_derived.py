"""What the case keeps at ingest for every answer (exposure/derived.py): user agents' classes, client addresses'
facts and GeoIP lookups, the log streams' silences. Kept, they give exactly the answers worked out without them
(the sample case and every leak fixture, through the API and the CLI); an edit to them is caught by the seal;
a later ingest adds the values it brings; another GeoIP database or another rule is never answered from them."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case, derived
from exposure import findings as findings_mod
from exposure.analysis import clientfacts, named
from exposure.cli import app
from tests.analysis.mmdb import city_db
from tests.conftest import SAMPLE_LOGS, write_log
from tests.leak_cases import CASES, OPTIONS, TARGET
from tests.logs import clf, t

SAMPLE_TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
SAMPLE_OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",))


def _uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers work everything out again: no kept class, address fact or lookup is read, and each connection
    computes the streams' silences itself (the path of a case made before they were kept)."""
    monkeypatch.setattr(clientfacts, "_kept", lambda case: False)
    real = findings_mod.ensure_silences

    def own_silences(case: Any) -> None:
        if not case.fetchone("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                             [derived.SILENCES])[0]:
            case.execute(f"CREATE TEMP TABLE {derived.SILENCES} AS {derived.silences_sql()}")
        real(case)

    monkeypatch.setattr(named, "ensure_silences", own_silences)
    monkeypatch.setattr("exposure.findings.ensure_silences", own_silences)


def _answer(path: Path, target: str, options: AnalysisOptions) -> dict[str, Any]:
    with Case(path, read_only=True) as case:
        return case.analyse([target], options)


@pytest.fixture(scope="module")
def leak_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, leak in CASES.items():
        work = tmp_path_factory.mktemp(name.replace("%", "pct"))
        with Case(work / "case.duckdb") as case:
            case.ingest([leak.write(work)], leak.ingest)
        out[name] = work / "case.duckdb"
    return out


def test_the_sample_case_keeps_its_answer_from_what_is_kept(sample_case_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _answer(sample_case_path, SAMPLE_TARGET, SAMPLE_OPTIONS)
    with monkeypatch.context() as m:
        _uncached(m)
        worked_out = _answer(sample_case_path, SAMPLE_TARGET, SAMPLE_OPTIONS)
    assert kept == worked_out
    totals = kept["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (11, 7)
    classes = {p["client_ip"]: p["client_class"] for p in kept["targets"][0]["per_ip"]}
    assert len(set(classes.values())) > 1  # classes came from the kept rows, not all 'unknown'


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_leak_fixture_answers_the_same_from_what_is_kept(name: str, leak_cases: dict[str, Path],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _answer(leak_cases[name], TARGET, OPTIONS)
    with monkeypatch.context() as m:
        _uncached(m)
        worked_out = _answer(leak_cases[name], TARGET, OPTIONS)
    assert kept == worked_out
    expected = CASES[name].expected
    if expected is not None:
        totals = kept["targets"][0]["totals"]
        assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"],
                totals["internal_complete_downloads"]) == expected


def test_the_cli_answers_the_same_from_what_is_kept(sample_case_path: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def cli(case: Path, out: Path) -> dict[str, Any]:
        result = CliRunner().invoke(app, ["analyse", str(SAMPLE_LOGS), "--case", str(case), "--target", SAMPLE_TARGET,
                                          "--internal", "203.0.113.0/24", "--json", str(out), "-q"],
                                    env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return json.loads(out.read_text(encoding="utf-8"))

    shutil.copy(sample_case_path, tmp_path / "kept.duckdb")
    shutil.copy(sample_case_path, tmp_path / "own.duckdb")
    kept = cli(tmp_path / "kept.duckdb", tmp_path / "kept.json")
    with monkeypatch.context() as m:
        _uncached(m)
        worked_out = cli(tmp_path / "own.duckdb", tmp_path / "own.json")
    assert kept == worked_out
    assert kept["targets"][0]["totals"]["complete_downloads"] == 11


def test_kept_classes_and_lookups_are_used_not_worked_out_again(sample_case_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer on a case that keeps them classifies no agent, describes no address and opens no GeoIP
    database; under another rule (another tool or data version) it works every one out again."""
    calls: list[str] = []
    import exposure.clients as clients
    import exposure.geo as geo

    for module, name in ((clients, "agent_row"), (clients, "address_facts"), (geo, "open_database")):
        real = getattr(module, name)

        def counting(*args: Any, _real: Any = real, _name: str = name) -> Any:
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(module, name, counting)
    _answer(sample_case_path, SAMPLE_TARGET, SAMPLE_OPTIONS)
    assert calls == []
    derived.rule.cache_clear()
    monkeypatch.setattr(derived, "rule", lambda: "another rule")
    _answer(sample_case_path, SAMPLE_TARGET, SAMPLE_OPTIONS)
    assert {"agent_row", "address_facts"} <= set(calls)


def test_files_on_classes_kept_under_another_rule_classifies_them_until_an_ingest_keeps_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`files` reads the classes kept at ingest (agent_classes); on a case whose classes were kept under another
    rule (an older exposure or its data) it classifies every agent of the case itself, each time it runs (it opens
    the case read-only). An ingest, a re-run of the same logs too, keeps them under this rule: then `files`
    classifies none. Measured on 200,000 lines, 100,000 paths, 20,000 agents (/tmp/filesfix/big): 20,000 agents
    classified and ~22 s more on every `files` run before; the re-run ingest classifies them once. Red before the
    mend: the re-run ingest kept none under this rule (derived.refresh returned early: 0 rows, not 3)."""
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("198.51.100.1", t(8, 10), "/x.pdf", size=10, ua="Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"),
        clf("198.51.100.2", t(8, 11), "/x.pdf", size=10, ua="curl/7.68.0"),
        clf("198.51.100.3", t(8, 12), "/y.pdf", size=10, ua="Wget/1.20.3 (linux-gnu)")])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
    import exposure.clients as clients

    classified: list[str | None] = []
    real = clients.agent_row
    monkeypatch.setattr(clients, "agent_row", lambda ua, *a: (classified.append(ua), real(ua, *a))[1])
    derived.rule.cache_clear()
    monkeypatch.setattr(derived, "rule", lambda: "another rule")  # this version's rule is not the case's

    def files_classifies() -> int:
        classified.clear()
        with Case(tmp_path / "case.duckdb", read_only=True) as case:
            assert len(case.files()) == 2
        return len(classified)

    assert files_classifies() == 3
    assert files_classifies() == 3  # every run: nothing kept by a read-only door
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])  # the same logs: already in the case
        assert case.file.seal_check().holds
        assert case.file.fetchone("SELECT count(*) FROM agent_classes WHERE rule = 'another rule'")[0] == 3
    assert files_classifies() == 0


def test_another_geoip_database_is_looked_up_not_read_from_the_case(sample_case_path: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The case keeps the default database's lookups; --geoip-city with another database gives that database's
    facts (the same as without anything kept), and the answer names it by its SHA-256."""
    with Case(sample_case_path, read_only=True) as case:
        clients = [r[0] for r in case.file.fetchall("SELECT DISTINCT client FROM requests WHERE client IS NOT NULL")]
    city = city_db(tmp_path / "city.mmdb", datetime(2021, 1, 5),
                   {f"{c}/{128 if ':' in c else 32}": ("AQ", "McMurdo", 7) for c in clients})
    options = AnalysisOptions(internal=("203.0.113.0/24",), geoip_city=str(city))
    kept = _answer(sample_case_path, SAMPLE_TARGET, options)
    with monkeypatch.context() as m:
        _uncached(m)
        worked_out = _answer(sample_case_path, SAMPLE_TARGET, options)
    assert kept == worked_out
    target = kept["targets"][0]
    assert [d["path"] for d in target["geoip_databases"]] == [str(city)]
    public = [p for p in target["per_ip"] if p["network_type"] == "public"]
    assert public and all(p["country"] == "AQ" and p["city"] == "McMurdo" for p in public)


@pytest.mark.parametrize("table, edit", [
    ("agent_classes", "UPDATE agent_classes SET client_class = 'browser' WHERE client_class <> 'browser'"),
    ("address_facts", "UPDATE address_facts SET network_type = 'private' WHERE network_type = 'public'"),
    ("address_geo", "UPDATE address_geo SET country = 'AQ' WHERE found"),
    ("stream_silences", "DELETE FROM stream_silences WHERE gap_minutes > 60"),
])
def test_an_edited_cache_is_caught_by_the_seal(table: str, edit: str, sample_case_copy: Path) -> None:
    with Case(sample_case_copy, read_only=True) as case:
        assert case.file.seal_check().holds
    con = duckdb.connect(str(sample_case_copy))
    assert con.execute(edit).fetchone()[0] > 0  # rows changed
    con.close()
    with Case(sample_case_copy, read_only=True) as case:
        check = case.verify()
        answer = case.analyse([SAMPLE_TARGET], SAMPLE_OPTIONS)
    assert [f.item for f in check.seal.findings] == [table]
    assert derived.LABELS[table] in check.seal.findings[0].message
    assert not answer["evidence_status"]["complete"]
    assert [f["kind"] for f in answer["findings"] if f["severity"] == "incomplete"] == [
        "case changed outside exposure"]


def test_a_later_ingest_adds_its_agents_and_addresses(tmp_path: Path) -> None:
    first = write_log(tmp_path / "a" / "access.log", [
        clf("198.51.100.1", t(8, 10), "/x.pdf", size=10, ua="Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"),
        clf("198.51.100.2", t(8, 11), "/x.pdf", size=10, ua="curl/7.68.0"),
    ])
    second = write_log(tmp_path / "b" / "access.log", [
        clf("198.51.100.2", t(9, 10), "/x.pdf", size=10, ua="curl/7.68.0"),
        clf("2001:db8::7", t(9, 11), "/x.pdf", size=10, ua="Wget/1.20.3 (linux-gnu)"),
        clf("84.29.143.61", t(9, 12), "/x.pdf", size=10, ua="Mozilla/5.0 (compatible; Googlebot/2.1; "
                                                            "+http://www.google.com/bot.html)"),
    ])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([first])
        before = case.file.fetchall("SELECT * FROM agent_classes ORDER BY user_agent")
        clients_before = case.file.fetchall("SELECT * FROM address_facts ORDER BY client")
        case.ingest([second])
        agents = dict(case.file.fetchall("SELECT user_agent, client_class FROM agent_classes"))
        clients = dict(case.file.fetchall("SELECT client, network_type FROM address_facts"))
        kept_before = [r for r in case.file.fetchall("SELECT * FROM agent_classes ORDER BY user_agent")
                       if r[0] in {b[0] for b in before}]
        assert case.file.seal_check().holds
    assert len(before) == 2 and len(clients_before) == 2
    assert kept_before == before  # what was kept stays as it was
    assert agents["Wget/1.20.3 (linux-gnu)"] == "tool" and agents["curl/7.68.0"] == "tool"
    assert agents["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"] == "crawler"
    assert clients == {"198.51.100.1": "reserved", "198.51.100.2": "reserved", "2001:db8::7": "reserved",
                       "84.29.143.61": "public"}


# The rule of queries/gaps.sql as it was before the silences were kept: every line of a stream, each time; and the
# silence at a stream's edge where the evidence goes on before or after it (readfixB).
REFERENCE_GAPS = """
WITH lines AS (
    SELECT e.stream, e.server, r.ts_utc, r.evidence_id, r.line_no FROM evidence e JOIN requests r USING (evidence_id)
    WHERE e.verdict = 'ingested' AND e.stream IS NOT NULL
), ordered AS (
    SELECT stream, server, ts_utc AS gap_start, evidence_id AS start_evidence_id, line_no AS start_line_no,
           lead(ts_utc) OVER w AS gap_end, lead(evidence_id) OVER w AS end_evidence_id,
           lead(line_no) OVER w AS end_line_no
    FROM lines WINDOW w AS (PARTITION BY stream ORDER BY ts_utc, evidence_id, line_no)
), days AS (
    SELECT stream, CAST(gap_start AS DATE) AS day, max(gap_end - gap_start) AS longest
    FROM ordered WHERE gap_end IS NOT NULL GROUP BY ALL
), usual AS (
    SELECT d.stream, CASE WHEN count(*) >= 3 THEN median(epoch(d.longest)) / 60.0 END AS usual_silence_minutes
    FROM days d JOIN (SELECT stream, min(day) AS first_day, max(day) AS last_day FROM days GROUP BY stream) b
    USING (stream) WHERE d.day > b.first_day AND d.day < b.last_day GROUP BY d.stream
), thresholds AS (
    SELECT s.stream, u.usual_silence_minutes,
           greatest($gap_minutes::DOUBLE, coalesce($gap_factor::DOUBLE * u.usual_silence_minutes, 0)) AS threshold_minutes
    FROM (SELECT DISTINCT stream FROM ordered) s LEFT JOIN usual u USING (stream)
), marks AS (         -- a line as (time, evidence id, line number): the evidence's and each stream's first and last
    SELECT stream, server, struct_pack(t := ts_utc, e := evidence_id, n := line_no) AS line FROM lines
), ev AS (
    SELECT min(line) AS lo, max(line) AS hi FROM marks
), sb AS (
    SELECT stream, server, min(line) AS lo, max(line) AS hi FROM marks GROUP BY stream, server
), spans AS (       -- between lines of the stream, and (readfixB) from its last line to the evidence's last and
    -- from the evidence's first line to its first
    SELECT stream, server, gap_start, gap_end, start_evidence_id, start_line_no, end_evidence_id, end_line_no,
           NULL AS edge FROM ordered WHERE gap_end IS NOT NULL
    UNION ALL
    SELECT stream, server, sb.hi.t, ev.hi.t, sb.hi.e, sb.hi.n, ev.hi.e, ev.hi.n, 'after its last line'
    FROM sb, ev WHERE date_diff('second', sb.hi.t, ev.hi.t) > 60
    UNION ALL
    SELECT stream, server, ev.lo.t, sb.lo.t, ev.lo.e, ev.lo.n, sb.lo.e, sb.lo.n,
           'before its first line'
    FROM sb, ev WHERE date_diff('second', ev.lo.t, sb.lo.t) > 60
)
SELECT o.stream, o.server, o.gap_start, o.gap_end, date_diff('second', o.gap_start, o.gap_end) / 60.0,
       t.threshold_minutes, t.usual_silence_minutes, o.start_evidence_id, o.start_line_no, o.end_evidence_id,
       o.end_line_no, o.edge
FROM spans o JOIN thresholds t USING (stream)
WHERE date_diff('second', o.gap_start, o.gap_end) / 60.0 > t.threshold_minutes
ORDER BY stream, gap_start
"""


@pytest.mark.parametrize("gap_minutes, gap_factor", [(60, 2.0), (1, 2.0), (5, 0.5), (120, 1.0), (1, 0.01)])
def test_gaps_from_the_kept_silences_are_the_gaps_of_every_line(gap_minutes: int, gap_factor: float,
                                                                 sample_case_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        case.gaps(gap_minutes, gap_factor)  # defines evidence_gaps over the kept silences
        kept = case.file.fetchall("SELECT * FROM evidence_gaps($gap_minutes, $gap_factor) ORDER BY stream, gap_start",
                                  {"gap_minutes": gap_minutes, "gap_factor": gap_factor})
        reference = case.file.fetchall(REFERENCE_GAPS, {"gap_minutes": gap_minutes, "gap_factor": gap_factor})
    assert kept == reference
    assert reference or gap_minutes > 1  # the low thresholds find gaps in the sample logs


def test_an_ingest_goes_on_when_the_default_geoip_database_is_not_there(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A database named by the environment that is not there costs the ingest nothing: no lookup is kept, and
    the answer (here with the lookups switched off) is the one worked out without anything kept."""
    monkeypatch.setenv("EXPOSURE_GEOIP_CITY", str(tmp_path / "missing.mmdb"))
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("84.29.143.61", t(8, 10), "/x.pdf", size=10), clf("198.51.100.2", t(8, 11), "/x.pdf", size=10)])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        assert case.file.fetchall("SELECT count(*) FROM address_geo") == [(0,)]
        assert case.file.fetchall("SELECT count(*) FROM address_facts") == [(2,)]
    options = AnalysisOptions(geoip_city="none")
    kept = _answer(tmp_path / "case.duckdb", "/x.pdf", options)
    with monkeypatch.context() as m:
        _uncached(m)
        assert _answer(tmp_path / "case.duckdb", "/x.pdf", options) == kept
    assert kept["targets"][0]["totals"]["complete_downloads"] == 2


def test_a_kept_table_of_other_columns_is_worked_out_again(sample_case_path: Path, sample_case_copy: Path) -> None:
    """A case whose kept silences have other columns (another version, or an edit) still gets the gaps of
    every line, worked out for the answer; the edit is said (the seal)."""
    con = duckdb.connect(str(sample_case_copy))
    con.execute("ALTER TABLE stream_silences DROP COLUMN kind")
    con.close()
    plain = _answer(sample_case_path, SAMPLE_TARGET, AnalysisOptions(gap_minutes=5))
    edited = _answer(sample_case_copy, SAMPLE_TARGET, AnalysisOptions(gap_minutes=5))
    assert edited["targets"][0]["gaps"] == plain["targets"][0]["gaps"]
    gaps = [f for f in plain["findings"] if f["kind"] == "gap"]
    assert gaps and [f for f in edited["findings"] if f["kind"] == "gap"] == gaps
    assert "case changed outside exposure" in [f["kind"] for f in edited["findings"]]


def test_silences_an_older_rule_made_are_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review of readfixB: a case ingested by an older version kept its silences (refresh recomputed them only when
    the files or the columns changed), so an old case never got a changed rule's gaps. The query's SHA-256 is kept
    beside them (the table derived_rules): an answer on the case works out this rule's silences, and the next
    ingest makes them again, under the seal."""
    web2 = ([clf("198.51.100.9", at, "/") for at in (t(8, 0), t(8, 1), t(8, 2))]
            + [clf("198.51.100.7", "01/Jan/1970:01:00:00 +0100", "/")]
            + [clf("198.51.100.9", at, "/") for at in (t(8, 3), t(8, 4), t(8, 14))])
    write_log(tmp_path / "logs" / "web2" / "access.log", web2)
    write_log(tmp_path / "logs" / "web1" / "access.log", [clf("198.51.100.9", t(8, h), "/") for h in (9, 12, 14)])
    def web1_edges(case: Case) -> list[tuple[Any, ...]]:
        return case.file.fetchall("SELECT gap_start, gap_end FROM stream_silences WHERE stream = 'web1/access.log' "
                                  "AND kind = 'start'")

    # the older rule here counts the stray line alone: no stream has an edge
    older = derived.silences_sql().replace("WHERE NOT coalesce(j.stray, false)", "WHERE coalesce(j.stray, false)")
    assert older != derived.silences_sql()
    with monkeypatch.context() as m:  # the case as an older version made it: its rule, its key
        m.setattr(derived, "silences_sql", lambda: older)
        m.setattr(derived, "silences_key", lambda: "an older rule")
        with Case(tmp_path / "case.duckdb") as case:
            case.ingest([tmp_path / "logs"])
            assert web1_edges(case) == []

    with Case(tmp_path / "case.duckdb", read_only=True) as case:
        case.gaps()
        assert web1_edges(case) == [(datetime(2020, 6, 8, 0), datetime(2020, 6, 8, 9))]  # this rule's, for the answer
        assert case.seal_check().holds  # its own copy shadows the kept table: the seal digests the kept one
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])  # the same files: only the rule changed
        assert case.file.fetchall(derived.KEPT_KEY_SQL) == [(derived.silences_key(),)]
        assert web1_edges(case) == [(datetime(2020, 6, 8, 0), datetime(2020, 6, 8, 9))]
        assert case.file.fetchall("SELECT table_name FROM duckdb_tables() "  # kept: main, no copy of this rule's
                                  "WHERE temporary AND table_name = 'stream_silences'") == []
        assert case.seal_check().holds


@pytest.mark.parametrize("table, edit", [
    ("derived_rules", "UPDATE derived_rules SET rule = repeat('0', 64)"),
    ("stream_silences", "DELETE FROM stream_silences WHERE kind = 'silence'"),
])
def test_an_ingest_does_not_mend_an_edited_rule_key_unsaid(table: str, edit: str, tmp_path: Path) -> None:
    """Review of edgefix/crcedge F5: an edit to the sealed derived_rules made refresh take the kept silences for
    another rule's and make them again, writing back the sealed key: the ingest of the same inputs said nothing and
    the edit was gone. An edited key is said as an edit to the silences is: it is left as found, never recomputed
    over, and the seal names it after the ingest."""
    write_log(tmp_path / "logs" / "web1" / "access.log", [clf("198.51.100.9", t(8, h), "/") for h in (9, 12, 14)])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        assert case.seal_check().holds
    con = duckdb.connect(str(tmp_path / "case.duckdb"))
    con.execute(edit)
    con.close()
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])  # the same inputs
        check = case.seal_check()
    assert [f.item for f in check.findings] == [table]
