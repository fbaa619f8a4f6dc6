"""The analysis of targets over a case: binding a target's parameters, collecting its rows once
(`target_raw`), and the per-target answers (windows, downloads, per_ip, totals, timeline, requests), plus the
case-wide views of what was served (files, gaps, served paths) that choose targets.

The rules themselves are SQL in queries/ (target.sql defines windows and downloads); this class decides what
runs before what and keeps what it derived until the case changes (an ingest) or another target is asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import queries
from ..errors import InputError
from ..findings import ensure_silences
from ..store import client_key_sql
from .files import check_glob, folder_prefix, ordered_unique
from .named import COPY_BLOCK, COPY_MATCH_BLOCK, SPELLINGS_BLOCK, TARGET_BLOCK, run_named_query
from .options import DEFAULT_GAP_FACTOR, DEFAULT_GAP_MINUTES, DEFAULT_RANGE_GAP_MINUTES, AnalysisOptions
from .targets import ServedPath, Target, as_target, parse_target

if TYPE_CHECKING:
    from ..case import CaseFile, Frame

ASKED_CLIENT = client_key_sql("$client")  # a client asked for by name, keyed as the requests view keys clients


def _writes_rows(stmt: str) -> bool:
    """Whether a statement of a block changes a table's rows (DELETE, INSERT, UPDATE) or a variable's value (SET
    VARIABLE): run with the tables it changes or that read it, for every target, never taken for a definition that
    runs once per connection."""
    code = [line for line in stmt.splitlines() if line.strip() and not line.lstrip().startswith("--")]
    return bool(code) and code[0].lstrip().split(None, 1)[0].upper() in ("DELETE", "INSERT", "UPDATE", "SET")


def _key(params: dict[str, Any]) -> tuple[Any, ...]:
    """Bound parameters as a hashable key (lists as tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


_KEPT_SPELLINGS = "files_spellings_kept"  # file_spellings set aside while the copies build theirs (bind_copies)


class Analyser:
    """Targets analysed on one case file."""

    def __init__(self, case: CaseFile) -> None:
        self.case = case
        self._prepared: tuple[Any, ...] | None = None  # the targets and options client facts were written for
        self._raw_target: tuple[Any, ...] | None = None  # the target whose rows target_raw holds
        self._rule: tuple[Any, ...] | None = None  # the target, facts and options the rule's tables hold
        self._copy_target: tuple[Any, ...] | None = None  # the target whose possible copies copy_raw holds
        self._folded_at: tuple[int, tuple[bool, bool, bool]] | None = None  # (generation, _case_facts())
        self._facts: tuple[Any, ...] | None = None  # the targets and --internal client_info holds facts for
        self._defined = False  # target.sql's macros and views are defined on the connection
        self._rule_defined = False  # and the download rule's macros it needs
        self._blocks_run: set[str] = set()  # the other blocks a per-target query needs (address_macros), once
        # each definition of target.sql and possible_copies.sql run on the connection, by its text: a block left
        # part way (rule=False) defines the rest when next bound, none twice
        self._definitions: set[str] = set()
        self._copy_rule: tuple[Any, ...] | None = None  # the copies, facts and options copy_rule_* hold

    # -- preparing and binding a target -----------------------------------------------------------------
    def prepare(self, targets: Sequence[Target], options: AnalysisOptions) -> None:
        """Write client_info and ua_class for the clients of the targets (their aliases included) and of their
        possible copies (one lookup per distinct value): first for the targets' own clients, so each target's
        rule runs once with them (a client's internal flag and class do not depend on the other clients), then
        again with the copies' clients added (their first requests date the GeoIP notes)."""
        # the GeoIP readers and the agent parser: only when analysing
        from .clientfacts import (
            add_seen,
            hash_databases_meanwhile,
            reset_seen,
            write_client_facts,
            write_rule_facts,
        )

        key = (self.case.generation, tuple(targets), options.internal, options.size, options.geoip_city,
               options.geoip_asn)
        if self._prepared == key:
            return
        self._prepared = None
        hashed = hash_databases_meanwhile(options.geoip_city, options.geoip_asn)
        reset_seen(self.case)
        for target in targets:
            self.bind_target(target, options, rule=False)
            add_seen(self.case, "target_raw")
        write_rule_facts(self.case, options.internal)
        self._facts = (self.case.generation, tuple(targets), options.internal)
        for target in targets:
            self.bind_target(target, options)
            self.bind_copies(target, options, rule=False)
            add_seen(self.case, "copy_raw")
        hashed()
        write_client_facts(self.case, options.internal, options.geoip_city, options.geoip_asn)
        self._prepared = key

    def bind_target(self, target: Target, options: AnalysisOptions, *, rule: bool = True) -> None:
        """Bind the target's parameters and define its macros (target.sql, over the download rule it needs);
        its rows are collected again only for another target or after an ingest, the rule's steps only then or
        when the client facts or the size options changed (`rule=False`: the rows alone). Definitions are made
        once per connection: their text never changes, only the bound values do."""
        from .clientfacts import ensure_tables

        if not self._defined:  # nothing drops them once there
            ensure_tables(self.case)
        self.case.bind({**target.params, "size": options.size, "range_gap_minutes": options.range_gap_minutes,
                        "target_folded": self._folded()})
        key = (self.case.generation, _key(target.params))
        rule_key = (key, self._facts, options.size, options.range_gap_minutes)
        block = queries.get(TARGET_BLOCK)
        if not self._rule_defined:
            if "stream_silences" in queries.needed_tables(block):  # the evidence's start reads its stray times
                ensure_silences(self.case)
            for needed in queries.needed_blocks(block):  # the download rule's macros
                self.case.run(needed)
            self._rule_defined = True
        for stmt in queries.statements(block.sql):
            if "TEMP TABLE target_raw" in stmt:
                if key != self._raw_target:
                    self.case.execute(stmt)
                    self._raw_target = key
            elif "TEMP TABLE target_rule_" in stmt:
                if not rule:
                    return  # what follows reads the rule's tables
                if rule_key != self._rule:
                    self.case.execute(stmt)
            elif stmt not in self._definitions:
                self.case.execute(stmt)
                self._definitions.add(stmt)
        self._defined = True
        self._rule = rule_key

    def _folded(self) -> bool:
        """Whether some evidence file's paths are case-insensitive (target.sql's target_folded), once per ingest."""
        return self._case_rules()[0]

    def mixes_case_rules(self) -> bool:
        """Whether the case holds logs of a server that ignores case (IIS) and of one that does not: only then
        may a path of one be another file's spelling (queries/target.sql target_shared_spellings)."""
        return all(self._case_rules())

    def folds_case_somewhere(self) -> bool:
        """Whether some evidence file's paths are case-insensitive (IIS): two targets equal but for case may then
        count the same requests (queries/target.sql target_shared_spellings, run_targets)."""
        return self._case_rules()[0]

    def several_streams(self) -> bool:
        """Whether the case holds the logs of more than one stream (evidence.stream): only then may two logs count
        one download twice (queries/tiers.sql downloads_logged_twice) or another server's log reopen a window
        (queries/downloads_rule.sql rule_reopened_elsewhere); both compare a line's stream with another's."""
        return self._case_facts()[2]

    def _case_rules(self) -> tuple[bool, bool]:
        """(some evidence file's paths are case-insensitive, some file's are not), once per ingest."""
        folded, plain, _ = self._case_facts()
        return folded, plain

    def _case_facts(self) -> tuple[bool, bool, bool]:
        """(some evidence file's paths are case-insensitive, some file's are not, the files are of more than one
        stream), read once per ingest."""
        if self._folded_at is None or self._folded_at[0] != self.case.generation:
            row = self.case.fetchone("SELECT coalesce(bool_or(paths_case_insensitive), false), "
                                     "coalesce(bool_or(NOT coalesce(paths_case_insensitive, false)), false), "
                                     "count(DISTINCT stream) + bool_or(stream IS NULL)::INT > 1 "  # NULL: one more
                                     "FROM evidence WHERE verdict = 'ingested'")
            self._folded_at = (self.case.generation, (bool(row[0]), bool(row[1]), bool(row[2])))
        return self._folded_at[1]

    def bind_copies(self, target: Target, options: AnalysisOptions, *, rule: bool = True) -> None:
        """Define the target's possible copies (possible_copies.sql, copy_macros) over its bound macros; the
        matching responses and the copies' rows are collected again only when the target, its size or the
        case changed, the rule's steps over them also when the client facts changed (`rule=False`: the rows
        alone, before the copies' clients have their facts)."""
        key = (self.case.generation, _key(target.params), options.size)
        rule_key = (key, self._prepared, options.range_gap_minutes)
        fresh = key != self._copy_target  # decided once: every table of the block is collected again, or none
        kept = self._keep_spellings() if fresh else False
        try:
            for stmt in self._copy_statements(fresh):
                if "TEMP TABLE copy_rule_" in stmt:
                    if not rule:
                        self._copy_target = key
                        return  # what follows reads the rule's tables
                    if rule_key != self._copy_rule:
                        self.case.execute(stmt)
                elif "TEMP TABLE" in stmt or _writes_rows(stmt):  # a table's rows (copy_spellings' DELETE), a value
                    if fresh:
                        self.case.execute(stmt)
                elif stmt not in self._definitions:  # definitions: once per connection, as the target's
                    self.case.execute(stmt)
                    self._definitions.add(stmt)
        finally:
            if fresh:
                self._restore_spellings(kept)
        self._copy_target, self._copy_rule = key, rule_key

    def _keep_spellings(self) -> bool:
        """file_spellings as a door that lists files left it (every fold: `files`), set aside while the copies build
        theirs for their folds alone (copy_raw holds what they need of it): False when there is none."""
        if not self.case.table_exists("file_spellings"):
            return False
        self.case.execute(f"ALTER TABLE file_spellings RENAME TO {_KEPT_SPELLINGS}")
        return True

    def _restore_spellings(self, kept: bool) -> None:
        """The copies' file_spellings dropped and the one set aside back (its view selected_files reads it again), so
        that `Case.sql` of file_spellings after the copies sees what `files` left; none there before: none after."""
        self.case.execute("DROP TABLE IF EXISTS file_spellings")
        if kept:
            self.case.execute(f"ALTER TABLE {_KEPT_SPELLINGS} RENAME TO file_spellings")
        else:
            self.case.execute("DROP VIEW IF EXISTS selected_files")

    def _copy_statements(self, fresh: bool) -> Iterator[str]:
        """possible_copies.sql copy_matches' statements, then (for a fresh target) queries/files.sql
        file_spellings as `files` builds it without targets, for the matched paths' folds (spellings_folds, set by
        copy_matches): the one rule of which spellings are one file, naming the copies' files; then copy_macros'."""
        yield from queries.statements(queries.get(COPY_MATCH_BLOCK).sql)
        if fresh:
            self.case.bind({"path_prefix": None, "path_glob": None, "files_targets": None})
            self.case.run(queries.get(SPELLINGS_BLOCK))
            self.case.bind({"spellings_folds": None})  # `files` and served_paths build it for every fold
        yield from queries.statements(queries.get(COPY_BLOCK).sql)

    def ready(self, target: str | Target, options: AnalysisOptions | None) -> tuple[Target, AnalysisOptions]:
        """The target parsed (with the options' aliases), the options checked, client facts written and the
        target bound."""
        options = (options or AnalysisOptions()).validated()
        tgt = target if isinstance(target, Target) else self.resolve([target], options)[0]
        self.prepare([tgt], options)
        self.bind_target(tgt, options)
        return tgt, options

    def resolve(self, targets: Sequence[str | Target], options: AnalysisOptions) -> list[Target]:
        """The targets parsed, each with its aliases (`options.aliases`, --alias): with one target every alias
        is its; with several, an alias goes to each target it is a possible copy of, and one that is a possible
        copy of none is an error (give it with its one target)."""
        parsed = [as_target(t) for t in targets]
        if not options.aliases:
            return parsed
        if len(parsed) == 1:
            return [parsed[0].with_aliases(options.aliases)]
        plain = replace(options, aliases=())
        copies = {t: self.copy_paths(t, plain) for t in parsed}
        mine: dict[Target, list[str]] = {t: [] for t in parsed}
        for alias in options.aliases:
            wanted = parse_target(alias, "--alias").path
            owners = [t for t in parsed if wanted in copies[t] or wanted.lower() in copies[t]]
            if not owners:
                raise InputError(f"--alias '{alias}' is a possible copy of none of the {len(parsed)} targets: "
                                 "give it with the one --target it is a copy of")
            for t in owners:
                mine[t].append(alias)
        return [t.with_aliases(mine[t]) if mine[t] else t for t in parsed]

    def copy_paths(self, target: Target, options: AnalysisOptions) -> set[str]:
        """Every spelling of the target's possible copies (and each lower-cased, where paths fold)."""
        frame = self.possible_copies(target, options)
        return {s for spellings in frame["spellings"] for p in spellings for s in (p, p.lower())}

    def forget_client_facts(self) -> None:
        """client_info or ua_class was rewritten (staff flags only, every agent's class): the per-target facts
        must be written again."""
        self._prepared = self._facts = None

    # -- per target ---------------------------------------------------------------------------------------
    def target_query(self, name: str, target: str | Target, options: AnalysisOptions | None = None,
                     *, arrow: bool = False) -> Frame:
        """Run a named per-target query (windows, downloads, per_ip, totals, timeline) and return a DataFrame
        (a pyarrow Table with arrow=True)."""
        self.ready(target, options)
        query = queries.get(name)
        chain = {b.name for b in queries.needed_blocks(queries.get(TARGET_BLOCK))} | {TARGET_BLOCK}
        for block in queries.needed_blocks(query):  # a block the target's own do not hold (tiers.sql's addresses)
            if block.name not in chain and block.name not in self._blocks_run:
                self.case.run(block)
                self._blocks_run.add(block.name)
        return self.case.frame(query.sql, arrow=arrow)

    def shared_spellings(self, target: str | Target, options: AnalysisOptions | None = None,
                         run_targets: Sequence[str] = ()) -> list[dict[str, Any]]:
        """The other files that count the target's external IIS requests too (queries/target.sql
        target_shared_spellings): a case-sensitive server's files equal to it but for case, and the other targets
        of the run (`run_targets`, decoded paths) so."""
        self.case.bind({"run_targets": list(run_targets) or None})
        return self.target_query("target_shared_spellings", target, options, arrow=True).to_pylist()

    def windows(self, target: str | Target, options: AnalysisOptions | None = None, *,
                arrow: bool = False) -> Frame:
        """Exposure windows of a target, one row each (queries/windows.sql): `window` (its number),
        first_available/last_available
        (first and last 200/206/304 response), first_unavailable (the 404/410 that ended it; NULL when the
        logs end first), size_bytes used for completeness (size_inferred: most common 200 GET byte count,
        size_votes of size_sample responses), and the evidence lines that bound it."""
        return self.target_query("windows", target, options, arrow=arrow)

    def downloads(self, target: str | Target, options: AnalysisOptions | None = None, *,
                  arrow: bool = False) -> Frame:
        """Downloads of a target (queries/downloads.sql): one row per 200 GET (kind single) or per client's
        group of 206 parts (kind range), numbered download_no: time (UTC), client_ip, outcome complete |
        partial | undetermined, outcome_inferred (complete by the sum of range parts' byte counts, the log stating
        no offsets: an inference), size_rule and size_bytes (how it was judged), bytes (delivered), the window, internal flag, via (the --alias it came through)
        and the evidence lines it rests on (lines: evidence_id and line_no)."""
        return self.target_query("downloads", target, options, arrow=arrow)

    def per_ip(self, target: str | Target, options: AnalysisOptions | None = None, *,
               arrow: bool = False) -> Frame:
        """Per client address (queries/per_ip.sql): complete (complete_inferred of them by a sum of range parts)
        and partial downloads, not_modified (304s),
        copy_before_evidence (a 304 without any complete download in the evidence), first/last request."""
        return self.target_query("per_ip", target, options, arrow=arrow)

    def totals(self, target: str | Target, options: AnalysisOptions | None = None) -> dict[str, int]:
        """Headline figures of a target (external addresses only, except internal_complete_downloads);
        inferred_complete_downloads and inferred_only_ips: the complete downloads, and the addresses counted only
        through them, that rest on a sum of range parts without offsets (queries/totals.sql)."""
        row = self.target_query("totals", target, options, arrow=True).to_pylist()[0]
        return {k: int(v) for k, v in row.items()}

    def possible_copies(self, target: str | Target, options: AnalysisOptions | None = None, *,
                        arrow: bool = False) -> Frame:
        """Other paths that answered a GET with the target's size while it was available
        (queries/possible_copies.sql): one row per path with size_match (exact | band | spelling), the matching responses
        (matching_responses, first_match, last_match, lines), its own windows and downloads by the download
        rule (complete_downloads, distinct_ips, client_ips, ...) without the lines the target or an alias counts
        (target_shared_requests: how many), shared_requests and shared_with (its requests as much other files', as
        `files` gives them). Never added to the target's figures;
        `AnalysisOptions(aliases=...)` counts one as the target."""
        tgt, options = self.ready(target, options)
        self.bind_copies(tgt, options)
        return self.case.frame(queries.get("possible_copies").sql, arrow=arrow)

    def timeline(self, target: str | Target, options: AnalysisOptions | None = None, *,
                 arrow: bool = False) -> Frame:
        """The target's requests in time order with what each amounted to (queries/timeline.sql): outcome
        complete | partial | undetermined (a 200 GET), range part (...) (a 206 GET; download_no names its
        group, numbered as in `downloads`), HEAD, not modified (304), unavailable (404/410), errors;
        time (UTC), client_ip; window is the exposure window it falls in."""
        return self.target_query("timeline", target, options, arrow=arrow)

    def requests(self, target: str | Target | None = None, options: AnalysisOptions | None = None, *,
                 client: str | None = None, limit: int | None = None, arrow: bool = False) -> Frame:
        """Requests in time order, one row per log line, with `evidence_path` and `line_no` (1-based) to
        find the raw line. With a target: only its requests (matched as in the analysis), with `internal`
        (address in --internal) and `client_class` (from the user agent). `client` keeps one address (a host
        name in any case: store.client_key_sql); `limit` caps the number of rows. Lines of duplicate files are never counted twice."""
        if limit is not None and limit < 0:
            raise InputError("limit must be zero or more")
        if target is None:
            return self.case.frame(
                "SELECT e.path AS evidence_path, r.* FROM requests r JOIN evidence e USING (evidence_id) "  # noqa: S608
                "WHERE e.verdict = 'ingested' AND NOT EXISTS (SELECT 1 FROM overlap_lines o "
                "WHERE o.evidence_id = r.evidence_id AND o.line_no = r.line_no) "
                f"AND ($client IS NULL OR r.client = {ASKED_CLIENT}) "  # the asked name as the view keys clients
                "ORDER BY r.ts_utc, r.evidence_id, r.line_no LIMIT $limit",
                {"client": client, "limit": limit}, arrow=arrow)
        self.ready(target, options)
        return self.case.frame(f"SELECT * FROM target_requests() WHERE $client IS NULL OR client = {ASKED_CLIENT} "  # noqa: S608
                               "ORDER BY ts_utc, evidence_id, line_no LIMIT $limit",
                               {"client": client, "limit": limit}, arrow=arrow)

    # -- over the whole case ----------------------------------------------------------------------------
    def gaps(self, gap_minutes: int = DEFAULT_GAP_MINUTES, gap_factor: float = DEFAULT_GAP_FACTOR, *,
             arrow: bool = False) -> Frame:
        """Periods with no log line per log stream (evidence.stream, exposure/streams.py), from queries/gaps.sql:
        longer than `gap_minutes` and than `gap_factor` times the stream's usual longest silence of a day
        (threshold_minutes, usual_silence_minutes), with the last line before and first line after each gap."""
        if gap_minutes <= 0 or gap_factor <= 0:
            raise InputError("gap_minutes and gap_factor must be positive")
        return self.query("gaps", gap_minutes=gap_minutes, gap_factor=gap_factor, arrow=arrow)

    def files(self, under: str | None = None, glob: str | None = None, *, internal: Sequence[str] = (),
              range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES, targets: Sequence[str] = (),
              arrow: bool = False) -> Frame:
        """Every file served (queries/files.sql), optionally only under a folder or matching a GLOB, with the
        download rule's windows and downloads per file (for a target: the numbers `analyse` gives): first and
        last available response, withdrawn_at (first 404/410 after the last available one), windows and
        closed_windows, the last window's size_bytes and size_rule (and band_bytes, band_floor: its complete-transfer
        band's edge and floor where counts include headers, the answer's window fields), and every figure of the
        answer's totals by the same definitions (queries/totals.sql figure_macros): complete_downloads / distinct_ips
        (external addresses, not in `internal`), of them inferred, by automated fetchers (fetcher_complete_downloads)
        and by a CDN filling its cache (cdn_complete_downloads), partial and undetermined downloads, head_requests,
        not_modified, errors, no_method_responses, requests. A file is what --target
        counts (queries/files.sql file_spellings): a path a case-sensitive server showed available
        (rule_names_file) is its own file, an IIS line equal to it but for case its (shared_requests and
        shared_with: the external requests as much another such file's); a path that server only refused is a row
        of its own lines; a file only IIS served is one row (`spellings` lists them) named by its most frequent
        spelling no case-sensitive server logged, or as in `targets` when one of them is that file. `under` and
        `glob` select a file where one of its spellings matches as its server matches paths (case-insensitively on
        IIS), whatever that spelling's responses were (selected_files). Files
        published and then withdrawn come first."""
        if under is not None and glob is not None:
            raise InputError("give --under or --glob, not both")
        parsed = [parse_target(t) for t in targets]
        return self.query("files", internal=tuple(internal),
                          path_prefix=folder_prefix(under) if under is not None else None,
                          path_glob=check_glob(glob) if glob is not None else None,
                          files_targets=[t.path for t in parsed] or None,
                          # a target naming a host: a row of its own, that host's requests (files.sql files_keys)
                          files_host_targets=[{"name": t.given, "path": t.path, "host": t.host}
                                              for t in parsed if t.host is not None] or None,
                          range_gap_minutes=range_gap_minutes, arrow=arrow)

    def served_paths(self, glob: str | None = None, under: str | None = None, *,
                     targets: Sequence[str] = ()) -> list[str]:
        """The files (decoded paths, as stored) a spelling of which matches (selected_files) and that were shown
        available (the download rule's rule_available) by any spelling, each once, sorted: queries/files.sql
        served_paths. A file is named as `files` names it: by a path a case-sensitive server served, else by its most frequent spelling no
        case-sensitive server logged, or as given in `targets` where one of them is that file."""
        q = queries.get("served_paths")
        self.case.bind({"path_glob": check_glob(glob) if glob is not None else None, "spellings_folds": None,
                        "path_prefix": folder_prefix(under) if under is not None else None,
                        "files_targets": [parse_target(t).path for t in targets] or None})
        for block in queries.needed_blocks(q):
            self.case.run(block)
        return [r[0] for r in self.case.fetchall(q.sql)]

    def expand_targets(self, targets: Sequence[str] = (), globs: Sequence[str] = (),
                       unders: Sequence[str] = ()) -> list[str]:
        """The exact targets as given, then for each GLOB pattern and each folder the served files that match
        (served_paths: sorted, each a `ServedPath`: analysed exactly as stored, whatever characters it holds),
        each file once (a file a target given is, by the name given). A pattern or folder that matches no served
        path is an error."""
        out = list(targets)
        seen = {parse_target(t).path for t in targets}
        for kind, values in (("glob", globs), ("under", unders)):
            for value in values:
                found = self.served_paths(**{kind: value}, targets=targets)
                if not found:
                    what = "--target-glob" if kind == "glob" else "--under"
                    raise InputError(f"{what} '{value}' matches no path served in the case")
                out.extend(ServedPath(p) for p in found if p not in seen)
                seen.update(found)
        if not out:
            raise InputError("no target: give --target, --target-glob or --under")
        return ordered_unique(out)

    def write_internal_flags(self, internal: Sequence[str]) -> None:
        """client_info with the staff flag of every client of the case (for `files`)."""
        from .clientfacts import write_internal_flags

        write_internal_flags(self.case, internal)
        self.forget_client_facts()

    def write_agent_classes(self) -> None:
        """ua_class with the class of every user agent of the case (for `files`)."""
        from .clientfacts import write_agent_classes

        write_agent_classes(self.case)
        self.forget_client_facts()

    # -- named queries ------------------------------------------------------------------------------------
    def query(self, name: str, *, options: AnalysisOptions | None = None, arrow: bool = False,
              **params: Any) -> Frame:
        """Run a named query (see `exposure.analysis.named.run_named_query`)."""
        return run_named_query(self, name, options=options, arrow=arrow, params=params)
