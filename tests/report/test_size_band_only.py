"""Where every byte count of the file includes response headers and no log states the body's length (IIS sc-bytes,
no Content-Length), the size the rule finds is the complete-transfer band's edge: the file with its headers. Page 1
called it the "File size" (1 000 312 bytes for a file of 1 000 000, /tmp/redteam16/iisr); now it says what the
figure is, and that the file's own size is not in the logs (English and Dutch). A body size keeps "File size"."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from tests.servers import GEO_OFF

from .test_size_header_streams import IIS_HEAD

PIN = "2020-08-01T12:00:00Z"
TARGET = "/big.zip"
# the checks read report.html (and the terminal): the reports are written without their PDF (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("html_only_reports")


def _size_sentence(out: Path) -> str:
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    at = html.index(">", html.index('id="t1-size"')) + 1
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html[at:html.index("</p>", at)]))
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def _report(tmp_path: Path, lines: list[str], lang: str) -> str:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "u_ex200608.log").write_bytes(("\r\n".join([*IIS_HEAD, *lines]) + "\r\n").encode())
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), "--lang", lang,
                                      "--pin-time", PIN, *GEO_OFF], terminal_width=200)
    assert result.exit_code == 0, result.output
    return _size_sentence(out)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_band_alone_is_not_called_the_file_size(tmp_path: Path, lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    lines = [f"2020-06-08 08:0{i}:00 10.0.0.1 GET {TARGET} - 443 - 198.51.100.{i + 1} ua - 200 0 0 {1_000_312 + i} "
             "400 31" for i in range(4)]
    said = _report(tmp_path, lines, lang)
    assert said.startswith(f"{s['size_band_only']}: 1 000 312 bytes"), said
    assert not said.startswith(s["size"] + ":")


def test_a_body_size_is_still_the_file_size(tmp_path: Path) -> None:
    lines = [f"2020-06-08 08:0{i}:00 10.0.0.1 GET {TARGET} - 443 - 198.51.100.{i + 1} ua - 200 0 0 {1_000_312 + i} "
             "400 31" for i in range(4)]
    said = _report(tmp_path, lines, "en")
    assert said  # the band case renders; a --size given is a body size:
    out = tmp_path / "given"
    logs = tmp_path / "logs"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), "--size",
                                      "1000000", "--pin-time", PIN, *GEO_OFF], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert _size_sentence(out).startswith("File size: 1 000 000 bytes")


def test_the_terminal_says_the_band_alone_in_page_ones_words(tmp_path: Path) -> None:
    # review of red team 16: the terminal said "size 1000312 bytes: the complete-transfer band ..." where page 1
    # says "Size of a complete transfer (...)": one wording in both doors (findings.BAND_SIZE_LABEL)
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = [f"2020-06-08 08:0{i}:00 10.0.0.1 GET {TARGET} - 443 - 198.51.100.{i + 1} ua - 200 0 0 {1_000_312 + i} "
             "400 31" for i in range(4)]
    (logs / "u_ex200608.log").write_bytes(("\r\n".join([*IIS_HEAD, *lines]) + "\r\n").encode())
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, *GEO_OFF],
                                terminal_width=400)
    assert result.exit_code == 0, result.output
    said = [line.strip() for line in result.output.splitlines() if "1000312 bytes" in line]
    assert said and said[0].startswith(f"{Strings(EN)['size_band_only']}: 1000312 bytes: the complete-transfer band"), said
    # a size given is the file's size, said as before
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--size", "1000000",
                                      *GEO_OFF], terminal_width=400)
    assert "size 1000000 bytes: given (--size)" in result.output, result.output
