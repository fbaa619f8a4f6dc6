"""The download rule written again, in plain Python, from its written text (README "Definitions", the header of
queries/downloads_rule.sql, issue 2's windows and downloads): the oracle tests/test_oracle.py checks the tool
against. It reads a scenario (tests/oracle_scenarios.py) only through what the log format keeps, and shares no
code with exposure.

Readings where the written text is silent or loose (said here, once):
- "the most common" count or exact length, and the densest 2 KiB of counts and the island of the most common
  count: the larger on a tie (queries/downloads_rule.sql's header says so; README does not).
- a range group is made by address, agent and gap alone (README: "grouped until a gap of more than 30
  minutes"), also across a withdrawal and republication, and belongs to the window of its last part (its time):
  it is judged by that window's size, none where that window has none.
- "within the first hour of the evidence" (`open_at_log_start`): strictly less than one hour after the first
  request of the evidence.
- a log that says whether the transfer completed (%X, $request_completion) decides: a transfer it calls
  aborted is never complete, whatever its byte count (README "Log formats": "Where a format logs whether a
  transfer completed ... that decides completeness"), also where the counts include headers; one whose count
  still holds the whole body (exact or given; body counts: the window's too; counts with headers less the
  window's header allowance) is undetermined. IIS marks each
  send (sc-win32-status on a 200/206: 0 it succeeded, 64 it failed; docs/servers.md): a failed one is never
  complete and stays out of the complete-transfer band; a succeeded one is judged by its bytes where it has them.
- a log that records no byte count at all (IIS 8.5-10's default fields) delivered an unknown number of bytes
  (README "Definitions"): such a transfer is undetermined, also against a given size, unless the log says how
  the send ended (IIS sc-win32-status: 0 complete, else partial).
- a copy's last line cut off inside its byte count (README "Reading evidence": the count may have lost digits)
  delivered an unknown number of bytes too: undetermined (unless the log's own flag, read whole, says how the
  send ended), never a partial of the digits read, and its count never shapes a window's size.
- a copy's last line cut off inside a range offset (README "Reading evidence": CloudFront sc-range-end) has no
  offsets: its range group is judged by offsets only where the other parts' already cover the body size, else
  by its byte counts as a group without offsets; one cut in or before the log's own completion flag (nginx
  $request_completion, Apache %X the line ends in) has no flag.
"""

from __future__ import annotations

import ipaddress
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from .oracle_scenarios import ENCODED, TARGET, LogFormat, Scenario, in_alt, served

AVAILABLE = (200, 206, 304)
UNAVAILABLE = (404, 410)


@dataclass(frozen=True)
class Row:
    """A request for the target as the log keeps it."""

    t: datetime
    client: str
    ua: str | None
    method: str
    status: int
    bytes: int | None
    headers_in: bool  # the count includes headers
    exact: int | None  # the object's exact length as the log states it for this response
    rng: tuple[int, int] | None
    completion: str | None  # 'complete' | 'aborted' where logged
    count_cut: bool = False  # the count as read may have lost digits: unknown


def observe(s: Scenario, fmt: LogFormat) -> list[Row]:
    rows = []
    for original in s.requests:
        r = served(fmt, original)
        path = TARGET if r.path == ENCODED else r.path  # paths are compared percent-decoded
        if not (path == TARGET or (fmt.case_insensitive and path.lower() == TARGET.lower())):
            continue
        if fmt.bytes_meaning is None:
            count = None
        elif fmt.bytes_meaning == "headers+body":
            count = r.headers + r.body
        else:
            count = r.body  # 0 as logged ('-' under Apache's %b and S3 is 0 bytes sent)
        if fmt.exact == "every":
            exact = r.total if (r.rng or (not fmt.offsets and r.status in AVAILABLE)) else None
        elif fmt.exact == "whole":
            exact = r.total if (r.status == 200 and r.method == "GET") else None
        else:
            exact = None
        rows.append(Row(r.t, fmt.observed_client(r), r.ua if fmt.has_ua else None, r.method, r.status, count,
                        fmt.bytes_meaning == "headers+body", exact,
                        r.rng if fmt.offsets and not original.offsets_cut else None,
                        ("aborted" if r.aborted else "complete")
                        if (fmt.completion or (fmt.aborts and not in_alt(s, fmt, original)))
                        and not original.flag_cut else None,
                        original.count_cut))
    rows.sort(key=lambda x: x.t)
    return rows


