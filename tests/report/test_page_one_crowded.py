"""Page 1 of a crowded case (tests/report/crowded_case.py: 11 files, every kind of finding) carries what it must in
English and Dutch, in the PDF: the file that could not be read named, the others not read in full counted with
their kinds, the silences inside windows, the caveats page 1 must carry (GeoIP, offsets, two servers' clocks),
one counted line per kind left with where each is detailed, and the case box. Its Dutch page 1 ran its counted
lines and case box onto page 2 ('the last 6 printed lines of them stand at the top of page 2'); the table of
files now gives way row by row (report/model.py _files_give_way). The same case reported twice gives the same
HTML and PDF bytes. Its three reports (English once, Dutch twice) are made once for every test (the fixture
`reports`): four reports took 14 minutes under load."""

from __future__ import annotations

import contextlib
import html as htmllib
import json
import re
import shutil
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


SAME = ("report.html", "report.pdf", "queries.sql", "analysis.json", "MANIFEST.sha256")


@pytest.fixture(scope="module")
def reports(case: tuple[Path, list[str]]) -> dict[str, tuple[Path, str, dict[str, bytes]]]:
    """Three reports for every test of the module (each some minutes under load: four were made before): English
    once, Dutch twice into one folder (its --out is in the report), the first's bytes kept for the comparison and
    the second's files left for page 1's checks. Per language: the folder, what `report` said, the first's bytes."""
    root, targets = case
    said = {"en": _report(root, targets, "en", "rep-en")}
    said["nl"] = _report(root, targets, "nl", "rep-nl")
    first = {name: (root / "rep-nl" / name).read_bytes() for name in SAME}
    shutil.rmtree(root / "rep-nl")
    again = _report(root, targets, "nl", "rep-nl")
    assert again == said["nl"]
    return {"en": (root / "rep-en", said["en"], {}), "nl": (root / "rep-nl", said["nl"], first)}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_carries_what_it_must(reports: dict[str, tuple[Path, str, dict[str, bytes]]], lang: str) -> None:
    out, said, _ = reports[lang]
    s = Strings(EN if lang == "en" else NL)
    assert SPILLED not in said
    page1 = _flat(pdf_text(out / "report.pdf", 1))
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    kinds = {f["kind"] for f in answer["findings"]}
    assert {"unreadable", "damaged", "truncated", "empty compressed", "joined lines", "glued lines", "gap",
            "overlap", "rejected lines"} <= kinds
    html = (out / "report.html").read_text(encoding="utf-8")
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    lines = [" ".join(re.sub(r"<[^>]+>", " ", x.replace("<wbr>", "")).split())
             for x in re.findall(r"<li[^>]*>(.*?)</li>", block, flags=re.S)]
    lines = [htmllib.unescape(x) for x in lines]
    # every line of page 1's status list is on the PDF's page 1: the must-carry caveats among them
    for line in lines:
        assert _flat(line) in page1, line
    must = [x for x in lines if "GeoLite2-City" in x or "UTC" in x and "offset" in x or "window_reopened" in x]
    assert len(must) == 3, lines
    # caveats counted away are counted in a line naming their kinds (exposure/warningkinds.py), never a bare count
    counted = re.findall(r'<li class="caveat more-caveats">(.*?)</li>', block, flags=re.S)
    labels = [v for k, v in s.items() if k.startswith("caveat_kind_")]
    assert all(any(label in x for label in labels) for x in counted), counted
    # the kinds left over: counted in one line naming each, pointing to section 7
    assert _flat(s["kind_gap"]) in page1
    assert _flat(s["case_digest"]) in page1


def test_the_same_case_gives_the_same_bytes(reports: dict[str, tuple[Path, str, dict[str, bytes]]]) -> None:
    out, _, first = reports["nl"]
    for name in SAME:  # the same command twice, into the same folder (emptied between)
        assert first[name] == (out / name).read_bytes(), name
