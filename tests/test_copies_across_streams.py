"""Copies of one server's log that land in streams of their own (server-like names: `excerpt.log`,
`taken-1000/access.log`, `web3/access.log`): no copy makes a download, a gap or a `time ran back` its original does
not have, and a server's own lines keep their gaps (tests/test_rt15fix_server_names.py holds the other side)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_log
from tests.logs import clf, t
from tests.test_rt15fix_server_names import _run  # one analyse of a folder: answer, stream per file

TARGET = "/docs/leak.xlsx"


def _day(first: str = "192.0.2", second: int = 0) -> list[str]:
    """A line every 10 minutes from 00:00 to 23:50 UTC on 10 June, client `first`.(hour + 1), TARGET at :30."""
    return [clf(f"{first}.{h + 1}", t(10, h, m, second), TARGET if m == 30 else "/", size=50000 if m == 30 else 900)
            for h in range(24) for m in range(0, 60, 10)]


def _kinds(answer: dict[str, Any], *kinds: str) -> list[str]:
    return [f"{f['kind']}: {f['stream']}: {f['detail']}" for f in answer["findings"] if f["kind"] in kinds]


@pytest.mark.parametrize(("name", "downloads"), [("copy of excerpt.log", 24), ("excerpt.log", 25)])
def test_a_tail_excerpts_cut_first_line_is_a_copy_where_its_name_is_a_copys(tmp_path: Path, name: str,
                                                                           downloads: int) -> None:
    """/tmp/rt15fix/run.sh D9: `tail -c` of web1's log cut 2 bytes into a download's line (`2.0.2.22` of
    `192.0.2.22`). Named like a copy, the excerpt after its first line is web1's: its first line is a cut copy.
    Under a server's name (`excerpt.log`) it is counted (25 complete downloads where 24 were made: a stated limit,
    README): streams16 made it a cut copy by content whatever the name, and so dropped a real download of a server
    behind one load balancer with web1 (its first request ending web1's in the same second, then the same health
    checks: review of streams16 F4, tests/test_lb_health_checks_keep_gaps.py). A request too many, never one lost."""
    day = _day()
    data = "".join(line + "\n" for line in day).encode()
    write_log(tmp_path / "in" / "web1" / "access.log", day)
    (tmp_path / "in" / name).write_bytes(data[data.index(day[129].encode()) + 2:])
    answer, _ = _run(tmp_path / "in")
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == downloads
    assert ("2.0.2.22" in {d["client_ip"] for d in target["downloads"]}) == (downloads == 25)
    # the excerpt's lines (its own first line aside, under a server's name) against web1's, whichever is cited
    ranges = [(f["line_ranges"], f["related_line_ranges"]) if f["path"].endswith(name)
              else (f["related_line_ranges"], f["line_ranges"]) for f in answer["findings"] if f["kind"] == "overlap"]
    assert ranges == ([("1-15", "130-144")] if downloads == 24 else [("2-15", "131-144")]), ranges


def _takes(folder: Path, day: list[str]) -> None:
    """One server's day as red team 15 delivered it (/tmp/redteam15/gen/mk_all.py): its rotation (to 15:50) and
    live log (from 12:00) sharing hours (more than the 21 lines a seam is judged by), and two takes of the log at
    10:00 and 18:00, every file a server's name."""
    write_log(folder / "web1" / "access.log.1", day[:16 * 6])  # 00:00-15:50 UTC, a line every 10 minutes
    write_log(folder / "web1" / "access.log", day[12 * 6:])
    write_log(folder / "handover" / "taken-1000" / "access.log", day[:10 * 6])
    write_log(folder / "handover" / "taken-1800" / "access.log", day[:18 * 6])


