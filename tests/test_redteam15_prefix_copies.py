"""Red team 15: a log taken twice (at 10:00 and again at 18:00, the first copy a prefix of the second) and a
`tail -c` excerpt of a log are each wholly repeated by the other copy. The copy the citation rule keeps (the
prefix: the same name, ingested first) joins the stream of the file that repeats all of it, so the hours only the
later copy covers are no false `gap in window` of a stream of its own, where its name is silent or a copy's; under
servers' names each keeps its stream, and a take's end where the other logs on is no edge (queries/gaps.sql)."""

from __future__ import annotations

from pathlib import Path

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _day() -> list[str]:
    """A line every 10 minutes from 00:00 to 23:50 UTC on 10 June, a complete download of TARGET every hour."""
    return [clf(f"192.0.2.{h + 1}", t(10, h, m), TARGET if m == 30 else "/", size=50000 if m == 30 else 900)
            for h in range(24) for m in range(0, 60, 10)]


def _answer(folder: Path) -> tuple[dict, dict[str, str], list[str]]:
    with Case() as case:
        case.ingest([folder])
        answer = case.analyse([TARGET], AnalysisOptions())
        streams = dict(case.sql("SELECT path, stream FROM evidence").values.tolist())
        kinds = [f.kind for f in case.findings()]
    return answer, streams, kinds


def test_a_log_taken_twice_is_one_stream_without_a_false_gap(tmp_path: Path) -> None:
    """Taken at 10:00 and again at 18:00 under names that say nothing: the later take joins the earlier's stream."""
    lines = _day()
    write_log(tmp_path / "in" / "taken-1000.txt", lines[:60])  # 00:00-09:50
    write_log(tmp_path / "in" / "taken-1800.txt", lines[:108])  # 00:00-17:50
    answer, streams, kinds = _answer(tmp_path / "in")
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 18  # 00:30 .. 17:30, each once
    assert len(set(streams.values())) == 1, streams
    assert "overlap" in kinds
    assert not any(k in ("gap", "gap in window") for k in kinds), kinds


def test_a_log_taken_twice_under_servers_names_keeps_both_streams_without_a_false_gap(tmp_path: Path) -> None:
    """Review of red team 15: taken-1000/access.log and taken-1800/access.log are two servers' names (a default name
    in the folder that names it, as web1/access.log and web2/access.log are): no content joins a server's log to
    another stream (a real gap of web1 would vanish inside a compilation that repeats it). The earlier take keeps
    its stream; its end after 09:50 is no gap (streams16: it was said), as taken-1800/access.log holds its lines and
    logs on (queries/gaps.sql goes_on); the downloads are counted once."""
    lines = _day()
    write_log(tmp_path / "in" / "taken-1000" / "access.log", lines[:60])
    write_log(tmp_path / "in" / "taken-1800" / "access.log", lines[:108])
    answer, streams, kinds = _answer(tmp_path / "in")
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 18
    assert sorted(set(streams.values())) == ["taken-1000/access.log", "taken-1800/access.log"], streams
    assert [f["stream"] for f in answer["findings"] if f["kind"] in ("gap", "gap in window")] == []


def test_a_tail_excerpt_joins_the_log_it_was_cut_from(tmp_path: Path) -> None:
    lines = _day()
    whole = write_log(tmp_path / "in" / "web1" / "access.log", lines)
    data = whole.read_bytes()
    (tmp_path / "in" / "excerpt.txt").write_bytes(data[len(data) - 20 * 200 - 37:])  # starts mid-line
    answer, streams, kinds = _answer(tmp_path / "in")
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 24
    assert len(set(streams.values())) == 1, streams
    assert not any(k in ("gap", "gap in window") for k in kinds), kinds


def test_page_one_says_why_the_prefix_copy_joined_the_other_stream(tmp_path: Path) -> None:
    """Page 1's 'streams inferred' line said the stream was inferred 'where its name was silent': a file joins the
    stream of the file whose lines it repeats, whatever its name, where it repeats all of them."""
    import html
    import re

    from exposure.report import ReportSettings

    lines = _day()
    write_log(tmp_path / "in" / "web1" / "access.log", lines[:108])
    write_log(tmp_path / "in" / "web1-old" / "access.log", lines[:60])
    with Case() as case:
        case.ingest([tmp_path / "in"])
        case.report([TARGET], tmp_path / "out", AnalysisOptions(geoip_city="none"), ReportSettings(pdf=False))
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    cover = page[page.index('<section id="cover"'):page.index('data-section="summary"')]
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cover.replace("<wbr>", ""))))
    assert "streams inferred (1)" in text, text
    assert "or from the file whose lines it repeats or that repeats all of its request lines" in text


