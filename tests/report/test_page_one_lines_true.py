"""Page 1's counted lines say what is true (report/pageone.py): no line counting 0 silences where there is no gap,
and the line counting the files not read in full counts files, not findings (review page1budget H/, D/)."""

from __future__ import annotations

from exposure.report.i18n import EN, Strings
from exposure.report.pagebudget import COLUMN
from exposure.report.pageone import page_one


def _caveat(text: str, must: bool = False) -> dict:
    return {"kind": "caveat", "path": None, "text": text, "files": 1, "must": must}


def _incomplete(path: str, n: int) -> dict:
    return {"kind": "unreadable", "kind_label": "unreadable", "severity": "incomplete", "path": path,
            "text": f"lines {n}-{n + 9} could not be read " + "x " * COLUMN}


def test_no_gap_gives_no_gap_line_when_the_caveats_fill_the_room() -> None:
    """Review H/: must-carry caveats past the room and no gap printed 'gap: 0 silences of streams inside 0
    windows'."""
    s = Strings(EN)
    caveats = [_caveat(f"GeoIP {k} " + "x " * COLUMN, must=True) for k in range(4)]
    one = page_one([], [], caveats, [], s, str, room=3)
    assert one["gaps"] == []
    assert len(one["caveats"]) == 4  # every must-carry caveat still said


def test_the_files_not_read_in_full_past_the_room_are_counted_as_files() -> None:
    """Review D/: two files, three findings (one file unreadable in two places) counted as '3 more files'. The
    first file is named whatever the room (evidence not fully read is grave), the two others counted."""
    s = Strings(EN)
    findings = [_incomplete("/logs/c.log", 1), _incomplete("/logs/a.log", 1), _incomplete("/logs/a.log", 50),
                _incomplete("/logs/b.log", 1)]
    one = page_one(findings, [], [], [], s, str, room=2)
    shown = {f["path"] for f in one["incomplete"]}
    rest = {f["path"] for f in findings[len(one["incomplete"]):]}
    assert one["incomplete"] == findings[:1]
    assert one["more_incomplete"] == len(rest) and len(rest) == 2, (shown, one["more_incomplete"])
