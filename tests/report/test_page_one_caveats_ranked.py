"""Page 1's caveats are ranked by what the report must carry (EVIDENCE.md 11 and 17), not by how many files say
them: six windows without a byte count were six 'window N: no 200 GET ...' caveats that filled the four lines and
counted the GeoIP caveat (a database older than the requests) away; two targets over two servers writing two UTC
offsets counted away the GeoIP and the UTC-offset caveats. Now a caveat said of several windows of one file is one
line naming the windows, and the GeoIP, clock and offset caveats are always said, in the PDF's page 1 too."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.caveats import spans
from exposure.report.i18n import EN, NL, Strings
from tests.conftest import write_log
from tests.logs import clf

from .test_layout import pdf_text
from .test_page_one_must_carry import _flat, _status_lines

PIN = "2020-08-01T12:00:00Z"
TARGET = "/docs/leak.pdf"
WINDOWS = 6


def six_windows(logs: Path) -> None:
    """A line every 10 minutes for ten days; each of six days the target answered 200 with no byte count ('-')
    three times, then 404: six windows, none with a file size."""
    base = datetime(2020, 6, 10, 0, 0, 1)
    rows = [(base + timedelta(minutes=10 * i), clf("198.51.100.7", base + timedelta(minutes=10 * i),
                                                   f"/page/{i % 50}", size=2000)) for i in range(10 * 144)]
    for d in range(WINDOWS):
        t0 = datetime(2020, 6, 10, 0, 30, 5) if d == 0 else datetime(2020, 6, 10 + d, 8, 0, 5)
        rows += [(t0 + timedelta(minutes=5 * k), clf(f"84.29.143.{60 + k}", t0 + timedelta(minutes=5 * k), TARGET,
                                                     size="-")) for k in range(3)]
        rows.append((t0 + timedelta(hours=4), clf("84.29.143.99", t0 + timedelta(hours=4), TARGET, status=404,
                                                  size=200)))
    write_log(logs / "access.log", [line for _, line in sorted(rows)])


def two_offsets(logs: Path) -> None:
    """web1 writes UTC+02:00, web2 UTC+01:00; /a.pdf and /b.pdf each in two windows without a byte count."""
    base = datetime(2020, 6, 10, 0, 0, 1)
    for name, off in (("web1", 120), ("web2", 60)):
        rows = []
        for i in range(3 * 144):
            w = base + timedelta(minutes=10 * i, seconds=1 if name == "web2" else 0)
            rows.append((w, clf("198.51.100.7", w, f"/page/{i % 50}", size=2000 + i % 50, offset_min=off)))
        for path in ("/a.pdf", "/b.pdf") if name == "web1" else ():
            for t0 in (datetime(2020, 6, 10, 0, 20, 5), datetime(2020, 6, 11, 8, 0, 5)):
                rows += [(t0 + timedelta(minutes=5 * k), clf(f"84.29.143.{60 + k}", t0 + timedelta(minutes=5 * k),
                                                             path, size="-", offset_min=off)) for k in range(2)]
                rows.append((t0 + timedelta(hours=4), clf("84.29.143.99", t0 + timedelta(hours=4), path,
                                                          status=404, size=200, offset_min=off)))
        write_log(logs / name / "access.log", [line for _, line in sorted(rows)])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("caveats")
    six_windows(root / "six")
    two_offsets(root / "two")
    out = {}
    for name, logs, targets, lang in (("six-en", "six", [TARGET], "en"), ("six-nl", "six", [TARGET], "nl"),
                                      ("two-en", "two", ["/a.pdf", "/b.pdf"], "en")):
        out[name] = root / name
        args = ["analyse", str(root / logs), *[a for t in targets for a in ("--target", t)], "--report",
                str(out[name]), "--lang", lang, "--pin-time", PIN, "-q"]
        result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
    return out


def _caveats(report: Path) -> list[str]:
    """Page 1's caveat lines; asserts none is the counted 'N more caveats' line."""
    lines = _status_lines((report / "report.html").read_text(encoding="utf-8"))
    assert not [text for cls, _, text in lines if "more-caveats" in cls]
    return [text for cls, _, text in lines if cls.startswith("caveat")]


def test_window_numbers_are_said_as_runs() -> None:
    assert spans([3, 1, 2, 6, 5, 9]) == "1-3, 5-6, 9"
    assert spans([4]) == "4"


