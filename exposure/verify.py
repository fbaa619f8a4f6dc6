"""Re-hash evidence files and compare with the SHA-256 recorded at ingest: match, changed or missing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .evidence import sha256_on_disk

if TYPE_CHECKING:
    from .case import CaseFile


@dataclass(frozen=True)
class Verification:
    evidence_id: int
    path: str
    recorded_sha256: str
    current_sha256: str | None
    status: str  # match | changed | missing

    @property
    def ok(self) -> bool:
        return self.status == "match"


def verify_evidence(case: CaseFile, paths: list[str] | None = None) -> list[Verification]:
    """Re-hash every registered evidence file (or only those whose path or absolute path is in `paths`).

    The file is looked up at its absolute path as recorded at ingest.
    """
    # an unreadable file or folder has no hash to compare (its row says why it could not be read)
    rows = case.fetchall("SELECT evidence_id, path, abs_path, sha256 FROM evidence WHERE sha256 IS NOT NULL "
                         "ORDER BY evidence_id")
    wanted = {os.path.abspath(p) for p in paths} if paths else None
    out = []
    for evid, path, abs_path, recorded in rows:
        if wanted is not None and abs_path not in wanted and os.path.abspath(path) not in wanted:
            continue
        if not os.path.isfile(abs_path):
            out.append(Verification(evid, path, recorded, None, "missing"))
            continue
        try:
            current = sha256_on_disk(abs_path)
        except OSError:
            out.append(Verification(evid, path, recorded, None, "missing"))
            continue
        out.append(Verification(evid, path, recorded, current, "match" if current == recorded else "changed"))
    return out
