"""Evidence in: hash, detect, parse in DuckDB and account for every line, one transaction per file."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import duckdb
import numpy as np
import pyarrow as pa

from . import evidence as ev_mod
from . import queries, store
from .discovery import Discovery, Unreadable, discover
from .errors import AccountingError, InputError, NotALogError
from .evidence import EvidenceFile, LineChunk, ReadStats
from .facts import declared_facts, give_bytes_meaning, given_bytes_meaning, infer_facts
from .formats import LogFormat, detect_format, get_format
from .formats.base import SOURCE, normalise_sql
from .formats.clientaddr import NEEDS_NORMALISING, address_map, resolve_clients
from .overlap import Overlap, detect_overlaps, list_overlaps
from .store import Store
from .streams import assign_streams, check_stream_from, stream_rule, who_named

MOSTLY_REJECTED = 0.5
INGEST_MEMORY_LIMIT = "1GB"  # DuckDB's share while ingesting (docs/scale.md: peak RSS stays under 1.5 GB)
_T = TypeVar("_T")
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

    def validated(self) -> IngestOptions:
        """Check option values before anything is written (one clear error for a bad one)."""
        from .addresses import parse_cidrs
        from .formats.jsonl import parse_mapping

        check_stream_from(self.stream_from)
        if self.client_ip_from not in (None, "xff"):
            raise InputError(f"--client-ip-from must be 'xff', not {self.client_ip_from!r}")
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


INCOMPLETE_DAMAGE = ("damaged", "truncated", "changed during read")


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
    warnings: list[str] = field(default_factory=list)
    replaces: list[int] = field(default_factory=list)  # files it made its duplicates (the citation rule)
    kind: str = "file"  # file | folder (a folder is only ever `unreadable`)
    reason: str | None = None  # why it is unreadable (the registry's read_errors)
    damage: str | None = None  # damaged | truncated | changed during read (the registry's columns)
    damage_offset: int | None = None
    damage_detail: str | None = None
    suspicious: str | None = None
    bom: str | None = None
    line_endings: str | None = None

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

    @property
    def warnings(self) -> list[str]:
        return (self.notes + [f"{f.path}: {w}" for f in self.files for w in f.warnings]
                + [f"{o.path}: {o.describe()}" for o in self.overlaps]
                + [f"byte counts of server {stream or '(none)'}: {detail}; give --bytes body|headers to state it"
                   for stream, _meaning, basis, detail in self.byte_facts if basis == "assumed"])

    @property
    def incomplete(self) -> list[FileOutcome]:
        """The files and folders whose evidence is incomplete (FileOutcome.incomplete), in input order."""
        return [f for f in self.files if f.incomplete]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _next_evidence_id(con: duckdb.DuckDBPyConnection) -> int:
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
        **who_named(ev.path, ev.abs_path),
    }


def _outcome(ev: EvidenceFile, verdict: str, evid: int | None, stats: ReadStats, **more: Any) -> FileOutcome:
    """A FileOutcome with what reading found (damage, BOM, line endings) and every finding as a warning."""
    out = FileOutcome(ev.path, verdict, evid, damage=stats.damage, damage_offset=stats.damage_offset,
                      damage_detail=stats.damage_detail, suspicious=stats.suspicious, bom=stats.bom,
                      line_endings=stats.line_endings, **more)
    out.warnings.extend(stats.errors)
    if stats.suspicious:
        out.warnings.append(stats.suspicious)
    return out


def _already_registered(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, sha: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM evidence WHERE abs_path = ? AND sha256 = ?",
                            [ev.abs_path, sha]).fetchone()[0])


def _seen_before(con: duckdb.DuckDBPyConnection, ev: EvidenceFile) -> bool:
    """A file of this path and size is registered already (whether it is the same content, its hash says)."""
    return bool(con.execute("SELECT count(*) FROM evidence WHERE abs_path = ? AND size_bytes = ?",
                            [ev.abs_path, ev.size_bytes]).fetchone()[0])


def _settle_copies(con: duckdb.DuckDBPyConnection, content_sha: str) -> tuple[int, list[int]]:
    """Among the ingested files with this content, the original the citation rule (queries/citation.sql)
    picks keeps its request rows; every other one becomes its duplicate (rows, rejects and skipped lines
    removed: they are the original's, line for line). Returns (original, the files made duplicates now)."""
    ids = [r[0] for r in con.execute(
        "SELECT e.evidence_id FROM evidence e JOIN evidence_citation c USING (evidence_id) "
        "WHERE e.content_sha256 = ? AND e.verdict = 'ingested' ORDER BY c.cite_key", [content_sha]).fetchall()]
    original, copies = ids[0], ids[1:]
    for evid in copies:
        store.delete_evidence(con, evid)
        for table in ("rejects", "skipped"):
            con.execute(f"DELETE FROM {table} WHERE evidence_id = ?", [evid])
    if copies:
        con.execute("UPDATE evidence SET verdict = 'duplicate', duplicate_of = ? "
                    "WHERE list_contains(?, evidence_id) OR list_contains(?, duplicate_of)",
                    [original, copies, copies])
    return original, copies


def _choose_format(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, options: IngestOptions
                   ) -> tuple[LogFormat | None, str | None]:
    """The file's format (None: not a log), and why it cannot be read as text at all (UTF-16 ...) or None.
    Raises OSError when the file cannot be read."""
    sniffed = ev_mod.sniff(ev)
    if sniffed.refusal:
        return None, sniffed.refusal
    if options.format:
        return get_format(options.format, options.format_settings), None
    if options.log_format or options.nginx_log_format:  # the server's own directive applies to every file
        return get_format("custom", options.format_settings), None
    fmt = detect_format(con, sniffed.text).format
    if fmt is not None and fmt.family == "json" and options.json_fields:
        return get_format("json", options.format_settings), None
    return fmt, None


class _NotParsed(Exception):
    """Reading stopped before the end: the content passed the suspicious-size rule."""


def ingest_file(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, fmt: LogFormat | None, options: IngestOptions,
                explicit: bool = False, progress: ProgressCallback | None = None) -> FileOutcome:
    """Read one file into the case in a single transaction; the case is unchanged if anything fails.

    `fmt` None means the file is not a log: it is hashed and registered with that verdict. A file whose content
    passes the suspicious-size rule is hashed (in bounded memory) and registered unparsed, `unreadable`.
    """
    if fmt is None:
        stats = ev_mod.hash_file(ev)
        if _already_registered(con, ev, stats.sha256):
            return FileOutcome(ev.path, "already in case", None)
        if explicit:
            raise NotALogError(f"{ev.path} is not an access log in any known format (use --format to force one)")
        return _register_unparsed(con, ev, options, stats, "not a log")

    if _seen_before(con, ev) and _already_registered(con, ev, ev_mod.sha256_on_disk(ev.abs_path)):
        return FileOutcome(ev.path, "already in case", None)  # hashing costs a fraction of parsing again
    con.begin()
    try:
        outcome = _load(con, ev, fmt, options, progress)
    except _NotParsed:
        con.rollback()
        stats = ev_mod.hash_file(ev)
        if _already_registered(con, ev, stats.sha256):
            return FileOutcome(ev.path, "already in case", None)
        return _register_unparsed(con, ev, options, stats, "unreadable", fmt.name)
    except BaseException:
        con.rollback()
        queries.unregister(con, CHUNK_VIEW, LEFT_VIEW)  # the file's Arrow data is not kept past it
        raise
    con.commit()
    return outcome


def _register_unparsed(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, options: IngestOptions, stats: ReadStats,
                       verdict: str, fmt: str | None = None, reason: str | None = None) -> FileOutcome:
    """Register a file that is hashed but not parsed: not a log, refused (UTF-16 ...) or past the size rule."""
    con.begin()
    evid = _next_evidence_id(con)
    row = {**_base_row(evid, ev, options), **stats.registry(), "verdict": verdict, "format": fmt}
    if reason or stats.suspicious:
        row["read_errors"] = "; ".join(e for e in (reason, stats.suspicious and f"not parsed: {stats.suspicious}",
                                                    row["read_errors"]) if e)
    _insert_evidence(con, row)
    con.commit()
    out = _outcome(ev, verdict, evid, stats, format=fmt, reason=row["read_errors"] if verdict == "unreadable" else None)
    if reason:
        out.warnings.insert(0, reason)
    return out


def _register_unreadable(con: duckdb.DuckDBPyConnection, item: Unreadable, options: IngestOptions) -> FileOutcome:
    """A file or folder that could not be opened, listed or read: a row with its reason and no hashes."""
    if con.execute("SELECT count(*) FROM evidence WHERE abs_path = ? AND verdict = 'unreadable' "
                   "AND read_errors = ? AND sha256 IS NULL", [item.abs_path, item.reason]).fetchone()[0]:
        return FileOutcome(item.path, "already in case", None, kind=item.kind)
    con.begin()
    evid = _next_evidence_id(con)
    _insert_evidence(con, {**_base_row(evid, item, options), "verdict": "unreadable", "read_errors": item.reason})
    con.commit()
    return FileOutcome(item.path, "unreadable", evid, kind=item.kind, reason=item.reason, warnings=[item.reason])


PREFETCH_DEPTH = 1  # chunks read ahead: one is enough to keep both cores busy, more only costs memory


ARROW_BATCH = 32_768  # rows per Arrow record batch: DuckDB scans a table's batches in parallel, one per thread


def _int64s(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as Arrow, zero-copy (`pa.array` would import pandas to inspect it)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _bools(values: np.ndarray | None, n: int) -> pa.Array:
    """A numpy bool array (or None: all NULL) as Arrow."""
    if values is None:
        return pa.nulls(n, pa.bool_())
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(np.packbits(values, bitorder="little"))])


