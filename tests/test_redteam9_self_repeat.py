"""Red team 9: a log that holds its own lines twice. `cat access.log.1 access.log.1 > all.log`, a rotation's gzip
joined to itself (`cat x.gz x.gz`, two members), a copy appended to itself: every request of it was counted twice
(4 complete downloads where 2 were made), said only as `time ran back`
("the server's clock set back, or two servers' lines"). Overlaps were looked for between files only. Now the second
run is a copy of the first (exposure/overlap.py SELF_SQL): counted once, said as an `overlap` of the file with itself,
and no clock is said to have been set back. A burst of identical requests in one second is not a repeat."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.pdf"
SIZE = 50_000


def _day() -> list[str]:
    """12 June, a line a minute from 10:00: a complete download at 10:05 and one at 10:20, a partial at 10:10."""
    lines = [clf("198.51.100.1", t(12, 10, i), f"/page/{i % 5}.html") for i in range(30)]
    lines[5] = clf("198.51.100.7", t(12, 10, 5), TARGET, size=SIZE)
    lines[10] = clf("198.51.100.8", t(12, 10, 10), TARGET, size=SIZE // 2)
    lines[20] = clf("198.51.100.9", t(12, 10, 20), TARGET, size=SIZE)
    return lines


def _totals(tmp_path: Path, logs: Path) -> tuple[int, dict, list[dict]]:
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out), "-q"])
    answer = json.loads(out.read_text())
    return result.exit_code, answer["targets"][0]["totals"], answer["findings"]


def test_a_log_joined_to_itself_is_counted_once(tmp_path: Path) -> None:
    log = write_log(tmp_path / "logs" / "web1" / "access.log", _day() + _day())
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"],
            totals["requests"]) == (2, 2, 1, 3)
    [overlap] = [f for f in findings if f["kind"] == "overlap"]
    assert (overlap["path"], overlap["related_path"]) == (str(log), str(log))
    assert overlap["detail"].startswith(f"30 request lines (lines 31-60, 2020-06-12T10:00:00Z to 2020-06-12T10:29:00Z "
                                        f"UTC) repeat lines 1-30 of {log}: counted once")
    assert [f for f in findings if f["kind"] == "time ran back"] == []  # no clock was set back
    with Case() as case:
        case.ingest([log])
        # every line accounted for: the file's 60 lines are 60 requests, 30 of them copies of the other 30
        assert case.sql("SELECT lines, requests, rejected, skipped FROM evidence").values.tolist() == [[60, 60, 0, 0]]
        assert case.sql("SELECT count(*) FROM overlap_lines").iat[0, 0] == 30


def test_a_rotation_gzipped_twice_into_one_file_is_counted_once(tmp_path: Path) -> None:
    member = gzip.compress(("\n".join(_day()) + "\n").encode(), mtime=0)
    (tmp_path / "logs" / "web1").mkdir(parents=True)
    (tmp_path / "logs" / "web1" / "access.log.1.gz").write_bytes(member + member)
    code, totals, _ = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["requests"]) == (2, 2, 3)


def test_identical_requests_in_one_second_stay_counted(tmp_path: Path) -> None:
    """A client fetching the file six times in one second (a download manager retrying): six requests, no step
    back between them, so no repeat: six complete downloads."""
    lines = _day()
    lines[20:21] = [clf("198.51.100.9", t(12, 10, 20), TARGET, size=SIZE)] * 6
    write_log(tmp_path / "logs" / "web1" / "access.log", lines)
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["requests"]) == (7, 8)
    assert [f for f in findings if f["kind"] == "overlap"] == []


def _burst(lines: list[str]) -> list[str]:
    """_day() with `lines` in place of its 10:20 download, a page a second from 10:21 after."""
    day = _day()
    return day[:20] + lines + [clf("198.51.100.1", t(12, 10, 21, s), f"/q/{s}") for s in range(10)] + day[21:]


def test_identical_downloads_in_one_second_around_a_later_line_stay_counted(tmp_path: Path) -> None:
    """Review of red team 9 (A): Apache writes a request's start time when it ends, so a line a second later can be
    written between identical ones. Six downloads in one second written `L L L`, `Y` (another client, 1 s later),
    `L L L` were read as a run of three repeated where the time runs back: 3 counted, 6 made. A run within one
    second is a burst, never a copy."""
    same = clf("198.51.100.9", t(12, 10, 20, 0), TARGET, size=SIZE)
    later = clf("198.51.100.5", t(12, 10, 20, 1), "/other")
    write_log(tmp_path / "logs" / "web1" / "access.log", _burst([same] * 3 + [later] + [same] * 3))
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["requests"]) == (7, 8)  # 10:05 and the six
    assert [f for f in findings if f["kind"] == "overlap"] == []


def test_a_page_and_its_assets_fetched_twice_in_one_second_stay_counted(tmp_path: Path) -> None:
    """Review of red team 9 (A): `A B C Y A B C`, the file and two assets fetched twice in one second, a line a
    second later between: 1 download of the two counted."""
    fetch = [clf("198.51.100.9", t(12, 10, 20, 0), path, size=SIZE) for path in (TARGET, "/a.css", "/b.js")]
    later = clf("198.51.100.5", t(12, 10, 20, 1), "/other")
    write_log(tmp_path / "logs" / "web1" / "access.log", _burst(fetch + [later] + fetch))
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["requests"]) == (3, 4)
    assert [f for f in findings if f["kind"] == "overlap"] == []


def test_overlapping_rotations_concatenated_repeat_in_the_middle_counted_once(tmp_path: Path) -> None:
    """`cat access.log.2 access.log.1 > all.log` where the rotations overlapped (10:10-10:19 in both): the run
    repeats in the middle of the file, where the time runs back; counted once."""
    day = _day()
    log = write_log(tmp_path / "logs" / "web1" / "all.log", day[:20] + day[10:])
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["partial_downloads"], totals["requests"]) == (2, 1, 3)
    [overlap] = [f for f in findings if f["kind"] == "overlap"]
    assert overlap["detail"].startswith("10 request lines (lines 21-30, 2020-06-12T10:10:00Z to 2020-06-12T10:19:00Z "
                                        f"UTC) repeat lines 11-20 of {log}: counted once")
    assert [f for f in findings if f["kind"] == "time ran back"] == []


def test_a_self_joined_copy_beside_its_original_names_each_original_range_once(tmp_path: Path) -> None:
    """Review of red team 9 (C): `access.log` and `all.log` (= cat access.log access.log) in one case: both halves
    of all.log are copies of access.log's lines 1-30. The detail read `repeat lines 1-2, 1, 2-3, 3-4, ...`."""
    original = write_log(tmp_path / "logs" / "web1" / "access.log", _day())
    write_log(tmp_path / "logs" / "web1" / "all.log", _day() + _day())
    code, totals, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    assert (totals["complete_downloads"], totals["partial_downloads"], totals["requests"]) == (2, 1, 3)
    [overlap] = [f for f in findings if f["kind"] == "overlap"]
    assert overlap["detail"].startswith("60 request lines (lines 1-60, 2020-06-12T10:00:00Z to 2020-06-12T10:29:00Z "
                                        f"UTC) repeat lines 1-30 of {original}: counted once")
    assert [f for f in findings if f["kind"] == "time ran back"] == []


def test_a_self_joined_copy_beside_its_original_is_no_clock_set_back(tmp_path: Path) -> None:
    """Review of red team 9 (D): all.log = cat access.log access.log beside access.log. The step back where
    all.log begins again (11:29 -> 10:00) is its own repeat, but its lines are cited from access.log (FOLLOW_SQL),
    and the step was said as `time ran back` (the exclusion looked for lines cited from the file itself)."""
    day = [clf("198.51.100.1", t(12, 10 + i // 60, i % 60), f"/page/{i % 5}.html") for i in range(90)]
    write_log(tmp_path / "logs" / "web1" / "access.log", day)
    write_log(tmp_path / "logs" / "web1" / "all.log", day + day)
    code, _, findings = _totals(tmp_path, tmp_path / "logs")
    assert code == exitcodes.COMPLETE
    [overlap] = [f for f in findings if f["kind"] == "overlap"]
    assert overlap["detail"].startswith("180 request lines (lines 1-180,")
    assert [f for f in findings if f["kind"] == "time ran back"] == []