@pytest.mark.slow  # PDFs of cases of their own
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_six_windows_without_a_size_are_one_caveat_and_the_geoip_one_stays(reports: dict[str, Path],
                                                                         lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    report = reports[f"six-{lang}"]
    answer = json.loads((report / "analysis.json").read_text(encoding="utf-8"))
    sizeless = [w for w in answer["targets"][0]["warnings"] if "no 200 GET response with a byte count" in w]
    assert len(sizeless) == WINDOWS  # the answer says each window's (section 1 lists them all)
    caveats = _caveats(report)
    geoip = [c for c in caveats if "GeoLite2-City" in c and "2018-07-03T21:26:56Z" in c]
    assert len(geoip) == 1
    folded = [c for c in caveats if s.f("caveat_windows", windows=f"1-{WINDOWS}") + ":" in c]
    assert len(folded) == 1 and not [c for c in caveats if s.f("caveat_window", n=2) + ":" in c]
    page1 = _flat(pdf_text(report / "report.pdf", 1))
    assert _flat(geoip[0].split(": ", 1)[1][:80]) in page1
    assert _flat(s.f("caveat_windows", windows=f"1-{WINDOWS}")) in page1


@pytest.mark.slow
def test_two_targets_keep_the_geoip_and_the_utc_offsets_caveats(reports: dict[str, Path]) -> None:
    caveats = _caveats(reports["two-en"])
    assert [c for c in caveats if "the logs write 2 UTC offsets" in c]
    assert [c for c in caveats if "GeoLite2-City" in c and "(said of 2 files)" in c]
    assert [c for c in caveats if "windows 1-2: no 200 GET response" in c and "(said of 2 files)" in c]
    page1 = _flat(pdf_text(reports["two-en"] / "report.pdf", 1))
    assert _flat("the logs write 2 UTC offsets") in page1 and _flat("before the requests: its results") in page1


def test_a_must_carry_caveat_is_said_before_caveats_more_files_share() -> None:
    """Five caveats said of three files each and a GeoIP caveat of one: the GeoIP one is said, three of the five
    beside it, two counted."""
    from exposure.report.pageone import PAGE_ONE_CAVEATS, page_one

    shared = [{"kind": "caveat", "path": None, "text": f"shared {i}", "files": 3, "must": False} for i in range(5)]
    geoip = {"kind": "caveat", "path": "/a.pdf", "text": "geoip older", "files": 1, "must": True}
    one = page_one([], [], [*shared, geoip], [], Strings(EN), lambda kind: kind)
    assert [c["text"] for c in one["caveats"]] == ["geoip older", "shared 0", "shared 1"]
    assert len(one["caveats"]) == PAGE_ONE_CAVEATS - 1 and one["more_caveats"] == 3


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_long_path_in_a_caveat_is_cut_and_its_wording_kept_whole(lang: str) -> None:
    """An --alias of 520 characters never answered: the caveat quotes it cut to PAGE_ONE_PATH and says the rest of
    its sentence whole, within PAGE_ONE_CAVEAT (it was cut at 600 characters inside its own wording)."""
    from exposure.report.caveats import caveats
    from exposure.report.html import PAGE_ONE_CAVEAT, PAGE_ONE_PATH

    s = Strings(EN if lang == "en" else NL)
    alias = "/archief/" + "rapport-over-de-bevindingen-van-commissie-1-" * 11 + "bijlage.xlsx"
    warning = (f"--alias {alias} was never answered with a response that shows the file available (200, 206, 304 "
               "or a 499 with bytes, to a GET or HEAD: rule_available) in the evidence: it adds nothing")
    [caveat] = caveats([], [{"path": TARGET, "warnings": [warning]}], s)
    assert alias not in caveat["text"] and alias[:PAGE_ONE_PATH - 30] in caveat["text"]
    assert f"… [{len(alias)} {s['characters']}]" in caveat["text"]
    assert caveat["text"].endswith("it adds nothing" if lang == "en" else "het voegt niets toe")
    assert len(caveat["text"]) <= PAGE_ONE_CAVEAT


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "windows 1-2 open within the first hour of the evidence: the publication time may be earlier than the "
           "logs"),
    ("nl", "vensters 1-2 beginnen in het eerste uur van het bewijs: de publicatie kan eerder zijn dan de logs")])
def test_a_warning_of_two_windows_folded_into_one_says_its_verb_in_the_plural(lang: str, said: str) -> None:
    """Red team 21: 'windows 1-2 opens within the first hour' (the one window's verb kept after the fold)."""
    from exposure.report.caveats import caveats

    opens = [f"window {n} opens within the first hour of the evidence: the publication time may be earlier than the "
             "logs" for n in (1, 2)]
    said_of = [c["text"] for c in caveats([], [{"path": "/a.pdf", "warnings": opens}], Strings(EN if lang == "en"
                                                                                              else NL))]
    assert said_of == [said]
