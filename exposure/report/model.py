"""The facts of the report, gathered once into plain data: the JSON answer plus what only the case holds.

Templates and CSV writers read this model and nothing else, so the HTML, the PDF and the CSV files cannot
disagree. Keys added to the JSON answer by other analyses (GeoIP, spread) are used when present.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cutwords, overlapwords, placewords, queries
from ..analysis.evidence_status import COPY_KIND, incomplete_files, incompleteness
from ..analysis.spread import summary as spread_summary
from ..analysis.targets import Target
from ..answer import target_spans
from ..escaping import shorten_shown
from ..evidence import EvidenceFile, raw_lines
from ..findings import PRESUMED_TAKE, STREAM_EDGES, unsaid_edge
from ..timefmt import gap_lengths, human_minutes, iso_utc, log_zone
from ..verify import Verification
from ..version import TOOL_NAME, TOOL_VERSION
from . import findingwords, wording
from .alerts import page_one_alerts, said_by_alerts
from .casebox import CaseBox, page_one_box
from .caseinfo import TIMELINE_KEYS, CaseInfo
from .caveats import caveats, sent_note
from .html import PAGE_ONE_CASE, PAGE_ONE_PATH, number
from .i18n import Strings
from .inventory import dense
from .pagebudget import COUNTED, PAGE_ONE, PAGE_ONE_FILES, above_status, alias_row, case_box, shown
from .pageone import page_one

if TYPE_CHECKING:
    from ..analysis.analyser import Analyser
    from ..analysis.options import AnalysisOptions
    from ..case import CaseFile

# Every named query whose numbers appear in the report, in the order the method section lists them.
REPORT_QUERIES = ("download_rule", "figure_macros", "target_macros", "target_hosts", "windows", "windows_header_streams",
                  "counts_below_given_size", "partials_adding_up", "ranges_across_forwarded", "refused_after_window",
                  "redirects_after_window",
                  "window_reopened_elsewhere", "window_reopened_in_flight", "window_fold_responses", "downloads_logged_twice",
                  "complete_on_sent_counts",
                  "downloads", "per_ip", "client_claims", "client_profiles", "geoip_databases", "totals",
                  "cdn_cache_fills", "citation", "spread_fetchers", "spread_referrers",
                  # the possible copies' section: `files`' one rule of which spellings are one file, then the copies
                  "copy_matches", "file_spellings", "copy_macros", "possible_copies",
                  "gap_macros", "gaps", "findings", "report_target_requests", "report_referrers", "report_rejects",
                  "report_cache_status", "bytes_meaning_inference", "evidence_list", "report_coverage_streams",
                  "log_offsets", "log_zones")
QUERIES_FILE = "queries.sql"
# A table on the report's pages (downloads, timeline, per address, every request, the raw lines of the
# downloads) shows at most this many rows, then says how many and which file holds them all (downloads.csv,
# timeline.csv, analysis.json, requests.csv): a leak downloaded by thousands would otherwise give a PDF of
# thousands of pages that WeasyPrint lays out in tens of minutes and gigabytes (6,000 downloads: > 10 minutes,
# 8 GB). The figures are the queries' counts, never the rows shown.
PAGE_ROWS = 500
# A report over many files (--under over thousands of published files) shares one budget of rows per table across
# its files (page_shares): files needing fewer rows than their share give the rest back, and past the budget only
# the files that fit (at least FILE_ROWS each, the most complete downloads first) have tables on the pages, the
# rest one line each saying where their rows are; every cut says how many there are and which file has them all.
# Without it 30 files of some thousand downloads each gave a 94 MB HTML the PDF writer had not laid out after
# 10 minutes and 5 GB, and 5,000 files of 10 downloads each 50,000 rows per table.
REPORT_ROWS = 2_000
FILE_ROWS = 10
BOUNDS = ("first_available", "last_available", "first_unavailable")
# Evidence lines shown per possible copy (analysis.json lists every one)
COPY_LINES = 5
# Page 1 names these kinds always (with "not checked" when the analysis did not look), the others when found.
PAGE_ONE_KINDS = ("damaged", "unreadable", "gap in window", "possible copy")
# Page 1 says every stated kind found, with what it means and the first files or streams it names (all of them
# in section 7's findings table): a bounded first page whatever the number of files.
PAGE_ONE_NAMES = 3
# Windows page 1 names per file: in the answer sentence, its table of windows and the size's votes; past it one
# counted line says how many more and when they fall, and section 1 has the table of every window (the timeline
# every bound): a file that went on and off 30 times keeps its status on page 1.
KEY_WINDOWS = 2


@dataclass(frozen=True)
class ReportFacts:
    """Inputs of the model that do not come from the case database."""

    lang: str
    strings: Strings
    case_info: CaseInfo
    generated_at: datetime
    command: str | None
    pseudonymised: bool
    pinned: bool = False  # generated_at given (--pin-time): the same inputs give the same report bytes


def _ref(e: dict[str, Any]) -> str:
    return f"{e['file']}:{e['line']}"


def _bound_refs(prefix: str, w: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Each window bound's evidence lines as `file:line` (and each apart: a long file name is cut, its line never)
    with the anchor of its raw line in the appendix."""
    return {key: [{"ref": _ref(e), "file": e["file"], "line": e["line"], "anchor": f"{prefix}-w{w['window']}-{key}-{i}"}
                  for i, e in enumerate(w["evidence"][key], start=1)] for key in BOUNDS}


def _timeline(target: dict[str, Any], s: Strings) -> list[dict[str, Any]]:
    rows: list[tuple[tuple[str, int, int], dict[str, Any]]] = []
    for w in target["windows"]:
        n = w["window"]
        refs = w["refs"]
        rows.append(((w["first_available"], 0, n), {
            "kind": "first_available", "time": w["first_available"], "time_local": w["first_available_local"],
            "event": s.f("ev_first_available", w=n), "client_ip": None, "detail": "",
            "evidence": refs["first_available"]}))
        rows.append(((w["last_available"], 2, n), {
            "kind": "last_available", "time": w["last_available"], "time_local": w["last_available_local"],
            "event": s.f("ev_last_available", w=n), "client_ip": None, "detail": "",
            "evidence": refs["last_available"]}))
        if w["first_unavailable"]:
            rows.append(((w["first_unavailable"], 3, n), {
                "kind": "first_unavailable", "time": w["first_unavailable"],
                "time_local": w["first_unavailable_local"], "event": s.f("ev_first_unavailable", w=n),
                "client_ip": None, "detail": "", "evidence": refs["first_unavailable"]}))
        else:
            rows.append(((w["last_available"], 4, n), {
                "kind": "still_available", "time": None, "time_local": None,
                "event": s.f("ev_still_available", w=n), "client_ip": None, "detail": "", "evidence": []}))
    for d in target["downloads"]:
        outcome = s[f"outcome_{d['outcome']}"]
        detail = f"{s.cls(d['client_class'])}; {s.enum('kind', d['kind'])}"
        if d["parts"] > 1:
            detail += f" ({d['parts']} {s['parts']})"
        detail += f"; {d['bytes']} {s['bytes']}"
        if d["internal"]:
            detail += f"; {s['internal_mark']}"
        if any(e.get("damage") == "damaged" for e in d["evidence"]):  # the count rests on a damaged file
            detail += f"; {s['damaged_mark']}"
        rows.append(((d["time"], 1, d["no"]), {
            "kind": f"download_{d['outcome']}", "time": d["time"], "time_local": d["time_local"],
            "event": f"{s['download_short']}{d['no']} " + s.f("ev_download", outcome=outcome)
                     + (s["inferred_mark"] if d.get("outcome_inferred") else ""),
            "client_ip": d["client_ip"], "detail": detail, "internal": d["internal"], "via": d.get("via"),
            "anchor": d["anchor"], "evidence": [{"ref": _ref(e), "anchor": f"{d['anchor']}-raw"}
                                                for e in d["evidence"]]}))
    rows.sort(key=lambda r: r[0])
    return [{"internal": False, "anchor": None, "via": None, **r} for _key, r in rows]


def _classes_by_ip(downloads: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, set[str]] = {}
    for d in downloads:
        found.setdefault(d["client_ip"], set()).add(d["client_class"] or "unknown")
    return {ip: sorted(c) for ip, c in found.items()}


