"""Running a named query from queries/ by hand (`exposure sql NAME --param k=v`, `Case.query`): what it
declares it needs runs first, its parameters are checked against its declaration and bound.

A query that needs `target_macros` is about one target: it takes `target=PATH` (and optionally `internal`,
`size`, `range_gap_minutes`, or `options`) and the target is prepared exactly as the analysis prepares it. A
query that needs `client_info` without a target gets the staff flag of every address (`internal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from .. import queries
from ..errors import InputError, QueryError
from ..findings import ensure_silences
from ..sandbox import first_line, refusal
from .options import DEFAULT_RANGE_GAP_MINUTES, AnalysisOptions
from .targets import Target, parse_target

if TYPE_CHECKING:
    from ..case import Frame
    from .analyser import Analyser

TARGET_BLOCK = "target_macros"  # queries/target.sql: one target's rows, windows and downloads
COPY_BLOCK = "copy_macros"  # queries/possible_copies.sql: the target's possible copies under other names
COPY_MATCH_BLOCK = "copy_matches"  # queries/possible_copies.sql: the responses that match, before their files
SPELLINGS_BLOCK = "file_spellings"  # queries/files.sql: which spellings are one file (`files`, the copies)



def run_named_query(analyser: Analyser, name: str, *, options: AnalysisOptions | None = None,
                    arrow: bool = False, params: dict[str, Any]) -> Frame:
    """Run a named query from queries/ (by NAME, or a .sql file: queries/NAME.sql or your own) with its
    declared parameters bound as DuckDB variables. Queries on one target (windows, downloads, per_ip,
    totals, timeline, ...) take `target=PATH` and optionally `internal` (CIDRs, comma-separated or a list),
    `size` and `range_gap_minutes` (or `options`); the blocks a query declares it needs (`-- needs:`) run
    first (target.sql's target_macros, files.sql's files_requests). `internal` also flags staff addresses for
    `files`. Unset optional parameters (`?` in `-- params:`) are reset to their default."""
    params = dict(params)
    case = analyser.case
    q = queries.named_query(name)
    deps = queries.needed_blocks(q)
    bound_by_target: set[str] = set()
    if any(d.name == TARGET_BLOCK for d in deps):
        target_block = queries.get(TARGET_BLOCK)
        copies = any(d.name == COPY_BLOCK for d in deps)
        # the copies' blocks, file_spellings among them (for their folds, without targets): run by bind_copies
        copy_blocks = (COPY_BLOCK, COPY_MATCH_BLOCK, SPELLINGS_BLOCK) if copies else ()
        deps = [d for d in deps if d.name not in (TARGET_BLOCK, *copy_blocks)]
        tgt, options = _target_from_params(q.name, params, options)
        tgt = analyser.resolve([tgt], options)[0]
        analyser.prepare([tgt], options)
        analyser.bind_target(tgt, options)
        if copies:
            analyser.bind_copies(tgt, options)
        bound_by_target = set(target_block.parameters)
    elif "internal" in params or "client_info" in queries.needed_tables(q):
        internal = params.pop("internal", None)  # staff flags for every address, rewritten each time
        analyser.write_internal_flags(_cidr_list(internal) if internal is not None
                                      else (options.internal if options else ()))
        if "ua_class" in queries.needed_tables(q):  # every agent's class (`files`: its fetcher and CDN figures)
            analyser.write_agent_classes()
    from .clientfacts import ensure_tables  # GeoIP readers and the agent parser: only when a query needs them

    ensure_tables(case, ("client_info", "ua_class"))
    if "stream_silences" in queries.needed_tables(q):  # the gaps' silences, where the case does not keep them
        ensure_silences(case)
    blocks = [*deps, q]
    wanted = sorted({p for b in blocks for p in b.parameters} - bound_by_target)
    unknown = sorted(set(params) - set(wanted))
    if unknown:
        raise InputError(f"query {q.name!r} has no parameter {', '.join(unknown)}"
                         f" (its parameters: {', '.join(wanted) or 'none'})")
    optional = {p for b in blocks for p in b.optional}
    missing = [p for p in wanted if p not in params and p not in optional]
    if missing:
        raise InputError(f"query {q.name!r} needs parameters: {', '.join(missing)}")
    case.bind({p: params.get(p) for p in wanted})
    try:
        if not _packaged(q):
            case.refuse_writes(q.sql)  # your own file reads the case, as ad-hoc SQL does (Case.sql)
        for block in deps:
            case.run(block)
        stmts = queries.statements(q.sql)
        for stmt in stmts[:-1]:
            case.execute(stmt)
        return case.frame(stmts[-1], arrow=arrow)
    except duckdb.Error as exc:
        raise QueryError(refusal(exc) or f"query {q.name!r} ({q.file}) failed: {first_line(exc)}") from None


def _packaged(q: queries.NamedQuery) -> bool:
    """A query of exposure's own queries/ (its blocks may define macros); not a file of the user's."""
    try:
        return queries.get(q.name).sql == q.sql
    except QueryError:
        return False


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
        raise InputError(f"query {name!r} is about one target: give target=/path/of/the/file "
                         "(exposure sql: --param target=/path/of/the/file)")
    aliases = params.pop("aliases", None)
    for key in ("target_alt", "target_host", "target_aliases", "target_alias_alts"):
        params.pop(key, None)
    if options is None:
        try:
            size = params.pop("size", None)
            gap = params.pop("range_gap_minutes", None)
            options = AnalysisOptions(internal=_cidr_list(params.pop("internal", None) or ()),
                                      size=int(size) if size not in (None, "") else None,
                                      range_gap_minutes=int(gap) if gap not in (None, "")
                                      else DEFAULT_RANGE_GAP_MINUTES,
                                      aliases=_cidr_list(aliases) if aliases else ())
        except ValueError:
            raise InputError("size and range_gap_minutes must be whole numbers") from None
    return tgt, options.validated()
