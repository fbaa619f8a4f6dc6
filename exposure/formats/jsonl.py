"""JSON lines: one JSON object per line, as nginx (`log_format ... escape=json`), Caddy and Traefik write them.

One format reads all three, because their field names do not collide: each raw field is the first present
of a list of JSON paths (nginx variable names, Caddy's `request.*` object, Traefik's CamelCase names).
`--json-fields time=ts,client=remote_ip,...` maps any other JSON log (a key maps to a dotted path; `[0]`
indexes arrays); mapped fields come first, the built-in names still fill the rest. All values are pulled
with one `json_extract_string(json, [paths])` call per line (vectorised in DuckDB); a line that is not a
JSON object is rejected with that reason.

Times: a number is an epoch, its unit read from its size as Caddy's `time_format`s write it (seconds, the
default `unix_seconds_float`; milliseconds above 1e11; microseconds above 1e14; nanoseconds above 1e17,
`unix_nano`); a string is ISO 8601 (with `Z` or an offset, or without: then `--log-tz` applies), Caddy's
`wall` forms (`2020/06/08 14:12:18.000`, local time without an offset: `--log-tz`) or the CLF
`08/Jun/2020:14:12:18 +0200`.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import FormatError
from ..schema import BYTES_MARK
from .base import (
    GLUED_REASON,
    PREFIX_JSON_REASON,
    REQUEST_RE,
    LogFormat,
    complete_raw_columns,
    mapped_requests_sql,
    normalise_sql,
    offset_minutes_sql,
    sql_literal,
)
from .clf import TIME_FORMAT
from .escapes import json_repaired_sql

# raw field -> JSON paths tried in order (nginx escape=json, Caddy, Traefik, generic; last: the names of the
# nginx log_format Matomo's log importer documents: ip, date, path, length, referrer)
DEFAULT_PATHS: dict[str, list[str]] = {
    "time": ["$.time_iso8601", "$.time_local", "$.ts", "$.StartUTC", "$.time", "$.timestamp", '$."@timestamp"',
             "$.msec", "$.StartLocal", "$.date"],
    "client": ["$.remote_addr", "$.request.client_ip", "$.request.remote_ip", "$.ClientHost", "$.client_ip",
               "$.remote_ip", "$.client", "$.ip"],
    "peer": ["$.realip_remote_addr"],
    "userid": ["$.remote_user", "$.user_id", "$.ClientUsername"],
    "method": ["$.request_method", "$.request.method", "$.RequestMethod", "$.method"],
    "uri": ["$.request_uri", "$.request.uri", "$.RequestPath", "$.uri", "$.path"],
    "request": ["$.request"],
    "protocol": ["$.server_protocol", "$.request.proto", "$.RequestProtocol", "$.protocol"],
    "status": ["$.status", "$.DownstreamStatus", "$.response.status", "$.status_code"],
    "bytes": ["$.body_bytes_sent", "$.size", "$.DownstreamContentSize", "$.bytes_sent", "$.bytes", "$.length"],
    "referer": ["$.http_referer", '$.request.headers.Referer[0]', '$."request_Referer"', "$.referer", "$.referrer"],
    "user_agent": ["$.http_user_agent", '$.request.headers."User-Agent"[0]', '$."request_User-Agent"',
                   "$.user_agent"],
    "xff": ["$.http_x_forwarded_for", '$.request.headers."X-Forwarded-For"[0]', '$."request_X-Forwarded-For"'],
    "vhost": ["$.host", "$.request.host", "$.RequestHost", "$.server_name", "$.http_host"],
    "duration_s": ["$.request_time", "$.duration"],
    "duration_ns": ["$.Duration"],
    "completion": ["$.request_completion"],
    "content_range": ["$.sent_http_content_range", '$.resp_headers."Content-Range"[0]'],
    # the Content-Length the server announced (Caddy's resp_headers, nginx $sent_http_content_length): on a 200
    # it is the whole object's length, an exact size; an aborted transfer still announced it
    "content_length": ['$.resp_headers."Content-Length"[0]', "$.sent_http_content_length"],
    # the id nginx gives each request (`"request_id": "$request_id"`; schema request_id): two lines whose ids differ
    # are two requests (overlap.py)
    "request_id": ["$.request_id"],
    "logger": ["$.logger"],  # Caddy: which of its loggers wrote the entry
    # a request in a cloud service's layout exposure does not read by default (FOREIGN_LAYOUTS): never skipped as
    # "no request fields", rejected with what it looks like and how to read it
    "foreign_google": ["$.httpRequest.requestMethod"],
    "foreign_azure": ["$.properties.httpMethod"],
    # a W3C extended log's field names as keys: CloudFront standard logging v2's JSON output, an IIS log shipped as
    # JSON (UNREAD_JSON_LAYOUTS)
    "foreign_w3c": ['$."cs-uri-stem"', '$."cs-method"', '$."sc-status"', '$."x-edge-location"'],
}
# (raw field, what the entry looks like, the --json-fields that reads it); the entry names no request field of
# DEFAULT_PATHS, so it would otherwise read as no access entry
FOREIGN_LAYOUTS = (
    ("foreign_google", "Google Cloud LogEntry httpRequest (load balancer, Cloud CDN, Cloud Run)",
     "time=timestamp,client=httpRequest.remoteIp,method=httpRequest.requestMethod,uri=httpRequest.requestUrl,"
     "status=httpRequest.status,bytes=httpRequest.responseSize,user_agent=httpRequest.userAgent,"
     "referer=httpRequest.referer"),
    ("foreign_azure", "Azure diagnostic log properties (Front Door, Application Gateway, CDN)",
     "time=time,client=properties.clientIp,method=properties.httpMethod,uri=properties.requestUri,"
     "status=properties.httpStatusCode,bytes=properties.responseBytes,user_agent=properties.userAgent"),
)
# (raw field, what the entry looks like, how to have it read): a request in a layout no --json-fields reads
# faithfully, rejected with what it looks like (never skipped as "no request fields": red team 18a found
# CloudFront's v2 JSON records skipped, every line, exit 0, the target "never requested"). CloudFront's v2 JSON
# splits the time into `date` and `time` and counts the headers in `sc-bytes`, which --json-fields (a body count)
# would misread; its W3C output is the `cloudfront` format, read with every field's meaning.
UNREAD_JSON_LAYOUTS = (
    ("foreign_w3c", "a W3C extended log's fields as JSON keys: CloudFront standard logging v2's JSON output, or an "
                    "IIS log shipped as JSON",
     "deliver it in its W3C text form (CloudFront: the w3c output format, with its #Fields line; IIS: its u_ex "
     "files), which exposure reads with each field's meaning (sc-bytes counts the headers)"),
)
# extra's key marking a line whose byte count is `bytes_sent` alone (what it covers is inferred per stream)
BYTES_FIELD = BYTES_MARK
# Caddy's access entries come from the logger `http.log.access` (and its named children, `http.log.access.log0`);
# its other loggers (http.log.error, tls, admin ...) write entries that are no request
ACCESS_LOGGER = "http.log.access"
# raw fields that fill optional request columns (exposure.schema.EXTRAS)
JSON_EXTRAS: dict[str, tuple[str, ...]] = {
    "peer": ("peer",), "xff": ("xff",), "vhost": ("vhost",), "duration_s": ("duration_ms",),
    "duration_ns": ("duration_ms",), "duration_ms": ("duration_ms",), "completion": ("completion",),
    "content_range": ("range_start", "range_end", "object_size"), "object_size": ("object_size",),
    "content_length": ("object_size",), "request_id": ("request_id",),
}
# an access entry has at least one of these
REQUEST_KEYS = ("method", "uri", "request", "status", "path")
MAPPABLE = {"time", "client", "peer", "userid", "method", "uri", "path", "query", "request", "protocol", "status",
            "bytes", "referer", "user_agent", "xff", "vhost", "duration_s", "duration_ms", "completion",
            "content_range", "object_size", "request_id"}
ISO_RE = r"^([0-9]{4}[-/][0-9]{2}[-/][0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(?:[.,]([0-9]+))?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
# The common ISO 8601 shapes (nginx $time_iso8601, or UTC with Z, no fraction): read by position, exactly what
# ISO_RE's groups give them, without a regex per line
ISO_PLAIN = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9][+-][0-9][0-9]:[0-9][0-9]"
ISO_PLAIN_Z = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"
CLF_RE = r"^[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$"
RANGE_RE = r"^bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)$"


# what gives a JSON line's exact object length (evidence.exact_length_field)
EXACT_LENGTH = "Content-Range total, or a 200's Content-Length"

# a container log's prefix: `docker compose logs` ('web-1  | '), `kubectl logs --prefix` ('[pod/web/nginx] ')
PREFIX_RE = r"^([A-Za-z0-9_.-]+ *\| |\[[^\]]*\] )\{"
# In a line that starts as an object but is none, a second object's start (`{`, a key, its `:`) after anything but
# `:`, `,`, `[` or a blank, where JSON puts one only after those (a closed `}`, a cut value's `18`, `l"`): two lines
# written without a newline between them (read from the line's second character on). A `{` inside a string is
# never followed by a bare quote then a key and `:` (a quote inside a string is `\"`): a cut line ending in a
# referer's `?x={` stays a cut line. A line with something before its `{` is a prefixed line (PREFIX_JSON_RE).
GLUED_JSON_RE = r'[^:,\[\s]\s*\{\s*"(?:[^"\\]|\\.)*"\s*:'
PREFIX_JSON_RE = r'^\s*[^\s{]\S*(?: \S+)*? \{\s*"(?:[^"\\]|\\.)*"\s*:'


def json_text_sql(text: str) -> str:
    """The JSON object of a line: the line, or what follows a container log's prefix; a line nginx wrote
    without `escape=json` (its values hold `\\xHH`) is first made the JSON nginx meant (escapes.json_repaired_sql)."""
    body = (f"CASE WHEN starts_with(ltrim({text}), '{{') THEN {text} "
            f"WHEN regexp_matches({text}, {sql_literal(PREFIX_RE)}) "
            f"THEN substr({text}, length(regexp_extract({text}, {sql_literal(PREFIX_RE)}, 1)) + 1) ELSE {text} END")
    return (f"list_transform([{body}], lambda b: CASE WHEN strpos(b, '\\x') > 0 AND NOT coalesce(json_valid(b), false) "
            f"THEN {json_repaired_sql('b')} ELSE b END)[1]")


# A JSON \u escape of a UTF-16 surrogate, after an even run of backslashes (so it is an escape, not the text
# "ud800" after an escaped backslash): the prefix is group 1, the four hex digits group 2.
_ESCAPE_AFTER = r"((?:^|[^\\])(?:\\\\)*)\\u"
_HIGH, _LOW = "([dD][89abAB][0-9a-fA-F]{2})", "([dD][c-fC-F][0-9a-fA-F]{2})"
LONE_HINT = r"\\u[dD][89a-fA-F]"  # a line that fails to parse and holds a surrogate escape (lone_surrogates_sql)


def lone_surrogates_sql(text: str) -> str:
    """`text` (a line's JSON) with each lone UTF-16 surrogate escape (a high half without a low one after it, a
    low half alone) written `\ufffd`: the JSON grammar takes them (Python's json.dumps writes them for a string
    decoded with surrogateescape, JavaScript's JSON.stringify for a lone half), DuckDB's parser refuses the
    whole line. Valid pairs are set aside first (as \x01HHHH\x02HHHH: a raw control byte no JSON text holds)
    and put back after; the lone halves are replaced twice, so two in a row are both found. A line that holds
    either control byte itself is invalid JSON and is never rewritten (the caller's `lone`): putting the pairs
    back would turn its raw bytes into escapes, a readable line the server never wrote."""
    out = text
    for _ in range(2):  # a match takes the byte before it: twice finds every one of a run
        out = (f"regexp_replace({out}, {sql_literal(_ESCAPE_AFTER + _HIGH + chr(92) * 2 + 'u' + _LOW)}, "
               f"'\\1' || chr(1) || '\\2' || chr(2) || '\\3', 'g')")
    for _ in range(2):
        out = (f"regexp_replace({out}, {sql_literal(_ESCAPE_AFTER + '[dD][89a-fA-F][0-9a-fA-F]{2}')}, "
               f"'\\1\\\\ufffd', 'g')")
    return (f"regexp_replace({out}, chr(1) || '([0-9a-fA-F]{{4}})' || chr(2) || '([0-9a-fA-F]{{4}})', "
            f"'\\\\u\\1\\\\u\\2', 'g')")


def json_path(dotted: str) -> str:
    """`request.headers.User-Agent[0]` -> `$.request.headers."User-Agent"[0]` (a `$` path is kept)."""
    if dotted.startswith("$"):
        return dotted
    out = "$"
    for part in dotted.split("."):
        m = re.fullmatch(r"(.*?)((?:\[[0-9]+\])*)", part)
        name, index = (m.group(1), m.group(2)) if m else (part, "")
        if not name:
            raise FormatError(f"empty name in JSON field path '{dotted}'")
        out += ("." + name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else '."' + name.replace('"', "") + '"')
        out += index
    return out


def _foreign_reason(shape: str, fields: str) -> str:
    return (f"a request in a JSON layout exposure does not read by default (it looks like: {shape}): "
            f"give --json-fields '{fields}'")


def _unread_reason(shape: str, how: str) -> str:
    return f"a request in a JSON layout exposure does not read (it looks like: {shape}): {how}"


def _path_list(paths: list[str]) -> str:
    return "[" + ", ".join(sql_literal(p) for p in paths) + "]"


def parse_mapping(text: str) -> dict[str, str]:
    """`time=ts,client=remote_ip` -> {'time': '$.ts', 'client': '$.remote_ip'}; unknown names are an error."""
    out: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not value.strip():
            raise FormatError(f"--json-fields: '{item}' is not NAME=PATH")
        if key not in MAPPABLE:
            raise FormatError(f"--json-fields: unknown field '{key}' (known: {', '.join(sorted(MAPPABLE))})")
        out[key] = json_path(value.strip())
    return out


def _top_key(path: str) -> str | None:
    """The top-level key a `$.key...` path reads (None for any other path: never left out)."""
    m = re.match(r'\$\.(?:"([^"]*)"|([A-Za-z_][A-Za-z0-9_]*))', path)
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else None


class JsonLinesFormat(LogFormat):
    def _paths(self) -> tuple[list[str], dict[str, list[str]]]:
        """Every JSON path read (in order) and, per raw field, its candidate paths in order of preference."""
        mapping: dict[str, str] = self.options.get("mapping", {})
        paths: list[str] = []
        wanted: dict[str, list[str]] = {}
        for key in sorted(set(DEFAULT_PATHS) | set(mapping)):
            wanted[key] = ([mapping[key]] if key in mapping else []) + DEFAULT_PATHS.get(key, [])
            paths.extend(p for p in wanted[key] if p not in paths)
        return paths, wanted

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        return self._raw_sql(source, self._paths()[0])

    def fast_plan_sql(self, source: str) -> str:
        # any object of the chunk will do (the split between the paths only decides which lines are cheap)
        return f"SELECT json_keys(text) FROM {source} WHERE starts_with(text, '{{') AND json_valid(text) LIMIT 1"

    def fast_requests_sql(self, source: str, evidence_id: int, state: dict[str, Any],
                          addresses: str | None = None) -> str | None:
        """Only the paths under the top-level keys of the chunk's first object are read (json_extract with a
        few paths instead of some sixty), for the lines without any other top-level key the full parse reads:
        their other paths are absent, so each row is what the full parse gives it."""
        if state.get("client_ip_from") == "xff":
            return None
        present = set((state.get("fast_plan") or [None])[0] or [])
        paths = self._paths()[0]
        kept = [p for p in paths if _top_key(p) in present or _top_key(p) is None]
        dropped = sorted({_top_key(p) for p in paths} - present - {None})
        if dropped:  # a cheap test first; the lines it flags (nested keys of the same name) parsed for keys
            named = '"(?:' + "|".join(re.escape(k) for k in dropped) + ')"\\s*:'
            keys = "[" + ", ".join(sql_literal(k) for k in dropped) + "]::VARCHAR[]"
            clear = (f"CASE WHEN NOT contains(text, '\\u') AND NOT regexp_matches(text, {sql_literal(named)}) "
                     f"THEN true WHEN starts_with(text, '{{') AND json_valid(text) "
                     f"THEN NOT list_has_any(json_keys(text), {keys}) ELSE false END")
        else:
            clear = "true"
        lines = f"(SELECT * FROM {source} WHERE {clear})"
        rows = normalise_sql(self, self._raw_sql(lines, kept), evidence_id, state.get("log_tz"))
        return mapped_requests_sql(f"SELECT * FROM ({rows}) WHERE verdict = 'request'", addresses)

    def chunk_extras(self, state: dict[str, Any]) -> tuple[str, ...]:
        """The optional columns the fields under the chunk's top-level keys can fill (and ts_flag: a time
        without an offset is flagged)."""
        present = set((state.get("fast_plan") or [None])[0] or [])
        out = {"ts_flag"}
        for raw, paths in self._paths()[1].items():
            if any(_top_key(p) in present or _top_key(p) is None for p in paths):
                out.update(JSON_EXTRAS.get(raw, ()))
        return tuple(sorted(out))

    def fast_clients_sql(self, source: str, state: dict[str, Any]) -> str:
        wanted = self._paths()[1]
        present = set((state.get("fast_plan") or [None])[0] or [])
        addresses = [p for p in [*wanted["client"], *wanted["peer"], "$.request.remote_ip"]
                     if _top_key(p) in present or _top_key(p) is None]
        if not addresses:
            return "SELECT NULL::VARCHAR AS raw"
        return (f"SELECT unnest(json_extract_string(text, {_path_list(addresses)})) AS raw FROM {source} "
                f"WHERE starts_with(text, '{{') AND json_valid(text)")

    def _raw_sql(self, source: str, paths: list[str]) -> str:
        """The raw fields from the values of `paths` (a path not listed reads as absent)."""
        wanted = self._paths()[1]

        def at(path: str) -> str:
            return f"src.v[{paths.index(path) + 1}]" if path in paths else "NULL::VARCHAR"

        mapping_bytes = "bytes" in self.options.get("mapping", {})  # --json-fields names the bytes: as said

        def v(key: str) -> str:
            parts = [at(p) for p in wanted.get(key, []) if p in paths]
            if not parts:
                return "NULL::VARCHAR"
            return f"coalesce({', '.join(parts)})" if len(parts) > 1 else parts[0]

        # the byte count came from `bytes_sent`, no body count beside it: nginx's $bytes_sent includes the
        # headers, Envoy's %BYTES_SENT% is the body; the line cannot say, so the file's meaning is inferred
        # from the data (exposure/facts.py), as for a CLF %b / %O
        # (a key after it in the coalesce does not count: the count is bytes_sent's whenever it is there)
        order = wanted["bytes"]
        body_keys = [at(p) for p in order[:order.index("$.bytes_sent")] if p in paths] if "$.bytes_sent" in order else []
        wire_only = ("false" if "$.bytes_sent" not in paths or mapping_bytes
                     else f"({at('$.bytes_sent')} IS NOT NULL AND coalesce({', '.join(body_keys)}) IS NULL)"
                     if body_keys else f"({at('$.bytes_sent')} IS NOT NULL)")
        # nginx's $request is a string; Caddy's `request` is an object: only a string is a request line
        request = f"CASE WHEN NOT starts_with(ltrim({at('$.request')}), '{{') THEN {v('request')} END"
        # the time's readings are computed once per line in the inner query (t, iso, is_clf, is_epoch)
        t, iso = "src.t", "src.iso"
        no_request = f"coalesce({', '.join(v(k) for k in REQUEST_KEYS)}) IS NULL"
        foreign = " ".join([f"WHEN {v(key)} IS NOT NULL THEN {sql_literal(_foreign_reason(shape, fields))}"
                            for key, shape, fields in FOREIGN_LAYOUTS]
                           + [f"WHEN {v(key)} IS NOT NULL THEN {sql_literal(_unread_reason(shape, how))}"
                              for key, shape, how in UNREAD_JSON_LAYOUTS])
        foreign_reason = f"CASE WHEN {no_request} THEN CASE {foreign} END END"
        fields = {
            "ok": f"src.is_obj AND {foreign_reason} IS NULL",
            # a container log's prefix before the object (`docker compose logs`: 'caddy  | {...}')
            "extra": (f"CASE WHEN (NOT starts_with(ltrim(src.text), '{{') OR {wire_only}) AND src.is_obj THEN "
                      f"map_from_entries(list_filter(["
                      f"struct_pack(k := 'log_prefix', v := CASE WHEN NOT starts_with(ltrim(src.text), '{{') THEN "
                      f"trim(regexp_extract(src.text, {sql_literal(PREFIX_RE)}, 1)) END), "
                      f"struct_pack(k := {sql_literal(BYTES_FIELD)}, v := CASE WHEN {wire_only} THEN 'bytes_sent' END)"
                      f"], lambda e: e.v IS NOT NULL)) END"),
            # a second object's start after a value (`}{"`, `18{"`, a cut string's `l{"`), where JSON puts one only
            # after `:`, `,` or `[`: two lines written without a newline between them (GLUED_JSON_RE)
            "reject_reason": (f"CASE WHEN NOT src.is_obj AND starts_with(ltrim(src.text), '{{') AND "
                              f"regexp_matches(substr(ltrim(src.text), 2), {sql_literal(GLUED_JSON_RE)}) "
                              f"THEN {sql_literal(GLUED_REASON)} "
                              f"WHEN NOT src.is_obj AND regexp_matches(src.text, {sql_literal(PREFIX_JSON_RE)}) "
                              f"THEN {sql_literal(PREFIX_JSON_REASON)} "
                              f"WHEN NOT src.is_obj THEN 'not a JSON object' ELSE {foreign_reason} END"),
            # an entry that is no HTTP access entry is skipped with the reason, decided by the shipper's logger
            # name or by its shape (no request field at all), never by its level: Caddy writes 4xx/5xx access
            # entries at level error/warn, and they are requests
            "skip_kind": (f"CASE WHEN NOT src.is_obj THEN NULL "
                          f"WHEN {v('logger')} IS NOT NULL AND {v('logger')} <> {sql_literal(ACCESS_LOGGER)} "
                          f"AND NOT starts_with({v('logger')}, {sql_literal(ACCESS_LOGGER + '.')}) "
                          f"THEN 'not an access entry (logger ' || left({v('logger')}, 80) || ')' "
                          f"WHEN {foreign_reason} IS NOT NULL THEN NULL "
                          f"WHEN {no_request} THEN 'not an access entry (no request fields)' END"),
            "client": v("client"), "userid": v("userid"), "request_id": v("request_id"),
            # Caddy: client_ip is the client after its trusted proxies, remote_ip the connecting peer
            "peer": (f"coalesce({v('peer')}, CASE WHEN {at('$.request.client_ip')} IS NOT NULL "
                     f"THEN {at('$.request.remote_ip')} END)"),
            "vhost": v("vhost"), "xff": v("xff"), "status": v("status"), "bytes": v("bytes"),
            "referer": v("referer"), "user_agent": v("user_agent"), "time_text": t,
            "method": f"coalesce({v('method')}, src.req.method)",
            "protocol": f"coalesce({v('protocol')}, src.req.protocol)",
            "uri": f"coalesce({v('uri')}, nullif(src.req.uri, ''))",
            "request_text": request,
            # try_cast: a number no timestamp can hold (log content is hostile) is an invalid time, a reject
            "ts_utc": (f"CASE WHEN src.is_epoch THEN make_timestamp(try_cast(("
                       f"CASE WHEN try_cast({t} AS DOUBLE) > 1e17 THEN try_cast({t} AS DOUBLE) / 1000 "
                       f"WHEN try_cast({t} AS DOUBLE) > 1e14 THEN try_cast({t} AS DOUBLE) "
                       f"WHEN try_cast({t} AS DOUBLE) > 1e11 THEN try_cast({t} AS DOUBLE) * 1000 "
                       f"ELSE try_cast({t} AS DOUBLE) * 1000000 END) AS BIGINT)) END"),
            "ts_local": (f"CASE WHEN src.is_clf "
                         f"THEN try_strptime(split_part({t}, ' ', 1), '{TIME_FORMAT}') "
                         f"WHEN {iso}.d <> '' THEN try_strptime(replace({iso}.d, '/', '-') || ' ' || {iso}.t, "
                         f"'%Y-%m-%d %H:%M:%S') "
                         f"+ to_microseconds(coalesce(try_cast(rpad(left(nullif({iso}.f, ''), 6), 6, '0') AS BIGINT), 0)) END"),
            "utc_offset_min": self._offset(t, iso, "src.is_clf"),
            "duration_ms": (f"coalesce(try_cast({v('duration_ms')} AS DOUBLE), try_cast({v('duration_s')} AS DOUBLE) * 1000, "
                            f"try_cast({v('duration_ns')} AS DOUBLE) / 1e6)::VARCHAR"),
            "completion": (f"CASE WHEN {v('completion')} = 'OK' THEN 'complete' "
                           f"WHEN {v('completion')} IS NOT NULL THEN 'aborted' END"),
        }
        # a time written with an offset that is no offset (base.OFFSET_RE) is no time: a reject
        fields["ts_local"] = (f"CASE WHEN (src.is_clf OR {iso}.z <> '') AND ({fields['utc_offset_min']}) IS NULL "
                              f"THEN NULL ELSE {fields['ts_local']} END")
        mapping: dict[str, str] = self.options.get("mapping", {})
        if "path" in mapping:
            fields["path_raw"] = v("path")
        if "query" in mapping:
            fields["query_raw"] = v("query")
        cr = f"regexp_extract({v('content_range')}, {sql_literal(RANGE_RE)}, ['s', 'e', 'n'])"
        fields["range_start"] = f"nullif({cr}.s, '')"
        fields["range_end"] = f"nullif({cr}.e, '')"
        fields["object_size"] = (f"coalesce({v('object_size')}, nullif(nullif({cr}.n, ''), '*'), "
                                 f"CASE WHEN {v('status')} = '200' THEN {v('content_length')} END)")
        return f"""
