"""Proof against third-party logs in ../shared/realworld (skipped cleanly when absent; never copied here).

Per expected case of the peers' test suites we support: the line is a request unless the peer rejects it
too, and every field both sides name has the same value. Whole files: every line accounted for.
Formats we do not read (error logs, Atlassian, HAProxy...) are skipped with the reason.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import pytest

from exposure import Case
from exposure.errors import FormatError
from exposure.formats.clf import COMBINED
from exposure.formats.clientaddr import parse_address
from exposure.formats.custom import custom_format, full_time
from exposure.formats.escapes import decoded_sql
from exposure.formats.jsonl import JSON_LINES
from exposure.formats.registry import all_formats, get_format
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
    # ingress-nginx's default log_format upstreaminfo, as its documentation gives it
    # (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/log-format/)
    "nginx-ingress-upstreaminfo": ("nginx_log_format", "log_format upstreaminfo "
                                   "'$remote_addr - $remote_user [$time_local] \"$request\" ' "
                                   "'$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" ' "
                                   "'$request_length $request_time [$proxy_upstream_name] "
                                   "[$proxy_alternative_upstream_name] $upstream_addr ' "
                                   "'$upstream_response_length $upstream_response_time $upstream_status $req_id';"),
}


def _unquote(key: str) -> Any:
    return lambda case: case["expected"][key].strip('"')


# Cases where we differ from the peer on purpose: case id -> (judgement, what we assert instead). A value
# may be a function of the case. 'reason' is a prefix of our reject reason.
NO_TIME = "outside our contract: a line without a date and time cannot be placed in a timeline, so it is rejected"
JUDGED: dict[str, tuple[str, dict[str, Any]]] = {
    # filebeat's iis test.log concatenates three logs; lines 16-17 carry the 15 values of the first layout but
    # stand under the third '#Fields' line (22 fields). W3C says a line's fields are those of the last #Fields
    # directive; filebeat guesses among its patterns. A line that does not fit its declared header is rejected
    # (with its raw text kept), not re-interpreted by guesswork.
    **dict.fromkeys(["filebeat/iis/test.log:3", "filebeat/iis/test.log:4"], (
        "peer guesses the layout: the line has 15 values under a 22-field #Fields header",
        {"verdict": "rejected", "reason": "15 values under 22 fields"})),
    # nginx writing $proxy_add_x_forwarded_for (or "$http_x_forwarded_for" $remote_addr) where %h stands: filebeat
    # takes the first (left-most) entry of the list; we take the address that connected to this server (the last
    # entry) as the client and keep the rest in xff, because the left part of the list can be forged by anyone.
    # `--client-ip-from xff --trusted-proxy` resolves it from the right (test_xff.py).
    "filebeat/nginx/test.log:0": ("differs on purpose: client = connecting address, the list in xff",
                                  {"verdict": "request", "client": "127.0.0.1", "xff": "10.0.0.2, 10.0.0.1"}),
    "filebeat/nginx/test.log:2": ("differs on purpose: client = connecting address, the list in xff",
                                  {"verdict": "request", "client": "85.181.35.98", "xff": "10.0.0.2, 10.0.0.1"}),
    "filebeat/nginx/test.log:4": ("differs on purpose: client = the address after the quoted list, the list in xff",
                                  {"verdict": "request", "client": "10.2.1.185",
                                   "xff": "10.5.102.222, 199.96.1.1, 204.246.1.1"}),
    "filebeat/nginx/test.log:5": ("differs on purpose: client = the address after the unquoted list, the list in xff",
                                  {"verdict": "request", "client": "10.2.2.121", "ident": None, "userid": None,
                                   "xff": "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17"}),
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
        "we decode the escaped bytes as UTF-8, as the client sent them (U+1D306); the rest of the UA is equal",
        {"verdict": "request", "user_agent": lambda case: case["expected"]["headers_in"]["User-Agent"].replace(
            "\u00f0\x9d\x8c\x86", "\U0001d306")}),
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
    "apachelogs-jwodder/test_parse_custom_time:40:apache-custom": (
        "outside our contract: German day names (as :38); the ISO week date itself (%G--%V) is read",
        {"verdict": "rejected", "reason": "invalid timestamp: 2019--20 So 12:34:56"}),
    "apachelogs-jwodder/test_parse_custom_time:41:apache-custom": (
        "outside our contract: German day names (as :38)",
        {"verdict": "rejected", "reason": "invalid timestamp: 2019--20 Sonntag 12:34:56"}),
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
    **dict.fromkeys(["vrl-vectordotdev/parse_aws_alb_log:11:alb", "vrl-vectordotdev/parse_aws_alb_log:12:alb"], (
        "peer representation: client_host keeps ALB's ':port' glued to an unbracketed IPv6 address (9 groups); "
        "the address is the first 8 groups, we keep it without the port",
        {"verdict": "request", "client": "2601:6bbc:c529:9dad:6bbc:c529:9dad:6bbc"})),
    "lars-waveform80/test_iis:21:field:iis-string": (
        "peer lenient: '\"\"\"' is no W3C value (a quoted value doubles each quote inside: '\"\"\"\"' is '\"', which "
        "we read, test_iis:22); the line's values cannot be split, and the field is not read",
        {"value": None}),
    "lars-waveform80/test_iis:15:field:iis-string": (
        "peer percent-decodes every W3C string; IIS writes cs(User-Agent) with '+' for a space and does not "
        "percent-encode it, so a '%28' in the field is what the client sent: we keep it",
        {"value": "%28foo bar%29"}),
    "matomo-log-analytics/test_main:28:w3c-extended": (
        "peer reads Incapsula's cs-bytes as the response size; it is the size of the incoming request (Imperva's "
        "'in': Microsoft Sentinel's ImpervaWAFCloudV2 table, 'In: size of the incoming request in bytes'), so no "
        "response byte count is logged: bytes NULL; every other field agrees",
        {"verdict": "request", "bytes": None, "status": 200, "path": "/page.php", "query": "variable=test"}),
    "matomo-log-analytics/test_main:29:w3c-extended": (
        "peer invents a value: the line's sc-status is empty (\"\"), the peer reports 200; we keep no status",
        {"verdict": "request", "status": None, "path": "/rss/news", "client": "125.125.125.125"}),
    "vrl-vectordotdev/parse_common_log:4:apache-common": (
        "outside the built-in grammar: the peer is given timestamp_format '%+' (ISO 8601 in the brackets); the "
        "built-in common format rejects it, the directive route reads it (test_iso_time_in_brackets_by_directive)",
        {"verdict": "rejected", "reason": "invalid timestamp: 2000-10-10T20:55:36Z"}),
}


# Where the peer is right and we are wrong (bugs to fix, not judgements). Each is a parameter marked
# xfail(strict=True): the check runs in full, and a fix shows as XPASS, which fails the run (move it out of here).
KNOWN_BUGS: dict[str, str] = {}  # none known today (the SHOUTcast, Incapsula and address-list cases are fixed)


def _param(*values: Any, id: str) -> Any:  # noqa: A002 (pytest's own keyword)
    """A parameter of a check; a known bug's is expected to fail, strictly."""
    if id in KNOWN_BUGS:
        return pytest.param(*values, id=id, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[id]))
    return pytest.param(*values, id=id)


