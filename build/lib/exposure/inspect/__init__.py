"""`exposure inspect`: what a published spreadsheet, document or PDF really exposed.

`inspect_file` hashes the file, recognises its type from its bytes (never its name), runs the matching
inspector (xlsx, docx, pdf, text) for hiding techniques, and counts personal data per category and area.
The file is only read. Malformed, encrypted and unsupported files raise `InspectError`; large ones are
scanned up to `Limits` and say so in `notes`.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from ..errors import InputError, InspectError
from .model import CategoryCount, Finding, Inspection, Limits, Value, mask
from .personal import SUBJECTS_RULE, count_categories

__all__ = ["CategoryCount", "Finding", "Inspection", "Limits", "Value", "inspect_file", "mask", "SUBJECTS_RULE"]
MAX_FILE_BYTES = 2 << 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read(path: Path) -> tuple[bytes, str]:
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if not path.is_file():
        raise InputError(f"not a regular file: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InspectError(f"{path} is {size} bytes; inspect reads files up to {MAX_FILE_BYTES} bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return data, hashlib.sha256(data).hexdigest()


def inspect_file(path: str | os.PathLike[str], show_values: bool = False, limits: Limits | None = None) -> Inspection:
    """Inspect one file; see the module docstring. Samples are masked unless `show_values`."""
    limits = limits or Limits()
    p = Path(path)
    data, sha = _read(p)
    insp = Inspection(path=str(path), doc_type="unknown", size_bytes=len(data), sha256=sha, show_values=show_values)
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise InspectError(f"{path} is an encrypted (password-protected) Office document: "
                               "decrypt it first (the hash of the encrypted file is still the evidence)")
        raise InspectError(f"{path} is a legacy binary Office file (.xls/.doc): save it as .xlsx/.docx to inspect")
    if b"%PDF-" in data[:1024]:
        from .pdf import inspect_pdf

        insp.doc_type = "pdf"
        inspect_pdf(data, insp, limits)
    elif data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        from .ooxml import Package

        pkg = Package(io.BytesIO(data), limits)
        if pkg.has("xl/workbook.xml"):
            from .xlsx import inspect_xlsx

            insp.doc_type = "xlsm" if pkg.has("xl/vbaProject.bin") else "xlsx"
            if insp.doc_type == "xlsm":
                insp.notes.append("the workbook contains macros (xl/vbaProject.bin); they were not run or read")
            inspect_xlsx(pkg, insp)
        elif pkg.has("word/document.xml"):
            from .docx import inspect_docx

            insp.doc_type = "docx"
            inspect_docx(pkg, insp)
        else:
            raise InspectError(f"{path} is a zip file but not a spreadsheet (.xlsx) or Word document (.docx)")
    else:
        from .text import decode, inspect_text

        text = decode(data[: limits.max_text_bytes])
        if text is None:
            raise InspectError(f"{path}: unsupported file type (not xlsx, docx, pdf, csv or text)")
        if len(data) > limits.max_text_bytes:
            insp.complete = False
            insp.notes.append(f"only the first {limits.max_text_bytes} bytes were read (limit)")
        inspect_text(text, insp, limits)
    insp.categories, insp.data_subjects_estimate, insp.records_by_area = count_categories(insp.values, show_values)
    insp.records = sum(insp.records_by_area.values())
    return insp
