"""Apache and nginx access logs in the Common Log Format family: common, combined, vhost_combined.

One grammar covers the family, because real files mix them (plaso's fixture mixes common, combined and
vhost lines): an optional `host:port` prefix, `%h %l %u %t "%r" %>s %b`, then optionally a well-formed
quoted referer and user agent, then optionally extra trailing fields; where a writer left a quote bare inside the
referer or agent, those two are read by the line's shape (LINE_RE) with nothing after them. A user agent cut off before its
closing quote does not match: that line is truncated and is rejected, never read as a common line.
The client field may be a hostname (Apache HostnameLookups On): it is kept and marked, not rejected.
"""

from __future__ import annotations

from typing import Any

from . import clf_fast
from .base import (
    ADDRESS_AFTER_RE,
    ADDRESS_RE,
    GLUED_REASON,
    LogFormat,
    offset_minutes_sql,
    regex_line_sql,
    sql_literal,
)
from .escapes import BACKSLASH

# A line that does not match and holds an unpaired quote (after Apache's `\\` escapes, a `\"` is no quote) was cut
# inside a quoted field, its end or its start missing: Apache and nginx close every quote they open (a cut copy, a
# file split every N bytes: elastic/examples apache_logs 8,899, the NASA Aug95 copy split every 4,096 bytes)
UNPAIRED_QUOTE_REASON = ("an unpaired quote: the line ends or begins inside a quoted field (request, referer or user "
                         "agent): cut short, or a piece of a split line")
UNPAIRED_QUOTE_SQL = ("(length(replace(text, '\\\\', '')) - length(replace(replace(text, '\\\\', ''), '\"', ''))"
                      " - (length(replace(text, '\\\\', '')) - length(replace(replace(text, '\\\\', ''), "
                      "'\\\"', ''))) // 2) % 2 = 1")
QUOTED = r'"((?:[^"\\]|\\.)*)"'
# %h: an address or host name; or an address list (`a, b, c`, `"a, b" c`, `a, b c`: see ClfFormat.raw_sql)
CLIENT_RE = r'(?:"[^"]*" )?[^\s,"]+(?:, [^\s,]+)+(?: [0-9A-Fa-f.:]*[0-9:][0-9A-Fa-f.:]*)?|"[^"]*" [^\s,"]+|\S+'
BARE_CONTENT = r'(?:[^\\]|\\.)'  # a bare quote may be content; an escaped one (`\"`) still never ends a value
LINE_RE = (
    # vhost:port (vhost_combined); or a host name alone (Apache's documented `%v %h %l %u` layout: read as
    # %h %l %u, the host was every line's client), taken only where four fields stand before the time: with
    # three the group cannot match (%l is one field) and the name is %h, a client under HostnameLookups; or an
    # IPv6 address in brackets, with or without its port (`%v:%p` of a ServerName `[2001:db8::1]`, nginx's $host
    # of a Host header naming the address): a client-first `[2001:db8::7] - - [` has three fields and stays one
    r"^(?:([A-Za-z0-9._-]+:[0-9]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z0-9-]*"
    r"|\[[0-9A-Fa-f]*:[0-9A-Fa-f:.]*\](?::[0-9]+)?) )?"
    rf"({CLIENT_RE}) "
    r'(\S+) (.*?) \[([^\]]*)\] '  # %h (or an address list, see ClfFormat.raw_sql) %l %u [%t]
    r'"(.*?)" ([0-9]{3}|-) (\S+)'  # "%r" %>s %b  (lazy: Apache escapes quotes in %r, not every tool does)
    # "Referer" "User-Agent" extra..., escaped as Apache and nginx write them; else (a writer that leaves a quote
    # inside a value as it came: Express's morgan, gunicorn, old Apache) the bare form: the referer up to the first
    # `" "`, the agent up to the line's last quote, nothing after it (a line the escaped form reads never gets here;
    # a backslash still escapes, so `"a\"` at a line's end stays a truncated line)
    rf'(?: (?:{QUOTED} {QUOTED}(?:\s+(.*))?|"({BARE_CONTENT}*?)" "({BARE_CONTENT}*)"))?\s*$'
)
LINE_GROUPS = ["vhost", "client", "ident", "userid", "time", "request", "status", "bytes", "referer", "agent", "extra",
               "referer_bare", "agent_bare"]
