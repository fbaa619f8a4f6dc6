"""Red team 19: a download manager on a dual-stack host splits the file into 8 ranges, alternating between its IPv4
and its IPv6 address, seconds apart, one user agent (/tmp/redteam19/dualstack). The rule counts two partial range
downloads, 4 of 8 parts each, 0 complete, and nothing said that together the addresses hold a whole copy:
partials_adding_up joined only one address's pieces or one IPv6 /64's. Now an IPv4 and an IPv6 address with one
user agent whose partials lie within the range gap of each other are one holder there (an inference, labelled so);
the figures do not change. Two IPv4 addresses stay apart (tests/test_rt16_ipv6_halves.py), and so do two families'
pieces hours apart or with two agents."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.report.caveats import _page_one
from exposure.report.wording import sentence
from tests.logs import clf, t
from tests.servers import analyse

pytestmark = pytest.mark.slow

T = "/iso/disk.img"
SIZE = 8000
DM = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Free Download Manager/6.19"
V4, V6 = "198.51.100.7", "2001:db8:1::7"
HOLDER = (f"{V4} and {V6} (2 addresses of both families with one user agent, their pieces in one run without a pause "
          "of more than 30 minutes, one dual-stack host or several clients with one agent, an inference)")
SAID = (f"window 1: 1 client's partial downloads may together hold the file ({HOLDER}: 2 partials from download 4, "
        "up to 8000 of 8000 bytes): a resume (a 200 cut short, then a 206 for the rest) and pieces more than 30 "
        "minutes apart count as partial each; not counted (queries/windows.sql partials_adding_up)")


def _part(i: int, address: str, hour: int = 13, ua: str = DM) -> str:
    start = i * 1000
    return (clf(address, t(8, hour, 0, i), T, status=206, size=1000, ua=ua)
            + f' "bytes {start}-{start + 999}/{SIZE}"')


def _log(parts: list[str]) -> str:
    lines = [clf(f"198.51.100.{n}", t(8, 8 + n), T, size=SIZE) + ' "-"' for n in (1, 2, 3)]
    return "\n".join(lines + parts + [clf("198.51.100.9", t(9, 12), T, status=404, size=153) + ' "-"']) + "\n"


FORMAT = ("--log-format", '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Content-Range}o"')


def _said(answer) -> list[str]:  # noqa: ANN001
    return [w for w in answer.target["warnings"] if "partials_adding_up" in w]


def test_eight_ranges_over_ipv4_and_ipv6_of_one_agent_are_said_together(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log([_part(i, (V4, V6)[i % 2]) for i in range(8)]), T, *FORMAT)
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"]) == (3, 2)  # no figure changes
    assert _said(answer) == [SAID]
    assert f"{V4} and {V6} (2 addresses of both families" in " ".join(answer.output.split())  # the terminal
    assert _page_one(SAID) == ("window 1: 1 client's partial downloads may together hold the file "
                               f"({HOLDER})")
    dutch = sentence(SAID, {"lang": "nl"})  # type: ignore[arg-type]
    assert dutch.startswith(
        f"venster 1: de gedeeltelijke downloads van 1 client kunnen samen het bestand bevatten ({V4} en {V6} (2 "
        "adressen van beide families met één user agent, hun stukken in één reeks zonder pauze van meer dan 30 "
        "minuten, één dual-stack host of meer clients met één agent, een afleiding): 2 gedeeltelijk vanaf download 4")
    assert sentence(_page_one(SAID), {"lang": "nl"}).endswith("een afleiding))")  # type: ignore[arg-type]


def test_hours_apart_two_agents_a_piece_short_or_a_host_name_are_not_said(tmp_path: Path) -> None:
    hours = [_part(i, V4) for i in range(0, 8, 2)] + [_part(i, V6, hour=16) for i in range(1, 8, 2)]
    assert _said(analyse(tmp_path / "hours", "access.log", _log(hours), T, *FORMAT)) == []
    agents = [_part(i, (V4, V6)[i % 2], ua=(DM, "aria2/1.36.0")[i % 2]) for i in range(8)]
    assert _said(analyse(tmp_path / "agents", "access.log", _log(agents), T, *FORMAT)) == []
    short = [_part(i, (V4, V6)[i % 2]) for i in range(7)]  # byte 7000 on never fetched
    assert _said(analyse(tmp_path / "short", "access.log", _log(short), T, *FORMAT)) == []
    named = [_part(i, ("pc7.example.nl", V6)[i % 2]) for i in range(8)]  # a host name has no family
    assert _said(analyse(tmp_path / "named", "access.log", _log(named), T, *FORMAT)) == []