def _cases() -> list[Any]:
    if not ROOT.is_dir():
        return []
    out = []
    for path in sorted(ROOT.rglob("*.expected.jsonl")):
        for n, text in enumerate(path.read_text().splitlines(), 1):
            case = json.loads(text)
            cid = f"{path.relative_to(ROOT).parts[0]}/{path.name.split('.')[0]}:{n}:{case['format']}"
            out.append(_param(case, id=cid))
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


@functools.cache
def _custom(key: str, directive: str) -> Any:
    """One format object per directive, so the peer lines of one directive are parsed together (peer_rows)."""
    return custom_format({key: directive})


def _format(case: dict[str, Any]) -> Any:
    fmt = case["format"]
    if fmt in NAMED_DIRECTIVES and not (case.get("options") or {}).get("encoding"):
        return _custom(*NAMED_DIRECTIVES[fmt])
    if fmt in CLF_FORMATS:
        return COMBINED
    if fmt in JSON_FORMATS:
        return JSON_LINES
    if fmt == "apache-custom" and case.get("log_format"):
        try:
            fmt = _custom("log_format", case["log_format"])
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


def _field_value(case: dict[str, Any]) -> Any:
    """A peer's case for one field's value: the value as our parse of a line holding it stores it (lars:
    an Apache quoted field, decoded by the escapes rule; an IIS W3C user agent)."""
    value = case["input"]
    if case["format"] == "field:apache-escaped-string":  # the one rule on the value itself ('-' is NULL)
        return duckdb.connect().execute(f"SELECT nullif(({decoded_sql('$1')}).v, '-')", [value]).fetchone()[0]
    lines = ["#Fields: date time c-ip cs(User-Agent)", f"2020-06-08 14:12:18 192.0.2.7 {value}"]
    return parse_lines(get_format("iis"), lines)[1]["user_agent"]