# whether the bare form read a line: its referer and agent are then the bare form's groups, else the escaped form's
BARE = "({m}.referer_bare <> '' OR {m}.agent_bare <> '')"
TIME_FORMAT = "%d/%b/%Y:%H:%M:%S"

# Four fields or more before the time, where LINE_RE read the host prefix as %h (an address, `_`, a single-label
# name: only a dotted name or host:port is taken as the prefix there) and left `- user` or an address list in %u:
# nginx's `$host $remote_addr - $remote_user` and Apache's `%v %h %l %u` with a request addressed to the server's
# IP. When the fields after the first read as `%h - %u` with an address (not `-`) for %h, the first field is the
# host. A user name with a space (`%h - John Doe`) stays one: the field after the first is then `-`.
# Only addresses move: the field read as the client must end in an IP address (alone, or last after an address
# list) with no quote, and the first field be an address, `_` or a single-label name. A name, `-`, `""` or a
# quoted value there is not nginx's $remote_addr (it is always an address): `%h "%{X-Forwarded-For}i" %l %u` or
# a user name stays as before, the connecting address the client. Tomcat's `%h %{X-Forwarded-For}i %l %u` with
# an unquoted address looks the same as `$host $remote_addr` and is read as it (README: give --log-format).
HOST_FIRST_RE = rf"^({CLIENT_RE}) - (.+)$"
_IPV4 = r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}"  # an address's shape: a dotted quad, or IPv6 (two colons at least)
_IPV6 = r"[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*"
_IP = rf"(?:{_IPV4}|{_IPV6})"
_MOVED_CLIENT_RE = rf'^(?:[^"]*[ ,])?{_IP}$'
_HOST_FIELD_RE = rf"^(?:{_IP}|_|[A-Za-z0-9-]+)$"


def host_first_sql(m: str) -> str:
    """Whether the LINE_RE match `m` is such a line (its client field was the host)."""
    rest = f"({m}.ident || ' ' || {m}.userid)"
    return (f"({m}.vhost = '' AND contains({m}.userid, ' ') AND "
            f"regexp_matches({m}.client, {sql_literal(_HOST_FIELD_RE)}) AND "
            f"regexp_matches(regexp_extract({rest}, {sql_literal(HOST_FIRST_RE)}, 1), {sql_literal(_MOVED_CLIENT_RE)}))")


def host_first_fields(m: str, fields: dict[str, str]) -> dict[str, str]:
    """`fields` with vhost, client, ident and userid read from a host-first line (`host_first_sql`)."""
    shifted = host_first_sql(m)
    rest = f"({m}.ident || ' ' || {m}.userid)"
    moved = {"vhost": f"{m}.client", "client": f"regexp_extract({rest}, {sql_literal(HOST_FIRST_RE)}, 1)",
             "ident": "'-'", "userid": f"regexp_extract({rest}, {sql_literal(HOST_FIRST_RE)}, 2)"}
    return {**fields, **{k: f"CASE WHEN {shifted} THEN {v} ELSE {fields[k]} END" for k, v in moved.items()}}


# a trailing `"$http_x_forwarded_for"`: `-`, or addresses (a dotted-quad IPv4 with or without a port; IPv6, at
# least two colons, bare or in brackets with a port; `unknown` as Squid writes for a hop it cannot name)
# separated by commas. Never a bare number: nginx's documented "$gzip_ratio" field holds `2.01`.
_XFF_ENTRY = rf"(?:{_IPV4}(?::[0-9]+)?|{_IPV6}|\[[0-9A-Fa-f:.]+\](?::[0-9]+)?|unknown)"
TRAILING_XFF_RE = rf'^"(-|{_XFF_ENTRY}(?:, *{_XFF_ENTRY})*)"$'

