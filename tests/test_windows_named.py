"""A time without a line (a gap, an incomplete file's lost time) names every window it falls in: each target's
and each --alias path's, in the JSON (`in_window`, `in_windows`), on the terminal and on page 1, in one wording
for every kind of line (review_readme6 b, g: a lost day overlapping windows of /a.pdf and /b.pdf named only
/a.pdf's first; a lost day inside an --alias path's window named none; page 1 said 'inside window 1 of /a.pdf'
for a gap and 'inside a window: window 1 (/a.pdf)' for a cut file)."""

from __future__ import annotations

import gzip
import html as html_text
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

SIZE = 50_000


def _day(day: int, extra: list[str] = (), ipbase: int = 2) -> list[str]:
    """A day of a server: a line every 10 minutes from 06:00 to 19:50, with `extra` lines in time order."""
    lines = [clf(f"198.51.100.{ipbase + k % 7}", t(day, 6 + k // 6, k % 6 * 10), f"/page{k}") for k in range(84)]
    return sorted([*lines, *extra], key=lambda line: line.split("[")[1])


def _cut_gzip(path: Path, lines: list[str]) -> Path:
    """The lines gzipped and cut after half the compressed bytes: a copy that stopped mid-way."""
    data = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[: len(data) // 2])
    return path


def _run(tmp_path: Path, args: list[str], lang: str = "en") -> tuple[str, dict, str]:
    """The terminal's output, the JSON answer and page 1's evidence lines (tags dropped, spaces folded)."""
    out = tmp_path / f"report-{lang}"
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), *args, "--json", str(tmp_path / "a.json"),
                                      "--report", str(out), "--lang", lang, "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    page = (out / "report.html").read_text()
    block = page[page.index('id="status-list"'):page.index("</ul>", page.index('id="status-list"'))]
    said = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", block.replace("<wbr>", ""))))
    return result.output, json.loads((tmp_path / "a.json").read_text()), said


def _two_targets(tmp_path: Path) -> Path:
    """web1 loses 11 June 10:00 to 12 June 06:00 (a cut .gz); web2 shows /a.pdf online 10 June 12:31 to 11 June
    11:01 (window 1) and 11 June 15:01 to 12 June 12:01 (window 2), /b.pdf 10 June 12:32 to 12 June 12:02."""
    logs = tmp_path / "logs"
    write_log(logs / "web1" / "access.log.2.gz", _day(10), compress="gzip")
    cut = _cut_gzip(logs / "web1" / "access.log.1.gz", _day(11))
    write_log(logs / "web1" / "access.log", _day(12))
    write_log(logs / "web2" / "access.log",
              _day(10, [clf("203.0.113.1", t(10, 12, 31), "/a.pdf", size=SIZE),
                        clf("203.0.113.2", t(10, 12, 32), "/b.pdf", size=SIZE)], ipbase=40)
              + _day(11, [clf("203.0.113.3", t(11, 11, 1), "/a.pdf", status=404, size=153),
                          clf("203.0.113.4", t(11, 15, 1), "/a.pdf", size=SIZE)], ipbase=40)
              + _day(12, [clf("203.0.113.5", t(12, 12, 1), "/a.pdf", status=404, size=153),
                          clf("203.0.113.6", t(12, 12, 2), "/b.pdf", status=404, size=153)], ipbase=40))
    return cut


@pytest.mark.usefixtures("html_only_reports")
def test_a_lost_day_names_every_window_of_every_target_it_overlaps(tmp_path: Path) -> None:
    cut = _two_targets(tmp_path)
    output, answer, page = _run(tmp_path, ["--target", "/a.pdf", "--target", "/b.pdf"])
    [found] = [f for f in answer["findings"] if f["kind"] == "truncated"]
    assert (found["path"], found["uncovered_start"], found["uncovered_end"]) == (
        str(cut), "2020-06-11T10:00:00Z", "2020-06-12T06:00:00Z")
    every = "window 1 of /a.pdf, window 2 of /a.pdf, window 1 of /b.pdf"
    assert found["in_window"] == every  # a string, as before: the labels joined
    assert found["in_windows"] == [{"window": 1, "target": "/a.pdf", "alias": None, "after_last_available": False},
                                   {"window": 2, "target": "/a.pdf", "alias": None, "after_last_available": False},
                                   {"window": 1, "target": "/b.pdf", "alias": None, "after_last_available": False}]
    [said] = [ln for ln in output.splitlines() if ln.startswith("incomplete: truncated: ")]
    assert said.endswith(f"; inside {every}"), said
    # page 1: the cut file and the gap of the same day in one wording, each naming the three windows
    assert f"26 lines read before the content ends early; stream web1/access.log has no line from " \
           f"2020-06-11T10:00:00Z to 2020-06-12T06:00:00Z; inside {every}" in page, page
    assert f"no log line from 2020-06-11T10:00:00Z to 2020-06-12T06:00:00Z (20h 00m), inside {every}" in page, page
    assert "inside a window" not in page
    # the gap is one line, whatever the number of windows it falls in
    assert page.count("no log line from 2020-06-11T10:00:00Z to 2020-06-12T06:00:00Z") == 1


@pytest.mark.usefixtures("html_only_reports")
def test_the_dutch_page_says_the_windows_in_one_dutch_wording(tmp_path: Path) -> None:
    _two_targets(tmp_path)
    _, _, page = _run(tmp_path, ["--target", "/a.pdf", "--target", "/b.pdf"], lang="nl")
    every = "binnen venster 1 van /a.pdf, venster 2 van /a.pdf, venster 1 van /b.pdf"
    assert f"heeft geen regel van 2020-06-11T10:00:00Z tot 2020-06-12T06:00:00Z; {every}" in page, page
    assert f"geen logregel van 2020-06-11T10:00:00Z tot 2020-06-12T06:00:00Z (20h 00m), {every}" in page, page
    assert "window" not in page and "binnen een venster" not in page


@pytest.mark.usefixtures("html_only_reports")
def test_a_lost_day_inside_an_alias_window_says_so(tmp_path: Path) -> None:
    """review_readme6 g: /old.pdf (counted as /new.pdf by --alias) was online 10 to 12 June; web1 lost 11 June."""
    web1 = tmp_path / "logs" / "web1"
    write_log(web1 / "access.log.2.gz", _day(10, [clf("198.51.100.20", t(10, 12, 30), "/old.pdf", size=SIZE)]),
              compress="gzip")
    cut = _cut_gzip(web1 / "access.log.1.gz", _day(11))
    write_log(web1 / "access.log", _day(12, [clf("198.51.100.22", t(12, 12, 30), "/old.pdf", status=404, size=153)])
              + _day(13, [clf("198.51.100.23", t(13, 12, 30), "/new.pdf", size=SIZE)]))
    output, answer, page = _run(tmp_path, ["--target", "/new.pdf", "--alias", "/old.pdf"])
    [found] = [f for f in answer["findings"] if f["kind"] == "truncated"]
    assert found["path"] == str(cut)
    assert found["in_window"] == "window 1 of --alias /old.pdf"
    assert found["in_windows"] == [{"window": 1, "target": "/new.pdf", "alias": "/old.pdf", "after_last_available": False}]
    [said] = [ln for ln in output.splitlines() if ln.startswith("incomplete: truncated: ")]
    assert said.endswith("; inside window 1 of --alias /old.pdf"), said
    # the gaps inside the alias's window: in the target's gaps (via) and on page 1, not left unsaid
    gaps = answer["targets"][0]["gaps"]
    assert {(g["start"], g["window"], g["via"]) for g in gaps} == {
        ("2020-06-10T19:50:00Z", 1, "/old.pdf"), ("2020-06-11T10:00:00Z", 1, "/old.pdf")}
    assert "(20h 00m), inside window 1 of --alias /old.pdf" in page, page
    assert "to 2020-06-12T06:00:00Z; inside window 1 of --alias /old.pdf" in page, page


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_time_in_many_windows_names_three_on_page_one_and_counts_the_rest(lang: str) -> None:
    """A silence inside 30 targets' windows made one page-1 line of about 4,000 characters, five of them three
    pages (review): page 1 names the first three windows and counts the others; the JSON keeps every one."""
    from exposure.report.i18n import strings
    from exposure.report.model import INSIDE_WINDOWS, _inside

    refs = [{"window": 1, "target": f"/docs/file-{k:02d}.pdf", "alias": None} for k in range(30)]
    said = _inside({"in_windows": refs}, strings(lang))
    shown = re.findall(r"/docs/file-\d\d\.pdf", said)
    assert shown == [f"/docs/file-{k:02d}.pdf" for k in range(INSIDE_WINDOWS)] and INSIDE_WINDOWS == 3
    assert said.endswith({"en": "and 27 more windows (in_windows in analysis.json)",
                          "nl": "en nog 27 vensters (in_windows in analysis.json)"}[lang])
    assert len(said) < 300