_FIRST_SEEN = re.compile(r" \(first [^)]*\)")


def _geo_footnotes(per_ip: list[dict[str, Any]], databases: list[dict[str, Any]] | None, s: Strings) -> list[str]:
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
            cell = "asn" if any(t and t in part for t in asn_types) else "country"
            part = wording.sentence(part, s) or part
            if part not in notes:
                notes.append(part)
            p["geo_marks"][cell].append(notes.index(part) + 1)
    return notes


def _size(t: dict[str, Any], s: Strings) -> dict[str, Any]:
    """The file size and how it was known, in words: the rule of each window, with the votes behind an
    inferred size."""
    rules = t["size_rule"].split("+") if t.get("size_rule") else []  # in the answer's order (answer.py)
    # where the band judged: from its floor up to the edge undetermined (band_below), said beside the votes
    # where that range holds a count (the floor below the edge)
    votes = [s.f("size_votes_short", w=w["window"], votes=w["size_votes"], sample=w["size_sample"])
             if w.get("band_floor") is None or w["band_floor"] >= w["band_bytes"] else
             s.f("size_votes_short_floor", w=w["window"], votes=w["size_votes"], sample=w["size_sample"],
                 floor=number(w["band_floor"]))
             for w in t["windows"] if w.get("size_votes") is not None and w.get("size_rule") != "given"]
    sizes = sorted({w["size_bytes"] for w in t["windows"] if w["size_bytes"] is not None})
    # the band is measured on the streams whose byte counts include headers: named, never said of the whole case
    # (answer.py size_header_streams; an answer without them keeps the rule's own words)
    streams = t.get("size_header_streams") or []
    said = [s["size_rule_band_of"] if r == "band" and streams else s.enum("size_rule", r) for r in rules]
    # the band alone (every count with headers, no body length logged or given: that rule would be `object_size`
    # or `given`): its edge is the file with its response headers, not the file's size (findings.BAND_SIZE_LABEL)
    band_only = rules == ["band"]
    return {"label": s["size_band_only"] if band_only else s["size"],
            "bytes": t["size_bytes"], "per_window": len(sizes) > 1, "known": bool(sizes),
            "rules": said, "band_streams": streams if "band" in rules else [], "votes": votes[:KEY_WINDOWS],
            "votes_more": max(0, len(votes) - KEY_WINDOWS)}  # every window's votes: the method's size inference


def _int(value: Any) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def page_shares(needs: list[int], complete: list[int]) -> list[int | None]:
    """The rows each file's tables show on the report's pages, from the rows each needs (its longest table) and its
    complete downloads: never more than PAGE_ROWS a file nor REPORT_ROWS in all. Files get tables while at least
    min(need, FILE_ROWS) each fits, those with the most complete downloads first, then in their order (a crawler that
    fetched every file once never puts the leak past the budget); None for a file past
    the budget (its section says where its rows are). The budget is then water-filled: smallest needs first, each
    its need or an even share of what is left, so a file needing fewer gives the rest to the bigger ones.

    >>> page_shares([40] + [1] * 200, [40] + [0] * 200)[:2]
    [40, 1]
    >>> page_shares([900, 900, 100], [1, 1, 1])
    [500, 500, 100]
    >>> shares = page_shares([10] * 300, [0] * 150 + [1] * 150)
    >>> shares[49], shares[50], shares[150], sum(s or 0 for s in shares)
    (10, None, 10, 2000)
    >>> shares.count(None), shares.index(None)
    (100, 50)
    >>> page_shares([10] * 250 + [500], [1] * 250 + [1000])[-1]
    10
    """
    wants = [min(n, PAGE_ROWS) for n in needs]
    placed, used = [], 0
    for i in sorted(range(len(wants)), key=lambda i: (-complete[i], i)):
        least = min(wants[i], FILE_ROWS)
        if used + least <= REPORT_ROWS:
            placed.append(i)
            used += least
    shares: list[int | None] = [None] * len(wants)
    left = REPORT_ROWS
    placed.sort(key=lambda i: (wants[i], i))
    for k, i in enumerate(placed):
        share = max(min(wants[i], left // (len(placed) - k)), min(wants[i], FILE_ROWS))
        shares[i] = share
        left -= share
    return shares


def _request_rows(requests: list[dict[str, Any]], downloads: list[dict[str, Any]], s: Strings,
                  prefix: str) -> list[dict[str, Any]]:
    """The table of every request: each row says which figures it counts in (the totals query's rules)."""
    numbers = {(e["file"], int(e["line"])): d for d in downloads for e in d["evidence"]}
    rows = []
    for no, r in enumerate(requests, start=1):
        status = _int(r["status"])
        counted = []
        if not r["internal"]:
            counted.append(s["in_requests"])
            if r["method"] == "HEAD":
                counted.append(s["in_head"])
            if status == 304:
                counted.append(s["in_304"])
            if r["is_error"]:  # totals.errors' own test (rule_error, queries/report.sql)
                counted.append(s["in_error"])
        d = numbers.get((r["evidence_path"], int(r["line_no"])))
        cut = r["cut_field"] if isinstance(r.get("cut_field"), str) else None  # a frame's missing value is NaN
        rows.append({"no": no, "time": iso_utc(r["ts_utc"]), "client_ip": r["client"], "method": r["method"],
                     "status": status, "bytes": _int(r["bytes"]), "cut_field": cut,
                     "cut": cut_said(cut, s) if cut else None,
                     "internal": bool(r["internal"]), "counted": counted,
                     "download": f"{s['download_short']}{d['no']}" if d else None,
                     "download_of": d["anchor"] if d else None,  # a link where its raw lines are shown (_page_cut)
                     "evidence": f"{r['evidence_path']}:{int(r['line_no'])}", "anchor": f"{prefix}-r{no}"})
    return rows


def _spread(spread: dict[str, Any] | None, s: Strings) -> dict[str, Any] | None:
    """The spread signals in the report's language: the summary sentences and the fetchers per group."""
    if not spread:
        return None
    groups = []
    for key in ("archives", "crawlers", "link_previews"):
        rows = []
        for r in spread.get(key) or []:
            said, source = wording.verification(r.get("verification"), s)
            rows.append({**r, "verification": said, "verification_source": source})
        if rows:
            groups.append({"key": key, "title": s[f"spread_group_{key}"], "rows": rows})
    return {"summary": spread_summary(spread, s["lang"]), "groups": groups}


def _key_sentence(t: dict[str, Any], internal: bool, s: Strings) -> str:
    """Page 1's answer for one file as one sentence (copied from the PDF it reads whole): its complete downloads
    and external addresses, the organisation's own apart, and each window in UTC with local time beside it."""
    totals = t["totals"]
    if not t["windows"]:
        return s.f("key_never", complete=totals["complete_downloads"])
    spans = "; ".join(s.f("key_window" if w["first_unavailable"] else "key_window_open", window=w["window"],
                          first=w["first_available"], last=w["last_available"],
                          first_local=w["first_available_local"], last_local=w["last_available_local"])
                      for w in t["windows"][:KEY_WINDOWS])
    if len(t["windows"]) > KEY_WINDOWS:  # the rest are in the windows table beneath: page 1 stays one page
        still = t["windows"][-1]["first_unavailable"] is None  # the file still available: said however many
        spans += s.f("key_more_windows_open" if still else "key_more_windows", n=len(t["windows"]) - KEY_WINDOWS)
    own = s.f("key_own", n=totals["internal_complete_downloads"]) if internal else ""
    if totals.get("fetcher_complete_downloads"):  # not people: who took the copy is said on page 1, not only in 5
        own += s.f("key_fetchers", n=totals["fetcher_complete_downloads"])
    if totals.get("cdn_complete_downloads"):  # a CDN's copies, not a person's: said beside the figure they are in
        own += s.f("key_cdn", n=totals["cdn_complete_downloads"])
    if totals.get("no_address_complete_downloads"):  # downloads no address is logged for: not in the addresses' figure
        own += s.f("key_no_address", n=totals["no_address_complete_downloads"])
    if totals.get("inferred_complete_downloads"):  # complete by a sum of range parts: an inference, said here
        own = s.f("key_inferred", n=totals["inferred_complete_downloads"], ips=totals["inferred_only_ips"]) + own
    aliased = sum(1 for d in t["downloads"] if d.get("via") and d["outcome"] == "complete" and not d["internal"])
    if aliased:  # --alias: downloads under another name count, in that name's own windows (not listed here)
        own += s.f("key_alias", n=aliased)
    return s.f("key_sentence", complete=totals["complete_downloads"], ips=totals["distinct_ips"], own=own,
               n=len(t["windows"]), windows=spans)


def _windows_more(rest: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The windows past page 1's: how many, and from when to when (their first available to the last bound)."""
    if not rest:
        return None
    last = rest[-1]
    return {"n": len(rest), "first": rest[0]["first_available"], "last": last["first_unavailable"],
            "open": last["first_unavailable"] is None}  # the last still available when the logs end


def _overview(targets: list[dict[str, Any]], files: int = PAGE_ONE_FILES) -> dict[str, Any]:
    """Page 1's table of files: the first `files` (PAGE_ONE_FILES, fewer where page 1's findings need their room:
    _files_give_way), and what the rest hold (each is in section 1's table)."""
    rest = targets[files:]
    return {"rows": targets[:files], "more": len(rest),
            "more_with_downloads": sum(1 for t in rest if t["totals"]["complete_downloads"]),
            "more_downloads": sum(t["totals"]["complete_downloads"] for t in rest)}


def _target_model(analysis: Analyser, target: Target, t: dict[str, Any], options: AnalysisOptions, s: Strings,
                  index: int, network_types: dict[str, str], run: Collection[str] = ()) -> dict[str, Any]:
    """One file's part of the report, every row (the CSVs and analysis.json); _page_cut chooses the pages' rows;
    `run`: the report's targets (a copy that is one, or shares requests with one, is counted in it)."""
    prefix = f"t{index}"
    downloads = []
    for no, d in enumerate(t["downloads"], start=1):
        downloads.append({**d, "no": no, "anchor": f"{prefix}-d{no}"})
    windows = [{**w, "refs": _bound_refs(prefix, w)} for w in t["windows"]]
    classes = _classes_by_ip(downloads)
    per_ip = []
    for p in t["per_ip"]:
        found = p.get("client_classes") or classes.get(p["client_ip"]) or [p.get("client_class") or "unknown"]
        per_ip.append({**p, "classes": [s.cls(c) for c in found],
                       "network_type": p.get("network_type") or network_types.get(p["client_ip"])})
    requests = analysis.target_query("report_target_requests", target, options).to_dict("records")
    referrers = analysis.target_query("report_referrers", target, options)
    external_complete = [d for d in downloads if d["outcome"] == "complete" and not d["internal"]]
    by_class = Counter(d["client_class"] or "unknown" for d in external_complete)
    request_rows = _request_rows(requests, downloads, s, prefix)
    timeline = _timeline({**t, "windows": windows, "downloads": downloads}, s)
    return {
        "index": index,
        "anchor": prefix,
        "path": t["path"],
        "host": t["host"],
        "size_bytes": t["size_bytes"],
        "size_inferred": t["size_inferred"],
        "size": _size(t, s),
        "windows": windows,
        "page_one_windows": windows[:KEY_WINDOWS],
        "windows_more": _windows_more(windows[KEY_WINDOWS:]),
        "gaps": t.get("gaps") or [],  # a stream's silences inside the windows (the chart hatches them)
        "closed_windows": sum(1 for w in windows if w["first_unavailable"]),
        "aliases": t.get("aliases") or [],
        # a row per --alias path's window (one for a path without any): page 1 shows those its budget leaves room
        # for (_fit_aliases), section 1 every one
        "alias_rows": [{"path": a["path"], "window": w} for a in t.get("aliases") or []
                       for w in (a.get("windows") or [None])],
        "possible_copies": [{**c, "size_match_text": s.enum("size_match", c["size_match"]),
                             # the run's targets it is one of, or shares requests with: counted in them
                             "is_target": c["path"] in run,
                             "shared_targets": [o for o in c.get("shared_with") or [] if o in run],
                             "refs": [_ref(e) for e in c["evidence"][:COPY_LINES]],
                             "more_refs": max(len(c["evidence"]) - COPY_LINES, 0)}
                            for c in t.get("possible_copies") or []],
        "totals": t["totals"],
        "key": _key_sentence(t, bool(options.internal), s),
        "downloads": downloads,  # every one, for downloads.csv; the page shows download_rows
        "per_ip": per_ip,  # every one (analysis.json has them); the page shows per_ip_rows
        "timeline": timeline,  # every event, for timeline.csv; the page shows timeline_rows
        "notes": t["notes"],
        "warnings": [wording.sentence(w, s) for w in t["warnings"]],
        "spread": _spread(t.get("spread"), s),
        "geoip_databases": t.get("geoip_databases"),
        "by_class": sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0])),
        "referrers": [{"referer": r["referer"], "requests": int(r["requests"]), "clients": int(r["clients"]),
                       "first_seen": iso_utc(r["first_seen"])} for r in referrers.to_dict("records")],
        "request_total": len(request_rows),
        "request_all": request_rows,  # for requests.csv; the page shows request_rows
        # for the chart: every request (time, status, own address or not, an error by rule_error: is_error)
        "requests": [(r["ts_utc"].to_pydatetime(), int(r["status"]) if r["status"] == r["status"] else 0,
                      bool(r["internal"]), bool(r["is_error"])) for r in requests],
    }


