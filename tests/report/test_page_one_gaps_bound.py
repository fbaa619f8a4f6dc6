"""Page 1's gap lines never outgrow their room: gaps inside many windows (a server silent three hours inside each of
14 daily windows) were 14 lines, one per window, and pushed the GeoIP caveat and the counted line to page 2; now
past the room they are one line per family across the windows, past that one counted line. The streams a grouped
line names are cut (seven streams in ~250-character folders made one line of ~17 printed lines)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.html import PAGE_ONE_ROW_PATH
from exposure.report.i18n import EN, NL, Strings
from exposure.report.pageone import gap_lines
from tests.conftest import write_log
from tests.logs import clf

from .test_layout import pdf_text
from .test_page_one_must_carry import _flat, _status_lines
from .test_page_one_must_carry import streams as long_streams

PIN = "2020-08-01T12:00:00Z"
TARGET = "/docs/leak.pdf"
DAYS = 15  # windows on days 2 to 15: 14


def _gap(stream: str, window: int, fact: str | None = None) -> dict[str, Any]:
    return {"stream": stream, "server": stream, "fact": fact, "inside": f", inside window {window} of {TARGET}",
            "in_windows": [{"window": window, "target": TARGET, "alias": None}],
            "uncovered_start": f"2020-06-{window:02d}T09:50:04Z", "uncovered_end": f"2020-06-{window:02d}T13:00:04Z",
            "length": "3h 10m", "text": f"gap of {stream} in window {window}"}


def test_gaps_in_many_windows_are_one_line_per_family_across_them() -> None:
    s = Strings(EN)
    gaps = [_gap("web2/access.log", w) for w in range(1, 15)]
    assert len(gap_lines(gaps, s, 14)) == 14  # room for each
    [line] = gap_lines(gaps, s, 3)
    assert line["count"] == 14
    assert line["text"].startswith("14 silences of a stream inside 14 windows: web2/access.log 2020-06-01T09:50:04Z")
    assert line["text"].endswith(s.f("gaps_named_more", n=10))


def test_families_past_the_room_are_one_counted_line() -> None:
    s = Strings(EN)
    gaps = [_gap("web2", w) for w in range(1, 5)] + [_gap("web3", w, "after its last line") for w in range(1, 5)] \
        + [_gap("web4", w, "before its first line") for w in range(1, 5)]
    assert len(gap_lines(gaps, s, 3)) == 3  # a line per family across the windows
    assert gap_lines(gaps, s, 2) == [{"text": "12 silences of streams inside 4 windows: every one in section 7 (gaps)",
                                      "count": 12}]
    assert len(gap_lines(gaps, s, 0)) == 1  # never none: every gap inside a window is said on page 1


def test_a_grouped_line_cuts_the_streams_it_names() -> None:
    s = Strings(NL)
    long = "srv-" + "productieserver-webfarm-" * 10
    gaps = [_gap(f"{long}{k}/access.log", 1) for k in range(7)]
    [line] = gap_lines(gaps, s, 1)
    assert long not in line["text"] and f"… [{len(long) + 12} tekens]" in line["text"]
    assert len(line["text"]) < 4 * (PAGE_ONE_ROW_PATH + 60) + 200


def silent_in_every_window(logs: Path) -> None:
    """web1 logs every 10 minutes and the target's windows (days 2 to 15: 200 three times from 09:00, 404 at
    15:00); web2 logs beside it, silent 10:00-13:00 each of those days."""
    w1, w2 = [], []
    base = datetime(2020, 6, 1, 0, 0, 1)
    for i in range(60 * 144):  # sixty days: the silences are rare beside them (queries/gaps.sql)
        w = base + timedelta(minutes=10 * i)
        w1.append((w, clf("198.51.100.7", w, f"/page/{i % 50}", size=2000 + i % 50)))
        if not (10 <= w.hour < 13) or w.day == 1 or w.month != 6 or w.day > DAYS:
            v = w + timedelta(seconds=3)
            w2.append((v, clf("198.51.100.8", v, f"/page/{i % 50}", size=2000 + i % 50)))
    for d in range(1, DAYS):
        t0 = datetime(2020, 6, 1 + d, 9, 0, 5)
        w1 += [(t0 + timedelta(minutes=5 * k), clf(f"84.29.143.{60 + k}", t0 + timedelta(minutes=5 * k), TARGET,
                                                   size=50000)) for k in range(3)]
        w1.append((t0 + timedelta(hours=6), clf("84.29.143.99", t0 + timedelta(hours=6), TARGET, status=404,
                                                size=200)))
    for name, rows in (("web1", w1), ("web2", w2)):
        write_log(logs / name / "access.log", [line for _, line in sorted(rows)])


def _report(root: Path, logs: Path, target: str, lang: str) -> Path:
    out = root / f"report-{lang}"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", target, "--report", str(out), "--lang",
                                      lang, "--pin-time", PIN, "-q"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow  # a PDF of a case of its own
def test_fourteen_windows_with_a_silence_keep_the_caveat_on_page_one(tmp_path: Path) -> None:
    silent_in_every_window(tmp_path / "logs")
    out = _report(tmp_path, tmp_path / "logs", TARGET, "en")
    lines = _status_lines((out / "report.html").read_text(encoding="utf-8"))
    gaps = [(count, text) for cls, count, text in lines if cls == "gap-in-window"]
    assert gaps == [("14", gaps[0][1])] and "14 silences of a stream inside 14 windows" in gaps[0][1]
    # the GeoIP caveat, shown whole; what the complete downloads rest on (combined: sent counts) beside the figures
    caveats = [text for cls, _, text in lines if cls == "caveat"]
    assert len(caveats) == 1 and "GeoLite2" in caveats[0], caveats
    page1, page2 = _flat(pdf_text(out / "report.pdf", 1)), _flat(pdf_text(out / "report.pdf", 2))
    assert _flat("14 silences of a stream inside 14 windows") in page1
    assert _flat("complete downloads rest on a body byte count alone (combined): complete means") in page1
    for caveat in caveats:  # whole, on page 1 (section 1 on page 2 says it again)
        assert _flat(caveat.split(": ", 1)[1]) in page1, caveat
    assert _flat("and 10 more (section 7, gaps)") in page1 and "gap:" not in page2


@pytest.mark.slow  # a PDF of a case of its own
def test_long_stream_names_keep_the_caveat_on_page_one(tmp_path: Path) -> None:
    """Seven streams in ~250-character folders, six silent inside the open window of a 211-character target
    (Dutch): the grouped line names four, each cut, and the GeoIP caveat stays on page 1 whole, the stated line
    after it counted by its kind (the note on what the complete downloads rest on takes its room)."""
    logs = tmp_path / "logs"
    long_streams(logs)
    for k in range(1, 8):  # each stream in a long folder
        folder = logs / (f"srv{k}-" + "productieserver-webfarm-" * 10)
        folder.mkdir()
        (logs / f"web{k}-access.log").rename(folder / "access.log")
    target = "/docs/" + "verslag-van-de-commissie-" * 8 + ".xlsx"
    for f in logs.rglob("access.log"):  # the target's name as the case's
        f.write_text(f.read_text().replace("/docs/leak.xlsx", target))
    out = _report(tmp_path, logs, target, "nl")
    lines = _status_lines((out / "report.html").read_text(encoding="utf-8"))
    [gap] = [text for cls, _, text in lines if cls == "gap-in-window"]
    assert "productieserver-webfarm-" * 3 not in gap and gap.count("[256 tekens]") == 4
    caveats = [text for cls, _, text in lines if cls == "caveat"]
    assert caveats and any("GeoLite2" in c for c in caveats), caveats
    page1 = _flat(pdf_text(out / "report.pdf", 1))
    for caveat in caveats:  # each shown whole on page 1
        assert _flat(caveat.split(": ", 1)[1]) in page1, caveat
    # the stated line after it names its streams cut alike: the status list ends on page 1, never cut mid-line
    # the windows table cites each bound's line in a ~270-character file: the file cut, its line number said
    html = (out / "report.html").read_text(encoding="utf-8")
    table = html[html.index('-windows"'):]
    cited = [re.sub(r"<[^>]+>", "", a) for a in re.findall(r'<a class="ref"[^>]*>(.*?)</a>',
                                                             table[:table.index("</table>")])]
    assert cited and all(re.search(r"tekens\]:\d+$", c) for c in cited), cited
    # the stated line (byte counts assumed) gives way to the note beside the figures (what the complete downloads
    # rest on, sent counts: two lines): counted on page 1 by its kind, never dropped; the status list ends on page 1
    assert _flat("volledige downloads berusten alleen op een aantal bytes inhoud (combined)") in page1
    assert not [text for cls, _, text in lines if cls == "stated"]
    [more] = [text for cls, _, text in lines if cls == "more"]
    assert "nog 1 die hier niet genoemd worden (bytetellingen aangenomen)" in more, more
    assert _flat(more[-120:]) in page1