def most_common(values: list[int]) -> int | None:
    if not values:
        return None
    counts = Counter(values)
    return max(counts, key=lambda v: (counts[v], v))


def band_edge(counts: list[int]) -> int | None:
    """The lower edge of the complete-transfer band of header-inclusive 200 GET counts."""
    if not counts:
        return None
    density = {b: sum(1 for c in counts if b <= c <= b + 2048) for b in counts}
    lo = max(density, key=lambda b: (density[b], b))
    inside = Counter(c for c in counts if lo <= c <= lo + 2048)
    islands: list[list[int]] = []
    for v in sorted(inside):
        if islands and v - islands[-1][-1] <= 256:
            islands[-1].append(v)
        else:
            islands.append([v])
    top = max(inside, key=lambda v: (inside[v], v))
    return next(island[0] for island in islands if top in island)


@dataclass
class Window:
    first_available: datetime
    last_available: datetime
    first_unavailable: datetime | None
    open_at_log_start: bool
    rows: list[Row]
    body_size: int | None = None
    band: int | None = None
    header_bytes: int | None = None
    header_only: int | None = None  # the largest count of a response without a body (HEAD 200, 304)

    @property
    def size_bytes(self) -> int | None:
        return self.body_size if self.body_size is not None else self.band


def windows(rows: list[Row], log_start: datetime, given: int | None) -> list[Window]:
    out: list[Window] = []
    current: list[Row] = []
    for row in rows:
        if row.status in AVAILABLE:
            current.append(row)
        elif row.status in UNAVAILABLE and current:
            out.append(_window(current, row.t, log_start))
            current = []
    if current:
        out.append(_window(current, None, log_start))
    for w in out:
        gets = [r for r in w.rows if r.method == "GET" and not r.count_cut]
        exact = most_common([r.exact for r in gets if r.exact])
        body = most_common([r.bytes for r in gets if r.status == 200 and r.bytes and not r.headers_in])
        w.body_size = given if given is not None else exact if exact is not None else body
        header_only = [r.bytes for r in w.rows if r.headers_in and r.bytes and not r.count_cut
                       and (r.status == 304 or (r.status == 200 and r.method == "HEAD"))]
        w.header_only = max(header_only) if header_only else None
        w.band = band_edge([r.bytes for r in gets if r.status == 200 and r.bytes and r.headers_in
                            and r.bytes > (r.exact or 0) and r.completion != "aborted"
                            and r.bytes > (w.header_only or 0)])
        if any(r.headers_in for r in w.rows):
            w.header_bytes = w.header_only if w.header_only is not None else 1024
    return out


def _window(rows: list[Row], closed: datetime | None, log_start: datetime) -> Window:
    return Window(rows[0].t, rows[-1].t, closed, rows[0].t - log_start < timedelta(hours=1), rows)


@dataclass(frozen=True)
class Download:
    time: datetime
    client: str
    kind: str
    outcome: str
    parts: int
    inferred: bool = False  # complete by a sum of parts without offsets, no part alone reaching the size
    # a range group: how it was judged (offsets | mixed | band_sum | byte_sum), the bytes it delivered as the
    # tool states them, and the size it was judged against
    size_rule: str | None = None
    delivered: int | None = None
    size: int | None = None


def _ge(a: int | None, b: int | None) -> bool | None:
    return None if a is None or b is None else a >= b


def _outcome(ok: bool | None) -> str:
    return "undetermined" if ok is None else "complete" if ok else "partial"


def single(r: Row, w: Window, given: int | None) -> Download:
    got = r.bytes or 0
    if r.completion == "aborted":  # never complete; undetermined where its count reaches a body size (never the band)
        ok: bool | None = False
        if r.bytes is not None and not r.count_cut:
            body = (given if given is not None else r.exact) if r.headers_in else (
                r.exact if r.exact is not None else given if given is not None else w.body_size)
            if body is not None and (got - (w.header_bytes or 1024) >= body if r.headers_in else got >= body):
                ok = None
    elif r.bytes is None or r.count_cut:  # no byte count, or one that may be cut: not known, but its own word
        ok = True if r.completion == "complete" else None
    elif r.headers_in:  # headers are never 0 bytes: a count reaches a body size (exact, given) only above it
        if r.exact is not None and got <= r.exact:
            ok = False
        elif r.completion != "complete" and w.header_only is not None and 0 < got <= w.header_only:
            ok = None  # no larger than a response without a body: whether it held any body is unknown
        elif given is not None:
            ok = got > given
        else:
            ok = _ge(got, w.band)
    elif r.exact is not None and r.bytes is not None:
        ok = got >= r.exact
    else:
        ok = _ge(got, w.body_size)
    return Download(r.t, r.client, "single", _outcome(ok), 1)


