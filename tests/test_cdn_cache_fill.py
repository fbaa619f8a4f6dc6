"""Red team 14 (G_origin_cdn): a CDN filling its cache from the origin is not a person's download, and the origin's
log alone does not show who got the file from the CDN.

An origin's nginx log beside the CloudFront standard log of the same hour: `exposure analyse --target
/docs/leak.pdf` said '8 complete downloads from 8 addresses', 3 of them CloudFront's cache fills (agent `Amazon
CloudFront`) classed `tool`, and nothing said they were a CDN, nor that with the origin's log alone the CDN may
have served the file to any number of viewers logged only in the CDN's own logs. The fills stay counted (a copy left
the origin); their class is `cdn`, the headline says how many of the downloads they are, and a warning per window
says what the case holds of the CDN's logs (queries/cdn.sql cdn_cache_fills)."""

from __future__ import annotations

import csv
import html as htmllib
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case, clients, derived
from exposure.cli import app
from exposure.report import ReportSettings
from exposure.report.caveats import caveats
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.conftest import write_log

TARGET = "/docs/leak.pdf"
SIZE = 5_242_880
START = datetime(2024, 3, 10, 9, 0)
FILLS = (("130.176.12.5", 0, "198.51.100.1"), ("130.176.99.7", 120, "198.51.100.50"),
         ("64.252.80.3", 240, "198.51.100.60"))  # (CloudFront's address, minutes after START, the viewer it named)
CF_FIELDS = ("date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
             "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
             "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
             "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
             "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end")
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def _origin(when: datetime, client: str, path: str, status: int, size: int, agent: str, xff: str) -> str:
    return (f'{client} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {path} HTTP/1.1" {status} {size} "-" "{agent}" '
            f'"{xff}"')


def _edge(when: datetime, viewer: str, path: str, status: int, content_length: int | None) -> str:
    sent = (content_length or 0) + 430
    agent = CHROME.replace(" ", "%20")
    return "\t".join([
        f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}", "AMS1-C1", str(sent), viewer, "GET", "d111111abcdef8.cloudfront.net",
        path, str(status), "-", agent, "-", "-", "Hit", "idEXAMPLE==", "www.example.nl", "https", "180", "0.042", "-",
        "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "51234", "0.010", "Hit", "application/pdf",
        str(content_length) if content_length is not None else "-", "-", "-"])


def _logs(root: Path, cdn_log: bool) -> Path:
    """The origin's nginx log (page views and 3 cache fills by CloudFront, one browser download straight from the
    origin, a 404 the next day) and, with `cdn_log`, the distribution's standard log: 5 viewers' downloads and the
    404 the next day."""
    origin = []
    for i in range(24):  # CloudFront fetching a page every hour: the origin's stream is never silent for long
        origin.append(_origin(START + timedelta(minutes=60 * i + 30), "130.176.12.5", "/index.html", 200, 5120,
                              "Amazon CloudFront", "198.51.100.7"))
    for address, minutes, viewer in FILLS:
        origin.append(_origin(START + timedelta(minutes=minutes), address, TARGET, 200, SIZE, "Amazon CloudFront",
                              viewer))
    origin.append(_origin(START + timedelta(minutes=150), "192.0.2.44", TARGET, 200, SIZE, CHROME, "-"))
    origin.append(_origin(START + timedelta(hours=20), "130.176.12.9", TARGET, 404, 153, "Amazon CloudFront",
                          "198.51.100.99"))
    origin.sort(key=lambda line: datetime.strptime(line.split("[")[1][:20], "%d/%b/%Y:%H:%M:%S"))
    write_log(root / "logs" / "access.log", origin)
    if cdn_log:
        edge = ["#Version: 1.0", f"#Fields: {CF_FIELDS}"]
        edge += [_edge(START + timedelta(minutes=i), f"198.51.100.{i + 1}", TARGET, 200, SIZE) for i in range(5)]
        edge.append(_edge(START + timedelta(hours=19), "198.51.100.99", TARGET, 404, None))
        write_log(root / "logs" / "E2ABC.2024-03-10-09.abcd.log", edge)
    return root / "logs"


def _answer(root: Path, cdn_log: bool) -> dict:
    with Case() as case:
        case.ingest([_logs(root, cdn_log)])
        return case.analyse([TARGET], AnalysisOptions())["targets"][0]


def _cdn_warnings(target: dict) -> list[str]:
    return [w for w in target["warnings"] if "CDN" in w]


