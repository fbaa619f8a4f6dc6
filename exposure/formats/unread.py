"""Access logs the tool does not read, known by their shape: such a file is refused with what it looks like,
never passed over as "not a log" (its requests would be missing from an answer that exits 0) and never read
as another format.

Checked on the same sample lines detection matches (formats/detect.py), only for files no format fits. Each
shape is the default line of a server whose log we do not parse:
- HAProxy's `option httplog`: `client:port [dd/Mon/yyyy:HH:MM:SS.mmm] frontend backend/server Tq/Tw/Tc/Tr/Ta ...`
  (its byte count includes headers, its termination state says whether the client aborted);
- Envoy's default access log: `[2020-06-08T09:00:00.310Z] "GET /path HTTP/1.1" 200 - 0 18412 ...` (no client
  address of its own: `%DOWNSTREAM_REMOTE_ADDRESS%` is not in the default);
- Squid's native access.log: `1591606800.123    180 192.0.2.7 TCP_MISS/200 18412 GET http://... - DIRECT/...`;
- CloudFront real-time logs (Kinesis Data Streams records, `timestamp` first as epoch seconds with
  milliseconds, then the fields the configuration chose, tab-separated, no header:
  `1591606800.123\t198.51.100.7\t0.001\t200\t18712\tGET\thttps\t...`): a line with that first field, a status
  and a method among its tab-separated values;
- Atlassian Jira's and Confluence's Tomcat access log (`conf/server.xml` AccessLogValve):
  `[08/Jun/2020:11:00:00 +0200] user thread-name 198.51.100.7 GET /path HTTP/1.1 200 31ms 18412 referer agent`,
  the request line unquoted, an elapsed time in ms after the status (Jira 9.4+ and Confluence 7.11+ put the
  X-Forwarded-For address first); a leaked attachment on a wiki is as likely as one on a web server;
- Atlassian Bitbucket's `atlassian-bitbucket-access.log`: ` | `-separated, the date `2020-06-08 09:00:00,838`,
  the request line quoted and followed by ` | ` (the agent, then the status);
- Bunny CDN's raw log: `MISS|200|1591606800321|18412|pullzone|198.51.100.7|referer|https://host/path|...`;
- access lines behind traditional syslog's prefix whose day is padded with a space (`Jun  8 09:01:00 host tag:
  198.51.100.7 - - [...] "GET ..." 200 18412`): the prefix is to be taken off first (PREFIX_SYSLOG_REFUSAL);
- any other line holding a quoted HTTP request line followed by a status and a byte count (an error log quotes
  a request line too, but follows it with `, host: ...`; Apache's stock `ssl_request_log` follows it with the
  byte count alone, no status: neither is a log of responses).
"""

from __future__ import annotations

from .base import SYSLOG_LINE_RE

# access lines behind traditional syslog's prefix with a day padded by a space (`Jun  8 09:01:00 web1 nginx: ...`:
# no %h %l %u reading of them reaches the prefix rule, base.prefix_fields_sql): refused with the hint to take the
# prefix off, then the layout options
SYSLOG_PREFIXED = "access lines behind a syslog prefix"
# how a layout no format detects is stated (said by each refusal a stated layout can mend)
LAYOUT_OPTIONS = ("--log-format, --nginx-log-format or --json-fields can state its layout, ingest it on its own with "
                  "that option (an option applies to every file of one ingest)")
# a file of such lines was read by no format (none chosen, none detected: not base.PREFIX_SYSLOG_REASON's "the
# format's line"); the layout after the prefix may still be one only an option states
PREFIX_SYSLOG_REFUSAL = ("its lines begin with a syslog time (they stand behind a prefix: syslog): take the prefix off "
                         f"first; then, where {LAYOUT_OPTIONS}")
# (what the file looks like, RE2 pattern a line of it matches), the most specific first
SHAPES: tuple[tuple[str, str], ...] = (
    (SYSLOG_PREFIXED, SYSLOG_LINE_RE + r'.*"[A-Z][A-Z0-9_-]{2,} \S+ HTTP/[0-9.]+" [1-5][0-9]{2} (?:-|[0-9]+)(?:\s|$)'),
    ("HAProxy HTTP log",
     r"\[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}\] \S+ \S+/\S+ -?[0-9]+/-?[0-9]+/"),
    ("Envoy access log", r'^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\] "[A-Z]+ \S+ \S+" [0-9]{3} '),
    ("Squid native access log", r"^[0-9]{9,10}\.[0-9]{3} +-?[0-9]+ \S+ [A-Z_]+/[0-9]{3} [0-9]+ [A-Z]+ \S"),
    ("Atlassian access log (Jira, Confluence)",
     r"^\[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] .* [A-Z][A-Z0-9_-]{2,} \S+ "
     r"HTTP/[0-9.]+ [1-5][0-9]{2} [0-9]+ms "),
    ("Atlassian Bitbucket access log",
     r'^\S+ \| [a-z0-9]+ \| \S+ \| .* \| [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{3} \| '
     r'"[A-Z][A-Z0-9_-]{2,} \S+ HTTP/[0-9.]+" \| '),
    ("Bunny CDN log", r"^[A-Z]+\|[1-5][0-9]{2}\|[0-9]{13}\|[0-9]+\|[^|]*\|[^|]+\|[^|]*\|https?://"),
    ("CloudFront real-time log",
     r"^[0-9]{10}\.[0-9]{3}\t(?:[^\t]*\t)*?[1-5][0-9]{2}\t(?:[^\t]*\t)*?(?:GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH)\t"),
    ("HTTP request lines with statuses in an unknown layout",
     r'"[A-Z][A-Z0-9_-]{2,} \S+ HTTP/[0-9.]+" [1-5][0-9]{2} (?:-|[0-9]+)(?:\s|$)'),
)


def refusal(shape: str) -> str:
    """The reason such a file is recorded with (verdict unreadable: the answer rests on incomplete evidence)."""
    if shape == SYSLOG_PREFIXED:
        return (f"an access log in a format exposure does not read (it looks like: {shape}): its requests are not in "
                f"the answer: {PREFIX_SYSLOG_REFUSAL}")
    return (f"an access log in a format exposure does not read (it looks like: {shape}): its requests are not in "
            f"the answer; where {LAYOUT_OPTIONS}")
