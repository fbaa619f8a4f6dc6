"""Review of errfix: with the file's size given (--size) and the log stating two lengths, "a 200 of a length other
than the window's is never complete" judged against the window's most common stated length, not the given size: the
copies of the given size read undetermined and the other length's objects complete.

/tmp/review_errfix/E_s3_given_size (S3, body counts: 2 whole 600,000-byte objects, then 3 whole 1,234-byte ones at
the key), --size 600000: before 3 complete (the three 1,234-byte objects) and the two 600,000-byte copies
undetermined; after 2 complete (the 600,000 copies), 3 undetermined. /tmp/review_errfix/F_cf_given_size
(CloudFront, counts with headers: 3 x 600,000, 1 x 400,000), --size 400000: before the three 600,000-byte objects
complete against 400,000 and the one 400,000 copy undetermined; after 1 complete, 3 undetermined. The window's own
length is the given size where one is given (queries/downloads_rule.sql rule_windows length_bands), else the most
common length the log states. Each door: the JSON answer and the API, the portable SQL, the oracle.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.logs import s3_get
from tests.oracle_rule import Row, downloads, windows
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse
from tests.test_errfix_error_results import CF_NAME, PDF, S3_NAME, TARGET, _cf, _cf_log, _cf_oracle

pytestmark = pytest.mark.slow


def _doors(tmp_path: Path, name: str, text: str, oracle: list[Row], size: int) -> list[tuple[str, str]]:
    answer = analyse(tmp_path / "cli", name, text, TARGET, size=size)
    accounted(answer)
    got = [(d["client_ip"], d["outcome"]) for d in answer.target["downloads"]]
    assert [(d["client_ip"], d["outcome"]) for d in answer.downloads] == got
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / name).write_text(text)
    portable = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none", size=size))
    assert [(d["client"], d["outcome"]) for d in portable["downloads"]] == got
    assert [(d.client, d.outcome) for d in downloads(windows(oracle, oracle[0].t, size), size)] == got
    # the warning says what the rule measures "another length" against: the given size where one is given
    [said] = [w for w in answer.target["warnings"] if "two or more lengths stated" in w]
    assert "other than the window's own (the given size, else the most common one)" in said
    assert "(de opgegeven grootte, anders de meest voorkomende)" in sentence(said, strings("nl"))
    return got


def test_s3_the_given_size_is_the_windows_length(tmp_path: Path) -> None:
    served = [("198.51.100.11", PDF), ("198.51.100.12", PDF)] + [(f"198.51.100.2{i}", 1_234) for i in range(3)]
    text = "\n".join(s3_get(i, ip, size, TARGET) for i, (ip, size) in enumerate(served)) + "\n"
    oracle = [Row(datetime(2020, 6, 10, 10, i), ip, "Mozilla/5.0", "GET", 200, size, False, size, None, None)
              for i, (ip, size) in enumerate(served)]
    got = _doors(tmp_path, S3_NAME, text, oracle, PDF)
    assert got == [(ip, "complete" if size == PDF else "undetermined") for ip, size in served]


def test_cloudfront_the_given_size_is_the_windows_length(tmp_path: Path) -> None:
    rows = [_cf(f"198.51.100.1{i}", PDF) for i in range(3)] + [_cf("198.51.100.21", 400_000)]
    got = _doors(tmp_path, CF_NAME, _cf_log(rows), _cf_oracle(rows), 400_000)
    assert got == [(f"198.51.100.1{i}", "undetermined") for i in range(3)] + [("198.51.100.21", "complete")]
