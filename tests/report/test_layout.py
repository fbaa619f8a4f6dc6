"""Checks that look at the rendered report: text boxes in the PDF (pdftotext -bbox-layout) and in headless
Chromium must not overlap or leave the page, page 1 must carry the answer, and the Dutch report must hold no
English. Each language is rendered once per session (tests/report/conftest.py)."""

from __future__ import annotations

import html as htmllib
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from exposure.report.i18n import EN, NL

from .conftest import need

MM = 72 / 25.4
SIDE_MARGIN = 16 * MM  # report.css: @page margin 22mm 16mm 20mm 16mm
EDGE = 5 * MM  # nothing printed this close to the paper's edge (running header and page number included)
TOLERANCE = 0.6  # points: glyph boxes of neighbouring words may touch, not overlap
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pdf_words(pdf: Path, first: int | None = None, last: int | None = None) -> list[dict]:
    """Pages of the PDF as {"width", "height", "words": [(x0, y0, x1, y1, text), ...]} (pdftotext -bbox-layout)."""
    args = [need("pdftotext"), "-bbox-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    done = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return [{"width": float(w), "height": float(h),
             "words": [(float(a), float(b), float(c), float(d), htmllib.unescape(t)) for a, b, c, d, t in
                       _WORD.findall(body)]}
            for w, h, body in _PAGE.findall(done.stdout)]


