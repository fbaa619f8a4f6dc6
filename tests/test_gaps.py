"""Gaps: periods without any log line per log stream, longer than the stream's own quiet times; a copy handed
over elsewhere joins the stream it copies."""

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
        rows = case.sql("SELECT path, stream, verdict FROM evidence WHERE path LIKE '%day2%' "
                        "OR path LIKE '%web2/access.log-2' ORDER BY path").values.tolist()
        # the server's rotation is the original whatever sorts first; the export is its copy, in its stream
        assert [(Path(p).name, s, v) for p, s, v in rows] == [("web2-day2.log", "web2/access.log", "duplicate"),
                                                              ("access.log-2", "web2/access.log", "ingested")]
        gaps = case.gaps(gap_minutes=180)
    # web2's days 1 and 3 are byte for byte web1's (duplicates, counted from web1): its stream holds day 2 alone,
    # silent before its first line and after its last while web1 logs (`edge`: said inside a window only)
    edges = gaps[gaps["edge"].notna()]
    assert edges[["stream", "edge"]].values.tolist() == [["web2/access.log", "before its first line"],
                                                         ["web2/access.log", "after its last line"]]
    gaps = gaps[gaps["edge"].isna()]
    assert gaps[["stream", "server"]].values.tolist() == [["web1/access.log", "web1"]]
    (gap,) = gaps.to_dict("records")
    assert (str(gap["gap_start"]), str(gap["gap_end"])) == ("2020-06-01 22:00:00+00:00",
                                                            "2020-06-03 00:00:00+00:00")  # frames: UTC-aware
    # three days of web1 at most: no usual silence to compare with, gap_minutes alone is the threshold
    assert gap["threshold_minutes"] == 180 and gap["usual_silence_minutes"] != gap["usual_silence_minutes"]
