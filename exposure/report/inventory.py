"""The evidence register of a case of many files as a dense listing: every file, every field, fixed columns.

EVIDENCE.md 5 asks for every log file with its original path, size, modification time, SHA-256, line count and
first and last timestamp, hashed at ingest and verified again: it says what the inventory holds, not that it is
a table. Past INVENTORY_ROWS files the register is laid out as monospaced text (two lines a file, on landscape
pages in the PDF) instead of table rows: 15,000 table rows (register and coverage) took the PDF writer most of an
hour and gigabytes; the same rows as text take seconds. Nothing is left out: the listing carries each file's
path, verdict, format, compression, stream, custody marks, SHA-256 at ingest (and of its content where it was
compressed), the re-verification, size, modification time, lines, requests, rejected and skipped lines and
first and last time. Section 7's coverage then shows one row per stream and names this listing.
"""

from __future__ import annotations

from typing import Any

from ..escaping import display
from .i18n import Strings

INVENTORY_ROWS = 500  # more evidence files than this: the register is the dense listing
INVENTORY_LINES = 64  # lines of files per block (each block starts with the column names: one block fits a landscape
# page at 5.9 pt; a compressed file takes three lines, its content's SHA-256 on the third)
PATH_LIMIT = 1_000  # as a raw log line: a longer path is cut with its length said (analysis.json has it whole)


def _text(value: Any) -> str:
    return "–" if value is None or value == "" else str(value)


def _num(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def _entry(no: int, e: dict[str, Any], s: Strings) -> list[str]:
    what = [e["verdict_text"], *(display(str(e[k]), PATH_LIMIT, unit=s["characters"])
                                 for k in ("format", "compression", "stream") if e.get(k) and e.get(k) != "none")]
    custody = f"  [{s['custody_short']} " + ", ".join(f"C{n}" for n in e["custody_refs"]) + "]" if e.get(
        "custody_refs") else ""
    lines = [f"{no:>6}  {display(_text(e['path']), PATH_LIMIT, unit=s['characters'])}  ({' · '.join(what)}){custody}",
             f"        {_text(e['sha256']):<64}  {s['status_' + e['status']]:<9} {_num(e['size_bytes']):>15}  "
             f"{_text(e['mtime']):<20}  {_num(e['lines']):>9} {_num(e['requests']):>9} {_num(e['rejected']):>8} "
             f"{_num(e['skipped']):>8}  {_text(e['first_time']):<20}  {_text(e['last_time'])}"]
    if e.get("content_sha256") and e["content_sha256"] != e["sha256"]:
        lines.append(f"        {s['content_sha256']}: {e['content_sha256']}")
    if e.get("current_sha256") and e["status"] != "match":
        lines.append(f"        {s['sha256_now']}: {e['current_sha256']}")
    return lines


def header(s: Strings) -> str:
    """The column names, as the first lines of every block."""
    return "\n".join([
        f"{'#':>6}  {s['file']} ({s['verdict'].lower()} · format · {s['compression']} · {s['stream'].lower()})",
        f"        {s['sha256_ingest']:<64}  {s['listing_now'][:9]:<9} {s['size_bytes']:>15}  {s['mtime']:<20}  "
        f"{s['lines']:>9} {s['requests_parsed'][:9]:>9} {s['rejected'][:8]:>8} {s['skipped'][:8]:>8}  "
        f"{s['first_time'][:20]:<20}  {s['last_time']}"]).replace("\u00ad", "")


def listing(evidence: list[dict[str, Any]], s: Strings) -> list[str] | None:
    """The register as blocks of text (a value from a file's name made visible: no control or bidirectional
    character reaches the page; the template escapes it, after --pseudonymise-ips has replaced the addresses in
    it), or None for a case of INVENTORY_ROWS files or fewer (a table)."""
    if len(evidence) <= INVENTORY_ROWS:
        return None
    top = header(s)
    blocks: list[str] = []
    body: list[str] = []
    for no, e in enumerate(evidence, start=1):
        lines = _entry(no, e, s)
        if body and len(body) + len(lines) > INVENTORY_LINES:
            blocks.append("\n".join([top, *body]))
            body = []
        body += lines
    blocks.append("\n".join([top, *body]))
    return blocks
