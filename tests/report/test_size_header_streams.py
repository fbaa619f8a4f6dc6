"""The file size's sentence says which streams' byte counts include headers. An Apache server (combined: %b, the
body) and an IIS server (W3C sc-bytes: headers and body) both served /docs/leak.xlsx in one window: the size is
the Apache lines' most common count and the IIS lines' complete-transfer band. Page 1 said '... the densest band
of transfer sizes (byte counts include headers)', as if every count of the case did; now it names the IIS stream
(page 1 in English and Dutch, the PDF's first page, the terminal, analysis.json's size_header_streams)."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from tests.servers import GEO_OFF

from .test_layout import pdf_text

PIN = "2020-08-01T12:00:00Z"
TARGET = "/docs/leak.xlsx"
IIS_HEAD = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken"]


def _logs(root: Path) -> Path:
    """iis/u_ex200608.log: four 200 GETs of the file at 10:0i UTC, 50 300-50 303 bytes with headers; apache/
    access.log: four at 12:1i +0200, 50 000 bytes of body; each with four page requests."""
    logs = root / "logs"
    (logs / "iis").mkdir(parents=True)
    (logs / "apache").mkdir()
    iis = [*IIS_HEAD,
           *[f"2020-06-08 10:0{i}:00 10.0.0.1 GET {TARGET} - 443 - 198.51.100.{i + 1} ua - 200 0 0 {50_300 + i} 400 15"
             for i in range(4)],
           *[f"2020-06-08 11:0{i}:00 10.0.0.1 GET /p{i} - 443 - 198.51.100.{i + 1} ua - 200 0 0 {3000 + i} 400 15"
             for i in range(4)]]
    (logs / "iis" / "u_ex200608.log").write_bytes(("\r\n".join(iis) + "\r\n").encode())
    apache = [*[f'203.0.113.{i + 1} - - [08/Jun/2020:12:1{i}:00 +0200] "GET {TARGET} HTTP/1.1" 200 50000 "-" "Mozilla/5.0"'
                for i in range(4)],
              *[f'203.0.113.{i + 1} - - [08/Jun/2020:12:2{i}:00 +0200] "GET /x{i} HTTP/1.1" 200 {200 + i} "-" "Mozilla/5.0"'
                for i in range(4)]]
    (logs / "apache" / "access.log").write_text("\n".join(apache) + "\n", encoding="utf-8")
    return logs


@pytest.mark.slow  # a PDF of a case of its own
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_size_names_the_streams_whose_counts_include_headers(tmp_path: Path, lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["analyse", str(_logs(tmp_path)), "--target", TARGET, "--report", str(out),
                                      "--lang", lang, "--pin-time", PIN, *GEO_OFF], terminal_width=200)
    assert result.exit_code == 0, result.output
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    target = answer["targets"][0]
    streams = {e["stream"] for e in answer["evidence"]}
    [iis] = [x for x in streams if "u_ex" in x]
    assert target["size_bytes"] == 50_000 and target["size_rule"] == "most_common+band"
    assert target["size_header_streams"] == [iis] and target["windows"][0]["header_streams"] == [iis]
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    size = html[html.index('id="t1-size"'):html.index("</p>", html.index('id="t1-size"'))]
    size = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", size)).split())
    said = f"{s['size_rule_band_of']} {s.f('size_band_streams', n=1)} {iis}"
    assert said in size, size
    assert s["size_rule_band"] not in size  # never 'byte counts include headers' of the whole case
    assert [x for x in streams if x != iis][0] not in size
    assert re.sub(r"\s+", "", said) in re.sub(r"\s+", "", pdf_text(out / "report.pdf", 1))
    assert ("the complete-transfer band of the stream whose byte counts include headers: "
            f"{iis} (window 1: 4 of 4)") in result.output
