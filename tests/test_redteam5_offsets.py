"""Red team 5: a log that writes more than one UTC offset (a daylight-saving change inside it: +0200 then +0100).

Without --display-tz every local time is shown at one fixed offset, the most common one the logs write; a window
bound on a line written at +0200 was shown at +01:00 ("2020-10-25T01:30:00+01:00" for a line that says 02:30
+0200) with nothing saying that local times are not the lines' own. The UTC times are right; now the answer says
which offsets the logs write and at which one local times are shown (terminal, JSON, report page 1), and names
--display-tz for wall-clock times. One offset, or --display-tz given: nothing to say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings

LINE = '198.51.100.{n} - - [25/Oct/2020:{t} {off}] "GET /a.pdf HTTP/1.1" {status} {size} "-" "Mozilla/5.0"\n'
SAID = ("the logs write 2 UTC offsets (UTC+01:00 on 3 request lines, UTC+02:00 on 2: a change of daylight saving "
        "time, or servers in other zones): every local time is shown at UTC+01:00, the most common, not at the "
        "offset its own line wrote; the UTC times are exact; give --display-tz with the zone's name (e.g. "
        "Europe/Amsterdam) for each time's wall-clock time")


def _logs(folder: Path, offsets: list[str]) -> Path:
    times = ["02:30:00", "02:50:00", "02:10:00", "02:15:00", "02:20:00"]
    status = [200, 200, 200, 200, 404]
    folder.mkdir()
    (folder / "access.log").write_text("".join(
        LINE.format(n=k + 1, t=t, off=off, status=s, size=5000 if s == 200 else 100)
        for k, (t, off, s) in enumerate(zip(times, offsets, status, strict=True))))
    return folder


@pytest.mark.parametrize(("offsets", "display_tz", "said"), [
    pytest.param(["+0200", "+0200", "+0100", "+0100", "+0100"], None, [SAID], id="dst-change-said"),
    pytest.param(["+0200", "+0200", "+0100", "+0100", "+0100"], "Europe/Amsterdam", [], id="display-tz-given"),
    pytest.param(["+0100"] * 5, None, [], id="one-offset")])
def test_more_than_one_offset_is_said_with_the_offset_shown(tmp_path: Path, offsets: list[str],
                                                           display_tz: str | None, said: list[str]) -> None:
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_logs(tmp_path / "logs", offsets)])
        answer = case.analyse(["/a.pdf"], AnalysisOptions(display_tz=display_tz))
    assert [w for w in answer["warnings"] if "UTC offset" in w] == said
    first = answer["targets"][0]["windows"][0]  # the UTC times are right whatever is said
    assert first["first_available"] == ("2020-10-25T00:30:00Z" if offsets[0] == "+0200" else "2020-10-25T01:10:00Z")
    if said:  # shown at the most common offset, not the +0200 its line wrote
        assert first["first_available_local"] == "2020-10-25T01:30:00+01:00"


def test_the_report_says_it_on_page_one_in_dutch_too(tmp_path: Path) -> None:
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_logs(tmp_path / "logs", ["+0200", "+0200", "+0100", "+0100", "+0100"])])
        case.report(["/a.pdf"], tmp_path / "r", AnalysisOptions(), ReportSettings(lang="nl", pdf=False))
    html = (tmp_path / "r" / "report.html").read_text()
    assert ('<li class="caveat"><strong>Kanttekening</strong>: <a href="#summary">de logs schrijven 2 UTC-offsets'
            in html)  # page 1's status list
    assert ("de logs schrijven 2 UTC-offsets (UTC+01:00 op 3 verzoekregels, UTC+02:00 op 2: een wissel van "
            "zomertijd, of servers in andere zones): elke lokale tijd staat op UTC+01:00") in html
    assert "the logs write 2 UTC offsets" not in html


def test_the_timeline_door_says_it_too(tmp_path: Path) -> None:
    """`exposure timeline` shows local times at the same one offset: it says so on stderr as `analyse` does."""
    from typer.testing import CliRunner

    from exposure.cli import app

    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_logs(tmp_path / "logs", ["+0200", "+0200", "+0100", "+0100", "+0100"])])
    result = CliRunner().invoke(app, ["timeline", "--case", str(tmp_path / "case.duckdb"), "--target", "/a.pdf"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"warning: {SAID}" in " ".join(result.stderr.split())
    assert "2020-10-25T01:30:00+01:00" in result.stdout


def test_each_request_counts_once_for_the_offsets(tmp_path: Path) -> None:
    """web2 writes +0200 on 3 lines, a backup repeats 2 of them (an overlap, counted once), a duplicate of web1 repeats
    all 4 of its +0000 lines: the offsets count each request once, +0000 on 4 and +0200 on 3, and +0000 is the
    most common (before: +0200 on 5, the backup's copies counted, and shown for every local time)."""
    plus2 = [LINE.format(n=k, t=f"0{k}:00:00", off="+0200", status=200, size=100) for k in range(1, 4)]
    zero = [LINE.format(n=k, t=f"0{k}:30:00", off="+0000", status=200, size=100) for k in range(1, 5)]
    for rel, lines in (("web2/access.log", plus2), ("backup/web2-access.log", plus2[1:]),
                       ("web1/access.log", zero), ("backup/web1-access.log", zero)):
        (tmp_path / "logs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "logs" / rel).write_text("".join(lines))
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        verdicts = sorted(case.sql("SELECT verdict FROM evidence").values.ravel().tolist())
        assert verdicts == ["duplicate", "ingested", "ingested", "ingested"]
        assert case.file.log_offset_counts() == [(0, 4), (120, 3)]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_says_the_offsets_caveat_whole(tmp_path: Path, lang: str) -> None:
    """The caveat is 352 characters: page 1 cut it at 240 ('... not at the offset its own line wrote; the UTC…
    [352 characters]'), leaving out that the UTC times are exact and how to get wall-clock times. Whole now, in
    the HTML and on the PDF's first page."""
    import html as htmllib
    import re

    from exposure.report.i18n import strings
    from exposure.report.wording import sentence
    from tests.report.test_layout import pdf_text

    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_logs(tmp_path / "logs", ["+0200", "+0200", "+0100", "+0100", "+0100"])])
        case.report(["/a.pdf"], tmp_path / "r", AnalysisOptions(geoip_city="none"), ReportSettings(lang=lang))
    said = sentence(SAID, strings(lang))
    assert len(said) > 300
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    caveats = [" ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", item.replace("<wbr>", ""))).split())
               for item in re.findall(r'<li class="caveat">(.*?)</li>', block, flags=re.S)]
    assert [c for c in caveats if said in c], caveats
    assert not [c for c in caveats if "characters]" in c or "tekens]" in c], caveats
    assert re.sub(r"\s+", "", said) in re.sub(r"\s+", "", pdf_text(tmp_path / "r" / "report.pdf", 1))
