"""Red team 12: the fall-back hour of a log written in local time without an offset (--log-tz).

On 25 October 2020 Europe/Amsterdam writes 02:00-02:59 twice (first at +0200, then at +0100). Each line is read
alone as the earlier instant and stays there: no stored time is moved. Red team 12 moved the lines its file's
line order put in the second pass, decided per file: a copy of the log from the second pass on kept the earlier
instant while the full log's lines moved (overlap found 15 shared lines of 30: 15 downloads, true 12), a cut
copy's last late line was moved and the live file's not (14, true 13), and first-pass lines logged late by long
requests were moved an hour late (a false window 2) (/tmp/review_redteam12/fold). The line order is said as an
inference only (finding `ambiguous time`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from exposure import AnalysisOptions, Case
from exposure.formats.base import FOLD_FLAG
from exposure.ingest import IngestOptions
from tests.conftest import write_log

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
TARGET = "/nota.docx"
FORMAT = '%h %l %u %{%Y-%m-%d %H:%M:%S}t "%r" %>s %b'
OPTIONS = IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam")
FOLD_END = datetime(2020, 10, 25, 1, 0, tzinfo=UTC)    # 02:00 +0100: the second pass begins


def _line(ip: str, utc: datetime, path: str, nbytes: int, status: int = 200) -> str:
    return f'{ip} - - {utc.astimezone(AMS):%Y-%m-%d %H:%M:%S} "GET {path} HTTP/1.1" {status} {nbytes}'


def _earlier(utc: datetime) -> str:
    """The instant a time of the hour written twice is read as: the earlier (a second-pass time an hour early)."""
    return (utc - timedelta(hours=1) if FOLD_END <= utc < FOLD_END + timedelta(hours=1) else utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _base(late: list[tuple[int, str]] = (), withdrawn: datetime | None = None) -> tuple[list[str], list[datetime]]:
    """A line every 4 minutes from 23:00Z to 03:00Z (the fold is 00:00Z-02:00Z), a request of the target at each
    20th minute (from `withdrawn` on one 404, then none); `late` puts a line after line index i (a long request logged at its end
    with its start time)."""
    start = datetime(2020, 10, 24, 23, 0, tzinfo=UTC)
    lines, downloads = [], []
    for i in range(60):
        when = start + timedelta(minutes=4 * i, seconds=7)
        if i % 5 == 0 and withdrawn is not None and when >= withdrawn:  # the first 404 of the target, then no request of it
            gone = when - timedelta(minutes=20) >= withdrawn
            lines.append(_line("192.0.2.9", when, "/other.html" if gone else TARGET, 153, 404))
        elif i % 5 == 0:
            lines.append(_line("192.0.2.9", when, TARGET, 88000))
            downloads.append(when)
        else:
            lines.append(_line(f"198.51.100.{i + 1}", when, "/", 500))
        lines += [line for after, line in late if after == i]
    return lines, downloads


def _downloads(paths: list[Path]) -> list[str]:
    with Case() as case:
        case.ingest(paths, OPTIONS)
        return [d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in
                case.downloads(TARGET, AnalysisOptions())["time"].sort_values()]


def test_every_line_of_the_hour_written_twice_keeps_the_earlier_instant(tmp_path: Path) -> None:
    """Seen red with red team 12's move restored (exposure/folds.py settle called at ingest): the second pass's
    downloads at 01:00:07Z and 01:20:07Z."""
    lines, downloads = _base()
    log = write_log(tmp_path / "web1" / "access_log", lines)
    assert _downloads([log]) == sorted(_earlier(d) for d in downloads)
    with Case() as case:
        case.ingest([log], OPTIONS)
        flags = list(case.sql("SELECT ts_flag FROM requests WHERE contains(ts_flag, 'DST fold')")["ts_flag"])
    assert len(flags) == 30 and all(f.startswith(FOLD_FLAG) for f in flags)


def test_a_copy_of_the_log_from_the_second_pass_on_is_counted_once(tmp_path: Path) -> None:
    """/tmp/review_redteam12/fold/ovl: the full log and its copy from the second pass on; the copy's fold lines
    never run back, so a move decided per file gave its lines other times than the full log's: 15 shared lines
    found of 30, 15 downloads. Seen red (15) with the move restored."""
    lines, downloads = _base()
    tail = [line for line, when in zip(lines, (datetime(2020, 10, 24, 23, 0, 7, tzinfo=UTC) + timedelta(minutes=4 * i)
                                                for i in range(60)), strict=True) if when >= FOLD_END]
    full = write_log(tmp_path / "web1" / "access_log", lines)
    copy = write_log(tmp_path / "copy" / "access_log.tail", tail)
    assert len(downloads) == 12
    assert _downloads([full, copy]) == sorted(_earlier(d) for d in downloads)


def test_a_cut_copy_of_a_live_log_is_counted_once(tmp_path: Path) -> None:
    """/tmp/review_redteam12/fold/prefix: a live log with a first-pass download logged late (02:01:03 +0200 written
    after 02:36:07 +0200) and a copy cut after that line: in the copy it is the last fold line (a step by the
    rule), in the live file not; moved in one only, it was two downloads (14, true 13). Seen red with the move
    restored."""
    late = _line("192.0.2.60", datetime(2020, 10, 25, 0, 1, 3, tzinfo=UTC), TARGET, 88000)
    lines, downloads = _base(late=[(24, late)])
    live = write_log(tmp_path / "live" / "access_log", lines)
    copy = write_log(tmp_path / "copy" / "access_log.1", lines[:26])
    assert lines[25] == late
    assert len(_downloads([live, copy])) == len(downloads) + 1 == 13


def test_first_pass_requests_logged_late_make_no_window(tmp_path: Path) -> None:
    """/tmp/review_redteam12/fold/wd2: the file withdrawn at 00:40Z (02:40 +0200); two downloads that began at
    02:10 and 02:12 +0200 logged at their end after 02:48 +0200. Moved an hour late they were a window 2 after the
    withdrawal. Seen red (2 windows) with the move restored."""
    late = [(27, _line("192.0.2.77", datetime(2020, 10, 25, 0, 10, 3, tzinfo=UTC), TARGET, 88000)),
            (27, _line("192.0.2.78", datetime(2020, 10, 25, 0, 12, 3, tzinfo=UTC), TARGET, 88000))]
    lines, _ = _base(late=late, withdrawn=datetime(2020, 10, 25, 0, 30, tzinfo=UTC))
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], OPTIONS)
        windows = case.windows(TARGET, AnalysisOptions())
    assert list(windows["window"]) == [1]


def test_the_hour_written_twice_is_said_per_file_with_the_line_order_as_an_inference(tmp_path: Path) -> None:
    """Which pass a fold line is cannot be known from the line: said as a stated finding (terminal, JSON, page 1),
    the line order's suggestion labelled an inference, not applied. The log above: 02:00-02:59 +0200 (00:00-00:56Z)
    and 02:00-02:59 +0100 (01:00-01:56Z), a line every 4 minutes: 15 lines each pass. Seen red with the block's
    WHERE made false, and ('second pass 0 of 30') with the steps CTE's condition made false."""
    lines, _ = _base()
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], OPTIONS)
        said = [(f.severity, f.path, f.lines, f.fact, f.detail) for f in case.findings() if f.kind == "ambiguous time"]
    assert said == [("stated", str(log), 30, "second pass 15 of 30",
                     "30 of its 60 requests were logged in the hour the clocks go back (2020-10-25 02:00-02:59 "
                     "Europe/Amsterdam, written twice) and are read as the earlier instant; the "
                     "file's line order suggests 15 of them were written in the second pass, an hour later (an "
                     "inference: not applied; the first: line 16); the stream's silence from 2020-10-25T00:56:07Z to "
                     "2020-10-25T02:00:07Z (64 minutes) is the hour the clocks go back: its second pass read an hour "
                     "early, not a gap")]


