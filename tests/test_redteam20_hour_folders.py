"""Red team 20: logs delivered as a folder per server, per day, per hour (`web2/2020-06-08/05/access-part-0.log`).
The hour folder (2 digits) was taken for a server's name (as `logs/1/` is a node), so every hour was a stream of
all servers' lines at once: web2's missing hour 05 was hidden by web1's lines of that hour (no gap said, exit 0),
and every hour stream said false gaps at the evidence's edges. 2 digits that go on from a folder named as a date
(an hour below a day, a day below a month) are a date folder: web1 and web2 are the streams, web2's gap said.
Review of merges 20: the same below a day that went on from a month (`web2/2020-06/08/05/...`): the date a
folder ends at is carried down (hours there were read as servers' names: 8 false gaps said, the missing hour hidden)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.streams import date_folders
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/x.xlsx"


def test_two_digits_below_a_date_name_go_on_with_the_date() -> None:
    assert date_folders(["web2", "2020-06-08", "05"]) == [False, True, True]  # an hour below a day
    assert date_folders(["web2", "2020-06", "08"]) == [False, True, True]  # a day below a month
    assert date_folders(["web2", "2020-06", "31"]) == [False, True, False]  # no 31 June: a name of its own
    assert date_folders(["web2", "2020-06-08", "24"]) == [False, True, False]  # no hour 24
    assert date_folders(["logs", "01"]) == [False, False]  # a node, as before


def test_an_hour_below_a_day_below_a_month_is_a_date_folder() -> None:
    """Review of merges 20: the date a folder ends at is carried down (`08` below `2020-06` is a day, so `05` below
    `08` is an hour), where the rule first read 2 digits as a date only right below a folder *named* as one."""
    assert date_folders(["web2", "2020-06", "08", "05"]) == [False, True, True, True]
    assert date_folders(["web2", "2020-06", "08", "24"]) == [False, True, True, False]  # no hour 24
    assert date_folders(["web2", "2020-06", "31", "05"]) == [False, True, False, False]  # no 31 June: no day
    assert date_folders(["web2", "2020-06-08", "05", "07"]) == [False, True, True, False]  # below an hour: a name
    assert date_folders(["logs", "01", "02"]) == [False, False, False]  # nodes, as before


@pytest.mark.slow
@pytest.mark.parametrize("day", [("2020-06-08",), ("2020-06", "08")], ids=["day-hour", "month-day-hour"])
def test_an_hour_missing_from_one_server_of_hour_folders_is_its_gap(tmp_path: Path, day: tuple[str, ...]) -> None:
    logs = tmp_path / "logs"
    for server in (1, 2):
        for hour in range(6):
            if server == 2 and hour == 3:
                continue  # web2's hour 03 is missing
            for part in range(2):
                start = t(8, hour) + timedelta(minutes=30 * part)
                lines = [clf(f"198.51.{server}.{hour * 2 + part + 1}", start, TARGET)]
                lines += [clf(f"192.0.{server}.{m}", start + timedelta(minutes=m), "/", size=500) for m in range(1, 10)]
                write_log(logs.joinpath(f"web{server}", *day, f"{hour:02d}", f"access-part-{part}.log"), lines)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    answer = json.loads(out.read_text())
    assert answer["targets"][0]["totals"]["complete_downloads"] == 22, result.output
    gaps = [f for f in answer["findings"] if f["kind"] == "gap"]
    assert [(g["stream"], g["detail"].split(" (")[0]) for g in gaps] == [
        ("web2/access.log", "no log line for 81 minutes")], gaps
