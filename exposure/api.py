"""`exposure.Case`: the library's front door, a thin facade over the rooms below it.

    CaseFile  (exposure/case.py)               connection, schema, activity log, evidence, ingest, ad-hoc SQL
    Analyser  (exposure/analysis/analyser.py)  targets: binding, target_raw, windows, downloads, per_ip, ...
    outputs   (exposure/answer.py, report/)    the JSON answer and the report, built from the two above

Each method here is one call into a room (plus the activity log where the case records a command). The CLI
and the notebooks stand on this class; code inside the library takes the room it needs instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .analysis.options import (
    DEFAULT_GAP_FACTOR,
    DEFAULT_GAP_MINUTES,
    DEFAULT_RANGE_GAP_MINUTES,
    AnalysisOptions,
)
from .analysis.targets import Target
from .case import CaseFile
from .ingest import IngestOptions, IngestResult
from .notebook import make_inert
from .timefmt import utc_aware

if TYPE_CHECKING:
    import duckdb

    from .analysis.analyser import Analyser
    from .case import Frame
    from .findings import Finding, Window
    from .seal import SealCheck
    from .verify import CaseVerification, Verification

__all__ = ["AnalysisOptions", "Case", "open_case"]


class _analysis_doc:
    """A Case method that keeps the Analyser's docstring of the same name (what each column means, written
    once there), taken when the method is first looked up: `help(Case.windows)` in a notebook shows it, and a
    command that only ingests never imports the analysis (start-up)."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.name = fn.__name__

    def __get__(self, obj: object, owner: type | None = None) -> Callable[..., Any]:
        if self.fn.__doc__ is None:
            from .analysis.analyser import Analyser

            self.fn.__doc__ = getattr(Analyser, self.name).__doc__
        return self.fn.__get__(obj, owner)


