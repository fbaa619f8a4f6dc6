"""JSON-lines servers as they log by default: Caddy v2's access log (`ts` epoch seconds by default, other
`time_format`s by option; `size` the body bytes written; `resp_headers` with the announced Content-Length and
Content-Range), Traefik's JSON access log (`StartUTC`, `DownstreamContentSize`; request headers dropped by
default) and nginx `escape=json`. Entries written from each server's documented fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from exposure.ingest import IngestOptions
from tests.servers import accounted, analyse

SIZE = 18412
TARGET = "/docs/leak.xlsx"
T0 = 1591606800  # 2020-06-08T09:00:00Z


def _caddy(ts: Any, ip: str, method: str, status: int, size: int, length: int | None = None,
           content_range: str | None = None, logger: str = "http.log.access.log0", level: str = "info") -> str:
    resp = {"Server": ["Caddy"], "Content-Type": ["application/vnd.ms-excel"], "Accept-Ranges": ["bytes"],
            "Etag": ['"qbs3kcbpo"'], "Last-Modified": ["Mon, 08 Jun 2020 08:00:00 GMT"]}
    if length is not None:
        resp["Content-Length"] = [str(length)]
    if content_range:
        resp["Content-Range"] = [content_range]
    return json.dumps({
        "level": level, "ts": ts, "logger": logger, "msg": "handled request",
        "request": {"remote_ip": ip, "remote_port": "41342", "client_ip": ip, "proto": "HTTP/2.0", "method": method,
                    "host": "www.example.nl", "uri": TARGET, "headers": {"User-Agent": ["curl/7.82.0"],
                                                                         "Accept": ["*/*"]},
                    "tls": {"resumed": False, "version": 772, "cipher_suite": 4865, "proto": "h2",
                            "server_name": "www.example.nl"}},
        "bytes_read": 0, "user_id": "", "duration": 0.0123, "size": size, "status": status, "resp_headers": resp})


def test_caddy_default(tmp_path: Path) -> None:
    """The Content-Length Caddy announced on a 200 is the object's exact length: a transfer that wrote less is
    partial even where it is the most common count."""
    lines = [
        _caddy(T0 + 0.5241024, "198.51.100.1", "GET", 200, SIZE, SIZE),
        _caddy(T0 + 60.1, "198.51.100.2", "GET", 200, 4096, SIZE),
        _caddy(T0 + 61.1, "198.51.100.3", "GET", 200, 4096, SIZE),   # two aborted at the same count
        _caddy(T0 + 120.1, "198.51.100.4", "HEAD", 200, 0, SIZE),
        _caddy(T0 + 180.1, "198.51.100.5", "GET", 304, 0),
        _caddy(T0 + 240.1, "198.51.100.6", "GET", 206, 10000, 10000, f"bytes 0-9999/{SIZE}"),
        _caddy(T0 + 300.1, "198.51.100.6", "GET", 206, SIZE - 10000, SIZE - 10000, f"bytes 10000-{SIZE - 1}/{SIZE}"),
        _caddy(T0 + 3600.1, "198.51.100.8", "GET", 404, 0, level="error"),  # Caddy logs a 404 at level error
        json.dumps({"level": "error", "ts": T0 + 3600.2, "logger": "http.log.error.log0", "msg": "no such file",
                    "request": {"remote_ip": "198.51.100.8", "method": "GET", "uri": TARGET}, "status": 404}),
    ]
    answer = analyse(tmp_path, "access.log", "\n".join(lines) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["requests"], ev["skipped"], ev["bytes_meaning"], ev["exact_length_field"]) == (
        "json", 8, 1, "body", "Content-Range total, or a 200's Content-Length")
    first = answer.rows[0]
    assert (first["ts_utc"].isoformat(), first["client"], first["vhost"], first["method"], first["status"],
            first["bytes"], first["object_size"], first["user_agent"]) == (
        "2020-06-08T09:00:00.524102+00:00", "198.51.100.1", "www.example.nl", "GET", 200, SIZE, SIZE, "curl/7.82.0")
    assert [r["object_size"] for r in answer.rows] == [SIZE, SIZE, SIZE, SIZE, None, SIZE, SIZE, None]
    assert (answer.rows[5]["range_start"], answer.rows[5]["range_end"]) == (0, 9999)
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.3", "partial"),
                ("198.51.100.6", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    [window] = answer.target["windows"]
    assert (window["size_bytes"], window["size_rule"], window["first_unavailable"]) == (
        SIZE, "object_size", "2020-06-08T10:00:00Z")


@pytest.mark.parametrize(("ts", "utc", "offset"), [
    pytest.param(T0 * 1_000_000_000 + 123_456_789, "2020-06-08T09:00:00.123457+00:00", None, id="unix_nano"),
    pytest.param(T0 * 1_000_000 + 123_456, "2020-06-08T09:00:00.123456+00:00", None, id="unix_micro"),
    pytest.param(T0 * 1000 + 123.456, "2020-06-08T09:00:00.123456+00:00", None, id="unix_milli_float"),
    pytest.param("2020-06-08T11:00:00.524+0200", "2020-06-08T09:00:00.524000+00:00", 120, id="iso8601"),
    pytest.param("2020-06-08T09:00:00.123456789Z", "2020-06-08T09:00:00.123456+00:00", 0, id="rfc3339_nano"),
    # wall: local time without an offset, read in --log-tz
    pytest.param("2020/06/08 11:00:00.100", "2020-06-08T09:00:00.100000+00:00", None, id="wall_milli"),
    pytest.param("2020/06/08 11:00:00", "2020-06-08T09:00:00+00:00", None, id="wall"),
    pytest.param("08/Jun/2020:11:00:00 +0200", "2020-06-08T09:00:00+00:00", 120, id="common_log"),
])
def test_caddy_time_formats(tmp_path: Path, ts: Any, utc: str, offset: int | None) -> None:
    answer = analyse(tmp_path, "access.log", _caddy(ts, "198.51.100.1", "GET", 200, SIZE, SIZE) + "\n", TARGET,
                     "--log-tz", "Europe/Amsterdam", ingest=IngestOptions(log_tz="Europe/Amsterdam"), cli=False)
    assert answer.rejects == []
    [row] = answer.rows
    assert (row["ts_utc"].isoformat(), row["utc_offset_min"]) == (utc, offset)


def _traefik(start: str, ip: str, method: str, status: int, size: int) -> str:
    return json.dumps({
        "ClientAddr": f"{ip}:53412", "ClientHost": ip, "ClientPort": "53412", "ClientUsername": "-",
        "DownstreamContentSize": size, "DownstreamStatus": status, "Duration": 12345678, "OriginContentSize": size,
        "OriginDuration": 12000000, "OriginStatus": status, "Overhead": 345678, "RequestAddr": "www.example.nl",
        "RequestContentSize": 0, "RequestCount": 7, "RequestHost": "www.example.nl", "RequestMethod": method,
        "RequestPath": TARGET, "RequestPort": "-", "RequestProtocol": "HTTP/2.0", "RequestScheme": "https",
        "RetryAttempts": 0, "RouterName": "web@docker", "ServiceAddr": "172.18.0.3:80", "ServiceName": "web@docker",
        "StartLocal": start.replace("Z", "+02:00"), "StartUTC": start, "entryPointName": "websecure",
        "level": "info", "msg": "", "time": "2020-06-08T11:30:00+02:00"})


def test_traefik_json_default(tmp_path: Path) -> None:
    """StartUTC (when the request started) is the time; no user agent by default (headers are dropped)."""
    lines = [_traefik("2020-06-08T09:00:00.123456789Z", "198.51.100.1", "GET", 200, SIZE),
             _traefik("2020-06-08T09:01:00Z", "198.51.100.2", "GET", 200, 4096),
             _traefik("2020-06-08T09:02:00Z", "198.51.100.3", "HEAD", 200, 0),
             _traefik("2020-06-08T09:03:00Z", "198.51.100.4", "GET", 304, 0),
             _traefik("2020-06-08T09:04:00Z", "198.51.100.5", "GET", 200, SIZE),
             _traefik("2020-06-08T10:00:00Z", "198.51.100.8", "GET", 404, 19)]
    answer = analyse(tmp_path, "access.json", "\n".join(lines) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    first = answer.rows[0]
    assert (first["ts_utc"].isoformat(), first["utc_offset_min"], first["client"], first["vhost"], first["bytes"],
            first["user_agent"], first["duration_ms"]) == (
        "2020-06-08T09:00:00.123456+00:00", 0, "198.51.100.1", "www.example.nl", SIZE, None, pytest.approx(12.345678))
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.5", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert (answer.totals["head_requests"], answer.totals["not_modified"], answer.totals["errors"]) == (1, 1, 1)


@pytest.mark.parametrize("ts", [99999999999999999999999, 1e300, "1e400"])
def test_an_epoch_no_timestamp_holds_is_a_reject(tmp_path: Path, ts: Any) -> None:
    """Log content is hostile: a number no timestamp can hold rejects its line (with the reason); the file's
    other lines are read (before: the whole analysis failed on a cast)."""
    lines = [_caddy(T0, "198.51.100.1", "GET", 200, SIZE, SIZE), _caddy(ts, "198.51.100.2", "GET", 200, SIZE, SIZE)]
    answer = analyse(tmp_path, "access.log", "\n".join(lines) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert [r["client"] for r in answer.rows] == ["198.51.100.1"]
    [reject] = answer.rejects
    assert reject["line_no"] == 2 and reject["reason"].startswith("invalid timestamp")
