"""Red team 21a (time, windows and gaps): "when was the file reachable" where the evidence's own times mislead.

A window opening within the first hour of the evidence may have opened before the logs (`open_at_log_start`,
README "Log streams, copies and gaps" and page 1's caveat). The evidence's start is its first line, its stray
times aside: a 1970 a server's clock writes after a boot, before NTP sets it, is said as `stray time` and bounds
no silence and no stream's edge (queries/gaps.sql), so it must not move the evidence's start 51 years back and
take the caveat away (input: /tmp/redtime/stray_start, control /tmp/redtime/stray_start_ctrl)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.export import export_parquet
from exposure.ingest import IngestOptions
from exposure.portable import DuckDBEngine, run_portable
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.conftest import write_log
from tests.logs import clf

pytestmark = pytest.mark.slow

T = "/leak.xlsx"


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 3, 1, hour, minute)


def _logs(tmp_path: Path, stray: bool) -> Path:
    """web1 serves the file from 00:15, 15 minutes after the evidence begins (both servers' first real line at
    00:00), withdrawn at 05:00; with `stray`, web1's first line is dated 1970 (a clock not yet set)."""
    web1 = [clf("192.0.2.9", datetime(1970, 1, 1, 0, 0, 5), "/health", size=2, offset_min=60)] if stray else []
    web1 += [clf("192.0.2.50", _at(h, m), "/index.html", size=1234, offset_min=60)
             for h in range(12) for m in (0, 30)]
    web1 += [clf("198.51.100.1", _at(0, 15), T, size=5000, offset_min=60),
             clf("198.51.100.2", _at(2, 15), T, size=5000, offset_min=60),
             clf("198.51.100.3", _at(5), T, status=404, size=200, offset_min=60)]
    # in time order, the 1970 line first (as written)
    web1.sort(key=lambda line: (not line.startswith("192.0.2.9"), datetime.strptime(line.split("[")[1][:20],
                                                                                      "%d/%b/%Y:%H:%M:%S")))
    write_log(tmp_path / "logs" / "web1" / "access.log", web1)
    write_log(tmp_path / "logs" / "web2" / "access.log",
              [clf("192.0.2.51", _at(h, m), "/index.html", size=1234, offset_min=60)
               for h in range(12) for m in (0, 30)])
    return tmp_path / "logs"


@pytest.mark.parametrize("stray", [False, True], ids=["control", "stray-1970-first-line"])
def test_a_stray_1970_line_does_not_move_the_evidence_start(tmp_path: Path, stray: bool) -> None:
    logs = _logs(tmp_path, stray)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        answer = case.analyse([T])
        (w,) = answer["targets"][0]["windows"]
        assert (w["first_available"], w["first_unavailable"]) == ("2021-03-01T00:15:00Z", "2021-03-01T05:00:00Z")
        assert w["open_at_log_start"] is True
        assert any("window 1 opens within the first hour of the evidence" in x
                   for x in answer["targets"][0]["warnings"])
        strays = [f for f in answer["evidence_status"]["findings"] if f["kind"] == "stray time"]
        assert len(strays) == (1 if stray else 0)
        export_parquet(case.file, tmp_path / "export")
    portable = run_portable(DuckDBEngine(), tmp_path / "export", T, AnalysisOptions())
    assert portable.windows.column("open_at_log_start").to_pylist() == [True]


