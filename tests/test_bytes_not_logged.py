"""A log that records no byte count (IIS 8.5-10's default #Fields has no sc-bytes) delivered an unknown number
of bytes, never 0: with the size known (--size) its transfers were all "partial, 0 bytes" before — a wrong fact.
Now the file's bytes_meaning is `none`, every transfer from it is undetermined unless the log itself says how its
send ended (IIS sc-win32-status: 0 complete, 64 partial), the finding `no byte counts` says so, and Apache's `%b`
'-' (no bytes sent) still counts as 0."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.ingest import IngestOptions
from exposure.portable import DuckDBEngine, run_portable
from tests.leak_cases import CASES, SIZE, TARGET, iis_default
from tests.parity import portable_rows

OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",), size=SIZE)


@pytest.fixture(scope="module")
def iis_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("iis-default")
    with Case(work / "case.duckdb") as case:
        case.ingest([CASES["iis-default-no-sc-bytes"].write(work)], IngestOptions())
        export_parquet(case.file, work / "parquet")
    return work


def _outcomes(downloads: list[dict]) -> list[tuple[str, str, object]]:
    return sorted((d["client_ip"], d["outcome"], d["bytes"]) for d in downloads)


def test_a_log_without_byte_counts_never_says_zero_bytes(iis_case: Path) -> None:
    assert "sc-win32-status" in iis_default() and "sc-bytes" not in iis_default()
    with Case(iis_case / "case.duckdb", read_only=True) as case:
        [meaning] = case.con.execute("SELECT DISTINCT bytes_meaning FROM evidence WHERE verdict = 'ingested'").fetchall()
        [t] = case.analyse([TARGET], OPTIONS)["targets"]
        kinds = [f.kind for f in case.findings()]
    assert meaning == ("none",)
    # the size is given: before, every one was "partial" with 0 bytes delivered
    assert _outcomes(t["downloads"]) == [("198.51.100.1", "complete", None),  # sc-win32-status 0: sent
                                         ("198.51.100.1", "complete", None),
                                         ("198.51.100.2", "complete", None),
                                         ("198.51.100.3", "partial", None),  # sc-win32-status 64: the send failed
                                         ("198.51.100.5", "complete", None),
                                         ("203.0.113.5", "complete", None)]
    assert (t["totals"]["complete_downloads"], t["totals"]["partial_downloads"],
            t["totals"]["undetermined_downloads"]) == (4, 1, 0)
    assert "no byte counts" in kinds


def test_each_download_says_the_rule_that_judged_it(iis_case: Path, tmp_path: Path) -> None:
    """README: "each with the size_rule that judged it and the size_bytes it was compared with" — in the JSON
    answer and downloads.csv too, not only in the SQL: a copy judged by the server's word alone (no byte count)
    reads apart from one whose bytes reached the size."""
    import csv
    import shutil

    from exposure.report import ReportSettings

    shutil.copy(iis_case / "case.duckdb", tmp_path / "case.duckdb")  # a report writes its activity into the case
    with Case(tmp_path / "case.duckdb") as case:
        answer = case.analyse([TARGET], OPTIONS)
        case.report([TARGET], tmp_path / "out", OPTIONS, ReportSettings(pdf=False))
    got = [(d["client_ip"], d["outcome"], d["size_rule"], d["size_bytes"]) for d in answer["targets"][0]["downloads"]]
    assert sorted(got) == [("198.51.100.1", "complete", "completion", SIZE)] * 2 + [
        ("198.51.100.2", "complete", "completion", SIZE), ("198.51.100.3", "partial", "completion", SIZE),
        ("198.51.100.5", "complete", "completion", SIZE), ("203.0.113.5", "complete", "completion", SIZE)]
    with open(tmp_path / "out" / "downloads.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((r["client_ip"], r["size_rule"], r["size_bytes"]) for r in rows) == sorted(
        (ip, rule, str(size)) for ip, _outcome, rule, size in got)


def test_the_portable_rule_reads_no_byte_count_alike(iis_case: Path) -> None:
    rows = portable_rows(run_portable(DuckDBEngine(), iis_case / "parquet", TARGET, OPTIONS))
    assert {r["size_rule"] for r in rows["downloads"]} == {"completion"}  # the server's word judged them
    assert sorted((r["client"], r["outcome"], r["bytes_delivered"]) for r in rows["downloads"]) == [
        ("198.51.100.1", "complete", None), ("198.51.100.1", "complete", None),
        ("198.51.100.2", "complete", None), ("198.51.100.3", "partial", None),
        ("198.51.100.5", "complete", None), ("203.0.113.5", "complete", None)]


def test_bytes_given_does_not_invent_a_count(tmp_path: Path) -> None:
    log = CASES["iis-default-no-sc-bytes"].write(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log], IngestOptions(bytes_meaning="body"))
        assert case.con.execute("SELECT bytes_meaning FROM evidence").fetchone() == ("none",)


def test_apache_dash_is_still_zero_bytes(tmp_path: Path) -> None:
    lines = [f'198.51.100.{i} - - [08/Jun/2020:09:0{i}:00 +0000] "GET {TARGET} HTTP/1.1" 200 {size} "-" "Mozilla/5.0"'
             for i, size in enumerate((SIZE, SIZE, "-"), start=1)]
    (tmp_path / "access.log").write_text("\n".join(lines) + "\n")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "access.log"], IngestOptions())
        [meaning] = case.con.execute("SELECT bytes_meaning FROM evidence").fetchone()
        [t] = case.analyse([TARGET], replace(OPTIONS, internal=()))["targets"]
    assert meaning == "body"
    assert _outcomes(t["downloads"]) == [("198.51.100.1", "complete", SIZE), ("198.51.100.2", "complete", SIZE),
                                         ("198.51.100.3", "partial", 0)]


def test_lines_without_a_count_in_a_file_with_counts_are_unknown_too(tmp_path: Path) -> None:
    """IIS writes a new #Fields header into the same file when its logging settings change: lines under the
    default fields have no sc-bytes, later ones have it. Per line, not per file: before, the first ones were
    'partial, 0 bytes' (the file had counts, so a missing one was taken for 0) and nothing was said."""
    head = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
    default = "date time s-ip cs-method cs-uri-stem s-port c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status"
    line = "2020-06-08 09:0{m}:00 10.0.0.5 GET {p} 443 198.51.100.{c} Mozilla/5.0 200 0 0"
    text = (head + f"#Fields: {default}\n" + "\n".join(line.format(m=i, p=TARGET, c=i) for i in (1, 2)) + "\n"
            + head + f"#Fields: {default} sc-bytes\n"
            + "\n".join(line.format(m=i, p=TARGET, c=i) + f" {SIZE + 300}" for i in (3, 4)) + "\n")
    (tmp_path / "u_ex200608.log").write_text(text)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "u_ex200608.log"], IngestOptions())
        row = case.con.execute("SELECT bytes_meaning, unsized_requests, requests FROM evidence").fetchone()
        [t] = case.analyse([TARGET], replace(OPTIONS, internal=()))["targets"]
        [finding] = [f for f in case.findings() if f.kind == "no byte counts"]
    assert row == ("headers+body", 2, 4)
    assert _outcomes(t["downloads"]) == [("198.51.100.1", "complete", None),  # sc-win32-status 0, no count
                                         ("198.51.100.2", "complete", None),
                                         ("198.51.100.3", "complete", SIZE + 300),
                                         ("198.51.100.4", "complete", SIZE + 300)]
    assert "2 of 4 requests in 1 file (iis) logged without one" in finding.detail
