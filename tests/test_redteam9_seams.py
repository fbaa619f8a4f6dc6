"""Red team 9: a stream's time running back BETWEEN its files. A clock set back (an NTP step, a clock put right
after a reboot) where logrotate gave way to a new file shows in no file alone: access.log.1 ends at 10:30 and
access.log begins at 09:31, each in order. Before, nothing was said (exit 0, no finding) though every window and gap
made of those times is suspect; now the file that begins back in time is said as `time ran back`, through the
terminal, the JSON answer and page 1. A rotation in order, a copy that repeats the earlier file's last lines and
AWS's deliveries, which interleave by design, say nothing. Seen by time alone: a step longer than the earlier
file's whole span (its lines all after the later file's) is not seen, the files' names not being read for order."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, cloudfront_lines, t

TARGET = "/docs/leak.pdf"
SIZE = 50_000
CF_FIELDS = ["date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(host)", "cs-uri-stem",
             "sc-status", "cs(referer)", "cs(user-agent)", "x-edge-result-type", "cs-protocol", "x-host-header",
             "time-taken", "cs-protocol-version"]


def _minutes(hour: int, first: int, count: int, ip: str = "198.51.100.1") -> list[str]:
    return [clf(ip, t(12, hour, first + i), "/") for i in range(count)]


def _rotated_and_set_back(logs: Path) -> tuple[Path, Path]:
    """access.log.1: 08:00 .. 10:30, a line every 5 minutes, with a download at 08:20; the clock is set back an hour
    as the log rotates: access.log begins at 09:31 (a download at 09:40) and goes on from there."""
    older = [clf("198.51.100.1", t(12, 8, 0) + timedelta(minutes=5 * i), "/") for i in range(31)]
    older[4] = clf("198.51.100.8", t(12, 8, 20), TARGET, size=SIZE)
    newer = _minutes(9, 31, 25, ip="198.51.100.2")
    newer[9] = clf("198.51.100.9", t(12, 9, 40), TARGET, size=SIZE)
    return (write_log(logs / "web1" / "access.log.1", older), write_log(logs / "web1" / "access.log", newer))


@pytest.mark.usefixtures("html_only_reports")
def test_a_clock_set_back_at_a_rotation_is_said_on_every_door(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    older, newer = _rotated_and_set_back(logs)
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(tmp_path / "a.json"),
                                      "--report", str(tmp_path / "report"), "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [back] = [f for f in answer["findings"] if f["kind"] == "time ran back"]
    detail = (f"its first line (line 1, 2020-06-12T09:31:00Z) is 59 minutes before the latest line of {older} "
              "(line 31, 2020-06-12T10:30:00Z), a file of the same stream web1/access.log that began before it, both "
              "written +0200, and the lines after stay back: the stream's time runs back between its files (a step "
              "of more than 10 minutes where one file gives way to the next: the server's clock set back at a "
              "rotation, or two servers' logs taken for one stream; the times around it, and windows and gaps made "
              "of them, are suspect)")
    assert {k: back[k] for k in ("severity", "path", "stream", "detail", "uncovered_start", "uncovered_end", "lines",
                                 "minutes", "in_window")} == {
        "severity": "stated", "path": str(newer), "stream": "web1/access.log", "detail": detail,
        "uncovered_start": "2020-06-12T09:31:00Z", "uncovered_end": "2020-06-12T10:30:00Z", "lines": 1,
        "minutes": 59.0, "in_window": "window 1"}
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("stated: time ran back: ")]
    assert said == f"stated: time ran back: {newer}: {detail}; inside window 1"
    # the numbers do not move: both downloads counted, once each
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2
    html = (tmp_path / "report" / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", ""))))
    assert "time running back in a file (1)" in page
    assert f"{newer} (line 1: 2020-06-12T10:30:00Z → 2020-06-12T09:31:00Z, 59m back, inside a window: window 1)" in page


def test_a_rotation_in_order_a_copy_and_interleaved_deliveries_say_nothing(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log.1", _minutes(10, 0, 31))
    write_log(logs / "web1" / "access.log", _minutes(10, 31, 20))                 # follows on: no step
    # the investigator copied the live log twice: the second copy repeats the first's last 25 lines
    write_log(logs / "web2" / "access.log.1", _minutes(11, 0, 40))
    write_log(logs / "web2" / "access.log", _minutes(11, 15, 40))
    # two CloudFront deliveries of one hour whose lines interleave (AWS delivers so)
    for n, minute in enumerate((0, 5)):
        rows = [{"c-ip": "198.51.100.4", "time": f"10:{minute + 10 * i:02d}:00", "sc-status": "200",
                 "sc-bytes": "1000"} for i in range(5)]
        write_log(logs / "cf" / f"E2ABC.2020-06-12-10.{n:08x}.gz",
                  ["#Version: 1.0", "#Fields: " + " ".join(CF_FIELDS), *cloudfront_lines(rows, CF_FIELDS, "/")],
                  compress="gzip")
    with Case() as case:
        case.ingest([logs])
        assert case.sql("SELECT count(*) FROM evidence WHERE format = 'cloudfront'").iat[0, 0] == 2
        assert case.sql("SELECT count(*) FROM stream_silences WHERE kind IN ('back', 'seam')").iat[0, 0] == 0
        assert [f.kind for f in case.findings() if f.kind == "time ran back"] == []


def _every_minute(hour: int, count: int, ip: str = "198.51.100.1") -> list[str]:
    return [clf(ip, t(12, hour, 0) + timedelta(minutes=i), f"/p{i % 7}") for i in range(count)]


def _seam_cases() -> dict[str, dict[str, list[str]]]:
    """The review's false seams (red team 9, review): each stream is sound, its files in order, and nothing ran back."""
    stray_last = [*_every_minute(10, 30), clf("198.51.100.1", "01/Jan/2099:00:00:00 +0000", "/x")]
    stray_mid = [*_every_minute(10, 15), clf("198.51.100.1", "01/Jan/2099:00:00:00 +0000", "/x"),
                 *[clf("198.51.100.1", t(12, 10, 15 + i), "/") for i in range(15)]]
    long_first = [clf("198.51.100.9", t(12, 9, 30), TARGET, size=SIZE), *_every_minute(11, 60)]
    return {
        # 1. a 2099 line in access.log.2 (its last line; or mid-file, its own `stray time`) set the stream's latest
        "stray last line of an earlier file": {"access.log.2": stray_last, "access.log.1": _every_minute(11, 30),
                                               "access.log": _every_minute(12, 30)},
        "stray line mid-file in an earlier file": {"access.log.2": stray_mid, "access.log.1": _every_minute(11, 30),
                                                   "access.log": _every_minute(12, 30)},
        # 2. the newer file's first line dated 1970 (a clock before NTP after a reboot) put it first
        "1970 first line of the newer file": {
            "access.log.1": _every_minute(10, 30),
            "access.log": [clf("198.51.100.1", "01/Jan/1970:00:00:05 +0000", "/x"), *_every_minute(11, 30)]},
        # 3. hourly files: hour 11's first line a 2-hour download that started 09:30 put it before hour 10
        "long download first in an hourly file": {"access.log.2020061210": _every_minute(10, 60),
                                                  "access.log.2020061211": long_first},
        # 4. a live access.log of one line: a 30-minute download written with its start time
        "one-line live log": {"access.log.1": [clf("198.51.100.1", t(12, 8, 0) + timedelta(minutes=5 * i), "/")
                                               for i in range(31)],
                              "access.log": [clf("198.51.100.9", t(12, 10, 0), TARGET, size=SIZE)]},
    }


@pytest.mark.parametrize("name", list(_seam_cases()))
def test_no_seam_from_a_stray_a_long_download_or_a_short_file(tmp_path: Path, name: str) -> None:
    for file, lines in _seam_cases()[name].items():
        write_log(tmp_path / "logs" / "web1" / file, lines)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert case.sql("SELECT count(*) FROM stream_silences WHERE kind = 'seam'").iat[0, 0] == 0
        assert [f.detail for f in case.findings() if f.kind == "time ran back"] == []