FIELD_CASES = {"field:apache-escaped-string", "field:iis-string"}
APACHE_TIME = "[%d/%b/%Y:%H:%M:%S %z]"


def _is_apache_time_case(case: dict[str, Any]) -> bool:
    """A peer's case for Apache's %t itself (apachelogs parse_apache_timestamp, lars's strptime with CLF's format)."""
    return case["format"] == "field:apache-timestamp" or (
        case["format"] == "field:strptime-timestamp" and (case.get("options") or {}).get("time_format") == APACHE_TIME)


def _apache_time_value(case: dict[str, Any]) -> str:
    value = case["input"]
    value = value[1:] if value.startswith("[") else value
    return value[:-1] if value.endswith("]") else value


def _apache_time_line(value: str) -> str:
    return f'192.0.2.7 - - [{value}] "GET / HTTP/1.1" 200 1'


def _apache_time_case(case: dict[str, Any], rows: Callable[[Any, str], dict[str, Any]]) -> None:
    """The peer's %t value in a common line (its brackets as CLF writes them: the peers accept one missing):
    the instant and offset we give, or a reject where the peer rejects it."""
    value = _apache_time_value(case)
    row = rows(COMBINED, _apache_time_line(value))
    if case["expected"].get("error"):
        assert (row["verdict"], row["reason"]) == ("rejected", f"invalid timestamp: {value}"), row["reason"]
        return
    assert row["verdict"] == "request", row["reason"]
    want = datetime.fromisoformat(case["expected"]["value"])
    if want.tzinfo is not None:  # apachelogs: the local time with its offset
        offset = want.utcoffset()
        assert row["utc_offset_min"] == offset.total_seconds() // 60
        want = (want - offset).replace(tzinfo=None)
    assert row["ts_utc"] == want  # lars: naive UTC


def _peer_line(case: dict[str, Any]) -> tuple[Any, str] | None:
    """(format, line) of a peer case test_peer_case parses with parse_lines; None for the others."""
    if case["format"] in AWS_W3C or case["format"] in FIELD_CASES:
        return None
    if _is_apache_time_case(case):
        return COMBINED, _apache_time_line(_apache_time_value(case))
    try:
        fmt = _format(case)
    except (pytest.skip.Exception, FormatError):
        return None
    line = _line(case)
    return None if line is None else (fmt, line)


@pytest.fixture(scope="module")
def peer_rows() -> Callable[[Any, str], dict[str, Any]]:
    """The row parse_lines gives a peer line alone, from one parse_lines of every peer line of its format (one
    DuckDB connection and one plan per format, not one per case: ~240 lines under the combined format). A line's
    row depends on that line only, as ingest parses a whole file in one statement; its line number is set back
    to 1, as alone. A format whose batch fails is parsed line by line, so the failure is that line's case's."""
    lines: dict[int, tuple[Any, list[str]]] = {}
    for param in _cases():
        found = _peer_line(param.values[0])
        if found is not None:
            fmt, line = found
            lines.setdefault(id(fmt), (fmt, []))[1].append(line)
    parsed: dict[tuple[int, str], dict[str, Any]] = {}

    def row(fmt: Any, line: str) -> dict[str, Any]:
        if (id(fmt), line) not in parsed and id(fmt) in lines:
            batch = list(dict.fromkeys(lines.pop(id(fmt))[1]))
            try:
                rows = parse_lines(fmt, batch)
            except Exception:  # noqa: BLE001 (each case parses its line alone below and fails on its own)
                rows = []
            for text, got in zip(batch, rows, strict=False):
                parsed[(id(fmt), text)] = {**got, "line_no": 1}
        if (id(fmt), line) not in parsed:
            return parse_lines(fmt, [line])[0]
        return parsed[(id(fmt), line)]
    return row


