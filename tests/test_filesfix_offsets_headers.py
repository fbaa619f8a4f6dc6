"""Review of filesfix: a range part with offsets cut short (its count at or below its range) surely delivered its
count less the MOST a 206's headers take (part_headers), never less a 304's: a 304 carries fewer headers than a
206 (no Content-Type, Content-Length, Content-Range, Accept-Ranges). A 180-byte 304 of another client made a
CloudFront group whose parts left 191 body bytes unsent complete by its offsets (rule_range_upto took 180 bytes of
headers from a cut part that carried 371). The case, `files`, the portable Spark SQL and the oracle alike."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from tests.logs import cloudfront_lines
from tests.parity import portable_equals_case

pytestmark = pytest.mark.slow

TARGET = "/f.bin"
WHOLE = [{"c-ip": f"198.51.100.{i}", "sc-status": "200", "sc-bytes": "100400", "sc-content-len": "100000"}
         for i in (1, 2, 3)]
# another client's 304: 180 bytes of headers
NOT_MODIFIED = {"c-ip": "198.51.100.4", "sc-status": "304", "sc-bytes": "180"}
# 198.51.100.6: 0-99999 announced, cut after 50,000 bytes (371 headers, body offsets 0-49,628), then 49,820-99,999
# in full (50,180 body + 371 headers): body offsets 49,629-49,819 (191 bytes) were never sent
PARTS = [{"c-ip": "198.51.100.6", "sc-status": "206", "sc-bytes": "50000", "sc-content-len": "100000",
          "sc-range-start": "0", "sc-range-end": "99999"},
         {"c-ip": "198.51.100.6", "sc-status": "206", "sc-bytes": str(50_180 + 371), "sc-content-len": "50180",
          "sc-range-start": "49820", "sc-range-end": "99999"}]


def _logs(tmp_path: Path) -> Path:
    from exposure.formats.cloudfront import STANDARD_FIELDS as fields
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = cloudfront_lines([*WHOLE, NOT_MODIFIED, *PARTS], list(fields), TARGET)
    (logs / "E2EXAMPLE.2020-06-10-10.a").write_text(
        "#Version: 1.0\n#Fields: " + " ".join(fields) + "\n" + "\n".join(lines) + "\n")
    return logs


def test_a_304_never_makes_a_cut_part_with_offsets_reach_further(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    options = AnalysisOptions(geoip_city="none")
    got = portable_equals_case(tmp_path / "portable", logs, TARGET, options)
    portable = {d.get("client_ip", d.get("client")): d["outcome"] for d in got["downloads"] if d["kind"] == "range"}
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        downloads = case.downloads(TARGET, options)
        ranges = downloads[downloads["kind"] == "range"]
        got_case = dict(zip(ranges["client_ip"], zip(ranges["outcome"], ranges["bytes"], strict=True), strict=True))
        files = case.files(targets=[TARGET]).to_dict("records")[0]
    # was ('complete', 100000): the 304's 180 bytes taken from the cut part's 50,000 made it reach 49,819
    assert got_case["198.51.100.6"][0] == "undetermined"
    assert got_case["198.51.100.6"][1] < 100_000
    assert files["complete_downloads"] == 3
    assert portable == {"198.51.100.6": "undetermined"}

    from tests.oracle_rule import Row, windows
    from tests.oracle_rule import downloads as oracle_downloads
    t0 = datetime(2020, 6, 10, 10, 0)
    rows = [Row(t0 + timedelta(minutes=i), r["c-ip"], "Mozilla/5.0", "GET", int(r["sc-status"]), int(r["sc-bytes"]),
                True, 100_000 if r["sc-status"] == "200" else None, None, None)
            for i, r in enumerate([*WHOLE, NOT_MODIFIED])]
    for i, r in enumerate(PARTS):
        rows.append(Row(t0 + timedelta(minutes=4 + i), r["c-ip"], "Mozilla/5.0", "GET", 206, int(r["sc-bytes"]),
                        True, None, (int(r["sc-range-start"]), int(r["sc-range-end"])), None))
    oracle = {d.client: d.outcome for d in oracle_downloads(windows(rows, t0, None), None) if d.kind == "range"}
    assert oracle == {"198.51.100.6": "undetermined"}
