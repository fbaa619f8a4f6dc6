"""Servers' defaults for a transfer the client broke off (README "Servers' own word on a transfer").

nginx logs 499 when the client closed the connection before a response status was set or a byte written
(ngx_http_terminate_request); one cut off mid-body is logged 200/206 with the short count. A 499 with bytes is
rare; the rule reads it, an inference, as a transfer of the file begun (partial), never an error.
One whose count reaches the file's size wrote every byte, but whether the client received them before it closed
the log cannot say: undetermined, never complete. A 499 with bytes shows the file available (it opens a window). A 499 with 0 bytes sent nothing, and nginx answers 408 before
any response to the request (its bytes are the error page's): both stay errors. The same holds for the flags
the rule already reads: Apache `%X` `X` and IIS `sc-win32-status` 64/1236 on a 200 with a full count."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

T = "/docs/x.pdf"
SIZE = 100_000


def _target(tmp_path: Path, lines: list[str], **ingest: str) -> tuple[dict, list[tuple[str, str, int | None]]]:
    from exposure.ingest import IngestOptions

    write_log(tmp_path / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "access.log"], IngestOptions(**ingest))
        target = case.analyse([T], AnalysisOptions(geoip_city="none"))["targets"][0]
    return target, [(d["client_ip"], d["outcome"], d["bytes"]) for d in target["downloads"]]


NGINX_499 = [
    clf("198.51.100.1", t(8, 10), T, size=SIZE),
    clf("198.51.100.2", t(8, 11), T, size=SIZE),
    clf("198.51.100.3", t(8, 12), T, status=499, size=40_000),   # closed at 40 %
    clf("198.51.100.4", t(8, 13), T, status=499, size=SIZE),     # every byte written, then closed
    clf("198.51.100.5", t(8, 14), T, status=499, size=0),        # closed before any byte
    clf("198.51.100.6", t(8, 15), T, status=408, size=30_000),   # a timeout's error page: never the file
]


def test_nginx_499_with_bytes_is_a_transfer_cut_short(tmp_path: Path) -> None:
    target, outcomes = _target(tmp_path, NGINX_499)
    assert outcomes == [("198.51.100.1", "complete", SIZE), ("198.51.100.2", "complete", SIZE),
                        ("198.51.100.3", "partial", 40_000), ("198.51.100.4", "undetermined", SIZE)]
    totals = target["totals"]
    assert (totals["complete_downloads"], totals["partial_downloads"], totals["undetermined_downloads"],
            totals["errors"], totals["requests"]) == (2, 1, 1, 2, 6)
    # a 499 with bytes shows the file available (the last one, 13:00); the 0-byte one (14:00) does not
    [window] = target["windows"]
    assert (window["first_available"], window["last_available"], window["first_unavailable"]) == (
        "2020-06-08T10:00:00Z", "2020-06-08T13:00:00Z", None)


def test_a_499_with_bytes_shows_the_file_available(tmp_path: Path) -> None:
    """A 499 with bytes before the first 200 opens the window (it was counted in a window that opened after it),
    and one after the 404 opens the next (it was dropped: neither a download nor an error). That window has no
    size to judge its 499 by: undetermined (README: no size to judge by), never partial by default."""
    target, outcomes = _target(tmp_path, [
        clf("198.51.100.3", t(8, 9), T, status=499, size=40_000),
        clf("198.51.100.1", t(8, 10), T, size=SIZE),
        clf("198.51.100.5", t(8, 11), T, status=404, size=100),
        clf("198.51.100.4", t(8, 12), T, status=499, size=40_000),
    ])
    assert [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-08T09:00:00Z", "2020-06-08T10:00:00Z", "2020-06-08T11:00:00Z"),
        ("2020-06-08T12:00:00Z", "2020-06-08T12:00:00Z", None)]
    assert outcomes == [("198.51.100.3", "partial", 40_000), ("198.51.100.1", "complete", SIZE),
                        ("198.51.100.4", "undetermined", 40_000)]
    assert (target["totals"]["partial_downloads"], target["totals"]["undetermined_downloads"],
            target["totals"]["errors"]) == (1, 1, 1)


def test_files_counts_a_499_as_the_target_does(tmp_path: Path) -> None:
    """`files` runs the same rule over every path: the 499s count there as in `analyse`."""
    write_log(tmp_path / "access.log", NGINX_499)
    with Case() as case:
        case.ingest([tmp_path / "access.log"])
        frame = case.files()
    row = frame[frame["path"] == T].iloc[0]
    assert (row["complete_downloads"], row["partial_downloads"], row["undetermined_downloads"]) == (2, 1, 1)


NGINX_FLAG = '$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_completion "$http_user_agent"'


def _nginx_flag(ip: str, minute: int, status: int, sent: int, done: str) -> str:
    return f'{ip} [08/Jun/2020:12:{minute:02d}:00 +0200] "GET {T} HTTP/1.1" {status} {sent} {done} "UA"'


def test_a_flagged_abort_with_every_byte_is_undetermined(tmp_path: Path) -> None:
    """nginx `$request_completion` empty (Apache %X `X` reads the same): aborted. Short of the size: partial; at
    the size: undetermined (the bytes went out, the log says the response never completed)."""
    lines = [_nginx_flag("198.51.100.1", 1, 200, SIZE, "OK"), _nginx_flag("198.51.100.2", 2, 200, SIZE, "OK"),
             _nginx_flag("198.51.100.3", 3, 200, SIZE, ""), _nginx_flag("198.51.100.4", 4, 200, SIZE - 1, ""),
             _nginx_flag("198.51.100.5", 5, 499, SIZE, "OK")]   # a 499 is aborted whatever the flag says
    _, outcomes = _target(tmp_path, lines, nginx_log_format=NGINX_FLAG)
    assert outcomes == [("198.51.100.1", "complete", SIZE), ("198.51.100.2", "complete", SIZE),
                        ("198.51.100.3", "undetermined", SIZE), ("198.51.100.4", "partial", SIZE - 1),
                        ("198.51.100.5", "undetermined", SIZE)]


def test_portable_sql_counts_a_499_as_the_case_does(tmp_path: Path) -> None:
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    write_log(tmp_path / "logs" / "access.log", NGINX_499)
    options = AnalysisOptions(geoip_city="none")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        expected = case_rows(case, options, T)
        export_parquet(case.file, tmp_path / "parquet")
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", T, options))
    assert_same(expected, got, "duckdb")
    assert sorted(d["outcome"] for d in got["downloads"]) == ["complete", "complete", "partial", "undetermined"]


@pytest.mark.parametrize("win32", [64, 1236])
def test_iis_200_with_a_client_disconnect_is_never_complete(tmp_path: Path, win32: int) -> None:
    """IIS `sc-status` 200 with `sc-win32-status` 64/1236 (the client disconnected): its `sc-bytes` (headers and
    body) is what IIS wrote, never proof the client got it: never complete. Undetermined where the count holds
    the body with the headers the window's complete copies carry (its band's edge, SIZE + 300), partial below:
    SIZE + 290 lies above the size by its headers, and is partial (the HEAD's 300 bytes play no part)."""
    head = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 09:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken")
    rows = [("198.51.100.1", 0, SIZE + 300), ("198.51.100.2", 0, SIZE + 310), ("198.51.100.3", 0, SIZE + 305),
            ("198.51.100.4", win32, SIZE + 300), ("198.51.100.5", win32, SIZE + 290), ("198.51.100.6", win32, 5000)]
    lines = [head] + [f"2020-06-08 09:0{i}:00 10.0.0.1 GET {T} - 443 - {ip} UA - 200 0 {w} {b} 10"
                      for i, (ip, w, b) in enumerate(rows)]
    lines.append(f"2020-06-08 09:09:00 10.0.0.1 HEAD {T} - 443 - 198.51.100.9 UA - 200 0 0 300 1")
    (tmp_path / "u_ex200608.log").write_text("\n".join(lines) + "\n")
    with Case() as case:
        case.ingest([tmp_path / "u_ex200608.log"])
        target = case.analyse([T], AnalysisOptions(geoip_city="none", size=SIZE))["targets"][0]
    outcomes = [(d["client_ip"], d["outcome"]) for d in target["downloads"]]
    assert outcomes == [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
                        ("198.51.100.4", "undetermined"), ("198.51.100.5", "partial"), ("198.51.100.6", "partial")]


APACHE_X = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %X'


def test_apache_connection_status_decides_as_the_nginx_flag_does(tmp_path: Path) -> None:
    """Apache `%X`: `X` the connection was aborted before the response completed (%>s stays 200, %b the bytes
    sent), `+`/`-` it completed. `X` with every byte: undetermined; `X` short: partial; `+`/`-`: complete."""
    lines = [clf(ip, t(8, 10, n), T, size=b) + f" {flag}" for n, (ip, b, flag) in enumerate((
        ("198.51.100.1", SIZE, "+"), ("198.51.100.2", SIZE, "-"), ("198.51.100.3", SIZE, "X"),
        ("198.51.100.4", SIZE - 1, "X")))]
    _, outcomes = _target(tmp_path, lines, log_format=APACHE_X)
    assert outcomes == [("198.51.100.1", "complete", SIZE), ("198.51.100.2", "complete", SIZE),
                        ("198.51.100.3", "undetermined", SIZE), ("198.51.100.4", "partial", SIZE - 1)]


def test_the_reports_error_tags_are_the_totals_errors(tmp_path: Path) -> None:
    """review (r1): the report's table of every request tagged a 499 transfer 'error' (status >= 400) while
    totals.errors leaves it out; and a HEAD 499 with bytes opened a window yet counted as an error. The column
    and the total read one macro (rule_error): requests.csv's error tags add up to totals.errors."""
    import csv
    import json

    from exposure.report import ReportSettings

    write_log(tmp_path / "logs" / "access.log", [
        *NGINX_499,
        clf("198.51.100.7", t(8, 16), T, status=499, size=300, method="HEAD"),  # shows the file: a HEAD, no error
        clf("198.51.100.8", t(8, 17), T, status=404, size=100)])
    out = tmp_path / "report"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        case.report([T], out, AnalysisOptions(geoip_city="none"), ReportSettings(pdf=False))
    with (out / "requests.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tagged = [(r["status"], r["method"]) for r in rows if "error" in r["counted_in"].split("; ")]
    [target] = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["targets"]
    assert tagged == [("499", "GET"), ("408", "GET"), ("404", "GET")]   # the 0-byte 499, the 408, the 404
    assert target["totals"]["errors"] == len(tagged) == 3
    assert target["totals"]["head_requests"] == 1
    assert target["windows"][0]["last_available"] == "2020-06-08T16:00:00Z"


def test_under_and_target_glob_find_a_path_only_499s_made_available(tmp_path: Path) -> None:
    """review (g1): --under and --target-glob expanded to paths with a 200/206/304 only: /docs/a.pdf, answered
    nothing but two 499s with bytes (a window by the rule, two downloads), was skipped. They read
    rule_available now (queries/files.sql served_paths); an --alias never available says that rule."""
    from exposure.report import wording
    from exposure.report.i18n import strings

    lines = [clf("198.51.100.1", t(10, 10), "/docs/a.pdf", status=499, size=40_000),
             clf("198.51.100.2", t(10, 11), "/docs/a.pdf", status=499, size=60_000),
             clf("198.51.100.3", t(10, 12), "/docs/b.pdf", size=5000),
             clf("198.51.100.4", t(10, 13), "/docs/c.pdf", status=499, size=0),   # nothing sent: not available
             clf("198.51.100.5", t(10, 14), "/gone.pdf", status=404, size=100)]
    write_log(tmp_path / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "access.log"])
        assert case.expand_targets(unders=["/docs"]) == ["/docs/a.pdf", "/docs/b.pdf"]
        assert case.expand_targets(globs=["*.pdf"]) == ["/docs/a.pdf", "/docs/b.pdf"]
        answer = case.analyse(["/docs/b.pdf"], AnalysisOptions(geoip_city="none", aliases=("/gone.pdf",)))
    [said] = [w for w in answer["targets"][0]["warnings"] if w.startswith("--alias /gone.pdf")]
    assert "(200, 206, 304 or a 499 with bytes, to a GET or HEAD: rule_available)" in said
    assert wording.sentence(said, strings("nl")).startswith("--alias /gone.pdf is in het bewijs nooit beantwoord")


NGINX_SENT = '$remote_addr - $remote_user [$time_local] "$request" $status $bytes_sent "$http_referer" "$http_user_agent"'
APACHE_OX = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %X'
IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 09:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken")
# counts with headers: three complete copies at SIZE + 300, then aborted ones: every byte written (SIZE + 300),
# 40 % and the body size itself (headers are never 0 bytes: short of the body)
WITH_HEADERS = [("198.51.100.1", False, SIZE + 300), ("198.51.100.2", False, SIZE + 300),
                ("198.51.100.3", False, SIZE + 300), ("198.51.100.4", True, SIZE + 300),
                ("198.51.100.5", True, 40_000), ("198.51.100.6", True, SIZE)]


def _with_headers_log(tmp_path: Path, server: str) -> tuple[Path, dict[str, str]]:
    log = tmp_path / ("u_ex200608.log" if server == "iis" else "access.log")
    if server == "iis":
        log.write_text("\n".join([IIS_HEAD] + [
            f"2020-06-08 09:0{i}:00 10.0.0.1 GET {T} - 443 - {ip} UA - 200 0 {64 if cut else 0} {b} 10"
            for i, (ip, cut, b) in enumerate(WITH_HEADERS)]) + "\n")
        return log, {}
    if server == "nginx":
        write_log(log, [clf(ip, t(8, 10 + i), T, status=499 if cut else 200, size=b)
                        for i, (ip, cut, b) in enumerate(WITH_HEADERS)])
        return log, {"nginx_log_format": NGINX_SENT}
    write_log(log, [clf(ip, t(8, 10 + i), T, size=b) + (" X" if cut else " +")
                    for i, (ip, cut, b) in enumerate(WITH_HEADERS)])
    return log, {"log_format": APACHE_OX}


@pytest.fixture(scope="module")
def with_headers(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path]]:
    """Each server's log of counts with headers ingested once for the module, and that case exported as Parquet:
    server -> (case file, Parquet folder), built when first asked. The case is read-only to the tests: each opens
    its own copy (an analysis writes to the case it reads); the Parquet folder is only read."""
    from exposure.export import export_parquet
    from exposure.ingest import IngestOptions

    built: dict[str, tuple[Path, Path]] = {}

    def get(server: str) -> tuple[Path, Path]:
        if server not in built:
            root = tmp_path_factory.mktemp(f"with-headers-{server}")
            log, ingest = _with_headers_log(root, server)
            with Case(root / "c.duckdb") as case:
                case.ingest([log], IngestOptions(**ingest))
                export_parquet(case.file, root / "parquet")
            built[server] = (root / "c.duckdb", root / "parquet")
        return built[server]

    return get


