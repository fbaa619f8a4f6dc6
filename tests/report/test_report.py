"""The evidentiary report: sections and numbers against the JSON, escaping, CSV neutralisation, determinism,
manifest, evidence re-verification, Dutch, pseudonyms, and rendering in Chromium and pdftoppm."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from exposure import AnalysisOptions, Case
from exposure.escaping import csv_cell as neutralise
from exposure.plural import counted
from exposure.report import ReportSettings
from exposure.report.i18n import EN, NL

from .conftest import need, sample_options

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_logs"
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
OPTIONS = sample_options()
SECTIONS = ["cover", "summary", "chart", "timeline", "per_ip", "spread", "method", "quality", "art33", "register",
            "appendix"]


def _line(ip: str, when: str, path: str, status: int, size: str, ua: str, ref: str = "-") -> str:
    return f'{ip} - - [{when} +0200] "GET {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"\n'


@pytest.fixture(scope="module")
def sample(sample_reports: dict[str, Path]) -> tuple[Path, Path]:
    """The sample case and its full English report (PDF included), made once per session (conftest.py)."""
    return sample_reports["case"], sample_reports["en"]


def _tiny_logs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "access.log"
    lines = [
        _line("198.51.100.7", "08/Jun/2020:10:00:00", "/leak.xlsx", 200, "1000", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.8", "08/Jun/2020:11:00:00", "/leak.xlsx", 200, "1000", "<script>alert(1)</script>",
              "https://evil.example/<b>x</b>"),
        _line("198.51.100.9", "08/Jun/2020:12:00:00", "/leak.xlsx", 200, "1000", "=HYPERLINK(\\\"http://x\\\")"),
        _line("2001:db8::5", "08/Jun/2020:12:30:00", "/leak.xlsx", 200, "400", "curl/7.68.0"),
        _line("198.51.100.7", "08/Jun/2020:13:00:00", "/leak.xlsx", 404, "200", "Mozilla/5.0 Firefox/77.0"),
    ]
    log.write_text("".join(lines), encoding="utf-8")
    return log


def _tiny_report(tmp_path: Path, **settings: object) -> tuple[Path, Path]:
    logs = _tiny_logs(tmp_path / "logs")
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs.parent])
        case.report(["/leak.xlsx"], out, AnalysisOptions(), ReportSettings(pin_time=PIN, **settings))
    return logs, out


def _plain(html: str) -> str:
    """The HTML without the markup the display rule adds around values: <bdi> isolation and <wbr> breaks."""
    return html.replace("<wbr>", "").replace("<bdi>", "").replace("</bdi>", "")


def _figures(html: str, target: int) -> dict[str, int]:
    block = html.split(f'<div class="target-summary" data-target="{target}">', 1)[1]
    block = re.split(r'<div class="target-summary"|</section>', block, maxsplit=1)[0]
    return {k: int(v) for k, v in re.findall(r'data-figure="(\w+)">(\d+)<', block)}


def test_every_section_present_with_numbers_from_the_json(sample: tuple[Path, Path]) -> None:
    _case, out = sample
    html = _plain((out / "report.html").read_text(encoding="utf-8"))
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    positions = [html.index(f'data-section="{name}"') for name in SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    totals = answer["targets"][0]["totals"]
    assert totals["complete_downloads"] == 11 and totals["distinct_ips"] == 7
    cover = html.split('data-section="summary"', 1)[0]
    assert re.search(r'data-figure="complete_downloads">11<', cover)
    assert re.search(r'data-figure="distinct_ips">7<', cover)
    assert re.search(r'data-figure="internal_complete_downloads">3<', cover)
    windows = cover.split('id="t1-windows"', 1)[1].split("</table>", 1)[0]
    assert windows.count("data-window=") == 2
    figures = _figures(html, 1)
    for key in ("complete_downloads", "distinct_ips", "partial_downloads", "internal_complete_downloads",
                "head_requests", "not_modified", "errors", "requests"):
        assert figures[key] == totals[key], key
    # every window bound, UTC and local, on page 1, citing its file:line, which links to the verbatim line
    appendix = html.split('data-section="appendix"', 1)[1]
    bound_lines = 0
    for w in answer["targets"][0]["windows"]:
        for key in ("first_available", "last_available", "first_unavailable"):
            assert w[key] in cover and w[f"{key}_local"] in cover
            for i, e in enumerate(w["evidence"][key], start=1):
                anchor = f"t1-w{w['window']}-{key}-{i}"
                assert f'<a class="ref" href="#{anchor}">{e["file"]}:{e["line"]}</a>' in cover
                block = appendix.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
                assert f"{e['file']}</span>, line {e['line']}," in block and '<pre class="rawline">' in block
                bound_lines += 1
    # every summary figure links to the table that backs it, and that table holds the rows counted
    summary = html.split('data-section="summary"', 1)[1].split("</section>", 1)[0]
    links = dict(re.findall(r'data-figure="(\w+)">\d+</td><td><a href="#([\w-]+)"', summary))
    assert links == {"complete_downloads": "t1-downloads", "distinct_ips": "t1-per-ip",
                     "partial_downloads": "t1-downloads", "internal_complete_downloads": "t1-downloads",
                     "head_requests": "t1-requests", "not_modified": "t1-requests", "errors": "t1-requests",
                     "requests": "t1-requests"}
    assert all(f'id="{anchor}"' in html for anchor in links.values())
    table = html.split('id="t1-requests-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr id="t1-r\d+"( class="internal")?>(.*?)</tr>', table)
    external = [row for internal, row in rows if not internal]
    assert len(external) == totals["requests"] and len(rows) == totals["requests"] + totals["internal_requests"]
    statuses = [int(re.findall(r'<td class="num">(\d+)</td>', row)[1]) for row in external]
    assert sum("<td>HEAD</td>" in row for row in external) == totals["head_requests"]
    assert statuses.count(304) == totals["not_modified"]
    assert sum(status >= 400 for status in statuses) == totals["errors"]
    # one appendix entry per window bound and per counted download, each with its verbatim line and SHA-256
    downloads = answer["targets"][0]["downloads"]
    assert html.count('class="raw" id=') == len(downloads) + bound_lines
    assert html.count('<pre class="rawline">') == sum(len(d["evidence"]) for d in downloads) + bound_lines
    assert "1. D" not in appendix and "<h4>D1 · complete · " in appendix
    first = downloads[0]["evidence"][0]
    assert first["sha256"] in appendix
    assert "An IP address is not a person" in html
    assert "SAMPLE-2020-COA-01" in html and "254" in html and "1\u202f185" in html
    # the SQL is a file of the bundle, referenced from Method by name and place; no SQL on the pages
    method = html.split('data-section="method"', 1)[1].split("</section>", 1)[0]
    for name in ("target_macros", "windows", "downloads", "per_ip", "totals", "gaps"):
        assert f'id="query-{name}"' in method
    assert "queries.sql" in method and "<pre" not in method and "SELECT" not in html
    sql = (out / "queries.sql").read_text(encoding="utf-8")
    assert "-- name: windows  (queries/windows.sql:1)" in sql and "CREATE OR REPLACE TEMP MACRO target_windows" in sql
    assert 'id="evidence-status" data-complete="true"' in html and 'id="evidence-alert"' not in html
    # the removal note is said once, since the windows closed; the incident timeline has every takedown
    assert html.count(EN["removal_note_some"]) == 1
    incident = html.split('id="incident-timeline"', 1)[1].split("</table>", 1)[0]
    takedown = incident.split('data-key="takedown"', 1)[1].split("</tr>", 1)[0]
    for w in answer["targets"][0]["windows"]:
        assert f"window {w['window']}: between {w['last_available']} and {w['first_unavailable']}" in takedown
    # spread signals are sentences, not a Python list
    spread = html.split('data-section="spread"', 1)[1].split("</section>", 1)[0]
    assert "['" not in spread and '<ul class="spread-summary"><li>a web-archive crawler (Internet Archive' in spread


def test_csv_downloads_match_the_json(sample: tuple[Path, Path]) -> None:
    _case, out = sample
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    with open(out / "downloads.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(answer["targets"][0]["downloads"])
    complete = [r for r in rows if r["outcome"] == "complete" and r["internal"] == "false"]
    assert len(complete) == 11 and len({r["client_ip"] for r in complete}) == 7
    timeline = (out / "timeline.csv").read_bytes().decode("utf-8")
    assert timeline.count("\r\n") == 1 + len(rows) + 2 * 3  # header, downloads, 3 rows per window


def test_manifest_verifies_and_files_are_private(sample: tuple[Path, Path]) -> None:
    _case, out = sample
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum not installed")
    manifest = (out / "MANIFEST.sha256").read_text(encoding="utf-8")
    assert sorted(line.split("  ")[1] for line in manifest.splitlines()) == sorted(
        ["analysis.json", "download_lines.csv", "downloads.csv", "queries.sql", "referrers.csv", "report.html",
         "report.pdf", "requests.csv", "timeline.csv"])
    done = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=out, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())


def test_same_case_and_pin_time_give_identical_bytes(sample: tuple[Path, Path], tmp_path: Path) -> None:
    case_path, out = sample
    with Case(case_path) as case:
        case.report([TARGET], tmp_path / "again", OPTIONS,
                    ReportSettings(case_info=ROOT / "docs/sample-case.toml", pin_time=PIN, pdf=False))
    for name in ("report.html", "downloads.csv", "download_lines.csv", "timeline.csv", "requests.csv", "analysis.json",
                 "queries.sql"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_dutch_report(sample: tuple[Path, Path], tmp_path: Path) -> None:
    case_path, out = sample
    with Case(case_path) as case:
        case.report([TARGET], tmp_path / "nl", OPTIONS, ReportSettings(lang="nl", pin_time=PIN, pdf=False))
    html = (tmp_path / "nl" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    for key in ("summary", "ip_not_person", "art33", "register", "appendix", "to_be_supplied"):
        assert escape(NL[key]) in html, key
    assert EN["summary"] not in html and EN["ip_not_person"] not in html
    assert _figures(html, 1) == _figures((out / "report.html").read_text(encoding="utf-8"), 1)


def test_every_fixed_text_in_both_languages() -> None:
    assert EN.keys() == NL.keys()
    assert all(EN[k].strip() and NL[k].strip() for k in EN)


def test_log_content_is_escaped_and_csv_neutralised(tmp_path: Path) -> None:
    _logs, out = _tiny_report(tmp_path, pdf=False)
    html = _plain((out / "report.html").read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<script" not in html.lower()
    with open(out / "downloads.csv", encoding="utf-8", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    assert neutralise("+1") == "'+1" and neutralise("-x") == "'-x" and neutralise("@a") == "'@a"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx" and neutralise("a=b") == "a=b"
    # no case info: the Art. 33(3) facts are to be supplied, not invented
    art33 = html.split('data-section="art33"', 1)[1].split("</section>", 1)[0]
    assert art33.count(EN["to_be_supplied"]) >= 7


def test_tampered_evidence_is_flagged_on_the_first_page(tmp_path: Path) -> None:
    logs = _tiny_logs(tmp_path / "logs")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs.parent])
        with open(logs, "a", encoding="utf-8") as fh:
            fh.write("tampered\n")
        result = case.report(["/leak.xlsx"], tmp_path / "out", AnalysisOptions(),
                             ReportSettings(pin_time=PIN, pdf=False))
    assert [v.status for v in result.evidence_problems] == ["changed"]
    html = _plain((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    cover = html.split('data-section="summary"', 1)[0]
    assert 'id="evidence-alert"' in cover and "CHANGED" in cover and str(logs.name) in cover
    # the evidence status comes first, says the evidence is incomplete and names the kind
    assert cover.index('id="evidence-status"') < cover.index('id="evidence-alert"')
    # ... and never that the answer is made from what could be read: it rests on what was read at ingest
    assert 'data-complete="false"' in cover and "INCOMPLETE: " + EN["status_incomplete_changed"] + "." in cover
    assert "made from what could be read" not in cover
    assert 'data-kind="changed since ingest"><a href="#register">changed since ingest</a>: <span data-count="1">' in cover
    appendix = html.split('data-section="appendix"', 1)[1]
    assert '<pre class="rawline">' not in appendix and EN["not_read_back"] in appendix


@pytest.mark.slow
def test_pseudonymised_report_has_no_raw_address_anywhere(tmp_path: Path) -> None:
    import pypdf

    key = tmp_path / "key"
    key.write_bytes(b"0123456789abcdef0123456789abcdef")
    _logs, out = _tiny_report(tmp_path, pseudonymise=True, pseudonym_key=key)
    addresses = ["198.51.100.7", "198.51.100.8", "198.51.100.9", "2001:db8::5"]
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".pdf"}
    texts["report.pdf"] = "\n".join(page.extract_text() for page in pypdf.PdfReader(out / "report.pdf").pages)
    # every file written is scanned: the manifest's files, the manifest itself, the PDF's text; the charts
    # (SVG) are inlined in report.html, so their labels are scanned with it
    listed = [line.split("  ", 1)[1] for line in texts["MANIFEST.sha256"].splitlines()]
    assert sorted(texts) == sorted([*listed, "MANIFEST.sha256"]) and "report.pdf" in listed
    assert "<svg" in texts["report.html"]
    for name, text in texts.items():
        for address in addresses:
            assert address not in text, (name, address)
    assert re.search(r"ip-[0-9a-f]{12}", texts["report.html"])
    assert "ip-" in texts["downloads.csv"] and "ip-" in texts["analysis.json"]
    assert key.read_text() not in "".join(texts.values())
    # the same key gives the same pseudonyms
    again = tmp_path / "again"
    again.mkdir()
    _logs, out2 = _tiny_report(again, pseudonymise=True, pseudonym_key=key, pdf=False)
    def clients(folder: Path) -> list[str]:
        with open(folder / "downloads.csv", encoding="utf-8", newline="") as fh:
            return [row["client_ip"] for row in csv.DictReader(fh)]
    assert clients(out2) == clients(out) and len(set(clients(out))) == 4


def test_pdf_pages_render_and_are_not_blank(sample: tuple[Path, Path], tmp_path: Path) -> None:
    pdftoppm, pdfinfo = need("pdftoppm"), need("pdfinfo")
    from PIL import Image, ImageStat

    _case, out = sample
    info = subprocess.run([pdfinfo, str(out / "report.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 10
    subprocess.run([pdftoppm, "-r", "20", "-png", str(out / "report.pdf"), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages
    for image in images:
        with Image.open(image) as im:
            assert ImageStat.Stat(im.convert("L")).extrema[0][0] < 200, f"{image.name} is blank"


def test_html_loads_in_chromium_with_visible_chart(sample: tuple[Path, Path], tmp_path: Path) -> None:
    chromium = need("chromium")
    from PIL import Image

    _case, out = sample
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
            "--window-size=1200,2400"]
    url = (out / "report.html").as_uri()
    dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="t1-chart"' in dom.stdout and "<svg" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = tmp_path / "shot.png"
    # headless --screenshot does not scroll to a fragment: the window is tall enough to hold page 1 and the chart
    tall = [a if not a.startswith("--window-size") else "--window-size=1200,6000" for a in base]
    subprocess.run([*tall, f"--screenshot={shot}", url + "#chart"], capture_output=True, timeout=120, check=True)
    with Image.open(shot) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    # the chart's window shading (#f6d7a7) is on screen
    assert any(abs(r - 0xF6) < 6 and abs(g - 0xD7) < 6 and abs(b - 0xA7) < 6 for _n, (r, g, b) in colours)


def test_two_targets_with_overview_chart(tmp_path: Path) -> None:
    """A publication of several files: every target gets its sections and chart, plus one overview chart."""
    folder = tmp_path / "logs"
    folder.mkdir()
    lines = [
        _line("198.51.100.7", "08/Jun/2020:10:00:00", "/pub/a.xlsx", 200, "1000", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.8", "08/Jun/2020:11:00:00", "/pub/a.xlsx", 200, "1000", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.9", "09/Jun/2020:09:00:00", "/pub/b.pdf", 200, "5000", "curl/7.68.0"),
        _line("198.51.100.7", "09/Jun/2020:12:00:00", "/pub/a.xlsx", 404, "200", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.9", "10/Jun/2020:09:00:00", "/pub/b.pdf", 404, "200", "curl/7.68.0"),
    ]
    (folder / "access.log").write_text("".join(lines), encoding="utf-8")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        targets = case.expand_targets(unders=["/pub/"])
        assert targets == ["/pub/a.xlsx", "/pub/b.pdf"]
        result = case.report(targets, tmp_path / "out", AnalysisOptions(), ReportSettings(pin_time=PIN, pdf=False))
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    answer = result.answer
    assert [t["path"] for t in answer["targets"]] == targets
    overview = html.split('id="overview-chart"', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in overview and "a.xlsx" in overview and "b.pdf" in overview
    for i, t in enumerate(answer["targets"], start=1):
        assert f'id="t{i}-chart"' in html and f'id="t{i}-per-ip"' in html and f'id="t{i}-timeline"' in html
        figures = _figures(html, i)
        assert figures["complete_downloads"] == t["totals"]["complete_downloads"]
        assert figures["distinct_ips"] == t["totals"]["distinct_ips"]
    assert (_figures(html, 1)["complete_downloads"], _figures(html, 2)["complete_downloads"]) == (2, 1)
    assert html.index('id="overview-chart"') < html.index('id="t1-chart"')
    with open(tmp_path / "out" / "downloads.csv", encoding="utf-8", newline="") as fh:
        assert sorted({row["target"] for row in csv.DictReader(fh)}) == targets


def test_inspection_and_activity_flow_into_the_report(tmp_path: Path) -> None:
    """Issue 9: an inspected file's findings, categories and size check; issue 8: the activity log."""
    doc = tmp_path / "docs" / "leak.csv"
    doc.parent.mkdir()
    doc.write_text("naam,email\nJan Jansen,jan@example.nl\nPiet de Vries,piet@example.org\n", encoding="utf-8")
    size = doc.stat().st_size
    folder = tmp_path / "logs"
    folder.mkdir()
    lines = [
        _line("198.51.100.7", "08/Jun/2020:10:00:00", "/pub/leak.csv", 200, str(size), "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.8", "08/Jun/2020:11:00:00", "/pub/leak.csv", 200, str(size), "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.9", "09/Jun/2020:09:00:00", "/pub/other.csv", 200, "999", "curl/7.68.0"),
    ]
    (folder / "access.log").write_text("".join(lines), encoding="utf-8")
    info = tmp_path / "case.toml"
    info.write_text('[[link]]\ndocument = "leak.csv"\ntarget = "/pub/other.csv"\n', encoding="utf-8")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        insp = case.inspect(doc)
        settings = ReportSettings(pin_time=PIN, pdf=False, case_info=info)
        case.report(["/pub/leak.csv", "/pub/other.csv"], tmp_path / "out", AnalysisOptions(), settings)
        case.report(["/pub/leak.csv", "/pub/other.csv"], tmp_path / "again", AnalysisOptions(), settings)
        logged = [r[0] for r in case.con.execute("SELECT command FROM activity ORDER BY seq").fetchall()]
    html = _plain((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    art33 = html.split('data-section="art33"', 1)[1].split("</section>", 1)[0]
    assert f"from inspection of {doc} sha256 {insp.sha256}" in art33
    assert EN["automated_estimate"] in art33
    for c in insp.categories:
        assert f"<td>{c.category.replace('_', ' ')}</td>" in art33
    # matched by name (same size) and linked in the case info (another size)
    assert art33.count('data-verdict="match"') == 1 and art33.count('data-verdict="mismatch"') == 1
    assert EN["linked_by_case_info"] in art33
    # the activity log: ingest and inspect are shown, report generation is not (so reports stay identical)
    assert logged == ["ingest", "inspect", "report", "report"]
    register = html.split('data-section="register"', 1)[1].split("</section>", 1)[0]
    log = register.split('id="activity-log"', 1)[1].split("</table>", 1)[0]
    assert "<td><code>ingest</code></td>" in log and "<td><code>inspect</code></td>" in log
    assert "<code>report</code>" not in log
    assert (tmp_path / "again" / "report.html").read_bytes() == (tmp_path / "out" / "report.html").read_bytes()


def test_geo_notes_said_once_with_markers(sample: tuple[Path, Path]) -> None:
    _case, out = sample
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html.split('data-section="per_ip"', 1)[1].split("</section>", 1)[0]
    notes = section.split('id="t1-geo-notes"', 1)[1].split("</ol>", 1)[0]
    assert notes.count("GeoLite2-City was built") == 1
    assert section.count("GeoLite2-City was built") == 1
    table = section.split('id="t1-per-ip"', 1)[1].split("</table>", 1)[0]
    assert table.count('<sup class="fn">1</sup>') >= 10


def test_report_command_takes_globs_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import exposure.report.pdf
    from exposure.cli import app

    monkeypatch.setattr(exposure.report.pdf, "write_pdf", lambda html, path, *_: path.write_bytes(b"%PDF-stub\n"))
    logs = _tiny_logs(tmp_path / "logs")
    case = tmp_path / "case.duckdb"
    with Case(case) as c:
        c.ingest([logs.parent])
    runner = CliRunner()
    done = runner.invoke(app, ["report", "--case", str(case), "--out", str(tmp_path / "out"), "--target-glob",
                               "/leak.*", "--pin-time", "2020-08-01T12:00:00Z", "-q"], terminal_width=200)
    assert done.exit_code == 0, done.output
    assert "/leak.xlsx" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    done = runner.invoke(app, ["report", "--case", str(case), "--out", str(tmp_path / "out2"), "--under",
                               "/nothing/"], terminal_width=200)
    assert done.exit_code == 2 and "matches no path" in done.output


def test_every_value_the_analysis_writes_has_its_dutch_wording() -> None:
    """Enumerations and fixed English texts of the analysis, the formats and the inspection: each has a Dutch
    wording, so the Dutch report never falls back to the English as written."""
    from exposure.analysis.evidence_status import KINDS
    from exposure.clients import CLIENT_CLASSES
    from exposure.formats import clf
    from exposure.formats.registry import all_formats
    from exposure.inspect import docx, pdf, personal, xlsx
    from exposure.report import wording

    nl = NL
    assert all(f"class_{c}" in nl for c in CLIENT_CLASSES)
    assert all(f"finding_{k}" in nl and f"finding_text_{k}" in nl for k, _severity in KINDS)
    for prefix, values in {"result": ("complete", "partial", "undetermined"), "kind": ("single", "range"),
                           "size_rule": ("given", "object_size", "most_common", "band"),
                           "net": ("public", "private", "shared", "loopback", "link-local", "reserved", "hostname",
                                   "not canonical"),
                           "verdict": ("ingested", "duplicate", "not a log", "inspected", "unreadable"),
                           "bytes": ("body", "headers+body"), "db_kind": ("city", "asn"),
                           "db_source": ("option", "environment", "default")}.items():
        assert [v for v in values if f"{prefix}_{v}" not in nl] == [], prefix
    for fmt in all_formats():
        assert fmt.time_meaning in wording.FORMAT_NL, fmt.name
        assert [lack for lack in fmt.lacks if lack not in wording.FORMAT_NL] == [], fmt.name
    assert clf.LACKS_BODY in wording.FORMAT_NL and clf.LACKS_WIRE in wording.FORMAT_NL  # swapped by facts
    for techniques in (xlsx.TECHNIQUES, docx.TECHNIQUES, pdf.TECHNIQUES):
        assert [k for k in techniques if k not in wording.INSPECT_NL or k not in wording.FINDING_KIND_NL] == []
    assert personal.RULES.keys() == wording.RULES_NL.keys() and set(personal.RULES) <= set(wording.CATEGORY_NL)


def test_sentences_of_the_analysis_in_dutch() -> None:
    """What the analysis writes in English is worded in Dutch with its values kept; unknown text stays."""
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    nl, en = strings("nl"), strings("en")
    cases = {
        "reserved address: not looked up": "gereserveerd adres: niet opgezocht",
        "not in GeoLite2-ASN (built 2020-06-22)": "niet in GeoLite2-ASN (gebouwd 2020-06-22)",
        "invalid timestamp: 31/Jun/2020:09:59:11 +0200": "ongeldig tijdstip: 31/Jun/2020:09:59:11 +0200",
        "does not match the combined format": "past niet bij het formaat combined",
        "logs/a.log: 9 of 10 lines rejected: probably not the iis format":
            "logs/a.log: 9 van 10 regels afgewezen: waarschijnlijk niet het formaat iis",
        "declared by the iis format: sc-bytes": "vastgelegd door het formaat iis: sc-bytes",
        "inferred from 3 of 4 paths' complete transfers spread by 310-420 bytes, 1 byte-identical; 12 responses "
        "without a body (HEAD, 304) logged with 180-230 bytes (their headers)":
            "afgeleid uit volledige overdrachten van 3 van 4 paden gespreid over 310-420 bytes, 1 byte-gelijk; 12 "
            "responsen zonder inhoud (HEAD, 304) gelogd met 180-230 bytes (hun headers)",
        "scan stopped after 5000000 cells (limit): counts are lower bounds":
            "doorzoeken gestopt na 5000000 cellen (grens): aantallen zijn ondergrenzen",
    }
    for english, dutch in cases.items():
        assert sentence(english, nl) == dutch
        assert sentence(english, en) == english
    assert sentence("something new", nl) == "something new"


def test_crawler_verification_in_dutch_with_its_source_as_data() -> None:
    from exposure.report.i18n import strings
    from exposure.report.wording import verification

    nl, en = strings("nl"), strings("en")
    verified = "verified: address in the published ranges of Googlebot (https://g.example/x.json, recorded 2026-11-23)"
    assert verification(verified, nl) == ("geverifieerd: adres in de gepubliceerde reeksen van Googlebot",
                                          "https://g.example/x.json, vastgelegd 2026-11-23")
    assert verification(verified, en) == ("verified: address in the published ranges of Googlebot",
                                          "https://g.example/x.json, recorded 2026-11-23")
    archive = ("verified: address in the published ranges of Internet Archive (AS7941 (INTERNET-ARCHIVE), its "
               "announced IPv4 networks, recorded 2026-12-04)")
    assert verification(archive, nl) == ("geverifieerd: adres in de gepubliceerde reeksen van Internet Archive",
                                         "AS7941 (INTERNET-ARCHIVE), vastgelegd 2026-12-04")
    unknown = "claimed, not verifiable from logs: no published ranges known for Nimbostratus-Bot"
    assert verification(unknown, nl) == (
        "beweerd, niet te verifiëren uit de logs: geen gepubliceerde reeksen bekend voor Nimbostratus-Bot", None)
    assert verification(unknown, en) == (unknown, None)
    noted = ("claimed, not verifiable from logs: Meta (link previews): Meta publishes no address list for its "
             "crawlers (https://developers.facebook.com/docs/sharing/webmasters/web-crawlers)")
    said, source = verification(noted, nl)
    assert said.startswith("beweerd, niet te verifiëren uit de logs: Meta (link previews) publiceert geen")
    assert source == "https://developers.facebook.com/docs/sharing/webmasters/web-crawlers"
    assert verification(noted, en) == ("claimed, not verifiable from logs: Meta (link previews)",
                                       "Meta publishes no address list for its crawlers "
                                       "(https://developers.facebook.com/docs/sharing/webmasters/web-crawlers)")


def test_removal_note_and_takedowns_only_where_a_window_closed(tmp_path: Path) -> None:
    """Still online at the end of the logs: no removal note, the takedown row says so; never requested: no
    window, no note, no takedown from the logs."""
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "access.log").write_text("".join([
        _line("198.51.100.7", "08/Jun/2020:10:00:00", "/pub/online.pdf", 200, "1000", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.8", "08/Jun/2020:11:00:00", "/pub/online.pdf", 200, "1000", "curl/7.68.0"),
    ]), encoding="utf-8")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        for target, name in (("/pub/online.pdf", "online"), ("/pub/never.pdf", "never")):
            case.report([target], tmp_path / name, AnalysisOptions(), ReportSettings(pin_time=PIN, pdf=False))
    online = _plain((tmp_path / "online" / "report.html").read_text(encoding="utf-8"))
    never = _plain((tmp_path / "never" / "report.html").read_text(encoding="utf-8"))
    for html in (online, never):
        assert EN["removal_note_some"] not in html
    assert EN["still_available"] in online.split('data-section="summary"', 1)[0]
    takedown = online.split('data-key="takedown"', 1)[1].split("</tr>", 1)[0]
    assert "window 1: still available when the logs end (2020-06-08T09:00:00Z)" in takedown
    assert EN["no_windows"] in never.split('data-section="summary"', 1)[0]
    takedown = never.split('data-key="takedown"', 1)[1].split("</tr>", 1)[0]
    assert "<td>–</td>" in takedown and "window" not in takedown


def test_analyse_json_and_the_reports_answer_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`analyse --report DIR --json DIR/analysis.json` (as make demo does): one answer, the manifest holds."""
    import hashlib

    from typer.testing import CliRunner

    import exposure.report.pdf
    from exposure.cli import app

    monkeypatch.setattr(exposure.report.pdf, "write_pdf", lambda html, path, *_: path.write_bytes(b"%PDF-stub\n"))
    logs = _tiny_logs(tmp_path / "logs")
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["analyse", str(logs.parent), "--case", str(tmp_path / "case.duckdb"),
                                    "--target", "/leak.xlsx", "--report", str(out), "--json",
                                    str(out / "analysis.json"), "--pin-time", "2020-08-01T12:00:00Z", "-q"],
                              terminal_width=200)
    assert done.exit_code == 0, done.output
    for line in (out / "MANIFEST.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    status = json.loads((out / "analysis.json").read_text(encoding="utf-8"))["evidence_status"]
    assert status["files"] == {"total": 1, "verified": 1, "changed": 0, "missing": 0}


def test_a_truncated_file_is_named_on_page_one(tmp_path: Path) -> None:
    import gzip

    logs = _tiny_logs(tmp_path / "logs")
    day = "".join(_line("198.51.100.20", f"07/Jun/2020:{h:02d}:00:00", "/other", 200, "10", "curl/7.68.0")
                  for h in range(24)).encode() * 40
    whole = gzip.compress(day, mtime=0)
    (logs.parent / "access.log.1.gz").write_bytes(whole[: len(whole) // 2])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs.parent])
        case.report(["/leak.xlsx"], tmp_path / "out", AnalysisOptions(), ReportSettings(pin_time=PIN, pdf=False))
    html = _plain((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    cover = html.split('data-section="summary"', 1)[0]
    assert 'data-complete="false"' in cover
    assert "INCOMPLETE: " + counted(EN["status_incomplete_truncated"], n=1) + ";" in cover
    assert ('data-kind="truncated"><a href="#finding-truncated">truncated</a>: <span data-count="1">1</span>'
            in cover)
    row = html.split('<tr id="finding-truncated"', 1)[1].split("</tr>", 1)[0]
    assert str(logs.parent / "access.log.1.gz") in row and EN["severity_incomplete"] in row


def test_the_table_of_every_request_is_bounded_and_requests_csv_is_whole(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model

    monkeypatch.setattr(exposure.report.model, "PAGE_ROWS", 2)
    _logs, out = _tiny_report(tmp_path, pdf=False)
    html = _plain((out / "report.html").read_text(encoding="utf-8"))
    table = html.split('id="t1-requests-table"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r'<tr id="t1-r\d+"', table)) == 2
    assert EN["req_capped"].format(shown=2, total=5, file="requests.csv") in html
    with open(out / "requests.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["row_no"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[4]["status"] == "404" and "error" in rows[4]["counted_in"]


def test_without_pango_the_pdf_is_left_out_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first run on a machine without Pango: WeasyPrint's import raises OSError ("cannot load library
    'libgobject-2.0-0'"). The report is written without its PDF (manifest, CSVs, JSON, HTML), a stale PDF of an
    earlier run is removed, and the terminal says which file is missing, why and what to install (exit 0: the
    evidence was read in full); before, the whole report failed with exit 2 and nothing written."""
    from typer.testing import CliRunner

    from exposure.cli import app

    fake = tmp_path / "fake-site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise OSError("cannot load library \'libgobject-2.0-0\': '
                                      'libgobject-2.0-0: cannot open shared object file")\n')
    monkeypatch.delitem(__import__("sys").modules, "weasyprint", raising=False)
    monkeypatch.syspath_prepend(str(fake.parent))
    logs = _tiny_logs(tmp_path / "logs")
    case, out = tmp_path / "case.duckdb", tmp_path / "out"
    with Case(case) as c:
        c.ingest([logs.parent])
    out.mkdir()
    (out / "report.pdf").write_bytes(b"%PDF- an earlier run's\n")
    done = CliRunner().invoke(app, ["report", "--case", str(case), "--out", str(out), "--target", "/leak.xlsx",
                                    "-q"], terminal_width=200)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.iterdir()) == ["MANIFEST.sha256", "analysis.json", "download_lines.csv",
                                                      "downloads.csv", "queries.sql", "referrers.csv", "report.html",
                                                      "requests.csv", "timeline.csv"]
    assert "report.pdf" not in (out / "MANIFEST.sha256").read_text()
    [line] = [x for x in done.output.splitlines() if "report.pdf" in x]
    assert line.startswith("WARNING: report.pdf not written: WeasyPrint cannot draw it on this machine "
                           "(cannot load library 'libgobject-2.0-0'")
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in line and "report.html holds the same" in line