def _arrow_chunks(chunks: Iterator[LineChunk]) -> Iterator[tuple[LineChunk, pa.Table]]:
    for chunk in chunks:
        n = len(chunk.line_no)
        table = pa.Table.from_arrays(
            [_int64s(chunk.line_no), _int64s(chunk.byte_offset), chunk.lines,
             ev_mod.line_texts(chunk.lines, chunk.newline), _bools(chunk.bad_utf8, n)],
            names=["line_no", "byte_offset", "line", "text", "bad_utf8"])
        yield chunk, pa.Table.from_batches(table.to_batches(max_chunksize=ARROW_BATCH), table.schema)


def _prefetched(items: Iterator[_T], depth: int = PREFETCH_DEPTH) -> Iterator[_T]:
    """Run `items` in a reader thread, `depth` items ahead; its exceptions are raised here, in order."""
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        box.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            box.put(("end", None))
        except BaseException as exc:  # handed to the consumer, never lost
            box.put(("error", exc))

    thread = threading.Thread(target=work, name="exposure-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = box.get()
            if kind == "end":
                break
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while thread.is_alive():  # unblock a reader waiting on a full queue, then let it finish
            try:
                box.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: str) -> int:
    """Insert `rows` into `table`; the number inserted."""
    return int(con.execute(f"INSERT INTO {table} {rows}").fetchone()[0])


