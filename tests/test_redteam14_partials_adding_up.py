"""A download resumed with `wget -c` (a 200 cut short, then a 206 for the rest) is two partial downloads by the
rule: the 200 is a single, the 206 a range group; chunks more than 30 minutes apart in a log without range offsets
(S3, CLF) are a partial group each. The client holds the file, and nothing said so. Now a warning per window names
the clients whose partial downloads add up to the file's size (queries/windows.sql partials_adding_up): in the
JSON answer, on the terminal and on page 1; no figure changes. A client whose pieces fall short is not named."""

from __future__ import annotations

from pathlib import Path

from tests.logs import clf, t
from tests.servers import analyse

T = "/docs/x.pdf"
SIZE = 2_000_000
WGET = "Wget/1.21.4"


def _lines() -> list[str]:
    return [clf("198.51.100.1", t(8, 10), T, size=SIZE), clf("198.51.100.2", t(8, 11), T, size=SIZE),
            clf("198.51.100.3", t(8, 12), T, size=SIZE),
            # wget -c: 838,860 bytes, the connection drops, the rest two minutes later
            clf("198.51.100.20", t(8, 13), T, size=838_860, ua=WGET),
            clf("198.51.100.20", t(8, 15), T, status=206, size=SIZE - 838_860, ua=WGET),
            # two pieces that fall short of the file together: not named
            clf("198.51.100.21", t(8, 16), T, size=500_000, ua=WGET),
            clf("198.51.100.21", t(8, 17), T, status=206, size=600_000, ua=WGET),
            clf("198.51.100.9", t(12, 0), T, status=404, size=153)]


