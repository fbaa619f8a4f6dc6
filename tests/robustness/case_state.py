"""What robustness tests compare: an independent line count and a case's table contents."""

from __future__ import annotations

from typing import Any

import duckdb

# Columns that record when something happened, not what the evidence says.
VOLATILE = {"ingested_at", "at_utc"}
TABLES = ("evidence", "requests", "rejects", "skipped", "overlap_lines", "overlap_pairs")


def count_lines(content: bytes) -> int:
    """Lines as a forensic examiner counts them: terminated lines plus a final unterminated one, after a UTF-8
    byte-order mark. The terminator is "\\n", or "\\r" when the MiB from the first break holds more lone "\\r"
    than "\\n" (an old Mac file; README, "Reading evidence")."""
    body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
    newline = b"\n"
    breaks = [i for i in (body.find(b"\n"), body.find(b"\r")) if i >= 0]
    if breaks:
        window = body[min(breaks):min(breaks) + (1 << 20)]
        if window.count(b"\r") - window.count(b"\r\n") > window.count(b"\n"):
            newline = b"\r"
    return body.count(newline) + (1 if body and not body.endswith(newline) else 0)


# What the README says exposure refuses to read as text, by the content's first bytes (written out here, not
# taken from exposure): other compressions, a second gzip/bzip2 layer, and UTF-16/32.
_PACKED_MAGIC = (b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"\x04\x22\x4d\x18", b"\x1f\x9d", b"7z\xbc\xaf\x27\x1c",
                 b"\x89LZO\x00\r\n\x1a\n")


# A zip's local file header (30 bytes, then the first entry's name, its length at offset 26) whose first entry is
# not a document's own part (Office Open XML, OpenDocument/EPUB `mimetype`, a Java archive): files packed by hand.
_DOCUMENT_PARTS = (b"[Content_Types].xml", b"_rels/", b"docProps/", b"xl/", b"word/", b"ppt/", b"customXml/",
                   b"mimetype", b"META-INF/")


def _packed_files(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04") or len(content) < 30:
        return False
    return not content[30:30 + int.from_bytes(content[26:28], "little")].startswith(_DOCUMENT_PARTS)


def refusal_expected(content: bytes) -> str | None:
    """The words the reader's refusal of `content` must carry (README), or None when it must be read."""
    if content.startswith(_PACKED_MAGIC):
        return "decompress it first"
    if _packed_files(content):
        return "extract it first"
    if content.startswith(b"\x1f\x8b") or (content[:3] == b"BZh" and content[3:4] in b"123456789" and len(content) > 3):
        return "compressed twice"
    if content.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return "convert to UTF-8 first"
    head = content[:4096]
    return "convert to UTF-8 first" if len(head) >= 16 and head.count(0) >= 0.45 * len(head) else None


def snapshot(con: duckdb.DuckDBPyConnection, drop: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the evidence tables in a stable order, without volatile or dropped columns."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in VOLATILE and r[0] not in drop]
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    return out


def accounting(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Per ingested file: (path, lines, requests, rejected, skipped) as recorded and as found in the tables."""
    return con.execute("""
        SELECT e.path, e.lines, e.requests, e.rejected, e.skipped,
               (SELECT count(*) FROM requests r WHERE r.evidence_id = e.evidence_id),
               (SELECT count(*) FROM rejects r WHERE r.evidence_id = e.evidence_id),
               (SELECT count(*) FROM skipped s WHERE s.evidence_id = e.evidence_id)
        FROM evidence e WHERE e.verdict = 'ingested' ORDER BY e.evidence_id""").fetchall()
