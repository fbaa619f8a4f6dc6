"""A damaged gzip member proven, by its own CRC-32, a corrupted copy of an intact file's bytes.

A gzip member stores the CRC-32 and the size (ISIZE, mod 2^32) of the bytes that were compressed into it. A member
that inflated to its end, to exactly ISIZE bytes, and whose decoded bytes fail that CRC-32 (the `damaged` finding:
a bit flipped in a literal) was compressed from bytes the decoded ones differ from in place. Where an intact file
of the case (no damage) holds a byte range R whose CRC-32 is the member's stored one and whose length is its size,
R is what was compressed: the member's decoded bytes are R's with corruption. The rule:

- **Candidates**: the overlap rule (exposure/overlap.py) pairs the member's lines with an intact file's; each pair
  puts the member's first byte at one offset of the intact file (the shift: a copy's bytes lie in the same places,
  as the sizes are equal). A single altered line still leaves its neighbours paired. Each shift is tested, the one
  most pairs give first (queries/corruption.sql, corruption_candidates): crc32(R) == the stored CRC-32 and
  len(R) == the stored size. No candidate, another length or another CRC-32: nothing changes (the `damaged`
  finding, exit code 3, the lines counted as read and marked). Another server's log sharing lines with the member
  (health checks, one stream name for two servers) holds other bytes between them: its CRC-32 is another.
- **Proven**: each line of the member whose bytes differ from R's in their place is corruption, not a request: a
  request line of it is rejected (`corrupted: ...`, naming the intact file's lines in its place; lines = requests
  + rejected + skipped holds), the intact file's lines are counted. Each request line of the member the same as R's
  in its place, whole in the member, is a copy of the intact file's line there (overlap_lines), however short its
  run. The proof is kept in `corrupted_members` and said with the `damaged` finding, which stays (exit code 3).
- CRC-32 detects accidental change (a flipped bit, a bad sector), not an attacker's: bytes made to have a chosen
  CRC-32 are easy to forge. The proof is one of accidental corruption (README, "Reading evidence").
- Lines end at "\\n" here (a file whose lines end at a lone "\\r" is never proven: its lines are not found).
  A line that began before the member (a member ending mid-line) is rejected only where its bytes in the member
  differ, within 64 KiB before the member (a longer line is not followed back).

The damaged file's rows change once (a later settle finds the lines rejected already); the seal digests them again
as it does rows the citation rule moves (exposure/seal.py, Session.changes).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass

import duckdb
import numpy as np

from . import queries, store
from .evidence import EvidenceFile, content_range

BACK = 1 << 16  # a line that began before the member is followed back this far
MAX_CANDIDATES = 8  # shifts tested per member (most pairs first): a copy gives one

FILE_SQL = """
SELECT path, abs_path, size_bytes, mtime_utc, compression, server FROM evidence WHERE evidence_id = ?
"""


# The registry's counts of a file whose lines were rejected as corrupted, as the ingest counts them
# (exposure/ingest.py _parsed_rows): its requests, rejected lines, first and last request time, and its requests
# without a byte count (none in a format whose dash is 0 bytes: the least of the two).
COUNTS_SQL = """
UPDATE evidence SET
    requests = (SELECT count(*) FROM requests WHERE evidence_id = $e),
    rejected = (SELECT count(*) FROM rejects WHERE evidence_id = $e),
    first_time = (SELECT min(ts_utc) FROM requests WHERE evidence_id = $e),
    last_time = (SELECT max(ts_utc) FROM requests WHERE evidence_id = $e),
    unsized_requests = least(unsized_requests,
                             (SELECT count(*) - count(bytes) FROM requests WHERE evidence_id = $e))