def _body_most(p: Row) -> int:
    """The most body bytes a part's count can hold: less one byte for headers where it includes them."""
    return max((p.bytes or 0) - (1 if p.headers_in else 0), 0)


def _surely_upto(p: Row, w: Window) -> int:
    """The last body offset a part with offsets surely delivered (README: its logged range to its end where it
    went out in full and the log does not call it aborted; else from its start the body bytes its count holds,
    less the window's header bytes where counts include them); its start - 1: none."""
    a, b = p.rng  # type: ignore[misc]
    known = p.bytes is not None and not p.count_cut
    full = (p.bytes > b - a + 1 if p.headers_in else p.bytes >= b - a + 1) if known else True  # type: ignore[operator]
    if p.completion != "aborted" and full:
        return b
    held = ((p.bytes or 0) - ((w.header_bytes or 1024) if p.headers_in else 0)) if known else 0
    return max(a - 1 + min(b - a, held), a - 1)


def _reach(p: Row, upto: int) -> int:
    """How far past what it surely delivered a part with offsets may have reached: as far as its count may hold
    (its range end where the count is unknown)."""
    a, b = p.rng  # type: ignore[misc]
    most = min(b, a - 1 + _body_most(p)) if p.bytes is not None and not p.count_cut else b
    return max(most - upto, 0)


def range_group(parts: list[Row], w: Window, given: int | None) -> Download:
    exacts = [p.exact for p in parts if p.exact is not None]
    body = given if given is not None else max(exacts) if exacts else w.body_size
    total = None if any(p.bytes is None or p.count_cut for p in parts) else sum(p.bytes or 0 for p in parts)
    largest = max((p.bytes or 0) for p in parts)
    alone: bool | None = None  # one part alone reaches the size: its bytes are the whole file whatever its range
    ranged = [(p, _surely_upto(p, w)) for p in parts if p.rng]
    covered, end = 0, -1  # the union of what the parts with offsets surely delivered
    for a, b in sorted((p.rng[0], upto) for p, upto in ranged if upto >= p.rng[0]):  # type: ignore[index]
        if b > end:
            covered += b - max(a, end + 1) + 1
            end = b
    # offsets: every part's, or the known ones cover the body already (a part without them cannot undo that)
    by_offsets = all(p.rng for p in parts) or (body is not None and end >= 0 and covered >= body)
    delivered, size = total, body
    if by_offsets:
        ok = _ge(covered, body) if body is not None else (True if _ge(covered, w.band) else None)
        rule, delivered, size = "offsets", covered, body if body is not None else w.band
    elif ranged:  # offsets short of the body, other parts without: never complete by a sum
        unknown = [p for p in parts if not p.rng]
        # the most they can have delivered: the union, the counts of the parts without offsets (headers are never
        # 0 bytes), and how far past what it surely delivered each part with offsets may have reached
        most = None if any(p.bytes is None or p.count_cut for p in unknown) else covered + sum(
            _body_most(p) for p in unknown) + sum(_reach(p, upto) for p, upto in ranged)
        ok = False if body is not None and most is not None and most < body else None
        rule = "mixed"
        delivered = None if most is None else min(most, body) if body is not None else most
    elif any(p.headers_in for p in parts):
        h = w.header_bytes or 0
        if given is not None:
            ok = True if total - len(parts) * h >= given else False if total <= given else None
            alone = largest - h >= given  # the group's rule for one part: less its headers
        elif w.band is None:
            ok = None
        else:
            ok = True if total - (len(parts) - 1) * h >= w.band else False if total < w.band else None
            alone = _ge(largest, w.band)
    else:
        ok = _ge(total, body)
        alone = _ge(largest, body)
    if not ranged:
        rule = "band_sum" if any(p.headers_in for p in parts) else "byte_sum"
        size = body if rule == "byte_sum" else given if given is not None else w.band
    inferred = bool(ok) and not by_offsets and not alone
    return Download(parts[-1].t, parts[-1].client, "range", _outcome(ok), len(parts), inferred, rule, delivered,
                    size)


