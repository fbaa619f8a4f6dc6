"""A file most of whose lines were rejected (more than half: queries/evidence_rules.sql, mostly_rejected) is said
as probably not the format it was read as, by every door alike: the ingest's warning, the analysis's warning,
the `rejected lines` finding in the JSON answer, on the terminal and on page 1 of the report. The rule was written
three times (ingest.py, answer.py, findings.sql); at the threshold and one line either side the doors agree."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 50_000
PIN = "2020-08-01T12:00:00Z"
PROBABLY = "probably not the combined format"


def _page_one(report: Path) -> str:
    """Page 1: the cover up to the summary (tests/report/test_page_one.py), a tag a break as on the page."""
    page = (report / "report.html").read_text()
    cover = page[page.index('<section id="cover"'):page.index('data-section="summary"')]
    text = re.sub(r"<[^>]+>", " ", cover.replace("<wbr>", ""))
    return re.sub(r"\s+", " ", html.unescape(text)).replace(" )", ")").replace("( ", "(").replace(" : ", ": ")


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("rejected", "mostly"), [(4, False), (5, False), (6, True)],
                         ids=["threshold-1", "threshold", "threshold+1"])
def test_every_door_says_a_mostly_rejected_file_alike(tmp_path: Path, rejected: int, mostly: bool) -> None:
    logs = tmp_path / "logs"
    log = write_log(logs / "access.log", [clf(f"198.51.100.{i}", t(8, 10 + i), TARGET, size=SIZE)
                                          for i in range(10 - rejected)] + [f"garbage line {i}" for i in range(rejected)])
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(tmp_path / "a.json"),
                                      "--report", str(tmp_path / "report"), "--pin-time", PIN, "--geoip-city", "none",
                                      "--geoip-asn", "none"], terminal_width=400)
    assert result.exit_code == 0, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    [finding] = [f for f in answer["findings"] if f["kind"] == "rejected lines"]
    assert (finding["lines"], finding["of_lines"], finding["format"]) == (rejected, 10, "combined")
    detail = f"{rejected} of its 10 lines rejected, each with its reason (table rejects)" + (f": {PROBABLY}" * mostly)
    assert finding["detail"] == detail
    assert f"stated: rejected lines: {log}: {detail}" in result.output.splitlines()
    warning = f"{log}: {rejected} of 10 lines rejected: {PROBABLY}"
    assert answer["warnings"] == ([warning] if mostly else [])
    # the ingest's warning of the file: said on the terminal where the rule holds, never otherwise
    assert (PROBABLY in result.output) is mostly
    assert result.output.count(f"{rejected} of 10 lines rejected: {PROBABLY}") == (2 if mostly else 0), result.output
    assert finding["fact"] == ("mostly rejected" if mostly else None)
    page = _page_one(tmp_path / "report")
    named = f"files with rejected lines (1): Some lines of the file were rejected, each with its reason (see the " \
            f"rejected lines). {log}"
    assert (named + f" ({PROBABLY})" if mostly else named + " ") in page
    assert (f"Caveat: {log}: {rejected} of 10 lines rejected: {PROBABLY}" in page) is mostly
    assert ("probably not" in page) is mostly
    # the report's table of findings, the JSON's detail in the report's words
    whole = html.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "report" / "report.html").read_text()))
    assert (f"{rejected} of its 10 lines rejected, each with its reason" + (f": {PROBABLY}" * mostly)
            + "stated") in whole