def _silent_before(tmp_path: Path, resume: tuple[int, int], closed_at: tuple[int, int] | None = None) -> dict:
    """One server logging every 10 minutes, silent from 04:00 until `resume` (its first line after the silence);
    the file first answered 200 at 10:00 and 11:00, withdrawn at 14:00 (with `closed_at`, also an earlier window
    answered 200 at 02:00 and withdrawn at `closed_at`)."""
    silent = (_at(4), _at(*resume))
    lines = [clf("192.0.2.50", _at(h, m), "/index.html", size=1234, offset_min=60)
             for h in range(24) for m in range(0, 60, 10) if not silent[0] < _at(h, m) < silent[1]]
    lines += [clf("198.51.100.1", _at(10), T, size=5000, offset_min=60),
              clf("198.51.100.2", _at(11), T, size=5000, offset_min=60),
              clf("198.51.100.3", _at(14), T, status=404, size=200, offset_min=60)]
    if closed_at:
        lines += [clf("198.51.100.4", _at(2), T, size=5000, offset_min=60),
                  clf("198.51.100.5", _at(*closed_at), T, status=404, size=200, offset_min=60)]
    lines.sort(key=lambda line: datetime.strptime(line.split("[")[1][:20], "%d/%b/%Y:%H:%M:%S"))
    write_log(tmp_path / "logs" / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        return case.analyse([T])["targets"][0]


@pytest.mark.parametrize(("resume", "closed_at", "held"), [
    ((10, 0), None, True),      # its first line after 6 silent hours is the file's first 200 (/tmp/redtime/gap_open)
    ((9, 30), None, True),      # it logged again half an hour before the file was first seen
    ((8, 50), None, False),     # more than an hour before: as at the evidence's start (open_at_log_start), not held
    ((10, 0), (9, 30), False),  # a 404 of the file at 09:30 shows it unavailable after the silence: not held
], ids=["ends-at-first-200", "ends-30-min-before", "ends-70-min-before", "a-404-after-it"])
def test_a_silence_just_before_a_window_opens_may_hide_its_start(tmp_path: Path, resume: tuple[int, int],
                                                                 closed_at: tuple[int, int] | None,
                                                                 held: bool) -> None:
    """The first 200 is the first time the file was seen, not its publication: a server silent until it (its log
    lost or the server down) may have served the file unseen before, as before the evidence's first hour."""
    target = _silent_before(tmp_path, resume, closed_at)
    window = 2 if closed_at else 1
    assert target["windows"][window - 1]["first_available"] == "2021-03-01T10:00:00Z"
    gaps = [(g["start"], g["end"], g["window"]) for g in target["gaps"]]
    resumed = f"2021-03-01T{resume[0]:02d}:{resume[1]:02d}:00Z"
    if held:
        assert gaps == [("2021-03-01T04:00:00Z", resumed, window)]
    else:  # a-404-after-it: the silence 04:00-09:30 lies in window 1 (02:00 to its 404), never in window 2
        assert [g for g in gaps if g[2] == window] == []


def test_a_stream_that_begins_with_the_files_first_200_may_have_served_it_before(tmp_path: Path) -> None:
    """web2's log begins at 10:00 (its earlier log lost) with the file's first 200; web1 logs from 00:00. The edge
    silence before web2's first line is said inside window 1, never left out as an edge wholly outside every window
    (/tmp/redtime/late_stream)."""
    write_log(tmp_path / "logs" / "web1" / "access.log",
              [clf("192.0.2.50", _at(h, m), "/index.html", size=1234, offset_min=60)
               for h in range(20) for m in range(0, 60, 10)])
    web2 = [clf("198.51.100.1", _at(10), T, size=5000, offset_min=60)]
    web2 += [clf("192.0.2.51", _at(h, m), "/index.html", size=1234, offset_min=60)
             for h in range(10, 20) for m in range(5, 60, 10)]
    web2 += [clf("198.51.100.2", _at(11), T, size=5000, offset_min=60),
             clf("198.51.100.3", _at(14), T, status=404, size=200, offset_min=60)]
    web2.sort(key=lambda line: datetime.strptime(line.split("[")[1][:20], "%d/%b/%Y:%H:%M:%S"))
    write_log(tmp_path / "logs" / "web2" / "access.log", web2)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        answer = case.analyse([T])
    gaps = [(g["start"], g["end"], g["window"], g["edge"]) for g in answer["targets"][0]["gaps"]]
    assert gaps == [("2021-03-01T00:00:00Z", "2021-03-01T10:00:00Z", 1, "before its first line")]
    assert [f["kind"] for f in answer["evidence_status"]["findings"] if "gap" in f["kind"]] == ["gap in window"]


def test_a_withdrawal_logged_in_the_second_pass_of_the_fall_back_hour_is_said(tmp_path: Path) -> None:
    """A server writing Amsterdam wall-clock times without an offset (read with --log-tz): the file answered 200 at
    02:20 and 02:40 of the first pass (00:20Z, 00:40Z) and 404 at 02:10 of the second pass (01:10Z), in line order.
    Read as the earlier instant, the 404 sits at 00:10Z, before both 200s, and closes nothing: the window is said
    still available when the logs end. The rule cannot order the fold's lines; the answer says its windows rest on
    them (/tmp/redtime/fold_close)."""
    lines, base = [], datetime(2020, 10, 25)
    passes = [(0, m) for m in range(0, 180, 10)] + [(1, m) for m in range(120, 300, 10)]
    for i, (_second, m) in enumerate(passes):
        stamp = f"{base.year}-10-25 {m // 60:02d}:{m % 60:02d}:00"
        lines.append(f'192.0.2.50 - - [{stamp}] "GET /index.html HTTP/1.1" 200 1234')
        if i in (14, 16):  # 02:20 and 02:40, first pass
            lines.append(f'198.51.100.{i} - - [{stamp}] "GET {T} HTTP/1.1" 200 5000')
        if i == 19:  # 02:10, second pass
            lines.append(f'198.51.100.3 - - [{stamp}] "GET {T} HTTP/1.1" 404 200')
    write_log(tmp_path / "access.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "access.log"],
                    IngestOptions(log_format='%h %l %u [%{%Y-%m-%d %H:%M:%S}t] "%r" %>s %b',
                                  log_tz="Europe/Amsterdam"))
        target = case.analyse([T])["targets"][0]
    (w,) = target["windows"]
    assert (w["first_available"], w["first_unavailable"]) == ("2020-10-25T00:20:00Z", None)  # the rule's reading
    said = [x.replace(f"{tmp_path}/", "") for x in target["warnings"] if "logged in the hour the clocks go back" in x]
    assert said == ["the windows rest on 3 responses of the file (1 unavailable) logged in the hour the clocks go "
                    "back (--log-tz: finding ambiguous time), each read as the earlier instant; first access.log:16: "
                    "one written in the second pass reads an hour early, so a 404 may read before the responses it "
                    "followed and close no window, or a 200 inside a window a 404 closed: the windows' bounds there "
                    "are suspect"]
    assert sentence(said[0], strings("nl")).startswith("de vensters rusten op 3 antwoorden van het bestand (1 onbeschikbaar)")
