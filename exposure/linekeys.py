"""Lines as Arrow tables for the parse, each line named by one key: its evidence id and its line number.

The formats' SQL carries `line_no` through every stage and never does arithmetic on it, so the key rides in
that column: `evidence_id << 32 | line_no`. A chunk of one large file and a batch of thousands of small files
are then parsed by the same SQL in one pass, and every row leaves the parse with its own file and line again
(`FROM_KEYS`). A file of 2^32 lines or more would not fit; no log file of this world comes near (4 G lines).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import evidence as ev_mod
from .evidence import LineChunk
from .lines import terminated

KEY_BITS = 32
LINE_MASK = (1 << KEY_BITS) - 1
# the evidence id and line number of a key in `line_no` (SQL over a parse's rows, whatever their evidence_id)
FROM_KEYS = f"(line_no >> {KEY_BITS})::INTEGER AS evidence_id, line_no & {LINE_MASK} AS line_no"
# the columns of every piece's table (chunkview.ChunkView binds the parse's view to them once per parse)
PIECE_SCHEMA = pa.schema([("line_no", pa.int64()), ("byte_offset", pa.int64()), ("line", pa.large_string()),
                          ("text", pa.string_view()), ("bad_utf8", pa.bool_())])
ARROW_BATCH = 32_768  # rows per Arrow record batch: DuckDB scans a table's batches in parallel, one per thread


def from_keys(rows: str) -> str:
    """SQL: the rows `rows` selects (with evidence_id and line_no), each with the file and line of its key."""
    return f"SELECT * REPLACE ({FROM_KEYS}) FROM ({rows})"


def keys(evidence_id: int, line_no: np.ndarray) -> np.ndarray:
    if len(line_no) and int(line_no[-1]) > LINE_MASK:
        raise ValueError(f"a file of more than {LINE_MASK} lines")
    return (np.int64(evidence_id) << KEY_BITS) | np.asarray(line_no, dtype=np.int64)


@dataclass
class Piece:
    """Consecutive lines for one parse: of one file (`forced` set when all are rejected unparsed), or of many."""

    keys: np.ndarray  # int64, ascending
    table: pa.Table  # line_no (the keys), byte_offset, line, text, bad_utf8
    forced: str | None = None
    last_line: int = 0  # the line number of the last line (progress)
    last_offset: int = 0  # its content offset (progress)

    @property
    def nbytes(self) -> int:
        """Bytes it holds: the keys and every buffer of its table, each buffer of the table counted once (the lines
        and their texts share one content buffer); the line numbers' column wraps the keys' memory, so those 8
        bytes a line count twice: the read-ahead bound errs on the strict side."""
        return self.keys.nbytes + self.table.get_total_buffer_size()


def int64s(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as Arrow, zero-copy (`pa.array` would import pandas to inspect it)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def bools(values: np.ndarray | None, n: int) -> pa.Array:
    """A numpy bool array (or None: all NULL) as Arrow."""
    if values is None:
        return pa.nulls(n, pa.bool_())
    return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(np.packbits(values, bitorder="little"))])


def _table(line_keys: np.ndarray, byte_offset: np.ndarray, lines: pa.Array, newline: int,
           bad_utf8: pa.Array) -> pa.Table:
    table = pa.Table.from_arrays(
        [int64s(line_keys), int64s(byte_offset), lines, ev_mod.line_texts(lines, newline), bad_utf8],
        schema=PIECE_SCHEMA)
    return pa.Table.from_batches(table.to_batches(max_chunksize=ARROW_BATCH), table.schema)


def pieces(evidence_id: int, chunks: Iterator[LineChunk]) -> Iterator[Piece]:
    """The chunks of one file as pieces."""
    for chunk in chunks:
        k = keys(evidence_id, chunk.line_no)
        yield Piece(k, _table(k, chunk.byte_offset, chunk.lines, chunk.newline, bools(chunk.bad_utf8, len(k))),
                    chunk.forced, int(chunk.line_no[-1]) if len(chunk.line_no) else 0,
                    int(chunk.byte_offset[-1]) if len(chunk.byte_offset) else 0)


def joined(files: Sequence[tuple[int, Sequence[LineChunk] | bytes]]) -> Piece:
    """The lines of many files as one piece, in the order given (ascending evidence ids). Each file is its
    chunks (none forced, every line ending in "\\n"), or its whole content as read (`evidence.read_whole`):
    consecutive contents are cut into lines together (`_contents`), one pass for thousands of files."""
    parts: list[tuple[np.ndarray, np.ndarray, pa.Array, pa.Array]] = []
    run: list[tuple[int, bytes]] = []
    for evid, got in [*files, (0, [])]:
        if isinstance(got, bytes):
            run.append((evid, got))
            continue
        if run:
            parts.append(_contents(run))
            run = []
        parts += [(keys(evid, c.line_no), c.byte_offset, c.lines, bools(c.bad_utf8, len(c.line_no)))
                  for c in got if len(c.line_no)]
    parts = [p for p in parts if len(p[0])]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Piece(empty, _table(empty, empty, pa.array([], pa.large_string()), 10, bools(None, 0)))
    line_keys = np.concatenate([p[0] for p in parts])
    offsets = np.concatenate([p[1] for p in parts])
    lines = pa.concat_arrays([p[2] for p in parts]) if len(parts) > 1 else parts[0][2]
    bad = pa.concat_arrays([p[3] for p in parts]) if len(parts) > 1 else parts[0][3]
    return Piece(line_keys, _table(line_keys, offsets, lines, 10, bad))


def _contents(files: Sequence[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray, pa.Array, pa.Array]:
    """Whole contents (no BOM, no lone "\\r": `lines.whole_facts`) cut into lines at once, as `lines.Splitter`
    cuts each: a line ends after "\\n", a last line without one is given one. The contents are joined in one
    buffer; each line's file, line number and offset in its file come from where the files start in it."""
    datas = [terminated(d) for _, d in files]
    buf = b"".join(datas)
    starts = np.zeros(len(datas) + 1, dtype=np.int64)  # where each file starts in buf (and where buf ends)
    np.cumsum([len(d) for d in datas], out=starts[1:])
    ends = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 10).astype(np.int64) + 1
    bounds = np.empty(len(ends) + 1, dtype=np.int64)
    bounds[0] = 0
    bounds[1:] = ends
    line_start = bounds[:-1]
    owner = np.searchsorted(starts, line_start, side="right") - 1  # an empty file owns no line
    first_line = np.searchsorted(line_start, starts[:-1])  # the index of each file's first line
    line_no = np.arange(len(line_start), dtype=np.int64) - first_line[owner] + 1
    evids = np.array([evid for evid, _ in files], dtype=np.int64)
    if len(line_no) and int(line_no.max()) > LINE_MASK:
        raise ValueError(f"a file of more than {LINE_MASK} lines")
    line_keys = (evids[owner] << KEY_BITS) | line_no
    strings, bad = ev_mod.line_strings(buf, bounds)
    return line_keys, line_start - starts[owner], strings, bools(bad, len(line_keys))
