"""The names people and desktops give a copy (GNOME `access (copy).log`, macOS `access copy 2.log`, Windows
`access - Copy.log`, an editor's `access.log~`) leave a file's stream to its content; the one rule,
exposure/namekinds.named_like_copy, is written into the registry at ingest (evidence.named_like_copy) and read from
there by queries/gaps.sql and exposure/overlap.py (tests/test_streams.py holds the names one by one)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from exposure import Case
from exposure.namekinds import named_like_copy
from tests.conftest import write_log
from tests.logs import clf
from tests.test_rt15fix_server_names import _run

DAY = datetime(2026, 6, 10)


def _own(network: str, second: int) -> list[str]:
    """A server's own requests, one every 5 minutes all day (clients network.1 to .200)."""
    return [clf(f"{network}.{i % 200 + 1}", DAY + timedelta(seconds=300 * i + second), "/page", size=777)
            for i in range(24 * 12)]


@pytest.mark.parametrize(("name", "gaps"), [("excerpt (copy).log", 0), ("excerpt copy 2.log", 0), ("excerpt.log", 1)])
def test_an_excerpt_of_two_servers_named_like_a_copy_says_no_gap_of_its_own(tmp_path: Path, name: str,
                                                                             gaps: int) -> None:
    """/tmp/review_streams16 excerpt2c: web1's 10:00-11:55 and web2's 14:00-15:55 handed over in one file. Named
    like a copy it is a compilation (its lines stand in web1's and web2's streams). Before: GNOME's `(copy)` and
    macOS's `copy 2` were read as part of a server's name, `excerpt (copy).log`, and page 1 said its 125 minutes
    between the two servers' lines as a gap. Under a server's name (`excerpt.log`) the gap is said (stated)."""
    web1, web2 = _own("203.0.113", 7), _own("198.51.100", 11)
    write_log(tmp_path / "in" / "web1" / "access.log", web1)
    write_log(tmp_path / "in" / "web2" / "access.log", web2)
    write_log(tmp_path / "in" / name, web1[10 * 12:12 * 12] + web2[14 * 12:16 * 12])
    answer, _ = _run(tmp_path / "in")
    said = [f["detail"] for f in answer["findings"] if f["kind"] == "gap"]
    assert len(said) == gaps and all("no log line for 125 minutes" in g for g in said), said


def test_the_registry_holds_the_name_rule_for_every_file(tmp_path: Path) -> None:
    """evidence.named_like_copy is namekinds.named_like_copy of the file's name_kind and copy_folder, for a server's
    name, a silent name, a copy's name and a server's name in a copy's folder."""
    lines = _own("203.0.113", 7)[:10]
    names = {"web1/access.log": False, "logs.txt": True, "web1/access - Copy.log": True,
             "backup/web2/access.log": True, "web3/access.log~": True}
    for name in names:
        write_log(tmp_path / "in" / name, lines)
    with Case() as case:
        case.ingest([tmp_path / "in"])
        rows = case.sql("SELECT path, name_kind, copy_folder, named_like_copy FROM evidence").values.tolist()
    got = {Path(p).relative_to(tmp_path / "in").as_posix(): (bool(flag), named_like_copy(kind, folder if isinstance(folder, str) else None))
           for p, kind, folder, flag in rows}  # a frame's missing copy_folder is NaN
    assert got == {name: (copy, copy) for name, copy in names.items()}, got


@pytest.mark.parametrize("served_at", [5, 13])
@pytest.mark.parametrize("name", ["access (copy).log", "access copy 2.log", "access.log.bak"])
def test_a_servers_only_log_named_like_a_copy_keeps_its_end(tmp_path: Path, name: str, served_at: int) -> None:
    """Review of takefix, bak.py: web3's only log, named like a copy, holds web3's own requests (every 5 minutes to
    11:55) among the balancer's health checks web2 logs too, to 11:59; web2 serves the file at 05:00:30 and logs
    on all day. The copy's name joined web3's file to web2's stream (its 718 shared lines), and its copied end was
    excused: web3's 720 minutes after 11:59, inside window 1, were said nowhere. A copy-named file with lines of
    its own keeps its stream (named from its name), and, a line of its own in it, it is some server's log: its end
    is said, whether web2 logged a line of its own among the copied checks (05:00:30) or not (13:00:30)."""
    from tests.test_lb_health_checks_keep_gaps import _checks, _download
    from tests.test_lb_health_checks_keep_gaps import _run as run_target
    own = [clf(f"203.0.113.{i % 200 + 1}", DAY + timedelta(seconds=300 * i + 7), "/page", size=777)
           for i in range(12 * 12)]
    web3 = sorted(own + _checks(0, 12), key=lambda line: line.split("[")[1])  # one day: the time text sorts
    write_log(tmp_path / "in" / "web3" / name, web3)
    write_log(tmp_path / "in" / "web2" / "access.log", _checks(0, served_at)
              + [_download("198.51.100.1", served_at, 30)] + _checks(served_at, 24))
    answer = run_target(tmp_path / "in")
    said = [(f["kind"], f["stream"], f["minutes"], f["uncovered_start"], f["in_window"]) for f in answer["findings"]
            if f["kind"] in ("gap", "presumed take", "inferred stream")]
    assert said == [("gap", "web3/access.log", 720.0, "2026-06-10T11:59:00Z",
                     "window 1 (open: no withdrawal seen)" if served_at == 5 else "window 1")], said
