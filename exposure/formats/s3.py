"""Amazon S3 server access logs.

`owner bucket [time] remote_ip requester request_id operation key "Request-URI" status error_code bytes_sent
object_size total_time turn_around_time "referer" "user_agent" version_id ...` and whatever trailing fields
AWS has appended since (host id, signature version, cipher, auth type, host header, TLS version, access point
ARN, ACL required...). The time is bracketed with its offset (always +0000 in practice), the time S3
received the request.

Path: the object key (URL-encoded in the log, without a leading `/`: `documents/x.xlsx` is
`/documents/x.xlsx`); a line without a key takes the path of its Request-URI.
Method: `REST.<VERB>.OBJECT` and `WEBSITE.<VERB>.OBJECT` are that HTTP verb on the object (GET, HEAD, PUT,
POST, DELETE); every other operation keeps its operation name as the method (`REST.GET.ACL`,
`REST.COPY.OBJECT`, `S3.EXPIRE.OBJECT`, `BATCH.DELETE.OBJECT`...), so that reading an object's ACL or tags
is never mistaken for a GET of the object. A missing object is a 404 with error code `NoSuchKey`.
Bytes: `bytes_sent` is body bytes and `object_size` the object's full size, so a 200 GET is complete
exactly when `bytes_sent >= object_size` (queries/downloads_rule.sql).
"""

from __future__ import annotations

from typing import Any

from .base import (
    GLUED_REASON,
    LogFormat,
    complete_raw_columns,
    mapped_requests_sql,
    normalise_sql,
    offset_minutes_sql,
    regex_line_sql,
    sql_literal,
)

# S3 writes the Request-URI, referer and user agent between quotes without escaping a quote inside them: a
# client's `User-Agent: a "b" c` is logged as `"a "b" c"`, a request for `/"` as `"GET /" HTTP/1.1"` (reported to
# AWS in 2012 and unchanged; parsers of these logs that stop at the first inner quote reject such lines:
# aws-samples/siem-on-amazon-opensearch-service#34, cocoonlife/s3-log-parse#1). A quoted value therefore ends at
# the first quote after which the fields that follow it fit: the Request-URI before ` status error bytes size
# time time `, the referer before ` "` or ` -` (the agent); the agent at the last quote followed by a space or
# the line's end (S3 quotes no field after it). A backslash is content, as S3 writes it.
LAZY_QUOTED_OR_DASH = r'(?:"(.*?)"|(-))'
GREEDY_QUOTED_OR_DASH = r'(?:"(.*)"|(-))'
LINE_RE = (
    r'^(\S+) (\S+) \[([^\]]+)\] (\S+) (\S+) (\S+) (\S+) (\S+) '  # owner bucket [time] ip requester id op key
    + LAZY_QUOTED_OR_DASH + r' ([0-9]{3}|-) (\S+) (\S+) (\S+) (\S+) (\S+) '  # "uri" status error bytes size tt tat
    + LAZY_QUOTED_OR_DASH + r' ' + GREEDY_QUOTED_OR_DASH + r'(?: (.*))?$'  # "referer" "agent" trailing...
)
LINE_GROUPS = ["owner", "bucket", "time", "remote_ip", "requester", "request_id", "operation", "key",
               "uri", "uri_dash", "status", "error_code", "bytes_sent", "object_size", "total_time",
               "turnaround", "referer", "referer_dash", "agent", "agent_dash", "extra"]
REQUEST_RE = r"^(\S+)\s+(\S*)(?:\s+(HTTP/[0-9.]+))?\s*$"
OBJECT_VERB_RE = r"^(?:REST|WEBSITE)\.(GET|HEAD|PUT|POST|DELETE)\.OBJECT$"


# Another S3 line's start (the bucket owner's 64-digit canonical ID, the bucket, `[time] `) anywhere after the line's
# own (before its Request-URI where the first line was cut there, in the URI, referer, agent or trailing fields): two lines written without a newline between them (a copy spliced from two
# reads). The greedy agent read the second line whole into it, its request lost without a word: rejected with
# base.GLUED_REASON, by both paths (the cheap one runs the regex only on a line with more quotes than a plain one).
GLUED_RE = r"[0-9a-f]{64} \S+ \[[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}\] "


