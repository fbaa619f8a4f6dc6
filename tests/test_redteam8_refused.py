"""Red team 8: a file taken down that the server answers with 403, not 404.

S3 answers a GET for a deleted object with 403 AccessDenied where the reader may not list the bucket (the usual
policy of a public bucket: s3:GetObject alone), and a file whose access was closed answers 403 on any server.
The rule counts only 404/410 as unavailable, so such a window stayed "still available when the logs end" and
nothing said that every later request was refused: an investigator told the regulator the file was still online.
Now queries/windows.sql refused_after_window finds it and a warning says it (terminal, JSON, page 1); no window
or figure changes."""

from __future__ import annotations

from pathlib import Path

from tests.servers import accounted, analyse
from tests.test_servers_aws import SIZE, TARGET, _s3


def _log(*later: tuple[str, str, int, str]) -> str:
    rows = [_s3(f"09:0{i}:00", f"198.51.100.{i + 1}", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1",
                200, "-", SIZE, SIZE, "") for i in range(3)]
    rows += [_s3(time, ip, "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", status, error, 243, "-", "")
             for time, ip, status, error in later]
    return "\n".join(rows) + "\n"


def test_a_window_refused_after_its_last_response_says_the_file_may_have_been_withdrawn(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "2020-06-08-12-00-00-ABCDEF0123456789",
                     _log(("10:00:00", "198.51.100.9", 403, "AccessDenied"),
                          ("11:30:00", "198.51.100.10", 403, "AccessDenied"),
                          ("11:31:00", "198.51.100.10", 403, "AccessDenied")), TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [window] = answer.target["windows"]
    # the rule is unchanged: no 404/410, so the window is open by the definition
    assert (window["last_available"], window["first_unavailable"], window["still_available_at_log_end"]) == (
        "2020-06-08T09:02:00Z", None, True)
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (3, 3)
    log = tmp_path / "logs" / "2020-06-08-12-00-00-ABCDEF0123456789"
    said = [w for w in answer.target["warnings"] if "withdrawn" in w]
    assert said == [
        "window 1 may have been withdrawn: 3 refusals (403) to 2 addresses from 2020-06-08T10:00:00Z to "
        "2020-06-08T11:31:00Z and no other response after its last available response, never available again, "
        "though no 404 or 410 closes the window (still available when the logs end, by the rule); first refusal "
        f"{log}:4; S3 answers a deleted object with 403 where the reader may not list the bucket, and a file whose "
        "access was closed answers 403 too"]

    from exposure.report.i18n import strings
    from exposure.report.wording import sentence
    assert sentence(said[0], strings("nl")).startswith(
        "venster 1 is mogelijk teruggetrokken: 3 weigeringen (403) aan 2 adressen van 2020-06-08T10:00:00Z tot "
        "2020-06-08T11:31:00Z en geen ander antwoord na het laatste beschikbare antwoord")


def test_a_refusal_that_a_404_or_a_later_download_follows_says_nothing(tmp_path: Path) -> None:
    closed = analyse(tmp_path / "closed", "2020-06-08-12-00-00-ABCDEF0123456789",
                     _log(("10:00:00", "198.51.100.9", 403, "AccessDenied"),
                          ("11:00:00", "198.51.100.9", 404, "NoSuchKey")), TARGET)
    assert closed.target["windows"][0]["first_unavailable"] == "2020-06-08T11:00:00Z"
    assert [w for w in closed.target["warnings"] if "withdrawn" in w] == []
    # a 403 to one client inside a window (a WAF, a signed URL expired) is no withdrawal
    inside = _log(("09:03:30", "198.51.100.9", 403, "AccessDenied")) + _s3(
        "09:05:00", "198.51.100.7", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 200, "-", SIZE,
        SIZE, "") + "\n"
    later = analyse(tmp_path / "later", "2020-06-08-12-00-00-ABCDEF0123456789", inside, TARGET)
    assert later.totals["complete_downloads"] == 4
    assert [w for w in later.target["warnings"] if "withdrawn" in w] == []


def test_the_report_bundle_holds_the_sql_of_its_caveats() -> None:
    """Page 1's caveats of queries/windows.sql carry numbers: their SQL is in the bundle's queries.sql."""
    from exposure.report.model import queries_text

    sql = queries_text()
    for name in ("counts_below_given_size", "refused_after_window"):
        assert f"-- name: {name}  (queries/windows.sql:" in sql
    assert "refusal_statuses() AS [401, 403, 451]" in sql


def test_files_says_the_first_refusal_after_an_open_last_window(tmp_path: Path) -> None:
    """`files` reads the same rule (rule_refused_after): refused_after in JSON/CSV, a column of the table where
    some file has one."""
    import json

    from typer.testing import CliRunner

    from exposure.cli import app

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2020-06-08-12-00-00-ABCDEF0123456789").write_text(
        _log(("10:00:00", "198.51.100.9", 403, "AccessDenied"), ("11:30:00", "198.51.100.10", 403, "AccessDenied")))
    runner, case = CliRunner(env={"COLUMNS": "250"}), str(tmp_path / "case.duckdb")
    assert runner.invoke(app, ["ingest", "--case", case, str(logs)]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", case, "--json"])
    [row] = json.loads(result.stdout)
    assert (row["path"], row["withdrawn_at"], row["refused_after"], row["complete_downloads"]) == (
        TARGET, None, "2020-06-08T10:00:00Z", 3)
    table = runner.invoke(app, ["files", "--case", case]).output
    assert "refused_after" in table and "2020-06-08T10:00:00Z" in table
