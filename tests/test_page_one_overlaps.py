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
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _day(day: int) -> list[str]:
    lines = [clf(f"198.51.100.{2 + k % 5}", t(day, 6 + k // 6, k % 6 * 10), f"/page{k}") for k in range(60)]
    lines[20] = clf("198.51.100.9", t(day, 9, 20), TARGET, size=5000)
    return lines


@pytest.mark.usefixtures("html_only_reports")
def test_page_one_names_each_overlap_with_the_file_it_repeats(tmp_path: Path) -> None:
    web1 = tmp_path / "logs" / "web1"
    older = write_log(web1 / "access.log.1", _day(10))
    live = write_log(web1 / "access.log", _day(11))
    export = write_log(tmp_path / "logs" / "export" / "www.example.org-week.log", _day(10) + _day(11))
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--report",
                                      str(tmp_path / "report"), "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.COMPLETE, result.output
    page = (tmp_path / "report" / "report.html").read_text()
    cover = page[page.index('<section id="cover"'):page.index("</section>", page.index('<section id="cover"'))]
    [item] = re.findall(r'<li class="stated" data-kind="overlap">(.*?)</li>', cover, re.S)
    said = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", item.replace("<wbr>", ""))))
    assert f"{export} (repeats {older})" in said, said
    assert f"{export} (repeats {live})" in said, said
