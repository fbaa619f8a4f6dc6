"""Page 1 of a messy case says every finding about the evidence, in English and Dutch, and its figures equal the
JSON answer: a truncated rotation, a 13-hour silence of one server inside the window, an administrator's
duplicate copy, and byte counts whose meaning the data could not decide (assumed). Also: with no --internal,
page 1 says no own addresses were given rather than "0" own downloads; and the chart hatches the silences."""

from __future__ import annotations

import contextlib
import html as htmllib
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.report import ReportSettings
from exposure.report.i18n import EN, NL, Strings
from tests.conftest import write_log
from tests.evidence_trees import INTERNAL, SIZE, TARGET, flat_folder, truncate_gzip
from tests.logs import clf

from .test_layout import EDGE, SIDE_MARGIN, overlapping, pdf_text, pdf_words

PIN = "2020-08-01T12:00:00Z"
INTERNAL_SAMPLE = "203.0.113.0/24"
TRUNCATED = "web2-access.log-20200614.gz"
COPY = "handover/web1-access-copy.log.gz"


def _messy(root: Path) -> Path:
    """The evidence trees' two servers with web1 silent from 12 June 01:00 to 14:00 (inside the window), web2's
    13 June cut in half, a copy of web1's 11 June in handover/, and a third server, web3, with two downloads and
    nothing else (too little for its byte counts' meaning to be inferred)."""
    logs = flat_folder(root / "logs", hole=True)
    truncate_gzip(logs / TRUNCATED, keep=0.5)
    (logs / "handover").mkdir()
    shutil.copy(logs / "web1-access.log-20200612.gz", logs / COPY)
    write_log(logs / "web3-access.log",
              [clf("93.184.216.34", datetime(2020, 6, 12, 9, 0, i), TARGET, size=SIZE) for i in range(2)])
    return logs


def _report(tmp: Path, lang: str, *extra: str) -> tuple[Path, dict]:
    logs = tmp / "logs"
    if not logs.exists():
        _messy(tmp)
    out = tmp / f"report-{lang}-{len(extra)}"
    # run from the case's folder with relative paths: page 1 then holds the same text wherever pytest's temporary
    # folder lies (its length, with the user's name in it, once decided whether a line wrapped)
    args = ["analyse", "logs", "--target", TARGET, *extra, "--report", out.name, "--lang", lang,
            "--pin-time", PIN, "-q"]
    with contextlib.chdir(tmp):
        result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 3, result.output  # the truncated rotation: an answer from incomplete evidence
    return out, json.loads((out / "analysis.json").read_text(encoding="utf-8"))


