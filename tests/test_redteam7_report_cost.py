"""Red team 7: a report of 2,000 S3 objects (6,000 downloads) was not done after 9.5 minutes. Measured first
(2,000 objects, HTML only): 79 s, of which 63 s the timeline chart, one matplotlib scatter per download, each
rescaling the axes over every point so far; 7 s the appendix, one query per evidence file for the byte offsets
of its raw lines. Now one scatter per lane and colour and one query for every line: 10 s. These tests hold the
shape of the work (never its time): the number of marker groups drawn and of queries made."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.charts import target_chart
from exposure.report.i18n import EN, Strings
from tests.report.test_charts import _crowded
from tests.test_redteam7_silent_s3 import SIZE, _bucket


def test_the_chart_draws_one_marker_group_per_lane_and_colour_not_per_download() -> None:
    t = _crowded(40)
    for d in t["downloads"][::4]:
        d["outcome"] = "partial"  # two lanes of downloads, one colour each
    svg = target_chart(t, Strings(EN))
    # the requests lane (ok, error), the 404/410 lane, complete, partial: never one group per download
    assert len(re.findall(r'<g id="PathCollection_\d+"', svg)) == 5
    assert len(re.findall(r'<use xlink:href="#[^"]+" x="[\d.]+" y="[\d.]+"', svg)) >= 40 + 40  # every mark drawn


def test_the_appendix_reads_the_offsets_of_every_file_in_one_query(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from exposure.case import CaseFile

    _bucket(tmp_path / "b", {})  # 37 S3 objects, one download each
    asked: list[str] = []
    real = CaseFile.fetchall

    def counting(self: CaseFile, sql: str, params: object = None) -> list:
        if "byte_offset FROM requests" in sql:  # the raw lines' offsets (report/model.py _appendix)
            asked.append(sql)
        return real(self, sql, params)

    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "b"])
        monkeypatch.setattr(CaseFile, "fetchall", counting)
        case.report(["/docs/x.xlsx"], tmp_path / "out", AnalysisOptions(size=SIZE),
                    ReportSettings(pdf=False, pin_time=datetime(2020, 8, 1, tzinfo=UTC)))
    assert len(asked) == 1
    lines = (tmp_path / "out" / "download_lines.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 37 and all(",0,false," in row for row in lines[1:])  # byte offset 0, not compressed
