"""The seal of a case: a SHA-256 hash chain over what the case holds as evidence and what was done with it.

Every command that writes to a case (ingest, inspect, analyse, report) appends a link when it ends, and an
ingest also appends one per evidence file as soon as the file is stored. A link is SHA-256 over the link
before it and the *items* it seals, each named and digested:

    activity:N        one activity entry (the whole row)
    evidence:N        one row of the evidence registry
    requests:N, rejects:N, skipped:N   the stored rows of evidence file N (exposure/rowdigest.py)
    overlap_lines, overlap_pairs       the repeated lines counted once
    corrupted_members                  damaged gzip members proven corrupted copies (exposure/corruption.py)
    inspection:N      one inspection of a published document with its findings and categories
    meta, schema      the case's settings, and its table, view and macro definitions

The sealed state is the latest digest of every item along the chain. Checking a case recomputes the chain,
then the items, and names each difference: an item changed, missing, or present but never sealed. A link
seals only what its own command wrote (items that already differed from the seal when it began stay
different), so editing a case outside exposure is never blessed by the next command.

What it proves and what it cannot is in the README (Evidence integrity): an editor who rewrites the rows and
recomputes every digest and link after them is only caught by a digest kept outside the case.
"""

from __future__ import annotations

import hashlib
import json
import time
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb

from . import derived, rowdigest
from .escaping import display

if TYPE_CHECKING:
    from .case import CaseFile

SEAL_VERSION = "exposure-seal/1"
GENESIS = "0" * 64
REMOVED = "removed"  # the digest of an item a command removed
# the `meta` key a command that writes holds while it runs (exposure/case.py sealing): found on a writable open,
# a command did not finish. Not sealed (the `meta` item leaves it out): a mark, no evidence.
RUNNING = "running"
# the commands that write to a case: a mark of running names one of them, else it was not written by exposure
# (`Case.log_activity` of the API, any other name: "api")
COMMANDS = frozenset({"ingest", "inspect", "analyse", "report", "recovered", "api"})
NOT_NAMED = "not named"  # a mark of running that names none of them (Case.unfinished)
NEVER_SEALED_WHY = "written outside exposure, or by a command that was killed before it could seal it"
# what mends a file stored and never sealed, and what cannot (exposure/ingest.py IngestOptions.unsealed)
REREAD_MENDS = ("an ingest of the same files reads them again and seals them while their content is what was stored; "
                "one whose content changed since (a new SHA-256: a live log that grew) or that was unreadable when "
                "stored cannot be mended so: only a new case from the same files seals it")
# what the steps over the whole case (exposure/ingest.py settle) write, worked out from what is stored: a command
# killed while it ran them leaves these half written; a recovery works them out anew, whole (Session.settled_again)
SETTLED_TABLES = ("overlap_lines", "overlap_pairs", "corrupted_members", *derived.TABLES)
KEPT_SETTLED = ("corrupted_members",)  # of them, rows the steps keep from run to run (Session.emptied_again)
SETTLED_COLUMNS = frozenset({"stream", "server", "stream_reason", "name_time_utc", "name_time_kind",
                             "bytes_meaning", "bytes_basis", "bytes_basis_detail",
                             "format_lacks"})
BYTES_COLUMNS = frozenset({"bytes_meaning", "bytes_basis", "bytes_basis_detail", "format_lacks"})
SEAL_EVERY = 2.0  # seconds of ingest between file links: a killed ingest loses at most this much sealing
ROW_KINDS = rowdigest.KINDS
# Items that are the evidence (not the record of what was done with it): the digest a report shows is the
# seal as of the last change to one of them.
EVIDENCE_PREFIXES = ("evidence:", "requests:", "rejects:", "skipped:", "overlap_", "inspection:")


@dataclass(frozen=True)
class Item:
    rows: int | None
    digest: str
    content: str | None = None  # the sealed row as canonical JSON, for naming what changed

    def same(self, other: Item | None) -> bool:
        return other is not None and (self.rows, self.digest) == (other.rows, other.digest)


@dataclass(frozen=True)
class Link:
    seq: int
    kind: str  # created | file | command
    activity_seq: int | None
    note: str
    previous: str
    link: str


UNSEALED, MISSING, CHANGED = "never sealed", "missing", "changed"  # the kinds of difference (Finding.what)


@dataclass(frozen=True)
class Finding:
    item: str  # the item (or `link:N`) that does not hold
    message: str  # one line that names it
    # never sealed (written by a command killed before it sealed it, or outside exposure), missing (sealed, gone),
    # changed (sealed, now different; a link that does not hold, another row hash)
    what: str = CHANGED

    def subject(self) -> str:
        """What the item belongs to, without its path: `evidence 5` (its registry row and its rows alike),
        `activity entry 3`, `seal link 4`, the case's settings ..."""
        prefix, _, number = self.item.partition(":")
        if prefix in ("evidence", *ROW_KINDS) and number.isdigit():  # an item written outside may be any name
            return f"evidence {number}"
        if prefix == "link":
            return f"seal link {number}"
        return _label(self.item, {})


