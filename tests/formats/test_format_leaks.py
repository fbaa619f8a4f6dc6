"""The same leak, logged by IIS, S3 and CloudFront: `exposure analyse` gives the same windows and downloads.

The leak: /docs/leak.xlsx (18,412 bytes) published 8 June 2020; the publisher (203.0.113.5) fetches it,
198.51.100.1 downloads it twice, .2 and .5 once, .3 aborts after 4 KiB, .4 only asks HEAD; it is removed
and two requests on 9 June get 404. Byte counts follow each format: S3 logs body bytes and the object
size, IIS and CloudFront count headers too (a few hundred bytes, varying per response).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.formats.cloudfront import STANDARD_FIELDS

SIZE = 18412
TARGET = "/docs/leak.xlsx"
T0 = datetime(2020, 6, 8, 9, 0, 0)
# (minutes after T0, client, method, status, body bytes sent, header bytes, path)
EVENTS = [
    (0, "203.0.113.5", "GET", 200, SIZE, 312, TARGET),
    (60, "198.51.100.1", "GET", 200, SIZE, 318, TARGET),
    (75, "198.51.100.9", "GET", 200, 5120, 290, "/index.html"),
    (90, "198.51.100.2", "GET", 200, SIZE, 333, TARGET),
    (120, "198.51.100.3", "GET", 200, 4096, 318, TARGET),
    (180, "198.51.100.1", "GET", 200, SIZE, 341, TARGET),
    (240, "198.51.100.4", "HEAD", 200, 0, 305, TARGET),
    (300, "198.51.100.5", "GET", 200, SIZE, 327, "/DOCS/Leak.xlsx"),  # case differs: only IIS ignores case
    (1380, "198.51.100.6", "GET", 404, 1245, 180, TARGET),
    (1440, "198.51.100.7", "GET", 404, 1245, 180, TARGET),
]
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"


def _iis(events: list[tuple]) -> str:
    out = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
           "#Date: 2020-06-08 09:00:00",
           "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
           "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken"]
    for i, (minute, ip, method, status, body, head, path) in enumerate(events):
        t = T0 + timedelta(minutes=minute)
        if i == 8:  # IIS restarts and writes its header again
            out += ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                    f"#Date: {t:%Y-%m-%d %H:%M:%S}",
                    "#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cs(User-Agent)"]
        if i >= 8:
            out.append(f"{t:%Y-%m-%d %H:%M:%S} {ip} {method} {path} {status} {body + head} {UA.replace(' ', '+')}")
        else:
            out.append(f"{t:%Y-%m-%d %H:%M:%S} 192.0.2.10 {method} {path} - 443 - {ip} {UA.replace(' ', '+')} - "
                       f"{status} 0 0 {body + head} 15")
    return "\n".join(out) + "\n"


def _s3(events: list[tuple]) -> str:
    out = []
    for minute, ip, method, status, body, _head, path in events:
        t = T0 + timedelta(minutes=minute)
        if path.lower() != path:
            path = TARGET  # S3 keys are case-sensitive: this client used the right key
        error, size = ("NoSuchKey", "-") if status == 404 else ("-", str(SIZE if path == TARGET else body))
        sent = "-" if method == "HEAD" else str(body)
        out.append(f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be leak-bucket "
                   f"[{t:%d/%b/%Y:%H:%M:%S} +0000] {ip} - 3E57427F3EXAMPLE REST.{method}.OBJECT {path[1:]} "
                   f'"{method} {path} HTTP/1.1" {status} {error} {sent} {size} 40 10 "-" "{UA}" - '
                   "hostid SigV4 ECDHE-RSA-AES128-GCM-SHA256 - leak-bucket.s3.eu-west-1.amazonaws.com TLSv1.2")
    return "\n".join(out) + "\n"


def _cloudfront(events: list[tuple]) -> str:
    out = ["#Version: 1.0", "#Fields: " + " ".join(STANDARD_FIELDS)]
    for minute, ip, method, status, body, head, path in events:
        t = T0 + timedelta(minutes=minute)
        if path.lower() != path:
            path = TARGET
        content_len = str(SIZE if path == TARGET and status == 200 else body)
        values = {f: "-" for f in STANDARD_FIELDS}
        values.update({
            "date": f"{t:%Y-%m-%d}", "time": f"{t:%H:%M:%S}", "x-edge-location": "AMS1-C1",
            "sc-bytes": str(body + head), "c-ip": ip, "cs-method": method, "cs(host)": "d1.cloudfront.net",
            "cs-uri-stem": path, "sc-status": str(status), "cs(user-agent)": UA.replace(" ", "%2520"),
            "x-edge-result-type": "Miss" if status == 200 else "Error", "x-host-header": "www.example.nl",
            "cs-protocol": "https", "time-taken": "0.040", "cs-protocol-version": "HTTP/1.1",
            "sc-content-len": content_len,
        })
        out.append("\t".join(values[f] for f in STANDARD_FIELDS))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(("name", "writer", "rule"), [
    pytest.param("u_ex200608.log", _iis, "band", id="iis"),
    pytest.param("2020-06-08-09-00-00-EXAMPLE", _s3, "object_size", id="s3"),
    # sc-content-len gives the exact body size; sc-bytes (headers too) are judged by the band above it
    pytest.param("E2EXAMPLE.2020-06-08-09.abcd1234", _cloudfront, "object_size+band", id="cloudfront"),
])
def test_analyse_finds_the_leak(tmp_path: Path, name: str, writer, rule: str) -> None:
    log = tmp_path / "logs" / name
    log.parent.mkdir()
    log.write_text(writer(EVENTS))
    out = tmp_path / "analysis.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--internal", "203.0.113.0/24",
                                      "--json", str(out)], terminal_width=200)
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    assert answer["schema"] == "exposure.analysis/1"
    ev = answer["evidence"][0]
    assert ev["lines"] == ev["requests"] + ev["rejected"] + ev["skipped"]
    assert ev["rejected"] == 0
    target = answer["targets"][0]
    assert target["size_rule"] == rule  # in the order the rules give the size (answer.SIZE_RULE_ORDER)
    [window] = target["windows"]
    assert (window["first_available"], window["last_available"], window["first_unavailable"]) == (
        "2020-06-08T09:00:00Z", "2020-06-08T14:00:00Z", "2020-06-09T08:00:00Z")
    assert window["size_rule"] == rule
    totals = target["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"],
            totals["internal_complete_downloads"], totals["head_requests"]) == (4, 3, 1, 1, 1)
    complete = sorted((d["client_ip"], d["time"]) for d in target["downloads"] if d["outcome"] == "complete")
    assert complete == [("198.51.100.1", "2020-06-08T10:00:00Z"), ("198.51.100.1", "2020-06-08T12:00:00Z"),
                        ("198.51.100.2", "2020-06-08T10:30:00Z"), ("198.51.100.5", "2020-06-08T14:00:00Z"),
                        ("203.0.113.5", "2020-06-08T09:00:00Z")]
    partial = [d for d in target["downloads"] if d["outcome"] == "partial"]
    assert [(d["client_ip"], d["evidence"][0]["line"]) for d in partial] == [
        ("198.51.100.3", {"u_ex200608.log": 9, "2020-06-08-09-00-00-EXAMPLE": 5}.get(name, 7))]


def test_same_contract_for_every_format(tmp_path: Path) -> None:
    keys = []
    for name, writer in (("u_ex200608.log", _iis), ("s3.log", _s3), ("cf.log", _cloudfront)):
        log = tmp_path / name
        log.write_text(writer(EVENTS))
        out = tmp_path / f"{name}.json"
        result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(out)])
        assert result.exit_code == 0, result.output
        answer = json.loads(out.read_text())
        t = answer["targets"][0]
        keys.append((sorted(answer), sorted(t), sorted(t["windows"][0]), sorted(t["downloads"][0])))
    assert keys[0] == keys[1] == keys[2]
