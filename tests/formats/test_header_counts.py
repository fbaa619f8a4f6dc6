"""Byte counts that include the response headers, judged against a given size (`--size`): a count at (or below)
the body size cannot be a complete copy, since a response's headers are never 0 bytes.

Each server writes its count with the headers: CloudFront `sc-bytes` ("the total number of bytes that the server
sent to the viewer in response to the request, including headers": AWS CloudFront Developer Guide, "Standard
logging reference", whose example line logs sc-bytes 392 for an sc-content-len of 78, 314 bytes of headers), IIS
`sc-bytes` (Microsoft "Configure Logging in IIS": bytes sent by the server, headers included), ALB `sent_bytes`
(AWS "Access logs for your Application Load Balancer": "the size of the response, in bytes, sent to the client",
headers included) and nginx `$bytes_sent` (ngx_http_log_module: "the number of bytes sent to a client", against
`$body_bytes_sent` "not counting the response header"). Lines written in each server's documented layout.

Before: with `--size` a 200 whose count equalled the size (a transfer cut off 314 bytes before the end of the
body) was complete, and a range group whose parts summed to the size was undetermined; without `--size` the same
200 was partial.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.cloudfront import STANDARD_FIELDS
from exposure.ingest import IngestOptions
from tests.servers import accounted, analyse

SIZE = 18412
HEAD = 314  # the header bytes of the CloudFront documentation's example response
TARGET = "/docs/leak.xlsx"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
CF24 = STANDARD_FIELDS[:24]  # the layout before December 2019: no sc-content-len, no range offsets

# (minute, client, method, status, count): a full copy, one cut off by exactly its headers, a range group whose
# two parts sum to the body size (each part has headers, so its body is short), HEAD, 304 and the closing 404
ROWS = [(0, "198.51.100.1", "GET", 200, SIZE + HEAD), (1, "198.51.100.2", "GET", 200, SIZE),
        (2, "198.51.100.3", "GET", 206, 10000 + HEAD), (3, "198.51.100.3", "GET", 206, SIZE - 10000 - HEAD),
        (4, "198.51.100.4", "HEAD", 200, HEAD), (5, "198.51.100.5", "GET", 304, 220),
        (50, "198.51.100.9", "GET", 404, 560)]


def _cloudfront(fields: list[str], with_length: bool) -> str:
    out = ["#Version: 1.0", "#Fields: " + " ".join(fields)]
    for minute, ip, method, status, count in ROWS:
        values = dict.fromkeys(STANDARD_FIELDS, "-")
        values.update({"date": "2020-06-08", "time": f"09:{minute:02d}:00", "x-edge-location": "AMS50-C1",
                       "sc-bytes": str(count), "c-ip": ip, "cs-method": method, "cs(host)": "d111111abcdef8.cloudfront.net",
                       "cs-uri-stem": TARGET, "sc-status": str(status), "cs(user-agent)": UA.replace(" ", "%20"),
                       "x-edge-result-type": "Hit", "x-edge-request-id": f"id{minute}==",
                       "x-host-header": "www.example.nl", "cs-protocol": "https", "cs-bytes": "180",
                       "time-taken": "0.042", "ssl-protocol": "TLSv1.2", "ssl-cipher": "ECDHE-RSA-AES128-GCM-SHA256",
                       "x-edge-response-result-type": "Hit", "cs-protocol-version": "HTTP/1.1",
                       "c-port": "51234", "time-to-first-byte": "0.001", "x-edge-detailed-result-type": "Hit",
                       "sc-content-type": "application/vnd.ms-excel"})
        if with_length and status == 200:
            values["sc-content-len"] = str(SIZE)
        out.append("\t".join(values[f] for f in fields))
    return "\n".join(out) + "\n"


def _iis() -> str:
    head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 09:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n")
    return head + "".join(f"2020-06-08 09:{minute:02d}:00 10.0.0.5 {method} {TARGET} - 443 - {ip} "
                          f"{UA.replace(' ', '+')} - {status} 0 0 {count} 31\n"
                          for minute, ip, method, status, count in ROWS)


def _alb() -> str:
    return "".join(
        f"https 2020-06-08T09:{minute:02d}:00.123456Z app/my-alb/50dc6c495c0c9188 {ip}:50123 10.0.0.1:80 0.001 "
        f'0.042 0.000 {status} {status} 180 {count} "{method} https://www.example.nl:443{TARGET} HTTP/1.1" "{UA}" '
        "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/"
        '73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "www.example.nl" "-" 0 '
        f'2020-06-08T09:{minute:02d}:00.080000Z "forward" "-" "-" "10.0.0.1:80" "{status}" "-" "-"\n'
        for minute, ip, method, status, count in ROWS)


NGINX_FORMAT = '$remote_addr - $remote_user [$time_local] "$request" $status $bytes_sent "$http_referer" "$http_user_agent"'


def _nginx() -> str:
    return "".join(f'{ip} - - [08/Jun/2020:11:{minute:02d}:00 +0200] "{method} {TARGET} HTTP/1.1" {status} {count} '
                   f'"-" "{UA}"\n' for minute, ip, method, status, count in ROWS)


@pytest.mark.parametrize(("name", "text", "options", "fmt"), [
    pytest.param("E2EXAMPLE.2020-06-08-09.abcd1234", _cloudfront(CF24, False), (), "cloudfront", id="cloudfront-24"),
    pytest.param("E2EXAMPLE.2020-06-08-09.abcd1234", _cloudfront(STANDARD_FIELDS, True), (), "cloudfront",
                 id="cloudfront-33"),
    pytest.param("u_ex200608.log", _iis(), (), "iis", id="iis-sc-bytes"),
    pytest.param("123456789012_elasticloadbalancing_eu-west-1_app.my-alb.50dc6c495c0c9188_20200608T0900Z_"
                 "10.0.0.1_abc.log", _alb(), (), "alb", id="alb"),
    pytest.param("access.log", _nginx(), ("--nginx-log-format", NGINX_FORMAT), "nginx-custom", id="nginx-bytes-sent"),
])
def test_a_count_with_headers_at_the_given_size_is_not_complete(tmp_path: Path, name: str, text: str,
                                                                 options: tuple[str, ...], fmt: str) -> None:
    ingest = IngestOptions(nginx_log_format=NGINX_FORMAT) if options else None
    answer = analyse(tmp_path, name, text, TARGET, *options, ingest=ingest, size=SIZE)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [ev] = answer.cli["evidence"]
    assert (ev["format"], ev["rejected"], ev["bytes_meaning"]) == (fmt, 0, "headers+body")
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.3", "partial")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"],
            answer.totals["undetermined_downloads"]) == (1, 2, 0)


@pytest.mark.parametrize(("name", "text"), [
    pytest.param("E2EXAMPLE.2020-06-08-09.abcd1234", _cloudfront(STANDARD_FIELDS, True), id="cloudfront-33"),
    pytest.param("u_ex200608.log", _iis(), id="iis-sc-bytes"),
])
def test_portable_sql_judges_counts_with_headers_as_the_case_does(tmp_path: Path, name: str, text: str) -> None:
    """The portable dialect (Spark) gives the case's downloads on the same lines and the same given size."""
    from exposure import AnalysisOptions, Case
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / name).write_text(text)
    options = AnalysisOptions(geoip_city="none", size=SIZE)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        expected = case_rows(case, options, TARGET)
        export_parquet(case.file, tmp_path / "parquet")
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", TARGET, options))
    assert_same(expected, got, "duckdb")
    assert [d["outcome"] for d in got["downloads"]] == ["complete", "partial", "partial"]