def test_partial_downloads_that_add_up_to_the_file_are_said(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", "\n".join(_lines()) + "\n", T)
    assert answer.exit_code == 0, answer.output
    totals = answer.totals
    assert (totals["complete_downloads"], totals["partial_downloads"]) == (3, 4)  # no figure changes
    said = [w for w in answer.target["warnings"] if "partials_adding_up" in w]
    assert said == [
        "window 1: 1 client's partial downloads may together hold the file (198.51.100.20: 2 partials from "
        "download 4, up to 2000000 of 2000000 bytes): a resume (a 200 cut short, then a 206 for the rest) and "
        "pieces more than 30 minutes apart count as partial each; not counted (queries/windows.sql "
        "partials_adding_up)"]
    assert "198.51.100.20: 2 partials" in answer.output  # the terminal (stderr, --quiet keeps warnings)
    from exposure.report.wording import sentence

    dutch = sentence(said[0], {"lang": "nl"})  # type: ignore[arg-type]
    assert dutch == (
        "venster 1: de gedeeltelijke downloads van 1 client kunnen samen het bestand bevatten (198.51.100.20: 2 "
        "gedeeltelijk vanaf download 4, tot 2000000 van 2000000 bytes): een hervatting (een afgebroken 200, dan een "
        "206 voor de rest) en stukken meer dan 30 minuten uit elkaar tellen elk als gedeeltelijk; niet geteld "
        "(queries/windows.sql partials_adding_up)")


def _said(tmp_path: Path, lines: list[str], *options: str) -> list[str]:
    answer = analyse(tmp_path, "access.log", "\n".join(lines) + "\n", T, *options)
    assert answer.exit_code == 0, answer.output
    return [w for w in answer.target["warnings"] if "partials_adding_up" in w]


def _base() -> list[str]:
    return [clf("198.51.100.1", t(8, 10), T, size=SIZE), clf("198.51.100.2", t(8, 11), T, size=SIZE),
            clf("198.51.100.3", t(8, 12), T, size=SIZE)]


def test_pieces_the_log_places_on_the_same_bytes_are_not_said_to_add_up(tmp_path: Path) -> None:
    """p2_access.log (red team 14 review): two 200s each cut at 1.2 MB of 2 MB hold bytes 0-1,199,999 twice (a
    200 always starts at byte 0), never the file; their counts' sum (2.4 MB) warned 'may hold a complete copy'."""
    cut = [clf("198.51.100.20", t(8, 13), T, size=1_200_000, ua=WGET),
           clf("198.51.100.20", t(9, 13), T, size=1_200_000, ua=WGET)]
    assert _said(tmp_path / "a", [*_base(), *cut]) == []
    # a 206 without offsets beside them can hold the rest: named, by the union (1.2 MB) and its count
    rest = clf("198.51.100.20", t(10, 13), T, status=206, size=SIZE - 1_200_000, ua=WGET)
    assert [w.split("(", 1)[1].split(")", 1)[0] for w in _said(tmp_path / "b", [*_base(), *cut, rest])] == [
        "198.51.100.20: 3 partials from download 4, up to 2000000 of 2000000 bytes"]


def test_one_address_is_one_client_and_internal_or_complete_clients_are_not_named(tmp_path: Path) -> None:
    # the resume sent by another agent (a download manager taking over from the browser): one address, named once
    resumed = [clf("198.51.100.20", t(8, 13), T, size=838_860),
               clf("198.51.100.20", t(8, 15), T, status=206, size=SIZE - 838_860, ua=WGET)]
    said = _said(tmp_path / "a", [*_base(), *resumed])
    assert len(said) == 1 and "(198.51.100.20: 2 partials from download 4," in said[0]
    # the same address with a complete download in the window: it holds the file, counted
    assert _said(tmp_path / "b", [*_base(), *resumed, clf("198.51.100.20", t(9, 0), T, size=SIZE)]) == []
    # an internal address is never named
    assert _said(tmp_path / "c", [*_base(), *resumed], "--internal", "198.51.100.20/32") == []


def test_pieces_in_two_windows_are_not_added(tmp_path: Path) -> None:
    """Half the file before a withdrawal, the other half after its republication: another window (the file may be
    another version), never added up."""
    lines = [*_base(), clf("198.51.100.20", t(8, 13), T, size=1_000_000, ua=WGET),
             clf("198.51.100.9", t(9, 0), T, status=404, size=153),
             clf("198.51.100.1", t(11, 0), T, size=SIZE), clf("198.51.100.2", t(11, 1), T, size=SIZE),
             clf("198.51.100.3", t(11, 2), T, size=SIZE),
             clf("198.51.100.20", t(11, 13), T, status=206, size=1_000_000, ua=WGET),
             clf("198.51.100.20", t(12, 13), T, status=206, size=500_000, ua=WGET)]
    assert _said(tmp_path, lines) == []


def test_the_warning_says_the_range_gap_in_use() -> None:
    from exposure.answer import _partials_adding_up

    row = {"via": "/a.pdf", "window": 2, "client": "2001:db8::1", "downloads": 2, "delivered": 10,
           "size_bytes": 10, "first_download": 3}
    [said] = _partials_adding_up([row], 45)
    assert said.startswith("window 2 of --alias /a.pdf: 1 client's partial downloads may together hold the file "
                           "(2001:db8::1: 2 partials from download 3, up to 10 of 10 bytes): a resume (a 200 cut "
                           "short, then a 206 for the rest) and pieces more than 45 minutes apart")
    from exposure.report.wording import sentence

    assert sentence(said, {"lang": "nl"}).startswith(  # type: ignore[arg-type, union-attr]
        "venster 2 van --alias /a.pdf: de gedeeltelijke downloads van 1 client kunnen samen het bestand bevatten "
        "(2001:db8::1: 2 gedeeltelijk vanaf download 3, tot 10 van 10 bytes): een hervatting (een afgebroken 200, "
        "dan een 206 voor de rest) en stukken meer dan 45 minuten")


def test_page_one_names_the_clients_alone_and_section_1_says_the_rest() -> None:
    """The five-line warning cost page 1 of the sample its named findings (in Dutch it did not fit at all: 'nog 1
    kanttekening'): page 1 says the window and the clients, in the report's language."""
    from exposure.answer import _partials_adding_up
    from exposure.report.caveats import caveats
    from exposure.report.i18n import strings

    rows = [{"via": None, "window": 2, "client": c, "downloads": 2, "delivered": 10, "size_bytes": 10,
             "first_download": n} for n, c in ((3, "86.87.220.15"), (5, "2001:db8::1"))]
    said = _partials_adding_up(rows, 30)
    target = {"path": T, "warnings": said}
    assert [c["text"] for c in caveats([], [target], strings("en"))] == [
        "window 2: 2 clients' partial downloads may together hold the file (86.87.220.15; 2001:db8::1)"]
    assert [c["text"] for c in caveats([], [target], strings("nl"))] == [
        "venster 2: de gedeeltelijke downloads van 2 clients kunnen samen het bestand bevatten "
        "(86.87.220.15; 2001:db8::1)"]
