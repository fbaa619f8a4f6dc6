"""AWS Elastic Load Balancing access logs: Application Load Balancer (ALB) and Classic Load Balancer (ELB).

ALB: `type time elb client:port target:port request_processing_time target_processing_time
response_processing_time elb_status_code target_status_code received_bytes sent_bytes "request" "user_agent"
ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" ...` (newer fields appended). Classic ELB
is the same without the leading type and ends after ssl_protocol. Times are ISO 8601 UTC: when the load
balancer sent the response (ALB) or received the request (classic). The request is in absolute form
(`GET https://host:443/path?q HTTP/1.1`): the shared stage takes its host as the virtual host (the port goes
to `extra` as url_port; ALB's domain_name, the TLS SNI name, stands in only without one) and its path and
query as the target. The client port is stripped. A `"` inside the request or user agent is written `\\x22`
(seen in ALB logs as AWS writes them: DataBiosphere/azul#4920): `\\xHH` escapes are decoded (escapes.HEX),
no other backslash sequence is.
`elb_status_code` is the status the client got.

Bytes: ALB `sent_bytes` includes the response headers (AWS: "For HTTP requests, this includes the headers"),
so ALB is a 'headers+body' format judged by the complete-transfer band; classic ELB `sent_bytes` is the body.

A line for a TCP/SSL listener (request `"- - - "`, statuses `-`) records a connection, not an HTTP request:
it is skipped with kind 'tcp connection' (nothing is lost: the line stays in the file, counted as skipped). So
are a Network Load Balancer's TLS lines and ALB connection-log lines in the same file (NLB_TLS_RE,
CONNECTION_LOG_RE): connections, with no request to read.
"""

from __future__ import annotations

from typing import Any

from .base import GLUED_REASON, LogFormat, regex_line_sql, sql_literal
from .escapes import HEX

QUOTED = r'"((?:[^"\\]|\\.)*)"'
LINE_RE = (
    r"^(?:(https?|h2|grpcs|ws|wss) )?"  # type (ALB only)
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z) (\S+) (\S+) (\S+) "  # time elb client:port target:port
    r"(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) "  # 3 processing times, elb/target status, received, sent
    + QUOTED + "(?: " + QUOTED + r")?(?: (\S+) (\S+))?(?: (.*))?$"  # "request" "agent" cipher protocol rest
    # (ELB logs before 2015 end after the request)
)
LINE_GROUPS = ["type", "time", "elb", "client", "target", "t_req", "t_target", "t_resp", "status",
               "target_status", "received", "sent", "request", "agent", "cipher", "tls", "extra"]
# the optional "domain_name" after "trace_id" (ALB): the host the client asked for (SNI)
DOMAIN_RE = r'^\S+ "[^"]*" "([^"]*)"'
# "trace_id" after the target group's ARN (ALB): X-Amzn-Trace-Id, one per request (its request_id)
TRACE_RE = r'^\S+ "([^"]*)"'
# Lines of other AWS load-balancer logs found beside ALB lines (plaso's and elastic/integrations' fixtures mix them):
# connections, not HTTP requests. A Network Load Balancer TLS listener line (`tls 2.0 time net/... listener
# client:port dest:port ...`) and an ALB connection-log line (`time client_ip client_port listener_port
# tls_protocol tls_cipher handshake_latency "leaf cert subject" ...`, mutual TLS, 2024).
NLB_TLS_RE = r"^tls [0-9.]+ [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+ net/\S+ \S+ \S+ \S+ "
CONNECTION_LOG_RE = r'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z [0-9A-Fa-f.:]+ [0-9]+ [0-9]+ \S+ \S+ \S+ (?:"|- )'

# A line's start (`time elb client:port `: classic ELB's first fields, ALB's after its type) outside the quoted
# values, counted: a line holding two is two lines written without a newline between them (the second read as the
# first's trailing fields, its request lost). Quoted values (the request, the agent: a client writes them) are
# blanked first, so an agent quoting a line's start stays a request; ALB's request_creation_time is followed by a
# quoted value, never by `elb client:port`.
GLUED_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \S+ \S+:[0-9]+ "
_UNQUOTED = "regexp_replace(text, '\"(?:[^\"\\\\]|\\\\.)*\"', '\"\"', 'g')"
GLUED_SQL = f"(len(regexp_extract_all({_UNQUOTED}, {sql_literal(GLUED_RE)})) > 1)"


