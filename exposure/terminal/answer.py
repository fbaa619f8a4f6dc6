"""The answer of `exposure analyse` on the terminal, read from the JSON answer (exposure.analysis/1) only, so the
screen says what the JSON says: per target the windows with their dates (UTC and local) and evidence lines,
complete downloads and addresses, the organisation's own apart, partial, the size and how it was known, possible
copies under other names; then the evidence status with every finding; then the evidence in one line."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from rich.console import Console

from ..analysis.evidence_status import copy_overlap_text, copy_shared_text, status_kind
from ..analysis.spread import claim_status
from ..answer import CDN_FILL
from ..findings import BAND_SIZE_LABEL, NO_BYTE_COUNTS, OPEN_WINDOW, Finding, counts_no_bytes
from ..plural import plural
from . import STATED_SHOWN, print_findings, say, shown_verdict, table, verdict_tally

SIZE_RULES = {"given": "given (--size)", "object_size": "the object size the log states",
              "most_common": "the byte counts of the 200 GETs (the largest several addresses logged, else the "
              "most common)", "band": "the complete-transfer band "
              "(byte counts include headers)"}


# a possible copy's size_match in words (queries/possible_copies.sql)
_MATCH = {"exact": "exact size", "band": "size in the complete-transfer band",
          "spelling": "the target's path spelled another way (a server may serve it as the target)"}


def _addresses(n: int) -> str:
    return plural(n, "# external address", "# external addresses")


def _complete(n: int) -> str:
    return plural(n, "# complete download", "# complete downloads")


def outcome_label(download: dict[str, Any]) -> str:
    """A download's outcome as shown to a person: `complete (inferred)` where it rests on a sum of range parts'
    byte counts (outcome_inferred), else the outcome as the JSON says it."""
    return f"{download['outcome']} (inferred)" if download.get("outcome_inferred") else download["outcome"]


def _ref(e: dict[str, Any]) -> str:
    """`file:line`, marked where the file is damaged (its bytes may be altered: a failed integrity check)."""
    return f"{e['file']}:{e['line']}" + (" (damaged file)" if e.get("damage") == "damaged" else "")


def size_line(target: dict[str, Any]) -> str:
    """`size 71577 bytes: the most common byte count of the 200 GETs (window 1: 9 of 12, window 2: 4 of 6)`."""
    sizes = sorted({w["size_bytes"] for w in target["windows"] if w["size_bytes"] is not None})
    if not sizes:
        if counts_no_bytes([d for d in target.get("downloads") or [] if d.get("via") is None]):
            return f"size unknown: {NO_BYTE_COUNTS}"
        return "size unknown: no 200 GET with a byte count (give --size); completeness undetermined"
    size = f"{sizes[0]} bytes" if len(sizes) == 1 else "per window: " + ", ".join(
        f"window {w['window']} {w['size_bytes']}" for w in target["windows"])
    streams = target.get("size_header_streams") or []  # the band's streams: headers said of them, not the case's
    rules = [f"the complete-transfer band of {plural(len(streams), 'the stream', 'the streams')} whose byte counts "
             f"include headers: {', '.join(streams)}" if r == "band" and streams else SIZE_RULES.get(r, r)
             for r in (target.get("size_rule") or "").split("+") if r]
    votes = [f"window {w['window']}: {w['size_votes']} of {w['size_sample']}"
             # the band's floor beside its edge: from it up to the edge undetermined (band_below), below partial
             + (f"; band from {w['band_bytes']}, undetermined from {w['band_floor']}"
                if w.get("band_floor") is not None and w["band_floor"] < w["band_bytes"] else "")
             for w in target["windows"] if w.get("size_votes") is not None and w.get("size_rule") != "given"]
    # the band alone: the file with its headers, in page 1's words (findings.BAND_SIZE_LABEL), never its size
    said = f"{BAND_SIZE_LABEL}: {size}" if target.get("size_rule") == "band" else f"size {size}"
    return (said + (f": {'; '.join(rules)}" if rules else "")
            + (f" ({', '.join(votes)})" if votes else ""))


def window_lines(windows: list[dict[str, Any]], indent: str = "  ") -> list[str]:
    """Each window's three bounds: UTC, local time and the evidence line that shows it."""
    out = []
    for w in windows:
        head = f"window {w['window']}"
        pad = " " * len(head)
        bounds = [("first available", w["first_available"], w["first_available_local"],
                   w["evidence"]["first_available"]),
                  ("last available", w["last_available"], w["last_available_local"], w["evidence"]["last_available"])]
        if w["first_unavailable"]:
            bounds.append(("first unavailable", w["first_unavailable"], w["first_unavailable_local"],
                           w["evidence"]["first_unavailable"]))
        for k, (label, utc, local, refs) in enumerate(bounds):
            cited = ", ".join(_ref(e) for e in refs)
            out.append(f"{indent}{head if k == 0 else pad}  {label:<17}  {utc}  {local}  {cited}")
        if not w["first_unavailable"]:
            # open to the end of the evidence: a silence after its last request lies inside it (findings.Window)
            out.append(f"{indent}{pad}  {'first unavailable':<17}  still available when the logs end ({OPEN_WINDOW})")
        if w.get("open_at_log_start"):
            out.append(f"{indent}{pad}  opens within the first hour of the evidence: it may have been online earlier")
    return out


