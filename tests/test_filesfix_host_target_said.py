"""Review of filesfix: `files --target https://HOST/PATH` where no line of HOST requested PATH (other hosts did)
gave no row named by the target and said nothing: the path's row over every host (7 requests, 4 complete) stood
alone, readable as HOST's. analyse says the target was never requested; files says it too."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.slow

UA = '"-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"'
LINES = [("www.a.nl:443", 1, "11:00", 200, 5000), ("www.a.nl:443", 2, "11:05", 200, 5000),
         ("www.b.nl:443", 3, "11:10", 200, 7000)]


def test_a_host_target_never_requested_on_its_host_is_said(tmp_path: Path) -> None:
    from exposure.cli import app
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "other_vhosts_access.log").write_text("".join(
        f'{host} 198.51.100.{ip} - - [08/Jun/2020:{t}:00 +0200] "GET /doc/leak.xlsx HTTP/1.1" {s} {b} {UA}\n'
        for host, ip, t, s, b in LINES))
    case = tmp_path / "case.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs), "--quiet"]).exit_code == 0
    result = CliRunner().invoke(app, ["files", "--case", str(case), "--target", "https://www.c.nl/doc/leak.xlsx",
                                      "--target", "https://www.a.nl/doc/leak.xlsx", "--csv"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "https://www.c.nl/doc/leak.xlsx was never requested in the evidence" in result.output
    assert "https://www.a.nl/doc/leak.xlsx was never requested" not in result.output
