"""The evidence register of a case of many files as a dense listing: every file, every field, fixed columns.

EVIDENCE.md 5 asks for every log file with its original path, size, modification time, SHA-256, line count and
first and last timestamp, hashed at ingest and verified again: it says what the inventory holds, not that it is
a table. Past INVENTORY_ROWS files the register is laid out as monospaced text (two lines a file, a long value
going on in continuation lines of at most LINE_WIDTH characters, on landscape pages in the PDF) instead of table
rows: 15,000 table rows (register and coverage) took the PDF writer most of an
hour and gigabytes; the same rows as text take seconds. Nothing is left out: the listing carries each file's
path, verdict, format, compression, stream, custody marks, SHA-256 at ingest (and of its content where it was
compressed), the re-verification, size, modification time, lines, requests, rejected and skipped lines and
first and last time. Section 7's coverage then shows one row per stream and names this listing.
"""

from __future__ import annotations

from typing import Any

from ..escaping import display
from .html import number
from .i18n import Strings

INVENTORY_ROWS = 500  # more evidence files than this: the register is the dense listing
INVENTORY_LINES = 64  # lines of files per block (each block starts with the column names: one block fits a landscape
# page at 5.9 pt; a compressed file takes three lines, its content's SHA-256 on the third)
PATH_LIMIT = 1_000  # as a raw log line: a longer path is cut with its length said (analysis.json has it whole)
LINE_WIDTH = 212  # characters a listing line holds on a landscape A4 page at 5.9 pt DejaVu Sans Mono (273 mm of
# text, 1.25 mm a character: 218, 216 inside the block's padding); a longer line goes on in continuation lines
CONTINUED = "        \u21b3 "  # a continuation line: deeper than a file's field lines, marked as the line before's


def _text(value: Any) -> str:
    return "–" if value is None or value == "" else str(value)


def _count(value: Any) -> str:
    return number(None if value is None else int(value))  # a count from DuckDB may be a numpy integer


def _label(s: Strings, key: str) -> str:
    return s[key].replace("\u00ad", "")  # a soft hyphen is for table headers: gone before a width is measured


# The second line of a file: (field, column name, width, align); a column is as wide as its name in the language.
_COLUMNS = (("sha256", "sha256_ingest", 64, "<"), ("status", "listing_now", 9, "<"),
            ("size_bytes", "size_bytes", 15, ">"), ("mtime", "mtime", 20, "<"), ("lines", "lines", 9, ">"),
            ("requests", "requests_parsed", 9, ">"), ("rejected", "rejected", 8, ">"), ("skipped", "skipped", 8, ">"),
            ("first_time", "first_time", 20, "<"), ("last_time", "last_time", 20, "<"))
_GAPS = {"sha256": "", "status": "  ", "mtime": "  ", "lines": "  ", "first_time": "  ", "last_time": "  "}  # else one
_COUNTS = {"size_bytes", "lines", "requests", "rejected", "skipped"}


def _row(cells: dict[str, str], s: Strings) -> str:
    out = "        "
    for key, name, width, align in _COLUMNS:
        out += _GAPS.get(key, " ") + f"{cells[key]:{align}{max(width, len(_label(s, name)))}}"
    return out.rstrip()


def wrap(line: str, width: int = LINE_WIDTH) -> list[str]:
    """A listing line as lines of at most `width` characters: nothing cut off at the page's edge, the rest of a
    long value on continuation lines (each starting with CONTINUED)."""
    out = [line[:width]]
    rest = line[width:]
    room = width - len(CONTINUED)
    while rest:
        out.append(CONTINUED + rest[:room])
        rest = rest[room:]
    return out


def _entry(no: int, e: dict[str, Any], s: Strings) -> list[str]:
    what = [e["verdict_text"], *(display(str(e[k]), PATH_LIMIT, unit=s["characters"])
                                 for k in ("format", "compression", "stream") if e.get(k) and e.get(k) != "none")]
    custody = f"  [{s['custody_short']} " + ", ".join(f"C{n}" for n in e["custody_refs"]) + "]" if e.get(
        "custody_refs") else ""
    cells = {key: _count(e[key]) if key in _COUNTS else _text(e[key]) for key, *_ in _COLUMNS if key != "status"}
    lines = [f"{no:>6}  {display(_text(e['path']), PATH_LIMIT, unit=s['characters'])}  ({' · '.join(what)}){custody}",
             _row({**cells, "status": s["status_" + e["status"]]}, s)]
    if e.get("content_sha256") and e["content_sha256"] != e["sha256"]:
        lines.append(f"        {s['content_sha256']}: {e['content_sha256']}")
    if e.get("current_sha256") and e["status"] != "match":
        lines.append(f"        {s['sha256_now']}: {e['current_sha256']}")
    return [part for line in lines for part in wrap(line)]


def header(s: Strings) -> str:
    """The column names, as the first lines of every block (each whole: a column is as wide as its name)."""
    first = (f"{'#':>6}  {_label(s, 'file')} ({_label(s, 'verdict').lower()} · {_label(s, 'format').lower()} · "
             f"{_label(s, 'compression')} · {_label(s, 'stream').lower()})")
    return "\n".join(part for line in (first, _row({key: _label(s, name) for key, name, *_ in _COLUMNS}, s))
                     for part in wrap(line))


def dense(files: int) -> bool:
    """The register of a case of this many evidence files is the listing (and section 7's coverage one row per
    stream), not table rows."""
    return files > INVENTORY_ROWS


def listing(evidence: list[dict[str, Any]], s: Strings) -> list[str] | None:
    """The register as blocks of text (a value from a file's name made visible: no control or bidirectional
    character reaches the page; the template escapes it, after --pseudonymise-ips has replaced the addresses in
    it), or None for a case of INVENTORY_ROWS files or fewer (a table)."""
    if not dense(len(evidence)):
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
