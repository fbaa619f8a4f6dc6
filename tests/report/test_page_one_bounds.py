"""Page 1 stays page 1 with long tables: a file that went on and off 30 times, and 22 files under --under. Page 1
shows the first rows with one counted row for the rest (never dropped without a word), the evidence status and
the answer sentence stay on the first sheet, and section 1 has the tables whole. Also on page 1 (EVIDENCE.md 11,
17): the clock caveat and the answer's warnings (a GeoIP database older than the requests) as caveats, bounded.
Each case is rendered once per module (PDF included)."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from exposure.report.model import KEY_WINDOWS, PAGE_ONE_FILES
from tests.conftest import write_log
from tests.logs import clf

from .test_layout import pdf_text

PIN = "2020-08-01T12:00:00Z"
TARGET = "/docs/leak.xlsx"
SIZE = 50_000
WINDOWS = 30
FILES = 22
START = datetime(2020, 6, 1)


def _analyse(out: Path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["analyse", *args, "--report", str(out), "--pin-time", PIN, "-q"],
                                env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return json.loads((out / "analysis.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def thirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One file put online and taken off 30 times (a download, another 5 minutes later, a 404 an hour after),
    a server line every 10 minutes, a rotation that repeats its first 50 lines plus a line that is no request,
    and a note that is not a log: five kinds of findings, a caveat or two, and 30 windows."""
    root = tmp_path_factory.mktemp("thirty")
    lines = [(START + timedelta(minutes=10 * i), clf("192.0.2.50", START + timedelta(minutes=10 * i), "/"))
             for i in range(WINDOWS * 12)]
    for w in range(WINDOWS):
        on = START + timedelta(hours=2 * w, minutes=1)
        lines += [(on, clf(f"198.51.100.{w + 1}", on, TARGET, size=SIZE)),
                  (on + timedelta(minutes=5), clf(f"198.51.101.{w + 1}", on + timedelta(minutes=5), TARGET, size=SIZE)),
                  (on + timedelta(hours=1), clf("192.0.2.60", on + timedelta(hours=1), TARGET, status=404, size=300))]
    lines.sort()
    logs = root / "logs"
    write_log(logs / "web1" / "access.log", [text for _, text in lines])
    write_log(logs / "web1" / "access.log.1", [text for _, text in lines[:50]] + ["no request here"])
    (logs / "notes.txt").write_text("minutes of a meeting\n", encoding="utf-8")
    out = root / "report"
    return out, _analyse(out, str(logs), "--target", TARGET)


