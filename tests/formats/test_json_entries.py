"""JSON lines: which entries are requests (the shipper's logger name, else the shape), address lists where an
address should be, container log prefixes.

Real lines: Caddy 2 under docker compose (lnav test/logfile_caddy_log.0: `caddy  | {...}` with loggers admin,
http, http.log, tls, http.log.access), Caddy's access entry at level error for a 404 (the shape its
`http.log.access` logger writes: caddyserver.com/docs/logging), Traefik's access log with a proxied ClientHost.
"""

from __future__ import annotations

from exposure.formats.jsonl import JSON_LINES

from .parse_lines import parse_lines

CADDY = [
    'caddy  | {"level":"info","ts":1761019822.316192,"logger":"admin","msg":"admin endpoint started",'
    '"address":"localhost:2019","enforce_origin":false,"origins":["//[::1]:2019"]}',
    'caddy  | {"level":"info","ts":1761019822.3163323,"logger":"http.log","msg":"server running","name":"srv0",'
    '"protocols":["h1","h2","h3"]}',
    'caddy  | {"level":"info","ts":1761019822.3152757,"msg":"maxprocs: Leaving GOMAXPROCS=12: CPU quota undefined"}',
    'caddy  | {"level":"info","ts":1761019828.6153953,"logger":"http.log.access","msg":"handled request","request":'
    '{"remote_ip":"172.19.0.1","remote_port":"46628","client_ip":"172.19.0.1","proto":"HTTP/1.1","method":"GET",'
    '"host":"localhost","uri":"/","headers":{"User-Agent":["Mozilla/5.0"]}},"bytes_read":0,"user_id":"",'
    '"duration":0.0005,"size":0,"status":304}',
    '{"level":"error","ts":1761019830.1,"logger":"http.log.access.log0","msg":"handled request","request":'
    '{"remote_ip":"172.19.0.1","client_ip":"172.19.0.1","proto":"HTTP/1.1","method":"GET","host":"localhost",'
    '"uri":"/missing.xlsx"},"size":0,"status":404}',
    '{"level":"error","ts":1761019830.2,"logger":"http.log.error","msg":"no such file","request":'
    '{"remote_ip":"172.19.0.1","method":"GET","uri":"/missing.xlsx"},"status":404}',
]


def test_caddy_access_entries_are_requests_whatever_their_level() -> None:
    rows = parse_lines(JSON_LINES, CADDY)
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("skipped", "not an access entry (logger admin)"), ("skipped", "not an access entry (logger http.log)"),
        ("skipped", "not an access entry (no request fields)"), ("request", None), ("request", None),
        ("skipped", "not an access entry (logger http.log.error)")]
    assert (rows[3]["extra"], rows[3]["status"], rows[4]["status"], rows[4]["path"]) == (
        {"log_prefix": "caddy  |"}, 304, 404, "/missing.xlsx")


def test_traefik_client_list_and_shipper_address_lists() -> None:
    rows = parse_lines(JSON_LINES, [
        '{"ClientHost":"203.0.113.9, 10.0.0.5","RequestMethod":"GET","RequestPath":"/a.xlsx","DownstreamStatus":200,'
        '"StartUTC":"2020-06-08T12:12:18Z"}',
        '{"client":"198.51.100.7,10.0.0.6","method":"GET","path":"/a.xlsx","status":200,"timestamp":1591618338}',
    ], client_ip_from="xff", trusted=("10.0.0.0/8",))
    assert [(r["client"], r["peer"], r["xff"]) for r in rows] == [
        ("203.0.113.9", "10.0.0.5", "203.0.113.9"), ("198.51.100.7", "10.0.0.6", "198.51.100.7")]
    without = parse_lines(JSON_LINES, ['{"ClientHost":"203.0.113.9, 10.0.0.5","RequestMethod":"GET",'
                                       '"RequestPath":"/a.xlsx","DownstreamStatus":200,"StartUTC":"2020-06-08T12:12:18Z"}'])
    assert (without[0]["client"], without[0]["xff"]) == ("10.0.0.5", "203.0.113.9")  # the connecting address