CHUNK_VIEW = "exposure_chunk"  # the view over the chunk's Arrow table (formats/base.py SOURCE)
LEFT_VIEW = "exposure_left"  # the line numbers of a chunk the cheap path did not take
ROW_GROUP_ROWS = 122_880  # DuckDB's row group size


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
        self.con.execute(f"INSERT INTO {self.store.table} SELECT * FROM ({rows}) ORDER BY line_no")
        self.con.execute("DELETE FROM pending_requests")
        self.rows = 0


def _reject_all(con: duckdb.DuckDBPyConnection, evid: int, reason: str) -> int:
    """Every line of the chunk into `rejects` with `reason`, unparsed (a piece of a line cut by lost content)."""
    return int(con.execute(f"INSERT INTO rejects SELECT {int(evid)}, line_no, byte_offset, ?, text, bad_utf8 "
                           f"FROM {CHUNK_VIEW}", [reason]).fetchone()[0])


def _first_row(con: duckdb.DuckDBPyConnection, sql: str) -> tuple | None:
    return con.execute(sql).fetchone()


def _address_map(con: duckdb.DuckDBPyConnection, clients: str) -> int:
    """`clientaddr.address_map` of the client values `clients` (SQL over the chunk) lists."""
    raw = con.execute(f"SELECT DISTINCT raw FROM ({clients}) WHERE {NEEDS_NORMALISING.format(a='raw')}").fetchall()
    return address_map(con, [r[0] for r in raw])


