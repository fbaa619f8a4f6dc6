"""A plain log with NUL bytes in three places (a file preallocated and crashed more than once): every damaged
span is named with the time it leaves without a line, on every door, and the file is counted once."""

from __future__ import annotations

import html as html_text
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.logs import clf, t

NUL = "in place of content: what was written there is lost (a file preallocated and never written, a crash); what " \
      "follows them on that line is rejected: its start may be lost with them"


def _log(path: Path) -> Path:
    """web1's 12 June, a line a minute from 10:00; lines of 10:10-10:11, 10:20-10:21 and 10:25-10:26 are NUL bytes
    (500, 300 and 200 of them): the line after each run follows the NULs directly, and is rejected all the same
    (nothing tells a whole line from one whose start is lost with them: red team 4)."""
    lines = [clf("198.51.100.1", t(12, 10, i), "/").encode() + b"\n" for i in range(30)]
    path.parent.mkdir(parents=True)
    path.write_bytes(b"".join(lines[:10]) + b"\0" * 500 + b"".join(lines[12:20]) + b"\0" * 300
                     + b"".join(lines[22:25]) + b"\0" * 200 + b"".join(lines[27:]))
    return path


@pytest.mark.usefixtures("html_only_reports")
def test_every_nul_run_is_named_with_its_own_uncovered_time(tmp_path: Path) -> None:
    log = _log(tmp_path / "logs" / "web1-access.log")
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", "/", "--json", str(tmp_path / "a.json"),
                                      "--report", str(tmp_path / "report"), "--pin-time", "2020-08-01T12:00:00Z"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    damaged = [f for f in answer["findings"] if f["kind"] == "damaged"]
    spans = [("500 NUL bytes at byte 1230 (line 11)", "2020-06-12T10:09:00Z", "2020-06-12T10:13:00Z", 1),
             ("300 NUL bytes at byte 2714 (line 19)", "2020-06-12T10:19:00Z", "2020-06-12T10:23:00Z", 2),
             ("200 NUL bytes at byte 3383 (line 22)", "2020-06-12T10:24:00Z", "2020-06-12T10:28:00Z", 3)]
    assert [(f["path"], f["detail"], f["uncovered_start"], f["uncovered_end"]) for f in damaged] == [
        (str(log), f"{what} {NUL} (24 lines read; damage {n} of 3 in this file)", start, end)
        for what, start, end, n in spans]
    [status] = [g for g in answer["evidence_status"]["findings"] if g["kind"] == "damaged"]
    assert (status["count"], status["paths"]) == (1, [str(log)])
    for what, start, end, n in spans:
        [said] = [ln for ln in result.output.splitlines() if ln.startswith(f"incomplete: damaged: {log}: {what}")]
        assert said.endswith(f"(24 lines read; damage {n} of 3 in this file); stream web1-access.log has no line "
                             f"from {start} to {end}; inside window 1")  # target / is served all along
    html = (tmp_path / "report" / "report.html").read_text()
    cover = html[html.index('<section id="cover"'):html.index("</section>", html.index('<section id="cover"'))]
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", cover.replace("<wbr>", ""))))
    for _what, start, end, _n in spans:
        assert f"stream web1-access.log has no line from {start} to {end}" in page