@dataclass
class SealCheck:
    """The outcome of checking a case's seal."""

    rows_checked: bool  # every stored row re-hashed (verify, report), or only counted (analyse)
    links: int = 0
    head: str | None = None  # the latest link
    evidence_link: int | None = None  # the link as of the last change to the evidence
    evidence_digest: str | None = None
    evidence_activity: int | None = None  # the activity entry that change belongs to
    unfinished: str | None = None  # a command that stopped before its closing link
    anchor_link: int | None = None  # the link a digest kept outside was found at
    findings: list[Finding] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return not self.findings

    def summary(self, kept: bool = True) -> dict[str, Any]:
        """What the JSON answer and the report carry: not the head, which moves with every command; no digest
        for a case that is not `kept` (a temporary one: there is nothing to check it against later)."""
        return {"holds": self.holds, "checked": "every stored row" if self.rows_checked else "row counts",
                "digest": self.evidence_digest if kept else None, "link": self.evidence_link if kept else None,
                "activity_entry": self.evidence_activity if kept else None,
                "findings": [f.message for f in self.findings]}


# -- canonical digests ------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Reuse:
    """What one command's session computes once and reuses (the seal digests the same content either way):
    the tables' columns, each registry row's canonical JSON while DuckDB's hash of the row is unchanged, and
    the case's macros (the tool makes none; reading them scans every DuckDB function, ~15 ms)."""

    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {}
        self.rows: dict[str, tuple[int, Item]] = {}
        self.macros: list[tuple[Any, ...]] | None = None

    def cols(self, case: CaseFile, table: str) -> list[str]:
        if table not in self.columns:
            self.columns[table] = rowdigest.columns(case, table)
        return self.columns[table]


def _row_items(case: CaseFile, table: str, key: str, prefix: str, only: list[int] | None = None,
               reuse: Reuse | None = None) -> dict[str, Item]:
    """One item per row of `table` (or only the rows whose `key` is in `only`), its content canonical JSON.
    With `reuse`, a row whose DuckDB hash is the one of its last canonical JSON is not fetched and written
    again (a command changes a few registry rows of thousands)."""
    cols = reuse.cols(case, table) if reuse else rowdigest.columns(case, table)
    where = f"WHERE $only IS NULL OR list_contains($only, {key})"
    out: dict[str, Item] = {}
    hashes: dict[Any, int] = {}
    fetch = only
    if reuse is not None:
        hashes = dict(case.fetchall(f"SELECT {key}, hash({', '.join(cols)}) FROM {table} {where}",  # noqa: S608
                                    {"only": only}))
        fetch = []
        for k, h in hashes.items():
            kept = reuse.rows.get(f"{prefix}{k}")
            if kept is not None and kept[0] == h:
                out[f"{prefix}{k}"] = kept[1]
            else:
                fetch.append(k)
    if fetch is None or fetch:
        at = cols.index(key)
        for row in case.fetchall(f"SELECT * FROM {table} {where} ORDER BY {key}", {"only": fetch}):
            content = canonical(list(zip(cols, row, strict=True)))
            name = f"{prefix}{row[at]}"
            out[name] = Item(1, sha256_text(content), content)
            if reuse is not None:
                reuse.rows[name] = (hashes[row[at]], out[name])
    return dict(sorted(out.items(), key=lambda kv: int(kv[0][len(prefix):]))) if reuse is not None else out


def _table_digest(case: CaseFile, table: str, order: str) -> Item:
    rows = case.fetchall(f"SELECT * FROM {table} ORDER BY {order}")
    return Item(len(rows), sha256_text(canonical(rows)))


def _hashed_table(case: CaseFile, table: str) -> Item:
    """A table that may be large, digested in one pass: count, sum and xor of DuckDB's row hash of every column in
    table order (`*COLUMNS(*)`: the columns as DESCRIBE lists them, in the statement itself)."""
    return _hashed_tables(case, [table])[table]


def _hashed_tables(case: CaseFile, tables: list[str]) -> dict[str, Item]:
    """`_hashed_table` of each of `tables`, all in one statement (a command checks its seal three times: one
    statement each, not one per table)."""
    database = rowdigest.case_database(case)
    parts = [f"SELECT {i} AS t, count(*), coalesce(sum(hash(*COLUMNS(*)))::HUGEINT, 0)::VARCHAR, "
             f"coalesce(bit_xor(hash(*COLUMNS(*))), 0)::VARCHAR FROM {rowdigest.stored(case, table, database)}"
             for i, table in enumerate(tables)]
    rows = case.fetchall(" UNION ALL ".join(parts))
    return {tables[t]: Item(int(n), sha256_text(canonical([tables[t], s, x]))) for t, n, s, x in rows}


_MACROS = """SELECT 'macro', function_name, coalesce(macro_definition, '') FROM duckdb_functions()
    WHERE database_name = current_database() AND NOT internal AND function_type IN ('macro', 'table_macro')"""


