"""Page 1's budget of printed lines (report/pagebudget.py): whatever the blocks above the status list hold (a
211-character target, three --alias paths of ~460 characters, a dozen aliases with windows, fourteen windows with a
silence in each, six silent streams in ~250-character folders, Dutch), page 1 holds the answer, its windows, the
evidence status with every kind's count, and every line of the status list, each whole: what does not fit (the
aliases' rows, caveats that page 1 need not carry) is counted with a pointer to where it is given in full.

The first case is review t4 (/tmp/page1fix/t4): a bound in characters per value held each name short, yet the
three aliases' rows and the caveats naming them pushed the list's end to page 2."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, NL, Strings
from exposure.report.pagebudget import COLUMN, printed
from exposure.report.pageone import page_one
from tests.conftest import write_log
from tests.logs import clf

from .test_layout import pdf_text
from .test_page_one_gaps_bound import silent_in_every_window
from .test_page_one_must_carry import _flat, _status_lines
from .test_page_one_must_carry import streams as long_streams

PIN = "2020-08-01T12:00:00Z"
LONG_TARGET = "/docs/" + "verslag-van-de-commissie-" * 8 + ".xlsx"  # 211 characters
LONG_ALIASES = ["/archief/" + f"rapport-over-de-bevindingen-van-commissie-{k}-" * 10 + "bijlage.xlsx" for k in (1, 2, 3)]


def _report(logs: Path, out: Path, target: str, lang: str, aliases: list[str], *extra: str) -> Path:
    args = ["analyse", str(logs), "--target", target, *[a for x in aliases for a in ("--alias", x)], "--report",
            str(out), "--lang", lang, "--pin-time", PIN, "-q", *extra]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return out


def _long_folders(logs: Path) -> None:
    """Review t4's evidence: seven streams in ~250-character folders, six silent inside the open window of the
    211-character target."""
    long_streams(logs)
    for k in range(1, 8):
        folder = logs / (f"srv{k}-" + "productieserver-webfarm-" * 10)
        folder.mkdir()
        (logs / f"web{k}-access.log").rename(folder / "access.log")
    for f in logs.rglob("access.log"):
        f.write_text(f.read_text().replace("/docs/leak.xlsx", LONG_TARGET))


def _aliases_served(logs: Path, n: int) -> list[str]:
    """web1 serves the target and `n` more paths with windows of their own (each requested three times with 200)."""
    aliases = [f"/oud/kopie-{k:02d}-" + "van-het-verslag-" * 4 + ".xlsx" for k in range(n)]
    rows = [clf("198.51.100.7", datetime(2020, 6, 10, 0, 0, 1) + timedelta(minutes=10 * i), f"/page/{i % 40}",
                size=2000 + i % 40) for i in range(6 * 144)]
    rows += [clf(f"84.29.143.{60 + k}", datetime(2020, 6, 11, 9, k, 5), "/docs/leak.pdf", size=50_000)
             for k in range(3)]
    rows += [clf(f"84.29.144.{k}", datetime(2020, 6, 12, 8 + k % 10, i, 5), a, size=50_000)
             for k, a in enumerate(aliases) for i in range(3)]
    write_log(logs / "web1" / "access.log", sorted(rows, key=lambda r: r.split("[")[1]))
    return aliases


def _review_t4(root: Path, *extra: str) -> Path:
    _long_folders(root / "logs")
    return _report(root / "logs", root / "report", LONG_TARGET, "nl", LONG_ALIASES, *extra)


def _many_aliases(root: Path) -> Path:
    aliases = _aliases_served(root / "logs", 12)
    return _report(root / "logs", root / "report", "/docs/leak.pdf", "en", aliases)


def _many_windows(root: Path) -> Path:
    silent_in_every_window(root / "logs")
    return _report(root / "logs", root / "report", "/docs/leak.pdf", "nl", LONG_ALIASES[:2])


def _assert_page_one_holds_it(out: Path, s: Strings) -> tuple[str, str]:
    """The answer sentence, the windows, the status box with every kind's count and every line of the status list
    (from its headline to its end) on the PDF's first page, none of the list's lines on the second."""
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    page1, page2 = _flat(pdf_text(out / "report.pdf", 1)), _flat(pdf_text(out / "report.pdf", 2))
    status = answer["evidence_status"]
    gaps = any(f["kind"] == "gap" and f.get("in_window") for f in answer["findings"])
    key = ("key_status_complete" if status["complete"] else
           "key_status_incomplete_read" if status.get("all_read") and not gaps else "key_status_incomplete")
    assert _flat(s[key])[:60] in page1, key  # the answer's status, as the template says it
    first = answer["targets"][0]["windows"][0]
    assert first["first_available"] in page1 and first["first_available_local"] in page1
    assert _flat(s["status_title"]) in page1
    for f in answer["evidence_status"]["findings"]:
        assert _flat(f"{s.get('finding_' + f['kind'], f['kind'])}: {f['count']}") in page1, f["kind"]
    lines = _status_lines(html)
    assert lines
    for _, _, text in lines:
        assert _flat(text)[:50] in page1, text  # its headline
        assert _flat(text)[-50:] in page1, text  # and its end: never cut at the page's foot
        assert _flat(text)[:50] not in page2, text
    # the caveats page 1 must carry are said whole
    for c in [text for cls, _, text in lines if cls == "caveat" and "GeoLite2" in text]:
        assert _flat(c) in page1
    return html, page1


@pytest.mark.slow  # a PDF of a case of its own
def test_three_long_aliases_and_a_long_target_keep_the_status_on_page_one(tmp_path: Path) -> None:
    """Review t4: the list's last lines (the caveats about the aliases, the stated line) were on page 2."""
    out = _review_t4(tmp_path)
    html, page1 = _assert_page_one_holds_it(out, Strings(NL))
    # what did not fit is counted with a pointer, never dropped: the aliases' rows (every one in section 1) and the
    # caveats page 1 need not carry (every one in section 1)
    more = re.search(r'class="more[^"]*">(?:<td colspan="5">)?<a href="#t1-aliases-all">(.*?)</a>', html, re.S)
    assert more, "the aliases' rows past page 1's room are not counted"
    shown = len(re.findall(r"<tr><td><span class=\"path\">", html[html.index('id="t1-aliases"'):
                                                                 html.index('id="t1-aliases-all"')]))
    assert int(re.search(r"\d+", more.group(1)).group()) + shown == 3
    section = html[html.index('id="t1-aliases-all"'):]
    section = section[:section.index("</table>")].replace("<wbr>", "")
    assert all(a[:100] in section for a in LONG_ALIASES)


