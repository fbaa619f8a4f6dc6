"""An IPv4 address written with leading zeros (`010.001.002.003`) was labelled network `hostname` in "Per address".
It is no host name (no host name is all digits and dots) and no address as a server writes one: Apache and nginx
write the connection's address as four decimal numbers without leading zeros, and the text is ambiguous (inet_aton
reads 010 as octal 8: 8.1.2.3; others read decimal 10.1.2.3). Now its network is `not canonical`: never looked up
(GeoIP), never merged with either reading, and the file's requests that name such a client are a stated finding,
`not canonical address`, in the terminal, the JSON's findings and page 1."""

from __future__ import annotations

import html
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure import queries
from exposure.clients import (
    NOT_CANONICAL,
    address_facts,
    address_facts_many,
    describe_addresses,
    not_canonical,
)
from tests.servers import GEO_OFF, accounted, analyse

TARGET = "/docs/leak.xlsx"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
CLIENTS = ["010.001.002.003", "10.1.2.3", "8.1.2.3", "010.001.002.003"]


def _log(clients: list[str]) -> str:
    return "".join(f'{c} - - [07/Dec/2026:1{i}:00:00 +0000] "GET {TARGET} HTTP/1.1" 200 5000 "-" "{AGENT}"\n'
                   for i, c in enumerate(clients))


@pytest.mark.slow  # an analysis through both doors: ~2 s
def test_a_leading_zero_address_is_its_own_client_labelled_not_canonical(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log(CLIENTS), TARGET, size=5000)
    assert answer.exit_code == 0, answer.output  # read and counted: stated, not incomplete
    accounted(answer)
    per_ip = {r["client_ip"]: (r["complete"], r["network_type"], r["country"]) for r in answer.target["per_ip"]}
    assert per_ip == {"010.001.002.003": (2, "not canonical", None), "10.1.2.3": (1, "private", None),
                      "8.1.2.3": (1, "public", None)}
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (4, 3)
    [finding] = [f for f in answer.cli["findings"] if f["kind"] == "not canonical address"]
    assert (finding["severity"], finding["lines"], finding["of_lines"], finding["fact"]) == (
        "stated", 2, 4, "010.001.002.003")
    assert finding["detail"] == (
        "2 of its 4 requests name their client in digits and dots that are no IPv4 address as a server writes one "
        "(the first: line 1, 010.001.002.003): Apache and nginx write four decimal numbers 0-255 without leading "
        "zeros, and a leading zero reads as octal to some tools (inet_aton: 010 is 8) and as decimal to others: a "
        "sign of an altered log or of another tool's; each such client is counted as written, a client of its own "
        "(network 'not canonical'), never located nor joined with an address it may stand for")
    [status] = [f for f in answer.cli["evidence_status"]["findings"] if f["kind"] == "not canonical address"]
    assert (status["severity"], status["count"]) == ("stated", 1)
    assert answer.cli["evidence_status"]["complete"] is True
    assert "not canonical address" in answer.cli["evidence_status"]["checked"]


@pytest.mark.slow  # writes the report (PDF too): ~10 s
def test_the_terminal_and_page_one_say_it(tmp_path: Path) -> None:
    from exposure.cli import app

    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text(_log(CLIENTS))
    result = CliRunner().invoke(app, ["analyse", str(log.parent), "--target", TARGET, "--size", "5000", *GEO_OFF,
                                      "--report", str(tmp_path / "report")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "not canonical address 1" in result.output  # looked for: ...
    assert "not canonical address (1, stated): " in result.output
    assert "│ not canonical │" in result.output  # Per address
    page = (tmp_path / "report" / "report.html").read_text()
    status = page[page.index('id="status-list"'):page.index("</ul>", page.index('id="status-list"'))]
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", status.replace("<wbr>", ""))).split())
    assert "addresses not written as servers write them (1) : Clients were written in digits and dots" in said
    assert "logs/access.log (010.001.002.003)" in said


@pytest.mark.slow  # an analysis through both doors: ~2 s
def test_canonical_addresses_have_no_such_finding(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log(["10.1.2.3", "8.1.2.3", "Host.Example.COM"]), TARGET, size=5000)
    assert [f for f in answer.cli["findings"] if f["kind"] == "not canonical address"] == []
    assert "not canonical address" in answer.cli["evidence_status"]["checked"]


def test_never_looked_up() -> None:
    """No address (so no GeoIP lookup: describe_addresses looks up only where `address` is one) and no published
    range, whichever reading it may stand for."""
    facts = address_facts("010.001.002.003")
    assert facts == {"address": None, "network_type": NOT_CANONICAL, "published_ranges": []}
    row = describe_addresses(["010.001.002.003"], []).iloc[0]
    assert (row["address"], row["network_type"]) == (None, NOT_CANONICAL)


SAMPLES = ["010.001.002.003", "1.2.3", "167772161", "999.1.1.1", "1.2.3.4.5", "10.1.2.3", "0.0.0.0", "8.1.2.3",
           "00.1.2.3", "1..2.3", ".", "256.1.1.1", "1.2.3.04", "255.255.255.255", "host.example.com", "2001:db8::1",
           "::ffff:1.2.3.4", "010.1.2.3:80", "-", ""]


@pytest.mark.parametrize("client", SAMPLES)
def test_one_rule_in_python_and_sql(client: str) -> None:
    """clients.not_canonical (the network type) and queries/addresses.sql address_not_canonical (the finding)
    say the same of every client; the many-at-once facts say what one-by-one says."""
    con = duckdb.connect()
    con.execute(queries.get("address_macros").sql)
    [(in_sql,)] = con.execute("SELECT coalesce(address_not_canonical(nullif($c, '')), false)", {"c": client}).fetchall()
    assert in_sql is not_canonical(client or None)
    assert not_canonical(client) is (client in ("010.001.002.003", "1.2.3", "167772161", "999.1.1.1", "1.2.3.4.5",
                                                "00.1.2.3", "1..2.3", ".", "256.1.1.1", "1.2.3.04"))
    many = address_facts_many([client])
    assert many["network_type"] == [address_facts(client)["network_type"]]
