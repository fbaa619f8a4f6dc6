"""Damage as real copies of logs carry it, applied to the oracle's scenarios (tests/oracle_scenarios.py), with
what the damage leaves: which requests can still be read, what a reader must say about it, and whether the
evidence could be read in full. Like the scenarios and the rule, nothing here imports exposure: the damage and
what it means are written from the damage itself (gzip and bzip2 decoded by the standard library), so the test
(tests/test_oracle_damage.py) checks the tool against an independent account.

A scenario's log starts clean: two or three rotations (`access.log.2`, `access.log.1`, `access.log`), each a
list of `Line`s that knows which request it logs. A damage is a function of (that clean log, a seeded random
source) giving a `Damaged`: the bytes of every file on disk, the requests that survive (counted once), the
findings that must be said and whether the answer rests on incomplete evidence (exit code 3) or not (0).
"""

from __future__ import annotations

import bz2
import gzip
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .oracle_scenarios import NOISE, LogFormat, Request, Scenario, jsonl, served

BOM = b"\xef\xbb\xbf"
CLF = ("combined", "common", "vhost_combined-%O", "apache-%X", "apache-%O-range", "nginx-xff", "nginx-bytes_sent",
       "apache-localtime")


@dataclass(frozen=True)
class Line:
    """One line of a log file as the server wrote it (without its terminator)."""

    text: bytes
    req: int | None  # the scenario request it logs (an index), None: a header, comment or another logger's entry


@dataclass
class Clean:
    """A scenario's log as the server left it: rotations, oldest first, by file name."""

    s: Scenario
    fmt: LogFormat
    files: dict[str, list[Line]]

    def render(self, r: Request) -> list[Line]:
        return _render(self.s, self.fmt, r, None)


@dataclass(frozen=True)
class Expect:
    """A finding the reader must say: its kind, about which file (relative to the input root), its severity, and
    text its detail must hold (a line number, a byte offset: where)."""

    kind: str
    file: str | None
    severity: str
    where: str | None = None


@dataclass
class Damaged:
    files: dict[str, bytes]  # relative path -> the bytes on disk
    surviving: set[int]  # requests still readable, each counted once
    expect: list[Expect]
    complete: bool  # the evidence can be read in full: exit 0 (else 3, the answer from incomplete evidence)
    # the content each file decodes to, as far as lines can be numbered from its start (for the read-back check)
    content: dict[str, bytes] = field(default_factory=dict)
    inputs: tuple[str, ...] = ("logs",)  # what is given on the command line, relative to the root
    links: dict[str, str] = field(default_factory=dict)  # symbolic link -> what it points to (relative)
    times: dict[int, datetime] = field(default_factory=dict)  # requests logged at another time (a clock jump)
    extra_requests: int = 0  # request lines that are no scenario request (a very long probe)
    rejected: int = 0  # lines that must be rejected (garbage, another format, a line cut by lost content)
    rejected_at_least: int | None = None  # fewer may be: a cut line that parses (counted once, as an overlap)
    cut_file: str | None = None  # the file whose cut last line may parse
    mtimes: dict[str, datetime] = field(default_factory=dict)  # as the server left them (else: rotation times)
    gap: tuple[datetime, datetime] | None = None  # a silence the damage made: (last line before, first after)
    note: str = ""


def _render(s: Scenario, fmt: LogFormat, r: Request, index: int | None) -> list[Line]:
    text = fmt.line(s, served(fmt, r)).split("\n")  # caddy: an error logger's entry follows a 4xx/5xx
    return [Line(text[0].encode(), index), *(Line(t.encode(), None) for t in text[1:])]