def _schema_item(case: CaseFile, reuse: Reuse | None = None, without: tuple[str, ...] = ()) -> Item:
    """The persistent tables (columns and types), views and macros of the case: a view or macro put in place
    of the tool's own changes every answer without touching a row. `without`: as if these tables were not there
    (the settled tables a recovery built anew: Session.settled_again)."""
    rows = case.fetchall("""
        SELECT 'column', table_name || '.' || column_name, data_type FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
                  AND NOT list_contains($without::VARCHAR[], table_name)
        UNION ALL SELECT 'view', view_name, sql FROM duckdb_views()
            WHERE database_name = current_database() AND NOT internal AND NOT temporary
        UNION ALL SELECT 'index', index_name, coalesce(sql, '') FROM duckdb_indexes()
            WHERE database_name = current_database()
        UNION ALL SELECT 'sequence', sequence_name, '' FROM duckdb_sequences()
            WHERE database_name = current_database()""", {"without": list(without)})
    if reuse is None or reuse.macros is None:
        macros = case.fetchall(_MACROS)
        if reuse is not None:
            reuse.macros = macros
    else:
        macros = reuse.macros
    # the order ORDER BY ALL gave when this was one statement (bytes of UTF-8 = code points; NULLs last)
    rows = sorted(rows + macros, key=lambda r: tuple((v is None, "" if v is None else v) for v in r))
    return Item(len(rows), sha256_text(canonical(rows)))


def _inspection_items(case: CaseFile) -> dict[str, Item]:
    out = {}
    for (iid,) in case.fetchall("SELECT inspection_id FROM inspections ORDER BY 1"):
        parts = [case.fetchall(f"SELECT * FROM {t} WHERE inspection_id = ? ORDER BY ALL", [iid])
                 for t in ("inspections", "inspection_findings", "inspection_categories")]
        out[f"inspection:{iid}"] = Item(sum(map(len, parts)), sha256_text(canonical(parts)))
    return out


def small_items(case: CaseFile, reuse: Reuse | None = None) -> dict[str, Item]:
    """Every item but the stored rows of evidence files, as the case holds them now."""
    items = {**_row_items(case, "activity", "seq", "activity:", reuse=reuse),
             **_row_items(case, "evidence", "evidence_id", "evidence:", reuse=reuse),
             **_inspection_items(case)}
    items["meta"] = _table_digest(case, f"meta WHERE key <> '{RUNNING}'", "key")
    items["schema"] = _schema_item(case, reuse)
    # what answers read instead of working it out again (exposure/derived.py), each table the case has
    there = {r[0] for r in case.fetchall("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND "
                                         "database_name = current_database() AND list_contains($names, table_name)",
                                         {"names": list(derived.TABLES)})}
    items.update(_hashed_tables(case, ["overlap_lines", "overlap_pairs", "corrupted_members",
                                       *(name for name in derived.TABLES if name in there)]))
    return items


def row_items(case: CaseFile, evidence_ids: list[int] | None = None) -> dict[str, Item]:
    """The stored-row items from the blocks kept at ingest (not from the rows themselves)."""
    return {f"{kind}:{evid}": Item(rows, digest)
            for (evid, kind), (rows, digest) in rowdigest.digests(case, evidence_ids).items()}


# -- the chain --------------------------------------------------------------------------------------------
def link_digest(previous: str, seq: int, kind: str, activity_seq: int | None, note: str,
                items: dict[str, Item]) -> str:
    body = [SEAL_VERSION, previous, seq, kind, activity_seq, note,
            [[name, it.rows, it.digest] for name, it in sorted(items.items())]]
    return sha256_text(canonical(body))


def links(case: CaseFile) -> list[Link]:
    return [Link(*row) for row in case.fetchall(
        "SELECT seq, kind, activity_seq, note, previous, link FROM seal_links ORDER BY seq")]


# the ledger as last read, per open case, with the fingerprint of seal_items it was read at (_ledger)
_LEDGERS: weakref.WeakKeyDictionary[CaseFile, tuple[tuple[Any, ...], dict[int, dict[str, Item]]]] = \
    weakref.WeakKeyDictionary()


def _ledger(case: CaseFile) -> dict[int, dict[str, Item]]:
    """Every sealed item by link (not to be changed by the caller). Turned into Python once per process and open
    case: read again only when seal_items' fingerprint moved (its row count, last link and a hash of every
    row's every column, computed in DuckDB), so an append, or any edit while the case is open, is read anew."""
    key = tuple(case.fetchone("SELECT count(*), max(seq), bit_xor(hash(seq, item, rows, digest, content)) "
                              "FROM seal_items"))
    cached = _LEDGERS.get(case)
    if cached is not None and cached[0] == key:
        return cached[1]
    out: dict[int, dict[str, Item]] = {}
    for seq, name, rows, digest, content in case.fetchall(
            "SELECT seq, item, rows, digest, content FROM seal_items ORDER BY seq, item"):
        out.setdefault(int(seq), {})[name] = Item(rows, digest, content)
    _LEDGERS[case] = (key, out)
    return out


