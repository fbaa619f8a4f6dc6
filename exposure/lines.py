"""Content cut into numbered lines, exactly: every line gets its number and the content byte offset it starts at.

The rules (README, "Reading evidence"):
- A line ends at "\\n"; a "\\r" before it belongs to the terminator, a "\\r" anywhere else is content. A file
  whose first MiB holds more lone "\\r" than "\\n" (old Mac OS) has its lines end at "\\r" instead.
- A UTF-8 byte-order mark at the very start of the content is not part of the first line: that line starts at
  content byte 3 (offsets stay exact for reading the raw line back).
- Lines are never joined across lost content (a `Gap`): the piece of a line before a gap and the piece after it
  are lines of their own, rejected unparsed with the reason (the piece after is parsed when what follows the gap
  starts a gzip member: a member is written from a line's start). Numbering runs on through the decoded
  content: the lost region holds an unknown number of lines, none of them numbered.
- A line longer than MAX_LINE (its terminator, a "\r\n" whole, aside) is not held in memory: its first KEEP bytes
  are kept for the rejects, the rest is passed over to its end; the whole line stays readable in the file at its
  offset. The NUL bytes a line begins with do not count: logrotate copytruncate's hole is as long as the log was
  (a 100 MB log: 100 MB), and a whole line follows it. All but NUL_RUN_MIN of them are passed over, their count
  kept (LineFacts.nul_passed) and added back where the run is measured (evidence.py), so the line after it is
  read; the run before a line still too long is measured whole (LineFacts.nul_heads). The same rules hold
  wherever the read blocks fall around the line (the other line ending inside it is looked for alike).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .compressed import Gap

BOM = b"\xef\xbb\xbf"
HEAD = 4096  # content bytes kept from the start, before the BOM is taken off (for encoding checks)
DECIDE = 1 << 20  # content bytes looked at to tell "\r" files from "\n" files
MAX_LINE = 16 << 20
KEEP = 1 << 20


@dataclass
class Lines:
    """Consecutive lines of `data`: line i is data[offsets[i]:offsets[i + 1]], its terminator included."""

    data: bytes | memoryview
    offsets: np.ndarray  # int64, n + 1 positions in data
    first_no: int  # the first line's number (1-based)
    base: int  # content offset of data[0]
    newline: int  # the terminator byte: 10, or 13 in a "\r" file
    forced: str | None = None  # every line here is rejected with this reason, unparsed


NUL_RUN_MIN = 16  # a run of NUL bytes this long stands for lost content: no log line holds so many; fewer stay
NUL_RUN = b"\0" * NUL_RUN_MIN


@dataclass
class LineFacts:
    """What cutting the content into lines found, complete when the lines are exhausted."""

    lines: int = 0
    content_bytes: int = 0  # up to the end of the last line
    final_newline: bool = True
    bom: str | None = None
    bom_lines: int = 0  # lines after the start that began with a UTF-8 byte-order mark (taken off: evidence.py)
    first_bom_line: int | None = None
    # runs of NUL bytes a line began with, taken off before parsing (evidence.py): (line number, content offset,
    # length); a run at the start is logrotate copytruncate's, one later stands where lines were lost
    nul_runs: list[tuple[int, int, int]] = field(default_factory=list)
    nul_lines: int = 0  # lines that began with a run (nul_runs keeps the first NUL_RUNS_KEPT)
    # runs of NUL bytes inside a line (a crash zeroed blocks whose boundary fell mid-line): (line number, content
    # offset, length); the line is rejected (evidence.py, nul_pieces)
    nul_cuts: list[tuple[int, int, int]] = field(default_factory=list)
    nul_cut_lines: int = 0  # lines a run was inside (nul_cuts keeps the first NUL_RUNS_KEPT)
    # a run at the very start that is not copytruncate's: it ends on a file-system block boundary (a crash zeroed
    # the first blocks; evidence.nul_pieces), or what follows it parses as no line (ReadStats.first_piece_cut):
    # (content offset where the run ends, its length, why); line 1 is rejected
    nul_start_cut: tuple[int, int, str] | None = None
    # NUL bytes passed over at a line's start (a run longer than MAX_LINE: Splitter), by the content offset the
    # line is then read from (NUL_RUN_MIN of them kept there): the run is that much longer and starts that much
    # earlier (passed_nuls)
    nul_passed: dict[int, int] = field(default_factory=dict)
    # NUL bytes an overlong line begins with (only its first KEEP bytes are kept: Splitter), by the content offset
    # it is read from: the run measured whole, wherever the line lies (heads_nuls)
    nul_heads: dict[int, int] = field(default_factory=dict)
    head: bytes = b""
    # the last line when it has no terminator (final_newline false), as read, at most KEEP bytes: what of a line a
    # copy cut mid-line still holds (ingest.lastline decides which of its fields are whole)
    last_text: bytes | None = None
    newline: int | None = None  # None until the content shows "\n" or "\r"
    lf: int = 0  # lines ending in "\n" (CR-LF included)
    crlf: int = 0
    cr_lf_seen: bool = False  # a "\n" in a "\r" file
    # lines holding the other line ending inside them (a lone "\r" where lines end at "\n", a "\n" where they end
    # at "\r") with no content before or after it on the line ("\r\r\n"): nothing joined, said as a note
    # (evidence.py); how many, and the first one's number
    other_ending_lines: int = 0
    first_other_ending: int | None = None
    # lines where the other ending has content both before and after it on the line (not counted above): no server
    # writes a raw CR or LF inside a line (README, "Joined lines"), so the text after it is a further line joined
    # to this one, its requests not read (evidence.py: damage `joined lines`); how many, the first one's number
    # and the content offset of its first such byte
    joined_lines: int = 0
    first_joined: tuple[int, int] | None = None

    def passed_nuls(self, at: int) -> int:
        """NUL bytes passed over before the line read from content offset `at` (0: none)."""
        return self.nul_passed.get(at, 0)

    def head_nuls(self, at: int, measured: int) -> int:
        """The NUL bytes the line read from content offset `at` begins with, `measured` in what of it is kept."""
        return max(measured, self.nul_heads.get(at, 0))

    @property
    def line_endings(self) -> str | None:
        """lf, crlf or cr where every line ends alike; mixed where another ending was seen: within the lines (a
        lone CR in an LF file, an LF in a CR file: other_ending_lines, joined_lines) or ending some of them."""
        other = bool(self.other_ending_lines or self.joined_lines)
        if self.newline == 13:
            return "mixed" if self.cr_lf_seen or other else "cr"
        if not self.lf:
            return "mixed" if other else None
        return "lf" if not self.crlf and not other else "crlf" if self.crlf == self.lf and not other else "mixed"


class Blocks(Protocol):
    def next(self, carried: bytes) -> tuple[bytes | memoryview, Gap | None] | None:
        """The next block of content behind `carried` (the start of a line still open), and a Gap when content
        is lost right after it; None at the end."""


@dataclass
class _Long:
    start: int  # content offset the line is read from (NUL bytes passed over before it: LineFacts.nul_passed)
    head: bytes
    reason: str | None  # why it is rejected besides its length (it began after lost content)
    passed: int = 0  # NUL bytes passed over before `start`: the line is that much longer
    other: bool = False  # it holds the other line ending (Splitter._other_endings' rule)
    cr_last: bool = False  # its bytes so far end in a "\r" (a "\n" next makes it a terminator, anything else not)
    join: int | None = None  # the content offset of its first join (Splitter._other_endings' rule): lines joined


def whole_facts(data: bytes) -> LineFacts | None:
    """The facts `Splitter` finds in `data`, a whole intact content, counted at once; None when the content
    needs the Splitter's rules (a BOM, or a "\\r" that is not part of a "\\r\\n": the newline must be decided).
    Many small files are cut this way without a Splitter each (linekeys.joined)."""
    if data.startswith(BOM) or b"\n" + BOM in data:  # at the start, or where files were joined (evidence.inner_boms)
        return None
    if data.startswith(b"\0") or b"\n\0" in data:  # a line begins with NUL bytes (evidence.nul_runs)
        return None
    if NUL_RUN in data:  # NUL bytes in place of content inside a line (evidence.nul_pieces)
        return None
    cr = data.count(b"\r")
    crlf = data.count(b"\r\n") if cr else 0
    if cr != crlf:
        return None
    lf = data.count(b"\n")
    final = not data or data.endswith(b"\n")
    return LineFacts(lines=lf + (0 if final else 1), content_bytes=len(data), final_newline=final,
                     head=data[:HEAD], newline=10 if lf else None, lf=lf, crlf=crlf,
                     last_text=None if final else data[data.rfind(b"\n") + 1:][:KEEP])


def terminated(data: bytes) -> bytes:
    """A whole content with its last line ended as the Splitter ends it (a "\n" added where the file has none)."""
    return data if not data or data.endswith(b"\n") else data + b"\n"


def decide_newline(data: bytes | memoryview) -> int | None:
    """10 or 13, from DECIDE bytes of content from its first "\n" or "\r"; None while it shows neither."""
    arr = np.frombuffer(data, dtype=np.uint8)
    if not (arr == 13).any():  # no "\r" at all (nearly every log): no window to weigh
        return 10 if (arr == 10).any() else None
    for span in (1 << 16, len(arr)):  # the first break is nearly always near the start
        breaks = np.flatnonzero((arr[:span] == 10) | (arr[:span] == 13))
        if len(breaks):
            break
    else:
        return None
    window = arr[int(breaks[0]):int(breaks[0]) + DECIDE]
    lf = int(np.count_nonzero(window == 10))
    cr = int(np.count_nonzero(window == 13))
    crlf = int(np.count_nonzero((window[:-1] == 13) & (window[1:] == 10)))
    return 13 if cr - crlf > lf else 10


class Splitter:
    """Cuts blocks of content into Lines (see the module's rules); `facts` is complete after the last one."""

    def __init__(self, facts: LineFacts, ended_early: Callable[[], str | None]) -> None:
        self.facts = facts
        self._ended_early = ended_early  # why the content ends early (a line cut there is rejected), or None
        self._no = 0
        self._at = 0  # content offset of the carried bytes
        self._first = True
        self._after_gap: str | None = None
        self._long: _Long | None = None
        self._mask = np.empty(0, dtype=bool)

    def run(self, blocks: Blocks) -> Iterator[Lines]:
        rest: bytes = b""
        while (got := blocks.next(rest)) is not None:
            data, gap = got
            rest = yield from self._block(data, gap)
        yield from self._end(rest)

    def _lines(self, data: bytes | memoryview, offsets: np.ndarray, base: int, forced: str | None = None) -> Lines:
        out = Lines(data, offsets, self._no + 1, base, self.facts.newline or 10, forced)
        self._no += len(offsets) - 1
        return out

    def _one(self, text: bytes, at: int, reason: str) -> Lines:
        """A line given its terminator (it had none), rejected with `reason`."""
        data = text + bytes([self.facts.newline or 10])
        return self._lines(data, np.array([0, len(data)], dtype=np.int64), at, reason)

    def _block(self, data: bytes | memoryview, gap: Gap | None) -> Iterator[Lines]:
        base = self._at
        if self._first and len(data):
            self._first = False
            self.facts.head = bytes(data[:HEAD])
            if bytes(data[:3]) == BOM:
                self.facts.bom = "utf-8"
                data, base = data[3:], base + 3
        if self.facts.newline is None and len(data):
            self.facts.newline = decide_newline(data)
        newline = self.facts.newline or 10
        n = len(data)
        if len(self._mask) < n:
            self._mask = np.empty(n, dtype=bool)
        arr = np.frombuffer(data, dtype=np.uint8)
        nl = np.flatnonzero(np.equal(arr, newline, out=self._mask[:n]))
        pos = 0  # data before pos is dealt with
        if self._long is not None:
            self._scan_long(arr, 0, int(nl[0]) + 1 if len(nl) else n, newline, base)
        if self._long is not None and len(nl):
            yield self._finish_long(base + int(nl[0]) + 1, None)
            pos, nl = int(nl[0]) + 1, nl[1:]
        elif self._long is not None:
            pos = n
        if self._after_gap is not None and len(nl):
            end = int(nl[0]) + 1
            yield self._lines(data, np.array([pos, end], dtype=np.int64), base, self._after_gap)
            self._after_gap = None
            pos, nl = end, nl[1:]
        if len(nl):
            offsets = np.empty(len(nl) + 1, dtype=np.int64)
            offsets[0] = pos
            offsets[1:] = nl + 1
            self._count(arr, nl, newline)
            self._other_endings(data, arr, pos, nl, newline, base)
            yield from self._cut_long(data, offsets, base)
            pos = int(nl[-1]) + 1
        if self._long is None and n - pos > MAX_LINE and self._after_gap is None:
            # the line begins with NUL bytes (copytruncate's hole): all but NUL_RUN_MIN passed over, counted (module doc)
            pos += self._pass_nuls(arr, pos, n, base)
        lead = _leading_nuls(arr[pos:n]) if self._after_gap is None and n - pos > MAX_LINE else 0
        if self._long is None and _content(arr, pos, n, newline) - lead > MAX_LINE:
            passed = self.facts.passed_nuls(base + pos)
            self._keep_nul_run(arr, pos, n, base)
            self._long = _Long(base + pos, bytes(data[pos:pos + KEEP]), self._after_gap, passed)
            self._scan_long(arr, pos, n, newline, base)
            self._after_gap = None
            pos = n
        self._at = base + pos
        rest = bytes(data[pos:])
        if gap is not None:
            cut = f"cut off by lost content ({gap.detail}): the rest of the line is lost"
            if self._long is not None:
                yield self._finish_long(base + n, cut)
            elif rest:
                yield self._one(rest, self._at, _both(self._after_gap, cut))
            self._at = base + n
            rest = b""
            self._after_gap = None if gap.clean_start else (f"begins after lost content ({gap.detail}): the start "
                                                            "of the line is lost")
        return rest

    def _count(self, arr: np.ndarray, nl: np.ndarray, newline: int) -> None:
        if newline == 10:
            self.facts.lf += len(nl)
            self.facts.crlf += int(np.count_nonzero(arr[np.maximum(nl - 1, 0)] == 13))
        elif not self.facts.cr_lf_seen:
            self.facts.cr_lf_seen = bool(np.count_nonzero(arr == 10))

    def _other_endings(self, data: bytes | memoryview, arr: np.ndarray, start: int, nl: np.ndarray,
                       newline: int, base: int) -> None:
        """Count the lines (from arr[start], ending at each of `nl`, not yet numbered) that hold the other line
        ending inside them, and those of them it joins (content before and after it on the line); their
        terminators (a "\r" before the "\n") are not inside."""
        other = 13 if newline == 10 else 10
        end = int(nl[-1]) + 1
        if isinstance(data, bytes) and data.find(bytes([other]), start, end) < 0:  # nearly every block (memchr)
            return
        at = np.flatnonzero(arr[start:end] == other) + start
        if newline == 10:
            at = at[arr[at + 1] != 10]  # a "\r" before its line's "\n" ends the line (CRLF)
        if not len(at):
            return
        line = np.searchsorted(nl, at)
        # a join: content (a byte neither CR nor LF) right after it, and before its run of such bytes on its line
        # (the byte before the run is then content: it is not the other byte, and not this file's line end).
        # O(the other bytes), not O(the block): a block with one in every line costs little more than one without
        after = (arr[at + 1] != 10) & (arr[at + 1] != 13)
        run = np.ones(len(at), dtype=bool)
        run[1:] = at[1:] != at[:-1] + 1
        run_first = at[np.maximum.accumulate(np.where(run, np.arange(len(at)), 0))]
        line_start = np.where(line > 0, nl[np.maximum(line - 1, 0)] + 1, start)
        joins = after & (run_first > line_start)
        self._say_other(line, self._no + 1, at[joins] + base, line[joins])

    def _say_other(self, line_index: np.ndarray, first_no: int, joins: np.ndarray | None = None,
                   joined_index: np.ndarray | None = None) -> None:
        """Count the lines at `line_index` (ascending, repeats allowed) holding the other ending, those at
        `joined_index` (with `joins`, the content offsets of their joins) as joined, the others as plain."""
        lines = _distinct(line_index)
        if joins is not None and joined_index is not None and len(joins):
            joined = _distinct(joined_index)
            at = np.minimum(np.searchsorted(joined, lines), len(joined) - 1)
            lines = lines[joined[at] != lines]
            self.facts.joined_lines += len(joined)
            if self.facts.first_joined is None:
                self.facts.first_joined = (first_no + int(joined[0]), int(joins[0]))
        if len(lines):
            self.facts.other_ending_lines += len(lines)
            if self.facts.first_other_ending is None:
                self.facts.first_other_ending = first_no + int(lines[0])

    def _cut_long(self, data: bytes | memoryview, offsets: np.ndarray, base: int) -> Iterator[Lines]:
        """The lines at `offsets`, each longer than MAX_LINE (its terminator aside) rejected as one passed over is
        (_finish_long): the rule is the line's length, not where the read blocks fell around it."""
        arr = np.frombuffer(data, dtype=np.uint8)
        newline = self.facts.newline or 10
        start = 0
        for i in np.flatnonzero(np.diff(offsets) > MAX_LINE + 1).tolist():
            at, end = int(offsets[i]), int(offsets[i + 1])
            if _content(arr, at, end - 1, newline) - _leading_nuls(arr[at:end]) <= MAX_LINE:
                continue  # copytruncate's NUL bytes and a whole line after them (the module's rules)
            if i > start:
                yield self._lines(data, offsets[start:i + 1], base)
            self._keep_nul_run(arr, at, end, base)
            length = end - at + self.facts.passed_nuls(base + at)
            yield self._one(bytes(data[at:at + KEEP]), base + at, _long_reason(length))
            start = i + 1
        if start < len(offsets) - 1:
            yield self._lines(data, offsets[start:], base)

    def _pass_nuls(self, arr: np.ndarray, at: int, end: int, base: int) -> int:
        """Pass over all but NUL_RUN_MIN of the NUL bytes the line at arr[at:end] begins with, their count kept
        by the content offset it is then read from (LineFacts.nul_passed: the run is measured whole there,
        wherever the line lies and however long it is); how many were passed over."""
        skip = _leading_nuls(arr[at:end]) - NUL_RUN_MIN
        if skip <= 0:
            return 0
        self.facts.nul_passed[base + at + skip] = self.facts.nul_passed.pop(base + at, 0) + skip
        return skip

    def _keep_nul_run(self, arr: np.ndarray, at: int, end: int, base: int) -> None:
        """Keep how many NUL bytes the overlong line at arr[at:end] begins with (LineFacts.nul_heads): only its
        first KEEP bytes are kept, where a longer run cannot be measured."""
        if (lead := _leading_nuls(arr[at:end])) >= NUL_RUN_MIN:
            self.facts.nul_heads[base + at] = lead

    def _scan_long(self, arr: np.ndarray, start: int, end: int, newline: int, base: int) -> None:
        """Note whether the bytes arr[start:end] (content offset `base` + start on) of the line being passed over
        (its terminator last, if it ends here) hold the other line ending, and where it first joins a further
        line (content after it, and content of this line before it): the rule _other_endings applies to lines
        held in a block."""
        long = self._long
        assert long is not None
        if long.join is not None or start >= end:
            return
        if newline == 13:
            lf = np.flatnonzero(arr[start:end] == 10) + start
            long.other = long.other or bool(len(lf))
            self.facts.cr_lf_seen = self.facts.cr_lf_seen or long.other  # _count's rule, for bytes it never sees
            lf = lf[(lf + 1 < end) & (base + lf > long.start)]
            nxt = arr[lf + 1]
            joins = lf[(nxt != 10) & (nxt != 13)]
        else:
            if long.cr_last and arr[start] != 10:
                long.other = True
                if arr[start] != 13 and base + start - 1 > long.start:  # the "\r" ended the block before
                    long.join = base + start - 1
                    return
            cr = np.flatnonzero(arr[start:end - 1] == 13) + start
            nxt = arr[cr + 1]
            long.other = long.other or bool(np.count_nonzero(nxt != 10))
            joins = cr[(nxt != 10) & (nxt != 13) & (base + cr > long.start)]
            long.cr_last = bool(arr[end - 1] == 13)
        if len(joins):
            long.join = base + int(joins[0])

    def _finish_long(self, end: int, more: str | None) -> Lines:
        long, self._long = self._long, None
        assert long is not None
        if long.join is not None:  # counted as joined, as _other_endings counts a line held in a block
            self._say_other(np.zeros(1, dtype=np.int64), self._no + 1, np.array([long.join], dtype=np.int64),
                            np.zeros(1, dtype=np.int64))
        elif long.other:
            self._say_other(np.zeros(1, dtype=np.int64), self._no + 1)
        return self._one(long.head, long.start,
                         _both(long.reason, _long_reason(end - long.start + long.passed), more))

    def _end(self, rest: bytes) -> Iterator[Lines]:
        early = self._ended_early()
        cut = f"cut off where the content ends early ({early}): the rest of the line is lost" if early else None
        if self._long is not None:
            self.facts.final_newline = False
            yield self._finish_long(self._at, cut)
        elif rest:
            self.facts.final_newline = False
            self.facts.last_text = rest[:KEEP]
            # the last line, with no terminator: a "\r" at its very end is the start of a cut "\r\n"
            if (b"\n" in rest) if self.facts.newline == 13 else (b"\r" in rest[:-1]):
                self._say_other(np.zeros(1, dtype=np.int64), self._no + 1, *_joins(rest, self.facts.newline, self._at))
            yield self._one(rest, self._at, _both(self._after_gap, cut))  # None: parsed like any other line
            self._at += len(rest)
        self.facts.lines = self._no
        self.facts.content_bytes = self._at


def _content(arr: np.ndarray, at: int, end: int, newline: int) -> int:
    """How many bytes of arr[at:end] are content, a "\r" last aside where lines end at "\n" (the start of a
    "\r\n": the terminator is not the line's length)."""
    return end - at - (1 if newline == 10 and end > at and arr[end - 1] == 13 else 0)


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array, in one pass (np.unique hashes or sorts)."""
    keep = np.ones(len(ascending), dtype=bool)
    keep[1:] = ascending[1:] != ascending[:-1]
    return ascending[keep]


def _joins(rest: bytes, newline: int | None, at: int) -> tuple[np.ndarray, np.ndarray]:
    """The last line (no terminator): the content offset of its first join (the other ending with content before
    and after it), and its line index 0, as `Splitter._say_other` takes them; empty where there is none."""
    arr = np.frombuffer(rest, dtype=np.uint8)
    text = np.flatnonzero((arr != 10) & (arr != 13))
    found = np.flatnonzero(arr == (10 if newline == 13 else 13))
    if len(text):
        found = found[(found > text[0]) & (found < text[-1])][:1]
    else:
        found = found[:0]
    return (found + at).astype(np.int64), np.zeros(len(found), dtype=np.int64)


def _leading_nuls(line: np.ndarray) -> int:
    """How many NUL bytes `line` begins with."""
    if not len(line):
        return 0
    first = int(np.argmax(line != 0))  # one bool array, not an index per byte (the line may be tens of MiB)
    return first if line[first] else len(line)


def _long_reason(length: int) -> str:
    return (f"a line of {length} bytes, longer than {MAX_LINE}: not parsed; its first {KEEP} bytes are kept here, all "
            "of it is in the file at its byte offset")


def _both(*reasons: str | None) -> str | None:
    given = [r for r in reasons if r]
    return "; ".join(given) if given else None
