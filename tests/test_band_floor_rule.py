"""The complete-transfer band's edge and floor (`--bytes headers`, no size given), from a read-only review's repros
(Apache %O, a 2,000,000-byte file, complete copies' headers 252-323 bytes):

- the floor is at most 256 bytes below the edge: a ladder of cut transfers 200 bytes apart chained the floor down
  to 1,572 bytes below the smallest complete copy, every one of them undetermined; now only the one within 256
  bytes of the edge is, the others partial;
- a tie of transfers between two runs of one island: the higher run is the band (a run of 4 cut copies tied with 4
  complete ones drew the edge down to theirs: 8 complete where 4 were);
- the band's island is the one holding the most transfers, not the one of the most common count (4 copies cut 400
  bytes short at one repeated count, 8 complete copies at distinct counts: 12 complete where 8 were);
- a GET whose count is not above the window's header-only responses (a HEAD's) carried no body and never sets the
  edge (a 40-byte file: a GET of 280 bytes, the HEAD's count, was the edge: 5 complete where 4 were);
- the log's own completion flag (%X '+') calls a count below the edge complete: band_below is for lines without
  a flag.

Each is checked through the CLI and the API (tests.servers.analyse), the portable SQL on the case's Parquet export,
and the written rule (tests/oracle_rule.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from exposure.ingest import IngestOptions
from tests.oracle_rule import Row, band, downloads, windows
from tests.servers import analyse
from tests.test_redteam12_band_runs import HEADERS, SIZE, TARGET, UA, WHOLE, _log

LADDER = [SIZE + 280 - k for k in (200, 400, 600, 800, 1000, 1200, 1400, 1600)]


def _case_equals_portable(tmp_path: Path, log: str, size: int | None = None,
                          ingest: IngestOptions = HEADERS) -> dict:
    """The case's windows and downloads for the log, asserted equal to the portable SQL's on its Parquet export."""
    from exposure import AnalysisOptions
    from tests.conftest import write_log
    from tests.parity import portable_equals_case

    write_log(tmp_path / "logs" / "access.log", log.splitlines())
    return portable_equals_case(tmp_path, tmp_path / "logs", TARGET, AnalysisOptions(geoip_city="none", size=size),
                                ingest)


def _oracle(counts: list[int], methods: dict[int, str] | None = None,
            completion: dict[int, str] | None = None, given: int | None = None) -> list[tuple[int, str]]:
    """The written rule's outcomes for one client per count (a minute apart), as (count, outcome) of the GETs."""
    t0 = datetime(2021, 3, 1, 10, 0)
    rows = [Row(t0 + timedelta(minutes=n), f"192.0.2.{n + 1}", UA, (methods or {}).get(n, "GET"), 200, c, True,
                None, None, (completion or {}).get(n)) for n, c in enumerate(counts)]
    by_client = {r.client: r.bytes for r in rows}
    return sorted((by_client[d.client], d.outcome) for d in downloads(windows(rows, t0, given), given))


def _outcomes(answer, counts: list[int]) -> list[list[tuple[int, str]]]:  # type: ignore[no-untyped-def]
    by_ip = {f"192.0.2.{n + 1}": c for n, c in enumerate(counts)}
    return [sorted((by_ip[ip], o) for ip, o in doors if ip in by_ip)
            for doors in (answer.outcomes(), answer.api_outcomes())]


def test_cut_transfers_more_than_256_bytes_below_the_edge_are_partial(tmp_path: Path) -> None:
    counts = [*WHOLE, *LADDER]
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    assert answer.exit_code == 0, answer.output
    want = sorted([(c, "complete") for c in WHOLE] + [(SIZE + 80, "undetermined")]
                  + [(c, "partial") for c in LADDER[1:]])
    assert _outcomes(answer, counts) == [want, want]
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"],
            answer.totals["undetermined_downloads"]) == (8, 7, 1)
    window = answer.target["windows"][0]
    assert (window["band_bytes"], window["band_floor"]) == (SIZE + 252, SIZE + 252 - 256)
    got = _case_equals_portable(tmp_path / "parity", _log(counts))
    assert got["windows"][0]["band_floor"] == SIZE - 4
    assert band(counts) == (SIZE - 4, SIZE + 252)
    assert _oracle(counts) == want


