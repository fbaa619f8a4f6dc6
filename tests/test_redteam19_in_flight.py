"""Red team 19: a 50 MB download begun before the file was withdrawn and ended after it. nginx (and IIS, CloudFront)
logs a response when it ends, so its 200 stands after the first 404s (a file deleted while being sent is sent in
full): the rule opens window 2 with it, "still available when the logs end", and nothing said
(/tmp/redteam19/endtime). rule_reopened_elsewhere skips a window reopened in the stream that logged the 404 (a
republication, no clock), which holds for a log of the request's arrival (Apache's %t directive, S3) and not for one
of its end. Now queries/downloads_rule.sql rule_reopened_in_flight says so (terminal, JSON warnings, page 1, in
English and Dutch); the windows stay as the rule makes them. Not said where the later window holds a response more
than 10 minutes after the 404, a response that is no transfer (a HEAD), or where the time is the request's arrival."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.report.wording import sentence
from tests.logs import clf, t
from tests.servers import analyse

pytestmark = pytest.mark.slow

T = "/docs/leak.xlsx"
SIZE = 50_000_000
SAID = ("window 2 may be no republication: its available responses (1, each a transfer of the file, the first 220 "
        "seconds after window 1's first unavailable response, all within 10 minutes of it) are each in a log "
        "that logged the file unavailable itself before it (stream web1/access.log), whose times may mark a response's end (nginx $time_local, IIS, CloudFront: "
        "logged when the transfer ended): a download begun before the withdrawal and ended after it (a file deleted "
        "while being sent is sent in full) is logged after the first 404; check the server's software and its "
        "request times before reading it as a republication (queries/windows.sql window_reopened_in_flight)")


def _log(late: list[str]) -> str:
    lines = [clf("198.51.100.1", t(8, 7, 40), T, size=SIZE), clf("198.51.100.2", t(8, 7, 45), T, size=SIZE),
             clf("198.51.100.3", t(8, 8, 0, 30), T, status=404, size=153),
             clf("198.51.100.4", t(8, 8, 1), T, status=404, size=153), *late,
             clf("198.51.100.6", t(8, 8, 30), "/index.html", size=5120)]
    return "\n".join(lines) + "\n"


def _said(answer) -> list[str]:  # noqa: ANN001
    return [w for w in answer.target["warnings"] if "window_reopened_in_flight" in w]


def test_a_download_logged_at_its_end_after_the_404_is_said(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "web1/access.log", _log([clf("198.51.100.5", t(8, 8, 4, 10), T, size=SIZE)]), T,
                     "--bytes", "body")
    assert answer.exit_code == 0, answer.output
    assert len(answer.target["windows"]) == 2 and answer.totals["complete_downloads"] == 3  # nothing changes
    assert _said(answer) == [SAID]
    assert "window 2 may be no republication" in " ".join(answer.output.split())  # the terminal
    assert sentence(SAID, {"lang": "nl"}).startswith(  # type: ignore[arg-type]
        "venster 2 is mogelijk geen herpublicatie: zijn beschikbare antwoorden (1, elk een overdracht van het "
        "bestand, het eerste 220 seconden na het eerste onbeschikbare antwoord van venster 1")


def test_a_republication_a_head_or_a_log_of_arrivals_is_not_said(tmp_path: Path) -> None:
    later = [clf("198.51.100.5", t(8, 8, 4, 10), T, size=SIZE), clf("198.51.100.7", t(8, 8, 20), T, size=SIZE)]
    assert _said(analyse(tmp_path / "later", "access.log", _log(later), T, "--bytes", "body")) == []
    head = [clf("198.51.100.5", t(8, 8, 4, 10), T, size=0, method="HEAD")]
    assert _said(analyse(tmp_path / "head", "access.log", _log(head), T, "--bytes", "body")) == []
    arrival = _log([clf("198.51.100.5", t(8, 8, 4, 10), T, size=SIZE)])
    assert _said(analyse(tmp_path / "apache", "access.log", arrival, T, "--bytes", "body", "--log-format",
                         '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"')) == []


def test_files_says_it_too(tmp_path: Path) -> None:
    import csv
    import io
    import json

    from typer.testing import CliRunner

    from exposure.cli import app

    log = tmp_path / "web1" / "access.log"
    log.parent.mkdir()
    log.write_text(_log([clf("198.51.100.5", t(8, 8, 4, 10), T, size=SIZE)]))
    case = str(tmp_path / "case.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--case", case, str(log.parent), "--bytes", "body"]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", case, "--csv"])
    assert result.exit_code == 0, result.output
    assert f"warning: {T}: {SAID}" in " ".join(result.stderr.split())
    row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["path"] == T)
    assert json.loads(row["reopened_in_flight"]) == [
        {"closed": 1, "reopened": 2, "responses": 1, "seconds": 220, "stream": "web1/access.log"}]


def test_the_report_bundle_holds_its_sql() -> None:
    from exposure.report.model import queries_text

    sql = queries_text()  # after the rule it reads: the bundle pastes into a DuckDB shell in order
    assert sql.index("-- name: download_rule  (queries/") < sql.index("-- name: window_reopened_in_flight  (queries/")
    assert "FROM rule_reopened_in_flight('target_rule_events', 'target_rule_windows')" in sql