def downloads(ws: list[Window], given: int | None, gap_minutes: int = 30) -> list[Download]:
    out = []
    window_of: dict[int, Window] = {}
    groups: dict[tuple[str, str | None], list[list[Row]]] = defaultdict(list)
    for w in ws:
        for r in w.rows:
            window_of[id(r)] = w
            if r.method != "GET":
                continue
            if r.status == 200:
                out.append(single(r, w, given))
            elif r.status == 206:  # grouped by address, agent and gap alone, across windows
                runs = groups[(r.client, r.ua)]
                if runs and r.t - runs[-1][-1].t <= timedelta(minutes=gap_minutes):
                    runs[-1].append(r)
                else:
                    runs.append([r])
    out += [range_group(parts, window_of[id(parts[-1])], given) for runs in groups.values() for parts in runs]
    return sorted(out, key=lambda d: (d.time, d.client, d.kind))


def expected(s: Scenario, fmt: LogFormat, internal: str, given: int | None = None) -> dict[str, object]:
    """The answer the written rule gives for the scenario's target, as the log in `fmt` keeps it."""
    net = ipaddress.ip_network(internal)

    def is_internal(ip: str) -> bool:
        try:
            return ipaddress.ip_address(ip) in net
        except ValueError:
            return False

    rows = observe(s, fmt)
    log_start = s.requests[0].t
    ws = windows(rows, log_start, given)
    ds = downloads(ws, given)
    per_ip: dict[str, dict[str, object]] = {}
    for d in ds:
        e = per_ip.setdefault(d.client, {"complete": 0, "complete_inferred": 0, "partial": 0})
        if d.outcome != "undetermined":  # the JSON's per_ip counts complete and partial
            e[d.outcome] = int(e[d.outcome]) + 1  # type: ignore[call-overload]
        e["complete_inferred"] = int(e["complete_inferred"]) + d.inferred  # type: ignore[call-overload]
    for r in rows:
        if r.status == 304:
            per_ip.setdefault(r.client, {"complete": 0, "complete_inferred": 0, "partial": 0})
    for ip, e in per_ip.items():
        e["internal"] = is_internal(ip)
        e["copy_before_evidence"] = e["complete"] == 0 and any(r.status == 304 and r.client == ip for r in rows)
    ext = [r for r in rows if not is_internal(r.client)]
    totals = {
        "complete_downloads": sum(1 for d in ds if d.outcome == "complete" and not is_internal(d.client)),
        "distinct_ips": len({d.client for d in ds if d.outcome == "complete" and not is_internal(d.client)}),
        "internal_complete_downloads": sum(1 for d in ds if d.outcome == "complete" and is_internal(d.client)),
        "inferred_complete_downloads": sum(1 for d in ds if d.inferred and not is_internal(d.client)),
        "inferred_only_ips": len({d.client for d in ds if d.outcome == "complete" and not is_internal(d.client)}
                                 - {d.client for d in ds if d.outcome == "complete" and not d.inferred
                                    and not is_internal(d.client)}),
        "partial_downloads": sum(1 for d in ds if d.outcome == "partial" and not is_internal(d.client)),
        "undetermined_downloads": sum(1 for d in ds if d.outcome == "undetermined" and not is_internal(d.client)),
        "head_requests": sum(1 for r in ext if r.method == "HEAD"),
        "not_modified": sum(1 for r in ext if r.status == 304),
        "errors": sum(1 for r in ext if r.status >= 400),
    }
    return {
        "windows": [{"first_available": iso(w.first_available), "last_available": iso(w.last_available),
                     "first_unavailable": iso(w.first_unavailable) if w.first_unavailable else None,
                     "open_at_log_start": w.open_at_log_start, "size_bytes": w.size_bytes} for w in ws],
        "downloads": sorted((iso(d.time), d.client, d.kind, d.outcome, d.inferred) for d in ds),
        "range_groups": sorted((iso(d.time), d.client, d.size_rule, d.delivered, d.size) for d in ds
                               if d.kind == "range"),
        "per_ip": per_ip,
        "totals": totals,
    }


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")
