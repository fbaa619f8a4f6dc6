"""What was found about the evidence, in one list (queries/findings.sql), and what it does to the exit code.

Every door reads this list: the JSON answer (`findings`), the report's first page, the terminal summary of
`ingest` and `analyse`, and the exit code. A finding is `incomplete` (the answer rests on evidence the tool
could not fully read: exit code 3, the answer still written in full) or `stated` (resolved or labelled, and
said: exit code 0). Paths are as the input was given plus the sub-path, never cut; shown to a person they go
through `escaping.visible` (a file name is log-adjacent text an attacker may choose).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import derived, exitcodes, placewords, queries
from .plural import plural
from .seal import CHANGED, MISSING, NEVER_SEALED_WHY, REREAD_MENDS, UNSEALED, id_list
from .timefmt import iso_utc

if TYPE_CHECKING:
    from .case import CaseFile
    from .seal import Finding as SealFinding
    from .seal import SealCheck
    from .verify import Verification

INCOMPLETE = "incomplete"
STATED = "stated"
# findings about the time of a file's lines, whose detail names their times: a step back's span
# (uncovered_start to uncovered_end) is the time its clock went through twice, a stray time's the moment itself
TIMES = ("time ran back", "stray time")
# findings about a span of a stream's time: each labelled with the target windows it falls in (`in_window`)
# a server-named file taken for a take of another stream's log (queries/gaps.sql kind 'take end'): its end, no gap
# by that inference, said as what it would be (queries/findings.sql), where a gap at its edge would be (STREAM_EDGES)
PRESUMED_TAKE, TAKE_END = "presumed take", "after a take's last line"
SPANS = ("gap", PRESUMED_TAKE, *TIMES)
# a gap at a stream's edge (queries/gaps.sql: kinds 'end' and 'start', the fact of its finding): a server that
# stops (or starts) logging while another logs on; said only where it falls in a target's window (a retired server
# outside every window is no gap of the evidence a download could hide in)
STREAM_EDGES = ("after its last line", "before its first line")
# the kinds of this command's re-hash (rehash_findings: changed, missing) and of the case's seal (seal_findings)
REHASH_KINDS = ("changed since ingest", "missing")
SEAL_KIND = "case changed outside exposure"
# findings about the evidence on disk or the case file, not about a stream's time: the figures come from the
# content hashed at ingest, so they leave no time uncovered and say none
NOT_OF_TIME = (*REHASH_KINDS, SEAL_KIND)
# a damaged file's fact where its content is known whole (queries/findings.sql): its altered lines named, an intact
# copy standing in. A file merely decoded in full (placewords.DECODED_IN_FULL) is not: its check fails, so its bytes
# may be altered anywhere, and the figures made from it are a minimum
READ_IN_FULL = (placewords.PROVEN_IN_FULL,)


@dataclass(frozen=True)
class Finding:
    severity: str  # incomplete | stated
    kind: str  # damaged, truncated, all lines rejected, gap, overlap, duplicate ... (queries/findings.sql)
    path: str | None  # as given plus the sub-path; None for a gap (a stream's)
    evidence_id: int | None
    stream: str | None
    server: str | None
    detail: str
    related_path: str | None  # the original of a copy; a gap's: the copy-named file that bounds it (lines, of_lines:
    # its request lines of its own and those another file shares)
    uncovered_start: datetime | None  # UTC; an incomplete file's uncovered time in its stream, or a gap
    uncovered_end: datetime | None
    # the facts `detail` is made of (for a report in another language): see queries/findings.sql
    lines: int | None
    of_lines: int | None
    minutes: float | None
    threshold_minutes: float | None
    line_ranges: str | None
    related_line_ranges: str | None
    format: str | None
    fact: str | None  # the value inferred (a stream; what byte counts cover; the time a file no line of which
    # was read is placed by: exposure/placewords.py)
    in_window: str | None = None  # a gap, a step back or an incomplete file's uncovered time inside target
    # windows given: their labels, joined with ", " (`window 1`, `window 1 of /a.pdf, window 2 of /b.pdf`)
    in_windows: tuple[dict[str, Any], ...] = ()  # the same windows, each {window, target, alias} (Window.ref)

    @property
    def incomplete(self) -> bool:
        return self.severity == INCOMPLETE

    @property
    def unread(self) -> bool:
        """Incomplete and some of the evidence's content not read: every incomplete finding but a damaged file proven
        a corrupted copy (its altered lines named, an intact copy stands in: READ_IN_FULL) and the evidence that
        changed or went missing since it was read (the answer rests on what was read at ingest). A case changed
        outside exposure (SEAL_KIND) is unread: rows of it may be lost, the figures are a minimum."""
        return self.incomplete and not (self.kind == "damaged" and self.fact in READ_IN_FULL) \
            and self.kind not in REHASH_KINDS

    def span(self) -> str:
        """The uncovered time in words (UTC)."""
        if self.kind in TIMES or self.kind in NOT_OF_TIME:
            return ""  # its detail names the times, or it is about no time
        if self.uncovered_start is None and self.uncovered_end is None and not self.incomplete:
            return ""
        return placewords.uncovered(self.fact, self.stream, iso_utc(self.uncovered_start),
                                    iso_utc(self.uncovered_end))

    def said(self) -> str:
        """The finding in one sentence: the full path (never cut) or the stream, what, the span and the window it
        falls in; the one composition the terminal's line and the evidence status (exposure/analysis/
        evidence_status.py) say. Raw: exposure/terminal makes it visible, once."""
        where = self.path if self.path is not None else f"stream {self.stream}" if self.stream is not None else None
        parts = [(f"{where}: " if where is not None else "") + self.detail]
        if span := self.span():
            parts.append(span if self.kind not in ("gap", PRESUMED_TAKE) else f"from {iso_utc(self.uncovered_start)} to "
                                                          f"{iso_utc(self.uncovered_end)}")
        if self.in_window:
            parts.append(f"inside {self.in_window}")
        return "; ".join(parts)

    def line(self) -> str:
        """One line for a terminal: severity, kind and what was found (said)."""
        return f"{self.severity}: {self.kind}: {self.said()}"

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["uncovered_start"] = iso_utc(self.uncovered_start)
        out["uncovered_end"] = iso_utc(self.uncovered_end)
        out["in_windows"] = [dict(w) for w in self.in_windows]
        return out

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Finding:
        """A finding of the JSON answer (`findings`) back as a Finding."""
        times = {k: datetime.fromisoformat(item[k].removesuffix("Z")) if item.get(k) else None
                 for k in ("uncovered_start", "uncovered_end")}
        return cls(**{**item, **times, "in_windows": tuple(item.get("in_windows") or ())})


# How a window still open when the logs end (never seen withdrawn: no 404/410 after its last available response) is
# named where a time without a line lies after its last request: the file may have been served unseen up to the
# end of the evidence
OPEN_WINDOW = "open: no withdrawal seen"
# The size the rule finds where every count of the file includes response headers and no log states its body's
# length (size_rule `band` alone): the file with its headers, never called the file's size. The terminal's size
# line and the report's page 1 (its English; exposure/report/i18n.py `size_band_only`) say it in these words.
BAND_SIZE_LABEL = ("Size of a complete transfer (the file with its response headers; the file's own size is not in "
                   "the logs)")
# A target whose transfers carry no byte count (IIS 8.5-10's default fields): no size judges them, --size neither
# (the answer's warning, the terminal's size line; the report's page 1 reads the warning)
NO_BYTE_COUNTS = ("the log counts no bytes of the file's transfers, so no size can judge them (a given --size "
                  "neither): each is complete or partial only by the log's own word on its send (IIS "
                  "sc-win32-status) or a range group's offsets, else undetermined")


def counts_no_bytes(transfers: Sequence[Mapping[str, Any]]) -> bool:
    """NO_BYTE_COUNTS is said of these transfers (download rows: `bytes`): there are some and none has a count. A
    window of only a HEAD and a 304 has no transfer: the log counts no bytes of nothing, that is not a finding."""
    return bool(transfers) and all(t.get("bytes") is None for t in transfers)


@dataclass(frozen=True)
class Window:
    """A target's exposure window, as far as gaps are concerned: from when it may have been online unseen (`lo`: its
    windows row's unseen_from, an hour before its first available response, queries/downloads_rule.sql) to the first
    unavailable one; still online at the end of the logs (`open`: no 404/410 after it), to the end of the evidence,
    past its last available response (`hi`). UTC, naive."""

    label: str
    lo: datetime
    hi: datetime
    number: int | None = None  # the window's number (`window N`)
    target: str | None = None  # the target's path as logged
    alias: str | None = None  # the --alias path (counted as the target) whose window it is; None: the target's own
    open: bool = False  # never seen withdrawn: it holds every time after `hi` too, to the end of the evidence

    def after_seen(self, start: datetime | None, end: datetime | None) -> bool:
        """A time it holds only as an open window: wholly after its last available response (a moment after it, a
        silence from it on), where no line shows the file and none its withdrawal."""
        return self.open and start is not None and (start > self.hi or (start == self.hi and start != end))

    def named(self, start: datetime | None, end: datetime | None) -> str:
        """Its label where a finding names it: `window 1 (open: no withdrawal seen)` for a time after_seen."""
        return f"{self.label} ({OPEN_WINDOW})" if self.after_seen(start, end) else self.label

    def ref(self, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
        """The window as a finding names it (`in_windows`): its number, its target, the alias it is of, and
        whether the finding's time lies after its last available response in it as an open window (after_seen)."""
        return {"window": self.number, "target": self.target, "alias": self.alias,
                "after_last_available": self.after_seen(start, end)}

    def holds(self, start: datetime | None, end: datetime | None) -> bool:
        """A silence from `start` to `end` falls (partly) in the window: the file may have been served unseen. A
        moment (`start` = `end`: a stray time) falls in it on its edges too (a window it opened itself). None is
        open: the stream's start or end (an incomplete first or last file of its stream); both None is a time
        unknown, held by no window. An open window has no end before the evidence's."""
        if start is None and end is None:
            return False
        if start is not None and start == end:
            return self.lo <= start and (self.open or start <= self.hi)
        return (start is None or self.open or start < self.hi) and (end is None or end > self.lo)


