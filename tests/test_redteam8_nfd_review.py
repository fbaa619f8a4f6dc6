"""Review of red team 8's NFC comparison of names (queries/possible_copies.sql, exposure/escaping.py visible).

On IIS (paths case-insensitive) the folded branch of the spelling prefilter never normalised the logged path:
target `/Docs/Lijst-ë.xlsx` against a logged `/docs/lijst-e%CC%88.xlsx` gave no possible copy. And `visible`
let pass characters NFC changes that are no combining mark (Hangul written as conjoining jamo, U+212B ANGSTROM
SIGN, U+2126 OHM SIGN, U+F900 CJK compatibility ideographs) and the second of two marks (`e` U+0323 U+0308)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.escaping import visible
from tests.servers import analyse
from tests.test_redteam6_iis_plus import HEADER, _line


def test_iis_a_decomposed_name_in_another_case_is_a_possible_copy(tmp_path: Path) -> None:
    lines = [_line("10:00:00", "/docs/lijst-e%CC%88.xlsx", "198.51.100.1", 200),
             _line("10:01:00", "/docs/lijst-e%CC%88.xlsx", "198.51.100.2", 200)]
    answer = analyse(tmp_path, "u_ex240310.log", "\r\n".join(HEADER + lines) + "\r\n", "/Docs/Lijst-\u00eb.xlsx")
    assert answer.exit_code == 0, answer.output
    [copy] = answer.target["possible_copies"]
    assert (copy["path"], copy["size_match"], copy["matching_responses"]) == (
        "/docs/lijst-e\u0308.xlsx", "spelling", 2)


@pytest.mark.parametrize(("text", "shown"), [
    ("\u1112\u1161\u11ab", "\u1112\\u1161\\u11ab"),      # 한 written as conjoining jamo (combining class 0)
    ("\u212b.pdf", "\\u212b.pdf"),                       # ANGSTROM SIGN: NFC is Å U+00C5
    ("10\u2126.pdf", "10\\u2126.pdf"),                   # OHM SIGN: NFC is Ω U+03A9
    ("\uf900.pdf", "\\uf900.pdf"),                       # CJK COMPATIBILITY IDEOGRAPH: NFC is U+8C48
    ("e\u0323\u0308", "e\\u0323\\u0308"),                # both marks: NFC composes the pair into ẹ̈ (U+1EB9 U+0308)
])
def test_every_character_nfc_would_change_is_escaped(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_composed_writing_stays_as_it_is() -> None:
    for text in ("\ud55c\uae00.pdf", "\u00c5ngstr\u00f6m", "\u03a9", "\u8c48", "Ti\u1ebfng Vi\u1ec7t", "\u0915\u093c",
                 "caf\u00e9", "\u1eb9\u0308"):
        assert visible(text) == text
