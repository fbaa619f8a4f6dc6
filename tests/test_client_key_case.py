"""A client logged by name (Apache `HostnameLookups On`, a log a resolver rewrote) is one client whatever the case
of its letters: DNS names compare without case (RFC 4343, ASCII letters only). `Host.Example.COM` and
`host.example.com` were two rows of "Per address" and "complete downloads 2 from 2 external addresses" where one
host fetched the file. The `requests` view's client is the one key every door reads (exposure/store.py
client_key_sql): a host name with its ASCII letters in lower case; the log's lines are never changed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from exposure import AnalysisOptions, Case
from exposure.store import client_key_sql
from tests.parity import portable_equals_case
from tests.servers import accounted, analyse, files_row

TARGET = "/docs/leak.xlsx"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
CLIENTS = ["Host.Example.COM", "host.example.com", "HOST.EXAMPLE.COM", "198.51.100.7", "Other.Example.NET"]


def _log() -> str:
    return "".join(f'{c} - - [07/Dec/2026:1{i}:00:00 +0000] "GET {TARGET} HTTP/1.1" 200 5000 "-" "{AGENT}"\n'
                   for i, c in enumerate(CLIENTS))


@pytest.mark.slow  # ingests and analyses: over 1 s
def test_host_names_differing_in_case_are_one_client(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log(), TARGET, size=5000)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert (answer.totals["complete_downloads"], answer.totals["distinct_ips"]) == (5, 3)
    assert answer.totals["requesting_ips"] == 3
    per_ip = {r["client_ip"]: (r["complete"], r["network_type"]) for r in answer.target["per_ip"]}
    assert per_ip == {"host.example.com": (3, "hostname"), "198.51.100.7": (1, "reserved"),
                      "other.example.net": (1, "hostname")}
    assert [d["client_ip"] for d in answer.target["downloads"]] == [
        "host.example.com", "host.example.com", "host.example.com", "198.51.100.7", "other.example.net"]
    # the API's rows and downloads read the same key; the evidence stays as logged
    assert [r["client"] for r in answer.rows] == [c.lower() for c in CLIENTS]
    assert [d["client_ip"] for d in answer.downloads] == [c.lower() for c in CLIENTS]
    assert (tmp_path / "logs" / "access.log").read_text() == _log()


@pytest.mark.slow  # ingests and analyses: over 1 s
def test_files_and_portable_sql_count_the_same_clients(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log(), TARGET, size=5000)
    row = files_row(tmp_path, TARGET)
    assert (row["complete_downloads"], row["distinct_ips"]) == (5, 3) == (
        answer.totals["complete_downloads"], answer.totals["distinct_ips"])
    got = portable_equals_case(tmp_path / "portable", tmp_path / "logs", TARGET, AnalysisOptions(size=5000))
    assert {d["client"] for d in got["downloads"]} == {"host.example.com", "198.51.100.7", "other.example.net"}


@pytest.mark.slow  # ingests and analyses: over 1 s
def test_requests_of_one_client_asked_in_any_case(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text(_log())
    with Case(None) as case:
        case.ingest([log.parent])
        for asked in ("HOST.example.com", "host.example.com"):
            assert case.requests(client=asked)["line_no"].tolist() == [1, 2, 3]
            assert case.requests(TARGET, AnalysisOptions(size=5000), client=asked)["line_no"].tolist() == [1, 2, 3]


@pytest.mark.parametrize(("client", "key"), [
    ("Host.Example.COM", "host.example.com"),
    ("198.51.100.7", "198.51.100.7"),
    ("2001:db8::1", "2001:db8::1"),
    ("ABC:DEF", "ABC:DEF"),                # no address and no host name (hostname_sql): kept as written
    ("BÜCHER.Example", "bÜcher.example"),  # RFC 4343: ASCII letters only
    ("010.001.002.003", "010.001.002.003"),
    (None, None),
])
def test_the_client_key(client: str | None, key: str | None) -> None:
    assert duckdb.execute(f"SELECT {client_key_sql('$c')}", {"c": client}).fetchone() == (key,)


@pytest.mark.slow  # ingests and analyses: over 1 s
def test_copies_differing_only_in_the_case_of_a_name_are_one_line(tmp_path: Path) -> None:
    """README: the overlap rule reads the view, so a copy whose resolver wrote the name in other letters repeats the
    original's lines (counted once), not five more requests."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text(_log())
    (logs / "access.log.copy").write_text(_log().replace("Host.Example.COM", "host.example.com"))
    with Case(None) as case:
        case.ingest([logs])
        answer = case.analyse([TARGET], AnalysisOptions(size=5000))
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert overlap["path"].endswith("access.log.copy") and overlap["lines"] == 5
    assert answer["targets"][0]["totals"]["complete_downloads"] == 5
