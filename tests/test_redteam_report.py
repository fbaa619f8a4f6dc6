"""Red team, the report's files: log fields carrying markup, formula starters (also after blanks), terminal
escapes, bidi and zero-width characters and NUL bytes leave report.html with no raw control or invisible
character anywhere (attributes included), no element or link of their making, and every CSV cell a spreadsheet
would run neutralised."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from exposure import Case
from exposure.escaping import FORMULA_START, csv_cell, is_inert
from exposure.report import ReportSettings
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 4000
NO_PDF = ReportSettings(pdf=False)  # WeasyPrint's PDF of the same HTML is checked in tests/report
HOSTILE = [
    '"><img src=x onerror=alert(1)>', "<script>alert(1)</script>", "javascript:alert(1)",
    '=HYPERLINK("http://evil.example","x")', "  =1+1", "\u00a0@SUM(1)", " -2+3", "\t=1+1",
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "\x1b]0;title\x07", "\x9b31m", "ab\x08\x08XY",
    "\u202eexe.fdp", "\u2066iso\u2069", "zero\u200bwidth", "nul\x00byte", "\ufeffbom",
]


def _apache(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("redteam-report")
    lines = []
    for i, value in enumerate(HOSTILE):
        lines.append(clf(f"192.0.2.{i + 1}", t(8, 10, i), TARGET, size=SIZE, ua=_apache(value), referer=_apache(value)))
        # the same value as another path of the target's size: a possible copy, shown with its path
        lines.append(clf(f"198.51.100.{i + 1}", t(8, 11, i), "/copy/" + _apache(value).replace(" ", "%20"), size=SIZE))
    lines.append(clf("192.0.2.200", t(9, 10), TARGET, status=404, size=200))
    log = write_log(tmp / "logs" / "access.log", lines)
    out = tmp / "report"
    with Case(tmp / "leak.duckdb") as c:
        c.ingest([log.parent])
        c.report([TARGET], out, settings=NO_PDF)  # the checks read the HTML and the CSVs
    return out


def test_html_holds_no_raw_control_or_invisible_character(report: Path) -> None:
    html = (report / "report.html").read_text(encoding="utf-8")
    raw = sorted({f"U+{ord(ch):04X}" for ch in html if ch != "\n" and not is_inert(ch)})
    assert raw == []


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.links += [v or "" for name, v in attrs if name in ("href", "src", "action", "formaction")]


def test_html_holds_no_element_or_link_of_the_logs_making(report: Path) -> None:
    html = (report / "report.html").read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(html)
    assert not parsed.tags & {"script", "img", "iframe", "object", "embed", "form", "link", "base"}
    assert parsed.handlers == []
    assert [link for link in parsed.links if not link.startswith("#")] == []  # links stay inside the document
    assert not re.search(r"url\((?!#)", html)  # no stylesheet fetch either
    assert "&lt;script&gt;alert(1)" in html  # shown as text


def test_every_csv_cell_a_spreadsheet_would_run_is_neutralised(report: Path) -> None:
    checked = 0
    for name in ("downloads.csv", "download_lines.csv", "timeline.csv", "requests.csv", "referrers.csv"):
        with open(report / name, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    checked += 1
                    if cell.lstrip().startswith(FORMULA_START) or not is_inert(cell):
                        assert cell.startswith("'"), (name, cell)
    assert checked > 100


@pytest.mark.parametrize("value", ["  =1+1", "\u00a0@SUM(1)", " -2+3", "\u3000+1", "\n=1"])
def test_a_formula_after_leading_blanks_is_neutralised(value: str) -> None:
    assert csv_cell(value) == "'" + value


def test_targets_found_in_the_logs_label_the_overview_chart_as_text(tmp_path: Path,
                                                                     recwarn: pytest.WarningsRecorder) -> None:
    # several targets from --under/--target-glob: their logged paths label the overview chart
    hostile = ["/copy/a$\\foo$b.xlsx", "/copy/\u202eexe.fdp", "/copy/\x1b]0;title\x07", "/copy/{{7*7}}${7*7}"]
    lines = [clf(f"192.0.2.{i + 1}", t(8, 10, i), _apache(p).replace(" ", "%20"), size=SIZE)
             for i, p in enumerate(hostile)]
    log = write_log(tmp_path / "logs" / "access.log", lines)
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([log.parent])
        targets = c.expand_targets([], [], ["/copy/"])
        assert sorted(targets) == sorted(hostile)
        c.report(targets, tmp_path / "report", settings=NO_PDF)  # mathtext `$\foo$` stopped it; `{...}` was a format string
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert sorted({f"U+{ord(ch):04X}" for ch in html if ch != "\n" and not is_inert(ch)}) == []
    assert ">1. /copy/a$\\\\foo$b.xlsx</text>" in html or "/copy/a$\\\\foo$b.xlsx</text>" in html
    assert not [w for w in recwarn if "Glyph" in str(w.message)]  # never quoted raw on stderr