# Another CLF line's start (`client ident user [time] "`; the client an address or, under Apache's HostnameLookups
# On, a host name) inside the request, the bare-quote referer or agent or the trailing fields: two lines written
# without a newline between them (concurrent writers, a copy spliced from two reads). Read as one, it is one request
# with the first line's time and the second's status and bytes, the second request lost without a word: rejected
# with base.GLUED_REASON. Apache and nginx escape a quote inside a value (`\"`, `\x22`), so a value can hold `] "`
# only where no writer escaped it: the escaped referer and agent are never searched, and a hostile agent quoting a
# log line in an escaping server's log is still read (tests/formats/test_clf_glued.py).
CLF_TIME = r"[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}"
GLUED_RE = rf'\S+ \S+ \S+ \[{CLF_TIME}\] "'
# A CLF line's start with its request's method (`client ident user [time] "GET `) anywhere in a line: a line read
# by a CLF-like --log-format or --nginx-log-format directive (exposure/formats/custom.py) holding two is two lines
# glued. The method after the bare quote keeps a hostile value out: an escaping server writes a quote inside a
# value as `\"` or `\x22`, and a bare quote after `] ` ends a value (`] " "agent`), never opens one with `GET `.
GLUED_START_RE = rf'\S+ \S+ \S+ \[{CLF_TIME}\] "[A-Z]+ '


def glued_text_sql(text: str) -> str:
    """Whether the line `text` holds a second CLF line start (GLUED_START_RE): the check of directive layouts."""
    return f"(len(regexp_extract_all({text}, {sql_literal(GLUED_START_RE)})) > 1)"


# A first line cut before its request: the second line's start lands before the time LINE_RE reads. Cut inside
# %l/%u, %l is the first line's `-` (no identd answer: every nginx line, nearly every Apache one) and %l %u hold
# the second line's address, its `-` and user (`- 198.51.100.4 - -`, `-198.51.100.4 - -`: the address after the
# `-`, never first, where nginx's `$host $remote_addr` and Apache's `%v %h` put one; an identd answer before
# it, `alice 198.51.100.3 - -`, is a user the client wrote: tests/test_prefix_rejects.py); cut after its time, %u
# holds that `[time]`; cut inside its time, the time read holds the second line's `[time`. A user name with a
# space (`John Doe`) has no address in it. A Basic-auth user name is the client's (nginx logs it unchecked): one
# spelling a line's start has its line rejected, said as glued lines, never read from another address silently.
GLUED_HEAD_RE = rf"^-(?:.*[^0-9A-Fa-f.:])?{_IP} - \S+$|\[{CLF_TIME}\]"
GLUED_TIME_RE = rf"\[{CLF_TIME}$"
# Cut inside its client: the first line's digits run into the second line's address (`198.5198.51.100.4`,
# `1198.51.100.4`): digits and dots ending in a dotted quad with a fifth group or four digits in a row, no IPv4
# address (a first octet over 255 with three digits, `308.8.8.8`, is left: the cheap path cannot tell it). No
# host name is all digits and dots; a server writes %h from the socket, always an address.
GLUED_CLIENT_RE = r"^[0-9.]*(?:[0-9]{4}|\.[0-9.]*\.[0-9.]*\.[0-9.]*\.)[0-9.]*$"


# A first line cut to its first field or two (`www.site.nl 1`), the next line written right after it: `www.site.nl 1`
# + `www.site.nl 192.0.2.1 - - [...]` reads as %v %h %l %u with the second line's `address ident user` where %l %u
# stand: a line whose client and %l are addresses with more after them (identd answers a user name, never an
# address; a client that is no address there is a prefix's: base.prefix_fields_sql says so), or whose host is
# written and whose %l %u hold an address followed by an ident and a user (base.ADDRESS_AFTER_RE), is one. A cut
# that runs into the next line's first token (`w` + `www.site.nl ...`: `wwww.site.nl`) reads as another host and is
# not found. Nor is a line cut to its client alone (`198.51.100.7 ` + the next line): it reads byte for byte as
# nginx's `$host $remote_addr - $remote_user` with an address for the host (a request to the server's IP, as
# elastic's nginx fixtures hold), which any file may hold; it is read host first, the cut line's request lost with
# its cut (a README limit).
_IDENT_ADDRESS_RE = rf"^{_IP}$"


