"""The PDF, rendered by WeasyPrint from the same template as the HTML with the print stylesheet.

Print CSS gives page numbers, a running header (case id and report version) and table headers repeated on
every page. The document's metadata carries the pinned generation time, and the PDF identifier is derived
from the HTML, so the same inputs give the same PDF as far as WeasyPrint allows.

WeasyPrint draws with the Pango system library; where it cannot be loaded (a fresh machine) the PDF is left
out and the reason said, the rest of the report is written (`pdf_unavailable`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from math import ceil, floor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from weasyprint.document import Document

PANGO_HINT = ("install Pango (Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) "
              "and write the report again; report.html holds the same report")


def pdf_unavailable() -> str | None:
    """Why no PDF can be drawn on this machine (WeasyPrint or the Pango library it loads is missing), else None."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi: OSError when the library is not installed)
    except (OSError, ImportError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"WeasyPrint cannot draw it on this machine ({first}): {PANGO_HINT}"
    return None


# the element the template puts after page 1's evidence status (its list, alerts and notes): it must be on page 1
PAGE_ONE_END = "page-one-end"
# a printed line of page 1's body text (11 pt) in CSS pixels, WeasyPrint's unit of layout
LINE_PX = 11 * 96 / 72
# times page 1 is laid out again with less room before the last layout is written as it is
TRIES = 4


class PdfError(Exception):
    """The laid-out document lacks what the report's PDF needs (the template lost page 1's end marker)."""


def layout(html_text: str) -> Document:
    """The report laid out in pages as its PDF prints it."""
    from weasyprint import HTML

    # WeasyPrint and fontTools log every font subset at INFO/WARNING; the report's own warnings are enough.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML(string=html_text, base_url=None).render()


def spilled(document: Document) -> int:
    """Printed lines page 1's evidence status runs past page 1 in `document` (0: its end is on page 1), measured
    from the layout: the lines of every page before the one its end lies on, and its height on that page."""
    number, box, end, before = _page_one_end(document)
    return 0 if number == 0 else ceil(before + (end.position_y - box.content_box_y()) / LINE_PX)


def room_left(document: Document) -> int:
    """Whole printed lines left free on page 1 below its end marker in `document` (0 where page 1 runs over)."""
    number, box, end, _ = _page_one_end(document)
    return floor((box.content_box_y() + box.height - end.position_y) / LINE_PX) if number == 0 else 0


def _page_one_end(document: Document) -> tuple[int, Any, Any, float]:
    """The page page 1's end marker lies on (its number and laid-out page box), the marker's box, and the printed
    lines of the pages between page 1 and that page."""
    before = 0.0
    for number, page in enumerate(document.pages):
        box = page._page_box  # WeasyPrint's laid-out boxes: the only way to find where an element lies
        for child in box.descendants():
            if getattr(child, "element", None) is not None and child.element.get("id") == PAGE_ONE_END:
                return number, box, child, before
        if number:
            before += box.height / LINE_PX
    raise PdfError(f"the report's layout has no element '{PAGE_ONE_END}' marking the end of page 1's status")


def fitted(render: Callable[[int], str]) -> tuple[str, Document, int]:
    """The HTML `render` makes for page 1 given up that many printed lines (report/pagebudget.py's estimate can
    be beaten: wide glyphs, a long headline), its layout, and the printed lines page 1's status still runs past
    page 1 (0 where it fits; the caller says any other number): laid out with no lines given up first, then,
    while the status runs past page 1, again with the lines it ran over given up too, TRIES times at most; where
    page 1 then fits with lines free at its foot (the estimate ran long), once more with all but one of them given
    back, kept where it still fits. The same inputs give the same lines, so the same bytes."""
    less = 0
    html_text = render(less)
    document = layout(html_text)
    over = spilled(document)
    for _ in range(TRIES):
        if not over:
            break
        less += over + 1  # the line a block broken across the page's foot leaves empty
        html_text = render(less)
        document = layout(html_text)
        over = spilled(document)
    if not over and (spare := room_left(document) - 1) > 0:
        # the estimate ran long and page 1 has room at its foot: what it counted away may fit (a damaged file
        # named, not counted); laid out once more with that room, kept only where it still fits
        wider = render(less - spare)
        if wider != html_text:
            wider_document = layout(wider)
            if not spilled(wider_document):
                return wider, wider_document, 0
            render(less)  # the caller's model is the one of the HTML returned
    return html_text, document, over


def write_pdf(html_text: str, path: Path, document: Document | None = None) -> None:
    """The PDF of `html_text` (its layout `document` where made already: the one page 1 was fitted in)."""
    identifier = hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:32].encode("ascii")
    (document or layout(html_text)).write_pdf(str(path), pdf_identifier=identifier, uncompressed_pdf=False)
