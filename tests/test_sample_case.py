"""The sample case (sample_logs/, the 2020 leak) reproduces its ground truth exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import SAMPLE_LOGS


@pytest.fixture(scope="module")
def answer(tmp_path_factory: pytest.TempPathFactory, sample_truth: dict) -> dict:
    out = tmp_path_factory.mktemp("sample") / "analysis.json"
    result = CliRunner().invoke(app, ["analyse", str(SAMPLE_LOGS), "--target", sample_truth["target"],
                                      "--internal", sample_truth["internal_cidr"], "--json", str(out), "--quiet"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_eleven_downloads_from_seven_addresses(answer: dict, sample_truth: dict) -> None:
    (target,) = answer["targets"]
    totals = target["totals"]
    assert totals["complete_downloads"] == 11 == len(sample_truth["complete_downloads"])
    assert totals["distinct_ips"] == 7 == sample_truth["distinct_ips"]
    for key in ("internal_complete_downloads", "partial_downloads", "head_requests", "not_modified", "errors"):
        assert totals[key] == sample_truth[key], key
    assert target["size_bytes"] == sample_truth["size_bytes"]


def test_windows_match_ground_truth(answer: dict, sample_truth: dict) -> None:
    windows = answer["targets"][0]["windows"]
    got = [{k: w[k] for k in ("first_available", "last_available", "first_unavailable")} for w in windows]
    assert got == [{k: w[k] for k in ("first_available", "last_available", "first_unavailable")}
                   for w in sample_truth["windows"]]
    # 8-11 and 15-18 June, in UTC as in local time
    assert [(w["first_available"][:10], w["first_unavailable"][:10]) for w in windows] == [
        ("2020-06-08", "2020-06-11"), ("2020-06-15", "2020-06-18")]
    assert [(w["first_available_local"][:10], w["first_unavailable_local"][:10]) for w in windows] == [
        ("2020-06-08", "2020-06-11"), ("2020-06-15", "2020-06-18")]


def test_each_download_cites_the_true_lines(answer: dict, sample_truth: dict) -> None:
    got = [(d["time"], d["client_ip"], [e["line"] for e in d["evidence"]], d["evidence"][0]["file"])
           for d in answer["targets"][0]["downloads"] if d["outcome"] == "complete" and not d["internal"]]
    expected = [(d["time"], d["client_ip"], d["lines"], str(Path("sample_logs") / d["file"]))
                for d in sample_truth["complete_downloads"]]
    assert [(g[0], g[1], g[2]) for g in got] == [(e[0], e[1], e[2]) for e in expected]
    assert [Path(g[3]).as_posix().endswith(Path(e[3]).as_posix().split("sample_logs/")[1]) for g, e in
            zip(got, expected, strict=True)] == [True] * 11


def test_copy_before_evidence(answer: dict, sample_truth: dict) -> None:
    flagged = sorted(p["client_ip"] for p in answer["targets"][0]["per_ip"] if p["copy_before_evidence"])
    assert flagged == sorted(sample_truth["copy_before_evidence"])


def test_evidence_registry_accounts_for_every_file_and_line(answer: dict, sample_truth: dict) -> None:
    by_name = {Path(e["path"]).relative_to(SAMPLE_LOGS).as_posix() if Path(e["path"]).is_absolute()
               else Path(e["path"]).as_posix().split("sample_logs/", 1)[1]: e for e in answer["evidence"]}
    assert by_name["README.md"]["verdict"] == "not a log"
    dup = sample_truth["duplicate"]
    # the server's rotation is cited, the export folder's copy listed as its duplicate (the citation rule),
    # although export/ sorts first and is ingested first
    assert by_name[dup["file"]]["verdict"] == "duplicate"
    assert by_name[dup["file"]]["duplicate_of"].endswith(dup["duplicate_of"])
    assert by_name[dup["duplicate_of"]]["verdict"] == "ingested"
    assert by_name[dup["file"]]["stream"] == by_name[dup["duplicate_of"]]["stream"] == "web2/access.log"
    for name, lines in sample_truth["lines_per_file"].items():
        e = by_name[name]
        assert e["lines"] == lines, name
        if e["verdict"] == "ingested":
            assert e["lines"] == e["requests"] + e["rejected"] + e["skipped"]
    rejected = sorted((n, e["rejected"]) for n, e in by_name.items() if e.get("rejected"))
    expected = sorted((m["file"], 1) for m in sample_truth["malformed_lines"])
    assert rejected == expected