class ElbFormat(LogFormat):
    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        m = "m"
        client = (f"CASE WHEN {m}.client = '-' THEN '-' "
                  f"ELSE trim(regexp_replace({m}.client, ':[0-9]+$', ''), '[]') END")
        fields = {
            "ok": f"{m}.time <> '' AND NOT {GLUED_SQL}",
            "reject_reason": f"CASE WHEN {GLUED_SQL} THEN {sql_literal(GLUED_REASON)} END",
            "skip_kind": (f"CASE WHEN {m}.time <> '' AND trim({m}.request) = '- - -' THEN 'tcp connection' "
                          f"WHEN {m}.time = '' AND regexp_matches(text, {sql_literal(NLB_TLS_RE)}) "
                          "THEN 'tls connection (network load balancer)' "
                          f"WHEN {m}.time = '' AND regexp_matches(text, {sql_literal(CONNECTION_LOG_RE)}) "
                          "THEN 'connection log (client TLS handshake)' END"),
            "client": client,
            "vhost": f"nullif(regexp_extract({m}.extra, {sql_literal(DOMAIN_RE)}, 1), '-')",
            "time_text": f"{m}.time",
            "ts_utc": f"try_strptime({m}.time, '%Y-%m-%dT%H:%M:%S.%fZ')",
            "utc_offset_min": "0",
            "request_text": f"{m}.request",
            "method": f"{m}.req.method",
            "uri": f"{m}.req.uri",
            "protocol": f"{m}.req.protocol",
            "status": f"{m}.status",
            "bytes": f"{m}.sent",
            "duration_ms": (f"CASE WHEN {m}.t_target NOT IN ('-', '-1') "
                            f"THEN (try_cast({m}.t_target AS DOUBLE) * 1000)::VARCHAR END"),
            "user_agent": f"{m}.agent",
            "request_id": f"nullif(regexp_extract({m}.extra, {sql_literal(TRACE_RE)}, 1), '-')",
        }
        return regex_line_sql(source, LINE_RE, LINE_GROUPS, fields, 'p.request')


ALB = ElbFormat(
    name="alb",
    extras=("vhost", "duration_ms", "request_id"),
    escapes=HEX,
    family="elb",
    description="AWS Application Load Balancer access log",
    example=('https 2020-06-08T12:12:18.123456Z app/my-alb/50dc6c495c0c9188 198.51.100.7:50123 10.0.0.1:80 '
             '0.001 0.042 0.000 200 200 180 18712 "GET https://www.example.nl:443/docs/x.xlsx HTTP/1.1" '
             '"Mozilla/5.0 (X11)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
             'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 '
             '"Root=1-58337262-36d228ad5d99923122bbe354" "www.example.nl" "-" 0 2020-06-08T12:12:18.080000Z '
             '"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"'),
    time_meaning="ALB time: UTC, when the load balancer generated the response",
    bytes_meaning="headers+body",
    bytes_field="sent_bytes",
    has_offset=True,
    lacks=("the object's length (sent_bytes includes headers: the complete-transfer band is inferred)",
           "whether the transfer completed", "byte offsets of range responses"),
    detect_regex=r"^(?:https?|h2|grpcs|ws|wss) [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \S+ \S+ \S+ ",
)
ELB = ElbFormat(
    name="elb",
    extras=("vhost", "duration_ms"),
    escapes=HEX,
    family="elb",
    description="AWS Classic Load Balancer (ELB) access log",
    example=('2020-06-08T12:12:18.123456Z my-loadbalancer 198.51.100.7:50123 10.0.0.1:80 0.000086 0.001048 '
             '0.001337 200 200 0 18412 "GET https://www.example.nl:443/docs/x.xlsx HTTP/1.1" '
             '"Mozilla/5.0 (X11)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2'),
    time_meaning="Classic ELB time: UTC, when the load balancer received the request from the client",
    bytes_meaning="body",
    bytes_field="sent_bytes",
    has_offset=True,
    lacks=("whether the transfer completed", "byte offsets of range responses"),
    detect_regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ ",
)

FORMATS = [ALB, ELB]
