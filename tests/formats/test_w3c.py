"""IIS / W3C extended logs: #Fields that change mid-file, UTC times, '+' for spaces, quoted values."""

from __future__ import annotations

import functools
from datetime import datetime

import pytest

from exposure import Case
from exposure import ingest as ingest_mod
from exposure.formats import w3c
from exposure.formats.detect import detect_format
from exposure.formats.w3c import IIS, W3C
from exposure.ingest import IngestOptions

from .parse_lines import parse_lines

HEAD = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0", "#Date: 2020-06-08 00:00:00"]
FIELDS = ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version "
          "cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")


def _request(lines: list[str], fmt=IIS) -> dict:
    rows = parse_lines(fmt, lines)
    reqs = [r for r in rows if r["verdict"] == "request"]
    assert len(reqs) == 1, rows
    return reqs[0]


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param("2020-06-08 12:12:18 192.0.2.1 GET /Docs/X.xlsx a=1&b=2 443 - 198.51.100.7 HTTP/1.1 "
                 "Mozilla/5.0+(Windows+NT+10.0;+Win64) https://www.example.nl/?q=a+b www.example.nl 200 0 0 "
                 "18712 420 31",
                 {"ts_utc": datetime(2020, 6, 8, 12, 12, 18), "client": "198.51.100.7", "method": "GET",
                  "path": "/Docs/X.xlsx", "query": "a=1&b=2", "protocol": "HTTP/1.1",
                  "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64)", "referer": "https://www.example.nl/?q=a b",
                  "vhost": "www.example.nl", "status": 200, "bytes": 18712, "duration_ms": 31.0, "userid": None},
                 id="iis-full"),
    pytest.param("2020-06-08 12:12:18 192.0.2.1 GET /a%20b.pdf - 80 DOMAIN\\user 2001:db8::7 HTTP/1.1 - - - 404 "
                 "0 2 1245 300 0",
                 {"path": "/a b.pdf", "query": None, "userid": "DOMAIN\\user", "client": "2001:db8::7",
                  "user_agent": None, "referer": None, "vhost": None, "status": 404}, id="dashes-ipv6-encoded-stem"),
    pytest.param("2020-06-08 12:12:18 192.0.2.1 GET /x - 444  alice 198.51.100.7 HTTP/1.1 UA - h 200 0 0 10 5 1",
                 {"userid": "alice", "client": "198.51.100.7", "status": 200, "bytes": 10}, id="double-space-padding"),
    pytest.param("2020-06-08 12:12:18.250 192.0.2.1 GET /x - 80 - 198.51.100.7 HTTP/1.1 UA - h 200 0 0 10 5 1",
                 {"ts_utc": datetime(2020, 6, 8, 12, 12, 18, 250000)}, id="fractional-seconds"),
])
def test_iis_line_quirks(line: str, expected: dict) -> None:
    row = _request([*HEAD, FIELDS, line])
    for key, value in expected.items():
        assert row[key] == value, key


def test_quoted_values_with_doubled_quotes_and_spaces() -> None:
    """IIS Advanced Logging / Incapsula quote values; "" inside stands for one quote, '+' is kept."""
    rows = parse_lines(W3C, [
        '#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cs(User-Agent) cs(Referer)',
        '"2020-06-08" "12:00:01" "198.51.100.7" "GET" "/x.xlsx" "200" "18412" "A ""quoted"" UA+1" ""',
    ])
    row = rows[1]
    assert row["verdict"] == "request"
    assert row["user_agent"] == 'A "quoted" UA+1'
    assert row["referer"] is None
    assert (row["client"], row["path"], row["status"], row["bytes"]) == ("198.51.100.7", "/x.xlsx", 200, 18412)


