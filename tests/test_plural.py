"""Counted words (exposure/plural.py): one rule, singular for exactly 1, for every door; the report's answer sentence
said "1 complete downloads from 1 external addresses ... in 1 exposure window(s)" in English and Dutch alike."""

from __future__ import annotations

import pytest

from exposure.plural import counted, plural
from exposure.report.i18n import EN, NL, Strings
from exposure.report.model import _key_sentence


@pytest.mark.parametrize(("n", "said"), [pytest.param(0, "0 files", id="zero-plural"),
                                         pytest.param(1, "1 file", id="one-singular"),
                                         pytest.param(2, "2 files", id="two-plural"),
                                         pytest.param(21, "21 files", id="twenty-one-plural")])
def test_exactly_one_is_singular(n: int, said: str) -> None:
    assert plural(n, "# file", "# files") == said
    assert counted("{n:# file|# files} in {where}", n=n, where="web1") == f"{said} in web1"


def test_a_counted_phrase_takes_only_a_count() -> None:
    """A count the evidence does not hold (a file not read as a log has no line count) says "?", never "None" and
    never an error (it stopped `report` with a TypeError); a text given as a count is an error."""
    assert counted("{n:# file|# files}", n=None) == "? files"
    assert counted("{n:its one line|every one of its # lines}", n=None) == "every one of its ? lines"
    with pytest.raises((TypeError, ValueError)):
        counted("{n:# file|# files}", n="3")
    assert counted("{n} and {m:>3}", n=None, m=7) == "None and   7"  # other fields as str.format


def _target(complete: int, ips: int, windows: int, own: int) -> dict:
    rows = [{"window": w, "first_available": f"2020-06-0{w}T10:00:00Z", "last_available": f"2020-06-0{w}T11:00:00Z",
             "first_unavailable": f"2020-06-0{w}T12:00:00Z", "first_available_local": f"L{w}a",
             "last_available_local": f"L{w}b"} for w in range(1, windows + 1)]
    return {"windows": rows, "downloads": [],
            "totals": {"complete_downloads": complete, "distinct_ips": ips, "internal_complete_downloads": own}}


def test_the_answer_sentence_counts_in_the_singular_and_plural_in_both_languages() -> None:
    en, nl = Strings(EN), Strings(NL)
    one = _target(1, 1, 1, 1)
    assert _key_sentence(one, True, en).startswith(
        "In short: 1 complete download from 1 external address (and 1 from the organisation's own addresses, counted "
        "apart), in 1 exposure window: window 1 available")
    assert _key_sentence(one, True, nl).startswith(
        "Kort gezegd: 1 volledige download vanaf 1 extern adres (en 1 vanaf de eigen adressen van de organisatie, "
        "apart geteld), in 1 blootstellingsvenster: venster 1 beschikbaar")
    many = _target(2, 3, 3, 0)  # page 1 names two windows and counts the third
    assert _key_sentence(many, False, en).startswith(
        "In short: 2 complete downloads from 3 external addresses, in 3 exposure windows: window 1 available")
    assert _key_sentence(many, False, en).endswith("; and 1 more window, in the table of every window (section 1).")
    assert _key_sentence(many, False, nl).startswith(
        "Kort gezegd: 2 volledige downloads vanaf 3 externe adressen, in 3 blootstellingsvensters: venster 1")
    assert _key_sentence(many, False, nl).endswith("; en nog 1 venster, in de tabel van alle vensters (hoofdstuk 1).")
    never = {"windows": [], "downloads": [], "totals": {"complete_downloads": 0}}
    assert _key_sentence(never, False, en).endswith("no exposure window, 0 complete downloads.")


def test_no_text_of_the_report_writes_a_plural_in_brackets() -> None:
    """"window(s)", "bestand(en)": a count's noun is chosen by the count ({n:# window|# windows})."""
    bracketed = sorted(k for k in EN if any(m in EN[k] for m in ("(s)", "(es)")) or "(en)" in NL[k])
    assert bracketed == []


def test_the_reports_escaped_fill_counts_too() -> None:
    """The template's fill (escaped values into a catalogue text) takes the same counted phrases."""
    from markupsafe import Markup

    from exposure.report.html import _fill

    said = _fill(EN["gap_summary"], server=Markup("<b>web1</b>"), n=1, longest="2h <1m")
    assert str(said) == "<b>web1</b>: 1 gap, longest 2h &lt;1m"
    assert str(_fill(NL["custody_pattern"], n=2, pattern="*.gz", ref="C1")).startswith("2 bestanden die passen bij")


@pytest.mark.parametrize(("total", "verified", "said"), [
    (1, None, "  1 file in the case, not re-hashed by this command (exposure verify re-hashes them)"),
    (2, None, "  2 files in the case, not re-hashed by this command (exposure verify re-hashes them)"),
    (1, 1, "  1 file; 1 re-hashed now and equal to the SHA-256 at ingest"),
])
def test_the_evidence_status_counts_its_files(total: int, verified: int | None, said: str) -> None:
    """The terminal's evidence status said "1 files in the case" (a one-file case, the common start)."""
    from exposure.terminal.answer import finding_lines

    status = {"complete": True, "checked": [], "findings": [],
              "files": {"total": total, "verified": verified, "changed": 0, "missing": 0}}
    assert finding_lines(status)[1] == said