class Case:
    """A case file (or a temporary one when `path` is None).

    >>> with Case("leak.duckdb") as case:
    ...     case.ingest(["sample_logs"])
    ...     case.downloads("/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx")
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.file = CaseFile(path, read_only=read_only)
        if "IPython" in sys.modules:  # in a notebook: its frames are shown by the one display rule
            make_inert()

    @cached_property
    def analysis(self) -> Analyser:
        """The analysis room, made on first use: a command that only ingests never imports it (start-up)."""
        from .analysis.analyser import Analyser

        return Analyser(self.file)

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The case's DuckDB connection, for a notebook or a test that wants raw SQL; code inside the library
        goes through `CaseFile`'s interface instead."""
        return self.file.con

    # -- life cycle -----------------------------------------------------------------------------------
    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.file.close()

    def log_activity(self, command: str, detail: str = "") -> None:
        """Append to the case's activity log (who ran what, with which version, when)."""
        self.file.log_activity(command, detail)

    # -- evidence -------------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | os.PathLike[str]], options: IngestOptions | None = None,
               on_file: Any = None, on_progress: Any = None) -> IngestResult:
        """Hash, register and parse log files and folders. See `exposure.ingest.ingest_paths`."""
        return self.file.ingest(paths, options, on_file, on_progress)

    def evidence(self, *, arrow: bool = False) -> Frame:
        """The evidence registry: one row per input file with hashes (sha256 of the bytes on disk,
        content_sha256 of the decompressed content), format, verdict and line accounting
        (lines = requests + rejected + skipped)."""
        return utc_aware(self.file.evidence(arrow=arrow))

    def rejects(self, *, arrow: bool = False) -> Frame:
        """Rejected lines with file, line number, byte offset and reason."""
        return utc_aware(self.file.rejects(arrow=arrow))

    def log_offsets(self) -> list[int]:
        """UTC offsets written in the logs, most common first."""
        return self.file.log_offsets()

    def findings(self, windows: Sequence[Window] | None = None,
                 options: AnalysisOptions | None = None) -> list[Finding]:
        """Everything found about the evidence (queries/findings.sql): each `exposure.findings.Finding` is
        `incomplete` (unreadable, damaged, truncated, every line rejected: exit code 3) or `stated` (duplicates,
        overlaps, gaps, files that are not logs, rejected lines ...). Without `windows` every finding is listed as
        `exposure sql findings` lists it, a silence at a stream's edge (a gap `fact` 'after its last line', 'before
        its first line') wherever it falls; with `windows` (a target's, as the answer's) a finding inside one says
        so (`in_window`) and a stream's edge is kept only inside one, as the answer keeps it."""
        from .findings import evidence_findings

        options = options or AnalysisOptions()
        return evidence_findings(self.file, windows, options.gap_minutes, options.gap_factor)

    def verify(self, paths: Sequence[str] | None = None, anchor: str | None = None) -> CaseVerification:
        """Re-hash the evidence files (or those at `paths`) and check the case's seal, every stored row
        included (`exposure.verify.CaseVerification`: `.files`, one `Verification` each, and `.seal`). `anchor`
        is a digest kept outside the case, which must be a link of its seal. Works on a read-only case."""
        from .verify import verify_case

        return verify_case(self.file, list(paths) if paths else None, anchor)

    def seal_check(self, rows: bool = False) -> SealCheck:
        """Check the case's seal: the chain, the registry, the activity log and the stored rows (with `rows`
        every row re-hashed, else counted). `.holds`, `.findings` (one line each), `.evidence_digest`."""
        return self.file.seal_check(rows)

    # -- analysis -------------------------------------------------------------------------------------
    def prepare(self, targets: Sequence[Target], options: AnalysisOptions) -> None:
        """Write client_info and ua_class for the targets' clients (one lookup per distinct value)."""
        self.analysis.prepare(targets, options)

    def target_query(self, name: str, target: str | Target, options: AnalysisOptions | None = None,
                     *, arrow: bool = False) -> Frame:
        """Run a named per-target query (windows, downloads, per_ip, totals, timeline) and return a DataFrame
        (a pyarrow Table with arrow=True)."""
        return utc_aware(self.analysis.target_query(name, target, options, arrow=arrow))

    @_analysis_doc
    def windows(self, target: str | Target, options: AnalysisOptions | None = None, *,
                arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.windows(target, options, arrow=arrow))

    @_analysis_doc
    def downloads(self, target: str | Target, options: AnalysisOptions | None = None, *,
                  arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.downloads(target, options, arrow=arrow))

    @_analysis_doc
    def per_ip(self, target: str | Target, options: AnalysisOptions | None = None, *,
               arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.per_ip(target, options, arrow=arrow))

    @_analysis_doc
    def totals(self, target: str | Target, options: AnalysisOptions | None = None) -> dict[str, int]:
        return self.analysis.totals(target, options)

    @_analysis_doc
    def possible_copies(self, target: str | Target, options: AnalysisOptions | None = None, *,
                        arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.possible_copies(target, options, arrow=arrow))

    @_analysis_doc
    def timeline(self, target: str | Target, options: AnalysisOptions | None = None, *,
                 arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.timeline(target, options, arrow=arrow))

    @_analysis_doc
    def requests(self, target: str | Target | None = None, options: AnalysisOptions | None = None, *,
                 client: str | None = None, limit: int | None = None, arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.requests(target, options, client=client, limit=limit, arrow=arrow))

    @_analysis_doc
    def gaps(self, gap_minutes: int = DEFAULT_GAP_MINUTES, gap_factor: float = DEFAULT_GAP_FACTOR, *,
             arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.gaps(gap_minutes, gap_factor, arrow=arrow))

    @_analysis_doc
    def files(self, under: str | None = None, glob: str | None = None, *, internal: Sequence[str] = (),
              range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES, targets: Sequence[str] = (),
              arrow: bool = False) -> Frame:
        return utc_aware(self.analysis.files(under, glob, internal=internal, range_gap_minutes=range_gap_minutes,
                                             targets=targets, arrow=arrow))

    @_analysis_doc
    def served_paths(self, glob: str | None = None, under: str | None = None) -> list[str]:
        return self.analysis.served_paths(glob, under)

    @_analysis_doc
    def expand_targets(self, targets: Sequence[str] = (), globs: Sequence[str] = (),
                       unders: Sequence[str] = ()) -> list[str]:
        return self.analysis.expand_targets(targets, globs, unders)

    # -- outputs ----------------------------------------------------------------------------------------
    def analyse(self, targets: Sequence[str], options: AnalysisOptions | None = None,
                command: str | None = None,
                verification: Sequence[Verification] | CaseVerification | None = None) -> dict[str, Any]:
        """The JSON answer (schema exposure.analysis/1) for the targets, in the order given. `verification`
        (`Case.verify()` of this command, or its `.files`) adds its findings to the answer's `findings` and
        `evidence_status`; without a verification the status says the files were not re-hashed. The case's seal
        is checked first (row counts; every row when `verification` is a `Case.verify()`). The gap threshold is
        `options.gap_minutes` and `options.gap_factor`."""
        from .answer import analyse
        from .verify import CaseVerification

        seal = None
        if isinstance(verification, CaseVerification):  # Case.verify(): the files and the full seal check
            verification, seal = verification.files, verification.seal
        if command is None:
            return analyse(self.analysis, targets, options or AnalysisOptions(), verification, seal)
        with self.file.sealing("analyse", command):
            return analyse(self.analysis, targets, options or AnalysisOptions(), verification, seal)

    def report(self, targets: Sequence[str], out_dir: str | os.PathLike[str], options: AnalysisOptions | None = None,
               settings: Any = None) -> Any:
        """Write the evidentiary report (HTML, PDF, CSV, JSON, MANIFEST.sha256) into `out_dir`.

        `settings` is an `exposure.report.ReportSettings` (language, case info, pseudonyms, pinned time);
        returns an `exposure.report.ReportResult`. Evidence is re-hashed first; problems are flagged on page one.
        """
        from .report import ReportSettings, write_report

        settings = settings or ReportSettings()
        with self.file.sealing("report", settings.command or f"report {out_dir}"):
            return write_report(self.analysis, targets, options or AnalysisOptions(), out_dir, settings)

    def inspect(self, path: str | os.PathLike[str], show_values: bool = False) -> Any:
        """Inspect a published document (xlsx, docx, pdf, csv, text) for hidden content and personal data;
        register it as evidence and store the findings (tables inspections, inspection_findings,
        inspection_categories). Returns the `exposure.inspect.Inspection`."""
        from .inspect import inspect_file
        from .inspect.store import register

        inspection = inspect_file(path, show_values=show_values)
        with self.file.sealing("inspect", str(path)):
            register(self.file, path, inspection)
        return inspection

    def export_parquet(self, out_dir: str | os.PathLike[str]) -> int:
        """Every request as Parquet partitioned by date and host (see `exposure.export`); the row count."""
        from .export import export_parquet

        return export_parquet(self.file, out_dir)

    # -- ad-hoc SQL -----------------------------------------------------------------------------------
    def sql(self, query: str, *, arrow: bool = False, **params: Any) -> Frame:
        """Run ad-hoc SQL on the case (timestamps come back marked UTC, as every frame of this class); parameters
        are bound as `$name` (never interpolated), e.g.
        `case.sql("SELECT * FROM requests WHERE client = $ip", ip="84.29.143.61")`. Sandboxed: no file but the
        case, no network, no extensions, no settings (`exposure.sandbox`)."""
        return utc_aware(self.file.sql(query, arrow=arrow, **params))

    def query(self, name: str, *, options: AnalysisOptions | None = None, arrow: bool = False,
              **params: Any) -> Frame:
        """Run a named query from queries/ (by NAME, or a .sql file: queries/NAME.sql or your own) with its
        declared parameters (`-- params:`) bound as DuckDB variables. Queries on one target (windows,
        downloads, per_ip, totals, timeline, ...) take `target=PATH` and optionally `internal` (CIDRs,
        comma-separated or a list), `size` and `range_gap_minutes` (or `options`); the blocks a query declares
        it needs (`-- needs:`, e.g. target.sql's target_macros) run first. `internal` also flags staff
        addresses for `files`. Unset optional parameters are reset to their default. Sandboxed as `sql`."""
        self.file.open_door()
        return utc_aware(self.analysis.query(name, options=options, arrow=arrow, **params))


def open_case(path: str | os.PathLike[str] | None = None, read_only: bool = False) -> Case:
    """Open (or create) a case file; None gives a temporary case removed on close."""
    return Case(path, read_only=read_only)
