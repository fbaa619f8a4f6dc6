"""What makes the first answer fast must not change it (issue 19): the download rule's steps kept per target,
client facts and size options; the JSON written by orjson; DuckDB's memory bounded on every connection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exposure import AnalysisOptions, Case
from exposure.answer import answer_json

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def test_the_rule_is_computed_again_when_its_inputs_change(sample_case_path: Path) -> None:
    """One Case, one target, asked again with another size and other internal ranges: each answer is the one a
    fresh case gives (a rule kept from the earlier question would give the earlier numbers)."""
    plain = AnalysisOptions(internal=("203.0.113.0/24",))
    sized = AnalysisOptions(internal=("203.0.113.0/24",), size=1_000)
    staff = AnalysisOptions(internal=("0.0.0.0/0",))
    with Case(sample_case_path, read_only=True) as case:
        kept = [case.analysis.totals(TARGET, o) for o in (plain, sized, staff, plain)]
    fresh = []
    for o in (plain, sized, staff):
        with Case(sample_case_path, read_only=True) as case:
            fresh.append(case.analysis.totals(TARGET, o))
    assert kept == [*fresh, fresh[0]]
    assert fresh[0]["complete_downloads"] == 11 and fresh[1] != fresh[0] and fresh[2] != fresh[0]


def test_answer_json_is_the_standard_encoders_bytes(sample_case_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        answer = case.analyse([TARGET], AnalysisOptions())
    text = answer_json(answer)
    assert text == json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(text) == json.loads(json.dumps(answer))
    assert answer_json({1: "a key that is no string"}) == '{\n  "1": "a key that is no string"\n}\n'


def test_every_case_connection_has_a_memory_limit(sample_case_copy: Path) -> None:
    for read_only in (True, False):
        with Case(sample_case_copy, read_only=read_only) as case:
            limit = case.file.fetchone("SELECT current_setting('memory_limit')")[0]
            number, unit = limit.split()
            assert unit in ("MiB", "MB") and float(number) <= 1024, limit


_ANSWER_IMPORTS = """
import sys
from typer.testing import CliRunner
from exposure.cli import app
result = CliRunner().invoke(app, ["analyse", sys.argv[1], "--case", sys.argv[2], "--target", sys.argv[3],
                                  "--internal", "203.0.113.0/24", "--json", sys.argv[4], "-q"])
