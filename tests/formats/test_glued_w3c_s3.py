"""Two W3C (IIS, CloudFront) S3 or JSON lines written without a newline between them: the extra values were read as
trailing fields and the second line's request was lost without a word. Rejected with base.GLUED_REASON, by the
full parse and never taken by the cheap path (red team 17)."""

from __future__ import annotations

import json

import pytest

from exposure.formats.base import GLUED_REASON, PREFIX_JSON_REASON
from exposure.formats.cloudfront import CLOUDFRONT
from exposure.formats.jsonl import JSON_LINES
from exposure.formats.s3 import S3
from exposure.formats.w3c import IIS, IIS_ASSUMED

from .parse_lines import fast_request_rows, parse_lines

FIELDS = ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
          "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken")


def _iis(minute: int, ip: str) -> str:
    return f"2020-06-08 10:{minute:02d}:00 10.0.0.1 GET /docs/x.xlsx - 443 - {ip} UA - 200 0 0 18700 12"


def test_two_iis_lines_glued_are_rejected() -> None:
    a, b = _iis(2, "198.51.100.2"), _iis(3, "198.51.100.3")
    lines = ["#Version: 1.0", FIELDS, a, a + b, a[:-1] + b, b]
    rows = parse_lines(IIS, lines)
    assert [r["verdict"] for r in rows] == ["skipped", "skipped", "request", "rejected", "rejected", "request"]
    assert rows[3]["reason"] == rows[4]["reason"] == GLUED_REASON
    assert sorted(fast_request_rows(IIS, lines)) == [3, 6]


CF_FIELDS = ("#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query")


def _cf(minute: int, ip: str) -> str:
    return "\t".join(["2020-06-08", f"12:{minute:02d}:18", "AMS1-C1", "18700", ip, "GET",
                      "d111111abcdef8.cloudfront.net", "/docs/x.xlsx", "200", "-", "Mozilla/5.0", "-"])


def test_two_cloudfront_lines_glued_are_rejected() -> None:
    a, b = _cf(10, "198.51.100.1"), _cf(11, "198.51.100.2")
    lines = ["#Version: 1.0", CF_FIELDS, a, a + b, b]
    rows = parse_lines(CLOUDFRONT, lines)
    assert [r["verdict"] for r in rows] == ["skipped", "skipped", "request", "rejected", "request"]
    assert rows[3]["reason"] == GLUED_REASON


def _s3(minute: int, ip: str, agent: str = '"UA"') -> str:
    return ("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-bucket "
            f"[08/Jun/2020:10:{minute:02d}:18 +0000] {ip} - 3E57427F3EXAMPLE REST.GET.OBJECT docs/x.xlsx "
            f'"GET /docs/x.xlsx HTTP/1.1" 200 - 18412 18412 70 10 "-" {agent} - AIDAJDPLRKLG7UEXAMPLE SigV4 '
            "ECDHE-RSA-AES128-GCM-SHA256 - example-bucket.s3.amazonaws.com TLSv1.2 - -")


def test_two_s3_lines_glued_are_rejected_by_both_paths() -> None:
    a, b = _s3(2, "198.51.100.2"), _s3(3, "198.51.100.3")
    cut_in_agent = _s3(2, "198.51.100.2", '"Mozil')
    lines = [a, a + b, cut_in_agent[:cut_in_agent.index('"Mozil') + 6] + b, b]
    rows = parse_lines(S3, lines)
    assert [r["verdict"] for r in rows] == ["request", "rejected", "rejected", "request"]
    assert rows[1]["reason"] == rows[2]["reason"] == GLUED_REASON
    assert sorted(fast_request_rows(S3, lines)) == [1, 4]


def test_an_s3_agent_holding_a_time_in_brackets_stays_a_request() -> None:
    # only another line's owner, bucket and [time] in a row is a glued line: an agent quoting a time is not
    line = _s3(2, "198.51.100.2", '"bot [08/Jun/2020:10:03:18 +0000] x"')
    assert parse_lines(S3, [line])[0]["verdict"] == "request"


def _json(minute: int, ip: str) -> str:
    return json.dumps({"time_iso8601": f"2020-06-08T10:{minute:02d}:00+00:00", "remote_addr": ip,
                       "request": "GET /docs/x.xlsx HTTP/1.1", "status": 200, "body_bytes_sent": 18412})


