"""The case database: a DuckDB file holding evidence, requests, rejects and the activity log.

`Case` is the library's front door; the CLI and the notebooks both stand on it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import duckdb

from . import queries, store
from .analysis.clients import classify_user_agents, describe_addresses, parse_cidrs, table_ddl
from .analysis.evidence_status import DEFAULT_GAP_MINUTES
from .analysis.files import check_glob, folder_prefix, internal_flags, ordered_unique
from .analysis.geo import GEO_TABLE_DDL, GeoLookup
from .analysis.targets import Target, parse_target
from .errors import CaseError, CaseInUseError, InputError, QueryError
from .ingest import IngestOptions, IngestResult, ingest_paths, memory_limit
from .timefmt import validate_zone
from .version import TOOL_VERSION

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from .verify import Verification

    Frame: TypeAlias = pd.DataFrame | pa.Table  # what the query methods return: pandas, or pyarrow with arrow=True

SCHEMA_VERSION = 2  # 2: request rows in narrow stores behind the `requests` view (exposure/store.py)
DEFAULT_RANGE_GAP_MINUTES = 30


def __getattr__(name: str) -> Any:
    """`Frame` (pandas DataFrame | pyarrow Table) is built on first use: importing exposure skips pandas."""
    if name == "Frame":
        import pandas as pd
        import pyarrow as pa

        frame = globals()["Frame"] = pd.DataFrame | pa.Table
        return frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class AnalysisOptions:
    """How downloads are judged. The same options give the same numbers."""

    internal: tuple[str, ...] = ()  # CIDRs of the publishing organisation's own addresses
    size: int | None = None  # the file size in bytes, when known; otherwise inferred per window
    display_tz: str | None = None  # IANA zone for local times; default the logs' own offset
    range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES
    geoip_city: str | None = None  # City .mmdb (else $EXPOSURE_GEOIP_CITY, else the packaged GeoLite2-City; 'none': off)
    geoip_asn: str | None = None  # ASN .mmdb (else $EXPOSURE_GEOIP_ASN, else none)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validated(self) -> AnalysisOptions:
        parse_cidrs(self.internal)
        validate_zone(self.display_tz)
        if self.size is not None and self.size <= 0:
            raise InputError("--size must be a positive number of bytes")
        if self.range_gap_minutes <= 0:
            raise InputError("the range gap must be a positive number of minutes")
        return self


class Case:
    """A case file (or a temporary one when `path` is None).

    >>> with Case("leak.duckdb") as case:
    ...     case.ingest(["sample_logs"])
    ...     case.downloads("/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx")
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="exposure-case-")
            path = Path(self._tmpdir) / "case.duckdb"
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise CaseError(f"no case file at {self.path}")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise CaseInUseError(f"case is in use by another process: {self.path}") from None
            raise CaseError(f"cannot open case {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise CaseError(f"cannot open case {self.path}: {exc}") from None
        if new:
            os.chmod(self.path, 0o600)
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET preserve_insertion_order = true")
        if not read_only:
            self._migrate()
        self._check_version()
        self._targets_prepared: tuple[Any, ...] | None = None
        self._raw_target: tuple[Any, ...] | None = None  # the target whose rows target_raw holds

    # -- life cycle -----------------------------------------------------------------------------------
    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            if self._tmpdir:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None

    def _migrate(self) -> None:
        for stmt in queries.statements(queries.get("schema").sql):
            self.con.execute(stmt)
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or row[0] == str(SCHEMA_VERSION):
            store.create_schema(self.con)
        if row is None:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_with', ?)",
                             [str(SCHEMA_VERSION), TOOL_VERSION])

    def _check_version(self) -> None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            raise CaseError(f"{self.path} is not an exposure case file") from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise CaseError(f"{self.path} has case schema version {found}; this exposure ({TOOL_VERSION}) "
                            f"reads version {SCHEMA_VERSION}: re-ingest the evidence into a new case")

    def log_activity(self, command: str, detail: str = "") -> None:
        """Append to the case's activity log (who ran what, with which version, when)."""
        seq = self.con.execute("SELECT coalesce(max(seq), 0) + 1 FROM activity").fetchone()[0]
        self.con.execute("INSERT INTO activity VALUES (?, ?, ?, ?, ?)",
                         [seq, datetime.now(UTC).replace(tzinfo=None), TOOL_VERSION, command, detail])

    # -- evidence -------------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], options: IngestOptions | None = None,
               on_file: Any = None, on_progress: Any = None) -> IngestResult:
        """Hash, register and parse log files and folders. See `exposure.ingest.ingest_paths`."""
        result = ingest_paths(self.con, [str(p) for p in paths], options or IngestOptions(), on_file, on_progress)
        wal = Path(f"{self.path}.wal")
        if self._tmpdir is None and wal.exists() and wal.stat().st_mode & 0o077:
            os.chmod(wal, 0o600)  # DuckDB creates the WAL with the process umask (the CLI sets 0o077)
        self.log_activity("ingest", " ".join(map(str, paths)))
        with memory_limit(self.con):  # write the new row groups out now, under the ingest's memory limit
            self.con.execute("CHECKPOINT")
        self._targets_prepared = self._raw_target = None
        return result

    def evidence(self, *, arrow: bool = False) -> Frame:
        """The evidence registry: one row per input file with hashes (sha256 of the bytes on disk,
        content_sha256 of the decompressed content), format, verdict and line accounting
        (lines = requests + rejected + skipped)."""
        return self._fetch("SELECT * FROM evidence ORDER BY evidence_id", arrow=arrow)

    def rejects(self, *, arrow: bool = False) -> Frame:
        """Rejected lines with file, line number, byte offset and reason."""
        return self._fetch(
            "SELECT e.path, r.* FROM rejects r JOIN evidence e USING (evidence_id) ORDER BY evidence_id, line_no",
            arrow=arrow)

    def log_offsets(self) -> list[int]:
        """UTC offsets written in the logs, most common first."""
        rows = self.con.execute("SELECT utc_offset_min FROM requests WHERE utc_offset_min IS NOT NULL "
                                "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5").fetchall()
        return [int(r[0]) for r in rows]

    # -- analysis -------------------------------------------------------------------------------------
    def prepare(self, targets: Sequence[Target], options: AnalysisOptions) -> None:
        """Write client_info and ua_class for the targets' clients (one lookup per distinct value)."""
        key = (tuple(targets), options.internal, options.geoip_city, options.geoip_asn)
        if self._targets_prepared == key:
            return
        import pandas as pd

        nets = parse_cidrs(options.internal)
        first_seen: dict[str, Any] = {}
        agents: set[str | None] = set()
        for target in targets:
            self._bind_target(target, options)
            for client, agent, seen in self.con.execute(
                    "SELECT client, user_agent, min(ts_utc) FROM target_requests() GROUP BY ALL").fetchall():
                if client is not None and (client not in first_seen or seen < first_seen[client]):
                    first_seen[client] = seen
                agents.add(agent)
        with GeoLookup(options.geoip_city, options.geoip_asn) as geo:
            info = describe_addresses(sorted(first_seen), nets, geo=geo, first_seen=first_seen)  # noqa: F841
            databases = pd.DataFrame([d.as_row() for d in geo.databases],  # noqa: F841
                                     columns=["kind", "database_type", "path", "source", "build_date", "sha256"])
        classes = classify_user_agents(sorted(a for a in agents if a is not None)  # noqa: F841
                                       + ([None] if None in agents else []))
        for name, frame in (("client_info", "info"), ("ua_class", "classes")):
            self.con.execute(table_ddl(name))
            self.con.execute(f"INSERT INTO {name} SELECT * FROM {frame}")  # noqa: S608 (constant names)
        self.con.execute(GEO_TABLE_DDL)
        self.con.execute("INSERT INTO geoip_databases SELECT * FROM databases")
        self._targets_prepared = key

    def _bind_target(self, target: Target, options: AnalysisOptions) -> None:
        for name in ("client_info", "ua_class", "geoip_databases"):
            self._ensure_table(name)
        queries.bind(self.con, {**target.params, "size": options.size,
                                "range_gap_minutes": options.range_gap_minutes})
        # the target's rows (target_raw) are collected again only for another target or after an ingest
        key = tuple(sorted(target.params.items()))
        for stmt in queries.statements(queries.get("target_macros").sql):
            if key != self._raw_target or "TEMP TABLE target_raw" not in stmt:
                self.con.execute(stmt)
        self._raw_target = key

    def _ensure_table(self, name: str) -> None:
        exists = self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
        if not exists:
            self.con.execute(GEO_TABLE_DDL if name == "geoip_databases" else table_ddl(name))

    def target_query(self, name: str, target: str | Target, options: AnalysisOptions | None = None,
                     *, arrow: bool = False) -> Frame:
        """Run a named per-target query (windows, downloads, per_ip, totals, timeline) and return a DataFrame
        (a pyarrow Table with arrow=True)."""
        options = (options or AnalysisOptions()).validated()
        tgt = target if isinstance(target, Target) else parse_target(target)
        self.prepare([tgt], options)
        self._bind_target(tgt, options)
        return self._fetch(queries.get(name).sql, arrow=arrow)

    def windows(self, target: str | Target, options: AnalysisOptions | None = None, *,
                arrow: bool = False) -> Frame:
        """Exposure windows of a target, one row each (queries/windows.sql): first_available/last_available
        (first and last 200/206/304 response), first_unavailable (the 404/410 that ended it; NULL when the
        logs end first), size_bytes used for completeness (size_inferred: most common 200 GET byte count,
        size_votes of size_sample responses), and the evidence lines that bound it."""
        return self.target_query("windows", target, options, arrow=arrow)

    def downloads(self, target: str | Target, options: AnalysisOptions | None = None, *,
                  arrow: bool = False) -> Frame:
        """Downloads of a target (queries/downloads.sql): one row per 200 GET (kind single) or per client's
        group of 206 parts (kind range), outcome complete | partial | undetermined, bytes_delivered, the
        window, internal flag and the evidence lines it rests on."""
        return self.target_query("downloads", target, options, arrow=arrow)

    def per_ip(self, target: str | Target, options: AnalysisOptions | None = None, *,
               arrow: bool = False) -> Frame:
        """Per client address (queries/per_ip.sql): complete and partial downloads, not_modified (304s),
        copy_before_evidence (a 304 without any complete download in the evidence), first/last request."""
        return self.target_query("per_ip", target, options, arrow=arrow)

    def totals(self, target: str | Target, options: AnalysisOptions | None = None) -> dict[str, int]:
        """Headline figures of a target (external addresses only, except internal_complete_downloads)."""
        row = self.target_query("totals", target, options)
        return {k: int(v) for k, v in row.iloc[0].items()}

    def analyse(self, targets: Sequence[str], options: AnalysisOptions | None = None,
                command: str | None = None, verification: Sequence[Verification] | None = None,
                gap_minutes: int = DEFAULT_GAP_MINUTES) -> dict[str, Any]:
        """The JSON answer (schema exposure.analysis/1) for the targets, in the order given. `verification`
        (`exposure.verify.verify_evidence` of this command) and `gap_minutes` (the gap threshold) go into
        its `evidence_status`; without a verification the status says the files were not re-hashed."""
        from .answer import build_answer

        options = (options or AnalysisOptions()).validated()
        parsed = [parse_target(t) for t in targets]
        self.prepare(parsed, options)
        answer = build_answer(self, parsed, options, verification, gap_minutes)
        if command is not None:
            self.log_activity("analyse", command)
        return answer

    def report(self, targets: Sequence[str], out_dir: str | os.PathLike[str], options: AnalysisOptions | None = None,
               settings: Any = None) -> Any:
        """Write the evidentiary report (HTML, PDF, CSV, JSON, MANIFEST.sha256) into `out_dir`.

        `settings` is an `exposure.report.ReportSettings` (language, case info, pseudonyms, pinned time);
        returns an `exposure.report.ReportResult`. Evidence is re-hashed first; problems are flagged on page one.
        """
        from .report import ReportSettings, write_report

        settings = settings or ReportSettings()
        result = write_report(self, targets, options or AnalysisOptions(), out_dir, settings)
        self.log_activity("report", settings.command or f"report {out_dir}")
        return result

    # -- the workbench: requests, gaps, files, timeline -----------------------------------------------
    def requests(self, target: str | Target | None = None, options: AnalysisOptions | None = None, *,
                 client: str | None = None, limit: int | None = None, arrow: bool = False) -> Frame:
        """Requests in time order, one row per log line, with `evidence_path` and `line_no` (1-based) to
        find the raw line. With a target: only its requests (matched as in the analysis), with `internal`
        (address in --internal) and `client_class` (from the user agent). `client` keeps one address;
        `limit` caps the number of rows. Lines of duplicate files are never counted twice."""
        if limit is not None and limit < 0:
            raise InputError("limit must be zero or more")
        if target is None:
            return self._fetch(
                "SELECT e.path AS evidence_path, r.* FROM requests r JOIN evidence e USING (evidence_id) "
                "WHERE e.verdict = 'ingested' AND NOT EXISTS (SELECT 1 FROM overlap_lines o "
                "WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no) "
                "AND ($client IS NULL OR r.client = $client) "
                "ORDER BY r.ts_utc, r.evidence_id, r.line_no LIMIT $limit",
                {"client": client, "limit": limit}, arrow=arrow)
        options = (options or AnalysisOptions()).validated()
        tgt = target if isinstance(target, Target) else parse_target(target)
        self.prepare([tgt], options)
        self._bind_target(tgt, options)
        return self._fetch("SELECT * FROM target_requests() WHERE $client IS NULL OR client = $client "
                           "ORDER BY ts_utc, evidence_id, line_no LIMIT $limit",
                           {"client": client, "limit": limit}, arrow=arrow)

    def timeline(self, target: str | Target, options: AnalysisOptions | None = None, *,
                 arrow: bool = False) -> Frame:
        """The target's requests in time order with what each amounted to (queries/timeline.sql): outcome
        complete | partial | undetermined (a 200 GET), range part (...) (a 206 GET; download_no names its
        group, numbered as in `downloads`), HEAD, not modified (304), unavailable (404/410), errors;
        window_no is the exposure window it falls in."""
        return self.target_query("timeline", target, options, arrow=arrow)

    def gaps(self, gap_minutes: int = 60, *, arrow: bool = False) -> Frame:
        """Periods longer than `gap_minutes` with no log line, per server label (evidence.server, the folder
        a file was found in), from queries/gaps.sql: the last line before and first line after each gap."""
        if gap_minutes <= 0:
            raise InputError("gap_minutes must be a positive number of minutes")
        return self.query("gaps", gap_minutes=gap_minutes, arrow=arrow)

    def files(self, under: str | None = None, glob: str | None = None, *, internal: Sequence[str] = (),
              range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES, arrow: bool = False) -> Frame:
        """Every path served (queries/files.sql), optionally only under a folder or matching a GLOB: first
        and last available response, withdrawn_at (first 404/410 after the last available one), windows and
        closed_windows, size_bytes (most common 200 GET byte count of the path: a first approximation),
        complete_downloads / distinct_ips (external addresses, not in `internal`), partial downloads and
        requests. Paths published and then withdrawn come first."""
        if under is not None and glob is not None:
            raise InputError("give --under or --glob, not both")
        return self.query("files", internal=tuple(internal), path_prefix=folder_prefix(under) if under is not None else None,
                          path_glob=check_glob(glob) if glob is not None else None,
                          range_gap_minutes=range_gap_minutes, arrow=arrow)

    def served_paths(self, glob: str | None = None, under: str | None = None) -> list[str]:
        """Paths (decoded, as stored) with at least one available response (200/206/304), sorted."""
        rows = self.con.execute(
            "SELECT DISTINCT r.path FROM requests r JOIN evidence e USING (evidence_id) "
            "WHERE e.verdict = 'ingested' AND r.status IN (200, 206, 304) AND r.path IS NOT NULL "
            "AND ($glob IS NULL OR r.path GLOB $glob) AND ($under IS NULL OR starts_with(r.path, $under)) "
            "ORDER BY r.path",
            {"glob": check_glob(glob) if glob is not None else None,
             "under": folder_prefix(under) if under is not None else None}).fetchall()
        return [r[0] for r in rows]

    def expand_targets(self, targets: Sequence[str] = (), globs: Sequence[str] = (),
                       unders: Sequence[str] = ()) -> list[str]:
        """The exact targets as given, then for each GLOB pattern and each folder the served paths that match
        (sorted), each path once. A pattern or folder that matches no served path is an error."""
        out = list(targets)
        seen = {parse_target(t).path for t in targets}
        for kind, values in (("glob", globs), ("under", unders)):
            for value in values:
                found = self.served_paths(**{kind: value})
                if not found:
                    what = "--target-glob" if kind == "glob" else "--under"
                    raise InputError(f"{what} {value!r} matches no path served in the case")
                out.extend(p for p in found if p not in seen)
                seen.update(found)
        if not out:
            raise InputError("no target: give --target, --target-glob or --under")
        return ordered_unique(out)

    def _write_internal_flags(self, internal: Sequence[str]) -> None:
        nets = parse_cidrs(internal)
        clients = [r[0] for r in self.con.execute("SELECT DISTINCT client FROM requests").fetchall()]
        flags = internal_flags(clients, nets)  # noqa: F841  (read by DuckDB below)
        self.con.execute("CREATE OR REPLACE TEMP TABLE client_info AS SELECT * FROM flags")
        self._targets_prepared = None  # the per-target client facts must be written again

    # -- documents ------------------------------------------------------------------------------------
    def inspect(self, path: str | os.PathLike[str], show_values: bool = False) -> Any:
        """Inspect a published document (xlsx, docx, pdf, csv, text) for hidden content and personal data;
        register it as evidence and store the findings (tables inspections, inspection_findings,
        inspection_categories). Returns the `exposure.inspect.Inspection`."""
        from .inspect import inspect_file
        from .inspect.store import register

        inspection = inspect_file(path, show_values=show_values)
        register(self.con, path, inspection)
        self.log_activity("inspect", str(path))
        return inspection

    # -- ad-hoc SQL -----------------------------------------------------------------------------------
    def _fetch(self, sql: str, params: dict[str, Any] | None = None, *, arrow: bool = False) -> Frame:
        if arrow:
            return self.con.sql(sql, params=params or None).to_arrow_table()
        return self.con.execute(sql, params or None).df()

    def sql(self, query: str, *, arrow: bool = False, **params: Any) -> Frame:
        """Run ad-hoc SQL on the case; parameters are bound as `$name` (never interpolated), e.g.
        `case.sql("SELECT * FROM requests WHERE client = $ip", ip="84.29.143.61")`."""
        try:
            return self._fetch(query, params, arrow=arrow)
        except duckdb.Error as exc:
            raise QueryError(f"query failed: {exc}") from None

    def query(self, name: str, *, options: AnalysisOptions | None = None, arrow: bool = False,
              **params: Any) -> Frame:
        """Run a named query from queries/ (by NAME, or a .sql file: queries/NAME.sql or your own) with its
        getvariable() parameters bound as DuckDB variables. Queries on one target (windows, downloads, per_ip,
        totals, timeline, ...) take `target=PATH` and optionally `internal` (CIDRs, comma-separated or a list),
        `size` and `range_gap_minutes` (or `options`); target.sql runs first automatically, as do the blocks
        defining other macros the query calls (files.sql: files_requests). `internal` also flags staff
        addresses for `files`. Unset optional parameters are reset to their default."""
        q = named_query(name)
        deps = macro_dependencies(q)
        if queries.get("target_macros") in deps:
            deps = [d for d in deps if d.name != "target_macros"]
            tgt, options = _target_from_params(q.name, params, options)
            self.prepare([tgt], options)
            self._bind_target(tgt, options)
        elif "internal" in params or any("client_info" in b.sql for b in [*deps, q]):
            internal = params.pop("internal", None)  # staff flags for every address, rewritten each time
            self._write_internal_flags(_cidr_list(internal) if internal is not None
                                       else (options.internal if options else ()))
        for table in ("client_info", "ua_class"):
            self._ensure_table(table)
        wanted = sorted({p for b in [*deps, q] for p in b.parameters})
        unknown = sorted(set(params) - set(wanted))
        if unknown:
            raise InputError(f"query {q.name!r} has no parameter {', '.join(unknown)}"
                             f" (its parameters: {', '.join(wanted) or 'none'})")
        missing = [p for p in wanted if p not in params and p not in defaulted_parameters([*deps, q])]
        if missing:
            raise InputError(f"query {q.name!r} needs parameters: {', '.join(missing)}")
        queries.bind(self.con, {p: params.get(p) for p in wanted})
        try:
            for block in deps:
                for stmt in queries.statements(block.sql):
                    self.con.execute(stmt)
            stmts = queries.statements(q.sql)
            for stmt in stmts[:-1]:
                self.con.execute(stmt)
            return self._fetch(stmts[-1], arrow=arrow)
        except duckdb.Error as exc:
            raise QueryError(f"query {q.name!r} ({q.file}) failed: {exc}") from None


