"""Many files, the PDF that never finished (15,000 files: killed at 18 min, 11.6 GB). (1) The evidence register and
the coverage were 30,000 table rows: past INVENTORY_ROWS files the register is a dense listing of every file with
every field EVIDENCE.md 5 asks for (text in fixed columns, not table rows), and the coverage one row per stream
that names it. (2) The spread signals' groups had no bound (10,077 rows): they share the page budget of the other
tables, with a line saying how many and that analysis.json has them all. (3) Charts of thousands of markers were
one SVG element each: past CHART_VECTOR_MARKS they are drawn as one image, axes and labels kept as text."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from tests.conftest import write_log
from tests.logs import clf, t

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
TARGET = "/docs/leak.xlsx"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def _report(tmp_path: Path, names: list[str], extra: list[str] = ()) -> tuple[str, dict]:
    for f, name in enumerate(names):
        write_log(tmp_path / "logs" / name, [clf(f"192.0.2.{f + 1}", t(8, 10, f), TARGET, size=4000),
                                             *([*extra] if f == 0 else [])])
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as c:
        c.ingest([tmp_path / "logs"])
        c.report([TARGET], out, AnalysisOptions(size=4000), ReportSettings(pin_time=PIN, pdf=False))
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    return html, json.loads((out / "analysis.json").read_text(encoding="utf-8"))


def _section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}"', 1)[1].split("</section>", 1)[0]


def test_past_the_bound_the_register_lists_every_file_with_every_field(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.inventory as inventory

    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 3)
    names = [f"srv{f}/access-{i}.log" for f in range(2) for i in range(3)] + ["srv1/access-\u202e.log"]
    html, answer = _report(tmp_path, names)
    register = _section(html, "register")
    assert "<tr class=\"evidence-item" not in register  # no table rows: the listing
    listing = unescape("".join(re.findall(r'<pre class="inventory">(.*?)</pre>', register, re.S)))
    entries = re.findall(r"^ +(\d+)  (\S+)  \(.*\)\n +([0-9a-f]{64})  (\w+) +([\d,]+)  (\S+)  +(\d+) +(\d+) +(\d+) +(\d+)"
                         r"  (\S+)  (\S+)$", listing, re.M)
    assert len(entries) == 7 == len(answer["evidence"])
    for i, ((no, path, sha, status, size, mtime, lines, requests, rejected, skipped, first, last), e) in enumerate(
            zip(entries, answer["evidence"], strict=True), start=1):
        assert no == str(i)
        shown = e["path"].replace("\u202e", "\\u202e")  # a bidi override never reaches the page
        assert (path, sha, status, int(size.replace(",", "")), lines, requests, rejected, skipped, first, last) == (
            shown, e["sha256"], "match", e["size_bytes"], str(e["lines"]), str(e["requests"]), str(e["rejected"]),
            str(e["skipped"]), e["first_time"], e["last_time"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mtime)
    assert "\u202e" not in register
    assert 'data-capped="register"' in register and "7 files: each with two lines" in register
    quality = _section(html, "quality")
    assert 'class="data coverage"' not in quality
    rows = re.findall(r'<tr><td class="ref"><bdi>([^<]*)</bdi></td><td class="num">(\d+)</td>', quality)
    streams = {e["stream"]: sum(1 for x in answer["evidence"] if x["stream"] == e["stream"]) for e in answer["evidence"]}
    assert sorted(rows) == sorted((name.replace("\u202e", "\\u202e"), str(n)) for name, n in streams.items())
    assert len(streams) == 4
    assert "7 files in" in quality and "listing of the evidence register (section 9)" in quality


def test_within_the_bound_the_register_and_coverage_stay_tables(tmp_path: Path) -> None:
    html, answer = _report(tmp_path, [f"access-{i}.log" for i in range(3)])
    assert len(re.findall(r'<tr class="evidence-item', _section(html, "register"))) == 3
    assert 'class="data coverage"' in _section(html, "quality") and 'pre class="inventory"' not in html


def test_the_spread_groups_share_the_page_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model as model

    monkeypatch.setattr(model, "REPORT_ROWS", 5)
    monkeypatch.setattr(model, "FILE_ROWS", 2)
    crawl = [clf(f"66.249.66.{i}", t(8, 11, i), TARGET, size=4000, ua=GOOGLEBOT) for i in range(1, 13)]
    html, answer = _report(tmp_path, ["access.log"], crawl)
    crawlers = answer["targets"][0]["spread"]["crawlers"]
    assert len(crawlers) == 12
    table = html.split('id="t1-spread-crawlers"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<td class="addr">', table)) == 5
    assert "The first 5 of 12 rows of this group are shown" in html and 'data-capped="spread"' in html


def test_a_chart_of_thousands_of_markers_is_one_image() -> None:
    from exposure.report.charts import CHART_VECTOR_MARKS, overview_chart, target_chart
    from exposure.report.i18n import strings

    t0 = datetime(2024, 3, 1)
    times = [t0 + timedelta(minutes=7 * i) for i in range(3_000)]
    downloads = [{"time": w.isoformat() + "Z", "client_class": "browser", "outcome": "complete", "internal": False,
                  "no": i + 1} for i, w in enumerate(times[::2])]
    dense = {"requests": [(w, 200 if i % 5 else 404, False, not i % 5) for i, w in enumerate(times)], "windows": [],
             "downloads": downloads, "gaps": [], "index": 1, "path": TARGET}
    svg = target_chart(dense, strings("en"))
    assert svg.count("<image") >= 1 and svg.count("<use") < 40  # the legend's markers only
    assert svg == target_chart(dense, strings("en"))  # the same bytes again
    overview = overview_chart([dense, {**dense, "index": 2}], strings("en"))
    assert overview.count("<use") < 40 and overview.count("<image") >= 1
    few = {**dense, "requests": dense["requests"][:CHART_VECTOR_MARKS // 10], "downloads": downloads[:20]}
    assert "<image" not in target_chart(few, strings("en"))  # a small case's chart stays vectors


def test_the_listing_is_escaped_once_and_pseudonymised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.inventory as inventory

    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 1)
    for f, name in enumerate(["from-198.51.100.77-access.log", "a<b&c.log"]):
        write_log(tmp_path / "logs" / name, [clf(f"192.0.2.{f + 1}", t(8, 10, f), TARGET, size=4000)])
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as c:
        c.ingest([tmp_path / "logs"])
        c.report([TARGET], out, AnalysisOptions(size=4000),
                 ReportSettings(pin_time=PIN, pdf=False, pseudonymise=True))
    register = _section((out / "report.html").read_text(encoding="utf-8"), "register")
    listing = "".join(re.findall(r'<pre class="inventory">(.*?)</pre>', register, re.S))
    assert "a&lt;b&amp;c.log" in listing and "&amp;lt;" not in listing  # escaped once, by the template
    assert "198.51.100.77" not in register and re.search(r"from-ip-[0-9a-f]{12}-access\.log", listing)