def glued_sql(m: str) -> str:
    """Whether the line read into struct `m` (LINE_GROUPS) holds another line's start (GLUED_RE, GLUED_HEAD_RE,
    GLUED_TIME_RE, GLUED_CLIENT_RE, and a cut first field before it: above)."""
    parts = ", ".join(f"{m}.{g}" for g in ("request", "referer_bare", "agent_bare", "extra"))
    rest = f"({m}.ident || ' ' || {m}.userid)"
    return (f"(regexp_matches(concat_ws(chr(10), {parts}), {sql_literal(GLUED_RE)}) "
            f"OR regexp_matches({rest}, {sql_literal(GLUED_HEAD_RE)}) "
            f"OR regexp_matches({m}.time, {sql_literal(GLUED_TIME_RE)}) "
            f"OR regexp_matches({m}.client, {sql_literal(GLUED_CLIENT_RE)}) "
            f"OR ({m}.vhost <> '' AND {m}.ident <> '-' AND regexp_matches({rest}, {sql_literal(ADDRESS_AFTER_RE)})) "
            f"OR (NOT {host_first_sql(m)} AND contains({m}.userid, ' ') AND regexp_matches({m}.client, "
            f"{sql_literal(ADDRESS_RE)}) AND regexp_matches({m}.ident, {sql_literal(_IDENT_ADDRESS_RE)})))")


# what a CLF file lacks depends on what its byte count turns out to be (exposure/facts.py swaps them)
LACKS_WIRE = "%O (bytes on the wire)"
LACKS_BODY = "a body-only byte count (%b): the bytes include response headers"
CLF_TIME_MEANING = (
    "Apache %t: when the request was received; nginx $time_local: when the response finished "
    "(the log line itself does not say which server wrote it)"
)


# A line of a combined file that ends in its byte count (no referrer, no user agent, nothing after: the common
# shape) may be a line cut right after or inside its count, the rest of it lost (exposure/midcut.py decides, by the
# lines around it, once the file is read). The full parse marks such a line of a format that reads referrer and
# agent (`cut_common`) with this transient key of `extra`; midcut takes it off every row before the file is
# counted. A common line never takes the cheap path (clf_fast.PLAIN wants the quoted referrer and agent).
COMMON_SHAPE_KEY = "clf_common_shape"


def common_shape_sql(m: str) -> str:
    """Whether the LINE_RE match `m` ends in its byte count, nothing after it (the line's text ends in no quote)."""
    quoted = " AND ".join(f"{m}.{g} = ''" for g in ("referer", "agent", "extra", "referer_bare", "agent_bare"))
    return f"({m}.client <> '' AND {quoted} AND NOT ends_with(rtrim(text), '\"'))"


