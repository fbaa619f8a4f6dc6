"""Two lines written without a newline between them, read through --log-format, --nginx-log-format, ALB and classic
ELB: one request with the first line's time and the second's status and bytes, the second request lost without a
word (red team 17 review, t3/plain with --log-format, t4/alb, t4/elb). Rejected with base.GLUED_REASON, the one rule
of each layout family (clf.GLUED_START_RE for CLF-like directives, alb.GLUED_RE for the load balancers)."""

from __future__ import annotations

import pytest

from exposure.formats.alb import ALB, ELB
from exposure.formats.base import GLUED_REASON
from exposure.formats.custom import custom_format

from .parse_lines import parse_lines

CLF = '{ip} - - [08/Jun/2020:10:{m:02d}:00 +0000] "GET /docs/x.xlsx HTTP/1.1" 200 50000 "-" "curl/7"'
APACHE = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
NGINX = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'


@pytest.mark.parametrize("settings", [{"log_format": APACHE}, {"nginx_log_format": NGINX}], ids=["apache", "nginx"])
def test_a_directive_layout_rejects_two_lines_glued(settings: dict[str, str]) -> None:
    a, b = CLF.format(ip="198.51.100.3", m=10), CLF.format(ip="198.51.100.4", m=15)
    named = CLF.format(ip="crawl-66-249-66-1.googlebot.com", m=15)
    rows = parse_lines(custom_format(settings), [a, a + b, a[:-4] + b, a + named])
    assert [(r["verdict"], r["reason"]) for r in rows] == [("request", None)] + [("rejected", GLUED_REASON)] * 3


@pytest.mark.parametrize("settings", [{"log_format": APACHE}, {"nginx_log_format": NGINX}], ids=["apache", "nginx"])
def test_a_directive_layout_keeps_a_hostile_agent_quoting_a_line(settings: dict[str, str]) -> None:
    a = CLF.format(ip="198.51.100.3", m=10)
    hostile = [a[:-1] + ' 1.2.3.4 - - [08/Jun/2020:10:04:00 +0000] \\"GET /x HTTP/1.1\\" 200 5"',
               a.replace('"-"', '"https://x/ 1.2.3.4 - - [08/Jun/2020:10:04:00 +0000] "')]
    rows = parse_lines(custom_format(settings), hostile)
    assert [r["verdict"] for r in rows] == ["request", "request"]


ALB_LINE = ('https 2020-06-08T10:{m:02d}:00.000000Z app/my-alb/50dc6c495c0c9188 {ip}:50123 10.0.0.1:80 0.001 0.042 '
            '0.000 200 200 180 50000 "GET https://www.example.nl:443/docs/x.xlsx HTTP/1.1" "{agent}" '
            'ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/7 '
            '"Root=1-5833" "www.example.nl" "-" 0 2020-06-08T10:{m:02d}:00.000000Z "forward" "-" "-" "10.0.0.1:80" '
            '"200" "-" "-"')
ELB_LINE = ('2020-06-08T10:{m:02d}:00.123456Z my-loadbalancer {ip}:50123 10.0.0.1:80 0.000086 0.001048 0.001337 200 '
            '200 0 50000 "GET https://www.example.nl:443/docs/x.xlsx HTTP/1.1" "{agent}" ECDHE-RSA-AES128-GCM-SHA256 '
            'TLSv1.2')


@pytest.mark.parametrize("fmt, line", [(ALB, ALB_LINE), (ELB, ELB_LINE)], ids=["alb", "elb"])
def test_a_load_balancer_line_glued_to_the_next_is_rejected(fmt: object, line: str) -> None:
    a, b = line.format(ip="198.51.100.3", m=10, agent="curl/7"), line.format(ip="198.51.100.4", m=15, agent="curl/7")
    # an agent quoting a line's start stays a request: quoted values are never searched
    hostile = line.format(ip="198.51.100.5", m=20, agent=b[:90])
    rows = parse_lines(fmt, [a, a + b, a[:-3] + b, hostile])
    assert [(r["verdict"], r["reason"]) for r in rows] == [
        ("request", None), ("rejected", GLUED_REASON), ("rejected", GLUED_REASON), ("request", None)]
