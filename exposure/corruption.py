"""A damaged gzip member proven, by its own CRC-32, a corrupted copy of an intact file's bytes.

A gzip member stores the CRC-32 and the size (ISIZE, mod 2^32) of the bytes that were compressed into it. A member
that inflated to its end, to exactly ISIZE bytes, and whose decoded bytes fail that CRC-32 (the `damaged` finding:
a bit flipped in a literal) was compressed from bytes the decoded ones differ from in place. Where an intact file
of the case (no damage) holds a byte range R whose CRC-32 is the member's stored one and whose length is its size,
R is what was compressed: the member's decoded bytes are R's with corruption. The rule:

- **Candidates**: the overlap rule (exposure/overlap.py) pairs the member's lines with an intact file's; each pair
  puts the member's first byte at one offset of the intact file (the shift: a copy's bytes lie in the same places,
  as the sizes are equal). A single altered line still leaves its neighbours paired; a member in which no paired
  line begins (a small member, its lines altered or made by the damage) takes the shift of the nearest paired line
  before it and of the nearest after it (each at most BACK bytes away), the intact lines counted between. Each shift
  is tested, the one most pairs give first (queries/corruption.sql, corruption_candidates): crc32(R) == the stored CRC-32 and
  len(R) == the stored size. No candidate, another length or another CRC-32: nothing changes (the `damaged`
  finding, exit code 3, the lines counted as read and marked). Another server's log sharing lines with the member
  (health checks, one stream name for two servers) holds other bytes between them: its CRC-32 is another.
- **Proven**: a line of the member is the intact file's line in its place only where that file has a line of the
  same start, the same end and the same bytes there. Every other line of it is corruption, not a request: one
  holding an altered byte, and one whose bytes are R's but whose start is not a line start of R (the newline
  before it made by the damage, as a flipped bit makes "*" a newline and one line two; where that newline is the
  member's last byte, the line it made is the next member's first, rejected too though its bytes lie past the
  proof: its start is the damage's). A request line of it is
  rejected (`corrupted: ...`, naming the intact file's lines in its place; lines = requests + rejected + skipped
  holds), the intact file's lines are counted; a line of it the reader rejected already (a newline the damage
  altered joins two lines: rejected as glued) is named so too, the reason it was read with kept after the proof's.
  Each request line of the member that is the intact line in its
  place, whole in the member, is a copy of it (overlap_lines), however short its run; so is each unpaired request
  line of the damaged file outside the member that is the same line (the overlap rule's identity) as the intact
  line beginning where the proof's shift puts it (a line of an intact member whose run the altered line cut short). The proof is kept in `corrupted_members` and said with the `damaged` finding, which stays (exit code 3).
- CRC-32 detects accidental change (a flipped bit, a bad sector), not an attacker's: bytes made to have a chosen
  CRC-32 are easy to forge. The proof is one of accidental corruption (README, "Reading evidence").
- Lines end at "\\n" here: a damaged or intact file whose lines end at a lone "\\r", or mixed, is no candidate
  (its lines would be taken for one).
  A line that began before the member (a member ending mid-line) is rejected only where its bytes in the member
  differ, within 64 KiB before the member (a longer line is not followed back).

The damaged file's rows change once, when the member is proven: they are sealed again in that transaction, with
the proof (`corrupted_members`; exposure/seal.py Session.rows_changed), so a command killed later leaves both
sealed and the recovery keeps the proof beside the lines it rejected. A proof once made stays
(`corrupted_members`: later settles list its copies again from it, reading no file; an intact log that grew since
changes nothing of it); a recovery empties the table where it differs from the seal and works it out anew.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

import duckdb
import numpy as np

from . import queries, store
from .contentstream import ContentStream
from .evidence import EvidenceFile, raw_lines

BACK = 1 << 16  # a line that began before the member is followed back this far
BLOCK = 4 << 20  # content bytes compared at a time (the member is never held whole)
MAX_CANDIDATES = 8  # shifts tested per member (most pairs first): a copy gives one

FILE_SQL = """
SELECT path, abs_path, size_bytes, mtime_utc, compression, server FROM evidence WHERE evidence_id = ?
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


