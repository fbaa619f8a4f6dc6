"""A W3C log of Microsoft's FTP service is no log of HTTP requests: IIS 4-6 write `[session]COMMAND` where an HTTP
log has its method (`[3]sent /user/test.c 226`, `[2]PASS user@domain.com 230`), IIS 7.5+ FTP adds `x-session`
to its #Fields. Read as requests they were garbage (method `[2]USER`, the FTP user name and password as the
path, an FTP reply code as the status: lnav's logfile_w3c.2 gave 14 such requests). Each such line is rejected
with what it is, so the file is evidence not read (the finding `all lines rejected`, exit 3), never requests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.w3c import FTP_REASON, IIS, W3C

from .parse_lines import parse_lines, realworld_lines


def test_lnav_iis_ftp_log_is_rejected_line_by_line() -> None:
    """lnav test/logfile_w3c.2: two IIS 4.0 FTP header blocks (`#Fields: time c-ip cs-method cs-uri-stem
    sc-status`), 14 command lines."""
    rows = parse_lines(W3C, realworld_lines("lnav/test/logfile_w3c.2"))
    assert [r["verdict"] for r in rows].count("request") == 0
    rejected = [r for r in rows if r["verdict"] == "rejected"]
    assert len(rejected) == 14 and {r["reason"] for r in rejected} == {FTP_REASON}
    assert rejected[5]["line_text"] == "16:48:35 1.1.1.1 [3]sent /user/test.c 226"


def test_iis_ftp_7_fields_are_rejected_an_http_line_is_read() -> None:
    ftp = ("#Fields: date time c-ip c-port cs-username s-ip s-port cs-method cs-uri-stem sc-status sc-win32-status "
           "sc-substatus x-session x-fullpath")
    http = "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes"
    rows = parse_lines(IIS, [
        ftp, "2020-06-08 09:00:01 198.51.100.7 50123 anonymous 10.0.0.5 21 RETR x.xlsx 226 0 0 4c1e6f2a /x.xlsx",
        http, "2020-06-08 09:00:02 198.51.100.7 GET /x.xlsx 200 18412",
        "2020-06-08 09:00:03 198.51.100.7 [4]GET /x.xlsx 200 18412"])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("skipped", "header"), ("rejected", FTP_REASON), ("skipped", "header"), ("request", None),
        ("rejected", FTP_REASON)]


@pytest.mark.slow
def test_an_ftp_log_makes_the_answer_incomplete(tmp_path: Path) -> None:
    """An IIS FTP log among web logs: exit 3, its file `all lines rejected`, each line's reason the FTP one; the web
    log still answers. (A whole analyse run: CLI and API.)"""
    from tests.servers import analyse

    text = b"\n".join(realworld_lines("lnav/test/logfile_w3c.2")) + b"\n"
    answer = analyse(tmp_path, "ex001009.log", text, "/user/test.c")
    assert answer.exit_code == 3, answer.output
    assert [f["kind"] for f in answer.cli["findings"] if f["path"] and f["path"].endswith("ex001009.log")] == [
        "all lines rejected"]
    assert (answer.rows, {r["reason"] for r in answer.rejects}) == ([], {FTP_REASON})
