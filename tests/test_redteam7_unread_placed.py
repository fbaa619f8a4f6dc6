"""Red team 7: an unread S3 object's uncovered time came from its copy date. `2020-06-08-03-15-00-...0027.xz`
(xz: not decoded) was placed by its mtime (2026 for a copy): "stream s3:... has no line from 2020-06-14T22:35:02Z
to the end of the stream", though its name says 03:15 UTC, inside window 1. A file none of whose lines was read is
placed by the time its name gives (evidence.name_time_utc, an inference, said as one), its mtime only where the
name gives none, and then said as such (queries/findings.sql, exposure/placewords.py)."""
from __future__ import annotations

import gzip
import html
import lzma
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.findings import Window
from exposure.report import ReportSettings
from tests.test_redteam7_silent_s3 import SIZE, _s3

T0 = datetime(2020, 6, 8, 3, 0, tzinfo=UTC)
COPIED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()  # when the folder was copied


def _objects(folder: Path) -> Path:
    """An S3 object every 5 minutes from 03:00 to 04:00 (3 lines, 2 s apart), one more on 14 June; the 03:15 one
    xz-compressed (exposure does not decode xz: unreadable). Every file's mtime the copy's."""
    folder.mkdir(parents=True)
    for i, t in enumerate([T0 + timedelta(minutes=5 * i) for i in range(13)] + [datetime(2020, 6, 14, 22, 35,
                                                                                          tzinfo=UTC)]):
        text = "".join(_s3(t + timedelta(seconds=j), f"198.51.100.{i * 3 + j + 1}") for j in range(3))
        path = folder / (t.strftime("%Y-%m-%d-%H-%M-%S-") + f"{i:016X}")
        if t.minute == 15:
            path = path.with_name(path.name + ".xz")
            path.write_bytes(lzma.compress(text.encode("ascii")))
        else:
            path.write_text(text, encoding="ascii")
        os.utime(path, (COPIED, COPIED))
    return folder


def test_an_unread_s3_object_is_placed_by_its_names_time(tmp_path: Path) -> None:
    logs = _objects(tmp_path / "rt7-s3trap")
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        [(name_time,)] = case.sql("SELECT name_time_utc FROM evidence WHERE verdict = 'unreadable'").values.tolist()
        assert name_time.replace(tzinfo=None) == datetime(2020, 6, 8, 3, 15)
        [finding] = [f for f in case.findings([Window("window 1", datetime(2020, 6, 8, 3, 0),
                                                      datetime(2020, 6, 8, 4, 0, 2))]) if f.incomplete]
        case.report(["/docs/x.xlsx"], out, AnalysisOptions(size=SIZE), ReportSettings(pdf=False))
    assert (finding.kind, finding.stream, finding.fact) == ("unreadable", "s3:rt7-s3trap/",
                                                            "name 2020-06-08T03:15:00Z")
    # an S3 key's time is its delivery: its lines lie before it, after the stream's previous delivery (03:10)
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 8, 3, 10),
                                                                datetime(2020, 6, 8, 3, 15))
    said = ("stream s3:rt7-s3trap/ may lack lines from 2020-06-08T03:10:00Z to 2020-06-08T03:15:00Z (no request "
            "line of it was read: placed by the time its name gives, 2020-06-08T03:15:00Z, an inference from the name (the "
            "time of an S3 key is when its lines were delivered, after them and after the previous delivery of the "
            "stream; that of a CloudFront name the hour they lie in; a rotation's date places it among the stream's "
            "rotations, after the lines of those dated before it and before the lines of those dated after it and of the live log))")
    assert finding.line().endswith(f"{said}; inside window 1")  # its time lies in the window given (readme6)
    page_one = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "").split('data-section="summary"')[0]
    assert said in html.unescape(page_one)  # the sentence's apostrophes are escaped in the HTML


def test_a_name_without_a_time_is_placed_by_its_mtime_and_says_so(tmp_path: Path) -> None:
    logs = tmp_path / "web1"
    logs.mkdir()
    lines = [f'198.51.100.{i} - - [08/Jun/2020:03:{i:02d}:00 +0000] "GET /x HTTP/1.1" 200 5 "-" "x"\n'
             for i in range(1, 6)]
    (logs / "access.log.1").write_text("".join(lines), encoding="ascii")
    (logs / "access.log.2.xz").write_bytes(lzma.compress(b"".join(x.encode() for x in lines)))
    for p in logs.iterdir():
        os.utime(p, (COPIED, COPIED))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        [finding] = [f for f in case.findings() if f.incomplete]
    assert finding.fact == "modified 2026-01-02T03:04:05Z"
    assert finding.line().endswith(
        "stream web1/access.log has no line from 2020-06-08T03:05:00Z to the end of the stream (no request line of it "
        "was read and its name gives no time: placed by its modification time, 2026-01-02T03:04:05Z, the only time known "
        "of it; a copy's modification time may lie long after its lines)")


