"""readme6: the same week exported again as one file overlaps each rotation of the log it copies, one finding per
pair; page 1 named the copy once per pair, "export/all.log, export/all.log, export/all.log and 7 more", the same
path three times and no word of what it repeats. Each overlap is named with the file it repeats."""

from __future__ import annotations

import html as html_text
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from exposure.escaping import fitted
from exposure.report.html import PAGE_ONE_PATH, stated_name_width
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _day(day: int) -> list[str]:
    lines = [clf(f"198.51.100.{2 + k % 5}", t(day, 6 + k // 6, k % 6 * 10), f"/page{k}") for k in range(60)]
    lines[20] = clf("198.51.100.9", t(day, 9, 20), TARGET, size=5000)
    return lines


# a delivery's folder deeper than page 1 shows of a path (PAGE_ONE_PATH): the copy's name is cut, never its original's
DEEP = "delivery-from-hosting-provider-ticket-4711/" + "/".join(["archived-server-logs-webfarm-node"] * 6)


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("lang", "repeats"), [("en", "repeats"), ("nl", "herhaalt")])
def test_page_one_names_each_overlap_with_the_file_it_repeats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              lang: str, repeats: str) -> None:
    """Each path is shown and cut by itself, in its own <bdi>, the word between them the report's (review_readme6 d:
    'copy (repeats original)' was one value cut at 200 characters: a long copy's name cut off the word and the
    original). Paths relative to the test's folder: what is shown does not depend on how long tmp_path is."""
    monkeypatch.chdir(tmp_path)
    web1 = Path("logs") / "web1"
    older = write_log(web1 / "access.log.1", _day(10))
    live = write_log(web1 / "access.log", _day(11))
    export = write_log(Path("logs") / DEEP / "export" / "www.example.org-week.log", _day(10) + _day(11))
    assert len(str(export)) > PAGE_ONE_PATH
    result = CliRunner().invoke(app, ["analyse", "logs", "--target", TARGET, "--report", "report", "--lang", lang,
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.COMPLETE, result.output
    page = Path("report", "report.html").read_text().replace("<wbr>", "")
    cover = page[page.index('<section id="cover"'):page.index("</section>", page.index('<section id="cover"'))]
    [item] = re.findall(r'<li class="stated" data-kind="overlap">(.*?)</li>', cover, re.S)
    width = stated_name_width(2)  # two files named on the line share page 1's room (report/html.py)
    shown = fitted(str(export), width, width)
    assert str(export).startswith(shown) and len(shown) < len(str(export))
    cut = {"en": "characters", "nl": "tekens"}[lang]
    for original in (older, live):
        named = (f'<span class="ref"><bdi>{html_text.escape(shown)}…</bdi> [{len(str(export))} {cut}]</span> '
                 f'({repeats} <span class="ref"><bdi>{html_text.escape(str(original))}</bdi></span>)')
        assert named in item, item
