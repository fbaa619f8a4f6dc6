"""Red team 12, I: a silence of 60 min 18 s in a stream whose threshold is 60 minutes was said as "no log line
for 60 minutes (a gap: longer than this stream's threshold of 60 minutes)", and on page 1 as "(1h 00m)": a length
rounded down to the threshold it is said to exceed. The length said is never at or below the threshold said
(exposure/timefmt.gap_lengths; queries/findings.sql the same rule): to the second where whole minutes would."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.timefmt import gap_lengths
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _lines(end: int = 18) -> list[str]:
    """A line every 10 minutes for two days, but none from 12:00:00 to 13:00:18 (`end` seconds past 13:00) on the
    first: 60 min 18 s."""
    out = []
    for k in range(288):
        when = t(10, 0) + timedelta(minutes=10 * k)
        if t(10, 12) < when <= t(10, 13):
            continue
        path = TARGET if k in (6, 200) else f"/page{k % 7}"
        out.append(clf(f"198.51.100.{2 + k % 5}", when, path, size=5000 if path == TARGET else 900))
        if when == t(10, 12):
            out.append(clf("198.51.100.9", t(10, 13) + timedelta(seconds=end), "/page1"))
    return out


@pytest.mark.parametrize(("minutes", "threshold", "said"), [
    (60.3, 60.0, ("1h 00m 18s", "1h 00m")),       # whole minutes would say 1h 00m twice
    (93.0, 60.0, ("1h 33m", "1h 00m")),            # whole minutes keep it above
    (61.0, 60.7, ("1h 01m", "1h 00m 42s")),        # 61 against a threshold that rounds to 61: both to the second
    (60.5, 60.0, ("1h 01m", "1h 00m")),            # half away from zero, as queries/findings.sql: 61 minutes
    (62.5, 60.0, ("1h 03m", "1h 00m")),            # 63 minutes there, never 1h 02m here
])
def test_a_gap_is_never_said_at_or_below_its_threshold(minutes: float, threshold: float,
                                                       said: tuple[str, str]) -> None:
    assert gap_lengths(minutes, threshold) == said


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_silence_of_60_min_18_s_is_said_so_in_every_door(tmp_path: Path, lang: str) -> None:
    write_log(tmp_path / "logs" / "web1" / "access.log", _lines())
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--report", str(tmp_path / "report"), "--lang", lang,
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "200"})
    said = ("no log line for 60 min 18 s (a gap: longer than this stream's threshold of 60 minutes); "
            "from 2020-06-10T12:00:00Z to 2020-06-10T13:00:18Z")
    assert said in result.output, result.output
    assert "no log line for 60 minutes" not in result.output
    [gap] = [f for f in json.loads((tmp_path / "a.json").read_text())["findings"] if f["kind"] == "gap"]
    assert gap["detail"].startswith("no log line for 60 min 18 s (a gap: longer than this stream's threshold of "
                                    "60 minutes)")
    page = (tmp_path / "report" / "report.html").read_text()
    cover = page[page.index('<section id="cover"'):page.index("</section>", page.index('<section id="cover"'))]
    lines = re.findall(r"2020-06-10T12:00:00Z.{0,40}2020-06-10T13:00:18Z[^<]*", cover, re.S)
    assert lines and all("(1h 00m 18s)" in line for line in lines), lines


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("after", "minutes", "page_one"), [(30, 61, "(1h 01m)"), (150, 63, "(1h 03m)")])
def test_a_length_at_half_a_minute_is_rounded_alike_in_every_door(tmp_path: Path, after: int, minutes: int,
                                                                  page_one: str) -> None:
    """Review page1budget G/: 60 min 30 s read '61 minutes' in the terminal and JSON (DuckDB's round, half away
    from zero) and '(1h 00m 30s)' on page 1 (Python's round, half to even); 62 min 30 s read 63 and '1h 02m'."""
    write_log(tmp_path / "logs" / "web1" / "access.log", _lines(after))
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--report", str(tmp_path / "report"),
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "200"})
    assert f"no log line for {minutes} minutes (a gap" in result.output, result.output
    [gap] = [f for f in json.loads((tmp_path / "a.json").read_text())["findings"] if f["kind"] == "gap"]
    assert gap["detail"].startswith(f"no log line for {minutes} minutes")
    page = (tmp_path / "report" / "report.html").read_text()
    cover = page[page.index('<section id="cover"'):page.index("</section>", page.index('<section id="cover"'))]
    lines = re.findall(r"2020-06-10T12:00:00Z.{0,40}2020-06-10T13:0\d:\d\dZ[^<]*", cover, re.S)
    assert lines and all(page_one in line for line in lines), lines
