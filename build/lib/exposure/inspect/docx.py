"""DOCX: text a reader of the document did not see but the file still holds.

Hidden text (`w:vanish`), tracked deletions and insertions not yet accepted, comments, text coloured like
its background (run shading, highlight, page background, else white), tiny text, and the people named in
the document properties. Body, headers, footers, footnotes and endnotes are read. Styles that hide text
(a character style with `w:vanish`) are not followed: only direct formatting is judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InspectError
from . import colours
from .model import HIDDEN, SAMPLE_SIZE, VISIBLE, WHITED_OUT, Finding, Inspection, Value
from .ooxml import NS, Package, record_properties

_W = f"{{{NS['w']}}}"
TINY_HALF_POINTS = 8  # 4 pt
HIGHLIGHT = {"white": "FFFFFF", "black": "000000", "yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF",
             "magenta": "FF00FF", "blue": "0000FF", "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080",
             "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
             "darkGray": "808080", "lightGray": "C0C0C0"}
TECHNIQUES = {
    "hidden_text": "text formatted as hidden (w:vanish): not shown or printed unless 'show hidden text' is on",
    "tracked_deletion": "deleted text kept as a tracked change: the file still holds it",
    "tracked_insertion": "inserted text kept as a tracked change (with author and date)",
    "white_text": "text in the same colour as its background",
    "near_invisible_text": "text colour barely differs from its background (contrast under 1.5:1)",
    "tiny_text": "text under 4 pt",
}


@dataclass
class _Acc:
    runs: int = 0
    chars: int = 0
    paragraphs: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    samples: list[str] = field(default_factory=list)


def _on(el: Any) -> bool:
    return el is not None and el.get(_W + "val", "true") not in ("0", "false", "off")


def _run_text(run: Any) -> str:
    out = []
    for child in run.iter(_W + "t", _W + "delText", _W + "tab", _W + "br"):
        if child.tag in (_W + "t", _W + "delText"):
            out.append(child.text or "")
        else:
            out.append("\t" if child.tag == _W + "tab" else "\n")
    return "".join(out)


def _techniques(run: Any, page_bg: colours.RGB) -> list[str]:
    kinds = []
    ancestors = {a.tag for a in run.iterancestors()}
    if _W + "del" in ancestors or _W + "moveFrom" in ancestors:
        kinds.append("tracked_deletion")
    if _W + "ins" in ancestors or _W + "moveTo" in ancestors:
        kinds.append("tracked_insertion")
    rpr = run.find(_W + "rPr")
    if rpr is None:
        return kinds
    if _on(rpr.find(_W + "vanish")) or _on(rpr.find(_W + "specVanish")):
        kinds.append("hidden_text")
    colour_el = rpr.find(_W + "color")
    text_colour = None
    if colour_el is not None and colour_el.get(_W + "val", "auto") != "auto":
        text_colour = colours.from_hex(colour_el.get(_W + "val"))
    background = page_bg
    shd = rpr.find(_W + "shd")
    if shd is not None and shd.get(_W + "fill", "auto") not in ("auto", ""):
        background = colours.from_hex(shd.get(_W + "fill")) or background
    hl = rpr.find(_W + "highlight")
    if hl is not None and hl.get(_W + "val") in HIGHLIGHT:
        background = colours.from_hex(HIGHLIGHT[hl.get(_W + "val")]) or background
    vis = colours.visibility(text_colour, background)
    if vis:
        kinds.append("white_text" if vis == "same_colour" else "near_invisible_text")
    sz = rpr.find(_W + "sz")
    if sz is not None and (sz.get(_W + "val") or "").isdigit() and int(sz.get(_W + "val")) < TINY_HALF_POINTS:
        kinds.append("tiny_text")
    return kinds


def _tables(root: Any) -> dict[Any, tuple[str, int, str | None]]:
    """Table cell element -> (record key, column, header text) for tables with a first row of headers."""
    out = {}
    for ti, tbl in enumerate(root.iter(_W + "tbl")):
        rows = tbl.findall(_W + "tr")
        if not rows:
            continue
        headers = ["".join(t.text or "" for t in tc.iter(_W + "t")).strip() for tc in rows[0].findall(_W + "tc")]
        for ri, tr in enumerate(rows):
            for ci, tc in enumerate(tr.findall(_W + "tc")):
                out[tc] = (f"table {ti + 1} row {ri + 1}", ci, headers[ci] if ri > 0 and ci < len(headers) else None)
    return out


def _scan_part(pkg: Package, part: str, insp: Inspection, accs: dict[str, _Acc]) -> None:
    root = pkg.xml(part)
    bg_el = root.find(_W + "background")
    page_bg = colours.from_hex(bg_el.get(_W + "color")) if bg_el is not None and bg_el.get(_W + "color") else None
    page_bg = page_bg or colours.WHITE
    cells = _tables(root)
    short = part.rsplit("/", 1)[-1]
    for pi, para in enumerate(root.iter(_W + "p")):
        tc = next((a for a in para.iterancestors(_W + "tc")), None)
        if tc is not None and tc in cells:
            record, col, header = cells[tc]
            record, column = f"{short} {record}", f"{short} col {col + 1}"
        else:
            record, column, header = f"{short} paragraph {pi + 1}", "", None
        by_area: dict[str, list[str]] = {}
        for run in para.iter(_W + "r"):
            text = _run_text(run)
            if not text:
                continue
            kinds = _techniques(run, page_bg)
            area = VISIBLE
            if {"tracked_deletion", "hidden_text"} & set(kinds):
                area = HIDDEN
            elif {"white_text", "near_invisible_text", "tiny_text"} & set(kinds):
                area = WHITED_OUT
            by_area.setdefault(area, []).append(text)
            ancestor = next((a for a in run.iterancestors(_W + "del", _W + "ins", _W + "moveFrom", _W + "moveTo")),
                            None)
            for kind in kinds:
                acc = accs.setdefault(kind, _Acc())
                acc.runs += 1
                acc.chars += len(text)
                acc.paragraphs.add(record)
                if ancestor is not None and kind.startswith("tracked") and ancestor.get(_W + "author"):
                    acc.authors.add(ancestor.get(_W + "author"))
                if len(acc.samples) < SAMPLE_SIZE:
                    acc.samples.append(text)
        for area, parts in by_area.items():
            insp.values.append(Value(record, column, header, "".join(parts), area))


def inspect_docx(pkg: Package, insp: Inspection) -> None:
    if not pkg.has("word/document.xml"):
        raise InspectError("damaged Word document: word/document.xml is missing")
    rels = pkg.rels("word/document.xml")
    parts = ["word/document.xml"] + sorted(
        t for kind, t, mode in rels.values()
        if mode != "External" and kind in ("header", "footer", "footnotes", "endnotes") and pkg.has(t))
    accs: dict[str, _Acc] = {}
    for part in parts:
        _scan_part(pkg, part, insp, accs)
    for kind, text in TECHNIQUES.items():
        acc = accs.get(kind)
        if acc is None:
            continue
        extra = f"; authors: {len(acc.authors)}" if acc.authors else ""
        insp.findings.append(Finding(kind, "document", f"{text}{extra}", None, acc.chars, len(acc.paragraphs),
                                     unit="characters", samples=[insp.sample(s) for s in acc.samples]))
    comments_part = next((t for kind, t, mode in rels.values() if kind == "comments" and mode != "External"), None)
    if comments_part and pkg.has(comments_part):
        comments = pkg.xml(comments_part).findall("w:comment", NS)
        texts = ["".join(t.text or "" for t in c.iter(_W + "t")) for c in comments]
        authors = {c.get(_W + "author") for c in comments if c.get(_W + "author")}
        for i, text in enumerate(texts):
            insp.values.append(Value(f"comment {i + 1}", "", None, text, HIDDEN))
        if comments:
            insp.findings.append(Finding("comments", comments_part, "comments kept in the document"
                                         + (f"; authors: {len(authors)}" if authors else ""),
                                         cells=len(comments), rows=len(comments), unit="comments",
                                         samples=[insp.sample(t) for t in texts[:SAMPLE_SIZE]]))
    record_properties(pkg, insp)
