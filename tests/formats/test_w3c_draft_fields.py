"""The W3C draft's own field names (WD-logfile-960323 "Fields"; IIS writes a subset): `c-dns` is the client where
no `c-ip` is logged, `cs-uri` the whole target, `cs(Referer)` or
`cs(Referrer)` the referrer, and a `time-taken` written with a decimal point is the draft's seconds (IIS writes
whole milliseconds). Fields no column holds (`s-dns`, the server's own name, never the site asked for;
`sc-comment`, `cached`, `x-` fields) stay in `extra`: part of a line's identity. Truth: /tmp/w3cfix/c1_fields (before: client and vhost NULL, c-dns and s-dns in extra, 1.25 ms)."""

from __future__ import annotations

from exposure.formats.w3c import IIS, W3C

from .parse_lines import fast_request_rows, parse_lines

HEAD = "#Fields: date time c-dns s-dns cs-method cs-uri sc-status sc-bytes time-taken sc-comment cs(Referer) x-cache"
LINES = [HEAD,
         "2020-06-08 12:12:18 client1.example.net www.example.nl GET /docs/x.xlsx?a=1 200 18412 1.250 ok "
         "http://ref.example/a HIT",
         "2020-06-08 12:13:18 client2.example.net www.example.nl GET /docs/x.xlsx 200 18412 0.5 ok - MISS"]


def _picked(row: dict) -> tuple:
    return (row["client"], row["vhost"], row["path"], row["duration_ms"], row["referer"], row["extra"])


def test_the_drafts_names_feed_their_columns_and_the_rest_stays_in_extra() -> None:
    rows = parse_lines(W3C, LINES, {"fast_path": False})
    assert [r["verdict"] for r in rows] == ["skipped", "request", "request"]
    assert _picked(rows[1]) == ("client1.example.net", None, "/docs/x.xlsx", 1250.0, "http://ref.example/a",
                                {"s-dns": "www.example.nl", "sc-comment": "ok", "x-cache": "HIT"})
    assert _picked(rows[2]) == ("client2.example.net", None, "/docs/x.xlsx", 500.0, None,
                                {"s-dns": "www.example.nl", "sc-comment": "ok", "x-cache": "MISS"})
    fast = fast_request_rows(W3C, LINES)
    assert [_picked(fast[n]) for n in sorted(fast)] == [_picked(rows[1]), _picked(rows[2])]


def test_an_address_and_a_host_header_come_before_the_names() -> None:
    head = "#Fields: date time c-dns c-ip s-dns cs-host cs-method cs-uri-stem sc-status sc-bytes cs(Referrer)"
    line = "2020-06-08 12:12:18 c.example.net 198.51.100.7 srv.example.nl www.example.nl GET /x.pdf 200 10 http://r/"
    rows = parse_lines(W3C, [head, line])
    assert (rows[1]["client"], rows[1]["vhost"], rows[1]["referer"]) == ("198.51.100.7", "www.example.nl", "http://r/")


def test_iis_whole_milliseconds_stay_milliseconds() -> None:
    head = "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes time-taken"
    rows = parse_lines(IIS, [head, "2020-06-08 12:12:18 198.51.100.7 GET /x.pdf 200 10 1250"])
    assert rows[1]["duration_ms"] == 1250.0
