"""Red team 22: a log without UTC offsets read with --log-tz across the hour the clocks go back. Both passes of
02:00-02:59 Europe/Amsterdam are read as the earlier instant, so the second pass steps back onto the first; an
uptime monitor fetching the file every 10 minutes on the minute (and a balancer's health check every minute) writes
the same lines in both passes, and the self-repeat rule (overlap.SELF_SQL) took the second pass for the file's own
lines written twice: 30 complete downloads where the log holds 36, exit 0 (/tmp/redteam22/j_dst). A step back from
one fold line to the next is the second pass, never a copy's start; `cat a.log a.log` of such a log stays a copy."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.conftest import write_log

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
FORMAT = '%h %l %u %{%Y-%m-%d %H:%M:%S}t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _line(ip: str, when: datetime, path: str, size: int, agent: str) -> str:
    return f'{ip} - - {when.astimezone(AMSTERDAM):%Y-%m-%d %H:%M:%S} "GET {path} HTTP/1.1" 200 {size} "-" "{agent}"'


def _night() -> list[str]:
    """24 Oct 22:00 to 25 Oct 03:59 UTC (the clocks go back at 01:00 UTC): a health check a minute and a fetch of
    TARGET by one monitor every 10 minutes, 36 in all, 6 of them in each pass of 02:00-02:59 local."""
    lines = []
    for m in range(6 * 60):
        when = datetime(2020, 10, 24, 22, 0, tzinfo=UTC) + timedelta(minutes=m)
        lines.append(_line("10.0.0.2", when, "/health", 2, "ELB-HealthChecker/2.0"))
        if m % 10 == 0:
            lines.append(_line("192.0.2.77", when, TARGET, 500000, "UptimeRobot/2.0"))
    return lines


def _answer(tmp_path: Path, lines: list[str]) -> dict:
    write_log(tmp_path / "logs" / "web1" / "access.log", lines)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--log-format", FORMAT,
                                      "--log-tz", "Europe/Amsterdam", "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.COMPLETE, result.output
    return json.loads(out.read_text())


def test_the_second_pass_of_the_hour_the_clocks_go_back_is_no_copy(tmp_path: Path) -> None:
    answer = _answer(tmp_path, _night())
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 36
    assert [f for f in answer["findings"] if f["kind"] == "overlap"] == []
    [fold] = [f for f in answer["findings"] if f["kind"] == "ambiguous time"]
    assert "66 of them were written in the second pass" in fold["detail"], fold["detail"]


def test_a_log_across_the_fold_joined_to_itself_is_still_a_copy(tmp_path: Path) -> None:
    """`cat access.log access.log`: the repeat begins at the join (03:59 UTC back to 22:00), no fold line."""
    night = _night()
    answer = _answer(tmp_path, night + night)
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 36
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert f"{len(night)} request lines" in overlap["detail"], overlap["detail"]
