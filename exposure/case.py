"""The case database: a DuckDB file holding evidence, requests, rejects and the activity log.

`Case` is the library's front door; the CLI and the notebooks both stand on it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import queries
from .analysis.clients import classify_user_agents, describe_addresses, parse_cidrs
from .analysis.targets import Target, parse_target
from .errors import CaseError, CaseInUseError, InputError
from .ingest import IngestOptions, IngestResult, ingest_paths
from .timefmt import validate_zone
from .version import TOOL_VERSION

SCHEMA_VERSION = 1
DEFAULT_RANGE_GAP_MINUTES = 30


@dataclass(frozen=True)
class AnalysisOptions:
    """How downloads are judged. The same options give the same numbers."""

    internal: tuple[str, ...] = ()  # CIDRs of the publishing organisation's own addresses
    size: int | None = None  # the file size in bytes, when known; otherwise inferred per window
    display_tz: str | None = None  # IANA zone for local times; default the logs' own offset
    range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES
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
               on_file: Any = None) -> IngestResult:
        """Hash, register and parse log files and folders. See `exposure.ingest.ingest_paths`."""
        result = ingest_paths(self.con, [str(p) for p in paths], options or IngestOptions(), on_file)
        self.log_activity("ingest", " ".join(map(str, paths)))
        self._targets_prepared = None
        return result

    def evidence(self) -> pd.DataFrame:
        """The evidence registry: one row per input file with hashes, format, verdict and line accounting."""
        return self.con.execute("SELECT * FROM evidence ORDER BY evidence_id").df()

    def rejects(self) -> pd.DataFrame:
        """Rejected lines with file, line number, byte offset and reason."""
        return self.con.execute(
            "SELECT e.path, r.* FROM rejects r JOIN evidence e USING (evidence_id) ORDER BY evidence_id, line_no"
        ).df()

    def log_offsets(self) -> list[int]:
        """UTC offsets written in the logs, most common first."""
        rows = self.con.execute("SELECT utc_offset_min FROM requests WHERE utc_offset_min IS NOT NULL "
                                "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5").fetchall()
        return [int(r[0]) for r in rows]

    # -- analysis -------------------------------------------------------------------------------------
    def prepare(self, targets: Sequence[Target], options: AnalysisOptions) -> None:
        """Write client_info and ua_class for the targets' clients (one lookup per distinct value)."""
        key = (tuple(targets), options.internal)
        if self._targets_prepared == key:
            return
        nets = parse_cidrs(options.internal)
        clients: set[str | None] = set()
        agents: set[str | None] = set()
        for target in targets:
            self._bind_target(target, options)
            for client, agent in self.con.execute(
                    "SELECT DISTINCT client, user_agent FROM target_requests()").fetchall():
                clients.add(client)
                agents.add(agent)
        info = describe_addresses(sorted(c for c in clients if c is not None), nets)  # noqa: F841
        classes = classify_user_agents(sorted(a for a in agents if a is not None)  # noqa: F841
                                       + ([None] if None in agents else []))
        self.con.execute("CREATE OR REPLACE TEMP TABLE client_info AS SELECT * FROM info")
        self.con.execute("CREATE OR REPLACE TEMP TABLE ua_class AS SELECT * FROM classes")
        self._targets_prepared = key

    def _bind_target(self, target: Target, options: AnalysisOptions) -> None:
        for name in ("client_info", "ua_class"):
            self._ensure_table(name)
        queries.bind(self.con, {**target.params, "size": options.size,
                                "range_gap_minutes": options.range_gap_minutes})
        for stmt in queries.statements(queries.get("target_macros").sql):
            self.con.execute(stmt)

    def _ensure_table(self, name: str) -> None:
        exists = self.con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
        if not exists:
            if name == "client_info":
                self.con.execute("CREATE TEMP TABLE client_info (client VARCHAR, address VARCHAR, "
                                 "internal BOOLEAN, network_type VARCHAR)")
            else:
                self.con.execute("CREATE TEMP TABLE ua_class (user_agent VARCHAR, client_class VARCHAR, "
                                 "client_name VARCHAR)")

    def target_query(self, name: str, target: str | Target, options: AnalysisOptions | None = None) -> pd.DataFrame:
        """Run a named per-target query (windows, downloads, per_ip, totals) and return a DataFrame."""
        options = (options or AnalysisOptions()).validated()
        tgt = target if isinstance(target, Target) else parse_target(target)
        self.prepare([tgt], options)
        self._bind_target(tgt, options)
        return self.con.execute(queries.get(name).sql).df()

    def windows(self, target: str | Target, options: AnalysisOptions | None = None) -> pd.DataFrame:
        """Exposure windows of a target: first/last available, first unavailable, size used."""
        return self.target_query("windows", target, options)

    def downloads(self, target: str | Target, options: AnalysisOptions | None = None) -> pd.DataFrame:
        """Downloads of a target (complete, partial, undetermined), internal ones flagged."""
        return self.target_query("downloads", target, options)

    def per_ip(self, target: str | Target, options: AnalysisOptions | None = None) -> pd.DataFrame:
        """Per client address: complete and partial downloads, 304s, copy_before_evidence."""
        return self.target_query("per_ip", target, options)

    def totals(self, target: str | Target, options: AnalysisOptions | None = None) -> dict[str, int]:
        """Headline figures of a target (external addresses only, except internal_complete_downloads)."""
        row = self.target_query("totals", target, options)
        return {k: int(v) for k, v in row.iloc[0].items()}

    def analyse(self, targets: Sequence[str], options: AnalysisOptions | None = None,
                command: str | None = None) -> dict[str, Any]:
        """The JSON answer (schema exposure.analysis/1) for the targets, in the order given."""
        from .answer import build_answer

        options = (options or AnalysisOptions()).validated()
        parsed = [parse_target(t) for t in targets]
        self.prepare(parsed, options)
        answer = build_answer(self, parsed, options)
        if command is not None:
            self.log_activity("analyse", command)
        return answer

    # -- ad-hoc SQL -----------------------------------------------------------------------------------
    def sql(self, query: str, **params: Any) -> pd.DataFrame:
        """Run ad-hoc SQL; parameters are bound as `$name` (never interpolated)."""
        return self.con.execute(query, params or None).df()

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """Run a named query from queries/ with its getvariable() parameters bound."""
        q = queries.get(name)
        missing = [p for p in q.parameters if p not in params]
        if missing and "target_path" in missing and "target" in params:
            tgt = parse_target(params.pop("target"))
            params.update(tgt.params)
            missing = [p for p in q.parameters if p not in params]
        if missing:
            raise InputError(f"query {name!r} needs parameters: {', '.join(missing)}")
        queries.bind(self.con, params)
        stmts = queries.statements(q.sql)
        for stmt in stmts[:-1]:
            self.con.execute(stmt)
        return self.con.execute(stmts[-1]).df()


def open_case(path: str | os.PathLike[str] | None = None, read_only: bool = False) -> Case:
    """Open (or create) a case file; None gives a temporary case removed on close."""
    return Case(path, read_only=read_only)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr)
