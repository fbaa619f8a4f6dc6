"""The command line: one clear line and exit 2 for bad input, nothing written half-way; JSON contract keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.errors import CaseError
from exposure.formats.registry import listed_formats
from tests.conftest import write_log
from tests.logs import clf, t

T = "/docs/x.xlsx"
ENV = {"COLUMNS": "200"}


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return write_log(tmp_path / "logs" / "access.log", [
        clf("198.51.100.1", t(8, 10), T, size=5000),
        clf("198.51.100.2", t(8, 11), T, size=5000, ua="<script>alert(1)</script>"),
        clf("198.51.100.3", t(9, 10), T, status=404),
    ]).parent


def _run(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_analyse_writes_the_contract(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "answer.json"
    result = _run("analyse", str(logs), "--target", T, "--json", str(out))
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert answer["schema"] == "exposure.analysis/1"
    (e,) = answer["evidence"]
    assert set(e) >= {"path", "sha256", "content_sha256", "format", "lines", "requests", "rejected", "skipped",
                      "duplicate_of", "verdict"}
    (target,) = answer["targets"]
    assert set(target) >= {"path", "size_bytes", "windows", "downloads", "per_ip", "totals"}
    assert set(target["windows"][0]) >= {"first_available", "last_available", "first_unavailable",
                                         "open_at_log_start", "size_bytes"}
    assert set(target["downloads"][0]) >= {"time", "client_ip", "outcome", "internal", "client_class",
                                           "user_agent", "evidence"}
    assert set(target["downloads"][0]["evidence"][0]) >= {"file", "line"}
    assert set(target["per_ip"][0]) >= {"client_ip", "complete", "partial", "internal", "copy_before_evidence"}
    assert set(target["totals"]) >= {"complete_downloads", "distinct_ips", "internal_complete_downloads",
                                     "partial_downloads", "head_requests", "not_modified", "errors"}
    assert target["downloads"][1]["user_agent"] == "<script>alert(1)</script>"


def test_same_inputs_same_bytes(logs: Path, tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"a{i}.json"
        assert _run("analyse", str(logs), "--target", T, "--json", str(out), "-q").exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_summary_without_json_prints_tables_and_log_text_verbatim(logs: Path) -> None:
    result = _run("analyse", str(logs), "--target", T)
    assert result.exit_code == 0, result.output
    assert "window 1  first available" in result.output
    assert "complete downloads 2 from 2 external addresses" in result.output
    assert "not a person" in result.output


@pytest.mark.parametrize("args, message", [
    pytest.param(["analyse", "{missing}", "--target", T], "no such file or directory", id="missing-path"),
    pytest.param(["analyse", "{logs}", "--target", T, "--internal", "10.0.0.0/33"],
                 "invalid CIDR or address: '10.0.0.0/33' (give an address or a network, e.g. 203.0.113.0/24 or "
                 "2001:db8::/32)", id="bad-cidr"),
    pytest.param(["analyse", "{logs}", "--target", "http://[::1/x.xlsx"],
                 "give a path (/docs/file.xlsx) or an http(s) URL (https://www.example.nl/docs/file.xlsx)",
                 id="bad-url"),
    pytest.param(["analyse", "{logs}", "--target", T, "--display-tz", "Mars/Olympus"], "unknown time zone",
                 id="bad-zone"),
    pytest.param(["analyse", "{nonlog}", "--target", T], "not an access log", id="named-non-log"),
    pytest.param(["analyse", "{logs}", "--target", "/x\n.xlsx"], "control characters", id="bad-target"),
    pytest.param(["analyse", "{logs}", "--target", T, "--format", "nope"], "unknown format", id="bad-format"),
])
def test_bad_input_one_line_exit_2_nothing_written(logs: Path, tmp_path: Path, args: list[str], message: str) -> None:
    nonlog = tmp_path / "notes.txt"
    nonlog.write_text("meeting notes\nnothing here\n")
    out = tmp_path / "never.json"
    argv = [a.format(missing=tmp_path / "missing", logs=logs, nonlog=nonlog) for a in args] + ["--json", str(out)]
    result = CliRunner().invoke(app, argv, env=ENV)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert [ln for ln in result.output.splitlines() if ln.startswith("exposure: error")][0]
    assert not out.exists()


def test_ingest_into_persistent_case_then_analyse(logs: Path, tmp_path: Path) -> None:
    case = tmp_path / "case.duckdb"
    assert _run("ingest", "--case", str(case), str(logs)).exit_code == 0
    assert oct(case.stat().st_mode & 0o777) == "0o600"
    out = tmp_path / "a.json"
    result = _run("analyse", "--case", str(case), str(logs), "--target", T, "--json", str(out), "-q")
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert len(answer["evidence"]) == 1  # re-ingest of the same file changed nothing
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2


def test_analyse_a_persistent_case_without_giving_its_logs_again(logs: Path, tmp_path: Path) -> None:
    """README: "a persistent case: ingest once, analyse many times". With --case the logs need not be given again
    (they were refused: "Missing argument 'inputs'"); without a case there is nothing to answer from, and a case
    that does not exist is never created empty to answer "0 downloads"."""
    case = tmp_path / "case.duckdb"
    assert _run("ingest", "--case", str(case), str(logs), "-q").exit_code == 0
    out = tmp_path / "a.json"
    result = _run("analyse", "--case", str(case), "--target", T, "--json", str(out), "-q")
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert [e["path"] for e in answer["evidence"]] == [str(logs / "access.log")]
    assert (answer["targets"][0]["totals"]["complete_downloads"], answer["targets"][0]["totals"]["distinct_ips"]) == (2, 2)
    result = _run("analyse", "--target", T)
    assert result.exit_code == 2
    assert result.output.startswith("exposure: error: give the log files or folders to analyse")
    result = _run("analyse", "--case", str(tmp_path / "none.duckdb"), "--target", T)
    assert result.exit_code == 2 and "no case file at" in result.output
    assert not (tmp_path / "none.duckdb").exists()
    result = _run("analyse", "--case", str(case), "--target", T, "--bytes", "headers")  # names no file to apply to
    assert result.exit_code == 2 and ("--bytes: options for reading logs, given without log files or folders: give "
                                      "the logs they are for, or leave them out to answer from the case as ingested "
                                      "(the case keeps how its files were read)") in result.output
    stopped = tmp_path / "stopped.duckdb"  # a creation stopped before its first commit: an empty database
    duckdb.connect(str(stopped)).close()
    result = _run("analyse", "--case", str(stopped), "--target", T)
    assert result.exit_code == 2 and "holds no case: its creation was stopped" in result.output  # not made anew
    with pytest.raises(CaseError, match="holds no case"):  # still as it was: nothing created in it
        Case(stopped, read_only=True)
    result = _run("report", "--case", str(stopped), "--target", T, "--out", str(tmp_path / "rep"))
    assert result.exit_code == 2 and "holds no case: its creation was stopped" in result.output
    assert not (tmp_path / "rep").exists()
    Case(tmp_path / "bare.duckdb").close()  # a case made, its first file not yet stored (a stop right after)
    for command in (["analyse"], ["report", "--out", str(tmp_path / "rep2")]):
        result = _run(*command, "--case", str(tmp_path / "bare.duckdb"), "--target", T)
        assert result.exit_code == 2 and "holds no evidence: ingest logs into it first" in result.output, command


def test_responses_whose_log_names_no_method_are_said_not_silently_dropped(tmp_path: Path) -> None:
    """A server format without %r or %m records no method: a 200 of the whole file cannot be told from a HEAD,
    so the rule never counts it a download. It was silent: 3 full 200s with --size gave "complete downloads 0,
    partial 0, undetermined 0" and no warning. Now the totals count them and a warning says why and what to do."""
    log = tmp_path / "access.log"
    log.write_text("".join(f'192.0.2.{i} [08/Jun/2020:14:1{i}:18 +0200] "{T}" {status} {size}\n'
                           for i, status, size in ((1, 200, 5000), (2, 200, 5000), (3, 206, 1000), (4, 404, 0))))
    out = tmp_path / "a.json"
    result = _run("analyse", str(log), "--log-format", '%h %t "%U" %>s %b', "--target", T, "--size", "5000",
                  "--json", str(out))
    assert result.exit_code == 0, result.output
    target = json.loads(out.read_text())["targets"][0]
    totals = target["totals"]
    assert (totals["complete_downloads"], totals["partial_downloads"], totals["undetermined_downloads"],
            totals["requests"], totals["no_method_responses"]) == (0, 0, 0, 4, 3)
    said = ("3 responses 200/206 (or 499 with bytes) from external addresses name no method (the log records none): never counted as "
            "downloads, a GET cannot be told from a HEAD, so complete downloads may be missing")
    assert [w for w in target["warnings"] if w.startswith(said)] != []
    assert f"warning: {said}" in result.output
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    [warning] = [w for w in target["warnings"] if w.startswith(said)]
    assert sentence(warning, strings("nl")).startswith("3 antwoorden 200/206 (of 499 met bytes) aan externe adressen noemen "
                                                       "geen methode")