class ClfFormat(LogFormat):
    def fast_requests_sql(self, source: str, evidence_id: int, state: dict[str, Any],
                          addresses: str | None = None) -> str | None:
        if self._host_in_ident:  # the cheap path reads the second field as ident
            return None
        return clf_fast.requests_sql(source, evidence_id, addresses) if state.get("fast_path", True) else None

    def fast_clients_sql(self, source: str, state: dict[str, Any]) -> str:
        return clf_fast.clients_sql(source)

    @property
    def _host_in_ident(self) -> bool:
        return bool(self.options.get("host_in_ident"))

    def _extra_sql(self, m: str) -> str:
        """`extra`: the port of `%v:%p`, the fields after the user agent, and with `cut_common` the transient mark of
        a line of the common shape (COMMON_SHAPE_KEY); NULL where none is there."""
        entries = {"server_port": f"regexp_extract({m}.vhost, ':([0-9]+)$', 1)", "trailing": f"trim({m}.extra)"}
        any_of = [f"{m}.vhost <> ''", f"{m}.extra <> ''"]
        if self.options.get("cut_common"):
            entries[COMMON_SHAPE_KEY] = f"CASE WHEN {common_shape_sql(m)} THEN '1' ELSE '' END"
            any_of.append(common_shape_sql(m))
        packed = ", ".join(f"struct_pack(k := {sql_literal(k)}, v := {v})" for k, v in entries.items())
        return (f"CASE WHEN {' OR '.join(any_of)} THEN map_from_entries(list_filter([{packed}], "
                f"lambda e: e.v <> '')) END")

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        m = "m"
        time_local = f"{m}.time"
        zone = f"split_part({time_local}, ' ', 2)"
        glued = glued_sql(m)
        fields = {
            "ok": f"{m}.client <> '' AND NOT {glued}",
            "reject_reason": (f"CASE WHEN {m}.client <> '' AND {glued} THEN {sql_literal(GLUED_REASON)} "
                              f"WHEN coalesce({m}.client, '') = '' AND {UNPAIRED_QUOTE_SQL} "
                              f"THEN {sql_literal(UNPAIRED_QUOTE_REASON)} END"),
            # %v:%p: the host without its port; the port is kept in `extra`
            "vhost": f"regexp_replace({m}.vhost, ':[0-9]+$', '')",
            # nginx configured with $proxy_add_x_forwarded_for (or $http_x_forwarded_for) first writes an address
            # list; also `"$http_x_forwarded_for" $remote_addr` and an unquoted list then the address: the shared
            # stage takes the last entry (the address that connected) as the client, the rest as xff
            "client": f"{m}.client",
            "ident": f"{m}.ident",
            "userid": f"{m}.userid",
            "time_text": time_local,
            "ts_local": f"try_strptime(split_part({time_local}, ' ', 1), '{TIME_FORMAT}')",
            # `+hhmm` only: %t never writes `+hh:mm` (apachelogs rejects `-05:00` there too)
            "utc_offset_min": f"CASE WHEN length({zone}) = 5 THEN {offset_minutes_sql(zone)} END",
            "request_text": f"{m}.request",
            "method": f"{m}.req.method",
            "uri": f"{m}.req.uri",
            "protocol": f"{m}.req.protocol",
            "status": f"{m}.status",
            "bytes": f"{m}.bytes",
            "referer": f"CASE WHEN {BARE.format(m=m)} THEN {m}.referer_bare ELSE {m}.referer END",
            "user_agent": f"CASE WHEN {BARE.format(m=m)} THEN {m}.agent_bare ELSE {m}.agent END",
            # one quoted field after the user agent holding `-` or addresses is the X-Forwarded-For header: the
            # `main` format of nginx.org's and the distributions' nginx.conf (combined + "$http_x_forwarded_for"),
            # the most common nginx default behind a proxy; `--client-ip-from xff` then resolves the client
            "xff": f"regexp_extract(trim({m}.extra), {sql_literal(TRAILING_XFF_RE)}, 1)",
            # fields after the user agent (written by a site's own LogFormat): kept as written
            "extra": self._extra_sql(m),
        }
        # a timestamp without a valid offset is not a valid CLF timestamp
        fields["ts_local"] = f"CASE WHEN ({fields['utc_offset_min']}) IS NOT NULL THEN {fields['ts_local']} END"
        if self._host_in_ident:  # lighttpd's %V where %l stands: the host the request named, without its port
            fields["vhost"] = f"regexp_replace(nullif({m}.ident, '-'), ':[0-9]+$', '')"
            fields["extra"] = fields["extra"].replace(f"{m}.vhost", f"{m}.ident")  # its port, as %v:%p's is kept
            fields["ident"] = "NULL"
            return regex_line_sql(source, LINE_RE, LINE_GROUPS, fields, 'p.request')
        fields = host_first_fields(m, fields)
        if state.get("fast_path", True):  # regular lines by string functions, only the rest by regex (clf_fast)
            return clf_fast.raw_sql(source, fields)
        return regex_line_sql(source, LINE_RE, LINE_GROUPS, fields, 'p.request')


_COMMON = dict(
    family="clf",
    time_meaning=CLF_TIME_MEANING,
    bytes_meaning="body",
    bytes_basis="assumed",  # %b (Debian's, nginx's combined) or %O (Debian's Apache combined): facts.py infers it
    bytes_field="%b or %O (the line does not say which)",
    bytes_dash_zero=True,
    time_basis="assumed",
    has_offset=True,
    lacks=(LACKS_WIRE, "%X / $request_completion (whether the transfer completed)",
           "byte offsets of range responses"),
    detect_regex=LINE_RE,
    escapes=BACKSLASH,
)

