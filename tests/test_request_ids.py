"""A line is the same request as another file's line (an overlap, counted once) only where every field parsed from
it is the same: the id the server gives each request is one of them. Two CloudFront log files of one hour (each edge
host delivers its own) or two S3 log objects holding one line each, identical but for x-edge-request-id / the S3
request ID / the ALB trace id, are two requests: before, the second file's line was "a copy of a small file", counted once
(/tmp/redteam16/cfdup: 2 complete downloads of 3). The same id in both files is still a copy."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.servers import analyse

TARGET = "/docs/x.xlsx"
CF_HEAD = ("#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
           "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
           "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
           "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type "
           "sc-content-type sc-content-len sc-range-start sc-range-end\n")


def _cloudfront(request_id: str, client: str = "198.51.100.7", hour: str = "09", end: str = "\n") -> bytes:
    fields = ["2020-06-08", f"{hour}:00:00", "AMS1-C1", "18712", client, "GET", "d111111abcdef8.cloudfront.net", TARGET,
              "200", "-", "Mozilla/5.0%20(X11)", "-", "-", "Miss", request_id, "www.example.nl", "https", "180",
              "0.042", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Miss", "HTTP/2.0", "-", "-", "51234", "0.010",
              "Miss", "application/vnd.ms-excel", "18412", "-", "-"]
    return gzip.compress((CF_HEAD + "\t".join(fields) + end).encode(), mtime=0)


def _s3(request_id: str, client: str = "198.51.100.7", hour: str = "09", end: str = "\n") -> bytes:
    return (f"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be example-bucket "
            f"[08/Jun/2020:{hour}:00:00 +0000] {client} - {request_id} REST.GET.OBJECT docs/x.xlsx "
            f'"GET {TARGET} HTTP/1.1" 200 - 18412 18412 70 10 "-" "Mozilla/5.0 (X11)" - '
            "AIDAJDPLRKLG7UEXAMPLE SigV4 ECDHE-RSA-AES128-GCM-SHA256 - example-bucket.s3.amazonaws.com TLSv1.2"
            + end).encode()


def _alb(request_id: str, client: str = "198.51.100.7", hour: str = "09", end: str = "\n") -> bytes:
    return gzip.compress((f"https 2020-06-08T{hour}:00:00.123456Z app/my-alb/50dc6c495c0c9188 {client}:50123 "
                          f'10.0.0.1:80 0.001 0.042 0.000 200 200 180 18712 "GET https://www.example.nl:443{TARGET} '
                          'HTTP/1.1" "Mozilla/5.0 (X11)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 '
                          "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "
                          f'"Root=1-58337262-{request_id}" "www.example.nl" "-" 0 2020-06-08T{hour}:00:00.080000Z '
                          f'"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"{end}').encode(), mtime=0)


ALB_NAME = "123456789012_elasticloadbalancing_eu-west-1_app.my-alb.50dc6c495c0c9188_20200608T{}Z_10.0.0.{}_x{}.log.gz"
CASES = {  # name of file 1, 2 and 3 (another client an hour later), the writer
    "cloudfront": (("E2EXAMPLE.2020-06-08-09.aaaa1111.gz", "E2EXAMPLE.2020-06-08-09.bbbb2222.gz",
                    "E2EXAMPLE.2020-06-08-10.cccc3333.gz"), _cloudfront),
    "s3": (("2020-06-08-09-05-00-AAAA1111BBBB2222", "2020-06-08-09-06-00-CCCC3333DDDD4444",
            "2020-06-08-10-05-00-EEEE5555FFFF6666"), _s3),
    "alb": ((ALB_NAME.format("0905", 1, "a"), ALB_NAME.format("0905", 2, "b"), ALB_NAME.format("1005", 1, "c")), _alb),
}


def _answer(tmp_path: Path, kind: str, second_id: str):
    (one, two, three), write = CASES[kind]
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / one).write_bytes(write("3E57427F3EXAMPLE1"))
    (logs / three).write_bytes(write("3E57427F3EXAMPLE3", client="198.51.100.8", hour="10"))
    # the second file another copy of its bytes (CRLF line ends): never a duplicate by hash
    return analyse(tmp_path, two, write(second_id, end="\r\n"), TARGET)


@pytest.mark.parametrize("kind", ["cloudfront", "s3", "alb"])
def test_lines_whose_request_ids_differ_are_two_requests(tmp_path: Path, kind: str) -> None:
    answer = _answer(tmp_path, kind, "3E57427F3EXAMPLE2")
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (3, 2)
    assert not [f for f in answer.cli["findings"] if f["kind"] == "overlap"]
    assert len(answer.downloads) == 3  # the API door


@pytest.mark.parametrize("kind", ["cloudfront", "s3", "alb"])
def test_the_same_request_id_in_two_files_is_still_a_copy(tmp_path: Path, kind: str) -> None:
    answer = _answer(tmp_path, kind, "3E57427F3EXAMPLE1")
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 2
    assert [f["kind"] for f in answer.cli["findings"] if f["kind"] == "overlap"] == ["overlap"]


def _w3c_export(fields: list[str], rows: list[dict[str, str]]) -> bytes:
    lines = ["#Version: 1.0", "#Fields: " + " ".join(fields)] + ["\t".join(r[f] for f in fields) for r in rows]
    return gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)


def test_a_line_without_a_request_id_is_compared_on_its_other_fields(tmp_path: Path) -> None:
    # review of red team 16 (/tmp/review_redteam16/cf): the same 4 CloudFront lines in a log and in an export of it
    # whose #Fields lacks x-edge-request-id: a missing id was hashed as unlike any id, 8 downloads where 4, no
    # overlap. Ids are compared only where both lines have one.
    with_id = ["date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
               "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
               "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken"]
    rows = [{"date": "2020-06-08", "time": f"09:00:0{i}", "x-edge-location": "AMS1-C1", "sc-bytes": "18712",
             "c-ip": f"198.51.100.{i + 1}", "cs-method": "GET", "cs(Host)": "d111111abcdef8.cloudfront.net",
             "cs-uri-stem": TARGET, "sc-status": "200", "cs(Referer)": "-", "cs(User-Agent)": "Mozilla/5.0%20(X11)",
             "cs-uri-query": "-", "cs(Cookie)": "-", "x-edge-result-type": "Miss",
             "x-edge-request-id": f"REQID{i}{'x' * 40}==", "x-host-header": "www.example.nl", "cs-protocol": "https",
             "cs-bytes": "180", "time-taken": "0.042"} for i in range(4)]
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "E2EXAMPLE.2020-06-08-09.aaaa1111.gz").write_bytes(_w3c_export(with_id, rows))
    answer = analyse(tmp_path, "E2EXAMPLE.2020-06-08-09.aaaa1111.export.gz",
                     _w3c_export([f for f in with_id if f != "x-edge-request-id"], rows), TARGET)
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (4, 4)
    assert len(answer.downloads) == 4  # the API door
    [overlap] = [f for f in answer.cli["findings"] if f["kind"] == "overlap"]
    assert overlap["lines"] == 4, overlap


def test_the_request_id_comes_after_the_published_columns(tmp_path: Path) -> None:
    # the requests view and requests.csv keep the order of their columns before schema 17: the id is appended
    from exposure import Case
    from exposure.ingest import IngestOptions

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / CASES["cloudfront"][0][0]).write_bytes(_cloudfront("3E57427F3EXAMPLE1"))
    with Case(None) as case:
        case.ingest([tmp_path / "logs"], IngestOptions())
        columns = list(case.requests().columns)
    assert columns == ["evidence_path", "evidence_id", "line_no", "byte_offset", "ts_utc", "utc_offset_min", "ts_flag", "client",
                       "client_is_hostname", "peer", "ident", "userid", "vhost", "method", "path", "query", "protocol",
                       "status", "bytes", "object_size", "range_start", "range_end", "completion", "duration_ms",
                       "referer", "user_agent", "xff", "cache_result", "bad_utf8", "client_zone", "extra",
                       "host_header", "request_id"]


NGINX_ID = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
            '"$http_user_agent" $request_id')
APACHE_L = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %L'
APACHE_UNIQUE = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %{UNIQUE_ID}e'


@pytest.mark.parametrize("option, directive, ids", [
    pytest.param("--nginx-log-format", NGINX_ID, ("3f1e0c6b2a9d4e8f9a1b2c3d4e5f6a7b", "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"),
                 id="nginx-request_id"),
    pytest.param("--log-format", APACHE_L, ("XuG2cH8AAQEAAB1kLWQAAAAA", "XuG2cH8AAQEAAB1kLWUAAAAB"), id="apache-L"),
    pytest.param("--log-format", APACHE_UNIQUE, ("XuG2cH8AAQEAAB1kLWQAAAAA", "XuG2cH8AAQEAAB1kLWUAAAAB"),
                 id="apache-UNIQUE_ID"),
])
def test_a_servers_own_request_id_named_by_its_log_format_is_the_request_id(
        tmp_path: Path, option: str, directive: str, ids: tuple[str, str]) -> None:
    # review of red team 16 (/tmp/review_redteam16/ngx): two servers' lines identical but for nginx $request_id
    # were counted once as an overlap ($request_id went to extra); the same for Apache %L and %{UNIQUE_ID}e
    from exposure.ingest import IngestOptions

    line = '198.51.100.7 - - [08/Jun/2020:09:00:00 +0000] "GET {} HTTP/1.1" 200 18412 "-" "curl/8" {}\n'
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "web1.log").write_text(line.format(TARGET, ids[0]))
    ingest = IngestOptions(**({"nginx_log_format": directive} if option == "--nginx-log-format"
                              else {"log_format": directive}))
    answer = analyse(tmp_path, "web2.log", line.format(TARGET, ids[1]), TARGET, option, directive, ingest=ingest)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 2 and len(answer.downloads) == 2
    assert not [f for f in answer.cli["findings"] if f["kind"] == "overlap"]
    assert sorted(r["request_id"] for r in answer.rows) == sorted(ids)
    assert all(not (r["extra"] or {}) for r in answer.rows), [r["extra"] for r in answer.rows]


W3C_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
              "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type {}x-host-header cs-protocol cs-bytes time-taken")


def _w3c_line(i: int, request_id: str | None) -> str:
    return "\t".join(["2020-06-08", f"09:0{i}:00", "AMS1-C1", "18712", f"198.51.100.{i}", "GET",
                      "d111111abcdef8.cloudfront.net", TARGET, "200", "-", "Mozilla/5.0%20(X11)", "-", "-", "Miss",
                      *([request_id] if request_id else []), "www.example.nl", "https", "180", "0.042"]) + "\n"


@pytest.mark.parametrize("second_ids, complete, overlap", [
    # the #Fields after the change drops x-edge-request-id: the lines written again are the same requests
    pytest.param(None, 5, True, id="id-dropped"),
    pytest.param("REQ{}", 5, True, id="same-ids"),
    pytest.param("OTHER{}", 10, False, id="other-ids"),  # ids that differ: two requests each, as across files
])
def test_a_line_written_again_after_a_fields_change_that_drops_the_id_is_one_request(
        tmp_path: Path, second_ids: str | None, complete: int, overlap: bool) -> None:
    # one CloudFront-named W3C file: 5 lines with x-edge-request-id, then a #Fields without it (or with it) and the
    # same 5 lines again (time runs back): inside one file the id was part of a repeat's identity, so the lines
    # without it counted twice (10 complete downloads of 5)
    import json

    from typer.testing import CliRunner

    from exposure.cli import app

    text = ("#Version: 1.0\n#Fields: " + W3C_FIELDS.format("x-edge-request-id ") + "\n"
            + "".join(_w3c_line(i, f"REQ{i}") for i in range(1, 6))
            + "#Version: 1.0\n#Fields: " + W3C_FIELDS.format("x-edge-request-id " if second_ids else "") + "\n"
            + "".join(_w3c_line(i, second_ids.format(i) if second_ids else None) for i in range(1, 6)))
    answer = analyse(tmp_path, "E2EXAMPLE.2020-06-08-09.aaaa1111", text, TARGET)
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (complete, 5)
    assert len(answer.downloads) == complete  # the API door
    said = [f for f in answer.cli["findings"] if f["kind"] == "overlap"]
    assert bool(said) == overlap and (not said or said[0]["line_ranges"] == "10-14"), said
    case = tmp_path / "case.duckdb"  # `files`
    runner = CliRunner(env={"COLUMNS": "200"})
    assert runner.invoke(app, ["ingest", str(tmp_path / "logs"), "--case", str(case)]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["complete_downloads"]) for r in json.loads(result.stdout)] == [(TARGET, complete)]


IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 09:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version "
            "cs(User-Agent) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken{}\n")


def _iis(i: int, request_id: str | None) -> str:
    return (f"2020-06-08 09:{i // 60:02d}:{i % 60:02d} 192.0.2.1 GET {TARGET} - 443 - 198.51.100.{i % 250 + 1} "
            f"HTTP/1.1 Mozilla/5.0 www.example.nl 200 0 0 18412 420 31" + (f" {request_id}" if request_id else "")
            + "\n")


@pytest.mark.parametrize("n", [pytest.param(1, id="one-line"), pytest.param(80, id="fast-path")])
@pytest.mark.parametrize("second_id, complete", [pytest.param("req-web2-{}", 2, id="ids-differ"),
                                                 pytest.param("req-web1-{}", 1, id="same-id")])
def test_an_iis_custom_request_id_field_is_the_request_id(tmp_path: Path, n: int, second_id: str,
                                                          complete: int) -> None:
    # IIS with a custom field logging X-Request-ID: the field was dropped, so two servers' lines identical but for it
    # were one request (web2's line "a copy of a small file", counted once); it fills request_id
    def log(ids: str) -> str:
        return IIS_HEAD.format(" cs(X-Request-ID)") + "".join(_iis(i, ids.format(i)) for i in range(n))

    (tmp_path / "logs" / "web1").mkdir(parents=True)
    (tmp_path / "logs" / "web1" / "u_ex200608.log").write_text(log("req-web1-{}"))
    answer = analyse(tmp_path, "u_ex200608.log", log(second_id), TARGET)  # logs/: web2's, beside web1/
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == complete * n
    assert {r["request_id"] for r in answer.rows if r["line_no"] == 5} == {"req-web1-0", second_id.format(0)}


def _t6_line(client: int, second: int, request_id: str) -> str:
    return (f'198.51.100.{client} - - [08/Jun/2020:09:00:{second:02d} +0000] "GET {TARGET} HTTP/1.1" 200 18412 "-" '
            f'"Mozilla/5.0" {request_id}\n')


T6_FIRST = [(1, 0, "aaaa0001"), (2, 1, "xxxx0001"), (2, 1, "xxxx0002"), (3, 2, "bbbb0001"), (4, 3, "cccc0001"),
            (5, 4, "dddd0001")]


@pytest.mark.parametrize("files", [pytest.param(1, id="one-file"), pytest.param(2, id="two-files")])
def test_a_repeat_is_paired_on_its_request_id_where_both_lines_have_one(tmp_path: Path, files: int) -> None:
    # review of prefixfix (/tmp/review_prefixfix/t6): nginx with $request_id; lines 2 and 3 two GETs in one second
    # differing only in their id; lines 7-10 are lines 3-6 written again. The self-repeat rule numbered the
    # occurrences of a line without its id, so line 7 (xxxx0002, the first of its kind after the step back) was
    # paired with line 2 (xxxx0001), the ids differed, the pair was dropped, the run of 4 lost: 10 complete
    # downloads, no overlap said, where 6 and 'lines 7-10 repeat lines 3-6'. Across files the same shape
    from exposure.ingest import IngestOptions

    first = "".join(_t6_line(*fields) for fields in T6_FIRST)
    again = "".join(_t6_line(*fields) for fields in T6_FIRST[2:])
    (tmp_path / "logs").mkdir()
    if files == 2:
        (tmp_path / "logs" / "a.log").write_text(first)
    answer = analyse(tmp_path, "b.log" if files == 2 else "access.log", again if files == 2 else first + again,
                     TARGET, "--nginx-log-format", NGINX_ID, ingest=IngestOptions(nginx_log_format=NGINX_ID))
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (6, 5)
    assert len(answer.downloads) == 6  # the API door
    [said] = [f for f in answer.cli["findings"] if f["kind"] == "overlap"]
    assert said["line_ranges"] == ("7-10" if files == 1 else "1-4"), said
    assert ("repeat lines 3-6" if files == 1 else "repeat lines 3-6 of") in said["detail"], said


@pytest.mark.slow
@pytest.mark.parametrize("n", [pytest.param(1, id="one-line"), pytest.param(80, id="fast-path")])
@pytest.mark.parametrize("field", ["cs(X-Correlation-ID)", "X-Trace"])
@pytest.mark.parametrize("second_id, complete", [pytest.param("corr-web2-{}", 2, id="ids-differ"),
                                                 pytest.param("corr-web1-{}", 1, id="same-id")])
def test_an_iis_field_the_tool_does_not_know_is_kept_and_tells_requests_apart(
        tmp_path: Path, n: int, field: str, second_id: str, complete: int) -> None:
    # IIS with a custom field no column holds (a correlation id, any name an admin gives): it was dropped, so two
    # servers' lines identical but for it were one request (/tmp/readfix/iisids: 6 complete downloads -> 3, web2's
    # lines an overlap); it is kept in `extra` under its name, part of the line's identity, shown to the investigator
    def log(ids: str) -> str:
        return IIS_HEAD.format(f" {field}") + "".join(_iis(i, ids.format(i)) for i in range(n))

    (tmp_path / "logs" / "web1").mkdir(parents=True)
    (tmp_path / "logs" / "web1" / "u_ex200608.log").write_text(log("corr-web1-{}"))
    answer = analyse(tmp_path, "u_ex200608.log", log(second_id), TARGET)  # logs/: web2's, beside web1/
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == complete * n
    kept = {(r["extra"] or {}).get(field.lower()) for r in answer.rows if r["line_no"] == 5}
    assert kept == {"corr-web1-0", second_id.format(0)}
    assert {r["request_id"] for r in answer.rows} == {None}
