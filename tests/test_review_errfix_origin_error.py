"""Review of errfix: a CloudFront Error result answering 200 whose x-edge-detailed-result-type names an origin
failure (OriginReadError, OriginConnectError, AbortedOrigin, SlowReaderOriginError ...) is not a custom error page
standing for a removed file: CloudFront says the origin failed, a server error (a raw 5xx closes no window), or the
file itself cut short after its 200 was sent (sc-content-len the file's, application/pdf). errfix took every Error
200 as an error page that closes the window as a 404 does: one such line between good copies split one window in
two (a withdrawal at it, a republication after it, said on page 1), and the file's own cut-short transfer was no
download at all (/tmp/review_errfix/A_error200_is_the_file: window 1 09:00-09:10, closed 09:15 "by an error page",
window 2 09:20-09:30; B_error200_from_503 alike, where the raw 503 of B2_raw_503 keeps one window). Such a line is
an error result (rule_error_result: available, never complete, as before errfix); a CloudFront Error 200 whose
detailed type is no origin failure (Error: the page CloudFront serves for the origin's 404/403) still closes it.
Each door: the JSON answer and the API, the portable SQL over the export, the test oracle.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.oracle_rule import Row, windows
from tests.test_errfix_error_results import CF_NAME, PAGE, PDF, _answer, _cf, _cf_log, _doors

pytestmark = pytest.mark.slow


def _oracle(rows: list[dict[str, str]]) -> list[Row]:
    """The rows as the oracle reads them: an Error whose detailed type names an origin failure is 'origin_error'."""
    out = []
    for i, r in enumerate(rows):
        status = int(r["sc-status"])
        completion = None
        if r["x-edge-result-type"] == "Error":
            completion = "origin_error" if r["x-edge-detailed-result-type"].startswith("Origin") else "error"
        out.append(Row(datetime(2020, 6, 10, 10, i), r["c-ip"], "Mozilla/5.0", "GET", status, int(r["sc-bytes"]),
                       True, int(r["sc-content-len"]) if status == 200 else None, None, completion))
    return out


def _origin_failed(ip: str, length: int, sent: int, detail: str) -> dict[str, str]:
    return _cf(ip, length, "Error") | {"sc-bytes": str(sent), "x-edge-detailed-result-type": detail}


@pytest.mark.parametrize(("middle", "outcome"), [
    # the PDF itself, the origin's read failing after its 200 was sent: half of it delivered
    pytest.param(_origin_failed("198.51.100.40", PDF, 300_412, "OriginReadError"), "partial", id="file_cut_short"),
    # the origin unreachable (a 5xx) answered by the custom error response's /index.html as a 200
    pytest.param(_origin_failed("198.51.100.40", PAGE, PAGE + 412, "OriginConnectError"), "undetermined",
                 id="server_error_page"),
])
def test_an_origin_failure_answering_200_does_not_close_the_window(tmp_path: Path, middle: dict[str, str],
                                                                   outcome: str) -> None:
    before = [_cf(f"198.51.100.1{i}", PDF) for i in range(3)]
    after = [_cf(f"198.51.100.2{i}", PDF) for i in range(3)]
    rows = before + [middle] + after
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _oracle(rows))
    assert [g[:2] for g in got] == ([(r["c-ip"], "complete") for r in before] + [("198.51.100.40", outcome)]
                                    + [(r["c-ip"], "complete") for r in after])
    [window] = _answer().target["windows"]   # before: two windows, the first closed at 10:03
    assert (window["first_available"], window["last_available"], window["first_unavailable"]) == (
        "2020-06-10T10:00:00Z", "2020-06-10T10:06:00Z", None)
    assert not [w for w in _answer().target["warnings"] if "closed by an error page" in w]
    assert (_answer().totals["complete_downloads"], _answer().totals["errors"]) == (6, 0)
    [w] = windows(_oracle(rows), datetime(2020, 6, 10, 10, 0), None)
    assert (w.last_available, w.first_unavailable) == (datetime(2020, 6, 10, 10, 6), None)


def test_an_error_page_for_a_removed_file_still_closes_it(tmp_path: Path) -> None:
    """The detailed type Error (no origin failure): the custom error page for the origin's 404, as errfix reads it."""
    rows = [_cf(f"198.51.100.1{i}", PDF) for i in range(3)] + [_cf("198.51.100.40", PAGE, "Error")]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _oracle(rows))
    assert got == [(f"198.51.100.1{i}", "complete", PDF + 412) for i in range(3)]
    [window] = _answer().target["windows"]
    assert window["first_unavailable"] == "2020-06-10T10:03:00Z"
