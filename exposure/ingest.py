"""Evidence in: hash, detect, parse in DuckDB and account for every line, one transaction per file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import numpy as np
import pyarrow as pa

from . import callbacks, derived, lastline, linekeys, midcut, queries, store
from . import evidence as ev_mod
from .chunkview import ChunkView
from .discovery import Discovery, Unreadable, discover, os_reason, via_link
from .errors import AccountingError, InputError, NotALogError
from .evidence import EvidenceFile, LineChunk, ReadStats
from .facts import declared_facts, give_bytes_meaning, given_bytes_meaning, infer_facts
from .formats import LogFormat, detect_formats, forced_format, get_format, unread
from .formats.base import SOURCE, VALUE_REJECTS, ZONE_READ_FLAG, normalise_sql, sql_literal
from .formats.clientaddr import NEEDS_NORMALISING, address_map, resolve_clients
from .formats.jsonl import BYTES_FIELD
from .heldids import HeldIds
from .inputorder import InputOrder
from .linekeys import FROM_KEYS, KEY_BITS, LINE_MASK, PIECE_SCHEMA, Piece, from_keys, int64s
from .overlap import Overlap, detect_overlaps, list_overlaps
from .plural import plural
from .readahead import read_ahead
from .store import Store
from .streams import assign_streams, check_stream_from, stream_rule, who_named
from .transactions import transaction

INGEST_MEMORY_LIMIT = "1GB"  # DuckDB's share while ingesting (docs/scale.md: peak RSS stays under 1.5 GB)
# (file shown, lines read so far in it, lines in this chunk, content bytes read so far in it: the offset of the
# chunk's last line, decompressed)
ProgressCallback = Callable[[str, int, int, int], None]


@dataclass(frozen=True)
class IngestOptions:
    """How to read the inputs. The same options are accepted by `ingest` and `analyse`."""

    format: str | None = None  # force a format by name; None = detect per file
    log_tz: str | None = None  # IANA zone for formats whose times carry no offset
    log_format: str | None = None  # an Apache LogFormat directive string (custom format)
    nginx_log_format: str | None = None  # an nginx log_format string (custom format)
    json_fields: str | None = None  # mapping for JSON lines, e.g. "time=ts,client=remote_ip,..."
    client_ip_from: str | None = None  # None (connecting address) or "xff" (X-Forwarded-For)
    trusted_proxies: tuple[str, ...] = ()  # CIDRs of proxies whose X-Forwarded-For entries are skipped
    format_options: dict[str, Any] = field(default_factory=dict)  # anything else a format needs
    bytes_meaning: str | None = None  # --bytes body|headers: what the byte counts cover (overrides inference)
    supplied_by: str | None = None
    custody_note: str | None = None
    stream_from: str | None = None  # name | folder | a regular expression; None: the case's rule (streams.py)
    # evidence ids whose registry row and rows no seal link ever covered (a command killed before sealing them:
    # exposure/seal.py Session.rereadable, set by the case: never sealed, not a document an inspection registered or
    # names): a file given again that matches one is not "already in case" but read again, its fresh rows
    # replacing those in the same transaction (`_forget`), under its old id
    unsealed: frozenset[int] = frozenset()
    # called, in the transaction that changed them, with the evidence files whose stored rows the steps over the
    # whole case changed (exposure/corruption.py rejects lines proven corrupted): the case seals them again in it,
    # so a command killed later leaves them sealed (exposure/seal.py Session.rows_changed)
    rows_changed: Callable[[list[int]], None] | None = field(default=None, compare=False)
    # the case's derived tables that differ from its seal when the command begins (edited outside exposure:
    # exposure/seal.py Session.broken): never written over by settle before the seal says them (derived.refresh)
    edited: frozenset[str] = frozenset()

    def validated(self) -> IngestOptions:
        """Check option values before anything is written (one clear error for a bad one)."""
        from .addresses import parse_cidrs
        from .formats.jsonl import parse_mapping

        check_stream_from(self.stream_from)
        if self.client_ip_from not in (None, "xff"):
            raise InputError(f"--client-ip-from must be 'xff', not '{self.client_ip_from}'")
        for option, value in (("--format", self.format), ("--log-format", self.log_format),
                              ("--nginx-log-format", self.nginx_log_format), ("--json-fields", self.json_fields),
                              ("--log-tz", self.log_tz)):
            if value is not None and not value.strip():
                raise InputError(f"{option}: an empty value")
        if self.json_fields:
            parse_mapping(self.json_fields)  # a malformed mapping fails before any write, JSON file or not
        parse_cidrs(self.trusted_proxies)
        given_bytes_meaning(self.bytes_meaning)
        if self.format:
            get_format(self.format, self.format_settings)
        elif self.log_format or self.nginx_log_format:
            get_format("custom", self.format_settings)  # an unknown directive fails before any write
        return self

    @property
    def format_settings(self) -> dict[str, Any]:
        """What format construction needs: custom directives and mappings, plus format_options."""
        out = dict(self.format_options)
        for key in ("log_format", "nginx_log_format", "json_fields", "log_tz"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


INCOMPLETE_DAMAGE = ("damaged", "truncated", "joined lines", "changed during read")


@dataclass
class FileOutcome:
    path: str
    verdict: str  # ingested | duplicate | not a log | unreadable | already in case
    evidence_id: int | None
    format: str | None = None
    lines: int = 0
    requests: int = 0
    rejected: int = 0
    skipped: int = 0
    duplicate_of: int | None = None
    # what reading found, each (kind, text): kind `read` (damage, notes, not parsed), `cut off` (its last line),
    # `rejected lines` (mostly rejected), `unreadable` (why); said on the terminal, capped per kind
    warned: list[tuple[str, str]] = field(default_factory=list)
    replaces: list[int] = field(default_factory=list)  # files it made its duplicates (the citation rule)
    reread: list[int] = field(default_factory=list)  # never-sealed evidence ids this fresh read replaced
    # its requests whose time was read in --log-tz (formats/base.py ZONE_READ_FLAG); None: not read with a zone
    zone_read: int | None = None
    kind: str = "file"  # file | folder (a folder is only ever `unreadable`)
    reason: str | None = None  # why it is unreadable (the registry's read_errors)
    damage: str | None = None  # damaged | truncated | joined lines | changed during read (the registry's columns)
    damage_offset: int | None = None
    damage_detail: str | None = None
    suspicious: str | None = None
    bom: str | None = None
    line_endings: str | None = None

    @property
    def warnings(self) -> list[str]:
        return [text for _kind, text in self.warned]

    def warn(self, kind: str, text: str) -> None:
        self.warned.append((kind, text))

    @property
    def incomplete(self) -> bool:
        """Its evidence is incomplete: unreadable, damaged, truncated, changed while read, or every line that is
        not a comment or blank rejected."""
        return (self.verdict == "unreadable" or self.damage in INCOMPLETE_DAMAGE
                or (self.verdict == "ingested" and self.rejected > 0 and self.requests == 0))


@dataclass
class IngestResult:
    files: list[FileOutcome] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)  # for the whole case, after this ingest
    notes: list[str] = field(default_factory=list)  # inputs passed over on purpose (the case's own files, loops)
    # per server log stream whose byte counts the format cannot declare: (stream, meaning, basis, detail)
    byte_facts: list[tuple[str | None, str, str, str]] = field(default_factory=list)
    log_tz: str | None = None  # the --log-tz given (zone_said: to how many files' lines it was applied)
    # files this command did not ingest whose counts its steps over the case changed, the registry's counts now
    recounted: list[FileOutcome] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return self.read_warnings + self.bytes_warnings

    @property
    def read_warnings(self) -> list[str]:
        """Inputs passed over, what reading each file found, the overlaps of the case."""
        return [text for _kind, text in self.read_warnings_by_kind]

    @property
    def read_warnings_by_kind(self) -> list[tuple[str | None, str]]:
        """read_warnings, each with its kind (FileOutcome.warned, `overlap`), or None where it is always said in
        full: an input passed over, what reading an incomplete file found."""
        return ([(None, n) for n in self.notes]
                + [(None if f.incomplete else kind, f"{f.path}: {w}") for f in self.files for kind, w in f.warned]
                + [("overlap", f"{o.path}: {o.describe()}") for o in self.overlaps])

    @property
    def bytes_warnings(self) -> list[str]:
        """One per log stream whose byte counts the data did not decide (assumed body)."""
        return [f"byte counts of server {stream or '(none)'}: {detail}; give --bytes body|headers to state it"
                for stream, _meaning, basis, detail in self.byte_facts if basis == "assumed"]

    @property
    def zone_said(self) -> str | None:
        """Whether the --log-tz given was applied, for the whole command: to how many requests of how many files,
        and the files it was applied to no line of (their times carry their own offset or are UTC by their
        format; a file already in the case keeps the reading of its first ingest). None without --log-tz."""
        if self.log_tz is None:
            return None
        read = [f for f in self.files if f.zone_read]
        unread = [f for f in self.files if f.verdict == "ingested" and f.zone_read == 0 and f.requests]
        kept = [f for f in self.files if f.verdict == "already in case"]
        said = [f"applied to {plural(sum(f.zone_read or 0 for f in read), '# request', '# requests')} of "
                f"{plural(len(read), '# file', '# files')}"] if read else ["applied to no line"]
        if unread:
            said.append(plural(len(unread), "# file read with it carries its own UTC offset or is UTC by its format",
                               "# files read with it carry their own UTC offset or are UTC by their format"))
        if kept:
            said.append(plural(len(kept), "# file already in the case keeps the times of its first ingest",
                               "# files already in the case keep the times of their first ingest"))
        return f"--log-tz {self.log_tz}: " + "; ".join(said)

    @property
    def zone_unused(self) -> bool:
        """--log-tz was given, applied to no line of this command, and files already in the case kept their times:
        said as a warning (zone_said), the files read with it have their own (FileOutcome.warned)."""
        return (self.log_tz is not None and not any(f.zone_read for f in self.files)
                and any(f.verdict == "already in case" for f in self.files))

    @property
    def incomplete(self) -> list[FileOutcome]:
        """The files and folders whose evidence is incomplete (FileOutcome.incomplete), in input order."""
        return [f for f in self.files if f.incomplete]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _next_evidence_id(con: duckdb.DuckDBPyConnection, redo: Sequence[int] = (), held: HeldIds | None = None) -> int:
    """The id of a file about to be stored: a file read again keeps the first id of its never-sealed rows
    (`_forget` removed them first), any other file the next id, counting the small files held before it (`held`:
    written later, each under the id it took in its place)."""
    if held is not None:
        return held.next_id(con, redo)
    if redo:
        return min(redo)
    return int(con.execute("SELECT coalesce(max(evidence_id), 0) + 1 FROM evidence").fetchone()[0])


def _insert_evidence(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO evidence ({cols}) VALUES ({marks})", list(row.values()))


def _base_row(evid: int, ev: EvidenceFile | Unreadable, options: IngestOptions) -> dict[str, Any]:
    compression = ev.compression if isinstance(ev, EvidenceFile) else None
    return {
        "evidence_id": evid,
        "path": ev.path,
        "abs_path": ev.abs_path,
        "server": ev.server,
        "size_bytes": ev.size_bytes,
        "mtime_utc": ev.mtime,
        "compression": compression,
        "ingested_at": _now(),
        "supplied_by": options.supplied_by,
        "custody_note": options.custody_note,
        "client_from": options.client_ip_from,
        **who_named(ev.path, ev.abs_path),
        "via_link": via_link(ev.path, ev.abs_path),
    }


def _outcome(ev: EvidenceFile, verdict: str, evid: int | None, stats: ReadStats, **more: Any) -> FileOutcome:
    """A FileOutcome with what reading found (damage, BOM, line endings) and every finding as a warning."""
    out = FileOutcome(ev.path, verdict, evid, damage=stats.damage, damage_offset=stats.damage_offset,
                      damage_detail=stats.damage_detail, suspicious=stats.suspicious, bom=stats.bom,
                      line_endings=stats.line_endings, **more)
    for error in stats.errors:
        out.warn("read", error)
    if stats.suspicious:
        out.warn("read", stats.suspicious)
    return out


Registered: TypeAlias = dict[tuple[str, str | None], tuple[list[int], list[int]]]


def _registered(con: duckdb.DuckDBPyConnection, abs_paths: Sequence[str], options: IngestOptions) -> Registered:
    """The registry rows of these paths, per path and SHA-256 (None: an unreadable item's, of no hash): the ids a
    seal covers (the file is `already in case`), and the never-sealed ids a fresh read of the same file replaces
    (IngestOptions.unsealed: read again, `_forget`). The one place that tells which rows a file given again may
    replace: every door (a file alone, a file not parsed, an unreadable item, a batch of small files) asks it."""
    out: Registered = {}
    for path, sha, evid in con.execute("SELECT abs_path, sha256, evidence_id FROM evidence "
                                       "WHERE list_contains(?, abs_path) ORDER BY evidence_id",
                                       [list(abs_paths)]).fetchall():
        kept, redo = out.setdefault((path, sha), ([], []))
        (redo if evid in options.unsealed else kept).append(evid)
    return out


def _already_registered(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, sha: str,
                        options: IngestOptions) -> bool:
    """A registry row of this path and hash that a seal covers (a never-sealed one is read again: `_unsealed`)."""
    return bool(_registered(con, [ev.abs_path], options).get((ev.abs_path, sha), ([], []))[0])


def _unsealed(con: duckdb.DuckDBPyConnection, abs_path: str, sha: str | None, options: IngestOptions) -> list[int]:
    """The never-sealed registry rows (IngestOptions.unsealed) of this path and hash (None: of no hash, an
    unreadable item): replaced by this read."""
    if not options.unsealed:
        return []
    return _registered(con, [abs_path], options).get((abs_path, sha), ([], []))[1]


CUSTODY = ("supplied_by", "custody_note")  # what a registry row records that its file cannot give again


def _forget(con: duckdb.DuckDBPyConnection, ids: Sequence[int], options: IngestOptions) -> dict[int, str]:
    """Remove never-sealed evidence files (registry rows, their rows, their kept digests, the repeated lines
    found with them) in the caller's transaction, before the same files are stored again from a fresh read.
    Nothing a seal covers is removed: the ids come from `_unsealed`. The overlaps, streams and what is derived
    from the requests are worked out again when the ingest settles. Returns, per id whose row recorded custody
    (IngestOptions supplied_by, custody_note) other than this ingest gives, what it recorded: the fresh row has
    this ingest's, so it is said (`_said_custody`), never dropped unsaid."""
    if not ids:
        return {}
    lost = {}
    for evid, *old in con.execute(f"SELECT evidence_id, {', '.join(CUSTODY)} FROM evidence "  # noqa: S608
                                  "WHERE list_contains(?, evidence_id) ORDER BY 1", [list(ids)]).fetchall():
        given = [getattr(options, c) for c in CUSTODY]
        if old != given and any(old):
            recorded = ", ".join(f"{c} '{v}'" for c, v in zip(CUSTODY, old, strict=True) if v is not None)
            lost[evid] = (f"its never-sealed registry row (evidence {evid}, stored by a command that ended before "
                          f"sealing it) recorded {recorded}; this ingest gives "
                          + (", ".join(f"{c} '{v}'" for c, v in zip(CUSTODY, given, strict=True) if v is not None)
                             or "none") + ": the row sealed now has this ingest's (give them again to keep them)")
    for evid in ids:
        store.delete_evidence(con, evid)
    for table, where in (("rejects", "list_contains($ids, evidence_id)"),
                         ("skipped", "list_contains($ids, evidence_id)"),
                         ("row_blocks", "list_contains($ids, evidence_id)"),
                         ("overlap_lines", "list_contains($ids, evidence_id) OR list_contains($ids, kept_evidence_id)"),
                         ("overlap_pairs", "list_contains($ids, evidence_id) OR list_contains($ids, kept_evidence_id)"),
                         ("corrupted_members",
                          "list_contains($ids, evidence_id) OR list_contains($ids, kept_evidence_id)"),
                         ("evidence", "list_contains($ids, evidence_id)")):
        con.execute(f"DELETE FROM {table} WHERE {where}", {"ids": list(ids)})  # noqa: S608
    return lost


def _said_custody(outcome: FileOutcome, lost: dict[int, str]) -> FileOutcome:
    """What the never-sealed rows a file replaced recorded of its custody and this ingest does not give, said
    with the file (a `custody` warning: the terminal, IngestResult.read_warnings)."""
    for evid in outcome.reread:
        if evid in lost:
            outcome.warn("custody", lost[evid])
    return outcome


def _replacing(con: duckdb.DuckDBPyConnection, abs_path: str, sha: str | None,
               options: IngestOptions, held: HeldIds | None = None) -> tuple[int, list[int], dict[int, str]]:
    """In the caller's transaction, for one registry row about to be written: its never-sealed rows of this path
    and hash removed (`_unsealed`, `_forget`: what they recorded of custody that this ingest does not give), and
    the id it takes (the first of them, else the next)."""
    redo = _unsealed(con, abs_path, sha, options)
    lost = _forget(con, redo, options)
    return _next_evidence_id(con, redo, held), redo, lost


def _repoint(con: duckdb.DuckDBPyConnection, old: Sequence[int], new: int) -> None:
    """Duplicates that named a file read again as their original name it under its new id (the same content)."""
    if old and list(old) != [new]:
        con.execute("UPDATE evidence SET duplicate_of = ? WHERE list_contains(?, duplicate_of)", [new, list(old)])


def _seen_before(con: duckdb.DuckDBPyConnection, ev: EvidenceFile) -> bool:
    """A file of this path and size is registered already (whether it is the same content, its hash says)."""
    return bool(con.execute("SELECT count(*) FROM evidence WHERE abs_path = ? AND size_bytes = ?",
                            [ev.abs_path, ev.size_bytes]).fetchone()[0])


def _settle_copies(con: duckdb.DuckDBPyConnection, content_sha: str) -> None:
    """Among the ingested files with this content, the original the citation rule between identical copies
    (queries/citation.sql, identical_citation) picks keeps its request rows; every other one becomes its duplicate
    (rows, rejects and skipped lines removed: they are the original's, line for line)."""
    original, *copies = [evid for _, evid, _ in _identical(con, [content_sha])]
    for evid in copies:
        store.delete_evidence(con, evid)
        for table in ("rejects", "skipped"):
            con.execute(f"DELETE FROM {table} WHERE evidence_id = ?", [evid])
    if copies:
        con.execute("UPDATE evidence SET verdict = 'duplicate', duplicate_of = ? "
                    "WHERE list_contains(?, evidence_id) OR list_contains(?, duplicate_of)",
                    [original, copies, copies])


def _identical(con: duckdb.DuckDBPyConnection, shas: Sequence[str]) -> list[tuple[str, int, Any]]:
    """The ingested files of these contents, each its content, id and place in the citation rule between identical
    copies (queries/citation.sql, identical_citation: a copy whose reading found the content damaged first)."""
    queries.bind(con, {"content_shas": list(shas)})
    return con.execute(queries.get("identical_citation").sql).fetchall()


def _choose_formats(con: duckdb.DuckDBPyConnection, files: Sequence[EvidenceFile], options: IngestOptions
                    ) -> list[_Plan | OSError]:
    """Each file's plan: its format (None: not a log), why it cannot be read as text at all (UTF-16 ...), why
    its content ended before a line could be read; or the OSError that stopped reading it. The samples of every
    file are matched in one query."""
    out: list[_Plan | OSError] = []
    heads: dict[int, bytes] = {}
    damaged: dict[int, str | None] = {}
    for i, ev in enumerate(files):
        try:
            sniffed = ev_mod.sniff(ev)
        except OSError as exc:
            out.append(exc)
            continue
        if sniffed.refusal:
            out.append(_Plan(refusal=sniffed.refusal))
        elif options.format:
            out.append(_Plan(forced_format(options.format, options.format_settings, sniffed.text)))
        elif options.log_format or options.nginx_log_format:  # the server's own directive applies to every file
            out.append(_Plan(get_format("custom", options.format_settings)))
        elif sniffed.cut:
            out.append(_Plan(cut=sniffed.cut))
        else:
            heads[i], damaged[i] = sniffed.text, sniffed.damaged
            out.append(_Plan())
    for i, found in zip(heads, detect_formats(con, list(heads.values())), strict=True):
        fmt = found.format
        if fmt is not None and fmt.family == "json" and options.json_fields:
            fmt = get_format("json", options.format_settings)
        # an access log in a format the tool does not read is refused with what it looks like (formats/unread.py)
        refusal = unread.refusal(found.unread) if fmt is None and found.unread else None
        # a sample of no format from a file damaged where it was read (a gzip member cut and run into the next):
        # damage, never "no log" (a folder of only such files is ingested, incomplete, never refused)
        out[i] = _Plan(fmt, refusal, cut=damaged[i] if fmt is None and refusal is None else None)
    return out


class _NotParsed(Exception):
    """Reading stopped before the end: the content passed the suspicious-size rule."""


def ingest_file(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, fmt: LogFormat | None, options: IngestOptions,
                explicit: bool = False, progress: ProgressCallback | None = None,
                held: HeldIds | None = None, on_stored: Callable[[FileOutcome], None] | None = None) -> FileOutcome:
    """Read one file into the case in a single transaction; the case is unchanged if anything fails.

    `fmt` None means the file is not a log: it is hashed and registered with that verdict. A file whose content
    passes the suspicious-size rule is hashed (in bounded memory) and registered unparsed, `unreadable`.
    `on_stored` is told of a file stored with its commit, before a Ctrl-C that came meanwhile stops the ingest
    (exposure/transactions.py).
    """
    if fmt is None:
        stats = ev_mod.hash_file(ev)
        if _already_registered(con, ev, stats.sha256, options):
            return FileOutcome(ev.path, "already in case", None)
        if explicit:
            raise NotALogError(f"{ev.path} is not an access log in any known format (use --format to force one)")
        return _register_unparsed(con, ev, options, stats, "not a log", held=held, on_stored=on_stored)

    sha = ev_mod.sha256_on_disk(ev.abs_path) if _seen_before(con, ev) else None
    if sha is not None and _already_registered(con, ev, sha, options):
        return FileOutcome(ev.path, "already in case", None)  # hashing costs a fraction of parsing again
    redo = _unsealed(con, ev.abs_path, sha, options) if sha is not None else []
    done: list[FileOutcome] = []
    try:
        with transaction(con, _telling(on_stored, done)):
            lost = _forget(con, redo, options)  # before the read: the file keeps its id
            done.append(_said_custody(_load(con, ev, fmt, options, progress, (redo, sha), held), lost))
    except _NotParsed:
        stats = ev_mod.hash_file(ev)
        if _already_registered(con, ev, stats.sha256, options):
            return FileOutcome(ev.path, "already in case", None)
        return _register_unparsed(con, ev, options, stats, "unreadable", fmt.name, held=held, on_stored=on_stored)
    return done[0]


def _telling(on_stored: Callable[[FileOutcome], None] | None, done: list[FileOutcome]) -> Callable[[], None] | None:
    """What a transaction that stores files tells as it commits: each stored file (`done`, filled in the
    transaction) to `on_stored`."""
    if on_stored is None:
        return None

    def told() -> None:
        for outcome in done:
            if outcome.evidence_id is not None:
                on_stored(outcome)

    return told


def _register_unparsed(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, options: IngestOptions, stats: ReadStats,
                       verdict: str, fmt: str | None = None, reason: str | None = None,
                       held: HeldIds | None = None, on_stored: Callable[[FileOutcome], None] | None = None
                       ) -> FileOutcome:
    """Register a file that is hashed but not parsed: not a log, refused (UTF-16 ...) or past the size rule."""
    done: list[FileOutcome] = []
    with transaction(con, _telling(on_stored, done)):
        evid, redo, lost = _replacing(con, ev.abs_path, stats.sha256, options, held)
        row = {**_base_row(evid, ev, options), **stats.registry(), "verdict": verdict, "format": fmt}
        if reason or stats.suspicious:
            row["read_errors"] = "; ".join(e for e in (reason, stats.suspicious and f"not parsed: {stats.suspicious}",
                                                        row["read_errors"]) if e)
        _insert_evidence(con, row)
        out = _outcome(ev, verdict, evid, stats, format=fmt,
                       reason=row["read_errors"] if verdict == "unreadable" else None, reread=redo)
        if reason:
            out.warned.insert(0, ("unreadable", reason))
        done.append(_said_custody(out, lost))
    return done[0]


def _register_unreadable(con: duckdb.DuckDBPyConnection, item: Unreadable, options: IngestOptions,
                         held: HeldIds | None = None, on_stored: Callable[[FileOutcome], None] | None = None
                         ) -> FileOutcome:
    """A file or folder that could not be opened, listed or read: a row with its reason and no hashes."""
    kept = _registered(con, [item.abs_path], options).get((item.abs_path, None), ([], []))[0]
    if kept and con.execute("SELECT count(*) FROM evidence WHERE list_contains(?, evidence_id) "
                            "AND verdict = 'unreadable' AND read_errors = ?", [kept, item.reason]).fetchone()[0]:
        return FileOutcome(item.path, "already in case", None, kind=item.kind)
    done: list[FileOutcome] = []
    with transaction(con, _telling(on_stored, done)):
        evid, redo, lost = _replacing(con, item.abs_path, None, options, held)
        _insert_evidence(con, {**_base_row(evid, item, options), "verdict": "unreadable", "read_errors": item.reason})
        done.append(_said_custody(FileOutcome(item.path, "unreadable", evid, kind=item.kind, reason=item.reason,
                                              warned=[("unreadable", item.reason)], reread=redo), lost))
    return done[0]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: str) -> int:
    """Insert `rows` into `table`; the number inserted."""
    return int(con.execute(f"INSERT INTO {table} {rows}").fetchone()[0])


