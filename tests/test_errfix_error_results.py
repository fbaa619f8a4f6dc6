"""errfix: the download rule where the server answered with something other than the file (inputs built by hand, the
truth known; /tmp/errfix/<case>/TRUTH.md).

- A CloudFront Error result answering 200 is a custom error response at the file's path (a single-page app's
  /index.html served in place of the origin's 403/404): not the file. It closed no window and kept it open: 3 copies
  then 2 error pages read "available until" the last error page, the window open. It is unavailable as a 404 is
  (queries/downloads_rule.sql rule_error_page, read by rule_unavailable and rule_available): the window ends at the
  first one, which is no download and is counted among the errors. Where such pages outnumber the file's copies
  they were the window's most common length and the real copies read undetermined (0 complete of 2): now 2.
- An Error 206 (a part that failed) was judged as an unflagged part: a group covering the file read complete. A
  group holding such a part is never complete (rule_never_complete): undetermined.
- A range group judged between two stated lengths (rule_version_bounds) showed the most common length as its
  size_bytes while judged against the smallest (partial) or the largest (complete): it shows what judged it.
- `exposure files` did not say the "two or more lengths stated" warning analyse and the report say: it says it on
  stderr (analyse's words, exposure/answer.py lengths_warning) and carries `lengths_stated` (CSV, JSON), from the one
  test (queries/downloads_rule.sql rule_several_lengths).
- Body counts with two stated lengths (S3: Object Size and Bytes Sent): a 200 of the other length read complete,
  though the README says a 200 of a length other than the window's is never complete; now undetermined.
Each door: the JSON answer (CLI) and the API, the portable SQL over the export, and the test oracle.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions
from exposure.cli import app
from exposure.formats.cloudfront import STANDARD_FIELDS
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.logs import cloudfront_lines, s3_get
from tests.oracle_rule import Row, downloads, windows
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/rapport-2024.pdf"
CF_NAME = "E2EXAMPLE.2020-06-10-10.a1b2c3d4"
S3_NAME = "2020-06-10-10-30-00-ABCDEF0123456789"


def _cf(ip: str, length: int, result: str = "Hit", rng: tuple[int, int] | None = None) -> dict[str, str]:
    """A CloudFront response of `length` body bytes (412 bytes of headers; a 206 states the part's length)."""
    status, body = ("200", length) if rng is None else ("206", rng[1] - rng[0] + 1)
    row = {"c-ip": ip, "sc-status": status, "sc-bytes": str(body + 412), "sc-content-len": str(body),
           "x-edge-result-type": result, "x-edge-response-result-type": result,
           "x-edge-detailed-result-type": result}
    if rng is not None:
        row |= {"sc-range-start": str(rng[0]), "sc-range-end": str(rng[1])}
    return row


PDF = 600_000
PAGE = 1_234  # the custom error response's /index.html


def _cf_log(rows: list[dict[str, str]]) -> str:
    return ("#Version: 1.0\n#Fields: " + " ".join(STANDARD_FIELDS) + "\n"
            + "\n".join(cloudfront_lines(rows, list(STANDARD_FIELDS), TARGET)) + "\n")


def _cf_oracle(rows: list[dict[str, str]]) -> list[Row]:
    """The rows as the oracle reads them: what the CloudFront log keeps (a minute apart, from 10:00)."""
    out = []
    for i, r in enumerate(rows):
        status = int(r["sc-status"])
        rng = (int(r["sc-range-start"]), int(r["sc-range-end"])) if "sc-range-start" in r else None
        out.append(Row(datetime(2020, 6, 10, 10, i), r["c-ip"], "Mozilla/5.0", "GET", status, int(r["sc-bytes"]),
                       True, int(r["sc-content-len"]) if status == 200 else None, rng,
                       "error" if r["x-edge-result-type"] == "Error" else None))
    return out


def _doors(tmp_path: Path, name: str, text: str, oracle: list[Row]) -> list[tuple[str, str, int | None]]:
    """(client, outcome, size_bytes) of every download by the JSON answer, asserted equal by the API, the portable
    SQL (asserted equal to the case's rows) and the oracle (client and outcome); the answer's target."""
    answer = analyse(tmp_path / "cli", name, text, TARGET)
    accounted(answer)
    got = [(d["client_ip"], d["outcome"], d["size_bytes"]) for d in answer.target["downloads"]]
    assert [(d["client_ip"], d["outcome"], d["size_bytes"]) for d in answer.downloads] == got
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / name).write_text(text)
    portable = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none"))
    assert [(d["client"], d["outcome"], d["size_bytes"]) for d in portable["downloads"]] == got
    t0 = oracle[0].t
    assert [(d.client, d.outcome) for d in downloads(windows(oracle, t0, None), None)] == [g[:2] for g in got]
    _doors.answer = answer  # type: ignore[attr-defined]
    return got


def _answer() -> Any:
    return _doors.answer  # type: ignore[attr-defined]


