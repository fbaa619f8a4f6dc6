"""The terminal's evidence status says each stated kind on one line: fourteen streams falling silent inside an
open window made the `gap in window` line join all fourteen sentences (some 4,000 characters; sixty streams some
18,000). It names the first STATED_SHOWN and counts the rest, as the findings list above it does."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from exposure.terminal import STATED_SHOWN
from tests.report.test_page_one_must_carry import TARGET, streams
from tests.servers import GEO_OFF

STREAMS = STATED_SHOWN + 5  # the last one logs on: STATED_SHOWN + 4 fall silent


def test_a_stated_kind_of_many_findings_names_the_first_and_counts_the_rest(tmp_path: Path) -> None:
    streams(tmp_path / "logs", STREAMS, step=1)
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, *GEO_OFF],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("  gap in window (")]
    assert line.startswith(f"  gap in window ({STREAMS - 1}, stated): stream web1-access.log: no log line for ")
    assert line.count("after its last line") == STATED_SHOWN
    assert line.endswith("; and 4 more (in the JSON answer)")
    # every stated kind so: each stream's byte counts assumed (one finding per stream)
    [bytes_line] = [x for x in result.stdout.splitlines() if x.startswith("  assumed bytes (")]
    assert bytes_line.count("stream web") == STATED_SHOWN and bytes_line.endswith("; and 5 more (in the JSON answer)")
