"""Red team 21b (who): a complete download whose line logs no client address.

Apache's `%{X-Forwarded-For}i` where `%h` stands (a common set-up behind a proxy) writes `-` for a request that
came without the header; the client is then no address at all (NULL). Before: `exposure analyse` printed the
figures and died in the downloads table (`unexpected failure (TypeError ...)`, exit 2); page 1, `--json` and
`files` said "3 complete downloads from 2 external addresses" and nothing of the download without an address (the
per-address table summed to 2 of the 3). Now the totals count them (queries/totals.sql figure_macros
`no_address_complete_downloads`), every door says it beside the figure, and the downloads table shows `-`."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case, IngestOptions
from exposure.cli import app
from exposure.report import ReportSettings
from exposure.report.i18n import strings
from tests.conftest import write_log

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.97 "
          "Safari/537.36")


def _log(root: Path) -> Path:
    lines = [f'{client} - - [08/Jun/2020:09:{minute:02d}:00 +0200] "GET {path} HTTP/1.1" 200 {size} "-" "{CHROME}"'
             for client, minute, path, size in (("198.51.100.1", 0, TARGET, 40000), ("198.51.100.2", 5, TARGET, 40000),
                                                ("-", 10, TARGET, 40000), ("198.51.100.1", 15, "/index.html", 500))]
    return write_log(root / "logs" / "access.log", lines)


def test_the_terminal_says_the_download_without_an_address(tmp_path: Path) -> None:
    """Seen red: exit 2, `unexpected failure (TypeError ...)` from the downloads table."""
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(_log(tmp_path)), "--target", TARGET, "--json", str(out)],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert ("complete downloads 3 from 2 external addresses (1 of them logged without a client address: not "
            "counted among the addresses)") in result.output
    row = next(line for line in result.output.splitlines() if "access.log:3" in line and "complete" in line)
    assert row.split("│")[4].strip() == "-"  # the downloads table's client_ip, as `timeline` shows it
    totals = json.loads(out.read_text(encoding="utf-8"))["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["no_address_complete_downloads"]) == (3, 2, 1)


def test_files_and_the_api_count_it(tmp_path: Path) -> None:
    """`files --csv` and Case.totals carry the figure by the one definition (figure_macros)."""
    case_path = tmp_path / "case.duckdb"
    with Case(case_path) as case:
        case.ingest([_log(tmp_path)])
        totals = case.totals(TARGET, AnalysisOptions())
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["no_address_complete_downloads"]) == (3, 2, 1)
    result = CliRunner().invoke(app, ["files", "--case", str(case_path), "--csv"])
    assert result.exit_code == 0, result.output
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows[TARGET]["distinct_ips"], rows[TARGET]["no_address_complete_downloads"]) == ("2", "1")
    assert rows["/index.html"]["no_address_complete_downloads"] == "0"
    table = CliRunner().invoke(app, ["files", "--case", str(case_path)], env={"COLUMNS": "400"})
    assert "no_address_complete_downloads" in table.stdout


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_it(tmp_path: Path, lang: str) -> None:
    s = strings(lang)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_log(tmp_path)])
        case.report([TARGET], out, AnalysisOptions(), ReportSettings(pdf=False, lang=lang))
    text = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "").replace("\u00ad", "")
    page_one = " ".join(htmllib.unescape(text.split('data-section="summary"')[0]).split())
    assert " ".join(s.f("key_no_address", n=1).split()) in page_one


def test_unknown_names_no_client_however_it_came(tmp_path: Path) -> None:
    """RFC 7239's `unknown` where the client stands (a proxy's `X-Forwarded-For: unknown` written by
    `%{X-Forwarded-For}i`) and as the client `--client-ip-from xff` finds behind a trusted proxy (Squid's
    `forwarded_for unknown`): no address, never one external address `unknown` (network type hostname) that three
    clients were counted as. Seen red: 4 complete from 2 external addresses, 0 without one."""
    lines = [f'{client} - - [08/Jun/2020:09:{minute:02d}:00 +0200] "GET {TARGET} HTTP/1.1" 200 40000 "-" "{CHROME}" '
             f'"{xff}"' for client, minute, xff in (("198.51.100.1", 0, "-"), ("unknown", 5, "-"),
                                                    ("10.0.0.5", 10, "unknown"), ("10.0.0.5", 15, "unknown"))]
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([write_log(tmp_path / "logs" / "access.log", lines)],
                    IngestOptions(client_ip_from="xff", trusted_proxies=("10.0.0.5",)))
        totals = case.totals(TARGET, AnalysisOptions())
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["no_address_complete_downloads"]) == (4, 1, 3)


def test_a_possible_copy_lists_no_address_none(tmp_path: Path) -> None:
    """A possible copy downloaded once without a client address: its client_ips listed the address 'None' (the
    str of NULL) beside 198.51.100.3; now its addresses alone, and how many of its complete downloads had none
    (possible_copies.sql through download_figures, the one definition)."""
    lines = [f'{client} - - [08/Jun/2020:09:{minute:02d}:00 +0200] "GET {path} HTTP/1.1" 200 40000 "-" "{CHROME}"'
             for client, minute, path in (("198.51.100.1", 0, TARGET), ("198.51.100.2", 5, TARGET),
                                          ("-", 10, "/docs/leak%20(1).xlsx"), ("198.51.100.3", 11, "/docs/leak%20(1).xlsx"))]
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([write_log(tmp_path / "logs" / "access.log", lines)])
        [copy] = case.analyse([TARGET], AnalysisOptions())["targets"][0]["possible_copies"]
    assert (copy["complete_downloads"], copy["distinct_ips"], copy["client_ips"],
            copy["no_address_complete_downloads"]) == (2, 1, ["198.51.100.3"], 1)
