"""The inspection as JSON (schema exposure.inspection/1); on the terminal it is exposure.terminal.inspection."""

from __future__ import annotations

from typing import Any

from ..version import TOOL_VERSION
from .model import Inspection
from .personal import SUBJECTS_RULE

SCHEMA = "exposure.inspection/1"
ESTIMATE_NOTE = ("Personal-data counts are automated estimates: each category states its rule. Records are rows "
                 "(spreadsheets, CSV), table rows or paragraphs (documents) or text lines (PDF, text). Comments, "
                 "notes, tracked deletions and earlier PDF revisions count as hidden.")


def inspection_document(items: list[tuple[Inspection, list[dict[str, Any]] | None]]) -> dict[str, Any]:
    """The JSON contract for one or more inspected files (deterministic: no wall-clock times)."""
    files = []
    for insp, link in items:
        entry = insp.to_dict()
        entry["source"] = f"from inspection of {insp.path} sha256 {insp.sha256}"
        if link is not None:
            entry["log_size_comparison"] = link
        files.append(entry)
    return {"schema": SCHEMA, "tool": {"name": "exposure", "version": TOOL_VERSION},
            "notes": [ESTIMATE_NOTE, "data_subjects_estimate: " + SUBJECTS_RULE], "files": files}
