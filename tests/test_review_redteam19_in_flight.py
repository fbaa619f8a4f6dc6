"""Review of red team 19's rule_reopened_in_flight (queries/downloads_rule.sql), through analyse's JSON warnings and
`files`' column (one rule, both doors).

1. Two servers behind one load balancer, each logging the 404 itself: web1's first 404 closes window 1, web2 logs
   its own 404 ten seconds later and then, at its end, a 50 MB download begun before the withdrawal
   (/tmp/review_redteam19/c1_two_streams). rule_reopened_elsewhere is silent (the reopening stream logged the file
   gone itself) and rule_reopened_in_flight asked for the stream of the first 404 alone: nothing said, where one
   server's log of the same lines says it.
2. An IIS log whose time-taken (15 ms) puts the reopening request's start five minutes after the 404
   (/tmp/review_redteam19/c2_iis_time_taken): the log itself says the download was begun after the withdrawal, a
   republication, yet the warning said the window may be none.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.wording import sentence
from tests.logs import clf, t
from tests.servers import GEO_OFF

pytestmark = pytest.mark.slow

T = "/docs/leak.xlsx"
SIZE = 50_000_000


def _said(tmp_path: Path, files: dict[str, str], target: str = T) -> tuple[list[str], list[dict]]:
    """analyse's in-flight warnings (JSON) and `files`' reopened_in_flight of the target (CSV)."""
    logs = tmp_path / "logs"
    for name, text in files.items():
        (logs / name).parent.mkdir(parents=True, exist_ok=True)
        (logs / name).write_text(text)
    out, case = tmp_path / "answer.json", str(tmp_path / "case.duckdb")
    runner = CliRunner()
    result = runner.invoke(app, ["analyse", str(logs), "--case", case, "--target", target, "--json", str(out),
                                 "--quiet", "--bytes", "body", *GEO_OFF])
    assert result.exit_code == 0, result.output
    warnings = json.loads(out.read_text())["targets"][0]["warnings"]
    listed = runner.invoke(app, ["files", "--case", case, "--csv"])
    assert listed.exit_code == 0, listed.output
    row = next(r for r in csv.DictReader(io.StringIO(listed.stdout)) if r["path"] == target)
    return [w for w in warnings if "window_reopened_in_flight" in w], json.loads(row["reopened_in_flight"])


# web2: a download before, its own 404 at 08:08:10, a 50 MB 200 logged at 08:12:10 (in flight), another page
WEB2_OWN_404_THEN_IN_FLIGHT = [
    clf("198.51.100.2", t(8, 8, 7, 45), T, size=SIZE), clf("198.51.100.4", t(8, 8, 8, 10), T, status=404, size=153),
    clf("198.51.100.5", t(8, 8, 12, 10), T, size=SIZE), clf("198.51.100.7", t(8, 8, 30), "/index.html", size=5120)]


def test_a_download_in_flight_on_the_other_server_that_logged_its_own_404_is_said(tmp_path: Path) -> None:
    web1 = [clf("198.51.100.1", t(8, 8, 7, 40), T, size=SIZE), clf("198.51.100.3", t(8, 8, 8, 0), T, status=404,
                                                                    size=153),
            clf("198.51.100.6", t(8, 8, 30), "/index.html", size=5120)]
    web2 = WEB2_OWN_404_THEN_IN_FLIGHT
    said, column = _said(tmp_path, {"web1/access.log": "\n".join(web1) + "\n",
                                    "web2/access.log": "\n".join(web2) + "\n"})
    assert len(said) == 1 and said[0].startswith(
        "window 2 may be no republication: its available responses (1, each a transfer of the file, the first 250 "
        "seconds after window 1's first unavailable response, all within 10 minutes of it) are each in a log "
        "that logged the file unavailable itself before it (stream web2/access.log)"), said
    assert column == [{"closed": 1, "reopened": 2, "seconds": 250, "responses": 1, "stream": "web2/access.log"}]


def test_a_server_that_logged_no_404_itself_stays_reopened_elsewhere(tmp_path: Path) -> None:
    web1 = [clf("198.51.100.1", t(8, 8, 7, 40), T, size=SIZE), clf("198.51.100.3", t(8, 8, 8, 0), T, status=404,
                                                                    size=153),
            clf("198.51.100.6", t(8, 8, 30), "/index.html", size=5120)]
    web2 = [clf("198.51.100.2", t(8, 8, 7, 45), T, size=SIZE), clf("198.51.100.5", t(8, 8, 12, 10), T, size=SIZE),
            clf("198.51.100.7", t(8, 8, 30), "/index.html", size=5120)]
    said, column = _said(tmp_path, {"web1/access.log": "\n".join(web1) + "\n",
                                    "web2/access.log": "\n".join(web2) + "\n"})
    assert said == [] and column == []  # window_reopened_elsewhere's case: its clock may differ


IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 08:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n")


def _iis(time: str, client: str, status: int, size: int, taken: int, path: str = "/docs/note.pdf") -> str:
    return (f"2020-06-08 {time} 10.0.0.5 GET {path} - 443 - {client} Mozilla/5.0+Firefox/77.0 - {status} 0 "
            f"{0 if status == 200 else 2} {size} {taken}")


@pytest.mark.parametrize(("taken", "in_flight"), [(15, False), (300_000, True), (299_000, True)])
def test_a_time_taken_that_starts_the_request_after_the_404_is_a_republication(tmp_path: Path, taken: int,
                                                                                 in_flight: bool) -> None:
    # logged at 08:13:00, 300 s after the 404 (08:08:00): taken 15 ms began at 08:12:59, after it (a republication);
    # 300 s or 299 s (within the second the 404 was logged in) may have begun before it
    lines = [_iis("08:07:40", "198.51.100.1", 200, 20400, 31), _iis("08:08:00", "198.51.100.3", 404, 1245, 2),
             _iis("08:13:00", "198.51.100.5", 200, 20400, taken),
             _iis("08:30:00", "198.51.100.6", 200, 5120, 3, "/index.html")]
    said, column = _said(tmp_path, {"W3SVC1/u_ex200608.log": IIS_HEAD + "\n".join(lines) + "\n"}, "/docs/note.pdf")
    assert bool(said) is in_flight and bool(column) is in_flight, said


def test_downloads_in_flight_on_both_servers_each_after_its_own_404_are_said(tmp_path: Path) -> None:
    # both servers behind the balancer log the 404 and then a download begun before the withdrawal
    # (/tmp/review_redteam19/c7_two_streams_both): window 2 holds both, each after its own server's 404
    web1 = [clf("198.51.100.1", t(8, 8, 7, 40), T, size=SIZE), clf("198.51.100.3", t(8, 8, 8, 0), T, status=404,
                                                                    size=153),
            clf("198.51.100.8", t(8, 8, 11, 0), T, size=SIZE), clf("198.51.100.6", t(8, 8, 30), "/index.html",
                                                                   size=5120)]
    web2 = WEB2_OWN_404_THEN_IN_FLIGHT
    said, column = _said(tmp_path, {"web1/access.log": "\n".join(web1) + "\n",
                                    "web2/access.log": "\n".join(web2) + "\n"})
    assert len(said) == 1 and said[0].startswith(
        "window 2 may be no republication: its available responses (2, each a transfer of the file, the first 180 "
        "seconds after window 1's first unavailable response, all within 10 minutes of it) are each in a log that "
        "logged the file unavailable itself before it (stream web1/access.log, web2/access.log)"), said
    assert column == [{"closed": 1, "reopened": 2, "seconds": 180, "responses": 2,
                       "stream": "web1/access.log, web2/access.log"}]
    dutch = sentence(said[0], {"lang": "nl"})  # type: ignore[arg-type]
    assert "staan elk in een log die het bestand zelf eerder onbeschikbaar logde (stroom web1/access.log, " in dutch
