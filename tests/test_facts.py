"""What each log's fields mean, recorded per evidence file with its basis (exposure/facts.py), and the download
rule reading those facts: Debian's default Apache (%O) read with no format option, its %b twin, --bytes,
exact lengths (CloudFront sc-content-len), and range groups whose byte counts include headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.ingest import IngestOptions
from tests.leak_cases import (
    CASES,
    DEBIAN_EVENTS,
    DEBIAN_OUTCOMES,
    OPTIONS,
    SIZE,
    TARGET,
    _apache_line,
    _background,
    apache_headers,
)

runner = CliRunner(env={"COLUMNS": "200"})


def _analyse(tmp_path: Path, name: str, *extra: str) -> dict[str, Any]:
    log = CASES[name].write(tmp_path)
    out = tmp_path / "analysis.json"
    result = runner.invoke(app, ["analyse", str(log), "--target", TARGET, "--internal", "203.0.113.0/24",
                                 "--json", str(out), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def _outcomes(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d["client_ip"], d["outcome"]) for d in answer["targets"][0]["downloads"]]


@pytest.mark.parametrize("name", ["debian-combined-%O", "debian-vhost_combined-%O"])
def test_debian_default_apache_gives_exact_downloads_with_no_format_option(tmp_path: Path, name: str) -> None:
    """Debian/Ubuntu log %O (headers included) in `combined` and `vhost_combined`: the data says so (counts of
    one file's complete copies spread by a few header bytes; HEAD and 304 log their headers), it is recorded as
    inferred, and the band rule then finds every complete copy, the aborted ones and the range groups."""
    answer = _analyse(tmp_path, name)
    [ev] = answer["evidence"]
    assert ev["format"] == name.split("-")[1]
    assert (ev["bytes_meaning"], ev["bytes_basis"]) == ("headers+body", "inferred")
    assert "5 of 5 paths' complete transfers spread by 37-37 bytes" in ev["bytes_basis_detail"]
    assert "6 responses without a body (HEAD, 304) logged with 226-344 bytes" in ev["bytes_basis_detail"]
    assert (ev["paths_case_insensitive"], ev["exact_length_field"], ev["time_basis"]) == (False, None, "assumed")
    assert "a body-only byte count (%b)" in ev["format_lacks"] and "%O" not in ev["format_lacks"]
    target = answer["targets"][0]
    assert _outcomes(answer) == DEBIAN_OUTCOMES
    totals = target["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"]) == (5, 4, 3)
    [window] = target["windows"]
    assert window["size_rule"] == "band"
    # the aborted copy 412 bytes short (18000 + 344 header bytes) lies in the densest 2 KiB but not in the band
    assert window["size_bytes"] == SIZE + apache_headers(200, TARGET, None, SIZE)


def test_the_percent_b_twin_stays_body(tmp_path: Path) -> None:
    """The same responses logged with %b: complete copies byte-identical, HEAD and 304 without bytes."""
    answer = _analyse(tmp_path, "combined-%b")
    [ev] = answer["evidence"]
    assert (ev["bytes_meaning"], ev["bytes_basis"]) == ("body", "inferred")
    assert ev["bytes_basis_detail"] == ("inferred from 5 paths' complete transfers byte-identical; 6 responses "
                                        "without a body (HEAD, 304) logged with no bytes")
    assert _outcomes(answer) == DEBIAN_OUTCOMES
    assert answer["targets"][0]["windows"][0]["size_bytes"] == SIZE


def test_bytes_option_overrides_inference(tmp_path: Path) -> None:
    """--bytes body on the %O log: the meaning is given (and said so); the band is no longer used, so every
    count above the most common one (a copy with a longer header) is complete and the rest partial."""
    answer = _analyse(tmp_path, "debian-combined-%O", "--bytes", "body")
    [ev] = answer["evidence"]
    assert (ev["bytes_meaning"], ev["bytes_basis"], ev["bytes_basis_detail"]) == ("body", "given", "given: --bytes body")
    assert answer["targets"][0]["windows"][0]["size_rule"] == "most_common"
    assert _outcomes(answer) != DEBIAN_OUTCOMES


def test_bytes_option_restates_a_file_already_in_the_case(tmp_path: Path) -> None:
    log = CASES["combined-%b"].write(tmp_path)
    case_path = tmp_path / "case.duckdb"
    assert runner.invoke(app, ["ingest", str(log), "--case", str(case_path), "-q"]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(log), "--case", str(case_path), "--bytes", "headers", "-q"])
    assert result.exit_code == 0, result.output
    with Case(case_path, read_only=True) as case:
        row = case.sql("SELECT bytes_meaning, bytes_basis FROM evidence").iloc[0].tolist()
    assert row == ["headers+body", "given"]
    result = runner.invoke(app, ["ingest", str(log), "--case", str(case_path), "--bytes", "wire"])
    assert result.exit_code == 2 and "--bytes must be 'body' or 'headers'" in result.output


def test_too_little_data_stays_body_assumed_and_says_so(tmp_path: Path) -> None:
    log = tmp_path / "web" / "access.log"
    log.parent.mkdir()
    log.write_text("".join(_apache_line(e, False, True) + "\n" for e in DEBIAN_EVENTS[:2]))
    result = runner.invoke(app, ["ingest", str(log), "--case", str(tmp_path / "c.duckdb")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the console may wrap a long warning
    assert ("stated: assumed bytes: stream web/access.log: byte counts of server web: assumed body: the data did "
            "not decide (no path with 3 or more complete-looking transfers") in said
    with Case(tmp_path / "c.duckdb", read_only=True) as case:
        assert case.sql("SELECT bytes_meaning, bytes_basis FROM evidence").iloc[0].tolist() == ["body", "assumed"]


def test_conflicting_evidence_stays_undecided(tmp_path: Path) -> None:
    """%O-like spread counts but a 304 logged without bytes: the two kinds disagree, nothing is inferred."""
    lines = [_apache_line(e, False, True) for e in _background()]
    lines.append(_apache_line((400, "192.0.2.99", "GET", 304, "/index.html", 0, 100, None), False, False))
    log = tmp_path / "web" / "access.log"
    log.parent.mkdir()
    log.write_text("\n".join(lines) + "\n")
    with Case(None) as case:
        result = case.ingest([log])
        [(stream, meaning, basis, detail)] = result.byte_facts
    assert (stream, meaning, basis) == ("web/access.log", "body", "assumed")
    assert detail.endswith("5 responses without a body (HEAD, 304): 4 logged with 226-228 bytes, 1 with none)")
    assert "4 of 4 paths' complete transfers spread by 37-37 bytes" in detail


def test_declared_facts_from_format_and_directive(tmp_path: Path) -> None:
    with Case(None) as case:
        case.ingest([CASES["iis"].write(tmp_path / "iis")])
        case.ingest([CASES["cloudfront"].write(tmp_path / "cf")])
        log = tmp_path / "custom" / "access.log"
        log.parent.mkdir()
        log.write_text("".join(_apache_line(e, False, True) + "\n" for e in DEBIAN_EVENTS))
        case.ingest([log], IngestOptions(log_format='%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"'))
        rows = case.con.execute("SELECT format, bytes_meaning, bytes_basis, bytes_basis_detail, exact_length_field, "
                                "exact_length_basis, paths_case_insensitive, paths_basis FROM evidence "
                                "ORDER BY evidence_id").fetchall()
    assert rows == [
        ("iis", "headers+body", "declared", "declared by the iis format: sc-bytes", None, None, True, "declared"),
        ("cloudfront", "headers+body", "declared", "declared by the cloudfront format: sc-bytes", "sc-content-len", "declared", False,
         "declared"),
        ("apache-custom", "headers+body", "declared", "declared by the apache-custom format: %O (headers and body)", None, None, False,
         "declared"),
    ]


def test_cloudfront_range_parts_covering_every_byte_are_complete(tmp_path: Path) -> None:
    """Three 206 parts whose offsets cover the file: their union is compared with the body length that
    sc-content-len gives on the 200s, never with the header-inclusive band."""
    answer = _analyse(tmp_path, "cloudfront-ranges")
    window = answer["targets"][0]["windows"][0]
    assert (window["size_bytes"], window["size_rule"]) == (SIZE, "object_size+band")
    ranges = {d["client_ip"]: d for d in answer["targets"][0]["downloads"] if d["kind"] == "range"}
    assert (ranges["198.51.100.6"]["outcome"], ranges["198.51.100.6"]["bytes"], ranges["198.51.100.6"]["parts"]) \
        == ("complete", SIZE, 3)
    assert (ranges["198.51.100.7"]["outcome"], ranges["198.51.100.7"]["bytes"]) == ("partial", 10000)
    with Case(None) as case:
        case.ingest([CASES["cloudfront-ranges"].write(tmp_path / "again")])
        rules = case.downloads(TARGET, OPTIONS).set_index("client_ip")["size_rule"].to_dict()
    assert rules["198.51.100.6"] == "offsets" and rules["198.51.100.1"] == "band"


def _range_group(minute: int, ip: str, parts: list[tuple[int, int]]) -> list[tuple]:
    return [(minute + k, ip, "GET", 206, TARGET, hi - lo + 1, 100 - k, (lo, hi)) for k, (lo, hi) in enumerate(parts)]


def test_header_inclusive_range_groups_without_offsets(tmp_path: Path) -> None:
    """%O logs no offsets: a group's bytes include every part's headers. Less one header allowance (the
    largest HEAD/304 response) per part beyond the first, the sum must reach the band; a group that reaches it
    only with its headers is undetermined, never complete."""
    third = SIZE // 3
    events = DEBIAN_EVENTS[:12] + _background()
    events += _range_group(300, "198.51.100.20", [(0, third - 1), (third, 2 * third - 1), (2 * third, SIZE - 1)])
    # the same three parts, 400 bytes short at the end: headers (3 x ~390) would make up for them in a plain sum
    events += _range_group(320, "198.51.100.21", [(0, third - 1), (third, 2 * third - 1),
                                                  (2 * third, SIZE - 401)])
    events += _range_group(340, "198.51.100.22", [(0, third - 1), (third, 2 * third - 1)])  # a third missing
    log = tmp_path / "apache2" / "access.log"
    log.parent.mkdir()
    log.write_text("".join(_apache_line(e, False, True) + "\n" for e in sorted(events, key=lambda e: e[0])))
    with Case(None) as case:
        case.ingest([log])
        assert case.sql("SELECT bytes_meaning FROM evidence")["bytes_meaning"][0] == "headers+body"
        dl = case.downloads(TARGET, OPTIONS)
        header = int(case.windows(TARGET, OPTIONS)["header_bytes"][0])
    groups = {r.client_ip: (r.outcome, r.size_rule, r.parts) for r in dl.itertuples() if r.kind == "range"}
    assert header == apache_headers(200, TARGET, 100, SIZE)  # the HEAD: a 200's headers without the body
    assert groups["198.51.100.20"] == ("complete", "band_sum", 3)
    assert groups["198.51.100.21"] == ("undetermined", "band_sum", 3)
    assert groups["198.51.100.22"] == ("partial", "band_sum", 2)
    assert groups["198.51.100.6"] == ("complete", "band_sum", 2) and groups["198.51.100.7"][0] == "partial"


def _json_log(tmp_path: Path, wire: bool, later: str | None = None) -> Path:
    """A JSON log whose only byte count is `bytes_sent`: nginx's $bytes_sent (headers included: complete copies
    spread by their headers, a 304 or HEAD logs its headers) or Envoy's %BYTES_SENT% (the body)."""
    lines = []
    for n in range(24):
        path = [TARGET, "/index.html", "/css/site.css"][n % 3]
        body = {TARGET: SIZE, "/index.html": 5120, "/css/site.css": 2310}[path]
        head = 240 + (n * 7) % 90
        status, method, sent = (304, "GET", 0) if n % 8 == 7 else (200, "HEAD", 0) if n % 8 == 6 else (200, "GET", body)
        lines.append(json.dumps({"time_iso8601": f"2020-06-08T10:{n:02d}:00+02:00", "remote_addr": f"198.51.100.{n + 1}",
                                 "request": f"{method} {path} HTTP/1.1", "status": status,
                                 "bytes_sent": sent + head if wire else sent, "http_user_agent": "Mozilla/5.0",
                                 **({later: sent} if later else {})}))
    log = tmp_path / "access.json.log"
    log.write_text("\n".join(lines) + "\n")
    return log


