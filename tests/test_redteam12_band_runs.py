"""Red team 12, B: Apache `%O` (headers and body in one count). Four transfers cut 100 bytes before the end of
the body, each logged with the same count (2,000,180), lay 72 bytes below the complete copies (2,000,252 to
2,000,323, their headers differing). Their count was the most common, so its island was the band and its lowest
count, theirs, the band's edge: 12 complete where 8 are. A count that repeats is no proof of a whole body: the
band starts at the run of counts (steps of at most 64 bytes) most transfers reached."""

from __future__ import annotations

from pathlib import Path

from exposure.ingest import IngestOptions
from tests.servers import analyse

HEADERS = IngestOptions(bytes_meaning="headers")

SIZE = 2_000_000
TARGET = "/files/report.pdf"
UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/86.0"
CUT = [SIZE - 100 + 280] * 4  # cut 100 bytes short, 280 bytes of headers each: all four alike
WHOLE = [SIZE + h for h in (252, 268, 270, 277, 293, 304, 323, 323)]  # complete, headers 252-323 bytes


def _log(counts: list[int]) -> str:
    lines = []
    for n, count in enumerate(counts):
        lines.append(f'192.0.2.{n + 1} - - [01/Mar/2021:10:{n:02d}:00 +0000] "GET {TARGET} HTTP/1.1" 200 {count} '
                     f'"-" "{UA}"')
    lines.append(f'198.51.100.9 - - [01/Mar/2021:11:00:00 +0000] "GET {TARGET} HTTP/1.1" 404 450 "-" "{UA}"')
    return "\n".join(lines) + "\n"


def test_a_repeated_short_count_does_not_draw_the_band_edge_down(tmp_path: Path) -> None:
    counts = [CUT[0], WHOLE[0], CUT[1], WHOLE[1], WHOLE[2], CUT[2], WHOLE[3], WHOLE[4], CUT[3], WHOLE[5],
              WHOLE[6], WHOLE[7]]
    answer = analyse(tmp_path, "other_vhosts_access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    assert answer.exit_code == 0, answer.output
    window = answer.target["windows"][0]
    assert window["size_bytes"] == SIZE + 252
    assert answer.totals["complete_downloads"] == 8
    cut_clients = {f"192.0.2.{n + 1}" for n, c in enumerate(counts) if c in CUT}
    for doors in (answer.outcomes(), answer.api_outcomes()):
        assert sorted(o for ip, o in doors if ip in cut_clients) == ["partial"] * 4
        assert sorted(o for ip, o in doors if ip not in cut_clients) == ["complete"] * 8


def test_complete_copies_whose_count_repeats_at_the_band_bottom_stay_complete(tmp_path: Path) -> None:
    # Connection: close copies 37 bytes below the Keep-Alive ones, and the commonest count: one run, all complete
    counts = [SIZE + 253] * 5 + [SIZE + 290, SIZE + 291, SIZE + 290]
    answer = analyse(tmp_path, "access.log", _log(counts), TARGET, "--bytes", "headers", ingest=HEADERS)
    assert answer.target["windows"][0]["size_bytes"] == SIZE + 253
    assert answer.totals["complete_downloads"] == 8


def test_the_portable_sql_and_the_oracle_draw_the_same_edge(tmp_path: Path) -> None:
    """The Spark twin (queries/portable/windows_downloads.sql) and the written rule (tests/oracle_rule.band_edge)
    follow the case's rule: the same edge, the same outcomes."""
    from exposure import AnalysisOptions, Case
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from tests.conftest import write_log
    from tests.oracle_rule import band_edge
    from tests.parity import assert_same, case_rows, portable_rows

    counts = [*CUT, *WHOLE]
    write_log(tmp_path / "logs" / "access.log", _log(counts).splitlines())
    options = AnalysisOptions(geoip_city="none")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "logs"], HEADERS)
        expected = case_rows(case, options, TARGET)
        export_parquet(case.file, tmp_path / "parquet")
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", TARGET, options))
    assert_same(expected, got, "duckdb")
    assert [o for o in (d["outcome"] for d in got["downloads"])].count("complete") == 8
    assert band_edge(counts) == SIZE + 252
