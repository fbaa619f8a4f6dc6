"""The same small leak as JSON lines (nginx escape=json, Caddy) and behind a load balancer (X-Forwarded-For).

The leak: /docs/leak.xlsx (18,412 bytes) published 8 June 2020 09:00 UTC. The publisher (203.0.113.5) fetches
it; 198.51.100.1 downloads it twice, .2 and .7 once; .3 aborts after 4 KiB; .4 fetches it in two ranges
(206, 0-9999 and 10000-18411) that together are one complete copy; it is removed and two requests on
9 June get 404. Behind the proxy every connection comes from the load balancer 10.0.0.5 and the client is in
X-Forwarded-For; .7's header carries a forged left-most entry (6.6.6.6) that must not become the client.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app

SIZE = 18412
TARGET = "/docs/leak.xlsx"
T0 = datetime(2020, 6, 8, 9, 0, 0, tzinfo=UTC)
CEST = timezone(timedelta(hours=2))
LB = "10.0.0.5"
# (minutes after T0, client, method, status, body bytes, path, Content-Range, X-Forwarded-For as the LB logs it)
EVENTS: list[tuple[int, str, str, int, int, str, str | None, str]] = [
    (0, "203.0.113.5", "GET", 200, SIZE, TARGET, None, "203.0.113.5"),
    (60, "198.51.100.1", "GET", 200, SIZE, TARGET, None, "198.51.100.1"),
    (75, "198.51.100.9", "GET", 200, 5120, "/index.html", None, "198.51.100.9"),
    (90, "198.51.100.2", "GET", 200, SIZE, TARGET, None, "198.51.100.2, 10.0.0.9"),  # through two proxies
    (120, "198.51.100.3", "GET", 200, 4096, TARGET, None, "198.51.100.3"),  # aborted transfer
    (150, "198.51.100.4", "GET", 206, 10000, TARGET, f"bytes 0-9999/{SIZE}", "198.51.100.4"),
    (152, "198.51.100.4", "GET", 206, SIZE - 10000, TARGET, f"bytes 10000-{SIZE - 1}/{SIZE}", "198.51.100.4"),
    (180, "198.51.100.7", "GET", 200, SIZE, TARGET, None, "6.6.6.6, 198.51.100.7"),  # forged left-most entry
    (240, "198.51.100.1", "GET", 200, SIZE, TARGET, None, "198.51.100.1"),
    (1380, "198.51.100.6", "GET", 404, 153, TARGET, None, "198.51.100.6"),
    (1440, "198.51.100.8", "GET", 404, 153, TARGET, None, "198.51.100.8"),
]
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
PROXY_FORMAT = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                '"$http_referer" "$http_user_agent" "$http_x_forwarded_for"')
COMPLETE = [("198.51.100.1", "2020-06-08T10:00:00Z"), ("198.51.100.1", "2020-06-08T13:00:00Z"),
            ("198.51.100.2", "2020-06-08T10:30:00Z"), ("198.51.100.4", "2020-06-08T11:32:00Z"),
            ("198.51.100.7", "2020-06-08T12:00:00Z"), ("203.0.113.5", "2020-06-08T09:00:00Z")]


def _nginx_json(events: list[tuple]) -> str:
    """nginx `log_format leak escape=json '{"time_iso8601":"$time_iso8601",...}'`: local time with offset,
    numbers unquoted, empty variables as "", $request_completion "OK" or ""."""
    out = []
    for minute, ip, method, status, body, path, content_range, _xff in events:
        t = (T0 + timedelta(minutes=minute)).astimezone(CEST)
        aborted = body < SIZE and status == 200 and path == TARGET
        out.append(json.dumps({
            "time_iso8601": t.isoformat(), "remote_addr": ip, "remote_user": "",
            "request": f"{method} {path} HTTP/1.1", "status": status, "body_bytes_sent": body,
            "request_time": 0.012, "http_referer": "", "http_user_agent": UA, "http_x_forwarded_for": "",
            "request_completion": "" if aborted else "OK", "sent_http_content_range": content_range or "",
        }, separators=(",", ":")))
    return "\n".join(out) + "\n"


def _caddy(events: list[tuple]) -> str:
    """Caddy's structured access log (`log { format json }`): epoch `ts`, the request as an object."""
    out = []
    for minute, ip, method, status, body, path, content_range, _xff in events:
        t = T0 + timedelta(minutes=minute)
        resp_headers: dict[str, Any] = {"Content-Type": ["application/octet-stream"]}
        if content_range:
            resp_headers["Content-Range"] = [content_range]
        out.append(json.dumps({
            "level": "info", "ts": t.timestamp() + 0.25, "logger": "http.log.access.log0", "msg": "handled request",
            "request": {"remote_ip": ip, "remote_port": "51234", "client_ip": ip, "proto": "HTTP/2.0",
                        "method": method, "host": "www.example.nl", "uri": path,
                        "headers": {"User-Agent": [UA], "Accept": ["*/*"]}},
            "bytes_read": 0, "user_id": "", "duration": 0.0125, "size": body, "status": status,
            "resp_headers": resp_headers,
        }, separators=(",", ":")))
    return "\n".join(out) + "\n"