def _left_over(con: duckdb.DuckDBPyConnection, table: str, evid: int, chunk: LineChunk) -> np.ndarray:
    """The chunk's line numbers that have no request row (yet) in `table`."""
    first, last = int(chunk.line_no[0]), int(chunk.line_no[-1])
    done = con.execute(f"SELECT line_no FROM {table} WHERE evidence_id = {int(evid)} "
                       f"AND line_no BETWEEN {first} AND {last}").fetchnumpy()["line_no"]
    left = np.ones(len(chunk.line_no), dtype=bool)
    left[np.asarray(done, dtype=np.int64) - first] = False
    return chunk.line_no[left]


def _lines_not_requests(con: duckdb.DuckDBPyConnection, table: str, evid: int, chunk: LineChunk, n_req: int,
                        src: str) -> str | None:
    """`src` restricted to the chunk's lines the fast path did not take into `table` (None: it took them all).

    Their numbers reach SQL as data (the table `exposure_left`), not as a list of literals: planning a query
    with thousands of literals costs more than the parse of those lines."""
    n = len(chunk.line_no)
    if n_req == n:
        return None
    if n_req == 0:
        return src
    queries.register(con, LEFT_VIEW, pa.table({"line_no": _int64s(_left_over(con, table, evid, chunk))}))
    return f"(SELECT * FROM {src} WHERE line_no IN (SELECT line_no FROM {LEFT_VIEW}))"


