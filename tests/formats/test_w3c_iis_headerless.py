"""IIS lines without their #Fields header: each version's default layout, chosen by value count and shape.

Real lines (headers as each server wrote them, then dropped here): IIS 6.0 from a public CTF write-up of an IIS
log (`#Software: Microsoft Internet Information Services 6.0`, W3SVC1 lines) and a code comment quoting an
IIS 6.0 log (easyDNS monitoring line); IIS 7.5 from elastic/beats filebeat/module/iis/access/test/
test-iis-7.5.log; IIS 8.5 from a public exercise quoting `#Software: Microsoft Internet Information Services 8.5`
(YandexBot line); Azure App Service and every-field layouts from ../shared/realworld when present.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import Case
from exposure.formats.w3c import IIS_ASSUMED
from exposure.ingest import IngestOptions

from ..conftest import REALWORLD, write_log
from .parse_lines import parse_lines

IIS6 = ("2015-10-21 09:16:34 W3SVC1 192.168.1.135 GET /index.htm - 80 - 192.168.1.101 "
        "Mozilla/5.0+(Macintosh;+Intel+Mac+OS+X+10.10;+rv:41.0)+Gecko/20100101+Firefox/41.0 200 0 0")
IIS6_MONITOR = ("2016-01-01 00:00:11 W3SVC1 192.168.22.6 GET /iisstart.htm - 443 - 205.210.42.86 "
                "easyDNS+Monitoring+(+http://easyurl.net/monitoring+) 200 0 0")
IIS75 = "2019-03-06 18:43:17 10.0.140.107 GET /health-monitoring - 80 - 10.0.140.2 - 200 0 0 15"
IIS85 = ("2017-03-15 00:03:31 217.21.43.21 GET /contests/7/problems/3551/ - 443 - 93.158.152.28 "
         "Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots) - 200 0 0 205")


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(IIS6, ("192.168.1.101", "/index.htm", 200, None, datetime(2015, 10, 21, 9, 16, 34)), id="iis6"),
    pytest.param(IIS6_MONITOR, ("205.210.42.86", "/iisstart.htm", 200, None, datetime(2016, 1, 1, 0, 0, 11)),
                 id="iis6-monitor"),
    pytest.param(IIS75, ("10.0.140.2", "/health-monitoring", 200, 15.0, datetime(2019, 3, 6, 18, 43, 17)), id="iis75"),
    pytest.param(IIS85, ("93.158.152.28", "/contests/7/problems/3551/", 200, 205.0, datetime(2017, 3, 15, 0, 3, 31)),
                 id="iis85"),
])
def test_default_layouts_by_count_and_shape(line: str, expected: tuple) -> None:
    row = parse_lines(IIS_ASSUMED, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert (row["client"], row["path"], row["status"], row["duration_ms"], row["ts_utc"]) == expected


def test_the_layouts_used_are_recorded_per_file(tmp_path: Path) -> None:
    log = write_log(tmp_path / "u_ex.log", [IIS6, IIS75, IIS75, IIS85])
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([log], IngestOptions())
        fmt, requests, definition = case.con.execute(
            "SELECT format, requests, format_definition FROM evidence").fetchone()
    assert (fmt, requests) == ("iis", 4)
    assert definition.startswith("no #Fields header: IIS layout assumed from each line's value count and shape; "
                                 "read with IIS 6.0 default (1 lines): date time s-sitename s-ip")
    assert "IIS 7.0-8.0 default (2 lines)" in definition and "IIS 8.5-10 default (1 lines)" in definition


@pytest.mark.parametrize("rel", ["filebeat-beats-current-index/iis-access/access-azure.log",
                                 "matomo-log-analytics/logs/iis.log"])
def test_azure_and_every_field_layouts_without_header(tmp_path: Path, rel: str) -> None:
    path = REALWORLD / rel
    if not path.is_file():
        pytest.skip(f"{rel} absent")
    lines = [ln for ln in path.read_bytes().split(b"\n") if ln.strip() and not ln.startswith(b"#")]
    rows = parse_lines(IIS_ASSUMED, lines)
    assert [r["verdict"] for r in rows] == ["request"] * len(rows)
    assert all(r["status"] is not None and r["method"] and r["client"] for r in rows)


def test_format_iis_forced_on_lines_without_header_reads_them(tmp_path: Path) -> None:
    """`exposure formats` lists both IIS forms under the one name `iis`, and detection reads header-less lines
    as IIS; `--format iis` forced on the same file rejected every line ("probably not the iis format": the
    #Fields reader alone). Forced, `iis` now reads a file without #Fields as detection does, and a file with
    its header by the header."""
    bare = write_log(tmp_path / "bare" / "u_ex.log", [IIS6, IIS75, IIS85])
    header = write_log(tmp_path / "head" / "u_ex.log", [
        "#Software: Microsoft Internet Information Services 10.0",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
        "cs(Referer) sc-status sc-substatus sc-win32-status time-taken",
        IIS85])
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([bare, header], IngestOptions(format="iis"))
        rows = case.con.execute("SELECT path, format, requests, rejected, skipped, coalesce(format_definition "
                                "LIKE 'no #Fields header%', false) FROM evidence ORDER BY path").fetchall()
    assert rows == [(str(bare), "iis", 3, 0, 0, True), (str(header), "iis", 1, 0, 2, False)]