ADDRESSES = "130.176.12.5, 130.176.99.7, 64.252.80.3"
SAID_WITH_LOG = (f"window 1: the file was fetched 3 times (3 complete) by a CDN filling its cache (Amazon CloudFront, "
                 f"by its user agent, from {ADDRESSES}): viewers who got it from the CDN appear only in the CDN's own "
                 "logs (the case holds CloudFront logs: 5 downloads there, none by 2 addresses the fills named "
                 "(X-Forwarded-For) within 15 minutes: 198.51.100.50, 198.51.100.60, so CloudFront logs may be missing; "
                 "queries/cdn.sql cdn_cache_fills)")
SAID_WITHOUT = (f"window 1: the file was fetched 3 times (3 complete) by a CDN filling its cache (Amazon CloudFront, "
                f"by its user agent, from {ADDRESSES}): viewers who got it from the CDN appear only in the CDN's own "
                "logs (no CloudFront log is in the case: supply the distribution's standard logs; queries/cdn.sql "
                "cdn_cache_fills)")


def test_cloudfront_s_origin_agent_is_a_cdn_cache_fill() -> None:
    """crawler-user-agents tags `Amazon CloudFront` http-library (a tool); exposure corrects it (PATTERN_CLASS).
    Seen red with the correction taken out of PATTERN_CLASS: tool."""
    found = clients.classify_user_agent("Amazon CloudFront")
    assert (found.client_class, found.client_name) == ("cdn", "Amazon CloudFront (CDN cache fill)")
    assert "cdn" in clients.CLIENT_CLASSES
    # a browser naming CloudFront nowhere, and a tool, keep their classes
    assert clients.classify_user_agent(CHROME).client_class == "browser"
    assert clients.classify_user_agent("curl/8.5.0").client_class == "tool"


def test_a_case_classed_before_the_correction_is_classed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classes a case keeps (exposure/derived.py) are used only under the rule they were made by: a change to
    clients.py's own tables changes that rule, also under one tool version. Seen red with `classes` taken out of
    derived.rule(): the rule stayed the same."""
    derived.rule.cache_clear()
    before = derived.rule()
    monkeypatch.setattr(clients, "SIGNATURES", tuple(x for x in clients.SIGNATURES if x[1] != "cdn"))
    derived.rule.cache_clear()
    try:
        assert derived.rule() != before
    finally:
        monkeypatch.undo()
        derived.rule.cache_clear()
    assert derived.rule() == before


def test_origin_and_cdn_logs_the_fills_are_counted_labelled_and_said(tmp_path: Path) -> None:
    """The repro's pair. Seen red with the class correction taken out (client_class tool, cdn_complete_downloads
    0, no warning: the query finds no `cdn`) and with answer.py not adding the warning (no CDN warning). The fills
    made for viewers 198.51.100.50 and .60 (X-Forwarded-For) have no download in the CloudFront log: its files for
    them are missing (the one for 198.51.100.1 has its download there, 09:00). Seen red with queries/cdn.sql's
    `unlogged` left out of the row (coalesce to []): no such clause."""
    target = _answer(tmp_path, cdn_log=True)
    totals = target["totals"]
    # 5 viewers (CloudFront's log), 3 fills and 1 browser straight from the origin: every copy that left is counted
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["cdn_complete_downloads"]) == (9, 9, 3)
    by_ip = {d["client_ip"]: d["client_class"] for d in target["downloads"]}
    assert {ip for ip, cls in by_ip.items() if cls == "cdn"} == {a for a, _, _ in FILLS}
    assert by_ip["192.0.2.44"] == "browser"
    assert {p["client_ip"]: p["client_class"] for p in target["per_ip"]}["64.252.80.3"] == "cdn"
    assert _cdn_warnings(target) == [SAID_WITH_LOG]
    assert sentence(SAID_WITH_LOG, strings("nl")) == (
        f"venster 1: het bestand is 3 keer (3 volledig) opgehaald door een CDN dat zijn cache vult (Amazon "
        f"CloudFront, volgens zijn user agent, vanaf {ADDRESSES}): bezoekers die het van het CDN kregen staan alleen "
        "in de eigen logs van het CDN (de zaak bevat CloudFront-logs: 5 downloads daar, geen van 2 adressen die de "
        "vullingen noemden (X-Forwarded-For) binnen 15 minuten: 198.51.100.50, 198.51.100.60, dus er ontbreken "
        "mogelijk CloudFront-logs; queries/cdn.sql cdn_cache_fills)")


def test_the_origin_s_log_alone_asks_for_the_cdn_s_logs(tmp_path: Path) -> None:
    """Only the origin's log: the evidence gap is said, with what to supply, and page 1 carries it whatever else it
    says (EVIDENCE.md 18: answer.must_carry). Seen red with queries/cdn.sql counting `cdn_logs` from every ingested
    file (format test taken out): 'the case holds CloudFront logs: 0 downloads there'; and with CDN_FILL taken out
    of must_carry."""
    target = _answer(tmp_path, cdn_log=False)
    assert (target["totals"]["complete_downloads"], target["totals"]["cdn_complete_downloads"]) == (4, 3)
    assert _cdn_warnings(target) == [SAID_WITHOUT]
    assert [c["must"] for c in caveats(target["warnings"], [target], strings("en")) if "CDN" in c["text"]] == [True]
    assert sentence(SAID_WITHOUT, strings("nl")) == (
        f"venster 1: het bestand is 3 keer (3 volledig) opgehaald door een CDN dat zijn cache vult (Amazon "
        f"CloudFront, volgens zijn user agent, vanaf {ADDRESSES}): bezoekers die het van het CDN kregen staan alleen "
        "in de eigen logs van het CDN (er zit geen CloudFront-log in de zaak: lever de standaardlogs van de "
        "distributie aan; queries/cdn.sql cdn_cache_fills)")


def test_no_cdn_no_word_of_it(tmp_path: Path) -> None:
    """The CDN's log alone (its viewers, no cache fill in it): no CDN warning, no CDN figure."""
    logs = _logs(tmp_path, cdn_log=True)
    (logs / "access.log").unlink()
    with Case() as case:
        case.ingest([logs])
        target = case.analyse([TARGET], AnalysisOptions())["targets"][0]
    assert (target["totals"]["complete_downloads"], target["totals"]["cdn_complete_downloads"]) == (5, 0)
    assert _cdn_warnings(target) == []


