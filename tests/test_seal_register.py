"""A seal that does not hold, in the report's evidence register (section 9): every difference named there, as
`exposure verify` names it (the seal check's messages, one wording source), in its order, escaped; page 1's
box counts them and names them only while its room lasts."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pypdf

from tests.test_seal import PIN, TARGET, _attack, _cli

HOSTILE = "<script>alert(1)</script> =HYPERLINK(\"x\")"
# seven columns edited: a difference longer than a sentence of the report (SENTENCE_LIMIT, 1,000 characters),
# named whole there as verify prints it
EDITED = ", ".join(f"{column} = '{column[0] * 150}'" for column in (
    "supplied_by", "server", "stream_reason", "copy_folder", "damage_detail", "suspicious"))


def _broken(case: Path) -> list[str]:
    """Two differences: a request row deleted, a registry row edited (with markup in the new value)."""
    _attack(case, "DELETE FROM requests_core WHERE rowid = (SELECT min(rowid) + 4 FROM requests_core)",
            f"UPDATE evidence SET custody_note = '{HOSTILE}', {EDITED} WHERE evidence_id = 2")
    said = _cli("verify", "--case", str(case))
    assert said.exit_code == 3, said.output
    return [line.split(None, 1)[1].strip() for line in said.output.splitlines() if line.startswith("BROKEN")]


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_register_names_every_difference_verify_names(sample_case_copy: Path, tmp_path: Path) -> None:
    differences = _broken(sample_case_copy)
    assert len(differences) == 2 and any(HOSTILE in d and len(d) > 1000 for d in differences), differences
    out = tmp_path / "r"
    said = _cli("report", "--case", str(sample_case_copy), "--target", TARGET, "--out", str(out), "--pin-time", PIN)
    assert said.exit_code == 3, said.output
    page = (out / "report.html").read_text()
    cover = page.split('id="cover"', 1)[1].split("</section>", 1)[0]
    # page 1 names each difference (cut at a sentence's length) while its room lasts, else counts them and points to
    # the register, where all are named whole (which one depends on what else page 1 must carry beside it)
    cover_words = _words(html.unescape(re.sub(r"<[^>]+>", "", cover)).replace("\u200b", ""))
    assert ("2 differences found" in cover and "the evidence register (section 9)" in cover) or all(
        _words(d)[:80] in cover_words for d in differences), cover_words
    register = page.split('id="register"', 1)[1].split("</section>", 1)[0]
    assert "<script>" not in register  # escaped, as every value from the case
    named = [html.unescape(re.sub(r"<[^>]+>", "", li))
             for li in re.findall(r'<li class="seal-difference">(.*?)</li>', register, re.S)]
    assert named == differences
    assert "2 differences" in register
    pdf = _words("\n".join(p.extract_text() for p in pypdf.PdfReader(out / "report.pdf").pages))
    start = pdf.index(_words("9. Evidence register Every input file"))  # the section, not the contents' line
    register_pdf = pdf[start:pdf.index(_words("10. Appendix"), start)]
    # each whole: its start and its end (a long one may run over a page break, the running lines in between)
    assert all(_words(d)[:120] in register_pdf and _words(d)[-120:] in register_pdf for d in differences), differences
