"""Spread signals per target: archives, crawlers, link previews (claimed vs verified), referrers, summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from tests.conftest import ROOT, SAMPLE_LOGS, write_log
from tests.logs import clf, t

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
SAMPLE_ASN = ROOT / "exposure" / "data" / "sample-asn.mmdb"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:77.0) Gecko/20100101 Firefox/77.0"
FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"


@pytest.fixture(scope="module")
def sample_answer(sample_case_path: Path) -> dict:
    with Case(sample_case_path, read_only=True) as case:
        return case.analyse([TARGET], AnalysisOptions(internal=("203.0.113.0/24",), geoip_asn=str(SAMPLE_ASN)))


def _truth_time(truth: dict, client: str) -> list[str]:
    return [d["time"] for d in truth["complete_downloads"] if d["client_ip"] == client]


def test_sample_crawler_archive_and_link_preview_downloads(sample_answer: dict, sample_truth: dict) -> None:
    tgt = sample_answer["targets"][0]
    assert tgt["totals"]["complete_downloads"] == 11 and tgt["totals"]["distinct_ips"] == 7  # classes explain only
    classes = {(d["client_ip"], d["time"]): d["client_class"] for d in tgt["downloads"] if d["outcome"] == "complete"}
    for ip, cls in (("66.249.66.159", "crawler"), ("207.241.229.50", "archive"), ("149.154.161.207", "link-preview"),
                    ("188.166.103.46", "tool"), ("84.29.143.61", "browser")):
        for when in _truth_time(sample_truth, ip):
            assert classes[(ip, when)] == cls
    spread = tgt["spread"]
    [google] = [c for c in spread["crawlers"] if c["client_ip"] == "66.249.66.159"]
    assert google["complete_at"] == _truth_time(sample_truth, "66.249.66.159")
    assert google["crawler_verified"] is True and "googlebot.json" in google["verification"]
    [archive] = spread["archives"]
    assert (archive["client_name"], archive["complete_at"]) == ("Internet Archive", ["2020-06-09T01:14:52Z"])
    assert archive["statuses"] == [200, 404] and archive["crawler_verified"] is True
    [telegram] = spread["link_previews"]
    assert (telegram["client_name"], telegram["complete_at"]) == ("Telegram", ["2020-06-17T06:03:44Z"])
    assert spread["summary"][:2] == [
        "a web-archive crawler (Internet Archive, verified) from 207.241.229.50 obtained a complete copy at "
        "2020-06-09T01:14:52Z",
        "a search-engine crawler (Googlebot, verified) from 66.249.66.159 obtained 2 complete copies at "
        "2020-06-08T14:47:31Z and 2020-06-15T07:31:55Z",
    ]
    assert ("a link-preview fetcher (Telegram, verified) from 149.154.161.207 obtained a complete copy at "
            "2020-06-17T06:03:44Z: someone pasted the link into Telegram") in spread["summary"]


def test_sample_per_ip_geo_and_classes(sample_answer: dict) -> None:
    tgt = sample_answer["targets"][0]
    per_ip = {p["client_ip"]: p for p in tgt["per_ip"]}
    assert {k: per_ip["66.249.66.159"][k] for k in ("client_class", "crawler_verified", "asn", "as_org", "country")} \
        == {"client_class": "crawler", "crawler_verified": True, "asn": 15169, "as_org": "Google LLC", "country": "US"}
    assert per_ip["149.154.161.207"]["client_class"] == "link-preview"
    assert per_ip["207.241.229.50"]["asn"] == 7941
    assert per_ip["84.29.143.61"]["crawler_verified"] is None  # a browser claims no crawler identity
    assert per_ip["84.29.143.61"]["as_org"] == "Ziggo B.V." and per_ip["84.29.143.61"]["network_type"] == "public"
    assert "GeoLite2-City was built 2018-07-03" in per_ip["84.29.143.61"]["geo_note"]
    assert per_ip["203.0.113.24"]["network_type"] == "reserved" and per_ip["203.0.113.24"]["country"] is None
    dbs = {d["kind"]: d for d in tgt["geoip_databases"]}
    assert dbs["city"]["older_than_events"] is True and dbs["city"]["build_date"].startswith("2018-07-03")
    assert dbs["asn"]["older_than_events"] is False and dbs["asn"]["path"] == str(SAMPLE_ASN)


def test_verified_versus_claimed_crawlers(tmp_path: Path) -> None:
    log = write_log(tmp_path / "access.log", [
        clf("66.249.66.1", t(8, 10), "/f.pdf", 200, 4000, ua=GOOGLEBOT),       # in Google's published ranges
        clf("198.51.100.20", t(8, 11), "/f.pdf", 200, 4000, ua=GOOGLEBOT),     # claims Googlebot from elsewhere
        clf("157.55.39.1", t(8, 12), "/f.pdf", 200, 4000, ua=BINGBOT),         # in bingbot.json
        clf("31.13.64.1", t(8, 14), "/f.pdf", 200, 4000, ua=FACEBOOK),         # Meta publishes no ranges
        clf("84.29.143.61", t(8, 13), "/f.pdf", 200, 4000, ua=FIREFOX),
    ])
    with Case() as case:
        case.ingest([log])
        tgt = case.analyse(["/f.pdf"], AnalysisOptions(geoip_city="none"))["targets"][0]
    per_ip = {p["client_ip"]: p for p in tgt["per_ip"]}
    assert per_ip["66.249.66.1"]["crawler_verified"] is True
    assert per_ip["198.51.100.20"]["crawler_verified"] is False
    assert per_ip["198.51.100.20"]["crawler_verification"] == [
        "claimed, not verified: address outside the shipped ranges of Googlebot "
        "(https://developers.google.com/static/search/apis/ipranges/googlebot.json, recorded 2026-12-04)"]
    assert per_ip["157.55.39.1"]["crawler_verified"] is True
    assert per_ip["31.13.64.1"]["crawler_verified"] is False
    assert per_ip["31.13.64.1"]["crawler_verification"][0].startswith(
        "claimed, not verifiable from logs: Facebook: Meta publishes no address list")
    assert per_ip["84.29.143.61"]["crawler_verified"] is None
    assert tgt["totals"]["complete_downloads"] == 5  # a class never removes a download
    summary = tgt["spread"]["summary"]
    assert ("a search-engine crawler (Googlebot, claimed, not verified) from 198.51.100.20 obtained a complete copy "
            "at 2020-06-08T11:00:00Z") in summary
    assert tgt["geoip_databases"] == []


def test_referrers_grouped_by_site_and_category(tmp_path: Path) -> None:
    page = "https://www.example.org/nieuws/besluit"
    log = write_log(tmp_path / "access.log", [
        clf("84.29.143.61", t(8, 9), "/nieuws/besluit", 200, 900),
        clf("84.29.143.61", t(8, 10), "/f.pdf", 200, 4000, referer=page),
        clf("84.29.143.62", t(8, 11), "/f.pdf", 200, 4000, referer="https://www.google.com/"),
        clf("84.29.143.63", t(8, 12), "/f.pdf", 200, 4000, referer="https://t.co/q8ZbW2mXcT"),
        clf("84.29.143.64", t(8, 13), "/f.pdf", 200, 4000, referer="https://web.whatsapp.com/"),
        clf("84.29.143.65", t(8, 14), "/f.pdf", 200, 1000, referer="https://nos.example/artikel/123"),
        clf("84.29.143.66", t(8, 15), "/f.pdf", 200, 4000, referer="https://nos.example/artikel/123"),
        clf("84.29.143.67", t(8, 16), "/f.pdf", 200, 4000),
        clf("84.29.143.68", t(8, 17), "/f.pdf", 200, 4000, referer="https://mail.google.com/mail/u/0/"),
    ])
    with Case() as case:
        case.ingest([log])
        spread = case.analyse(["/f.pdf"], AnalysisOptions(size=4000, geoip_city="none"))["targets"][0]["spread"]
    refs = {(r["site"], r["category"]): (r["downloads"], r["complete"], r["pages"]) for r in spread["referrers"]}
    assert refs == {
        ("nos.example", "other site"): (2, 1, ["https://nos.example/artikel/123"]),
        ("www.example.org", "publication site"): (1, 1, [page]),
        ("www.google.com", "search engine"): (1, 1, ["https://www.google.com/"]),
        ("t.co", "social network"): (1, 1, ["https://t.co/q8ZbW2mXcT"]),
        ("web.whatsapp.com", "chat web client"): (1, 1, ["https://web.whatsapp.com/"]),
        ("mail.google.com", "webmail"): (1, 1, ["https://mail.google.com/mail/u/0/"]),
        (None, "no referrer"): (1, 1, []),
    }
    assert spread["referrers"][0]["site"] == "nos.example"  # most downloads first
    assert "2 downloads (1 complete) were referred from nos.example (other site)" in spread["summary"]
    assert "1 download (1 complete) carried no referrer" in spread["summary"]  # it said "1 download(s)"
    assert "no web archive, crawler or link-preview fetcher requested it in the evidence" in spread["summary"]


def test_sample_asn_database_is_rebuilt_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "sample-asn.mmdb"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_sample_asn.py"),
                    str(ROOT / "exposure" / "data" / "sample-asn.csv"), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == SAMPLE_ASN.read_bytes()


def test_cli_summary_shows_per_address_columns(tmp_path: Path) -> None:
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("149.154.161.207", t(8, 10), "/f.pdf", 200, 4000, ua="TelegramBot (like TwitterBot)"),
        clf("100.64.1.2", t(8, 11), "/f.pdf", 200, 4000, ua=FIREFOX),
    ])
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", "/f.pdf", "--geoip-asn", str(SAMPLE_ASN)],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "149.154.161.207" in line and "AS62041" in line)
    for text in ("link-preview", "verified", "public", "GB", "AS62041", "Telegram"):
        assert text in row
    shared = next(line for line in result.output.splitlines() if "100.64.1.2" in line and "shared" in line)
    assert "shared" in shared and "browser" in shared
    assert "a link-preview fetcher (Telegram, verified) from 149.154.161.207" in result.output
    bad = CliRunner().invoke(app, ["analyse", str(log), "--target", "/f.pdf", "--geoip-city", str(tmp_path / "no.mmdb")])
    assert bad.exit_code == 2
    assert "--geoip-city: no GeoIP database at" in bad.output


def test_demo_json_keys(sample_answer: dict) -> None:
    tgt = sample_answer["targets"][0]
    new = {"country", "city", "asn", "as_org", "network_type", "client_class", "crawler_verified", "accuracy_radius",
           "geo_note"}
    assert all(new <= set(p) for p in tgt["per_ip"])
    assert set(tgt["spread"]) == {"archives", "crawlers", "link_previews", "referrers", "summary"}
    json.dumps(sample_answer)  # serialisable as is
    assert SAMPLE_LOGS.is_dir()


def test_the_referrer_lines_agree_in_number() -> None:
    """'1 download (0 complete) were referred', '1 download (1 volledig) hadden geen verwijzer': the verb follows
    the count (exposure/plural.py), in English and Dutch."""
    from exposure.analysis.spread import summary

    spread = {"archives": [], "crawlers": [], "link_previews": [],
              "referrers": [{"category": "other site", "site": "nos.example", "downloads": 1, "complete": 0},
                            {"category": "no referrer", "site": None, "downloads": 1, "complete": 1},
                            {"category": "other site", "site": "{n}.example", "downloads": 2, "complete": 1}]}
    en, nl = summary(spread, "en"), summary(spread, "nl")
    assert en[1:] == ["1 download (0 complete) was referred from nos.example (other site)",
                      "1 download (1 complete) carried no referrer",
                      "2 downloads (1 complete) were referred from {n}.example (other site)"]
    assert nl[1:] == ["1 download (0 volledig) kwam via nos.example (andere site)",
                      "1 download (1 volledig) had geen verwijzer",
                      "2 downloads (1 volledig) kwamen via {n}.example (andere site)"]


def test_a_claim_no_ranges_can_check_is_said_not_verifiable_everywhere(tmp_path: Path) -> None:
    """Meta publishes no ranges: its claim is `claimed, not verifiable from logs` in the JSON's verification, the
    terminal's per-address table, the onward-spread sentence (JSON summary, terminal) and the Dutch report's
    sentence (before: `claimed, not verified` in all but the JSON's verification); a Googlebot claim from outside
    Google's ranges stays `claimed, not verified`."""
    from exposure.analysis.spread import summary

    log = write_log(tmp_path / "logs" / "access.log", [
        clf("31.13.64.1", t(8, 14), "/f.pdf", 200, 4000, ua=FACEBOOK),
        clf("198.51.100.20", t(8, 11), "/f.pdf", 200, 4000, ua=GOOGLEBOT)])
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", "/f.pdf", "--geoip-city", "none",
                                      "--json", str(out)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "31.13.64.1" in line and "(claimed" in line)
    assert "(claimed, not verifiable from logs)" in row
    google = next(line for line in result.output.splitlines()
                  if "198.51.100.20" in line and "(claimed" in line)
    assert "(claimed, not verified)" in google
    spread = json.loads(out.read_text())["targets"][0]["spread"]
    said = [s for s in spread["summary"] if "31.13.64.1" in s]
    assert len(said) == 1 and "(Facebook, claimed, not verifiable from logs) from 31.13.64.1" in said[0]
    assert said[0] in " ".join(result.output.split())
    [dutch] = [s for s in summary(spread, "nl") if "31.13.64.1" in s]
    assert "beweerd, niet te verifiëren uit de logs" in dutch