def sealed_state(case: CaseFile, ledger: dict[int, dict[str, Item]] | None = None
                 ) -> tuple[dict[str, Item], dict[str, int]]:
    """The latest sealed digest of every item, and the link that sealed it (from `ledger`, the sealed items
    already read, else read here)."""
    state: dict[str, Item] = {}
    where: dict[str, int] = {}
    for seq, items in sorted((_ledger(case) if ledger is None else ledger).items()):
        for name, item in items.items():
            state[name], where[name] = item, seq
    return state, where


def append(case: CaseFile, kind: str, note: str, items: dict[str, Item], activity_seq: int | None = None) -> str:
    """Append a link sealing `items` (in the caller's transaction); its digest."""
    last = case.fetchone("SELECT seq, link FROM seal_links ORDER BY seq DESC LIMIT 1")
    seq, previous = (int(last[0]) + 1, last[1]) if last else (1, GENESIS)
    digest = link_digest(previous, seq, kind, activity_seq, note, items)
    case.execute("INSERT INTO seal_links VALUES (?, ?, ?, ?, ?, ?)", [seq, kind, activity_seq, note, previous, digest])
    case.insert_rows("seal_items", [{"seq": seq, "item": name, "rows": it.rows, "digest": it.digest,
                                     "content": it.content} for name, it in sorted(items.items())])
    return digest


@dataclass(frozen=True)
class Created:
    """What the first link of a new case sealed, with the session's reuse: the first command of the same process
    starts from it instead of reading the case again (CaseFile hands it over only while the case's files are
    as they were after that link, so nothing was written in between)."""

    items: dict[str, Item]
    reuse: Reuse


def seal_new_case(case: CaseFile, no_macros: bool = False) -> Created:
    """The first link of a new case: its settings, definitions and (empty) tables. `no_macros`: the database was
    made anew by this process (no file before it), so it holds no macro and DuckDB's functions are not read
    (~15 ms, most of a new case's seal); a file that was there, even one without tables, is read."""
    reuse = Reuse()
    if no_macros:
        reuse.macros = []
    items = small_items(case, reuse)
    append(case, "created", "case created", items)
    return Created(items, reuse)