@pytest.mark.parametrize("case", _cases())
def test_peer_case(case: dict[str, Any], request: pytest.FixtureRequest,
                   peer_rows: Callable[[Any, str], dict[str, Any]]) -> None:
    if case["format"] in AWS_W3C:
        _aws_w3c_peer_case(case, request.node.callspec.id, request)
        return
    if _is_apache_time_case(case):
        _apache_time_case(case, peer_rows)
        return
    if case["format"] in FIELD_CASES:
        cid = request.node.callspec.id
        want = JUDGED[cid][1]["value"] if cid in JUDGED else case["expected"]["value"]
        assert _same("value", _field_value(case), want)
        return
    fmt = _format(case)
    line = _line(case)
    if line is None:
        pytest.skip("no single input line")
    row = peer_rows(fmt, line)
    cid = request.node.callspec.id
    if cid in JUDGED:
        want = {k: v(case) if callable(v) else v for k, v in JUDGED[cid][1].items()}
        assert row["reason"] is None or row["reason"].startswith(want.pop("reason", "")), row["reason"]
        assert {k: row[k] for k in want} == want
        return
    expected = case.get("expected")
    peer_rejects = isinstance(expected, dict) and expected.get("error") is True
    no_time = _logs_no_time(fmt)
    if no_time:
        # a LogFormat without a full date and time (peer: no request_time): the line must fit the directive,
        # and is rejected for its time (NO_TIME); the fields it holds are still compared
        assert (row["verdict"], row["reason"].split(":")[0]) == ("rejected", "invalid timestamp"), row["reason"]
    elif row["verdict"] != "request":
        assert peer_rejects, f"we reject a line the peer reads: {row['reason']}"
        return
    if peer_rejects:
        return  # we read a line the peer rejects: allowed (we keep more than a strict peer), counted in the note
    got = {k: row[k] for k in _expected_fields(expected)}
    want = _expected_fields(expected)
    mismatches = {k: (got[k], v) for k, v in want.items() if not _same(k, got[k], v)}
    mismatches.update(_extra_mismatches(fmt, row, expected))
    when = _expected_instant(expected)
    if when is not None and row["ts_utc"] != when and not no_time:
        mismatches["ts_utc"] = (row["ts_utc"], when)
    if isinstance(expected.get("request_time"), int | float):  # nginx $request_time, seconds
        if row["duration_ms"] is None or abs(row["duration_ms"] - expected["request_time"] * 1000) > 1e-6:
            mismatches["duration_ms"] = (row["duration_ms"], expected["request_time"])
    assert not mismatches, mismatches