def test_a_log_read_without_the_fold_says_nothing_of_it(tmp_path: Path) -> None:
    log = write_log(tmp_path / "web1" / "access_log",
                    [_line("192.0.2.9", datetime(2020, 10, 20, 10, m, tzinfo=ZoneInfo("UTC")), TARGET, 88000)
                     for m in range(30)])
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        assert [f for f in case.findings() if f.kind == "ambiguous time"] == []


def test_times_that_never_existed_in_the_zone_given_are_said(tmp_path: Path) -> None:
    """A log written in UTC (or another zone) read with --log-tz Europe/Amsterdam holds 02:00-02:59 on 29 March 2020,
    an hour that never existed there: the zone given is contradicted by the evidence, every time of the file may be
    off. /tmp/redteam12/L: 24 such lines, exit 0, no word (each row's ts_flag only)."""
    start = datetime(2020, 3, 28, 20, 0)
    lines = [f'192.0.2.9 - - {start + timedelta(minutes=10 * i):%Y-%m-%d %H:%M:%S} "GET {TARGET} HTTP/1.1" 200 88000'
             for i in range(72)]   # 20:00 to 07:50 as written
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz="Europe/Amsterdam"))
        said = [(f.lines, f.fact, f.detail) for f in case.findings() if f.kind == "nonexistent time"]
    assert said == [(6, "2020-03-29 02:00",
                     "6 of its 72 requests were logged at a local time that never existed in Europe/Amsterdam (the hour "
                     "the clocks go forward, 2020-03-29 02:00), read with the offset before the change: a server "
                     "keeping that zone never writes one, so its clock may not have kept Europe/Amsterdam and every "
                     "time of the file may be off by the difference (check --log-tz; the first: line 37)")]


