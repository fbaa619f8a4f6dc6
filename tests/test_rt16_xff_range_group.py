"""Red team 16, O6: behind a proxy, without --client-ip-from xff, two clients with one browser (X-Forwarded-For
203.0.113.7 and 192.0.2.99) each fetch half the file: the rule groups the 206 parts by the connecting address (the
proxy) and agent, and calls the group "complete (inferred)" with nothing saying it joins different clients.

Decided: the group stays as the rule makes it (the header is the client's word and can be forged; --client-ip-from
xff is how the user says to trust it, and then each forwarded client is its own group), and a complete range group
whose parts name different forwarded clients is said to join them: terminal, JSON and page 1 (EN and NL)."""

from __future__ import annotations

from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.ingest import IngestOptions
from exposure.report import ReportSettings
from exposure.report.wording import sentence
from tests.servers import analyse

T = "/f.bin"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120"
LINE = '10.0.0.5 - - [08/Jun/2020:10:{m} +0200] "GET /f.bin HTTP/1.1" {s} {b} "-" "{ua}" "{xff}"\n'
SAID = ("download 4 (a range group of 2 parts from 10.0.0.5, complete (inferred)) joins parts whose "
        "X-Forwarded-For names different clients (192.0.2.99 | 203.0.113.7): behind a proxy the pieces of several "
        "clients with one user agent may read as one copy that none of them held; give --client-ip-from xff with "
        "--trusted-proxy holding 10.0.0.5 to count each forwarded client apart (queries/windows.sql "
        "ranges_across_forwarded)")


def _log(second_xff: str) -> str:
    rows = [("00:00", 200, 10000, "198.51.100.1"), ("01:00", 200, 10000, "198.51.100.2"),
            ("02:00", 200, 10000, "198.51.100.3"), ("10:00", 206, 5000, "203.0.113.7"),
            ("10:30", 206, 5000, second_xff)]
    return "".join(LINE.format(m=m, s=s, b=b, ua=UA, xff=x) for m, s, b, x in rows)


def _said(answer) -> list[str]:  # noqa: ANN001
    return [w for w in answer.target["warnings"] if "ranges_across_forwarded" in w]


def test_a_complete_range_group_joining_forwarded_clients_is_said(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", _log("192.0.2.99"), T)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 4  # no figure changes
    assert _said(answer) == [SAID]
    assert "joins parts whose X-Forwarded-For names different clients" in " ".join(answer.output.split())
    assert sentence(SAID, {"lang": "nl"}).startswith(  # type: ignore[arg-type]
        "download 4 (een groep deelresponsen van 2 delen van 10.0.0.5, volledig (afgeleid)) voegt delen samen "
        "waarvan X-Forwarded-For verschillende clients noemt (192.0.2.99 | 203.0.113.7)")


def test_one_forwarded_client_or_the_header_trusted_is_not_said(tmp_path: Path) -> None:
    assert _said(analyse(tmp_path / "one", "access.log", _log("203.0.113.7"), T)) == []
    # with --client-ip-from xff each forwarded client is its own address: two partials, nothing joined
    trusted = analyse(tmp_path / "xff", "access.log", _log("192.0.2.99"), T, "--client-ip-from", "xff",
                      "--trusted-proxy", "10.0.0.0/8", ingest=IngestOptions(client_ip_from="xff",
                                                                           trusted_proxies=("10.0.0.0/8",)))
    assert _said(trusted) == []


def test_the_header_named_but_the_proxy_not_trusted_is_still_said(tmp_path: Path) -> None:
    # review F3: --client-ip-from xff without a --trusted-proxy holding 10.0.0.5: the client stays the proxy (one
    # group of two clients' parts), and the warning was gone (decided per evidence file, not per line)
    untrusted = analyse(tmp_path, "access.log", _log("192.0.2.99"), T, "--client-ip-from", "xff",
                        ingest=IngestOptions(client_ip_from="xff"))
    assert _said(untrusted) == [SAID]
    assert sentence(SAID, {"lang": "nl"}).endswith(  # type: ignore[arg-type]
        "geef --client-ip-from xff met --trusted-proxy die 10.0.0.5 bevat om elke doorgestuurde client apart te "
        "tellen (queries/windows.sql ranges_across_forwarded)")


def test_one_client_through_two_proxy_chains_is_one_client(tmp_path: Path) -> None:
    # review F4 (/tmp/review_rt16left/xff/chain): `203.0.113.7` and `203.0.113.7, 10.1.1.2` (a private proxy
    # appended) name one client, the one --client-ip-from xff takes behind the proxy and private hops; compared
    # whole they read as two clients
    assert _said(analyse(tmp_path / "chain", "access.log", _log("203.0.113.7, 10.1.1.2"), T)) == []
    # a public address appended is no proxy of ours: the client it names is another
    said = _said(analyse(tmp_path / "public", "access.log", _log("203.0.113.7, 198.51.100.77"), T))
    assert len(said) == 1 and "(198.51.100.77 | 203.0.113.7)" in said[0]


def test_page_one_says_it_in_both_languages(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text(_log("192.0.2.99"))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report([T], tmp_path / "en", AnalysisOptions(geoip_city="none"), ReportSettings(pdf=False))
        case.report([T], tmp_path / "nl", AnalysisOptions(geoip_city="none"), ReportSettings(lang="nl", pdf=False))
    en = (tmp_path / "en" / "report.html").read_text()
    page_one = en.split('id="summary"')[1].split("</section>")[0]
    assert "joins parts whose X-Forwarded-For names different clients" in page_one
    nl = (tmp_path / "nl" / "report.html").read_text()
    assert "voegt delen samen waarvan X-Forwarded-For verschillende clients noemt" in nl
    assert "joins parts whose" not in nl
