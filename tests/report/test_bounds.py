"""Hostile values in the report: a 64 KiB user agent, a 1 MB referrer or query string is shown cut with its length (the
CSV and JSON keep it whole) and costs no pages; control and bidirectional characters are visible escapes,
isolated in HTML; CSV cells holding them keep the raw value but are marked like formulas."""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.html import FIELD_LIMIT, RAW_LIMIT

from .conftest import PIN, need

MB = 1 << 20
# a user agent 320 times FIELD_LIMIT: classifying one of 1 MB cost 8 s of ingest (exposure.clients, linear in its
# length), the report cuts both alike
UA_LONG = 64 << 10


def _line(ip: str, when: str, path: str, status: int, size: str, ua: str, ref: str = "-") -> str:
    return f'{ip} - - [{when} +0200] "GET {path} HTTP/1.1" {status} {size} "{ref}" "{ua}"\n'


def _report(tmp: Path, ua: str, ref: str, query: str, pdf: bool = True) -> Path:
    """A small case: two complete downloads, one of them carrying the given user agent, referrer and query."""
    logs = tmp / "logs"
    logs.mkdir(parents=True)
    (logs / "access.log").write_text("".join([
        _line("198.51.100.7", "08/Jun/2020:10:00:00", "/leak.xlsx", 200, "1000", "Mozilla/5.0 Firefox/77.0"),
        _line("198.51.100.8", "08/Jun/2020:11:00:00", f"/leak.xlsx{query}", 200, "1000", ua, ref),
        _line("198.51.100.7", "08/Jun/2020:13:00:00", "/leak.xlsx", 404, "200", "Mozilla/5.0 Firefox/77.0"),
    ]), encoding="utf-8")
    with Case(tmp / "case.duckdb") as case:
        case.ingest([logs])
        case.report(["/leak.xlsx"], tmp / "out", AnalysisOptions(), ReportSettings(pin_time=PIN, pdf=pdf))
    return tmp / "out"


def _pages(pdf: Path) -> int:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_megabyte_fields_are_cut_for_display_and_cost_no_pages(tmp_path: Path) -> None:
    need("pdfinfo")
    ua, ref, query = "U" * UA_LONG, "https://r.example/" + "r" * MB, "?q=" + "x" * MB
    plain = _report(tmp_path / "plain", "curl/7.68.0", "https://r.example/", "?q=1")
    big = _report(tmp_path / "big", ua, ref, query)
    assert _pages(big / "report.pdf") <= _pages(plain / "report.pdf")
    html = (big / "report.html").read_text(encoding="utf-8")
    assert len(html) < len((plain / "report.html").read_text(encoding="utf-8")) + 20_000
    shown = html.replace("<wbr>", "")
    # the count of a cut stands outside the value's <bdi> (red team 10: after Arabic it read `307] …`)
    assert f"{'U' * FIELD_LIMIT}…</bdi> [{UA_LONG} characters]" in shown and "U" * (FIELD_LIMIT + 1) not in shown
    raw = len(_line("198.51.100.8", "08/Jun/2020:11:00:00", f"/leak.xlsx{query}", 200, "1000", ua, ref)) - 1
    assert f"…</bdi> [{raw} characters]</pre>" in shown
    assert max(len(m) for m in re.findall(r"<pre class=\"rawline\"><bdi>(.*?)</pre>", shown)) < RAW_LIMIT + 40
    # the full values stay in the CSV and the JSON answer
    csv.field_size_limit(4 * MB)
    with open(big / "downloads.csv", encoding="utf-8", newline="") as fh:
        assert ua in [row["user_agent"] for row in csv.DictReader(fh)]
    answer = json.loads((big / "analysis.json").read_text(encoding="utf-8"))
    assert ua in [d["user_agent"] for d in answer["targets"][0]["downloads"]]


def test_control_and_bidi_characters_are_visible_and_isolated(tmp_path: Path) -> None:
    ua = "Mozilla/5.0 \x1b]0;pwned\x07 evil"
    ref = "https://x.example/report\u202efdp.exe"
    out = _report(tmp_path, ua, ref, "", pdf=False)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html and "\x07" not in html
    plain = html.replace("<wbr>", "")
    assert "<bdi>Mozilla/5.0 \\x1b]0;pwned\\x07 evil</bdi>" in plain
    assert "<bdi>https://x.example/report\\u202efdp.exe</bdi>" in plain
    with open(out / "downloads.csv", encoding="utf-8", newline="") as fh:
        agents = [row["user_agent"] for row in csv.DictReader(fh)]
    assert "'" + ua in agents  # the raw value, marked as text like a formula
    assert "Mozilla/5.0 Firefox/77.0" in agents  # an ordinary value is left alone
