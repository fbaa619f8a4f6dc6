"""Referrers by site (queries/spread.sql): a referrer whose host is an IPv6 address in brackets, and a virtual host
so written (`[2001:db8::1]:443`, read as the host since the CLF host rule takes brackets), were cut at their first
colon (`[2001`), so every IPv6-literal referrer was one site, and the publication's own whenever the virtual host
was one too (/tmp/review_readfix/spread: a page of `[2001:db8:beef::5]` counted as the publication site, site
`[2001`, 3 downloads -> 2 from the publication site `2001:db8::1`, 1 from the other site `2001:db8:beef::5`)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app

TARGET = "/docs/x.xlsx"


def _line(n: int, referer: str) -> str:
    return (f'[2001:db8::1]:443 198.51.100.{n} - - [08/Jun/2020:09:00:0{n} +0000] "GET {TARGET} HTTP/1.1" 200 18412 '
            f'"{referer}" "UA"\n')


def test_ipv6_literal_referrers_and_virtual_host_are_read_whole(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text(_line(1, "https://[2001:db8::1]/news") + _line(2, "https://[2001:DB8:beef::5]/f/1")
                                     + _line(3, "https://[2001:db8::1]:8443/x") + _line(4, "https://example.org/a"))
    case = tmp_path / "case.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(logs), "--case", str(case), "-q"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(app, ["sql", "spread_referrers", "--case", str(case), "--param", f"target={TARGET}",
                                      "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    sites = sorted((r["site"], r["category"], r["downloads"]) for r in rows)
    assert sites == [("2001:db8::1", "publication site", 2), ("2001:db8:beef::5", "other site", 1),
                     ("example.org", "other site", 1)]
