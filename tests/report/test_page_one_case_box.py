"""Page 1 ends with the whole case box: its "Case digest" row (the seal the investigator keeps outside the case) and
its "Command" row are on page 1 however many findings fill it, in English and Dutch (red team 16, O8: with nine
unreadable files, a damaged one and fourteen silences page 1's status list reached the page's foot and the box's
last rows printed at the top of page 2). The box is small (report/casebox.py): the digest with a one-line note,
the command cut to a line with a pointer to section 8's case facts, which say every row whole."""

from __future__ import annotations

import html as htmllib
import json
import lzma
import re
import shlex
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.casebox import page_one_box
from exposure.report.html import PAGE_ONE_CASE, PAGE_ONE_COMMAND
from exposure.report.i18n import EN, NL, Strings
from tests.conftest import write_log
from tests.logs import clf

from .conftest import need
from .test_layout import pdf_text
from .test_page_one_must_carry import _flat

TARGET = "/docs/leak.pdf"
PIN = "2020-08-01T12:00:00Z"
UNREADABLE = 10


def _overflowing(logs: Path) -> None:
    """web1 serves the target on five days; ten more servers' logs are xz-compressed (unreadable: each one named on
    page 1, INCOMPLETE) in long folders, and a GeoIP-less, gap-less case keeps the rest of page 1 as it is."""
    rows = [clf("198.51.100.7", datetime(2020, 6, 1, 0, 0, 1) + timedelta(minutes=10 * i), f"/page/{i % 40}",
                size=2000 + i % 40) for i in range(10 * 144)]
    rows += [clf(f"84.29.143.{60 + d * 4 + k}", datetime(2020, 6, 2 + d, 9, 5 * k, 5), TARGET, size=50_000)
             for d in range(5) for k in range(3)]
    write_log(logs / "web1" / "access.log", sorted(rows, key=lambda r: r.split("[")[1]))
    for k in range(UNREADABLE):
        folder = logs / (f"srv{k:02d}-" + "productieserver-webfarm-" * 4)
        folder.mkdir(parents=True)
        line = clf("84.29.144.1", datetime(2020, 6, 3, 9, k, 5), TARGET, size=50_000)
        (folder / "access.log.xz").write_bytes(lzma.compress((line + "\n").encode()))


def _report(root: Path, lang: str, monkeypatch: pytest.MonkeyPatch, *extra: str) -> Path:
    logs, case, out = root / "logs", root / "case.duckdb", root / f"report-{lang}"
    _overflowing(logs)
    assert CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs), "-q"]).exit_code == 3
    args = ["report", "--case", str(case), "--target", TARGET, "--out", str(out), "--lang", lang, *extra,
            "--pin-time", PIN, "-q"]
    monkeypatch.setattr(sys, "argv", ["exposure", *args])  # the command the box names
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 3, result.output
    return out