def _copy_case(case: Path, tmp_path: Path) -> Path:
    """A private, writable copy of a case built once for the module."""
    return Path(shutil.copy(case, tmp_path / case.name))


@pytest.mark.parametrize("size", [None, SIZE])
@pytest.mark.parametrize("server", ["nginx", "apache", "iis"])
def test_an_aborted_count_with_headers_that_covers_the_file_is_undetermined(
        tmp_path: Path, with_headers: Callable[[str], tuple[Path, Path]], server: str, size: int | None) -> None:
    """review (n1): with counts that include headers ($bytes_sent, %O, sc-bytes) an aborted transfer (499, %X X,
    sc-win32-status 64) as large as the complete copies was partial: without --size the rule compared it with
    the given or exact size only (none: partial), with --size its count less 1024 bytes of assumed headers (no
    HEAD in the window). It is undetermined where it reaches the complete-transfer band's edge (and the known
    size by a byte of headers); partial only when clearly short (40 %, or short of the band's edge)."""
    with Case(_copy_case(with_headers(server)[0], tmp_path)) as case:
        answer = case.analyse([T], AnalysisOptions(geoip_city="none", size=size))
    target = answer["targets"][0]
    assert [e["bytes_meaning"] for e in answer["evidence"]] == ["headers+body"]
    assert [(d["client_ip"], d["outcome"]) for d in target["downloads"]] == [
        ("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
        ("198.51.100.4", "undetermined"), ("198.51.100.5", "partial"), ("198.51.100.6", "partial")]


@pytest.mark.parametrize("size", [None, SIZE])
def test_the_oracle_judges_an_aborted_count_with_headers_alike(size: int | None) -> None:
    """tests/oracle_rule.py, the rule written again from its text, gives the same outcomes (a flag's abort: the
    oracle does not model 499)."""
    from tests.oracle_rule import Row, downloads, windows

    rows = [Row(t(8, 10 + i), ip, "UA", "GET", 200, b, True, None, None, "aborted" if cut else "complete")
            for i, (ip, cut, b) in enumerate(WITH_HEADERS)]
    got = [(d.client, d.outcome) for d in downloads(windows(rows, rows[0].t, size), size)]
    assert got == [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "complete"),
                   ("198.51.100.4", "undetermined"), ("198.51.100.5", "partial"), ("198.51.100.6", "partial")]
    alone = [Row(t(8, 10), "198.51.100.7", "UA", "GET", 200, 40_000, headers, None, None, "aborted")
             for headers in (True, False)]   # no size to judge by: undetermined (README)
    assert [downloads(windows([r], r.t, None), None)[0].outcome for r in alone] == ["undetermined"] * 2


