"""Apache httpd `LogFormat` strings (mod_log_config, with mod_logio's and mod_ssl's directives) compiled.

A directive is read the way httpd's `parse_log_item` reads it: after `%`, any sequence of `!` (negate the
condition), `<` / `>` (original or final request), `,`, digits (status conditions) and one `{argument}`, then
the letter (or `^` and two characters). `%%` is a literal `%`; in the literal text `\\n`, `\\t`, `\\r`, `\\\\`
and the config file's `\\"` stand for their characters. A letter httpd does not define is taken as a
module's own directive: a string kept by its name (`%{arg}Z`) in `extra`. Only what httpd itself refuses (a
`%` followed by something that is no directive, or the end of the string) is an error.

Names in `extra` follow nginx's variable names where nginx has the same thing, so one query reads both
servers: `%p` server_port, `%{remote}p` remote_port, `%{Foo-Bar}i` http_foo_bar, `%{Foo}o` sent_http_foo,
`%{Foo}C` cookie_Foo, `%I` request_length, `%O` bytes_sent, `%{SSL_PROTOCOL}x` ssl_protocol ...
"""

from __future__ import annotations

import re

from ..errors import FormatError
from .custom import TIME_ROLES, add_time
from .directive import (
    CLF_TIME,
    LAZY,
    NUMBER,
    QUOTED_INNER,
    REQUEST_UNQUOTED,
    STATUS,
    Compiled,
    Item,
    compile_items,
)
from .escapes import BACKSLASH

ADDRESS = r"(\S+)"
# literal escapes in a LogFormat string: httpd's parse_log_misc_string, and `\"` of the quoted config argument
LITERAL_ESCAPES = {"\\": "\\", "r": "\r", "n": "\n", "t": "\t", '"': '"'}
REQUEST_RECEIVED = "when the request was received (Apache %t)"
RESPONSE_COMPLETED = "when the response was completed (Apache %{end:...}t)"
# header -> (role, name in extra)
HEADER_ROLES = {"referer": "referer", "user-agent": "user_agent", "x-forwarded-for": "xff", "host": "vhost_hdr"}


def header_key(prefix: str, name: str) -> str:
    """nginx's name for a header variable: `http_x_forwarded_for` for X-Forwarded-For."""
    return prefix + re.sub(r"[^a-z0-9]", "_", name.lower())


def compile_apache(directive: str) -> Compiled:
    """Compile an Apache LogFormat string (mod_log_config syntax)."""
    c = Compiled(directive, "apache", escapes=BACKSLASH)
    compile_items(c, pieces(directive), add_time)
    c.time_meaning = c.time_meaning or REQUEST_RECEIVED
    if not any(k in c.roles for k in TIME_ROLES) and c.partials:
        c.has_offset = any(zone == "z" for _, zone, _ in c.partials)
    return c


def pieces(directive: str) -> list[str | Item]:
    """The directive as literal texts and fields, in order (see the module doc)."""
    out: list[str | Item] = []
    text: list[str] = []
    i, n = 0, len(directive)
    while i < n:
        ch = directive[i]
        if ch == "\\" and i + 1 < n and directive[i + 1] in LITERAL_ESCAPES:
            text.append(LITERAL_ESCAPES[directive[i + 1]])
            i += 2
            continue
        if ch != "%":
            text.append(ch)
            i += 1
            continue
        start = i
        i += 1
        if i < n and directive[i] == "%":
            text.append("%")
            i += 1
            continue
        want_orig: bool | None = None
        arg: str | None = None
        conditional = False
        while True:
            if i >= n:
                raise FormatError(f"the LogFormat ends inside a directive: '{directive[start:]}'")
            ch = directive[i]
            if ch == "!" or ch == ",":
                i += 1
            elif ch in "<>":
                want_orig = ch == "<"
                i += 1
            elif ch == "{":
                end = directive.find("}", i + 1)
                arg, i = (directive[i + 1:end], end + 1) if end >= 0 else (directive[i + 1:], n)
            elif ch.isdigit():
                while i < n and directive[i].isdigit():
                    i += 1
                conditional = True
            else:
                letter = directive[i:i + 3] if ch == "^" and i + 2 < n else ch
                i += len(letter)
                break
        if not (letter.isascii() and letter.isalpha() or (letter.startswith("^") and len(letter) == 3)):
            raise FormatError(f"unrecognized LogFormat directive %{letter} at position {start} of '{directive}'")
        if text:
            out.append("".join(text))
            text = []
        item = _item(letter, arg, want_orig)
        if want_orig and letter != "s":  # %<{Referer}i: the original request's, before an internal redirect
            item.key, item.role = "original_" + item.key, None
        item.condition = conditional
        out.append(item)
    if text:
        out.append("".join(text))
    return out


