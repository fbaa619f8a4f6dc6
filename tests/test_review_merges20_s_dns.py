"""Review of merges 20: the W3C draft's `s-dns` is the server's own DNS name (WD-logfile-960323: prefix `s`, the
server; identifier `dns`, its DNS name), as IIS's `s-computername` is, never the site the client asked for. w3cfix
read it as the virtual host where no Host header is logged: a log of srv.example.nl answering for www.example.nl
analysed with --target https://www.example.nl/docs/x.xlsx had every line dropped as another host's (0 complete
downloads, 'never requested in the evidence', exit 0; /tmp/review_merges20/c2_sdns). A log with no Host header is
every host's: 2 complete downloads, as without the host in the target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app

pytestmark = pytest.mark.slow

LOG = """#Version: 1.0
#Date: 2020-06-08 08:00:00
#Fields: date time c-ip s-dns cs-method cs-uri-stem sc-status sc-bytes time-taken
2020-06-08 08:00:00 198.51.100.1 srv.example.nl GET /docs/x.xlsx 200 25311 1.250
2020-06-08 08:01:00 198.51.100.2 srv.example.nl GET /docs/x.xlsx 200 25311 0.500
2020-06-08 08:02:00 198.51.100.3 srv.example.nl GET /index.html 200 500 0.010
"""


@pytest.mark.parametrize("target", ["/docs/x.xlsx", "https://www.example.nl/docs/x.xlsx"])
def test_a_servers_own_name_never_drops_the_sites_lines(tmp_path: Path, target: str) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "ex200608.log").write_text(LOG)
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", target, "--json", str(out)])
    assert result.exit_code == exitcodes.COMPLETE, result.output
    [answer] = json.loads(out.read_text())["targets"]
    assert answer["totals"]["complete_downloads"] == 2, result.output
