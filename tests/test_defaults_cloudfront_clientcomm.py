"""CloudFront's `x-edge-detailed-result-type` `ClientCommError` on a 200: "the response to the viewer was
interrupted due to a communication problem between the server and the viewer" (AWS, "Standard log file
fields"). It names the viewer's link, never a custom error page, whatever `x-edge-response-result-type` says:
the transfer was cut short (`completion` `aborted`), the file was available, and the window stays open. Read
before as `error` where the response result type was `Error` too: a custom error response at the file's path,
unavailable, which split one window in two and dropped the interrupted download from the counts.
Input kept in /tmp/defaults/cloudfront-clientcomm (TRUTH.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.cloudfront import STANDARD_FIELDS
from tests.servers import accounted, analyse, files_row

pytestmark = pytest.mark.slow

SIZE = 50000
TARGET = "/dl/leak.pdf"


def _cf(time: str, ip: str, sc_bytes: int, result: str, response: str, detail: str, status: int = 200,
        length: int | str = SIZE) -> str:
    values = {f: "-" for f in STANDARD_FIELDS}
    values.update({"date": "2020-06-08", "time": time, "x-edge-location": "AMS1-C1", "sc-bytes": str(sc_bytes),
                   "c-ip": ip, "cs-method": "GET", "cs(host)": "d111.cloudfront.net", "cs-uri-stem": TARGET,
                   "sc-status": str(status), "cs(user-agent)": "Mozilla/5.0%20(X11)", "x-edge-result-type": result,
                   "x-edge-request-id": "id==", "x-host-header": "www.example.nl", "cs-protocol": "https",
                   "cs-bytes": "180", "time-taken": "0.05", "x-edge-response-result-type": response,
                   "cs-protocol-version": "HTTP/2.0", "x-edge-detailed-result-type": detail,
                   "sc-content-type": "application/pdf", "sc-content-len": str(length)})
    return "\t".join(values[f] for f in STANDARD_FIELDS)


LOG = "\n".join([
    "#Version: 1.0", "#Fields: " + " ".join(STANDARD_FIELDS),
    _cf("07:00:00", "198.51.100.1", SIZE + 400, "Miss", "Miss", "Miss"),
    _cf("07:01:00", "198.51.100.2", 20000 + 400, "Error", "Error", "ClientCommError"),  # the viewer's link broke
    _cf("07:02:00", "198.51.100.3", SIZE + 402, "Hit", "Hit", "Hit"),
    _cf("08:00:00", "198.51.100.9", 600, "Error", "Error", "Error", status=404, length=300),
]) + "\n"


def test_client_comm_error_is_a_transfer_cut_short_not_an_error_page(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "E2EXAMPLE.2020-06-08-07.cc", LOG, TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert [r["completion"] for r in answer.rows] == [None, "aborted", None, "error"]
    target = answer.target
    assert [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-08T07:00:00Z", "2020-06-08T07:02:00Z", "2020-06-08T08:00:00Z")]
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "partial"), ("198.51.100.3", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    totals = answer.totals
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"],
            totals["errors"]) == (2, 2, 1, 1)
    assert not [w for w in target["warnings"] if "error page" in w]

    # `files` reads the same rule: one window, the same figures
    row = files_row(tmp_path, TARGET)
    assert (row["windows"], row["complete_downloads"], row["partial_downloads"], row["errors"],
            row["closed_by_error_page"]) == (1, 2, 1, 1, [])