def _extra_mismatches(fmt: Any, row: dict[str, Any], expected: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The peer's values of fields we keep by name in `extra` (a directive's other fields), compared as text;
    a value the peer gives as '-' or '' is absent from ours."""
    compiled = fmt.options.get("compiled")
    if compiled is None:
        return {}
    ours = row["extra"] or {}
    out = {}
    for key in {k for k, _ in compiled.extras}:
        if key in expected and not isinstance(expected[key], dict | list):
            theirs = expected[key]
            if not (ours.get(key) == str(theirs) or (theirs in ("-", "", None) and key not in ours)):
                out[f"extra.{key}"] = (ours.get(key), theirs)
    return out


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


# --- W3C/AWS peer cases and the whole-file expected results (filebeat, elastic-integrations S3, lnav) -------
# These formats depend on the file (W3C `#Fields:` headers), so each file is ingested once for the module,
# auto-detected as a user would; single lines given inline are parsed with the named format.
AWS_W3C = {"iis-w3c": "iis", "w3c-extended": "w3c", "s3": "s3", "cloudfront": "cloudfront", "alb": "alb",
           "elb": "elb"}
# peer field names (nested objects flattened with '.') -> our column
PEER_FIELDS = {
    "client": ("client_ip", "source_ip", "c_ip", "ip", "clientip", "client.ip", "source.ip", "client_host"),
    "status": ("http_status", "sc_status", "status_code", "elb_status_code", "response", "status",
               "http.response.status_code"),
    "bytes": ("sent_bytes", "sc_bytes", "bytes", "length", "http.response.body.bytes"),
    "method": ("http_method", "cs_method", "verb", "request_method", "http.request.method", "http_request.method"),
    "path": ("requested_uri_stem", "cs_uri_stem", "uri_stem", "path", "url.path", "http_request.path"),
    "query": ("cs_uri_query", "uri_query", "query_string", "url.query"),
    "user_agent": ("user_agent", "cs_User_Agent", "cs_user_agent", "agent", "user_agent.original"),
    "referer": ("referrer", "cs_Referrer", "cs_referer", "http.request.referrer"),
    "userid": ("cs_username", "user.name"),
    "vhost": ("destination.domain",),
    "protocol": ("cs_version",),
}
PEER_TIME_KEYS = ("@timestamp", "timestamp", "last_written_time", "log_time", "date")
ROW_COLUMNS = ("ts_utc", "client", "client_zone", "status", "bytes", "method", "path", "query", "user_agent",
               "referer", "ident", "userid", "vhost", "protocol", "xff", "extra")
# files read with options of their own (the server's LogFormat; mod_ssl's default ssl_request_log)
FILE_OPTIONS = {
    "filebeat-beats-2019-fork/filebeat/module/apache/access/test/ssl-request.log":
        IngestOptions(log_format='%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b'),
}
FILEBEAT = "filebeat-beats-2019-fork/filebeat/module"
S3_EVENTS = "elastic-integrations/aws_s3access/test-s3-server-access.log"
LNAV = "lnav/test/logfile_access_log.0"


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(value, dict):
        return {prefix: value}
    out: dict[str, Any] = {}
    for k, v in value.items():
        out.update(_flat(v, f"{prefix}.{k}" if prefix else k))
    return out


def _aws_w3c_files() -> list[str]:
    files = set()
    for path in sorted(ROOT.rglob("*.expected.jsonl")):
        for text in path.read_text().splitlines():
            case = json.loads(text)
            if case["format"] in AWS_W3C and case.get("input_file"):
                files.add(case["input_file"])
    files |= {str(p.relative_to(ROOT)) for p in ROOT.glob(f"{FILEBEAT}/*/access/test/*.log")}
    files |= {S3_EVENTS + ".from-expected-event.original", LNAV}
    return sorted(f for f in files if (ROOT / f).exists())


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], dict[str, Any]]:
    """(file relative to ROOT, line) -> our row, every listed file ingested once (grouped by options)."""
    files = _aws_w3c_files()
    groups: dict[int, list[str]] = {}
    for rel in files:
        groups.setdefault(id(FILE_OPTIONS.get(rel)), []).append(rel)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    cols = ", ".join(f"r.{c}" for c in ROW_COLUMNS)
    for n, rels in enumerate(groups.values()):
        with Case(tmp_path_factory.mktemp("realworld") / f"c{n}.duckdb") as case:
            case.ingest([ROOT / r for r in rels], FILE_OPTIONS.get(rels[0]) or IngestOptions())
            evidence = case.con.execute(
                "SELECT path, coalesce(duplicate_of, evidence_id), lines, requests, rejected, skipped, format "
                "FROM evidence").fetchall()
            for path, eid, lines, req, rej, skipped, fmt in evidence:
                rel = str(Path(path).relative_to(ROOT))
                assert lines == req + rej + skipped, rel  # every line accounted for
                rows[(rel, 0)] = {"format": fmt, "lines": lines, "rejected": rej}
                cur = case.con.execute(f"SELECT r.line_no, r.byte_offset, {cols} FROM requests r "
                                       "WHERE evidence_id = ?", [eid])
                names = [d[0] for d in cur.description]
                for values in cur.fetchall():
                    row = dict(zip(names, values, strict=True))
                    rows[(rel, row["line_no"])] = {"verdict": "request", "reason": None, **row}
                for line_no, offset, reason in case.con.execute(
                        "SELECT line_no, byte_offset, reason FROM rejects WHERE evidence_id = ?", [eid]).fetchall():
                    rows[(rel, line_no)] = {"verdict": "rejected", "reason": reason, "byte_offset": offset}
    return rows


def _file_row(ingested: dict[tuple[str, int], dict[str, Any]], rel: str, line: int) -> dict[str, Any]:
    return ingested.get((rel, line), {"verdict": "skipped", "reason": None})


def _inline_row(case: dict[str, Any]) -> dict[str, Any]:
    """An inline input: one line, or (lars) a whole W3C document whose last data line is the case."""
    fmt = get_format(AWS_W3C[case["format"]])
    lines = case["input"].rstrip("\n").split("\n")
    rows = parse_lines(fmt, lines)
    data = [r for r, text in zip(rows, lines, strict=True) if not text.startswith("#")]
    return data[-1] if data else rows[-1]


def _peer_instant(expected: dict[str, Any]) -> datetime | None:
    """The peer's time as naive UTC. W3C and AWS logs are UTC by definition, so a naive peer value is UTC."""
    flat = _flat(expected)
    for key in PEER_TIME_KEYS:
        value = flat.get(key)
        if not isinstance(value, str):
            continue
        text = value.replace("\t", "T")
        if key == "date" and isinstance(flat.get("time"), str) and len(text) == 10:
            text += "T" + flat["time"]
        if isinstance(flat.get("timezone"), str):
            text += " " + flat["timezone"]
        for parse in (lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")),
                      lambda t: datetime.strptime(t, "%d/%b/%Y:%H:%M:%S %z")):
            try:
                when = parse(text)
            except ValueError:
                continue
            return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    return None


