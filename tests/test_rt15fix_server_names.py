"""Review of red team 15: a file with a server's name keeps its stream and its first line, whatever another file
repeats of it. The reverse join (streams._join_copies: a file cited as the original joins the file that repeats all
its request lines) and the head rule (overlap.HEAD_CANDIDATES_SQL: a first line whose bytes end another file's line
in the same second is a cut copy of it) hold only for a file whose name is silent or a copy's, or that lies in a
copy's folder (namekinds.named_like_copy), and a join never chains two server-named files through a third."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
HEALTH = [clf("10.0.0.2", t(10, 12, 1, s), "/health", size=2, ua="ELB-HealthChecker/2.0") for s in (0, 10, 20)]


def _web(first: str, hours: int, second: int) -> list[str]:
    """A line every 10 minutes from 00:00 UTC for `hours` hours, client `first`.(hour + 1), TARGET at :30."""
    return [clf(f"{first}.{h + 1}", t(10, h, m, second), TARGET if m == 30 else "/", size=50000 if m == 30 else 900)
            for h in range(hours) for m in range(0, 60, 10)]


def _web2_with(middle: list[str], quiet_hour: bool = True) -> list[str]:
    """web2 all day, `middle` after its line of 12:00:05 UTC; `quiet_hour`: the rest of 12:00-12:59 not logged."""
    day = [line for line in _web("198.51.100", 24, 5) if not quiet_hour or "[10/Jun/2020:14" not in line]
    return day[:72] + middle + day[72:] if quiet_hour else day[:73] + middle + day[73:]


def _run(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    with Case() as case:
        case.ingest([folder])
        answer = case.analyse([TARGET], AnalysisOptions(geoip_city="none"))
        streams = dict(case.sql("SELECT path, stream FROM evidence").values.tolist())
    return answer, {Path(p).relative_to(folder).as_posix(): s for p, s in streams.items()}


def _gaps(answer: dict[str, Any], stream: str) -> list[str]:
    return [f["detail"] for f in answer["findings"] if f["kind"] == "gap" and f["stream"] == stream]


def test_a_servers_log_inside_a_compilation_keeps_its_gap(tmp_path: Path) -> None:
    """web1 logged 00:00-11:50, web2 all day, export/all.log = cat web1 web2. Before: web1 joined the compilation
    (all its lines repeated by it), the compilation had joined web2, and the chain gave web1 web2's stream: web1's
    720 silent minutes vanished, exit 0."""
    web1 = _web("192.0.2", 12, 0)
    web2 = _web("198.51.100", 24, 5)
    write_log(tmp_path / "in" / "web1" / "access.log", web1)
    write_log(tmp_path / "in" / "web2" / "access.log", web2)
    write_log(tmp_path / "in" / "export" / "all.log", web1 + web2)
    answer, streams = _run(tmp_path / "in")
    assert streams["web1/access.log"] == "web1/access.log"
    assert streams["web2/access.log"] == "web2/access.log" == streams["export/all.log"]
    assert any("720 minutes after its last line" in g for g in _gaps(answer, "web1/access.log")), answer["findings"]
    assert answer["targets"][0]["totals"]["complete_downloads"] == 36


def test_a_new_servers_health_checks_another_server_logged_too_keep_its_stream(tmp_path: Path) -> None:
    """web1/access.log is 3 ELB health checks web2 logged too, one after another. Before: web1, all of whose lines
    web2 repeats, joined web2's stream and its two gaps (721 and 709 minutes) were said nowhere."""
    write_log(tmp_path / "in" / "web1" / "access.log", HEALTH)
    write_log(tmp_path / "in" / "web2" / "access.log", _web2_with(HEALTH))
    answer, streams = _run(tmp_path / "in")
    assert streams["web1/access.log"] == "web1/access.log" != streams["web2/access.log"]
    gaps = _gaps(answer, "web1/access.log")
    assert len(gaps) == 2 and "721 minutes" in gaps[0] and "709 minutes" in gaps[1], gaps
    assert not [f for f in answer["findings"] if f["kind"] == "inferred stream"]