@pytest.fixture(scope="module")
def many_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """22 files under /docs/wob/, each downloaded once, twice or three times, then taken off."""
    root = tmp_path_factory.mktemp("files")
    lines = []
    for i in range(FILES):
        path = f"/docs/wob/annex-{i + 1:02d}.pdf"
        for j in range(1 + i % 3):
            when = START + timedelta(days=9, hours=8, minutes=10 * i + j)
            lines.append((when, clf(f"198.51.{100 + j}.{i + 1}", when, path, size=10_000 + i)))
        off = START + timedelta(days=9, hours=13, minutes=i)
        lines.append((off, clf("192.0.2.60", off, path, status=404, size=300)))
    lines.sort()
    write_log(root / "logs" / "web1" / "access.log", [text for _, text in lines])
    out = root / "report"
    return out, _analyse(out, str(root / "logs"), "--under", "/docs/wob/")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))).split())


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start:html.index("</table>", start)]


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
def test_thirty_windows_keep_the_sentence_and_the_status_on_page_one(thirty: tuple[Path, dict]) -> None:
    out, answer = thirty
    windows = answer["targets"][0]["windows"]
    assert len(windows) == WINDOWS and answer["targets"][0]["totals"]["complete_downloads"] == 2 * WINDOWS
    page1, page2 = _flat(pdf_text(out / "report.pdf", 1)), _flat(pdf_text(out / "report.pdf", 2))
    html = (out / "report.html").read_text(encoding="utf-8")
    # the status, its line and every line about the findings are on the first sheet (they were on page 3)
    assert _flat(EN["status_title"]) in page1
    status = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    for item in re.findall(r"<li[^>]*>(.*?)</li>", status, flags=re.S):
        assert _flat(_text(item))[:50] in page1 and _flat(_text(item))[:50] not in page2, _text(item)
    # the sentence whole, naming the first windows and counting the rest
    start = html.index(">", html.index('id="t1-key"')) + 1
    key = _text(html[start:html.index("</p>", start)])
    assert key.startswith("In short: 60 complete downloads from 60 external addresses, in 30 exposure windows: ")
    assert key.endswith("; and 28 more windows, in the table of every window (section 1). Evidence status: complete.")
    assert _flat(key) in page1
    # page 1's table: the first windows and one counted row saying when the rest fall
    table = _table(html, "t1-windows")
    assert re.findall(r'data-window="(\d+)"', table) == [str(n) for n in range(1, KEY_WINDOWS + 1)]
    more = Strings(EN).f("page_one_windows_more", n=WINDOWS - KEY_WINDOWS, first=windows[KEY_WINDOWS]["first_available"],
                         last=windows[-1]["first_unavailable"])
    assert more.startswith("and 28 more windows, 2020-06-01T04:01:00Z to 2020-06-03T11:01:00Z: ")
    assert _flat(more) in _flat(_text(table)) and _flat(more) in page1
    # the size's votes bounded the same way (the method lists every window's)
    assert _flat("(window 1: 2 of 2; window 2: 2 of 2; 28 more windows in section 6)") in page1
    # section 1 has every window, each citing its evidence lines
    whole = _table(html, "t1-windows-all")
    assert re.findall(r'data-window="(\d+)"', whole) == [str(n) for n in range(1, WINDOWS + 1)]
    assert html.index('id="t1-windows-all"') > html.index('data-section="summary"')
    assert set(re.findall(r'href="#([^"]+)"', html)) - set(re.findall(r'id="([^"]+)"', html)) == set()


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
def test_twenty_two_files_keep_the_status_on_page_one(many_files: tuple[Path, dict]) -> None:
    out, answer = many_files
    targets = answer["targets"]
    assert len(targets) == FILES
    page1 = _flat(pdf_text(out / "report.pdf", 1))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert _flat(EN["status_title"]) in page1 and _flat(html_status_line(html)) in page1
    # the first files, then one counted row with what the others hold
    table = _table(html, "answer-overview")
    assert re.findall(r'data-target="(\d+)"', table) == [str(n) for n in range(1, PAGE_ONE_FILES + 1)]
    rest = targets[PAGE_ONE_FILES:]
    more = Strings(EN).f("page_one_files_more", n=len(rest),
                         with_downloads=sum(1 for t in rest if t["totals"]["complete_downloads"]),
                         downloads=sum(t["totals"]["complete_downloads"] for t in rest))
    assert more.startswith("and 16 more files, 16 of them with complete downloads (31 in all): ")
    assert _flat(more) in _flat(_text(table)) and _flat(more) in page1
    # the first file's answer sentence follows on page 1
    assert _flat("In short: 1 complete download from 1 external address, in 1 exposure window: window 1") in page1
    # section 1 has every file
    whole = _table(html, "answer-overview-all")
    assert re.findall(r'data-target="(\d+)"', whole) == [str(n) for n in range(1, FILES + 1)]
    # a caveat every file has (the GeoIP database older than the requests) is one line on page 1, not 22 lines
    # that left no room for the findings
    # a caveat every file has (the GeoIP database older than the requests) is one of page 1's lines, not 22
    # that leave no room for the findings
    from exposure.report.caveats import caveats as _caveats

    caveats = [c["text"] for c in _caveats(answer["warnings"], targets, Strings(EN))]
    [geo] = [c for c in caveats if "the city database GeoLite2-City" in c]
    assert geo.endswith(" (said of 22 files)") and len(caveats) == len(set(caveats))


def html_status_line(html: str) -> str:
    start = html.index('class="status-line"')
    return _text(html[html.index(">", start) + 1:html.index("</p>", start)])[:80]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_the_clock_caveat_and_the_old_geoip_database(sample_reports: dict[str, Path],
                                                                    lang: str) -> None:
    """EVIDENCE.md 11 (no NTP evidence in logs: say so) and 17 (a GeoIP database older than the events): both were
    said on page 2 and later only; page 1 now says each in a line, pointing to its section."""
    s = Strings(EN if lang == "en" else NL)
    page1 = _flat(pdf_text(sample_reports[lang] / "report.pdf", 1))
    assert _flat(s["clock_note"]) in page1
    caveat = "Caveat:thecitydatabaseGeoLite2-City" if lang == "en" else "Kanttekening:deplaats-databaseGeoLite2-City"
    assert caveat in page1 and "2018-07-03T21:26:56Z" in page1


@pytest.mark.usefixtures("html_only_reports")
def test_a_file_still_available_is_said_on_page_one_however_many_windows(tmp_path: Path) -> None:
    """Three windows, the last still open when the logs end: page 1 names the first two, and its sentence and its
    counted row said the third as if closed ("... to <its last request>"), "still available" nowhere before
    section 1. Both say it now."""
    lines = []
    for day in range(5):  # 200 on days 1, 3, 5 and 404 on days 2, 4
        at = START + timedelta(days=day, hours=10)
        status = 404 if day % 2 else 200
        lines += [clf(f"198.51.100.{day * 3 + i + 1}", at + timedelta(minutes=i), TARGET, status=status,
                      size=SIZE if status == 200 else 300) for i in range(3)]
    write_log(tmp_path / "logs" / "access.log", lines)
    out = tmp_path / "report"
    answer = _analyse(out, str(tmp_path / "logs"), "--target", TARGET)
    assert [w["first_unavailable"] is None for w in answer["targets"][0]["windows"]] == [False, False, True]
    html = (out / "report.html").read_text(encoding="utf-8")
    start = html.index(">", html.index('id="t1-key"')) + 1
    key = _text(html[start:html.index("</p>", start)])
    assert "; and 1 more window, the last still available when the logs end, in the table of every window" in key
    table = _text(_table(html, "t1-windows"))
    assert _flat("and 1 more window, 2020-06-05T10:00:00Z to the end of the logs, the last still available then")\
        in _flat(table)
