"""Custom formats given as the server's own directive: an Apache `LogFormat` string or an nginx `log_format`.

The directive is compiled once into ONE RE2 regular expression (one capture group per logged field, one
around the whole line) and a mapping from those groups to the raw fields of `base.RAW_FIELDS`; DuckDB then
runs it over every line of the file like any built-in format. Fields we do not use are still matched (so
the line must have the shape the directive says) but not kept. A directive we do not know is a FormatError,
never a silent guess.

Completeness: when the directive logs `%X` / `$request_completion` each row says whether the transfer
completed; when it logs only bytes including headers (`%O`, `$bytes_sent`) the format says so
(`bytes_meaning = 'headers+body'`) and the body-only count (`%b`, `%B`, `$body_bytes_sent`) wins when both
are logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import FormatError
from .base import REQUEST_RE, LogFormat, complete_raw_columns, sql_literal, unescape_sql
from .clf import TIME_FORMAT

QUOTED_INNER = r'((?:[^"\\]|\\.)*)'
REQUEST_INNER = r"(.*?)"
CLF_TIME = r"([0-9]{1,2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} [+-][0-9]{4})"
RANGE_RE = r"^bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)$"

# strftime conversions: (regex, DuckDB strptime specifier or None when expanded/unsupported)
# Names (%a %A %b %B) match any letters, so a line in another locale still fits the directive and is
# rejected for its time with the text shown (DuckDB reads English names; Apache httpd formats in the C locale).
NAME = r"[^\s0-9]+"
STRFTIME: dict[str, tuple[str, str | None]] = {
    "a": (NAME, "%a"), "A": (NAME, "%A"), "b": (NAME, "%b"), "h": (NAME, "%b"),
    "B": (NAME, "%B"), "d": (r"[0-9]{1,2}", "%d"), "e": (r" ?[0-9]{1,2}", "%d"),
    "H": (r"[0-9]{1,2}", "%H"), "I": (r"[0-9]{1,2}", "%I"), "j": (r"[0-9]{1,3}", "%j"),
    "m": (r"[0-9]{1,2}", "%m"), "M": (r"[0-9]{1,2}", "%M"), "p": (r"(?:[AaPp][Mm])?", "%p"),
    "S": (r"[0-9]{1,2}", "%S"), "y": (r"[0-9]{2}", "%y"), "Y": (r"[0-9]{4}", "%Y"),
    "f": (r"[0-9]{1,6}", "%f"), "%": (r"%", "%%"),
    # strptime: %n and %t match any white space, also none (a ' ' in a DuckDB format does the same)
    "n": (r"\s*", " "), "t": (r"\s*", " "), "u": (r"[1-7]", "%u"), "w": (r"[0-6]", "%w"),
}
STRFTIME_EXPAND = {"D": "%m/%d/%y", "T": "%H:%M:%S", "F": "%Y-%m-%d", "R": "%H:%M", "r": "%I:%M:%S %p",
                   "c": "%a %b %e %H:%M:%S %Y", "x": "%m/%d/%y", "X": "%H:%M:%S"}
OFFSET_RE = r"([+-][0-9]{2}:?[0-9]{2}|Z)"
ZONE_NAME_RE = r"([A-Za-z]{1,5})"
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


@dataclass
class Compiled:
    """A directive compiled: the regex, the name of each capture group, and what each group means."""

    source: str
    kind: str  # 'apache' | 'nginx'
    parts: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # group names in order ('line' is the whole line)
    roles: dict[str, str] = field(default_factory=dict)  # role -> first group with that role
    time: dict[str, str] = field(default_factory=dict)  # time group -> how to read it
    # strftime times without a full date and hour (%{%Y-%m-%d}t %{%H:%M:%S}t): (group, zone kind, zone group)
    partials: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    bytes_meaning: str = "body"
    time_meaning: str = ""
    has_offset: bool = True

    def group(self, pattern: str, role: str | None = None) -> None:
        """Add a capture group (`pattern` has exactly one outer group) with an optional role."""
        name = f"g{len(self.groups)}"
        self.groups.append(name)
        self.parts.append(pattern)
        if role and role not in self.roles:
            self.roles[role] = name

    def literal(self, text: str) -> None:
        self.parts.append(re.escape(text).replace("\\ ", " "))

    @property
    def regex(self) -> str:
        return "^(" + "".join(self.parts) + r")\s*$"


def _context(fmt: str, start: int, end: int) -> bool:
    """Whether the directive at fmt[start:end] is enclosed in double quotes."""
    return start > 0 and fmt[start - 1] == '"' and end < len(fmt) and fmt[end] == '"'


def _value(quoted: bool, last: bool) -> str:
    if quoted:
        return QUOTED_INNER
    return r"(.*?)" if last else r"(\S*)"


def _strftime(spec: str) -> tuple[str, str, str | None]:
    """(regex, DuckDB strptime format without the zone, zone kind) for a strftime string. The zone kind is
    'z' (numeric offset), 'Z' (zone name) or None; a zone is the one capture group inside the regex."""
    for key, repl in STRFTIME_EXPAND.items():
        spec = spec.replace("%" + key, repl)
    regex, fmt, zone = [], [], None
    i = 0
    while i < len(spec):
        ch = spec[i]
        if ch == "%" and i + 1 < len(spec):
            conv = spec[i + 1]
            i += 2
            if conv in ("z", "Z"):
                if zone:
                    raise FormatError("a %{...}t time format with two time zones")
                regex.append(OFFSET_RE if conv == "z" else ZONE_NAME_RE)
                zone = conv
                continue
            if conv not in STRFTIME:
                raise FormatError(f"unsupported strftime conversion %{conv} in a %{{...}}t time format")
            pat, duck = STRFTIME[conv]
            if duck is None:
                raise FormatError(f"strftime conversion %{conv} cannot be read back into a time")
            regex.append(pat)
            fmt.append(duck)
            continue
        regex.append(re.escape(ch).replace("\\ ", " "))
        fmt.append(ch.replace("%", "%%"))
        i += 1
    return "".join(regex), "".join(fmt), zone


def full_time(duck: str) -> bool:
    """Whether a strptime format gives a full date and an hour (else it cannot place a request in time)."""
    has = set(re.findall(r"%([A-Za-z])", duck))
    day = bool(has & {"m", "b", "B"}) and "d" in has or "j" in has
    return bool(has & {"Y", "y"}) and day and bool(has & {"H", "I"})


# --------------------------------------------------------------------------------------------- Apache

APACHE_DIRECTIVE = re.compile(r"%([<>])?(!?[0-9]+(?:,[0-9]+)*)?(?:\{([^}]*)\})?(\^t[io]|[A-Za-z%])")
APACHE_SIMPLE = {  # letter -> (role or None, unquoted pattern)
    "h": ("client_h", r"(\S+)"), "a": ("client_a", r"(\S+)"), "A": (None, r"(\S+)"),
    "l": ("ident", r"(\S+)"), "u": ("userid", r"(\S+)"), "m": ("method", r"([A-Za-z_-]+|-)"),
    "H": ("protocol", r"(\S+)"), "U": ("path_raw", r"([^?\s]*)"), "q": ("query_raw", r"(\?\S*|)"),
    "v": ("vhost", r"(\S+)"), "V": ("vhost", r"(\S+)"), "p": (None, r"([0-9]+|-)"), "P": (None, r"(\S+)"),
    "k": (None, r"([0-9]+)"), "L": (None, r"(\S+)"), "R": (None, r"(\S+)"), "f": (None, r"(\S+)"),
    "D": ("duration_us", r"([0-9]+|-)"), "T": ("duration_s", r"([0-9]+|-)"),
    "b": ("bytes_body", r"([0-9]+|-)"), "B": ("bytes_body", r"([0-9]+)"), "O": ("bytes_wire", r"([0-9]+|-)"),
    "I": (None, r"([0-9]+|-)"), "S": (None, r"([0-9]+|-)"), "X": ("completion", r"([X+-])"),
    "e": (None, r"(\S+)"), "n": (None, r"(\S+)"), "C": (None, r"(\S+)"), "o": (None, r"(\S+)"),
    "x": (None, r"(\S+)"), "c": (None, r"(\S+)"),
}
HEADER_ROLES = {"referer": "referer", "user-agent": "user_agent", "x-forwarded-for": "xff", "host": "vhost_hdr"}


def compile_apache(directive: str) -> Compiled:
    """Compile an Apache LogFormat string (mod_log_config syntax)."""
    c = Compiled(directive, "apache")
    pos = 0
    matches = list(APACHE_DIRECTIVE.finditer(directive))
    bad = re.search(r"%(?![<>]?(?:!?[0-9]+(?:,[0-9]+)*)?(?:\{[^}]*\})?(?:\^t[io]|[A-Za-z%]))", directive)
    if bad:
        raise FormatError(f"malformed directive at position {bad.start()} of the LogFormat: {directive[bad.start():][:12]!r}")
    for n, m in enumerate(matches):
        c.literal(directive[pos:m.start()])
        pos = m.end()
        start = len(c.parts)
        _apache_directive(c, m, _context(directive, m.start(), m.end()),
                          n == len(matches) - 1 and m.end() == len(directive.rstrip()))
        if m.group(2) and len(c.parts) > start:  # %400,501{Referer}i: '-' when the condition fails
            c.parts[start:] = ["(?:" + "".join(c.parts[start:]) + "|-)"]
    c.literal(directive[pos:])
    if "bytes_body" not in c.roles and "bytes_wire" in c.roles:
        c.bytes_meaning = "headers+body"
    c.time_meaning = c.time_meaning or "when the request was received (Apache %t)"
    if not any(k.startswith("time_") and k != "time_partial" for k in c.roles) and c.partials:
        c.has_offset = any(zone == "z" for _, zone, _ in c.partials)
    return c


def _apache_directive(c: Compiled, m: re.Match[str], quoted: bool, last: bool) -> None:
    """Add the pattern of one LogFormat directive (`m`, a match of APACHE_DIRECTIVE)."""
    arg, letter = m.group(3), m.group(4)
    if letter == "%":
        c.literal("%")
        return
    if letter == "t":
        _apache_time(c, arg, quoted)
        return
    if letter == "r":
        c.group(REQUEST_INNER if quoted else r"(\S+ \S+(?: \S+)?|-)", "request")
        return
    if letter == "s":
        c.group(r"([0-9]{3}|-)", "status_final" if m.group(1) == ">" else "status_orig")
        return
    if letter in ("i", "o"):
        if not arg:
            raise FormatError(f"%{letter} needs a header name: %{{Name}}{letter}")
        role = HEADER_ROLES.get(arg.lower()) if letter == "i" else (
            "content_range" if arg.lower() == "content-range" else None)
        c.group(_value(quoted, last), role)
        return
    if letter == "a" and arg == "c":
        c.group(r"(\S+)", "peer")
        return
    if letter == "T" and arg:
        unit = {"s": "duration_s", "ms": "duration_ms", "us": "duration_us"}.get(arg)
        if unit is None:
            raise FormatError(f"unknown unit %{{{arg}}}T (use s, ms or us)")
        c.group(r"([0-9]+|-)", unit)
        return
    if letter in ("^ti", "^to"):
        c.group(_value(quoted, last))
        return
    if letter not in APACHE_SIMPLE:
        raise FormatError(f"unknown LogFormat directive %{letter} in {m.string!r}")
    role, pattern = APACHE_SIMPLE[letter]
    if quoted and role not in ("duration_us", "duration_s", "bytes_body", "bytes_wire", "completion"):
        pattern = QUOTED_INNER
    elif letter in ("u", "l", "e", "n", "C", "o", "x") and last:
        pattern = r"(.*?)"
    c.group(pattern, role)


def _apache_time(c: Compiled, arg: str | None, quoted: bool) -> None:
    # mod_log_config: an optional 'begin' or 'end' prefix (then an optional ':'), then sec/msec/usec,
    # msec_frac/usec_frac, a strftime format, or nothing: the default [%d/%b/%Y:%H:%M:%S %z]
    spec = arg or ""
    meaning = "when the request was received (Apache %t)"
    if spec.startswith("begin"):
        spec = spec[len("begin"):].removeprefix(":")
    elif spec.startswith("end"):
        spec = spec[len("end"):].removeprefix(":")
        meaning = "when the response was completed (Apache %{end:...}t)"
    spec = {"%s": "sec"}.get(spec, spec)  # strftime's epoch seconds
    if not spec:
        c.group(r"\[" + CLF_TIME + r"\]", "time_clf")
    elif spec in ("sec", "msec", "usec"):
        c.group(r"([0-9]+)", "time_" + spec)
    elif spec in ("msec_frac", "usec_frac"):  # the sub-second part of the time logged elsewhere
        c.group(r"([0-9]+)", "frac_" + spec[:4])
        return
    else:
        regex, duck, zone = _strftime(spec)
        name = f"g{len(c.groups)}"
        # a strftime format without a full date and hour is matched but is not the request's time
        role = "time_strf" if full_time(duck) else "time_partial"
        c.group("(" + regex + ")", role)
        c.time[name] = duck
        if zone:  # the zone is its own group nested inside the time group
            c.groups.append(f"g{len(c.groups)}")
            if c.roles.get(role) == name and role == "time_strf":
                c.roles["time_offset" if zone == "z" else "time_zone_name"] = c.groups[-1]
        if role == "time_partial":
            c.partials.append((name, zone, c.groups[-1] if zone else None))
        if c.roles.get("time_strf") == name and zone != "z":
            c.has_offset = False
    if not c.time_meaning:  # the first time the directive logs is "the" time
        c.time_meaning = meaning


# ---------------------------------------------------------------------------------------------- nginx

NGINX_VAR = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")
NGINX_KNOWN: dict[str, tuple[str | None, str]] = {
    "remote_addr": ("client_a", r"(\S+)"), "binary_remote_addr": (None, r"(\S+)"),
    "realip_remote_addr": ("peer", r"(\S+)"), "remote_user": ("userid", r"(\S+)"),
    "time_local": ("time_clf", CLF_TIME), "time_iso8601": ("time_iso", r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(?:[+-][0-9]{2}:[0-9]{2}|Z))"),
    "msec": ("time_msec_float", r"([0-9]+(?:\.[0-9]+)?)"), "request": ("request", r"(\S+ \S+(?: \S+)?|-)"),
    "status": ("status_final", r"([0-9]{3}|-)"), "body_bytes_sent": ("bytes_body", r"([0-9]+|-)"),
    "bytes_sent": ("bytes_wire", r"([0-9]+|-)"), "request_length": (None, r"([0-9]+|-)"),
    "request_time": ("duration_s_float", r"([0-9]+(?:\.[0-9]+)?|-)"), "request_completion": ("completion_nginx", r"(OK|-|)"),
    "host": ("vhost", r"(\S+)"), "server_name": ("vhost", r"(\S+)"), "hostname": (None, r"(\S+)"),
    "request_method": ("method", r"(\S+)"), "request_uri": ("uri", r"(\S+)"), "uri": ("path_raw", r"(\S+)"),
    "document_uri": ("path_raw", r"(\S+)"), "args": ("query_raw", r"(\S*)"), "query_string": ("query_raw", r"(\S*)"),
    "is_args": (None, r"(\??)"), "server_protocol": ("protocol", r"(\S+)"), "scheme": (None, r"(\S+)"),
    "https": (None, r"(\S*)"), "remote_port": (None, r"(\S+)"), "server_addr": (None, r"(\S+)"),
    "server_port": (None, r"(\S+)"), "connection": (None, r"(\S+)"), "connection_requests": (None, r"(\S+)"),
    "pid": (None, r"(\S+)"), "pipe": (None, r"(\S+)"), "request_id": (None, r"(\S+)"),
    "ssl_protocol": (None, r"(\S+)"), "ssl_cipher": (None, r"(\S+)"), "gzip_ratio": (None, r"(\S+)"),
    "proxy_protocol_addr": (None, r"(\S+)"), "proxy_add_x_forwarded_for": ("xff", r"(.*?)"),
    "http_referer": ("referer", r"(\S+)"), "http_user_agent": ("user_agent", r"(.*?)"),
    "http_x_forwarded_for": ("xff", r"(.*?)"), "http_host": ("vhost_hdr", r"(\S+)"),
    "sent_http_content_range": ("content_range", r"(.*?)"),
}
NGINX_PREFIXES = ("http_", "sent_http_", "arg_", "cookie_", "upstream_", "ssl_", "geoip_", "jwt_", "cookie_")


def compile_nginx(directive: str) -> Compiled:
    """Compile an nginx log_format string (the part after the format name, quotes joined)."""
    c = Compiled(directive, "nginx")
    c.time_meaning = "when the response was completed and logged (nginx $time_local / $msec)"
    pos = 0
    matches = list(NGINX_VAR.finditer(directive))
    if not matches:
        raise FormatError("the nginx log_format has no $variable")
    for n, m in enumerate(matches):
        c.literal(directive[pos:m.start()])
        pos = m.end()
        name = m.group(1) or m.group(2)
        quoted = _context(directive, m.start(), m.end())
        last = n == len(matches) - 1 and m.end() == len(directive.rstrip())
        if name in NGINX_KNOWN:
            role, pattern = NGINX_KNOWN[name]
        elif name.startswith(NGINX_PREFIXES):
            role, pattern = None, r"(\S+)"
        else:
            raise FormatError(f"unknown nginx variable ${name} in the log_format")
        if quoted and not role or quoted and role in (
                "request", "referer", "user_agent", "xff", "uri", "path_raw", "query_raw", "vhost", "vhost_hdr",
                "userid", "content_range", "method", "protocol", "client_a", "peer"):
            pattern = REQUEST_INNER if role == "request" else QUOTED_INNER
        elif last and pattern == r"(\S+)":
            pattern = r"(.*?)"
        c.group(pattern, role)
    c.literal(directive[pos:])
    if "bytes_body" not in c.roles and "bytes_wire" in c.roles:
        c.bytes_meaning = "headers+body"
    return c


# ------------------------------------------------------------------------------------------ the format

class CustomFormat(LogFormat):
    """A format compiled from a directive; `options['compiled']` holds the compiled form."""

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        c: Compiled = self.options["compiled"]
        m = "m"
        r = c.roles

        def g(role: str) -> str | None:
            return f"{m}.{r[role]}" if role in r else None

        fields: dict[str, str] = {"ok": f"{m}.line <> ''"}
        client = g("client_a") or g("client_h")
        if client:
            fields["client"] = client
        for role in ("peer", "ident", "userid", "method", "protocol", "path_raw", "uri", "xff"):
            if g(role):
                fields[role] = g(role)
        if g("query_raw"):
            fields["query_raw"] = f"ltrim({g('query_raw')}, '?')"
        vhost = g("vhost") or g("vhost_hdr")
        if vhost:
            fields["vhost"] = vhost
        for role, raw in (("referer", "referer"), ("user_agent", "user_agent")):
            if g(role):
                fields[raw] = unescape_sql(g(role))
        if g("request"):
            req = f"{m}.req"
            fields["request_text"] = g("request")
            fields.setdefault("method", f"{req}.method")
            fields.setdefault("protocol", f"{req}.protocol")
            if "path_raw" not in fields:
                fields.setdefault("uri", f"{req}.uri")
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
        for role, expr in (("duration_us", "/ 1000.0"), ("duration_ms", ""), ("duration_s", "* 1000.0"),
                           ("duration_s_float", "* 1000.0")):
            if g(role):
                fields["duration_ms"] = f"(try_cast(nullif({g(role)}, '-') AS DOUBLE) {expr})::VARCHAR"
                break
        if g("content_range"):
            cr = f"regexp_extract({g('content_range')}, {sql_literal(RANGE_RE)}, ['s', 'e', 'n'])"
            fields["range_start"] = f"nullif({cr}.s, '')"
            fields["range_end"] = f"nullif({cr}.e, '')"
            fields["object_size"] = f"nullif(nullif({cr}.n, ''), '*')"
        fields.update(_time_fields(c, g))
        extract = f"regexp_extract(s.text, {sql_literal(c.regex)}, {['line', *c.groups]!r})"
        inner = f"(SELECT s.*, {extract} AS p FROM {source} s)"
        req_expr = "NULL"
        if g("request"):
            req_expr = (f"regexp_extract({unescape_sql('p.' + r['request'])}, {sql_literal(REQUEST_RE)}, "
                        "['method', 'uri', 'protocol'])")
        return f"""