# -- a command's session ------------------------------------------------------------------------------------
class Session:
    """What one command writes, sealed as it goes: evidence files as they are stored (`stored`: one link for
    the files of each SEAL_EVERY seconds) and everything else at its end (`close`).

    Items that differ from the seal when the session begins (edited outside exposure) are never sealed by it.
    """

    def __init__(self, case: CaseFile, created: Created | None = None) -> None:
        self.case = case
        if created is not None:  # the case was just created and sealed by this process, unchanged since
            self.reuse = created.reuse
            sealed, now = dict(created.items), created.items
        else:
            self.reuse = Reuse()
            sealed, _ = sealed_state(case)
            now = small_items(case, self.reuse)
        self.sealed = sealed  # kept up to date by flush (the case is this process's alone while it writes)
        self.broken = {n for n in set(sealed) | set(now)
                       if not n.startswith(ROW_KINDS) and not (n in now and now[n].same(sealed.get(n)))
                       and not (n not in now and sealed[n].digest == REMOVED)}
        self.known_evidence = {int(n.split(":")[1]) for n in now if n.startswith("evidence:")}
        self.never_sealed = frozenset(e for e in self.known_evidence
                                      if not any(f"{k}:{e}" in sealed for k in ("evidence", *ROW_KINDS)))
        self.reread: list[tuple[list[int], int, str]] = []  # never-sealed files read again: (old ids, new id, path)
        self.notes: list[str] = []  # what else it mended, said with it (settled_again)
        self.sealed_files: list[int] = []
        self.meta: dict[str, str] = {}  # keys of `meta` written in the closing transaction (exposure/case.py)
        self.pending: list[int] = []
        self._seen: set[int] = set()
        self._last = time.monotonic()

    def rereadable(self) -> frozenset[int]:
        """The evidence files an ingest of the same file (path and SHA-256: exposure/ingest.py `_registered`) reads
        again and seals (IngestOptions.unsealed): every one no link ever sealed (`never_sealed`: its command was
        killed first), but a document an inspection registered or names (its rows are the inspection's, not a
        read's: it stays named as never sealed)."""
        inspected = {r[0] for r in self.case.fetchall("SELECT evidence_id FROM evidence WHERE verdict = 'inspected' "
                                                      "UNION SELECT evidence_id FROM inspections")}
        return self.never_sealed - inspected

    def edited_derived(self) -> frozenset[str]:
        """The tables derived at settle (exposure/derived.py) that differ from the seal as the command begins (an
        edit made outside exposure): the steps over the case do not write over them before the seal says them."""
        return frozenset(self.broken & set(derived.TABLES))

    def read_again(self, old: list[int], new: int, path: str) -> None:
        """Evidence files no link ever sealed (`never_sealed`: stored by a command killed before it sealed them)
        were removed and stored again from a fresh read of the same file (`path`) as `new`: sealed as a new file
        is. No edit is blessed: nothing of theirs was sealed, and what is sealed now is what the file gives."""
        for e in old:
            self.known_evidence.discard(e)
            self.broken.discard(f"evidence:{e}")
        self.reread.append((list(old), new, path))

    def said(self) -> str:
        """What this command mended, for its link's note, its activity entry and the terminal ('' if nothing)."""
        return "; ".join(filter(None, [read_again_said(self.reread), *self.notes]))

    def settling_again(self) -> list[str]:
        """Before a recovery runs the steps over the whole case again: the settled tables of the case that differ
        from the seal (a command killed while it wrote them), to be dropped and built anew by those steps (the
        overlaps are worked out anew whole anyway; the agents' classes and the addresses' facts only for values
        not yet kept)."""
        there = {r[0] for r in self.case.fetchall(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() "
            "AND list_contains($names, table_name)", {"names": list(derived.TABLES)})}
        return [t for t in derived.TABLES if t in self.broken and t in there]

    def emptied_again(self) -> list[str]:
        """Before a recovery runs the steps over the whole case again: the settled tables whose rows those steps
        keep from run to run (a proof once made: corrupted_members, exposure/corruption.py) that differ from the
        seal, to be emptied and worked out anew from the files: what a killed command or an edit left there is
        never kept, and never blessed."""
        return [t for t in KEPT_SETTLED if t in self.broken]

    def settled_again(self) -> list[str]:
        """After a recovery ran the steps over the whole case again (every settled table worked out anew, every
        registry row's stream and inferred byte meaning written again): an item that differed from the seal when
        the session began only in what those steps write is now what this command wrote, sealed by it and said
        (`notes`). A registry row that differs in any other column, or in a byte meaning given with --bytes (the
        steps do not write it), stays a difference. Returns the items that still differ."""
        now = small_items(self.case, self.reuse)
        tables = [n for n in SETTLED_TABLES if n in self.broken and n in now]
        rows = [n for n in sorted(self.broken, key=_order) if n.startswith("evidence:")
                and _settled_only(self.sealed.get(n), now.get(n))]
        # the definitions differ only by the settled tables the killed command created
        if "schema" in self.broken and _schema_item(self.case, without=derived.TABLES).same(self.sealed.get("schema")):
            tables.append("schema")
        self.broken.difference_update(tables + rows)
        if tables or rows:
            ids = [int(n[9:]) for n in rows]
            named = [*([f"the streams and byte meanings of evidence {id_list(ids)}"] if ids else []),
                     *(_label(n, {}) for n in tables)]
            self.notes.append(f"{', '.join(named)} left half written by the command that did not finish: "
                              "worked out again from what is stored and sealed")
        return sorted(self.broken, key=_order)

    def stored(self, evidence_id: int) -> None:
        """An evidence file was stored (committed): sealed with the files stored since the last file link once
        SEAL_EVERY seconds have passed (a large file at once), so a command killed later keeps them sealed."""
        if evidence_id in self.known_evidence or evidence_id in self._seen:
            return
        self._seen.add(evidence_id)  # a set beside the lists: ten thousand small files, no quadratic look-up
        self.pending.append(evidence_id)
        if time.monotonic() - self._last >= SEAL_EVERY:
            self.flush()

    def flush(self) -> None:
        """Seal the files stored and not yet sealed (one link): their registry rows and row digests."""
        sealed = set(self.sealed_files)
        ids = [e for e in self.pending if e not in sealed]
        self.pending = []
        self._last = time.monotonic()
        if not ids:
            return
        with self.case.transaction():
            registry = _row_items(self.case, "evidence", "evidence_id", "evidence:", ids, self.reuse)
            kept = [e for e in ids if f"evidence:{e}" in registry]
            if not kept:
                return
            rowdigest.write_blocks(self.case, kept)
            items = {**registry, **row_items(self.case, kept)}
            mended = read_again_said([r for r in self.reread if r[1] in kept])
            append(self.case, "file", f"evidence {id_list(kept)} stored" + (f"; {mended}" if mended else ""), items)
        self.sealed.update(items)
        self.sealed_files.extend(kept)

    def rows_changed(self, evidence_ids: list[int]) -> None:
        """The steps over the whole case proved damaged members corrupted copies (exposure/corruption.py) and
        changed the stored rows of `evidence_ids` (lines rejected as corrupted): those already sealed, and the proof
        (`corrupted_members`) where every file it names is sealed, are sealed again now, in the caller's transaction
        (the one that changed them), so a command killed before it closes leaves them sealed and a recovery keeps
        the proof beside the rejections it made. A file no link sealed yet is sealed when its link comes (flush),
        or never (never seal what was not seen written); a proof naming one is worked out anew by a recovery."""
        ids = [e for e in evidence_ids if f"requests:{e}" in self.sealed]
        items: dict[str, Item] = {}
        if ids:
            rowdigest.write_blocks(self.case, ids)
            items.update({**_row_items(self.case, "evidence", "evidence_id", "evidence:", ids, self.reuse),
                          **row_items(self.case, ids)})
        named = self.case.fetchall("SELECT DISTINCT unnest([evidence_id, kept_evidence_id]) FROM corrupted_members")
        proof = _hashed_table(self.case, "corrupted_members")
        if all(f"requests:{e}" in self.sealed for (e,) in named) and not proof.same(self.sealed.get(
                "corrupted_members")):
            items["corrupted_members"] = proof
        if not items:
            return
        said = [*([f"evidence {id_list(ids)}: lines proven corrupted by a gzip member's CRC-32 rejected"] if ids
                  else []), *(["the proof kept (corrupted_members)"] if "corrupted_members" in items else [])]
        append(self.case, "file", "; ".join(said), items)
        self.sealed.update(items)

    def changes(self) -> dict[str, Item]:
        """Every item this session wrote that no link seals yet; the rows of new evidence files not sealed yet
        get their blocks now."""
        sealed = self.sealed
        now = small_items(self.case, self.reuse)
        items = {n: it for n, it in now.items() if n not in self.broken and not it.same(sealed.get(n))}
        for name in sorted(set(sealed) - set(now) - self.broken):
            if not name.startswith(ROW_KINDS) and sealed[name].digest != REMOVED:
                items[name] = Item(0, REMOVED)
        new = [int(n.split(":")[1]) for n in items if n.startswith("evidence:")]
        # the rows of new evidence files not sealed yet, and of files already sealed whose registry row this
        # command changed: the citation rule (queries/citation.sql) moves a copy's request rows to the original
        # that arrives after it (and marks the copy a duplicate), so both files' rows are digested again
        changed = [e for e in new if e not in self.known_evidence or f"requests:{e}" in sealed]
        if changed:
            rowdigest.write_blocks(self.case, changed)
            items.update({n: it for n, it in row_items(self.case, changed).items() if not it.same(sealed.get(n))})
        return items

    def close(self, note: str, activity_seq: int | None) -> str:
        """The closing link (in the caller's transaction), with the command's activity entry."""
        return append(self.case, "command", note, self.changes(), activity_seq)


