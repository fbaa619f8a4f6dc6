"""Page 1's estimate counts a wide glyph (East Asian Wide or Fullwidth: CJK, most emoji) as the two columns it
takes on paper (report/pagebudget.py `width`): counted as one character, a title, an --alias path or a file's path
in Chinese took twice the lines the budget gave them. A report written without a PDF (no Pango) has no layout to
catch it (report/pdf.py `fitted`): the estimate alone keeps the status list on page 1."""

from __future__ import annotations

from exposure.report.alerts import page_one_alerts
from exposure.report.i18n import EN, Strings
from exposure.report.pagebudget import COLUMN, PAGE_ONE, above_status, alias_row, printed, width
from exposure.report.pageone import page_one

S = Strings(EN)
WIDE_TITLE = ("关于委员会调查结果的报告附件意外公开" * 5)[:80]  # page 1 shows 80 characters of a title
LATIN_TITLE = "x" * len(WIDE_TITLE)
WIDE_PATH = "/档案/" + "关于委员会调查结果的报告附件" * 4 + "📄.xlsx"
LATIN_PATH = "/" + "a" * (len(WIDE_PATH) - 1)


def test_a_wide_glyph_takes_two_columns() -> None:
    assert width("漢字") == 4 and width("ab") == 2 and width("🔥") == 2 and width("é") == 1 and width("ｘ") == 2
    assert printed("漢" * (COLUMN // 2 + 1)) == 2 and printed("a" * (COLUMN // 2 + 1)) == 1


def _target(path: str) -> dict:
    return {"path": path, "key": "x", "size": {}, "page_one_windows": [], "aliases": []}


def test_a_wide_title_and_path_take_their_lines_above_the_status() -> None:
    def above(title: str, path: str) -> int:
        return above_status(title, "Case: 1", [_target(path)], False, "status", S)

    assert above(WIDE_TITLE, LATIN_PATH) > above(LATIN_TITLE, LATIN_PATH)  # 160 columns: 3 lines of title, not 2
    assert above(LATIN_TITLE, WIDE_PATH) > above(LATIN_TITLE, LATIN_PATH)


def test_a_wide_alias_path_takes_its_rows_lines() -> None:
    assert alias_row(WIDE_PATH, S) > alias_row(LATIN_PATH, S)


def test_a_caveat_naming_a_wide_path_takes_its_lines_in_the_status_list() -> None:
    def caveat(path: str) -> dict:
        return {"kind": "caveat", "path": path * 3, "text": "never requested in the logs", "files": 1}

    room = 9
    latin = page_one([], [], [caveat(LATIN_PATH), caveat(LATIN_PATH + "b")], [], S, str, room)
    wide = page_one([], [], [caveat(WIDE_PATH), caveat(WIDE_PATH + "b")], [], S, str, room)
    assert len(latin["caveats"]) == 2 and len(wide["caveats"]) < 2 and wide["more_caveats"]
    assert wide["printed"] <= room


def test_a_wide_path_in_the_evidence_alert_takes_its_lines() -> None:
    def problem(path: str) -> dict:
        return {"path": path * 3, "status": "changed", "recorded_sha256": "a" * 64, "current_sha256": "b" * 64}

    seal = {"holds": True, "findings": []}
    latin = page_one_alerts([problem(LATIN_PATH)] * 6, seal, S, PAGE_ONE)
    wide = page_one_alerts([problem(WIDE_PATH)] * 6, seal, S, PAGE_ONE)
    assert wide["printed"] > latin["printed"]