SELECT src.line_no, src.byte_offset, src.text, src.bad_utf8,
  {complete_raw_columns(fields)}
FROM (SELECT s.*, struct_insert(p, req := {req_expr}) AS m FROM {inner} s) src
"""


def _time_fields(c: Compiled, g: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    time_roles = ("time_clf", "time_strf", "time_iso", "time_msec_float", "time_sec", "time_msec", "time_usec")
    present = sorted((int(c.roles[k][1:]), k) for k in time_roles if k in c.roles)
    # the first full time the directive logs is "the" time; a date or time of day alone only shows in reasons
    first = present[0][1] if present else ("time_partial" if "time_partial" in c.roles else None)

    def g(role: str, _g: Any = g) -> str | None:
        return _g(role) if role == first or not role.startswith("time_") or role in ("time_offset", "time_zone_name") \
            else None

    if g("time_clf"):
        t = g("time_clf")
        off = f"split_part({t}, ' ', 2)"
        out["time_text"] = t
        out["ts_local"] = f"try_strptime(split_part({t}, ' ', 1), '{TIME_FORMAT}')"
        out["utc_offset_min"] = _offset_minutes(off)
    elif g("time_iso"):
        t = g("time_iso")
        out["time_text"] = t
        out["ts_local"] = f"try_strptime(left({t}, 19), '%Y-%m-%dT%H:%M:%S')"
        out["utc_offset_min"] = _offset_minutes(f"substr({t}, 20)")
    elif g("time_msec_float"):
        t = g("time_msec_float")
        out["time_text"] = t
        out["ts_utc"] = f"make_timestamp((try_cast({t} AS DOUBLE) * 1000000)::BIGINT)"
    elif any(g(k) for k in ("time_sec", "time_msec", "time_usec")):
        for k, mult in (("time_sec", 1000000), ("time_msec", 1000), ("time_usec", 1)):
            if g(k):
                out["time_text"] = g(k)
                out["ts_utc"] = f"make_timestamp(try_cast({g(k)} AS BIGINT) * {mult})"
                break
    elif g("time_strf"):
        t = g("time_strf")
        out["time_text"] = t
        out.update(_strf_fields(t, c.time[c.roles["time_strf"]], g("time_offset"), g("time_zone_name")))
    elif g("time_partial"):
        # several partial times (a date, a time of day, a zone) together make the time when they are complete
        parts = [(f"m.{n}", c.time[n], f"m.{zg}" if zg else None, zk) for n, zk, zg in c.partials]
        out["time_text"] = "concat_ws(' ', " + ", ".join(p[0] for p in parts) + ")"
        duck = " ".join(p[1] for p in parts if p[1])
        if full_time(duck):
            texts = [_without(t, zg) for t, d, zg, _ in parts if d]
            offset = next((zg for _, _, zg, zk in parts if zk == "z"), None)
            name = next((zg for _, _, zg, zk in parts if zk == "Z"), None)
            out.update(_strf_fields("concat_ws(' ', " + ", ".join(texts) + ")", duck, offset, name, strip=False))
    for role, mult in (("frac_msec", 1000), ("frac_usec", 1)):
        if role in c.roles and "ts_local" in out:
            out["ts_local"] = f"({out['ts_local']}) + to_microseconds(coalesce(try_cast(m.{c.roles[role]} AS BIGINT), 0) * {mult})"
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
    return (f"CASE WHEN regexp_full_match({clean}, '[+-][0-9]{{4}}') THEN "
            f"(CASE WHEN left({clean}, 1) = '-' THEN -1 ELSE 1 END) * "
            f"(substr({clean}, 2, 2)::INTEGER * 60 + substr({clean}, 4, 2)::INTEGER) "
            f"WHEN {clean} = 'Z' THEN 0 END")


def custom_format(settings: dict[str, Any]) -> CustomFormat | None:
    """The custom format described by `--log-format` / `--nginx-log-format`, or None when neither is given."""
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
        has_offset=c.has_offset, lacks=tuple(lacks), detect_regex="",
        extras=_extras(c), options={"compiled": c, "definition": c.source},
    )


def _bytes_field(c: Compiled) -> str:
    """The directive that declares what the byte count is (the evidence records it as the basis)."""
    body, wire = ("%b/%B", "%O") if c.kind == "apache" else ("$body_bytes_sent", "$bytes_sent")
    if "bytes_body" in c.roles:
        return f"{body} (body)"
    return f"{wire} (headers and body)" if "bytes_wire" in c.roles else "no byte count logged"


# directive roles that fill optional request columns (exposure.schema.EXTRAS)
ROLE_EXTRAS: dict[str, tuple[str, ...]] = {
    "peer": ("peer",), "xff": ("xff",), "vhost": ("vhost",), "vhost_hdr": ("vhost",),
    "completion": ("completion",), "completion_nginx": ("completion",), "duration_us": ("duration_ms",),
    "duration_ms": ("duration_ms",), "duration_s": ("duration_ms",), "duration_s_float": ("duration_ms",),
    "content_range": ("range_start", "range_end", "object_size"),
}


def _extras(c: Compiled) -> tuple[str, ...]:
    """The optional columns a directive's lines can fill: its roles', and ts_flag for times without offset."""
    out = {e for role in c.roles for e in ROLE_EXTRAS.get(role, ())}
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