@pytest.mark.slow  # a PDF of a case of its own
def test_a_long_case_title_keeps_the_status_on_page_one(tmp_path: Path) -> None:
    """Review t4 under the longest title case info allows (200 characters: four lines of the title's large type)
    and a long case id (the identity line on two lines): the last line of the list was on page 2."""
    title = ("Blootstelling van de bijlage bij het verslag van de commissie over de signalen " * 3)[:199].strip()
    info = tmp_path / "case.toml"
    info.write_text(f'[case]\nid = "ZAAK-2020-{"X" * 40}"\ntitle = "{title}"\nreport_version = "1.0"\n',
                    encoding="utf-8")
    out = _review_t4(tmp_path, "--case-info", str(info))
    _, page1 = _assert_page_one_holds_it(out, Strings(NL))
    assert _flat(title[:60]) in page1


@pytest.mark.slow  # a PDF of a case of its own
def test_a_dozen_aliases_with_windows_keep_the_status_on_page_one(tmp_path: Path) -> None:
    out = _many_aliases(tmp_path)
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert sum(len(a["windows"]) for a in answer["targets"][0]["aliases"]) == 12
    html, page1 = _assert_page_one_holds_it(out, Strings(EN))
    assert _flat(Strings(EN)["aliases"]) in page1
    section = html[html.index('id="t1-aliases-all"'):]
    assert section[:section.index("</table>")].count("<tr><td>") == 12  # section 1: every row


@pytest.mark.slow  # a PDF of a case of its own
def test_fourteen_windows_silences_and_two_long_aliases_keep_the_status_on_page_one(tmp_path: Path) -> None:
    out = _many_windows(tmp_path)
    _assert_page_one_holds_it(out, Strings(NL))


def _caveat(text: str, must: bool = False) -> dict:
    return {"kind": "caveat", "path": None, "text": text, "files": 1, "must": must}