WHERE evidence_id = $e
"""


@dataclass(frozen=True)
class Candidate:
    evidence_id: int
    member: int
    start: int  # the member's first content byte in the damaged file
    size: int  # its content bytes
    stored_crc: int
    kept_evidence_id: int
    shift: int  # from a byte of the member to the same byte in the intact file
    anchor_line: int  # a line of the intact file paired with the member, and its byte offset
    anchor_offset: int
    pairs: int


def prove(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite `corrupted_members` and act on each proof (the module's rule), in the caller's transaction, after
    overlap_lines holds the overlap rule's pairs and before the copies' citations are followed."""
    con.execute("DELETE FROM corrupted_members")
    if not con.execute("SELECT count(*) FROM evidence WHERE crc_failures IS NOT NULL").fetchone()[0]:
        return
    rows = con.execute(queries.get("corruption_candidates").sql).fetchall()
    tried: dict[tuple[int, int], int] = {}
    done: set[tuple[int, int]] = set()
    for row in rows:
        c = Candidate(*row)
        key = (c.evidence_id, c.member)
        tried[key] = tried.get(key, 0) + 1
        if key in done or tried[key] > MAX_CANDIDATES:
            continue
        kept = _file(con, c.kept_evidence_id)
        intact = _read(kept, c.start + c.shift, c.size)
        if intact is None or len(intact) != c.size or zlib.crc32(intact) != c.stored_crc:
            continue
        damaged = _read(_file(con, c.evidence_id), max(c.start - BACK, 0), c.size + min(c.start, BACK))
        if damaged is None or len(damaged) != c.size + min(c.start, BACK):
            continue
        done.add(key)
        _act(con, c, kept.path, intact, damaged)


def _file(con: duckdb.DuckDBPyConnection, evidence_id: int) -> EvidenceFile:
    return EvidenceFile(*con.execute(FILE_SQL, [evidence_id]).fetchone())


def _read(ev: EvidenceFile, start: int, length: int) -> bytes | None:
    """Content bytes of a registered file; None where it is gone or no longer the size it was registered with."""
    try:
        if os.stat(ev.abs_path).st_size != ev.size_bytes:
            return None
        return content_range(ev, start, length)
    except OSError:
        return None


@dataclass(frozen=True)
class _Lines:
    """The damaged file's lines that meet the member: each one's start and end (content offsets, end after its
    newline or at the member's end), the first perhaps begun before the member."""

    starts: np.ndarray
    ends: np.ndarray


def _member_lines(c: Candidate, damaged: bytes) -> _Lines:
    before = min(c.start, BACK)
    head = damaged[:before]
    first = c.start - before + head.rfind(b"\n") + 1 if b"\n" in head else c.start - before
    body = np.frombuffer(damaged, dtype=np.uint8)[before:]
    after = np.flatnonzero(body == 10) + c.start + 1  # where a line begins after a newline of the member
    starts = np.concatenate(([first], after[after < c.start + c.size])).astype(np.int64)
    ends = np.concatenate((starts[1:], [c.start + c.size])).astype(np.int64)
    return _Lines(starts, ends)


def _kept_line(newlines: np.ndarray, c: Candidate, offset: int) -> int:
    """The intact file's line holding content byte `offset` (an offset in R), numbered from the anchor."""
    if offset >= c.anchor_offset:
        return c.anchor_line + int(np.searchsorted(newlines, offset, "left")
                                   - np.searchsorted(newlines, c.anchor_offset, "left"))
    return c.anchor_line - int(np.searchsorted(newlines, c.anchor_offset, "left")
                               - np.searchsorted(newlines, offset, "left"))