@pytest.mark.slow  # a PDF of a case of its own
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_page_one_full_of_findings_ends_with_the_whole_case_box(tmp_path: Path, lang: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    s = Strings(EN if lang == "en" else NL)
    out = _report(tmp_path, lang, monkeypatch)
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    digest = answer["seal"]["digest"]
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    page1, page2 = _flat(pdf_text(out / "report.pdf", 1)), _flat(pdf_text(out / "report.pdf", 2))
    # page 1 is full: more unreadable files than it names one by one, the rest counted
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="incomplete more-incomplete"' in html
    assert page1.count(_flat(s["status_line_incomplete"])) >= 2
    # the box whole on page 1: its digest and its note, and the command cut, its length said, where it is whole
    assert re.search(re.escape(_flat(s["case_digest"])) + ":?" + digest, page1)  # the row's label, then its value
    assert _flat(s["case_digest_short"].split("{link}")[-1]) in page1
    command = _flat(" ".join(shlex.quote(a) for a in ["exposure", *sys.argv[1:]]))
    assert len(command) > PAGE_ONE_COMMAND  # the test's command: longer than page 1 shows
    assert re.search(re.escape(_flat(s["command"])) + ":?" + re.escape(_flat("exposure report --case")), page1)
    assert _flat(f"[{len(' '.join(shlex.quote(a) for a in ['exposure', *sys.argv[1:]]))} {s['characters']}]("
                 f"{s['case_facts_whole']})") in page1  # the box's last row, to its end
    # nothing of the box on page 2: it opens with the running header and what follows the box
    for text in (s["case_digest"], digest, s["command"], s["case_facts_whole"]):
        assert _flat(text) not in page2[:400], text


@pytest.mark.slow  # a PDF of a case of its own
def test_page_one_budget_counts_the_case_box_without_the_pdf_re_fit(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The estimate (report/pagebudget.py `case_box`) leaves the box its lines: the page is whole with no layout
    measured again (an HTML-only report's page 1 is the same one)."""
    monkeypatch.setattr("exposure.report.pdf.TRIES", 0)
    info = tmp_path / "case.toml"  # the longest values case information allows: the box's rows on several lines
    info.write_text(f'[case]\nid = "ZAAK-{"X" * 190}"\ncontroller = "{"Gemeente Voorbeeldstad, " * 8}"\n'
                    f'report_version = "{"1.0-concept-" * 16}"\n', encoding="utf-8")
    out = _report(tmp_path, "en", monkeypatch, "--case-info", str(info))
    digest = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["seal"]["digest"]
    page1 = _flat(pdf_text(out / "report.pdf", 1))
    assert digest in page1
    assert _flat(Strings(EN)["case_facts_whole"]) in page1  # the box's last row, to its end


def _facts(html: str) -> str:
    """Section 8's case facts, as text."""
    table = html[html.index('id="case-facts"'):]
    table = table[:table.index("</table>")].replace("<wbr>", "")
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)))


@pytest.mark.slow  # a PDF of a case of its own
def test_section_eight_says_whole_what_page_one_s_box_cuts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Page 1's box cuts the command and gives the digest a short note; section 8's case facts say the command,
    the digest's whole note, the controller, the tool and the local time generated, and the PDF prints them."""
    info = tmp_path / "case.toml"
    info.write_text('[case]\ncontroller = "Gemeente Voorbeeldstad"\n', encoding="utf-8")
    out = _report(tmp_path, "en", monkeypatch, "--case-info", str(info))
    html = (out / "report.html").read_text(encoding="utf-8")
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    command = " ".join(shlex.quote(a) for a in ["exposure", *sys.argv[1:]])
    facts = _facts(html)
    assert command in facts
    assert EN["case_digest_note"].replace("{link}", str(answer["seal"]["link"])) in facts
    assert "Gemeente Voorbeeldstad" in facts and f"{EN['tool']} exposure" in facts
    assert "2020-08-01T14:00:00+02:00" in facts  # the local time generated (page 1 says the UTC one)
    box = html[html.index('id="case-box"'):]
    box = box[:box.index("</table>")]
    assert "Gemeente Voorbeeldstad" not in box and EN["tool"] not in box and "--anchor" not in box
    past = subprocess.run([need("pdftotext"), "-raw", "-f", "2", str(out / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert _flat(command) in _flat(past)  # printed whole past page 1


def test_the_box_repeats_an_identity_row_only_where_the_identity_line_cuts_it() -> None:
    """The identity line above says the case id and the report version (cut past PAGE_ONE_CASE) and the tool: the
    box says them again only where cut, whole."""
    s = Strings(EN)
    seal = {"digest": "a" * 64, "link": 2}
    short = page_one_box({"case_id": "ZAAK-1", "report_version": "1.0"}, seal, "exposure report", s)
    assert short.repeated == () and short.pairs == []
    long_id = "ZAAK-" + "x" * PAGE_ONE_CASE
    cut = page_one_box({"case_id": long_id, "report_version": "1.0"}, seal, "exposure report", s)
    assert cut.repeated == ("case_id",) and cut.pairs == [(s["case_id"], long_id)]
    whole = "exposure report " + "--alias /a/very/long/path " * 10
    assert page_one_box({}, seal, whole, s).command == (
        f"{whole[:PAGE_ONE_COMMAND]}… [{len(whole)} {s['characters']}]")
    assert page_one_box({}, {}, None, s).digest == (s["case_digest"], s["case_digest_temporary"])
