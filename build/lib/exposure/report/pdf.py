"""The PDF, rendered by WeasyPrint from the same template as the HTML with the print stylesheet.

Print CSS gives page numbers, a running header (case id and report version) and table headers repeated on
every page. The document's metadata carries the pinned generation time, and the PDF identifier is derived
from the HTML, so the same inputs give the same PDF as far as WeasyPrint allows.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from weasyprint import HTML


def write_pdf(html_text: str, path: Path) -> None:
    # WeasyPrint and fontTools log every font subset at INFO/WARNING; the report's own warnings are enough.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    identifier = hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:32].encode("ascii")
    HTML(string=html_text, base_url=None).write_pdf(str(path), pdf_identifier=identifier,
                                                    uncompressed_pdf=False)