# A plain line: the groups of LINE_RE separated by single spaces, the URI and referer quoted and without a quote
# inside, the agent quoted (bare quotes inside it allowed: it ends at the line's last quote, as GREEDY does, the
# trailing fields after it having none), a request line `VERB target HTTP/x`, no backslash, tab, CR or form feed
# anywhere. For such a line splitting on '"' and ' ' gives exactly LINE_RE's groups
# (tests/formats/test_s3.py); the test is some twenty comparisons of the split pieces, far cheaper than one
# RE2 pass over a 500-byte line. A client with `[` or `%` (brackets, a zone id) is left to the full parse.
PLAIN = """
  NOT contains(text, '\\') AND NOT contains(text, chr(9)) AND NOT contains(text, chr(12))
  AND NOT contains(text, chr(13))
  AND len(q) >= 7 AND q[5] = ' ' AND (q[-1] = '' OR starts_with(q[-1], ' '))
  AND len(h) = 10 AND h[10] = '' AND h[1] <> '' AND h[2] <> '' AND strlen(h[3]) > 1 AND starts_with(h[3], '[')
  AND NOT contains(h[3], ']') AND strlen(h[4]) > 1 AND strpos(h[4], ']') = strlen(h[4])
  AND h[5] <> '' AND h[6] <> '' AND h[7] <> '' AND h[8] <> '' AND h[9] <> ''
  AND NOT contains(h[5], '[') AND NOT contains(h[5], '%')
  AND len(r) = 3 AND r[1] <> '' AND r[2] <> '' AND strlen(r[3]) > 5 AND starts_with(r[3], 'HTTP/')
  AND NOT (substr(r[3], 6) GLOB '*[!0-9.]*')
  AND len(v) = 8 AND v[1] = '' AND v[8] = '' AND (v[2] = '-' OR v[2] GLOB '[0-9][0-9][0-9]')
  AND v[3] <> '' AND v[4] <> '' AND v[5] <> '' AND v[6] <> '' AND v[7] <> ''
"""