COMMON = ClfFormat(
    name="common",
    extras=(),
    description="Common Log Format (Apache %h %l %u %t \"%r\" %>s %b)",
    example='192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /index.html HTTP/1.1" 200 5120',
    **_COMMON,
)
COMBINED = ClfFormat(
    name="combined",
    extras=(),
    description="Combined Log Format (common + \"%{Referer}i\" \"%{User-Agent}i\"), Apache and nginx default",
    example=('192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET /index.html HTTP/1.1" 200 5120 '
             '"https://www.example.nl/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'),
    options={"cut_common": True},  # its lines carry referrer and agent: one ending in its count may be cut
    **_COMMON,
)
VHOST_COMBINED = ClfFormat(
    name="vhost_combined",
    extras=("vhost", "extra"),
    description="Apache vhost_combined (%v:%p prefix before the combined fields)",
    example=('www.example.nl:443 192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET / HTTP/1.1" 200 5120 '
             '"-" "Mozilla/5.0"'),
    options={"cut_common": True},
    **_COMMON,
)

# lighttpd's default `accesslog.format` is `%h %V %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`: the host the
# request named (%V) stands where Apache writes the identd answer (%l, in practice always `-`). Read as combined,
# the host was lost and a `--target https://host/path` matched every host's requests.
LIGHTTPD = ClfFormat(
    name="lighttpd",
    extras=("vhost", "extra"),
    description="lighttpd default accesslog.format (%h %V %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"): "
                "the second field is the host",
    example=('192.0.2.7 www.example.nl - [08/Jun/2020:14:12:18 +0200] "GET /index.html HTTP/1.1" 200 5120 '
             '"https://www.example.nl/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'),
    options={"host_in_ident": True},
    # lighttpd 1.4 writes %t when the request is done (mod_accesslog's REQUESTDONE handler), not at its arrival
    **{**_COMMON, "time_meaning": "lighttpd %t: when the request was done and logged (the response's end)"},
)

FORMATS = [COMBINED, COMMON, VHOST_COMBINED, LIGHTTPD]
# a host name (its last label starts with a letter, as every top-level domain does; a port may follow) where
# the identd answer stands: lighttpd's %V. Never an address: Apache's documented `%v %h %l %u` layout puts the
# client's address there, and it is no lighttpd log.
HOST_IDENT_RE = r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z0-9-]*(:[0-9]+)?"


def refine(sample_stats: dict[str, int]) -> ClfFormat:
    """Name the family member that fits a sample best: vhost prefix, a host where the identd answer stands
    (lighttpd), referer/agent present or not."""
    if sample_stats.get("vhost", 0) * 2 > sample_stats.get("matched", 0):
        return VHOST_COMBINED
    if sample_stats.get("host_ident", 0) * 2 > sample_stats.get("matched", 0):
        return LIGHTTPD
    if sample_stats.get("agent", 0) * 2 >= sample_stats.get("matched", 0):
        return COMBINED
    return COMMON


# per sampled file `f` of the detection's `sample` table: a regular line (clf_fast.REGULAR: the regex would
# find the same fields) counts from its string pieces, no vhost and its quoted fields 4 and 6; only the other
# lines are matched with the 11-group regex (its extraction costs ten times a split)
SAMPLE_STATS_SQL = f"""
SELECT f, count(*) FILTER (WHERE CASE WHEN regular THEN true ELSE p.client <> '' END) AS matched,
       count(*) FILTER (WHERE CASE WHEN regular THEN false ELSE p.vhost <> '' OR {host_first_sql("p")} END) AS vhost,
       count(*) FILTER (WHERE CASE WHEN regular THEN q[4] <> '' OR q[6] <> ''
                                   ELSE p.agent <> '' OR p.referer <> '' OR {BARE.format(m="p")} END) AS agent,
       count(*) FILTER (WHERE regexp_full_match(CASE WHEN regular THEN h[2] ELSE p.ident END,
                                                {sql_literal(HOST_IDENT_RE)})) AS host_ident
FROM ({clf_fast.classified_sql("sample", LINE_RE, LINE_GROUPS)})
GROUP BY f
"""
