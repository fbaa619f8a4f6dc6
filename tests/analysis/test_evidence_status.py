"""The evidence status of an answer (`evidence_status` in the JSON, page 1 of the report): what was checked,
what was found, and whether the answer rests on complete evidence."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

from exposure import AnalysisOptions, Case, IngestOptions
from exposure.analysis.evidence_status import KINDS, status_kind
from exposure.findings import Finding
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/pub/leak.xlsx"


def _day(day: int, hours: list[int], ip: str = "198.51.100.7") -> list[str]:
    return [clf(ip, t(day, h), TARGET, 200, 1000) for h in hours]


def _case(tmp_path: Path) -> Path:
    """web1: a window from 8 June 08:00 to 9 June 12:00 (404 at 13:00) with a 5-hour silence inside it on the
    8th; a copy of day 9 handed over again under another name; a file that is not a log."""
    write_log(tmp_path / "logs/web1/access.log.1", _day(8, [8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23]))
    day9 = [*_day(9, list(range(0, 13))), clf("198.51.100.7", t(9, 13), TARGET, 404, 200)]
    write_log(tmp_path / "logs/web1/access.log", day9)
    write_log(tmp_path / "logs/export/copy-of-day-9.log", day9)
    (tmp_path / "logs/README.txt").write_text("handed over by the hosting party\n", encoding="utf-8")
    return tmp_path / "logs"


def _finding(status: dict, kind: str) -> dict:
    return next(f for f in status["findings"] if f["kind"] == kind)


def test_status_of_a_complete_case_states_gaps_duplicates_and_other_files(tmp_path: Path) -> None:
    logs = _case(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        answer = case.analyse([TARGET], AnalysisOptions())
    status = answer["evidence_status"]
    assert status["complete"] is True
    assert status["files"] == {"total": 4, "verified": None, "changed": None, "missing": None}
    # the findings of the answer (queries/findings.sql), counted per kind in the order every door shows them
    assert [f["kind"] for f in status["findings"]] == ["gap in window", "duplicate", "assumed bytes", "not a log"]
    assert [(f["kind"], f["count"]) for f in status["findings"]] == sorted(
        Counter(status_kind(Finding.from_json(f)) for f in answer["findings"]).items(),
        key=lambda kc: [k for k, _ in KINDS].index(kc[0]))
    gap = _finding(status, "gap in window")
    # 10:00 -> 16:00 on the 8th: the one silence over 60 minutes inside the window (the night is not silent)
    assert (gap["count"], gap["severity"], gap["streams"]) == (1, "stated", ["web1/access.log"])
    assert "from 2020-06-08T10:00:00Z to 2020-06-08T16:00:00Z; inside window 1" in gap["detail"]
    assert _finding(status, "not a log")["detail"] == (f"{logs / 'README.txt'}: not an access log in any known "
                                                       "format: not analysed")
    assert _finding(status, "duplicate")["count"] == 1 and _finding(status, "not a log")["paths"] == [
        str(logs / "README.txt")]
    assert "changed since ingest" not in status["checked"]  # analyse does not re-hash
    assert "possible copy" in status["checked"]  # looked for, none found: no finding, a count of 0
    assert {"damaged", "unreadable", "all lines rejected", "gap in window", "overlap"} <= set(status["checked"])


def test_a_longer_gap_threshold_leaves_the_silence_unflagged(tmp_path: Path) -> None:
    logs = _case(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        status = case.analyse([TARGET], AnalysisOptions(gap_minutes=7 * 60))["evidence_status"]
    assert "gap in window" not in [f["kind"] for f in status["findings"]]


def test_truncated_and_fully_rejected_files_make_the_evidence_incomplete(tmp_path: Path) -> None:
    logs = _case(tmp_path)
    whole = gzip.compress("".join(line + "\n" for line in _day(7, list(range(24)))).encode() * 50, mtime=0)
    (logs / "web2").mkdir()
    (logs / "web2/access.log.2.gz").write_bytes(whole[: len(whole) // 2])
    rejected = write_log(tmp_path / "other/forced.log", ['{"time": "2020-06-08T10:00:00Z"}'] * 3)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.ingest([rejected], IngestOptions(format="combined"))
        status = case.analyse([TARGET], AnalysisOptions())["evidence_status"]
    assert status["complete"] is False
    cut = _finding(status, "truncated")  # the registry's word for a compressed stream that ends early
    assert (cut["severity"], cut["paths"]) == ("incomplete", [str(logs / "web2/access.log.2.gz")])
    assert "ends early" in cut["detail"]
    everything = _finding(status, "all lines rejected")
    assert (everything["count"], everything["paths"]) == (1, [str(rejected)])
    assert everything["detail"] == (f"{rejected}: every one of its 3 lines that is not blank or a comment was "
                                    "rejected by the combined format: it is probably not combined (without "
                                    "--format the format of each file is detected); the time it leaves uncovered "
                                    "in stream other/forced.log is unknown")


def test_a_re_hash_counts_verified_files_and_names_a_changed_one(tmp_path: Path) -> None:
    logs = _case(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        with open(logs / "web1/access.log", "a", encoding="utf-8") as fh:
            fh.write("tampered\n")
        status = case.analyse([TARGET], AnalysisOptions(), verification=case.verify())["evidence_status"]
    assert status["files"] == {"total": 4, "verified": 3, "changed": 1, "missing": 0}
    changed = _finding(status, "changed since ingest")
    assert (changed["severity"], changed["paths"]) == ("incomplete", [str(logs / "web1/access.log")])
    assert status["complete"] is False and status["findings"][0] is changed


def test_each_damage_the_registry_records_is_its_own_kind(tmp_path: Path) -> None:
    """evidence.damage (damaged | truncated | changed during read) names the kind, with where it starts."""
    logs = _case(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.file.execute("UPDATE evidence SET damage = 'changed during read', damage_offset = 4096, "
                          "damage_detail = 'size 900 at the start, 1400 at the end' WHERE path = ?",
                          [str(logs / "web1/access.log")])
        status = case.analyse([TARGET], AnalysisOptions())["evidence_status"]
    changed = _finding(status, "changed during read")
    assert (changed["severity"], changed["paths"]) == ("incomplete", [str(logs / "web1/access.log")])
    assert changed["detail"].startswith(f"{logs / 'web1/access.log'}: size 900 at the start, 1400 at the end (")
    # the registry was edited here outside exposure, which the case's seal says too
    assert [f["kind"] for f in status["findings"] if f["severity"] == "incomplete"] == [
        "case changed outside exposure", "changed during read"]
    assert {"damaged", "truncated", "changed during read"} <= set(status["checked"])


def test_every_kind_the_findings_query_says_is_a_kind_of_the_status() -> None:
    """A kind queries/findings.sql writes but KINDS lacks would be counted last and never be in `checked`."""
    import re

    from exposure.queries import query_dir

    sql = (query_dir() / "findings.sql").read_text(encoding="utf-8")
    said = set(re.findall(r"SELECT 'stated', '([^']+)'", sql)) | set(re.findall(r"THEN '([a-z ]+ bytes)'", sql))
    said |= set(re.findall(r"ELSE '([a-z ]+ bytes)'", sql))
    assert {"gap", "duplicate", "inferred bytes", "assumed bytes"} <= said
    assert said - {k for k, _ in KINDS} == set()