@dataclass(frozen=True)
class Proved:
    """What one pass of `prove` did: the evidence files whose stored rows changed (lines rejected now) and how many
    members it proved now (kept in `corrupted_members`: sealed at once, exposure/seal.py Session.rows_changed)."""

    changed: list[int]
    members: int


def prove(con: duckdb.DuckDBPyConnection) -> Proved:
    """Act on each proof (the module's rule), in the caller's transaction, after overlap_lines holds the overlap
    rule's pairs and before the copies' citations are followed. A member proven once stays proven (kept in
    `corrupted_members`: the bytes were read as registered then, its lines rejected since; an intact file that
    grew or went later changes nothing of it): its copies are listed again from what was kept, no file read.
    Returns the evidence files whose stored rows changed (lines rejected now) and the members proven now."""
    if not con.execute("SELECT count(*) FROM evidence WHERE crc_failures IS NOT NULL").fetchone()[0]:
        return Proved([], 0)
    done: set[tuple[int, int]] = set()
    for evidence_id, member, kept_id, start, shift, last_newline, differing in con.execute(
            "SELECT evidence_id, member, kept_evidence_id, content_start, kept_start - content_start, last_newline, "
            "differing_offsets FROM corrupted_members ORDER BY evidence_id, member").fetchall():
        _list_copies(con, evidence_id, kept_id, start, last_newline, shift, differing)
        done.add((evidence_id, member))
    pending: dict[int, tuple[EvidenceFile, list[tuple[int, int, str]]]] = {}  # per damaged file: lines rejected
    proven = 0
    queries.bind(con, {"max_back": BACK})  # a member no paired line begins in: the paired line before it, this near
    rows = con.execute(queries.get("corruption_candidates").sql).fetchall()
    tried: dict[tuple[int, int], int] = {}
    streams: dict[str, ContentStream] = {}  # each file decoded once per pass (members in order: exposure/contentstream)
    try:
        for row in rows:
            c = Candidate(*row)
            key = (c.evidence_id, c.member)
            tried[key] = tried.get(key, 0) + 1
            if key in done or tried[key] > MAX_CANDIDATES:
                continue
            kept, damaged = _file(con, c.kept_evidence_id), _file(con, c.evidence_id)
            if not (_unchanged(kept) and _unchanged(damaged)):
                continue
            found = _compare(_stream(streams, damaged), _stream(streams, kept), c)
            if found is None:
                continue
            done.add(key)
            proven += 1
            if rejected := _act(con, c, kept.path, found):
                pending.setdefault(c.evidence_id, (damaged, []))[1].extend(rejected)
    finally:
        for stream in streams.values():
            stream.close()
    for evidence_id, (damaged, rejected) in pending.items():
        _reject_all(con, damaged, evidence_id, rejected)
    return Proved(list(pending), proven)


def _stream(streams: dict[str, ContentStream], ev: EvidenceFile) -> ContentStream:
    """The pass's one reader of the file's content (a line begun before a member followed back from its bytes)."""
    return streams.setdefault(ev.abs_path, ContentStream(ev, BACK + 1))


def _file(con: duckdb.DuckDBPyConnection, evidence_id: int) -> EvidenceFile:
    return EvidenceFile(*con.execute(FILE_SQL, [evidence_id]).fetchone())


def _unchanged(ev: EvidenceFile) -> bool:
    """The file is there at the size it was registered with (as exposure/overlap.py reads cut lines back)."""
    try:
        return os.stat(ev.abs_path).st_size == ev.size_bytes
    except OSError:
        return False


@dataclass
class _Found:
    """What comparing the member's bytes with the intact bytes in their place found (content offsets of the damaged
    file; intact line numbers relative to the line holding the range's first byte, `anchor_rel` the anchor's)."""

    bad: list[list[int]] = field(default_factory=list)  # [start, first rel line, last rel line, a byte differs]
    last_rel: int = 0  # the relative line of the range's last byte
    anchor_rel: int = 0
    last_newline: int = -1  # the damaged file's last newline in the member (a line ending by it is whole in it)
    after: bool = False  # the member's last byte a newline the damage made: the line after it is one the damage made
    newlines: int = 0  # the intact range's newlines