@pytest.mark.parametrize("excerpt", ["copy of excerpt.log", "excerpt.log"])
def test_takes_of_one_servers_log_in_streams_of_their_own_make_no_gap_and_no_step_back(tmp_path: Path,
                                                                                      excerpt: str) -> None:
    """/tmp/redteam15/ALL: the takes are streams of their own (taken-1000/access.log, taken-1800/access.log) and so
    is a `tail -c` excerpt (excerpt.log). Before: page 1 and the terminal said taken-1000 silent 840 minutes after
    its last line and taken-1800 360 (where the later take and the live log, holding their lines, log on), the
    excerpt silent 1252 minutes before its first (where the log holding its lines logged), and web1's time running
    back 60 minutes between its rotation and its live log (the hour both hold, each cited from taken-1800; 230
    minutes here). A take makes no gap and no step back its original does not have; the downloads are counted
    once. The excerpt under a server's name (review of streams16 F2, F4) is that server's log by its name: its
    start is said (a false gap, stated: a server whose log begins late behind a load balancer looks the same) and
    its cut first line counted; named like a copy, nothing is said."""
    day = _day()
    _takes(tmp_path / "in", day)
    data = "".join(line + "\n" for line in day).encode()
    (tmp_path / "in" / excerpt).write_bytes(data[data.index(day[129].encode()) + 2:])
    answer, streams = _run(tmp_path / "in")
    # the names decide: web1, taken-1000, taken-1800, excerpt.log (a copy's name joins web1's by its content)
    assert len(set(streams.values())) == (4 if excerpt == "excerpt.log" else 3), streams
    said = _kinds(answer, "gap", "gap in window", "time ran back")
    assert said == ([] if excerpt != "excerpt.log" else [
        "gap: in/excerpt.log: no log line for 1290 minutes before its first line (the stream starts after the "
        "evidence begins, another stream logs before it) (a gap: longer than this stream's threshold of 60 minutes)"
    ]), said
    assert answer["targets"][0]["totals"]["complete_downloads"] == (24 if excerpt != "excerpt.log" else 25)


def test_a_servers_real_end_is_said_where_its_takes_stop_before_it(tmp_path: Path) -> None:
    """The same takes of a server that stopped logging at 19:50 while web2 logged on to 23:50: the takes end where
    a later file of the server logs on (no edge), the server's own end is said once, in its stream."""
    day = _day()[:20 * 6]  # to 19:50 UTC
    _takes(tmp_path / "in", day)
    write_log(tmp_path / "in" / "web2" / "access.log", _day("198.51.100", 5))
    answer, _ = _run(tmp_path / "in")
    gaps = _kinds(answer, "gap")
    assert len(gaps) == 1 and gaps[0].startswith("gap: web1/access.log: no log line for 240 minutes after its last"), gaps


def test_a_new_servers_health_checks_cited_after_another_servers_keep_their_stream_and_gaps(tmp_path: Path) -> None:
    """/tmp/rt15fix/in/B3: web3/access.log is 3 ELB health checks that web2 logged too (12:01:00-12:01:20 UTC),
    cited after web2's log. Before: all its lines repeated, web3 joined web2's stream (`whole`, whatever its name:
    'inferred stream') and its two gaps, 721 minutes before its first line and 709 after its last, were said
    nowhere. A server's name keeps its stream, and 3 lines copied end no stream: said as when web3 is cited first
    (tests/test_rt15fix_server_names.py, web1)."""
    health = [clf("10.0.0.2", t(10, 12, 1, s), "/health", size=2, ua="ELB-HealthChecker/2.0") for s in (0, 10, 20)]
    web2 = _day("198.51.100", 5)
    write_log(tmp_path / "in" / "web2" / "access.log", web2[:73] + health + web2[73:])
    write_log(tmp_path / "in" / "web3" / "access.log", health)
    answer, streams = _run(tmp_path / "in")
    assert streams["web3/access.log"] == "web3/access.log" != streams["web2/access.log"]
    assert not _kinds(answer, "inferred stream")
    gaps = [g for g in _kinds(answer, "gap") if g.startswith("gap: web3/access.log: ")]
    assert len(gaps) == 2 and "721 minutes before its first" in gaps[0] and "709 minutes after its last" in gaps[1], gaps


