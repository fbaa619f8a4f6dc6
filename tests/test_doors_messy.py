"""One rule, one place: every door says the same of one messy case (tests/doors_case.py: a cut last line, a mostly
rejected file, gaps, a duplicate copy, a range sum, a partial, a 304-only address, an unread and a truncated .gz,
two formats). The terminal, the JSON answer, the report (HTML), its CSV, `exposure files`, `exposure sql` and the
Python API are compared field by field; a difference is a rule written twice that drifted.

Deliberate differences (README, "The doors compared"): `exposure sql findings` has no `in_window` (a window is a
target's; the findings query is the case's); the report words a finding from its facts in its language."""

from __future__ import annotations

import csv
import dataclasses
import html
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case, cli
from exposure.cli import app
from exposure.findings import Finding, Window
from tests.doors_case import INTERNAL, TARGET, build

PIN = "2020-08-01T12:00:00Z"
MTIME = 1591660800  # 2020-06-09T00:00:00Z: the unread .gz is placed by its modification time


def _naive(ts: Any) -> datetime:
    """A time of the API's frames as the UTC naive datetime findings.Window holds."""
    ts = ts.to_pydatetime() if hasattr(ts, "to_pydatetime") else ts
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def _run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args), terminal_width=400)
    assert result.exit_code in (0, 3), result.output
    return result


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("doors")
    logs = build(work)
    for f in logs.rglob("*"):
        os.utime(f, (MTIME, MTIME))
    case = str(work / "case.duckdb")
    out: dict[str, Any] = {"work": work}
    with pytest.MonkeyPatch.context() as mp:  # the report without its PDF (tests/conftest.py html_only_reports)
        made = cli._report_settings
        mp.setattr(cli, "_report_settings", lambda *a, **k: dataclasses.replace(made(*a, **k), pdf=False))
        out["ingest"] = _run("ingest", "--case", case, str(logs)).output
        out["analyse"] = _run("analyse", "--case", case, "--target", TARGET, "--internal", INTERNAL, "--json",
                              str(work / "answer.json"), "--report", str(work / "report"), "--pin-time", PIN,
                              "--geoip-city", "none", "--geoip-asn", "none").output
    out["answer"] = json.loads((work / "answer.json").read_text())
    out["files"] = json.loads(_run("files", "--case", case, "--internal", INTERNAL, "--json").stdout)
    sql = {name: json.loads(_run("sql", name, "--case", case, "--param", f"target={TARGET}", "--param",
                                 f"internal={INTERNAL}", "--json").stdout) for name in ("totals", "downloads")}
    sql["findings"] = json.loads(_run("sql", "findings", "--case", case, "--json").stdout)
    out["sql"] = sql
    page = (work / "report" / "report.html").read_text()
    out["report"] = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page.replace("<wbr>", ""))))
    with (work / "report" / "downloads.csv").open(newline="") as fh:
        out["csv"] = list(csv.DictReader(fh))
    options = AnalysisOptions(internal=(INTERNAL,), geoip_city="none", geoip_asn="none")
    with Case(case, read_only=True) as c:
        # each window from when it may have been online unseen (unseen_from, an hour before its first 200), as the
        # answer's (exposure/answer.py window_spans)
        spans = [Window(f"window {w['window']}", _naive(w["unseen_from"]),
                        _naive(w["first_unavailable"] if w["first_unavailable"] == w["first_unavailable"]
                               and w["first_unavailable"] is not None else w["last_available"]),
                        w["window"], TARGET,  # its number and target: the answer's in_windows
                        # never seen withdrawn: open to the end of the evidence (findings.Window.open)
                        open=w["first_unavailable"] != w["first_unavailable"] or w["first_unavailable"] is None)
                 for w in c.windows(TARGET, options).to_dict("records")]
        out["api"] = {"totals": c.totals(TARGET, options), "findings": c.findings(spans, options),
                      "downloads": c.downloads(TARGET, options).to_dict("records")}
    return out


def test_the_case_is_messy(doors: dict[str, Any]) -> None:
    """The case holds what it is meant to (else the comparisons compare little)."""
    kinds = sorted(f["kind"] for f in doors["answer"]["findings"])
    # the cut .gz is day 7's six lines fifty times over: it repeats itself, so all its request lines are copies of
    # access.log-20200607's (exposure/overlap.py SELF_SQL, red team 9): an overlap; named as web1's rotation, it
    # stays in web1's stream by its name (a server's name is never joined to another file's stream: exposure/
    # streams.py rule 3), so no stream is inferred for it
    # gaps: web1's two silences, and four at a stream's edge inside the open window (queries/gaps.sql 'end',
    # 'start'): the IIS log before its first line and after its last, notes.log after its last and before its first
    # (ending within the hour before window 1's first 200: the window may have been online unseen then, rule_windows
    # unseen_from, red team 21a)
    assert kinds == ["assumed bytes", "cut off", "damaged", "duplicate", "gap", "gap", "gap", "gap", "gap", "gap",
                     "inferred bytes", "overlap", "rejected lines", "rejected lines", "truncated"]
    outcomes = [(d["client_ip"], d["outcome"], d["outcome_inferred"]) for d in doors["answer"]["targets"][0]["downloads"]]
    assert outcomes == [("198.51.100.1", "complete", False), ("198.51.100.2", "partial", False),
                        ("198.51.100.3", "complete", True), ("203.0.113.5", "complete", False),
                        ("198.51.100.8", "complete", False), ("198.51.100.6", "complete", False),
                        ("198.51.100.7", "undetermined", False)]


