"""Page 1's grave findings before the less grave (report/pageone.py): the first file not read in full is named with
its reason whatever the room, as the alert boxes are (report/alerts.py); the gaps, caveats and stated kinds give
way to it, counted (tests/test_every_incomplete_kind_said.py: in Dutch, the unreadable file's reason was counted away
while page 1 ran onto page 2)."""

from __future__ import annotations

from exposure.report.i18n import EN, Strings
from exposure.report.pageone import page_one


def _gap(k: int) -> dict:
    return {"kind": "gap", "text": f"web{k}/access.log silent 10:00-11:00", "inside": ", window 1", "fact": None,
            "stream": f"web{k}/access.log", "server": None, "uncovered_start": "10:00", "uncovered_end": "11:00",
            "length": "1 h", "in_windows": [{"target": "/a", "alias": None, "window": 1}]}


def test_the_first_file_not_read_in_full_is_named_whatever_the_room() -> None:
    s = Strings(EN)
    unreadable = {"kind": "unreadable", "kind_label": "unreadable", "severity": "incomplete",
                  "path": "/logs/web8/access.log", "text": "UTF-16 text: convert to UTF-8 first"}
    damaged = {**unreadable, "kind": "damaged", "kind_label": "damaged", "path": "/logs/web1/access.log"}
    caveat = {"kind": "caveat", "path": None, "text": "window 1 opens within the first hour", "files": 1,
              "must": False}
    stated = {"kind": "cut off", "label": "last line cut off", "count": 2, "text": "a last line ends early"}
    for room in (0, 3, -20):  # page 1 already full (the PDF's layout gave the room up: report/pdf.py fitted)
        one = page_one([unreadable, damaged], [_gap(k) for k in range(9)], [caveat], [stated], s, str, room=room)
        assert one["incomplete"] == [unreadable], room
        assert (one["more_incomplete"], one["more_incomplete_kinds"]) == (1, ["damaged"])
        # the less grave lines gave way: counted, never named past the room
        assert [g["count"] for g in one["gaps"]] == [9] and one["caveats"] == [] and one["more_caveats"] == 1
        assert one["stated"] == [] and (one["more"], one["more_kinds"]) == (1, ["cut off"])


def test_the_windows_table_gives_way_only_where_the_findings_do_not_fit() -> None:
    from exposure.report.model import _windows_give_way

    def one() -> list[dict]:
        return [{"windows": [{"window": 1}], "page_one_windows": [{"window": 1}]}]
    fits, full = one(), one()
    assert not _windows_give_way(fits, 0) and fits[0]["page_one_windows"] == [{"window": 1}]
    assert _windows_give_way(full, -0.5) and full[0]["page_one_windows"] == []
    several = one() + one()  # several files: page 1 has the table of files, no windows to give way
    assert not _windows_give_way(several, -10) and several[0]["page_one_windows"]


def test_the_table_of_files_gives_way_where_the_findings_do_not_fit() -> None:
    """Several files: page 1's table of files keeps PAGE_ONE_FILES rows while the findings at their least fit
    beside it, one fewer per row they lack, one at least; its last row counts the rest (section 1 has them all)."""
    from exposure.report.model import _files_give_way, _overview
    from exposure.report.pagebudget import PAGE_ONE_FILES

    files = [{"totals": {"complete_downloads": k}} for k in range(1, 10)]
    assert _files_give_way(files, lambda rows: 0) == PAGE_ONE_FILES
    assert _files_give_way(files, lambda rows: 3 - 2.5 * (rows - 1)) == 2  # 3 lines spare with one row
    assert _files_give_way(files, lambda rows: -1) == 1
    assert _files_give_way(files[:1], lambda rows: -1) == PAGE_ONE_FILES  # one file: no table to give way
    overview = _overview(files, 2)
    assert (len(overview["rows"]), overview["more"], overview["more_downloads"]) == (2, 7, sum(range(3, 10)))