def ensure_silences(case: CaseFile) -> None:
    """The streams' silences gaps are made of (queries/gaps.sql), kept in the case when an ingest settles
    (exposure/derived.py); a case without them, or with silences another rule's query made (made before they were
    kept, or by another version, and opened read-only: derived.silences_key), gets its own copy for this
    connection, by the same query."""
    kept = derived.kept_tables(case.fetchall(derived.KEPT_COLUMNS_SQL, {"names": [derived.SILENCES, derived.RULES]}))
    if {derived.SILENCES, derived.RULES} <= kept and derived.silences_current(case.fetchone(derived.KEPT_KEY_SQL)):
        return
    if not case.fetchone("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                         [derived.SILENCES])[0]:
        case.execute(f"CREATE TEMP TABLE {derived.SILENCES} AS {derived.silences_sql()}")


def evidence_findings(case: CaseFile, windows: Sequence[Window] | None = None, gap_minutes: int | None = None,
                      gap_factor: float | None = None) -> list[Finding]:
    """Every finding about the case's evidence (queries/findings.sql); a gap, a step back of the time or the time
    an incomplete file leaves without a line inside `windows` is labelled with every window it falls in
    (`in_window`, `in_windows`): the file may have held a download of a target there. Given `windows` (an answer's,
    none where its targets have none), a gap at a stream's edge is kept only inside one (unsaid_edge); without
    (None: no window known, as `exposure sql findings`) every one is, its `fact` naming the edge."""
    return placed_findings(finding_rows(case, gap_minutes, gap_factor), windows)


def finding_rows(case: CaseFile, gap_minutes: int | None = None, gap_factor: float | None = None) -> list[Finding]:
    """queries/findings.sql's rows, one Finding each, before they are placed in windows (`placed_findings`): they
    read only the stored tables, so an answer reads them meanwhile, on a connection of its own (exposure/answer.py)."""
    block = queries.get("findings")
    ensure_silences(case)
    case.bind({"gap_minutes": gap_minutes, "gap_factor": gap_factor})
    for need in queries.needed_blocks(block):
        case.run(need)
    return [Finding(*row) for row in case.fetchall(block.sql)]


def placed_findings(rows: Sequence[Finding], windows: Sequence[Window] | None) -> list[Finding]:
    """The findings of `finding_rows` as `evidence_findings` says them for `windows`."""
    out = []
    for f in rows:
        if windows is None:
            out.append(f)
            continue
        if f.kind in SPANS or f.incomplete:  # an open end (None) is the stream's: Window.holds
            held = [w for w in windows if w.holds(f.uncovered_start, f.uncovered_end)]  # every one, each target's
            start, end = f.uncovered_start, f.uncovered_end
            f = replace(f, in_window=", ".join(w.named(start, end) for w in held) or None,
                        in_windows=tuple(w.ref(start, end) for w in held))
        if f.kind in ("gap", PRESUMED_TAKE) and unsaid_edge(f.fact, bool(f.in_window)):
            continue
        out.append(f)
    return out


def unsaid_edge(edge: str | None, in_window: bool) -> bool:
    """A stream's silence before its first or after its last line (queries/gaps.sql `edge`) is said inside a
    target's window only: outside every window it is a retired (or later) server, no time a download hid in."""
    return edge in (*STREAM_EDGES, TAKE_END) and not in_window


def said(severity: str, kind: str, path: str | None, detail: str) -> Finding:
    """A finding made outside queries/findings.sql (this command's re-hash, the case's seal): no facts besides
    the detail."""
    return Finding(severity, kind, path, None, None, None, detail, None, None, None, None, None, None, None, None,
                   None, None, None)


def rehash_findings(verification: Sequence[Verification]) -> list[Finding]:
    """What this command's re-hash found (exposure/verify.py): a file changed since ingest or gone. The figures
    still come from the content hashed at ingest, but the evidence on disk no longer backs them: incomplete."""
    changed, missing = REHASH_KINDS
    words = {"changed": (changed, "the SHA-256 of the file on disk differs from the one recorded at ingest: the "
                         "figures come from the content hashed at ingest"),
             "missing": (missing, "the file is no longer at the path recorded at ingest: the figures come from "
                         "the content hashed at ingest")}
    return [said(INCOMPLETE, words[v.status][0], v.path,
                 f"the path recorded at ingest now holds {v.found}; the figures come from the content hashed at "
                 "ingest" if v.status == "missing" and v.found else words[v.status][1])
            for v in verification if v.status in words]


def seal_findings(case: CaseFile, seal: SealCheck) -> list[Finding]:
    """The case's seal does not hold (exposure/seal.py): the case file was changed outside exposure (or by a
    command killed before it sealed what it wrote), so the figures come from what it holds now. One finding for
    the case, whatever the number of differences: how many of each kind (never sealed, changed, missing) and
    what they belong to (`evidence 1-1000`, `activity entry 5`), capped; the JSON answer's `seal.findings` and
    `exposure verify` name each one."""
    if seal.holds:
        return []
    words = {UNSEALED: f"never sealed ({NEVER_SEALED_WHY}: {REREAD_MENDS})",
             CHANGED: "changed after they were sealed", MISSING: "sealed and now missing"}
    parts = []
    for what in (UNSEALED, CHANGED, MISSING):
        mine = [f for f in seal.findings if f.what == what]
        if mine:
            parts.append(f"{plural(len(mine), '# difference', '# differences')} {words[what]}: {_subjects(mine)}")
    detail = (f"the case file differs from what exposure sealed: {'; '.join(parts)}; the figures come from what it "
              "holds now; exposure verify names every difference")
    return [said(INCOMPLETE, SEAL_KIND, None, detail)]


def _subjects(found: Sequence[SealFinding], shown: int = 5) -> str:
    """What differences belong to, each once: the evidence files as runs of ids, then the first `shown` others."""
    subjects = [f.subject() for f in found]
    numbered = [s for s in subjects if s.startswith("evidence ") and s[9:].isdigit()]  # any other name: as it is
    ids = sorted({int(s[9:]) for s in numbered})
    others = list(dict.fromkeys(s for s in subjects if s not in numbered))
    named = ([f"evidence {id_list(ids)}"] if ids else []) + others[:shown]
    return ", ".join(named) + (f" and {len(others) - shown} more" if len(others) > shown else "")


def exit_code(findings: Sequence[Finding]) -> int:
    """3 when any finding leaves the evidence incomplete, else 0 (exposure/exitcodes.py)."""
    return exitcodes.INCOMPLETE if any(f.incomplete for f in findings) else exitcodes.COMPLETE