@pytest.mark.parametrize("size", [None, SIZE])
@pytest.mark.parametrize("server", ["nginx", "apache", "iis"])
def test_portable_sql_judges_an_aborted_count_with_headers_as_the_case(
        tmp_path: Path, with_headers: Callable[[str], tuple[Path, Path]], server: str, size: int | None) -> None:
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    case_file, parquet = with_headers(server)
    options = AnalysisOptions(geoip_city="none", size=size)
    with Case(_copy_case(case_file, tmp_path)) as case:
        expected = case_rows(case, options, T)
    got = portable_rows(run_portable(DuckDBEngine(), parquet, T, options))
    assert_same(expected, got, "duckdb")
    assert [d["outcome"] for d in got["downloads"]] == ["complete"] * 3 + ["undetermined", "partial", "partial"]


@pytest.mark.parametrize("size", [None, SIZE])
def test_aborted_counts_with_headers_and_no_band(tmp_path: Path, size: int | None) -> None:
    """No complete copy in the window (no band): without a size nothing to judge by, undetermined (README: no
    size to judge by; it was partial); with --size a count above it by a byte of headers may hold the body
    (undetermined: it was partial, its count less 1024 bytes of assumed headers), one at the size is partial."""
    from exposure.ingest import IngestOptions

    write_log(tmp_path / "access.log", [clf(ip, t(8, 10 + i), T, size=b) + " X" for i, (ip, b) in enumerate(
        (("198.51.100.1", SIZE + 300), ("198.51.100.2", SIZE + 1), ("198.51.100.3", SIZE)))])
    with Case() as case:
        case.ingest([tmp_path / "access.log"], IngestOptions(log_format=APACHE_OX))
        target = case.analyse([T], AnalysisOptions(geoip_city="none", size=size))["targets"][0]
    assert [d["outcome"] for d in target["downloads"]] == (
        ["undetermined"] * 3 if size is None else ["undetermined", "undetermined", "partial"])


