"""CloudFront standard logging (v2) delivers a distribution's log in a JSON output format too: one object per line
whose keys are the W3C field names (`date`, `time`, `sc-bytes`, `cs-uri-stem`, `sc-status` ...). Red team 18a: each
such line was skipped as "not an access entry (no request fields)", every line of the file, exit 0, the evidence
"complete" and the target "never requested". Such a line is a request exposure does not read: rejected with what it
looks like and how to have it read (the W3C output, read as `cloudfront`; --json-fields would count sc-bytes, headers
included, as the body), the file's finding `all lines rejected`, exit 3 (exposure/formats/jsonl.py
UNREAD_JSON_LAYOUTS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.formats.jsonl import UNREAD_JSON_LAYOUTS
from tests.servers import accounted, analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/rapport-2024.pdf"
SIZE = 1_048_576


def _record(second: int, ip: str, status: int, sc_bytes: int, length: int) -> str:
    """One record of CloudFront's v2 JSON output (the values are strings, as AWS writes them)."""
    return json.dumps({"date": "2024-03-10", "time": f"09:00:{second:02d}", "x-edge-location": "AMS58-P3",
                       "sc-bytes": str(sc_bytes), "c-ip": ip, "cs-method": "GET",
                       "cs(Host)": "d111111abcdef8.cloudfront.net", "cs-uri-stem": TARGET, "sc-status": str(status),
                       "cs(Referer)": "-", "cs(User-Agent)": "Mozilla/5.0%20(X11)", "cs-uri-query": "-",
                       "x-edge-result-type": "Hit", "x-edge-request-id": f"id{second}==",
                       "x-host-header": "www.example.nl", "cs-protocol": "https", "time-taken": "0.312",
                       "x-edge-response-result-type": "Hit", "cs-protocol-version": "HTTP/2.0",
                       "sc-content-type": "application/pdf", "sc-content-len": str(length),
                       "sc-range-start": "-", "sc-range-end": "-"})


def test_a_cloudfront_v2_json_log_is_rejected_never_skipped(tmp_path: Path) -> None:
    lines = [_record(5, "192.0.2.81", 200, SIZE + 412, SIZE), _record(15, "192.0.2.82", 200, SIZE + 412, SIZE),
             _record(25, "192.0.2.83", 200, SIZE, SIZE), _record(35, "192.0.2.89", 404, 380, 0)]
    answer = analyse(tmp_path, "E2EXAMPLE.2024-03-10-09.json", "\n".join(lines) + "\n", TARGET)
    accounted(answer)
    [(_key, shape, how)] = UNREAD_JSON_LAYOUTS
    reason = f"a request in a JSON layout exposure does not read (it looks like: {shape}): {how}"
    assert [r["reason"] for r in answer.rejects] == [reason] * 4
    [ev] = answer.cli["evidence"]
    assert (ev["lines"], ev["requests"], ev["rejected"], ev["skipped"]) == (4, 0, 4, 0)
    assert answer.exit_code == 3, answer.output
    [finding] = [f for f in answer.cli["findings"] if f["kind"] == "all lines rejected"]
    assert finding["severity"] == "incomplete" and finding["detail"].endswith(reason), finding["detail"]
    assert any(w.endswith(f"4 of 4 lines rejected: {reason}") for w in answer.cli["warnings"]), answer.cli["warnings"]


def test_a_plain_json_access_log_beside_it_is_still_read(tmp_path: Path) -> None:
    """Keys of the W3C layout decide only where the entry names no request field of its own."""
    plain = {"time": "2024-03-10T09:00:00Z", "remote_ip": "192.0.2.9", "method": "GET", "uri": TARGET,
             "status": 200, "size": SIZE, "sc-status": "ignored"}
    answer = analyse(tmp_path, "requests.json", json.dumps(plain) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 1