def test_a_servers_first_line_that_ends_another_servers_line_is_a_download(tmp_path: Path) -> None:
    """web1's first line is a download by 92.0.2.34; web2 logged one by 192.0.2.34 in the same second (its bytes end
    with web1's line), and both then logged the same 3 health checks. Before: web1's line 1 was taken for a copy
    cut inside its address: 25 complete downloads, 92.0.2.34 gone, exit 0. It is web1's own request: 26."""
    download = clf("92.0.2.34", t(10, 12, 0, 59), TARGET, size=50000, ua="curl/7.68.0")
    write_log(tmp_path / "in" / "web1" / "access.log", [download, *HEALTH])
    write_log(tmp_path / "in" / "web2" / "access.log", _web2_with(["1" + download, *HEALTH], quiet_hour=False))
    answer, streams = _run(tmp_path / "in")
    [target] = answer["targets"]
    assert "92.0.2.34" in {d["client_ip"] for d in target["downloads"]}
    assert "192.0.2.34" in {d["client_ip"] for d in target["downloads"]}
    assert target["totals"]["complete_downloads"] == 26
    assert streams["web1/access.log"] == "web1/access.log"


def test_a_first_line_ending_another_files_line_is_a_request_where_lines_of_its_own_follow(tmp_path: Path) -> None:
    """`frontend.txt` (a name that says nothing) begins with a download by 92.0.2.34, then the 3 health checks web2
    logged too, then lines of its own (203.0.113.x, a download among them). Its first line is no `tail -c` cut of
    web2's 192.0.2.34 line: not all its lines after the first are web2's. 27 complete downloads."""
    download = clf("92.0.2.34", t(10, 12, 0, 59), TARGET, size=50000, ua="curl/7.68.0")
    own = [clf("203.0.113.5", t(10, 12, m), TARGET if m == 30 else "/", size=50000 if m == 30 else 900)
           for m in range(2, 60, 4)]
    write_log(tmp_path / "in" / "web2" / "access.log", _web2_with(["1" + download, *HEALTH], quiet_hour=False))
    write_log(tmp_path / "in" / "frontend.txt", [download, *HEALTH, *own])
    answer, _ = _run(tmp_path / "in")
    [target] = answer["targets"]
    assert {"92.0.2.34", "192.0.2.34", "203.0.113.5"} <= {d["client_ip"] for d in target["downloads"]}
    assert target["totals"]["complete_downloads"] == 27


def test_an_excerpt_cited_before_its_damaged_log_joins_it_and_counts_its_cut_first_line(tmp_path: Path) -> None:
    """`tail -c` of web1's log cut 2 bytes into a line (excerpt.txt, a name that says nothing) beside the log
    itself, gzipped with a failing CRC-32 (damaged: cited after any intact file). The excerpt is cited as the
    original; the log repeats all its request lines (the cut first one ending a whole line of it): the excerpt
    joins the log's stream, no false gap, and the finding counts all its request lines, the cut one among them
    (it said '(N-1 repeated by it)' and labelled the original 'copy:')."""
    import gzip

    day = _web("192.0.2", 24, 0)
    data = "".join(line + "\n" for line in day).encode()
    excerpt = data[data.index(day[130].encode()) + 2:]
    (tmp_path / "in" / "web1").mkdir(parents=True)
    gz = bytearray(gzip.compress(data, mtime=0))
    gz[-8] ^= 1  # only the CRC-32 trailer flipped: the content genuine, the file damaged
    (tmp_path / "in" / "web1" / "access.log.gz").write_bytes(bytes(gz))
    (tmp_path / "in" / "excerpt.txt").write_bytes(excerpt)
    answer, streams = _run(tmp_path / "in")
    assert streams["excerpt.txt"] == streams["web1/access.log.gz"] == "web1/access.log"
    assert not [f for f in answer["findings"] if f["kind"] == "gap"], answer["findings"]
    [inferred] = [f["detail"] for f in answer["findings"] if f["kind"] == "inferred stream"]
    assert f"repeated whole: all {len(day) - 130} of its request lines are repeated by " in inferred, inferred
    assert answer["targets"][0]["totals"]["complete_downloads"] == 24
