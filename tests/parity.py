"""The case's own windows and downloads in the shape of the portable answer (exposure/portable.py), for the
parity tests: tests/test_portable.py (DuckDB) and tests/spark/test_spark_parity.py (Spark)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.ingest import IngestOptions
from exposure.portable import DuckDBEngine, PortableAnswer, run_portable
from exposure.timefmt import iso_utc

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
# the sample's own options, and a given size with a range gap long enough to join 86.87.220.15's two parts
OPTION_SETS = [
    AnalysisOptions(internal=("203.0.113.0/24",)),
    AnalysisOptions(size=71577, range_gap_minutes=120),
]
OPTION_IDS = ["sample-internal", "given-size-gap-120"]

WINDOW_COLUMNS = ["window_no", "first_available", "last_available", "first_unavailable", "open_at_log_start",
                  "size_bytes", "size_inferred", "size_votes", "size_sample", "size_rule", "band_bytes", "band_floor", "body_size",
                  "header_bytes", "part_headers", "available_responses",
                  "first_evidence_id", "first_line_no", "last_evidence_id", "last_line_no",
                  "unavailable_evidence_id", "unavailable_line_no", "size_in_doubt", "unseen_from"]
DOWNLOAD_COLUMNS = ["download_no", "time", "client", "user_agent", "internal", "window_no", "size_bytes", "kind",
                    "bytes_delivered", "parts", "size_rule", "outcome", "outcome_inferred",
                    "first_evidence_id", "first_line_no", "last_evidence_id", "last_line_no"]


# The case's frames carry the JSON answer's names and say their zone (UTC); the portable SQL keeps the rule's
# own names (a column named `window` is quoted differently in DuckDB and Spark) and its engines' naive UTC.
CASE_NAMES = {"window": "window_no", "client_ip": "client", "bytes": "bytes_delivered"}


def _portable_names(row: dict[str, Any]) -> dict[str, Any]:
    return {CASE_NAMES.get(k, k): v.replace(tzinfo=None) if hasattr(v, "tzinfo") and v.tzinfo else v
            for k, v in row.items()}


def case_rows(case: Case, options: AnalysisOptions, target: str = TARGET) -> dict[str, list[dict[str, Any]]]:
    """Windows, downloads (with their first and last cited line) and every cited line, from the case."""
    windows = [{c: r[c] for c in WINDOW_COLUMNS}
               for r in map(_portable_names, case.windows(target, options, arrow=True).to_pylist())]
    downloads, lines = [], []
    for d in map(_portable_names, case.downloads(target, options, arrow=True).to_pylist()):
        cited = d["lines"]
        downloads.append({**{c: d.get(c) for c in DOWNLOAD_COLUMNS},
                          "first_evidence_id": cited[0]["evidence_id"], "first_line_no": cited[0]["line_no"],
                          "last_evidence_id": cited[-1]["evidence_id"], "last_line_no": cited[-1]["line_no"]})
        lines += [{"time": d["time"], "client": d["client"], "user_agent": d["user_agent"], "kind": d["kind"],
                   "part_no": k, "evidence_id": ln["evidence_id"], "line_no": ln["line_no"]}
                  for k, ln in enumerate(cited, start=1)]
    return {"windows": windows, "downloads": downloads, "download_lines": lines}


def portable_rows(answer: PortableAnswer) -> dict[str, list[dict[str, Any]]]:
    return {"windows": answer.windows.select(WINDOW_COLUMNS).to_pylist(),
            "downloads": answer.downloads.select(DOWNLOAD_COLUMNS).to_pylist(),
            "download_lines": answer.download_lines.to_pylist()}


def assert_same(expected: dict[str, list[dict[str, Any]]], got: dict[str, list[dict[str, Any]]], engine: str) -> None:
    for part in ("windows", "downloads", "download_lines"):
        assert len(got[part]) == len(expected[part]) > 0, f"{engine}: {part}"
        for k, (want, have) in enumerate(zip(expected[part], got[part], strict=True)):
            diff = {c: (want[c], have.get(c)) for c in want if want[c] != have.get(c)}
            assert not diff, f"{engine}: {part} row {k + 1} differs (case, {engine}): {diff}"


def portable_equals_case(tmp_path: Path, logs: Path, target: str, options: AnalysisOptions,
                         ingest: IngestOptions | None = None) -> dict[str, list[dict[str, Any]]]:
    """`logs` ingested (with `ingest`'s options) into a fresh case under `tmp_path`, exported, and the portable rule
    run over the export on DuckDB: the same windows, downloads and cited lines as the case's own (asserted). The
    portable rows."""
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs], ingest)
        expected = case_rows(case, options, target)
        export_parquet(case.file, tmp_path / "parquet")
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", target, options))
    assert_same(expected, got, "duckdb")
    return got


# What the answer says of each window beside its bounds (exposure/answer.py: the rules of queries/windows.sql
# complete_on_sent_counts, refused_after_window and redirects_after_window), in the answer's shape.
REDIRECT_KEYS = ("responses", "addresses", "first", "line")


def answer_said(answer: dict[str, Any], target: str = TARGET) -> list[dict[str, Any]]:
    """Per window of `target` in a JSON answer (Case.analyse): unseen_from, complete_on_sent_counts, refused_after and
    redirects_after (its statuses aside: the portable SQL holds no lists)."""
    [t] = [t for t in answer["targets"] if t["path"] == target]
    return [{"window_no": w["window"], "unseen_from": w["unseen_from"],
             "complete_on_sent_counts": w["complete_on_sent_counts"], "refused_after": w["refused_after"],
             "redirects_after": w["redirects_after"] and {k: w["redirects_after"][k] for k in REDIRECT_KEYS}}
            for w in t["windows"]]


def portable_said(answer: PortableAnswer, files: dict[int, str]) -> list[dict[str, Any]]:
    """The same from the portable SQL's windows; `files`: each evidence_id's path (the answer cites file:line)."""
    return [{"window_no": w["window_no"], "unseen_from": iso_utc(w["unseen_from"]),
             "complete_on_sent_counts": w["complete_on_sent_counts"], "refused_after": iso_utc(w["refused_after"]),
             "redirects_after": None if w["redirects_after_responses"] is None else {
                 "responses": w["redirects_after_responses"], "addresses": w["redirects_after_addresses"],
                 "first": iso_utc(w["redirects_after_first"]),
                 "line": f"{files[w['redirects_after_evidence_id']]}:{w['redirects_after_line_no']}"}}
            for w in answer.windows.to_pylist()]


def evidence_files(case: Case) -> dict[int, str]:
    return dict(case.con.execute("SELECT evidence_id, path FROM evidence").fetchall())