def _act(con: duckdb.DuckDBPyConnection, c: Candidate, kept_path: str, intact: bytes, damaged: bytes) -> None:
    lines = _member_lines(c, damaged)
    mine = np.frombuffer(damaged, dtype=np.uint8)[min(c.start, BACK):]
    theirs = np.frombuffer(intact, dtype=np.uint8)
    diff = np.flatnonzero(mine != theirs) + c.start
    bad = np.unique(np.searchsorted(lines.starts, diff, "right") - 1)
    newlines = np.flatnonzero(theirs == 10) + c.start + c.shift
    lo, hi = c.start + c.shift, c.start + c.shift + c.size - 1
    first, last = _kept_line(newlines, c, lo), _kept_line(newlines, c, hi)
    requests = dict(con.execute(
        "SELECT byte_offset, line_no FROM requests WHERE evidence_id = ? AND byte_offset BETWEEN ? AND ?",
        [c.evidence_id, int(lines.starts[0]), c.start + c.size]).fetchall())
    differing = [int(lines.starts[i]) for i in bad]
    listed = con.execute(  # requests, or rejected (by the parse, or as corrupted by an earlier settle)
        "SELECT list(line_no ORDER BY line_no) FROM (SELECT line_no FROM requests WHERE evidence_id = $e AND "
        "list_contains($o, byte_offset) UNION ALL SELECT line_no FROM rejects WHERE evidence_id = $e AND "
        "list_contains($o, byte_offset))",
        {"e": c.evidence_id, "o": differing}).fetchone()[0] or []
    con.execute("INSERT INTO corrupted_members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [c.evidence_id, c.member, c.start, c.size, c.kept_evidence_id, lo, first, last,
                 ", ".join(str(n) for n in listed) or "none a request"])
    for i in bad:
        s, e = int(lines.starts[i]), int(lines.ends[i])
        if s in requests:
            a = _kept_line(newlines, c, max(s + c.shift, lo))
            b = _kept_line(newlines, c, min(e + c.shift, hi + 1) - 1)
            where = f"line {a}" if a == b else f"lines {a}-{b}"
            raw = damaged[s - c.start + min(c.start, BACK):e - c.start + min(c.start, BACK)].rstrip(b"\n")
            _reject(con, c.evidence_id, requests[s], s, raw,
                    f"corrupted: gzip member {c.member}'s CRC-32 and size match intact copy {kept_path} (its "
                    f"{where} in this line's place): this line's bytes differ from them, altered by the damage")
    _copies(con, c, lines, set(differing), requests)
    con.execute(COUNTS_SQL, {"e": c.evidence_id})


def _reject(con: duckdb.DuckDBPyConnection, evidence_id: int, line_no: int, offset: int, raw: bytes,
            reason: str) -> None:
    """A request line proven corrupted becomes a rejected line of its file, its reason given."""
    text = raw.decode("utf-8", errors="replace")
    con.execute("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
                [evidence_id, line_no, offset, reason, text, text.encode("utf-8") != raw])
    store.delete_lines(con, evidence_id, [line_no])
    con.execute("DELETE FROM overlap_lines WHERE (evidence_id = $e AND line_no = $l) "
                "OR (kept_evidence_id = $e AND kept_line_no = $l)", {"e": evidence_id, "l": line_no})


def _copies(con: duckdb.DuckDBPyConnection, c: Candidate, lines: _Lines, differing: set[int],
            requests: dict[int, int]) -> None:
    """Each request line of the member, whole in it and the same as the intact bytes in its place, is a copy of
    the intact file's request line there (one the overlap rule left out: too short a run between altered ones)."""
    same = [(requests[int(s)], int(s) + c.shift) for s, e in zip(lines.starts, lines.ends, strict=True)
            if int(s) >= c.start and int(s) not in differing and int(s) in requests and e <= c.start + c.size]
    if not same:
        return
    con.execute("""
        INSERT INTO overlap_lines (evidence_id, line_no, kept_evidence_id, kept_line_no)
        SELECT $d, m.line_no, $k, k.line_no
        FROM (SELECT unnest($lines) AS line_no, unnest($offsets) AS offset) m
        JOIN requests k ON k.evidence_id = $k AND k.byte_offset = m.offset
        WHERE NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = $d AND o.line_no = m.line_no)
        ORDER BY m.line_no""",
                {"d": c.evidence_id, "k": c.kept_evidence_id, "lines": [a for a, _ in same],
                 "offsets": [b for _, b in same]})
