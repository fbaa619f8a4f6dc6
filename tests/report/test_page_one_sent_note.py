"""What the complete downloads rest on (answer.sent_counts_sentence: a body byte count Apache's %b may have written,
no completion flag) is page 1's note beside the figures, said once for every file with their counts summed, not a
line of the status list: a statement of what the count means took a line per file there, and the gaps and damaged
spans of the evidence it pushed out were grouped or counted (a lost day's silences, three NUL runs)."""

from __future__ import annotations

import pytest

from exposure.answer import GEOIP_OLDER, sent_counts_sentence
from exposure.report.caveats import caveats, sent_note
from exposure.report.i18n import EN, NL, Strings
from exposure.report.pagebudget import _SMALL as SMALL
from exposure.report.pagebudget import COLUMN, above_status

GEOIP = f"the city database GeoLite2-City (x.mmdb) was built 2018-07-03T21:26:56Z, {GEOIP_OLDER}"
OPEN = "window 2 opens within the first hour of the evidence: the publication time may be earlier than the logs"


def _target(path: str, on_sent: int, complete: int, formats: list[str], *others: str) -> dict:
    """A target of the JSON answer as analyse gives it: the counts, the formats and the warning saying them."""
    warnings = [sent_counts_sentence(on_sent, complete, formats)] if on_sent else []
    return {"path": path, "complete_on_sent_counts": on_sent, "sent_count_formats": formats,
            "totals": {"complete_downloads": complete}, "warnings": warnings + list(others)}


def _targets() -> list[dict]:
    return [_target("/a.pdf", 2, 3, ["combined"], OPEN), _target("/b.pdf", 1, 1, ["common"]),
            _target("/c.pdf", 0, 4, [])]


def test_several_files_are_one_note_with_their_counts_summed() -> None:
    s = Strings(EN)
    # the third file's 4 complete downloads rest on no such count: not in the note's total
    assert sent_note(_targets(), s) == ("3 of the 4 complete downloads rest on a body byte count alone (combined, "
                                        "common): complete means the server logged the whole file as sent, not "
                                        "that the client received it")


def test_the_note_is_built_from_the_answers_fields_not_read_back_from_its_warning() -> None:
    # the fields are what analyse counted (rule_complete_on_sent_counts); the warning is their sentence, in English
    targets = _targets()
    for t in targets:
        t["warnings"] = [OPEN]
    assert sent_note(targets, Strings(EN)).startswith("3 of the 4 complete downloads rest on")


def test_one_file_keeps_its_own_counts_and_dutch_says_it() -> None:
    one = [_target("/a.pdf", 1, 1, ["combined"])]
    assert sent_note(one, Strings(EN)).startswith("the 1 complete download rests on a body byte count alone (combined)")
    assert sent_note(one, Strings(NL)).startswith("de ene volledige download berust alleen op een aantal bytes "
                                                  "inhoud (combined)")
    assert sent_note([_target("/a.pdf", 0, 2, [], OPEN)], Strings(EN)) is None


def test_page_one_budget_counts_the_note_as_printed_with_where_it_is_said_whole() -> None:
    # a note whose text fills its lines to the edge: the " (section 1)" the template prints after it is one line more
    s = Strings(EN)
    per_line = int(COLUMN * SMALL)
    note = "x" * (3 * per_line - 2)
    with_note = above_status("T", "id", [], False, "status", s, sent=note)
    without = above_status("T", "id", [], False, "status", s)
    # four printed lines and a paragraph's space (4.6 lines: 5 more on this page's other lines); counted without
    # the suffix it is 3.6 lines, which can never add 5
    assert with_note - without == 5, (with_note, without)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_status_list_has_no_line_for_it(lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    said = caveats([GEOIP], _targets(), s)
    assert [c["warning_kind"] for c in said] == ["geoip_older", "open_at_start"]
