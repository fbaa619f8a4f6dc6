"""The JSON answer (schema `exposure.analysis/1`): a stable contract built only from the named queries.

Keys named in the contract keep their meaning; new keys may be added. Nothing here depends on the wall
clock or on dictionary order from the database, so the same case and options give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from . import queries
from .analysis.evidence_status import copy_findings, evidence_status
from .analysis.options import AnalysisOptions
from .analysis.spread import client_profiles, geoip_section, plain_value, spread_frames, spread_section
from .analysis.targets import Target
from .errors import CaseError
from .findings import (
    NO_BYTE_COUNTS,
    Finding,
    Window,
    counts_no_bytes,
    finding_rows,
    placed_findings,
    rehash_findings,
    seal_findings,
)
from .outfiles import write_bytes
from .plural import grouped, plural
from .sandbox import first_line
from .timefmt import LOG_TZ_SHOWN, LOG_TZ_ZONES, OFFSETS_WRITTEN, DisplayZone, iso_utc, log_zone
from .version import TOOL_NAME, TOOL_VERSION

if TYPE_CHECKING:
    from .analysis.analyser import Analyser
    from .case import CaseFile
    from .seal import SealCheck
    from .verify import Verification

SCHEMA = "exposure.analysis/1"
INFERRED_SHOWN = 10  # download numbers a warning names before it counts the rest
INFERRED_SUMS = "inferred from the sum of range parts' byte counts"  # the warning's words (the report finds it)
# the words of the warnings page 1 must carry whatever else it says (EVIDENCE.md 11 and 17: the clocks, the UTC
# offsets the logs write, a GeoIP database older than the requests): report/caveats.py finds them by these words
GEOIP_OLDER = "before the requests: its results (geo_note) may no longer describe the addresses"
CLOCKS_DIFFER = "servers behind one load balancer whose clocks differ"
CDN_FILL = "by a CDN filling its cache"  # EVIDENCE.md 18: a CDN in front of the origin (cdn_fill_sentence)
# what complete means where it rests on a body count Apache's %b may have written (sent_counts_sentence)
SENT_NOT_RECEIVED = "complete means the server logged the whole file as sent, not that the client received it"

REMOVAL_NOTE = "The true removal time lies between last_available and first_unavailable."
SIZE_NOTE = ("size_bytes was inferred per window (queries/downloads_rule.sql): the object's exact length where the "
             "log states it, else from the byte counts of its 200 GET responses (HEAD, 0 and '-' excluded): the "
             "largest count several addresses logged, else the most common (rule_sizes_in_doubt warns where two or "
             "more such counts differ), "
             "or where byte counts include headers the complete-transfer band's lower edge; size_rule says which. "
             "Give --size to state it.")


# the window size rules in the order they give the size: a size given, the exact length the log states, the most
# common body count; then the band header-inclusive counts are judged by (queries/windows.sql writes a window's
# rule in this order: `object_size+band`)
SIZE_RULE_ORDER = ("given", "object_size", "most_common", "band")


def must_carry(warning: str) -> bool:
    """A warning page 1 says whatever else it says (EVIDENCE.md 11, 17, 18): a GeoIP database older than the requests,
    servers whose clocks may differ, the logs writing several UTC offsets (timefmt.offsets_note) or local times shown
    in a --log-tz zone beside them or at one offset beside several (timefmt.log_zone), a CDN filling its
    cache from the origin (cdn_fill_sentence: its viewers are in the CDN's logs alone)."""
    return (warning.startswith((OFFSETS_WRITTEN, LOG_TZ_ZONES)) or LOG_TZ_SHOWN in warning or GEOIP_OLDER in warning
            or CLOCKS_DIFFER in warning
            or CDN_FILL in warning)


def target_size_rule(windows: list[dict[str, Any]]) -> str | None:
    """The rules of a target's windows, each once, in SIZE_RULE_ORDER (others after, by name), joined with `+`."""
    rules = {r for w in windows if w["size_rule"] for r in w["size_rule"].split("+")}
    order = {r: i for i, r in enumerate(SIZE_RULE_ORDER)}
    return "+".join(sorted(rules, key=lambda r: (order.get(r, len(order)), r))) or None


def never_requested(given: str) -> str:
    """The warning for a target no line of the evidence requested (analyse, report and timeline say the same)."""
    return f"{given} was never requested in the evidence: no windows, no downloads"


# Each evidence file's path, SHA-256 and damage (evidence.damage: damaged, truncated, changed during read, or None),
# by evidence id: what every cited line of the answer carries.
Refs = dict[int, tuple[str, str, str | None]]


def _evidence_refs(case: CaseFile) -> Refs:
    return {eid: (path, sha, damage) for eid, path, sha, damage in case.fetchall(
        "SELECT evidence_id, path, sha256, damage FROM evidence")}


def evidence_section(case: CaseFile) -> list[dict[str, Any]]:
    """Every evidence file, as one query (queries/evidence_list.sql) gives it: times formatted there."""
    case.run(queries.get("evidence_rules"))  # name_time_meaning: what the time a file's name gives means
    return case.frame(queries.get("evidence_list").sql, arrow=True).to_pylist()


def _lines(refs: Refs, lines: list[dict[str, int]]) -> list[dict[str, Any]]:
    """Cited lines: file, line, the file's SHA-256 and its damage (a count resting on a damaged file says so)."""
    return [{"file": refs[item["evidence_id"]][0], "line": int(item["line_no"]),
             "sha256": refs[item["evidence_id"]][1], "damage": refs[item["evidence_id"]][2]} for item in lines]


def gap_rows(analysis: Analyser, options: AnalysisOptions) -> list[dict[str, Any]]:
    """Every gap of the evidence (queries/gaps.sql: read from the streams' silences kept at ingest), with its
    bounding lines as evidence ids."""
    return analysis.gaps(options.gap_minutes, options.gap_factor, arrow=True).to_pylist()


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z"))


def window_spans(windows: list[dict[str, Any]], target: str | None = None, several: bool = False,
                 alias: str | None = None) -> list[Window]:
    """A target's windows (as in the answer), or those of one of its --alias paths, as spans a gap can fall in
    (findings.Window), labelled `window N`, with several targets `window N of PATH`, an alias's
    `window N of --alias PATH` (the path as logged: never a format string). A window still available when the
    logs end is open: it holds the evidence's time after its last available response too (findings.OPEN_WINDOW)."""
    of = f" of --alias {alias}" if alias is not None else f" of {target}" if several else ""
    # refused after it (refused_after_window: it may have been withdrawn): it runs to the first refusal, as to a 404,
    # and is not open: a silence after that refusal is not "no withdrawal seen"
    # it begins, for gaps, where it may have been online unseen (unseen_from: an hour before it was first seen)
    return [Window(f"window {w['window']}{of}", _utc(w.get("unseen_from") or w["first_available"]),
                   _utc(w["first_unavailable"] or w.get("refused_after") or w["last_available"]), w["window"],
                   target, alias, open=w["first_unavailable"] is None and not w.get("refused_after"))
            for w in windows]


def target_spans(section: dict[str, Any], several: bool = False) -> list[Window]:
    """Every window of a target's section of the answer: its own, then each --alias path's (counted as it)."""
    return [*window_spans(section["windows"], section["path"], several),
            *[span for a in section.get("aliases") or []
              for span in window_spans(a["windows"], section["path"], several, a["path"])]]


def window_gaps(gaps: list[dict[str, Any]], windows: list[dict[str, Any]], refs: Refs,
                aliases: dict[str, list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """The gaps of the evidence that fall in one of the target's windows or its --alias paths' (`via`;
    findings.Window.holds): while a stream is silent inside a window, its server may have served the file
    without a trace."""
    out = []
    for via, mine in [(None, windows), *(aliases or {}).items()]:
        for w, span in zip(mine, window_spans(mine, alias=via), strict=True):
            for g in gaps:
                if not span.holds(g["gap_start"], g["gap_end"]):
                    continue
                out.append({
                    "start": iso_utc(g["gap_start"]), "end": iso_utc(g["gap_end"]), "stream": g["stream"],
                    "server": g["server"], "window": w["window"], "via": via,
                    # after the last available response of a window never seen withdrawn: inside it as an open
                    # window (findings.OPEN_WINDOW), its label
                    "after_last_available": span.after_seen(g["gap_start"], g["gap_end"]),
                    "window_label": span.named(g["gap_start"], g["gap_end"]),
                    "minutes": round(float(g["gap_minutes"]), 2),
                    "threshold_minutes": round(float(g["threshold_minutes"]), 2),
                    # a silence at the stream's edge (queries/gaps.sql `edge`: 'after its last line', 'before its
                    # first line'; else null): its other bound is the evidence's last (first) line, another stream's
                    "edge": g["edge"],
                    "evidence": _lines(refs, [{"evidence_id": g["start_evidence_id"], "line_no": g["start_line_no"]},
                                              {"evidence_id": g["end_evidence_id"], "line_no": g["end_line_no"]}]),
                })
    return out


def _window(w: dict[str, Any], zone: DisplayZone, refs: Refs) -> dict[str, Any]:
    return {
        "window": int(w["window"]),
        "first_available": iso_utc(w["first_available"]),
        "last_available": iso_utc(w["last_available"]),
        "first_unavailable": iso_utc(plain_value(w["first_unavailable"])),
        "open_at_log_start": bool(w["open_at_log_start"]),
        # from when it may have been online unseen (rule_windows unseen_from): a silence ending after it is in it
        "unseen_from": iso_utc(w["unseen_from"]),
        "size_bytes": plain_value(w["size_bytes"]),
        "size_inferred": bool(w["size_inferred"]),
        "size_votes": plain_value(w["size_votes"]),
        "size_sample": plain_value(w["size_sample"]),
        "size_rule": plain_value(w["size_rule"]),
        # where counts include headers: the complete-transfer band's edge, and its floor (a count from the floor up
        # to the edge is undetermined, band_below; below the floor partial)
        "band_bytes": plain_value(w["band_bytes"]),
        "band_floor": plain_value(w["band_floor"]),
        # every length the window's GETs state (S3 object_size, CloudFront's 200 sc-content-len): two or more, another
        # version or another object at the path; a 200 of another length is never complete (queries/downloads_rule.sql
        # rule_never_complete)
        "lengths": [int(n) for n in w["lengths"]] if plain_value(w.get("lengths")) is not None else [],
        # two or more of them (queries/downloads_rule.sql rule_several_lengths: the one test of every door's warning)
        "several_lengths": bool(w["several_lengths"]),
        # the body counts several addresses logged ({bytes, responses, addresses}, smallest first), and whether they
        # put the inferred size in doubt (rule_sizes_in_doubt: an error page answered 200 looks like the file)
        "repeated_sizes": [{k: int(v) for k, v in r.items()} for r in w["repeated_sizes"] or []],
        "size_in_doubt": bool(w["size_in_doubt"]),
        # the largest body count of its 200 GETs: above the size taken, the size is in doubt (rule_sizes_in_doubt)
        "largest_count": int(w["largest_count"]) if plain_value(w.get("largest_count")) is not None else None,
        "first_available_local": zone.local(w["first_available"]),
        "last_available_local": zone.local(w["last_available"]),
        "first_unavailable_local": zone.local(plain_value(w["first_unavailable"])),
        "still_available_at_log_end": plain_value(w["first_unavailable"]) is None,
        "refused_after": None,  # the first refusal when refused_after_window says it may have been withdrawn
        # the redirects after its last available response, never available again in it (redirects_after_window):
        # {responses, addresses, statuses, first (UTC), line (file:line)}; None where there are none
        "redirects_after": None,
        "evidence": {
            "first_available": _lines(refs, [{"evidence_id": w["first_evidence_id"], "line_no": w["first_line_no"]}]),
            "last_available": _lines(refs, [{"evidence_id": w["last_evidence_id"], "line_no": w["last_line_no"]}]),
            "first_unavailable": (_lines(refs, [{"evidence_id": w["unavailable_evidence_id"],
                                                 "line_no": w["unavailable_line_no"]}])
                                  if plain_value(w["unavailable_evidence_id"]) is not None else []),
        },
    }


def possible_copies_section(analysis: Analyser, target: Target, options: AnalysisOptions, zone: DisplayZone,
                            refs: Refs) -> list[dict[str, Any]]:
    """The target's possible copies under other names (queries/possible_copies.sql), never in its totals."""
    out = []
    for c in analysis.possible_copies(target, options, arrow=True).to_pylist():
        out.append({
            "path": c["path"],
            "spellings": [str(p) for p in c["spellings"]],
            "size_match": c["size_match"],
            "target_windows": [int(n) for n in c["target_windows"]],
            "matching_responses": int(c["matching_responses"]),
            "first_match": iso_utc(c["first_match"]),
            "last_match": iso_utc(c["last_match"]),
            "first_available": iso_utc(plain_value(c["first_available"])),
            "last_available": iso_utc(plain_value(c["last_available"])),
            "withdrawn_at": iso_utc(plain_value(c["withdrawn_at"])),
            "first_available_local": zone.local(plain_value(c["first_available"])),
            "last_available_local": zone.local(plain_value(c["last_available"])),
            "windows": int(c["windows"]),
            "size_bytes": plain_value(c["size_bytes"]),
            "size_rule": plain_value(c["size_rule"]),
            "complete_downloads": int(c["complete_downloads"]),
            "distinct_ips": int(c["distinct_ips"]),
            "client_ips": [str(ip) for ip in c["client_ips"]],
            # of complete_downloads, logged without a client address: in no address above (totals.sql figure_macros)
            "no_address_complete_downloads": int(c["no_address_complete_downloads"]),
            "internal_complete_downloads": int(c["internal_complete_downloads"]),
            "partial_downloads": int(c["partial_downloads"]),
            "undetermined_downloads": int(c["undetermined_downloads"]),
            # left out of the figures above: the target (or an alias) counts them
            "target_shared_requests": int(c["target_shared_requests"]),
            # as much the files in shared_with's (another copy given as --alias too counts them once)
            "shared_requests": int(c["shared_requests"]),
            "shared_with": [str(p) for p in c["shared_with"]],
            "evidence": _lines(refs, list(c["lines"])),
        })
    return out


IDENTICAL_COUNTS_SAID = 5  # windows said one by one per kind of identical counts (the rest counted in one line)


def shared_spellings_sentence(requests: int, others: Sequence[str]) -> str:
    """`requests` external requests of a file or target, logged by a server that ignores case (IIS), that may as
    well be of `others`, files a case-sensitive server served equal to it but for case, which count them too
    (queries/target.sql target_shared_spellings, queries/files.sql file_spellings shared_with): said, never
    silently counted for each. One sentence for `analyse` and `files`."""
    return (plural(requests, "# external request counted here came", "# external requests counted here came")
            + " from a server that ignores case (IIS) and may as well be of " + ", ".join(others) + ", "
            + plural(len(others), "another file", "other files") + ", counted there too: "
            "the logs cannot tell which file " + plural(requests, "it", "each") + " fetched")


def _shared_spellings(rows: list[dict[str, Any]]) -> list[str]:
    """The warning of queries/target.sql target_shared_spellings, where it has rows."""
    if not rows:
        return []
    return [shared_spellings_sentence(int(rows[0]["requests"]), [r["other_path"] for r in rows])]


HOSTS_SAID = 5  # hosts named in the several-hosts warning (a client writes the Host header: hundreds); the rest counted


def several_hosts_sentence(path: str, hosts: list[dict[str, Any]]) -> str:
    """The warning of a path whose requests name more than one host (queries/target.sql target_hosts, files.sql
    hosts), `hosts` each {host, requests}, the most first: analyse's and files' words. The first HOSTS_SAID are
    named, the rest counted (the JSON's `hosts` keeps every one)."""
    each = ", ".join(f"{h['host']} {plural(h['requests'], '# request', '# requests') if i == 0 else h['requests']}"
                     for i, h in enumerate(hosts[:HOSTS_SAID]))
    if (rest := len(hosts) - HOSTS_SAID) > 0:
        each += f" and {rest} more"
    return (f"{path} was requested on {len(hosts)} hosts ({each}): its windows and downloads count them as one "
            f"file; where they are different sites, give --target https://HOST{path} to count one")


def _several_hosts(path: str, hosts: list[dict[str, Any]]) -> list[str]:
    """The warning of a path-only target whose requests name more than one host (queries/target.sql target_hosts)."""
    return [several_hosts_sentence(path, hosts)] if hosts else []


def lengths_warning(window: int, lengths: list[int]) -> str:
    """A window whose GETs state two or more exact lengths of the file (queries/downloads_rule.sql: the band per
    length, rule_band_length, and the bounds of a range group, rule_version_bounds)."""
    # grouped by a thin space, as the report writes every count (plural.grouped): a comma would read as a decimal
    # mark on the Dutch page 1 (600,000 bytes: 600)
    said = ", ".join(grouped(n) for n in lengths[:-1]) + f" and {grouped(lengths[-1])}"
    return (f"window {window}: two or more lengths stated: its responses state {len(lengths)} lengths of the file "
            f"({said} bytes). A 200 of a length other than the window's own (the given size, else the most common "
            "one) delivered a whole object "
            "the log cannot name (another version of the file, or another object served at its path such as an "
            "error page: the log keeps no content type): it is undetermined where it reaches its own length, partial "
            "where it falls short, never complete (rule_never_complete); a range download stating no length of its "
            "own is complete only where it covers the largest, partial only where it falls short of the smallest, "
            "else undetermined (queries/downloads_rule.sql rule_version_bounds)")


def size_doubt_warning(window: int, repeated: Sequence[dict[str, Any]]) -> str:
    """A window whose size is inferred from body counts that two or more sizes repeated by several addresses put in
    doubt (queries/downloads_rule.sql rule_sizes_in_doubt): `repeated` smallest first, the largest taken."""
    said = ", ".join(f"{grouped(int(r['bytes']))} bytes by {plural(int(r['addresses']), '# address', '# addresses')}"
                     for r in repeated)
    return (f"window {window}: size in doubt: 200 responses state {len(repeated)} sizes of the file, each logged by "
            f"several addresses ({said}): the log counts body bytes only and states no length, so an error page "
            "answered 200 at the file's path is logged as the file is; the file's size is an inference in doubt. "
            f"The largest, {grouped(int(repeated[-1]['bytes']))} bytes, is taken (a copy cut short is a smaller "
            "count, never a larger one), never a smaller majority; a smaller count logged by as many addresses is "
            "undetermined (another version, an error page or copies cut short: the count cannot say which), never "
            "partial (rule_counts_in_doubt); any other smaller count is judged partial against it. "
            "Give --size to judge by the file's own size (queries/downloads_rule.sql rule_sizes_in_doubt)")


def larger_count_warning(window: int, largest: int, size: int) -> str:
    """A window whose size, inferred from body counts, is below a count a 200 logged (queries/downloads_rule.sql
    rule_sizes_in_doubt): the larger is another object at the path or the file itself."""
    return (f"window {window}: size in doubt: a 200 logged a larger body count ({grouped(largest)} bytes) than the "
            f"size taken ({grouped(size)} bytes, the largest count several addresses logged, else the most common): "
            "the log counts body bytes only and states no length, and a copy cut short is a smaller count, never a "
            "larger one, so the larger count is another object answered at the file's path or the file itself, "
            "which the responses of the size taken then fall short of; the file's size is an inference in doubt, "
            "the larger count undetermined. Give --size to judge by the file's own size (queries/downloads_rule.sql "
            "rule_sizes_in_doubt)")


def size_doubt_warnings(window: int, repeated: Sequence[dict[str, Any]], size: int, largest: int | None) -> list[str]:
    """The warnings of a window whose size is in doubt (queries/downloads_rule.sql rule_sizes_in_doubt), one rule for
    every door: two sizes several addresses logged (size_doubt_warning), a larger count (larger_count_warning)."""
    said = []
    if len([r for r in repeated if int(r["addresses"]) >= int(repeated[-1]["addresses"])]) > 1:
        said.append(size_doubt_warning(window, repeated))
    if largest is not None and largest > size:
        said.append(larger_count_warning(window, largest, size))
    return said


def above_size_warning(window: int, responses: int, size: int) -> str:
    """A window's 200s whose body count is above the size they are judged by (queries/downloads_rule.sql
    rule_above_size, size_rule 'above_size')."""
    return (f"window {window}: {plural(responses, '# response holds', '# responses hold')} more body bytes than "
            f"the file's size ({grouped(size)} bytes): another object answered at its path (an error page larger "
            "than the file, another version), never the file: undetermined, never complete (queries/"
            "downloads_rule.sql rule_above_size)")


def error_page_warning(window: int) -> str:
    """A window closed by a custom error page answering 200 (queries/downloads_rule.sql rule_error_page)."""
    return (f"window {window}: closed by an error page: its first unavailable response is a CloudFront Error result "
            "answering 200, a custom error response served at the file's path in place of the file (queries/"
            "downloads_rule.sql rule_error_page); taken as unavailable, as a 404 is, an inference: which origin "
            "error the page replaced (the file removed, or a server error) the log does not say")


def _identical_counts(rows: list[dict[str, Any]], size: int | None) -> list[str]:
    """The warnings of queries/windows.sql counts_below_given_size: identical counts the rule judges partial
    against the given size that complete copies may look like; per kind the first IDENTICAL_COUNTS_SAID windows,
    the rest counted."""
    out: list[str] = []
    for kind in ("below", "equal"):
        found = [c for c in rows if c["kind"] == kind]
        for c in found[:IDENTICAL_COUNTS_SAID]:
            said = (f"window {c['window']}" + (f" of --alias {c['via']}" if c["via"] else "")
                    + f": {c['responses']} responses 200 from {c['addresses']} addresses each delivered exactly ")
            if kind == "below":
                out.append(
                    f"{said}{c['bytes']} bytes, less than the given size {size} (--size): each is counted partial. "
                    "Identical counts from several clients are what complete copies look like where the server "
                    "compressed the response (Apache mod_deflate, nginx gzip: the log counts the compressed body) or "
                    "served another version of the file: check the size and the server's compression")
            else:
                out.append(
                    f"{said}the given size {size} (--size) in byte counts that include the headers: each is counted "
                    "partial (headers are never 0 bytes). If this log counts the body alone (see its byte meaning in "
                    "the evidence), they are complete copies: give --bytes body")
        if (rest := len(found) - IDENTICAL_COUNTS_SAID) > 0:
            out.append(f"and {rest} more windows with identical counts "
                       + ("below the given size" if kind == "below" else "equal to the given size")
                       + " (queries/windows.sql counts_below_given_size)")
    return out


PARTIALS_SHOWN = 5  # clients named in the partials-adding-up warning; the rest counted


def _holder(row: dict[str, Any], gap_minutes: int) -> str:
    """Who holds the pieces: the address, an IPv6 /64 with the addresses of it that fetched them (an inference:
    one LAN, or one host's changing addresses), or an IPv4 and an IPv6 address with one user agent whose pieces lie
    in one run without a pause of more than the range gap (an inference: one dual-stack host)."""
    members = row.get("members")
    if not members or len(members) < 2:
        return str(row["client"])
    named = ", ".join(members[:-1]) + f" and {members[-1]}"
    if row.get("basis") == "user agent":
        return (f"{named} ({len(members)} addresses of both families with one user agent, their pieces in one run "
                f"without a pause of more than {gap_minutes} minutes, one dual-stack host or several clients with one "
                "agent, an inference)")
    return (f"{row['client']} ({len(members)} addresses of one IPv6 /64 network, {named}, one LAN or one host's "
            "changing addresses, an inference)")


def _partials_adding_up(rows: list[dict[str, Any]], gap_minutes: int) -> list[str]:
    """The warning of queries/windows.sql partials_adding_up, one per window: addresses whose partial downloads may
    together hold the file (a resumed or chunked download counted in pieces)."""
    out: list[str] = []
    by_window: dict[tuple[str | None, int], list[dict[str, Any]]] = {}
    for r in rows:
        by_window.setdefault((r["via"], int(r["window"])), []).append(r)
    for (via, window), found in by_window.items():
        named = "; ".join(f"{_holder(r, gap_minutes)}: {r['downloads']} partials from download {r['first_download']}, up to "
                          f"{r['delivered']} of {r['size_bytes']} bytes" for r in found[:PARTIALS_SHOWN])
        rest = len(found) - PARTIALS_SHOWN
        out.append(f"window {window}" + (f" of --alias {via}" if via else "") + ": "
                   + plural(len(found), "# client's partial downloads", "# clients' partial downloads")
                   + f" may together hold the file ({named}" + (f"; and {rest} more" if rest > 0 else "")
                   + f"): a resume (a 200 cut short, then a 206 for the rest) and pieces more than {gap_minutes} "
                   "minutes apart count as partial each; "
                   "not counted (queries/windows.sql partials_adding_up)")
    return out


def _ranges_across_forwarded(rows: list[dict[str, Any]]) -> list[str]:
    """The warnings of queries/windows.sql ranges_across_forwarded: a complete range group whose parts' X-Forwarded-For
    name different clients (one proxy address and agent: the rule's group, not split by a header a client writes)."""
    out = []
    for r in rows:
        via = f" of --alias {r['via']}" if r["via"] else ""
        outcome = "complete (inferred)" if r["outcome_inferred"] else "complete"
        out.append(f"download {r['download_no']}{via} (a range group of {r['parts']} parts from {r['client']}, "
                   f"{outcome}) joins parts whose X-Forwarded-For names different clients "
                   f"({' | '.join(r['forwarded'])}): behind a proxy the pieces of several clients with one user agent "
                   f"may read as one copy that none of them held; give --client-ip-from xff with --trusted-proxy "
                   f"holding {r['client']} to count each forwarded client apart (queries/windows.sql "
                   "ranges_across_forwarded)")
    return out


def _first_line(row: dict[str, Any], refs: Refs) -> str:
    """The file:line of a row's first_evidence_id and first_line_no (the first response a warning cites)."""
    return refs[row["first_evidence_id"]][0] + f":{int(row['first_line_no'])}"


def _refused_after(rows: list[dict[str, Any]], refs: Refs) -> list[str]:
    """The warnings of queries/windows.sql refused_after_window: a window still open by the rule (no 404/410
    after it) while the file was refused (401/403/451) to at least two external addresses after its last
    available response and never available again: the file may have been withdrawn, which S3 and many servers
    answer with 403. Every other response after it is said with its statuses (a 302, a 500)."""
    out = []
    for r in rows:
        where = _first_line(r, refs)
        statuses = "/".join(str(s) for s in r["statuses"])
        others = ("no other response" if not r["other_responses"] else
                  plural(r["other_responses"], "# other response", "# other responses")
                  + " (" + "/".join(str(s) for s in r["other_statuses"]) + ")")
        # the claim and its numbers first: page 1 cuts a caveat (report/html.py PAGE_ONE_CAVEAT)
        out.append(f"window {r['window']}" + (f" of --alias {r['via']}" if r["via"] else "")
                   + f" may have been withdrawn: {plural(r['responses'], '# refusal', '# refusals')} ({statuses}) to "
                   f"{plural(r['addresses'], '# address', '# addresses')} from {iso_utc(r['first_refused'])} to "
                   f"{iso_utc(r['last_refused'])} and {others} after its last available response, never available "
                   "again, though no 404 or 410 closes the window (still available when the logs end, by the rule); "
                   f"first refusal {where}; S3 answers a deleted object with 403 where the reader may not list the "
                   "bucket, and a file whose access was closed answers 403 too")
    return out


def redirects_after_sentence(row: dict[str, Any], where: str) -> str:
    """The warning of queries/windows.sql redirects_after_window: after the window's last available response the
    path answered redirects (301/302/303/307/308) and never showed the file available again in that window. The
    window keeps its bounds (a redirect is neutral: the log keeps no Location), but the file may have been moved
    or withdrawn then. `where` is the first redirect's file:line."""
    statuses = "/".join(str(s) for s in row["statuses"])
    others = ("" if not row["other_responses"] else
              "; " + plural(row["other_responses"], "# other response", "# other responses")
              + " (" + "/".join(str(s) for s in row["other_statuses"]) + ")")
    # the claim and its numbers first: page 1 cuts a caveat (report/html.py PAGE_ONE_CAVEAT)
    return (f"window {row['window']}" + (f" of --alias {row['via']}" if row["via"] else "")
            + ": after its last available response the path answered redirects and never showed the file available "
            f"again ({plural(row['responses'], '# request', '# requests')} ({statuses}) from "
            f"{plural(row['addresses'], '# address', '# addresses')}, first {iso_utc(row['first_redirect'])} "
            f"{where}{others}): the file may have been moved or withdrawn then; the window's end is the last "
            "response that showed it available")


def _redirects_after(rows: list[dict[str, Any]], refs: Refs, windows: Callable[[str | None], list[dict[str, Any]]]
                     ) -> list[str]:
    """Each window's redirects_after (the JSON answer's number on the window) and the warnings that say them."""
    out = []
    for r in rows:
        where = _first_line(r, refs)
        for w in windows(r["via"]):
            if w["window"] == int(r["window"]):
                w["redirects_after"] = {"responses": int(r["responses"]), "addresses": int(r["addresses"]),
                                        "statuses": [int(s) for s in r["statuses"]],
                                        "first": iso_utc(r["first_redirect"]), "line": where}
        out.append(redirects_after_sentence(r, where))
    return out


def fold_responses_sentence(row: dict[str, Any], refs: Refs) -> str:
    """The warning of queries/windows.sql window_fold_responses: the file's responses read in the hour the clocks
    go back, whose order against its other responses the log cannot give (a 404 of the second pass reads an hour
    early and closes nothing)."""
    of = f" of --alias {row['via']}" if row["via"] is not None else ""
    where = _first_line(row, refs)
    return (f"the windows{of} rest on {plural(row['responses'], '# response', '# responses')} of the file "
            f"({row['unavailable']} unavailable) logged in the hour the clocks go back (--log-tz: finding ambiguous "
            f"time), each read as the earlier instant; first {where}: one written in the second pass reads an hour "
            "early, so a 404 may read before the responses it followed and close no window, or a 200 inside a window "
            "a 404 closed: the windows' bounds there are suspect")


def reopened_elsewhere_sentence(row: dict[str, Any]) -> str:
    """The warning of queries/windows.sql window_reopened_elsewhere: one pair of consecutive windows."""
    of = f" of --alias {row['via']}" if row["via"] is not None else ""
    a, b, n = int(row["closed"]), int(row["reopened"]), int(row["seconds"])
    return (f"windows {a} and {b}{of} may be one: window {b} opened "
            + plural(n, "# second", "# seconds") + f" after window {a}'s first unavailable response, in the log of "
            f"another server (stream {row['reopened_by']}; the unavailable response is stream {row['closed_by']}'s): "
            f"{CLOCKS_DIFFER}, or from which the file was removed one after the "
            "other, make one withdrawal read as a withdrawal and a republication; compare the servers' clocks "
            "before reading them as two (queries/windows.sql window_reopened_elsewhere)")


def reopened_in_flight_sentence(row: dict[str, Any]) -> str:
    """The warning of queries/windows.sql window_reopened_in_flight: a later window that may be no republication."""
    of = f" of --alias {row['via']}" if row["via"] is not None else ""
    a, b, n = int(row["closed"]), int(row["reopened"]), int(row["seconds"])
    return (f"window {b}{of} may be no republication: its available responses ({int(row['responses'])}, each a "
            "transfer of the file, the first " + plural(n, "# second", "# seconds")
            + f" after window {a}'s first unavailable response, all within 10 minutes of it) are each in a log "
            f"that logged the file unavailable itself before it (stream {row['stream']}), whose times may mark a response's end (nginx $time_local, IIS, CloudFront: "
            "logged when the transfer ended): a download begun before the withdrawal and ended after it (a file "
            "deleted while being sent is sent in full) is logged after the first 404; check the server's software "
            "and its request times before reading it as a republication (queries/windows.sql "
            "window_reopened_in_flight)")


def logged_twice_sentence(row: dict[str, Any]) -> str:
    """The warning of queries/tiers.sql downloads_logged_twice: one row, one stream whose lines carry an
    X-Forwarded-For naming the connecting addresses of another stream's downloads of the file (a proxy's log beside
    the server's behind it). The remedy holds with or without --client-ip-from xff: leave one tier's files out
    (--internal on the proxy's address does nothing where the client is read from the header)."""
    shown = list(row["addresses"][:5]) + ([f"{len(row['addresses']) - 5} more"] if len(row["addresses"]) > 5 else [])
    n, addresses = int(row["downloads"]), ", ".join(shown)
    return (plural(n, "# download of this file may be counted twice", "# downloads of this file may be counted twice")
            + f" ({int(row['complete'])} complete; the first: download {int(row['first_download'])}): stream "
            f"{row['stream']} logged " + ("it" if n == 1 else "them") + f" from {addresses} with an X-Forwarded-For "
            "naming the connecting address of a download of the file that stream "
            f"{row['other_stream']} logged within 15 minutes, as a proxy's log and the log of the server behind it "
            "both do; answer from one of the two tiers' logs: leave the other's files out of the case "
            "(queries/tiers.sql downloads_logged_twice)")


CDN_SHOWN = 5  # addresses the CDN warning names before it counts the rest


def _shown(found: list[str], limit: int = CDN_SHOWN) -> str:
    """What a warning names: the first `limit`, the rest counted ("a, b and 3 more")."""
    return ", ".join(found[:limit]) + (f" and {len(found) - limit} more" if len(found) > limit else "")


def _cdn_fills(analysis: Analyser, target: Target, options: AnalysisOptions) -> list[str]:
    """The warnings of queries/cdn.sql: cdn_cache_fills, with cdn_unlogged_viewers where the case holds the CDN's
    logs (asked only then: it costs a third of a second to plan)."""
    fills = analysis.target_query("cdn_cache_fills", target, options, arrow=True).to_pylist()
    unlogged: dict[str | None, list[str]] = {}
    if any(r["cdn_logs"] for r in fills):
        unlogged = {r["via"]: list(r["viewers"]) for r in analysis.target_query(
            "cdn_unlogged_viewers", target, options, arrow=True).to_pylist()}
    return [cdn_fill_sentence({**r, "unlogged_viewers": unlogged.get(r["via"], [])}) for r in fills]


def cdn_fill_sentence(row: dict[str, Any]) -> str:
    """The warning of queries/cdn.sql cdn_cache_fills: the windows of one path where a CDN filled its cache from the
    origin. Its downloads stay counted (a copy left the origin); what the origin's log cannot show is who got the
    file from the CDN: the sentence says whether the case holds the CDN's own logs, how many downloads they hold
    there, and the addresses of fills (X-Forwarded-For) of which they hold none: CloudFront logs not supplied."""
    of = f" of --alias {row['via']}" if row["via"] is not None else ""
    windows = [int(w) for w in row["windows"]]
    label = (f"window {windows[0]}" if len(windows) == 1 else
             "windows " + ", ".join(map(str, windows[:-1])) + f" and {windows[-1]}")
    held = (f"the case holds CloudFront logs: {plural(int(row['cdn_log_downloads']), '# download', '# downloads')} "
            "there" if row["cdn_logs"] else
            "no CloudFront log is in the case: supply the distribution's standard logs")
    # a viewer the fill was made for, in none of the case's CloudFront logs: some of them are missing
    if row["cdn_logs"] and (unlogged := list(row["unlogged_viewers"])):
        held += (", none by " + plural(len(unlogged), "# address", "# addresses") + " the fills named "
                 f"(X-Forwarded-For) within 15 minutes: {_shown(unlogged)}, so CloudFront logs may be missing")
    return (f"{label}{of}: the file was fetched "
            + plural(int(row["fetches"]), "# time", "# times") + f" ({int(row['complete'])} complete) {CDN_FILL} "
            f"({', '.join(row['names'])}, by its user agent, from {_shown(list(row['addresses']))}): viewers who got it "
            f"from the CDN appear only in the CDN's own logs ({held}; queries/cdn.sql cdn_cache_fills)")


def sent_counts_sentence(on_sent: int, complete: int, formats: Sequence[str]) -> str:
    """What `on_sent` of the target's `complete` downloads rest on (queries/downloads_rule.sql
    rule_complete_on_sent_counts): a body count of a format Apache's %b may have written, no completion flag."""
    head = (f"{on_sent} of the {complete} complete downloads " if complete > 1 else "the 1 complete download ")
    return (head + ("rests" if on_sent == 1 else "rest") + " on a body byte count alone (" + ", ".join(formats)
            + ": Apache's %b counts what the server handed to its output, so a client that broke off is logged "
            "with the whole size; nginx's $body_bytes_sent counts what was sent): " + SENT_NOT_RECEIVED
            + "; a log with %O or %X tells")


def _inferred_sums(downloads: list[dict[str, Any]], totals: dict[str, Any]) -> list[str]:
    """The warning on complete downloads inferred from a sum of range parts (outcome_inferred): which they are,
    how many of them add up to more than the file, and the addresses counted only through them."""
    inferred = [d for d in downloads if d["outcome_inferred"] and not d["internal"]]
    if not inferred:
        return []
    # body counts only: a sum of counts with headers (band_sum) exceeds the body size by its headers; a body sum
    # above the size is bytes fetched twice or a multipart/byteranges response's framing, the count cannot say
    over = [d for d in inferred if d["size_rule"] == "byte_sum" and d["bytes"] is not None
            and d["size_bytes"] is not None and d["bytes"] > d["size_bytes"]]
    shown = _shown([str(d["download_no"]) for d in inferred], INFERRED_SHOWN)
    said = (plural(len(inferred), "# complete download is", "# complete downloads are")
            + f" {INFERRED_SUMS} ("
            + plural(len(inferred), "download", "downloads") + f" {shown}): the log states no range offsets, "
            "so a part fetched again adds to the sum as if it were new bytes; ")
    if over:  # more bytes than the file: some were fetched twice, for certain
        said += (plural(len(over), "# of them adds", "# of them add") + " up to more than the file (bytes fetched "
                 "more than once, or a multipart/byteranges response whose count holds its boundaries and part "
                 "headers); ")
    return [said + plural(totals["inferred_only_ips"], "# external address is", "# external addresses are")
            + " counted only through such downloads"]


def size_unknown_warning(window: int, downloads: Sequence[dict[str, Any]]) -> str:
    """The warning for a window without a file size: `--size` helps only where the window's transfers have byte
    counts; where none has one (IIS 8.5-10's default fields) the log's own word decides, whatever the size."""
    if not counts_no_bytes([d for d in downloads if d["via"] is None and d["window"] == window]):
        return (f"window {window}: no 200 GET response with a byte count, so the file size is unknown and "
                "completeness is undetermined; give --size")
    return f"window {window}: {NO_BYTE_COUNTS}"


def target_section(analysis: Analyser, target: Target, options: AnalysisOptions, zone: DisplayZone,
                   refs: Refs, gaps: list[dict[str, Any]], run_targets: Sequence[str] = ()) -> dict[str, Any]:
    # rows as Python values straight from Arrow: thousands of downloads, each with times shown twice (pandas'
    # records and Timestamps cost a third of a second per 6,000 downloads)
    windows = analysis.target_query("windows", target, options, arrow=True).to_pylist()
    downloads = analysis.target_query("downloads", target, options, arrow=True).to_pylist()
    per_ip = analysis.target_query("per_ip", target, options, arrow=True).to_pylist()
    totals = analysis.totals(target, options)
    spread = spread_frames(analysis, target, options)  # clients' class/GeoIP/ASN, archives, previews, referrers
    profiles = client_profiles(spread["client_profiles"])
    geoip = geoip_section(spread["geoip_databases"])
    copies = possible_copies_section(analysis, target, options, zone, refs)
    warnings: list[str] = []

    # the streams whose byte counts include headers, per window: the size's sentence names them (never the case's)
    headers = {(r["via"], int(r["window"])): list(r["streams"]) for r in analysis.target_query(
        "windows_header_streams", target, options, arrow=True).to_pylist()}

    win_out = []
    alias_windows: dict[str, list[dict[str, Any]]] = {a: [] for a in target.aliases}
    for w in windows:
        via = plain_value(w["via"])
        said = {**_window(w, zone, refs), "header_streams": headers.get((via, int(w["window"])), [])}
        if via is not None:
            alias_windows[via].append(said)
            continue
        win_out.append(said)
        if plain_value(w["size_bytes"]) is None:
            warnings.append(size_unknown_warning(int(w["window"]), downloads))
        if w["open_at_log_start"]:
            warnings.append(f"window {int(w['window'])} opens within the first hour of the evidence: the "
                            "publication time may be earlier than the logs")
        if said["several_lengths"]:
            warnings.append(lengths_warning(int(w["window"]), said["lengths"]))
        larger = said["size_in_doubt"] and (said["largest_count"] or 0) > int(w["size_bytes"])
        if said["size_in_doubt"]:  # the larger count said with the doubt, never as 'never the file'
            warnings += size_doubt_warnings(int(w["window"]), said["repeated_sizes"], int(w["size_bytes"]),
                                            said["largest_count"])
        above = [d for d in downloads if d["via"] is None and d["window"] == w["window"]
                 and d["size_rule"] == "above_size"]
        if above and not larger:  # each judged against its own stated length, else the window's size: the least of them said
            warnings.append(above_size_warning(int(w["window"]), len(above), min(int(d["size_bytes"]) for d in above)))
        if w["unavailable_error_page"]:
            warnings.append(error_page_warning(int(w["window"])))
    warnings += _identical_counts(analysis.target_query("counts_below_given_size", target, options,
                                                        arrow=True).to_pylist(), options.size)
    warnings += _partials_adding_up(analysis.target_query("partials_adding_up", target, options,
                                                          arrow=True).to_pylist(), options.range_gap_minutes)
    warnings += _ranges_across_forwarded(analysis.target_query("ranges_across_forwarded", target, options,
                                                               arrow=True).to_pylist())
    refused = analysis.target_query("refused_after_window", target, options, arrow=True).to_pylist()
    for r in refused:  # the window it may have been withdrawn from ends, for gaps, at its first refusal
        for w in win_out if r["via"] is None else alias_windows[r["via"]]:
            if w["window"] == int(r["window"]):
                w["refused_after"] = iso_utc(r["first_refused"])
    warnings += _refused_after(refused, refs)
    warnings += _redirects_after(analysis.target_query("redirects_after_window", target, options, arrow=True)
                                 .to_pylist(), refs, lambda via: win_out if via is None else alias_windows[via])
    warnings += [fold_responses_sentence(r, refs) for r in analysis.target_query(
        "window_fold_responses", target, options, arrow=True).to_pylist()]
    several = analysis.several_streams()  # one stream's log: no other log to reopen a window or count twice
    warnings += [reopened_elsewhere_sentence(r) for r in (analysis.target_query(
        "window_reopened_elsewhere", target, options, arrow=True).to_pylist() if several else [])]
    warnings += [reopened_in_flight_sentence(r) for r in analysis.target_query(
        "window_reopened_in_flight", target, options, arrow=True).to_pylist()]
    # an IIS line may be a spelling of two files: a case-sensitive server's, or another target of the run equal to
    # this one but for case (IIS logs alone: --target /a.pdf --target /A.pdf count the same requests twice)
    if analysis.mixes_case_rules() or (analysis.folds_case_somewhere() and any(
            t != target.path and t.lower() == target.path.lower() for t in run_targets)):
        warnings += _shared_spellings(analysis.shared_spellings(target, options, run_targets))
    for alias, found in alias_windows.items():
        if not found:
            warnings.append(f"--alias {alias} was never answered with a response that shows the file available "
                            "(200, 206, 304 or a 499 with bytes, to a GET or HEAD: rule_available) in the evidence: it "
                            "adds nothing")
    sizes = {w["size_bytes"] for w in win_out}
    size = next(iter(sizes)) if len(sizes) == 1 else None

    # one dict per row in the answer's key order; Arrow's rows are plain Python already (no NaN: integer
    # columns), so only the times are formatted (timefmt: the one display rule for times)
    local, kept = zone.local, ("complete", "partial", "undetermined")
    dl_out = [{
        "download_no": d["download_no"],  # as in the downloads query and downloads.csv
        "time": iso_utc(d["time"]),
        "time_local": local(d["time"]),
        "client_ip": d["client_ip"],
        "outcome": d["outcome"],
        # complete by the sum of range parts' byte counts, the log stating no offsets: an inference
        "outcome_inferred": bool(d["outcome_inferred"]),
        "internal": bool(d["internal"]),
        "client_class": d["client_class"],
        "user_agent": d["user_agent"],
        "kind": d["kind"],
        "bytes": d["bytes"],
        "size_bytes": d["size_bytes"],  # what the bytes were compared with, and the rule that judged it
        "size_rule": d["size_rule"],
        "parts": d["parts"],
        "window": d["window"],
        "via": d["via"],  # the --alias it was made through (its window is the alias's); None: the target
        "evidence": _lines(refs, d["lines"]),
    } for d in downloads if d["outcome"] in kept]
    ip_out = [{
        "client_ip": p["client_ip"],
        "complete": p["complete"],
        "complete_inferred": p["complete_inferred"],
        "partial": p["partial"],
        "internal": bool(p["internal"]),
        "copy_before_evidence": bool(p["copy_before_evidence"]),
        "not_modified": p["not_modified"],
        "first_seen": iso_utc(p["first_seen"]),
        "last_seen": iso_utc(p["last_seen"]),
        **profiles.get(p["client_ip"], {}),
    } for p in per_ip]
    for db in geoip:
        if db["older_than_events"]:
            warnings.append(f"the {db['kind']} database {db['type']} ({db['path']}) was built {db['build_date']}, "
                            + GEOIP_OLDER)
    if totals["no_method_responses"]:
        warnings.append(plural(totals["no_method_responses"], "# response 200/206 (or 499 with bytes) from an external address names",
                               "# responses 200/206 (or 499 with bytes) from external addresses name") + " no method "
                        "(the log records none): never counted as downloads, a GET cannot be told from a HEAD, so "
                        "complete downloads may be missing; read the method with the format (%r or %m in "
                        "--log-format, $request or $request_method in --nginx-log-format, method= in --json-fields)")
    warnings += _inferred_sums(dl_out, totals)
    # complete downloads resting on a count Apache's %b may have written, no completion flag (sent, not received)
    sent = analysis.target_query("complete_on_sent_counts", target, options, arrow=True).to_pylist()
    on_sent = sum(int(r["on_sent_counts"]) for r in sent)
    for w in win_out:
        w["complete_on_sent_counts"] = sum(int(r["on_sent_counts"]) for r in sent
                                           if r["via"] is None and int(r["window"]) == w["window"])
    sent_formats = sorted({f for r in sent for f in r["formats"]})
    if on_sent:
        warnings.append(sent_counts_sentence(on_sent, int(totals["complete_downloads"]), sent_formats))
    warnings += [logged_twice_sentence(r) for r in (analysis.target_query(
        "downloads_logged_twice", target, options, arrow=True).to_pylist() if several else [])]
    warnings += _cdn_fills(analysis, target, options)
    hosts = analysis.target_query("target_hosts", target, options, arrow=True).to_pylist()
    warnings += _several_hosts(target.path, hosts)
    if not totals["requests"] and not totals["internal_requests"]:
        warnings.append(never_requested(target.given))
    in_windows = window_gaps(gaps, win_out, refs, alias_windows)
    return {
        "path": target.path,
        "given": target.given,
        "host": target.host,
        # where the path's requests name more than one host (queries/target.sql target_hosts): every one, each
        # {host, requests}; the warning names the first HOSTS_SAID
        "hosts": hosts,
        "size_bytes": size,
        "size_inferred": options.size is None,
        # how the windows' sizes were found: given | object_size | most_common | band (bytes include headers)
        "size_rule": target_size_rule(win_out),
        # complete downloads (external, as totals.complete_downloads) resting on a body count Apache's %b may have
        # written with no completion flag: the server logged the file as sent, not shown received (the warning)
        "complete_on_sent_counts": on_sent,
        # the formats of the logs those counts were read from (as `files`' column of the name): the warning names them
        "sent_count_formats": sent_formats,
        # the streams the complete-transfer band was measured on (their byte counts include headers): the windows'
        # whose size_rule has 'band'
        "size_header_streams": sorted({s for w in win_out if "band" in (w["size_rule"] or "").split("+")
                                       for s in w["header_streams"]}),
        "windows": win_out,
        # --alias: other paths counted as this file (their downloads carry `via`), each with its own windows
        "aliases": [{"path": a, "windows": alias_windows[a]} for a in target.aliases],
        "downloads": dl_out,
        "per_ip": ip_out,
        "totals": totals,
        "gaps": in_windows,
        "possible_copies": copies,  # other paths served with the file's size while it was available: not counted
        "spread": spread_section(spread, zone),
        "geoip_databases": geoip,
        "notes": [REMOVAL_NOTE] + ([SIZE_NOTE] if options.size is None else []),
        "warnings": warnings,
    }


def case_warnings(case: CaseFile) -> list[str]:
    out = []
    row = case.fetchone("""
        SELECT count(*) FILTER (WHERE network_type IN ('private', 'loopback', 'shared') AND NOT internal),
               count(*) FROM client_info""")
    if row and row[1] and row[0] * 2 > row[1]:
        out.append(f"{row[0]} of {row[1]} client addresses are private or shared: the logs probably show a "
                   "proxy or load balancer, not the clients (see the X-Forwarded-For options)")
    case.run(queries.get("evidence_rules"))  # mostly_rejected: the rule the findings and the ingest read
    for path, rejected, lines, said in case.fetchall(
            "SELECT path, rejected, lines, rejected_said(evidence_id, format) FROM evidence WHERE verdict = 'ingested' "
            "AND mostly_rejected(rejected, lines) ORDER BY evidence_id"):
        out.append(f"{path}: {rejected} of {lines} lines rejected: {said}")
    return out


def analyse(analysis: Analyser, targets: Sequence[str | Target], options: AnalysisOptions,
            verification: Sequence[Verification] | None = None, seal: SealCheck | None = None) -> dict[str, Any]:
    """The JSON answer for the targets (as given on the command line, or as found in the case), in the order
    given. `verification` (a re-hash made by this command) adds its findings; without one the evidence status
    says the files were not re-hashed. The case's seal is checked first (row counts only, unless a fuller
    `seal` check is given). What does not depend on the targets (the case's context, the seal check, the
    findings: CaseWide) is read meanwhile, on a connection of its own, while the targets are analysed."""
    options = options.validated()
    given = seal
    wide = CaseWide(*analysis.case.meanwhile(
        lambda beside: case_context(beside, options),
        lambda beside: given or beside.seal_check(rows=False),
        lambda beside: finding_rows(beside, options.gap_minutes, options.gap_factor), name="case-wide"))
    try:
        parsed = analysis.resolve(targets, options)  # as_target for each, with its --alias paths
        analysis.prepare(parsed, options)
        return build_answer(analysis, parsed, options, verification, wide)
    except duckdb.Error as exc:
        seal = wide.seal()
        if seal.holds:
            raise
        # a table, view or macro changed outside exposure may stop the queries: say why, not "unexpected failure"
        changes = "; ".join(f.message for f in seal.findings[:3])
        raise CaseError(f"the case was changed outside exposure ({changes}) and no answer can be computed from it "
                        f"({first_line(exc)}): exposure verify names every difference; ingest the evidence into "
                        "a new case") from None
    finally:
        analysis.case.wait_meanwhile()  # what ran meanwhile ends before the answer does


@dataclass(frozen=True)
class CaseWide:
    """What an answer reads that does not depend on its targets, each a function that waits for it (read
    meanwhile: CaseFile.meanwhile): `context` (case_context), the seal check, queries/findings.sql's rows."""

    context: Callable[[], CaseContext]
    seal: Callable[[], SealCheck]
    findings: Callable[[], list[Finding]]


@dataclass(frozen=True)
class CaseContext:
    """The UTC offsets the logs write (CaseFile.log_offset_counts), the --log-tz zones that read lines, the gaps of
    the evidence (gap_rows) and the evidence list (evidence_section)."""

    offsets: list[tuple[int, int]]
    zones: list[str]  # the --log-tz zones that read lines (CaseFile.log_zones)
    off_zone: int | None  # with one of them, the lines whose written offset is not its own (CaseFile.off_log_zone)
    gaps: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


def case_context(case: CaseFile, options: AnalysisOptions) -> CaseContext:
    """The case's context for an answer with `options` (CaseContext): stored tables only."""
    from .analysis.analyser import Analyser

    zones = case.log_zones()
    return CaseContext(case.log_offset_counts(), zones, case.off_log_zone(zones), gap_rows(Analyser(case), options),
                       evidence_section(case))


def build_answer(analysis: Analyser, targets: list[Target], options: AnalysisOptions,
                 verification: Sequence[Verification] | None, wide: CaseWide) -> dict[str, Any]:
    """The answer; `wide` gives what does not depend on the targets (waiting for it where it is read meanwhile)."""
    case = analysis.case
    context = wide.context()
    zone, offsets_said = log_zone(options.display_tz, context.offsets, context.zones, context.off_zone)
    refs = _evidence_refs(case)
    gaps = context.gaps
    sections = [target_section(analysis, t, options, zone, refs, gaps, [u.path for u in targets]) for t in targets]
    spans = [span for t in sections for span in target_spans(t, len(sections) > 1)]  # --alias windows too
    # one list: the seal, this command's re-hash, queries/findings.sql placed in the targets' windows (as
    # findings.evidence_findings places them for every other door), the targets' possible copies
    seal = wide.seal()
    findings = (seal_findings(case, seal) + rehash_findings(verification or [])
                + placed_findings(wide.findings(), spans) + copy_findings(sections))
    rehashed = None if verification is None else {
        "verified": sum(v.status == "match" for v in verification),
        "changed": sum(v.status == "changed" for v in verification),
        "missing": sum(v.status == "missing" for v in verification)}
    return {
        "schema": SCHEMA,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        "options": {
            "internal": list(options.internal),
            "size": options.size,
            "display_tz": zone.name,
            "range_gap_minutes": options.range_gap_minutes,
            "gap_minutes": options.gap_minutes,
            "gap_factor": options.gap_factor,
            "geoip_city": options.geoip_city,
            "geoip_asn": options.geoip_asn,
            "aliases": list(options.aliases),
        },
        "evidence": context.evidence,
        # the case's seal: does it hold, and its digest as of the last change to the evidence (exposure/seal.py)
        "seal": seal.summary(kept=not case.temporary),
        # everything found about the evidence, one list (queries/findings.sql, the seal and this command's
        # re-hash): `evidence_status` counts it per kind; an `incomplete` one makes the exit code 3
        "evidence_status": evidence_status(findings, len(case.fetchall("SELECT 1 FROM evidence")), rehashed,
                                           sealed=True, copies_checked=True),
        "findings": [f.as_json() for f in findings],
        "targets": sections,
        "warnings": case_warnings(case) + offsets_said,
    }


def answer_json(answer: dict[str, Any]) -> str:
    """The answer as JSON text (`answer_bytes`)."""
    return answer_bytes(answer).decode("utf-8")


def answer_bytes(answer: dict[str, Any]) -> bytes:
    """The answer as JSON, UTF-8: indented by two spaces, non-ASCII as is, keys in the answer's order. orjson writes
    the bytes `json.dumps(indent=2, ensure_ascii=False)` writes, in a fiftieth of the time (the standard
    encoder's C speed-up is off when indenting: 0.9 s for the 10 MB answer of a 2 M-line case). Where they
    differ, orjson is the stricter: a NaN is null (JSON has no NaN); a value it refuses (a key that is no
    string, an integer past 64 bits) takes the standard encoder."""
    import orjson

    try:
        return orjson.dumps(answer, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(answer, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def write_json(answer: dict[str, Any], path: str | Path) -> None:
    """The answer as JSON (`answer_bytes`, written as they are), owner-only (also over a file that existed with
    wider modes)."""
    write_bytes(path, answer_bytes(answer))
