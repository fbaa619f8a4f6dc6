"""Apache httpd's `%b` (upstream `common` and `combined`) is `r->bytes_sent`, which `ap_content_length_filter`
(server/protocol.c) adds up as the response's buckets pass (`r->bytes_sent += e->length`), before a byte reaches
the network: a static file's FILE bucket is its whole length at once. So a download the client broke off at
12,000 bytes is logged `200 50000`, as a complete one is (Apache wiki ResponseSize: `%b` "logs the size of the
object requested by the client, but not necessarily the number of bytes actually delivered"; mod_logio's `%O`
counts what was written). The log cannot tell the two apart; the answer says that its complete downloads
rest on counts of what Apache handed on, where the log may be Apache's `%b` (queries/downloads_rule.sql
rule_complete_on_sent_counts: every door, never a finding). Not said where the log's own flag (%X) says how each
transfer ended, where counts include headers (%O), nor of IIS (sc-bytes with headers, sc-win32-status).
Input kept in /tmp/defaults/apache-b-abort (TRUTH.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.answer import SENT_NOT_RECEIVED
from exposure.warningkinds import warning_kind
from tests.servers import accounted, analyse, files_row
from tests.test_servers_aws import _s3
from tests.test_servers_w3c import IIS_ROWS, _iis

pytestmark = pytest.mark.slow

SIZE = 50000
TARGET = "/dl/leak.pdf"


def _clf(ip: str, time: str, method: str, status: int, count: int | str) -> str:
    return f'{ip} - - [08/Jun/2020:{time} +0200] "{method} {TARGET} HTTP/1.1" {status} {count} "-" "Mozilla/5.0"'


LOG = "\n".join([
    _clf("198.51.100.1", "09:00:00", "GET", 200, SIZE),
    _clf("198.51.100.2", "09:01:00", "GET", 200, SIZE),  # the client broke off at 12,000 bytes: Apache logs 50000
    _clf("198.51.100.3", "09:02:00", "HEAD", 200, "-"),
    _clf("198.51.100.4", "09:03:00", "GET", 304, "-"),
    _clf("198.51.100.9", "10:00:00", "GET", 404, 196),
]) + "\n"


# the same requests as an Apache LogFormat with %X (+ kept alive, X aborted, - closed) or %O (headers and body)
FLAGGED = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %X'
WIRE = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"'


def _said(answer: object) -> list[str]:
    return [w for w in answer.target["warnings"] if SENT_NOT_RECEIVED in w]  # type: ignore[attr-defined]


def test_complete_by_an_apache_b_count_is_said_to_be_sent_not_received(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", LOG, TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert answer.outcomes() == [("198.51.100.1", "complete"), ("198.51.100.2", "complete")]
    assert answer.cli["evidence_status"]["complete"] is True  # a statement of meaning, never a finding
    assert (answer.target["complete_on_sent_counts"], answer.target["sent_count_formats"]) == (2, ["combined"])
    assert [w["complete_on_sent_counts"] for w in answer.target["windows"]] == [2]
    [said] = _said(answer)
    assert said.startswith("2 of the 2 complete downloads rest on a body byte count alone (combined: Apache's %b "), said
    assert warning_kind(said) == "sent_not_received"
    row = files_row(tmp_path, TARGET)  # `files`: the same number by the same rule
    assert (row["complete_on_sent_counts"], row["sent_count_formats"]) == (2, ["combined"])
    assert (row["complete_on_sent_counts"], row["sent_count_formats"]) == (
        answer.target["complete_on_sent_counts"], answer.target["sent_count_formats"])  # the doors agree


def test_a_completion_flag_on_every_line_is_not_said(tmp_path: Path) -> None:
    """%X says how each transfer ended: the answer is the log's own word, not a count alone."""
    flagged = LOG.replace('"Mozilla/5.0"\n', '"Mozilla/5.0" +\n')
    answer = analyse(tmp_path, "access.log", flagged, TARGET, "--log-format", FLAGGED)
    assert answer.exit_code == 0, answer.output
    assert answer.outcomes() == [("198.51.100.1", "complete"), ("198.51.100.2", "complete")]
    assert answer.target["complete_on_sent_counts"] == 0 and not _said(answer)


def test_counts_with_headers_are_not_said(tmp_path: Path) -> None:
    """%O counts what was written to the connection, headers and body: not a count Apache handed on."""
    answer = analyse(tmp_path, "access.log", LOG, TARGET, "--log-format", WIRE)
    assert answer.exit_code == 0, answer.output
    assert answer.cli["evidence"][0]["bytes_meaning"] == "headers+body"
    assert answer.target["complete_on_sent_counts"] == 0 and not _said(answer)


def test_iis_is_not_said(tmp_path: Path) -> None:
    """IIS sc-bytes counts headers and body as sent, sc-win32-status says how the send ended."""
    answer = analyse(tmp_path, "u_ex200608.log", _iis(IIS_ROWS, with_bytes=True), "/docs/leak.xlsx")
    assert answer.exit_code == 0, answer.output
    assert [o for _, o in answer.outcomes()].count("complete") >= 1
    assert answer.target["complete_on_sent_counts"] == 0 and not _said(answer)


def test_s3_body_counts_are_not_said(tmp_path: Path) -> None:
    """S3's bytes_sent counts the body and the log has no completion flag, yet no Apache wrote it: not said."""
    rows = [_s3(t, ip, "REST.GET.OBJECT", "docs/leak.xlsx", "GET /docs/leak.xlsx HTTP/1.1", 200, "-", 18412, 18412, "")
            for t, ip in (("09:00:00", "198.51.100.1"), ("09:01:00", "198.51.100.2"))]
    answer = analyse(tmp_path, "2020-06-08-09-00-00-ABCDEF0123456789", "\n".join(rows) + "\n", "/docs/leak.xlsx")
    assert answer.exit_code == 0, answer.output
    assert answer.cli["evidence"][0]["bytes_meaning"] == "body"
    assert answer.outcomes() == [("198.51.100.1", "complete"), ("198.51.100.2", "complete")]
    assert answer.target["complete_on_sent_counts"] == 0 and not _said(answer)


def test_files_says_it_once_for_every_file_so_counted(tmp_path: Path) -> None:
    """`files` over a site: one line for every file whose complete downloads rest on such counts (each file's number
    in its column), never the same sentence once per served file."""
    from typer.testing import CliRunner

    from exposure.cli import app

    other = LOG.replace(TARGET, "/dl/other.pdf").replace("198.51.100.", "203.0.113.")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "access.log").write_text(LOG + other)
    case, runner = tmp_path / "case.duckdb", CliRunner()
    assert runner.invoke(app, ["ingest", "--case", str(case), str(tmp_path / "logs")]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if SENT_NOT_RECEIVED in line]
    assert len(said) == 1, said
    assert said[0].startswith("warning: 2 files: 4 of the 4 complete downloads rest on a body byte count alone "
                              "(combined: "), said[0]