class _FullParse:
    """The full parse of the lines no cheap path took: into the temporary table `staged`, client addresses
    resolved there, its requests copied into the case (those with a value the format's store has no column
    for into requests_all), its rejected and skipped lines recorded with their reasons."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fmt: LogFormat, evid: int, options: IngestOptions,
                 state: dict[str, Any], target: Store, counts: dict[str, int]) -> None:
        self.con, self.fmt, self.evid, self.options, self.state = con, fmt, evid, options, state
        self.target, self.counts = target, counts
        self.pending = _PendingRequests(con, target)

    def run(self, lines: str) -> None:
        """Parse `lines` (line_no, byte_offset, text, bad_utf8; SQL over `exposure_chunk` or a table)."""
        con, target = self.con, self.target
        parsed = normalise_sql(self.fmt, self.fmt.raw_sql(lines, self.state), self.evid, self.options.log_tz)
        con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM ({parsed})")
        resolve_clients(con, "staged", self.options.client_ip_from, self.options.trusted_proxies)
        n_req = self.pending.add(f"SELECT {target.column_list} FROM staged "
                                 f"WHERE verdict = 'request' AND {target.fits_sql()}")
        n_req += store.insert_misfits(con, "SELECT * FROM staged WHERE verdict = 'request'", target)
        con.execute("INSERT INTO rejects SELECT evidence_id, line_no, byte_offset, reason, line_text, bad_utf8 "
                    "FROM staged WHERE verdict = 'rejected' ORDER BY line_no")
        con.execute("INSERT INTO skipped SELECT evidence_id, line_no, reason FROM staged "
                    "WHERE verdict = 'skipped' ORDER BY line_no")
        for verdict, n in con.execute("SELECT verdict, count(*) FROM staged WHERE verdict <> 'request' "
                                      "GROUP BY verdict").fetchall():
            self.counts[verdict] += n
        self.counts["request"] += n_req
        self.fmt.chunk_done(con, self.state)

    def finish(self) -> None:
        self.pending.finish()


HELD_MAX = 100_000  # lines the cheap path left, held for one full parse (formats without per-chunk state)


def _load(con: duckdb.DuckDBPyConnection, ev: EvidenceFile, fmt: LogFormat, options: IngestOptions,
          progress: ProgressCallback | None = None) -> FileOutcome:
    evid = _next_evidence_id(con)
    stats = ReadStats()
    state: dict[str, Any] = {"log_tz": options.log_tz, "client_ip_from": options.client_ip_from}
    counts = {"request": 0, "rejected": 0, "skipped": 0}
    # the next chunk is read, hashed and split in a thread (hashlib, numpy and Arrow release the GIL)
    # while DuckDB parses this one
    src = SOURCE
    use_fast = fmt.fast_requests_sql(src, evid, state) is not None
    target = store.ensure(con, Store(fmt.store_extras))
    full = _FullParse(con, fmt, evid, options, state, target, counts)
    # The few lines the cheap path leaves are held and parsed together (planning the full parse costs more
    # than parsing a few hundred lines), unless the format carries state from chunk to chunk (W3C #Fields).
    held = 0
    hold = not fmt.carries_state
    if hold:
        con.execute("CREATE OR REPLACE TEMP TABLE held_lines (line_no BIGINT, byte_offset BIGINT, text VARCHAR, "
                    "bad_utf8 BOOLEAN)")
    for chunk, arrow_chunk in _prefetched(_arrow_chunks(ev_mod.read_lines(ev, stats))):
        queries.register(con, CHUNK_VIEW, arrow_chunk)  # what base.SOURCE reads: registered, never found by name
        if chunk.forced is not None:
            counts["rejected"] += _reject_all(con, evid, chunk.forced)
            continue
        n_req = 0
        rest: str | None = src
        if use_fast:
            # The lines the cheap path proves to be requests go straight into the case, client addresses
            # normalised on the way through a join (rows are written once: updating them costs more than
            # the parse). A row with a value the store has no column for is left to the full parse.
            plan = fmt.fast_plan_sql(src)
            state["fast_plan"] = _first_row(con, plan) if plan else None
            mapped = _address_map(con, fmt.fast_clients_sql(src, state))
            fast = fmt.fast_requests_sql(src, evid, state, "addr_map" if mapped else None)
            # chunk_extras covers every optional column the cheap path can fill from the chunk's fields; the
            # rows are checked for the others any line may fill (above the parse: `fence` keeps the test from
            # being pushed into it, which would compute the fields twice)
            into = store.ensure(con, Store(fmt.chunk_extras(state)))
            guard = into.fits_sql(only=store.ANY_FORMAT)
            n_req = _insert(con, into.table, f"SELECT {into.column_list} FROM (SELECT *, random() AS fence "
                            f"FROM ({fast})) WHERE CASE WHEN fence >= 0 THEN {guard} END")
            use_fast = n_req * 2 >= len(chunk.line_no)  # a file it mostly misses (vhost_combined): stop trying
            rest = _lines_not_requests(con, into.table, evid, chunk, n_req, src)
        counts["request"] += n_req
        if rest is not None and hold and n_req:
            held += _insert(con, "held_lines", f"SELECT line_no, byte_offset, text, bad_utf8 FROM {rest}")
            if held >= HELD_MAX:
                full.run("(SELECT * FROM held_lines)")
                con.execute("DELETE FROM held_lines")
                held = 0
        elif rest is not None:
            full.run(f"(SELECT line_no, byte_offset, text, bad_utf8 FROM {rest})")
        if progress:
            progress(ev.path, int(chunk.line_no[-1]) if len(chunk.line_no) else 0, len(chunk.line_no),
                     int(chunk.byte_offset[-1]) if len(chunk.byte_offset) else 0)
    if held:
        full.run("(SELECT * FROM held_lines)")
    full.finish()
    for table in ("staged", "addr_map", "held_lines"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    queries.unregister(con, CHUNK_VIEW, LEFT_VIEW)
    if stats.suspicious:
        raise _NotParsed()

    if _already_registered(con, ev, stats.sha256):
        raise _AlreadyThere()
    check_accounting(ev.path, stats.lines, counts["request"], counts["rejected"], counts["skipped"])
    last_line = _last_line_without_newline(con, evid, stats)
    first, last = con.execute("SELECT min(ts_utc), max(ts_utc) FROM requests WHERE evidence_id = ?",
                              [evid]).fetchone()
    logs_exact = bool(fmt.exact_length_field) and con.execute(
        "SELECT count(*) > 0 FROM requests WHERE evidence_id = ? AND object_size IS NOT NULL", [evid]).fetchone()[0]
    _insert_evidence(con, {
        **_base_row(evid, ev, options), **stats.registry(),
        "format": fmt.name,
        "verdict": "ingested", "lines": stats.lines, "requests": counts["request"],
        "rejected": counts["rejected"], "skipped": counts["skipped"], "first_time": first, "last_time": last,
        "final_newline": stats.final_newline, **declared_facts(fmt, logs_exact),
        "format_lacks": "; ".join(fmt.lacks), "log_tz": options.log_tz if not fmt.has_offset else None,
        "format_definition": fmt.definition(state),
    })
    original, copies = _settle_copies(con, stats.content_sha256)
    if original != evid:
        return _outcome(ev, "duplicate", evid, stats, format=fmt.name, lines=stats.lines, duplicate_of=original)
    outcome = _outcome(ev, "ingested", evid, stats, format=fmt.name, lines=stats.lines,
                       requests=counts["request"], rejected=counts["rejected"], skipped=counts["skipped"],
                       replaces=copies)
    if last_line:
        outcome.warnings.append(last_line)
    if stats.lines and counts["rejected"] > MOSTLY_REJECTED * stats.lines:
        outcome.warnings.append(f"{counts['rejected']} of {stats.lines} lines rejected: "
                                f"probably not the {fmt.name} format (see rejects)")
    return outcome


def check_accounting(path: str, lines: int, requests: int, rejected: int, skipped: int) -> None:
    """The invariant `lines = requests + rejected + skipped`. A failure is a bug, never a reason to lose lines:
    AccountingError is not an ExposureError, so nothing that handles a user's error can pass over it."""
    total = requests + rejected + skipped
    if total != lines:
        raise AccountingError(f"{path}: {lines} lines read but {total} accounted for "
                              f"({requests} requests, {rejected} rejected, {skipped} skipped)")


