"""The case file: a DuckDB database holding evidence, requests, rejects and the activity log.

`CaseFile` owns the connection: it opens (or creates) the file, migrates its schema, keeps the activity log
and the evidence registry, runs the ingest and ad-hoc SQL. Everything above it (the analysis of targets, the
JSON answer, the report) goes through its small interface (`execute`, `fetchone`, `fetchall`, `frame`,
`registered`, `transaction`, `bind`, `run`), never through the connection itself. The public `exposure.Case`
(exposure/api.py) composes this with the analysis and the outputs.

Every connection is sandboxed (exposure/sandbox.py), and every command that writes seals what it wrote
(exposure/seal.py): `sealing()` wraps a command, `seal_check()` checks the case.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import duckdb

from . import interrupts, queries, rowdigest, sandbox, seal, store, transactions
from .discovery import storable
from .errors import CaseError, CaseInUseError, QueryError
from .ingest import (
    INGEST_MEMORY_LIMIT,
    FileOutcome,
    IngestOptions,
    IngestResult,
    ingest_paths,
    memory_limit,
    settle,
)
from .version import TOOL_VERSION

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    Frame: TypeAlias = pd.DataFrame | pa.Table  # what the query methods return: pandas, or pyarrow with arrow=True

# 2: request rows in narrow stores behind the `requests` view (exposure/store.py); 3: the recorded facts of each
# evidence file (what its paths, byte counts, lengths and times mean) and their basis; 4: escapes decoded, the
# `extra` column (a line's other fields), hosts from absolute request targets; 5: what reading found in the
# evidence registry (damage, damage_offset, damage_detail, decoded_bytes, lost_bytes, bom, line_endings,
# suspicious; verdict `unreadable`); 6: the seal (seal_links, seal_items, row_blocks; exposure/seal.py);
# 7: log streams, content overlaps and the citation rule (evidence.stream, stream_reason, name_kind, copy_folder;
# overlap_pairs per copy and original; the view evidence_citation); 8: byte-order marks inside a file
# (evidence.bom_lines, first_bom_line); 9: the link an evidence file was reached through (evidence.via_link);
# 10: requests logged without a byte count where that is not 0 bytes (evidence.unsized_requests);
# 11: each damage of a file apart, where it starts and what it is (evidence.damages); the client's source asked
# for and the requests that could not give it (evidence.client_from, xff_absent, xff_untrusted)
# 12: the same tables, the same evidence read anew: an S3 line's vhost is its bucket (its Host header in
# extra['host_header'], a column since 13), CloudFront's stems decoded once more, a '+' in an IIS stem a space,
# extra['cut_field'] naming every field a cut last line shortened; a case of 11 would answer the same evidence
# otherwise
# 13: never released: two branches each called their own layout 13 while they were built (skipped.bad_utf8 on one,
# the column host_header on the other), so a case of 13 may lack either: refused like any older one
# 14: a skipped line that held bytes that are not UTF-8 is flagged (skipped.bad_utf8): the `not utf-8` finding
# counts it; a column, host_header (an S3 line's Host header, in extra['host_header'] at 12); the time an S3 or
# CloudFront object's name gives (evidence.name_time_utc), which places a file none of whose lines was read;
# extra['cut_field'] names a log's own field as `extra:` and its percent-encoded name
# 15: a time read in --log-tz is flagged on its row (ts_flag 'local time read in --log-tz ZONE') and evidence.log_tz
# is the zone given to every file read with it (at 14 only to formats without offsets, and no row said whether the
# zone was applied): the `zone not applied` finding reads both, so a case of 14 would say it of every such file
# 15 also: each gzip member that inflated whole and fails its CRC-32 is recorded (evidence.crc_failures: content range,
# stored CRC-32 and size, decoded CRC-32), and a line of it proven corrupted against an intact copy is rejected
# (exposure/corruption.py); a case of 14 has neither
# 16: what the time a file's name gives is, read from the name with it (evidence.name_time_kind: s3, cloudfront,
# rotation; live for a log's unrotated name): at 15 it was told from the stream's prefix, which --stream-from
# replaces, so a case of 15 placed an S3 key under `--stream-from folder` as a rotation
# 17: a column, request_id (CloudFront x-edge-request-id, the S3 request ID, the ALB trace id, nginx $request_id,
# Apache %L / %{UNIQUE_ID}e), the last of the requests view: two lines with different ids are two requests, never a
# copy (exposure/overlap.py); a case of 16 has no ids and would count such lines once
# 18: a column, evidence.named_like_copy (exposure/namekinds.named_like_copy written at ingest, read by
# queries/gaps.sql and exposure/overlap.py: the rule was mirrored in SQL); a case of 17 lacks it
# 19: the requests view's client is a host name with its ASCII letters in lower case (exposure/store.py
# client_key_sql: one client whatever the case it was logged in); a case of 18 keeps a view that counts
# `Host.Example.COM` and `host.example.com` as two clients
SCHEMA_VERSION = 19


def __getattr__(name: str) -> Any:
    """`Frame` (pandas DataFrame | pyarrow Table) is built on first use: importing exposure skips pandas."""
    if name == "Frame":
        import pandas as pd
        import pyarrow as pa

        frame = globals()["Frame"] = pd.DataFrame | pa.Table
        return frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# The commands that write which this process runs now, per case file (its resolved path): a mark of running found
# while one of them runs is its own (a second Case on the same file in a notebook, the API called from a callback),
# never a command that did not finish; a command begun inside another (nested sealing) leaves the mark to the
# outermost one, whose closing transaction removes it. Another process cannot open the file while it is held.
_RUNNING_HERE: dict[str, int] = {}
_RUNNING_LOCK = threading.Lock()


def _running_here(path: Path, step: int = 0) -> int:
    """The number of commands this process runs on the case file at `path`, after adding `step` to it."""
    key = str(path.resolve())
    with _RUNNING_LOCK:
        n = _RUNNING_HERE.get(key, 0) + step
        if n > 0:
            _RUNNING_HERE[key] = n
        else:
            _RUNNING_HERE.pop(key, None)
        return n


CASE_MEMORY_LIMIT = INGEST_MEMORY_LIMIT  # DuckDB's share for every command (docs/scale.md: RSS under 1.5 GB)


def connect(path: Path, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection]:
    """A connection to a case file, set up the one way every case is read: UTC, insertion order kept, no
    replacement scans (a query never reads a Python variable by its name: frames are registered by name),
    sandboxed (no file but the case, no network, no extensions); a read-only one with its settings locked. With
    it a second connection to the same database, set up alike, for work done meanwhile (`CaseFile.beside`)."""
    try:
        # DuckDB's memory bounded from the first statement, read-only connections (locked) included: the
        # analysis of 20 M requests peaked at 1.86 GB and `files` over every path at 7.8 GB without it; DuckDB
        # spills to the case's .tmp folder instead
        con = duckdb.connect(str(path), read_only=read_only,
                             config={**sandbox.CONNECT_CONFIG, "memory_limit": CASE_MEMORY_LIMIT})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CaseInUseError(f"case is in use by another process: {path}") from None
        raise CaseError(f"cannot open case {path}: {exc}") from None
    except duckdb.Error as exc:
        raise CaseError(f"cannot open case {path}: {exc}") from None
    _settle(con)
    side = con.cursor()  # the connection `CaseFile.beside` lends out: set up before a read-only case is locked
    _settle(side)
    if read_only:
        sandbox.lock(con)
    return con, side


def _settle(con: duckdb.DuckDBPyConnection) -> None:
    """A case connection's session settings (per connection in DuckDB: a cursor does not inherit them)."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET python_enable_replacements = false")


