"""Red team 21: a log delivered as Parquet is unread evidence, never "not a log".

CloudFront's standard logging v2 delivers a distribution's log as Parquet where asked (its output formats: w3c,
JSON, plain, Parquet). /tmp/redteam21/pq: two CloudFront .gz hours and one hour as
`E1ABCDEF.2024-03-04-09.a1b2c3d4.parquet` with five downloads of the target: the Parquet file was "not a log:
not analysed" (stated), the evidence status "complete", exit 0, the five downloads gone. Parquet is known by its
magic bytes (`PAR1`), as xz or zstd content is (exposure/evidence.py encoding_refusal): unreadable, with how to
have it read."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from exposure import Case
from tests.test_redteam7_unread_placed import _cloudfront_hours

pytestmark = pytest.mark.slow


def test_a_cloudfront_hour_delivered_as_parquet_is_unreadable(tmp_path: Path) -> None:
    folder = _cloudfront_hours(tmp_path, lambda _header, _text, data: data)
    hour = folder / "E2EXAMPLE.2020-06-08-03.abcd1234.gz"
    text = gzip.decompress(hour.read_bytes()).decode()
    hour.unlink()
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    parquet = folder / "E2EXAMPLE.2020-06-08-03.abcd1234.parquet"
    with duckdb.connect() as db:
        db.execute("CREATE TABLE t (date VARCHAR, time VARCHAR, \"c-ip\" VARCHAR, \"cs-uri-stem\" VARCHAR, "
                   "\"sc-status\" VARCHAR)")
        db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [[r[0], r[1], r[4], r[7], r[8]] for r in rows])
        db.execute(f"COPY t TO '{parquet}' (FORMAT parquet)")
    assert parquet.read_bytes()[:4] == b"PAR1"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        verdicts = {Path(p).name: v for p, v in case.sql("SELECT path, verdict FROM evidence").values.tolist()}
        [finding] = [f for f in case.findings() if f.incomplete]
    assert verdicts[parquet.name] == "unreadable"
    assert (finding.kind, finding.path.endswith(parquet.name)) == ("unreadable", True)
    assert "Parquet" in finding.line()
    # placed over the hour its name gives, as an unread .gz hour is (test_redteam7_unread_placed)
    assert finding.fact == "name 2020-06-08T03:00:00Z"
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 8, 3, 0), datetime(2020, 6, 8, 4, 0))
