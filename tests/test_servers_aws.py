"""AWS as it logs by default: S3 server access logs (every field up to today's trailing Access Point ARN,
aclRequired and source region; `-` for no bytes; Bytes Sent of a range is the part, Object Size the object),
Application Load Balancer logs (up to the 2024 `conn_trace_id`; `sent_bytes` with headers) and classic ELB
logs (`sent_bytes` the body). Lines written from the AWS documentation's field lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse

SIZE = 18412
TARGET = "/docs/leak.xlsx"
UA = "Mozilla/5.0 (X11; Linux x86_64)"
OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
HOST_ID = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="


def _s3(time: str, ip: str, operation: str, key: str, request: str, status: int, error: str, sent: int | str,
        size: int | str, tail: str) -> str:
    return (f'{OWNER} leak-bucket [08/Jun/2020:{time} +0000] {ip} - 3E57427F3EXAMPLE {operation} {key} "{request}" '
            f'{status} {error} {sent} {size} 40 10 "-" "{UA}" - {HOST_ID} SigV4 ECDHE-RSA-AES128-GCM-SHA256 '
            f"AuthHeader leak-bucket.s3.eu-west-1.amazonaws.com TLSv1.2{tail}")


@pytest.mark.parametrize("tail", [
    pytest.param("", id="2019-fields"),
    pytest.param(" -", id="access-point-arn"),
    pytest.param(" - Yes eu-west-1", id="aclRequired-source-region"),
])
def test_s3_server_access_log(tmp_path: Path, tail: str) -> None:
    rows = [
        _s3("09:00:00", "198.51.100.1", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 200, "-",
            SIZE, SIZE, tail),
        _s3("09:01:00", "198.51.100.2", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET}?x-id=GetObject HTTP/1.1",
            200, "-", 4096, SIZE, tail),
        _s3("09:02:00", "198.51.100.3", "REST.HEAD.OBJECT", "docs/leak.xlsx", f"HEAD {TARGET} HTTP/1.1", 200, "-",
            "-", SIZE, tail),
        _s3("09:03:00", "198.51.100.4", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 304, "-",
            "-", SIZE, tail),
        _s3("09:04:00", "198.51.100.5", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 206, "-",
            10000, SIZE, tail),
        _s3("09:05:00", "198.51.100.5", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 206, "-",
            SIZE - 10000, SIZE, tail),
        # path-style request: the key, not the request line, is the object
        _s3("09:06:00", "198.51.100.6", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET /leak-bucket{TARGET} HTTP/1.1",
            200, "-", SIZE, SIZE, tail),
        _s3("10:00:00", "198.51.100.8", "REST.GET.OBJECT", "docs/leak.xlsx", f"GET {TARGET} HTTP/1.1", 404,
            "NoSuchKey", 300, "-", tail),
    ]
    answer = analyse(tmp_path, "2020-06-08-09-00-00-ABCDEF0123456789", "\n".join(rows) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["rejected"], ev["bytes_meaning"], ev["exact_length_field"]) == (
        "s3", 0, "body", "object_size")
    second = answer.rows[1]
    assert (second["ts_utc"].isoformat(), second["utc_offset_min"], second["client"], second["vhost"],
            second["path"], second["query"], second["status"], second["bytes"], second["object_size"],
            second["user_agent"]) == (
        "2020-06-08T09:01:00+00:00", 0, "198.51.100.2", "leak-bucket", TARGET,
        "x-id=GetObject", 200, 4096, SIZE, UA)
    assert [r["bytes"] for r in answer.rows] == [SIZE, 4096, None, None, 10000, SIZE - 10000, SIZE, 300]
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.5", "complete"),
                ("198.51.100.6", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert (answer.totals["head_requests"], answer.totals["not_modified"]) == (1, 1)


TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067"


def _alb(time: str, ip: str, method: str, elb: int, target: int | str, sent: int, tail: str) -> str:
    return (f"https 2020-06-08T{time}.123456Z app/my-alb/50dc6c495c0c9188 {ip}:50123 10.0.0.1:80 0.001 0.042 0.000 "
            f'{elb} {target} 180 {sent} "{method} https://www.example.nl:443{TARGET} HTTP/1.1" "{UA}" '
            f'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "Root=1-58337262-36d228ad5d99923122bbe354" "www.example.nl" '
            f'"arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 '
            f'2020-06-08T{time}.080000Z "forward" "-" "-" "10.0.0.1:80" "{target}"{tail}')


@pytest.mark.parametrize("tail", [
    pytest.param("", id="2018-fields"),
    pytest.param(' "-" "-"', id="classification"),
    pytest.param(' "-" "-" TID_1234abcd', id="conn-trace-id"),
])
def test_alb_access_log(tmp_path: Path, tail: str) -> None:
    """sent_bytes include the headers: the complete-transfer band decides; 460 (client closed the connection
    before the load balancer answered) is no download."""
    rows = [_alb("09:00:00", "198.51.100.1", "GET", 200, 200, SIZE + 310, tail),
            _alb("09:01:00", "198.51.100.2", "GET", 200, 200, SIZE + 320, tail),
            _alb("09:02:00", "198.51.100.3", "GET", 200, 200, SIZE + 330, tail),
            _alb("09:03:00", "198.51.100.4", "GET", 460, "-", 0, tail),
            _alb("09:04:00", "198.51.100.5", "GET", 200, 200, 4000, tail),
            _alb("09:05:00", "198.51.100.6", "HEAD", 200, 200, 310, tail),
            _alb("10:00:00", "198.51.100.8", "GET", 404, 404, 500, tail)]
    answer = analyse(tmp_path, "123456789012_elasticloadbalancing_eu-west-1_app.my-alb.50dc6c495c0c9188_"
                               "20200608T0900Z_10.0.0.1_abc.log", "\n".join(rows) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["rejected"], ev["bytes_meaning"]) == ("alb", 0, "headers+body")
    first = answer.rows[0]
    assert (first["ts_utc"].isoformat(), first["client"], first["vhost"], first["path"], first["status"],
            first["bytes"], first["user_agent"]) == (
        "2020-06-08T09:00:00.123456+00:00", "198.51.100.1", "www.example.nl", TARGET, 200, SIZE + 310, UA)
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
                ("198.51.100.5", "partial")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert answer.target["windows"][0]["size_rule"] == "band"


def test_classic_elb_access_log(tmp_path: Path) -> None:
    """Classic ELB: sent_bytes is the body; a request no back end answered logs `-` and -1 times."""
    def elb(time: str, ip: str, status: int, backend: int | str, sent: int) -> str:
        return (f"2020-06-08T{time}.123456Z my-loadbalancer {ip}:50123 10.0.0.1:80 0.000086 0.001048 0.001337 "
                f'{status} {backend} 0 {sent} "GET https://www.example.nl:443{TARGET} HTTP/1.1" "{UA}" '
                "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2")
    rows = [elb("09:00:00", "198.51.100.1", 200, 200, SIZE), elb("09:01:00", "198.51.100.2", 200, 200, 4000),
            f'2020-06-08T09:02:00.123456Z my-loadbalancer 198.51.100.9:50123 - -1 -1 -1 503 0 0 0 '
            f'"GET https://www.example.nl:443{TARGET} HTTP/1.1" "{UA}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2',
            elb("09:03:00", "198.51.100.3", 200, 200, SIZE), elb("10:00:00", "198.51.100.8", 404, 404, 500)]
    answer = analyse(tmp_path, "123456789012_elasticloadbalancing_eu-west-1_my-loadbalancer_20200608T0900Z_"
                               "10.0.0.1_abc.log", "\n".join(rows) + "\n", TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["rejected"], ev["bytes_meaning"]) == ("elb", 0, "body")
    assert [r["status"] for r in answer.rows] == [200, 200, 503, 200, 404]
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.3", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