def test_the_terminal_says_the_fills_beside_the_figure_and_warns(tmp_path: Path) -> None:
    """Seen red with terminal/answer.py not saying cdn_complete_downloads (the figure line alone)."""
    result = CliRunner().invoke(app, ["analyse", str(_logs(tmp_path, cdn_log=False)), "--target", TARGET],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert ("complete downloads 4 from 4 external addresses (3 of them by a CDN filling its cache from the origin: "
            "the CDN's copies, not a viewer's; see the warning)") in result.output
    assert f"warning: {SAID_WITHOUT}" in result.output


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_the_fills_and_the_gap(tmp_path: Path, lang: str) -> None:
    """Page 1 (the HTML's cover) says how many of the downloads are the CDN's and carries the warning, in English and
    Dutch; downloads.csv carries the class. Seen red with report/model.py not adding key_cdn (no 'by a CDN filling
    its cache from the origin' on page 1)."""
    s = strings(lang)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_logs(tmp_path, cdn_log=False)])
        case.report([TARGET], out, AnalysisOptions(), ReportSettings(pdf=False, lang=lang))
    text = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "").replace("\u00ad", "")
    page_one = " ".join(htmllib.unescape(text.split('data-section="summary"')[0]).split())
    assert s.f("key_cdn", n=3) in page_one
    assert " ".join(sentence(SAID_WITHOUT, s).split())[:120] in page_one
    with (out / "downloads.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["client_class"] for r in rows) == ["browser", "cdn", "cdn", "cdn"]
    assert json.loads((out / "analysis.json").read_text(encoding="utf-8"))["targets"][0]["totals"][
        "cdn_complete_downloads"] == 3


def test_the_viewers_are_looked_for_only_where_the_case_holds_cloudfront_logs(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """cdn_unlogged_viewers plans the address macros (a third of a second per target on the sample case: 170 ms
    where cdn_cache_fills alone took 9 ms): an answer asks it only where fills were found and the case holds
    CloudFront logs. Seen red with answer._cdn_fills asking it always (run in the origin-only case)."""
    from exposure.analysis.analyser import Analyser

    run: list[str] = []
    real = Analyser.target_query
    monkeypatch.setattr(Analyser, "target_query",
                        lambda self, name, *a, **k: run.append(name) or real(self, name, *a, **k))
    assert _cdn_warnings(_answer(tmp_path / "origin", cdn_log=False)) == [SAID_WITHOUT]
    assert "cdn_cache_fills" in run and "cdn_unlogged_viewers" not in run
    run.clear()
    assert _cdn_warnings(_answer(tmp_path / "both", cdn_log=True)) == [SAID_WITH_LOG]
    assert "cdn_unlogged_viewers" in run


def test_a_header_entry_that_is_no_address_is_no_viewer(tmp_path: Path) -> None:
    """A fill whose X-Forwarded-For ends in a word ('unknown', as a proxy hiding its client writes): that entry names
    no address and is left out; the addresses before it are tried (a hop after CloudFront appends its own entry).
    Seen red with queries/cdn.sql keeping the entry as written (coalesce(address_norm(named), trim(named))):
    'unknown' named as a viewer."""
    logs = _logs(tmp_path, cdn_log=True)
    origin = (logs / "access.log").read_text(encoding="utf-8").replace('"198.51.100.60"', '"198.51.100.60, unknown"')
    (logs / "access.log").write_text(origin, encoding="utf-8")
    with Case() as case:
        case.ingest([logs])
        target = case.analyse([TARGET], AnalysisOptions())["targets"][0]
    assert _cdn_warnings(target) == [SAID_WITH_LOG]  # 198.51.100.60 named by its own entry, 'unknown' by none


def test_a_browser_agent_naming_cloudfront_is_no_cache_fill() -> None:
    """The class rests on the whole agent CloudFront sends, not on the words anywhere in it (crawler-user-agents'
    pattern): a Chrome agent with ' Amazon CloudFront' appended (anyone can send it) was a `cdn`, 'the CDN's copies,
    not a viewer's' (review of cdnfill). Seen red with the class back on the pattern (PATTERN_CLASS)."""
    assert clients.classify_user_agent("Amazon CloudFront").client_class == "cdn"
    assert clients.classify_user_agent(CHROME + " Amazon CloudFront").client_class != "cdn"


def test_a_hop_behind_cloudfront_does_not_make_a_logged_viewer_missing(tmp_path: Path) -> None:
    """A load balancer between CloudFront and the origin appends CloudFront's address after the viewer's: the last
    entry is no viewer. A fill whose X-Forwarded-For names a viewer the CloudFront log holds says nothing is missing,
    and the viewers' count there leaves out a fill a CloudFront log holds itself (a chained distribution). Seen red
    with the last entry alone (130.176.x named 'missing') and with the CloudFront log's own fill counted (6)."""
    logs = _logs(tmp_path, cdn_log=True)
    origin = (logs / "access.log").read_text(encoding="utf-8")
    origin = origin.replace('"198.51.100.1"', '"198.51.100.1, 130.176.200.1"')  # the first fill's viewer is logged
    (logs / "access.log").write_text(origin, encoding="utf-8")
    edge = logs / "E2ABC.2024-03-10-09.abcd.log"
    chained = _edge(START + timedelta(minutes=7), "130.176.50.1", TARGET, 200, SIZE).replace(
        CHROME.replace(" ", "%20"), "Amazon%20CloudFront")
    edge.write_text(edge.read_text(encoding="utf-8") + chained + "\n", encoding="utf-8")
    with Case() as case:
        case.ingest([logs])
        [said] = _cdn_warnings(case.analyse([TARGET], AnalysisOptions())["targets"][0])
    assert ("the case holds CloudFront logs: 5 downloads there, none by 2 addresses the fills named "
            "(X-Forwarded-For) within 15 minutes: 198.51.100.50, 198.51.100.60, so CloudFront logs may be missing") in said


def test_fills_in_many_windows_are_one_warning_in_english_and_dutch(tmp_path: Path) -> None:
    """A caveat page 1 must carry, one per window, took page 1 over where fills fell in fourteen windows (review of
    cdnfill: the status list on page 2). One warning names the windows; its Dutch twin too. Seen red with the
    query grouped per window (three warnings)."""
    origin = []
    for w in range(3):  # published, filled twice, taken down (404), each day
        day = START + timedelta(days=w)
        origin += [_origin(day, "192.0.2.44", TARGET, 200, SIZE, CHROME, "-"),
                   _origin(day + timedelta(minutes=10), f"130.176.12.{w + 1}", TARGET, 200, SIZE,
                           "Amazon CloudFront", "198.51.100.1"),
                   _origin(day + timedelta(minutes=20), f"64.252.80.{w + 1}", TARGET, 200, SIZE,
                           "Amazon CloudFront", "198.51.100.2")]
        origin += [_origin(day + timedelta(minutes=30 + 20 * i), "192.0.2.45", "/index.html", 200, 512, CHROME, "-")
                   for i in range(60)]
        origin.append(_origin(day + timedelta(hours=21), "192.0.2.46", TARGET, 404, 153, CHROME, "-"))
    write_log(tmp_path / "logs" / "access.log", sorted(
        origin, key=lambda line: datetime.strptime(line.split("[")[1][:20], "%d/%b/%Y:%H:%M:%S")))
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        target = case.analyse([TARGET], AnalysisOptions())["targets"][0]
    assert len(target["windows"]) == 3
    [said] = _cdn_warnings(target)
    assert said.startswith("windows 1, 2 and 3: the file was fetched 6 times (6 complete) by a CDN filling its cache")
    assert sentence(said, strings("nl")).startswith("vensters 1, 2 en 3: het bestand is 6 keer (6 volledig) opgehaald")