def _aligned(a: Iterator[bytes], b: Iterator[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """Two byte streams cut into blocks of equal length (until either ends)."""
    abuf, bbuf = b"", b""
    while True:
        while len(abuf) < BLOCK and (x := next(a, None)) is not None:
            abuf += x
        while len(bbuf) < len(abuf) and (y := next(b, None)) is not None:
            bbuf += y
        n = min(len(abuf), len(bbuf), BLOCK)
        if not n:
            return
        yield abuf[:n], bbuf[:n]
        abuf, bbuf = abuf[n:], bbuf[n:]


def _compare(damaged: ContentStream, kept: ContentStream, c: Candidate) -> _Found | None:
    """Where the intact bytes the candidate names have the member's stored CRC-32 and size: the lines of the damaged
    file in the member that are not the intact file's lines in their place (the line begun before the member
    followed back BACK bytes at most). None where they have another CRC-32 or a file gives fewer bytes. Both
    files are read once, side by side: the CRC-32 is taken as the bytes are compared."""
    before = min(c.start, BACK)
    mine = damaged.pieces(c.start - before, before + c.size)
    head = b""
    while len(head) < before and (x := next(mine, None)) is not None:
        head += x
    rest, head = head[before:], head[:before]
    if len(head) < before:
        return None
    line_start = c.start - before + head.rfind(b"\n") + 1 if b"\n" in head else c.start - before
    kept_at = c.start + c.shift
    # the intact bytes before the range: the one before it (a line begins after "\n"), or from an anchor before it
    # (a member no paired line begins in, queries/corruption.sql): the intact lines from the anchor to the range
    lead = kept_at - c.anchor_offset if c.anchor_offset < kept_at else min(kept_at, 1)
    theirs = kept.pieces(kept_at - lead, c.size + lead)
    before_range = b""
    while len(before_range) < lead and (y := next(theirs, None)) is not None:
        before_range += y
    if len(before_range) < lead:
        return None
    before_range, first = before_range[:lead], before_range[lead:]
    theirs_begins_line = before_range[-1:] == b"\n" if lead else True
    crc = _Crc(_chain(first, theirs))
    found = compare(_chain(rest, mine), iter(crc), c.start, c.size, line_start, c.anchor_offset - c.shift,
                    theirs_begins_line)
    if found is not None and c.anchor_offset < kept_at:
        found.anchor_rel = -before_range.count(b"\n")  # the anchor's line, that many intact lines before the range's
    if (crc.value, crc.length) != (c.stored_crc, c.size) or found is None:
        return None
    if c.anchor_offset >= kept_at + c.size:  # an anchor after the range: the intact lines up to it
        gap = b"".join(kept.pieces(kept_at + c.size, c.anchor_offset - kept_at - c.size))
        if len(gap) < c.anchor_offset - kept_at - c.size:
            return None
        found.anchor_rel = found.newlines + gap.count(b"\n")
    return found


class _Crc:
    """Bytes passed through, their CRC-32 and length taken on the way."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces, self.value, self.length = pieces, 0, 0

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            self.value, self.length = zlib.crc32(piece, self.value), self.length + len(piece)
            yield piece


def compare(mine: Iterator[bytes], theirs: Iterator[bytes], start: int, size: int, line_start: int,
            anchor: int, theirs_begins_line: bool = True) -> _Found | None:
    """Compare the member's `size` bytes (`mine`, from content offset `start`) with the intact bytes in their place
    (`theirs`) a block at a time, side by side (never held whole): each line of `mine` that is not a line of
    `theirs` in its place (the same start, the same end, the same bytes), with the intact lines holding its first
    and last byte, numbered from the intact line holding the range's first byte (0), as is `anchor` (an offset in
    `mine`'s terms), and whether a byte of it differs (else only its start does: the newline before it altered, or
    the member's first line begun before the intact range's and not in `theirs`, `theirs_begins_line`, or the
    reverse). `line_start` is that of the line begun before the member. None where either gives fewer than `size`
    bytes."""
    found, base, count, open_line = _Found(), start, 0, None  # count: intact newlines before `base`
    k_ends_line = False  # the intact range's last byte is a newline
    carry: list[int] = [start] if (line_start == start) != theirs_begins_line else []  # a line's start not theirs
    for a_block, b_block in _aligned(mine, theirs):
        a, b = np.frombuffer(a_block, dtype=np.uint8), np.frombuffer(b_block, dtype=np.uint8)
        nl_d, nl_k = np.flatnonzero(a == 10) + base, np.flatnonzero(b == 10) + base
        rel = partial(_rel, count, nl_k)  # intact newlines before an offset of this block (or before it)
        if base <= anchor < base + len(a):
            found.anchor_rel = rel(anchor)
        if open_line is not None and len(nl_d):  # a differing line begun in an earlier block ends here
            open_line[2] = rel(int(nl_d[0]))
            open_line = None
        differ = np.flatnonzero(a != b)
        made = differ[a[differ] == 10] + base + 1  # a newline the damage made: the line after it begins here
        suspect = np.union1d(np.union1d(differ + base, made), np.array(carry, dtype=np.int64))
        carry = [int(p) for p in suspect if p >= base + len(a)]  # the next block's first byte
        differing = set((differ + base).tolist())
        for p in (int(q) for q in suspect if q < base + len(a)):
            i = int(np.searchsorted(nl_d, p, "left"))  # the damaged file's newlines before p in the block
            s = int(nl_d[i - 1]) + 1 if i else line_start
            if found.bad and found.bad[-1][0] == s:
                found.bad[-1][3] = found.bad[-1][3] or p in differing
                continue
            # no intact newline lies between s and the block (none in mine there, and no byte differs before p)
            found.bad.append([s, rel(s), rel(int(nl_d[i])) if i < len(nl_d) else rel(base + len(a) - 1),
                              p in differing])
            open_line = None if i < len(nl_d) else found.bad[-1]
        if len(nl_d):
            line_start = int(nl_d[-1]) + 1
            found.last_newline = int(nl_d[-1])
        count += len(nl_k)
        base += len(a)
        k_ends_line = bool(b[-1] == 10)
        if open_line is not None:
            open_line[2] = count - k_ends_line
    if base != start + size:
        return None
    found.last_rel, found.newlines = count - k_ends_line, count
    found.after = bool(carry)  # a newline made at the member's last byte: the next member's first line is made
    return found


def _rel(count: int, newlines: np.ndarray, q: int) -> int:
    """Intact newlines before content offset `q`: `count` before the block, and the block's (`newlines`)."""
    return count + int(np.searchsorted(newlines, q, "left"))


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _act(con: duckdb.DuckDBPyConnection, c: Candidate, kept_path: str, found: _Found) -> list[tuple[int, int, str]]:
    """Record the proof and list its copies; the lines it rejects (line, offset, reason), rejected by
    `_reject_all` once the pass has proven every member of the file (the file read back once): its request lines,
    and each line the reader rejected already (glued: the damage altered the line end between two lines), named
    with the intact lines in its place and the reason it was read with."""
    first = c.anchor_line - found.anchor_rel  # the intact file's line holding the range's first byte
    end = c.start + c.size  # the line after the member begins here where its last byte is a newline the damage made
    starts = [s for s, *_ in found.bad] + ([end] if found.after else [])
    requests = dict(con.execute("SELECT byte_offset, line_no FROM requests WHERE evidence_id = ? "
                                "AND list_contains(?, byte_offset)", [c.evidence_id, starts]).fetchall())
    # a line the reader rejected already (glued: the damage made its newline another byte), its reason as read
    read = {o: (n, r) for o, n, r in con.execute(
        "SELECT byte_offset, line_no, reason FROM rejects WHERE evidence_id = ? AND list_contains(?, byte_offset) "
        "AND NOT starts_with(reason, 'corrupted: ')", [c.evidence_id, starts]).fetchall()}
    listed = con.execute(  # requests, or rejected (by the parse, or as corrupted by an earlier settle)
        "SELECT list(line_no ORDER BY line_no) FROM (SELECT line_no FROM requests WHERE evidence_id = $e AND "
        "list_contains($o, byte_offset) UNION ALL SELECT line_no FROM rejects WHERE evidence_id = $e AND "
        "list_contains($o, byte_offset))", {"e": c.evidence_id, "o": starts}).fetchone()[0] or []
    con.execute("INSERT INTO corrupted_members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [c.evidence_id, c.member, c.start, c.size, c.kept_evidence_id, c.start + c.shift, first,
                 first + found.last_rel, ", ".join(str(n) for n in listed) or "no request or rejected line",
                 found.last_newline, starts])
    rejected: list[tuple[int, int, str]] = []
    for s, a, b, differs in found.bad:
        if s in requests or s in read:
            where = f"line {first + a}" if a == b else f"lines {first + a}-{first + b}"
            why = ("this line's bytes differ from them, altered by the damage" if differs else
                   "this line's bytes are theirs but no line of theirs begins where it does: a line the damage made "
                   "(the line end before it altered)")
            why += f"; read before the proof, it was rejected: {read[s][1]}" if s in read else ""
            rejected.append((requests[s] if s in requests else read[s][0], s,
                             f"corrupted: gzip member {c.member}'s CRC-32 and size match intact copy {kept_path} "
                             f"(its {where} in this line's place): {why}"))
    if found.after and end in requests:  # its bytes lie past the member (no proof of them): its start is the damage's
        rejected.append((requests[end], end, f"corrupted: gzip member {c.member}'s CRC-32 and size match intact copy "
                                             f"{kept_path} (its line {first + found.last_rel} runs on past the "
                                             "member's end, where this line begins): no line of theirs begins where "
                                             "it does: a line the damage made (the member's last byte altered to a "
                                             "line end)"))
    _list_copies(con, c.evidence_id, c.kept_evidence_id, c.start, found.last_newline, c.shift, starts)
    return rejected