def test_every_door_gives_the_same_findings(doors: dict[str, Any]) -> None:
    """The JSON answer, `exposure sql findings` and the API say each finding in the same words (the cut's words
    were added in Python and missing from the SQL door); the terminal prints each one's line."""
    answer = doors["answer"]["findings"]
    same = ("severity", "kind", "path", "stream", "detail", "uncovered_start", "uncovered_end", "fact")
    # deliberate (README, "The doors compared"): the SQL door, with no windows, lists a stream's silence at its
    # edge wherever it falls; the answer only inside a window (findings.unsaid_edge), a window reaching an hour
    # before its first 200 (unseen_from): here notes.log's before its first line ends in that hour, so both say it
    answered = [{k: f[k] for k in same} for f in answer]
    sql = [{k: f[k] for k in same} for f in doors["sql"]["findings"]]
    left = [f for f in sql if f not in answered]
    assert [(f["stream"], f["fact"]) for f in left] == []
    assert [f for f in sql if f not in left] == answered
    assert [f.as_json() for f in doors["api"]["findings"]] == answer
    [cut] = [f for f in answer if f["kind"] == "cut off"]
    assert cut["detail"] == ("its last line (line 34) has no newline: cut off mid-line, as a copy of a live log is; "
                             "it ends in its byte count, which may have lost digits: counted as a request whose "
                             "delivered bytes are unknown")
    for f in answer:
        assert Finding.from_json(f).line() in doors["analyse"], f
    assert [w for w in doors["answer"]["warnings"] if "rejected" in w] == [
        f"{doors_path(doors, 'notes.log')}: 6 of 10 lines rejected: probably not the combined format"]


def doors_path(doors: dict[str, Any], name: str) -> str:
    return next(e["path"] for e in doors["answer"]["evidence"] if e["path"].endswith(name))


def test_the_time_a_file_leaves_uncovered_is_said_once(doors: dict[str, Any]) -> None:
    """The terminal (Finding.span) and the report say the uncovered time of an incomplete file in one sentence:
    the report said `has no line after T` where the terminal said `from T to the end of the stream`."""
    spans = [Finding.from_json(f).span() for f in doors["answer"]["findings"] if f["severity"] == "incomplete"]
    assert spans == [
        # access.log-20200605.gz: placed by its rotation's date among the stream's rotations (red team 13), before
        # the first line of those dated after it (access.log-20200606.gz's first line read, 7 June 12:00)
        "stream web1/access.log may lack lines from the start of the stream to 2020-06-07T12:00:00Z (no request line "
        "of it was read: placed by the time its name gives, 2020-06-05T00:00:00Z, an inference from the name (the time "
        "of an S3 key is when its lines were delivered, after them and after the previous delivery of the stream; "
        "that of a CloudFront name the hour they lie in; a rotation's date places it among the stream's rotations, "
        "after the lines of those dated before it and before the lines of those dated after it and of the live log))",
        "stream web1/access.log has no line from 2020-06-07T12:25:00Z to 2020-06-08T09:00:00Z"]
    for span in spans:
        assert span in doors["analyse"]
        assert span in doors["report"]


def test_every_door_gives_the_same_numbers(doors: dict[str, Any]) -> None:
    """Totals: the JSON answer, `exposure sql totals`, the API and the target's row of `exposure files` (whose
    `requests` and `requesting_ips` counted the organisation's own addresses too; which lacked the fetcher and CDN
    figures, head_requests, not_modified, errors and no_method_responses: seen red so, 6 keys missing)."""
    target = doors["answer"]["targets"][0]
    totals = target["totals"]
    assert totals["complete_downloads"] == 4 and totals["requests"] == 8 and totals["internal_requests"] == 1
    assert doors["sql"]["totals"] == [totals]
    assert doors["api"]["totals"] == totals
    [row] = [r for r in doors["files"] if r["path"] == TARGET]
    assert {k: row.get(k) for k in totals} == totals  # every total (queries/totals.sql figure_macros), one rule
    [window] = target["windows"]
    assert (row["first_available"], row["last_available"], row["size_bytes"]) == (
        window["first_available"], window["last_available"], window["size_bytes"])
    said = (f"{totals['complete_downloads']} complete downloads from {totals['distinct_ips']} external addresses")
    assert f"complete downloads {totals['complete_downloads']} from {totals['distinct_ips']} external addresses" \
        in doors["analyse"]
    assert f"In short: {said}" in doors["report"]


