"""Parse results other projects assert for IIS / W3C lines, against ours: each line written here as a test vector
(short lines from the peer's fixture, cited by repository and path), the fields we must give."""

from __future__ import annotations

from datetime import datetime

from exposure.formats.w3c import IIS_ASSUMED

from .parse_lines import parse_lines

CHROME = ("Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0.0.0"
          "+Safari/537.36")


# elastic/integrations packages/iis/data_stream/access/_dev/test/pipeline/test-iis-access-cookie-bytes-split.log
# (-expected.json): an IIS line without its #Fields header, 19 values: the IIS 8.5-10 default fields with
# cs(Cookie), sc-bytes and cs-bytes selected and the X-Forwarded-For custom field. The peer: source 10.177.2.242,
# status 200, response bytes 20123, request bytes 36264, 597 ms, forwarded 203.0.113.10. The same count as Azure
# App Service's layout, whose third value is the site name (W3SVC...), never an address.
def test_iis_headerless_cookie_and_bytes_with_xff() -> None:
    line = ("2026-07-06 18:36:16 10.177.11.164 POST /apps/compliance/requirement.aspx RequirementId=1283 443 "
            f"jdoe@example.com 10.177.2.242 {CHROME} SESSION_ID=e4edcec2;+DeviceWidth=0 "
            "https://example.com/apps/compliance/requirement.aspx?RequirementId=1283 200 0 0 20123 36264 597 "
            "203.0.113.10")
    row = parse_lines(IIS_ASSUMED, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert {k: row[k] for k in ("ts_utc", "client", "xff", "method", "path", "query", "status", "bytes",
                                "duration_ms", "userid", "vhost", "referer")} == {
        "ts_utc": datetime(2026, 7, 6, 18, 36, 16), "client": "10.177.2.242", "xff": "203.0.113.10",
        "method": "POST", "path": "/apps/compliance/requirement.aspx", "query": "RequirementId=1283",
        "status": 200, "bytes": 20123, "duration_ms": 597.0, "userid": "jdoe@example.com", "vhost": None,
        "referer": "https://example.com/apps/compliance/requirement.aspx?RequirementId=1283"}


def test_iis_headerless_azure_layout_still_read_by_its_site_name() -> None:
    # filebeat iis-access/access-azure.log's layout (19 values, third the site name): unchanged
    line = ("2018-08-28 18:24:25 MYSITE GET /docs/x.xlsx - 443 - 198.51.100.7 Mozilla/5.0+(X11) - - "
            "www.example.nl 200 0 0 18412 420 31")
    row = parse_lines(IIS_ASSUMED, [line])[0]
    assert {k: row[k] for k in ("verdict", "client", "vhost", "status", "bytes")} == {
        "verdict": "request", "client": "198.51.100.7", "vhost": "www.example.nl", "status": 200, "bytes": 18412}


def test_iis_headerless_layout_no_default_has_is_rejected() -> None:
    # elastic/integrations iis tst-iis10-access.log: 16 values with cs(Cookie) (or cs(Referer)) and cs-host; the
    # peer guesses; as many values as the defaults + X-Forwarded-For, whose 12th is the status: rejected, with it
    line = ("2021-06-10 23:26:57 10.44.0.136 GET / - 80 - 10.46.208.5 Mozilla/4.0+(compatible;+MSIE+8.0) "
            "check_for_cookie itweb.acx.co 200 0 0 23")
    row = parse_lines(IIS_ASSUMED, [line])[0]
    assert (row["verdict"], row["reason"]) == ("rejected", "invalid status: itweb.acx.co")
