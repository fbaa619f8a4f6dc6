"""A path-only --target over a log that records the host (Debian's other_vhosts_access.log, vhost_combined) counts
every site's requests for that path as one file: another site's 404 closes the window, its 200s open one. Said in
a warning naming the hosts with their requests and how to count one site (red team 17)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log

TARGET = "/docs/x.xlsx"


def _line(vhost: str, ip: str, minute: int, status: int = 200, size: int = 18412) -> str:
    return (f'{vhost} {ip} - - [08/Jun/2020:10:{minute:02d}:00 +0200] "GET {TARGET} HTTP/1.1" {status} {size} '
            '"-" "UA"')


def _answer(tmp_path: Path, target: str) -> tuple[dict, str]:
    write_log(tmp_path / "logs" / "apache2" / "other_vhosts_access.log", [
        _line("www.example.nl:443", "198.51.100.1", 1), _line("www.other.nl:80", "198.51.100.2", 2),
        _line("WWW.EXAMPLE.NL.:80", "198.51.100.3", 3), _line("www.other.nl:443", "198.51.100.4", 4, 404, 200),
        _line("www.example.nl:443", "198.51.100.5", 5, 200, 9000)])
    # nginx's catch-all `_` and a request to the server's address name no other site: never a host of the warning
    write_log(tmp_path / "logs" / "nginx" / "access.log", [
        '_ 198.51.100.6 - - [08/Jun/2020:10:00:30 +0200] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "UA"',
        '203.0.113.80 198.51.100.7 - - [08/Jun/2020:10:00:40 +0200] "GET /docs/x.xlsx HTTP/1.1" 200 18412 "-" "UA"'])
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", target, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"],
                                terminal_width=400)
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / "a.json").read_text()), result.output


def test_a_path_served_by_two_hosts_is_said(tmp_path: Path) -> None:
    answer, output = _answer(tmp_path, TARGET)
    said = ("/docs/x.xlsx was requested on 2 hosts (www.example.nl 3 requests, www.other.nl 2): its windows and "
            "downloads count them as one file; where they are different sites, give --target "
            "https://HOST/docs/x.xlsx to count one")
    assert said in answer["targets"][0]["warnings"]
    assert f"warning: {said}" in output


def test_a_target_naming_its_host_is_not_warned(tmp_path: Path) -> None:
    answer, _ = _answer(tmp_path, "https://www.example.nl/docs/x.xlsx")
    assert not [w for w in answer["targets"][0]["warnings"] if "was requested on" in w]
    assert answer["targets"][0]["totals"]["complete_downloads"] == 2
    assert answer["targets"][0]["totals"]["partial_downloads"] == 1


def test_files_says_the_hosts_as_analyse_does(tmp_path: Path) -> None:
    answer, _ = _answer(tmp_path, TARGET)
    [said] = [w for w in answer["targets"][0]["warnings"] if "was requested on" in w]
    case = tmp_path / "case.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--case", str(case), str(tmp_path / "logs")]).exit_code == 0
    result = CliRunner().invoke(app, ["files", "--case", str(case), "--json"], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert f"warning: {said}" in result.output
    rows = json.loads(result.stdout[result.stdout.index("["):])
    assert rows[0]["hosts"] == [{"host": "www.example.nl", "requests": 3}, {"host": "www.other.nl", "requests": 2}]


def test_the_dutch_report_says_the_hosts_in_dutch(tmp_path: Path) -> None:
    from exposure.report import wording
    from exposure.report.i18n import strings

    answer, _ = _answer(tmp_path, TARGET)
    [said] = [w for w in answer["targets"][0]["warnings"] if "was requested on" in w]
    assert wording.sentence(said, strings("nl")) == (
        "/docs/x.xlsx is opgevraagd op 2 hosts (www.example.nl 3 verzoeken, www.other.nl 2): de vensters en "
        "downloads tellen ze als één bestand; zijn het verschillende sites, geef dan --target "
        "https://HOST/docs/x.xlsx om er één te tellen")


def test_many_hosts_are_capped_on_the_terminal_and_page_one_and_kept_whole_in_the_json(tmp_path: Path) -> None:
    # red team 17 review t12/a: a client-controlled Host header, 400 hosts, a 13,001-character warning on the
    # terminal and page 1. The first HOSTS_SAID are named, the rest counted; the JSON's `hosts` keeps every one
    from exposure.answer import HOSTS_SAID

    write_log(tmp_path / "logs" / "apache2" / "other_vhosts_access.log",
              [_line(f"h{i:02d}.example.nl:443", f"198.51.100.{i}", i) for i in range(1, 13)])
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"],
                                terminal_width=400)
    assert result.exit_code == 0, result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    said = [w for w in answer["targets"][0]["warnings"] if "was requested on" in w]
    named = ", ".join(f"h{i:02d}.example.nl {'1 request' if i == 1 else 1}" for i in range(1, HOSTS_SAID + 1))
    assert said == [f"/docs/x.xlsx was requested on 12 hosts ({named} and {12 - HOSTS_SAID} more): its windows and "
                    "downloads count them as one file; where they are different sites, give --target "
                    "https://HOST/docs/x.xlsx to count one"]
    assert f"warning: {said[0]}" in result.output
    assert len(answer["targets"][0]["hosts"]) == 12
    assert {h["host"] for h in answer["targets"][0]["hosts"]} == {f"h{i:02d}.example.nl" for i in range(1, 13)}
    from exposure.report import wording
    from exposure.report.i18n import strings
    assert f"en {12 - HOSTS_SAID} meer): de vensters" in wording.sentence(said[0], strings("nl"))
