"""Review of red team 19's dual-stack holder (queries/windows.sql partials_adding_up, basis 'user agent'): the
addresses of one agent's run of partials were joined whatever their count per family, so two IPv4 hosts each
holding half the file became one 'dual-stack host' through any IPv6 address of the same agent with one piece in the
run (/tmp/review_redteam19/c3_two_v4_bridged/bridge: 198.51.100.7 bytes 0-3999, 203.0.113.9 bytes 4000-7999,
2001:db8:1::7 bytes 0-999, one Free Download Manager agent, seconds apart). A dual-stack host has one IPv4 address;
two IPv4 addresses stay apart (tests/test_rt16_ipv6_halves.py), an IPv6 address between them or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.report.wording import sentence
from tests.logs import clf, t
from tests.servers import analyse

pytestmark = pytest.mark.slow

T = "/iso/disk.img"
SIZE = 8000
DM = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Free Download Manager/6.19"
FORMAT = ("--log-format", '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Content-Range}o"')


def _part(i: int, address: str, second: int) -> str:
    start = i * 1000
    return (clf(address, t(8, 13, 0, second), T, status=206, size=1000, ua=DM)
            + f' "bytes {start}-{start + 999}/{SIZE}"')


def _said(tmp_path: Path, parts: list[str], partials: int = 3) -> list[str]:
    lines = [clf(f"198.51.100.{n}", t(8, 8 + n), T, size=SIZE) + ' "-"' for n in (1, 2, 3)]
    log = "\n".join([*lines, *parts, clf("198.51.100.9", t(9, 12), T, status=404, size=153) + ' "-"']) + "\n"
    answer = analyse(tmp_path, "access.log", log, T, *FORMAT)
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"]) == (3, partials)  # no figure changes
    return [w for w in answer.target["warnings"] if "partials_adding_up" in w]


def test_two_ipv4_hosts_joined_by_an_ipv6_piece_stay_apart(tmp_path: Path) -> None:
    parts = ([_part(i, "198.51.100.7", i) for i in range(4)] + [_part(i, "203.0.113.9", i) for i in range(4, 8)]
             + [_part(0, "2001:db8:1::7", 30)])
    assert _said(tmp_path, parts) == []


def test_one_ipv4_and_two_ipv6_addresses_of_one_agent_are_said(tmp_path: Path) -> None:
    parts = ([_part(i, "198.51.100.7", i) for i in range(4)] + [_part(i, "2001:db8:1::7", i) for i in range(4, 8)]
             + [_part(0, "2001:db8:1::9", 30)])  # a privacy address of the same /64
    said = _said(tmp_path, parts)
    assert len(said) == 1 and "198.51.100.7, 2001:db8:1::7 and 2001:db8:1::9 (3 addresses of both families" in said[0]


def test_viewers_of_many_ipv6_networks_and_a_cgnat_address_are_no_dual_stack_host(tmp_path: Path) -> None:
    # a PDF viewer's chunks of one browser agent: a CGNAT IPv4 address and IPv6 addresses of three /64 networks
    # (/tmp/review_redteam19/c5_cgnat_flood: 40 viewers read '1 client's partial downloads may together hold the
    # file (100.64.0.1, 2001:db8:10::10, ... (40 addresses ...' on every door). A dual-stack host's IPv6 addresses
    # are of one /64 (its LAN's prefix, its privacy addresses): several /64s are several hosts.
    parts = ([_part(i, "100.64.0.1", i) for i in range(2)] + [_part(i, "2001:db8:1::7", i) for i in range(2, 4)]
             + [_part(i, "2001:db8:2::7", i) for i in range(4, 6)] + [_part(i, "2001:db8:3::7", i) for i in range(6, 8)])
    assert _said(tmp_path, parts, partials=4) == []


def test_a_run_of_pieces_is_said_as_a_run_not_as_pieces_within_the_gap_of_each_other(tmp_path: Path) -> None:
    # 198.51.100.7's pieces at 13:00, a piece of 2001:db8:1::9 at 13:25, 2001:db8:1::7's at 13:50: one run of the
    # agent (no pause over 30 minutes), yet the first and the last address's pieces are 50 minutes apart
    # (/tmp/review_redteam19/c3_two_v4_bridged/chain): 'their pieces within 30 minutes of each other' was untrue
    def part(i: int, address: str, minute: int) -> str:
        return (clf(address, t(8, 13, minute, i), T, status=206, size=1000, ua=DM)
                + f' "bytes {i * 1000}-{i * 1000 + 999}/{SIZE}"')

    parts = ([part(i, "198.51.100.7", 0) for i in range(4)] + [part(0, "2001:db8:1::9", 25)]
             + [part(i, "2001:db8:1::7", 50) for i in range(4, 8)])
    said = _said(tmp_path, parts)
    assert len(said) == 1, said
    assert "within 30 minutes of each other" not in said[0]
    assert ("198.51.100.7, 2001:db8:1::7 and 2001:db8:1::9 (3 addresses of both families with one user agent, their "
            "pieces in one run without a pause of more than 30 minutes, one dual-stack host or several clients with "
            "one agent, an inference)") in said[0]
    dutch = sentence(said[0], {"lang": "nl"})  # type: ignore[arg-type]
    assert ("(3 adressen van beide families met één user agent, hun stukken in één reeks zonder pauze van meer dan "
            "30 minuten, één dual-stack host of meer clients met één agent, een afleiding)") in dutch
