"""The time of a file running back (finding `time ran back`): a server clock set back says so through every door
(terminal, JSON, page 1 of the report), inside the target's window; a long download logged late, a change of
offset at DST and a file whose lines are in order say nothing."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import Case, exitcodes
from exposure.cli import app
from exposure.ingest import IngestOptions
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 50_000
PIN = "2020-08-01T12:00:00Z"


def _minutes(day: int, hour: int, count: int, step: int = 1, ip: str = "198.51.100.1") -> list[str]:
    return [clf(ip, t(day, hour, i * step), "/") for i in range(count)]


def _set_back_log() -> list[str]:
    """web1's 12 June: a download of the target at 10:05, lines every minute to 10:30 (line 32), then the clock is
    set back an hour: line 33 is 09:31 and the lines after go on from there (a download at 09:40)."""
    lines = [clf("198.51.100.7", t(12, 9, 0), TARGET, size=SIZE)]
    lines += _minutes(12, 10, 31)                            # lines 2-32: 10:00 .. 10:30
    lines[5] = clf("198.51.100.8", t(12, 10, 4), TARGET, size=SIZE)
    lines += [clf("198.51.100.2", t(12, 9, 31 + i), "/") for i in range(9)]   # lines 33-41: 09:31 .. 09:39
    lines += [clf("198.51.100.9", t(12, 9, 40), TARGET, size=SIZE)]           # line 42
    lines += [clf("198.51.100.2", t(12, 9, 41 + i), "/") for i in range(5)]   # lines 43-47
    return lines


def _late_download_log() -> list[str]:
    """A download that started at 11:00 and took two hours, logged (with its start time, as Apache does) at 13:00
    between lines of 13:00: one line two hours back, the next back in the present. Not a clock set back."""
    lines = _minutes(12, 12, 60)
    lines.append(clf("198.51.100.5", t(12, 11, 0), "/big.iso", size=4_000_000_000))
    lines += _minutes(12, 13, 10)
    return lines


def _dst_log() -> list[str]:
    """The night of 25 October 2020 in Amsterdam: 02:59:59 +0200 is followed by 02:00:00 +0100, the same UTC
    minute (00:59:59 then 01:00:00 UTC): the local time runs back an hour, UTC does not."""
    before = [clf("198.51.100.3", _at(10, 25, 0, 50 + i), "/", offset_min=120) for i in range(10)]
    after = [clf("198.51.100.3", _at(10, 25, 1, i), "/", offset_min=60) for i in range(10)]
    return before + after


def _at(month: int, day: int, hour: int, minute: int):  # noqa: ANN202
    from datetime import datetime

    return datetime(2020, month, day, hour, minute, 0)


def _run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})


@pytest.mark.usefixtures("html_only_reports")
def test_a_clock_set_back_inside_the_window_is_said_on_every_door(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    set_back = write_log(logs / "web1" / "access.log", _set_back_log())
    write_log(logs / "web2" / "access.log", _late_download_log())
    write_log(logs / "web3" / "access.log", _dst_log())
    result = _run("analyse", str(logs), "--target", TARGET, "--size", str(SIZE), "--json", str(tmp_path / "a.json"),
                  "--report", str(tmp_path / "report"), "--pin-time", PIN)
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [back] = [f for f in answer["findings"] if f["kind"] == "time ran back"]  # web2 and web3: none
    detail = ("its UTC time runs back by 59 minutes at line 33: from 2020-06-12T10:30:00Z (line 32) to "
              "2020-06-12T09:31:00Z, both written +0200, and the lines after stay back (a step of more than 10 "
              "minutes: the server's clock set back, or two servers' lines in one file; the times around it, and "
              "windows and gaps made of them, are suspect)")
    assert {k: back[k] for k in ("severity", "path", "stream", "detail", "uncovered_start", "uncovered_end",
                                 "lines", "minutes", "threshold_minutes", "in_window")} == {
        "severity": "stated", "path": str(set_back), "stream": "web1/access.log", "detail": detail,
        "uncovered_start": "2020-06-12T09:31:00Z", "uncovered_end": "2020-06-12T10:30:00Z", "lines": 33,
        "minutes": 59.0, "threshold_minutes": 10.0, "in_window": "window 1"}
    [status] = [g for g in answer["evidence_status"]["findings"] if g["kind"] == "time ran back"]
    assert (status["count"], status["paths"]) == (1, [str(set_back)])
    assert status["detail"] == f"{set_back}: {detail}; inside window 1"  # the terminal's sentence
    assert "time ran back" in answer["evidence_status"]["checked"]
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("stated: time ran back: ")]
    assert said == f"stated: time ran back: {set_back}: {detail}; inside window 1"
    html = (tmp_path / "report" / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", ""))))
    # web3's October lines end the evidence: web1 and web2 fall silent inside the open window for months and web3
    # starts inside it, four gaps in window (a stream's edge: queries/gaps.sql) that page 1 shows first; the step
    # back is counted in the status and named in the line that counts what page 1 has no room for
    assert "time running back in a file: 1" in page
    assert re.search(r"and \d+ more not named here \([^)]*time running back in a file", page)
    whole = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", html.replace("<wbr>", ""))))
    assert "time running back in a file1 stated" in whole  # section 7's table of kinds, and the finding's row
    assert (f"{set_back}web1/access.logits UTC time runs back by 59 minutes at line 33: from 2020-06-12T10:30:00Z "
            "(line 32) to 2020-06-12T09:31:00Z") in whole


def test_steps_back_are_counted_per_file_and_a_late_line_alone_is_not_one(tmp_path: Path) -> None:
    """Two steps back in one file: one finding naming both lines and the largest; the kept rows say the lines
    and offsets; written with another offset after the step, the detail says both."""
    lines = _minutes(12, 10, 20)                                                     # lines 1-20: 10:00 .. 10:19
    lines += [clf("198.51.100.2", t(12, 9, i), "/", offset_min=60) for i in range(25)]  # 21-45: 09:00 .. 09:24
    lines += _minutes(12, 11, 5)                                                      # 46-50: 11:00 .. 11:04
    lines += _minutes(12, 8, 3)                                                       # 51-53: 08:00 .. 08:02
    log = write_log(tmp_path / "web1" / "access.log", lines)
    with Case() as case:
        case.ingest([log])
        kept = case.sql("SELECT start_line_no, end_line_no, gap_minutes, offset_before, offset_after, "
                        "threshold_minutes FROM stream_silences WHERE kind = 'back' ORDER BY 1").values.tolist()
        [back] = [f for f in case.findings() if f.kind == "time ran back"]
    assert kept == [[20, 21, -79.0, 120, 60, 10.0], [50, 51, -184.0, 120, 120, 10.0]]
    assert back.detail == (
        "its UTC time runs back by 79 minutes at line 21: from 2020-06-12T10:19:00Z (line 20) to 2020-06-12T09:00:00Z, "
        "written +0200 then +0100, and the lines after stay back (a step of more than 10 minutes: the server's clock "
        "set back, or two servers' lines in one file; the times around it, and windows and gaps made of them, are "
        "suspect); it runs back 2 times in all (lines 21, 51), the largest step 184 minutes")
    assert (back.line_ranges, back.lines, back.of_lines) == ("21, 51", 21, 53)
    # the first step's own span (09:00 to 10:19), not the hull of both steps (08:00 to 11:04: review)
    assert (str(back.uncovered_start), str(back.uncovered_end)) == ("2020-06-12 09:00:00", "2020-06-12 10:19:00")


def test_in_order_late_and_dst_files_say_nothing(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "web2" / "access.log", _late_download_log())
    write_log(logs / "web3" / "access.log", _dst_log())
    write_log(logs / "web4" / "access.log", _minutes(12, 10, 30) + [clf("198.51.100.2", t(12, 10, 20), "/")])
    # a download manager's four parallel 40-minute parts end together: four lines 40 minutes back, then the
    # present (review: read as a clock set back when only the line after the first was looked at)
    parts = [clf("198.51.100.6", t(12, 9, 21), "/big.iso", size=1_000_000, status=206) for _ in range(4)]
    write_log(logs / "web5" / "access.log", _minutes(12, 10, 2) + parts + _minutes(12, 10, 30)[3:])
    with Case() as case:
        case.ingest([logs])
        assert case.sql("SELECT count(*) FROM stream_silences WHERE kind = 'back'").iat[0, 0] == 0
        assert [f.kind for f in case.findings() if f.kind == "time ran back"] == []


@pytest.mark.parametrize("after", [5, 80])  # a file of 55 lines, a step in 64 lines or more; of 130: one of fewer
@pytest.mark.parametrize("present_again, said", [(20, []), (21, [[30, 31, -89.0]])])
def test_a_step_back_is_judged_by_exactly_its_next_20_lines(tmp_path: Path, present_again: int, said: list,
                                                            after: int) -> None:
    """Line 31 steps 89 minutes back (10:29 to 09:00) and the lines after it stay back until the present returns at
    its `present_again`-th next line: within the next 20 lines it is a late line (no clock set back), after them the
    clock was set back. queries/gaps.sql reads the next 20 lines for such a step alone (next20: 20 places per step),
    or, where steps are many (a step in 64 lines or more, as in the short file), frames them for every line: the
    same 20 lines either way."""
    lines = _minutes(12, 10, 30)                                                       # lines 1-30: 10:00 .. 10:29
    lines += [clf("198.51.100.2", t(12, 9, i), "/") for i in range(present_again)]     # line 31 on: 09:00 ..
    lines += [clf("198.51.100.1", t(12, 10, 31) + timedelta(minutes=i), "/") for i in range(after)]  # present
    write_log(tmp_path / "web1" / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "web1"])
        kept = case.sql("SELECT start_line_no, end_line_no, gap_minutes FROM stream_silences WHERE kind = 'back'"
                        ).values.tolist()
        assert kept == said
        assert len([f for f in case.findings() if f.kind == "time ran back"]) == len(said)


def test_a_line_dated_far_from_the_lines_around_it_is_said_and_its_window_named(tmp_path: Path) -> None:
    """A broken clock for one line: 1970 at line 11, 2099 at line 21 (a download of the target, the only one: its
    window is made of it). Each is a stray time; the line after the 2099 one is not a step back; two lines of 1970
    in a row are no stray (a step back, then a step forward)."""
    lines = _minutes(12, 10, 30)
    lines[10] = clf("198.51.100.1", "01/Jan/1970:00:00:07 +0000", "/")
    lines[20] = clf("198.51.100.4", "12/Jun/2099:10:20:00 +0200", TARGET, size=SIZE)
    log = write_log(tmp_path / "web1" / "access.log", lines)
    run = _minutes(12, 10, 20, ip="198.51.100.6")
    run[8:10] = [clf("198.51.100.6", f"01/Jan/1970:00:00:0{i} +0000", "/") for i in (1, 2)]
    write_log(tmp_path / "web2" / "access.log", run)
    result = _run("analyse", str(tmp_path), "--target", TARGET, "--json", str(tmp_path / "a.json"))
    assert result.exit_code == exitcodes.COMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    strays = [(f["path"], f["lines"], f["uncovered_start"], f["minutes"], f["in_window"], f["detail"])
              for f in answer["findings"] if f["kind"] == "stray time"]
    tail = ("the line after it (more than 1440 minutes from both: a clock wrong for that line, or a line from "
            "elsewhere); it counts as dated, and a window, download or gap made of it is suspect")
    assert strays == [
        (str(log), 11, "1970-01-01T00:00:07Z", -26532608.883333333, None,
         f"line 11 is dated 1970-01-01T00:00:07Z (+0000), 18425.4 days before the line before it (line 10: "
         f"2020-06-12T10:09:00Z) and {tail}"),
        (str(log), 21, "2099-06-12T08:20:00Z", 41549641.0, "window 1",
         f"line 21 is dated 2099-06-12T08:20:00Z (+0200), 28853.9 days after the line before it (line 20: "
         f"2020-06-12T10:19:00Z) and {tail}")]
    backs = [(f["stream"], f["lines"]) for f in answer["findings"] if f["kind"] == "time ran back"]
    assert backs == [("web2/access.log", 9)]  # web1's line 22 steps back from the stray alone: not said
    [said] = [ln for ln in result.output.splitlines() if ln.startswith("  stray time (2, stated): ")]
    assert said.endswith(f"{tail}; inside window 1")


def test_the_fall_back_hour_of_a_log_without_offsets_is_no_clock_set_back(tmp_path: Path) -> None:
    """A log without offsets read with --log-tz Europe/Amsterdam: 02:00-02:59 is written twice on 25 October
    2020; both passes read as the earlier instant (flagged on each row as a DST fold), so the second pass is an hour
    back in UTC. That is the fold, not a server's clock (review: reported as 'time ran back')."""
    lines = [f'198.51.100.3 - - [25/Oct/2020:{h:02d}:{m:02d}:00] "GET / HTTP/1.1" 200 1'
             for h, m in [(1, m) for m in range(0, 60, 5)] + [(2, m) for m in range(60)] * 2
             + [(3, m) for m in range(0, 60, 5)]]
    log = write_log(tmp_path / "web1" / "access.log", lines)
    with Case() as case:
        case.ingest([log], IngestOptions(log_format='%h %l %u [%{%d/%b/%Y:%H:%M:%S}t] "%r" %>s %b',
                                         log_tz="Europe/Amsterdam"))
        flagged = case.sql("SELECT count(*) FROM requests WHERE ts_flag LIKE 'ambiguous local time%'").iat[0, 0]
        backs = [f.kind for f in case.findings() if f.kind == "time ran back"]
    assert flagged == 120 and backs == []


