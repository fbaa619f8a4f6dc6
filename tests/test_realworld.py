"""Proof against third-party logs in ../shared/realworld (skipped cleanly when absent; never copied here).

Per expected case of the peers' test suites we support: the line is a request unless the peer rejects it
too, and every field both sides name has the same value. Whole files: every line accounted for.
Formats we do not read (error logs, Atlassian, HAProxy...) are skipped with the reason.
"""

from __future__ import annotations

import bz2
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from exposure.case import Case
from exposure.errors import FormatError
from exposure.formats.clf import COMBINED
from exposure.formats.clientaddr import parse_address
from exposure.formats.custom import custom_format, full_time
from exposure.formats.jsonl import JSON_LINES
from exposure.formats.registry import all_formats
from exposure.ingest import IngestOptions

from .formats.parse_lines import parse_lines

ROOT = Path(__file__).resolve().parents[2] / "shared" / "realworld"
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="../shared/realworld is absent")

CLF_FORMATS = {"apache-common", "apache-combined", "apache-vhost-combined", "apache-vhost-common",
               "nginx-combined", "nginx-main", "apache-vhost-combined-noport"}
JSON_FORMATS = {"nginx-json", "caddy-json", "traefik-json"}
# peer field name -> our column (values compared as text)
FIELD_MAP = {
    "remote_host": "client", "ip": "client", "client": "client", "remote_addr": "client", "remote_address": "client",
    "host_ip": "client", "clientip": "client",
    "status": "status", "final_status": "status", "http_response_code": "status", "response": "status",
    "bytes_sent": "bytes", "size": "bytes", "length": "bytes", "body_bytes_size": "bytes", "bytes_out": "bytes",
    "http_response_bytes": "bytes", "bytes": "bytes",
    "request_method": "method", "method": "method",
    "user_agent": "user_agent", "agent": "user_agent", "http_user_agent": "user_agent",
    "referer": "referer", "referrer": "referer", "http_referer": "referer",
    "remote_user": "userid", "user": "userid", "userid": "userid", "auth": "userid",
    "virtual_host": "vhost", "http_x_forwarded_for": "xff",
}