@pytest.mark.parametrize("later", [None, "bytes"])
@pytest.mark.parametrize(("wire", "meaning"), [(True, "headers+body"), (False, "body")])
def test_json_bytes_sent_alone_is_inferred_from_the_data(tmp_path: Path, wire: bool, meaning: str,
                                                         later: str | None) -> None:
    """A JSON `bytes_sent` with no body count beside it cannot say what it covers: the file's meaning is
    inferred from its data, as for CLF. Found by tests/test_oracle.py (format json-bytes_sent: nginx
    $bytes_sent read as body, 11 complete downloads answered as 3)."""
    with Case() as case:
        # a key the byte count only falls back to (`bytes`, after bytes_sent) does not make it a body count
        case.ingest([_json_log(tmp_path, wire, later)])
        [(got, basis)] = case.sql("SELECT bytes_meaning, bytes_basis FROM evidence").values.tolist()
        totals = case.analyse([TARGET], OPTIONS)["targets"][0]["totals"]
    assert (got, basis) == (meaning, "inferred")
    assert (totals["complete_downloads"], totals["partial_downloads"]) == (6, 0)


def test_a_count_of_one_is_said_in_the_singular_in_the_byte_meaning_evidence(tmp_path: Path) -> None:
    """One path's complete transfers and one HEAD: the evidence said '1 paths'' and '1 responses' (the counted-words
    rule, exposure.plural, is every door's); the report's Dutch says '1 pad', '1 respons'."""
    from exposure.report.i18n import strings
    from exposure.report.wording import _facts_detail
    from tests.conftest import write_log
    from tests.logs import clf, t

    lines = [clf(f"198.51.100.{i}", t(10, 9 + i), "/f.pdf", size=5000) for i in range(3)]
    log = write_log(tmp_path / "access.log", [*lines, clf("198.51.100.9", t(10, 13), "/f.pdf", size="-", method="HEAD")])
    case = tmp_path / "case.duckdb"
    assert runner.invoke(app, ["ingest", "--case", str(case), str(log)]).exit_code == 0
    with Case(case, read_only=True) as c:
        [detail] = c.evidence()["bytes_basis_detail"]
    assert detail == ("inferred from 1 path's complete transfers byte-identical; 1 response without a body "
                      "(HEAD, 304) logged with no bytes")
    assert _facts_detail(detail.removeprefix("inferred from "), strings("nl")) == (
        "volledige overdrachten van 1 pad byte-gelijk; 1 respons zonder inhoud (HEAD, 304) gelogd zonder bytes")
