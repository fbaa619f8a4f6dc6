"""Range parts logged with byte counts that include the response's headers (CloudFront sc-bytes, Apache %O,
nginx $bytes_sent, ALB sent_bytes). A part's body bytes are its count less the header size the log shows for
the file (a HEAD, a 304, a 200 of known size: rule_header_size in queries/downloads_rule.sql), never "any count
above the part's length": a part 300 bytes short whose 430 header bytes fill the gap is short, and a part logged
with its headers alone delivered no body. Where the log shows no header size a part is neither full nor short by a
guess: its group is undetermined, or partial where even the most its counts can hold falls short. A 1 MB file,
the CLI's JSON, the API and the oracle here; `files` and the portable SQL (DuckDB over the export, and Spark) in
tests/test_rule_parity.py and tests/spark, whose fixture `cloudfront-header-parts` (tests/leak_cases.py) is this
log."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.ingest import IngestOptions
from exposure.report import wording
from exposure.report.i18n import strings
from tests.leak_cases import H200, H206, header_parts_log, header_parts_scenario
from tests.leak_cases import PARTS_SIZE as SIZE
from tests.oracle_rule import expected
from tests.oracle_scenarios import FORMATS, INTERNAL, TARGET
from tests.servers import accounted, analyse

NAMES = {"cloudfront": "E2EXAMPLE.2024-03-10-10.abcd1234", "apache-%O-range": "access.log"}


def _ranges(downloads: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(d["client_ip"], d["outcome"], d["bytes"]) for d in downloads if d["kind"] == "range"]


@pytest.mark.parametrize("name", ["cloudfront", "apache-%O-range"])
def test_parts_lose_the_measured_headers(tmp_path: Path, name: str) -> None:
    """Headers measured at 390 bytes (a HEAD; CloudFront's 200 also by sc-bytes less sc-content-len): the whole
    file in three parts is complete, a part 300 bytes short leaves the group partial with the bytes its count
    holds after headers (SIZE - 300 + 40: the 206's Content-Range line, which no log measures), and parts logged
    with headers alone delivered no body (before: two short parts counted as full, 600 invented bytes)."""
    fmt = FORMATS[name]
    answer = analyse(tmp_path, NAMES[name], header_parts_log(name), TARGET, *fmt.cli,
                     ingest=IngestOptions(**fmt.options))  # type: ignore[arg-type]
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    [window] = answer.target["windows"]
    assert (window["header_measured"], window["header_bytes"]) == (H200, H200)
    want = [("198.51.100.2", "complete", SIZE), ("198.51.100.3", "partial", SIZE - 300 + H206 - H200),
            ("198.51.100.4", "partial", 0)]
    assert _ranges(answer.target["downloads"]) == want
    assert _ranges(answer.downloads) == want
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (2, 2)
    # the written rule, in plain Python, says the same
    oracle = expected(header_parts_scenario(measured=True), fmt, INTERNAL)
    assert [(d[1], d[3]) for d in oracle["downloads"] if d[2] == "range"] == [(ip, out) for ip, out, _ in want]


@pytest.mark.parametrize("name", ["cloudfront", "apache-%O-range"])
def test_unmeasured_headers_never_make_a_part_full(tmp_path: Path, name: str) -> None:
    """No HEAD, 304 or 200 of known size: the header size is not known, so whether a part went out in full is not
    either. The whole file in three parts and the part 300 bytes short are both undetermined (a 1024-byte guess
    would make both partial, the bare count both complete); the header-only parts are partial even if every
    count but one byte were body (600 bytes of 1 MB), and surely delivered no byte."""
    fmt = FORMATS[name]
    size = (SIZE,) if name == "cloudfront" else ()  # CloudFront's 206s state no object length: give it
    answer = analyse(tmp_path, NAMES[name], header_parts_log(name, measured=False), TARGET, *fmt.cli,
                     ingest=IngestOptions(**fmt.options), size=size[0] if size else None)  # type: ignore[arg-type]
    assert answer.exit_code == 0, answer.output
    [window] = answer.target["windows"]
    assert (window["header_measured"], window["header_bytes"]) == (None, 1024)
    want = [("198.51.100.2", "undetermined"), ("198.51.100.3", "undetermined"), ("198.51.100.4", "partial")]
    assert [r[:2] for r in _ranges(answer.target["downloads"])] == want
    assert [r[:2] for r in _ranges(answer.downloads)] == want
    assert _ranges(answer.downloads)[2][2] == 0
    assert answer.totals["complete_downloads"] == 0
    # said, in the answer (page 1 of the report and the terminal show its warnings) and in Dutch
    [said] = [w for w in answer.target["warnings"] if "no line shows their size" in w]
    assert said == ("window 1: byte counts include the response headers and no line shows their size (a HEAD, a "
                    "304, or a 200 GET of known size: --size), so whether a range part went out in full is not "
                    "known: 2 range downloads are undetermined")
    assert wording.sentence(said, strings("nl")).endswith("2 deeldownloads zijn onbepaald")
    oracle = expected(header_parts_scenario(measured=False), fmt, INTERNAL,
                      size[0] if size else None)
    assert [(d[1], d[3]) for d in oracle["downloads"] if d[2] == "range"] == want


@pytest.mark.parametrize("name", ["nginx-bytes_sent", "alb"])
def test_parts_without_offsets_are_judged_by_their_sum(tmp_path: Path, name: str) -> None:
    """nginx's $bytes_sent and ALB's sent_bytes log no offsets: a range group is judged by the sum of its counts
    less the measured header size for every part but one (band_sum): the whole file in three parts is complete
    (an inference: no part alone is the file), the group 300 bytes short reaches the band only with its headers
    (undetermined), the header-only parts are partial."""
    fmt = FORMATS[name]
    answer = analyse(tmp_path, "access.log", header_parts_log(name), TARGET, *fmt.cli,
                     ingest=IngestOptions(**fmt.options))  # type: ignore[arg-type]
    assert answer.exit_code == 0, answer.output
    got = [(d["client_ip"], d["outcome"], d["outcome_inferred"]) for d in answer.target["downloads"]
           if d["kind"] == "range"]
    assert got == [("198.51.100.2", "complete", True), ("198.51.100.3", "undetermined", False),
                   ("198.51.100.4", "partial", False)]
    oracle = expected(header_parts_scenario(measured=True), fmt, INTERNAL)
    assert [(d[1], d[3], d[4]) for d in oracle["downloads"] if d[2] == "range"] == got
