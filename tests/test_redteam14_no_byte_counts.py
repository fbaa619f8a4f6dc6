"""A log that counts no bytes (IIS 8.5-10's default #Fields has no sc-bytes) gives no file size, and no size can
judge its transfers: IIS's sc-win32-status decides them (0 complete, 64 partial) or nothing does. The answer
said "completeness is undetermined; give --size" beside "complete downloads 4" and "partial 1", and --size changes
none of them: two untrue sentences on the terminal, in the JSON warnings and on page 1. Now the size line and the
warning say the log counts no bytes and what decides instead, in English and in the Dutch report."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from exposure.findings import NO_BYTE_COUNTS
from exposure.report.wording import sentence
from tests.leak_cases import CASES, TARGET
from tests.servers import GEO_OFF


def test_a_log_without_byte_counts_never_asks_for_a_size_that_cannot_judge(tmp_path: Path) -> None:
    log = CASES["iis-default-no-sc-bytes"].write(tmp_path)
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(out), *GEO_OFF],
                                terminal_width=400)
    assert result.exit_code == 0, result.output
    import json

    target = json.loads(out.read_text())["targets"][0]
    assert (target["totals"]["complete_downloads"], target["totals"]["partial_downloads"]) == (5, 1)
    assert f"window 1: {NO_BYTE_COUNTS}" in target["warnings"]
    assert not [w for w in target["warnings"] if "give --size" in w]
    assert f"size unknown: {NO_BYTE_COUNTS}" in result.output
    assert "give --size" not in result.output and "completeness undetermined" not in result.output
    dutch = sentence(f"window 1: {NO_BYTE_COUNTS}", {"lang": "nl"})  # type: ignore[arg-type]
    assert dutch is not None and dutch.startswith("venster 1: het log telt geen bytes")


HEAD_AND_304 = [  # a common log that counts bytes: the target only HEAD 200 and 304, no transfer of it
    '198.51.100.1 - - [08/Jun/2020:12:00:00 +0200] "GET /index.html HTTP/1.1" 200 5000 "-" "Mozilla/5.0 (X11)"',
    '198.51.100.1 - - [08/Jun/2020:12:01:00 +0200] "HEAD /docs/x.pdf HTTP/1.1" 200 0 "-" "Mozilla/5.0 (X11)"',
    '198.51.100.2 - - [08/Jun/2020:13:00:00 +0200] "GET /docs/x.pdf HTTP/1.1" 304 0 "-" "Mozilla/5.0 (X11)"',
    '198.51.100.1 - - [08/Jun/2020:14:00:00 +0200] "GET /index.html HTTP/1.1" 200 5000 "-" "Mozilla/5.0 (X11)"',
    '198.51.100.9 - - [08/Jun/2020:15:00:00 +0200] "GET /docs/x.pdf HTTP/1.1" 404 153 "-" "Mozilla/5.0 (X11)"']


def test_a_window_without_transfers_is_not_said_to_have_no_byte_counts(tmp_path: Path) -> None:
    """h_access.log (red team 14 review): a window of only a HEAD 200 and a 304 of a log that counts bytes was
    said to be of a log that 'counts no bytes of the file's transfers': it has no transfers to count."""
    import json

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text("\n".join(HEAD_AND_304) + "\n")
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", "/docs/x.pdf", "--json", str(out),
                                      *GEO_OFF], terminal_width=400)
    assert result.exit_code == 0, result.output
    target = json.loads(out.read_text())["targets"][0]
    assert target["downloads"] == []
    assert not [w for w in target["warnings"] if NO_BYTE_COUNTS in w]
    assert "window 1: no 200 GET response with a byte count" in " ".join(target["warnings"])
    assert NO_BYTE_COUNTS not in result.output
    assert "size unknown: no 200 GET with a byte count" in result.output
