"""A CLF line that does not match and holds an unpaired quote was cut inside a quoted field (its request, referer
or user agent): Apache and nginx close every quote they open (a `"` inside a value is written `\\"` by Apache,
`\\x22` by nginx). The reject says so instead of the catch-all `does not match`: elastic/examples apache_logs line
8,899 (the Googlebot agent without its closing quote, also in plaso's apache_access.log) and the NASA Aug95 copy
split every 4,096 bytes (`"GET /shuttle/missions` + `/sts-71/...gif HTTP/1.0" 200 12054`).
"""

from __future__ import annotations

from exposure.formats.clf import COMBINED, UNPAIRED_QUOTE_REASON

from .parse_lines import parse_lines, realworld_lines


def test_elastic_apache_logs_cut_agent_says_the_unpaired_quote() -> None:
    [line] = realworld_lines("elastic-examples/apache_logs")[8898:8899]
    [row] = parse_lines(COMBINED, [line])
    assert (row["verdict"], row["reason"]) == ("rejected", UNPAIRED_QUOTE_REASON)


def test_nasa_split_lines_each_half_with_a_quote_says_so() -> None:
    lines = realworld_lines("nasa-http-1995/Aman-Panchal-Churning-logs-of-NASA-/NASA_access_log_Aug95")[37:39]
    rows = parse_lines(COMBINED, lines)
    assert [(r["verdict"], r["reason"]) for r in rows] == [("rejected", UNPAIRED_QUOTE_REASON)] * 2


def test_paired_and_escaped_quotes_keep_the_other_reasons() -> None:
    rows = parse_lines(COMBINED, [
        "133.43.96.45 - - [01/Aug/199",  # no quote: the catch-all stays
        '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" x 10 "-" "UA \\\\"',  # `\\` then a close
        '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 10 "-" "Mozilla \\"',  # escaped: unpaired
        '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 10 "-" "UA"'])
    assert [r["reason"] for r in rows[:3]] == ["does not match the combined format",
                                              "does not match the combined format", UNPAIRED_QUOTE_REASON]
    assert rows[3]["verdict"] == "request"