def _settled_only(sealed: Item | None, now: Item | None) -> bool:
    """A registry row sealed and now different only in columns the steps over the whole case write for such a
    row, as they write them: its stream columns where it is a row streams are assigned to (not `not a log`, not
    `inspected`); its byte meaning where it is an ingested file whose meaning is assumed or inferred before and
    after (never one given with --bytes: facts.infer_facts writes no other), its format_lacks only by the swap
    that inference makes. The `running` mark that starts a recovery is not sealed (anyone can write it): a value
    no settling step would have written stays a difference, never blessed (an edit made outside exposure)."""
    from .formats.clf import LACKS_BODY, LACKS_WIRE
    from .streams import has_stream

    if sealed is None or now is None or sealed.content is None or now.content is None:
        return False
    try:
        before, after = dict(json.loads(sealed.content)), dict(json.loads(now.content))
    except (ValueError, TypeError):
        return False
    changed = {c for c in set(before) | set(after) if before.get(c) != after.get(c)}
    if not changed or not changed <= SETTLED_COLUMNS:
        return False
    if changed - BYTES_COLUMNS and not has_stream(before.get("verdict"), before.get("damage")):
        return False
    if changed & BYTES_COLUMNS:
        inferred = {"assumed", "inferred"}
        if before.get("verdict") != "ingested" or not {before.get("bytes_basis"), after.get("bytes_basis")} <= inferred:
            return False
        old, new = before.get("format_lacks") or "", after.get("format_lacks") or ""
        if old != new and new not in (old.replace(LACKS_WIRE, LACKS_BODY), old.replace(LACKS_BODY, LACKS_WIRE)):
            return False
    return True


def read_again_said(reread: list[tuple[list[int], int, str]]) -> str:
    """One sentence for never-sealed evidence files read again and sealed ('' for none): their ids, and for
    each file whose id is not its old one, old and new id with its path."""
    old = sorted(e for ids, _, _ in reread for e in ids)
    if not old:
        return ""
    verb = "was" if len(old) == 1 else "were"
    moved = [f"evidence {id_list(ids)} now evidence {new}: {path}" for ids, new, path in reread if ids != [new]]
    now = f" ({'; '.join(moved)})" if moved else ""
    return (f"evidence {id_list(old)} {verb} stored by a command that ended before sealing "
            f"{'it' if len(old) == 1 else 'them'}: read again from {'its file' if len(old) == 1 else 'their files'} "
            f"and sealed{now}")


