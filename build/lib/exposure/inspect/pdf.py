"""PDF: text drawn and then covered (failed black-box redaction), text coloured like what is behind it,
annotations, metadata, and incremental updates that keep earlier versions of the document.

Drawing order decides "covered": pdfminer lists a page's objects in content-stream order, so a filled
rectangle or image drawn after a character and containing its centre hides it; one drawn before is its
background. Only the first `Limits.max_pages` pages are read for text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..errors import InspectError
from . import colours
from .model import HIDDEN, SAMPLE_SIZE, VISIBLE, WHITED_OUT, Finding, Inspection, Limits, Value

TECHNIQUES = {
    "covered_text": "text under a filled rectangle or image drawn after it (failed redaction): it can be "
                    "selected, copied and extracted",
    "background_coloured_text": "text in the same colour as what is behind it (e.g. white on white)",
    "near_invisible_text": "text colour barely differs from what is behind it (contrast under 1.5:1)",
}
ANNOTATION_SKIP = {"/Link", "/Widget", "/Popup"}
PERSON_KEYS = ("/Author",)
GENERATORS = {"", "anonymous", "unknown", "user", "author"}


def _flatten(items: Any) -> Iterator[Any]:
    from pdfminer.layout import LTFigure

    for item in items:
        yield item
        if isinstance(item, LTFigure):
            yield from _flatten(item)


def _inside(bbox: tuple[float, float, float, float], x: float, y: float) -> bool:
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _page_chars(layout: Any) -> list[tuple[str, float, float, float, str]]:
    """(char, x0, y-centre, size, technique or '') for one page."""
    from pdfminer.layout import LTChar, LTCurve, LTImage

    covers: list[tuple[int, tuple[float, float, float, float], colours.RGB | None]] = []
    chars: list[tuple[int, Any]] = []
    for i, obj in enumerate(_flatten(layout)):
        if isinstance(obj, LTChar):
            chars.append((i, obj))
        elif isinstance(obj, LTCurve) and getattr(obj, "fill", False):
            covers.append((i, obj.bbox, colours.from_pdf(getattr(obj, "non_stroking_color", None))))
        elif isinstance(obj, LTImage):
            covers.append((i, obj.bbox, None))
    out = []
    for i, ch in chars:
        text = ch.get_text()
        if not text.strip():
            continue
        x, y = (ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2
        kind = ""
        over = [c for c in covers if _inside(c[1], x, y)]
        if any(idx > i for idx, _, _ in over):
            kind = "covered_text"
        else:
            behind = [c for c in over if c[0] < i]
            bg = behind[-1][2] if behind else colours.WHITE
            colour = colours.from_pdf(getattr(ch.graphicstate, "ncolor", None)) if bg is not None else None
            vis = colours.visibility(colour, bg) if bg is not None else None
            kind = {"same_colour": "background_coloured_text", "near_invisible": "near_invisible_text"}.get(vis or "",
                                                                                                        "")
        out.append((text, ch.x0, y, ch.size, kind))
    return out


def _lines(chars: list[tuple[str, float, float, float, str]]) -> dict[tuple[str, int], str]:
    """Group characters into lines per technique: (technique, rounded y) -> text with word gaps."""
    groups: dict[tuple[str, int], list[tuple[float, str, float]]] = {}
    for text, x0, y, size, kind in chars:
        groups.setdefault((kind, round(y / 2)), []).append((x0, text, size))
    out = {}
    for key, items in groups.items():
        items.sort()
        parts, prev_end = [], None
        for x0, text, size in items:
            if prev_end is not None and x0 - prev_end > size * 0.25:
                parts.append(" ")
            parts.append(text)
            prev_end = x0 + size * 0.5 * len(text)
        out[key] = "".join(parts)
    return out


def _revisions(data: bytes) -> list[int]:
    """End offsets of each revision (after its %%EOF); a linearized file's first-page xref is not a revision."""
    ends = [m.end() for m in re.finditer(rb"%%EOF[ \t]*\r?\n?", data)]
    if b"/Linearized" in data[:2048] and len(ends) > 1:
        ends = ends[1:]
    return ends


def _words(pdf_bytes: bytes, max_pages: int) -> Counter[str]:
    import pdfplumber

    words: Counter[str] = Counter()
    with pdfplumber.open(io.BytesIO(pdf_bytes), password="") as doc:
        for page in doc.pages[:max_pages]:
            words.update((page.extract_text() or "").split())
    return words


