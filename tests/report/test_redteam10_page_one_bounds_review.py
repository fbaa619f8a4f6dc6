"""Review of red team 10: page 1's caveat line named its file's path unbounded by what is shown (`c.path | v`):
100 `e` + U+0301 (700 characters once escaped) took ten lines of page 1, while the other page-1 lines (the
table of files, the gap lines) were bounded. Every log-derived value page 1 prints is now bounded escapes
included; the template walk below keeps it so."""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime
from importlib import resources
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.html import PAGE_ONE_PATH
from tests.conftest import write_log
from tests.logs import clf

COMBINING = "/d/" + "e\u0301" * 100 + ".pdf"


def test_the_caveat_line_names_a_long_path_bounded(tmp_path: Path) -> None:
    # the first line of the evidence opens the window: it may have opened before the logs (a caveat naming it)
    lines = [clf("198.51.100.1", datetime(2020, 6, 10, 10, 0), COMBINING, size=1000),
             clf("198.51.100.2", datetime(2020, 6, 10, 14, 0), "/d/other.pdf", size=2000),
             clf("198.51.100.3", datetime(2020, 6, 10, 18, 0), COMBINING, size=1000)]
    write_log(tmp_path / "logs" / "access.log", lines)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        case.report([COMBINING, "/d/other.pdf"], out, AnalysisOptions(), ReportSettings(pdf=False))
    text = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    caveats = re.findall(r'<li class="caveat">.*?</li>', text.split('data-section="summary"')[0])
    named = [re.search(r'<span class="path"><bdi>(.*?)</bdi>', c) for c in caveats]
    shown = [htmllib.unescape(m.group(1)) for m in named if m]
    assert shown, caveats  # the caveat names the file
    assert all(len(p) <= PAGE_ONE_PATH + 1 for p in shown), shown  # + the cut's marker
    assert any("…</bdi> [207 characters]" in c for c in caveats)


_PAGE_ONE_MACROS = ("cite", "files", "target_title", "overview_table", "windows_table", "evidence_status")


def _page_one_source() -> str:
    """The template text page 1 is made of: the cover section and the macros it calls."""
    source = resources.files("exposure.report").joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    macros = [re.search(r"{%-? macro " + name + r"\(.*?{%-? endmacro %}", source, re.S) for name in _PAGE_ONE_MACROS]
    assert all(macros)
    cover = source[source.index('<section id="cover"'):source.index("</section>", source.index('<section id="cover"'))]
    return "\n".join([m.group(0) for m in macros if m] + [cover])


def test_every_value_page_one_prints_is_bounded_by_what_is_shown() -> None:
    page_one = _page_one_source()
    filtered = re.findall(r"\|\s*(v|said)\b(\([^()]*\))?", page_one)
    assert filtered
    unbounded = [f"{name}{args}" for name, args in filtered if "," not in args]
    assert unbounded == []
    # the macros that take a shown bound get one wherever page 1 calls them
    cover = page_one[page_one.index('<section id="cover"'):]
    calls = re.findall(r"\b(files|target_title|overview_table)\(([^{}]*?)\) }}", page_one)
    assert calls
    assert [c for c in calls if not re.search(r"shown=|PAGE_ONE", c[1])] == []
    assert "evidence_status()" in cover
