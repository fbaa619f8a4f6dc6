"""`analyse LOGS --report R --pin-time T` twice (a temporary case each time) writes the same bytes: the temporary
case's activity log held its ingest's wall-clock time, so report.html, report.pdf and MANIFEST.sha256 differed. Its
entries are this run's own: under --pin-time each says so and shows no time (never a made-up one)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN
from tests.servers import GEO_OFF
from tests.test_crc_proof import TARGET, _log, _text

PIN = "2020-08-01T12:00:00Z"


def _run(logs: Path, out: Path, *pin: str) -> None:
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--report", str(out), *pin, "-q",
                                      *GEO_OFF])
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # two PDFs
def test_two_pinned_runs_on_a_temporary_case_write_the_same_bytes(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_bytes(_text(_log()))
    out = tmp_path / "report"
    _run(logs, out, "--pin-time", PIN)
    shutil.move(out, tmp_path / "first")
    time.sleep(1.1)  # the second run's ingest a second later at least: its wall-clock time differs
    _run(logs, out, "--pin-time", PIN)
    for name in ("report.html", "report.pdf", "MANIFEST.sha256", "analysis.json"):
        assert (tmp_path / "first" / name).read_bytes() == (out / name).read_bytes(), name
    html = (out / "report.html").read_text(encoding="utf-8")
    log = html[html.index('id="activity-log"'):]
    log = log[:log.index("</table>")]
    assert EN["activity_at_this_run"] in log and "<td class=\"time\">20" not in log


def test_unpinned_the_activity_log_shows_the_ingest_time(tmp_path: Path, html_only_reports: None) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_bytes(_text(_log()))
    _run(logs, tmp_path / "report")
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    log = html[html.index('id="activity-log"'):]
    assert EN["activity_at_this_run"] not in log[:log.index("</table>")]
    assert "<td class=\"time\">20" in log[:log.index("</table>")]