def test_one_response_naming_no_method_is_said_in_the_singular(tmp_path: Path) -> None:
    """The counted-words rule (exposure.plural) in that warning: it said "1 responses ... name no method"; the
    answer's and the timeline's request counts said "1 requests"."""
    log = tmp_path / "access.log"
    log.write_text(f'192.0.2.1 [08/Jun/2020:14:11:18 +0200] "{T}" 200 5000\n')
    out = tmp_path / "a.json"
    case = tmp_path / "one.duckdb"
    result = _run("analyse", str(log), "--case", str(case), "--log-format", '%h %t "%U" %>s %b', "--target", T,
                  "--json", str(out))
    assert result.exit_code == 0, result.output
    said = "1 response 200/206 (or 499 with bytes) from an external address names no method (the log records none): never counted as "
    assert "errors 0; 1 request from 1 external address" in result.output  # was "1 requests"
    timeline = _run("timeline", "--case", str(case), "--target", T)
    assert timeline.exit_code == 0 and timeline.output.startswith(f"{T}: 1 request; times UTC"), timeline.output
    [warning] = [w for w in json.loads(out.read_text())["targets"][0]["warnings"] if w.startswith(said)]
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    assert sentence(warning, strings("nl")).startswith("1 antwoord 200/206 (of 499 met bytes) aan een extern adres noemt geen methode "
                                                       "(de log legt die niet vast)")


