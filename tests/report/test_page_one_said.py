"""Page 1 says what it found, in the PDF and on the HTML report's first screen, in English and Dutch: a clean case
(one download, nothing found about the evidence, no caveat) says so in words, never a silence the reader must take
for 'nothing' (it showed four counts of 0 and stopped); a messy case's caveats counted away are counted in a line
naming their kinds (its Dutch page 1 said 'nog 1 kanttekening: elke kanttekening in hoofdstuk 1' of a size in
doubt: /tmp/firstpage/c), and its figures are those of the JSON answer."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report import wording
from exposure.report.i18n import EN, NL, Strings
from tests.logs import clf

from . import messy_case
from .test_layout import pdf_text

pytestmark = pytest.mark.slow  # whole ingest, analysis and report runs

PIN = "2020-08-01T12:00:00Z"
CLEAN = "/docs/lijst.xlsx"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _report(logs: Path, out: Path, target: str, lang: str, code: int, *extra: str) -> dict:
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", target, "--report", str(out), "--lang", lang,
                                      "--pin-time", PIN, "-q", *extra], env={"COLUMNS": "120"})
    assert result.exit_code == code, result.output
    return json.loads((out / "analysis.json").read_text(encoding="utf-8"))


def _cover(out: Path) -> str:
    """The HTML report's first screen (its cover section, page 1's content) as text."""
    html = (out / "report.html").read_text(encoding="utf-8")
    cover = html[html.index('id="cover"'):html.index("</section>", html.index('id="cover"'))]
    return _flat(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", "")))


def _clean(logs: Path) -> None:
    """One download among a day of other requests (2017: no GeoIP database older than the requests), a 404 either
    side: one window, no finding, no caveat. Logged with Apache's %X (every line '+'): a complete download resting
    on a %b count alone is said to be logged as sent (rule_complete_on_sent_counts), a caveat; the flag answers it."""
    rows, w = [], datetime(2017, 6, 10)
    while w < datetime(2017, 6, 11):
        rows.append((w, clf("198.51.100.1", w, "/index.html", size=800)))
        w += timedelta(minutes=10)
    for when, ip, status, size in ((datetime(2017, 6, 10, 9, 0, 5), "84.29.143.62", 404, 153),
                                   (datetime(2017, 6, 10, 12, 12, 18), "84.29.143.61", 200, 71577),
                                   (datetime(2017, 6, 10, 18, 0, 5), "84.29.143.62", 404, 153)):
        rows.append((when, clf(ip, when, CLEAN, status=status, size=size)))
    logs.mkdir()
    (logs / "access.log").write_text("\n".join(line + " +" for _, line in sorted(rows)) + "\n")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_clean_case_says_nothing_was_found(tmp_path: Path, lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    _clean(tmp_path / "logs")
    answer = _report(tmp_path / "logs", tmp_path / "out", CLEAN, lang, 0, "--bytes", "body",
                     "--log-format", '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %X')
    assert answer["findings"] == [] and answer["warnings"] == [] and answer["targets"][0]["warnings"] == []
    said = _flat(s.f("status_nothing_found", n=len(answer["evidence_status"]["checked"])) + s["status_no_caveat"])
    page1 = _flat(pdf_text(tmp_path / "out" / "report.pdf", 1))
    assert said in page1 and said in _cover(tmp_path / "out")
    totals = answer["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (1, 1)
    assert _flat({"en": "In short: 1 complete download from 1 external address,",
                  "nl": "Kort gezegd: 1 volledige download vanaf 1 extern adres,"}[lang]) in page1


def test_a_messy_case_names_the_kinds_of_the_caveats_it_counts(tmp_path: Path) -> None:
    s = Strings(NL)
    messy_case.build(tmp_path / "logs")
    answer = _report(tmp_path / "logs", tmp_path / "out", messy_case.TARGET, "nl", 3, "--internal",
                     messy_case.INTERNAL)
    kinds = {f["kind"] for f in answer["findings"]}
    assert {"damaged", "gap", "overlap"} <= kinds
    t = answer["targets"][0]
    doubts = [w for w in t["warnings"] if "size in doubt" in w]
    assert len(doubts) == 1 and len(t["windows"]) == 2
    page1 = _flat(pdf_text(tmp_path / "out" / "report.pdf", 1))
    cover = _cover(tmp_path / "out")
    # the size in doubt is said on page 1: whole, or by its kind in the counted line; never a bare count
    whole = _flat(wording.sentence(doubts[0], s) or "")
    assert whole[:80] in page1 or _flat(s["caveat_kind_size_in_doubt"]) in page1, page1
    assert not re.search(r"nog\d+kanttekening(en)?:", page1), page1
    assert not re.search(r"nog\d+kanttekening(en)?:", cover)
    # the figures are the JSON answer's, the organisation's own downloads apart
    totals = t["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["internal_complete_downloads"]) == (8, 7, 2)
    assert _flat(f"Kort gezegd: {totals['complete_downloads']} volledige downloads vanaf {totals['distinct_ips']} "
                 f"externe adressen (en {totals['internal_complete_downloads']} vanaf de eigen adressen") in page1