def test_every_door_gives_the_same_downloads(doors: dict[str, Any]) -> None:
    """Each download: the JSON answer, downloads.csv, `exposure sql downloads` and the API."""
    keys = ("download_no", "client_ip", "outcome", "outcome_inferred", "kind", "bytes", "parts", "window",
            "size_bytes", "size_rule", "internal")

    def plain(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
        return [tuple("" if r[k] is None or r[k] != r[k] else str(r[k]).lower() for k in keys) for r in rows]

    answer = plain(doors["answer"]["targets"][0]["downloads"])
    assert len(answer) == 7
    assert plain(doors["csv"]) == answer
    assert plain(doors["sql"]["downloads"]) == answer
    assert plain(doors["api"]["downloads"]) == answer


# A text every door says, written once (the rule's one place); the report's translation tables hold the English
# they translate (exposure/report/i18n.py: a pair per key; wording.py: a pattern per warning).
TRANSLATIONS = {"exposure/report/i18n.py", "exposure/report/wording.py"}
WRITTEN_ONCE = {
    r"probably not the (\{|\(\\S)": "queries/evidence_rules.sql",  # not_the_format
    r"has no line from \{": "exposure/placewords.py",  # uncovered
    r"leaves uncovered in stream \{": "exposure/placewords.py",
    r"it ends in its byte count": "queries/cutwords.sql",  # cut_said
    r"the cut may have shortened or taken its \{": "queries/cutwords.sql",
}


@pytest.mark.parametrize("pattern", list(WRITTEN_ONCE))
def test_a_text_every_door_says_is_written_once(pattern: str) -> None:
    root = Path(__file__).resolve().parents[1]
    found = sorted(str(p.relative_to(root)) for p in [*root.glob("exposure/**/*.py"), *root.glob("queries/*.sql")]
                   if re.search(pattern, p.read_text(encoding="utf-8")))
    assert [p for p in found if p not in TRANSLATIONS] == [WRITTEN_ONCE[pattern]]


@pytest.mark.parametrize(("start", "end"), [("2020-06-08T09:00:00Z", "2020-06-08T10:00:00Z"),
                                            ("2020-06-08T09:00:00Z", None), (None, "2020-06-08T10:00:00Z"),
                                            (None, None)], ids=["both", "to-the-end", "from-the-start", "unknown"])
def test_the_report_and_the_finding_say_an_uncovered_time_alike(start: str | None, end: str | None) -> None:
    """An incomplete file at the start of its stream (no start, an end): the report said its uncovered time was
    unknown where the finding said `from the start of the stream to END`."""
    from exposure.report.i18n import strings
    from exposure.report.model import _uncovered

    item = {**dataclasses.asdict(Finding.from_json({
        "severity": "incomplete", "kind": "truncated", "path": "a.log.gz", "evidence_id": 1, "stream": "a.log",
        "server": "a", "detail": "ends early", "related_path": None, "uncovered_start": start, "uncovered_end": end,
        "lines": 3, "of_lines": None, "minutes": None, "threshold_minutes": None, "line_ranges": None,
        "related_line_ranges": None, "format": "combined", "fact": None})), "uncovered_start": start,
        "uncovered_end": end}
    said = Finding.from_json(item).span()
    assert _uncovered(item, strings("en")) == said
    assert said == {"both": "stream a.log has no line from 2020-06-08T09:00:00Z to 2020-06-08T10:00:00Z",
                    "to-the-end": "stream a.log has no line from 2020-06-08T09:00:00Z to the end of the stream",
                    "from-the-start": "stream a.log has no line from the start of the stream to 2020-06-08T10:00:00Z",
                    "unknown": "the time it leaves uncovered in stream a.log is unknown"}[
        "both" if start and end else "to-the-end" if start else "from-the-start" if end else "unknown"]


def test_the_evidence_status_says_each_finding_as_the_terminal_does(doors: dict[str, Any]) -> None:
    """The answer's evidence status composed a finding's sentence a second way (`(server web1): ..., from A to B,
    inside window 1`; an incomplete file's span in brackets) beside the terminal's line: now each is said once."""
    findings = [Finding.from_json(f) for f in doors["answer"]["findings"]]
    groups = {g["kind"]: g["detail"] for g in doors["answer"]["evidence_status"]["findings"]}
    assert ("stream web1/access.log: no log line for 185 minutes (a gap: longer than this stream's threshold of 60 "
            "minutes); from 2020-06-08T10:55:00Z to 2020-06-08T14:00:00Z; inside window 1") in groups["gap in window"]
    for f in findings:
        kind = "gap in window" if f.kind == "gap" and f.in_window else f.kind
        assert f.said() in groups[kind]
        assert f.line() == f"{f.severity}: {f.kind}: {f.said()}"


def test_every_column_a_cut_may_mark_has_its_words() -> None:
    """The columns a cut may mark (exposure/cutwords.py COLUMNS, lastline's marks) and the words of each
    (queries/cutwords.sql cut_names) are two lists: a column added to one only would be said by its bare name."""
    from exposure import cutwords

    assert {c: cutwords.shown(c) != c for c in cutwords.COLUMNS} == dict.fromkeys(cutwords.COLUMNS, True)
    assert cutwords.shown("referer", "nl") == "referrer" and cutwords.shown("bytes", "nl") == "aantal bytes"
