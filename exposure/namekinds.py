"""Who wrote a file's name (evidence.name_kind, read by exposure/streams.py at ingest), and the one test of a name
that lets a file's content move it: a name no server writes (silent), a name people give a copy (copy), or a path
through a folder named like a copy's (evidence.copy_folder). A file with a server's name, outside such folders, is
that server's log: no other file's lines join it to another stream or make its first line a cut copy, and copies
excuse its edges only where the whole file is a take, at its end (queries/gaps.sql excused). The test is written
into the registry at ingest (evidence.named_like_copy, exposure/streams.who_named): queries/gaps.sql and
exposure/overlap.py read the column, never a copy of the rule."""

from __future__ import annotations

SERVER, SILENT, COPY = "server", "silent", "copy"


def named_like_copy(kind: str | None, copy_folder: str | None) -> bool:
    """Whether a file's name (`kind`, its `copy_folder`) leaves its stream to its content: silent, a copy's, or in
    a copy's folder."""
    return kind in (SILENT, COPY) or copy_folder is not None
