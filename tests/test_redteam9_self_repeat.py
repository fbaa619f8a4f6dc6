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
