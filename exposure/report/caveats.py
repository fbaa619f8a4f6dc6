"""Page 1's caveats: the warnings of the answer (the case's, then each file's) in the report's language, a warning
said of several windows of one file folded into one line ('windows 1-6: no 200 GET ...'), one said of several files
said once (with their count), and the ones page 1 must carry (EVIDENCE.md 11, 17: answer.must_carry) marked."""

from __future__ import annotations

import re
from typing import Any

from ..answer import INFERRED_SUMS, SENT_NOT_RECEIVED, must_carry, sent_counts_sentence
from ..escaping import shorten_shown
from ..warningkinds import warning_kind
from . import wording
from .html import PAGE_ONE_PATH
from .i18n import Strings

# a value a caveat quotes that page 1 cuts (a path of hundreds of characters): a stretch without a space this long
_LONG_VALUE = re.compile(rf"\S{{{PAGE_ONE_PATH + 1},}}")
# a warning about one window (exposure/answer.py): 'window 3: no 200 GET ...', 'window 1 opens within ...'
_WINDOW = re.compile(r"window (\d+)([: ].*)", re.S)
# a warning about two windows that may be one (answer.reopened_elsewhere_sentence): one for each pair
_PAIR = re.compile(r"windows (\d+) and (\d+)(?: of --alias (.+?))? may be one: .*", re.S)
# partials that may together hold the file (answer._partials_adding_up): page 1 names the clients, section 1 says
# the rest (the pieces, the bytes, the range gap): its five lines cost page 1 the findings it named before it
_PARTIALS = re.compile(r"(window \d+(?: of --alias .+?)?: \d+ clients?'s? partial downloads may together hold the "
                       r"file) \((.+)\): a resume \(a 200 cut short, then a 206 for the rest\) and pieces more than "
                       r"\d+ minutes apart .*partials_adding_up\)", re.S)

# complete downloads resting on a count Apache's %b may have written (answer.sent_counts_sentence): page 1 says
# what complete means, section 1 why (the servers' counts) and what tells (%O, %X)
_SENT = re.compile(r"(.+? rests? on a body byte count alone \([^:]+?): Apache's %b .*?\): (.+?); a log with %O or "
                   r"%X tells", re.S)

SENT_KIND = "sent_not_received"


def sent_note(targets: list[dict[str, Any]], s: Strings) -> str | None:
    """Page 1's note on what its complete downloads rest on (answer.sent_counts_sentence: a body byte count Apache's
    %b may have written, no completion flag), in the report's language, beside the figures it qualifies: each
    file's counts summed where several have one (what complete means is one statement), None where none has.
    Built from the answer's fields (complete_on_sent_counts, sent_count_formats, totals.complete_downloads), the
    warning's own numbers; section 1 says each file's own warning, whole. It is not a finding about the evidence,
    so no line of the status list."""
    said = [t for t in targets if t.get("complete_on_sent_counts")]
    if not said:
        return None
    formats = sorted({f for t in said for f in t["sent_count_formats"]})
    one = sent_counts_sentence(sum(int(t["complete_on_sent_counts"]) for t in said),
                               sum(int(t["totals"]["complete_downloads"]) for t in said), formats)
    return wording.sentence(_page_one(one), s) or _page_one(one)


def _page_one(warning: str) -> str:
    """A warning as page 1 says it: the partials adding up with their clients alone, complete downloads resting on
    sent counts without why."""
    if m := _PARTIALS.fullmatch(warning):
        return f"{m[1]} ({'; '.join(i.split(': ')[0] for i in m[2].split('; '))})"
    if (m := _SENT.fullmatch(warning)) and SENT_NOT_RECEIVED in m[2]:
        return f"{m[1]}): {m[2]}"
    return warning