def test_fields_change_mid_file_and_date_header_supplies_the_date() -> None:
    rows = parse_lines(IIS, [
        *HEAD,
        "#Fields: time c-ip cs-method cs-uri-stem sc-status",  # no date field: the #Date header gives it
        "12:00:01 198.51.100.7 GET /a 200",
        "# a remark written by hand",
        "",
        "#Date: 2020-06-09 00:00:00",
        "#Fields: date time cs-method cs-uri-stem c-ip sc-status sc-bytes",  # reordered, bytes added
        "2020-06-09 08:00:00 GET /b 198.51.100.8 404 1200",
    ])
    verdicts = [(r["verdict"], r["reason"]) for r in rows]
    assert verdicts == [("skipped", "header")] * 4 + [("request", None), ("skipped", "comment"),
                                                      ("skipped", "blank"), ("skipped", "header"),
                                                      ("skipped", "header"), ("request", None)]
    a, b = rows[4], rows[9]
    assert (a["ts_utc"], a["client"], a["path"], a["status"]) == (datetime(2020, 6, 8, 12, 0, 1), "198.51.100.7",
                                                                  "/a", 200)
    assert (b["ts_utc"], b["client"], b["path"], b["status"], b["bytes"]) == (
        datetime(2020, 6, 9, 8), "198.51.100.8", "/b", 404, 1200)


@pytest.mark.parametrize(("lines", "reason"), [
    pytest.param(["2020-06-08 12:00:01 198.51.100.7 GET /a 200"], "does not match the iis format", id="no-fields"),
    pytest.param([FIELDS, "2020-06-08 12:00:01 198.51.100.7 GET /a 200"],
                 "6 values under 19 fields", id="too-few-values"),
    pytest.param([FIELDS, "2020-13-08 12:12:18 192.0.2.1 GET /x - 80 - 198.51.100.7 HTTP/1.1 UA - h 200 0 0 10 5 1"],
                 "invalid timestamp: 2020-13-08 12:12:18", id="bad-date"),
])
def test_rejects_with_reasons(lines: list[str], reason: str) -> None:
    rows = parse_lines(IIS, lines)
    assert rows[-1]["verdict"] == "rejected"
    assert rows[-1]["reason"] == reason


def test_detection_iis_vs_generic_w3c() -> None:
    import duckdb

    con = duckdb.connect()
    iis = "\n".join([*HEAD, FIELDS, "2020-06-08 12:12:18 192.0.2.1 GET /x - 80 - 1.2.3.4 HTTP/1.1 UA - h 200 0 0 1 1 1"])
    assert detect_format(con, (iis + "\n").encode()).format is IIS
    assert detect_format(con, iis.encode()).format is IIS  # a single data line without final newline
    other = "#Software: Incapsula LOGS API\n#Fields: date time c-ip cs-method cs-uri sc-status\n" \
            '"2020-06-08" "12:00:00" "1.2.3.4" "GET" "www.example.nl/x" "200"\n'
    assert detect_format(con, other.encode()).format is W3C


def test_fields_carried_across_chunks(tmp_path, monkeypatch) -> None:
    """A file parsed in several chunks keeps the governing #Fields and #Date of the earlier chunks."""
    body = [*HEAD, "#Fields: time c-ip cs-method cs-uri-stem sc-status sc-bytes"]
    body += [f"12:00:{i:02d} 198.51.100.{i} GET /a{i} 200 {100 + i}" for i in range(40)]
    log = tmp_path / "u_ex200608.log"
    log.write_text("\n".join(body) + "\n")
    monkeypatch.setattr(ingest_mod.ev_mod, "read_lines",
                        functools.partial(ingest_mod.ev_mod.read_lines, block_size=256))
    with Case() as case:
        result = case.ingest([log], IngestOptions(format="iis"))
        f = result.files[0]
        assert (f.lines, f.requests, f.rejected, f.skipped) == (44, 40, 0, 4)
        first, last, n = case.con.execute(
            "SELECT min(ts_utc), max(ts_utc), count(DISTINCT path) FROM requests").fetchone()
    assert (first, last, n) == (datetime(2020, 6, 8, 12, 0, 0), datetime(2020, 6, 8, 12, 0, 39), 40)


def test_fields_line_parser() -> None:
    assert w3c.parse_fields_line("#Fields:   date  time cs(User-Agent) ") == ["date", "time", "cs(user-agent)"]
    assert w3c.parse_fields_line("#Date: 2020-06-08") is None