class S3Format(LogFormat):
    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        return regex_line_sql(source, LINE_RE, LINE_GROUPS, self._fields(), 'p.uri', REQUEST_RE)

    def fast_requests_sql(self, source: str, evidence_id: int, state: dict[str, Any],
                          addresses: str | None = None) -> str | None:
        """The plain lines (PLAIN), their groups taken by splitting instead of the line regex; the same field
        expressions and the shared stage, so each row is what the full parse gives it."""
        groups = ["h[1]", "h[2]", "substr(h[3], 2) || ' ' || left(h[4], -1)", "h[5]", "h[6]", "h[7]", "h[8]", "h[9]",
                  "q[2]", "''", "v[2]", "v[3]", "v[4]", "v[5]", "v[6]", "v[7]", "q[4]", "''",
                  # the agent: the pieces between its opening quote and the line's last, bare quotes put back
                  "CASE WHEN len(q) = 7 THEN q[6] ELSE array_to_string(list_slice(q, 6, len(q) - 1), '\"') END", "''",
                  "substr(q[-1], 2)"]
        struct = ", ".join(f"{sql_literal(g)}: {e}" for g, e in zip(LINE_GROUPS, groups, strict=True))
        plain = f"""
SELECT src.line_no, src.byte_offset, src.text, src.bad_utf8,
  {complete_raw_columns(self._fields())}
FROM (
  SELECT s.*, {{{struct}, 'req': {{'method': r[1], 'uri': r[2], 'protocol': r[3]}}}} AS m
  FROM (SELECT s.*, string_split(q[1], ' ') AS h, string_split(q[2], ' ') AS r, string_split(q[3], ' ') AS v,
               random() AS fence
        FROM (SELECT s.*, string_split(s.text, '"') AS q FROM {source} s) s) s
  WHERE CASE WHEN fence >= 0 THEN {PLAIN} END
) src
"""
        rows = normalise_sql(self, plain, evidence_id, state.get("log_tz"))
        return mapped_requests_sql(f"SELECT * FROM ({rows}) WHERE verdict = 'request'", addresses)

    def fast_clients_sql(self, source: str, state: dict[str, Any]) -> str:
        # the address after the time: only one with ':' can need normalising (PLAIN leaves `[` and `%`)
        return (f"SELECT split_part(text, ' ', 5) AS raw FROM (SELECT text, substr(text, strpos(text, '] ') + 2, 48) "
                f"AS t FROM {source}) WHERE strpos(t, ':') BETWEEN 1 AND strpos(t, ' ')")

    def _fields(self) -> dict[str, str]:
        m = "m"
        tz = f"regexp_extract({m}.time, ' ([+-][0-9]{{4}})$', 1)"
        # the line from its second character: the line's own owner ID is then 63 digits, never GLUED_RE's 64, and a
        # first line cut before its Request-URI (or inside its time) holds the second's start before its values
        values = "substr(text, 2)"
        glued = f"(strpos({values}, '] ') > 0 AND regexp_matches({values}, {sql_literal(GLUED_RE)}))"
        fields = {
            "ok": f"{m}.bucket <> '' AND NOT {glued}",
            "reject_reason": f"CASE WHEN {glued} THEN {sql_literal(GLUED_REASON)} END",
            "client": f"{m}.remote_ip",
            "userid": f"{m}.requester",
            # the bucket: it names the site whatever endpoint the client used (a path-style request's Host header,
            # `s3.REGION.amazonaws.com`, names none; a website bucket behind a CNAME is named as its host); the
            # Host header (6th trailing field, 2019 on) is kept in its own column, and --target maps an S3 URL to
            # its bucket (analysis/targets.py). Not in `extra`: a map per row cost ~2 CPU-s on 2 M lines
            "vhost": f"{m}.bucket",
            "host_header": f"nullif(nullif(split_part({m}.extra, ' ', 6), '-'), '')",
            "time_text": f"{m}.time",
            "ts_local": f"try_strptime(split_part({m}.time, ' ', 1), '%d/%b/%Y:%H:%M:%S')",
            "utc_offset_min": offset_minutes_sql(tz),
            "request_text": f"{m}.uri",
            "method": (f"CASE WHEN regexp_matches({m}.operation, {sql_literal(OBJECT_VERB_RE)}) "
                       f"THEN regexp_extract({m}.operation, {sql_literal(OBJECT_VERB_RE)}, 1) "
                       f"ELSE {m}.operation END"),
            "path_raw": (f"CASE WHEN {m}.key NOT IN ('-', '') THEN '/' || {m}.key "
                         f"ELSE nullif(split_part({m}.req.uri, '?', 1), '') END"),
            "query_raw": f"CASE WHEN strpos({m}.req.uri, '?') > 0 THEN substr({m}.req.uri, strpos({m}.req.uri, '?') + 1) END",
            "protocol": f"{m}.req.protocol",
            "status": f"{m}.status",
            "bytes": f"{m}.bytes_sent",
            "object_size": f"{m}.object_size",
            "duration_ms": f"{m}.total_time",
            "referer": f"{m}.referer",
            "user_agent": f"{m}.agent",
            "request_id": f"{m}.request_id",
        }
        fields["ts_local"] = f"CASE WHEN ({fields['utc_offset_min']}) IS NOT NULL THEN {fields['ts_local']} END"
        return fields


S3 = S3Format(
    name="s3",
    extras=("vhost", "object_size", "duration_ms", "extra", "host_header", "request_id"),
    family="s3",
    description="Amazon S3 server access log",
    example=('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-bucket '
             '[08/Jun/2020:12:12:18 +0000] 198.51.100.7 - 3E57427F3EXAMPLE REST.GET.OBJECT docs/x.xlsx '
             '"GET /docs/x.xlsx HTTP/1.1" 200 - 18412 18412 70 10 "-" "Mozilla/5.0 (X11)" - '
             'AIDAJDPLRKLG7UEXAMPLE SigV4 ECDHE-RSA-AES128-GCM-SHA256 - example-bucket.s3.amazonaws.com TLSv1.2'),
    time_meaning="S3 time: when the request was received (UTC, offset as written)",
    bytes_meaning="body",
    bytes_field="bytes_sent",
    bytes_dash_zero=True,  # "The number of response bytes sent ... or - if zero" (AWS)
    exact_length_field="object_size",
    has_offset=True,
    lacks=(),
    detect_regex=LINE_RE,
)

FORMATS = [S3]
