"""Custom formats given as the server's own directive: an Apache `LogFormat` string or an nginx `log_format`.

The directive is compiled once (`apache_directive`, `nginx_directive`, into the model of `directive`) into ONE
RE2 regular expression with one capture group per logged field, and a mapping from those groups to the raw
fields of `base.RAW_FIELDS`; DuckDB then runs it over every line of the file like any built-in format. Every
directive the server accepts compiles: fields with no request column (an upstream address, a TLS cipher, a
header of the site's own, a variable set by `map`) are kept by name in the row's `extra` map.

Completeness: when the directive logs `%X` / `$request_completion` each row says whether the transfer
completed; when it logs only bytes including headers (`%O`, `$bytes_sent`) the format says so
(`bytes_meaning = 'headers+body'`) and the body-only count (`%b`, `%B`, `$body_bytes_sent`) wins when both
are logged. The request line as sent (`%r`, `$request`) wins over `%m`/`%U`/`%q` (`$request_method`,
`$uri`, `$args`), which are then kept in `extra`.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import FormatError
from .base import GLUED_REASON, REQUEST_RE, LogFormat, complete_raw_columns, offset_minutes_sql, sql_literal
from .clf import TIME_FORMAT, glued_text_sql
from .directive import CLF_TIME, ISO_TIME, Compiled, Item

RANGE_RE = r"^bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)$"

# strftime conversions: (regex, DuckDB strptime specifier)
# Names (%a %A %b %B) match any letters, so a line in another locale still fits the directive and is
# rejected for its time with the text shown (DuckDB reads English names; Apache httpd formats in the C locale).
NAME = r"[^\s0-9]+"
STRFTIME: dict[str, tuple[str, str]] = {
    "a": (NAME, "%a"), "A": (NAME, "%A"), "b": (NAME, "%b"), "h": (NAME, "%b"),
    "B": (NAME, "%B"), "d": (r"[0-9]{1,2}", "%d"), "e": (r" ?[0-9]{1,2}", "%d"),
    "H": (r"[0-9]{1,2}", "%H"), "I": (r"[0-9]{1,2}", "%I"), "j": (r"[0-9]{1,3}", "%j"),
    "m": (r"[0-9]{1,2}", "%m"), "M": (r"[0-9]{1,2}", "%M"), "p": (r"(?:[AaPp][Mm])?", "%p"),
    "S": (r"[0-9]{1,2}", "%S"), "y": (r"[0-9]{2}", "%y"), "Y": (r"[0-9]{4}", "%Y"),
    "f": (r"[0-9]{1,6}", "%f"), "%": (r"%", "%%"),
    "G": (r"[0-9]{4}", "%G"), "V": (r"[0-9]{1,2}", "%V"), "U": (r"[0-9]{1,2}", "%U"), "W": (r"[0-9]{1,2}", "%W"),
    # strptime: %n and %t match any white space, also none (a ' ' in a DuckDB format does the same)
    "n": (r"\s*", " "), "t": (r"\s*", " "), "u": (r"[1-7]", "%u"), "w": (r"[0-6]", "%w"),
}
STRFTIME_EXPAND = {"D": "%m/%d/%y", "T": "%H:%M:%S", "F": "%Y-%m-%d", "R": "%H:%M", "r": "%I:%M:%S %p",
                   "c": "%a %b %e %H:%M:%S %Y", "x": "%m/%d/%y", "X": "%H:%M:%S"}
OFFSET_RE = r"([+-][0-9]{2}:?[0-9]{2}|Z)"
ZONE_NAME_RE = r"([A-Za-z]{1,5})"
EPOCH_RE = r"(-?[0-9]+)"
# %Z zone abbreviations read as a fixed offset (minutes east of UTC): only names with one meaning in
# practice (CST: US/China/Cuba, IST: India/Ireland/Israel, BST, AST are left out on purpose). Any other
# name: the time is read as a local time without offset (--log-tz applies) and the row is flagged.
ZONE_NAMES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600, "JST": 540, "KST": 540, "HKT": 480,
    "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
}
UNKNOWN_ZONE_FLAG = "zone name not known, not read as an offset: "
# the roles of a full time (the first the directive logs is "the" time of the request)
TIME_ROLES = ("time_clf", "time_strf", "time_iso", "time_msec_float", "time_sec", "time_msec", "time_usec")


def strftime_parts(spec: str) -> tuple[str, str, list[str]]:
    """(regex, DuckDB strptime format of the rest, the kinds of the groups inside the regex in order) for a
    strftime string. Inner groups: 'z' (numeric offset), 'Z' (zone name), 's' (epoch seconds)."""
    for key, repl in STRFTIME_EXPAND.items():
        spec = spec.replace("%" + key, repl)
    regex, fmt, inner = [], [], []
    i = 0
    while i < len(spec):
        ch = spec[i]
        if ch == "%" and i + 1 < len(spec):
            conv = spec[i + 1]
            i += 2
            if conv in ("z", "Z", "s"):
                if conv in inner or (conv in "zZ" and set(inner) & {"z", "Z"}):
                    raise FormatError(f"a %{{...}}t time format with two %{conv}")
                regex.append({"z": OFFSET_RE, "Z": ZONE_NAME_RE, "s": EPOCH_RE}[conv])
                inner.append(conv)
                continue
            if conv not in STRFTIME:
                raise FormatError(f"unsupported strftime conversion %{conv} in a %{{...}}t time format")
            pat, duck = STRFTIME[conv]
            regex.append(pat)
            fmt.append(duck)
            continue
        regex.append(re.escape(ch).replace("\\ ", " "))
        fmt.append(ch.replace("%", "%%"))
        i += 1
    return "".join(regex), "".join(fmt), inner


def full_time(duck: str) -> bool:
    """Whether a strptime format gives a full date and an hour (else it cannot place a request in time)."""
    has = set(re.findall(r"%([A-Za-z])", duck))
    day = bool(has & {"m", "b", "B"}) and "d" in has or "j" in has or {"G", "V"} <= has and bool(has & {"u", "a", "A"})
    return bool(has & {"Y", "y", "G"}) and day and bool(has & {"H", "I"})


def add_time(c: Compiled, item: Item) -> None:
    """Add a time field's one pattern: the first full time the directive logs is the request's time; a date
    or time of day alone joins the other partial times; any further time is kept in `extra`."""
    kind = item.time[0] if item.time else ""
    first = not any(role in c.roles for role in TIME_ROLES)
    if kind in ("clf", "iso", "msec_float", "sec", "msec", "usec"):
        pattern = item.pattern or {"clf": CLF_TIME, "iso": ISO_TIME}.get(kind, r"([0-9]+(?:\.[0-9]+)?)")
        c.group(pattern, f"time_{kind}" if first else None, item.key)
    elif kind == "frac":  # the sub-second part of the time logged elsewhere (%{msec_frac}t)
        c.group(r"([0-9]+)", f"frac_{item.time[1]}" if item.time else None, item.key)  # type: ignore[index]
        return
    elif kind == "strf":
        regex, duck, inner = strftime_parts(item.time[1])  # type: ignore[index]
        partial = not full_time(duck) and "s" not in inner
        role = ("time_partial" if partial else "time_strf") if first else None
        name = c.group("(" + regex + ")", role, None if role == "time_partial" else item.key)
        nested = {k: c.inner_group() for k in inner}
        c.time[name] = duck
        if "s" in nested:
            c.epochs[name] = nested["s"]
        if role == "time_strf":
            for k, g in nested.items():
                if k in "zZ":
                    c.roles["time_offset" if k == "z" else "time_zone_name"] = g
            if "z" not in nested and "s" not in nested:
                c.has_offset = False
        if role == "time_partial":
            zone = next(((k, g) for k, g in nested.items() if k in "zZ"), (None, None))
            c.partials.append((name, zone[0], zone[1]))
    else:
        raise AssertionError(f"unknown time kind {kind!r}")
    if first and item.time and len(item.time) > 2:
        c.time_meaning = c.time_meaning or item.time[2]


class CustomFormat(LogFormat):
    """A format compiled from a directive; `options['compiled']` holds the compiled form."""

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        c: Compiled = self.options["compiled"]
        r = c.roles

        def g(role: str) -> str | None:
            return f"m.{r[role]}" if role in r else None

        fields: dict[str, str] = {"ok": "m.line <> ''"}
        if "time_clf" in r:  # a CLF-like layout: a second line's start in it is two lines glued (clf.GLUED_START_RE)
            fields["ok"] = f"m.line <> '' AND NOT {glued_text_sql('src.text')}"
            fields["reject_reason"] = f"CASE WHEN {glued_text_sql('src.text')} THEN {sql_literal(GLUED_REASON)} END"
        # nginx $proxy_add_x_forwarded_for: the list (the shared stage takes its last entry) where no address
        # is logged; beside $remote_addr, the header's entries
        client = g("client_a") or g("client_h") or g("client_list")
        if client:
            fields["client"] = client
        if g("client_list") and client != g("client_list") and not g("xff"):
            fields["xff"] = g("client_list")  # type: ignore[assignment]
        for role in ("peer", "ident", "userid", "xff", "referer", "user_agent", "cache_result", "request_id"):
            if g(role):
                fields[role] = g(role)  # type: ignore[assignment]
        if c.kind == "apache" and g("userid"):  # httpd writes an empty user name as "" (log_remote_user)
            fields["userid"] = f"CASE WHEN {g('userid')} = '\"\"' THEN '' ELSE {g('userid')} END"
        vhost = g("vhost_hdr") or g("vhost")  # the Host the client sent, else the server's name
        if vhost:
            fields["vhost"] = vhost
        # the request line as sent wins; %m %U %q (nginx $request_method $uri $args) only stand in without it
        sent = {"method": "m.req.method", "uri": "nullif(m.req.uri, '')", "protocol": "m.req.protocol"} \
            if g("request") else {}
        if g("request"):
            fields["request_text"] = g("request")  # type: ignore[assignment]
        path = g("uri") or g("path_raw")
        if g("path_raw") and not g("uri"):
            query = f"nullif(ltrim({g('query_raw')}, '?'), '')" if g("query_raw") else "NULL"
            path = f"{g('path_raw')} || coalesce('?' || {query}, '')"
        for raw, alone in (("method", g("method")), ("uri", path), ("protocol", g("protocol"))):
            parts = [p for p in (sent.get(raw), alone) if p]
            if parts:
                fields[raw] = f"coalesce({', '.join(parts)})" if len(parts) > 1 else parts[0]
        status = g("status_final") or g("status_orig")
        if status:
            fields["status"] = status
        bytes_ = g("bytes_body") or g("bytes_wire")
        if bytes_:
            fields["bytes"] = bytes_
        if g("completion"):
            fields["completion"] = f"CASE {g('completion')} WHEN 'X' THEN 'aborted' ELSE 'complete' END"
        if g("completion_nginx"):
            fields["completion"] = f"CASE WHEN {g('completion_nginx')} = 'OK' THEN 'complete' ELSE 'aborted' END"
        for role, expr in (("duration_us", "/ 1000.0"), ("duration_ms", ""), ("duration_s", "* 1000.0")):
            if g(role):
                fields["duration_ms"] = f"(try_cast(nullif({g(role)}, '-') AS DOUBLE) {expr})::VARCHAR"
                break
        if g("content_range"):
            cr = f"regexp_extract({g('content_range')}, {sql_literal(RANGE_RE)}, ['s', 'e', 'n'])"
            fields["range_start"] = f"nullif({cr}.s, '')"
            fields["range_end"] = f"nullif({cr}.e, '')"
            fields["object_size"] = f"nullif(nullif({cr}.n, ''), '*')"
        fields.update(_time_fields(c))
        used = set(re.findall(r"\bm\.(g[0-9]+)\b", " ".join(fields.values())))
        if g("request"):  # %m %U %q %H beside %r only stand in for a request line that is not one: kept by name
            used -= {r[k] for k in ("method", "path_raw", "query_raw", "protocol", "uri") if k in r}
        entries = [f"struct_pack(k := {sql_literal(key)}, v := m.{group})" for key, group in c.unused_extras(used)]
        if c.trailing:
            entries.append("struct_pack(k := 'trailing', v := nullif(trim(m.trail), ''))")
        if entries:
            fields["extra"] = f"map_from_entries([{', '.join(entries)}])"
        extract = f"regexp_extract(s.text, {sql_literal(c.regex)}, {c.all_groups!r})"
        inner = f"(SELECT s.*, {extract} AS p FROM {source} s)"
        req_expr = "NULL"
        if g("request"):
            req_expr = (f"regexp_extract(p.{r['request']}, {sql_literal(REQUEST_RE)}, "
                        "['method', 'uri', 'protocol'])")
        return f"""