def test_the_status_list_fits_its_printed_lines_must_carry_caveats_first() -> None:
    """Four caveats of four printed lines each in a room of ten: the one page 1 must carry is said whatever the
    room, the others while they fit beside the counted line, the rest counted."""
    s = Strings(EN)
    long = "x " * (COLUMN * 3 // 2 + 20)  # with its label and pointer: four printed lines
    assert printed(long) == 4 and printed("") == 1 and printed("y" * COLUMN, 0.5) == 2
    caveats = [_caveat("a " + long), _caveat("b " + long), _caveat("GeoIP " + long, must=True), _caveat("c " + long)]
    one = page_one([], [], caveats, [], s, str, room=10)
    assert [c["text"][:2] for c in one["caveats"]] == ["Ge", "a "] and one["more_caveats"] == 2
    assert one["printed"] <= 10
    wide = page_one([], [], caveats, [], s, str)  # no bound in printed lines: PAGE_ONE_CAVEATS of them
    assert len(wide["caveats"]) == 4 and wide["more_caveats"] == 0
    tight = page_one([], [], caveats, [], s, str, room=1)  # never counted away: the must-carry one
    assert [c["text"][:2] for c in tight["caveats"]] == ["Ge"] and tight["more_caveats"] == 3


def test_the_last_caveat_is_named_where_it_takes_no_more_than_the_line_counting_it() -> None:
    """The sample's page 1 under the case box: its one-line second caveat was counted away in a line as long
    ("Caveat: 1 more caveat: every caveat in section 1"), which took more than the room it was given."""
    s = Strings(EN)
    long = "x " * (COLUMN * 3 // 2 + 20)
    caveats = [_caveat("GeoIP " + long, must=True), _caveat("window 2: 1 client's parts may hold the file")]
    assert [printed(len(c["text"]) + 30) for c in caveats] == [4, 1]  # with the label and the pointer
    one = page_one([], [], caveats, [], s, str, room=5)
    assert [c["text"][:5] for c in one["caveats"]] == ["GeoIP", "windo"] and one["more_caveats"] == 0
    assert one["printed"] <= 5
    tight = page_one([], [], caveats, [], s, str, room=4)  # no room for it: counted, the must-carry one said
    assert [c["text"][:5] for c in tight["caveats"]] == ["GeoIP"] and tight["more_caveats"] == 1


@pytest.mark.slow  # a PDF of a case of its own
def test_band_streams_said_under_the_size_keep_the_status_on_page_one(tmp_path: Path) -> None:
    """Review F/: review t4 with --bytes headers (the size's line names its band streams): the estimate of
    printed lines is beaten and the list's end was on page 2; the PDF's layout (report/pdf.py fitted) measures
    the spill and page 1 is fitted again with less room, the HTML from the same page 1."""
    out = _review_t4(tmp_path, "--bytes", "headers")
    html, page1 = _assert_page_one_holds_it(out, Strings(NL))
    assert 'id="page-one-end"' in html
    # no alias row fits: the counted line alone, no table header above nothing (review page1budget 10)
    block = html[html.index('id="t1-aliases"'):]
    block = block[:block.index("</div>")]
    assert "<thead>" not in block and "<tr><td>" not in block
    assert Strings(NL).f("page_one_aliases_more", n=3) in block


@pytest.mark.slow  # a PDF of a case of its own
def test_wide_glyphs_in_the_case_information_keep_the_status_on_page_one(tmp_path: Path) -> None:
    """Review B/: review t4 under a title, case id and report version of 200 wide characters each (W): 14 lines
    of title and identity no budget of the list could make up for; page 1 shows each value cut to PAGE_ONE_CASE
    (the case-facts table says it whole) and the net fits the rest."""
    wide = " ".join(["WWWWWWWWW"] * 20)[:199]
    info = tmp_path / "case.toml"
    info.write_text(f'[case]\nid = "{wide}"\ntitle = "{wide}"\nreport_version = "{wide}"\n', encoding="utf-8")
    out = _review_t4(tmp_path, "--case-info", str(info))
    html, page1 = _assert_page_one_holds_it(out, Strings(NL))
    facts = html[html.index('<table class="facts">'):]
    assert wide in facts[:facts.index("</table>")].replace("<wbr>", "")  # whole beneath page 1's cut
