"""A copy whose times a SIEM export rewrote at another UTC offset (every line `+0000` where the server wrote
`+0200`, the same instants) is the same request lines: counted once and said as an `overlap`, never a second set
of downloads (red team 18b: 6 complete downloads where the server logged 3, exit 0, no finding)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.servers import GEO_OFF

pytestmark = pytest.mark.slow

LEAK = "/leak.xlsx"


def _log(hours_east: int) -> str:
    """A server's log of 61 lines, written at UTC+hours_east: 3 complete downloads of LEAK, then a 404."""
    lines = []
    start = datetime(2020, 6, 8, 8, 0, 0)  # UTC
    for i in range(61):
        t = start + timedelta(minutes=5 * (i + 1)) + timedelta(hours=hours_east)
        path, size, ip = ((LEAK, 50000, f"198.51.100.{i}") if i in (10, 25, 40)
                          else (f"/page{i}.html", 1000 + i, f"192.0.2.{i % 50 + 1}"))
        status = 200
        if i == 60:
            path, size, ip, status = LEAK, 200, "192.0.2.99", 404
        lines.append(f'{ip} - - [{t:%d/%b/%Y:%H:%M:%S} +{hours_east:02d}00] "GET {path} HTTP/1.1" {status} {size} '
                     f'"-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"')
    return "\n".join(lines) + "\n"


def answer(tmp_path: Path, files: dict[str, bytes], target: str = LEAK) -> tuple[str, dict[str, Any]]:
    """Write `files` (name under logs/: bytes) and answer `target` with `exposure analyse --json`: the terminal's
    output and the JSON answer; exit code 0 asserted (every finding here is a stated one)."""
    logs = tmp_path / "logs"
    for name, content in files.items():
        (logs / name).parent.mkdir(parents=True, exist_ok=True)
        (logs / name).write_bytes(content)
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", target, "--json", str(out), *GEO_OFF],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text())


@pytest.mark.parametrize("copy_offset", [0, 1])
def test_times_rewritten_at_another_offset_count_once(tmp_path: Path, copy_offset: int) -> None:
    output, found = answer(tmp_path, {"web1/access.log": _log(2).encode(),
                                      "export/access.log": _log(copy_offset).encode()})
    totals = found["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (3, 3)
    [overlap] = [f for f in found["findings"] if f["kind"] == "overlap"]
    assert overlap["path"].endswith("export/access.log")  # the copy; web1's log is cited
    assert "61 request lines" in output
