"""Red team 16, O5: two addresses of one IPv6 /64 (one LAN, or one host's changing privacy addresses) each fetch
half the file, seconds apart, with one agent: two partial downloads, and no word that together they hold a whole
copy (partials_adding_up was per address). Now the /64 is the one holder the warning names (an inference, labelled
so); the figures do not change: neither address has a complete download. IPv4 addresses, and IPv6 addresses of
different /64s, stay apart."""

from __future__ import annotations

from pathlib import Path

from exposure.report.wording import sentence
from tests.logs import clf, t
from tests.servers import analyse

T = "/iso/disk.img"
SIZE = 2_000_000
DM = "aria2/1.36.0"
SAID = ("window 1: 1 client's partial downloads may together hold the file (2001:db8:1:1::/64 (2 addresses of one "
        "IPv6 /64 network, 2001:db8:1:1::a and 2001:db8:1:1::b, one LAN or one host's changing addresses, an "
        "inference): 2 partials from download 4, up to 2000000 of 2000000 bytes): a resume (a 200 cut short, then a "
        "206 for the rest) and pieces more than 30 minutes apart count as partial each; not counted "
        "(queries/windows.sql partials_adding_up)")


def _lines(halves: tuple[str, str]) -> str:
    lines = [clf("198.51.100.1", t(8, 10), T, size=SIZE), clf("198.51.100.2", t(8, 11), T, size=SIZE),
             clf("198.51.100.3", t(8, 12), T, size=SIZE),
             clf(halves[0], t(8, 13), T, status=206, size=SIZE // 2, ua=DM),
             clf(halves[1], t(8, 13, 2), T, status=206, size=SIZE // 2, ua=DM),
             clf("198.51.100.9", t(12, 0), T, status=404, size=153)]
    return "\n".join(lines) + "\n"


def _said(answer) -> list[str]:  # noqa: ANN001
    return [w for w in answer.target["warnings"] if "partials_adding_up" in w]


def test_two_addresses_of_one_ipv6_64_holding_half_each_are_said_together(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _lines(("2001:db8:1:1::a", "2001:db8:1:1::b")), T)
    assert answer.exit_code == 0, answer.output
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"]) == (3, 2)  # no figure changes
    assert _said(answer) == [SAID]
    assert "2001:db8:1:1::/64 (2 addresses" in " ".join(answer.output.split())  # the terminal
    dutch = sentence(SAID, {"lang": "nl"})  # type: ignore[arg-type]
    assert dutch.startswith(
        "venster 1: de gedeeltelijke downloads van 1 client kunnen samen het bestand bevatten (2001:db8:1:1::/64 (2 "
        "adressen van één IPv6-/64-netwerk, 2001:db8:1:1::a en 2001:db8:1:1::b, één LAN of de wisselende adressen "
        "van één host, een afleiding): 2 gedeeltelijk vanaf download 4")


def test_page_one_names_the_network(tmp_path: Path) -> None:
    from exposure.report.caveats import _page_one

    assert _page_one(SAID) == ("window 1: 1 client's partial downloads may together hold the file (2001:db8:1:1::/64 "
                               "(2 addresses of one IPv6 /64 network, 2001:db8:1:1::a and 2001:db8:1:1::b, one LAN "
                               "or one host's changing addresses, an inference))")
    assert sentence(_page_one(SAID), {"lang": "nl"}) == (  # type: ignore[arg-type]
        "venster 1: de gedeeltelijke downloads van 1 client kunnen samen het bestand bevatten (2001:db8:1:1::/64 (2 "
        "adressen van één IPv6-/64-netwerk, 2001:db8:1:1::a en 2001:db8:1:1::b, één LAN of de wisselende adressen "
        "van één host, een afleiding))")


def test_addresses_of_other_networks_stay_apart(tmp_path: Path) -> None:
    assert _said(analyse(tmp_path / "v4", "access.log", _lines(("198.51.100.30", "198.51.100.31")), T)) == []
    assert _said(analyse(tmp_path / "v6", "access.log", _lines(("2001:db8:1:1::a", "2001:db8:1:2::b")), T)) == []


def test_the_network_is_written_canonically(tmp_path: Path) -> None:
    # review F7: 2001:db8::a and ::b were named 2001:db8:0:0::/64
    said = _said(analyse(tmp_path, "access.log", _lines(("2001:db8::a", "2001:db8::b")), T))
    assert len(said) == 1 and "(2001:db8::/64 (2 addresses of one IPv6 /64 network, 2001:db8::a and" in said[0]


def test_nat64_addresses_are_different_ipv4_hosts_never_one_network(tmp_path: Path) -> None:
    # review F8 (/tmp/review_rt16left/v6/nat64): 64:ff9b::198.51.100.7 and 64:ff9b::203.0.113.7 are two IPv4
    # hosts behind a NAT64 gateway (64:ff9b::/96; 64:ff9b:1::/48 the local-use prefix): each one half, no holder
    assert _said(analyse(tmp_path / "wkp", "access.log", _lines(("64:ff9b::c633:6407", "64:ff9b::cb00:7107")), T)) == []
    assert _said(analyse(tmp_path / "local", "access.log", _lines(("64:ff9b:1::a", "64:ff9b:1::b")), T)) == []


def test_an_address_that_holds_the_file_alone_keeps_its_own_fact(tmp_path: Path) -> None:
    # review F7 (/tmp/review_rt16left/v6/alone): 2001:db8::a resumes (a 200 of half, a 206 of the other half)
    # and holds the file alone; 2001:db8::b fetched 5,000 bytes of it. Old: '2001:db8::a: 2 partials ... up to
    # 2000000'; rt16left folded it into a /64 inference of both addresses
    lines = [clf("198.51.100.1", t(8, 10), T, size=SIZE), clf("198.51.100.2", t(8, 11), T, size=SIZE),
             clf("198.51.100.3", t(8, 12), T, size=SIZE),
             clf("2001:db8::a", t(8, 13), T, size=SIZE // 2, ua=DM),
             clf("2001:db8::b", t(8, 13, 30), T, status=206, size=5000, ua=DM),
             clf("2001:db8::a", t(8, 14), T, status=206, size=SIZE // 2, ua=DM),
             clf("198.51.100.9", t(12, 0), T, status=404, size=153)]
    said = _said(analyse(tmp_path, "access.log", "\n".join(lines) + "\n", T))
    assert len(said) == 1
    assert said[0].startswith("window 1: 1 client's partial downloads may together hold the file (2001:db8::a: 2 "
                              "partials from download 4, up to 2000000 of 2000000 bytes)")