def test_the_inference_is_worded_in_the_report_s_language() -> None:
    """Page 1 shows a finding's fact beside its text: 'second pass K of N' was English in the Dutch report (seen in
    /tmp/rt12fix/rep_nl/report.html). Seen red (the raw English fact) before exposure/report/model.py _fact read it."""
    from exposure.report.i18n import strings
    from exposure.report.model import _fact

    finding = {"kind": "ambiguous time", "fact": "second pass 15 of 30"}
    assert _fact(finding, strings("nl")) == ("tweede doorgang volgens de regelvolgorde (een afleiding, niet "
                                             "toegepast): 15 van 30")
    assert _fact(finding, strings("en")) == "second pass by line order (an inference, not applied): 15 of 30"


def _fold_detail(tmp_path: Path, zone: str, start: datetime, count: int, step: int) -> str:
    """The `ambiguous time` detail of a log of `count` lines `step` minutes apart from `start`, written in `zone`."""
    written = [(start + timedelta(minutes=step * i)).astimezone(ZoneInfo(zone)) for i in range(count)]
    lines = [f'192.0.2.{i % 200 + 1} - - {w:%Y-%m-%d %H:%M:%S} "GET {TARGET} HTTP/1.1" 200 88000'
             for i, w in enumerate(written)]
    log = write_log(tmp_path / zone.replace("/", "_") / "access_log", lines)
    with Case() as case:
        case.ingest([log], IngestOptions(log_format=FORMAT, log_tz=zone))
        return next(f.detail for f in case.findings() if f.kind == "ambiguous time")


def test_the_span_written_twice_is_the_zone_s_own(tmp_path: Path) -> None:
    """/tmp/review_copyrt/w/fold.py: New York writes 01:00-01:59 twice (02:00 EDT -> 01:00 EST), Lord Howe
    01:30-01:59 (+11 -> +10:30); the finding said '02:00-02:59 local' for every zone. Seen red with the span put
    back as the constant '02:00-02:59' in queries/findings.sql."""
    ny = _fold_detail(tmp_path, "America/New_York", datetime(2020, 11, 1, 4, 0, tzinfo=UTC), 40, 5)
    assert "(2020-11-01 01:00-01:59 America/New_York, written twice)" in ny
    howe = _fold_detail(tmp_path, "Australia/Lord_Howe", datetime(2020, 4, 4, 14, 0, tzinfo=UTC), 30, 4)
    assert "(2020-04-05 01:30-01:59 Australia/Lord_Howe, written twice)" in howe


def test_one_line_in_the_hour_is_said_in_the_singular_and_no_second_pass_of_none(tmp_path: Path) -> None:
    """/tmp/review_copyrt/w/fold.py 'one': '1 of its 2 requests were logged ... are read ...; suggests 0 of them
    were written'. Seen red with the CASE on f.later = 0 removed (the 'suggests 0 of them' clause back)."""
    one = _fold_detail(tmp_path, "Europe/Amsterdam", datetime(2020, 10, 24, 23, 30, tzinfo=UTC), 2, 40)
    assert one == ("1 of its 2 requests was logged in the hour the clocks go back (2020-10-25 02:00-02:59 "
                   "Europe/Amsterdam, written twice) and is read as the earlier instant (the first: line 2)")