def clean(s: Scenario, fmt: LogFormat, rotations: int = 2) -> Clean:
    """The scenario's requests in `rotations` files cut at the scenario's split point(s), each file starting with
    the format's header lines (W3C writers start every file with them)."""
    n = len(s.requests)
    at = float(s.layout["at"])
    if rotations == 2:
        cuts = [max(4, min(n - 4, int(n * at)))]
    else:
        cuts = [max(4, n // 4), max(8, (n * 3) // 5)]
    bounds = [0, *cuts, n]
    names = ["access.log", "access.log.1", "access.log.2"][:rotations][::-1]
    head = [Line(h.encode(), None) for h in (fmt.header(s) if fmt.header else [])]
    files: dict[str, list[Line]] = {}
    for name, lo, hi in zip(names, bounds[:-1], bounds[1:], strict=True):
        lines = list(head)
        for i in range(lo, hi):
            lines += _render(s, fmt, s.requests[i], i)
        files[name] = lines
    return Clean(s, fmt, files)


def _split_at(c: Clean, at: int) -> Clean:
    """The clean log cut in two rotations just before request `at`."""
    head = [Line(h.encode(), None) for h in (c.fmt.header(c.s) if c.fmt.header else [])]
    files = {"access.log.1": list(head), "access.log": list(head)}
    for i, r in enumerate(c.s.requests):
        files["access.log.1" if i < at else "access.log"] += _render(c.s, c.fmt, r, i)
    return Clean(c.s, c.fmt, files)


def _mtimes(c: Clean) -> dict[str, datetime]:
    """Each rotation's modification time as the server left it (a collection that keeps times: cp -p, tar,
    rsync -a): the time of its last line, the compressed one's a moment after."""
    out = {}
    for name, lines in c.files.items():
        last = max(c.s.requests[i].t for i in reqs(lines))
        for suffix in ("", ".gz", ".bz2"):
            out[f"logs/{name}{suffix}"] = last + timedelta(seconds=1)
    return out


def text(lines: list[Line], newline: bytes = b"\n") -> bytes:
    return b"".join(line.text + newline for line in lines)


def reqs(lines: list[Line]) -> set[int]:
    return {line.req for line in lines if line.req is not None}


def everything(c: Clean) -> set[int]:
    return {i for lines in c.files.values() for i in reqs(lines)}


def plain(c: Clean) -> dict[str, bytes]:
    return {f"logs/{name}": text(lines) for name, lines in c.files.items()}


def gunzip_prefix(data: bytes) -> bytes:
    """What a gzip file decodes to, member after member, up to where it stops decoding (the standard library's
    zlib: no recovery after damage)."""
    out = []
    while data[:2] == b"\x1f\x8b":
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.append(d.decompress(data))
        except zlib.error:
            break
        if not d.eof:
            break
        data = d.unused_data
    return b"".join(out)


def whole_lines(content: bytes) -> int:
    """How many lines of `content` end with their newline."""
    return content.count(b"\n")


def _first_lines(lines: list[Line], count: int) -> list[Line]:
    return lines[:count]


def _cut_point(rng: random.Random, lines: list[Line], lo: float = 0.3, hi: float = 0.8) -> int:
    """A line index in the middle of a file (after any header)."""
    first = next(i for i, line in enumerate(lines) if line.req is not None)
    return rng.randrange(first + max(1, int((len(lines) - first) * lo)), first + max(2, int((len(lines) - first) * hi)))


# -- compressed rotations ----------------------------------------------------------------------------------------
def gzip_truncated(c: Clean, rng: random.Random) -> Damaged:
    """The older rotation's .gz copied with an interruption: it ends mid-member."""
    files = plain(c)
    old = files.pop("logs/access.log.1")
    packed = gzip.compress(old, mtime=0)
    cut = rng.randrange(max(12, len(packed) // 4), len(packed) * 3 // 4)
    packed = packed[:cut]
    files["logs/access.log.1.gz"] = packed
    decoded = gunzip_prefix(packed)
    kept = whole_lines(decoded)
    lines = c.files["access.log.1"]
    surviving = everything(c) - reqs(lines[kept:])
    piece = 1 if len(decoded) > decoded.rfind(b"\n") + 1 else 0
    # with no whole request line read the format cannot be told: the file is damaged "not a log", nothing parsed
    where = f"after {len(decoded)} content bytes"  # every byte zlib decodes is kept, said where it stops
    return Damaged(files, surviving, [Expect("truncated", "logs/access.log.1.gz", "incomplete", where)],
                   complete=False, content={"logs/access.log.1.gz": decoded}, rejected=piece,
                   rejected_at_least=piece if reqs(lines[:kept]) else 0,
                   note=f"cut at compressed byte {cut} of {len(gzip.compress(old, mtime=0))}")


def gzip_trailing(c: Clean, rng: random.Random) -> Damaged:
    """A .gz with zero padding or garbage after its last member (a copy to a block device, a bad transfer): zero
    padding is a note; garbage may be a member whose header is destroyed, lines no reader can rule out: damaged."""
    files = plain(c)
    old = files.pop("logs/access.log.1")
    compressed = gzip.compress(old, mtime=0)
    padding = rng.random() < 0.5
    tail = b"\0" * rng.randrange(1, 4096) if padding else bytes(rng.randrange(1, 256)
                                                                for _ in range(rng.randrange(1, 600)))
    files["logs/access.log.1.gz"] = compressed + tail
    expect = (Expect("read note", "logs/access.log.1.gz", "stated") if padding else
              Expect("damaged", "logs/access.log.1.gz", "incomplete", where=f"at compressed byte {len(compressed)}"))
    return Damaged(files, everything(c), [expect], complete=padding, content={"logs/access.log.1.gz": old})


def gzip_members(c: Clean, rng: random.Random) -> Damaged:
    """Two gzip members end to end (`cat a.gz b.gz`): one content."""
    files = plain(c)
    old = files.pop("logs/access.log.1")
    lines = c.files["access.log.1"]
    at = len(text(lines[:_cut_point(rng, lines)]))
    files["logs/access.log.1.gz"] = gzip.compress(old[:at], mtime=0) + gzip.compress(old[at:], mtime=0)
    return Damaged(files, everything(c), [], complete=True, content={"logs/access.log.1.gz": old})


def bzip2_truncated(c: Clean, rng: random.Random) -> Damaged:
    """A bzip2 rotation written in streams (pbzip2, lbzip2) copied with an interruption inside its second one:
    the first stream's lines are read, the cut block and what follows are lost."""
    files = plain(c)
    files.pop("logs/access.log.1")
    lines = c.files["access.log.1"]
    a = _cut_point(rng, lines, 0.2, 0.4)
    b = _cut_point(rng, lines, 0.6, 0.8)
    parts = [bz2.compress(text(p)) for p in (lines[:a], lines[a:b], lines[b:])]
    cut = len(parts[0]) + rng.randrange(len(parts[1]) // 4, len(parts[1]) * 3 // 4)
    data = b"".join(parts)[:cut]
    files["logs/access.log.1.bz2"] = data
    surviving = everything(c) - reqs(lines[a:])
    where = f"stream 2 (header at compressed byte {len(parts[0])})"
    return Damaged(files, surviving, [Expect("truncated", "logs/access.log.1.bz2", "incomplete", where)],
                   complete=False,
                   content={"logs/access.log.1.bz2": text(lines[:a])})


# -- copytruncate and crashes -------------------------------------------------------------------------------------
def nul_start(c: Clean, rng: random.Random) -> Damaged:
    """logrotate `copytruncate`: the live file was copied, then truncated, while the server kept writing at its old
    offset: the file starts with a run of NUL bytes (the length of what was copied), then the new lines, the first
    of them right after the NULs. Nothing is lost (the NULs stand for what the rotation holds)."""
    files = plain(c)
    run = b"\0" * rng.randrange(200, 20_000)
    files["logs/access.log"] = run + files["logs/access.log"]
    if len(run) % FS_BLOCK == 0:  # a hole that ends on a block boundary reads as a crash's zeroed blocks (below)
        first = reqs(c.files["access.log"][:1])
        return Damaged(files, everything(c) - first, [Expect("damaged", "logs/access.log", "incomplete",
                                                             where=str(len(run)))], complete=False,
                       content={"logs/access.log": files["logs/access.log"]}, rejected=1)
    return Damaged(files, everything(c), [Expect("read note", "logs/access.log", "stated", where=str(len(run)))],
                   complete=True, content={"logs/access.log": run + text(c.files["access.log"])})


FS_BLOCK = 4096  # a file system zeroes whole blocks of this size (ext4, XFS, NTFS, APFS)


def crash_first_block(c: Clean, rng: random.Random) -> Damaged | None:
    """A crash zeroed the live log's first file-system block(s): the lines under the NULs are lost, and so is the
    line the zeroed block ends in (or before): its start may be lost with them, read whole it could be another
    address (198.51.100.31 from its third byte is 8.51.100.31), so it is rejected, even where the boundary falls
    exactly at its start (nothing tells the two apart). logrotate copytruncate's hole (nul_start) ends anywhere."""
    lines = c.files["access.log"]
    if any(line.req is None and line.text.startswith(b"#") for line in lines):
        return None  # a W3C header under the NULs: another damage (the fields lost)
    blocks = rng.randrange(1, 3)
    end = blocks * FS_BLOCK
    starts = [len(text(lines[:i])) for i in range(len(lines) + 1)]
    hit = next((i for i in range(len(lines)) if starts[i + 1] > end), None)  # the line the zeroed bytes end in
    if hit is None or len(reqs(lines[hit + 1:])) < 3:
        return None
    data = bytearray(text(lines))
    data[:end] = b"\0" * end
    files = plain(c)
    files["logs/access.log"] = bytes(data)
    return Damaged(files, everything(c) - reqs(lines[:hit + 1]),
                   [Expect("damaged", "logs/access.log", "incomplete", where=str(end))], complete=False,
                   content={"logs/access.log": bytes(data)}, rejected=1,
                   note=f"bytes 0..{end} zeroed, line {hit + 1} cut at byte {end - starts[hit]}")


def nul_stretch(c: Clean, rng: random.Random) -> Damaged:
    """A file preallocated and then crashed: a stretch of lines reads as NUL bytes (their newlines too); the line
    after the stretch follows the NULs directly. The lines under the NULs are lost, and so is the line after them:
    nothing tells it from a line whose start the NULs took, so it is rejected (red team 4)."""
    files = plain(c)
    lines = c.files["access.log"]
    a = _cut_point(rng, lines)
    b = min(len(lines) - 1, a + rng.randrange(2, 7))
    at = len(text(lines[:a]))
    stretch = len(text(lines[a:b]))
    files["logs/access.log"] = text(lines[:a]) + b"\0" * stretch + text(lines[b:])
    return Damaged(files, everything(c) - reqs(lines[a:b + 1]),
                   [Expect("damaged", "logs/access.log", "incomplete", where=str(at))], complete=False,
                   content={"logs/access.log": files["logs/access.log"]}, rejected=1,
                   note=f"lines {a + 1}..{b} (bytes {at}..{at + stretch}) are NULs")


# -- copies -------------------------------------------------------------------------------------------------------
def cut_last_line(c: Clean, rng: random.Random) -> Damaged:
    """The older file copied while it was written: its last line stops without a newline; the same line, complete,
    starts the next rotation. Nothing is lost and nothing is counted twice."""
    targets = [i for i, r in enumerate(c.s.requests) if 4 <= i < len(c.s.requests) - 4 and r.status in (200, 206)
               and r.path.lower().endswith(".xlsx")]
    if targets:  # the rotation's seam just before a download of the target: the line cut is one that counts
        c = _split_at(c, rng.choice(targets))
    files = plain(c)
    old, new = c.files["access.log.1"], c.files["access.log"]
    first = next(line for line in new if line.req is not None)
    piece = first.text[:rng.randrange(1, len(first.text))]
    files["logs/access.log.1"] = text(old) + piece
    return Damaged(files, everything(c), [Expect("cut off", "logs/access.log.1", "stated",
                                                 where=f"line {len(old) + 1}")],
                   complete=True, content={"logs/access.log.1": files["logs/access.log.1"]}, rejected=1,
                   rejected_at_least=0, cut_file="logs/access.log.1", mtimes=_mtimes(c),
                   note=f"cut after {len(piece)} of {len(first.text)} bytes")


# the formats whose byte count is followed only by the referrer and the user agent (or by nothing: common) ...
COUNT_THEN_AGENT = ("combined", "common", "nginx-xff", "apache-localtime")
# ... of them those whose line cut in its count still counts: the built-in ones (referrer and agent may be
# absent) and a --log-format (completed from its directive, exposure/lastline.py); not under --client-ip-from xff
# (nginx-xff: the client may be in the X-Forwarded-For the cut took: rejected, said, never a firm count)
COUNT_CUT_PARSES = ("combined", "common", "apache-localtime")


def cut_count(c: Clean, rng: random.Random) -> Damaged | None:
    """The live log copied while it was written, the copy stopping inside the byte count of its last line (a
    download of the target): the count as read may have lost digits. The request counts, its delivered bytes
    unknown; the requests written after the copy are not in the evidence."""
    if c.fmt.name not in COUNT_THEN_AGENT:
        return None
    lines = c.files["access.log"]
    picks = [i for i, line in enumerate(lines) if line.req is not None and i >= 3
             and c.s.requests[line.req].status == 200 and c.s.requests[line.req].method == "GET"
             and c.s.requests[line.req].path.lower().endswith(".xlsx")]
    if not picks:
        return None
    at = rng.choice(picks)
    m = re.search(rb'" 200 ([0-9]{2,})', lines[at].text)
    if m is None:
        return None
    keep = m.start(1) + rng.randrange(1, len(m.group(1)) + 1)  # some digits, or all of them: still may be cut
    files = plain(c)
    files["logs/access.log"] = text(lines[:at]) + lines[at].text[:keep]
    req = lines[at].req
    assert req is not None
    parses = c.fmt.name in COUNT_CUT_PARSES
    c.s.requests[req] = replace(c.s.requests[req], count_cut=True)
    return Damaged(files, everything(c) - reqs(lines[at + 1:]) - (set() if parses else {req}),
                   [Expect("cut off", "logs/access.log", "stated", where=f"line {at + 1}")], complete=True,
                   content={"logs/access.log": files["logs/access.log"]}, mtimes=_mtimes(c),
                   rejected=0 if parses else 1,
                   note=f"line {at + 1} cut after {keep} bytes, in its count {m.group(1).decode()}")


# the formats whose line ends in a field that decides a download other than the count: CloudFront's sc-range-end
# (a 206 part), Apache %X last; nginx-bytes_sent's $request_completion before the agent: the cut there takes both
TAIL_CUTS = {"cloudfront": (206, rb"\t([0-9]+)$"), "apache-%X": (200, rb"( [X+-])$"),
             "nginx-bytes_sent": (200, rb' [0-9]+( OK| ) ?"')}


def cut_tail(c: Clean, rng: random.Random) -> Damaged | None:
    """The live log copied while it was written, the copy stopping inside (or just before) the field its last
    line ends in that decides a download of the target: a range offset (its part has no offsets) or the log's
    completion flag (no flag). The request counts; the requests written after the copy are not in the evidence."""
    if c.fmt.name not in TAIL_CUTS:
        return None
    status, pattern = TAIL_CUTS[c.fmt.name]
    lines = c.files["access.log"]
    picks = [i for i, line in enumerate(lines) if line.req is not None and i >= 3
             and c.s.requests[line.req].status == status and c.s.requests[line.req].method == "GET"
             and c.s.requests[line.req].path.lower().endswith(".xlsx") and re.search(pattern, lines[i].text)]
    if not picks:
        return None
    at = rng.choice(picks)
    m = re.search(pattern, lines[at].text)
    assert m is not None
    keep = m.start(1) + rng.randrange(1, len(m.group(1)) + 1)  # some of the field, or all of it: still may be cut
    files = plain(c)
    files["logs/access.log"] = text(lines[:at]) + lines[at].text[:keep]
    req = lines[at].req
    assert req is not None
    offsets = c.fmt.name == "cloudfront"
    c.s.requests[req] = replace(c.s.requests[req], offsets_cut=offsets, flag_cut=not offsets)
    return Damaged(files, everything(c) - reqs(lines[at + 1:]),
                   [Expect("cut off", "logs/access.log", "stated", where=f"line {at + 1}")], complete=True,
                   content={"logs/access.log": files["logs/access.log"]}, mtimes=_mtimes(c), rejected=0,
                   note=f"line {at + 1} cut after {keep} bytes, in {m.group(1).decode()!r}")


def prefix_copy(c: Clean, rng: random.Random) -> Damaged:
    """Two collections of the same server's logs: Monday's copy of the live log is a strict prefix of Friday's
    (the same name in another folder)."""
    live = c.files["access.log"]
    first = next(i for i, line in enumerate(live) if line.req is not None)
    k = max(first + 3, min(_cut_point(rng, live, 0.3, 0.9), len(live) - 1))  # 3 request lines or more, not all
    files = {"logs/friday/access.log.1": text(c.files["access.log.1"]), "logs/friday/access.log": text(live),
             "logs/monday/access.log": text(live[:k])}
    return Damaged(files, everything(c), [Expect("overlap", "logs/monday/access.log", "stated")], complete=True,
                   content=dict(files))


def overlap_export(c: Clean, rng: random.Random) -> Damaged:
    """An export of lines N..M of the log (across the rotation seam or not) handed over beside it."""
    lines = [line for name in ("access.log.1", "access.log") for line in c.files[name] if line.req is not None]
    n = rng.randrange(0, len(lines) - 3)
    m = min(len(lines), n + rng.randrange(3, 12))
    files = plain(c)
    head = [Line(h.encode(), None) for h in (c.fmt.header(c.s) if c.fmt.header else [])]
    files["logs/export/web-export.log"] = text(head + lines[n:m])  # a W3C export keeps the #Fields it needs
    return Damaged(files, everything(c), [Expect("overlap", "logs/export/web-export.log", "stated")],
                   complete=True, content=dict(files))


def duplicate(c: Clean, rng: random.Random) -> Damaged:
    """A byte-identical copy of a rotation under a name a person gave it."""
    files = plain(c)
    files["logs/copy of access.log.1"] = files["logs/access.log.1"]
    return Damaged(files, everything(c), [Expect("duplicate", "logs/copy of access.log.1", "stated")],
                   complete=True, content=dict(files))


def given_twice(c: Clean, rng: random.Random) -> Damaged:
    """One file given twice: on the command line beside its folder, and through a symbolic link in the folder."""
    files = plain(c)
    return Damaged(files, everything(c), [], complete=True, content=dict(files),
                   inputs=("logs", "logs/access.log.1"), links={"logs/current.log": "access.log.1"})


# -- encodings and foreign lines -------------------------------------------------------------------------------
def crlf(c: Clean, rng: random.Random) -> Damaged:
    """One rotation passed through a Windows tool: CRLF line endings in that file only."""
    files = plain(c)
    files["logs/access.log.1"] = text(c.files["access.log.1"], b"\r\n")
    return Damaged(files, everything(c), [], complete=True, content=dict(files))


def bom(c: Clean, rng: random.Random) -> Damaged:
    """A UTF-8 byte-order mark at the start of the live file (saved by an editor)."""
    files = plain(c)
    files["logs/access.log"] = BOM + files["logs/access.log"]
    return Damaged(files, everything(c), [Expect("byte-order mark", "logs/access.log", "stated")], complete=True,
                   content=dict(files))


def latin1(c: Clean, rng: random.Random) -> Damaged | None:
    """Latin-1 bytes (invalid UTF-8) in the user agent of a few requests (not parts of a range download: the
    agent groups them)."""
    if not c.fmt.has_ua:
        return None
    files = plain(c)
    name = rng.choice(("access.log.1", "access.log"))
    lines = list(c.files[name])
    chosen = [i for i, line in enumerate(lines) if line.req is not None and c.s.requests[line.req].status != 206]
    for i in rng.sample(chosen, min(3, len(chosen))):
        ua = c.s.requests[lines[i].req].ua  # type: ignore[index]
        for written in (ua, ua.replace(" ", "+"), ua.replace(" ", "%20")):
            if written.encode() in lines[i].text:
                lines[i] = replace(lines[i], text=lines[i].text.replace(written.encode(),
                                                                        written.encode() + b"-caf\xe9-\xff\xfe", 1))
                break
    files[f"logs/{name}"] = text(lines)
    return Damaged(files, everything(c), [], complete=True, content=dict(files))


def long_lines(c: Clean, rng: random.Random) -> Damaged:
    """Two probes with very long lines among normal ones: a query over 64 KiB and one over 1 MiB. Both are
    requests (for a path that is not the target)."""
    files = plain(c)
    lines = list(c.files["access.log"])
    for size in (rng.randrange(65_600, 80_000), rng.randrange(1_050_000, 1_100_000)):
        at = _cut_point(rng, lines)
        near = c.s.requests[next(line.req for line in lines[at:] if line.req is not None)]
        probe = Request(near.t, near.client, near.ua, "GET", "/search", 404, 209, 180, query="q=" + "A" * size)
        lines[at:at] = _render(c.s, c.fmt, probe, None)
    files["logs/access.log"] = text(lines)
    return Damaged(files, everything(c), [], complete=True, content=dict(files), extra_requests=2)


GARBAGE = (b"PHP Warning:  Undefined array key \"id\" in /var/www/html/index.php on line 42",
           b"\x1b[31mERROR\x1b[0m worker 3 exited on signal 11 (core dumped)",
           b"----- 8< ----- cut here ----- 8< -----",
           b"Segmentation fault",
           b"    at org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:197)")


def garbage(c: Clean, rng: random.Random) -> Damaged:
    """Another program writing into the log: lines that are no request between good ones."""
    files = plain(c)
    name = rng.choice(("access.log.1", "access.log"))
    lines = list(c.files[name])
    count = rng.randrange(1, 5)
    for _ in range(count):
        junk = rng.choice(GARBAGE) if rng.random() < 0.7 else bytes(rng.randrange(33, 127) for _ in range(40))
        lines.insert(_cut_point(rng, lines, 0.05, 0.95), Line(junk, None))
    files[f"logs/{name}"] = text(lines)
    return Damaged(files, everything(c), [Expect("rejected lines", f"logs/{name}", "stated")], complete=True,
                   content=dict(files), rejected=count)


def other_format(c: Clean, rng: random.Random) -> Damaged:
    """A line of another format mixed in (a second server or tool writing into the same file): rejected with its
    reason, the file's format stays the file's."""
    files = plain(c)
    lines = list(c.files["access.log"])
    at = _cut_point(rng, lines)
    near = c.s.requests[next(line.req for line in lines[at:] if line.req is not None)]
    probe = Request(near.t, near.client, near.ua, "GET", rng.choice(NOISE), 200, 1234, 250, total=1234)
    foreign = jsonl(c.s, probe) if c.fmt.name in CLF else (
        f'{probe.client} - - [{probe.t:%d/%b/%Y:%H:%M:%S} +0000] "GET {probe.path} HTTP/1.1" 200 1234 "-" '
        f'"{probe.ua}"')
    lines.insert(at, Line(foreign.encode(), None))
    files["logs/access.log"] = text(lines)
    return Damaged(files, everything(c), [Expect("rejected lines", "logs/access.log", "stated")], complete=True,
                   content=dict(files), rejected=1)


# -- time -----------------------------------------------------------------------------------------------------
def clock_jump(c: Clean, rng: random.Random) -> Damaged:
    """The server's clock set back an hour mid-file: from a line on, times are an hour early (lines out of
    order). The log says what it says: the answer is the rule over the times as logged."""
    files = plain(c)
    lines = list(c.files["access.log"])
    at = _cut_point(rng, lines)
    taken = {r.t for r in c.s.requests}
    times: dict[int, datetime] = {}
    for i in range(at, len(lines)):
        if lines[i].req is None:
            continue
        r = c.s.requests[lines[i].req]  # type: ignore[index]
        t = r.t - timedelta(hours=1)
        while t in taken:
            t -= timedelta(seconds=1)
        taken.add(t)
        times[lines[i].req] = t  # type: ignore[index]
    out: list[Line] = lines[:at]
    for line in lines[at:]:
        if line.req is None:
            continue
        out += _render(c.s, c.fmt, replace(c.s.requests[line.req], t=times[line.req]), line.req)
    files["logs/access.log"] = text(out)
    return Damaged(files, everything(c), [], complete=True, content=dict(files), times=times)


def missing_rotation(c: Clean, rng: random.Random) -> Damaged:
    """Three rotations, the middle one not handed over: its time is a silence in the stream (a gap where it is
    longer than the stream's threshold), and its lines are lost."""
    c3 = clean(c.s, c.fmt, rotations=3)
    lost = c3.files.pop("access.log.1")
    files = plain(c3)
    before = max(c.s.requests[i].t for i in reqs(c3.files["access.log.2"]))
    after = min(c.s.requests[i].t for i in reqs(c3.files["access.log"]))
    return Damaged(files, everything(c3), [], complete=True, content=dict(files), gap=(before, after), mtimes=_mtimes(c3),
                   note=f"lost {len(reqs(lost))} requests")


def interleaved(c: Clean, rng: random.Random) -> Damaged:
    """Two servers behind one balancer logging into one file: each server's lines in its own order, the file's
    lines interleaved in bursts (as each flushed its buffer), so time goes back and forth."""
    files = plain(c)
    lines = [line for line in c.files["access.log"] if line.req is not None]
    head = [line for line in c.files["access.log"] if line.req is None and line.text.startswith(b"#")]
    web = ([], [])  # type: tuple[list[Line], list[Line]]
    for line in lines:
        side = rng.random() < 0.5
        web[side].append(replace(line, text=line.text.replace(b" 10.1.1.5 ", b" 10.1.1.6 ")) if side else line)
    out = list(head)
    while web[0] or web[1]:
        for side in (0, 1):
            take = rng.randrange(1, 6)
            out += web[side][:take]
            del web[side][:take]
    # a caddy 4xx's error-logger entry stays after its request (the same server wrote both)
    flat: list[Line] = []
    for line in out:
        flat.append(line)
        if line.req is not None:
            flat += _render(c.s, c.fmt, c.s.requests[line.req], None)[1:]
    files["logs/access.log"] = text(flat)
    return Damaged(files, everything(c), [], complete=True, content=dict(files))


DAMAGES: dict[str, Callable[[Clean, random.Random], Damaged | None]] = {f.__name__: f for f in (
    gzip_truncated, gzip_trailing, gzip_members, bzip2_truncated, nul_start, crash_first_block, nul_stretch,
    cut_last_line, cut_count, cut_tail,
    prefix_copy, overlap_export, duplicate, given_twice, crlf, bom, latin1, long_lines, garbage, other_format,
    clock_jump, missing_rotation, interleaved)}


def damage(s: Scenario, fmt: LogFormat, name: str, seed: int) -> Damaged | None:
    """The scenario's log in `fmt`, damaged by `name` (None: the damage does not apply to this format)."""
    rng = random.Random(f"{seed}:{fmt.name}:{name}")
    c = clean(s, fmt)
    d = DAMAGES[name](c, rng)
    if d is not None:
        d.mtimes = {rel: t for rel, t in (d.mtimes or _mtimes(c)).items() if rel in d.files}
    return d


def survivors(s: Scenario, d: Damaged) -> Scenario:
    """The scenario the surviving lines tell: their requests, at the times logged (the oracle's input)."""
    kept = [replace(r, t=d.times.get(i, r.t)) for i, r in enumerate(s.requests) if i in d.surviving]
    kept.sort(key=lambda r: r.t)
    # every line here is written in the main fields (`clean` never switches #Fields mid-log)
    return replace(s, requests=kept, layout={**s.layout, "refields_since": None})


def lost_times(s: Scenario, d: Damaged) -> list[datetime]:
    return sorted(r.t for i, r in enumerate(s.requests) if i not in d.surviving)
