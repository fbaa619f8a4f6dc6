"""The W3C cheap path (split on the separator, no window over the lines) writes exactly the full parse's rows."""

from __future__ import annotations

import pytest

from exposure.formats.cloudfront import CLOUDFRONT
from exposure.formats.w3c import IIS, W3C

from .parse_lines import assert_fast_rows_exact, realworld_lines
from .test_w3c import FIELDS, HEAD

LINE = "2020-06-08 12:12:18 192.0.2.1 GET /Docs/X.xlsx a=1&b=2 443 - {ip} HTTP/1.1 Mozilla/5.0+(X11) - h 200 0 0 18712 420 31"
LINES = [
    *HEAD, FIELDS,
    LINE.format(ip="198.51.100.7"),
    LINE.format(ip="2001:0db8::0007"),  # normalised on the way in
    LINE.format(ip="fe80::1%eth0"),
    LINE.format(ip="-"),
    "2020-06-08 12:12:18 192.0.2.1 GET /a%20b.pdf - 80 DOMAIN\\user 2001:db8::7 HTTP/1.1 - - - 404 0 2 1245 300 0",
    "2020-06-08 12:12:18 192.0.2.1 GET /x - 444  alice 198.51.100.7 HTTP/1.1 UA - h 200 0 0 10 5 1",  # padding
    '2020-06-08 12:12:18 192.0.2.1 GET /x.xlsx - 443 - 198.51.100.7 HTTP/1.1 "A ""quoted"" UA+1" - h 200 0 0 18412 4 1',
    "2020-13-08 12:12:18 192.0.2.1 GET /x - 80 - 198.51.100.7 HTTP/1.1 UA - h 200 0 0 10 5 1",  # bad date
    "2020-06-08 12:00:01 198.51.100.7 GET /a 200",  # too few values
    "",
    "# a remark",
    LINE.format(ip="198.51.100.8"),
    "#Date: 2020-06-09 00:00:00",
    "#Fields: time c-ip cs-method cs-uri-stem sc-status",  # no date field: the #Date header gives it
    "08:00:00 198.51.100.9 GET /b 404",
    "08:00:01 2001:db8:0::9 GET /c 200",
]


@pytest.mark.parametrize("fmt", [IIS, W3C])
def test_cheap_path_rows_equal_the_full_parse(fmt) -> None:
    taken = assert_fast_rows_exact(fmt, LINES)
    # only the lines after the last '#' line are taken, those with one value per field
    assert taken == [len(LINES) - 2, len(LINES) - 1]


def test_cheap_path_takes_the_lines_of_a_chunk_without_headers() -> None:
    lines = [LINE.format(ip=ip) for ip in ("198.51.100.7", "2001:0db8::0007", "-")] + LINES[8:12]
    taken = assert_fast_rows_exact(IIS, [*HEAD, FIELDS, *lines])
    assert taken == [4, 5, 6, 7]  # not the padded line, the quoted one, nor the bad date (rejected)


REALWORLD_W3C = [(IIS, "plaso/test_data/iis/iis10.log"), (IIS, "plaso/test_data/iis/iis7_owa.log"),
                 (IIS, "plaso/test_data/iis/iis7_sqli.log"), (IIS, "plaso/test_data/iis/iis6.log"),
                 (IIS, "plaso/test_data/iis/iis_without_date.log"), (IIS, "plaso/test_data/iis/iis10_cookies.log"),
                 (IIS, "plaso/historical/iis_ipv6_zone.log"), (IIS, "matomo-log-analytics/logs/iis.log"),
                 (IIS, "matomo-log-analytics/logs/iis_custom.log"), (W3C, "matomo-log-analytics/logs/incapsula_w3c.log"),
                 (CLOUDFRONT, "elastic-integrations/aws_cloudfront_logs/test-cloudfront.log"),
                 (CLOUDFRONT, "aws-log-parser/test/data/cloudfront-multiple.log")]


@pytest.mark.parametrize(("fmt", "rel"), REALWORLD_W3C, ids=[r for _, r in REALWORLD_W3C])
def test_cheap_path_on_realworld(fmt, rel: str) -> None:
    assert_fast_rows_exact(fmt, realworld_lines(rel))
