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
from pathlib import Path

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


def write_pdf(html_text: str, path: Path) -> None:
    from weasyprint import HTML

    # WeasyPrint and fontTools log every font subset at INFO/WARNING; the report's own warnings are enough.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    identifier = hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:32].encode("ascii")
    HTML(string=html_text, base_url=None).write_pdf(str(path), pdf_identifier=identifier,
                                                    uncompressed_pdf=False)
