"""Hosts from wherever the log records them, and `--target https://host/path` selecting by them.

Real lines: the AWS documentation's ALB example entries (docs.aws.amazon.com elasticloadbalancing
load-balancer-access-logs: `http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188
192.168.131.39:2817 10.0.0.1:80 ... "GET http://www.example.com:80/ HTTP/1.1" ...`), Caddy's access entries
(lnav test/logfile_caddy_log.1: a Host header with its port, `mirrors.tnonline.net:400`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.formats.alb import ALB
from exposure.formats.clf import COMBINED
from exposure.formats.custom import custom_format
from exposure.formats.jsonl import JSON_LINES
from exposure.ingest import IngestOptions

from ..conftest import write_log
from .parse_lines import parse_lines

AWS_DOC_ALB = ('http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 '
               '10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" '
               '"curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/'
               '73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z '
               '"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"')


@pytest.mark.parametrize(("fmt", "line", "vhost", "extra"), [
    pytest.param(ALB, AWS_DOC_ALB, "www.example.com", {"url_port": "80"}, id="alb-absolute-url"),
    pytest.param(COMBINED, '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET http://[2001:db8::1]:8080/a HTTP/1.1" '
                           '200 1 "-" "x"', "2001:db8::1", {"url_port": "8080"}, id="proxy-ipv6-authority"),
    pytest.param(COMBINED, '192.0.2.7 - - [08/Jun/2020:14:12:18 +0200] "GET https://user:pw@Files.Example.NL/a '
                           'HTTP/1.1" 200 1 "-" "x"', "Files.Example.NL", None, id="userinfo-dropped"),
    pytest.param(custom_format({"nginx_log_format": '$remote_addr [$time_local] "$request" $status $http_host'}),
                 '192.0.2.7 [08/Jun/2020:14:12:18 +0200] "GET /a HTTP/1.1" 200 files.example.nl:8443',
                 "files.example.nl:8443", None, id="host-header-as-sent"),
    pytest.param(JSON_LINES, '{"ts":1716723772.6,"logger":"http.log.access.log17","request":{"remote_ip":"10.5.1.1",'
                             '"client_ip":"10.10.10.117","method":"GET","host":"mirrors.tnonline.net:400","uri":"/a"},'
                             '"status":200,"size":3768}', "mirrors.tnonline.net:400", None, id="caddy-host"),
])
def test_host_lands_in_vhost(fmt, line: str, vhost: str, extra: dict | None) -> None:
    row = parse_lines(fmt, [line])[0]
    assert row["verdict"] == "request", row["reason"]
    assert (row["vhost"], row["extra"]) == (vhost, extra)


def test_target_url_selects_by_host_port_and_case(tmp_path: Path) -> None:
    head = '{} - - [08/Jun/2020:14:1{}:18 +0200] "GET {} HTTP/1.1" 200 100 "-" "x" "{}"'
    log = write_log(tmp_path / "access.log", [
        head.format("192.0.2.7", 1, "http://Files.Example.NL:8080/lijst-\\xC3\\xAB.xlsx", "-"),  # absolute target
        head.format("192.0.2.8", 2, "http://other.example.nl/lijst-\\xC3\\xAB.xlsx", "-"),
        head.format("192.0.2.9", 3, "/lijst-%C3%AB.xlsx", "-"),  # no host: may be any host
        head.format("192.0.2.10", 4, "/lijst-%C3%AB.xlsx", "files.example.nl:8443"),  # Host header with its port
        head.format("192.0.2.11", 5, "/lijst-%C3%AB.xlsx", "FILES.example.nl."),  # trailing dot, other case
        head.format("192.0.2.12", 6, "/lijst-%C3%AB.xlsx", "other.example.nl:443"),
    ])
    directive = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" ' \
                '"$http_user_agent" "$http_host"'
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([log], IngestOptions(nginx_log_format=directive))
        answer = case.analyse(["https://files.example.nl./lijst-%C3%AB.xlsx"], AnalysisOptions(geoip_city="none"))
    ips = sorted(p["client_ip"] for p in answer["targets"][0]["per_ip"])
    assert ips == ["192.0.2.10", "192.0.2.11", "192.0.2.7", "192.0.2.9"]