def test_a_live_log_that_grew_keeps_its_stream_and_says_no_inferred_stream(tmp_path: Path) -> None:
    """The same path ingested at 10:00 and again at 18:00 (a live log that grew): both versions are one stream by
    their name already, so the earlier version is no 'inferred stream' ('all its lines are repeated by' itself)."""
    lines = _day()
    log = write_log(tmp_path / "in" / "web1" / "access.log", lines[:60])
    with Case() as case:
        case.ingest([tmp_path / "in"])
        write_log(log, lines[:108])
        case.ingest([tmp_path / "in"])
        answer = case.analyse([TARGET], AnalysisOptions(geoip_city="none"))
        kinds = [f.kind for f in case.findings()]
    assert answer["targets"][0]["totals"]["complete_downloads"] == 18
    assert "overlap" in kinds and "inferred stream" not in kinds, kinds


def test_an_excerpt_cut_inside_its_first_lines_address_adds_no_download(tmp_path: Path) -> None:
    """`tail -c` of a log whose cut falls 2 bytes into a download line's client address: the excerpt's first line
    parses, as a download by 2.0.2.21 (a real address that never asked for the file) beside 192.0.2.21's whole
    line in the log. Before: 25 complete downloads from 25 addresses, exit 0, nothing said. The cut first line is
    the end of the whole line another file holds in the same second, the lines after them copies of each other:
    a copy of it, counted once from the whole line."""
    lines = _day()
    whole = write_log(tmp_path / "in" / "web1" / "access.log", lines)
    data = whole.read_bytes()
    start = data.index(lines[20 * 6 + 3].encode())
    assert lines[20 * 6 + 3].startswith("192.0.2.21 ") and TARGET in lines[20 * 6 + 3]
    (tmp_path / "in" / "excerpt.txt").write_bytes(data[start + 2:])
    answer, streams, kinds = _answer(tmp_path / "in")
    [target] = answer["targets"]
    assert "2.0.2.21" not in {d["client_ip"] for d in target["downloads"]}
    assert (target["totals"]["complete_downloads"], target["totals"]["distinct_ips"]) == (24, 24)
    assert len(set(streams.values())) == 1, streams
    assert not any(k in ("gap", "gap in window") for k in kinds), kinds


def test_one_copied_line_is_said_in_the_singular_in_every_door(tmp_path: Path) -> None:
    """A one-line file, one line repeating one: '1 request lines (lines 1, ...) repeat lines 124' in
    the JSON answer, the terminal's ingest line and the report. Now '1 request line (line 1, ...) repeats line'."""
    import html
    import re

    from exposure.report import ReportSettings

    lines = _day()
    write_log(tmp_path / "in" / "web1" / "access.log", lines)
    write_log(tmp_path / "in" / "excerpt.txt", [lines[20 * 6 + 3]])  # one line of the log: all of a small file
    with Case() as case:
        result = case.ingest([tmp_path / "in"])
        answer = case.analyse([TARGET], AnalysisOptions(geoip_city="none"))
        case.report([TARGET], tmp_path / "out", AnalysisOptions(geoip_city="none"), ReportSettings(pdf=False))
    said = [f["detail"] for f in answer["findings"] if f["kind"] == "overlap" and f["path"].endswith("excerpt.txt")]
    assert len(said) == 1 and said[0].startswith("1 request line (line 1, ") and " repeats line 124 of " in said[0]
    [terminal] = [o.describe() for o in result.overlaps if o.path.endswith("excerpt.txt")]
    assert terminal.startswith("1 request line (line 1) repeats line 124 of "), terminal
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.replace("<wbr>", ""))))
    assert "1 request line (line 1) repeats line 124 of " in text
    assert "1 request lines" not in text