def figure_lines(target: dict[str, Any], internal: list[str] | None = None) -> list[str]:
    """The target's figures; `internal` the --internal ranges of the answer's options (none given: every address
    is counted as external, and the line says so rather than "0" own downloads)."""
    t = target["totals"]
    own = (f"  own addresses (--internal {', '.join(internal)}, counted apart) "
           f"{_complete(t['internal_complete_downloads'])}" if internal else
           "  own addresses: none given (--internal): every address is counted as external")
    inferred = t.get("inferred_complete_downloads") or 0
    fetchers = t.get("fetcher_complete_downloads") or 0
    cdn = t.get("cdn_complete_downloads") or 0
    unaddressed = t.get("no_address_complete_downloads") or 0
    return [f"  complete downloads {t['complete_downloads']} from {_addresses(t['distinct_ips'])}"
            + (f" ({inferred} of them inferred from the sum of range parts' byte counts, "
               f"{_addresses(t['inferred_only_ips'])} only through them: see the warning)" if inferred else "")
            + (f" ({fetchers} of them by automated fetchers naming themselves so in their user agent: web archives, "
               "crawlers, link previews; see onward spread)" if fetchers else "")
            + (f" ({cdn} of them {CDN_FILL} from the origin: the CDN's copies, not a viewer's; see the warning)"
               if cdn else "")
            + (f" ({unaddressed} of them logged without a client address: not counted among the addresses)"
               if unaddressed else "")
            + (f" (aliases included: {', '.join(a['path'] for a in target.get('aliases') or [])})"
               if target.get("aliases") else ""),
            own,
            f"  partial {t['partial_downloads']}, undetermined {t['undetermined_downloads']}; HEAD "
            f"{t['head_requests']}, 304 {t['not_modified']}, errors {t['errors']}; "
            f"{plural(t['requests'], '# request', '# requests')} from "
            f"{_addresses(t['requesting_ips'])}"]


def copy_lines(target: dict[str, Any], run: Sequence[str] = ()) -> list[str]:
    """Possible copies under other names (never counted), and the aliases that are (--alias); `run`: the run's
    targets (a copy that is one is counted in it; a copy's requests as much one's are counted in it)."""
    out = []
    for a in target.get("aliases") or []:
        spans = "; ".join(f"window {w['window']} {w['first_available']} to "
                          f"{w['first_unavailable'] or 'still available when the logs end'}" for w in a["windows"])
        out.append(f"  alias (--alias, counted as this file): {a['path']}: {spans or 'never available'}")
    copies = target.get("possible_copies")
    if copies is None:
        return out
    if not copies:
        return [*out, "  possible copies under other names: none (no other path answered with this size while "
                      "the file was available)"]
    out.append(f"  possible copies under other names: {len(copies)} (not counted above; --alias PATH counts one)")
    for c in copies:
        until = c["withdrawn_at"] or "still available when the logs end"
        lines = ", ".join(_ref(e) for e in c["evidence"][:3]) + (
            f" (+{len(c['evidence']) - 3})" if len(c["evidence"]) > 3 else "")
        out.append(f"    {c['path']}: {_MATCH[c['size_match']]}, "
                   f"{_complete(c['complete_downloads'])} from "
                   f"{_addresses(c['distinct_ips'])} (own {c['internal_complete_downloads']}, partial "
                   f"{c['partial_downloads']}"
                   + (f", {c['no_address_complete_downloads']} of the complete logged without a client address"
                      if c.get("no_address_complete_downloads") else "")
                   + f"); available {c['first_available']} to {until}; matching "
                   f"{c['matching_responses']} at {lines}"
                   + (f"; {copy_overlap_text(c['target_shared_requests'], 'this target')}, counted above and "
                      "left out here" if c.get("target_shared_requests") else "")
                   + (f"; {copy_shared_text(c['shared_requests'], c['shared_with'], run)}"
                      if c.get("shared_requests") else "")
                   + ("; a target of this run, counted in its own figures" if c["path"] in run else ""))
    return out


