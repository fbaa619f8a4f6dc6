"""Page 1 of a crowded case (tests/report/crowded_case.py: 11 files, every kind of finding) carries what it must in
English and Dutch, in the PDF: the file that could not be read named, the others not read in full counted with
their kinds, the silences inside windows, the caveats page 1 must carry (GeoIP, offsets, two servers' clocks),
one counted line per kind left with where each is detailed, and the case box. Its Dutch page 1 ran its counted
lines and case box onto page 2 ('the last 6 printed lines of them stand at the top of page 2'); the table of
files now gives way row by row (report/model.py _files_give_way). The same case reported twice gives the same
HTML and PDF bytes."""

from __future__ import annotations

import contextlib
import html as htmllib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings

from .crowded_case import build
from .test_layout import pdf_text

pytestmark = pytest.mark.slow  # PDFs of 60 pages

PIN = "2020-08-01T12:00:00Z"
SPILLED = "first page could not hold"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("crowded")
    targets = build(root / "logs")
    with contextlib.chdir(root):
        result = CliRunner().invoke(app, ["ingest", "--case", "case.duckdb", "logs", "-q"])
    assert result.exit_code == 3, result.output
    return root, targets


def _report(root: Path, targets: list[str], lang: str, out: str) -> str:
    with contextlib.chdir(root):
        result = CliRunner().invoke(app, ["report", "--case", "case.duckdb", *targets, "--out", out, "--lang", lang,
                                          "--pin-time", PIN], env={"COLUMNS": "120"})
    assert result.exit_code == 3, result.output
    return " ".join(result.output.split())


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_carries_what_it_must(case: tuple[Path, list[str]], lang: str) -> None:
    root, targets = case
    s = Strings(EN if lang == "en" else NL)
    said = _report(root, targets, lang, f"rep-{lang}")
    assert SPILLED not in said
    page1 = _flat(pdf_text(root / f"rep-{lang}" / "report.pdf", 1))
    answer = json.loads((root / f"rep-{lang}" / "analysis.json").read_text(encoding="utf-8"))
    kinds = {f["kind"] for f in answer["findings"]}
    assert {"unreadable", "damaged", "truncated", "empty compressed", "joined lines", "glued lines", "gap",
            "overlap", "rejected lines"} <= kinds
    html = (root / f"rep-{lang}" / "report.html").read_text(encoding="utf-8")
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    lines = [" ".join(re.sub(r"<[^>]+>", " ", x.replace("<wbr>", "")).split())
             for x in re.findall(r"<li[^>]*>(.*?)</li>", block, flags=re.S)]
    lines = [htmllib.unescape(x) for x in lines]
    # every line of page 1's status list is on the PDF's page 1: the must-carry caveats among them
    for line in lines:
        assert _flat(line) in page1, line
    must = [x for x in lines if "GeoLite2-City" in x or "UTC" in x and "offset" in x or "window_reopened" in x]
    assert len(must) == 3, lines
    # the kinds left over: counted in one line naming each, pointing to section 7
    assert _flat(s["kind_gap"]) in page1
    assert _flat(s["case_digest"]) in page1


def test_the_same_case_gives_the_same_bytes(case: tuple[Path, list[str]]) -> None:
    import shutil

    root, targets = case
    names = ("report.html", "report.pdf", "queries.sql", "analysis.json", "MANIFEST.sha256")
    made = []
    for _ in range(2):  # the same command twice (its --out is in the report: the same folder, emptied between)
        _report(root, targets, "nl", "again")
        made.append({name: (root / "again" / name).read_bytes() for name in names})
        shutil.rmtree(root / "again")
    for name in names:
        assert made[0][name] == made[1][name], name
