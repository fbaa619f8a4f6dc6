"""The facts of the report, gathered once into plain data: the JSON answer plus what only the case holds.

Templates and CSV writers read this model and nothing else, so the HTML, the PDF and the CSV files cannot
disagree. Keys added to the JSON answer by other analyses (GeoIP, spread) are used when present.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import queries
from ..analysis.targets import Target
from ..evidence import EvidenceFile, raw_lines
from ..timefmt import display_zone, iso_utc
from ..verify import Verification
from ..version import TOOL_NAME, TOOL_VERSION
from .caseinfo import TIMELINE_KEYS, CaseInfo
from .i18n import Strings

if TYPE_CHECKING:
    from ..analysis.analyser import Analyser
    from ..analysis.options import AnalysisOptions
    from ..case import CaseFile

# Every named query whose numbers appear in the report, in the order the method section lists them.
REPORT_QUERIES = ("download_rule", "target_macros", "windows", "downloads", "per_ip", "totals", "citation",
                  "gap_macros", "gaps", "findings", "report_target_requests", "report_referrers", "report_rejects",
                  "report_cache_status", "bytes_meaning_inference")


@dataclass(frozen=True)
class ReportFacts:
    """Inputs of the model that do not come from the case database."""

    lang: str
    strings: Strings
    case_info: CaseInfo
    generated_at: datetime
    command: str | None
    pseudonymised: bool


def _ref(e: dict[str, Any]) -> str:
    return f"{e['file']}:{e['line']}"


def _human_minutes(minutes: float) -> str:
    total = int(round(minutes))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days}d"] if days else []) + ([f"{hours}h"] if hours else []) + [f"{mins:02d}m" if days or hours
                                                                                 else f"{mins}m"]
    return " ".join(parts)


def _timeline(target: dict[str, Any], s: Strings) -> list[dict[str, Any]]:
    rows: list[tuple[tuple[str, int, int], dict[str, Any]]] = []
    for w in target["windows"]:
        n = w["window"]
        rows.append(((w["first_available"], 0, n), {
            "kind": "first_available", "time": w["first_available"], "time_local": w["first_available_local"],
            "event": s.f("ev_first_available", w=n), "client": None, "detail": "",
            "evidence": [_ref(e) for e in w["evidence"]["first_available"]]}))
        rows.append(((w["last_available"], 2, n), {
            "kind": "last_available", "time": w["last_available"], "time_local": w["last_available_local"],
            "event": s.f("ev_last_available", w=n), "client": None, "detail": "",
            "evidence": [_ref(e) for e in w["evidence"]["last_available"]]}))
        if w["first_unavailable"]:
            rows.append(((w["first_unavailable"], 3, n), {
                "kind": "first_unavailable", "time": w["first_unavailable"],
                "time_local": w["first_unavailable_local"], "event": s.f("ev_first_unavailable", w=n),
                "client": None, "detail": "", "evidence": [_ref(e) for e in w["evidence"]["first_unavailable"]]}))
        else:
            rows.append(((w["last_available"], 4, n), {
                "kind": "still_available", "time": None, "time_local": None,
                "event": s.f("ev_still_available", w=n), "client": None, "detail": "", "evidence": []}))
    for d in target["downloads"]:
        outcome = s[f"outcome_{d['outcome']}"]
        detail = f"{s.cls(d['client_class'])}; {d['kind']}"
        if d["parts"] > 1:
            detail += f" ({d['parts']} {s['parts']})"
        detail += f"; {d['bytes']} {s['bytes']}"
        if d["internal"]:
            detail += f"; {s['internal_mark']}"
        rows.append(((d["time"], 1, d["no"]), {
            "kind": f"download_{d['outcome']}", "time": d["time"], "time_local": d["time_local"],
            "event": f"{s['download_short']}{d['no']} " + s.f("ev_download", outcome=outcome),
            "client": d["client_ip"], "detail": detail, "internal": d["internal"],
            "anchor": d["anchor"], "evidence": [_ref(e) for e in d["evidence"]]}))
    rows.sort(key=lambda r: r[0])
    return [{"internal": False, "anchor": None, **r} for _key, r in rows]


def _classes_by_ip(downloads: list[dict[str, Any]]) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for d in downloads:
        found.setdefault(d["client_ip"], set()).add(d["client_class"] or "unknown")
    return {ip: ", ".join(sorted(c)) for ip, c in found.items()}


_FIRST_SEEN = re.compile(r" \(first [^)]*\)")


def _geo_footnotes(per_ip: list[dict[str, Any]], databases: list[dict[str, Any]] | None) -> list[str]:
    """Say each GeoIP note once under the table and mark the cells it applies to with its number.

    A note names its database (an age warning is the same for every address once the per-address date of
    first request is left out: the table gives first seen beside it), so each database's caveat appears once.
    The number goes on the country cell, or on the ASN cell when the note is about the ASN database.
    """
    asn_types = {db.get("type") for db in databases or [] if db.get("kind") == "asn"}
    notes: list[str] = []
    for p in per_ip:
        p["geo_marks"] = {"country": [], "asn": []}
        for part in (p.get("geo_note") or "").split("; "):
            part = _FIRST_SEEN.sub("", part.strip())
            if not part:
                continue
            if part not in notes:
                notes.append(part)
            cell = "asn" if any(t and t in part for t in asn_types) else "country"
            p["geo_marks"][cell].append(notes.index(part) + 1)
    return notes


def _target_model(analysis: Analyser, target: Target, t: dict[str, Any], options: AnalysisOptions, s: Strings,
                  index: int, network_types: dict[str, str]) -> dict[str, Any]:
    prefix = f"t{index}"
    downloads = []
    for no, d in enumerate(t["downloads"], start=1):
        downloads.append({**d, "no": no, "anchor": f"{prefix}-d{no}"})
    classes = _classes_by_ip(downloads)
    per_ip = []
    for p in t["per_ip"]:
        per_ip.append({**p, "classes": p.get("client_class") or classes.get(p["client_ip"], ""),
                       "network_type": p.get("network_type") or network_types.get(p["client_ip"])})
    geo_notes = _geo_footnotes(per_ip, t.get("geoip_databases"))
    requests = analysis.target_query("report_target_requests", target, options)
    referrers = analysis.target_query("report_referrers", target, options)
    external_complete = [d for d in downloads if d["outcome"] == "complete" and not d["internal"]]
    by_class = Counter(d["client_class"] or "unknown" for d in external_complete)
    return {
        "index": index,
        "anchor": prefix,
        "path": t["path"],
        "host": t["host"],
        "size_bytes": t["size_bytes"],
        "size_inferred": t["size_inferred"],
        "windows": t["windows"],
        "totals": t["totals"],
        "downloads": downloads,
        "per_ip": per_ip,
        "geo_notes": geo_notes,
        "timeline": _timeline({**t, "downloads": downloads}, s),
        "notes": t["notes"],
        "warnings": t["warnings"],
        "spread": t.get("spread"),
        "geoip_databases": t.get("geoip_databases"),
        "geo_available": any(p.get("country") or p.get("asn") for p in t["per_ip"]),
        "by_class": sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])),
        "referrers": [{"referer": r["referer"], "requests": int(r["requests"]), "clients": int(r["clients"]),
                       "first_seen": iso_utc(r["first_seen"])} for r in referrers.to_dict("records")],
        # for the chart: every request (time, status, own address or not)
        "requests": [(r["ts_utc"].to_pydatetime(), int(r["status"]) if r["status"] == r["status"] else 0,
                      bool(r["internal"])) for r in requests.to_dict("records")],
    }


def _appendix(case: CaseFile, targets: list[dict[str, Any]], verification: dict[str, Verification]) -> list[dict[str, Any]]:
    """The verbatim raw lines of every counted download, read back only from files whose hash still matches."""
    evidence = {row[0]: row for row in case.fetchall(
        "SELECT path, evidence_id, abs_path, size_bytes, mtime_utc, compression, server, sha256 FROM evidence "
        "WHERE verdict = 'ingested'")}
    wanted: dict[str, set[int]] = {}
    for t in targets:
        for d in t["downloads"]:
            for e in d["evidence"]:
                wanted.setdefault(e["file"], set()).add(int(e["line"]))
    offsets: dict[tuple[str, int], int] = {}
    texts: dict[tuple[str, int], str | None] = {}
    for path in sorted(wanted):
        eid, abs_path, size, mtime, compression, server = evidence[path][1:7]
        numbers = sorted(wanted[path])
        rows = case.fetchall(
            "SELECT line_no, byte_offset FROM requests WHERE evidence_id = $eid AND list_contains($lines, line_no)",
            {"eid": eid, "lines": numbers})
        found = {int(n): int(o) for n, o in rows}
        for n in numbers:
            offsets[(path, n)] = found.get(n)
        check = verification.get(path)
        if check is None or not check.ok:
            continue
        ev = EvidenceFile(path, abs_path, int(size), mtime, compression, server)
        for n, raw in raw_lines(ev, {n: found.get(n) for n in numbers}).items():
            texts[(path, n)] = raw.decode("utf-8", errors="replace").rstrip("\r")
    out = []
    for t in targets:
        for d in t["downloads"]:
            out.append({
                "target": t["path"], "target_index": t["index"], "no": d["no"], "anchor": d["anchor"],
                "outcome": d["outcome"], "internal": d["internal"], "time": d["time"], "client": d["client_ip"],
                "lines": [{"file": e["file"], "line": e["line"], "sha256": e["sha256"],
                           "byte_offset": offsets.get((e["file"], int(e["line"]))),
                           "compressed": evidence[e["file"]][5] != "none",
                           "text": texts.get((e["file"], int(e["line"])))} for e in d["evidence"]],
            })
    return out


def _gaps(analysis: Analyser, options: AnalysisOptions, targets: list[dict[str, Any]]) -> dict[str, Any]:
    paths = dict(analysis.case.fetchall("SELECT evidence_id, path FROM evidence"))
    windows = [(w["first_available"], w["first_unavailable"] or w["last_available"])
               for t in targets for w in t["windows"]]
    rows = []
    for g in analysis.query("gaps", gap_minutes=options.gap_minutes, gap_factor=options.gap_factor
                            ).to_dict("records"):
        start, end = iso_utc(g["gap_start"]), iso_utc(g["gap_end"])
        rows.append({
            "stream": g["stream"], "server": g["server"], "start": start, "end": end,
            "minutes": float(g["gap_minutes"]), "length": _human_minutes(float(g["gap_minutes"])),
            "threshold": _human_minutes(float(g["threshold_minutes"])),
            "in_window": any(start < hi and end > lo for lo, hi in windows),
            "evidence": [f"{paths[g['start_evidence_id']]}:{g['start_line_no']}",
                         f"{paths[g['end_evidence_id']]}:{g['end_line_no']}"],
        })
    summary = []
    for stream in sorted({r["stream"] for r in rows}):
        mine = [r for r in rows if r["stream"] == stream]
        longest = max(mine, key=lambda r: r["minutes"])
        summary.append({"server": stream, "count": len(mine), "longest": longest["length"],
                        "longest_start": longest["start"], "in_window": sum(r["in_window"] for r in mine)})
    return {"minutes": options.gap_minutes, "factor": options.gap_factor, "rows": rows, "summary": summary}


def _uncovered(f: dict[str, Any], s: Strings) -> str:
    if f["uncovered_start"] and f["uncovered_end"]:
        return s.f("uncovered", stream=f["stream"], start=f["uncovered_start"], end=f["uncovered_end"])
    if f["uncovered_start"]:
        return s.f("uncovered_open", stream=f["stream"], start=f["uncovered_start"])
    return s["uncovered_unknown"]


def _findings(answer: dict[str, Any], s: Strings) -> list[dict[str, Any]]:
    """The findings of the answer (queries/findings.sql) in the report's language: built from their facts."""
    out = []
    for f in answer.get("findings", []):
        key = f["kind"].replace(" ", "_")
        text = s.f(f"finding_{key}", lines=f["lines"], of_lines=f["of_lines"], format=f["format"],
                   ranges=f["line_ranges"], related_ranges=f["related_line_ranges"], related=f["related_path"],
                   stream=f["stream"], server=f["server"], start=f["uncovered_start"], end=f["uncovered_end"],
                   length=_human_minutes(f["minutes"] or 0), threshold=_human_minutes(f["threshold_minutes"] or 0),
                   fact=f.get("fact"), detail=f["detail"],
                   uncovered=_uncovered(f, s)) if f"finding_{key}" in s else f["detail"]
        out.append({**f, "kind_label": s.get(f"kind_{key}", f["kind"]), "severity_label": s[f"sev_{f['severity']}"],
                    "text": text})
    return out


