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
        "window 1: 1 client's partial downloads add up to the file's size (198.51.100.20: 2 partial downloads "
        "from download 4, 2000000 bytes against 2000000): a download resumed (wget -c, a browser's resume: the 200 "
        "cut short and the 206 that finishes it are counted apart) or fetched in pieces more than 30 minutes apart "
        "in a log without range offsets is counted so, each piece partial; the log cannot tell which bytes each "
        "piece held, so the client may hold a complete copy, not counted (queries/windows.sql partials_adding_up)"]
    assert "198.51.100.20: 2 partial downloads" in answer.output  # the terminal (stderr, --quiet keeps warnings)
    from exposure.report.wording import sentence

    dutch = sentence(said[0], {"lang": "nl"})  # type: ignore[arg-type]
    assert dutch is not None and dutch.startswith("venster 1: de gedeeltelijke downloads van 1 client tellen samen")
