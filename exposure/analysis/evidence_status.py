"""How complete the evidence behind an answer is: one structure for the JSON answer, the report's first page
and the terminal (`evidence_status`), so no door words it differently.

The structure (the `evidence_status` key of `exposure.analysis/1`; names are added, never renamed)::

    {"complete": bool,            # no finding of severity "incomplete"
     "files": {"total": int,      # files in the evidence registry (every verdict)
               "verified": int | None,   # re-hashed by this command and equal to the SHA-256 at ingest
               "changed": int | None,    # re-hashed and different (None: not re-hashed by this command,
               "missing": int | None},   #   e.g. `analyse` without --report; `exposure verify` does it)
     "checked": [kind, ...],      # the kinds looked for: a kind not listed was not checked, so no count is
                                  #   claimed for it (a count of 0 means looked for and not found)
     "findings": [{"kind": str, "severity": "incomplete" | "stated", "count": int,
                   "paths": [str, ...], "detail": str}, ...]}

Kinds, in the order shown. Incomplete (the answer was made without part of the evidence): `case changed
outside exposure` (the case's seal does not hold: exposure/seal.py; `count` is the number of differences,
`paths` the evidence files whose rows or registry rows differ), `changed since ingest`, `missing` (re-hash), `damaged`, `truncated`, `changed during read`, `unreadable`, `all lines
rejected`. Stated (resolved or said; the answer is whole): `gap in window` (a period longer than the gap
threshold with no log line at all, on one server, inside an exposure window: downloads in it cannot be ruled
out), `overlap`, `duplicate`, `not a log`, `possible copy` (another path served with the target's size while
it was available). `count` is the number of files, except for `gap in window` (gaps) and `possible copy`
(paths). The registry findings come from queries/evidence_status.sql; gaps from queries/gaps.sql.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..timefmt import iso_utc

if TYPE_CHECKING:
    from ..seal import SealCheck
    from ..verify import Verification
    from .analyser import Analyser

DEFAULT_GAP_MINUTES = 60
INCOMPLETE = "incomplete"
STATED = "stated"
KINDS = (("case changed outside exposure", INCOMPLETE), ("changed since ingest", INCOMPLETE), ("missing", INCOMPLETE), ("damaged", INCOMPLETE),
         ("truncated", INCOMPLETE), ("changed during read", INCOMPLETE), ("unreadable", INCOMPLETE),
         ("all lines rejected", INCOMPLETE), ("gap in window", STATED), ("overlap", STATED),
         ("duplicate", STATED), ("not a log", STATED), ("possible copy", STATED))
SEVERITY = dict(KINDS)
# Looked for in the evidence registry (queries/evidence_status.sql); the damage kinds are evidence.damage.
REGISTRY_KINDS = ("damaged", "truncated", "changed during read", "unreadable", "all lines rejected", "overlap",
                  "duplicate", "not a log")


def human_minutes(minutes: float) -> str:
    """`2h 14m`, `1d 3h 05m`, `45m`."""
    total = int(round(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days}d"] if days else []) + ([f"{hours}h"] if hours else [])
    return " ".join([*parts, f"{mins:02d}m" if parts else f"{mins}m"])


def window_spans(targets: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """(from, to) of every window of the answer's targets, ISO UTC: from the first available response to the
    first unavailable one (the file may have been online until then), or to the last available one."""
    return [(w["first_available"], w["first_unavailable"] or w["last_available"])
            for t in targets for w in t["windows"]]


def gaps(analysis: Analyser, targets: Sequence[dict[str, Any]], gap_minutes: int = DEFAULT_GAP_MINUTES
         ) -> list[dict[str, Any]]:
    """Every gap of queries/gaps.sql with `in_window` (it overlaps a window of the answer) and the two
    evidence lines that bound it (`file:line`)."""
    paths = dict(analysis.case.fetchall("SELECT evidence_id, path FROM evidence"))
    spans = window_spans(targets)
    out = []
    for g in analysis.gaps(gap_minutes).to_dict("records"):
        start, end = iso_utc(g["gap_start"]), iso_utc(g["gap_end"])
        out.append({
            "server": g["server"], "start": start, "end": end, "minutes": float(g["gap_minutes"]),
            "length": human_minutes(float(g["gap_minutes"])),
            "in_window": any(start < until and end > since for since, until in spans),
            "evidence": [f"{paths[g['start_evidence_id']]}:{g['start_line_no']}",
                         f"{paths[g['end_evidence_id']]}:{g['end_line_no']}"],
        })
    return out


def _finding(kind: str, paths: list[str], detail: str, count: int | None = None) -> dict[str, Any]:
    return {"kind": kind, "severity": SEVERITY[kind], "count": len(paths) if count is None else count,
            "paths": paths, "detail": detail}


def _registry_findings(analysis: Analyser) -> list[dict[str, Any]]:
    rows = analysis.query("evidence_findings").to_dict("records")
    # a damage word the registry may add later is still damage, and still said
    rows = [{**r, "kind": r["kind"] if r["kind"] in SEVERITY else "damaged"} for r in rows]
    out = []
    for kind in REGISTRY_KINDS:
        mine = sorted((r for r in rows if r["kind"] == kind), key=lambda r: r["evidence_id"])
        if mine:
            details = {r["detail"] for r in mine}
            detail = (details.pop() if len(details) == 1
                      else "; ".join(f"{r['path']}: {r['detail']}" for r in mine))
            out.append(_finding(kind, [r["path"] for r in mine], detail))
    return out


def _seal_findings(analysis: Analyser, seal: SealCheck) -> list[dict[str, Any]]:
    if seal.holds:
        return []
    paths = dict(analysis.case.fetchall("SELECT evidence_id, path FROM evidence"))
    ids = sorted({int(f.item.split(":")[1]) for f in seal.findings
                  if f.item.split(":")[0] in ("evidence", "requests", "rejects", "skipped")
                  and f.item.split(":")[1].isdigit()})
    shown = "; ".join(f.message for f in seal.findings[:3])
    more = f"; and {len(seal.findings) - 3} more" if len(seal.findings) > 3 else ""
    detail = (f"the case file was changed after exposure sealed it ({shown}{more}): the figures come from what "
              "it holds now; exposure verify names every difference")
    return [_finding("case changed outside exposure", [paths[e] for e in ids if e in paths], detail,
                     count=len(seal.findings))]


def _verification_findings(verification: Sequence[Verification]) -> list[dict[str, Any]]:
    out = []
    for status, kind, detail in (("changed", "changed since ingest",
                                  "the SHA-256 of the file on disk differs from the one recorded at ingest"),
                                 ("missing", "missing", "the file is no longer at the path recorded at ingest")):
        paths = [v.path for v in verification if v.status == status]
        if paths:
            out.append(_finding(kind, paths, detail + ": the figures come from the content hashed at ingest"))
    return out


def _gap_finding(rows: list[dict[str, Any]], gap_minutes: int) -> list[dict[str, Any]]:
    inside = [g for g in rows if g["in_window"]]
    if not inside:
        return []
    longest = max(inside, key=lambda g: g["minutes"])
    paths = sorted({ref.rsplit(":", 1)[0] for g in inside for ref in g["evidence"]})
    detail = (f"{len(inside)} period(s) of more than {gap_minutes} minutes without any log line on one server "
              f"fall inside an exposure window (longest {longest['length']} on {longest['server']} from "
              f"{longest['start']}): downloads in them cannot be ruled out")
    return [_finding("gap in window", paths, detail, count=len(inside))]


def _copy_finding(targets: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Paths served with a target's size while it was available (each target's `possible_copies`, from
    queries/possible_copies.sql), each once."""
    found: dict[str, int] = {}
    for t in targets:
        for c in t.get("possible_copies") or []:
            found[c["path"]] = found.get(c["path"], 0) + c["complete_downloads"]
    if not found:
        return []
    paths = sorted(found)
    detail = (f"{len(paths)} other path(s) answered with a target's exact size (or within its complete-transfer "
              f"band) while it was available, with {sum(found.values())} complete download(s) by their own "
              "windows: probably more copies of the same file, not counted in the figures (--alias PATH counts "
              "one)")
    return [_finding("possible copy", paths, detail)]