LAST_LINE_CUT = "last line has no newline: cut off mid-line (a copy of a live log?)"


def _last_line_without_newline(con: duckdb.DuckDBPyConnection, evid: int, stats: ReadStats) -> str | None:
    """A final line without a newline in intact content (a copy of a live log stops mid-line; that is not
    damage): rejected, its reason says so; parsed as a request, it is kept and a warning names it."""
    if stats.final_newline or stats.decode.ended_early or not stats.lines:
        return None
    n = con.execute("UPDATE rejects SET reason = ? || ': ' || reason WHERE evidence_id = ? AND line_no = ? "
                    "AND reason NOT LIKE 'cut off%' AND reason NOT LIKE 'begins after%' AND reason NOT LIKE 'a line of%'",
                    [LAST_LINE_CUT, evid, stats.lines]).fetchone()[0]
    if n:
        return None
    if con.execute("SELECT count(*) FROM requests WHERE evidence_id = ? AND line_no = ?",
                   [evid, stats.lines]).fetchone()[0]:
        return (f"last line ({stats.lines}) has no newline: it parses and is counted as a request, but it may be "
                "cut off mid-line (a copy of a live log?): its last field may be incomplete")
    return None


class _AlreadyThere(Exception):
    """The same file (path and hash) is already in the case: nothing to change."""


