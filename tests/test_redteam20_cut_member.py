"""Red team 20: a rotation's .gz cut mid-member with the next rotation's gzip appended (`cat cut.gz next.gz`). The
cut member's deflate data ran on into the next member's bytes, inflated (gzip's window) to an end, and read the
next member's trailer as its own: a CRC-32 that fails *and* a size that is not the one decoded (in the case built
by hand, /tmp/redteam20/c1b: 2,923 recorded, 3,819 decoded). It was said as a CRC-32 failure alone, "decoded in
full", "nothing of it is lost: every byte decoded" (no time uncovered), while half of the first day and all of the
second were lost. A member whose size
check fails too is damage of unknown loss: the time it leaves uncovered is said, never "nothing lost". Alone in
its folder the file had the folder refused (exit 2, the damage unsaid): now ingested, damaged, exit 3."""

from __future__ import annotations

import gzip
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"


def _day(day: int) -> bytes:
    lines = [clf(f"198.51.100.{i // 6 + 1}", t(day, 8) + timedelta(minutes=i), TARGET) if i % 6 == 0
             else clf(f"192.0.2.{i + 1}", t(day, 8) + timedelta(minutes=i), "/index.html", size=500)
             for i in range(30)]
    return "".join(f"{ln}\n" for ln in lines).encode()


def _cut_into_next(logs: Path) -> Path:
    first, second = gzip.compress(_day(8), mtime=0), gzip.compress(_day(9), mtime=0)
    cut = logs / "web1" / "access.log.1.gz"
    cut.parent.mkdir(parents=True)
    cut.write_bytes(first[:len(first) // 2] + second)
    return cut


def test_a_member_cut_and_run_into_the_next_is_not_said_whole(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    _cut_into_next(logs)
    write_log(logs / "web2" / "access.log", [clf("203.0.113.9", t(8, 9), "/")])
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    [damaged] = [f for f in json.loads(out.read_text())["findings"] if f["kind"] == "damaged"]
    assert re.search(r"and its size check \(recorded \d+ bytes, decoded \d+\): what it decoded to is not what was "
                     r"compressed, content may be lost", damaged["detail"]), damaged["detail"]
    assert "nothing of it is lost" not in damaged["detail"]
    assert "decoded in full" not in damaged["detail"]
    assert "nothing of it is lost" not in result.output


def test_a_folder_of_only_such_a_file_is_ingested_incomplete_never_refused(tmp_path: Path) -> None:
    """Alone in its folder, its garbage sample (no format) had the folder refused, exit 2, "no access log found in
    this folder: 1 file, none in a known format", the damage unsaid. A file damaged where it was sampled is damage,
    never "no log" (README: a folder of only gzip files cut before a line is ingested, incomplete)."""
    logs = tmp_path / "logs"
    cut = _cut_into_next(logs)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.INCOMPLETE, result.output
    [damaged] = [f for f in json.loads(out.read_text())["findings"] if f["kind"] == "damaged"]
    assert damaged["path"] == str(cut), damaged
    assert "no access log found" not in result.output