def _cover(out: Path) -> str:
    html = (out / "report.html").read_text(encoding="utf-8")
    cover = html[html.index('<section id="cover"'):html.index('data-section="summary"')]
    text = re.sub(r"<[^>]+>", " ", cover.replace("<wbr>", ""))  # a tag is a break, as on the page
    return re.sub(r"\s+", " ", htmllib.unescape(text)).replace(" )", ")").replace("( ", "(")


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_of_a_messy_case_says_every_finding(tmp_path: Path, lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    out, answer = _report(tmp_path, lang, "--internal", INTERNAL)
    totals = answer["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["internal_complete_downloads"],
            totals["partial_downloads"]) == (7, 5, 1, 1)
    found = {f["kind"]: f["count"] for f in answer["evidence_status"]["findings"]}
    # web3's two lines at 09:00 on 12 June: its stream is silent before and after them inside the window (a
    # stream's edges, queries/gaps.sql), two gaps beside web1's silence and web2's cut rotation
    assert found == {"truncated": 1, "gap in window": 4, "duplicate": 1, "rejected lines": 1, "assumed bytes": 3}

    def says(page: str) -> None:
        flat = re.sub(r"\s+", "", page)  # a path or time may wrap between lines in the PDF
        assert re.search(r"\b7 " + re.escape(s["complete_downloads"]), page)
        assert re.search(r"\b5 " + re.escape(s["distinct_ips"]), page)
        assert s.f("headline_others", partial=1, undetermined=0).split(" (")[0] in page
        assert s["headline_minimum"] in page  # a silence inside the window: the figures are a minimum
        # the kind of incompleteness named: a truncated rotation is truncated, neither damaged nor unread
        assert s.f("status_incomplete_kinds", what=s.f("status_incomplete_truncated", n=1)) in page
        # the truncated rotation by name, with the time its stream has no line for
        assert f"logs/{TRUNCATED}" in flat and "2020-06-13T11:20:02Z" in flat and "2020-06-14T00:00:02Z" in flat
        # each gap inside the window, its server and times
        assert "2020-06-12T00:50:01Z" in flat and "2020-06-12T14:00:01Z" in flat
        assert "2020-06-12T09:00:01Z" in flat and "2020-06-14T23:50:02Z" in flat  # web3 after its last line
        # web3's two silences are said to be its edges (it begins late, it stops early), not a silence in its middle
        for edge in ("after its last line", "before its first line"):
            assert re.sub(r"\s+", "", s[f"gap_edge_{edge}"]) in flat, edge
        # page 1's six lines hold the truncated file, the four gaps (the two silences in a stream's middle one
        # line, counted) and the caveat (a GeoIP database older than the requests: always said, never counted);
        # the three stated kinds are counted in the last line, named (each has its count in the status line)
        assert re.sub(r"\s+", "", s.f("gaps_inner", n=2, inside=s.f("inside_windows", windows=s.f(
            "window_of", window=1, path=TARGET)), names="")) in flat
        assert "GeoLite2-City" in flat and "2018-07-03T21:26:56Z" in flat
        more = s.f("page_one_more", n=3, kinds=f"{s['finding_duplicate']}, "
                                              f"{s['finding_rejected lines']}, {s['finding_assumed bytes']}")
        assert re.sub(r"\s+", "", more) in flat
        for kind, count in (("duplicate", 1), ("rejected lines", 1), ("assumed bytes", 3)):
            assert re.search(re.escape(s[f"finding_{kind}"]) + rf" ?: {count}\b", page), kind

    says(_cover(out))
    says(pdf_text(out / "report.pdf", 1))
    # nothing of the messy case's pages runs into another word or off the paper
    problems = []
    for no, page in enumerate(pdf_words(out / "report.pdf"), start=1):
        problems += [(no, a, b) for a, b in overlapping(page["words"])]
        problems += [(no, text) for x0, y0, x1, y1, text in page["words"]
                     if x0 < SIDE_MARGIN - 1 or x1 > page["width"] - SIDE_MARGIN + 1 or y0 < EDGE
                     or y1 > page["height"] - EDGE]
    assert problems == []
    # every link of the report, page 1's to each finding's section included, leads somewhere
    html = (out / "report.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="#([^"]+)"', html)) - set(re.findall(r'id="([^"]+)"', html)) == set()
    # the chart hatches the silences inside the window (and says so in its legend); the answer without them has none
    chart = html[html.index('id="t1-chart"'):html.index("</figure>", html.index('id="t1-chart"'))]
    assert htmllib.escape(s["chart_gap"], quote=False) in chart


def test_page_one_without_internal_ranges_claims_no_own_downloads(tmp_path: Path) -> None:
    logs = _messy(tmp_path)
    out = tmp_path / "report"
    with Case(tmp_path / "case.duckdb") as case:  # HTML only: page 1's text is the cover section's
        case.ingest([logs])
        case.report([TARGET], out, AnalysisOptions(), ReportSettings(pdf=False))
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert answer["options"]["internal"] == [] and answer["targets"][0]["totals"]["internal_complete_downloads"] == 0
    cover = _cover(out)
    assert EN["own_not_given"] in cover and EN["headline_no_internal"] in cover
    assert EN["internal_apart"] not in cover and 'data-figure="internal_complete_downloads"' not in cover


def test_the_chart_hatches_no_silence_where_there_is_none(sample_reports: dict[str, Path]) -> None:
    html = (sample_reports["en"] / "report.html").read_text(encoding="utf-8")
    answer = json.loads((sample_reports["en"] / "analysis.json").read_text(encoding="utf-8"))
    assert answer["targets"][0]["gaps"] == []
    assert htmllib.escape(EN["chart_gap"], quote=False) not in html


def test_a_temporary_case_has_no_digest_to_keep(tmp_path: Path) -> None:
    """`analyse --report` without --case: the case is gone when the command ends, so page 1 offers no digest to
    keep and check later (it said "chain link None" and told the reader to check it with verify --anchor)."""
    logs = _messy(tmp_path)
    with Case(None) as case:
        case.ingest([logs])
        case.report([TARGET], tmp_path / "report", AnalysisOptions(), ReportSettings(pdf=False))
    cover = _cover(tmp_path / "report")
    assert EN["case_digest_temporary"] in cover and "None" not in cover and "--anchor" not in cover


def test_several_files_are_answered_in_one_table_first(sample_case_path: Path, tmp_path: Path) -> None:
    """A whole publication (--under): page 1 opens with one row per file, its first window's first available
    response, the first unavailable one after its last window and its figures, each row leading to the file's
    answer below; the figures are the JSON answer's."""
    shutil.copy(sample_case_path, tmp_path / "case.duckdb")
    out = tmp_path / "report"
    with Case(tmp_path / "case.duckdb") as case:
        targets = case.expand_targets([], [], ["/documenten/wob/2020/"])
        case.report(targets, out, AnalysisOptions(internal=(INTERNAL_SAMPLE,)), ReportSettings(pdf=False))
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="answer-overview"'):html.index("</table>", html.index('id="answer-overview"'))]
    assert html.index('id="answer-overview"') < html.index('id="t1-answer"')  # before the first file's answer
    rows = re.findall(r'<tr data-target="(\d+)"><td><a href="#(t\d+)-answer">(.*?)</tr>', table, flags=re.S)
    assert len(rows) == len(answer["targets"]) == 4
    for (index, anchor, row), t in zip(rows, answer["targets"], strict=True):
        assert anchor == f"t{index}" and f'id="{anchor}-answer"' in html
        cells = re.findall(r'<td class="num">(\d+)</td>', row)
        assert cells == [str(len(t["windows"])), str(t["totals"]["complete_downloads"]),
                         str(t["totals"]["distinct_ips"])]
        assert t["windows"][0]["first_available"] in row and t["windows"][-1]["first_unavailable"] in row
    assert [t["totals"]["complete_downloads"] for t in answer["targets"]] == [50, 55, 60, 11]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_how_many_complete_copies_went_to_automated_fetchers(sample_reports: dict[str, Path],
                                                                           lang: str) -> None:
    """Page 1 said "11 complete downloads from 7 external addresses" and nothing of who: 4 of them were Googlebot
    (2), the Internet Archive and Telegram's link preview, said only in section 5. Counted here from the
    answer's own download rows and the spread section's fetchers, not from the total under test."""
    answer = json.loads((sample_reports[lang] / "analysis.json").read_text(encoding="utf-8"))
    [target] = answer["targets"]
    fetched = {(r["client_ip"], t) for group in ("archives", "crawlers", "link_previews")
               for r in target["spread"][group] for t in r["complete_at"]}
    mine = [d for d in target["downloads"] if d["outcome"] == "complete" and not d["internal"]
            and (d["client_ip"], d["time"]) in fetched]
    assert len(mine) == target["totals"]["fetcher_complete_downloads"] == 4
    page1 = pdf_text(sample_reports[lang] / "report.pdf", 1)
    said = {"en": "of the external ones, 4 by automated fetchers that name themselves so in their user agent",
            "nl": "van de externe 4 door geautomatiseerde ophalers die zich zo noemen in hun user agent"}[lang]
    assert said in page1
