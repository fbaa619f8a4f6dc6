"""Review of red team 18a: a range group stating no length of its own in a window whose GETs state two (a file
replaced while available) is complete only where it covers the largest length (rule_version_bounds). The mend
applied that to the groups judged by their offsets and by a sum of body counts, but not to the rest of the range
rule:
- a sum of counts that include headers (band_sum: nginx JSON with $bytes_sent and $sent_http_content_length, parts
  without Content-Range) was still judged by the band of the window's most common length: two parts of 650,920
  bytes beside three 600,400-byte copies of the 600,000-byte version and one of the 1,000,000-byte version read
  complete, though they may be 65 % of the new version;
- the label of a complete by a sum (outcome_inferred: no part alone reaches the size) still compared the largest
  part with the most common length: parts of 700,000 and 400,000 body bytes, complete only because their sum
  reaches 1,000,000, read as a complete download proven by one part (700,000 >= 600,000), not inferred.
Every door reads the one rule: the CLI's JSON, the API, the portable SQL and the test oracle."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions
from exposure.ingest import IngestOptions
from tests.oracle_rule import Row, downloads, windows
from tests.parity import portable_equals_case
from tests.servers import analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/rapport-2024.pdf"
HEADERS = 400  # the 200's headers; a 206 adds 60
OLD, NEW = 600_000, 1_000_000
IDM = "Mozilla/5.0 IDM/6.41"


def _line(minute: int, ip: str, status: int, count: int, length: int | None = None, ua: str = "Mozilla/5.0 Chrome/120",
          key: str = "body_bytes_sent") -> str:
    """nginx escape=json: $bytes_sent (key bytes_sent) or $body_bytes_sent, and $sent_http_content_length."""
    entry = {"time_iso8601": f"2024-03-10T09:{minute:02d}:05+00:00", "remote_addr": ip,
             "request": f"GET {TARGET} HTTP/1.1", "status": status, key: count, "http_user_agent": ua}
    if length is not None:
        entry["sent_http_content_length"] = str(length)
    return json.dumps(entry)


def _log(parts: tuple[int, int], key: str, headers: int) -> str:
    """Three copies of the old version, one of the new, a download manager's two parts (no Content-Range logged),
    a 404."""
    lines = [_line(m, f"198.51.100.{11 + i}", 200, OLD + headers, OLD, key=key) for i, m in enumerate((0, 1, 2))]
    lines += [_line(10, "198.51.100.14", 200, NEW + headers, NEW, key=key),
              _line(20, "198.51.100.15", 206, parts[0], ua=IDM, key=key),
              _line(21, "198.51.100.15", 206, parts[1], ua=IDM, key=key),
              _line(40, "198.51.100.99", 404, 150, key=key)]
    return "\n".join(lines) + "\n"


def _oracle(parts: tuple[int, int], headers: int) -> list[tuple[str, str, bool]]:
    t0 = datetime(2024, 3, 10, 9, 0, 5)
    rows = [Row(t0.replace(minute=m), ip, "b", "GET", 200, size + headers, bool(headers), size, None, None)
            for m, ip, size in ((0, ".11", OLD), (1, ".12", OLD), (2, ".13", OLD), (10, ".14", NEW))]
    rows += [Row(t0.replace(minute=m), ".15", "idm", "GET", 206, n, bool(headers), None, None, None)
             for m, n in ((20, parts[0]), (21, parts[1]))]
    return [(d.client, d.outcome, d.inferred) for d in downloads(windows(rows, t0, None), None) if d.kind == "range"]


# (the parts' counts, the byte-count field, headers, --bytes): what the group is, and whether inferred
CASES = [
    # band_sum: 650,920 less a part's headers reaches the old version's band, not the new version's 1,000,400
    pytest.param((350_000 + HEADERS + 60, 300_000 + HEADERS + 60), "bytes_sent", HEADERS, "headers",
                 ("undetermined", False), id="band_sum"),
    # band_sum over both versions: complete, and no part alone reaches the new version: inferred
    pytest.param((700_000 + HEADERS + 60, 400_000 + HEADERS + 60), "bytes_sent", HEADERS, "headers",
                 ("complete", True), id="band_sum_inferred"),
    # byte_sum: 1,100,000 body bytes reach the new version only by the sum: inferred
    pytest.param((700_000, 400_000), "body_bytes_sent", 0, "body", ("complete", True), id="byte_sum_inferred"),
]


@pytest.mark.parametrize(("parts", "key", "headers", "meaning", "expected"), CASES)
def test_a_sum_is_judged_against_the_largest_length(tmp_path: Path, parts: tuple[int, int], key: str, headers: int,
                                                    meaning: str, expected: tuple[str, bool]) -> None:
    answer = analyse(tmp_path / "cli", "access.json.log", _log(parts, key, headers), TARGET, "--bytes", meaning)
    assert answer.exit_code == 0, answer.output
    [window] = answer.target["windows"]
    assert window["lengths"] == [OLD, NEW]
    [group] = [d for d in answer.target["downloads"] if d["kind"] == "range"]
    assert (group["outcome"], group["outcome_inferred"]) == expected, group
    # the new version's one 200 (.14) states another length than the window's: undetermined, never complete
    # (rule_never_complete: another version or another object at the path, the log cannot say which), whether the
    # counts include headers (a band of its own) or not (errfix: body counts read it complete by its own length)
    assert answer.totals["complete_downloads"] == 3 + (expected[0] == "complete")
    assert answer.totals["inferred_complete_downloads"] == int(expected[1])
    # the portable SQL (asserted equal to the case's rows) and the oracle
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / "access.json.log").write_text(_log(parts, key, headers))
    got = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none"),
                               IngestOptions(bytes_meaning=meaning))
    assert [(d["outcome"], d["outcome_inferred"]) for d in got["downloads"] if d["kind"] == "range"] == [expected]
    assert _oracle(parts, headers) == [(".15", *expected)]


CF_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
             "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
             "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
             "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")


def _cf(minute: int, ip: str, status: int, sent: int, length: int, rng: tuple[int, int] | None = None,
        ua: str = "Mozilla/5.0%20Chrome/120.0.0.0") -> str:
    return "\t".join(["2024-03-10", f"09:{minute:02d}:05", "AMS58-P3", str(sent), ip, "GET",
                      "d111111abcdef8.cloudfront.net", TARGET, str(status), "-", ua, "-", "-", "Hit", f"req{minute}==",
                      "www.example.nl", "https", "212", "0.312", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit",
                      "HTTP/2.0", "-", "-", "51234", "0.011", "Hit", "application/pdf", str(length),
                      str(rng[0]) if rng else "-", str(rng[1]) if rng else "-"])


def test_the_most_a_mixed_group_delivered_is_bounded_by_the_largest_length(tmp_path: Path) -> None:
    """CloudFront: a part with offsets (0-299,999) and one whose offsets are not logged (500,472 bytes): the most
    they can have delivered is 800,471 body bytes, which the 1,000,000-byte version holds; it was capped at the
    window's most common length, 600,000."""
    lines = [_cf(m, f"198.51.100.{11 + i}", 200, OLD + 412, OLD) for i, m in enumerate((0, 5, 10))]
    lines += [_cf(20, "198.51.100.14", 200, NEW + 412, NEW),
              _cf(30, "198.51.100.15", 206, 300_472, 300_000, (0, 299_999), ua="IDM/6.41"),
              _cf(31, "198.51.100.15", 206, 500_472, 500_000, ua="IDM/6.41")]
    text = "#Version: 1.0\n#Fields: " + CF_FIELDS + "\n" + "\n".join(lines) + "\n"
    answer = analyse(tmp_path / "cli", "E2EXAMPLE.2024-03-10-09.a1b2c3d4", text, TARGET)
    [group] = [d for d in answer.target["downloads"] if d["kind"] == "range"]
    assert (group["size_rule"], group["outcome"], group["bytes"]) == ("mixed", "undetermined", 800_471)
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / "E2EXAMPLE.2024-03-10-09.a1b2c3d4").write_text(text)
    got = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none"))
    assert [d["bytes_delivered"] for d in got["downloads"] if d["kind"] == "range"] == [800_471]
    t0 = datetime(2024, 3, 10, 9, 0, 5)
    rows = [Row(t0.replace(minute=m), ip, "b", "GET", 200, size + 412, True, size, None, None)
            for m, ip, size in ((0, ".11", OLD), (5, ".12", OLD), (10, ".13", OLD), (20, ".14", NEW))]
    rows += [Row(t0.replace(minute=30), ".15", "idm", "GET", 206, 300_472, True, None, (0, 299_999), None),
             Row(t0.replace(minute=31), ".15", "idm", "GET", 206, 500_472, True, None, None, None)]
    [oracle] = [d for d in downloads(windows(rows, t0, None), None) if d.kind == "range"]
    assert (oracle.size_rule, oracle.outcome, oracle.delivered) == ("mixed", "undetermined", 800_471)