def test_formats_lists_examples() -> None:
    result = _run("formats")
    assert result.exit_code == 0 and "combined" in result.output and "GET /index.html" in result.output


def test_the_json_fields_example_of_formats_counts_its_own_line_as_a_download(tmp_path: Path) -> None:
    """`exposure formats` shows a --json-fields mapping and a line for it: copied as shown, the line is a complete
    download (a mapping without method= read every 200 as a response naming no method: 0 downloads)."""
    from exposure.formats.jsonl import MAPPED_EXAMPLE

    mapping = re.search(r"--json-fields '([^']+)'", MAPPED_EXAMPLE.description)[1]
    log = tmp_path / "app.log"
    log.write_text(MAPPED_EXAMPLE.example + "\n", encoding="utf-8")
    result = _run("analyse", str(log), "--target", T, "--json-fields", mapping, "--json", str(tmp_path / "a.json"))
    assert result.exit_code == 0, result.output
    totals = json.loads((tmp_path / "a.json").read_text())["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["no_method_responses"]) == (1, 0)


@pytest.mark.parametrize("listed", range(len(listed_formats())))
def test_every_example_of_formats_copied_as_shown_is_read_as_one_request(listed: int, tmp_path: Path) -> None:
    """Each example line of `exposure formats`, written to a file as shown (after the `#Fields:` line it says it
    stands under) and read with the option its description gives, is one request, nothing rejected: the first
    `iis` example had IIS's 19 fields without saying which, so copied alone it was rejected (no header-less IIS
    layout has them)."""
    fmt = listed_formats()[listed]
    line, _, fields = fmt.example.partition("   (under ")
    header = [fields.removesuffix(")")] if fields else []
    option = re.search(r"(--log-format|--nginx-log-format|--json-fields) '(.+)'", fmt.description)
    log = tmp_path / "example.log"
    log.write_text("\n".join([*header, line, ""]), encoding="utf-8")
    out = tmp_path / "a.json"
    result = _run("analyse", str(log), "--target", T, "--json", str(out), *(option.groups() if option else ()))
    assert result.exit_code == 0, result.output
    [evidence] = json.loads(out.read_text())["evidence"]
    assert (evidence["requests"], evidence["rejected"]) == (1, 0), (fmt.name, evidence["format"])


def test_help_lists_each_command_in_one_sentence_and_verify_says_its_exit_codes() -> None:
    """`exposure --help` shows each command's first docstring paragraph: a hard line break in it broke the
    sentence over two rows ("answer: windows and" / "downloads per target."); `verify -h` said 0 and 3, not 2."""
    listing = _run("--help").output
    assert "answer: windows and downloads per target." in listing
    assert "registry, activity log and every stored row." in listing
    verify = " ".join(_run("verify", "-h").output.split())
    assert ("Exit code 0: everything matches and the seal holds; 3: an evidence file changed or is missing, a given "
            "path is not evidence, or the seal does not hold; 2: nothing could be verified (no case, no evidence, "
            "a malformed --anchor).") in verify


@pytest.mark.usefixtures("html_only_reports")
def test_analyse_with_report_and_json_answers_once_and_both_files_agree(tmp_path: Path) -> None:
    """`analyse --report DIR --json FILE`: --json is the report's own answer (its analysis.json, byte for byte),
    not a second analysis of the case; with --pseudonymise-ips only the report carries pseudonyms."""
    logs = write_log(tmp_path / "logs" / "access.log", [clf("203.0.113.5", t(10, 9), "/f.xlsx", size=5000),
                                                         clf("198.51.100.2", t(10, 10), "/f.xlsx", size=2000)])
    for pseudo in ([], ["--pseudonymise-ips"]):
        out = tmp_path / f"r{len(pseudo)}"
        result = CliRunner().invoke(app, ["analyse", str(logs), "--case", str(out) + ".duckdb", "--target", "/f.xlsx",
                                          "--size", "5000", "--report", str(out), "--json", str(out) + ".json",
                                          *pseudo])
        assert result.exit_code == 0, result.output
        with Case(str(out) + ".duckdb", read_only=True) as c:
            commands = c.sql("SELECT command FROM activity ORDER BY seq")["command"].tolist()
        given = json.loads(Path(str(out) + ".json").read_text())
        in_report = json.loads((out / "analysis.json").read_text())
        if not pseudo:
            assert Path(str(out) + ".json").read_bytes() == (out / "analysis.json").read_bytes()
            assert commands == ["ingest", "report"]  # one analysis: the report's
        else:
            assert "203.0.113.5" in json.dumps(given) and "203.0.113.5" not in json.dumps(in_report)
            assert given["targets"][0]["totals"] == in_report["targets"][0]["totals"]


def test_report_help_marks_the_options_it_cannot_run_without() -> None:
    """`report -h` showed --case and --out as optional, though the command refused to run without either."""
    listing = _run("report", "-h").output
    for option in ("--case", "--out"):
        row = next(i for i, line in enumerate(listing.splitlines()) if f" {option} " in line)
        assert "[required]" in " ".join(listing.splitlines()[row:row + 3]), option
    missing = CliRunner().invoke(app, ["report", "--out", "x", "--target", T], env={**ENV, "EXPOSURE_CASE": ""})
    assert missing.exit_code == 2 and "Missing option '--case'" in missing.output


def test_log_tz_help_says_which_times_it_does_not_touch() -> None:
    """readme6: an investigator told "the IIS server logs in server time" gives --log-tz; IIS/W3C `date`/`time`
    are UTC by the format and the zone is not applied to them (nor to S3, CloudFront, ALB times): `-h` says so,
    and where the zone does apply (IIS Advanced Logging's date-local/time-local)."""
    for command in ("ingest", "analyse"):
        text = " ".join(_run(command, "-h").output.replace("│", " ").split())
        assert "W3C/IIS date and time, S3, CloudFront and ALB times are UTC by their format" in text, command
        assert "date-local/time-local" in text, command