def _status(findings: list[dict[str, Any]], targets: list[dict[str, Any]], s: Strings) -> dict[str, Any]:
    """Page 1's evidence status: what is incomplete, the gaps inside a window, and counts that link on."""
    gaps = [{**g, "path": t["path"], "text": s.f("status_gap", server=g["server"], stream=g["stream"], start=g["start"],
                                               end=g["end"], length=_human_minutes(g["minutes"]), window=g["window"],
                                               path=t["path"])}
            for t in targets for g in t.get("gaps", [])]
    kinds = Counter(f["kind"] for f in findings)
    return {"incomplete": [f for f in findings if f["severity"] == "incomplete"], "gaps": gaps,
            "overlaps": kinds["overlap"], "duplicates": kinds["duplicate"], "findings": len(findings)}


def _overlaps(case: CaseFile) -> list[dict[str, Any]]:
    rows = case.fetchall("""
        SELECT e.path, e.stream, k.path, p.shared_lines, p.runs, p.line_ranges, p.kept_line_ranges, p.first_time,
               p.last_time
        FROM overlap_pairs p JOIN evidence e USING (evidence_id) JOIN evidence k ON k.evidence_id = p.kept_evidence_id
        ORDER BY p.evidence_id, p.kept_evidence_id""")
    return [{"copy": c, "stream": stream, "original": o, "lines": int(n), "runs": int(runs), "ranges": ranges,
             "original_ranges": kept_ranges, "first": iso_utc(lo), "last": iso_utc(hi)}
            for c, stream, o, n, runs, ranges, kept_ranges, lo, hi in rows]