def id_list(ids: list[int], limit: int = 10) -> str:
    """`3`, `3, 5`, `3-9` (consecutive) or `1-4, 7, 9-12`: runs of consecutive ids; past `limit` runs, the count
    of the rest."""
    runs: list[list[int]] = []
    for e in sorted(set(ids)):
        if runs and e == runs[-1][-1] + 1:
            runs[-1].append(e)
        else:
            runs.append([e])
    parts = [f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    rest = sum(len(r) for r in runs[limit:])
    return ", ".join(parts[:limit]) + (f" and {rest} more" if rest else "")


# -- checking ---------------------------------------------------------------------------------------------
def check(case: CaseFile, rows: bool, reuse: Reuse | None = None) -> SealCheck:
    """Check the chain and every item; with `rows`, re-hash every stored row (else only count them). `reuse`: a
    session's (the command that just wrote), so a registry row whose DuckDB hash is the one it sealed is not
    turned into canonical JSON again (an ingest of a thousand files checks the seal at its end)."""
    result = SealCheck(rows_checked=rows)
    chain = links(case)
    ledger = _ledger(case)
    result.links = len(chain)
    result.head = chain[-1].link if chain else None
    _check_chain(chain, ledger, result)
    sealed, where = sealed_state(case, ledger)  # the items the chain was checked with, not read a second time
    now = small_items(case, reuse)
    paths = {f"evidence:{e}": p or "" for e, p in case.fetchall("SELECT evidence_id, path FROM evidence")}
    for name in sorted(set(sealed) | set(now), key=_order):
        if name.startswith(ROW_KINDS):
            continue
        _compare(name, sealed.get(name), now.get(name), where.get(name), paths, result)
    _check_rows(case, sealed, where, rows, paths, result)
    _evidence_link(chain, ledger, result)
    if chain and chain[-1].kind == "file":
        result.unfinished = chain[-1].note
    return result


def _order(name: str) -> tuple[str, int]:
    prefix, _, number = name.partition(":")
    return prefix, int(number) if number.isdigit() else 0


def _check_chain(chain: list[Link], ledger: dict[int, dict[str, Item]], result: SealCheck) -> None:
    if not chain:
        result.findings.append(Finding("link:0", "the case has no seal (no link at all)"))
        return
    previous = GENESIS
    for expected_seq, link in enumerate(chain, start=1):
        items = ledger.get(link.seq, {})
        if link.seq != expected_seq:
            result.findings.append(Finding(f"link:{expected_seq}", f"seal link {expected_seq} is missing"))
            break
        if link.previous != previous or link.link != link_digest(
                link.previous, link.seq, link.kind, link.activity_seq, link.note, items):
            what = f" (activity entry {link.activity_seq})" if link.activity_seq else ""
            result.findings.append(Finding(f"link:{link.seq}", f"seal link {link.seq}{what} does not hold: "
                                           "the link or what it sealed was altered"))
        previous = link.link
    orphans = sorted(set(ledger) - {lk.seq for lk in chain})
    if orphans:
        result.findings.append(Finding(f"link:{orphans[0]}", f"sealed items of link {orphans[0]} have no link"))


def _label(name: str, paths: dict[str, str]) -> str:
    prefix, _, number = name.partition(":")
    if prefix == "activity":
        return f"activity entry {number}"
    if prefix == "evidence":
        path = paths.get(name)
        return f"evidence {number}" + (f" ({display(path)})" if path else "")
    if prefix == "inspection":
        return f"inspection {number}"
    return {"meta": "the case's settings (table meta)", "schema": "the case's table, view and macro definitions",
            "overlap_lines": "the repeated lines counted once (overlap_lines)",
            "overlap_pairs": "the overlapping file pairs (overlap_pairs)",
            "corrupted_members": "the damaged members proven corrupted copies (corrupted_members)",
            **derived.LABELS}.get(name, name)


def _compare(name: str, sealed: Item | None, now: Item | None, at: int | None, paths: dict[str, str],
             result: SealCheck) -> None:
    def label() -> str:  # made only for a finding (a thousand files' items compared, none differing: no label)
        return _label(name, paths) + (": registry row" if name.startswith("evidence:") else "")

    if sealed is not None and sealed.digest == REMOVED:
        sealed = None
    if now is None and sealed is None:
        return
    if now is None:
        result.findings.append(Finding(name, f"{label()} missing (sealed at link {at})", MISSING))
    elif sealed is None:
        result.findings.append(Finding(name, f"{label()} not sealed ({NEVER_SEALED_WHY})", UNSEALED))
    elif not now.same(sealed):
        result.findings.append(Finding(name, f"{label()} differs from the one sealed at link {at}"
                                             + _what_changed(sealed, now)))


def _what_changed(sealed: Item, now: Item) -> str:
    """The columns whose values differ, sealed and now (for rows whose content the seal keeps)."""
    if sealed.content is None or now.content is None:
        if sealed.rows != now.rows:
            return f" ({sealed.rows} rows sealed, {now.rows} now)"
        return ""
    try:
        before, after = dict(json.loads(sealed.content)), dict(json.loads(now.content))
    except (ValueError, TypeError):
        return ""
    diffs = [f"{col} was {display(repr(before.get(col)), 80)}, now {display(repr(after.get(col)), 80)}"
             for col in sorted(set(before) | set(after)) if before.get(col) != after.get(col)]
    return ": " + "; ".join(diffs) if diffs else ""


def _check_rows(case: CaseFile, sealed: dict[str, Item], where: dict[str, int], rows: bool,
                paths: dict[str, str], result: SealCheck) -> None:
    sealed_rows = {n: it for n, it in sealed.items() if n.startswith(ROW_KINDS)}
    kept = row_items(case)
    for name in sorted(set(sealed_rows) | set(kept), key=_order):
        s, k = sealed_rows.get(name), kept.get(name)
        if s is not None and k is not None and not s.same(k):
            result.findings.append(Finding(name, f"{_rows_label(name, paths)}: their digests kept at ingest "
                                                 f"differ from those sealed at link {where.get(name)}"))
        elif s is None and k is not None and k.rows:
            result.findings.append(Finding(name, f"{_rows_label(name, paths)}: their digests are not sealed", UNSEALED))
    counts = rowdigest.counts(case)
    for (evid, kind), n in sorted(counts.items()):
        name = f"{kind}:{evid}"
        if name not in sealed_rows:
            result.findings.append(Finding(name, f"{_rows_label(name, paths)}: {n} rows not sealed "
                                                 f"({NEVER_SEALED_WHY})", UNSEALED))
    if not rows:
        for name, s in sorted(sealed_rows.items(), key=lambda kv: _order(kv[0])):
            evid, kind = int(name.split(":")[1]), name.split(":")[0]
            n = counts.get((evid, kind), 0)
            if s.rows != n:
                result.findings.append(Finding(name, f"{_rows_label(name, paths)}: {s.rows} rows sealed, {n} now"))
        return
    _check_probe(case, result)
    diffs = [d for d in rowdigest.differing_blocks(case) if f"{d.kind}:{d.evidence_id}" in sealed_rows]
    by_item: dict[str, list[rowdigest.BlockDiff]] = {}
    for d in diffs:
        by_item.setdefault(f"{d.kind}:{d.evidence_id}", []).append(d)
    lines = dict(case.fetchall("SELECT evidence_id, lines FROM evidence"))
    for name, blocks in sorted(by_item.items(), key=lambda kv: _order(kv[0])):
        evid = blocks[0].evidence_id
        shown = ", ".join(f"{b.first_line}-{b.last_line}" for b in blocks[:5]) + (
            f" and {len(blocks) - 5} more blocks" if len(blocks) > 5 else "")
        sealed_n, now_n = sum(b.sealed_rows for b in blocks), sum(b.rows_now for b in blocks)
        message = (f"{_rows_label(name, paths)} differ from the seal in lines {shown} "
                   f"({sealed_n} rows sealed there, {now_n} now)")
        if now_n < sealed_n and lines.get(evid):
            gone = [n for b in blocks for n in rowdigest.unaccounted_lines(case, evid, int(lines[evid]),
                                                                           b.first_line, b.last_line)][:10]
            if gone:
                message += f"; no request, rejected or skipped row for line {', '.join(map(str, gone))}"
        result.findings.append(Finding(name, message))


def check_anchor(case: CaseFile, anchor: str, result: SealCheck) -> None:
    """The digest kept outside the case must be one of its links."""
    wanted = anchor.strip().lower()
    row = case.fetchone("SELECT seq FROM seal_links WHERE link = ?", [wanted])
    if row is None:
        result.findings.append(Finding("anchor", f"the digest kept outside ({display(wanted, 80)}) is no link of "
                                                 "this case's seal: the case was rewritten since, or it is "
                                                 "another case"))
    else:
        result.anchor_link = int(row[0])


def _check_probe(case: CaseFile, result: SealCheck) -> None:
    row = case.fetchone("SELECT value FROM meta WHERE key = 'row_hash_probe'")
    if row is None or row[0] != rowdigest.probe(case):
        made = case.fetchone("SELECT value FROM meta WHERE key = 'duckdb_version'")
        result.findings.append(Finding("meta", "the row digests were made with another row hash "
                                               f"(duckdb {made[0] if made else 'unknown'}, this is "
                                               f"{duckdb.__version__}): stored rows cannot be checked here"))


def _rows_label(name: str, paths: dict[str, str]) -> str:
    kind, _, evid = name.partition(":")
    what = {"requests": "request rows", "rejects": "rejected lines", "skipped": "skipped lines"}[kind]
    return f"{_label(f'evidence:{evid}', paths)}: {what}"


def _evidence_link(chain: list[Link], ledger: dict[int, dict[str, Item]], result: SealCheck) -> None:
    """The link as of the last change to the evidence: the closing link of the command that made it (or its
    last file link when the command never closed)."""
    pending: Link | None = None
    for link in chain:
        changed = any(name.startswith(EVIDENCE_PREFIXES) for name in ledger.get(link.seq, {}))
        if changed and link.kind != "command":
            pending = link
            continue
        if link.kind == "command" and (changed or pending is not None):
            pending = None
            result.evidence_link, result.evidence_digest = link.seq, link.link
            result.evidence_activity = link.activity_seq
    if pending is not None:
        result.evidence_link, result.evidence_digest = pending.seq, pending.link
        result.evidence_activity = None
    if result.evidence_link is None and chain:
        result.evidence_link, result.evidence_digest = chain[0].seq, chain[0].link

