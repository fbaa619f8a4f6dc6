"""NUL bytes at the very start of a file: logrotate copytruncate's hole (it ends where the old file ended, any byte,
and the server's next whole line follows it) or a crash that zeroed the file's first blocks (they end on a 4096-byte
block boundary, where a line may go on). Only the first is read as a note before a whole line 1; the piece after
a crash's run, or after a run followed by no line of the format, is rejected with its reason and said as damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import Case, IngestOptions
from tests.logs import clf, t

BLOCK = 4096


def _lines(n: int = 60) -> list[bytes]:
    return [clf(f"198.51.100.{31 + i % 40}", t(12, 10 + i // 60, i % 60), "/").encode() + b"\n" for i in range(n)]


def _crash_mid_address(path: Path) -> bytes:
    """A log whose first block (4096 bytes) a crash zeroed, the block ending two bytes into a line's address
    (198.51.100.x read from there is 8.51.100.x): line 1's user agent is lengthened to put a line start at 4094."""
    lines = _lines()
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    last = max(s for s in starts if s <= BLOCK - 2)
    lines[0] = lines[0].replace(b'Firefox/77.0"', b"Firefox/77.0" + b"x" * (BLOCK - 2 - last) + b'"')
    data = bytearray(b"".join(lines))
    cut = data[BLOCK:].split(b"\n", 1)[0]
    assert cut.startswith(b"8.51.100.")  # the address cut by the block boundary
    data[:BLOCK] = b"\0" * BLOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return bytes(cut)


def _said(case: Case) -> list[tuple[str, str]]:
    return [(f.kind, f.detail) for f in case.findings() if f.kind in ("damaged", "read note")]


def _uncovered(case: Case) -> tuple:
    """The damage's time without a line, and the file's first request: the damage lies before it."""
    [f] = [f for f in case.findings() if f.kind == "damaged"]
    return f.uncovered_start, f.uncovered_end, case.sql("SELECT min(ts_utc) FROM requests").iat[0, 0]


def test_a_crash_that_zeroed_the_first_block_mid_address_rejects_the_piece_after_it(tmp_path: Path) -> None:
    log = tmp_path / "web1" / "access.log"
    cut = _crash_mid_address(log)
    with Case() as case:
        case.ingest([log])
        assert case.sql("SELECT count(*) FROM requests WHERE client LIKE '8.51.100.%'").iat[0, 0] == 0
        [(line_no, reason, text)] = case.sql("SELECT line_no, reason, raw_text FROM rejects").values.tolist()
        said = _said(case)
        start, end, first = _uncovered(case)
    assert (start, str(end)) == (None, str(first.tz_localize(None)))  # from the start of the stream to its first line read
    assert (line_no, text) == (1, cut.decode())
    assert reason == ("begins after 4096 NUL bytes at the start of the file that end on a file-system block "
                      "boundary (byte 4096): a crash zeroed the blocks before it, and the start of the line may be "
                      "lost with them")
    [(kind, detail)] = said
    assert kind == "damaged"
    assert detail.startswith("4096 NUL bytes at the start of the file in place of content (they end at byte 4096, "
                             "on a file-system block boundary (a multiple of 4096), as a crash's zeroed blocks do): "
                             "not logrotate copytruncate's")


def test_copytruncate_before_a_whole_line_stays_a_note_and_a_piece_that_is_no_line_is_damage(tmp_path: Path) -> None:
    data = b"".join(_lines())
    whole = tmp_path / "web1" / "access.log"
    piece = tmp_path / "web2" / "access.log"
    for path, content in ((whole, b"\0" * 5000 + data), (piece, b"\0" * 5000 + data[30:])):
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    with Case() as case:
        case.ingest([whole])
        assert case.sql("SELECT count(*) FROM rejects").iat[0, 0] == 0
        assert [k for k, _ in _said(case)] == ["read note"]  # copytruncate's run, line 1 whole
    with Case() as case:
        case.ingest([piece])
        [(line_no, reason)] = case.sql("SELECT line_no, reason FROM rejects").values.tolist()
        [(kind, detail)] = _said(case)
    assert line_no == 1
    assert reason.startswith("begins after 5000 NUL bytes at the start of the file and parses as no line: the start "
                             "of the line may be lost with them: ")
    assert (kind, detail.split(":")[0]) == ("damaged", "5000 NUL bytes at the start of the file in place of content "
                                                       "(what follows them parses as no line of the format)")