def _evidence_register(case: CaseFile, answer: dict[str, Any], verification: dict[str, Verification],
                       info: CaseInfo) -> list[dict[str, Any]]:
    extra = {path: (mtime, supplied_by, note) for path, mtime, supplied_by, note in case.fetchall(
        "SELECT path, mtime_utc, supplied_by, custody_note FROM evidence")}
    out = []
    for e in answer["evidence"]:
        mtime, supplied_by, note = extra.get(e["path"], (None, None, None))
        check = verification.get(e["path"])
        custody = [c.__dict__ for c in info.custody_for(e["path"])]
        if supplied_by or note:
            custody.insert(0, {"file": e["path"], "supplied_by": supplied_by, "received": None, "how": None,
                               "note": note})
        out.append({**e, "mtime": iso_utc(mtime),
                    "status": check.status if check else "missing",
                    "current_sha256": check.current_sha256 if check else None,
                    "custody": custody})
    return out


def _custody_groups(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Custody entries said once each, with the files they cover (most evidence shares one supplier).

    Each register row gets `custody_refs`, the numbers of the entries that apply to it."""
    groups: list[dict[str, Any]] = []
    keys: list[tuple[Any, ...]] = []
    for e in evidence:
        e["custody_refs"] = []
        for c in e["custody"]:
            key = (c.get("file"), c.get("supplied_by"), c.get("received"), c.get("how"), c.get("note"))
            if key not in keys:
                keys.append(key)
                groups.append({"no": len(groups) + 1, "pattern": key[0], "supplied_by": key[1],
                               "received": key[2], "how": key[3], "note": key[4], "files": []})
            group = groups[keys.index(key)]
            group["files"].append(e["path"])
            e["custody_refs"].append(group["no"])
    return groups


# Entries made by report generation are left out of the report's activity log: otherwise every rerun would
# change the report it produces. They stay in the case (table activity) for the audit trail.
REPORT_COMMANDS = ("report",)


def _activity(case: CaseFile) -> list[dict[str, Any]]:
    rows = case.fetchall(
        "SELECT seq, at_utc, tool_version, command, detail FROM activity "
        "WHERE NOT list_contains($skip, command) ORDER BY seq", {"skip": list(REPORT_COMMANDS)})
    return [{"seq": int(seq), "at": iso_utc(at), "version": version, "command": command, "detail": detail}
            for seq, at, version, command, detail in rows]


def _link_sizes(doc: dict[str, Any], t: dict[str, Any]) -> list[dict[str, Any]]:
    """Per window of a target: does the inspected file's size equal the size served? (as
    exposure.inspect.link.compare_with_windows, on the windows of this very analysis and its options)."""
    out = []
    for w in t["windows"]:
        logged = w.get("size_bytes")
        if logged is None:
            verdict = "unknown"
        elif int(logged) == doc["size_bytes"]:
            verdict = "match"
        else:
            verdict = "mismatch"
        out.append({"window": w["window"], "log_size_bytes": logged, "size_inferred": w.get("size_inferred"),
                    "verdict": verdict})
    return out


def _inspections(case: CaseFile, targets: list[dict[str, Any]], info: CaseInfo) -> list[dict[str, Any]]:
    """The latest inspection of each inspected document (path and SHA-256), with its findings, personal-data
    categories (automated estimates) and, per target it is linked to, the size comparison per window.

    A document is linked to a target whose URL path ends with the document's file name, or that the case
    info links to it (`[[link]] document = ..., target = ...`). Sample values are never shown in the report."""
    rows = case.fetchall("""
        SELECT i.inspection_id, i.path, i.sha256, i.size_bytes, i.doc_type, i.inspected_at, i.tool_version,
               i.complete, i.notes, i.records, i.records_visible, i.records_hidden, i.records_whited_out,
               i.data_subjects_estimate
        FROM inspections i
        WHERE i.inspection_id = (SELECT max(j.inspection_id) FROM inspections j
                                 WHERE j.path = i.path AND j.sha256 = i.sha256)
        ORDER BY i.path, i.inspection_id""")
    out = []
    for (iid, path, sha, size, doc_type, at, version, complete, notes, records, visible, hidden, whited,
         subjects) in rows:
        findings = case.fetchall(
            "SELECT finding_no, kind, location, range_ref, description, cells, rows, unit FROM inspection_findings "
            "WHERE inspection_id = ? ORDER BY finding_no", [iid])
        categories = case.fetchall(
            "SELECT category, rule, value_count, records, records_visible, records_hidden, records_whited_out "
            "FROM inspection_categories WHERE inspection_id = ? ORDER BY records DESC, category", [iid])
        doc: dict[str, Any] = {
            "path": path, "name": Path(path).name, "sha256": sha, "size_bytes": int(size or 0),
            "doc_type": doc_type, "inspected_at": iso_utc(at), "tool_version": version,
            "complete": bool(complete), "notes": notes, "records": int(records or 0),
            "records_visible": int(visible or 0), "records_hidden": int(hidden or 0),
            "records_whited_out": int(whited or 0), "data_subjects_estimate": int(subjects or 0),
            "findings": [{"no": n, "kind": k, "where": loc, "range": rng, "description": d, "cells": int(c or 0),
                          "rows": int(r or 0), "unit": u} for n, k, loc, rng, d, c, r, u in findings],
            "categories": [{"category": c, "rule": rule, "values": int(v or 0), "records": int(r or 0),
                            "visible": int(rv or 0), "hidden": int(rh or 0), "whited_out": int(rw or 0)}
                           for c, rule, v, r, rv, rh, rw in categories],
        }
        linked = info.links_for(path)
        doc["links"] = [{"target": t["path"], "index": t["index"], "anchor": t["anchor"],
                         "how": "case_info" if t["path"] in linked else "name",
                         "windows": _link_sizes(doc, t)}
                        for t in targets
                        if t["path"] in linked or t["path"].rsplit("/", 1)[-1] == doc["name"]]
        out.append(doc)
    return out


def _formats(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[str]] = {}
    for e in evidence:
        if e["verdict"] != "ingested":
            continue
        key = (e["format"], e["time_meaning"], e["bytes_meaning"], e["format_lacks"], e.get("time_basis"),
               e.get("bytes_basis"), e.get("bytes_basis_detail"), e.get("exact_length_field"),
               e.get("paths_case_insensitive"))
        groups.setdefault(key, []).append(e["path"])
    names = ("format", "time_meaning", "bytes_meaning", "format_lacks", "time_basis", "bytes_basis",
             "bytes_basis_detail", "exact_length_field", "paths_case_insensitive")
    return [{**dict(zip(names, k, strict=True)), "files": v}
            for k, v in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[1][0]))]


def _incident_timeline(info: CaseInfo, targets: list[dict[str, Any]], s: Strings) -> list[dict[str, Any]]:
    windows = [w for t in targets for w in t["windows"]]
    from_logs: dict[str, str | None] = {"occurrence": None, "takedown": None}
    if windows:
        first = min(windows, key=lambda w: w["first_available"])
        from_logs["occurrence"] = f"{first['first_available']} ({first['first_available_local']})"
        ends = [w for w in windows if w["first_unavailable"]]
        if ends:
            last = max(ends, key=lambda w: w["first_unavailable"])
            from_logs["takedown"] = (f"{last['last_available']} – {last['first_unavailable']} "
                                     f"({last['last_available_local']} – {last['first_unavailable_local']})")
    rows = []
    for key in TIMELINE_KEYS:
        rows.append({"key": key, "label": s[f"tl_{key}"], "case_info": info.timeline.get(key),
                     "logs": from_logs.get(key), "logs_applicable": key in from_logs})
    ongoing_logs = any(w["still_available_at_log_end"] for w in windows) if windows else None
    rows.append({"key": "ongoing", "label": s["tl_ongoing"],
                 "case_info": None if info.ongoing is None else (s["yes"] if info.ongoing else s["no"]),
                 "logs": None if ongoing_logs is None else (s["yes"] if ongoing_logs else s["no"]),
                 "logs_applicable": True})
    return rows


def build_model(analysis: Analyser, targets: list[Target], options: AnalysisOptions, answer: dict[str, Any],
                verification: list[Verification], facts: ReportFacts) -> dict[str, Any]:
    """Everything the report shows, as plain data (addresses not yet pseudonymised)."""
    s = facts.strings
    checks = {v.path: v for v in verification}
    case = analysis.case
    network_types = dict(case.fetchall("SELECT client, network_type FROM client_info"))
    tmodels = [_target_model(analysis, tgt, t, options, s, i, network_types)
               for i, (tgt, t) in enumerate(zip(targets, answer["targets"], strict=True), start=1)]
    evidence = _evidence_register(case, answer, checks, facts.case_info)
    custody = _custody_groups(evidence)
    problems = [v for v in verification if not v.ok]
    info = facts.case_info
    zone = display_zone(options.display_tz, case.log_offsets())
    cache = analysis.query("report_cache_status")
    findings = _findings(answer, s)
    return {
        "lang": facts.lang,
        "s": s,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        "command": facts.command,
        "generated_at": iso_utc(facts.generated_at),
        "generated_at_local": zone.local(facts.generated_at.replace(tzinfo=None)),
        "zone": zone.name,
        "pseudonymised": facts.pseudonymised,
        "info": info,
        "case_id": info.case_id,
        "report_version": info.report_version,
        "options": answer["options"],
        "verification": {"checked": len(verification), "problems": [p.__dict__ for p in problems]},
        "targets": tmodels,
        "evidence": evidence,
        "custody": custody,
        "activity": _activity(case),
        "inspections": _inspections(case, tmodels, facts.case_info),
        "formats": _formats(evidence),
        "others": [e for e in evidence if e["verdict"] != "ingested"],
        "gaps": _gaps(analysis, options, tmodels),
        "findings": findings,
        "status": _status(findings, answer["targets"], s),
        "overlaps": _overlaps(case),
        "rejects": analysis.query("report_rejects").to_dict("records"),
        "cache": [{"status": r["cache_result"], "requests": int(r["requests"])} for r in cache.to_dict("records")],
        "warnings": answer["warnings"],
        "queries": [{"name": q.name, "file": q.file, "line": q.line, "doc": q.doc, "sql": q.sql}
                    for q in (queries.get(n) for n in REPORT_QUERIES)],
        "incident_timeline": _incident_timeline(info, tmodels, s),
        "appendix": _appendix(case, tmodels, checks),
    }