def test_a_499_with_bytes_whose_line_names_no_method_is_said_as_a_200_would_be(tmp_path: Path) -> None:
    """A format without %r/%m: a 200 is counted in no_method_responses and warned of (a GET cannot be told from a
    HEAD); a 499 with bytes shows the file available (never an error) and was counted in neither bucket."""
    lines = ['198.51.100.1 [08/Jun/2020:10:00:00 +0000] /docs/x.pdf 200 100000',
             '198.51.100.2 [08/Jun/2020:10:01:00 +0000] /docs/x.pdf 499 500']
    target, _ = _target(tmp_path, lines, log_format="%h %t %U %>s %b")
    totals = target["totals"]
    assert (totals["requests"], totals["errors"], totals["no_method_responses"]) == (2, 0, 2)
    assert any(w.startswith("2 responses 200/206 (or 499 with bytes) from external addresses name no method")
               for w in target["warnings"])


# review (opt.log): a 200, a 404, an OPTIONS 499 with bytes, a 404
OPTIONS_499 = [clf("198.51.100.1", t(8, 8), T, size=SIZE),
               clf("198.51.100.2", t(8, 9), T, status=404, size=153),
               clf("198.51.100.3", t(8, 10), T, status=499, size=300, method="OPTIONS"),
               clf("198.51.100.4", t(8, 11), T, status=404, size=153),
               clf("198.51.100.5", t(8, 12), T, status=499, size=5000, method="POST")]