def test_an_s3_object_damaged_before_its_first_line_is_placed_by_its_names_time(tmp_path: Path) -> None:
    """The trap folder's `2020-06-08-00-45-00-...0009.gz`, cut after 60 compressed bytes: `not a log` with damage
    (missing evidence), which had no stream, so "the time it leaves uncovered is unknown"."""
    import gzip

    logs = _objects(tmp_path / "rt7-s3trap")
    xz = next(logs.glob("*.xz"))
    cut = xz.with_name(xz.name.replace(".xz", ".gz"))
    cut.write_bytes(gzip.compress(lzma.decompress(xz.read_bytes()), mtime=0)[:30])
    xz.unlink()
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        [finding] = [f for f in case.findings() if f.incomplete]
    assert (finding.kind, finding.stream, finding.fact) == ("truncated", "s3:rt7-s3trap/", "name 2020-06-08T03:15:00Z")
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 8, 3, 10),
                                                                datetime(2020, 6, 8, 3, 15))


def _cloudfront_hours(tmp_path: Path, cut: Callable[[str, str, bytes], bytes]) -> Path:
    """CloudFront .gz files of 02:00, 03:00 and 04:00 on 8 June 2020, six requests each; the 03:00 one cut by
    `cut(header, text, gzip data)`."""
    from exposure.formats.cloudfront import STANDARD_FIELDS
    from tests.logs import cloudfront_lines

    folder = tmp_path / "cf"
    folder.mkdir()
    header = "#Version: 1.0\n#Fields: " + " ".join(STANDARD_FIELDS) + "\n"
    for hour in (2, 3, 4):
        rows = [{"date": "2020-06-08", "time": f"{hour:02d}:{m:02d}:00", "c-ip": f"198.51.100.{m + 1}",
                 "sc-status": "200", "sc-bytes": "1000"} for m in range(0, 60, 10)]
        text = header + "\n".join(cloudfront_lines(rows, list(STANDARD_FIELDS), "/a.pdf")) + "\n"
        data = gzip.compress(text.encode(), mtime=0)
        (folder / f"E2EXAMPLE.2020-06-08-{hour:02d}.abcd1234.gz").write_bytes(cut(header, text, data) if hour == 3
                                                                              else data)
    return folder


def test_an_unread_cloudfront_hour_is_placed_over_its_hour(tmp_path: Path) -> None:
    """Review: a CloudFront log's name gives the hour its lines lie in, yet an unread one was placed at the hour's
    first instant: 'no line from 02:58 to 03:01', three minutes where a whole hour may be missing. It is placed over
    its hour, and said as a span in which the stream may lack lines (other files of the hour may hold some)."""
    folder = _cloudfront_hours(tmp_path, lambda _header, _text, data: data[:30])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        [finding] = [f for f in case.findings() if f.incomplete]
    assert finding.fact == "name 2020-06-08T03:00:00Z"
    assert (finding.uncovered_start, finding.uncovered_end) == (datetime(2020, 6, 8, 3, 0), datetime(2020, 6, 8, 4, 0))
    assert f"stream {finding.stream} may lack lines from 2020-06-08T03:00:00Z to 2020-06-08T04:00:00Z" in finding.line()


def test_a_cloudfront_hour_cut_after_its_header_says_no_request_was_read_not_no_line(tmp_path: Path) -> None:
    """readme6: a CloudFront .gz cut mid-way after its #Version/#Fields lines and part of its first request was said
    as "3 lines read ...; none of its lines was read: placed by the time its name gives": two sentences of one
    finding contradicting each other. It was placed because no request line was read, and says that."""
    import zlib

    def past_the_header(header: str, text: str, data: bytes) -> bytes:
        """The shortest cut that decodes past the header, not to the end of the first request line."""
        first_end = len(header) + text[len(header):].index("\n")
        return data[:next(n for n in range(20, len(data))
                          if len(header) + 10 < len(zlib.decompressobj(31).decompress(data[:n])) < first_end)]

    folder = _cloudfront_hours(tmp_path, past_the_header)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        [finding] = [f for f in case.findings() if f.incomplete]
    assert (finding.kind, finding.lines, finding.fact) == ("truncated", 3, "name 2020-06-08T03:00:00Z")
    assert "(3 lines read)" in finding.line()
    assert "none of its lines was read" not in finding.line()
    assert "no request line of it was read: placed by the time its name gives, 2020-06-08T03:00:00Z" in finding.line()
