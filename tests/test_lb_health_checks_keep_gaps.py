"""Review of streams16: two servers behind one load balancer log the same health checks (10.0.0.2 /health, ELB
agent, the same seconds). A server's own traffic keeps its edges and its seams: copies of another stream's lines
excuse an edge only where the whole file is a take (every request line shared with another stream), never
because its first or last lines alone are shared (queries/gaps.sql take_files; a real gap is never lost). And a
first line that ends another server's line in the same second is that server's own request where its name is a
server's (exposure/overlap.py HEAD_CANDIDATES_SQL): a cut copy cannot be told from it by content."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf

TARGET = "/docs/leak.xlsx"
DAY = datetime(2026, 6, 10)


def _at(hours: float, seconds: int = 0) -> datetime:
    return DAY + timedelta(hours=hours, seconds=seconds)


def _checks(h0: float, h1: float, second: int = 0, back_hours: int = 0) -> list[str]:
    """The load balancer's health checks, one a minute from h0 to h1 (shifted back `back_hours`)."""
    return [clf("10.0.0.2", _at(h0, 60 * i + second) - timedelta(hours=back_hours), "/health", size=2,
                ua="ELB-HealthChecker/2.0") for i in range(int((h1 - h0) * 60))]


def _download(client: str, hours: float, seconds: int = 0) -> str:
    return clf(client, _at(hours, seconds), TARGET, size=50000)


def _run(folder: Path) -> dict[str, Any]:
    with Case() as case:
        case.ingest([folder])
        return case.analyse([TARGET], AnalysisOptions(geoip_city="none"))


def _kinds(answer: dict[str, Any], *kinds: str) -> list[str]:
    return [f"{f['kind']}: {f['stream']}: {f['detail']}" for f in answer["findings"] if f["kind"] in kinds]


def _lb_end(scenario: str) -> tuple[list[str], list[str]]:
    """The server that dies at 12:00 and the one that logs on, both logging the balancer's checks."""
    if scenario == "one download":  # lb_end
        return [_download("203.0.113.1", 1, 30)] + _checks(1, 12), [_download("198.51.100.1", 0, 30)] + _checks(0, 24)
    if scenario == "checks only":   # no request of its own: its lines the middle of the other's file
        return _checks(1, 12), [_download("198.51.100.1", 0, 30)] + _checks(0, 24)
    if scenario == "checks from the first line":  # /tmp/streamfix/limit.py: no request of its own, its lines the
        # other's from its first line on but for the other's download among them: no take of the other's log
        return _checks(0, 12), _checks(0, 5) + [_download("198.51.100.1", 5, 30)] + _checks(5, 24)
    # both began at 00:00 with the same check (its first line the other file's first), one download of its own
    return (_checks(0, 1) + [_download("203.0.113.1", 1, 30)] + _checks(1, 12),
            _checks(0, 5) + [_download("198.51.100.1", 5, 30)] + _checks(5, 24))


@pytest.mark.parametrize("scenario", ["one download", "checks only", "same first line", "checks from the first line"])
@pytest.mark.parametrize(("dies", "lives"), [("web1", "web2"), ("web2", "web1")])
def test_a_server_that_dies_behind_a_load_balancer_says_its_end(tmp_path: Path, dies: str, lives: str,
                                                                 scenario: str) -> None:
    """/tmp/review_streams16 lb_end: web1 serves one download at 01:00:30, then logs health checks to 11:59 and
    dies; web2 logs the same checks all day. streams16 said nothing (status complete): web1's last 4 lines are
    lines web2's file copies and goes on after. Cited after the server that lives on (lb_end_r: its checks copies
    of the other's), the end was lost before streams16 too. A server-named file's end is excused only where it is
    a take from the other file's first line on (taken-1000/access.log): neither checks alone from mid-file, nor a
    file with a request of its own that began with the other's first line, nor checks alone from the other's first
    line on where the other file logged a request of its own among them (takefix: web1 was taken for a take of
    web2's log and its end was said nowhere)."""
    dying, living = _lb_end(scenario)
    write_log(tmp_path / "in" / dies / "access.log", dying)
    write_log(tmp_path / "in" / lives / "access.log", living)
    gaps = _kinds(_run(tmp_path / "in"), "gap")
    assert len(gaps) == 1 and gaps[0].startswith(f"gap: {dies}/access.log: no log line for 720 minutes after its"), gaps