def _page_need(t: dict[str, Any]) -> int:
    """The rows a file's longest table on the pages has (downloads, per address, requests, referrers, a group of
    the spread signals)."""
    spread = max((len(g["rows"]) for g in (t["spread"] or {}).get("groups", [])), default=0)
    return max(len(t["downloads"]), len(t["per_ip"]), t["request_total"], len(t["referrers"]), spread)


def _page_cut(t: dict[str, Any], rows: int | None, s: Strings) -> dict[str, Any]:
    """The rows a file's tables show on the pages, `rows` of each (None: no tables, a line saying where they are):
    the downloads shown are chosen once, here, and the timeline, the requests' links and the appendix's raw lines
    follow them."""
    n = rows or 0
    downloads = t["downloads"][:n]
    shown = {d["anchor"] for d in downloads}
    per_ip_rows = t["per_ip"][:n]
    return {
        "page_rows": rows,
        "paged": rows is not None,
        "shown": shown,
        "download_rows": downloads,
        "timeline_rows": [r for r in t["timeline"] if not r["kind"].startswith("download_") or r["anchor"] in shown],
        "request_rows": [{**r, "download_anchor": r["download_of"] if r["download_of"] in shown else None}
                         for r in t["request_all"][:n]],
        "per_ip_rows": per_ip_rows,
        "geo_notes": _geo_footnotes(per_ip_rows, t.get("geoip_databases"), s),  # the notes of the rows shown
        "geo_available": any(p.get("country") or p.get("asn") for p in per_ip_rows),
        "referrer_rows": t["referrers"][:n],
        "spread_rows": {g["key"]: g["rows"][:n] for g in (t["spread"] or {}).get("groups", [])},
    }


