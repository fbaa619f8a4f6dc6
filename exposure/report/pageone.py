"""Page 1's lines about the evidence: which are shown, which are grouped, which are counted.

What the report must carry on its first page (EVIDENCE.md 11, 17, 18: the caveats of the answer, a clock, a GeoIP
database older than the requests, and the silences of a server inside a window) is always there (caveats past
PAGE_ONE_CAVEATS lines counted in one, the ones every file shares said first); a budget of
lines bounds the rest (one line per incomplete finding, one per stated kind), and what does not fit is counted in
a last line naming its kinds, never left out without a word. Every line also costs its printed lines
(report/pagebudget.py) out of the room the blocks above the list leave: the first file not read in full (grave:
named with its reason whatever the room, as page 1's alert boxes are), the must-carry caveats and the gaps claim
first, the others are shown while they fit and counted past it; the template says the grave ones first (the alert
boxes, then the files not read in full, named and counted), so what a full page 1 pushes over is the less grave. Gaps inside a window are one line each while they
fit beside the caveats; past that each family of them (streams silent after their last line, before their first,
in their middle) inside the same windows is one line with its count, naming the first GAP_NAMES streams (each cut
to PAGE_ONE_ROW_PATH); past that one line per family across the windows; past that one counted line. Must-carry
caveats (answer.must_carry: GeoIP, clocks, UTC offsets) come first and are never counted away.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..escaping import shorten_shown
from ..findings import STREAM_EDGES
from ..warningkinds import OTHER
from .html import PAGE_ONE_PATH, PAGE_ONE_ROW_PATH, stated_name_width
from .i18n import Strings
from .pagebudget import COUNTED, item, shown, width

# Page 1 has room for this many lines about findings (incomplete ones first, then gaps inside a window, the
# caveats, then one per stated kind); what must be there (gaps and caveats) is reserved first, and past the rest
# of the room one last line counts what is left and names its kinds (each is counted in the status line above
# it and listed in section 7): the status stays on page 1.
PAGE_ONE_LINES = 6
# caveats page 1 says one by one: those the case's files share first (a GeoIP database older than the requests,
# said once for every file), then each file's own; past it one counted line names how many more are in section 1
# (thirty files given by --target and never requested are thirty caveats, each naming its file)
PAGE_ONE_CAVEATS = 4
# streams a grouped line about gaps names (with their times); the rest counted, every one in the gaps section
GAP_NAMES = 4
# a gap's family (queries/gaps.sql `edge`): the strings of its grouped line and of each stream it names
_FAMILY = {STREAM_EDGES[0]: "end", STREAM_EDGES[1]: "start", None: "inner"}


def _windows(gaps: list[dict[str, Any]]) -> int:
    """How many target windows these gaps fall in (each finding's in_windows: window, target, alias)."""
    return len({(r.get("target"), r.get("alias"), r.get("window")) for g in gaps for r in g.get("in_windows") or []})


def _grouped(gaps: list[dict[str, Any]], s: Strings, across: bool) -> list[dict[str, Any]]:
    """One line per family of gaps (`fact`: the stream's edge) inside the same windows, or, `across`, inside any
    window (the windows counted), with its count, naming GAP_NAMES streams each cut to PAGE_ONE_ROW_PATH."""
    families: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for g in gaps:
        families.setdefault((_FAMILY.get(g.get("fact"), "inner"), "" if across else g["inside"]), []).append(g)
    lines = []
    for (family, inside), mine in families.items():
        if len(mine) == 1 and not across:
            lines.append({**mine[0], "count": 1})
            continue
        names = ", ".join(s.f(f"gap_name_{family}", stream=shorten_shown(g["stream"] or g["server"] or "",
                                                                         PAGE_ONE_ROW_PATH, s["characters"]),
                              start=g["uncovered_start"], end=g["uncovered_end"], length=g["length"])
                          for g in mine[:GAP_NAMES])
        if len(mine) > GAP_NAMES:
            names += " " + s.f("gaps_named_more", n=len(mine) - GAP_NAMES)
        said = s.f("inside_n_windows", n=_windows(mine)) if across else inside.lstrip(", ")
        lines.append({"text": s.f(f"gaps_{family}", n=len(mine), inside=said, names=names), "count": len(mine)})
    return lines


def gap_lines(gaps: list[dict[str, Any]], s: Strings, room: int,
              fits: Callable[[list[dict[str, Any]]], bool] = lambda lines: True) -> list[dict[str, Any]]:
    """Page 1's lines for the gaps inside a window, never more than `room` (at least one) and, past one by one,
    only as many as `fits` their printed lines: each its own line when all fit, else one line per family and
    windows (`fact`: the stream's edge, `inside`: the windows said) with a count, naming GAP_NAMES; past that one
    line per family across the windows; past that one counted line. No gap: no line (never a count of 0)."""
    if not gaps:
        return []
    room = max(room, 1)
    lines = [{**g, "count": 1} for g in gaps]
    if len(gaps) <= room and fits(lines):
        return lines
    for across in (False, True):
        lines = _grouped(gaps, s, across)
        if len(lines) <= room and fits(lines):
            return lines
    return [{"text": s.f("gaps_counted", n=len(gaps), windows=_windows(gaps)), "count": len(gaps)}]


def _files(findings: list[dict[str, Any]], named: list[dict[str, Any]] = ()) -> int:
    """How many files (a finding's path, else its stream) these findings are about that none of `named` (the
    findings page 1 names) is about: two findings of one file are one file, and a file named for one of its
    findings (damaged) is not one more for another left over (glued lines beside its damage): "3 more files not
    read in full" counts the files page 1 does not name, not findings."""
    def file(f: dict[str, Any]) -> object:
        return f.get("path") or f.get("stream") or id(f)
    return len({file(f) for f in findings} - {file(f) for f in named})


def _chars(part: str, x: dict[str, Any], s: Strings) -> int:
    """Columns (pagebudget.width) of one line of page 1's status list as the template writes it (names cut as it
    cuts them)."""
    if part == "gap":
        return width(s["kind_gap"]) + 2 + width(x["text"])
    if part == "caveat":
        path = width(shown(x["path"], PAGE_ONE_PATH, s)) + 2 if x.get("path") else 0
        return width(s["finding_caveat"]) + 2 + path + width(x["text"]) + width(s["caveat_where"]) + 3
    if part == "incomplete":
        where = x.get("path") or x.get("stream")
        return (width(s["status_line_incomplete"]) + width(x.get("kind_label") or x["kind"]) + 5
                + (width(shown(where, PAGE_ONE_PATH, s)) + 2 if where else 0) + width(x.get("text") or ""))
    names = x.get("names") or []
    cut = stated_name_width(len(names))
    said = sum(width(shown(n["name"], cut, s)) + (width(shown(n["repeats"], cut, s)) + width(s["repeats"]) + 4
                                                if n.get("repeats") else 0) + 2 for n in names)
    return (width(x["label"]) + len(str(x["count"])) + 5 + width(x.get("text") or "") + said
            + (20 if x.get("more") else 0))


def caveat_kinds(caveats: list[dict[str, Any]], s: Strings) -> list[str]:
    """The kinds of these caveats (exposure/warningkinds.py), each once in their order, in the report's language."""
    return list({s[f"caveat_kind_{c.get('warning_kind') or OTHER}"]: None for c in caveats})


def _counted_caveats(caveats: list[dict[str, Any]], s: Strings) -> float:
    """Printed lines of the line counting these caveats and naming their kinds (none: no line)."""
    if not caveats:
        return 0
    said = s.f("page_one_more_caveats", n=len(caveats), kinds=", ".join(caveat_kinds(caveats, s)))
    return max(float(COUNTED), item(width(s["finding_caveat"]) + 2 + width(said)))


def page_one(incomplete: list[dict[str, Any]], gaps: list[dict[str, Any]], caveats: list[dict[str, Any]],
             stated: list[dict[str, Any]], s: Strings, label: Callable[[str], str],
             room: float = math.inf) -> dict[str, Any]:
    """Page 1's lines about the evidence and the answer in `room` printed lines (report/pagebudget.py: what the
    blocks above the list leave): the caveats page 1 must carry, whole, then the first file not read in full
    (whatever the room: the room may be none, page 1 full, report/pdf.py fitted), then
    every gap inside a window (grouped when they do not fit one by one) claim first; then the other caveats
    (bounded by PAGE_ONE_CAVEATS, the rest counted), incomplete findings left and stated kinds in the room left,
    what does not fit counted in a last line;
    `label` names a finding's kind in the report's language. `printed`: the printed lines the list takes."""
    # the ones page 1 must carry first (EVIDENCE.md 11, 17: never counted away), then the shared ones (sorted is
    # stable: each file's own in the answer's order after them)
    caveats = sorted(caveats, key=lambda c: (not c.get("must"), -c["files"]))
    ordered = caveats
    must = [c for c in caveats if c.get("must")]
    # the counted line of caveats names their kinds: reserved at its longest (every optional caveat's kind named)
    counted_caveats = _counted_caveats(caveats[len(must):], s)
    more_caveats = len(caveats) - max(PAGE_ONE_CAVEATS - 1, len(must)) if len(caveats) > max(PAGE_ONE_CAVEATS,
                                                                                               len(must)) else 0
    caveats = caveats[:len(caveats) - more_caveats]
    # the least the rest takes: a counted line for the caveats past room, and for the incomplete and stated ones
    counted = (COUNTED * ((1 if incomplete else 0) + (1 if stated else 0))
               + (counted_caveats if len(caveats) > len(must) else 0))
    claimed = sum(item(_chars("caveat", c, s)) for c in must) + counted
    # the first file not read in full is named next, whatever the room (evidence not fully read is grave: what it
    # leaves uncovered is the answer's own limit, said with its reason), before the gaps and the less grave lines,
    # which give way to it; the others with the rest below
    first = incomplete[:1]
    claimed += sum(item(_chars("incomplete", f, s)) for f in first)
    lines = [("incomplete", f) for f in incomplete[len(first):]] + [("stated", k) for k in stated]
    others = len(first) + (1 if incomplete[len(first):] else 0) + (1 if stated else 0)
    gap_shown = gap_lines(gaps, s, max(PAGE_ONE_LINES - len(caveats) - others, 0),
                          lambda shown_: claimed + sum(item(_chars("gap", g, s)) for g in shown_) <= room)
    used = claimed - counted + sum(item(_chars("gap", g, s)) for g in gap_shown)
    # the other caveats while they fit (a counted line for the rest, pointing to section 1); the last one also
    # where it fits in the counted line's room, which it leaves unneeded
    kept = list(must)
    spare = room - used - counted
    optional = caveats[len(must):]
    for i, c in enumerate(optional):
        freed = counted_caveats if i == len(optional) - 1 and not more_caveats else 0
        if item(_chars("caveat", c, s)) > spare + freed:
            break
        kept.append(c)
        spare -= item(_chars("caveat", c, s))
        used += item(_chars("caveat", c, s))
    more_caveats += len(caveats) - len(kept)
    caveats = kept
    away = [c for c in ordered if not any(c is k for k in kept)]
    if more_caveats:
        used += _counted_caveats(away, s)
    room_lines = max(PAGE_ONE_LINES - len(first) - len(gap_shown) - len(caveats), 0)
    shown_ = lines if len(lines) <= room_lines else lines[:max(room_lines - 1, 0)]
    # fewer where their printed lines do not fit: each taken leaves room for the counted line of those after it
    spare, fit = room - used, 0
    for part, x in shown_:
        cost = item(_chars(part, x, s)) + (COUNTED if fit + 1 < len(lines) else 0)
        if cost > spare:
            break
        spare -= item(_chars(part, x, s))
        fit += 1
    shown_ = shown_[:fit]
    rest = lines[len(shown_):]
    # an incomplete finding is never folded into the plain last line: those left over get their own marked line
    if shown_ and any(part == "incomplete" for part, _ in rest) and any(part != "incomplete" for part, _ in rest):
        shown_, rest = shown_[:-1], [*shown_[-1:], *rest]  # room for the marked line
    used += sum(item(_chars(part, x, s)) for part, x in shown_)
    rest_incomplete = [x for part, x in rest if part == "incomplete"]
    rest = [(part, x) for part, x in rest if part != "incomplete"]
    used += COUNTED * ((1 if rest else 0) + (1 if rest_incomplete else 0))
    return {"incomplete": first + [x for p, x in shown_ if p == "incomplete"], "gaps": gap_shown, "caveats": caveats,
            "stated": [x for p, x in shown_ if p == "stated"],
            "more": len(rest), "more_kinds": list({label(x["kind"]): None for _, x in rest}),
            "lines": PAGE_ONE_LINES, "more_caveats": more_caveats, "more_caveat_kinds": caveat_kinds(away, s),
            "more_incomplete": _files(rest_incomplete, first + [x for p, x in shown_ if p == "incomplete"]),
            "more_incomplete_kinds": list({label(x["kind"]): None for x in rest_incomplete}),
            "printed": math.ceil(used)}