def test_the_dutch_report_says_the_hour_the_clocks_go_back_in_dutch(tmp_path: Path) -> None:
    """`report --lang nl` showed 'vermeld ambiguous time ... 24 of its 40 requests were logged' (no kind_ or
    detail_ entry in exposure/report/i18n.py). Seen red before the entries were added (the English kind and
    detail)."""
    from exposure.report.i18n import strings
    from exposure.report.model import _findings

    lines, _ = _base()
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], OPTIONS)
        found = [f.as_json() for f in case.findings() if f.kind == "ambiguous time"]
    [nl] = _findings({"findings": found}, strings("nl"))
    assert nl["kind_label"] == "tijden in het uur dat de klok teruggaat"
    assert nl["text"] == ("30 van de 60 verzoeken zijn gelogd in het uur dat de klok teruggaat (2020-10-25 "
                          "02:00-02:59 Europe/Amsterdam, twee keer geschreven) en gelezen als het eerdere moment; de "
                          "regelvolgorde van het bestand suggereert dat 15 ervan in de tweede doorgang geschreven "
                          "zijn, een uur later (een afleiding: niet toegepast; de eerste: regel 16); de stilte van de "
                          "logstroom van 2020-10-25T00:56:07Z tot 2020-10-25T02:00:07Z (64 minuten) is het uur dat de "
                          "klok teruggaat: de tweede doorgang een uur te vroeg gelezen, geen hiaat")


def test_the_dutch_report_says_a_time_that_never_existed_in_dutch() -> None:
    """The finding `nonexistent time` was English in the Dutch report too. Seen red before the entries were added."""
    from exposure.report.i18n import strings
    from exposure.report.model import _findings

    finding = {"severity": "stated", "kind": "nonexistent time", "path": "a", "stream": "a", "server": "a",
               "lines": 1, "of_lines": 72, "format": "custom", "fact": "2020-03-29 02:00", "line_ranges": None,
               "related_line_ranges": None, "related_path": None, "uncovered_start": None, "uncovered_end": None,
               "minutes": None, "threshold_minutes": None, "in_window": None,
               "detail": "1 of its 72 requests were logged at a local time that never existed in Europe/Amsterdam "
                         "(the hour the clocks go forward, 2020-03-29 02:00), read with the offset before the change: "
                         "a server keeping that zone never writes one, so its clock may not have kept "
                         "Europe/Amsterdam and every time of the file may be off by the difference (check --log-tz; "
                         "the first: line 37)"}
    [nl] = _findings({"findings": [finding]}, strings("nl"))
    assert nl["kind_label"] == "tijden die in de opgegeven zone nooit bestonden"
    assert nl["text"] == ("1 van de 72 verzoeken is gelogd op een lokale tijd die in Europe/Amsterdam nooit bestond "
                          "(het uur dat de klok vooruitgaat, 2020-03-29 02:00), gelezen met de offset van vóór de "
                          "wissel: een server die die zone aanhoudt schrijft die nooit, dus zijn klok hield "
                          "Europe/Amsterdam mogelijk niet aan en elke tijd van het bestand kan verschoven zijn met het "
                          "verschil (controleer --log-tz; de eerste: regel 37)")


def test_the_silence_the_hour_written_twice_makes_is_no_gap_inside_a_window(tmp_path: Path) -> None:
    """/tmp/review_copyrt/w/fold2.py: a line every 4 minutes; the second pass (01:00-01:56Z) is read an hour early,
    so 00:56:07Z-02:00:07Z looked silent: 'gap: no log line for 64 minutes ... inside window 1', page 1 'hiaten
    binnen een venster: 1'. Said by `ambiguous time` instead (the test above); no gap, none in a window. A true
    outage after the fold stays a gap. Seen red (the gap back, inside window 1) with queries/gaps.sql
    evidence_gaps reading every silence (WHERE fold_lines IS NULL made true)."""
    lines, _ = _base()
    log = write_log(tmp_path / "web1" / "access_log", lines)
    with Case() as case:
        case.ingest([log], OPTIONS)
        answer = case.analyse([TARGET], AnalysisOptions())
        assert [f for f in case.findings() if f.kind == "gap"] == []
    assert answer["targets"][0]["gaps"] == []
    # no line from the fold's last to 05:00Z: longer than the hour explains, a gap
    cut = [line for line in lines if not line.split(" ")[4].startswith("03:")]
    cut += [_line("198.51.100.1", datetime(2020, 10, 25, 5, m, tzinfo=UTC), "/", 500) for m in range(0, 40, 4)]
    log2 = write_log(tmp_path / "web2" / "access_log", cut)
    with Case() as case:
        case.ingest([log2], OPTIONS)
        gaps = [f.uncovered_start for f in case.findings() if f.kind == "gap"]
    assert [g.strftime("%H:%M:%SZ") for g in gaps] == ["00:56:07Z"]