SELECT src.line_no, src.byte_offset, src.text, src.bad_utf8,
  {complete_raw_columns(fields)}
FROM (SELECT s.*, struct_insert(p, req := {req_expr}) AS m FROM {inner} s) src
"""


def _time_fields(c: Compiled) -> dict[str, str]:
    out: dict[str, str] = {}
    present = sorted((int(c.roles[k][1:]), k) for k in TIME_ROLES if k in c.roles)
    # the first full time the directive logs is "the" time; a date or time of day alone only shows in reasons
    first = present[0][1] if present else ("time_partial" if "time_partial" in c.roles else None)
    t = f"m.{c.roles[first]}" if first else None
    if first == "time_clf":
        out["time_text"] = t  # type: ignore[assignment]
        out["ts_local"] = f"try_strptime(split_part({t}, ' ', 1), '{TIME_FORMAT}')"
        out["utc_offset_min"] = _offset_minutes(f"split_part({t}, ' ', 2)")
    elif first == "time_iso":
        out["time_text"] = t  # type: ignore[assignment]
        out["ts_local"] = (f"try_strptime(left({t}, 19), '%Y-%m-%dT%H:%M:%S') + to_microseconds(coalesce(try_cast("
                           f"rpad(left(regexp_extract({t}, '\\.([0-9]+)', 1), 6), 6, '0') AS BIGINT), 0))")
        out["utc_offset_min"] = _offset_minutes(f"regexp_extract({t}, '([+-][0-9:]+|Z)$', 1)")
    if first in ("time_clf", "time_iso"):  # these always write an offset: one that is no offset makes no time
        out["ts_local"] = f"CASE WHEN ({out['utc_offset_min']}) IS NOT NULL THEN {out['ts_local']} END"
    elif first == "time_msec_float":
        out["time_text"] = t  # type: ignore[assignment]
        out["ts_utc"] = f"make_timestamp((try_cast({t} AS DOUBLE) * 1000000)::BIGINT)"
    elif first in ("time_sec", "time_msec", "time_usec"):
        mult = {"time_sec": 1000000, "time_msec": 1000, "time_usec": 1}[first]
        out["time_text"] = t  # type: ignore[assignment]
        out["ts_utc"] = f"make_timestamp(try_cast({t} AS BIGINT) * {mult})"
    elif first == "time_strf":
        name = c.roles["time_strf"]
        out["time_text"] = t  # type: ignore[assignment]
        offset = f"m.{c.roles['time_offset']}" if "time_offset" in c.roles else None
        zone = f"m.{c.roles['time_zone_name']}" if "time_zone_name" in c.roles else None
        if name in c.epochs:  # %s: the instant itself; a zone written with it only gives the offset
            out["ts_utc"] = f"make_timestamp(try_cast(m.{c.epochs[name]} AS BIGINT) * 1000000)"
            out.update({k: v for k, v in _strf_fields(t, c.time[name], offset, zone).items() if k != "ts_local"})
        else:
            out.update(_strf_fields(t, c.time[name], offset, zone))  # type: ignore[arg-type]
    elif first == "time_partial":
        # several partial times (a date, a time of day, a zone) together make the time when they are complete
        parts = [(f"m.{n}", c.time[n], f"m.{zg}" if zg else None, zk) for n, zk, zg in c.partials]
        out["time_text"] = "concat_ws(' ', " + ", ".join(p[0] for p in parts) + ")"
        duck = " ".join(p[1] for p in parts if p[1])
        if full_time(duck):
            texts = [_without(t_, zg) for t_, d, zg, _ in parts if d]
            offset = next((zg for _, _, zg, zk in parts if zk == "z"), None)
            name_ = next((zg for _, _, zg, zk in parts if zk == "Z"), None)
            out.update(_strf_fields("concat_ws(' ', " + ", ".join(texts) + ")", duck, offset, name_, strip=False))
    for role, mult in (("frac_msec", 1000), ("frac_usec", 1)):
        if role in c.roles and "ts_local" in out:
            out["ts_local"] = (f"({out['ts_local']}) + "
                               f"to_microseconds(coalesce(try_cast(m.{c.roles[role]} AS BIGINT), 0) * {mult})")
    return out


def _without(text: str, zone: str | None) -> str:
    """`text` with the first occurrence of the zone text removed."""
    if not zone:
        return text
    return (f"CASE WHEN strpos({text}, {zone}) > 0 THEN left({text}, strpos({text}, {zone}) - 1) "
            f"|| substr({text}, strpos({text}, {zone}) + length({zone})) END")


def _strf_fields(text: str, duck: str, offset: str | None, zone_name: str | None,
                 strip: bool = True) -> dict[str, str]:
    """ts_local, utc_offset_min and ts_flag for a strftime time (its zone, if any, in its own group and
    removed from `text` unless `strip` is false)."""
    text = _without(text, offset or zone_name) if strip else text
    out = {"ts_local": f"try_strptime({text}, {sql_literal(duck)})"}
    if offset:
        out["utc_offset_min"] = _offset_minutes(offset)
        # a %z written as no offset (+0160, +9999) makes no time: never read as UTC or --log-tz (review)
        out["ts_local"] = f"CASE WHEN ({out['utc_offset_min']}) IS NOT NULL THEN {out['ts_local']} END"
    elif zone_name:
        name = f"upper({zone_name})"
        cases = " ".join(f"WHEN {sql_literal(k)} THEN {v}" for k, v in ZONE_NAMES.items())
        out["utc_offset_min"] = f"CASE {name} {cases} END"
        out["ts_flag"] = (f"CASE WHEN {name} NOT IN ({', '.join(sql_literal(k) for k in ZONE_NAMES)}) "
                          f"THEN {sql_literal(UNKNOWN_ZONE_FLAG)} || {zone_name} END")
    return out


def _offset_minutes(expr: str) -> str:
    """Minutes east of UTC for `+hhmm` / `+hh:mm` text, NULL when malformed."""
    clean = f"replace(replace({expr}, ':', ''), ' ', '')"
    return f"CASE WHEN {clean} = 'Z' THEN 0 ELSE {offset_minutes_sql(clean)} END"


def custom_format(settings: dict[str, Any]) -> CustomFormat | None:
    """The custom format described by `--log-format` / `--nginx-log-format`, or None when neither is given."""
    from .apache_directive import compile_apache
    from .nginx_directive import compile_nginx

    if settings.get("log_format") and settings.get("nginx_log_format"):
        raise FormatError("give either --log-format or --nginx-log-format, not both")
    if settings.get("log_format"):
        c = compile_apache(settings["log_format"])
        name, desc = "apache-custom", "Apache LogFormat given with --log-format"
    elif settings.get("nginx_log_format"):
        c = compile_nginx(settings["nginx_log_format"])
        name, desc = "nginx-custom", "nginx log_format given with --nginx-log-format"
    else:
        return None
    lacks = []
    if "completion" not in c.roles and "completion_nginx" not in c.roles:
        lacks.append("%X / $request_completion (whether the transfer completed)")
    if c.bytes_meaning == "headers+body":
        lacks.append("body-only byte count (%b / $body_bytes_sent): bytes include response headers")
    return CustomFormat(
        name=name, family="custom", description=desc, example=c.source, time_meaning=c.time_meaning,
        bytes_meaning=c.bytes_meaning, bytes_field=_bytes_field(c), exact_length_field="Content-Range total",
        # Apache's %b writes '-' for no bytes (nginx writes 0); a format with no byte directive logs none
        bytes_dash_zero=c.kind == "apache" and bool({"bytes_body", "bytes_wire"} & set(c.roles)),
        has_offset=c.has_offset, lacks=tuple(lacks), detect_regex="",
        extras=_extras(c), escapes=c.escapes, options={"compiled": c, "definition": c.source},
    )


def _bytes_field(c: Compiled) -> str:
    """The directive that declares what the byte count is (the evidence records it as the basis)."""
    body, wire = ("%b/%B", "%O") if c.kind == "apache" else ("$body_bytes_sent", "$bytes_sent")
    if "bytes_body" in c.roles:
        return f"{body} (body)"
    return f"{wire} (headers and body)" if "bytes_wire" in c.roles else "no byte count logged"


# directive roles that fill optional request columns (exposure.schema.EXTRAS)
ROLE_EXTRAS: dict[str, tuple[str, ...]] = {
    "peer": ("peer",), "xff": ("xff",), "vhost": ("vhost",), "vhost_hdr": ("vhost",), "cache_result": ("cache_result",),
    "request_id": ("request_id",),
    "completion": ("completion",), "completion_nginx": ("completion",), "duration_us": ("duration_ms",),
    "duration_ms": ("duration_ms",), "duration_s": ("duration_ms",),
    "content_range": ("range_start", "range_end", "object_size"),
}


def _extras(c: Compiled) -> tuple[str, ...]:
    """The optional columns a directive's lines can fill: its roles', `extra` (fields kept by name, text after
    the last field), and ts_flag for times without offset."""
    out = {e for role in c.roles for e in ROLE_EXTRAS.get(role, ())} | {"extra"}
    if not c.has_offset:
        out.add("ts_flag")
    return tuple(sorted(out))


def _listed(name: str, description: str, example: str) -> CustomFormat:
    return CustomFormat(name=name, family="custom", description=description, example=example,
                        time_meaning="as the directive says", bytes_meaning="as the directive says", has_offset=True)


# For `exposure formats`: the directive formats, each with a line written by the directive in its description.
EXAMPLES = [
    _listed("apache-custom", "Apache LogFormat given with --log-format, e.g. "
            "--log-format '%v %h %l %u %t \"%r\" %>s %b %D %X' (compiled to one regex)",
            'www.example.nl 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /docs/x.xlsx HTTP/1.1" 200 18412 1500 +'),
    _listed("nginx-custom", "nginx log_format given with --nginx-log-format, e.g. --nginx-log-format "
            "'$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
            "\"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\" $request_completion'",
            '10.0.0.5 - - [08/Jun/2020:14:12:18 +0200] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "Mozilla/5.0" '
            '"198.51.100.7" OK'),
]