def _appendix(case: CaseFile, targets: list[dict[str, Any]], verification: dict[str, Verification]) -> list[dict[str, Any]]:
    """Per target, the verbatim raw lines of every window bound and of every counted download, read back only
    from files whose hash still matches."""
    evidence = {row[0]: row for row in case.fetchall(
        "SELECT path, evidence_id, abs_path, size_bytes, mtime_utc, compression, server, sha256 FROM evidence "
        "WHERE verdict = 'ingested'")}
    wanted: dict[str, set[int]] = {}
    for t in targets:
        for w in t["windows"]:
            for key in BOUNDS:
                for e in w["evidence"][key]:
                    wanted.setdefault(e["file"], set()).add(int(e["line"]))
        for d in t["downloads"]:  # every one: the pages show the first page_rows, download_lines.csv all
            for e in d["evidence"]:
                wanted.setdefault(e["file"], set()).add(int(e["line"]))
    offsets: dict[tuple[str, int], int | None] = {}
    texts: dict[tuple[str, int], str | None] = {}
    exact: dict[tuple[str, int], bool] = {}  # the text is the line's bytes (no U+FFFD put in, no CR taken off)
    pairs = [(evidence[path][1], n) for path in sorted(wanted) for n in sorted(wanted[path])]
    # one query for every line wanted, never one per file (2,000 files: 2,000 queries, 7 s)
    at: dict[tuple[int, int], int] = {(int(e), int(n)): int(o) for e, n, o in case.fetchall(
        "SELECT r.evidence_id, r.line_no, r.byte_offset FROM requests r "
        "JOIN (SELECT unnest($eids) AS evidence_id, unnest($lines) AS line_no) w USING (evidence_id, line_no)",
        {"eids": [e for e, _n in pairs], "lines": [n for _e, n in pairs]})}
    for path in sorted(wanted):
        eid, abs_path, size, mtime, compression, server = evidence[path][1:7]
        numbers = sorted(wanted[path])
        found = {n: at[(int(eid), n)] for n in numbers if (int(eid), n) in at}
        for n in numbers:
            offsets[(path, n)] = found.get(n)
        check = verification.get(path)
        if check is None or not check.ok:
            continue
        ev = EvidenceFile(path, abs_path, int(size), mtime, compression, server)
        for n, raw in raw_lines(ev, {n: found.get(n) for n in numbers}).items():
            texts[(path, n)] = raw.decode("utf-8", errors="replace").rstrip("\r")
            exact[(path, n)] = texts[(path, n)].encode("utf-8") == raw

    def lines(refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"file": e["file"], "line": e["line"], "sha256": e["sha256"],
                 "byte_offset": offsets.get((e["file"], int(e["line"]))),
                 "compressed": evidence[e["file"]][5] != "none",
                 "text": texts.get((e["file"], int(e["line"]))),
                 "exact": exact.get((e["file"], int(e["line"])), False)} for e in refs]

    out = []
    for t in targets:
        bounds = []
        for w in t["windows"]:
            for key in BOUNDS:
                for i, e in enumerate(w["evidence"][key], start=1):
                    bounds.append({"window": w["window"], "bound": key, "anchor": f"{t['anchor']}-w{w['window']}-{key}-{i}",
                                   "time": w[key], "lines": lines([e])})
        downloads = [{"no": d["no"], "anchor": d["anchor"], "outcome": d["outcome"],
                      "outcome_inferred": d.get("outcome_inferred", False), "internal": d["internal"],
                      "time": d["time"], "client_ip": d["client_ip"], "lines": lines(d["evidence"])}
                     for d in t["downloads"]]
        out.append({"target": t["path"], "index": t["index"], "anchor": t["anchor"], "bounds": bounds,
                    "downloads": [d for d in downloads if d["anchor"] in t["shown"]],  # download_lines.csv: all
                    "downloads_all": downloads, "download_total": len(downloads)})
    return out


# a silence at a stream's edge (queries/gaps.sql `edge`, findings.STREAM_EDGES) as the gap table words it: which
# edge, and that its other bound is another stream's line (the evidence's last or first)
EDGE_WORDS = dict(zip(STREAM_EDGES, ("gap_edge_after", "gap_edge_before"), strict=True))