def ingest_paths(con: duckdb.DuckDBPyConnection, inputs: list[str], options: IngestOptions,
                 on_file: Callable[[FileOutcome], None] | None = None,
                 on_progress: ProgressCallback | None = None) -> IngestResult:
    """Ingest files and folders. Raises InputError/NotALogError before anything is written when an input is
    missing, a named file is not a log, or a folder holds no log (and nothing unreadable). Everything else,
    unreadable or damaged input included, is recorded and the rest ingested."""
    found = discover(inputs, own=_own_files(con))
    if not found.items:
        raise InputError("no files found in " + ", ".join(map(str, inputs)))
    if options.format:
        get_format(options.format, options.format_settings)  # validate before any write
    result = IngestResult(notes=list(found.notes))
    with memory_limit(con):
        return _ingest_found(con, found, inputs, options, result, on_file, on_progress)


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
    spills (to the case's .tmp folder) rather than grow past it; the Python side holds at most
    PREFETCH_DEPTH + 1 chunks of BLOCK_SIZE. The checkpoint after an ingest belongs under it too: left to
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


def _plan(con: duckdb.DuckDBPyConnection, item: EvidenceFile | Unreadable, options: IngestOptions) -> _Plan:
    if isinstance(item, Unreadable):
        return _Plan(unreadable=item)
    try:
        fmt, refusal = _choose_format(con, item, options)
    except OSError as exc:
        return _Plan(unreadable=_unreadable(item, exc))
    return _Plan(fmt, refusal)


def _unreadable(ev: EvidenceFile, exc: OSError) -> Unreadable:
    return Unreadable(ev.path, ev.abs_path, "file", (exc.strerror or str(exc)).lower(), ev.server, ev.size_bytes,
                      ev.mtime)


def _ingest_found(con: duckdb.DuckDBPyConnection, found: Discovery, inputs: list[str], options: IngestOptions,
                  result: IngestResult, on_file: Callable[[FileOutcome], None] | None,
                  on_progress: ProgressCallback | None) -> IngestResult:
    # Refuse a folder with no log at all before writing anything: detect every file first (cheap).
    plans = {item.abs_path: _plan(con, item, options) for item, _ in found.items}
    for item in inputs:
        under = [plans[e.abs_path] for e, explicit in found.items if not explicit and _is_under(e.abs_path, item)]
        if under and all(p.fmt is None and p.refusal is None and p.unreadable is None for p in under):
            raise NotALogError(f"{item}: no access log found in this folder")
    for e, explicit in found.items:
        plan = plans[e.abs_path]
        if explicit and plan.fmt is None and plan.refusal is None and plan.unreadable is None:
            raise NotALogError(f"{e.path} is not an access log in any known format (use --format to force one)")
    for e, explicit in found.items:
        plan = plans[e.abs_path]
        outcome = _ingest_one(con, e, plan, explicit, options, on_progress)
        for earlier in result.files:  # a file of this run the new one replaced as the original: now its copy
            if earlier.evidence_id in outcome.replaces:
                earlier.verdict, earlier.duplicate_of = "duplicate", outcome.evidence_id
        result.files.append(outcome)
        if on_file:
            on_file(outcome)
    changed = any(f.verdict != "already in case" for f in result.files)
    result.overlaps, result.byte_facts = settle(con, options, [e.abs_path for e, _ in found.items], changed)
    return result


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
        detect_overlaps(con)
        assign_streams(con, rule)
    overlaps = list_overlaps(con)
    if options.bytes_meaning is not None:
        give_bytes_meaning(con, abs_paths, options.bytes_meaning)
    return overlaps, infer_facts(con)  # per stream: after the streams


def ingest_one(con: duckdb.DuckDBPyConnection, item: EvidenceFile | Unreadable, options: IngestOptions,
               explicit: bool = False) -> FileOutcome:
    """One file into the case as `ingest_paths` reads each: its format chosen (or refused), read, registered.
    What depends on every file together (overlaps, streams, inferred facts) is left to `settle`."""
    return _ingest_one(con, item, _plan(con, item, options), explicit, options, None)


def _ingest_one(con: duckdb.DuckDBPyConnection, item: EvidenceFile | Unreadable, plan: _Plan, explicit: bool,
                options: IngestOptions, on_progress: ProgressCallback | None) -> FileOutcome:
    """One found item into the case; a file that cannot be read (now) is recorded unreadable, never fatal."""
    if plan.unreadable is not None:
        return _register_unreadable(con, plan.unreadable, options)
    assert isinstance(item, EvidenceFile)
    try:
        if plan.refusal is not None:
            stats = ev_mod.hash_file(item)
            if _already_registered(con, item, stats.sha256):
                return FileOutcome(item.path, "already in case", None)
            return _register_unparsed(con, item, options, stats, "unreadable", reason=plan.refusal)
        return ingest_file(con, item, plan.fmt, options, explicit, on_progress)
    except _AlreadyThere:
        return FileOutcome(item.path, "already in case", None)
    except OSError as exc:
        return _register_unreadable(con, _unreadable(item, exc), options)


def _is_under(abs_path: str, item: str) -> bool:
    from pathlib import Path

    root = Path(item).resolve()
    try:
        Path(abs_path).relative_to(root)
    except ValueError:
        return False
    return root.is_dir()