def evidence_status(analysis: Analyser, targets: Sequence[dict[str, Any]],
                    verification: Sequence[Verification] | None = None, gap_minutes: int = DEFAULT_GAP_MINUTES,
                    gap_rows: list[dict[str, Any]] | None = None, seal: SealCheck | None = None) -> dict[str, Any]:
    """The evidence status of an answer: `targets` are the answer's target sections (their windows),
    `verification` the re-hash of this command (None: not re-hashed), `gap_rows` the result of `gaps` when
    the caller already has it, `seal` the check of the case's seal (None: not checked). See the module
    docstring for the structure."""
    total = int(analysis.query("evidence_file_count").iloc[0, 0])
    findings = _seal_findings(analysis, seal) if seal is not None else []
    findings += _verification_findings(verification or [])
    findings += _registry_findings(analysis)
    findings += _gap_finding(gap_rows if gap_rows is not None else gaps(analysis, targets, gap_minutes), gap_minutes)
    copies_checked = all("possible_copies" in t for t in targets)
    if copies_checked:
        findings += _copy_finding(targets)
    order = [k for k, _ in KINDS]
    findings.sort(key=lambda f: order.index(f["kind"]))
    checked = [k for k in order if k in REGISTRY_KINDS or k == "gap in window"
               or (k == "possible copy" and copies_checked)
               or (verification is not None and k in ("changed since ingest", "missing"))
               or (seal is not None and k == "case changed outside exposure")]
    files: dict[str, int | None] = {"total": total, "verified": None, "changed": None, "missing": None}
    if verification is not None:
        files.update({status: sum(v.status == ("match" if status == "verified" else status) for v in verification)
                      for status in ("verified", "changed", "missing")})
    return {"complete": not any(f["severity"] == INCOMPLETE for f in findings), "files": files,
            "checked": checked, "findings": findings}
