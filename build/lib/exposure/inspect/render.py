"""The inspection as JSON (schema exposure.inspection/1) and as a readable rich summary."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

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


def print_inspection(insp: Inspection, link: list[dict[str, Any]] | None = None,
                     console: Console | None = None) -> None:
    out = console or Console()
    out.print(f"[bold]{insp.path}[/bold]  {insp.doc_type}, {insp.size_bytes} bytes, sha256 {insp.sha256}",
              highlight=False)
    for note in insp.notes:
        out.print(f"  note: {note}", markup=False, highlight=False)
    if insp.findings:
        table = Table(title="Hidden or revealing content", title_justify="left")
        for col in ("finding", "where", "range", "count", "rows", "sample"):
            table.add_column(col, overflow="fold")
        for f in insp.findings:
            table.add_row(f.kind, f.where, f.range or "", f"{f.cells} {f.unit}", str(f.rows),
                          "; ".join(f.samples[:3]))
        out.print(table)
    else:
        out.print("  no hidden content found")
    if insp.categories:
        table = Table(title=f"Personal data (automated estimate; records {insp.records}: "
                            f"{insp.records_by_area.get('visible', 0)} visible, "
                            f"{insp.records_by_area.get('hidden', 0)} hidden, "
                            f"{insp.records_by_area.get('whited-out', 0)} whited-out)", title_justify="left")
        for col in ("category", "values", "records", "visible", "hidden", "whited-out", "sample"):
            table.add_column(col, overflow="fold")
        for c in insp.categories:
            table.add_row(c.category, str(c.values), str(c.records), str(c.records_visible), str(c.records_hidden),
                          str(c.records_whited_out), "; ".join(c.samples[:3]))
        out.print(table)
        out.print(f"  data subjects (estimate): about {insp.data_subjects_estimate} records naming a person",
                  highlight=False)
    else:
        out.print("  no personal data detected")
    for row in link or []:
        out.print(f"  window {row['window_no']}: {row['verdict']}: {row['explanation']}", markup=False,
                  highlight=False)
    if link == []:
        out.print("  the target has no exposure window in this case: no size to compare", highlight=False)
    if not insp.show_values and (insp.findings or insp.categories):
        out.print("  samples are masked; --show-values reveals them", highlight=False)