def _peer_fields(expected: dict[str, Any]) -> dict[str, Any]:
    flat = _flat(expected)
    out: dict[str, Any] = {}
    for col, keys in PEER_FIELDS.items():
        for key in keys:
            if key in flat and flat[key] is not None and not isinstance(flat[key], list):
                out[col] = flat[key]
                break
    original = flat.get("url.original")
    if isinstance(original, str) and original.startswith("/"):
        path, sep, query = original.partition("?")
        out.setdefault("path", path)
        if sep:
            out.setdefault("query", query)
    if isinstance(flat.get("http.version"), str) and "protocol" not in out:
        out["protocol"] = "HTTP/" + flat["http.version"]
    return out


def _peer_text(col: str, theirs: Any) -> Any:
    """Peer representations, not values: grok keeps the enclosing quotes; plaso/Matomo keep IIS's '+' for a
    space; grok keeps CloudFront's URL-encoding (twice-encoded `%2520`). We store the decoded value."""
    if col in ("user_agent", "referer") and isinstance(theirs, str):
        theirs = theirs.strip('"') if len(theirs) > 1 and theirs[0] == theirs[-1] == '"' else theirs
        theirs = unquote(unquote(theirs.replace("+", " "))) if re.search(r"\+|%2[0-9A-F]", theirs) else theirs
    return theirs