def test_two_json_lines_glued_are_rejected_with_the_glued_reason() -> None:
    a, b = _json(1, "198.51.100.1"), _json(2, "198.51.100.2")
    rows = parse_lines(JSON_LINES, [a, a + b, a + " " + b, a[:-3] + b, "{not json"])
    assert [r["verdict"] for r in rows] == ["request", "rejected", "rejected", "rejected", "rejected"]
    assert [r["reason"] for r in rows[1:]] == [GLUED_REASON] * 3 + ["not a JSON object"]


@pytest.mark.parametrize("prefix", [pytest.param("web1 ", id="syslog-host"),
                                    pytest.param("2020-06-08T10:15:00.000000000Z ", id="docker-timestamps")])
def test_a_json_line_behind_a_prefix_is_a_prefixed_line_not_glued(prefix: str) -> None:
    # red team 17 review t8/syslog, t8/dockerts: one object behind a prefix was said to be two lines glued
    rows = parse_lines(JSON_LINES, [_json(1, "198.51.100.1"), prefix + _json(2, "198.51.100.2")])
    assert rows[1]["verdict"] == "rejected" and rows[1]["reason"] == PREFIX_JSON_REASON
    assert prefixed_sentence_is_shared(rows[1]["reason"])


def test_a_cut_json_line_whose_value_ends_in_a_brace_stays_a_cut_line() -> None:
    # t8/cut: the last line cut after a referer `?x={`: no second object starts in it
    cut = _json(3, "198.51.100.3")[:-1] + ', "http_referer": "https://q.example/?x={", "h'
    rows = parse_lines(JSON_LINES, [_json(1, "198.51.100.1"), cut])
    assert rows[1]["verdict"] == "rejected" and rows[1]["reason"] == "not a JSON object"


def prefixed_sentence_is_shared(reason: str) -> bool:
    """Whether queries/evidence_rules.sql prefixed_reason counts `reason` (the file then said as prefixed lines)."""
    import duckdb

    from exposure import queries
    sql = queries.get("evidence_rules").sql
    macro = sql[sql.index("CREATE OR REPLACE TEMP MACRO prefixed_reason"):]
    con = duckdb.connect()
    con.execute(macro[:macro.index(";") + 1])
    return bool(con.execute("SELECT prefixed_reason(?)", [reason]).fetchone()[0])


def test_two_iis_lines_glued_under_fields_without_a_date_are_rejected_as_glued() -> None:
    # red team 17 review t4/iisnodate: `... 200 5000010:15:00 198.51.100.4 ...` was an 'invalid byte count'
    fields = "#Fields: time c-ip cs-method cs-uri-stem sc-status sc-bytes"
    a, b = "10:10:00 198.51.100.3 GET /docs/x.xlsx 200 50000", "10:15:00 198.51.100.4 GET /docs/x.xlsx 200 50000"
    lines = ["#Date: 2020-06-08 10:00:00", fields, a, a + b, b]
    rows = parse_lines(IIS, lines)
    assert [(r["verdict"], r["reason"]) for r in rows[2:]] == [
        ("request", None), ("rejected", GLUED_REASON), ("request", None)]


def test_two_iis_lines_glued_without_a_header_are_rejected_as_glued() -> None:
    # t4/iishdrless: the glued line's value count fits no assumed layout: 'does not match the iis format'
    a, b = _iis(2, "198.51.100.2"), _iis(3, "198.51.100.3")
    rows = parse_lines(IIS_ASSUMED, [a, a + b, b])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("request", None), ("rejected", GLUED_REASON), ("request", None)]


@pytest.mark.parametrize("cut", [105, 120, 137])
def test_an_s3_line_cut_before_its_request_then_the_next_is_glued(cut: int) -> None:
    # t9/c01-c08: the first line cut before its Request-URI's quote: 'does not match the s3 format'
    a, b = _s3(2, "198.51.100.2"), _s3(3, "198.51.100.3")
    rows = parse_lines(S3, [a, a[:cut] + b])
    assert rows[1]["verdict"] == "rejected" and rows[1]["reason"] == GLUED_REASON
    assert sorted(fast_request_rows(S3, [a, a[:cut] + b])) == [1]
