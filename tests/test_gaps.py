"""Gaps: periods without any log line per server label; a copy handed over twice still covers its folder."""

from __future__ import annotations

from pathlib import Path

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t


def _day(day: int) -> list[str]:
    return [clf("198.51.100.1", t(day, hour), "/") for hour in range(0, 24, 2)]


def test_missing_rotation_is_a_gap_and_a_duplicate_elsewhere_still_covers(tmp_path: Path) -> None:
    write_log(tmp_path / "logs" / "web1" / "access.log-1", _day(1))
    write_log(tmp_path / "logs" / "web1" / "access.log-3", _day(3))   # day 2 missing on web1
    write_log(tmp_path / "logs" / "web2" / "access.log-1", _day(1))
    write_log(tmp_path / "logs" / "web2" / "access.log-2", _day(2))
    write_log(tmp_path / "logs" / "web2" / "access.log-3", _day(3))
    write_log(tmp_path / "logs" / "a-export" / "web2-day2.log", _day(2))  # same content, sorts first
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        verdicts = dict(case.sql("SELECT server, verdict FROM evidence WHERE path LIKE '%day2%' "
                                 "OR path LIKE '%web2/access.log-2'").values.tolist())
        assert verdicts == {"a-export": "ingested", "web2": "duplicate"}
        gaps = case.gaps(gap_minutes=180)
    assert gaps[["server"]].values.ravel().tolist() == ["web1"]
    (gap,) = gaps.to_dict("records")
    assert (str(gap["gap_start"]), str(gap["gap_end"])) == ("2020-06-01 22:00:00+00:00", "2020-06-03 00:00:00+00:00")  # frames: UTC-aware
