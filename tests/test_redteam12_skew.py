"""Red team 12: two servers behind one load balancer, web2's clock 90 seconds ahead, the file removed from both at
13:00:00. web2's last 200s are written up to 13:01:30, after web1's first 404s: the rule makes windows 1, 2 and 3
(withdrawn and republished twice in two minutes; /tmp/redteam12/N), exit 0, no word. The windows stay as the rule
makes them; the answer now says they may be one (queries/windows.sql window_reopened_elsewhere)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.conftest import write_log

TARGET = "/docs/leak.xlsx"
runner = CliRunner(env={"COLUMNS": "200"})


def _line(when: datetime, status: int, client: str = "192.0.2.5") -> str:
    size = 734003 if status == 200 else 153
    return f'{client} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {TARGET} HTTP/1.1" {status} {size} "-" "Mozilla/5.0"'


def _case(tmp_path: Path, skew: int, web2_404: bool = True) -> list[str]:
    """A request every 20 s to each server from 12:50 to 13:10 real time; removal at 13:00:00; web2 writes its
    clock `skew` seconds ahead."""
    _write(tmp_path, skew, web2_404)
    with Case() as case:
        case.ingest([tmp_path])
        answer = case.analyse([TARGET], AnalysisOptions())
    return [w for w in answer["targets"][0]["warnings"] if "may be one" in w]


def _write(tmp_path: Path, skew: int, web2_404: bool = True) -> None:
    removal = datetime(2020, 6, 10, 13, 0, 0)
    web1, web2 = [], []
    for i in range(60):
        real = datetime(2020, 6, 10, 12, 50, 10) + timedelta(seconds=20 * i)
        status = 200 if real < removal else 404
        web1.append(_line(real, status))
        if status == 200 or web2_404:
            web2.append(_line(real + timedelta(seconds=10 + skew), status if real + timedelta(seconds=10) < removal
                              else 404, "192.0.2.6"))
    write_log(tmp_path / "web1" / "access.log", web1)
    write_log(tmp_path / "web2" / "access.log", web2)


def test_a_window_reopened_by_another_server_s_log_within_minutes_is_said(tmp_path: Path) -> None:
    said = _case(tmp_path, skew=90)
    # web1's first 404 (13:00:10) and web2's 200 of 12:58:40 written 13:00:10 share a second: the 404 first (the
    # rule's order: time, evidence file, line), so window 2 opens 0 seconds after it
    # web2's 200s written 13:00:10, :30, :50 and 13:01:10 each follow a web1 404 of the same second: five windows
    # of one, each pair said
    assert [w[:26] for w in said] == [f"windows {n} and {n + 1} may be one" for n in range(1, 5)]
    assert said[:1] == [
        "windows 1 and 2 may be one: window 2 opened 0 seconds after window 1's first unavailable response, in the "
        "log of another server (stream web2/access.log; the unavailable response is stream web1/access.log's): "
        "servers behind one load balancer whose clocks differ, or from which the file was removed one after the "
        "other, make one withdrawal read as a withdrawal and a republication; compare the servers' clocks before "
        "reading them as two (queries/windows.sql window_reopened_elsewhere)"]
    assert sentence(said[0], strings("nl")).startswith(
        "vensters 1 en 2 zijn mogelijk één: venster 2 begon 0 seconden na het eerste onbeschikbare antwoord van "
        "venster 1, in de log van een andere server (stroom web2/access.log;")


def test_clocks_that_agree_make_one_window_and_say_nothing(tmp_path: Path) -> None:
    assert _case(tmp_path, skew=0) == []


def test_a_republication_an_hour_later_is_not_said(tmp_path: Path) -> None:
    """web2 serves the file again an hour after the removal (its clock right): a republication, not a skew."""
    assert _case(tmp_path, skew=3600, web2_404=False) == []


def test_one_server_that_serves_the_file_again_minutes_later_is_not_said(tmp_path: Path) -> None:
    """One log: 404s from 13:00:10, the file back at 13:05:10 (replaced by a fixed version): its own log shows both,
    no other server's clock is involved."""
    lines = [_line(datetime(2020, 6, 10, 12, 55, 10) + timedelta(seconds=20 * i), 404 if 15 <= i < 30 else 200)
             for i in range(45)]
    write_log(tmp_path / "web1" / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path])
        answer = case.analyse([TARGET], AnalysisOptions())
    assert len(answer["targets"][0]["windows"]) == 2
    assert [w for w in answer["targets"][0]["warnings"] if "may be one" in w] == []


def test_a_server_that_logged_the_withdrawal_itself_and_serves_the_file_again_is_not_said(tmp_path: Path) -> None:
    """/tmp/review_redteam12/skew: web1 and web2 alternate every 20 s, clocks agree, both answer 404 from 12:00 to
    12:05 (web2 its own up to 12:04:20), the file back at 12:05:00, first on web2. web2's own lines show the file
    gone and back: a republication, no clock. Red team 12 said 'windows 1 and 2 may be one ... clocks differ'.
    Seen red with the reopening stream's own-404 condition (NOT EXISTS) dropped."""
    web1, web2 = [], []
    for i in range(60):
        when = datetime(2020, 6, 10, 11, 50, 0) + timedelta(seconds=20 * i)
        status = 404 if datetime(2020, 6, 10, 12, 0, 0) <= when < datetime(2020, 6, 10, 12, 5, 0) else 200
        (web2 if i % 2 else web1).append(_line(when, status, f"192.0.2.{i + 1}"))
    write_log(tmp_path / "web1" / "access.log", web1)
    write_log(tmp_path / "web2" / "access.log", web2)
    with Case() as case:
        case.ingest([tmp_path])
        answer = case.analyse([TARGET], AnalysisOptions())
    windows = answer["targets"][0]["windows"]
    # the 404 of 12:00:00 is web1's (even lines), the 200 of 12:05:00 web2's (odd lines)
    assert [(w["first_unavailable"], w["first_available"]) for w in windows] == [
        ("2020-06-10T12:00:00Z", "2020-06-10T11:50:00Z"), (None, "2020-06-10T12:05:00Z")]
    assert [w for w in answer["targets"][0]["warnings"] if "may be one" in w] == []


def test_files_says_the_same_pairs_by_the_same_rule(tmp_path: Path) -> None:
    """`files` showed the doubled windows with no remark; it reads the same rule (queries/downloads_rule.sql
    rule_reopened_elsewhere) and says each pair on stderr, the words analyse says. Seen red (no warning) with
    the CLI's loop over reopened_elsewhere removed, and the JSON column [] with files.sql's reopened CTE made
    empty (WHERE false)."""
    logs, case = tmp_path / "logs", tmp_path / "case.duckdb"
    said = _case(logs, skew=90)
    assert len(said) == 4
    assert runner.invoke(app, ["ingest", "--case", str(case), str(logs), "--quiet"]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case)])
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "may be one" in line] == [
        f"warning: {TARGET}: {w}" for w in said]
    rows = json.loads(runner.invoke(app, ["files", "--case", str(case), "--json"]).stdout)
    assert [(p["closed"], p["reopened"]) for p in rows[0]["reopened_elsewhere"]] == [(n, n + 1) for n in range(1, 5)]
