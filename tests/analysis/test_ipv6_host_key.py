"""One IPv6 virtual host written three ways (`[2001:db8:0::1]`, `[2001:DB8::1]:443`, `[2001:db8:0:0:0:0:0:1]`) is one
host: host_key (queries/downloads_rule.sql) writes an IPv6 address in its one text form (RFC 5952), and a target's
host is keyed by the same macro (exposure/hostkey.py), the export carries it (exposure.host_key) for the portable
rule. Before, host_key only lower-cased: a target `https://[2001:db8::1]/docs/x.xlsx` had 1 of its 3 downloads
(/tmp/w3cfix/c2_ipv6)."""

from __future__ import annotations

import ipaddress
import random
from pathlib import Path

import duckdb
import pytest

from exposure import AnalysisOptions, Case, queries
from exposure.analysis.targets import parse_target
from exposure.hostkey import host_key
from exposure.portable import DuckDBEngine, run_portable

HEAD = ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) "
        "cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")
HOSTS = ["[2001:db8:0::1]", "[2001:DB8::1]:443", "[2001:db8:0:0:0:0:0:1]"]


def _sql_key(values: list[str]) -> list[str]:
    con = duckdb.connect()
    con.execute(queries.get("download_rule").sql)
    return [con.execute("SELECT host_key(?)", [v]).fetchone()[0] for v in values]


def test_every_spelling_of_an_ipv6_host_is_one_key_and_other_hosts_keep_theirs() -> None:
    assert _sql_key(HOSTS) == ["2001:db8::1"] * 3
    assert _sql_key(["[::1]", "[0:0:0:0:0:0:0:0]", "[1:0:0:2:0:0:0:3]", "[2001:0db8:0:0:1:0:0:1]", "www.Example.nl.:80",
                     "192.0.2.1:80", "_", "[fe80::1%eth0]", "[::ffff:192.0.2.1]"]) == [
        "::1", "::", "1:0:0:2::3", "2001:db8::1:0:0:1", "www.example.nl", "192.0.2.1", "_", "fe80::1%eth0",
        "::ffff:192.0.2.1"]


def test_python_keys_a_target_host_as_sql_does() -> None:
    rng = random.Random(7)
    spelt = []
    for _ in range(60):
        a = ipaddress.IPv6Address(":".join(f"{rng.choice([0, 0, 1, 0xdb8, 0xffff]):x}" for _ in range(8)))
        spelt += [f"[{a.exploded}]", f"[{a.compressed.upper()}]:8443"]
    want = [str(ipaddress.IPv6Address(h.split("]")[0][1:])) for h in spelt]
    assert _sql_key(spelt) == want
    assert [host_key(h) for h in spelt] == want
    assert parse_target("https://[2001:DB8:0::1]/docs/x.xlsx").host == "2001:db8::1"


@pytest.mark.slow
def test_a_target_on_an_ipv6_host_has_every_spellings_downloads_at_every_door(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "u_ex200608.log"
    log.parent.mkdir()
    log.write_text("\n".join([HEAD] + [
        f"2020-06-08 12:1{n}:18 192.0.2.1 GET /docs/x.xlsx - 443 - 198.51.100.{n} HTTP/1.1 Mozilla/5.0 - {h} "
        "200 0 0 18412 420 31" for n, h in enumerate(HOSTS, 1)]) + "\n")
    options = AnalysisOptions(size=18412)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        for target in ("https://[2001:db8::1]/docs/x.xlsx", "https://[2001:DB8:0::1]/docs/x.xlsx"):
            got = case.downloads(target, options)
            assert sorted(got["client_ip"]) == ["198.51.100.1", "198.51.100.2", "198.51.100.3"], target
            assert case.files(targets=[target]).to_dict("records")[0]["complete_downloads"] == 3
        case.export_parquet(tmp_path / "export")
    portable = run_portable(DuckDBEngine(), tmp_path / "export", "https://[2001:db8:0::1]/docs/x.xlsx", options)
    assert sorted(r["client"] for r in portable.downloads.to_pylist()) == ["198.51.100.1", "198.51.100.2",
                                                                          "198.51.100.3"]
