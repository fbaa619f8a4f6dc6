"""A W3C line holds one value per field of the `#Fields` line above it (W3C WD-logfile: "the #Fields directive lists
a sequence of field identifiers specifying the information recorded in each entry"). A line with more values than
that was not written under that header: read by position it loses the values past the last field without a word
(lnav's logfile_w3c.5: 17 values under 6 fields, its client, status and byte count among the lost), so it is
rejected, with a reason that says how many values stand under how many fields; so is a line with fewer.
"""

from __future__ import annotations

from exposure.formats.cloudfront import CLOUDFRONT, STANDARD_FIELDS
from exposure.formats.w3c import IIS, W3C

from .parse_lines import parse_lines, realworld_lines

HEAD = "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes"


def test_lnav_more_values_than_fields_is_rejected_with_the_counts() -> None:
    """lnav test/logfile_w3c.5: `#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query`, then an IIS 8.5
    line of 17 values (its c-ip 157.55.39.146, sc-status 404, sc-bytes 1405 past the sixth)."""
    rows = parse_lines(W3C, realworld_lines("lnav/test/logfile_w3c.5"))
    assert [r["verdict"] for r in rows] == ["skipped", "rejected"]
    assert rows[1]["reason"] == "17 values under 6 fields"


def test_more_and_fewer_values_are_rejected_an_exact_line_is_read() -> None:
    rows = parse_lines(IIS, [HEAD, "2020-06-08 09:00:01 198.51.100.7 GET /x.xlsx 200 18412",
                             "2020-06-08 09:00:02 198.51.100.7 GET /x.xlsx 200 18412 extra",
                             "2020-06-08 09:00:03 198.51.100.7 GET /x.xlsx 200"])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("skipped", "header"), ("request", None),
        ("rejected", "8 values under 7 fields"),
        ("rejected", "6 values under 7 fields")]
    assert (rows[1]["client"], rows[1]["status"], rows[1]["bytes"]) == ("198.51.100.7", 200, 18412)


def test_cloudfront_older_lines_with_fewer_values_stay_read() -> None:
    """CloudFront appends fields over the years: a line with the older, shorter list is read (`min_values`, 12);
    one with fewer than that, or with more values than the header declares, is not."""
    head = "#Fields: " + " ".join(STANDARD_FIELDS[:14])
    line = "2020-06-08\t12:12:18\tAMS1\t18712\t198.51.100.7\tGET\td1.cloudfront.net\t/x.xlsx\t200\t-\tUA\t-"
    rows = parse_lines(CLOUDFRONT, ["#Version: 1.0", head, line, line + "\t-\tMiss", line + "\t-\tMiss\ty",
                                    line.rsplit("\t", 1)[0]])
    assert [(r["verdict"], r["reason"]) for r in rows[2:]] == [
        ("request", None), ("request", None), ("rejected", "15 values under 14 fields"),
        ("rejected", "11 values under 14 fields")]