def _reject_all(con: duckdb.DuckDBPyConnection, damaged: EvidenceFile, evidence_id: int,
                rejected: list[tuple[int, int, str]]) -> None:
    """The request lines of a file proven corrupted (line, offset, reason) rejected, their raw bytes read back in
    one reading of the file, a line rejected already given the proof's reason, and its counts worked out again."""
    # a line spanning two proven members is found by each: rejected once, with the first member's reason (one row
    # per line: lines = requests + rejected + skipped)
    first: dict[int, tuple[int, str]] = {}
    for line_no, offset, reason in rejected:
        first.setdefault(line_no, (offset, reason))
    # a line rejected when read (glued) keeps its row, its reason now the proof's with the one it was read with
    read = {n for n, in con.execute("SELECT line_no FROM rejects WHERE evidence_id = ? AND list_contains(?, line_no)",
                                    [evidence_id, list(first)]).fetchall()}
    for line_no in read:
        con.execute("UPDATE rejects SET reason = ? WHERE evidence_id = ? AND line_no = ?",
                    [first.pop(line_no)[1], evidence_id, line_no])
    raw = raw_lines(damaged, {line_no: offset for line_no, (offset, _) in first.items()})
    for line_no, (offset, reason) in first.items():
        _reject(con, evidence_id, line_no, offset, raw.get(line_no, b""), reason)
    queries.bind(con, {"damaged_id": evidence_id})
    con.execute(queries.get("corrupted_counts").sql)


