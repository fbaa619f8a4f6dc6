"""Red team 8: JSON access logs of cloud services whose request fields sit under a key of their own (Google
Cloud's LogEntry `httpRequest`: load balancer, Cloud CDN, Cloud Run; Azure's diagnostic `properties`: Front
Door, Application Gateway) were skipped line by line as "not an access entry (no request fields)": every
download missing from an answer that exited 0. Now such an entry is rejected with what it looks like and the
--json-fields that reads it (exposure/formats/jsonl.py FOREIGN_LAYOUTS): every line rejected, the evidence
incomplete (exit 3); and the hint, given, reads every download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure.formats.jsonl import FOREIGN_LAYOUTS
from tests.servers import analyse

TARGET = "/docs/x.xlsx"


def _google(n: int) -> dict:
    return {"insertId": f"abc{n}", "httpRequest": {"requestMethod": "GET", "requestUrl": f"https://www.example.nl{TARGET}",
                                                   "status": 200, "responseSize": "18712", "userAgent": "Mozilla/5.0",
                                                   "remoteIp": f"198.51.100.{n}", "latency": "0.04s"},
            "resource": {"type": "http_load_balancer"}, "timestamp": f"2020-06-08T09:1{n}:00.000Z", "severity": "INFO"}


def _azure(n: int) -> dict:
    return {"time": f"2020-06-08T09:0{n}:00.0000000Z", "category": "FrontDoorAccessLog",
            "operationName": "Microsoft.Cdn/Profiles/AccessLog/Write",
            "properties": {"httpMethod": "GET", "requestUri": f"https://www.example.nl:443{TARGET}",
                           "responseBytes": "18712", "userAgent": "Mozilla/5.0", "clientIp": f"198.51.100.{n}",
                           "httpStatusCode": "200", "cacheStatus": "MISS"}}


@pytest.mark.parametrize(("entry", "layout"), [pytest.param(_google, 0, id="google"),
                                               pytest.param(_azure, 1, id="azure")])
def test_a_cloud_json_access_log_is_rejected_with_the_fields_that_read_it(tmp_path: Path, entry, layout: int) -> None:
    text = "".join(json.dumps(entry(n)) + "\n" for n in range(1, 5))
    _key, shape, fields = FOREIGN_LAYOUTS[layout]
    refused = analyse(tmp_path / "refused", "requests.json", text, TARGET)
    assert refused.exit_code == 3, refused.output
    assert [r["reason"] for r in refused.rejects] == [
        f"a request in a JSON layout exposure does not read by default (it looks like: {shape}): "
        f"give --json-fields '{fields}'"] * 4
    [finding] = [f for f in refused.cli["findings"] if f["kind"] == "all lines rejected"]
    assert finding["severity"] == "incomplete"
    read = analyse(tmp_path / "read", "requests.json", text, TARGET, "--json-fields", fields)
    assert read.exit_code == 0, read.output
    assert (read.totals["complete_downloads"], read.totals["distinct_ips"]) == (4, 4)