def _gaps(analysis: Analyser, options: AnalysisOptions, targets: list[dict[str, Any]], s: Strings) -> dict[str, Any]:
    paths = dict(analysis.case.fetchall("SELECT evidence_id, path FROM evidence"))
    spans = [span for t in targets for span in target_spans(t)]  # the targets' windows and their aliases'
    rows = []
    for g in analysis.gaps(options.gap_minutes, options.gap_factor).to_dict("records"):
        held = any(span.holds(g["gap_start"], g["gap_end"]) for span in spans)
        edge = g["edge"] if isinstance(g["edge"], str) else None
        if unsaid_edge(edge, held):
            continue
        start, end = iso_utc(g["gap_start"]), iso_utc(g["gap_end"])
        rows.append({
            "stream": g["stream"], "server": g["server"], "start": start, "end": end,
            "minutes": float(g["gap_minutes"]),
            **dict(zip(("length", "threshold"), gap_lengths(float(g["gap_minutes"]), float(g["threshold_minutes"])),
                       strict=True)),
            "in_window": held,
            "edge": edge, "edge_text": s[EDGE_WORDS[edge]] if edge else None,
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
    """The time an incomplete file leaves uncovered: the sentence the finding says (exposure/placewords.py)."""
    return placewords.uncovered(f.get("fact"), f["stream"], f["uncovered_start"], f["uncovered_end"], s["lang"])


def _related(f: dict[str, Any], s: Strings) -> tuple[str | None, str | None]:
    """The file a copy repeats, as it repeats it and as its lines are cited from it: where its path names another
    evidence file too (an earlier version of a grown log: the overlap finding's fact), with its evidence id, in the
    words every door says (exposure/overlapwords.py)."""
    if f["kind"] == "overlap" and f.get("related_path") and (which := overlapwords.parse_fact(f.get("fact"))):
        return overlapwords.said(which[0], f["related_path"], which[1], s["lang"])
    return f.get("related_path"), f.get("related_path")


def _findings(answer: dict[str, Any], s: Strings) -> list[dict[str, Any]]:
    """The findings of the answer (queries/findings.sql) in the report's language: built from their facts."""
    out = []
    for f in answer.get("findings", []):
        key = f["kind"].replace(" ", "_")
        detail = key
        if f["kind"] == "damaged" and f.get("fact") in (placewords.DECODED_IN_FULL, placewords.PROVEN_IN_FULL):
            detail = "damaged_in_full"  # nothing of it lost: not 'what lies at the damage is lost'
        if f["kind"] == "duplicate" and f.get("fact") == "cited damaged":  # findings.sql: identical_citation
            detail = "duplicate_damaged"  # which of the two is the original the content cannot tell
        hint = None
        if f["kind"] == "all lines rejected" and " format: " in (f.get("detail") or "") \
                and "it is probably not" not in f["detail"]:  # findings.sql: rejected_hint, how to read the file
            detail, hint = "all_lines_rejected_hint", f["detail"].split(" format: ", 1)[1]
        if f["kind"] == "prefixed lines":  # findings.sql: the reason after 'requests not counted: '
            hint = f["detail"].split(" requests not counted: ", 1)[1]
        hint = wording.sentence(hint, s)  # the reason in the report's language (wording.REASONS_NL)
        related, cited = _related(f, s)
        text = s.f(f"detail_{detail}", lines=f["lines"], of_lines=f["of_lines"], format=f["format"],
                   ranges=f["line_ranges"], related_ranges=f["related_line_ranges"], related=related, cited=cited,
                   stream=f["stream"], server=f["server"], start=f["uncovered_start"], end=f["uncovered_end"],
                   **_lengths(f),
                   fact=_fact(f, s), detail=wording.sentence(f["detail"], s), cut=_cut_said(f, s),
                   mostly=f": {_fact(f, s)}" if f["kind"] == "rejected lines" and f.get("fact") else "",
                   uncovered=_uncovered(f, s), hint=hint, run=_prefixed_run(f, s),
                   **_fold_said(f, s)) if f"detail_{detail}" in s else _detail(f, answer, s)
        if f["kind"] == "gap" and f"gap_edge_{f.get('fact')}" in s:  # a stream's edge: stopped, or not begun
            text += s[f"gap_edge_{f['fact']}"]
        if f["kind"] == "gap" and f.get("related_path"):  # bounded by a copy-named file (findings.sql)
            text += s.f("gap_copy_bounds", path=f["related_path"], n=f["lines"], shared=f["of_lines"])
        if f["kind"] == "assumed zone" and f.get("fact"):  # the zone names read as UTC (findings.sql: fact)
            text += s.f("assumed_zone_names", names=f["fact"])
        if (f["severity"] == "incomplete" or f["kind"] == PRESUMED_TAKE) and f.get("in_window"):
            text += _inside(f, s)  # its lost time (a presumed take's: inferred) lies in a window (findings.py)
        out.append({**f, "kind_label": s.get(f"kind_{key}", f["kind"]), "severity_label": s[f"sev_{f['severity']}"],
                    "text": text})
    return out


def _detail(f: dict[str, Any], answer: dict[str, Any], s: Strings) -> str:
    """A finding's detail where no text of the catalogue words it: a possible copy from its targets' rows
    (report/findingwords.py), any other as the analysis wrote it, in the report's language (report/wording.py)."""
    if f["kind"] == COPY_KIND and s["lang"] != "en":
        return findingwords.possible_copy(f["path"], answer.get("targets", []), s) or f["detail"]
    return wording.sentence(f["detail"], s) or ""


PREFIXED_RUN = re.compile(r"run (\d+) of (\d+)(?:, the first (\d+) said)?")


def _prefixed_run(f: dict[str, Any], s: Strings) -> str:
    """Which run of rejected lines a `prefixed lines` or `glued lines` finding is, in a file of several
    (queries/findings.sql rejected_runs: its lines in line_ranges, `run N of M` in fact), in the report's language;
    empty for a file of one run."""
    found = (PREFIXED_RUN.fullmatch(f.get("fact") or "") if f["kind"] in ("prefixed lines", "glued lines")
             else None)
    if found is None:
        return ""
    first = s.f("prefixed_run_first", said=int(found[3])) if found[3] else ""
    return s.f("prefixed_run", one=1 if "-" not in f["line_ranges"] else 2, ranges=f["line_ranges"],
               n=int(found[1]), m=int(found[2]), first=first)


# what a finding of the hour the clocks go back or forward names in its detail (queries/findings.sql: the zone's
# span or the zone, and the first line), read from it to say it in the report's language: the rule stays in the SQL
FOLD_SPAN = re.compile(r"\((\d{4}-\d\d-\d\d \d\d:\d\d-\d\d:\d\d \S+), written twice\)")
NEVER_IN = re.compile(r"never existed in (\S+) \(")
FIRST_LINE = re.compile(r"the first: line (\d+)\)")
FOLD_SILENCE = re.compile(r"silence from (\S+) to (\S+) \((\d+) minutes\) is the hour the clocks go back")


def _lengths(f: dict[str, Any]) -> dict[str, str]:
    """A finding's length and threshold as said (`length`, `threshold`): a gap's by timefmt.gap_lengths, so the
    length is never said at or below the threshold it exceeds; any other kind's length in whole minutes."""
    if f["kind"] in ("gap", PRESUMED_TAKE) and f.get("threshold_minutes") is not None:
        length, threshold = gap_lengths(f["minutes"] or 0, f["threshold_minutes"])
        return {"length": length, "threshold": threshold}
    return {"length": human_minutes(f["minutes"] or 0), "threshold": human_minutes(f["threshold_minutes"] or 0)}


def _fold_said(f: dict[str, Any], s: Strings) -> dict[str, Any]:
    """The values of an `ambiguous time` or `nonexistent time` detail in the report's words: span, zone, first
    line, and the line order's inference (`later`: none where it suggests no line of the second pass)."""
    if f["kind"] not in ("ambiguous time", "nonexistent time"):
        return {}
    detail = f.get("detail") or ""
    span, zone, first = FOLD_SPAN.search(detail), NEVER_IN.search(detail), FIRST_LINE.search(detail)
    said: dict[str, Any] = {"span": span[1] if span else "?", "zone": zone[1] if zone else "?",
                            "first": first[1] if first else "?"}
    passes = re.fullmatch(r"second pass (\d+) of (\d+)", f.get("fact") or "")
    k, n = (int(passes[1]), int(passes[2])) if passes else (0, 0)
    if not k:
        said["later"] = s.f("fold_first", first=said["first"])
    else:
        who = s["fold_it"] if n == 1 else s.f("fold_some", k=k)
        said["later"] = s.f("fold_later", said=who, many=k, first=said["first"])
    if silence := FOLD_SILENCE.search(detail):  # the silence it explains (queries/gaps.sql fold_silences)
        said["later"] += s.f("fold_silence", start=silence[1], end=silence[2], minutes=int(silence[3]))
    return said


# the windows a finding's time without a line is said to fall in, named on its line (the rest counted)
INSIDE_WINDOWS = 3


def _inside(f: dict[str, Any], s: Strings, sep: str = "; ") -> str:
    """`; inside window 1 of /a.pdf, window 2 of --alias /b.pdf`: the one wording, in the report's language, of
    a time inside target windows (a gap, an incomplete file's time without a line, a step back, a stray time):
    every window the finding names (`in_windows`, exposure/findings.py), each path cut by itself to what page 1
    shows of a path; empty for a finding outside every window."""
    refs = f.get("in_windows") or []
    if not refs:  # an answer written before `in_windows`: its English labels as they are
        return f"{sep}{s.f('inside_windows', windows=f['in_window'])}" if f.get("in_window") else ""
    said = [s.f("window_of_alias" if r.get("alias") else "window_of", window=r["window"],
                path=shorten_shown(r.get("alias") or r["target"] or "", PAGE_ONE_PATH, s["characters"]))
            + (s["window_open"] if r.get("after_last_available") else "")   # the window's open span (findings.py)
            for r in refs[:INSIDE_WINDOWS]]
    if len(refs) > INSIDE_WINDOWS:  # a silence in 30 windows: a line, not three pages (every one in the JSON)
        said.append(s.f("windows_more", n=len(refs) - INSIDE_WINDOWS))
    return f"{sep}{s.f('inside_windows', windows=', '.join(said))}"


def _cut_said(f: dict[str, Any], s: Strings) -> str:
    """Where a cut off file's last line was cut, as its finding's detail goes on (findings.sql: fact)."""
    if f["kind"] != "cut off" or not f.get("fact"):
        return ""
    return "; " + cut_said(f["fact"], s)


def cut_said(cut: str, s: Strings) -> str:
    """Where a copy's cut of a line fell (extra['cut_field'], exposure/lastline.py), in the report's language."""
    key, values = cutwords.phrase(cut, s["lang"])  # the words every door reads (a field of the log: never a column's)
    return s.f(key, **values)


def _fact(f: dict[str, Any], s: Strings) -> str | None:
    """A recorded fact of a finding (what byte counts cover) in the report's language."""
    if not f.get("fact") or f["kind"] in ("cut off", "duplicate", "overlap", PRESUMED_TAKE) \
            or placewords.placed(f["fact"]):
        return None  # said in the detail (_cut_said; _uncovered; a damaged copy cited: detail_duplicate_damaged;
        # the version of a file an overlap repeats: _related; a presumed take's edge: its span, _named)
    if f["kind"] == "rejected lines":  # 'mostly rejected': probably not the format it was read as; else the
        # reason that says how to read it (rejected_hint: a --json-fields, a command line in every language)
        return s.f("rejected_mostly", format=f["format"]) if f["fact"] == "mostly rejected" else f["fact"]
    passes = re.fullmatch(r"second pass (\d+) of (\d+)", f["fact"]) if f["kind"] == "ambiguous time" else None
    if passes:  # 'second pass K of N' (queries/findings.sql ambiguous time): an inference, not applied
        return s.f("fold_second_pass", k=passes[1], n=passes[2])
    bytes_kinds = ("inferred bytes", "assumed bytes", "no byte counts")
    return s.get(f"bytes_{f['fact']}", f["fact"]) if f["kind"] in bytes_kinds else f["fact"]


def _named(f: dict[str, Any], s: Strings) -> dict[str, str | None]:
    """How page 1 names one stated finding: its file or stream, with the fact or the time span it is about
    (`name`); a copy's also the file it repeats (`repeats`), which the template shows and cuts apart from the
    copy's path, in the report's words (`repeats`), so a long path never cuts off the other."""
    name = f["path"] or f["stream"] or ""
    if fact := _fact(f, s):
        return {"name": f"{name} ({fact})", "repeats": None}
    if f["kind"] in ("gap", PRESUMED_TAKE) and f["uncovered_start"]:  # a presumed take: the window it is in too
        inside = _inside(f, s, ", ") if f["kind"] == PRESUMED_TAKE else ""
        return {"name": f"{name} ({f['uncovered_start']} – {f['uncovered_end']}, {_lengths(f)['length']}{inside})",
                "repeats": None}
    if f["kind"] in ("overlap", "duplicate") and f.get("related_path"):  # a copy overlaps each file it repeats:
        return {"name": name, "repeats": f["related_path"]}                # one finding, and one name, per pair
    if f["kind"] == "time ran back":  # the step: its line, the time it goes back to and by how much
        inside = _inside(f, s, ", ")
        return {"name": (f"{name} ({s['line']} {f['lines']}: {f['uncovered_end']} → {f['uncovered_start']}, "
                         f"{s.f('ran_back', length=human_minutes(f['minutes'] or 0))}{inside})"), "repeats": None}
    if f["kind"] == "stray time":  # the line and the time it is dated
        inside = _inside(f, s, ", ")
        return {"name": f"{name} ({s['line']} {f['lines']}: {f['uncovered_start']}{inside})", "repeats": None}
    return {"name": name, "repeats": None}


def _overlaps(case: CaseFile) -> list[dict[str, Any]]:
    rows = case.fetchall("""
        SELECT e.path, e.stream, k.path, p.shared_lines, p.runs, p.line_ranges, p.kept_line_ranges, p.first_time,
               p.last_time
        FROM overlap_pairs p JOIN evidence e USING (evidence_id) JOIN evidence k ON k.evidence_id = p.kept_evidence_id
        ORDER BY p.evidence_id, p.kept_evidence_id""")
    return [{"copy": c, "stream": stream, "original": o, "lines": int(n), "runs": int(runs), "ranges": ranges,
             "original_ranges": kept_ranges, "first": iso_utc(lo), "last": iso_utc(hi)}
            for c, stream, o, n, runs, ranges, kept_ranges, lo, hi in rows]


def _slug(kind: str) -> str:
    return "finding-" + re.sub(r"[^a-z]+", "-", kind).strip("-")


def _label(kind: str, s: Strings) -> str:
    """A finding kind's name in the report's language (the kind itself where no string names it)."""
    return s.get(f"finding_{kind}", kind)


def _status(status: dict[str, Any], findings: list[dict[str, Any]], targets: list[dict[str, Any]], s: Strings,
            gap_minutes: int) -> dict[str, Any]:
    """The answer's evidence_status for page 1 and the findings section: each kind labelled in the report's
    language with the anchor of the section that shows it; page 1 also names every incomplete finding (its
    path in full and the time it leaves uncovered) and every gap inside a window. `findings` are the answer's
    findings in the report's language (_findings); page 1's lines about them are _page_one_list's."""
    found = {f["kind"]: f for f in status["findings"]}
    where = {"gap in window": "gaps", "gap": "gaps", "overlap": "overlaps",
             "changed since ingest": "register", "missing": "register", "possible copy": "possible-copies"}

    items = []
    for kind in [*PAGE_ONE_KINDS, *[f["kind"] for f in status["findings"] if f["kind"] not in PAGE_ONE_KINDS]]:
        f = found.get(kind)
        items.append({"kind": kind, "label": _label(kind, s), "anchor": where.get(kind, _slug(kind)),
                      "row": _slug(kind),
                      "checked": kind in status["checked"], "count": f["count"] if f else 0,
                      "severity": f["severity"] if f else None})
    groups = [{**f, "label": _label(f["kind"], s), "anchor": _slug(f["kind"]), "section": where.get(f["kind"]),
               "text": _copies_text(targets, s) if f["kind"] == "possible copy"
               else s.f(f"finding_text_{f['kind']}", minutes=gap_minutes) if f"finding_text_{f['kind']}" in s
               else f["detail"]}
              for f in status["findings"]]
    # a gap inside windows: one line each, naming every window it falls in (its finding's in_windows: the
    # targets' and their --alias paths')
    gaps = [{**f, "length": _lengths(f)["length"], "inside": _inside(f, s, ", "),
             "text": s.f("status_gap", server=shorten_shown(f["server"] or "", PAGE_ONE_PATH, s["characters"]),
                         stream=shorten_shown(f["stream"] or "", PAGE_ONE_PATH, s["characters"]), start=f["uncovered_start"],
                         end=f["uncovered_end"], length=_lengths(f)["length"])
             + s.get(f"gap_edge_{f.get('fact')}", "") + _inside(f, s, ", ")}
            for f in findings if f["kind"] == "gap" and f.get("in_window")]
    incomplete = [f for f in findings if f["severity"] == "incomplete"]
    stated = [_stated(g, findings, s) for g in groups if g["severity"] == "stated" and g["kind"] != "gap in window"]
    return {**status, "items": items, "findings": groups, "gaps": gaps, "incomplete": incomplete, "stated": stated,
            "incomplete_sentence": incomplete_sentence(status, s)}


def nothing_found(answer: dict[str, Any], s: Strings) -> str | None:
    """Page 1's sentence where nothing was found about the evidence (no finding of any kind looked for), and, where
    the answer has no warning either, that it has no caveat: a clean case says so, never a silence the reader must
    read as 'nothing' (None: something was found, each said below the counts)."""
    status = answer["evidence_status"]
    if status["findings"]:
        return None
    said = s.f("status_nothing_found", n=len(status["checked"]))
    if not answer.get("warnings") and not any(t.get("warnings") for t in answer["targets"]):
        said += " " + s["status_no_caveat"]
    return said


def incomplete_sentence(status: dict[str, Any], s: Strings) -> str:
    """Page 1's sentence of an incomplete evidence status: what kind of incompleteness, named (never 'could not be
    read' of evidence read whole), each counting the files it speaks of ('30 files hold lines joined ...')."""
    said = "; ".join(s.f(f"status_incomplete_{k}", n=incomplete_files(status, k)) for k in incompleteness(status))
    # 'the answer is made from what could be read' only where something was not read (Finding.unread)
    kinds_key = "status_incomplete_kinds_read" if status.get("all_read") else "status_incomplete_kinds"
    return s.f(kinds_key, what=said) if said else s["status_incomplete"]


def _page_one_list(status: dict[str, Any], answer: dict[str, Any], s: Strings, room: float,
                   alerted: Collection[str] = ()) -> dict[str, Any]:
    """Page 1's lines about the evidence (report/pageone.py) of `status` (_status) in `room` printed lines, but for
    the incomplete findings of the `alerted` kinds: page 1's alert boxes say those (report/alerts.py)."""
    return page_one([f for f in status["incomplete"] if f["kind"] not in alerted], status["gaps"],
                    caveats(answer["warnings"], answer["targets"], s), status["stated"], s,
                    lambda kind: _label(kind, s), room)


def _page_one_floor(problems: list[Verification], status: dict[str, Any], answer: dict[str, Any], s: Strings,
                    alerted: Collection[str]) -> float:
    """The least printed lines page 1's findings take (report/alerts.py, report/pageone.py): the alert boxes with
    nothing named and the status list at its least (the first file not read in full named, the rest counted)."""
    return (page_one_alerts([p.__dict__ for p in problems], answer["seal"], s, 0)["printed"]
            + _page_one_list(status, answer, s, -math.inf, alerted)["printed"])


def _files_give_way(tmodels: list[dict[str, Any]], spare: Callable[[int], float]) -> int:
    """Rows of page 1's table of files (several files): PAGE_ONE_FILES, one fewer while the findings at their
    least do not fit beside it (`spare(rows)` < 0), one row at least. A crowded case (11 files, 13 silences, the
    GeoIP, offsets and clocks caveats page 1 must carry) ran its Dutch page 1's last lines and case box onto page 2
    (/tmp/pagefix/c2); the rows given way are counted in the table's last row and every one is in section 1."""
    files = PAGE_ONE_FILES
    while len(tmodels) > 1 and files > 1 and spare(files) < 0:
        files -= 1
    return files


def _windows_give_way(tmodels: list[dict[str, Any]], spare: float) -> bool:
    """Page 1's table of the windows gives way where the findings at their least do not fit beside it (`spare` < 0:
    the seal's alert and the files not read in full ran onto page 2): the grave findings are said on page 1, the
    answer's key sentence keeps the first windows' times, section 1 the table with each time's log line. Whether
    it gave way (one file's answer only: several files' page 1 has the table of files, no windows); where it did,
    the note that the figures are a minimum gives way too (`page_one_tight`: the key sentence says 'INCOMPLETE,
    the figures are a minimum' wherever the note would, section 7 says why)."""
    if spare >= 0 or len(tmodels) != 1 or not tmodels[0]["page_one_windows"]:
        return False
    tmodels[0]["page_one_windows"] = []
    return True


def _status_line(status: dict[str, Any], items: list[dict[str, Any]], s: Strings) -> str:
    """The status box's line of counts as page 1 says it (for its printed lines: report/pagebudget.py)."""
    files = status.get("files") or {}
    said = (s.f("status_files_unchecked", total=files.get("total") or 0) if files.get("verified") is None
            else s.f("status_files", total=files.get("total") or 0, verified=files["verified"]))
    return said + " " + " · ".join(f"{it['label']}: {it['count']}" for it in items)


def _fit_aliases(t: dict[str, Any], spare: float, s: Strings) -> dict[str, Any]:
    """Page 1's rows of a file's --alias paths: those that fit in `spare` printed lines (what the status list
    leaves), the rest counted in one row pointing to section 1's table of every one."""
    rows = t["alias_rows"]
    costs = [alias_row(r["path"], s) for r in rows]
    if sum(costs) <= spare:
        return {"page_one_aliases": rows, "aliases_more": 0}
    spare -= COUNTED
    fit = 0
    while fit < len(rows) and costs[fit] <= spare:
        spare -= costs[fit]
        fit += 1
    return {"page_one_aliases": rows[:fit], "aliases_more": len(rows) - fit}


def _copies_text(targets: list[dict[str, Any]], s: Strings) -> str:
    """What the possible copies listed matched (their size_match), said as it is: the file's size exactly, within
    its complete-transfer band, or the file's path spelled another way (whatever its size and time)."""
    matched = {c["size_match"] for t in targets for c in t.get("possible_copies") or []}
    if not matched:
        return s["finding_text_possible copy"]
    sized = {"exact", "band"} & matched
    clauses = [s[f"copy_text_{'_'.join(sorted(sized))}"]] if sized else []
    if "spelling" in matched:
        other = s["copy_text_spelling_also"] if clauses else s["copy_text_spelling_only"]
        clauses.append(s.f("copy_text_spelling", other=other))
    # shared with another copy (given together as --alias, counted once) or with a target of the run (counted in it)
    run = {t["path"] for t in targets}
    shared = [o for t in targets for c in t.get("possible_copies") or [] if c.get("shared_requests")
              for o in c.get("shared_with") or []]
    return ("".join(clauses) + s["copy_text_end"]
            + (s["copy_text_shared"] if any(o not in run for o in shared) else "")
            + (s["copy_text_shared_target"] if any(o in run for o in shared) else ""))


def _stated(group: dict[str, Any], findings: list[dict[str, Any]], s: Strings) -> dict[str, Any]:
    """Page 1's line for a stated kind found (gaps inside a window are listed one by one apart): the kind's group
    of the findings section (label, count, what it means for the answer) with the first PAGE_ONE_NAMES files or
    streams it names, leading to the section that shows it."""
    kind = group["kind"]
    mine = [f for f in findings if f["kind"] == kind and not (kind == "gap" and f.get("in_window"))]
    return {**group, "anchor": group["section"] or group["anchor"],
            "names": [_named(f, s) for f in mine[:PAGE_ONE_NAMES]], "more": max(0, len(mine) - PAGE_ONE_NAMES)}


def _evidence_register(case: CaseFile, answer: dict[str, Any], verification: dict[str, Verification],
                       info: CaseInfo, s: Strings) -> list[dict[str, Any]]:
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
        out.append({**e, "mtime": iso_utc(mtime), "verdict_text": s.enum("verdict", e["verdict"]),
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


def _activity(case: CaseFile, pinned: bool, s: Strings) -> list[dict[str, Any]]:
    """The case's activity log. A temporary case (analyse without --case) holds only this run's own steps: with
    --pin-time their wall-clock times would make two runs of the same inputs differ, so each is said to be this
    run's, its time not shown (never a time made up); a kept case's times are its history and always shown."""
    rows = case.fetchall(
        "SELECT seq, at_utc, tool_version, command, detail FROM activity "
        "WHERE NOT list_contains($skip, command) ORDER BY seq", {"skip": list(REPORT_COMMANDS)})
    this_run = pinned and case.temporary
    return [{"seq": int(seq), "at": s["activity_at_this_run"] if this_run else iso_utc(at), "is_time": not this_run,
             "version": version, "command": command, "detail": detail}
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


def _inspections(case: CaseFile, targets: list[dict[str, Any]], info: CaseInfo, s: Strings) -> list[dict[str, Any]]:
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
            "complete": bool(complete), "records": int(records or 0),
            "notes": [wording.sentence(n, s) for n in (notes or "").split("; ") if n],
            "records_visible": int(visible or 0), "records_hidden": int(hidden or 0),
            "records_whited_out": int(whited or 0), "data_subjects_estimate": int(subjects or 0),
            "findings": [{"no": n, "kind": k, "label": wording.finding(k, d, s)[0], "where": wording.place(loc, s),
                          "range": rng, "description": wording.finding(k, d, s)[1], "cells": int(c or 0),
                          "rows": int(r or 0), "unit": u, "unit_text": wording.unit(u, s)}
                         for n, k, loc, rng, d, c, r, u in findings],
            "categories": [{"category": c, "label": wording.category(c, s), "rule": wording.rule(c, rule, s),
                            "values": int(v or 0), "records": int(r or 0), "visible": int(rv or 0),
                            "hidden": int(rh or 0), "whited_out": int(rw or 0)}
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


def _formats(evidence: list[dict[str, Any]], s: Strings) -> list[dict[str, Any]]:
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
    return [{**dict(zip(names, k, strict=True)), "files": v,
             "time_meaning": wording.fixed(k[1], wording.FORMAT_NL, s),
             "bytes_meaning": s.enum("bytes", k[2]) if k[2] else None,
             "format_lacks": wording.format_lacks(k[3], s), "bytes_basis_detail": wording.sentence(k[6], s),
             "bytes_basis": s.enum("basis", k[5]) if k[5] else None,
             "time_basis": s.enum("basis", k[4]) if k[4] else None, "time_assumed": k[4] == "assumed"}
            for k, v in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[1][0]))]


def _incident_timeline(info: CaseInfo, targets: list[dict[str, Any]], s: Strings) -> list[dict[str, Any]]:
    """The regulator's timeline: the case information beside what the logs show. From the logs: the first
    publication seen, and each window's takedown (between its last available and first unavailable
    response) or that it was still online when the logs end."""
    windows = [(t, w) for t in targets for w in t["windows"]]
    from_logs: dict[str, list[str] | None] = {"occurrence": None, "takedown": None}
    if windows:
        _t, first = min(windows, key=lambda tw: tw[1]["first_available"])
        from_logs["occurrence"] = [f"{first['first_available']} ({first['first_available_local']})"]
        many = len(targets) > 1
        takedowns = []
        for t, w in sorted(windows, key=lambda tw: tw[1]["first_available"]):
            label = (f"{s.f('target_n', n=t['index'])}, " if many else "")
            if w["first_unavailable"]:
                takedowns.append(label + s.f("takedown_window", w=w["window"], last=w["last_available"],
                                             first=w["first_unavailable"]))
            else:
                takedowns.append(label + s.f("still_online_window", w=w["window"], last=w["last_available"]))
        from_logs["takedown"] = takedowns
    rows = []
    for key in TIMELINE_KEYS:
        rows.append({"key": key, "label": s[f"tl_{key}"], "case_info": info.timeline.get(key),
                     "logs": from_logs.get(key), "logs_applicable": key in from_logs})
    ongoing_logs = any(w["still_available_at_log_end"] for _t, w in windows) if windows else None
    rows.append({"key": "ongoing", "label": s["tl_ongoing"],
                 "case_info": None if info.ongoing is None else (s["yes"] if info.ongoing else s["no"]),
                 "logs": None if ongoing_logs is None else [s["yes"] if ongoing_logs else s["no"]],
                 "logs_applicable": True})
    return rows


def report_queries() -> list[queries.NamedQuery]:
    """REPORT_QUERIES, each after the blocks it needs (its macros: evidence_rules for findings), each once, so
    queries.sql pasted into a DuckDB shell defines what a query uses before it."""
    out: dict[str, queries.NamedQuery] = {}
    for name in REPORT_QUERIES:
        query = queries.get(name)
        for block in [*queries.needed_blocks(query), query]:
            out.setdefault(block.name, block)
    return list(out.values())


def queries_text() -> str:
    """queries.sql of the report bundle: every named query behind the report's numbers, as in queries/, each
    with the file and line it comes from, so it can be pasted into a DuckDB shell."""
    parts = [f"-- The SQL behind every number of this report ({TOOL_NAME} {TOOL_VERSION}), in the order the "
             "report's method section lists it.\n-- Parameters are DuckDB variables: see the options in the "
             "report and queries/target.sql.\n"]
    for q in report_queries():
        parts.append(f"\n-- name: {q.name}  (queries/{q.file}:{q.line})\n{q.sql}\n")
    return "".join(parts)


def _case_box(info: CaseInfo, facts: ReportFacts, seal: dict[str, Any], s: Strings) -> tuple[CaseBox, float]:
    """Page 1's case box (report/casebox.py) and its printed lines, its rows as the template writes them."""
    values = {"case_id": info.case_id, "report_version": info.report_version}
    box = page_one_box(values, seal, facts.command, s)
    return box, case_box(box.pairs, box.whole(s))


def build_model(analysis: Analyser, targets: list[Target], options: AnalysisOptions, answer: dict[str, Any],
                verification: list[Verification], facts: ReportFacts, page_one_less: int = 0) -> dict[str, Any]:
    """Everything the report shows, as plain data (addresses not yet pseudonymised); `page_one_less`: printed
    lines page 1's budget gives up (the PDF's layout measured the status spilling to page 2: report/pdf.py)."""
    s = facts.strings
    checks = {v.path: v for v in verification}
    case = analysis.case
    network_types = dict(case.fetchall("SELECT client, network_type FROM client_info"))
    run = {t["path"] for t in answer["targets"]}
    tmodels = [_target_model(analysis, tgt, t, options, s, i, network_types, run)
               for i, (tgt, t) in enumerate(zip(targets, answer["targets"], strict=True), start=1)]
    shares = page_shares([_page_need(t) for t in tmodels], [t["totals"]["complete_downloads"] for t in tmodels])
    for t, rows in zip(tmodels, shares, strict=True):
        t.update(_page_cut(t, rows, s))
    evidence = _evidence_register(case, answer, checks, facts.case_info, s)
    custody = _custody_groups(evidence)
    problems = [v for v in verification if not v.ok]
    info = facts.case_info
    zone, _said = log_zone(options.display_tz, case.log_offset_counts(), case.log_zones())  # said by the answer
    cache = analysis.query("report_cache_status")
    findings = _findings(answer, s)
    for t in tmodels:
        t.update(page_one_aliases=t["alias_rows"], aliases_more=0)
    # the note that the figures are a minimum: where some evidence was not read or a log is silent in a window
    minimum = not answer["evidence_status"].get("all_read") or any(
        f["kind"] == "gap" and f.get("in_window") for f in answer["findings"])

    def cut(value: str | None) -> str:  # a case-information value as page 1 shows it
        return shown(value, PAGE_ONE_CASE, s) if value else s["to_be_supplied"]

    identity = " · ".join([f"{s['case_id']}: {cut(info.case_id)}", f"{s['report_version']}: {cut(info.report_version)}",
                           f"{s['generated_at']}: {iso_utc(facts.generated_at)}", f"{TOOL_NAME} {TOOL_VERSION}"])

    sent = sent_note(answer["targets"], s)

    def above(line: str, files: int = PAGE_ONE_FILES) -> int:
        return above_status(f"{s['title']}: {cut(info.title)}" if info.title else s["title"], identity, tmodels, minimum,
                            line, s, files, sent)

    status = _status(answer["evidence_status"], findings, answer["targets"], s, options.gap_minutes)
    status["nothing_found"] = nothing_found(answer, s)
    # page 1's room below the blocks above the status list: the alert boxes claim it first beside the least the
    # list takes (both must be read on page 1), the list gets what they leave, the aliases' rows what it leaves
    box, box_lines = _case_box(info, facts, answer["seal"], s)
    alerted = said_by_alerts(problems, answer["seal"])
    floor = _page_one_floor(problems, status, answer, s, alerted)
    line = " ".join(filter(None, [_status_line(answer["evidence_status"], status["items"], s),
                                  status["nothing_found"]]))
    if sent:  # what the complete downloads rest on gives way where the grave findings do not fit whole beside it
        want = floor
        if problems or not answer["seal"].get("holds", True):  # the alert boxes with every file they may name
            want = (page_one_alerts([p.__dict__ for p in problems], answer["seal"], s, math.inf)["printed"]
                    + _page_one_list(status, answer, s, 0, alerted)["printed"])
        if PAGE_ONE - page_one_less - above(line) - box_lines < want:
            sent = None  # section 1 says it, with each file's count
    files = _files_give_way(tmodels, lambda rows: PAGE_ONE - page_one_less - above(line, rows) - box_lines - floor)
    room = PAGE_ONE - page_one_less - above(line, files) - box_lines
    tight = _windows_give_way(tmodels, room - floor)
    if tight:  # the note that the figures are a minimum gives way too: the key sentence says they are
        minimum = False
        room = PAGE_ONE - page_one_less - above(line, files) - box_lines
    alerts = page_one_alerts([p.__dict__ for p in problems], answer["seal"], s,
                             room - _page_one_list(status, answer, s, 0, alerted)["printed"])
    status["page_one"] = _page_one_list(status, answer, s, room - alerts["printed"], alerted)
    if len(tmodels) == 1 and tmodels[0]["alias_rows"]:  # above the status list: it gets what the list leaves
        tmodels[0].update(_fit_aliases(tmodels[0], room - alerts["printed"] - status["page_one"]["printed"], s))
    return {
        "lang": facts.lang,
        "s": s,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        "command": facts.command,
        "case_box": box,
        "page_one_tight": tight,
        "generated_at": iso_utc(facts.generated_at),
        "generated_at_local": zone.local(facts.generated_at.replace(tzinfo=None)),
        "zone": zone.name,
        "pseudonymised": facts.pseudonymised,
        "info": info,
        "case_id": info.case_id,
        "report_version": info.report_version,
        "options": answer["options"],
        "verification": {"checked": len(verification), "problems": [p.__dict__ for p in problems]},
        # page 1's alerts name the first files changed and the first differences of the seal and count the rest
        # (a killed ingest leaves thousands; the evidence register (section 9), the JSON answer's seal.findings
        # and exposure verify name every one)
        "seal": {**answer["seal"], **alerts["seal"]},
        "evidence_alert": alerts["evidence"],
        "targets": tmodels,
        "page_budget": REPORT_ROWS,
        "unpaged": sum(1 for t in tmodels if not t["paged"]),
        "overview": _overview(tmodels, files),
        "sent_note": sent,
        "evidence": evidence,
        # the register's listing of a case of many files is text made last (report.inventory.listing), after
        # --pseudonymise-ips has replaced the addresses in the entries: a long value is cut only then
        "coverage_streams": (analysis.query("report_coverage_streams").to_dict("records")
                             if dense(len(evidence)) else None),
        "custody": custody,
        "activity": _activity(case, facts.pinned, s),
        "inspections": _inspections(case, tmodels, facts.case_info, s),
        "formats": _formats(evidence, s),
        "gaps": _gaps(analysis, options, tmodels, s),
        "findings": findings,
        "status": status,
        "overlaps": _overlaps(case),
        "rejects": [{**r, "reason": wording.sentence(r["reason"], s)}
                    for r in analysis.query("report_rejects").to_dict("records")],
        "cache": [{"status": r["cache_result"], "requests": int(r["requests"])} for r in cache.to_dict("records")],
        "warnings": [wording.sentence(w, s) for w in answer["warnings"]],
        "queries_file": QUERIES_FILE,
        "queries": [{"name": q.name, "file": q.file, "line": q.line} for q in report_queries()],
        "incident_timeline": _incident_timeline(info, tmodels, s),
        "appendix": _appendix(case, tmodels, checks),
    }
