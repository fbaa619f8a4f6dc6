"""Access logs of servers the tool does not read (HAProxy, Envoy, Squid, Atlassian Jira/Confluence/Bitbucket, Bunny
CDN) are refused with what they look like:
the evidence is incomplete (exit 3), never "not a log" with an exit 0 answer that lacks their requests, and never
read as another format. Error logs, which quote request lines too, stay files that are no access log."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import analyse

SIZE = 18412
TARGET = "/docs/leak.xlsx"
COMBINED = (f'198.51.100.1 - - [08/Jun/2020:11:00:00 +0200] "GET {TARGET} HTTP/1.1" 200 {SIZE} "-" "curl/7.68.0"\n'
            f'198.51.100.2 - - [08/Jun/2020:12:00:00 +0200] "GET {TARGET} HTTP/1.1" 404 153 "-" "curl/7.68.0"\n')


def _haproxy() -> str:  # `option httplog` through syslog (the default), as /var/log/haproxy.log holds it
    return "".join(
        f"Jun  8 09:0{n}:00 lb1 haproxy[14389]: 198.51.100.{n}:3331{n} [08/Jun/2020:09:0{n}:00.655] https-in~ "
        f'web/srv1 10/0/30/69/109 200 {SIZE + 300} - - ---- 1/1/1/1/0 0/0 "GET {TARGET} HTTP/1.1"\n' for n in range(1, 5))


def _envoy() -> str:
    return "".join(f'[2020-06-08T09:0{n}:00.310Z] "GET {TARGET} HTTP/1.1" 200 - 0 {SIZE} 22 20 "198.51.100.{n}" '
                   f'"Mozilla/5.0" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd{n}" "www.example.nl" "10.0.2.1:80"\n'
                   for n in range(1, 5))


def _squid() -> str:
    return "".join(f"15916068{n}0.123    180 198.51.100.{n} TCP_MISS/200 {SIZE + 300} GET "
                   f"http://www.example.nl{TARGET} - HIER_DIRECT/192.0.2.10 application/vnd.ms-excel\n"
                   for n in range(1, 5))


def _atlassian() -> str:  # Jira/Confluence conf/server.xml AccessLogValve: request line unquoted, time in ms
    return "".join(f"[08/Jun/2020:11:0{n}:00 +0200] - http-nio-8080-exec-{n} 198.51.100.{n} GET "
                   f"/download/attachments/65538{TARGET} HTTP/1.1 200 31ms {SIZE} https://wiki.example.nl/ "
                   "Mozilla/5.0 (Windows NT 10.0; Win64; x64)\n" for n in range(1, 5))


def _atlassian_proxied() -> str:  # Jira 9.4+ / Confluence 7.11+: the X-Forwarded-For address before the user
    return "".join(f"[08/Jun/2020:11:0{n}:00 +0200] 198.51.100.{n} jdoe http-nio-8080-exec-{n} 10.0.0.5 GET "
                   f"/secure/attachment/10001{TARGET} HTTP/1.1 200 31ms {SIZE} - curl/7.85.0\n" for n in range(1, 5))


def _bitbucket() -> str:  # atlassian-bitbucket-access.log: pipe-separated, the request line quoted, then the agent
    return "".join(f'198.51.100.{n},10.0.0.5 | https | o@9K7Z3NNx6x311{n}x1 | - | 2020-06-08 09:0{n}:00,838 | '
                   f'"GET /projects/X/repos/y/raw{TARGET} HTTP/1.1" | "" "curl/7.85.0" | 200 | 13 | {SIZE} | '
                   f"- | 101 | tmpqqw |\n" for n in range(1, 5))


def _bunny() -> str:  # Bunny CDN raw log: cache status|status|epoch ms|bytes|pull zone|client|referer|URL|...
    return "".join(f"MISS|200|159160680{n}321|{SIZE}|1234567|198.51.100.{n}|-|https://cdn.example.nl{TARGET}|NL|"
                   f"Mozilla/5.0 (X11)|289735f336bd4fe775624ea7f6a4cc5{n}|NL\n" for n in range(1, 5))


def _custom_quoted() -> str:  # a site's own layout: time first, then the quoted request line and the status
    return "".join(f'2020-06-08T09:0{n}:00+00:00 198.51.100.{n} "GET {TARGET} HTTP/1.1" 200 {SIZE}\n'
                   for n in range(1, 5))


@pytest.mark.parametrize(("writer", "shape"), [
    pytest.param(_haproxy, "HAProxy HTTP log", id="haproxy"),
    pytest.param(_envoy, "Envoy access log", id="envoy"),
    pytest.param(_squid, "Squid native access log", id="squid"),
    pytest.param(_atlassian, "Atlassian access log (Jira, Confluence)", id="jira-confluence"),
    pytest.param(_atlassian_proxied, "Atlassian access log (Jira, Confluence)", id="jira-confluence-xff"),
    pytest.param(_bitbucket, "Atlassian Bitbucket access log", id="bitbucket"),
    pytest.param(_bunny, "Bunny CDN log", id="bunny"),
    pytest.param(_custom_quoted, "HTTP request lines with statuses in an unknown layout", id="unknown-layout"),
])
def test_unread_access_log_is_refused_and_the_answer_incomplete(tmp_path: Path, writer, shape: str) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "lb.log").write_text(writer())
    answer = analyse(tmp_path, "access.log", COMBINED, TARGET)
    assert answer.exit_code == 3, answer.output
    refused = [e for e in answer.cli["evidence"] if e["path"].endswith("lb.log")]
    assert [(e["verdict"], e["requests"]) for e in refused] == [("unreadable", None)]
    assert f"it looks like: {shape}" in refused[0]["read_errors"]
    assert answer.totals["complete_downloads"] == 1  # the log that was read still answers
    [finding] = [f for f in answer.cli["findings"] if f["path"] and f["path"].endswith("lb.log")]
    assert (finding["severity"], finding["kind"]) == ("incomplete", "unreadable")


@pytest.mark.parametrize("text", [
    pytest.param('2020/06/08 09:00:00 [error] 1234#1234: *5 open() "/var/www/docs/leak.xlsx" failed (2: No such file '
                 'or directory), client: 198.51.100.2, server: www.example.nl, request: "GET /docs/leak.xlsx HTTP/1.1",'
                 ' host: "www.example.nl"\n', id="nginx-error"),
    pytest.param("[Mon Jun 08 09:00:00.123456 2020] [core:info] [pid 1234] [client 198.51.100.2:51234] AH00128: "
                 "File does not exist: /var/www/docs/leak.xlsx\n", id="apache-error"),
    # Apache's stock ssl_request_log (RHEL ssl.conf: %t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x "%r" %b): a byte count
    # of three digits after the request line is no status
    pytest.param('[08/Jun/2020:14:12:19 +0200] 198.51.100.2 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 '
                 '"GET /favicon.ico HTTP/1.1" 318\n', id="apache-ssl-request-log"),
])
def test_error_logs_are_no_access_logs(tmp_path: Path, text: str) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "error.log").write_text(text * 3)
    answer = analyse(tmp_path, "access.log", COMBINED, TARGET)
    assert answer.exit_code == 0, answer.output
    assert [e["verdict"] for e in answer.cli["evidence"] if e["path"].endswith("error.log")] == ["not a log"]
