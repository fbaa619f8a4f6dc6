"""Red team 20: a rotation and the next file overlapping by a few lines, one of which differs (an altered byte in
one copy). The seam rule took only a run that ends one file and begins the other: the differing line cut the seam
in two, the run before it (the next file's start, not the end of the earlier) was taken for two servers' identical
requests, and a download in it was counted twice, exit 0 (11 complete downloads where the logs hold 10). A run on
the seam's diagonal (the same line shift as the run that ends the other file) is the seam's too."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"


def _hour(differ: int | None) -> list[str]:
    """60 lines of web1, one a minute from 08:00 UTC: a download of TARGET every 6 minutes from its own address
    (198.51.100.1-10), /index.html between; line `differ` (0-based) has 501 bytes instead of 500."""
    lines = []
    for i in range(60):
        when = t(8, 8) + timedelta(minutes=i)
        if i % 6 == 0:
            lines.append(clf(f"198.51.100.{i // 6 + 1}", when, TARGET, size=1000))
        else:
            lines.append(clf(f"192.0.2.{i + 1}", when, "/index.html", size=501 if i == differ else 500))
    return lines


def _answer(tmp_path: Path, rotated: list[str], live: list[str]) -> dict:
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log.1", rotated)
    write_log(logs / "web1" / "access.log", live)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.COMPLETE, result.output
    return json.loads(out.read_text())


@pytest.mark.parametrize("altered", [26, 25], ids=["third-line", "second-line"])
def test_a_seam_cut_by_one_altered_line_counts_its_download_once(tmp_path: Path, altered: int) -> None:
    """access.log.1 ends 08:24-08:29, access.log begins with the same six lines, one of them altered."""
    hour = _hour(None)
    live = _hour(altered)[24:]
    answer = _answer(tmp_path, hour[:30], live)
    [target] = answer["targets"]
    clients = [d["client_ip"] for d in target["downloads"]]
    assert target["totals"]["complete_downloads"] == 10, clients
    assert sorted(clients) == sorted(f"198.51.100.{n}" for n in range(1, 11))
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert "5 request lines" in overlap["detail"], overlap["detail"]


def test_two_servers_sharing_a_seam_line_stay_two(tmp_path: Path) -> None:
    """Two servers' logs, the second beginning with one line the first ends with (no seam diagonal beyond it): no
    more is taken for a copy than before (the one-line seam run the rule always took)."""
    first = _hour(None)[:30]
    second = [clf(f"203.0.113.{i + 1}", t(8, 8, 29) + timedelta(minutes=i), "/other", size=700) for i in range(30)]
    second[0] = first[-1]
    answer = _answer(tmp_path, first, second)
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 5


def test_rotations_joined_with_an_altered_line_in_their_overlap_count_once(tmp_path: Path) -> None:
    """`cat access.log.1 access.log` of the same overlap in one file (/tmp/redteam20/c11_self_seam): the repeat
    begins where the time runs back (10:29 to 10:24) and is cut by the altered line after 2 lines; before, neither
    piece made a copy (2 lines; 3 not at the step back): 11 downloads, exit 0, nothing said."""
    hour = _hour(None)
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log", hour[:30] + _hour(26)[24:])
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads(out.read_text())
    assert answer["targets"][0]["totals"]["complete_downloads"] == 10
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert "5 request lines (lines 31-32, 34-36," in overlap["detail"], overlap["detail"]