def test_a_servers_gap_is_said_where_a_compilation_under_a_servers_name_is_cited_first(tmp_path: Path) -> None:
    """/tmp/rt15fix/in/A: `all.log` (a server's name, cited first: web1's and web2's lines are its copies) is
    `cat web1 web2`; web1 logged 00:00-11:50. Before: web1 and web2 joined all.log's stream (`whole`) and web1's
    720 silent minutes were said nowhere (a 'time ran back' instead); with the join gone, web1's last lines, copies
    of all.log's, ended no stream. all.log goes on after them with web2's lines: no log of web1 goes on, the gap is
    web1's."""
    web1 = _day()[:72]
    web2 = _day("198.51.100", 5)
    write_log(tmp_path / "in" / "all.log", web1 + web2)
    write_log(tmp_path / "in" / "web1" / "access.log", web1)
    write_log(tmp_path / "in" / "web2" / "access.log", web2)
    answer, streams = _run(tmp_path / "in")
    assert streams["web1/access.log"] == "web1/access.log"
    gaps = _kinds(answer, "gap")
    assert len(gaps) == 1 and gaps[0].startswith("gap: web1/access.log: no log line for 720 minutes after its last"), gaps
    assert answer["targets"][0]["totals"]["complete_downloads"] == 36


def test_a_servers_own_silence_is_said_where_two_other_streams_hold_parts_of_its_log(tmp_path: Path) -> None:
    """The takes, the rotation and a `tail -c` excerpt.log beside web1's live log, which misses 19:00-20:50 UTC (a
    silence of its own lines alone: the takes stop at 18:00, the excerpt begins at 21:30). Before: the live log's
    copied lines came from two streams (taken-1800's, excerpt.log's), so it was taken for a compilation and every
    line of it left out of web1's silences: its 130 silent minutes were said nowhere (before this round only inside
    the excerpt's false 1290-minute gap). A server's name is a log, not a compilation: the gap is web1's, said once
    (and the start of excerpt.log, a server's name: review of streams16 F2)."""
    day = _day()
    _takes(tmp_path / "in", day)
    live = [line for i, line in enumerate(day[72:], 72) if not 19 * 6 <= i < 21 * 6]
    write_log(tmp_path / "in" / "web1" / "access.log", live)
    data = "".join(line + "\n" for line in live).encode()
    (tmp_path / "in" / "excerpt.log").write_bytes(data[data.index(day[129].encode()) + 2:])
    answer, _ = _run(tmp_path / "in")
    gaps = _kinds(answer, "gap", "time ran back")
    assert gaps == ["gap: in/excerpt.log: no log line for 1290 minutes before its first line (the stream starts after "
                    "the evidence begins, another stream logs before it) (a gap: longer than this stream's threshold "
                    "of 60 minutes)",
                    "gap: web1/access.log: no log line for 130 minutes (a gap: longer than this stream's threshold of "
                    "60 minutes)"], gaps


@pytest.mark.parametrize("web1_hours", [24, 12])
def test_two_servers_stretches_under_a_servers_name_say_the_silence_between_them(tmp_path: Path, web1_hours: int) -> None:
    """excerpt3 (review of streams16): zz/access.log is web1's 10:00-11:50 and web2's 14:00-15:50, every line a copy,
    cited after both (zz sorts last). Page 1 says 'no log line for 130 minutes' in zz's stream between the two
    servers' lines. Where both logs logged on (web1_hours 24) it is a false gap, STATED, and kept: content cannot
    tell this excerpt from a third server behind the same balancer that logged only copies of the others' lines
    and was down those 130 minutes (review of takefix, lb3: the rule that hid this gap, 6ba7290, hid that server's
    real one; a false stated gap is a limit the README names, a real gap unsaid is not). Where web1's log itself
    ends at 11:50, web1's end is said in its own stream too."""
    web1, web2 = _day()[:web1_hours * 6], _day("198.51.100", 5)
    write_log(tmp_path / "in" / "web1" / "access.log", web1)
    write_log(tmp_path / "in" / "web2" / "access.log", web2)
    write_log(tmp_path / "in" / "zz" / "access.log", web1[10 * 6:12 * 6] + web2[14 * 6:16 * 6])
    answer, _ = _run(tmp_path / "in")
    # the silences between lines (zz's own edges, a server's name's, are said apart: a stated limit, README)
    inner = [g.split(" (")[0] for g in _kinds(answer, "gap") if "its first line" not in g and "its last line" not in g]
    assert inner == ["gap: zz/access.log: no log line for 130 minutes"], inner
    ends = [g.split(" (")[0] for g in _kinds(answer, "gap") if g.startswith("gap: web1/")]
    assert ends == ([] if web1_hours == 24 else ["gap: web1/access.log: no log line for 720 minutes after its last line"])