# Apache/nginx formats a peer names (an option of the peer's parser) given to us as the server's directive.
NAMED_DIRECTIVES = {
    "nginx-main": ("nginx_log_format", '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                   '"$http_referer" "$http_user_agent" "$http_x_forwarded_for"'),  # nginx.conf's 'main'
    "apache-vhost-common": ("log_format", '%v %h %l %u %t "%r" %>s %b'),  # Apache's vhost_common
    "apache-vhost-combined-noport": ("log_format", '%v %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'),
}


def _unquote(key: str) -> Any:
    return lambda case: case["expected"][key].strip('"')


# Cases where we differ from the peer on purpose: case id -> (judgement, what we assert instead). A value
# may be a function of the case. 'reason' is a prefix of our reject reason.
NO_TIME = "outside our contract: a line without a date and time cannot be placed in a timeline, so it is rejected"
JUDGED: dict[str, tuple[str, dict[str, Any]]] = {
    "apache-log-parser-rory/tests:3:apache-custom": (
        "peer wrong: Apache writes %{some_time}t as strftime('some_time'), the literal text 'some_time'; "
        "a line with digits there was not written by that LogFormat",
        {"verdict": "rejected", "reason": "does not match the apache-custom format"}),
    "apachelogs-jwodder/test_parse:17:apache-custom": (
        NO_TIME + " (the condition of %200{...}t failed: '-')", {"verdict": "rejected", "reason": "invalid timestamp"}),
    "apachelogs-jwodder/test_parse:19:apache-custom": (
        NO_TIME + " (the condition of %200t failed: '-')", {"verdict": "rejected", "reason": "invalid timestamp"}),
    "apachelogs-jwodder/test_parse:20:apache-custom": (
        NO_TIME + " (the condition of %200{}t failed: '-')", {"verdict": "rejected", "reason": "invalid timestamp"}),
    "apachelogs-jwodder/test_parse:21:apache-vhost-combined": (
        "peer decodes Apache's \\xhh escapes as Latin-1 (mojibake 'ð\\x9d\\x8c\\x86' for the bytes of U+1D306); "
        "we keep the escapes as written (lossless: the bytes may not be text); the rest of the UA is equal",
        {"verdict": "request", "user_agent": lambda case: case["expected"]["headers_in"]["User-Agent"].replace(
            "\u00f0\x9d\x8c\x86", "\\xf0\\x9d\\x8c\\x86")}),
    "apachelogs-jwodder/test_parse_custom_time:24:apache-custom": (
        NO_TIME + " (a date without time of day)", {"verdict": "rejected", "reason": "invalid timestamp: 2019"}),
    "apachelogs-jwodder/test_parse_custom_time:25:apache-custom": (
        NO_TIME + " (a date without time of day)", {"verdict": "rejected", "reason": "invalid timestamp: 20190519"}),
    "apachelogs-jwodder/test_parse_custom_time:26:apache-custom": (
        NO_TIME + " (a time of day without date)", {"verdict": "rejected", "reason": "invalid timestamp: 12:34:56"}),
    "apachelogs-jwodder/test_parse_custom_time:27:apache-custom": (
        NO_TIME + " (the condition failed: '-')", {"verdict": "rejected", "reason": "invalid timestamp"}),
    "apachelogs-jwodder/test_parse_custom_time:38:apache-custom": (
        "outside our contract: German month names (peer run under de_DE); Apache httpd formats %{...}t in the C "
        "locale and we read English names; the line fits the directive and is rejected for its time",
        {"verdict": "rejected", "reason": "invalid timestamp: 19 M\u00e4r 2019"}),
    "apachelogs-jwodder/test_parse_custom_time:39:apache-custom": (
        "outside our contract: German month names (as :38)",
        {"verdict": "rejected", "reason": "invalid timestamp: 19 M\u00e4rz 2019"}),
    "apachelogs-jwodder/test_general:12:apache-custom": (
        "we are narrower, without consequence: unquoted fields are matched as runs of non-spaces, and this "
        "'|'-separated LogFormat has an unquoted value with spaces ('Web \"Browsy\" Browser'); it logs no time, "
        "so the line would be rejected either way",
        {"verdict": "rejected", "reason": "does not match the apache-custom format"}),
    "logstash-patterns-core/httpd_spec:1:apache-combined": (
        "peer representation: grok's legacy QS capture keeps the enclosing quotes; we store the value",
        {"verdict": "request", "referer": _unquote("referrer"), "user_agent": _unquote("agent"), "status": 200}),
    "vrl-vectordotdev/parse_apache_log:3:apache-combined": (
        "peer lenient: combined quotes referer and user agent (\"%{Referer}i\"); an unquoted '- -' tail is "
        "written by no Apache/nginx format, so the line is rejected (kept in rejects with its reason)",
        {"verdict": "rejected", "reason": "does not match the combined format"}),
    "vrl-vectordotdev/parse_apache_log:8:apache-common": (
        NO_TIME + " (every field '-', no [time])",
        {"verdict": "rejected", "reason": "does not match the combined format"}),
    "vrl-vectordotdev/parse_apache_log:9:apache-common": (
        NO_TIME + " ([-])", {"verdict": "rejected", "reason": "invalid timestamp: -"}),
    "vrl-vectordotdev/parse_common_log:2:apache-common": (
        NO_TIME + " (every field '-', no [time])",
        {"verdict": "rejected", "reason": "does not match the combined format"}),
    "vrl-vectordotdev/parse_common_log:3:apache-common": (
        NO_TIME + " ([-])", {"verdict": "rejected", "reason": "invalid timestamp: -"}),
    "vrl-vectordotdev/parse_common_log:4:apache-common": (
        "outside the built-in grammar: the peer is given timestamp_format '%+' (ISO 8601 in the brackets); the "
        "built-in common format rejects it, the directive route reads it (test_iso_time_in_brackets_by_directive)",
        {"verdict": "rejected", "reason": "invalid timestamp: 2000-10-10T20:55:36Z"}),
}


def _cases() -> list[Any]:
    if not ROOT.is_dir():
        return []
    out = []
    for path in sorted(ROOT.rglob("*.expected.jsonl")):
        for n, text in enumerate(path.read_text().splitlines(), 1):
            case = json.loads(text)
            cid = f"{path.relative_to(ROOT).parts[0]}/{path.name.split('.')[0]}:{n}:{case['format']}"
            out.append(pytest.param(case, id=cid))
    return out


def _line(case: dict[str, Any]) -> str | None:
    if case.get("input") is not None:
        return case["input"]
    if case.get("input_file") and case.get("line"):
        path = ROOT / case["input_file"]
        opener = {".gz": gzip.open, ".bz2": bz2.open}.get(path.suffix, open)
        with opener(path, "rb") as fh:
            lines = fh.read().split(b"\n")
        return lines[case["line"] - 1].decode("utf-8", errors="replace").rstrip("\r")
    return None


def _format(case: dict[str, Any]) -> Any:
    fmt = case["format"]
    if fmt in NAMED_DIRECTIVES and not (case.get("options") or {}).get("encoding"):
        key, directive = NAMED_DIRECTIVES[fmt]
        return custom_format({key: directive})
    if fmt in CLF_FORMATS:
        return COMBINED
    if fmt in JSON_FORMATS:
        return JSON_LINES
    if fmt == "apache-custom" and case.get("log_format"):
        try:
            fmt = custom_format({"log_format": case["log_format"]})
        except FormatError as exc:
            pytest.skip(f"LogFormat not supported: {exc}")
        return fmt
    if fmt in {f.name for f in all_formats()}:
        pytest.skip(f"{fmt}: covered by its own format's tests")
    pytest.skip(f"format {fmt!r} is not an access-log format we read")


def _expected_fields(expected: dict[str, Any]) -> dict[str, str]:
    flat = dict(expected)
    for nested in ("headers_in",):
        if isinstance(expected.get(nested), dict):
            for k, v in expected[nested].items():
                flat[{"User-Agent": "user_agent", "Referer": "referer"}.get(k, k)] = v
    out = {}
    for key, value in flat.items():
        col = FIELD_MAP.get(key)
        if col and value is not None and not isinstance(value, dict | list):
            out[col] = value
    return out


@pytest.mark.parametrize("case", _cases())
def test_peer_case(case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    fmt = _format(case)
    line = _line(case)
    if line is None:
        pytest.skip("no single input line")
    row = parse_lines(fmt, [line])[0]
    cid = request.node.callspec.id
    if cid in JUDGED:
        want = {k: v(case) if callable(v) else v for k, v in JUDGED[cid][1].items()}
        assert row["reason"] is None or row["reason"].startswith(want.pop("reason", "")), row["reason"]
        assert {k: row[k] for k in want} == want
        return
    expected = case.get("expected")
    peer_rejects = isinstance(expected, dict) and expected.get("error") is True
    if _logs_no_time(fmt):
        # a LogFormat without a full date and time (peer: no request_time): the line must fit the directive,
        # and is rejected for its time (NO_TIME)
        assert (row["verdict"], row["reason"].split(":")[0]) == ("rejected", "invalid timestamp"), row["reason"]
        return
    if row["verdict"] != "request":
        assert peer_rejects, f"we reject a line the peer reads: {row['reason']}"
        return
    if peer_rejects:
        return  # we read a line the peer rejects: allowed (we keep more than a strict peer), counted in the note
    got = {k: row[k] for k in _expected_fields(expected)}
    want = _expected_fields(expected)
    mismatches = {k: (got[k], v) for k, v in want.items() if not _same(k, got[k], v)}
    when = _expected_instant(expected)
    if when is not None and row["ts_utc"] != when:
        mismatches["ts_utc"] = (row["ts_utc"], when)
    assert not mismatches, mismatches


def _logs_no_time(fmt: Any) -> bool:
    compiled = fmt.options.get("compiled")
    if compiled is None:
        return False
    partial = " ".join(compiled.time[n] for n, _, _ in compiled.partials if compiled.time[n])
    return not (any(r.startswith("time_") and r != "time_partial" for r in compiled.roles) or full_time(partial))


TIME_KEYS = ("timestamp", "request_time", "@timestamp", "time")


def _expected_instant(expected: Any) -> datetime | None:
    """The peer's time as naive UTC, when it gives one with an offset (naive peer times are not compared)."""
    if not isinstance(expected, dict):
        return None
    for key in TIME_KEYS:
        value = expected.get(key)
        if isinstance(value, str):
            try:
                when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            if when.tzinfo is not None:
                return when.astimezone(UTC).replace(tzinfo=None)
    return None


def _same(col: str, ours: Any, theirs: Any) -> bool:
    if col == "client" and parse_address(str(theirs))[0] is not None:
        return ours == parse_address(str(theirs))[0]  # we normalise addresses (IPv6 compressed)
    if theirs in ("-", "") and ours is None:
        return True
    if col in ("status", "bytes") and theirs in (0, "0") and ours is None:
        return False
    return str(ours) == str(theirs)


@pytest.mark.parametrize(("rel", "rejected"), [
    pytest.param("nasa-http-1995/yunshengtw-dbai-labs/nasa.log", 0, id="nasa-aug95-20000"),
    pytest.param("nasa-http-1995/ErmI342-labs/access_log_Jul95.txt", 0, id="nasa-jul95"),
    pytest.param("elastic-examples/apache_logs", 1, id="elastic-apache-combined"),
    pytest.param("lnav/test/logfile_shop_access_log.0", 0, id="lnav-shop"),
    pytest.param("plaso/test_data/apache_access.log", None, id="plaso-apache"),
    pytest.param("nasa-http-1995/Aman-Panchal-Churning-logs-of-NASA-/NASA_access_log_Aug95", None, id="nasa-split"),
])
def test_whole_file_accounted(tmp_path: Path, rel: str, rejected: int | None) -> None:
    path = ROOT / rel
    if not path.exists():
        pytest.skip(f"{rel} absent")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([path], IngestOptions())
        row = case.con.execute("SELECT lines, requests, rejected, skipped, format FROM evidence").fetchone()
        reasons = case.con.execute("SELECT DISTINCT reason FROM rejects").fetchall()
    lines, requests, rej, skipped, fmt = row
    assert lines == requests + rej + skipped
    assert fmt in ("combined", "common", "vhost_combined")
    if rejected is not None:
        assert rej == rejected, reasons
    else:
        assert 0 < rej < lines / 10, reasons


def test_iso_time_in_brackets_by_directive() -> None:
    """vrl parse_common_log:4: the built-in grammar rejects an ISO time in the brackets; the directive reads it."""
    fmt = custom_format({"log_format": '%h %l %u [%{%Y-%m-%dT%H:%M:%S%z}t] "%r" %>s %b'})
    row = parse_lines(fmt, ["- - - [2000-10-10T20:55:36Z] \"-\" - -"])[0]
    assert (row["verdict"], row["ts_utc"], row["utc_offset_min"]) == ("request", datetime(2000, 10, 10, 20, 55, 36), 0)


@pytest.mark.parametrize(("name", "assumed", "requests"), [
    pytest.param("test-iis-7.2.log", True, 5, id="iis-default-15"),
    pytest.param("test-x-forward-for.log", True, 9, id="iis-default-xff-16"),
    pytest.param("test-x-forward-for-extended.log", True, 6, id="iis-all-xff-23"),
    pytest.param("access-azure.log", False, 1, id="iis-with-fields"),
])
def test_iis_without_fields_header(tmp_path: Path, name: str, assumed: bool, requests: int) -> None:
    path = ROOT / "filebeat-beats-current-index" / "iis-access" / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([path], IngestOptions())
        lines, req, rej, skipped, fmt, definition = case.con.execute(
            "SELECT lines, requests, rejected, skipped, format, format_definition FROM evidence").fetchone()
        statuses = case.con.execute("SELECT count(*) FROM requests WHERE status BETWEEN 100 AND 599").fetchone()[0]
    assert (lines, fmt, req, rej) == (req + skipped, "iis", requests, 0)
    assert statuses == requests
    assert (definition or "").startswith("no #Fields header: IIS layout assumed") == assumed