def _list_copies(con: duckdb.DuckDBPyConnection, damaged_id: int, kept_id: int, start: int, last_newline: int,
                 shift: int, differing: list[int]) -> None:
    """The member's lines the same as the intact bytes in their place, and the damaged file's other unpaired lines
    the same as the intact line in their place: copies (queries/corruption.sql)."""
    queries.bind(con, {"damaged_id": damaged_id, "kept_id": kept_id, "member_start": start,
                       "member_last_newline": last_newline, "shift": shift, "differing_offsets": differing})
    con.execute(queries.get("corrupted_copies").sql)
    con.execute(queries.get("aligned_copies").sql)


def _reject(con: duckdb.DuckDBPyConnection, evidence_id: int, line_no: int, offset: int, raw: bytes,
            reason: str) -> None:
    """A request line proven corrupted becomes a rejected line of its file, its reason given."""
    text = raw.decode("utf-8", errors="replace")
    con.execute("INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
                [evidence_id, line_no, offset, reason, text, text.encode("utf-8") != raw])
    store.delete_lines(con, evidence_id, [line_no])
    con.execute("DELETE FROM overlap_lines WHERE (evidence_id = $e AND line_no = $l) "
                "OR (kept_evidence_id = $e AND kept_line_no = $l)", {"e": evidence_id, "l": line_no})