def spans(numbers: list[int]) -> str:
    """Window numbers as runs: [1, 2, 3, 5] -> '1-3, 5'."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _folded(warnings: list[str], s: Strings) -> list[tuple[str, bool, str]]:
    """Each warning in the report's language (with whether page 1 must carry it, and its kind: warningkinds), those
    that differ only in the window they name said once, naming every window ('windows 1-6: ...'), where the first
    was said."""
    warnings, folded = _pairs(warnings, s)
    windows: dict[str, list[int]] = {}
    for w in warnings:
        if m := _WINDOW.fullmatch(w):
            windows.setdefault(m[2], []).append(int(m[1]))
    out, done = [], set()
    for w in warnings:
        m = _WINDOW.fullmatch(w)
        numbers = windows.get(m[2], []) if m else []
        text = w if w in folded else wording.sentence(_page_one(w), s) or _page_one(w)
        if len(numbers) > 1:
            if m[2] in done:
                continue
            done.add(m[2])
            one = s.f("caveat_window", n=m[1])
            if text.startswith(one):  # a wording of this language for it: else each said as it is
                text = s.f("caveat_windows", windows=spans(numbers)) + _plural_verb(text[len(one):])
            else:
                done.discard(m[2])
        out.append((text, w in folded or must_carry(w), folded.get(w) or warning_kind(w)))
    return out


# the verbs a window's warning says of it with no colon between (answer.py: 'window 2 opens within the first hour
# ...'), in the report's languages, as said of several windows: 'windows 1-2 open ...' (red team 21: 'windows 1-2
# opens')
_PLURAL_VERBS = {" opens ": " open ", " begint ": " beginnen "}


def _plural_verb(rest: str) -> str:
    """What follows 'windows 1-2' in a folded warning: its verb in the plural where it has one."""
    for one, several in _PLURAL_VERBS.items():
        if rest.startswith(one):
            return several + rest[len(one):]
    return rest


def _pairs(warnings: list[str], s: Strings) -> tuple[list[str], dict[str, str]]:
    """The warnings with those about pairs of windows that may be one (one a pair, of one file or one --alias
    path) folded into one naming every pair, where the first was said (a load balancer's clocks can make dozens),
    and the folded ones (in the report's language already; page 1 must carry them: their clocks may differ) with
    their kind."""
    pairs: dict[str | None, list[re.Match[str]]] = {}
    for w in warnings:
        if m := _PAIR.fullmatch(w):
            pairs.setdefault(m[3], []).append(m)
    out: list[str] = []
    folded: dict[str, str] = {}
    for w in warnings:
        m = _PAIR.fullmatch(w)
        mine = pairs.get(m[3], []) if m else []
        if len(mine) < 2:
            out.append(w)
        elif mine[0].string == w:
            said = ", ".join(s.f("caveat_pair", a=p[1], b=p[2]) for p in mine)
            of = s.f("caveat_pairs_of", path=m[3]) if m[3] else ""
            out.append(s.f("caveat_pairs", n=len(mine), of=of, pairs=said))
            folded[out[-1]] = warning_kind(w)
    return out, folded


def caveats(warnings: list[str], targets: list[dict[str, Any]], s: Strings) -> list[dict[str, Any]]:
    """The warnings of the answer (the case's, then each file's: a GeoIP database older than the requests, a
    window that may have opened before the logs, responses without a method ...) as page 1's caveats, in the
    report's language: inferences and limits that change how the figures are read (`must`: one page 1 always
    says, report/pageone.py). Section 1 says them whole."""
    several = len(targets) > 1
    said: dict[str, dict[str, Any]] = {}
    # one target: page 1's answer sentence says a sum's inference; several: only the overview's bare counts do; what
    # complete downloads rest on: page 1's note beside the figures (sent_note)
    mine = [(None, _folded(warnings, s))] + [
        (t["path"], _folded([w for w in t["warnings"] if (several or INFERRED_SUMS not in w)
                             and warning_kind(w) != SENT_KIND], s)) for t in targets]
    for path, folded in mine:
        for text, must, kind in folded:
            if text in said:  # the same caveat for several files (a GeoIP database older than all): one line
                said[text]["files"] += 1
                said[text]["path"] = None
            else:
                said[text] = {"kind": "caveat", "path": path if several else None, "text": text, "files": 1,
                              "must": must, "warning_kind": kind}
    return [{**c, "text": _cut(c["text"], s) + (s.f("caveat_files", n=c["files"]) if c["files"] > 1 else "")}
            for c in said.values()]


def _cut(text: str, s: Strings) -> str:
    """A caveat with each long value it quotes (a path) cut to PAGE_ONE_PATH, its own wording whole."""
    return _LONG_VALUE.sub(lambda m: shorten_shown(m[0], PAGE_ONE_PATH, s["characters"]), text)
