"""Storing an inspection in the case: the document as evidence, its findings and categories as tables."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..evidence import describe
from ..version import TOOL_VERSION
from .model import Inspection

if TYPE_CHECKING:
    from ..case import CaseFile


def register(case: CaseFile, path: str | os.PathLike[str], insp: Inspection) -> int:
    """Record the inspection in one transaction; returns its inspection_id.

    The document becomes an evidence row (verdict 'inspected', format = document type) unless the same file
    (path and SHA-256) is already registered, e.g. as 'not a log' by an ingest: then that row is reused.
    """
    ev = describe(Path(path), str(path), None)
    now = datetime.now(UTC).replace(tzinfo=None)
    with case.transaction():
        row = case.fetchone("SELECT min(evidence_id) FROM evidence WHERE abs_path = ? AND sha256 = ?",
                            [ev.abs_path, insp.sha256])
        evid = row[0] if row and row[0] is not None else None
        if evid is None:
            evid = int(case.fetchone("SELECT coalesce(max(evidence_id), 0) + 1 FROM evidence")[0])
            case.execute(
                "INSERT INTO evidence (evidence_id, path, abs_path, server, size_bytes, mtime_utc, sha256, "
                "content_sha256, compression, format, verdict, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'none', ?, 'inspected', ?)",
                [evid, ev.path, ev.abs_path, ev.server, insp.size_bytes, ev.mtime, insp.sha256, insp.sha256,
                 insp.doc_type, now])
        iid = int(case.fetchone("SELECT coalesce(max(inspection_id), 0) + 1 FROM inspections")[0])
        area = insp.records_by_area
        case.execute("INSERT INTO inspections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [iid, evid, insp.path, insp.sha256, insp.size_bytes, insp.doc_type, now, TOOL_VERSION,
                      insp.complete, "; ".join(insp.notes) or None, _json(insp.properties), insp.records,
                      area.get("visible", 0), area.get("hidden", 0), area.get("whited-out", 0),
                      insp.data_subjects_estimate, insp.show_values])
        for no, f in enumerate(insp.findings, start=1):
            case.execute("INSERT INTO inspection_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [iid, no, f.kind, f.where, f.range, f.description, f.cells, f.rows, f.unit,
                          _json(f.samples)])
        for c in insp.categories:
            case.execute("INSERT INTO inspection_categories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [iid, c.category, c.rule, c.values, c.records, c.records_visible, c.records_hidden,
                          c.records_whited_out, c.values_visible, c.values_hidden, c.values_whited_out,
                          _json(c.samples)])
    return iid


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
