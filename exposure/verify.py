"""Verify a case: re-hash its evidence files against the SHA-256 recorded at ingest (match, changed or
missing) and check its seal (exposure/seal.py), every stored row included. Needs only read access."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import seal
from .errors import InputError
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


@dataclass(frozen=True)
class CaseVerification:
    """`verify`'s answer: each evidence file checked, and the seal (with an outside digest when given)."""

    files: list[Verification]
    seal: seal.SealCheck

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.files) and self.seal.holds


def verify_case(case: CaseFile, paths: list[str] | None = None, anchor: str | None = None) -> CaseVerification:
    """Re-hash the evidence files (or those at `paths`) and check the seal, every stored row re-hashed. With
    `anchor` (a digest kept outside the case: printed in a notification, on a report's first page), the chain
    must hold that link: every link up to it then seals exactly what it sealed when the digest was taken."""
    if anchor is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", anchor.strip()):
        raise InputError(f"--anchor must be a SHA-256 digest (64 hexadecimal digits), not '{anchor}'")
    check = seal.check(case, rows=True)
    if anchor is not None:
        seal.check_anchor(case, anchor, check)
    return CaseVerification(verify_evidence(case, paths), check)