assert result.exit_code == 0, result.output
print("loaded", *sorted(m for m in sys.modules if m.split(".")[0] == "pandas" or m == "pyarrow.compute"))
"""


def test_the_answer_imports_no_pandas(sample_case_copy: Path, tmp_path: Path) -> None:
    """`analyse` (open the case, client facts, every query, the JSON) reads its rows from Arrow and DuckDB: pandas'
    import alone (0.17-0.26 s) was a fifth of the first answer on 2 M lines. The answer it writes is still the
    sample's (11 complete downloads from 7 addresses)."""
    import subprocess
    import sys

    from tests.conftest import SAMPLE_LOGS

    out = tmp_path / "answer.json"
    run = subprocess.run([sys.executable, "-c", _ANSWER_IMPORTS, str(SAMPLE_LOGS), str(sample_case_copy), TARGET,
                          str(out)], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert run.stdout.split("\n")[-2] == "loaded"
    totals = json.loads(out.read_text(encoding="utf-8"))["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (11, 7)


def test_client_facts_are_each_address_described_as_geo_describes_it(sample_case_path: Path) -> None:
    """client_info is joined in SQL from the case's kept rows, and its GeoIP note asked of geo.describe_found once
    per kind of address (network type, found and older in each database, the day of its first request): every
    client's row is what describe_addresses gives for it alone, with its own first request (the default
    GeoLite2-City of 2018 is older than the sample's requests, so most notes carry a date)."""
    from exposure.addresses import parse_cidrs
    from exposure.clients import CLIENT_INFO_COLUMNS, describe_addresses
    from exposure.geo import GeoLookup

    asn = str(Path(__file__).parents[2] / "exposure" / "data" / "sample-asn.mmdb")
    options = AnalysisOptions(internal=("203.0.113.0/24",), geoip_asn=asn)
    with Case(sample_case_path, read_only=True) as case:
        case.analyse([TARGET], options)
        got = case.file.fetchall("SELECT * FROM client_info ORDER BY client")
        seen = dict(case.file.fetchall("SELECT client, min(first_seen) FROM answer_seen WHERE client IS NOT NULL "
                                       "GROUP BY client"))
    with GeoLookup(None, asn) as geo:
        want = describe_addresses(sorted(seen), parse_cidrs(options.internal), geo=geo, first_seen=seen)
    columns = [c for c, _t in CLIENT_INFO_COLUMNS]
    assert [dict(zip(columns, row, strict=True)) for row in got] == [
        {c: (None if isinstance(v, float) and v != v else (list(v) if c == "published_ranges" else v))
         for c, v in row.items()} for row in want.astype(object).to_dict("records")]
    days = {n.split("(first ")[1][:10] for (n,) in [(r[-1],) for r in got] if n and "(first " in n}
    assert len(got) > 10 and len(days) > 1  # several first days: the note's date is each address's own


def test_an_answer_runs_the_download_rule_once_per_target(sample_case_path: Path) -> None:
    """The rule's steps run once per target of an answer, and its definitions once per connection: the client facts
    the rule reads (staff flag, class) are written before it, and a client's do not change when the possible
    copies' clients are added."""
    import exposure.case as case_module

    counts = {"rule_events": 0, "download_rule": 0}
    real_execute, real_run = case_module.CaseFile.execute, case_module.CaseFile.run

    def execute(self: Any, sql: str, params: Any = None) -> None:
        counts["rule_events"] += "TEMP TABLE target_rule_events" in sql
        real_execute(self, sql, params)

    def run(self: Any, block: Any) -> None:
        counts["download_rule"] += block.name == "download_rule"
        real_run(self, block)

    with Case(sample_case_path, read_only=True) as case:
        case_module.CaseFile.execute, case_module.CaseFile.run = execute, run
        try:
            answer = case.analyse([TARGET, "/documenten/wob/2020/index.html"],
                                  AnalysisOptions(internal=("203.0.113.0/24",)))
        finally:
            case_module.CaseFile.execute, case_module.CaseFile.run = real_execute, real_run
    # two targets: each rule run once while preparing and once again for its section (one table holds one
    # target's steps); the rule's definitions once
    assert counts == {"rule_events": 4, "download_rule": 1}
    assert answer["targets"][0]["totals"]["complete_downloads"] == 11


def test_an_answer_defines_each_macro_of_the_target_and_its_copies_once(sample_case_path: Path) -> None:
    """target.sql's and possible_copies.sql's definitions (macros, views) run once per connection: the first
    binding of the target stops before the rule's tables (rule=False) and the next one defines only the rest;
    the tables and values of a target (target_raw, copy_hits ...) run once per target and set of options."""
    from collections import Counter

    import exposure.case as case_module
    from exposure import queries
    from exposure.analysis.analyser import _writes_rows
    from exposure.analysis.named import COPY_BLOCK, TARGET_BLOCK

    ran: Counter[str] = Counter()
    real_execute = case_module.CaseFile.execute

    def execute(self: Any, sql: str, params: Any = None) -> None:
        ran[sql] += 1
        real_execute(self, sql, params)

    with Case(sample_case_path, read_only=True) as case:
        case_module.CaseFile.execute = execute
        try:
            answer = case.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",)))
        finally:
            case_module.CaseFile.execute = real_execute
    stmts = [s for block in (TARGET_BLOCK, COPY_BLOCK) for s in queries.statements(queries.get(block).sql)]
    definitions = [s for s in stmts if "TEMP TABLE" not in s and not _writes_rows(s)]
    assert len(definitions) >= 8
    assert {" ".join(s.split())[:60]: ran[s] for s in definitions} == {" ".join(s.split())[:60]: 1 for s in definitions}
    assert ran[next(s for s in stmts if "TEMP TABLE target_raw" in s)] == 1
    assert answer["targets"][0]["totals"]["complete_downloads"] == 11


def test_an_answer_defines_each_block_of_macros_once(sample_case_path: Path) -> None:
    """A block that only defines macros (evidence_rules: the evidence list, the findings and the warnings each need
    it; gap_macros: the gaps and the findings) runs once per connection, also across answers (the findings read on
    the second connection the case lends for work done meanwhile, the same for every answer); a block that makes
    tables (cut_words) runs each time it is needed."""
    from collections import Counter

    import exposure.queries as queries_module

    ran: Counter[tuple[int, str]] = Counter()
    cons: list[Any] = []  # held: no connection's id is another's
    real_run = queries_module.run

    def run(con: Any, block: Any) -> None:
        if all(c is not con for c in cons):
            cons.append(con)
        ran[next(i for i, c in enumerate(cons) if c is con), block.name] += 1
        real_run(con, block)

    with Case(sample_case_path, read_only=True) as case:
        queries_module.run = run
        try:
            first = answer_json(case.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",))))
            second = answer_json(case.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",))))
        finally:
            queries_module.run = real_run
    macros = {k: n for k, n in ran.items() if k[1] in ("evidence_rules", "gap_macros")}
    assert len({c for c, _name in macros}) == 2 and set(macros.values()) == {1}, ran  # the answer's and the other
    assert sum(n for k, n in ran.items() if k[1] == "cut_words") == 2  # temporary tables: made for each findings
    assert first == second and json.loads(first)["targets"][0]["totals"]["complete_downloads"] == 11


def test_the_answer_checks_the_seal_meanwhile_on_a_connection_of_its_own(sample_case_path: Path) -> None:
    """The seal check (stored tables and DuckDB's lists of them, 13-34 ms of DuckDB's function list alone) runs in
    another thread on a cursor while the analysis goes on, and its result is the answer's `seal` as before."""
    import threading

    import exposure.seal as seal_module

    seen: list[tuple[bool, str]] = []
    real_check = seal_module.check

    def check(case: Any, rows: bool, reuse: Any = None) -> Any:
        seen.append((case.con is opened.file.con, threading.current_thread().name))
        return real_check(case, rows, reuse)

    with Case(sample_case_path, read_only=True) as opened:
        seal_module.check = check
        try:
            answer = opened.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",)))
        finally:
            seal_module.check = real_check
        direct = opened.seal_check()
    assert seen == [(False, "case-wide")]  # one check, not on the answer's connection nor in its thread
    assert answer["seal"]["holds"] and answer["seal"]["digest"] == direct.evidence_digest
    assert answer["targets"][0]["totals"]["complete_downloads"] == 11


def test_the_answer_reads_the_findings_meanwhile_and_places_them_as_every_door_does(sample_case_path: Path) -> None:
    """queries/findings.sql (some 500 lines to plan, reading only the stored tables) runs in another thread on a
    connection of its own while the targets are analysed; the answer's findings are those `Case.findings` gives
    for the answer's windows (findings.evidence_findings, one rule)."""
    import threading

    import exposure.answer as answer_module
    import exposure.findings as findings_module
    from exposure.answer import target_spans

    seen: list[tuple[bool, str]] = []
    real_rows = findings_module.finding_rows

    def rows(case: Any, gap_minutes: Any = None, gap_factor: Any = None) -> Any:
        seen.append((case.con is opened.file.con, threading.current_thread().name))
        return real_rows(case, gap_minutes, gap_factor)

    options = AnalysisOptions(internal=("203.0.113.0/24",))
    with Case(sample_case_path, read_only=True) as opened:
        answer_module.finding_rows = rows
        try:
            answer = opened.analyse([TARGET], options)
        finally:
            answer_module.finding_rows = real_rows
        spans = target_spans(answer["targets"][0], False)
        direct = findings_module.evidence_findings(opened.file, spans, options.gap_minutes, options.gap_factor)
    assert seen == [(False, "case-wide")]  # not on the answer's connection nor in its thread
    said = [f for f in answer["findings"] if f["kind"] != "possible copy"]
    assert said == [f.as_json() for f in direct] and said


def test_the_answer_reads_the_case_context_meanwhile_as_it_read_it_before(sample_case_path: Path) -> None:
    """The logs' UTC offsets (a scan of every request), the gaps and the evidence list do not depend on the targets:
    read in another thread on a connection of its own, and they are what the answer's connection reads."""
    import threading

    import exposure.case as case_module
    from exposure.answer import evidence_section

    seen: list[tuple[bool, str]] = []
    real_offsets = case_module.CaseFile.log_offset_counts

    def offsets(self: Any) -> Any:
        seen.append((self.con is opened.file.con, threading.current_thread().name))
        return real_offsets(self)

    options = AnalysisOptions(internal=("203.0.113.0/24",))
    with Case(sample_case_path, read_only=True) as opened:
        case_module.CaseFile.log_offset_counts = offsets
        try:
            answer = opened.analyse([TARGET], options)
        finally:
            case_module.CaseFile.log_offset_counts = real_offsets
        evidence = evidence_section(opened.file)
        files = len(opened.evidence(arrow=True))
        zone_offsets = opened.file.log_offset_counts()
    assert seen == [(False, "case-wide")]
    assert answer["evidence"] == evidence and len(evidence) == files > 0
    assert zone_offsets[0][0] == 120 and answer["options"]["display_tz"] == "UTC+02:00"  # the logs write +0200


def test_what_runs_meanwhile_sees_a_transaction_the_user_began(sample_case_path: Path, tmp_path: Path) -> None:
    """Case.con is the notebook's raw SQL: an edit made in a transaction not yet committed is read by the target's
    queries on that connection, so the seal check and the findings must read it too (another connection would
    not see it): the deleted rows are said as a broken seal, as before the work moved to a second connection."""
    import shutil

    path = tmp_path / "case.duckdb"
    shutil.copy(sample_case_path, path)
    with Case(path) as case:
        case.con.begin()
        case.con.execute("DELETE FROM requests_core WHERE status = 200 AND client = '84.29.143.61'")
        answer = json.loads(answer_json(case.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",)))))
        case.con.rollback()
    assert answer["seal"]["holds"] is False
    assert any("changed outside exposure" in json.dumps(f) for f in answer["findings"]), answer["findings"]


def test_macros_defined_in_a_transaction_rolled_back_are_defined_again(sample_case_path: Path) -> None:
    """A block of macros run inside the user's transaction goes with its rollback: it is not taken as defined."""
    with Case(sample_case_path, read_only=True) as case:
        case.con.begin()
        before = case.findings()
        case.con.rollback()
        assert case.findings() == before
        assert json.loads(answer_json(case.analyse([TARGET])))["targets"][0]["totals"]["complete_downloads"] >= 11


def test_the_second_connection_is_set_up_as_the_case_connection(sample_case_path: Path) -> None:
    """The connection lent for work done meanwhile has the case connection's session settings (per connection in
    DuckDB): UTC, no replacement scans."""
    settings = "SELECT current_setting('TimeZone'), current_setting('python_enable_replacements')"
    with Case(sample_case_path, read_only=True) as case:
        assert case.file.beside().con.execute(settings).fetchall() == [("UTC", False)]
