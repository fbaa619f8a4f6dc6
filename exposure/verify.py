"""Verify a case: re-hash its evidence files against the SHA-256 recorded at ingest (match, changed or
missing) and check its seal (exposure/seal.py), every stored row included. Needs only read access."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import seal
from .errors import InputError
from .evidence import not_regular, sha256_on_disk

if TYPE_CHECKING:
    from .case import CaseFile


@dataclass(frozen=True)
class Verification:
    evidence_id: int
    path: str
    recorded_sha256: str
    current_sha256: str | None
    status: str  # match | changed | missing
    detail: str | None = None  # a link the file was reached through that resolves elsewhere now, or is gone
    # missing: what the path holds instead when it is no regular file (evidence.not_regular: a named pipe ...)
    found: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "match"


def verify_evidence(case: CaseFile, paths: list[str] | None = None) -> list[Verification]:
    """Re-hash every registered evidence file (or only those whose path or absolute path is in `paths`).

    The file is looked up at its absolute path as recorded at ingest. A file reached through a link
    (`via_link`) is looked up through the link too: a link that resolves to another file now is compared by
    what it resolves to (`changed` unless that holds the same bytes: the evidence as supplied no longer gives
    what was read, whatever the file it resolved to at ingest still holds), and said in `detail` either way;
    so is a link that is gone (the file it resolved to is then checked).
    """
    # an unreadable file or folder has no hash to compare (its row says why it could not be read)
    rows = case.fetchall("SELECT evidence_id, path, abs_path, sha256, via_link FROM evidence "
                         "WHERE sha256 IS NOT NULL ORDER BY evidence_id")
    wanted = {os.path.abspath(p) for p in paths} if paths else None
    out = []
    for evid, path, abs_path, recorded, link in rows:
        if wanted is not None and abs_path not in wanted and os.path.abspath(path) not in wanted \
                and link not in wanted:
            continue
        out.append(Verification(evid, path, recorded, *_check(abs_path, recorded, link)))
    return out


def _hash(path: str) -> str | None:
    if not os.path.isfile(path):
        return None
    try:
        return sha256_on_disk(path)
    except OSError:
        return None


def _check(abs_path: str, recorded: str, link: str | None) -> tuple[str | None, str, str | None, str | None]:
    """(hash now, status, detail, what the path holds when no regular file) of one evidence file, read through its
    link when it was reached through one."""
    detail, target = None, abs_path
    if link is not None and not os.path.lexists(link):
        detail = f"the link {link} it was read through is gone"
    elif link is not None and (now := os.path.realpath(link)) != abs_path:
        detail, target = f"the link {link} resolved to {abs_path} at ingest and resolves to {now} now", now
    current = _hash(target)
    try:  # never opened: a named pipe put at the path would block the open
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    found = not_regular(mode) if mode is not None and not stat.S_ISREG(mode) else None
    if found:
        detail = f"{detail}; now {found}" if detail else f"now {found}"
    return current, "missing" if current is None else "match" if current == recorded else "changed", detail, found


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
