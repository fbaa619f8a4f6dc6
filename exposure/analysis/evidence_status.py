"""How complete the evidence behind an answer is (`evidence_status`): the findings of the answer
(exposure/findings.py, one list from queries/findings.sql plus this command's re-hash) counted per kind, for the
JSON answer, the report's first page and the terminal, so no door words or counts it differently.

The structure (the `evidence_status` key of `exposure.analysis/1`; names are added, never renamed)::

    {"complete": bool,            # no finding of severity "incomplete"
     "all_read": bool,            # no incomplete finding left content unread (Finding.unread): a damaged file
                                  #   proven a corrupted copy, changed or missing evidence is incomplete, yet read
     "files": {"total": int,      # files in the evidence registry (every verdict)
               "verified": int | None,   # re-hashed by this command and equal to the SHA-256 at ingest
               "changed": int | None,    # re-hashed and different (None: not re-hashed by this command,
               "missing": int | None},   #   e.g. `analyse` without --report; `exposure verify` does it)
     "checked": [kind, ...],      # the kinds looked for: a kind not listed was not checked, so no count is
                                  #   claimed for it (a count of 0 means looked for and not found)
     "findings": [{"kind": str, "severity": "incomplete" | "stated", "count": int,
                   "paths": [str, ...], "streams": [str, ...], "detail": str}, ...]}

Kinds, in the order shown: KINDS below (the kinds of queries/findings.sql, the seal's `case changed outside
exposure` (the case's seal does not hold: exposure/seal.py; one finding for the case, counting its differences), the re-hash's `changed since ingest` and `missing`, and `possible copy` (another path served with a
target's size while it was available: copy_findings, one per path)). A gap of a log stream is `gap in window` when it falls in one of the
answer's exposure windows (downloads in it cannot be ruled out), else `gap`. `count` is the number of findings
of the kind (files, a file damaged in several places once; gaps for the gap kinds); the answer's `findings` list
has each one in full (one per damage).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..findings import INCOMPLETE, REHASH_KINDS, SEAL_KIND, STATED, Finding, said
from ..plural import plural

# (kind, severity) in the order every door shows them
KINDS = (("case changed outside exposure", INCOMPLETE), ("changed since ingest", INCOMPLETE), ("missing", INCOMPLETE),
         ("unreadable", INCOMPLETE), ("damaged", INCOMPLETE), ("truncated", INCOMPLETE), ("empty compressed", INCOMPLETE), ("joined lines", INCOMPLETE),
         ("changed during read", INCOMPLETE),
         ("suspicious size", INCOMPLETE), ("all lines rejected", INCOMPLETE), ("prefixed lines", INCOMPLETE),
         ("glued lines", INCOMPLETE),
         ("gap in window", STATED),
         ("gap", STATED), ("presumed take", STATED), ("time ran back", STATED), ("stray time", STATED), ("overlap", STATED), ("duplicate", STATED), ("possible copy", STATED),
         ("cut off", STATED), ("cut lines", STATED), ("rejected lines", STATED), ("read note", STATED), ("byte-order mark", STATED),
         ("inner byte-order marks", STATED), ("not utf-8", STATED), ("not canonical address", STATED),
         ("client not forwarded", STATED),
         ("inferred stream", STATED), ("assumed zone", STATED), ("zone not applied", STATED), ("ambiguous time", STATED), ("nonexistent time", STATED),
         ("no byte counts", STATED), ("assumed bytes", STATED), ("inferred bytes", STATED), ("through a link", STATED),
         ("not a log", STATED), ("interrupted command", STATED))
SEVERITY = dict(KINDS)
# Looked for whenever an answer is made (queries/findings.sql); the re-hash kinds (findings.REHASH_KINDS) only when
# this command re-hashed, the seal's (findings.SEAL_KIND) when the seal was checked
COPY_KIND = "possible copy"  # looked for when the answer's targets carry possible_copies


# what kind of incompleteness each incomplete kind is, in the order the status sentence says them (page 1); an
# incomplete kind not listed is evidence that could not be read
INCOMPLETENESS = (("changed", ("case changed outside exposure", "changed since ingest", "missing")),
                  ("unreadable", ("unreadable", "empty compressed", "suspicious size", "all lines rejected", "prefixed lines")),
                  ("damaged", ("damaged",)), ("truncated", ("truncated",)),
                  ("changing", ("changed during read",)),
                  ("joined", ("joined lines", "glued lines")))


def incompleteness(status: dict[str, Any]) -> list[str]:
    """The kinds of incompleteness of an evidence status (INCOMPLETENESS: changed, unreadable, damaged, truncated,
    changing, joined), each once, in that order: what the status sentence names, never `could not be read` where
    all was read, nor `damaged` of a file that only ends early (truncated) or changed while it was read."""
    kinds = {g["kind"] for g in status["findings"] if g["severity"] == INCOMPLETE}
    listed = {k for _, ks in INCOMPLETENESS for k in ks}
    found = [name for name, ks in INCOMPLETENESS if kinds & set(ks)]
    if kinds - listed and "unreadable" not in found:
        found.insert(1 if "changed" in found else 0, "unreadable")
    return found


def incomplete_files(status: dict[str, Any], name: str) -> int:
    """How many files (or folders) the incompleteness `name` (INCOMPLETENESS) of a status speaks of: the paths of
    its kinds, each once (a file with joined and glued lines is one file); a finding of no path (the case's seal)
    counted as its group counts it. What the status sentence's count agrees with."""
    kinds = dict(INCOMPLETENESS).get(name, ())
    groups = [g for g in status["findings"] if g["severity"] == INCOMPLETE and g["kind"] in kinds]
    paths = {p for g in groups for p in g.get("paths") or ()}
    return len(paths) + sum(g["count"] for g in groups if not g.get("paths"))


def status_kind(f: Finding) -> str:
    """The kind a finding is counted under: a gap inside one of the answer's windows is `gap in window`."""
    return "gap in window" if f.kind == "gap" and f.in_window else f.kind


def _group(kind: str, mine: list[Finding]) -> dict[str, Any]:
    paths = sorted({f.path for f in mine if f.path is not None})
    streams = sorted({f.stream for f in mine if f.stream is not None})
    if len({f.detail for f in mine}) == 1 and len(mine) > 1 and kind not in ("gap", "gap in window"):
        detail = mine[0].detail
    else:  # each in the sentence the terminal's line says (Finding.said), one after another
        detail = "; ".join(f.said() for f in mine)
    # a file damaged in several places is one finding per damage (each with its own time), counted once
    files = {f.evidence_id for f in mine if f.incomplete and f.evidence_id is not None}
    count = len(files) + sum(1 for f in mine if not (f.incomplete and f.evidence_id is not None))
    return {"kind": kind, "severity": SEVERITY.get(kind, mine[0].severity), "count": count, "paths": paths,
            "streams": streams, "detail": detail}


def copy_findings(targets: Sequence[dict[str, Any]]) -> list[Finding]:
    """Paths served with a target's size while it was available (each target section's `possible_copies`, from
    queries/possible_copies.sql), each once: said, not counted in the figures. A path that is a possible copy of
    several targets with other figures for each (its figures leave out what the target it is analysed for counts)
    is said per target, each as analysed for it, never a mix of their rows; a copy or a file it shares requests
    with that is itself a target of the run is said to be counted in that target, never to be given as --alias."""
    run = [t["path"] for t in targets]
    rows: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for t in targets:
        for c in t.get("possible_copies") or []:
            rows.setdefault(c["path"], []).append((t["path"], c))
    return [said(STATED, "possible copy", path, _copy_text(path, mine, run)) for path, mine in sorted(rows.items())]


def _copy_text(path: str, mine: Sequence[tuple[str, dict[str, Any]]], run: Sequence[str]) -> str:
    """One possible copy's sentence: what matched, then its figures, once where every target it is a copy of has
    the same (its own downloads, never a sum over the targets), else for each target."""
    spelled = any(c.get("size_match") == "spelling" for _, c in mine)
    what = ("a target's path spelled another way that a server may serve as the target (a doubled slash, "
            "a ./ or x/../ segment, ;parameters, a trailing dot or blank, a backslash, letters decomposed: NFD)"
            if spelled else
            "served with a target's exact size (or within its complete-transfer band) while it was available")
    kind = "perhaps downloads of the target" if spelled else "probably another copy of the same file"
    figures = {_copy_figures(c) for _, c in mine}
    if len(figures) == 1:
        target, c = mine[0]
        whose = target if len(run) > 1 and len(mine) == 1 else "a target"
        return (f"{what}, with {_complete(c)} by its own windows"
                + (f" ({copy_overlap_text(c['target_shared_requests'], whose)}, left out of its figures)"
                   if c.get("target_shared_requests") else "")
                + f": {kind}, {_counted(path, [t for t, _ in mine], run)}" + _shared(c, run))
    return f"{what}: {kind}; " + "; ".join(
        f"for target {target}: {_complete(c)} by its own windows"
        + (f" ({copy_overlap_text(c['target_shared_requests'], target)}, left out of its figures)"
           if c.get("target_shared_requests") else "")
        + f", {_counted(path, [target], run)}" + _shared(c, run) for target, c in mine)


def _copy_figures(c: dict[str, Any]) -> tuple[Any, ...]:
    return (c["complete_downloads"], c.get("target_shared_requests") or 0, c.get("shared_requests") or 0,
            tuple(c.get("shared_with") or ()))


def _complete(c: dict[str, Any]) -> str:
    return plural(c["complete_downloads"], "# complete download", "# complete downloads")


def _counted(path: str, of: Sequence[str], run: Sequence[str]) -> str:
    """Whether the copy is counted: a target of the run is (in its own figures), any other path only as --alias."""
    if path in run:
        return f"counted in target {path}, not in {_possessive(of)} figures"
    return "not counted in the figures (--alias PATH counts it)"


def _possessive(paths: Sequence[str]) -> str:
    return " nor ".join(f"{p}'s" for p in paths)


def _shared(c: dict[str, Any], run: Sequence[str]) -> str:
    if not c.get("shared_requests"):
        return ""
    return f"; {copy_shared_text(c['shared_requests'], c.get('shared_with') or (), run)}"


def copy_overlap_text(n: int, whose: str) -> str:
    """A possible copy's requests the target counts (possible_copies.sql target_shared_requests)."""
    return plural(n, f"# of its requests is {whose}'s own", f"# of its requests are {whose}'s own")


def copy_shared_text(n: int, others: Sequence[str], run: Sequence[str] = ()) -> str:
    """A possible copy's requests as much other files' (possible_copies.sql shared_requests, shared_with): logged by
    a server that ignores case, counted once where the files are given as --alias together; where such a file is
    a target of the run (`run`), counted in that target (a target is never to be given as --alias)."""
    targets = [o for o in others if o in run]
    copies = [o for o in others if o not in run]
    said = [f"counted in target {', '.join(targets)}"] if targets else []
    if copies:
        said.append("counted once where they are given together as --alias")
    return (plural(n, "# of its requests is", "# of its requests are") + f" as much {', '.join(others)}'s"
            " (a server that ignores case logged it so), " + "; ".join(said))


def evidence_status(findings: Sequence[Finding], total_files: int, rehashed: dict[str, int] | None = None,
                    sealed: bool = False, copies_checked: bool = False) -> dict[str, Any]:
    """The evidence status of an answer from its findings: `total_files` in the registry, `rehashed` the counts
    of this command's re-hash ({"verified", "changed", "missing"}; None: not re-hashed), `sealed` whether the
    case's seal was checked, `copies_checked` whether possible copies were looked for (copy_findings). See the
    module docstring for the structure."""
    order = [k for k, _ in KINDS]
    by_kind: dict[str, list[Finding]] = {}
    for f in findings:
        by_kind.setdefault(status_kind(f), []).append(f)
    groups = [_group(k, by_kind[k]) for k in sorted(by_kind, key=lambda k: (k not in order, order.index(k)
                                                                             if k in order else 0, k))]
    checked = [k for k in order if (k not in REHASH_KINDS or rehashed is not None) and (k != SEAL_KIND or sealed)
               and (k != COPY_KIND or copies_checked)]
    files: dict[str, int | None] = {"total": total_files, "verified": None, "changed": None, "missing": None}
    if rehashed is not None:
        files.update(rehashed)
    return {"complete": not any(f.incomplete for f in findings), "all_read": not any(f.unread for f in findings),
            "files": files, "checked": checked, "findings": groups}
