"""CSV and plain text: nothing can be hidden, but the personal data in them still counts (all visible)."""

from __future__ import annotations

import csv
import io

from .model import VISIBLE, Inspection, Limits, Value
from .personal import header_category

DELIMITERS = ",;\t|"


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252; None when the bytes are binary."""
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(sample: str) -> csv.Dialect | None:
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return None
    rows = list(csv.reader(io.StringIO(sample), dialect))[:20]
    widths = {len(r) for r in rows if r}
    return dialect if len(widths) == 1 and widths.pop() > 1 else None


def inspect_text(text: str, insp: Inspection, limits: Limits) -> None:
    """Count every field (CSV) or line (plain text) as a visible value; stop at `limits.max_cells`."""
    dialect = _dialect(text[:65536])
    insp.doc_type = "csv" if dialect else "text"
    budget = limits.max_cells
    if dialect is None:
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                insp.values.append(Value(f"line {n}", "", None, line, VISIBLE))
                budget -= 1
                if budget <= 0:
                    break
    else:
        headers: dict[int, str] = {}
        for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if n == 1 and any(header_category(c) for c in row):
                headers = dict(enumerate(row))
                continue
            for i, cell in enumerate(row):
                if cell.strip():
                    insp.values.append(Value(f"line {n}", f"col {i + 1}", headers.get(i), cell.strip(), VISIBLE))
                    budget -= 1
            if budget <= 0:
                break
    if budget <= 0:
        insp.complete = False
        insp.notes.append(f"scan stopped after {limits.max_cells} values (limit): counts are lower bounds")
