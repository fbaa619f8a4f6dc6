"""What page 1 must carry is there however many findings crowd it: seven log streams, web1 to web7, each stopping at
another time inside a window that is still open (six fall silent before the evidence ends), and the packaged
GeoLite2-City of July 2018 (older than the requests of June 2020). The six silences filled page 1's lines and the
GeoIP caveat (EVIDENCE.md 17) went into the counted last line; now the six are one line with their count, naming
the first streams and their times, and the caveat is said beside it, in English and in Dutch."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.answer import SENT_NOT_RECEIVED
from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from tests.conftest import write_log
from tests.logs import clf

from .test_layout import pdf_text

PIN = "2020-08-01T12:00:00Z"
TARGET = "/docs/leak.xlsx"
STREAMS = 7


def streams(logs: Path, n: int = STREAMS, step: int = 3) -> None:
    """web1..web<n>: a line every 10 minutes from 10 June, web<k> logging its last line before 13 June 00:00 +
    k * step hours (before its stop one complete download each on 11 June at 09:0k), so the window opened on 11
    June is never closed."""
    for k in range(1, n + 1):
        start, stop = datetime(2020, 6, 10, 0, 0, k), datetime(2020, 6, 13) + timedelta(hours=step * k)
        times = [start + timedelta(minutes=10 * i) for i in range(int((stop - start).total_seconds() // 600) + 1)]
        rows = [(w, clf(f"198.51.100.{k}", w, f"/page/{i}", size=2000 + i)) for i, w in enumerate(times)]
        rows.append((datetime(2020, 6, 11, 9, k, 5), clf("84.29.143.61", datetime(2020, 6, 11, 9, k, 5), TARGET,
                                                            size=50_000)))
        write_log(logs / f"web{k}-access.log", [line for _, line in sorted(rows)])


def _status_lines(html: str) -> list[tuple[str, str, str]]:
    """Page 1's lines about the findings: (class, data-count, text without tags), in document order."""
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    items = re.findall(r'<li class="([^"]+)"(?: data-kind="[^"]*")?(?: data-count="(\d+)")?>(.*?)</li>', block,
                       flags=re.S)
    return [(cls, count, " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text.replace("<wbr>", ""))).split()))
            for cls, count, text in items]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("edges")
    streams(root / "logs")
    out = {}
    for lang in ("en", "nl"):
        out[lang] = root / f"report-{lang}"
        args = ["analyse", str(root / "logs"), "--target", TARGET, "--report", str(out[lang]), "--lang", lang,
                "--pin-time", PIN, "-q"]
        result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow  # a PDF of a case of its own
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_six_silent_streams_are_one_line_and_the_geoip_caveat_stays(reports: dict[str, Path], lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    answer = json.loads((reports[lang] / "analysis.json").read_text(encoding="utf-8"))
    edges = sorted((f["stream"], f["uncovered_start"]) for f in answer["findings"]
                   if f["kind"] == "gap" and f["fact"] == "after its last line" and f["in_window"])
    assert [stream for stream, _ in edges] == [f"web{k}-access.log" for k in range(1, STREAMS)]
    assert edges[0][1] == "2020-06-13T02:50:01Z" and edges[-1][1] == "2020-06-13T17:50:06Z"
    # beside the statement that its complete downloads rest on %b counts (rule_complete_on_sent_counts)
    [caveat] = [w for w in answer["targets"][0]["warnings"] if SENT_NOT_RECEIVED not in w]
    assert "GeoLite2-City" in caveat and "before the requests" in caveat

    html = (reports[lang] / "report.html").read_text(encoding="utf-8")
    lines = _status_lines(html)
    gaps = [(count, text) for cls, count, text in lines if cls == "gap-in-window"]
    # the six silences: one line with their count, the first four streams named with the time each falls silent
    assert len(gaps) == 1 and gaps[0][0] == str(STREAMS - 1)
    inside = s.f("inside_windows", windows=s.f("window_of", window=1, path=TARGET) + s["window_open"])
    head = s.f("gaps_end", n=STREAMS - 1, inside=inside, names="")
    assert gaps[0][1].startswith(f"{s['kind_gap']} : {head}"), gaps[0][1]
    for stream, start in edges[:4]:
        assert f"{stream} {'from' if lang == 'en' else 'vanaf'} {start}" in gaps[0][1]
    assert gaps[0][1].endswith(s.f("gaps_named_more", n=2))
    # the GeoIP caveat is said on page 1, whole, never counted in the last line
    caveats = [text for cls, _, text in lines if cls == "caveat" and "GeoLite2" in text]
    assert len(caveats) == 1 and "GeoLite2-City" in caveats[0] and "2018-07-03T21:26:56Z" in caveats[0]
    assert not [text for cls, _, text in lines if cls == "more" and s["finding_caveat"] in text]
    # section 7's table of findings says of each that it is a stream's edge, not a silence in its middle
    findings = html[html.index('id="findings-detail"'):html.index('id="gaps"')]
    assert findings.count(htmllib.escape(s["gap_edge_after its last line"], quote=False)) == STREAMS - 1
    page1 = _flat(pdf_text(reports[lang] / "report.pdf", 1))  # and so does the PDF's first page
    assert _flat(head) in page1 and _flat(caveats[0]) in page1
