"""What an inspection returns: findings (hiding techniques), cells seen, personal-data categories.

Every inspector (xlsx, docx, pdf, text) fills the same `Inspection`; `personal.py` counts categories from the
`Value`s it collected. Samples are masked unless the investigator asks for the values (`show_values`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

VISIBLE = "visible"
HIDDEN = "hidden"  # structurally hidden: hidden sheet/row/column, vanished text, covered by a rectangle
WHITED_OUT = "whited-out"  # present and "shown" but unreadable: text colour equals background, tiny font
AREAS = (VISIBLE, HIDDEN, WHITED_OUT)
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Limits:
    """Bounds that keep an inspection finite; hitting one is said in `Inspection.notes`."""

    max_cells: int = 5_000_000  # spreadsheet cells (or CSV fields) scanned
    max_part_bytes: int = 512 << 20  # uncompressed size of one XML part read from a zip container
    max_pages: int = 2_000  # PDF pages scanned for text
    max_text_bytes: int = 256 << 20  # CSV / plain text read


@dataclass
class Value:
    """One non-empty cell, paragraph or text line, with where it sits and whether a reader could see it."""

    record: str  # the row (sheet!row), paragraph or line the value belongs to: a record for counting
    column: str  # sheet!column, or "" for running text
    header: str | None  # the column header, when one was found
    text: str
    area: str  # visible | hidden | whited-out
    is_date: bool = False  # the cell held a date (spreadsheet date format or datetime)


@dataclass
class Finding:
    """One hiding technique (or revealing artefact) found in the file."""

    kind: str  # e.g. hidden_rows, white_text, covered_text, tracked_deletion
    where: str  # sheet name, part or page
    description: str
    range: str | None = None  # A1-style range or page region
    cells: int = 0  # cells, runs, characters or objects concerned (see unit)
    rows: int = 0  # rows (records) concerned
    unit: str = "cells"
    samples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CategoryCount:
    """Personal data of one category found in the file (an automated estimate; `rule` says how)."""

    category: str
    rule: str
    values: int = 0
    records: int = 0
    records_visible: int = 0
    records_hidden: int = 0
    records_whited_out: int = 0
    values_visible: int = 0
    values_hidden: int = 0
    values_whited_out: int = 0
    samples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Inspection:
    path: str
    doc_type: str  # xlsx | docx | pdf | csv | text
    size_bytes: int
    sha256: str
    show_values: bool = False
    findings: list[Finding] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    categories: list[CategoryCount] = field(default_factory=list)
    records: int = 0  # rows / paragraphs / lines with at least one value
    records_by_area: dict[str, int] = field(default_factory=dict)
    data_subjects_estimate: int = 0
    complete: bool = True  # False when a limit stopped the scan
    notes: list[str] = field(default_factory=list)
    values: list[Value] = field(default_factory=list, repr=False)  # input to personal.py; not serialised

    def finding(self, kind: str) -> Finding | None:
        return next((f for f in self.findings if f.kind == kind), None)

    def findings_of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def category(self, name: str) -> CategoryCount | None:
        return next((c for c in self.categories if c.category == name), None)

    def sample(self, text: str) -> str:
        return text if self.show_values else mask(text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "doc_type": self.doc_type, "size_bytes": self.size_bytes, "sha256": self.sha256,
            "values_shown": self.show_values, "complete": self.complete, "notes": list(self.notes),
            "properties": dict(self.properties),
            "findings": [f.to_dict() for f in self.findings],
            "records": self.records, "records_by_area": dict(self.records_by_area),
            "data_subjects_estimate": self.data_subjects_estimate,
            "personal_data": [c.to_dict() for c in self.categories],
        }


_WORD_CHAR = re.compile(r"\w", re.UNICODE)


def mask(text: str, limit: int = 60) -> str:
    """Keep the first character of each word and the punctuation; replace other letters and digits by '*'.

    Enough for an investigator to see the shape ("J** d* V****", "0*-********") without the value.
    """
    out = []
    prev_word = False
    for ch in text[:limit]:
        is_word = bool(_WORD_CHAR.match(ch))
        out.append("*" if is_word and prev_word else ch)
        prev_word = is_word
    return "".join(out) + ("…" if len(text) > limit else "")


def clip(text: str, limit: int = 60) -> str:
    return text[:limit] + ("…" if len(text) > limit else "")


def a1_column(index: int) -> str:
    """1 -> A, 27 -> AA."""
    name = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def a1_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def row_spans(rows: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9' (at most a few spans, then a count)."""
    spans: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if spans and r == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    parts = [f"{a}-{b}" if a != b else str(a) for a, b in spans[:6]]
    if len(spans) > 6:
        parts.append(f"… ({len(spans)} spans)")
    return ", ".join(parts)