def test_a_count_in_a_lower_island_inside_the_densest_2_kib_is_partial(tmp_path: Path) -> None:
    # 600 bytes below the complete copies: inside the 2 KiB that starts at it (the densest), another island
    counts = [SIZE - 348, *WHOLE]
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    want = sorted([(c, "complete") for c in WHOLE] + [(SIZE - 348, "partial")])
    assert _outcomes(answer, counts) == [want, want]
    assert _case_equals_portable(tmp_path / "parity", _log(counts))["windows"][0]["band_floor"] == SIZE + 252
    assert _oracle(counts) == want


def test_on_a_tie_of_runs_the_higher_run_is_the_band(tmp_path: Path) -> None:
    complete = [SIZE + 252, SIZE + 270, SIZE + 293, SIZE + 323]
    counts = [SIZE + 180] * 4 + complete
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    want = sorted([(c, "complete") for c in complete] + [(SIZE + 180, "undetermined")] * 4)
    assert _outcomes(answer, counts) == [want, want]
    assert answer.target["windows"][0]["size_bytes"] == SIZE + 252
    got = _case_equals_portable(tmp_path / "parity", _log(counts))
    assert (got["windows"][0]["band_bytes"], got["windows"][0]["band_floor"]) == (SIZE + 252, SIZE + 180)
    assert _oracle(counts) == want


def test_the_island_with_the_most_transfers_holds_the_band_however_often_a_count_repeats(tmp_path: Path) -> None:
    cut = [SIZE - 400 + 280] * 4
    counts = [*cut, *WHOLE]
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    want = sorted([(c, "complete") for c in WHOLE] + [(cut[0], "partial")] * 4)
    assert _outcomes(answer, counts) == [want, want]
    assert answer.target["windows"][0]["size_bytes"] == SIZE + 252
    _case_equals_portable(tmp_path / "parity", _log(counts))
    assert _oracle(counts) == want
    # two backends: ten copies at distinct counts, three at one count 300 bytes above them: all complete
    backends = [SIZE + h for h in (250, 255, 258, 262, 266, 271, 280, 284, 290, 300)] + [SIZE + 600] * 3
    two = analyse(tmp_path / "two", "access.log", _log(backends), TARGET, "--bytes", "headers", ingest=HEADERS)
    assert two.target["windows"][0]["size_bytes"] == SIZE + 250
    assert (two.totals["complete_downloads"], two.totals["partial_downloads"]) == (13, 0)
    _case_equals_portable(tmp_path / "two_parity", _log(backends))
    assert _oracle(backends) == sorted((c, "complete") for c in backends)


def test_a_get_no_larger_than_the_head_response_never_sets_the_edge(tmp_path: Path) -> None:
    # a 40-byte file: four GETs of 320 bytes, a HEAD of 280 (the headers alone), a GET of 280: no body
    counts = [320] * 4 + [280, 280]
    methods = {4: "HEAD"}
    log = _log(counts).replace('"GET /files/report.pdf HTTP/1.1" 200 280 "-" "Mozilla/5.0 (X11; Linux x86_64) '
                               'Firefox/86.0"', '"HEAD /files/report.pdf HTTP/1.1" 200 280 "-" "Mozilla/5.0 (X11; '
                               'Linux x86_64) Firefox/86.0"', 1)
    answer = analyse(tmp_path, "access.log", log, TARGET, "--bytes", "headers", ingest=HEADERS)
    assert answer.target["windows"][0]["size_bytes"] == 320
    want = sorted([(320, "complete")] * 4 + [(280, "partial")])
    assert _outcomes(answer, counts) == [want, want]
    _case_equals_portable(tmp_path / "parity", log)
    assert _oracle(counts, methods) == want


X_FORMAT = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %X'


