"""Review of red team 18a: the warning of a window whose responses state two or more lengths of the file wrote them
with commas between groups of three digits (600,000 and 1,000,000 bytes), the one warning that did; page 1 of the
Dutch report carried them as written, where a comma is the decimal mark: "600,000 en 1,000,000 bytes" reads as
600 bytes. The lengths are grouped as the report groups every count (exposure/report/html.py number: a thin
space, unambiguous in English and Dutch)."""

from __future__ import annotations

import re

from exposure.answer import lengths_warning
from exposure.report.i18n import strings
from exposure.report.wording import sentence

THIN = "\u202f"


def test_the_lengths_read_alike_in_english_and_dutch() -> None:
    said = lengths_warning(1, [600_000, 700_000, 1_000_000])
    assert f"(600{THIN}000, 700{THIN}000 and 1{THIN}000{THIN}000 bytes)" in said
    dutch = sentence(said, strings("nl"))
    assert dutch is not None and dutch.startswith("venster 1: twee of meer lengtes genoemd: de antwoorden noemen 3 "
                                                  "lengtes")
    # neither says the file changed: another length may be another object served at its path (an error page)
    assert "changed" not in said and "veranderde" not in dutch and "onbepaald" in dutch
    assert f"(600{THIN}000, 700{THIN}000 en 1{THIN}000{THIN}000 bytes)" in dutch
    # no number a Dutch reader takes for a decimal
    assert not re.search(r"\d,\d", said + dutch)
