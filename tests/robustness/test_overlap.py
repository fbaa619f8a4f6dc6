"""Overlapping copies: files that share runs of request lines, in any folder under any name, are counted once
(exposure/overlap.py); the original is cited (queries/citation.sql)."""

from __future__ import annotations

from pathlib import Path

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 5000


def _day(day: int, n: int, ip_base: str = "198.51.100") -> list[str]:
    return [clf(f"{ip_base}.{i % 200 + 1}", t(day, 1 + i // 60, i % 60), f"/page/{day}/{i}") for i in range(n)]


def _download(day: int, hour: int, ip: str) -> str:
    return clf(ip, t(day, hour), TARGET, size=SIZE)


def _totals(case: Case) -> dict[str, int]:
    return case.totals(TARGET)


def test_export_repeating_previous_tail_is_counted_once(tmp_path: Path) -> None:
    day1 = _day(8, 40) + [_download(8, 20, "192.0.2.10"), _download(8, 21, "192.0.2.11")] + _day(8, 3, "198.51.101")
    tail = day1[-6:]  # the export repeats the last 6 lines of the day before, with both downloads... one of them
    day2 = tail + [_download(9, 3, "192.0.2.12")] + _day(9, 10)
    write_log(tmp_path / "web1" / "access.log-20200609", day1)
    write_log(tmp_path / "web1" / "export-20200609.log", day2)
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([tmp_path / "web1"])
        assert [f.verdict for f in result.files] == ["ingested", "ingested"]
        [pair] = result.overlaps
        ev = {r["path"]: r["evidence_id"] for r in case.evidence().to_dict("records")}
        assert pair.evidence_id == ev[str(tmp_path / "web1" / "export-20200609.log")]
        assert pair.kept_evidence_id == ev[str(tmp_path / "web1" / "access.log-20200609")]
        assert (pair.shared_lines, pair.first_line_no, pair.last_line_no) == (6, 1, 6)
        assert (pair.kept_first_line_no, pair.kept_last_line_no) == (len(day1) - 5, len(day1))
        # an export with lines of its own keeps a stream of its own (takefix2: a copy-named file joins another's
        # stream only where every request line repeats it, so a server's own lines never lose their edges)
        assert (pair.stream, pair.kept_stream) == ("web1/20200609.log", "web1/access.log")
        assert (pair.runs, pair.line_ranges, pair.kept_line_ranges) == (1, "1-6", f"{len(day1) - 5}-{len(day1)}")
        assert any("repeat" in w and "counted once" in w for w in result.warnings)
        totals = _totals(case)
        # day1 holds 2 downloads, of which the tail (last 6 lines) repeats one; day2 adds a new one
        assert totals["complete_downloads"] == 3
        assert totals["requests"] == 3
        row = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        assert len(row) == 1 and row[0]["shared_lines"] == 6


def test_copytruncate_crlf_copy_and_repeated_identical_lines(tmp_path: Path) -> None:
    same_second = _download(8, 20, "192.0.2.10")
    rotated = _day(8, 5) + [same_second, same_second]  # two genuine requests logged in the same second
    live = [same_second] + _day(8, 2, "198.51.102")  # the copy repeats only one of them
    write_log(tmp_path / "web1" / "access.log.1", rotated)
    write_log(tmp_path / "web1" / "access.log", live, newline=b"\r\n")
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([tmp_path / "web1"])
        [pair] = result.overlaps
        assert pair.shared_lines == 1
        # both names are written by rotation and both files intact: the earlier ingested (sorted path order)
        # is cited, access.log before access.log.1
        assert pair.path.endswith("access.log.1") and pair.kept_path.endswith("access.log")
        # the one shared line is the seam: the rotated file's last line is the live file's first
        assert (pair.first_line_no, pair.kept_first_line_no) == (7, 1)
        assert _totals(case)["complete_downloads"] == 2


def test_same_line_on_another_server_is_not_an_overlap(tmp_path: Path) -> None:
    line = _download(8, 20, "192.0.2.10")
    write_log(tmp_path / "web1" / "access.log", _day(8, 3) + [line])
    write_log(tmp_path / "web2" / "access.log", _day(8, 4, "198.51.102") + [line])
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([tmp_path])
        assert result.overlaps == []
        assert _totals(case)["complete_downloads"] == 2


def test_overlaps_are_recomputed_when_the_earlier_file_arrives_later(tmp_path: Path) -> None:
    day1 = _day(8, 10) + [_download(8, 20, "192.0.2.10")]
    day2 = day1[-3:] + _day(9, 5)
    write_log(tmp_path / "web1" / "b.log", day2)
    write_log(tmp_path / "web1" / "a.log", day1)
    with Case(tmp_path / "case.duckdb") as case:
        first = case.ingest([tmp_path / "web1" / "b.log"])
        assert first.overlaps == []
        second = case.ingest([tmp_path / "web1" / "a.log"])
        [pair] = second.overlaps
        assert pair.shared_lines == 3
        assert pair.path.endswith("a.log")  # b.log was ingested first: its copy is the one kept
        assert _totals(case)["complete_downloads"] == 1
        again = case.ingest([tmp_path / "web1"])  # a repeated ingest changes nothing
        assert [f.verdict for f in again.files] == ["already in case", "already in case"]
        assert again.overlaps == second.overlaps
        assert case.sql("SELECT count(*) AS n FROM overlap_lines")["n"][0] == 3


def _servers_sharing(tmp_path: Path, shared: list[str]) -> Case:
    """web1 and web2 each log their own lines of 8 June, with `shared` (identical lines) in the middle of both."""
    web1 = _day(8, 20) + shared + _day(8, 5, "198.51.103")
    web2 = _day(8, 20, "198.51.102") + shared + _day(8, 5, "198.51.104")
    write_log(tmp_path / "web1" / "access.log", web1)
    write_log(tmp_path / "web2" / "access.log", web2)
    case = Case(tmp_path / "case.duckdb")
    case.ingest([tmp_path])
    return case


def test_two_identical_lines_on_two_servers_are_not_an_overlap(tmp_path: Path) -> None:
    """A health check or a retry logged by two servers in the same second: below the minimum run (3 lines) in
    the middle of both logs, both are counted."""
    shared = [_download(8, 20, "192.0.2.10"), clf("192.0.2.99", t(8, 20, 0, 1), "/health")]
    with _servers_sharing(tmp_path, shared) as case:
        assert case.sql("SELECT count(*) AS n FROM overlap_lines")["n"][0] == 0
        assert _totals(case)["complete_downloads"] == 2


def test_three_identical_lines_in_a_row_are_an_overlap(tmp_path: Path) -> None:
    """The other side of the minimum run: three consecutive identical lines are one copy, counted once."""
    shared = [_download(8, 20, "192.0.2.10"), clf("192.0.2.99", t(8, 20, 0, 1), "/health"),
              clf("192.0.2.98", t(8, 20, 0, 2), "/health")]
    with _servers_sharing(tmp_path, shared) as case:
        [pair] = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        assert (pair["shared_lines"], pair["line_ranges"], pair["kept_line_ranges"]) == (3, "21-23", "21-23")
        assert _totals(case)["complete_downloads"] == 1


def test_identical_requests_in_one_file_stay_two_in_a_copy_of_it(tmp_path: Path) -> None:
    """The original holds two genuine identical requests in one second; a partial copy holds both: each copy line
    is matched to one original line, so the original's two are counted, the copy's two are not."""
    same = _download(8, 20, "192.0.2.10")
    original = _day(8, 10) + [same, same] + _day(8, 10, "198.51.101")
    write_log(tmp_path / "web1" / "access.log", original)
    write_log(tmp_path / "stick" / "copy of access.log", original[:14])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path])
        [pair] = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        assert (pair["shared_lines"], pair["line_ranges"]) == (14, "1-14")
        assert _totals(case)["complete_downloads"] == 2


def test_a_copy_of_a_copy_cites_the_original(tmp_path: Path) -> None:
    """Three files with the same lines, ingested copy first: every repeated line cites the server's file."""
    lines = _day(8, 30) + [_download(8, 20, "192.0.2.10")] + _day(8, 5, "198.51.101")
    write_log(tmp_path / "a" / "access.log (1)", lines[:25])
    write_log(tmp_path / "b" / "backup_access.log", lines[:33])
    write_log(tmp_path / "web1" / "access.log", lines)
    with Case(tmp_path / "case.duckdb") as case:
        for folder in ("a", "b", "web1"):
            case.ingest([tmp_path / folder])
        ids = dict(case.sql("SELECT path, evidence_id FROM evidence").values.tolist())
        kept = set(case.sql("SELECT DISTINCT kept_evidence_id AS k FROM overlap_lines")["k"])
        assert kept == {ids[str(tmp_path / "web1" / "access.log")]}
        assert case.sql("SELECT count(*) AS n FROM overlap_lines")["n"][0] == 25 + 33
        assert _totals(case)["complete_downloads"] == 1


def test_a_line_is_shared_once_even_where_two_runs_meet(tmp_path: Path) -> None:
    """The copy holds one request twice where the original holds it once: a run on each side of it matches the
    original's line; it is shared min(1, 2) = 1 time, so the copy's second one is counted."""
    same = _download(8, 20, "192.0.2.10")
    head, tail = _day(8, 6), _day(8, 4, "198.51.101")
    write_log(tmp_path / "web1" / "access.log", head + [same] + tail)
    write_log(tmp_path / "stick" / "copy of access.log", head + [same, same] + tail)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path])
        [pair] = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        assert (pair["shared_lines"], pair["line_ranges"], pair["kept_line_ranges"]) == (11, "1-7, 9-12", "1-11")
        assert _totals(case)["complete_downloads"] == 2


def test_an_intact_file_is_cited_before_a_copy_cut_mid_line(tmp_path: Path) -> None:
    """Same kind of name, same kind of folder: the intact file is the original, not the partial copy (cut off
    mid-line) that was ingested first."""
    lines = _day(8, 20) + [_download(8, 20, "192.0.2.10")] + _day(8, 5, "198.51.101")
    write_log(tmp_path / "intact" / "access.log", lines)
    cut = tmp_path / "a-first" / "access.log"
    cut.parent.mkdir()
    cut.write_bytes(("\n".join(lines[:22]) + "\n" + lines[22][:30]).encode())
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path])
        ids = dict(case.sql("SELECT path, evidence_id FROM evidence").values.tolist())
        assert ids[str(cut)] < ids[str(tmp_path / "intact" / "access.log")]
        [pair] = case.sql("SELECT * FROM overlap_pairs").to_dict("records")
        assert (pair["evidence_id"], pair["kept_evidence_id"]) == (ids[str(cut)], ids[str(tmp_path / "intact" /
                                                                                          "access.log")])
        assert _totals(case)["complete_downloads"] == 1