def test_a_server_that_starts_late_behind_a_load_balancer_says_its_start(tmp_path: Path) -> None:
    """lb_start: web1's log begins at 12:00 (its morning lost), health checks then a download at 23:59:59; web2
    logs the checks all day: web1's 720 silent minutes before its first line are said."""
    write_log(tmp_path / "in" / "web1" / "access.log", _checks(12, 24) + [_download("203.0.113.1", 23, 3599)])
    write_log(tmp_path / "in" / "web2" / "access.log", [_download("198.51.100.1", 0, 30)] + _checks(0, 24))
    gaps = _kinds(_run(tmp_path / "in"), "gap")
    assert len(gaps) == 1 and gaps[0].startswith("gap: web1/access.log: no log line for 720 minutes before its"), gaps


def test_a_clock_set_back_at_a_rotation_is_said_where_both_files_copy_a_third_servers_checks(tmp_path: Path) -> None:
    """seam_lb: web1's clock set back 2 hours at its rotation (access.log.1 to 17:59:50, access.log from 16:00);
    web0 behind the same balancer, cited first, logs the checks all day, as both web1 files do. streams16 skipped
    the seam (both files copy one third file's lines); web1's own lines in the hours both files hold differ."""
    def own(h0: int, h1: int, back: int = 0) -> list[str]:
        return [clf(f"203.0.113.{i % 200 + 1}", _at(h0, 600 * i + 17) - timedelta(hours=back), "/page", size=777)
                for i in range((h1 - h0) * 6)]

    def merged(lines: list[str]) -> list[str]:
        return sorted(lines, key=lambda line: datetime.strptime(line.split("[")[1].split("]")[0], "%d/%b/%Y:%H:%M:%S %z"))

    folder = tmp_path / "in"
    write_log(folder / "web1" / "access.log.1", merged(_checks(0, 18) + own(0, 18)) + [_download("203.0.113.250", 17, 3590)])
    write_log(folder / "web1" / "access.log", merged(_checks(18, 24, back_hours=2) + own(18, 24, 2)))
    write_log(folder / "web0" / "access.log", _checks(0, 24))
    back = _kinds(_run(folder), "time ran back")
    assert len(back) == 1 and back[0].startswith("time ran back: web1/access.log: ") and "120 minutes" in back[0], back


def test_a_servers_first_line_that_ends_another_servers_line_is_its_own_download(tmp_path: Path) -> None:
    """cut_real: web2's first line (client 2.0.0.5) is byte for byte the end of web1's line from 12.0.0.5 in the
    same second, and after it both hold only the same health checks to 18:00. Content cannot tell it from a
    `tail -c` excerpt; under a server's name it is web2's own download (streams16 dropped it: 3 downloads, 2)."""
    web1 = [_download("203.0.113.1", 1, 30)] + _checks(1, 6) + [_download("12.0.0.5", 6, 5)] + _checks(6, 18, 30)
    web2 = [_download("2.0.0.5", 6, 5)] + _checks(6, 18, 30)
    write_log(tmp_path / "in" / "web1" / "access.log", web1)
    write_log(tmp_path / "in" / "web2" / "access.log", web2)
    [target] = _run(tmp_path / "in")["targets"]
    assert target["totals"]["complete_downloads"] == 3
    assert "2.0.0.5" in {d["client_ip"] for d in target["downloads"]}


@pytest.mark.parametrize(("dies", "lives"), [("web1", "web2"), ("web2", "web1")])
def test_a_server_content_cannot_tell_from_a_take_says_its_end_as_an_inference(tmp_path: Path, dies: str,
                                                                                 lives: str) -> None:
    """takefix: the dying server logged the balancer's checks alone from 00:00 to 11:59, the living one the same
    checks and nothing else to 12:59, then a download at 13:00:30 and the checks on. Content cannot tell the dying
    file from a take of the living one's log (its every line the other's, from its first line on, nothing of the
    other's left out). Before: its 720 minutes after 11:59 were said nowhere (status complete, no finding). Now a
    `presumed take` (stated) says them, with the inference, in the terminal's and the answer's findings."""
    write_log(tmp_path / "in" / dies / "access.log", _checks(0, 12))
    write_log(tmp_path / "in" / lives / "access.log", _checks(0, 13) + [_download("198.51.100.1", 13, 30)]
              + _checks(13, 24))
    answer = _run(tmp_path / "in")
    assert not _kinds(answer, "gap")
    [take] = [f for f in answer["findings"] if f["kind"] == "presumed take"]
    assert (take["path"].endswith(f"{dies}/access.log"), take["severity"], take["stream"], take["uncovered_start"],
            take["uncovered_end"], take["minutes"]) == (True, "stated", f"{dies}/access.log", "2026-06-10T11:59:00Z",
                                                        "2026-06-10T23:59:00Z", 720.0), take
    assert "taken to be a copy of that log" in take["detail"] and "that server logged nothing in those 720 minutes" \
        in take["detail"], take["detail"]
    assert take["in_window"] == "window 1", take  # the download at 13:00:30 opens window 1 inside the 720 minutes
    [status] = [f for f in answer["evidence_status"]["findings"] if f["kind"] == "presumed take"]
    assert (status["count"], status["streams"]) == (1, [f"{dies}/access.log"]), status