def pdf_text(pdf: Path, page: int) -> str:
    """One page's text in the order it was written (WeasyPrint writes in document order, cell by cell)."""
    done = subprocess.run([need("pdftotext"), "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def overlapping(words: list[tuple[float, float, float, float, str]], tol: float = TOLERANCE) -> list[tuple[str, str]]:
    """Pairs of word boxes that overlap by more than `tol` in both directions (a sweep over x)."""
    found = []
    boxes = sorted(words)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[0] >= a[2] - tol:
                break
            if min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol:
                found.append((a[4], b[4]))
    return found


def test_overlap_finder_finds_what_ran_into_the_next_column() -> None:
    # the words pdftotext gave for the old report's "…+02:00available" (local time into the event column)
    words = [(48.5, 207.5, 147.97, 216.3, "2020-06-08T14:12:18+02:00"), (144.37, 207.5, 175.06, 216.3, "available"),
             (177.2, 207.5, 193.2, 216.3, "(first")]
    assert overlapping(words) == [("2020-06-08T14:12:18+02:00", "available")]
    assert overlapping(words[1:]) == []


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_text_overlaps_or_leaves_the_page_in_the_pdf(sample_reports: dict[str, Path], lang: str) -> None:
    pages = pdf_words(sample_reports[lang] / "report.pdf")
    assert len(pages) >= 10
    problems = []
    for no, page in enumerate(pages, start=1):
        for a, b in overlapping(page["words"]):
            problems.append(f"page {no}: {a!r} overlaps {b!r}")
        for x0, y0, x1, y1, text in page["words"]:
            if x0 < SIDE_MARGIN - 1 or x1 > page["width"] - SIDE_MARGIN + 1:
                problems.append(f"page {no}: {text!r} in the side margin ({x0:.0f}-{x1:.0f} pt)")
            if y0 < EDGE or y1 > page["height"] - EDGE:
                problems.append(f"page {no}: {text!r} at the paper's edge ({y0:.0f}-{y1:.0f} pt)")
    assert problems == []
    # the running header (case and report version) is on every page but the first, inside the page
    header = f"{(EN if lang == 'en' else NL)['report_version']}"
    for page in pages[1:]:
        top = " ".join(w[4] for w in page["words"] if w[1] < 22 * MM)
        assert header.split()[0] in top


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_is_the_answer(sample_reports: dict[str, Path], lang: str) -> None:
    out = sample_reports[lang]
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    s = EN if lang == "en" else NL
    page1 = pdf_text(out / "report.pdf", 1)
    flat = re.sub(r"\s+", "", page1)  # a value may wrap between lines
    target = answer["targets"][0]
    for w in target["windows"]:
        for key in ("first_available", "last_available", "first_unavailable"):
            assert w[key] in flat and w[f"{key}_local"] in flat, (key, w[key])
            ref = w["evidence"][key][0]
            assert f"{ref['file']}:{ref['line']}" in flat, ref
    figures = re.findall(r"(\d+) " + re.escape(s["complete_downloads"]), page1)
    assert figures == ["11"]
    assert re.search(r"\b7 " + re.escape(s["distinct_ips"]), page1)
    assert re.search(r"\b3 " + re.escape(s["internal_apart"].split()[0]), page1)  # own addresses, apart
    assert "71" in page1 and "577" in flat and s["size"] in page1
    status = answer["evidence_status"]
    assert status["files"] == {"total": 45, "verified": 45, "changed": 0, "missing": 0}
    assert s["status_title"] in page1 and s["status_complete"].split(":")[0] in page1
    for kind in ("damaged", "unreadable", "gap in window", "possible copy"):
        assert s[f"finding_{kind}"] in page1, kind
    gaps = next((f["count"] for f in status["findings"] if f["kind"] == "gap in window"), 0)
    assert f"{s['finding_gap in window']}: {gaps}" in page1
    assert f"{s['finding_possible copy']}: 0" in page1  # looked for: the sample has none


# -- Chromium: the HTML as a reader's browser lays it out -------------------------------------------------------
_PROBE = """<script>
addEventListener('load', () => {
  const boxes = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('script, style')) continue;
    for (const m of n.nodeValue.matchAll(/\\S+/g)) {
      const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
      for (const b of r.getClientRects())
        if (b.width > 0 && b.height > 0) boxes.push([b.left + scrollX, b.top + scrollY, b.right + scrollX, b.bottom + scrollY, m[0]]);
    }
  }
  boxes.sort((a, b) => a[0] - b[0]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j][0] < boxes[i][2] - 1; j++) {
      const a = boxes[i], b = boxes[j];
      if (Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 1 && Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 1)
        overlaps.push([a[4], b[4]]);
    }
  const cells = [...document.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1);
  const out = {words: boxes.length, overlaps: overlaps.slice(0, 20), scrollWidth: document.documentElement.scrollWidth,
               width: innerWidth, overflowing: cells.map(c => c.textContent.trim().slice(0, 80)).slice(0, 20),
               cover: document.getElementById('cover').innerText};
  const pre = document.createElement('pre'); pre.id = 'layout-probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium_layout(report: Path, tmp: Path, width: int) -> dict:
    """Lay the report out in headless Chromium at `width` CSS pixels and measure every word (a copy of the
    report with a probe script; the report itself carries no script)."""
    chromium = need("chromium")
    probe = tmp / f"probe-{report.parent.name}-{width}.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--no-first-run", f"--user-data-dir={tmp / 'profile'}", f"--window-size={width},1000",
                           "--virtual-time-budget=20000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', done.stdout, re.S)
    assert found, "the probe did not run"
    return json.loads(htmllib.unescape(found.group(1)))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_text_overlaps_or_overflows_in_chromium(sample_reports: dict[str, Path], tmp_path: Path,
                                                   lang: str) -> None:
    for width in (1280, 900):
        seen = chromium_layout(sample_reports[lang] / "report.html", tmp_path, width)
        assert seen["words"] > 5000
        assert seen["overlaps"] == [], (width, seen["overlaps"])
        assert seen["overflowing"] == [], (width, seen["overflowing"])
        assert seen["scrollWidth"] <= seen["width"], width
    s = EN if lang == "en" else NL
    cover = seen["cover"]
    assert s["answer"] in cover and s["status_title"] in cover and "11" in cover


# -- the Dutch report: every word of the tool's own is Dutch ------------------------------------------------------
# English words that are not also Dutch words ("of", "was", "is", "in", "had", "download" are Dutch too), and
# phrases. A word is letters between non-word characters: `$request_completion`, `X-Forwarded-For` and other
# field names are identifiers, not English.
ENGLISH = {
    "the", "and", "with", "from", "file", "files", "not", "were", "which", "this", "that", "these", "those", "when",
    "where", "while", "at", "by", "for", "to", "be", "been", "has", "have", "are", "or", "it", "its", "into",
    "than", "then", "only", "each", "every", "all", "any", "some", "between", "after", "before", "during", "until",
    "because", "available", "unavailable", "removed", "request", "requests", "requested", "address", "addresses",
    "window", "windows", "complete", "partial", "copy", "copies", "obtained", "verified", "claimed", "built", "line",
    "lines", "rejected", "skipped", "gap", "gaps", "inside", "outside", "evidence", "found", "shown", "given",
    "known", "unknown", "first", "last", "own", "external", "none", "yes", "total", "count", "characters", "could",
    "would", "should", "may", "might", "must", "will", "there", "their", "they", "what", "who", "how", "also",
    "more", "most", "less", "same", "other", "another", "such", "single", "range", "response", "responses",
    "referrer", "referred", "carried", "looked", "up", "public", "private", "reserved", "shared", "matches",
    "changed", "missing", "damaged", "unreadable", "duplicate", "duplicates", "overlapping", "possible", "names",
    "checked", "whether", "transfer", "completed", "offsets", "received", "finished", "logged", "says", "written",
    "rows", "hidden", "columns", "font", "colour", "background", "properties", "people", "created", "saved",
    "value", "values", "column", "headed", "digits", "date", "today", "cell", "sheet", "document", "comments",
}
PHRASES = ("of the", "in the", "is not", "was built", "per window")


class _Text(HTMLParser):
    """The report's text as a reader sees it, without what came from the logs or the case: <bdi> (every value
    from outside, by the `v` filter), <code> (identifiers, hashes, the command line), <style>."""

    SKIP = {"bdi", "code", "style", "script"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.kept: list[str] = []
        self.skipped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.depth += 1
        elif tag in ("br", "wbr", "td", "th", "li", "p"):
            (self.skipped if self.depth else self.kept).append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        (self.skipped if self.depth else self.kept).append(data)


_WORDS = re.compile(r"(?<![\w$%{/-])[A-Za-z]+(?![\w}-])")  # not a path's part (queries/windows.sql)


def _english(text: str, skip: set[str] = frozenset()) -> list[str]:
    """English words and phrases in `text`, words in `skip` (those of values from the logs) aside."""
    words = [w.lower() for w in _WORDS.findall(text)]
    found = sorted({w for w in words if w in ENGLISH and w not in skip})
    return found + [p for p in PHRASES if p in text.lower()]


def _parts(html: str) -> tuple[str, set[str]]:
    parser = _Text()
    parser.feed(html)
    data = {w.lower() for w in re.findall(r"[A-Za-z]+", " ".join(parser.skipped))}
    return " ".join(parser.kept), data


def test_english_finder_finds_english() -> None:
    text, data = _parts('<p>Het bestand <bdi>the file of the user</bdi> was beschikbaar.</p>'
                        '<p>the city database was built before the requests</p>')
    assert _english(text) == ["before", "built", "requests", "the", "was built"]
    assert "user" in data and _english("één of meer downloads, het was zo") == []


def test_dutch_report_has_no_english(sample_reports: dict[str, Path]) -> None:
    out = sample_reports["nl"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    text, data = _parts(html)
    assert _english(text) == []
    # the PDF: the same words, less those of values from the logs (which wrap anywhere on the page)
    pdf = " ".join(w[4] for page in pdf_words(out / "report.pdf") for w in page["words"])
    assert _english(pdf, skip=data) == []
    # and the English report is English (the finder works on real pages)
    english, _data = _parts((sample_reports["en"] / "report.html").read_text(encoding="utf-8"))
    assert {"the", "available", "window", "of the"} <= set(_english(english))


def test_a_missing_renderer_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    def outcome(tool: str) -> BaseException:
        try:
            need(tool)
        except BaseException as exc:  # noqa: BLE001 (pytest's skip and fail are BaseExceptions)
            return exc
        raise AssertionError("need() returned without the tool")

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("CI", "true")
    failed = outcome("chromium")
    assert isinstance(failed, pytest.fail.Exception) and "chromium not installed" in str(failed)
    monkeypatch.delenv("CI")
    skipped = outcome("pdftotext")
    assert isinstance(skipped, pytest.skip.Exception) and "poppler-utils" in str(skipped)