def _item(letter: str, arg: str | None, want_orig: bool | None) -> Item:
    """The field one directive logs: its name in `extra`, its role and its pattern."""
    a = arg or ""
    low = a.lower()
    simple: dict[str, Item] = {
        "A": Item("server_addr", pattern=ADDRESS), "B": Item("body_bytes_sent", "bytes_body", r"([0-9]+)"),
        "b": Item("body_bytes_sent", "bytes_body", NUMBER), "D": Item("request_time_us", "duration_us", NUMBER),
        "f": Item("request_filename"), "H": Item("server_protocol", "protocol"),
        "I": Item("request_length", pattern=NUMBER), "k": Item("keepalive_requests", pattern=NUMBER),
        "l": Item("remote_logname", "ident"), "L": Item("log_id", "request_id"), "m": Item("request_method", "method"),
        "O": Item("bytes_sent", "bytes_wire", NUMBER), "q": Item("query_string", "query_raw", r"(\?\S*|)", QUOTED_INNER),
        "r": Item("request", "request", REQUEST_UNQUOTED, LAZY), "R": Item("handler"),
        "S": Item("bytes_transferred", pattern=NUMBER), "u": Item("remote_user", "userid"),
        "U": Item("uri", "path_raw", r"([^?\s]*)", QUOTED_INNER), "v": Item("server_name", "vhost"),
        "V": Item("server_name_used", "vhost"), "X": Item("connection_status", "completion", r"([X+-])"),
        "^FB": Item("first_byte_time_us", pattern=NUMBER),
    }
    if letter in simple:
        return simple[letter]
    if letter == "a":
        return Item("realip_remote_addr", "peer", ADDRESS) if a == "c" else Item("remote_addr", "client_a", ADDRESS)
    if letter == "h":
        return Item("realip_remote_host", "peer", ADDRESS) if a == "c" else Item("remote_host", "client_h", ADDRESS)
    if letter == "s":  # %s is the original status (httpd's default for s), %>s the final one
        return Item("original_status", "status_orig", STATUS) if want_orig is not False else \
            Item("status", "status_final", STATUS)
    if letter == "i":
        return Item(header_key("http_", a), HEADER_ROLES.get(low))
    if letter == "o":
        return Item(header_key("sent_http_", a), "content_range" if low == "content-range" else None)
    if letter == "e" and a == "UNIQUE_ID":  # mod_unique_id: the id the server gives each request (schema request_id)
        return Item("env_UNIQUE_ID", "request_id")
    if letter in ("C", "e", "n"):
        return Item({"C": "cookie_", "e": "env_", "n": "note_"}[letter] + a)
    if letter in ("x", "c"):  # mod_ssl: %{SSL_PROTOCOL}x -> ssl_protocol, %{version}c -> ssl_version
        return Item(low if letter == "x" else "ssl_" + low)
    if letter == "p":
        key = {"": "server_port", "canonical": "server_port", "local": "local_port", "remote": "remote_port"}
        return Item(key.get(low, "server_port"), pattern=NUMBER)
    if letter == "P":
        return Item({"tid": "tid", "hextid": "hextid"}.get(low, "pid"), pattern=r"(\S+)")
    if letter in ("^ti", "^to"):
        return Item(header_key("trailer_in_" if letter == "^ti" else "trailer_out_", a))
    if letter == "T":
        unit = {"": "duration_s", "s": "duration_s", "ms": "duration_ms", "us": "duration_us"}.get(low)
        if unit is None:  # httpd writes the unknown unit itself (log_request_duration_scaled)
            return Item("request_time", pattern=f"({re.escape(a)}|-)")
        return Item({"duration_s": "request_time", "duration_ms": "request_time_ms",
                     "duration_us": "request_time_us"}[unit], unit, NUMBER)
    if letter == "t":
        return _time_item(a)
    return Item(f"%{{{a}}}{letter}" if arg is not None else f"%{letter}")  # a module's own directive


def _time_item(spec: str) -> Item:
    """%t and %{...}t: an optional begin/end prefix, then nothing (the CLF time in brackets), sec, msec,
    usec, msec_frac, usec_frac, or a strftime format."""
    meaning = REQUEST_RECEIVED
    key = "time_local"
    if spec.startswith("begin"):
        spec = spec[len("begin"):].removeprefix(":")
    elif spec.startswith("end"):
        spec, meaning, key = spec[len("end"):].removeprefix(":"), RESPONSE_COMPLETED, "time_end"
    if not spec:
        return Item(key, pattern=r"\[" + CLF_TIME + r"\]", time=("clf", "", meaning))
    if spec in ("sec", "msec", "usec"):
        return Item(f"{key}_{spec}", pattern=r"([0-9]+)", time=(spec, "", meaning))
    if spec in ("msec_frac", "usec_frac"):
        return Item(f"{key}_{spec}", time=("frac", spec[:4]))
    return Item(key, time=("strf", spec, meaning))