SELECT src.line_no, src.byte_offset, src.text, coalesce(src.bad_utf8, false) OR src.lone AS bad_utf8,
  {complete_raw_columns(fields)}
FROM (
  SELECT s.*, regexp_extract(coalesce({at('$.request').replace('src.', 's.')}, ''), {sql_literal(REQUEST_RE)},
                             ['method', 'uri', 'protocol']) AS req,
    CASE WHEN s.t GLOB {sql_literal(ISO_PLAIN)} OR s.t GLOB {sql_literal(ISO_PLAIN_Z)}
         THEN {{'d': left(s.t, 10), 't': substr(s.t, 12, 8), 'f': '', 'z': substr(s.t, 20)}}
         ELSE regexp_extract(s.t, {sql_literal(ISO_RE)}, ['d', 't', 'f', 'z']) END AS iso,
    CASE WHEN substr(s.t, 3, 1) = '/' THEN regexp_full_match(s.t, {sql_literal(CLF_RE[1:-1])}) ELSE false END
        AS is_clf,
    CASE WHEN s.t GLOB '*[!0-9.]*' THEN false ELSE regexp_full_match(s.t, '[0-9]+(\\.[0-9]+)?') END AS is_epoch
  FROM (SELECT s.*, {v("time").replace('src.', 's.')} AS t FROM (
    SELECT s.*, CASE WHEN is_obj THEN json_extract_string(s.json, {_path_list(paths)}) END AS v
    FROM (SELECT s.*, coalesce(CASE WHEN lone THEN json_valid(json) ELSE valid END
                               AND starts_with(ltrim(json), '{{'), false) AS is_obj
          FROM (SELECT s.* EXCLUDE (j), CASE WHEN lone THEN {lone_surrogates_sql('j')} ELSE j END AS json
                -- a CASE, not an AND: only the lines that fail are searched (an AND of a projection is not
                -- cut short: the search ran over every line, +9 % on 2 M JSON lines)
                FROM (SELECT s.*, CASE WHEN coalesce(valid, false) THEN false
                                       ELSE coalesce(regexp_matches(j, {sql_literal(LONE_HINT)})
                                                     AND NOT regexp_matches(j, '[\\x01\\x02]'), false) END AS lone
                      FROM (SELECT s.*, json_valid(j) AS valid
                            FROM (SELECT s.*, {json_text_sql('s.text')} AS j FROM {source} s) s) s) s) s) s
  ) s) s
) src
"""

    @staticmethod
    def _offset(t: str, iso: str, is_clf: str) -> str:
        return (f"CASE WHEN {is_clf} THEN {offset_minutes_sql(f'substr({t}, 22, 5)')} "
                f"WHEN {iso}.z = 'Z' THEN 0 WHEN {iso}.z <> '' THEN {offset_minutes_sql(f'{iso}.z')} END")


JSON_LINES = JsonLinesFormat(
    name="json",
    family="json",
    description="JSON lines: nginx escape=json (variable names), Caddy structured log, Traefik access log",
    example=('{"time_iso8601":"2020-06-08T14:12:18+02:00","remote_addr":"192.0.2.7","request":'
             '"GET /index.html HTTP/1.1","status":200,"body_bytes_sent":5120,"http_user_agent":"Mozilla/5.0"}'),
    time_meaning=("nginx $time_local/$time_iso8601 and Caddy ts: when the response was logged; "
                  "Traefik StartUTC: when the request started"),
    bytes_meaning="body",
    bytes_field="body_bytes_sent / size",
    exact_length_field=EXACT_LENGTH,
    has_offset=True,
    lacks=("whether the transfer completed (unless $request_completion is logged)",),
    detect_regex=r'^(?:[A-Za-z0-9_.-]+ *\| |\[[^\]]*\] )?\s*\{\s*".*\}\s*$',
)

FORMATS = [JSON_LINES]


def mapped_format(mapping_text: str) -> JsonLinesFormat:
    """The JSON-lines format with a `--json-fields` mapping applied."""
    mapping = parse_mapping(mapping_text)
    return JsonLinesFormat(
        name="json", family="json", description="JSON lines with a --json-fields mapping",
        example=JSON_LINES.example, time_meaning="as the mapped time field records (see --json-fields)",
        bytes_meaning="body", bytes_field="the mapped bytes field",
        exact_length_field=EXACT_LENGTH, has_offset=True, lacks=JSON_LINES.lacks,
        detect_regex=JSON_LINES.detect_regex, options={"mapping": mapping, "definition": "--json-fields " + mapping_text},
    )


# For `exposure formats`: JSON lines of any other writer, read with a --json-fields mapping.
MAPPED_EXAMPLE = JsonLinesFormat(
    name="json --json-fields", family="json",
    description="any other JSON-lines log with a mapping, e.g. --json-fields 'time=ts,client=src.ip,method=req.method,"
                "uri=req.path,status=code,bytes=size' (without method= no response counts as a download)",
    example=('{"ts":"2020-06-08T12:12:18Z","src":{"ip":"192.0.2.7"},"req":{"method":"GET","path":"/docs/x.xlsx"},'
             '"code":200,"size":18412}'),
    time_meaning="as the mapped time field records", bytes_meaning="body", has_offset=True,
)
