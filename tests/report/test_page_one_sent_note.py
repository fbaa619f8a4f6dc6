"""What the complete downloads rest on (answer.sent_counts_sentence: a body byte count Apache's %b may have written,
no completion flag) is page 1's note beside the figures, said once for every file with their counts summed, not a
line of the status list: a statement of what the count means took a line per file there, and the gaps and damaged
spans of the evidence it pushed out were grouped or counted (a lost day's silences, three NUL runs)."""

from __future__ import annotations

import pytest

from exposure.answer import GEOIP_OLDER, sent_counts_sentence
from exposure.report.caveats import caveats, sent_note
from exposure.report.i18n import EN, NL, Strings

GEOIP = f"the city database GeoLite2-City (x.mmdb) was built 2018-07-03T21:26:56Z, {GEOIP_OLDER}"
OPEN = "window 2 opens within the first hour of the evidence: the publication time may be earlier than the logs"


def _targets() -> list[dict]:
    return [{"path": "/a.pdf", "warnings": [sent_counts_sentence(2, 3, ["combined"]), OPEN]},
            {"path": "/b.pdf", "warnings": [sent_counts_sentence(1, 1, ["common"])]},
            {"path": "/c.pdf", "warnings": []}]


def test_several_files_are_one_note_with_their_counts_summed() -> None:
    s = Strings(EN)
    assert sent_note(_targets(), s) == ("3 of the 4 complete downloads rest on a body byte count alone (combined, "
                                        "common): complete means the server logged the whole file as sent, not "
                                        "that the client received it")


def test_one_file_keeps_its_own_counts_and_dutch_says_it() -> None:
    one = [{"path": "/a.pdf", "warnings": [sent_counts_sentence(1, 1, ["combined"])]}]
    assert sent_note(one, Strings(EN)).startswith("the 1 complete download rests on a body byte count alone (combined)")
    assert sent_note(one, Strings(NL)).startswith("de ene volledige download berust alleen op een aantal bytes "
                                                  "inhoud (combined)")
    assert sent_note([{"path": "/a.pdf", "warnings": [OPEN]}], Strings(EN)) is None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_status_list_has_no_line_for_it(lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    said = caveats([GEOIP], _targets(), s)
    assert [c["warning_kind"] for c in said] == ["geoip_older", "open_at_start"]