# a download whose line logs no client address (queries/totals.sql no_address_complete_downloads), as `timeline`
# shows it
NO_ADDRESS = "-"


def downloads_table(target: dict[str, Any]) -> Any:
    rows = []
    for d in target["downloads"]:
        refs = [_ref(e) for e in d["evidence"]]
        cited = ", ".join(refs[:3]) + (f" (+{len(refs) - 3})" if len(refs) > 3 else "")
        who = (d["client_ip"] or NO_ADDRESS) + (" (own)" if d["internal"] else "")
        rows.append([d.get("download_no"), d["time"], d["time_local"], who, outcome_label(d), d["client_class"],
                     d["kind"] + (f" x{d['parts']}" if d["parts"] > 1 else ""), d["bytes"], d["window"],
                     d.get("via") or "", cited])
    columns = ["#", "time (UTC)", "local", "client_ip", "outcome", "class", "kind", "bytes", "window", "via",
               "evidence"]
    if not any(d.get("via") for d in target["downloads"]):
        columns.remove("via")
        rows = [r[:9] + r[10:] for r in rows]
    return table("Downloads", columns, rows, numeric=("#", "bytes", "window"))


def per_ip_table(target: dict[str, Any]) -> Any:
    rows = []
    for p in target["per_ip"]:
        verified = claim_status(p.get("crawler_verified"), p.get("crawler_verification"))
        complete = (f"{p['complete']} ({p['complete_inferred']} inferred)" if p.get("complete_inferred")
                    else p["complete"])
        rows.append([p["client_ip"] + (" (own)" if p["internal"] else ""), complete, p["partial"],
                     p["first_seen"], p["last_seen"],
                     ", ".join(p.get("client_classes") or [p.get("client_class") or ""]) + (
                         f" ({verified})" if verified else ""),
                     " ".join(v for v in (p.get("country"), p.get("city")) if v),
                     " ".join(v for v in (p.get("network_type"), f"AS{p['asn']}" if p.get("asn") is not None else "",
                                          p.get("as_org")) if v)])
    return table("Per address (an IP address is not a person: NAT, VPNs and shared offices)",
                 ["client_ip", "complete", "partial", "first seen", "last seen", "class", "place", "network"], rows,
                 numeric=("complete", "partial"))


def print_target(out: Console, target: dict[str, Any], internal: list[str] | None = None,
                 run: Sequence[str] = ()) -> None:
    say(out, target["path"] + (f" (host {target['host']})" if target.get("host") else ""), style="bold")
    say(out, "  " + size_line(target))
    if target["windows"]:
        say(out, "  windows (the true removal time lies between last available and first unavailable):")
        for line in window_lines(target["windows"], indent="    "):
            say(out, line)
    else:
        say(out, "  never available in the evidence: no exposure window")
    for line in figure_lines(target, internal) + copy_lines(target, run):
        say(out, line)
    if target["downloads"]:
        out.print(downloads_table(target))
    if target["per_ip"]:
        out.print(per_ip_table(target))
    for db in target.get("geoip_databases") or []:
        say(out, f"  GeoIP {db['kind']}: {db['type']} built {db['build_date']} ({db['path']})"
                 + (": OLDER than the events, locations and networks may have changed"
                    if db["older_than_events"] else ""))
    spread = target.get("spread")
    if spread and spread.get("summary"):
        say(out, "  onward spread:")
        for line in spread["summary"]:
            say(out, f"    - {line}")
    for w in target["warnings"]:
        say(out, f"  warning: {w}")