@pytest.mark.parametrize("withdrawn", [True, False])
def test_a_presumed_takes_end_is_said_where_a_servers_end_would_be(tmp_path: Path, withdrawn: bool) -> None:
    """The same two servers; the file was served by web3 at 03:30 and, withdrawn, answered 404 at 04:00: the time
    after web1's last line (11:59) lies outside every window, where a server's end is not said
    (findings.unsaid_edge), and neither is the presumed take's; not withdrawn, the window stays open and it is
    said. One rule for both edges."""
    write_log(tmp_path / "in" / "web1" / "access.log", _checks(0, 12))
    write_log(tmp_path / "in" / "web2" / "access.log", _checks(0, 24))
    web3 = [_download("198.51.100.1", 3.5)]
    write_log(tmp_path / "in" / "web3" / "access.log",
              web3 + ([clf("198.51.100.2", _at(4), TARGET, status=404, size=200)] if withdrawn else []))
    answer = _run(tmp_path / "in")
    said = [(f["kind"], f["stream"]) for f in answer["findings"]
            if f["kind"] in ("presumed take", "gap") and f["stream"] == "web1/access.log"]
    assert said == ([] if withdrawn else [("presumed take", "web1/access.log")]), said


def test_a_load_balanced_servers_silence_between_copies_of_two_streams_is_said(tmp_path: Path) -> None:
    """Review of takefix, lb3: three servers behind one balancer log the same health checks; web3 is down
    11:55-14:00, web2 serves the file at 11:00:30 (window 1 open all day). Every web3 line is a copy of web1's
    (to 12:29) or web2's lines: the rule of 6ba7290 (a silence between copies of two streams where both logs go
    on into it is none) hid web3's 127-minute gap (its start at 10:00 is said too). A real gap is never lost: it is said, inside window 1."""
    write_log(tmp_path / "in" / "web1" / "access.log", _checks(0, 1) + [_download("203.0.113.1", 1, 30)]
              + _checks(1, 12.5))
    write_log(tmp_path / "in" / "web2" / "access.log", _checks(0, 11) + [_download("198.51.100.1", 11, 30)]
              + _checks(11, 24))
    write_log(tmp_path / "in" / "web3" / "access.log", _checks(10, 11 + 55 / 60) + _checks(14, 24))
    answer = _run(tmp_path / "in")
    gaps = [(f["stream"], f["minutes"], f["uncovered_start"], f["uncovered_end"], f["in_window"])
            for f in answer["findings"] if f["kind"] == "gap" and f["stream"] == "web3/access.log"]
    assert gaps == [("web3/access.log", 600.0, "2026-06-10T00:00:00Z", "2026-06-10T10:00:00Z", "window 1"),
                    ("web3/access.log", 127.0, "2026-06-10T11:53:00Z", "2026-06-10T14:00:00Z",
                     "window 1 (open: no withdrawal seen)")], gaps


def test_a_take_is_judged_by_its_files_line_order_not_by_time(tmp_path: Path) -> None:
    """Review of takefix, late.py: web1 logs its own requests every 5 minutes and serves the file at 05:00:30; a
    download 09:50:03-10:05 is written by Apache at its end with its start time, after the 10:00:07 line;
    taken-1000/access.log holds web1's lines to 10:00:07, a prefix of web1's file. Judged by time, the late line
    (09:50:03, between the take's first and last line) made it no take: 'gap ... 835 minutes after its last line',
    a false finding inside window 1. By line order the take is a prefix: its end is the presumed take's."""
    own = [clf(f"203.0.113.{i % 200 + 1}", _at(0, 300 * i + 7), "/page", size=777) for i in range(24 * 12)]
    own.insert(5 * 12 + 1, clf("198.51.100.9", _at(5, 30), TARGET, size=50000))
    late = clf("198.51.100.7", _at(9, 50 * 60 + 3), "/big.iso", size=900_000_000)
    cut = 10 * 12 + 2  # every line written up to 10:00:07
    write_log(tmp_path / "in" / "web1" / "access.log", own[:cut] + [late] + own[cut:])
    write_log(tmp_path / "in" / "taken-1000" / "access.log", own[:cut])
    answer = _run(tmp_path / "in")
    said = [(f["kind"], f["stream"], f["minutes"]) for f in answer["findings"] if f["kind"] in ("gap", "presumed take")]
    assert said == [("presumed take", "taken-1000/access.log", 835.0)], said