def _mismatches(row: dict[str, Any], expected: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    out = {}
    for col, theirs in _peer_fields(expected).items():
        ours = row.get(col)
        theirs = _peer_text(col, theirs)
        if col == "method" and isinstance(ours, str) and ours.startswith("REST."):
            ours = ours.split(".")[1]  # S3: our method is the REST operation; its verb is the HTTP method
        if col == "client" and theirs == "-":
            same = ours is None
        elif col == "client":
            addr = parse_address(str(theirs))[0]
            same = ours == (addr if addr is not None else theirs)
        elif theirs in ("-", "") or (col == "query" and theirs == "-"):
            same = ours is None
        else:
            same = str(ours) == str(theirs)
        if not same:
            out[col] = (ours, theirs)
    when = _peer_instant(expected)
    ours_ts = row.get("ts_utc")
    if when is not None and ours_ts is not None and when.microsecond == 0:
        ours_ts = ours_ts.replace(microsecond=0)  # the peer gives whole seconds
    if when is not None and ours_ts != when:
        out["ts_utc"] = (row.get("ts_utc"), when)
    return out


def _check(cid: str, row: dict[str, Any], expected: Any) -> None:
    """Our row against the peer's expected values (or the JUDGED replacement for this case)."""
    if cid in JUDGED:
        want = {k: v(expected) if callable(v) else v for k, v in JUDGED[cid][1].items()}
        assert row.get("reason") is None or row["reason"].startswith(want.pop("reason", "")), row.get("reason")
        assert {k: row.get(k) for k in want} == want
        return
    peer_rejects = isinstance(expected, dict) and expected.get("error") is True
    if row["verdict"] != "request":
        assert peer_rejects, f"we {row['verdict']} a line the peer reads: {row.get('reason')}"
        return
    if peer_rejects:
        return  # we read a line the peer rejects: allowed (we keep more than a strict peer), counted in the note
    assert not _mismatches(row, expected), _mismatches(row, expected)


def _aws_w3c_peer_case(case: dict[str, Any], cid: str, request: pytest.FixtureRequest) -> None:
    if case.get("input_file"):
        if not (ROOT / case["input_file"]).exists():
            pytest.skip(f"{case['input_file']} absent")
        row = _file_row(request.getfixturevalue("ingested"), case["input_file"], case["line"])
    else:
        row = _inline_row(case)
    _check(cid, row, case["expected"])


def _expected_events() -> list[Any]:
    """Whole-file expected results: filebeat `*-expected.json` (events matched to lines by `log.offset`), the
    elastic-integrations S3 events (their `event.original` lines, in order) and lnav's `SELECT *` rows."""
    if not ROOT.is_dir():
        return []
    out = []
    for path in sorted(ROOT.glob(f"{FILEBEAT}/*/access/test/*-expected.json")):
        rel = str(path.relative_to(ROOT))[: -len("-expected.json")]
        for n, event in enumerate(json.loads(path.read_text())):
            out.append(_param(rel, ("offset", event["log.offset"]), event,
                              id=f"filebeat/{rel.split('/')[3]}/{Path(rel).name}:{n}"))
    s3 = ROOT / (S3_EVENTS + "-expected.json")
    if s3.exists():
        for n, event in enumerate(json.loads(s3.read_text())["expected"]):
            out.append(_param(S3_EVENTS + ".from-expected-event.original", ("line", n + 1), event,
                              id=f"elastic-integrations/s3access:{n}"))
    lnav = ROOT / "lnav" / "expected_select_star_access_log_logfile_access_log.0.json"
    if lnav.exists():
        for row in json.loads(lnav.read_text()):
            out.append(_param(LNAV, ("line", row["log_line"] + 1), row, id=f"lnav/access_log.0:{row['log_line']}"))
    return out


@pytest.mark.parametrize(("rel", "where", "event"), _expected_events())
def test_expected_event(ingested: dict[tuple[str, int], dict[str, Any]], request: pytest.FixtureRequest,
                        rel: str, where: tuple[str, int], event: dict[str, Any]) -> None:
    kind, value = where
    if kind == "line":
        row = _file_row(ingested, rel, value)
    else:
        [row] = [r for (f, n), r in ingested.items() if f == rel and n and r.get("byte_offset") == value]
    _check(request.node.callspec.id, row, event)


@pytest.mark.parametrize("rel", [
    pytest.param(f"{FILEBEAT}/apache/access/test/darwin-2.4.23.log", id="filebeat-apache-darwin"),
    pytest.param(f"{FILEBEAT}/apache/access/test/ubuntu-2.2.22.log", id="filebeat-apache-ubuntu"),
    pytest.param(f"{FILEBEAT}/nginx/access/test/access.log", id="filebeat-nginx-access"),
])
def test_filebeat_file_without_expected(ingested: dict[tuple[str, int], dict[str, Any]], rel: str) -> None:
    """filebeat test logs without an -expected.json: every line is read as a request."""
    if (rel, 0) not in ingested:
        pytest.skip(f"{rel} absent")
    assert ingested[(rel, 0)]["rejected"] == 0


def test_a_known_bug_is_a_strict_xfail(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known bug runs its check in full and must fail: its fix shows as XPASS, which fails the run."""
    monkeypatch.setitem(KNOWN_BUGS, "peer/x:1", "a bug")
    [mark] = _param("case", id="peer/x:1").marks
    assert (mark.name, mark.kwargs) == ("xfail", {"strict": True, "reason": "a bug"})
    assert not _param("case", id="peer/x:2").marks
