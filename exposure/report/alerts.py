"""Page 1's alert boxes inside its budget of printed lines: evidence files changed or missing since ingest, and a
seal of the case file that does not hold.

Both must be read on page 1 (a regulator must learn there that the evidence changed), so each box, its title, its
sentence (with how many files or differences) and the line pointing to where every one is named claim page 1's
room first (report/model.py gives the status list its least beside them); the files and differences named one by
one are shown while they fit and counted past it. Page 1 names a file by its path cut to PAGE_ONE_PATH (as the
status list names a file) and its SHA-256 hashes by their first HASH_SHOWN digits: the evidence register (section 9) has each whole, and every
difference of the seal, as do the JSON answer (seal.findings) and `exposure verify`. Six changed files with two whole hashes
each and a 272-character path took 30 printed lines and pushed the status list 35 lines onto page 2.
"""

from __future__ import annotations

from typing import Any

from ..findings import REHASH_KINDS, SEAL_KIND
from .html import PAGE_ONE_PATH
from .i18n import Strings
from .pagebudget import COUNTED, alert, item, shown, width

# files changed or missing page 1 names at most, and differences of a seal that does not hold
EVIDENCE_SHOWN = 6
SEAL_SHOWN = 5
# hex digits of a SHA-256 page 1 shows (the evidence register shows all 64)
HASH_SHOWN = 16
# characters of a difference of the seal page 1 shows (it may quote a path: 'evidence 3 (PATH): request rows ...')
SEAL_FINDING = PAGE_ONE_PATH


def short_hash(digest: str | None) -> str | None:
    """A SHA-256 as page 1 shows it: its first HASH_SHOWN hex digits and an ellipsis."""
    return digest[:HASH_SHOWN] + "…" if digest and len(digest) > HASH_SHOWN else digest


def _file(p: dict[str, Any]) -> dict[str, Any]:
    return {"path": p["path"], "status": p["status"], "recorded": short_hash(p.get("recorded_sha256")),
            "current": short_hash(p.get("current_sha256"))}


def _file_chars(f: dict[str, Any], s: Strings) -> int:
    """Columns (pagebudget.width) of one file's line in the evidence alert as the template writes it."""
    now = width(s["sha256_now"]) + width(f["current"]) + 3 if f["current"] else 0
    return (width(shown(f["path"], PAGE_ONE_PATH, s)) + width(s["status_" + f["status"]]) + 5
            + width(s["sha256_ingest"]) + width(f["recorded"] or "") + 1 + now)


def said_by_alerts(problems: list[Any], seal: dict[str, Any]) -> frozenset[str]:
    """The kinds of finding page 1's alert boxes say (the status list leaves them to the boxes, never twice)."""
    return frozenset((REHASH_KINDS if problems else ()) + (() if seal.get("holds", True) else (SEAL_KIND,)))


def page_one_alerts(problems: list[dict[str, Any]], seal: dict[str, Any], s: Strings, room: float) -> dict[str, Any]:
    """Page 1's alert boxes in `room` printed lines: `problems` the evidence files changed or missing (each
    Verification's fields), `seal` the answer's seal. Each box, its sentence and where every one is named are
    there whatever the room (with no file or difference named, that pointer ends the box's sentence); its files
    (`evidence.shown`) and differences (`seal.shown`) are named while they fit, the first of each before the rest
    of either, the others counted in a line of their own (`more`). `printed`: the lines the boxes take."""
    differences = [] if seal.get("holds", True) else list(seal.get("findings") or [])
    boxes: list[tuple[str, str, str]] = []  # (part, title, sentence with the pointer when none is named)
    if problems:
        boxes.append(("file", s["evidence_bad"], s.f("evidence_bad_detail", n=len(problems)) + " "
                      + s.f("evidence_bad_none_named", n=len(problems))))
    if not seal.get("holds", True):
        boxes.append(("seal", s["seal_bad"], s.f("seal_bad_counted", n=len(differences)) if differences
                      else s["seal_bad_detail"]))
    lines = sum(alert(title, said) for _, title, said in boxes)
    files = [_file(p) for p in problems[:EVIDENCE_SHOWN]]
    said = differences[:SEAL_SHOWN]
    order = [("file", f) for f in files[:1]] + [("seal", d) for d in said[:1]] + \
        [("file", f) for f in files[1:]] + [("seal", d) for d in said[1:]]
    named: dict[str, list[Any]] = {"file": [], "seal": []}
    for part, x in order:
        # the first one named makes the box a list: a line of its own for the pointer or the count
        cost = item(_file_chars(x, s) if part == "file" else width(shown(x, SEAL_FINDING, s))) + \
            (0 if named[part] else COUNTED)
        if lines + cost > room:
            break
        named[part].append(x)
        lines += cost
    return {"evidence": {"shown": named["file"], "more": len(problems) - len(named["file"]), "total": len(problems)},
            "seal": {"shown": named["seal"], "more": len(differences) - len(named["seal"]),
                     "total": len(differences)},
            "printed": lines}