def test_the_logs_completion_flag_calls_a_count_below_the_edge_complete(tmp_path: Path) -> None:
    # %X '+': the response completed. Five copies at 380 bytes of headers, three at 250 (below the edge, in its
    # island): complete by the log's own word; one flagged 'X' (aborted) stays undetermined
    counts = [SIZE + 380] * 5 + [SIZE + 250] * 3 + [SIZE + 300]
    flags = ["+"] * 8 + ["X"]
    lines = _log(counts).splitlines()
    log = "\n".join(f"{line} {flags[n] if n < len(flags) else '-'}" for n, line in enumerate(lines)) + "\n"
    ingest = IngestOptions(log_format=X_FORMAT)
    answer = analyse(tmp_path, "access.log", log, TARGET, "--log-format", X_FORMAT, ingest=ingest)
    assert answer.exit_code == 0, answer.output
    want = sorted([(SIZE + 380, "complete")] * 5 + [(SIZE + 250, "complete")] * 3 + [(SIZE + 300, "undetermined")])
    assert _outcomes(answer, counts) == [want, want]
    assert {d["size_rule"] for d in answer.target["downloads"]} == {"completion"}
    outcomes = [d["outcome"] for d in _case_equals_portable(tmp_path / "parity", log, ingest=ingest)["downloads"]]
    assert (outcomes.count("complete"), outcomes.count("undetermined")) == (8, 1)
    assert _oracle(counts, completion={n: "complete" if f == "+" else "aborted" for n, f in enumerate(flags)}) == want


def test_a_given_size_judges_counts_between_floor_and_edge(tmp_path: Path) -> None:
    # --size: the band's doubt is not the rule's; three copies 130 bytes of headers smaller are complete
    small, large = [SIZE + 250] * 3, [SIZE + 380] * 5
    counts = [*small, *large, SIZE - 10_000]
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS, size=SIZE)
    want = sorted([(c, "complete") for c in small + large] + [(SIZE - 10_000, "partial")])
    assert _outcomes(answer, counts) == [want, want]
    assert {d["size_rule"] for d in answer.target["downloads"]} == {"given"}
    outcomes = [d["outcome"] for d in _case_equals_portable(tmp_path / "parity", _log(counts), size=SIZE)["downloads"]]
    assert (outcomes.count("complete"), outcomes.count("partial")) == (8, 1)
    assert _oracle(counts, given=SIZE) == want


def test_the_band_floor_is_said_beside_its_edge_in_the_terminal_and_the_report(tmp_path: Path) -> None:
    import html

    from typer.testing import CliRunner

    from exposure import Case
    from exposure.cli import app
    from exposure.report import ReportSettings
    from tests.conftest import write_log
    from tests.servers import GEO_OFF

    counts = [*WHOLE, *LADDER]
    logs = tmp_path / "logs"
    write_log(logs / "access.log", _log(counts).splitlines())
    said = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--bytes", "headers", *GEO_OFF],
                              terminal_width=200)
    assert "window 1: 8 of 16; band from 2000252, undetermined from 1999996" in said.output, said.output
    # where no count lies between floor and edge (the floor is the edge), nothing is said of it
    write_log(tmp_path / "whole" / "access.log", _log(WHOLE).splitlines())
    whole = CliRunner().invoke(app, ["analyse", str(tmp_path / "whole"), "--target", TARGET, "--bytes", "headers",
                                     *GEO_OFF], terminal_width=200)
    assert "window 1: 8 of 8)" in whole.output and "undetermined from" not in whole.output, whole.output
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs], HEADERS)
        for lang, first, text in (("en", "window 1: 8 of 16, undetermined from 1\u202f999\u202f996 bytes", "complete-transfer band from 2\u202f000\u202f252 bytes (counts with headers): a "
                                  "count from 1\u202f999\u202f996 bytes up to it undetermined, below "
                                  "1\u202f999\u202f996 bytes partial"),
                           ("nl", "venster 1: 8 van 16, onbepaald vanaf 1\u202f999\u202f996 bytes", "band van volledige overdrachten vanaf 2\u202f000\u202f252 bytes (aantallen met "
                                  "headers): een aantal vanaf 1\u202f999\u202f996 bytes tot daar onbepaald")):
            out = tmp_path / f"report-{lang}"
            case.report([TARGET], out, settings=ReportSettings(pdf=False, lang=lang))
            page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
            assert text in page, lang
            size_sentence = page[page.index('class="size"'):]
            assert first in size_sentence[:size_sentence.index("</p>")], lang   # page 1's size sentence
