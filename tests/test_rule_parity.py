"""One download rule, every door: for every end-to-end leak fixture (tests/leak_cases.py) and the sample case,
`files`' row for the target gives `analyse`'s totals (every one of them: queries/totals.sql figure_macros) and
windows, and the portable SQL on DuckDB over the Parquet export gives the case's windows and downloads row by row
(tests/spark/ runs the same on Spark)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.portable import DuckDBEngine, run_portable
from tests.leak_cases import CASES, INTERNAL, OPTIONS, TARGET
from tests.parity import TARGET as SAMPLE_TARGET
from tests.parity import answer_said, assert_same, case_rows, evidence_files, portable_rows, portable_said

SAMPLE_OPTIONS = AnalysisOptions(internal=("203.0.113.0/24",))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sample_case_path: Path,
          sample_export: Path) -> Iterator[dict[str, tuple[Path, Path]]]:
    """Each fixture ingested into its own case and exported (the sample case as the session built it)."""
    out: dict[str, tuple[Path, Path]] = {"sample": (sample_case_path, sample_export)}
    for name, leak in CASES.items():
        work = tmp_path_factory.mktemp(name.replace("%", "pct"))
        case_path = work / "case.duckdb"
        with Case(case_path) as case:
            case.ingest([leak.write(work)], leak.ingest)
            export_parquet(case.file, work / "parquet")
        out[name] = (case_path, work / "parquet")
    yield out


def _answer(case: Case, target: str, options: AnalysisOptions) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The target's totals and window count, and what the answer says of each window (tests/parity.py answer_said)."""
    answer = case.analyse([target], options)
    [t] = answer["targets"]
    return {**t["totals"], "windows": len(t["windows"])}, answer_said(answer, target)


def _files_row(case: Case, target: str, internal: tuple[str, ...], keys: Iterable[str]) -> dict[str, Any]:
    """The target's `files` row, its fields named `keys` (the answer's totals and windows; one it lacks: None)."""
    rows = case.files(internal=internal, targets=[target]).to_dict("records")
    [row] = [r for r in rows if r["path"] == target]
    return {k: int(row[k]) if k in row else None for k in keys}


@pytest.mark.parametrize("name", ["sample", *CASES])
def test_files_analyse_and_portable_sql_agree(built: dict[str, tuple[Path, Path]], name: str) -> None:
    case_path, export = built[name]
    target, options = (SAMPLE_TARGET, SAMPLE_OPTIONS) if name == "sample" else (TARGET, OPTIONS)
    with Case(case_path, read_only=True) as case:
        analysed, said = _answer(case, target, options)
        assert _files_row(case, target, options.internal, analysed) == analysed
        expected = case_rows(case, options, target)
        files = evidence_files(case)
    portable = run_portable(DuckDBEngine(), export, target, options)
    assert_same(expected, portable_rows(portable), "duckdb")
    # what the answer says of each window beside its figures: the portable SQL says it too (tests/test_portable_said.py
    # has redirects and refusals after a window; here none, and complete downloads on sent counts where %b wrote them)
    assert portable_said(portable, files) == said
    sent = sum(w["complete_on_sent_counts"] for w in said)
    # every complete download of the sample's combined logs and of the %b twin (Debian's %O counts headers: none)
    assert sent == (analysed["complete_downloads"] if name in ("sample", "combined-%b") else 0), sent
    pinned = (11, 7, 7, 3) if name == "sample" else CASES[name].expected
    assert (analysed["complete_downloads"], analysed["distinct_ips"], analysed["partial_downloads"],
            analysed["internal_complete_downloads"]) == pinned
    if name == "sample":  # 4 of the 11 by automated fetchers (web archives, crawlers, link previews)
        assert (analysed["fetcher_complete_downloads"], analysed["head_requests"], analysed["errors"]) == (4, 3, 14)


def test_files_shows_one_row_per_file_where_paths_are_case_insensitive(built: dict[str, tuple[Path, Path]]) -> None:
    """IIS serves /DOCS/Leak.xlsx and /docs/leak.xlsx as one file: one row, every spelling listed, named as the
    user gave the target (else by its most frequent spelling); S3 keys are case-sensitive, IIS's are not."""
    with Case(built["iis"][0], read_only=True) as case:
        plain = case.files(internal=INTERNAL).to_dict("records")
        named = case.files(internal=INTERNAL, targets=["/DOCS/LEAK.XLSX"]).to_dict("records")
    [row] = [r for r in plain if r["path"].lower() == TARGET]
    assert row["path"] == TARGET and list(row["spellings"]) == [TARGET, "/DOCS/Leak.xlsx"]
    assert (row["complete_downloads"], row["distinct_ips"]) == (4, 3)
    assert [r["path"] for r in named if r["path"].lower() == TARGET] == ["/DOCS/LEAK.XLSX"]
    assert len(plain) == len(named) == 2  # the leak and /index.html


def test_overlapping_copies_are_counted_once_by_every_door(tmp_path: Path) -> None:
    """A copytruncate rotation repeats lines in a second file of the same server: the export marks the later
    copies and the portable SQL leaves them out, as analyse and files do."""
    leak = CASES["debian-combined-%O"]
    text = leak.text()
    lines = text.splitlines(keepends=True)
    logs = tmp_path / "apache2"
    logs.mkdir()
    (logs / "access.log.1").write_text("".join(lines[:30]))
    (logs / "access.log").write_text("".join(lines[20:]))  # ten lines in both files
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        assert case.sql("SELECT count(*) AS n FROM overlap_lines")["n"][0] == 10
        export_parquet(case.file, tmp_path / "parquet")
        analysed, _ = _answer(case, TARGET, OPTIONS)
        assert _files_row(case, TARGET, INTERNAL, analysed) == analysed
        expected = case_rows(case, OPTIONS, TARGET)
    assert_same(expected, portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", TARGET, OPTIONS)), "duckdb")
    assert (analysed["complete_downloads"], analysed["distinct_ips"], analysed["partial_downloads"]) == \
        leak.expected[:3]