CHUNK_VIEW = "exposure_chunk"  # the view over the chunk's Arrow table (formats/base.py SOURCE)
LEFT_VIEW = "exposure_left"  # the line keys of a chunk the cheap path did not take
ROW_GROUP_ROWS = 122_880  # DuckDB's row group size
IN_LINE_ORDER = "ORDER BY evidence_id, line_no"


class _PendingRequests:
    """Request rows of the full parse, held in a temporary table until they fill a row group of `store`.

    A chunk's few lines the cheap path did not take would otherwise each add a tiny row group to the
    store, and the checkpoint at the end rewrites every row group near a tiny one: about a second per
    2 M lines. Held back, they are written in full row groups (the file's last one excepted).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, target: Store) -> None:
        self.con = con
        self.store = target
        self.rows = 0
        con.execute("CREATE OR REPLACE TEMP TABLE pending_requests AS "
                    f"SELECT {target.column_list} FROM {target.table} LIMIT 0")

    def add(self, rows: str) -> int:
        """Queue the request rows `rows` selects (the store's columns); the number of them."""
        n = int(self.con.execute(f"SELECT count(*) FROM ({rows})").fetchone()[0])
        if self.rows + n < ROW_GROUP_ROWS:
            self.con.execute(f"INSERT INTO pending_requests {rows}")
            self.rows += n
        elif n:
            self._write(f"SELECT * FROM pending_requests UNION ALL {rows}")
        return n

    def finish(self) -> None:
        """Write what is still held (the end of a file) and drop the table."""
        if self.rows:
            self._write("SELECT * FROM pending_requests")
        self.con.execute("DROP TABLE IF EXISTS pending_requests")

    def _write(self, rows: str) -> None:
        self.con.execute(f"INSERT INTO {self.store.table} SELECT * FROM ({rows}) {IN_LINE_ORDER}")
        self.con.execute("DELETE FROM pending_requests")
        self.rows = 0


def _reject_all(con: duckdb.DuckDBPyConnection, reason: str) -> int:
    """Every line of the chunk into `rejects` with `reason`, unparsed (a piece of a line cut by lost content)."""
    return int(con.execute(f"INSERT INTO rejects SELECT {FROM_KEYS}, byte_offset, ?, text, bad_utf8 "
                           f"FROM {CHUNK_VIEW}", [reason]).fetchone()[0])


def _first_row(con: duckdb.DuckDBPyConnection, sql: str) -> tuple | None:
    return con.execute(sql).fetchone()


def _address_map(con: duckdb.DuckDBPyConnection, clients: str) -> int:
    """`clientaddr.address_map` of the client values `clients` (SQL over the chunk) lists."""
    raw = con.execute(f"SELECT DISTINCT raw FROM ({clients}) WHERE {NEEDS_NORMALISING.format(a='raw')}").fetchall()
    return address_map(con, [r[0] for r in raw])


def _left_over(con: duckdb.DuckDBPyConnection, table: str, piece: Piece) -> np.ndarray:
    """The piece's line keys that have no request row (yet) in `table`."""
    lo, hi = int(piece.keys[0]), int(piece.keys[-1])
    first, last = lo >> KEY_BITS, hi >> KEY_BITS
    if first == last:
        where, params = f"evidence_id = {first} AND line_no BETWEEN {lo & LINE_MASK} AND {hi & LINE_MASK}", {}
    else:  # a batch of small files: every row of its files
        where, params = _of_ids(np.unique(piece.keys >> KEY_BITS).tolist())
    done = con.execute(f"SELECT (evidence_id::BIGINT << {KEY_BITS}) | line_no AS k FROM {table} "
                       f"WHERE {where}", params).fetchnumpy()["k"]
    done = np.asarray(done, dtype=np.int64)
    at = np.searchsorted(piece.keys, done)
    hit = at < len(piece.keys)
    hit[hit] = piece.keys[at[hit]] == done[hit]
    left = np.ones(len(piece.keys), dtype=bool)
    left[at[hit]] = False
    return piece.keys[left]


def _of_ids(ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """SQL (and its parameters) choosing the rows of these evidence ids (ascending): a range, and where a batch's
    ids are not consecutive (its files lie among others in the input) only theirs within it."""
    where = f"evidence_id BETWEEN {int(ids[0])} AND {int(ids[-1])}"
    if ids[-1] - ids[0] + 1 == len(ids):
        return where, {}
    return f"{where} AND evidence_id IN (SELECT unnest($ids::BIGINT[]))", {"ids": [int(i) for i in ids]}


LEFT_SCHEMA = pa.schema([("line_no", pa.int64())])


def _lines_not_requests(con: duckdb.DuckDBPyConnection, table: str, piece: Piece, n_req: int,
                        src: str, left: ChunkView) -> str | None:
    """`src` restricted to the piece's lines the fast path did not take into `table` (None: it took them all).

    Their keys reach SQL as data (the table `exposure_left`), not as a list of literals: planning a query
    with thousands of literals costs more than the parse of those lines."""
    n = len(piece.keys)
    if n_req == n:
        return None
    if n_req == 0:
        return src
    left.show(pa.table([int64s(_left_over(con, table, piece))], schema=LEFT_SCHEMA))
    return f"(SELECT * FROM {src} WHERE line_no IN (SELECT line_no FROM {LEFT_VIEW}))"


class _FullParse:
    """The full parse of the lines no cheap path took: into the temporary table `staged` (each row with its
    own file and line again), client addresses resolved there, its requests copied into the case (those with
    a value the format's store has no column for into requests_all), its rejected and skipped lines recorded
    with their reasons."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: IngestOptions,
                 state: dict[str, Any], target: Store) -> None:
        self.con, self.fmt, self.options, self.state, self.target = con, fmt, options, state, target
        self.pending = _PendingRequests(con, target)

    def run(self, lines: str) -> None:
        """Parse `lines` (line_no keys, byte_offset, text, bad_utf8; SQL over `exposure_chunk` or a table)."""
        con, target = self.con, self.target
        parsed = normalise_sql(self.fmt, self.fmt.raw_sql(lines, self.state), 0, self.options.log_tz)
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {from_keys(parsed)}")
        resolve_clients(con, "staged", self.options.client_ip_from, self.options.trusted_proxies)
        self.pending.add(f"SELECT {target.column_list} FROM staged WHERE verdict = 'request' AND {target.fits_sql()}")
        store.insert_misfits(con, "SELECT * FROM staged WHERE verdict = 'request'", target)
        con.execute("INSERT INTO rejects SELECT evidence_id, line_no, byte_offset, reason, line_text, bad_utf8 "
                    f"FROM staged WHERE verdict = 'rejected' {IN_LINE_ORDER}")
        con.execute("INSERT INTO skipped SELECT evidence_id, line_no, reason, bad_utf8 FROM staged "
                    f"WHERE verdict = 'skipped' {IN_LINE_ORDER}")
        self.fmt.chunk_done(con, self.state)

    def finish(self) -> None:
        self.pending.finish()


# A piece of fewer lines (one small file on its own) skips the cheap path: the full parse, whose cost is its
# planning more than its lines, runs for any line the cheap path leaves, so a piece with one odd line paid both
FAST_MIN_LINES = 64
HELD_MAX = 100_000  # lines the cheap path left, held for one full parse (formats without per-chunk state)


def _new_state(options: IngestOptions) -> dict[str, Any]:
    return {"log_tz": options.log_tz, "client_ip_from": options.client_ip_from}


def _cheap_path(con: duckdb.DuckDBPyConnection, fmt: LogFormat, state: dict[str, Any], piece: Piece,
                left: ChunkView, use_fast: bool) -> tuple[int, str | None, bool]:
    """The piece's requests the format's cheap path proves, written into the case; the number of them, SQL
    over the piece's other lines (None: none left) and whether to try the cheap path on the next piece."""
    src = SOURCE
    if not use_fast or len(piece.keys) < FAST_MIN_LINES:
        return 0, src, use_fast
    # The lines the cheap path proves to be requests go straight into the case, client addresses
    # normalised on the way through a join (rows are written once: updating them costs more than
    # the parse). A row with a value the store has no column for is left to the full parse.
    plan = fmt.fast_plan_sql(src)
    state["fast_plan"] = _first_row(con, plan) if plan else None
    mapped = _address_map(con, fmt.fast_clients_sql(src, state))
    fast = from_keys(fmt.fast_requests_sql(src, 0, state, "addr_map" if mapped else None))
    # chunk_extras covers every optional column the cheap path can fill from the chunk's fields; the
    # rows are checked for the others any line may fill (above the parse: `fence` keeps the test from
    # being pushed into it, which would compute the fields twice)
    into = store.ensure(con, Store(fmt.chunk_extras(state)))
    guard = into.fits_sql(only=store.ANY_FORMAT)
    n_req = _insert(con, into.table, f"SELECT {into.column_list} FROM (SELECT *, random() AS fence "
                    f"FROM ({fast})) WHERE CASE WHEN fence >= 0 THEN {guard} END")
    use_fast = n_req * 2 >= len(piece.keys)  # a file it mostly misses (vhost_combined): stop trying
    return n_req, _lines_not_requests(con, into.table, piece, n_req, src, left), use_fast


def _parse(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: IngestOptions, state: dict[str, Any],
           pieces: Iterator[Piece], on_piece: Callable[[Piece], None] | None = None) -> None:
    """Parse pieces of lines (of one file, or of many small files of one format) into the case: every line
    a request, a rejected or a skipped line of its own file."""
    use_fast = fmt.fast_requests_sql(SOURCE, 0, state) is not None
    target = store.ensure(con, Store(fmt.store_extras))
    full = _FullParse(con, fmt, options, state, target)
    # The few lines the cheap path leaves are held and parsed together (planning the full parse costs more
    # than parsing a few hundred lines), unless the format carries state from chunk to chunk (W3C #Fields).
    held = 0
    hold = not fmt.carries_state
    if hold:
        con.execute("CREATE OR REPLACE TEMP TABLE held_lines (line_no BIGINT, byte_offset BIGINT, text VARCHAR, "
                    "bad_utf8 BOOLEAN)")
    # what base.SOURCE reads: one view per parse whose table is swapped, never registered per chunk (chunkview)
    chunk = ChunkView(con, CHUNK_VIEW, PIECE_SCHEMA)
    left = ChunkView(con, LEFT_VIEW, LEFT_SCHEMA)
    try:
        for piece in pieces:
            chunk.show(piece.table)
            if piece.forced is not None:
                _reject_all(con, piece.forced)
            else:
                n_req, rest, use_fast = _cheap_path(con, fmt, state, piece, left, use_fast)
                if rest is not None and hold and n_req:
                    held += _insert(con, "held_lines", f"SELECT line_no, byte_offset, text, bad_utf8 FROM {rest}")
                    if held >= HELD_MAX:
                        full.run("(SELECT * FROM held_lines)")
                        con.execute("DELETE FROM held_lines")
                        held = 0
                elif rest is not None:
                    full.run(f"(SELECT line_no, byte_offset, text, bad_utf8 FROM {rest})")
                if on_piece:
                    on_piece(piece)
            chunk.show(None)  # released once parsed, not held while the next piece is awaited
            left.show(None)
            del piece
    except BaseException:
        # inside an aborted transaction dropping a view fails and would replace the error that stopped the
        # parse: only the tables are let go here; the rollback drops the views made in the transaction
        chunk.release()
        left.release()
        raise
    chunk.close()
    left.close()
    if held:
        full.run("(SELECT * FROM held_lines)")
    full.finish()
    for table in ("staged", "addr_map", "held_lines"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _load(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, fmt: LogFormat, options: IngestOptions,
          progress: ProgressCallback | None = None, redo: tuple[list[int], str | None] = ([], None),
          held: HeldIds | None = None) -> FileOutcome:
    """Parse and register one file (in the caller's transaction); `redo` the never-sealed rows `_forget` removed
    for it and the hash they were for."""
    evid = _next_evidence_id(con, redo[0], held)
    stats = ReadStats()
    state = _new_state(options)

    def shown(piece: Piece) -> None:
        if progress:
            progress(ev.path, piece.last_line, len(piece.keys), piece.last_offset)

    pieces = read_ahead(linekeys.pieces(evid, ev_mod.read_lines(ev, stats)), size=lambda piece: piece.nbytes)
    try:
        _parse(con, fmt, options, state, pieces, shown)
    finally:
        pieces.close()  # whatever ended the parse, the reader stops now (not when the traceback is freed)
    if stats.suspicious:
        raise _NotParsed()
    if _already_registered(con, ev, stats.sha256, options) or (redo[0] and stats.sha256 != redo[1]):
        raise _AlreadyThere()  # (read again: the content changed since it was hashed, the old rows are kept)
    rows, outcomes = _parsed_rows(con, fmt, options, state, [(ev, evid, stats)])
    _insert_evidence(con, rows[0])
    _repoint(con, redo[0], evid)
    outcomes[0].reread = redo[0]
    return _settled(con, fmt, [(ev, evid, stats)], outcomes)[0]


def _settled(con: duckdb.DuckDBPyConnection, fmt: LogFormat, files: Sequence[tuple[EvidenceFile, int, ReadStats]],
             outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """Files just registered as ingested (in input order) whose content the case holds more than once: the
    citation rule picks the original (`_settle_copies`), the others become its duplicates. The outcomes are
    those of reading the files one by one: each file against the original of the files before it."""
    shas = sorted({stats.content_sha256 for _, _, stats in files})
    keys: dict[str, list[tuple[Any, int]]] = {}
    for sha, evid, key in _identical(con, shas):
        keys.setdefault(sha, []).append((key, evid))
    shared = {sha for sha, found in keys.items() if len(found) > 1}
    if not shared:
        return outcomes
    mine = {evid for _, evid, _ in files}
    key_of = {evid: key for found in keys.values() for key, evid in found}
    kept = {sha: min(((k, e) for k, e in keys[sha] if e not in mine), default=None) for sha in shared}
    out = list(outcomes)
    for i, (ev, evid, stats) in enumerate(files):
        sha = stats.content_sha256
        if sha not in shared:
            continue
        before = kept[sha]
        kept[sha] = now = min(x for x in (before, (key_of[evid], evid)) if x is not None)
        if now[1] != evid:
            out[i] = _outcome(ev, "duplicate", evid, stats, format=fmt.name, lines=stats.lines, duplicate_of=now[1],
                              reread=out[i].reread)
        elif before is not None:
            out[i].replaces = [before[1]]
    for sha in sorted(shared):
        _settle_copies(con, sha)
    return out


# --client-ip-from xff: the requests whose client is still the connecting address, per file (evidence.xff_absent,
# xff_untrusted): no X-Forwarded-For address on the line, or one that came from an address no --trusted-proxy holds
# (formats/clientaddr.py keeps it in `peer` and the client stays the connecting address)
XFF_COUNTS = ("count(*) FILTER (WHERE xff IS NULL), "
              "count(*) FILTER (WHERE xff IS NOT NULL AND client IS NOT DISTINCT FROM peer)")


def _parsed_rows(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: IngestOptions, state: dict[str, Any],
                 files: Sequence[tuple[EvidenceFile, int, ReadStats]]) -> tuple[list[dict[str, Any]], list[FileOutcome]]:
    """The registry rows and outcomes of parsed files (ascending evidence ids), their lines counted from
    what the case now holds: lines = requests + rejected + skipped is checked here for each."""
    where, params = _of_ids([evid for _, evid, _ in files])
    for _, evid, stats in files:
        _first_piece(con, evid, stats)
    # a cut last line first: read again where a completion makes it a request (lastline._repair), it is a line
    # around a line midcut judges
    cut = {evid: lastline.settle(con, fmt, options, state, evid, stats) for _, evid, stats in files}
    cut_lines = midcut.settle(con, where, params) if fmt.options.get("cut_common") else {}
    # the requests whose time was read in --log-tz (their row's flag, formats/base.py ZONE_READ_FLAG): counted only
    # where a zone was given
    zoned = (f"count(*) FILTER (WHERE contains(ts_flag, {sql_literal(ZONE_READ_FLAG)}))" if options.log_tz
             else "0")
    req = {r[0]: r[1:] for r in con.execute(
        "SELECT evidence_id, count(*), min(ts_utc), max(ts_utc), count(object_size), "
        f"count(*) FILTER (WHERE extra['{BYTES_FIELD}'] IS NOT NULL), count(bytes), {XFF_COUNTS}, {zoned} "
        f"FROM requests WHERE {where} GROUP BY 1", params).fetchall()}
    other = {(r[0], r[1]): r[2] for r in con.execute(
        f"SELECT evidence_id, 'rejected', count(*) FROM rejects WHERE {where} GROUP BY 1 "
        f"UNION ALL SELECT evidence_id, 'skipped', count(*) FROM skipped WHERE {where} GROUP BY 1", params).fetchall()}
    rows, outcomes = [], []
    mostly = _mostly_rejected(con, fmt.name, [(evid, other.get((evid, "rejected"), 0), stats.lines)
                                             for _, evid, stats in files])
    for ev, evid, stats in files:
        n_req, first, last, n_exact, n_unsaid, n_bytes, n_absent, n_untrusted, n_zoned = req.get(
            evid, (0, None, None, 0, 0, 0, 0, 0, 0))
        unsized = 0 if fmt.bytes_dash_zero else n_req - n_bytes  # requests whose delivered bytes are unknown
        n_rej, n_skip = other.get((evid, "rejected"), 0), other.get((evid, "skipped"), 0)
        check_accounting(ev.path, stats.lines, n_req, n_rej, n_skip)
        last_line = cut[evid]
        rows.append({
            **_base_row(evid, ev, options), **stats.registry(),
            "format": fmt.name,
            "verdict": "ingested", "lines": stats.lines, "requests": n_req,
            "rejected": n_rej, "skipped": n_skip, "first_time": first, "last_time": last,
            # unknown (NULL) where the content ends early (truncated): its last line's end is lost with the rest
            "final_newline": None if stats.decode.ended_early else stats.final_newline,
            **declared_facts(fmt, bool(fmt.exact_length_field) and n_exact > 0, n_unsaid > 0,
                             not n_req or unsized < n_req),
            "unsized_requests": unsized,
            # the zone given: whether it was applied is its rows' flag (ZONE_READ_FLAG; findings.sql zone not applied)
            "format_lacks": "; ".join(fmt.lacks), "log_tz": options.log_tz,
            "format_definition": fmt.definition(state),
            **({"xff_absent": n_absent, "xff_untrusted": n_untrusted} if options.client_ip_from == "xff" else {}),
        })
        outcome = _outcome(ev, "ingested", evid, stats, format=fmt.name, lines=stats.lines,
                           requests=n_req, rejected=n_rej, skipped=n_skip,
                           zone_read=n_zoned if options.log_tz else None)
        if last_line:
            outcome.warn("cut off", last_line)
        if evid in cut_lines:
            outcome.warn("cut lines", cut_lines[evid])
        if options.log_tz and n_req and not n_zoned:
            outcome.warn("zone not applied", zone_not_applied(options.log_tz, fmt.name))
        if evid in mostly:
            outcome.warn("rejected lines", f"{n_rej} of {stats.lines} lines rejected: {mostly[evid]} (see rejects)")
        outcomes.append(outcome)
    return rows, outcomes


def zone_not_applied(zone: str, fmt: str) -> str:
    """A file read with --log-tz none of whose requests had its time read in the zone: the warning, in the words
    of its finding (queries/findings.sql, `zone not applied`)."""
    return (f"--log-tz {zone} was given but applied to no line: every time in it carries its own UTC offset or is "
            f"UTC by its format ({fmt}), so the option changed nothing")


def _mostly_rejected(con: duckdb.DuckDBPyConnection, fmt: str, counts: list[tuple[int, int, int]]) -> dict[int, str]:
    """The evidence ids of (id, rejected, lines) read as `fmt` most of whose lines were rejected, each with what
    it is said to be: the rule and the words the findings and the answer read (queries/evidence_rules.sql,
    mostly_rejected, rejected_said), one query for the batch."""
    queries.run(con, queries.get("evidence_rules"))
    ids, rejected, lines = (list(c) for c in zip(*counts, strict=True)) if counts else ([], [], [])
    return {int(r[0]): r[1] for r in con.execute(
        "SELECT id, rejected_said(id, ?) FROM (SELECT unnest(?::BIGINT[]) AS id, unnest(?::BIGINT[]) AS rejected, "
        "unnest(?::BIGINT[]) AS lines) WHERE mostly_rejected(rejected, lines)", [fmt, ids, rejected, lines]).fetchall()}


_WHOLE_REJECTS = (*lastline.OTHER_CUTS, *VALUE_REJECTS)  # line 1's own reason says what it is (_first_piece)
_NOT_A_PIECE = lastline.unlike(_WHOLE_REJECTS)


def _first_piece(con: duckdb.DuckDBPyConnection, evid: int, stats: ReadStats) -> None:
    """Line 1 after a NUL run at the start (copytruncate's, as read) that the format rejected: no whole line
    follows the run, so its start may be lost with it (ReadStats.first_piece_cut): said in its reason and as damage."""
    if not stats.copytruncate_start:
        return
    # only a piece that could be a line cut at its start: not one rejected as cut or too long already
    # (lastline.OTHER_CUTS: its reason says so), nor a line of the format's shape with a field's value wrong
    # (formats.base.VALUE_REJECTS: `[32/Jun/2020...]` is a whole line, its start there)
    if not con.execute(f"SELECT count(*) FROM rejects WHERE evidence_id = ? AND line_no = 1 AND {_NOT_A_PIECE}",
                       [evid, *_WHOLE_REJECTS]).fetchone()[0]:
        return
    reason = stats.first_piece_cut()
    con.execute("UPDATE rejects SET reason = ? || ': ' || reason WHERE evidence_id = ? AND line_no = 1",
                [reason, evid])


SMALL_FILE = 1 << 20  # bytes on disk: a file up to this size is parsed together with the others of its format
BATCH_CONTENT = 48 << 20  # content bytes parsed in one pass of small files (10,000 S3 files: 16 MB 6.8 s, 48 MB 5.5 s,
# the same peak RSS: each pass has a fixed cost of planning, queries over the case and a commit)


@dataclass
class _Read:
    """A small file read whole, held for the parse of its batch: its place in the input and the evidence id it
    takes there (HeldIds)."""

    ev: EvidenceFile
    stats: ReadStats
    chunks: list[LineChunk] | bytes  # its chunks, or its whole content (evidence.read_whole)
    place: int
    evid: int
    redo: list[int] = field(default_factory=list)  # its never-sealed rows, replaced by this read (`_forget`)


def _batchable(item: EvidenceFile | Unreadable, plan: _Plan) -> bool:
    """A small file of a format read the same way for every file."""
    return (isinstance(item, EvidenceFile) and plan.fmt is not None and plan.refusal is None
            and plan.unreadable is None and item.size_bytes <= SMALL_FILE and plan.fmt.batchable)


def _same_format(a: LogFormat, b: LogFormat) -> bool:
    """Files of these formats are parsed in one pass: the same format, with the same options."""
    return a.name == b.name and a.options == b.options


def _held_files(items: Sequence[tuple[EvidenceFile | Unreadable, bool]], plans: dict[str, _Plan]) -> set[str]:
    """The small files (abs_path) held and parsed with the others of their format wherever they lie in the input:
    every small file of a format read the same way for every file, but one that is the only small file of its
    format in the input (read alone in its place, as a batch of one would be)."""
    formats: list[tuple[LogFormat, list[str]]] = []
    for item, _ in items:
        plan = plans[item.abs_path]
        if not _batchable(item, plan):
            continue
        assert plan.fmt is not None
        group = next((paths for fmt, paths in formats if _same_format(fmt, plan.fmt)), None)
        if group is None:
            formats.append((plan.fmt, group := []))
        group.append(item.abs_path)
    return {path for _, paths in formats if len(paths) > 1 for path in paths}


@dataclass(eq=False)
class _Batch:
    """The held small files of one format, in input order (their ids ascending)."""

    fmt: LogFormat
    reads: list[_Read] = field(default_factory=list)
    size: int = 0  # content bytes held


class _Held:
    """Small files of one format read in their place and parsed together wherever they lie in the input (issue 19:
    `access.log`, `error.log`, `vhosts.log` of each day): one pass per format per BATCH_CONTENT held (across every
    format: what is held in memory stays one batch's), each file with the evidence id it takes in its place
    (HeldIds), its registry row, rows, verdict and counts those of reading the files one by one, and what is said
    of it said in its place (InputOrder). Files of the same content are stored in input order (the citation rule
    between identical copies, `_settled`, reads each against the files before it): a file whose content is held
    in another format's batch has that batch written first, and a file parsed alone has every held batch written
    before it (`write_all`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, options: IngestOptions, ids: HeldIds, order: InputOrder,
                 said: Callable[[FileOutcome], None], progress: ProgressCallback | None,
                 registered: Registered, stored: Callable[[FileOutcome], None] | None = None) -> None:
        self.con, self.options, self.ids, self.order = con, options, ids, order
        self.said, self.progress, self.registered, self.stored = said, progress, registered, stored
        self.batches: list[_Batch] = []
        self.contents: dict[str, _Batch] = {}  # content held -> its batch
        self.size = 0

    def add(self, place: int, ev: EvidenceFile, fmt: LogFormat) -> bool:
        """Read the small file at `place` and hold it (or say it is already in the case); False where it must be
        read alone, in its place (not readable now, past the size rule, lines ending in "\\r")."""
        try:
            chunks, stats = _read_small(ev)
        except OSError:
            return False
        if stats.suspicious or (isinstance(chunks, list) and any(c.newline != 10 for c in chunks)):
            return False
        kept, redo = self.registered.get((ev.abs_path, stats.sha256), ([], []))
        if kept:
            self._say(place, ev, stats, FileOutcome(ev.path, "already in case", None))
            return True
        batch = next((b for b in self.batches if _same_format(b.fmt, fmt)), None)
        if batch is None:
            self.batches.append(batch := _Batch(fmt))
        other = self.contents.get(stats.content_sha256)
        if other is not None and other is not batch:
            self.write(other)  # the same content under another format's reading: stored before this one
        if batch.reads and self.ids.next_id(self.con, redo) <= batch.reads[-1].evid:
            self.write(batch)  # a file read again keeps its old id: a batch's ids ascend
            self.batches.append(batch := _Batch(fmt))
        batch.reads.append(_Read(ev, stats, chunks, place, self.ids.hold(self.con, redo), redo))
        batch.size += stats.content_bytes
        self.size += stats.content_bytes
        self.contents[stats.content_sha256] = batch
        if batch.size >= BATCH_CONTENT:
            self.write(batch)
        elif self.size >= BATCH_CONTENT:
            self.write(max(self.batches, key=lambda b: b.size))
        return True

    def write(self, batch: _Batch) -> None:
        """Store a held batch in one transaction and say each of its files in its place."""
        self.batches.remove(batch)
        self.size -= batch.size
        for sha in [sha for sha, b in self.contents.items() if b is batch]:
            del self.contents[sha]
        reads = {r.evid: r for r in batch.reads}

        def stored(outcome: FileOutcome) -> None:  # sealed with the batch's commit, said in its place after it
            if self.stored is not None:
                self.stored(outcome)
            r = reads[outcome.evidence_id]
            self._say(r.place, r.ev, r.stats, outcome, later=True)

        _ingest_batch(self.con, batch.fmt, self.options, batch.reads, stored)
        self.ids.written([r.evid for r in batch.reads], [e for r in batch.reads for e in r.redo])
        self.order.say()

    def write_all(self) -> None:
        """Store every held batch (the earliest held first)."""
        for batch in sorted(self.batches, key=lambda b: b.reads[0].place):
            self.write(batch)

    def _say(self, place: int, ev: EvidenceFile, stats: ReadStats, outcome: FileOutcome, later: bool = False
             ) -> None:
        """What is said of the file at `place` (its progress, its outcome), said in its place; `later`: at the
        next `order.say()` (it was stored in a commit: said after it, InputOrder.kept)."""
        progress, said = self.progress, self.said
        says: list[Callable[[], None]] = [lambda: said(outcome)]
        if progress is not None:
            says.insert(0, lambda: progress(ev.path, stats.lines, stats.lines, stats.content_bytes))
        if later:
            self.order.kept(place, says)
        else:
            self.order.done(place, says)


def _read_small(ev: EvidenceFile) -> tuple[list[LineChunk] | bytes, ReadStats]:
    """A small file read and hashed: its whole content where it needs no Splitter (uncompressed, no BOM, no
    lone "\\r": cut with the batch's other files), else its chunks."""
    if ev.compression == "none" and (whole := ev_mod.read_whole(ev, SMALL_FILE)) is not None:
        return whole[1], whole[0]
    stats = ReadStats()
    return list(ev_mod.read_lines(ev, stats)), stats


def _ingest_batch(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: IngestOptions,
                  ready: list[_Read], on_stored: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    """Read small files into the case in one transaction, each under the id it took in its place (ascending):
    parsed in one pass, registered in one statement, and content the case then holds twice settled by the
    citation rule, as one by one. `on_stored` is told of each with the commit."""
    stored: list[FileOutcome] = []
    with transaction(con, _telling(on_stored, stored)):
        lost = _forget(con, [e for r in ready for e in r.redo], options)  # files read again keep their ids
        files: list[tuple[EvidenceFile, int, ReadStats]] = []
        lines: list[tuple[int, list[LineChunk] | bytes]] = []
        forced: list[Piece] = []
        for r in ready:
            files.append((r.ev, r.evid, r.stats))
            if isinstance(r.chunks, bytes):
                lines.append((r.evid, r.chunks))
            else:
                lines.append((r.evid, [c for c in r.chunks if c.forced is None]))
                forced += linekeys.pieces(r.evid, iter([c for c in r.chunks if c.forced is not None]))
        state = _new_state(options)
        _parse(con, fmt, options, state, iter([linekeys.joined(lines), *forced]))
        rows, done = _parsed_rows(con, fmt, options, state, files)
        queries.insert_rows(con, "evidence", rows)
        for r, outcome in zip(ready, done, strict=True):
            _repoint(con, r.redo, outcome.evidence_id)
            outcome.reread = r.redo
            _said_custody(outcome, lost)
        stored.extend(_settled(con, fmt, files, done))
    return stored


def check_accounting(path: str, lines: int, requests: int, rejected: int, skipped: int) -> None:
    """The invariant `lines = requests + rejected + skipped`. A failure is a bug, never a reason to lose lines:
    AccountingError is not an ExposureError, so nothing that handles a user's error can pass over it."""
    total = requests + rejected + skipped
    if total != lines:
        raise AccountingError(f"{path}: {lines} lines read but {total} accounted for "
                              f"({requests} requests, {rejected} rejected, {skipped} skipped)")


class _AlreadyThere(Exception):
    """The same file (path and hash) is already in the case: nothing to change."""


def ingest_paths(con: duckdb.DuckDBPyConnection, inputs: list[str], options: IngestOptions,
                 on_file: Callable[[FileOutcome], None] | None = None,
                 on_progress: ProgressCallback | None = None,
                 on_stored: Callable[[FileOutcome], None] | None = None) -> IngestResult:
    """Ingest files and folders. Raises InputError/NotALogError before anything is written when an input is
    missing, a named file is not a log, or a folder holds no log (and nothing unreadable). Everything else,
    unreadable or damaged input included, is recorded and the rest ingested. `on_file` is told of each input in
    input order; `on_stored` as soon as its registry row is committed (the seal: a small file held for its
    format's batch may be stored before the inputs ahead of it are said)."""
    found = discover(inputs, own=_own_files(con))
    if not found.items:
        raise InputError("no files found in " + ", ".join(map(str, inputs)))
    if options.format:
        get_format(options.format, options.format_settings)  # validate before any write
    result = IngestResult(notes=list(found.notes), log_tz=options.log_tz)
    with callbacks.raised(), memory_limit(con):  # a callback's error is the caller's, never a file's
        return _ingest_found(con, found, inputs, options, result, callbacks.theirs(on_file),
                             callbacks.theirs(on_progress), on_stored)


def _own_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The open case's files (database, WAL, DuckDB's temporary folder): never evidence."""
    out = []
    for (path,) in con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL"
                               ).fetchall():
        out += [path, f"{path}.wal", f"{path}.tmp"]
    temp = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    return out + ([temp] if temp else [])


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str = INGEST_MEMORY_LIMIT) -> Iterator[None]:
    """DuckDB's memory limit for ingesting, restored after. Flat memory whatever the input size: DuckDB
    spills (to the case's .tmp folder) rather than grow past it; the Python side holds the chunk parsed,
    the one being read and readahead.READ_AHEAD_BYTES of chunks waiting (chunkview: none held until the
    file's commit). The checkpoint after an ingest belongs under it too: left to
    closing time, merging the row groups of a 20 M-line file took 2.3 GB."""
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        yield  # ad-hoc SQL ran on this case first and locked its settings (exposure/sandbox.py)
        return
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{before}'")


@dataclass(frozen=True)
class _Plan:
    fmt: LogFormat | None = None
    refusal: str | None = None  # cannot be read as text (UTF-16 ...): hashed, not parsed
    unreadable: Unreadable | None = None  # could not be read at all
    cut: str | None = None  # damaged, no format: its content ends before one line (a gzip cut in its first bytes),
    # or was damaged where it was sampled and the sample shows no format (a gzip member cut and run into the next)

    @property
    def no_log(self) -> bool:
        """Read, and no access log: a folder of nothing else is refused, and such a file named alone."""
        return self.fmt is None and self.refusal is None and self.unreadable is None and self.cut is None


def _plans(con: duckdb.DuckDBPyConnection, items: Sequence[EvidenceFile | Unreadable], options: IngestOptions
           ) -> dict[str, _Plan]:
    files = [item for item in items if isinstance(item, EvidenceFile)]
    chosen = dict(zip((f.abs_path for f in files), _choose_formats(con, files, options), strict=True))
    out = {}
    for item in items:
        got = chosen.get(item.abs_path)
        if isinstance(item, Unreadable):
            out[item.abs_path] = _Plan(unreadable=item)
        elif isinstance(got, OSError):
            out[item.abs_path] = _Plan(unreadable=_unreadable(item, got))
        else:
            out[item.abs_path] = got
    return out


def _unreadable(ev: EvidenceFile, exc: OSError) -> Unreadable:
    return Unreadable(ev.path, ev.abs_path, "file", os_reason(exc), ev.server, ev.size_bytes,
                      ev.mtime)


def _held(files: list[Any], inside: str) -> str:
    """What a folder with no access log held, for its refusal: how many files, the first 3 by name (relative to
    the folder; the terminal escapes them), and where to look next."""
    names = sorted(e.abs_path[len(inside):] for e in files)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (f"{plural(len(names), '# file', '# files')}, none in a known format ({shown}; `exposure formats` lists "
            "the formats read, --format forces one)")


def _ingest_found(con: duckdb.DuckDBPyConnection, found: Discovery, inputs: list[str], options: IngestOptions,
                  result: IngestResult, on_file: Callable[[FileOutcome], None] | None,
                  on_progress: ProgressCallback | None,
                  on_stored: Callable[[FileOutcome], None] | None = None) -> IngestResult:
    # Refuse a folder with no log at all before writing anything: detect every file first (cheap).
    plans = _plans(con, [item for item, _ in found.items], options)
    for item in inputs:
        root = Path(item).resolve()
        inside = str(root).rstrip("/") + "/"  # strings, not a Path per file (ten thousand files)
        held = [e for e, explicit in found.items
                if not explicit and e.abs_path.startswith(inside)] if root.is_dir() else []
        if held and all(plans[e.abs_path].no_log for e in held):
            raise NotALogError(f"{item}: no access log found in this folder: {_held(held, inside)}")
    for e, explicit in found.items:
        plan = plans[e.abs_path]
        if explicit and plan.no_log:
            raise NotALogError(f"{e.path} is not an access log in any known format (use --format to force one)")

    if _may_add(con, [e for e, _ in found.items if isinstance(e, EvidenceFile) and plans[e.abs_path].fmt]):
        derived.prefetch()  # what settle will read, begun while the files are read

    def done(outcome: FileOutcome) -> None:
        if outcome.replaces:  # a file of this run the new one replaced as the original: now its copy
            for earlier in result.files:
                if earlier.evidence_id in outcome.replaces:
                    earlier.verdict, earlier.duplicate_of = "duplicate", outcome.evidence_id
        result.files.append(outcome)
        if on_file:
            on_file(outcome)

    _ingest_items(con, found.items, plans, options, done, on_progress, on_stored)
    changed = any(f.verdict != "already in case" for f in result.files)
    con.execute(queries.get("counts_before").sql)
    try:
        result.overlaps, result.byte_facts = settle(con, options, [e.abs_path for e, _ in found.items], changed)
        final_counts(con, result.files)
        result.recounted = recounted(con, result.files)
    finally:
        con.execute("DROP TABLE IF EXISTS counts_before")
    return result


def _ingest_items(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[EvidenceFile | Unreadable, bool]],
                  plans: dict[str, _Plan], options: IngestOptions, done: Callable[[FileOutcome], None],
                  on_progress: ProgressCallback | None,
                  on_stored: Callable[[FileOutcome], None] | None = None) -> None:
    """Every found item into the case, each with the evidence id, verdict and rows it gets stored in input order;
    the small files of one format parsed together wherever they lie (`_Held`), what is said of each (`done`, its
    progress) said in input order, `on_stored` told as each is committed (the seal: a command killed later keeps
    every file stored before it sealed, whatever its place). Stopped (Ctrl-C), what was stored is said before the
    stop goes on."""
    small = _held_files(items, plans)
    ids = HeldIds()
    order = InputOrder()
    held = _Held(con, options, ids, order, done, on_progress, _registered(con, sorted(small), options), on_stored)
    try:
        for place, (e, explicit) in enumerate(items):
            plan = plans[e.abs_path]
            if e.abs_path in small and plan.fmt is not None and held.add(place, e, plan.fmt):  # type: ignore[arg-type]
                continue
            if plan.fmt is not None:
                held.write_all()  # a file parsed alone is read against every file before it (its copies)
            told: list[FileOutcome] = []

            def stored(outcome: FileOutcome, place: int = place, told: list[FileOutcome] = told) -> None:
                # sealed with its commit and kept to be said: a stop that came during the commit is acted on
                # once the commit is done, and the file is said then (order.release) or right after (order.say),
                # never inside the commit (the caller's on_file may take its time, or fail: never a read's error)
                told.append(outcome)
                if on_stored is not None:
                    on_stored(outcome)
                order.kept(place, [lambda: done(outcome)])

            outcome = _ingest_one(con, e, plan, explicit, options, on_progress, ids, stored)
            ids.changed()
            if not told:  # nothing stored (already in the case)
                order.kept(place, [lambda outcome=outcome: done(outcome)])  # type: ignore[misc]
            order.say()
        held.write_all()
    except BaseException:
        order.release()
        raise


def final_counts(con: duckdb.DuckDBPyConnection, files: Sequence[FileOutcome]) -> None:
    """Each ingested file's counts as the registry holds them once settled: settle may change them (a damaged
    member proven a corrupted copy has its altered lines rejected, exposure/corruption.py), and what the
    terminal, the API's result and the case say are one set of numbers."""
    ids = [f.evidence_id for f in files if f.verdict == "ingested" and f.evidence_id is not None]
    if not ids:
        return
    held = {row[0]: row[1:] for row in con.execute(
        "SELECT evidence_id, lines, requests, rejected, skipped FROM evidence WHERE list_contains(?, evidence_id)",
        [ids]).fetchall()}
    for f in files:
        if f.verdict == "ingested" and f.evidence_id in held:
            f.lines, f.requests, f.rejected, f.skipped = held[f.evidence_id]


def recounted(con: duckdb.DuckDBPyConnection, files: Sequence[FileOutcome]) -> list[FileOutcome]:
    """The files this command did not ingest whose counts its steps over the case changed (queries/recounts.sql), each
    with the registry's counts now: a file given again (`already in case`: its outcome takes them too) or not
    given at all, whose damaged member the file this command brought proved a corrupted copy."""
    mine = {f.evidence_id for f in files if f.verdict == "ingested"}
    given = {f.path: f for f in files if f.verdict == "already in case"}
    out = []
    for evid, path, fmt, lines, requests, rejected, skipped, damage in con.execute(
            queries.get("counts_changed").sql).fetchall():
        if evid in mine:
            continue
        out.append(FileOutcome(path, "ingested", evid, fmt, lines, requests, rejected, skipped, damage=damage))
        if (kept := given.get(path)) is not None:
            kept.evidence_id, kept.format, kept.damage = evid, fmt, damage
            kept.lines, kept.requests, kept.rejected, kept.skipped = lines, requests, rejected, skipped
    return out


def _may_add(con: duckdb.DuckDBPyConnection, files: Sequence[EvidenceFile]) -> bool:
    """Whether a file to be parsed may hold requests the case does not have: one the registry does not hold at its
    path with its size. Only a guess (a file is known new or the same once hashed) that decides whether settle's
    classifiers and the GeoIP databases' hashes are begun in the background: a re-run over the same logs begins
    none of it (0.1 CPU-s), and one that adds requests does the same work either way. Begun after discovery,
    not before: a thread holding the GIL beside discovery's thousands of small reads slowed them."""
    if not files:
        return False
    return bool(con.execute(
        "SELECT count(*) FROM (SELECT unnest($path::VARCHAR[]) AS abs_path, unnest($size::BIGINT[]) AS size_bytes) f "
        "WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.abs_path = f.abs_path AND e.size_bytes = f.size_bytes)",
        {"path": [f.abs_path for f in files], "size": [f.size_bytes for f in files]}).fetchone()[0])


def settle(con: duckdb.DuckDBPyConnection, options: IngestOptions, abs_paths: Sequence[str],
           changed: bool = True) -> tuple[list[Overlap], list[tuple[str | None, str, str, str]]]:
    """The steps over the whole case once files are stored (each its own transaction): repeated lines found by
    content and counted once, the log streams assigned (copies join the streams of what they copy), --bytes
    recorded for the files named (new or already in the case), byte meanings inferred per stream. Overlaps and
    streams are recomputed only when the case's files (`changed`) or the stream rule changed: a re-run of the
    same inputs changes nothing, and costs nothing here. Also run for the files kept when an ingest is
    interrupted, and on the open after a killed one."""
    rule, rule_changed = stream_rule(con, options.stream_from)
    if changed or rule_changed:
        detect_overlaps(con, options.rows_changed)
        assign_streams(con, rule)
    derived.refresh(con, changed or rule_changed, options.edited)  # agents' classes, addresses' facts, streams' silences
    overlaps = list_overlaps(con)
    if options.bytes_meaning is not None:
        give_bytes_meaning(con, abs_paths, options.bytes_meaning)
    return overlaps, infer_facts(con)  # per stream: after the streams


def ingest_one(con: duckdb.DuckDBPyConnection, item: EvidenceFile | Unreadable, options: IngestOptions,
               explicit: bool = False) -> FileOutcome:
    """One file into the case as `ingest_paths` reads each: its format chosen (or refused), read, registered.
    What depends on every file together (overlaps, streams, inferred facts) is left to `settle`."""
    return _ingest_one(con, item, _plans(con, [item], options)[item.abs_path], explicit, options, None)


def _ingest_one(con: duckdb.DuckDBPyConnection, item: EvidenceFile | Unreadable, plan: _Plan, explicit: bool,
                options: IngestOptions, on_progress: ProgressCallback | None, held: HeldIds | None = None,
                on_stored: Callable[[FileOutcome], None] | None = None) -> FileOutcome:
    """One found item into the case; a file that cannot be read (now) is recorded unreadable, never fatal.
    `held`: the ids of small files held before it (written later), counted in its id; `on_stored` told of a
    file stored with its commit."""
    if plan.unreadable is not None:
        return _register_unreadable(con, plan.unreadable, options, held, on_stored)
    assert isinstance(item, EvidenceFile)
    try:
        if plan.refusal is not None:
            stats = ev_mod.hash_file(item)
            if _already_registered(con, item, stats.sha256, options):
                return FileOutcome(item.path, "already in case", None)
            return _register_unparsed(con, item, options, stats, "unreadable", reason=plan.refusal, held=held,
                                      on_stored=on_stored)
        return ingest_file(con, item, plan.fmt, options, explicit and plan.no_log, on_progress, held, on_stored)
    except _AlreadyThere:
        return FileOutcome(item.path, "already in case", None)
    except OSError as exc:
        return _register_unreadable(con, _unreadable(item, exc), options, held, on_stored)