def _behind_proxy(events: list[tuple]) -> str:
    """nginx 'main' format on the origin: every connection is the load balancer, the client is in XFF."""
    out = []
    for minute, _ip, method, status, body, path, _range, xff in events:
        t = (T0 + timedelta(minutes=minute)).astimezone(CEST)
        out.append(f'{LB} - - [{t:%d/%b/%Y:%H:%M:%S %z}] "{method} {path} HTTP/1.1" {status} {body} '
                   f'"-" "{UA}" "{xff}"')
    return "\n".join(out) + "\n"


def _analyse(tmp_path: Path, name: str, text: str, *extra: str) -> dict[str, Any]:
    log = tmp_path / "logs" / name
    log.parent.mkdir(parents=True)
    log.write_text(text)
    out = tmp_path / "analysis.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--internal", "203.0.113.0/24",
                                      "--json", str(out), *extra], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


PROXY_OPTIONS = ("--nginx-log-format", PROXY_FORMAT, "--client-ip-from", "xff", "--trusted-proxy", "10.0.0.0/24")
VERSIONS = {  # name: (file name, writer, extra options, format recorded in the evidence)
    "nginx-escape-json": ("access.json.log", _nginx_json, (), "json"),
    "caddy": ("caddy-access.log", _caddy, (), "json"),
    "behind-proxy-xff": ("access.log", _behind_proxy, PROXY_OPTIONS, "nginx-custom"),
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each version analysed once for this module (the CLI run is the expensive part)."""
    out = {}
    for key, (name, writer, extra, _fmt) in VERSIONS.items():
        out[key] = _analyse(tmp_path_factory.mktemp(key), name, writer(EVENTS), *extra)
    return out


@pytest.mark.parametrize("version", list(VERSIONS))
def test_analyse_finds_the_leak(answers: dict[str, dict[str, Any]], version: str) -> None:
    answer = answers[version]
    assert answer["schema"] == "exposure.analysis/1"
    [ev] = answer["evidence"]
    assert (ev["lines"], ev["requests"], ev["rejected"], ev["skipped"]) == (len(EVENTS), len(EVENTS), 0, 0)
    assert ev["format"] == VERSIONS[version][3]
def test_behind_proxy_without_xff_everything_is_the_balancer(tmp_path: Path) -> None:
    """Control: the same log read without --client-ip-from attributes every download to the proxy, so the
    assertions above do test the X-Forwarded-For resolution."""
    answer = _analyse(tmp_path, "access.log", _behind_proxy(EVENTS), "--nginx-log-format", PROXY_FORMAT)
    target = answer["targets"][0]
    assert {d["client_ip"] for d in target["downloads"]} == {LB}
    assert target["totals"]["distinct_ips"] == 1


def test_forged_header_keeps_the_connecting_address_apart(tmp_path: Path) -> None:
    """Per address: the forged entry and the proxy are nobody's downloads; the proxy is kept as the
    connecting address (`peer`) of each request, the header as logged."""
    case_path = tmp_path / "case.duckdb"
    answer = _analyse(tmp_path, "access.log", _behind_proxy(EVENTS), "--nginx-log-format", PROXY_FORMAT,
                      "--client-ip-from", "xff", "--trusted-proxy", "10.0.0.0/24", "--case", str(case_path))
    per_ip = {row["client_ip"]: row["complete"] for row in answer["targets"][0]["per_ip"]}
    assert per_ip == {"198.51.100.1": 2, "198.51.100.2": 1, "198.51.100.3": 0, "198.51.100.4": 1,
                      "198.51.100.7": 1, "203.0.113.5": 1}
    with Case(case_path, read_only=True) as case:
        rows = case.con.execute("SELECT line_no, client, peer, xff FROM requests ORDER BY line_no").fetchall()
    assert {peer for _, _, peer, _ in rows} == {LB}
    assert rows[7] == (8, "198.51.100.7", LB, "6.6.6.6, 198.51.100.7")
    assert rows[3] == (4, "198.51.100.2", LB, "198.51.100.2, 10.0.0.9")


def test_same_contract_as_the_other_formats(answers: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    """Same JSON keys as the IIS/S3/CloudFront leak of test_format_leaks.py (its IIS version as reference)."""
    from .test_format_leaks import EVENTS as IIS_EVENTS
    from .test_format_leaks import _iis

    def keys(answer: dict[str, Any]) -> tuple[list[str], ...]:
        t = answer["targets"][0]
        return (sorted(answer), sorted(t), sorted(t["windows"][0]), sorted(t["downloads"][0]), sorted(t["totals"]))

    reference = keys(_analyse(tmp_path, "u_ex200608.log", _iis(IIS_EVENTS)))
    assert {version: keys(answer) for version, answer in answers.items()} == dict.fromkeys(VERSIONS, reference)