def test_a_post_or_options_499_with_bytes_is_an_error_not_a_window(tmp_path: Path) -> None:
    """review (opt.log): rule_available took any 499 with bytes, whatever the method: an OPTIONS 499 between two
    404s opened a second window. Only a GET or HEAD 499 (or a line naming no method) shows the file; a POST or
    OPTIONS 499 is an error in totals, `files` and the portable SQL alike, and makes no path served."""
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from tests.parity import assert_same, case_rows, portable_rows

    write_log(tmp_path / "logs" / "access.log", OPTIONS_499)
    write_log(tmp_path / "other" / "access.log",
              [clf("198.51.100.6", t(8, 10), "/docs/only.pdf", status=499, size=300, method="OPTIONS")])
    options = AnalysisOptions(geoip_city="none")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "logs", tmp_path / "other"])
        target = case.analyse([T], options)["targets"][0]
        expected = case_rows(case, options, T)
        frame = case.files()
        assert case.expand_targets(unders=["/docs"]) == [T]   # /docs/only.pdf: an OPTIONS 499 alone
        export_parquet(case.file, tmp_path / "parquet")
    assert [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-08T08:00:00Z", "2020-06-08T08:00:00Z", "2020-06-08T09:00:00Z")]
    assert [d["outcome"] for d in target["downloads"]] == ["complete"]
    assert target["totals"]["errors"] == 4   # two 404s, the OPTIONS and the POST 499
    row = frame[frame["path"] == T].iloc[0]
    assert (row["complete_downloads"], row["partial_downloads"], row["undetermined_downloads"]) == (1, 0, 0)
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", T, options))
    assert_same(expected, got, "duckdb")
    assert len(got["windows"]) == 1


def test_timeline_chart_and_totals_read_one_error_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """review (post.log): `exposure timeline` tagged a 499 'client error (499)' by status >= 400 and the chart drew
    every status >= 400 red, whatever totals counted. Both read rule_error now: the POST and OPTIONS 499 are
    errors everywhere, the GET 499 with bytes a transfer everywhere (partial, blue)."""
    from exposure.report import ReportSettings, charts

    lines = [clf("198.51.100.1", t(8, 8), T, size=SIZE),
             clf("198.51.100.2", t(8, 9), T, status=499, size=5000, method="POST"),
             clf("198.51.100.3", t(8, 10), T, status=499, size=300, method="OPTIONS"),
             clf("198.51.100.4", t(8, 11), T, status=499, size=40_000)]
    write_log(tmp_path / "logs" / "access.log", lines)
    drawn: list[tuple[list, list]] = []
    marks = charts.request_marks
    monkeypatch.setattr(charts, "request_marks", lambda requests: drawn.append(marks(requests)) or drawn[-1])
    options = AnalysisOptions(geoip_city="none")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        target = case.analyse([T], options)["targets"][0]
        timeline = case.timeline(T, options)
        case.report([T], tmp_path / "report", options, ReportSettings(pdf=False))
    assert list(timeline["outcome"]) == ["complete", "client error (499)", "client error (499)", "partial"]
    assert target["totals"]["errors"] == 2
    [(blue, red)] = drawn
    assert [w.hour for w in blue] == [8, 11] and [w.hour for w in red] == [9, 10]


def test_timeline_tags_a_method_less_499_with_bytes_as_totals_counts_it(tmp_path: Path) -> None:
    """A 499 with bytes on a line naming no method shows the file (no error in totals): the timeline called it
    'client error (499)' by its status alone; it reads rule_error now."""
    from exposure.ingest import IngestOptions

    write_log(tmp_path / "access.log", ['198.51.100.1 [08/Jun/2020:10:00:00 +0000] /docs/x.pdf 200 100000',
                                        '198.51.100.2 [08/Jun/2020:10:01:00 +0000] /docs/x.pdf 499 500',
                                        '198.51.100.3 [08/Jun/2020:10:02:00 +0000] /docs/x.pdf 499 0'])
    options = AnalysisOptions(geoip_city="none")
    with Case() as case:
        case.ingest([tmp_path / "access.log"], IngestOptions(log_format="%h %t %U %>s %b"))
        errors = case.analyse([T], options)["targets"][0]["totals"]["errors"]
        outcomes = list(case.timeline(T, options)["outcome"])
    assert errors == 1 and outcomes == ["other (200)", "other (499)", "client error (499)"]


def test_timeline_tags_a_head_answered_with_an_error_as_the_error_totals_count(tmp_path: Path) -> None:
    """A HEAD answered 403, 500 or 499 without bytes is an error in totals, the report's column and the chart; the
    timeline tagged it `HEAD` (review of rule499). A HEAD 200 stays `HEAD`."""
    lines = [clf("198.51.100.1", t(8, 10), T, size=SIZE),
             *[clf(f"198.51.100.{i}", t(8, 10, i), T, method="HEAD", status=status, size=0)
               for i, status in ((2, 200), (3, 403), (4, 500), (5, 499))]]
    write_log(tmp_path / "access.log", lines)
    options = AnalysisOptions(geoip_city="none")
    with Case() as case:
        case.ingest([tmp_path / "access.log"])
        errors = case.analyse([T], options)["targets"][0]["totals"]["errors"]
        outcomes = list(case.timeline(T, options)["outcome"])
    assert errors == 3
    assert outcomes == ["complete", "HEAD", "client error (403)", "server error (500)", "client error (499)"]