_MACRO_DEF = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?MACRO\s+([A-Za-z_]\w*)", re.I)
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(\s*\)")
_DEFAULTED = re.compile(r"coalesce\(\s*getvariable\('([A-Za-z_]\w*)'\)", re.I)


def named_query(text: str) -> queries.NamedQuery:
    """A named query by NAME (`windows`), or the query of a .sql file (`queries/windows.sql`, your own file).
    A file with several named blocks runs the block named after the file (files.sql -> files)."""
    if not text.endswith(".sql") and "/" not in text and os.sep not in text:
        return queries.get(text)
    path = Path(text)
    if not path.is_file():
        candidate = queries.query_dir() / path.name
        if path.parent.name == "queries" and candidate.is_file():
            path = candidate
        else:
            raise QueryError(f"no query file {text}")
    blocks = queries.parse_file(path)
    if len(blocks) == 1:
        return blocks[0]
    for block in blocks:
        if block.name == path.stem:
            return block
    raise QueryError(f"{path} holds several queries ({', '.join(b.name for b in blocks)}): give one by name")


def macro_dependencies(query: queries.NamedQuery) -> list[queries.NamedQuery]:
    """The named blocks that define the table macros `query` calls (in order, each once), e.g. target_macros."""
    defined: dict[str, queries.NamedQuery] = {}
    for block in queries.load_all().values():
        for macro in _MACRO_DEF.findall(block.sql):
            defined.setdefault(macro, block)
    own = set(_MACRO_DEF.findall(query.sql))
    out: list[queries.NamedQuery] = []
    for call in _CALL.findall(query.sql):
        block = defined.get(call)
        if block is not None and call not in own and block is not query and block not in out:
            out.append(block)
    return out