def test_an_error_page_answering_200_closes_the_window(tmp_path: Path) -> None:
    """/tmp/errfix/2_error_page_keeps_window_open: 3 copies (10:00-10:02), then the file deleted and the custom
    error page served as 200 at 10:03 and 10:04. Before: window 1 available until 10:04 (the last error page),
    still open, 2 undetermined downloads. Now it ends at the first error page."""
    rows = [_cf("198.51.100.11", PDF), _cf("198.51.100.12", PDF), _cf("198.51.100.13", PDF),
            _cf("198.51.100.21", PAGE, "Error"), _cf("198.51.100.22", PAGE, "Error")]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _cf_oracle(rows))
    assert got == [(f"198.51.100.1{i}", "complete", PDF + 412) for i in (1, 2, 3)]
    [window] = _answer().target["windows"]
    assert (window["last_available"], window["first_unavailable"]) == ("2020-06-10T10:02:00Z",
                                                                       "2020-06-10T10:03:00Z")
    assert (window["size_bytes"], window["lengths"]) == (PDF, [PDF])
    totals = _answer().totals
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["errors"]) == (3, 3, 2)
    [w] = windows(_cf_oracle(rows), datetime(2020, 6, 10, 10, 0), None)
    assert (w.last_available, w.first_unavailable) == (datetime(2020, 6, 10, 10, 2), datetime(2020, 6, 10, 10, 3))
    # said, an inference: the terminal and JSON warning, and page 1's caveat in Dutch
    [said] = [x for x in _answer().target["warnings"] if "closed by an error page" in x]
    assert said.startswith("window 1: closed by an error page: its first unavailable response is a CloudFront Error "
                           "result answering 200") and "an inference" in said
    assert sentence(said, strings("nl")).startswith("venster 1: gesloten door een foutpagina: ")
    result = CliRunner().invoke(app, ["files", "--case", str(tmp_path / "portable" / "case.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    assert f"warning: {TARGET}: {said}" in result.stderr.splitlines()
    [row] = json.loads(result.stdout)
    assert (row["withdrawn_at"], row["closed_by_error_page"], row["errors"]) == ("2020-06-10T10:03:00Z", [1], 2)


def test_error_pages_outnumbering_the_copies_are_not_the_file(tmp_path: Path) -> None:
    """/tmp/errfix/4_error_pages_outnumber: 2 copies, then 3 error pages. Before: the page's 1,234 bytes was the
    window's most common length and all 5 read undetermined (0 complete). Now 2 complete from 2."""
    rows = [_cf("198.51.100.11", PDF), _cf("198.51.100.12", PDF)] + [
        _cf(f"198.51.100.2{i}", PAGE, "Error") for i in range(3)]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _cf_oracle(rows))
    assert got == [("198.51.100.11", "complete", PDF + 412), ("198.51.100.12", "complete", PDF + 412)]
    assert (_answer().totals["complete_downloads"], _answer().totals["errors"]) == (2, 3)


def test_a_range_group_with_an_error_part_is_never_complete(tmp_path: Path) -> None:
    """/tmp/errfix/3_error_206: a copy, then two 206 parts covering the file, the second an Error result (a part that
    failed). Before: the group read complete (2 complete). Now undetermined."""
    rows = [_cf("198.51.100.11", PDF), _cf("198.51.100.31", PDF, rng=(0, 299_999)),
            _cf("198.51.100.31", PDF, "Error", rng=(300_000, 599_999))]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _cf_oracle(rows))
    assert got == [("198.51.100.11", "complete", PDF + 412), ("198.51.100.31", "undetermined", PDF)]


@pytest.mark.parametrize(("common", "other", "rng", "outcome", "shown"), [
    # 5_range_group_shown_size: short of both lengths, judged by the smallest: before it showed 600,000
    pytest.param(600_000, 400_000, (0, 199_999), "partial", 400_000, id="partial_shows_smallest"),
    # covering the largest, judged by it: before it showed the most common, 400,000
    pytest.param(400_000, 600_000, (0, 599_999), "complete", 600_000, id="complete_shows_largest"),
])
def test_a_range_group_shows_the_length_it_was_judged_by(tmp_path: Path, common: int, other: int,
                                                        rng: tuple[int, int], outcome: str, shown: int) -> None:
    rows = [_cf(f"198.51.100.1{i}", common) for i in range(3)] + [_cf("198.51.100.21", other),
                                                                   _cf("198.51.100.31", common, rng=rng)]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _cf_oracle(rows))
    assert got[-1] == ("198.51.100.31", outcome, shown)
    assert got[3] == ("198.51.100.21", "undetermined", other + 412)  # another length: never complete
    # every door says the lengths: analyse's warning, and `files` the same words on stderr and its column
    [said] = [w for w in _answer().target["warnings"] if "two or more lengths stated" in w]
    result = CliRunner().invoke(app, ["files", "--case", str(tmp_path / "portable" / "case.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    assert f"warning: {TARGET}: {said}" in result.stderr.splitlines()
    [row] = json.loads(result.stdout)
    assert row["lengths_stated"] == [{"window": 1, "lengths": sorted((common, other))}]


def test_body_counts_of_another_stated_length_are_never_complete(tmp_path: Path) -> None:
    """/tmp/errfix/1c_s3_two_sizes (S3: Object Size and Bytes Sent): 3 whole copies of 600,000 bytes and one whole
    object of 1,234 at the key. Before: the 1,234-byte 200 read complete (4 complete from 4); a 200 of a length
    other than the window's is never complete (README), as it already was where counts include headers."""
    served = [("198.51.100.11", PDF), ("198.51.100.12", PDF), ("198.51.100.13", PDF), ("198.51.100.21", PAGE)]
    text = "\n".join(s3_get(i, ip, size, TARGET) for i, (ip, size) in enumerate(served)) + "\n"
    oracle = [Row(datetime(2020, 6, 10, 10, i), ip, "Mozilla/5.0", "GET", 200, size, False, size, None, None)
              for i, (ip, size) in enumerate(served)]
    got = _doors(tmp_path, S3_NAME, text, oracle)
    assert got == [(ip, "complete", PDF) for ip, _ in served[:3]] + [("198.51.100.21", "undetermined", PAGE)]
    assert _answer().totals["complete_downloads"] == 3