def _strays(case: Case) -> list[tuple[str, int]]:
    return sorted((f.kind, f.lines) for f in case.findings() if f.kind in ("stray time", "time ran back"))


@pytest.mark.parametrize(("first", "rest", "want"), [
    pytest.param([datetime(2099, 1, 1)], _minutes(12, 10, 30), [("time ran back", 2)], id="one-2099"),
    pytest.param([datetime(2099, 1, 1), datetime(2099, 1, 1, 0, 1)], _minutes(12, 10, 30), [("time ran back", 3)],
                 id="two-2099"),
    # a clock set back after line 2 (12 June, then 10 June for the rest of the file): the step back is said
    pytest.param([t(12, 10), t(12, 10, 1)], _minutes(10, 10, 30), [("time ran back", 3)], id="set-back-after-2"),
    # 2020, 2020, then two 1970 lines, then 2020 again: the step to 1970 is said, lines 1-2 are no strays
    pytest.param([t(12, 10), t(12, 10, 1), datetime(1970, 1, 1), datetime(1970, 1, 1, 0, 1)],
                 _minutes(12, 10, 30, ip="198.51.100.1")[2:], [("time ran back", 3)], id="1970-at-lines-3-4"),
])
def test_a_step_back_after_a_file_start_is_time_ran_back_never_strays(tmp_path: Path, first: list, rest: list,
                                                                     want: list) -> None:
    """A file's first lines have no line before them: that they, not the lines after, are wrong cannot be told
    from the file (a clock set back keeps every line after the step behind as a 2099 first line does), so the
    step back is said where it is. Review of a start-stray rule (lines 1-2 called strays when later than lines
    3-4): a clock set back after line 2 became two strays and the step back went unsaid; lines 3-4 in 1970
    made lines 1-2 strays '18423 days after line 3' and the 1970 lines went unsaid."""
    log = write_log(tmp_path / "web1" / "access.log", [clf("198.51.100.2", when, "/") for when in first] + rest)
    with Case() as case:
        case.ingest([log])
        assert _strays(case) == want


def test_a_sparse_monotone_log_and_an_early_first_line_have_no_strays(tmp_path: Path) -> None:
    """One request every 3 days for 40 days (each line more than a day from both neighbours, all in order), and a
    first line days before a burst: a log runs forward so, no line of them is a stray (review: an earlier rule
    called sound lines of sparse logs strays)."""
    sparse = [clf("198.51.100.3", datetime(2020, 5, 1) + timedelta(days=3 * i), "/") for i in range(14)]
    early = [clf("198.51.100.4", t(1, 10), "/")] + _minutes(12, 10, 10)
    write_log(tmp_path / "web1" / "access.log", sparse)
    write_log(tmp_path / "web2" / "access.log", early)
    with Case() as case:
        case.ingest([tmp_path])
        assert _strays(case) == []