@pytest.mark.parametrize("hole", [(33 << 20) + 1000, (40 << 20) + 123], ids=["33MiB", "40MiB"])
def test_a_copytruncate_hole_longer_than_a_line_may_be_reads_line_1_whole(tmp_path: Path, hole: int) -> None:
    """Review: a hole longer than 32 MiB (a busy 100 MB log truncated) swallowed line 1 as 'a line of 41943170
    bytes, longer than 16777216', the note counting 1048576 NULs, then said as damage. Now the NULs are passed
    over (counted) and line 1 is read whole; the note gives the true count. (A run ending on a 4096 boundary is a
    crash's: these end elsewhere, as copytruncate's does, where the old file ended.)"""
    data = b"".join(_lines())
    log = tmp_path / "web1" / "access.log"
    log.parent.mkdir(parents=True)
    with log.open("wb") as out:
        out.truncate(hole)  # sparse NULs, as copytruncate leaves them
        out.seek(hole)
        out.write(data)
    with Case() as case:
        case.ingest([log])
        ev = case.sql("SELECT lines, requests, rejected FROM evidence").to_dict("records")
        said = _said(case)
        first = case.sql("SELECT client FROM requests WHERE line_no = 1")["client"].tolist()
    assert ev == [{"lines": 60, "requests": 60, "rejected": 0}]
    assert first == ["198.51.100.31"]
    assert [k for k, _ in said] == ["read note"]
    assert said[0][1].startswith(f"{hole} NUL bytes at the start, taken off before line 1: the file was emptied by "
                                 "logrotate copytruncate")


def test_a_too_long_line_1_after_copytruncate_is_no_piece_of_a_line(tmp_path: Path) -> None:
    """Review: line 1 rejected as 'a line of N bytes, longer than 16777216' after copytruncate's run was taken for
    the piece of a cut line (damage, exit 3); its own reason says what it is, the run stays copytruncate's note."""
    log = tmp_path / "web1" / "access.log"
    log.parent.mkdir(parents=True)
    log.write_bytes(b"\0" * 5000 + b"x" * (40 << 20) + b"\n" + b"".join(_lines()))  # across a read block
    with Case() as case:
        case.ingest([log], IngestOptions(format="combined"))  # detection passes over a line so long
        [(line_no, reason)] = case.sql("SELECT line_no, reason FROM rejects").values.tolist()
        said = [k for k, _ in _said(case)]
    assert (line_no, said) == (1, ["read note"])
    assert reason.startswith(f"a line of {5000 + (40 << 20) + 1} bytes, longer than 16777216")


def test_a_whole_line_1_rejected_for_a_value_after_copytruncate_is_no_piece_of_a_line(tmp_path: Path) -> None:
    """Review: a whole line 1 with an impossible date ([32/Jun/2020...]) after copytruncate's hole (5000 bytes,
    not on a block boundary) was turned into damage ('parses as no line ...: invalid timestamp', exit 3). A line
    of the format's shape rejected for a field's value has its start: its own reason, the run stays a note; a
    piece with no shape (a line cut at its start) is still damage (test above)."""
    lines = _lines()
    lines[0] = lines[0].replace(b"[12/Jun/2020", b"[32/Jun/2020")
    log = tmp_path / "web1" / "access.log"
    log.parent.mkdir(parents=True)
    log.write_bytes(b"\0" * 5000 + b"".join(lines))
    with Case() as case:
        case.ingest([log])
        [(line_no, reason)] = case.sql("SELECT line_no, reason FROM rejects").values.tolist()
        said = [k for k, _ in _said(case)]
    assert (line_no, reason.split(":")[0], said) == (1, "invalid timestamp", ["read note"])