def defaulted_parameters(blocks: Sequence[queries.NamedQuery]) -> set[str]:
    """Parameters read as coalesce(getvariable('x'), default): optional, NULL means the default."""
    return {p for b in blocks for p in _DEFAULTED.findall(b.sql)}


def _cidr_list(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(value)


def _target_from_params(name: str, params: dict[str, Any],
                        options: AnalysisOptions | None) -> tuple[Target, AnalysisOptions]:
    """The target and options of a per-target query from its keyword parameters (popped)."""
    if "target" in params:
        tgt = parse_target(str(params.pop("target")))
    elif "target_path" in params:
        path = str(params.pop("target_path"))
        tgt = Target(given=path, path=path, path_as_given=str(params.pop("target_alt", None) or path),
                     host=params.pop("target_host", None))
    else:
        raise InputError(f"query {name!r} is about one target: give target=/path/of/the/file")
    for key in ("target_alt", "target_host"):
        params.pop(key, None)
    if options is None:
        try:
            size = params.pop("size", None)
            gap = params.pop("range_gap_minutes", None)
            options = AnalysisOptions(internal=_cidr_list(params.pop("internal", None) or ()),
                                      size=int(size) if size not in (None, "") else None,
                                      range_gap_minutes=int(gap) if gap not in (None, "")
                                      else DEFAULT_RANGE_GAP_MINUTES)
        except ValueError:
            raise InputError("size and range_gap_minutes must be whole numbers") from None
    return tgt, options.validated()


def open_case(path: str | os.PathLike[str] | None = None, read_only: bool = False) -> Case:
    """Open (or create) a case file; None gives a temporary case removed on close."""
    return Case(path, read_only=read_only)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)
