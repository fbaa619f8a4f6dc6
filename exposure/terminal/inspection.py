"""An inspection on the terminal (`exposure inspect`): what the document hides, its personal data, and its size
against the target's windows. Sheet names, cell samples and file names come from the document: inert text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console

from . import say, table

if TYPE_CHECKING:
    from ..inspect.model import Inspection


def print_inspection(out: Console, insp: Inspection, link: list[dict[str, Any]] | None = None) -> None:
    say(out, f"{insp.path}  {insp.doc_type}, {insp.size_bytes} bytes, sha256 {insp.sha256}", style="bold")
    for note in insp.notes:
        say(out, f"  note: {note}")
    if insp.findings:
        out.print(table("Hidden or revealing content", ["finding", "where", "range", "count", "rows", "sample"],
                        [[f.kind, f.where, f.range or "", f"{f.cells} {f.unit}", f.rows, "; ".join(f.samples[:3])]
                         for f in insp.findings], numeric=("rows",)))
    else:
        say(out, "  no hidden content found")
    if insp.categories:
        areas = insp.records_by_area
        title = (f"Personal data (automated estimate; records {insp.records}: {areas.get('visible', 0)} visible, "
                 f"{areas.get('hidden', 0)} hidden, {areas.get('whited-out', 0)} whited-out)")
        out.print(table(title, ["category", "values", "records", "visible", "hidden", "whited-out", "sample"],
                        [[c.category, c.values, c.records, c.records_visible, c.records_hidden, c.records_whited_out,
                          "; ".join(c.samples[:3])] for c in insp.categories],
                        numeric=("values", "records", "visible", "hidden", "whited-out")))
        say(out, f"  data subjects (estimate): about {insp.data_subjects_estimate} records naming a person")
    else:
        say(out, "  no personal data detected")
    for row in link or []:
        say(out, f"  window {row['window']}: {row['verdict']}: {row['explanation']}")
    if link == []:
        say(out, "  the target has no exposure window in this case: no size to compare")
    if not insp.show_values and (insp.findings or insp.categories):
        say(out, "  samples are masked; --show-values reveals them")
