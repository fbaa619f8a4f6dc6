"""Review of red team 18a: banding each 200 by the length it states made any 200 of another length complete (a lone
length's band is its own count). On CloudFront a PDF deleted at the origin is answered by the distribution's custom
error response, `/index.html` as a 200 at the same path (sc-content-len 1,234, sc-bytes 1,646, result type
Error): both error pages read complete, 5 complete downloads from 5 addresses where the truth is 3 from 3, and the
warning said the file "changed while available". The log keeps no content type: it cannot tell another version of
the file from another object served at its path. A 200 stating another length than the window's, and any response
the log marks an error result, is never complete: undetermined where its own rule would call it complete, partial
below (queries/downloads_rule.sql rule_never_complete; the portable SQL and the test oracle the same).

errfix: an Error result answering 200 (the custom error response) is not the file at all: it is unavailable as a 404
is (rule_error_page), closing the window, and no download; a 200 of another length the log does not mark an error
(an error page served as a Hit, another version) stays a download, never complete."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions
from tests.oracle_rule import Row, downloads, windows
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/rapport-2024.pdf"
NAME = "E2EXAMPLE.2024-03-10-09.a1b2c3d4"
FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
          "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
          "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
          "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
          "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")
PDF, PAGE = (600_412, 600_000, "application/pdf", "Hit"), (1_646, 1_234, "text/html", "Error")
UNMARKED = (1_646, 1_234, "text/html", "Hit")  # another object at the path the log does not mark an error


def _line(minute: int, ip: str, served: tuple[int, int, str, str]) -> str:
    sent, length, kind, result = served
    return "\t".join(["2024-03-10", f"09:{minute:02d}:05", "AMS58-P3", str(sent), ip, "GET",
                      "d111111abcdef8.cloudfront.net", TARGET, "200", "-", "Mozilla/5.0%20Chrome/120.0.0.0", "-", "-",
                      result, f"req{minute}==", "www.example.nl", "https", "212", "0.312", "-", "TLSv1.3",
                      "TLS_AES_128_GCM_SHA256", result, "HTTP/2.0", "-", "-", "51234", "0.011", result, kind,
                      str(length), "-", "-"])


def _log(served: list[tuple[str, tuple[int, int, str, str]]]) -> str:
    lines = [_line(5 * i, ip, s) for i, (ip, s) in enumerate(served)]
    return "#Version: 1.0\n#Fields: " + FIELDS + "\n" + "\n".join(lines) + "\n"


# three copies of the PDF, then the PDF deleted at the origin and its custom error page served as a 200 twice
DELETED = [("198.51.100.11", PDF), ("198.51.100.12", PDF), ("198.51.100.13", PDF),
           ("198.51.100.21", PAGE), ("198.51.100.22", PAGE)]
# the error result alone: an Error 200 of the window's own length (no second length to judge it by)
ERROR_ONLY = [("198.51.100.11", PDF), ("198.51.100.12", PDF), ("198.51.100.13", PDF),
              ("198.51.100.21", (600_412, 600_000, "application/pdf", "Error"))]


def _oracle(served: list[tuple[str, tuple[int, int, str, str]]]) -> list[tuple[str, str]]:
    t0 = datetime(2024, 3, 10, 9, 0, 5)
    rows = [Row(t0.replace(minute=5 * i), ip, "b", "GET", 200, s[0], True, s[1], None,
                "error" if s[3] == "Error" else None) for i, (ip, s) in enumerate(served)]
    return [(d.client, d.outcome) for d in downloads(windows(rows, t0, None), None)]


# another length the log does not mark: a download, never complete
UNMARKED_PAGE = [("198.51.100.11", PDF), ("198.51.100.12", PDF), ("198.51.100.13", PDF),
                 ("198.51.100.21", UNMARKED), ("198.51.100.22", UNMARKED)]


@pytest.mark.parametrize(("served", "complete"), [pytest.param(DELETED, 3, id="error_page"),
                                                  pytest.param(ERROR_ONLY, 3, id="error_result"),
                                                  pytest.param(UNMARKED_PAGE, 3, id="unmarked_page")])
def test_an_error_page_or_another_length_is_never_complete(tmp_path: Path, served: list, complete: int) -> None:
    answer = analyse(tmp_path / "cli", NAME, _log(served), TARGET)
    accounted(answer)
    # an Error 200 is no download (it closes the window); a Hit of another length is one, undetermined
    expected = [(ip, "complete" if s[1] == 600_000 else "undetermined") for ip, s in served if s[3] == "Hit"]
    assert [(d["client_ip"], d["outcome"]) for d in answer.target["downloads"]] == expected
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (complete, complete)
    # the portable SQL (asserted equal to the case's rows) and the oracle
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / NAME).write_text(_log(served))
    got = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none"))
    assert [(d["client"], d["outcome"]) for d in got["downloads"]] == expected
    assert _oracle(served) == expected


def test_the_warning_says_two_lengths_not_a_changed_file(tmp_path: Path) -> None:
    answer = analyse(tmp_path, NAME, _log(UNMARKED_PAGE), TARGET)
    [warning] = [w for w in answer.target["warnings"] if "two or more lengths stated" in w]
    assert warning.startswith("window 1: two or more lengths stated: its responses state 2 lengths of the file "
                              "(1\u202f234 and 600\u202f000 bytes)"), warning
    assert "error page" in warning and "undetermined" in warning and "changed" not in warning
