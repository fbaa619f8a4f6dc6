"""nginx `log_format` strings compiled: every `$variable`, typed where nginx defines what it holds.

The directive may be given as nginx's configuration has it (`log_format main escape=json '...' '...';`, the
quoted parts joined, `\\"` and the like read as nginx reads them) or as the format text alone. Any variable is
accepted: the ones below are typed and feed a request column; every other one (set by `map` or `set`, a
module's, `$upstream_*`, `$http_*`, `$cookie_*`, `$arg_*` ...) is a string kept by its name in `extra`.
`escape=` says how nginx escaped values: `default` (`\\xHH`), `json` (JSON string escapes) or `none`.
"""

from __future__ import annotations

import re

from ..errors import FormatError
from .custom import add_time
from .directive import (
    CLF_TIME,
    FLOAT,
    ISO_TIME,
    LAZY,
    NUMBER,
    REQUEST_UNQUOTED,
    STATUS,
    Compiled,
    Item,
    compile_items,
)
from .escapes import BACKSLASH, JSON, NONE

VARIABLE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")
STATEMENT = re.compile(r"^\s*log_format\s+\S+((?:\s+escape=\S+)?)\s+(.*?);?\s*$", re.DOTALL)
QUOTED_PART = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|(\S+)")
CONF_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "t": "\t", "r": "\r", "n": "\n"}
ESCAPE_RULES = {"default": BACKSLASH, "json": JSON, "none": NONE}
ADDRESS = r"(\S+)"
# $upstream_* values of several servers tried ("a:80, b:80") or internal redirects ("a:80 : b:80")
UPSTREAM_LIST = r"([^\s,]+(?:(?:,| :) [^\s,]+)*)"
RESPONSE_LOGGED = "when the response was completed and logged (nginx $time_local / $msec)"

# variable -> (role, typed pattern or None for a string); the name is also its key in `extra`
KNOWN: dict[str, tuple[str | None, str | None]] = {
    "remote_addr": ("client_a", ADDRESS), "realip_remote_addr": ("peer", ADDRESS),
    "proxy_add_x_forwarded_for": ("client_list", None), "http_x_forwarded_for": ("xff", None),
    "remote_user": ("userid", None), "request": ("request", REQUEST_UNQUOTED), "status": ("status_final", STATUS),
    "body_bytes_sent": ("bytes_body", NUMBER), "bytes_sent": ("bytes_wire", NUMBER),
    "request_length": (None, NUMBER), "request_time": ("duration_s", FLOAT),
    "request_completion": ("completion_nginx", r"(OK|-|)"), "host": ("vhost", None), "http_host": ("vhost_hdr", None),
    "server_name": ("vhost", None), "request_method": ("method", None), "request_uri": ("uri", None),
    "uri": ("path_raw", None), "document_uri": ("path_raw", None), "args": ("query_raw", None),
    "query_string": ("query_raw", None), "server_protocol": ("protocol", None), "http_referer": ("referer", None),
    "http_user_agent": ("user_agent", None), "sent_http_content_range": ("content_range", None),
    "upstream_cache_status": ("cache_result", None),
    # the id nginx gives each request (schema request_id; $http_x_request_id is the client's header, kept in extra)
    "request_id": ("request_id", None), "server_addr": (None, ADDRESS), "server_port": (None, NUMBER),
    "remote_port": (None, NUMBER), "connection": (None, NUMBER), "connection_requests": (None, NUMBER),
    "pid": (None, NUMBER), "pipe": (None, r"([p.]|-)"), "is_args": (None, r"(\??)"),
    "upstream_connect_time": (None, UPSTREAM_LIST), "upstream_header_time": (None, UPSTREAM_LIST),
    "upstream_response_time": (None, UPSTREAM_LIST), "upstream_response_length": (None, UPSTREAM_LIST),
    "upstream_bytes_received": (None, UPSTREAM_LIST), "upstream_bytes_sent": (None, UPSTREAM_LIST),
    "upstream_status": (None, UPSTREAM_LIST), "upstream_addr": (None, UPSTREAM_LIST),
}
TIMES = {"time_local": ("clf", CLF_TIME), "time_iso8601": ("iso", ISO_TIME),
         "msec": ("msec_float", r"([0-9]+(?:\.[0-9]+)?)")}


def format_text(directive: str) -> tuple[str, str]:
    """(the format text, nginx's escape= value) of a `log_format` statement or of the format text alone."""
    m = STATEMENT.match(directive)
    if not m:
        return _conf_unescaped(directive), "default"
    escape = m.group(1).strip().removeprefix("escape=") or "default"
    parts = [p[0] or p[1] or p[2] for p in QUOTED_PART.findall(m.group(2))]
    return "".join(_conf_unescaped(p) for p in parts), escape


def _conf_unescaped(text: str) -> str:
    """The backslash escapes nginx's configuration parser reads in a quoted string."""
    return re.sub(r"\\(.)", lambda m: CONF_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def compile_nginx(directive: str) -> Compiled:
    """Compile an nginx log_format (the statement, or the format text after its name)."""
    text, escape = format_text(directive)
    if escape not in ESCAPE_RULES:
        raise FormatError(f"unknown nginx log_format escape={escape} (default, json or none)")
    c = Compiled(directive, "nginx", escapes=ESCAPE_RULES[escape])
    c.time_meaning = RESPONSE_LOGGED
    compile_items(c, pieces(text), add_time)
    return c


def pieces(text: str) -> list[str | Item]:
    """The format as literal texts and one field per variable."""
    out: list[str | Item] = []
    pos = 0
    for m in VARIABLE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        out.append(variable(m.group(1) or m.group(2)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    if not any(isinstance(p, Item) for p in out):
        raise FormatError("the nginx log_format has no $variable")
    return out


def variable(name: str) -> Item:
    """The field a variable logs: typed when nginx defines it, else a string kept by its name."""
    if name in TIMES:
        kind, pattern = TIMES[name]
        return Item(name, pattern=pattern, time=(kind, "", RESPONSE_LOGGED))
    role, pattern = KNOWN.get(name, (None, None))
    return Item(name, role, pattern, LAZY if role == "request" else None)
