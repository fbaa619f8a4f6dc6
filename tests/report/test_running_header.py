"""The header printed on every page after the first (the print stylesheet's string-set from the running header)
cuts the case id and the report version as page 1's identity line does (PAGE_ONE_CASE, with the length said): a
whole 200-character case id ran over the page's body text. The case-facts table says each value whole."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.html import PAGE_ONE_CASE
from exposure.report.i18n import EN

from .conftest import SAMPLE, TARGET

CASE_ID = ("ZAAK-2020-" + "-".join(f"deel{k:03d}" for k in range(30)))[:199]  # the longest case info allows
VERSION = "versie-" + "x" * 150


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.usefixtures("html_only_reports")
def test_the_running_header_cuts_a_long_case_id_like_page_one(tmp_path: Path) -> None:
    info = tmp_path / "case.toml"
    info.write_text(f'[case]\nid = "{CASE_ID}"\nreport_version = "{VERSION}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(SAMPLE), "--target", TARGET, "--report", str(tmp_path / "r"),
                                      "--case-info", str(info), "--pin-time", "2020-08-01T12:00:00Z", "-q"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    header = _text(re.search(r'<div class="running-header">(.*?)</div>', html, re.S).group(1))
    identity = _text(re.search(r'<p class="identity" id="identity">(.*?)</p>', html, re.S).group(1))
    assert len(CASE_ID) > PAGE_ONE_CASE and CASE_ID not in header and VERSION not in header
    for value in (CASE_ID, VERSION):
        cut = re.search(re.escape(value[:40]) + r"[^ ]*… \[" + str(len(value)) + " characters\\]", header)
        assert cut, header  # cut, its length said
        assert cut.group() in identity  # as page 1 cuts it
    marker = len("… [199 characters]")
    assert len(header) <= len(EN["case_id"]) + len(EN["report_version"]) + 2 * (PAGE_ONE_CASE + marker) + 5
    assert CASE_ID in _text(html[html.index('<table class="facts">'):])  # whole in the case facts