def inspect_pdf(data: bytes, insp: Inspection, limits: Limits) -> None:
    import pdfplumber
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    limits_pages = limits.max_pages
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (PyPdfError, NotImplementedError) as exc:
                raise InspectError(f"encrypted PDF that cannot be opened ({exc})") from None
            if not ok:
                raise InspectError("encrypted PDF: it needs a password to open")
            insp.notes.append("encrypted with an empty user password: anyone can open it")
        n_pages = len(reader.pages)
        annots = _annotations(reader, insp)
        meta = reader.metadata or {}
    except InspectError:
        raise
    except Exception as exc:  # pypdf raises many types on hostile input; all mean the same to the user
        raise InspectError(f"damaged PDF: {type(exc).__name__}: {exc}") from None
    insp.properties = {k.lstrip("/").lower(): str(v) for k, v in sorted(meta.items()) if v is not None
                       and str(v).strip()}
    if n_pages > limits_pages:
        insp.complete = False
        insp.notes.append(f"text read from the first {limits_pages} of {n_pages} pages (limit)")
    accs: dict[str, tuple[int, set[str], list[str]]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as doc:
            for pno, page in enumerate(doc.pages[:limits_pages], start=1):
                chars = _page_chars(page.layout)
                for (kind, y), text in sorted(_lines(chars).items(), key=lambda kv: (-kv[0][1], kv[0][0])):
                    area = {"covered_text": HIDDEN, "": VISIBLE}.get(kind, WHITED_OUT)
                    record = f"page {pno} line {y}"
                    insp.values.append(Value(record, "", None, text, area))
                    if kind:
                        count, lines, samples = accs.get(kind, (0, set(), []))
                        lines.add(record)
                        if len(samples) < SAMPLE_SIZE:
                            samples.append(text)
                        accs[kind] = (count + sum(1 for c in text if not c.isspace()), lines, samples)
                page.close()
    except InspectError:
        raise
    except Exception as exc:
        raise InspectError(f"damaged PDF: {type(exc).__name__}: {exc}") from None
    for kind, text in TECHNIQUES.items():
        if kind in accs:
            count, lines, samples = accs[kind]
            pages = sorted({int(r.split()[1]) for r in lines})
            insp.findings.append(Finding(kind, "pages " + ", ".join(map(str, pages[:20])), text, None, count,
                                         len(lines), unit="characters", samples=[insp.sample(s) for s in samples]))
    if annots:
        insp.findings.append(annots)
    author = {k: str(meta[k]) for k in PERSON_KEYS if k in meta and str(meta[k]).strip().lower() not in GENERATORS}
    if author:
        insp.findings.append(Finding("document_properties", "metadata", "the metadata names the author",
                                     cells=len(author), unit="properties",
                                     samples=[f"{k.lstrip('/').lower()}: {insp.sample(v)}" for k, v in author.items()]))
    _incremental(data, insp, limits_pages)


def _annotations(reader: Any, insp: Inspection) -> Finding | None:
    found: list[tuple[int, str, str]] = []
    for pno, page in enumerate(reader.pages, start=1):
        annots = page.get("/Annots")
        if annots is None:
            continue
        for ref in annots.get_object() if hasattr(annots, "get_object") else annots:
            annot = ref.get_object()
            subtype = str(annot.get("/Subtype", "?"))
            if subtype in ANNOTATION_SKIP:
                continue
            text = " ".join(str(annot[k]) for k in ("/T", "/Contents") if k in annot and str(annot[k]).strip())
            found.append((pno, subtype.lstrip("/"), text))
    if not found:
        return None
    for pno, _, text in found:
        if text:
            insp.values.append(Value(f"annotation page {pno}", "", None, text, HIDDEN))
    kinds = Counter(k for _, k, _ in found)
    return Finding("annotations", "pages " + ", ".join(sorted({str(p) for p, _, _ in found}, key=int)),
                   "annotations (comments, notes, markup): " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
                   cells=len(found), rows=len(found), unit="annotations",
                   samples=[insp.sample(t) for _, _, t in found if t][:SAMPLE_SIZE])


def _incremental(data: bytes, insp: Inspection, max_pages: int) -> None:
    ends = _revisions(data)
    if len(ends) < 2:
        return
    desc = (f"{len(ends)} revisions (incremental updates, ending at bytes "
            + ", ".join(map(str, ends[:10])) + "): earlier versions stay in the file")
    removed: Counter[str] = Counter()
    try:
        final = _words(data, max_pages)
        for end in ends[:-1]:
            earlier = _words(data[:end], max_pages)
            removed.update(earlier - final)
    except Exception:  # noqa: BLE001 (an earlier revision that cannot be read is still reported as present)
        desc += "; an earlier revision could not be read on its own"
    if removed:
        text = " ".join(sorted(removed))
        insp.values.append(Value("earlier revisions", "", None, text, HIDDEN))
        desc += f"; {sum(removed.values())} words appear in an earlier revision but not in the final one"
    insp.findings.append(Finding("incremental_updates", "file", desc, None, sum(removed.values()), len(ends),
                                 unit="words removed", samples=[insp.sample(w) for w in sorted(removed)[:SAMPLE_SIZE]]))