def _given(ok: bool, value: Any) -> Any:  # noqa: ANN401 (a work's own result)
    """A result of work `CaseFile.meanwhile` did: the value, or its error raised."""
    if not ok:
        raise value
    return value


_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> bool:
    """A value whose repr is the whole of it: str, int, float, bool, None, and lists and tuples of them (a numpy
    array's repr elides its middle past 1,000 items, other types may too)."""
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return type(value) in _PLAIN


def _value_key(value: Any) -> tuple[str, str] | None:
    """A bound value told apart from any other, its Python type included (1, 1.0 and True bind as different types);
    None for a value that is not plain (`_plain`): such a value is always set again."""
    return (type(value).__name__, repr(value)) if _plain(value) else None


class CaseFile:
    """A case file (or a temporary one when `path` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="exposure-case-")
            path = Path(self._tmpdir) / "case.duckdb"
        self.path = Path(path).expanduser()  # as DuckDB opens it: `~/c.duckdb` is the home folder's
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise CaseError(f"no case file at {self.path}")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # a database DuckDB makes anew here (no file, no WAL before it connected) holds nothing this process did
        # not put in it: no macro (the tool makes none), so its first seal need not read DuckDB's function list
        self._made_here = not read_only and not self.path.exists() and not Path(f"{self.path}.wal").exists()
        self.con, self._side = connect(self.path, read_only)
        self._created: tuple[seal.Created, tuple[Any, ...]] | None = None  # see _take_created
        self._reuse: seal.Reuse | None = None  # the last command's (sealing), for seal_check
        # variable -> (the value this case set, as _value_key; what the variable held just after): see `bind`
        self._held: dict[str, tuple[tuple[str, str] | None, tuple[Any, str]]] = {}
        self._macros_defined: set[str] = set()  # the blocks of macro definitions run on this connection (`run`)
        self._side_macros: set[str] = set()  # ... and on the connection `beside` lends out
        self._meanwhile: list[threading.Thread] = []  # checks reading the case on a connection of their own
        # counts the changes to the requests (ingests): what was derived from them is stale when it moved
        self.generation = 0
        try:
            self._open(read_only)
        except BaseException:
            self.close()  # a file refused is not held open (a later open in this process would find it locked)
            raise

    def _open(self, read_only: bool) -> None:
        # new: no file before, or an empty database (a creation killed before its first commit)
        new = not read_only and not self.fetchone("SELECT count(*) FROM duckdb_tables() WHERE NOT internal "
                                                  "AND database_name = current_database()")[0]
        if not read_only:
            self._private()
            self._migrate(new)
        self._check_version()
        if not read_only and not new and not _running_here(self.path):  # a mark of this process's is no kill
            self._finish_unfinished()

    # -- life cycle -----------------------------------------------------------------------------------
    def __enter__(self) -> CaseFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.wait_meanwhile()  # never close the database under work still reading it
        try:
            if self._side is not None:
                self._side.close()
            self.con.close()
        finally:
            if self._tmpdir:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    @property
    def temporary(self) -> bool:
        return self._tmpdir is not None

    def _private(self) -> None:
        """The case file and its WAL owner-only, also when they existed with wider modes (they hold personal
        data); a temporary case lives in a private folder."""
        for path in (self.path, Path(f"{self.path}.wal")):
            try:
                if path.exists() and path.stat().st_mode & 0o077:
                    os.chmod(path, 0o600)
            except OSError:
                pass  # not ours to change (another owner): DuckDB's own checks still apply

    def _migrate(self, new: bool) -> None:
        """Create the tables of a new case and seal it; an existing file must be a case of this version (it is
        checked before anything is written to it)."""
        if not new:
            self._check_version()
        with self.transaction():
            self.run(queries.get("schema"))
            store.create_schema(self.con)
            self.run(queries.get("citation"))  # a view over this version's columns
            if new:
                self.con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_with', ?), ('seal', ?), "
                                 "('row_hash_probe', ?), ('duckdb_version', ?)",
                                 [str(SCHEMA_VERSION), TOOL_VERSION, seal.SEAL_VERSION, rowdigest.probe(self),
                                  duckdb.__version__])
                created = seal.seal_new_case(self, no_macros=self._made_here)
        if new:
            self._created = (created, self._files_state())

    def _files_state(self) -> tuple[Any, ...]:
        """The case file's and its WAL's size and modification time: every committed write changes one."""
        state: list[Any] = []
        for path in (self.path, Path(f"{self.path}.wal")):
            try:
                st = path.stat()
                state.append((st.st_size, st.st_mtime_ns))
            except OSError:
                state.append(None)
        return tuple(state)

    def _take_created(self) -> seal.Created | None:
        """What creating this case sealed, once, for the first command's session: only while nothing was
        written to the case since (its files as they were), else the session reads the case as always."""
        created, self._created = self._created, None
        if created is None or created[1] != self._files_state():
            return None
        return created[0]

    def _check_version(self) -> None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            if not self.fetchone("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()")[0]:
                raise CaseError(f"{self.path} holds no case: its creation was stopped before it finished "
                                "(ingest into it again)") from None
            raise CaseError(f"{self.path} is not an exposure case file") from None
        if row is None or row[0] != str(SCHEMA_VERSION):
            found = row[0] if row else "none"
            raise CaseError(f"{self.path} has case schema version {found}; this exposure ({TOOL_VERSION}) "
                            f"reads version {SCHEMA_VERSION}: re-ingest the evidence into a new case")

    # -- the interface everything above the case uses ----------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
        """Run one statement (parameters bound: `?` with a list, `$name` with a dict)."""
        self.con.execute(sql, params or None)

    def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        return self.con.execute(sql, params or None).fetchone()

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or None).fetchall()

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows (column name -> value) into a table of the case in one statement."""
        queries.insert_rows(self.con, table, rows)

    def insert_columns(self, table: str, columns: dict[str, list[Any]], constants: dict[str, Any] | None = None) -> None:
        """Insert rows given as columns of equal length (and `constants`, one value for every row) in one statement
        (queries.insert_columns)."""
        queries.insert_columns(self.con, table, columns, constants)

    def frame(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None, *,
              arrow: bool = False) -> Frame:
        """A query's rows as a pandas DataFrame (a pyarrow Table with arrow=True)."""
        if arrow:
            # Through execute, not con.sql(...).to_arrow_table(): a relation binds its query again when it runs, and
            # the answer's queries (windows, downloads, per address: a few hundred rows each, read by to_pylist)
            # are macro-heavy, whose binding cost ~0.7 CPU-s of one analyse. The extra copy of the rows DuckDB warns
            # of is the price of that; a query whose rows may be many goes through batches() instead.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)
                return self.con.execute(sql, params or None).to_arrow_table()
        return self.con.execute(sql, params or None).df()

    def batches(self, sql: str, rows: int = 122_880) -> pa.RecordBatchReader:
        """A query's rows as a stream of Arrow record batches (for writers that must not hold them all)."""
        queries.finish_open_result(self.con)
        return self.con.sql(sql).to_arrow_reader(rows)

    @contextmanager
    def registered(self, name: str, data: Any) -> Iterator[str]:
        """`data` (a pandas DataFrame or an Arrow table) readable in SQL as the view `name` while in the block:
        the one way Python data reaches a query (replacement scans are off)."""
        queries.register(self.con, name, data)
        try:
            yield name
        finally:
            queries.unregister(self.con, name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises; a Ctrl-C never stops it
        half way (exposure/transactions.py)."""
        with transactions.transaction(self.con):
            yield

    def bind(self, params: dict[str, Any]) -> None:
        """Set named-query parameters as DuckDB variables (bound values, see `queries.bind`). A variable this case
        set before is set again only when the value differs from the one it set or the variable no longer holds
        what it held after that (set by hand on the connection since): one statement reads them all, where an
        analysis binds the same eight of a target before each of its queries (80 statements per target)."""
        live = queries.held(self.con, [k for k in params if k in self._held])
        keys = {k: _value_key(v) for k, v in params.items()}
        todo = {k: v for k, v in params.items()
                if k not in live or keys[k] is None or self._held[k] != (keys[k], live[k])}
        if todo:
            queries.bind(self.con, todo)
            now = queries.held(self.con, list(todo))
            self._held.update({k: (keys[k], now[k]) for k in todo})

    def run(self, block: queries.NamedQuery) -> None:
        """Run every statement of a named block (definitions: macros, temporary tables). A block that only defines
        temporary macros runs once per connection: its text never changes and nothing drops them (ad-hoc SQL cannot,
        exposure/sandbox.py), where an answer's evidence list, findings and warnings each need evidence_rules."""
        macros = queries.defines_macros_only(block)
        if macros and block.sql in self._macros_defined:
            return
        queries.run(self.con, block)
        if macros and not self.in_transaction():  # a rollback would take them away again
            self._macros_defined.add(block.sql)

    def table_exists(self, name: str) -> bool:
        return bool(self.fetchone("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name])[0])

    # -- activity log, seal and evidence ----------------------------------------------------------------------
    def log_activity(self, command: str, detail: str = "") -> None:
        """Append to the case's activity log (who ran what, with which version, when), sealed."""
        with self.sealing(command, detail):
            pass

    @contextmanager
    def sealing(self, command: str, detail: str = "") -> Iterator[seal.Session]:
        """Run one command that writes to the case: when it ends its activity entry is written and what it
        wrote is sealed (one link). A command that fails is logged only when it wrote something; one stopped
        by Ctrl-C always is, at once. Ctrl-C waits while a link is written."""
        command, detail = storable(command), storable(detail)  # a command line may name a non-UTF-8 file
        _running_here(self.path, 1)
        try:
            with self._sealing(command, detail) as session:
                yield session
        finally:
            _running_here(self.path, -1)

    @contextmanager
    def _sealing(self, command: str, detail: str) -> Iterator[seal.Session]:
        session = seal.Session(self, self._take_created())
        self._reuse = session.reuse  # what it computed serves the seal check after it (seal_check)
        try:
            # begun: removed in the closing transaction; found on a writable open, a command did not finish
            # (a mark already there names a command that did not finish: kept for the recovery running now to
            # say); written whole before a Ctrl-C is acted on, which the closing transaction then says
            with interrupts.deferred():
                self.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)",
                             [seal.RUNNING, command if command in seal.COMMANDS else "api"])
            yield session
        except BaseException as exc:
            interrupted = interrupts.is_interrupt(exc)
            why = f"interrupted ({interrupts.how()})" if interrupted else f"stopped: {sandbox.first_line(exc)}"
            files = session.sealed_files + session.pending
            kept = f"; evidence {', '.join(map(str, files))} kept" if files else ""
            try:
                with interrupts.deferred():
                    transactions.abandon(self.con)  # one a stop left open (exposure/transactions.py)
                    self._close(session, command, f"{detail} [{why}{kept}]".strip(), force=interrupted)
            except duckdb.Error:
                pass  # the connection itself failed: the next writable open finds the command unfinished
            if interrupted and not isinstance(exc, KeyboardInterrupt):
                raise KeyboardInterrupt from exc  # one meaning for Ctrl-C above the case
            raise
        with interrupts.deferred():
            self._close(session, command, detail, force=True)

    def _close(self, session: seal.Session, command: str, detail: str, force: bool) -> None:
        """The closing transaction: the command's mark of running removed, its `session.meta` keys written, its
        activity entry and link written (a command that changed nothing and is not `force`d leaves neither)."""
        with self.transaction():
            if _running_here(self.path) == 1:  # the outermost command of this process on the case: its mark
                self.execute("DELETE FROM meta WHERE key = ?", [seal.RUNNING])
            for key, value in session.meta.items():
                self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
            if not force and not session.changes():
                return
            said = session.said()  # never-sealed files read again: said in the activity log and the link
            seq = self.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM activity").fetchone()[0]
            self.con.execute("INSERT INTO activity VALUES (?, ?, ?, ?, ?)",
                             [seq, datetime.now(UTC).replace(tzinfo=None), TOOL_VERSION, command,
                              f"{detail} [{said}]" if said else detail])
            session.close(f"{command}; {said}" if said else command, seq)
        self._private()

    def _finish_unfinished(self) -> None:
        """A command killed (SIGKILL, power loss) left no closing transaction: its mark of running
        (`seal.RUNNING`, written when it began) is still in `meta`. Say so in the activity log and run the steps
        over the whole case again, in a command of its own whose closing transaction removes the mark (so it is
        said once). A case of an older version, killed without a mark, is found by its files stored after the
        highest sealed one (`meta.recovered_through` keeps the last one named). Files no link sealed stay
        unsealed (never seal what was not seen written): verify names them, and an ingest of the same files
        reads them again and seals them (IngestOptions.unsealed) when their content is still what was stored;
        registry rows the steps over the case changed before it was killed stay named by verify."""
        running = self.unfinished()
        chain = seal.links(self)
        last_command = next((lk for lk in reversed(chain) if lk.kind != "file"), None)
        files = [lk.note for lk in chain[(last_command.seq if last_command else 0):]]
        sealed, _ = seal.sealed_state(self)
        if running:  # every file no link seals (a re-run killed again stores them under the same ids)
            unsealed = [r[0] for r in self.fetchall("SELECT evidence_id FROM evidence ORDER BY 1")
                        if f"evidence:{r[0]}" not in sealed]
        else:
            highest = max((int(n[9:]) for n in sealed if n.startswith("evidence:") and n[9:].isdigit()), default=0)
            said = self.fetchone("SELECT value FROM meta WHERE key = 'recovered_through'")
            unsealed = [r[0] for r in self.fetchall("SELECT evidence_id FROM evidence WHERE evidence_id > ? "
                                                    "ORDER BY 1", [max(highest, int(said[0]) if said else 0)])]
        if not running and not files and not unsealed:
            return
        what = "; ".join([*files, *([f"evidence {seal.id_list(unsealed)} stored but not sealed "
                                     f"({seal.REREAD_MENDS})"] if unsealed else [])]) or "nothing stored"
        # the mark is not sealed (a state, not evidence): only a command's name is said, never its text as found
        command = ("" if not running else f" ({running})" if running != seal.NOT_NAMED
                   else " (its mark of running names no command exposure writes: not quoted)")
        with self.sealing("recovered", f"a command{command} did not finish (interrupted or killed) after: {what}; "
                                       "repeated lines and byte meanings settled again") as session:
            try:
                # what the killed command's steps over the case left half done is worked out anew, whole
                for table in session.settling_again():
                    self.execute(f"DROP TABLE IF EXISTS main.{table}")  # rebuilt by settle (derived.refresh)
                for table in session.emptied_again():
                    self.execute(f"DELETE FROM main.{table}")  # noqa: S608 (seal.KEPT_SETTLED) anew by settle
                settle(self.con, IngestOptions(rows_changed=session.rows_changed), [])
            except BaseException:
                # stopped (Ctrl-C, an error): the mark is written again in the closing transaction, so the next
                # writable open recovers again (it was removed, and the case never settled)
                session.meta[seal.RUNNING] = running if running in seal.COMMANDS else "recovered"
                raise
            session.settled_again()
            if unsealed:  # written in the recovery's closing transaction, with its link
                session.meta["recovered_through"] = str(unsealed[-1])

    def unfinished(self) -> str | None:
        """The command a mark of running names (`seal.RUNNING`): one that did not finish and that no writable open
        has recovered yet (a read-only open cannot), else None."""
        row = self.fetchone("SELECT value FROM meta WHERE key = ?", [seal.RUNNING])
        return None if row is None else row[0] if row[0] in seal.COMMANDS else seal.NOT_NAMED

    def seal_check(self, rows: bool = False) -> seal.SealCheck:
        """Check the case's seal (exposure/seal.py): the chain and every sealed item; with `rows` every stored
        row is re-hashed (else counted)."""
        return seal.check(self, rows, self._reuse)

    def beside(self) -> CaseFile:
        """Another connection to this case's database (a cursor: the same stored tables, read as this connection
        reads them, with temporary objects and variables of its own), for work done meanwhile in another thread
        (`meanwhile`): the one connection made with this one (`connect`), lent to every such work and closed with
        this case, never by the borrower."""
        other = CaseFile.__new__(CaseFile)
        other.__dict__.update(path=self.path, read_only=self.read_only, _tmpdir=None, _made_here=False,
                              con=self._side, _side=None, _created=None, _reuse=self._reuse, _held={},
                              _macros_defined=self._side_macros, _meanwhile=[], generation=self.generation)
        return other

    def in_transaction(self) -> bool:
        """Whether this connection is inside a transaction its user began (`con.begin()`): two statements then
        share one transaction id, where each runs in its own otherwise. Work on another connection would not see
        what that transaction changed, and macros defined in it go when it is rolled back."""
        first = self.con.execute("SELECT txid_current()").fetchall()
        return first == self.con.execute("SELECT txid_current()").fetchall()

    def meanwhile(self, *works: Callable[[CaseFile], Any], name: str) -> list[Callable[[], Any]]:
        """Run `works` one after the other in another thread on a connection of its own (`beside`) while this
        connection goes on (DuckDB plans a statement on one core: two connections use both). Only for work that
        reads the stored tables, never this connection's temporary tables. Returns, per work, the function that
        waits for it and gives its result (or raises its error); `close` waits for them all."""
        if self._side is None or self.in_transaction():  # the other connection would not see what it changed
            results = []
            for work in works:
                try:
                    results.append((True, work(self)))
                except Exception as exc:  # noqa: BLE001 (raised where it is asked for, as from the thread)
                    results.append((False, exc))
            return [functools.partial(_given, ok, value) for ok, value in results]
        other = self.beside()
        done = [threading.Event() for _ in works]
        out: list[tuple[bool, Any]] = [(False, RuntimeError(f"{name}: not run"))] * len(works)

        def run() -> None:
            try:
                other.con.abort()  # a result the last work here left unread (a fetchone) ends before this work
                for i, work in enumerate(works):
                    try:
                        out[i] = (True, work(other))
                    except BaseException as exc:  # noqa: BLE001 (raised in the thread that waits for it)
                        out[i] = (False, exc)
                    done[i].set()
            finally:
                for event in done:
                    event.set()

        def waiter(i: int) -> Callable[[], Any]:
            def result() -> Any:  # noqa: ANN401 (the work's own result)
                done[i].wait()
                return _given(*out[i])

            return result

        thread = threading.Thread(target=run, name=name, daemon=True)
        self._meanwhile.append(thread)
        thread.start()
        return [waiter(i) for i in range(len(works))]

    def wait_meanwhile(self) -> None:
        """Wait for the work `meanwhile` started on this case (its results and errors stay for whoever asks)."""
        while self._meanwhile:
            self._meanwhile.pop().join()

    def ingest(self, paths: Sequence[str | os.PathLike[str]], options: IngestOptions | None = None,
               on_file: Any = None, on_progress: Any = None) -> IngestResult:
        """Hash, register and parse log files and folders (see `exposure.ingest.ingest_paths`); each file is
        sealed as soon as it is stored, the command when it ends."""
        with self.sealing("ingest", " ".join(map(str, paths))) as session:

            def stored(outcome: FileOutcome) -> None:  # as soon as it is committed, whatever its place in the input
                if outcome.evidence_id is not None:
                    with interrupts.deferred():
                        if outcome.reread:
                            session.read_again(outcome.reread, outcome.evidence_id, outcome.path)
                        session.stored(outcome.evidence_id)

            # a file no link ever sealed (its command was killed first) is read again when it is given again
            options = replace(options or IngestOptions(), unsealed=session.rereadable(),
                              rows_changed=session.rows_changed,
                              edited=session.edited_derived())
            try:
                result = ingest_paths(self.con, [str(p) for p in paths], options, on_file, on_progress, stored)
            except BaseException:
                transactions.abandon(self.con)  # one a stop left open (exposure/transactions.py), before settle
                if session.sealed_files or session.pending:  # files kept: the steps over the case, sealed below
                    with interrupts.deferred():
                        kept = self.fetchall("SELECT abs_path FROM evidence WHERE list_contains(?, evidence_id)",
                                             [session.sealed_files + session.pending])
                        settle(self.con, options, [r[0] for r in kept])
                raise
            finally:
                self.generation += 1
        with memory_limit(self.con):  # write the new row groups out now, under the ingest's memory limit
            self.con.execute("CHECKPOINT")
        return result

    def evidence(self, *, arrow: bool = False) -> Frame:
        """The evidence registry: one row per input file with hashes (sha256 of the bytes on disk,
        content_sha256 of the decompressed content), format, verdict and line accounting
        (lines = requests + rejected + skipped)."""
        return self.frame("SELECT * FROM evidence ORDER BY evidence_id", arrow=arrow)

    def protected_paths(self) -> list[str]:
        """What no output may replace: the case file, its WAL and every evidence file registered in the case, by
        the path it resolved to at ingest (`abs_path`)."""
        stored = self.fetchall("SELECT abs_path FROM evidence WHERE abs_path IS NOT NULL")
        return [str(self.path), f"{self.path}.wal", *(row[0] for row in stored)]

    def rejects(self, *, arrow: bool = False) -> Frame:
        """Rejected lines with file, line number, byte offset and reason."""
        return self.frame(
            "SELECT e.path, r.* FROM rejects r JOIN evidence e USING (evidence_id) ORDER BY evidence_id, line_no",
            arrow=arrow)

    def log_offsets(self) -> list[int]:
        """UTC offsets written in the logs, most common first."""
        return [offset for offset, _lines in self.log_offset_counts()]

    def log_zones(self) -> list[str]:
        """The zones given with --log-tz that read some request line, by name (timefmt.log_zone: one of them is the
        display zone)."""
        return [str(r[0]) for r in self.fetchall(queries.get("log_zones").sql)]

    def log_offsets_off_zone(self, zone: str) -> int:
        """The request lines whose written UTC offset differs from `zone`'s own at their time (queries/facts.sql
        log_offsets_off_zone)."""
        self.bind({"log_tz_zone": zone})
        return int(self.fetchall(queries.get("log_offsets_off_zone").sql)[0][0])

    def off_log_zone(self, zones: list[str]) -> int | None:
        """With one --log-tz zone (`zones`: log_zones), the request lines whose written offset is not its own at
        their time (timefmt.log_zone's off_zone); else None."""
        return self.log_offsets_off_zone(zones[0]) if len(zones) == 1 else None

    def log_offset_counts(self) -> list[tuple[int, int]]:
        """Each UTC offset written in the logs with its number of request lines, most common first."""
        rows = self.fetchall(queries.get("log_offsets").sql)
        return [(int(r[0]), int(r[1])) for r in rows]

    # -- ad-hoc SQL -----------------------------------------------------------------------------------
    def open_door(self) -> None:
        """Ad-hoc SQL is about to run: lock the configuration (a read-only case is locked from the start)."""
        sandbox.lock(self.con)

    def refuse_writes(self, query: str) -> None:
        """Ad-hoc SQL (yours, not exposure's queries/) reads the case: QueryError with the sandbox's line for a
        statement that would change it (exposure/sandbox.py)."""
        refused = sandbox.reads_only(self.con, query)
        if refused:
            raise QueryError(refused)

    def sql(self, query: str, *, arrow: bool = False, **params: Any) -> Frame:
        """Run ad-hoc SQL on the case, sandboxed (exposure/sandbox.py); parameters are bound as `$name` (never
        interpolated), e.g. `case.sql("SELECT * FROM requests WHERE client = $ip", ip="84.29.143.61")`."""
        self.open_door()
        try:
            self.refuse_writes(query)
            return self.frame(query, params, arrow=arrow)
        except duckdb.Error as exc:
            raise QueryError(sandbox.refusal(exc) or f"query failed: {sandbox.first_line(exc)}") from None