def _stated_said(findings: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each stated kind's findings in the sentence each says (Finding.said), by the kind the status counts them
    under (a gap inside a window: `gap in window`)."""
    out: dict[str, list[str]] = {}
    for item in findings:
        f = Finding.from_json(item)
        if not f.incomplete:
            out.setdefault(status_kind(f), []).append(f.said())
    return out


def finding_lines(status: dict[str, Any], findings: list[dict[str, Any]] | None = None) -> list[str]:
    """The evidence status in lines: complete or not, the files, every kind looked for with its count, then each
    finding with its detail and paths (in full; all of them for a finding that makes the answer incomplete). A
    stated kind of more than STATED_SHOWN findings (the answer's `findings`) names the first STATED_SHOWN in its
    line and counts the rest: sixty streams falling silent inside a window are not one line of 18,000 characters."""
    said = _stated_said(findings or [])
    files = status["files"]
    head = ("evidence status: complete: the answer rests on all evidence supplied" if status["complete"] else
            "evidence status: INCOMPLETE: see below (nothing of the evidence is unread)" if status.get("all_read") else
            "evidence status: INCOMPLETE: the answer lacks part of the evidence (see below)")
    if files["verified"] is None:
        checked = (f"  {plural(files['total'], '# file', '# files')} in the case, not re-hashed by this command "
                   "(exposure verify re-hashes them)")
    else:
        checked = (f"  {plural(files['total'], '# file', '# files')}; {files['verified']} re-hashed now and equal "
                   "to the SHA-256 at ingest"
                   + (f"; {files['changed']} CHANGED" if files["changed"] else "")
                   + (f"; {files['missing']} MISSING" if files["missing"] else ""))
    found = {f["kind"]: f for f in status["findings"]}
    counts = " · ".join(f"{kind} {found[kind]['count'] if kind in found else 0}" for kind in status["checked"])
    out = [head, checked, f"  looked for: {counts}"]
    for f in status["findings"]:
        mine = said.get(f["kind"], [])
        detail = ("; ".join(mine[:STATED_SHOWN]) + f"; and {len(mine) - STATED_SHOWN} more (in the JSON answer)"
                  if f["severity"] != "incomplete" and len(mine) > STATED_SHOWN else f["detail"])
        out.append(f"  {f['kind']} ({f['count']}, {f['severity']}): {detail}")
        shown = f["paths"] if f["severity"] == "incomplete" else f["paths"][:STATED_SHOWN]
        out += [f"    {p}" for p in shown]
        if len(shown) < len(f["paths"]):
            out.append(f"    and {len(f['paths']) - len(shown)} more (in the JSON answer)")
    return out


def evidence_line(evidence: list[dict[str, Any]], incomplete: Collection[str] = ()) -> str:
    """`evidence: 45 files: 41 ingested (lines=... requests=... rejected=... skipped=...), 2 duplicate, ...`; a
    `not a log` file an incomplete finding names (damaged before a line could be read) counted `incomplete`."""
    tally = verdict_tally((shown_verdict(e["verdict"], e["path"] in incomplete), e["lines"],
                           e["requests"], e["rejected"], e["skipped"]) for e in evidence)
    return f"evidence: {plural(len(evidence), '# file', '# files')}: {tally or 'none'}"


def warning_lines(answer: dict[str, Any]) -> list[str]:
    """The answer's warnings alone (what --quiet still says): each target's, naming its target, then the case's."""
    return ([f"warning: {t['path']}: {w}" for t in answer["targets"] for w in t["warnings"]]
            + [f"warning: {w}" for w in answer["warnings"]])


def print_answer(out: Console, answer: dict[str, Any]) -> None:
    """The whole answer: each target, the evidence status, the evidence, the case's warnings."""
    targets = answer["targets"]
    say(out, f"exposure analysis: {plural(len(targets), '# target', '# targets')}; times UTC, local "
             f"{answer['options']['display_tz']}", style="bold")
    for target in targets:
        say(out, "")
        print_target(out, target, answer["options"].get("internal"), [t["path"] for t in targets])
    say(out, "")
    print_findings(out, finding_lines(answer["evidence_status"], answer.get("findings")))
    say(out, evidence_line(answer["evidence"], {p for f in answer["evidence_status"]["findings"]
                                                if f["severity"] == "incomplete" for p in f["paths"]}))
    for w in answer["warnings"]:
        say(out, f"warning: {w}")
