"""Ingest's memory bound, by its mechanism (no RSS threshold): a file's chunks are released as they are
parsed, at most a bounded few held at once whatever the file's size, and DuckDB works under its limit."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from exposure import Case, evidence, linekeys, readahead
from exposure.ingest import INGEST_MEMORY_LIMIT
from tests.conftest import write_log
from tests.logs import clf, t

INGEST_LIMIT_SHOWN = {"1GB": "953.6 MiB"}[INGEST_MEMORY_LIMIT]  # DuckDB shows 10^9 bytes in MiB


def _big_log(path: Path) -> Path:
    lines = [clf(f"198.51.100.{i % 200}", t(8, 12, i % 60), f"/docs/{i}.html") for i in range(15_000)]
    lines[777] = "not a request at all"  # the full parse runs too
    return write_log(path, lines)


def _rows(case: Case) -> tuple:
    ev = case.sql("SELECT sha256, content_sha256, lines, requests, rejected, skipped FROM evidence").values.tolist()
    req = case.sql("SELECT line_no, byte_offset, client, path FROM requests ORDER BY line_no").values.tolist()
    rej = case.sql("SELECT line_no, byte_offset, reason FROM rejects ORDER BY line_no").values.tolist()
    return ev, req, rej


def test_a_files_chunks_are_released_as_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _big_log(tmp_path / "big.log")  # past SMALL_FILE: read in chunks, one transaction
    with Case() as case:
        case.ingest([path])
        whole = _rows(case)

    made: list[weakref.ref] = []
    most = [0]
    pieces = linekeys.pieces

    def watched(evid: int, chunks: Iterator[evidence.LineChunk]) -> Iterator[linekeys.Piece]:
        for piece in pieces(evid, chunks):
            made.append(weakref.ref(piece.table))
            yield piece

    def progress(*_: object) -> None:  # called once a piece is parsed, before the next is taken
        most[0] = max(most[0], sum(r() is not None for r in made))
        cur = case.con.cursor()  # the settings are the database's: any connection to it sees them
        settings.add(cur.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory') <> ''"
                                 ).fetchone())
        cur.close()

    monkeypatch.setattr(evidence, "BLOCK_SIZE", 64 << 10)
    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 1)  # one piece waits, whatever its size
    monkeypatch.setattr(linekeys, "pieces", watched)
    settings: set[tuple[str, bool]] = set()
    with Case() as case:
        case.ingest([path], on_progress=progress)
        assert _rows(case) == whole  # the same rows, line numbers, offsets, hashes and accounting
    assert len(made) >= 20  # the file was read in many chunks
    # the one being parsed, the one waiting and the one the reader has made and waits to queue: never more
    assert most[0] <= 3
    assert len(settings) == 1
    (limit, has_temp), = settings
    assert limit == INGEST_LIMIT_SHOWN and has_temp  # DuckDB spills to the case's .tmp folder, not grows


def test_a_parse_that_fails_stops_the_reader_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exposure import ingest

    path = _big_log(tmp_path / "big.log")
    monkeypatch.setattr(evidence, "BLOCK_SIZE", 64 << 10)
    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 1)
    cheap = ingest._cheap_path
    seen = [0]

    def failing(*args: object, **kw: object) -> object:
        seen[0] += 1
        if seen[0] == 3:
            raise RuntimeError("parse failed")
        return cheap(*args, **kw)

    monkeypatch.setattr(ingest, "_cheap_path", failing)
    before = threading.active_count()
    with Case() as case:
        with pytest.raises(RuntimeError, match="parse failed") as failed:
            case.ingest([path])
        # the traceback (held here) still references the parse's frames: the reader must not wait on them
        assert failed.value is not None and threading.active_count() == before
        assert case.sql("SELECT count(*) AS n FROM evidence")["n"][0] == 0  # the file's transaction rolled back


def test_a_duckdb_error_in_the_parse_is_the_error_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that aborts the file's transaction (out of memory, a full disk while spilling, a format's SQL) is
    what the ingest raises: letting go of the chunk views must not fail inside the aborted transaction and put
    "transaction is aborted" in its place."""
    import duckdb

    from exposure import ingest

    path = _big_log(tmp_path / "big.log")
    monkeypatch.setattr(evidence, "BLOCK_SIZE", 64 << 10)
    cheap = ingest._cheap_path
    seen = [0]

    def failing(con: duckdb.DuckDBPyConnection, *args: object, **kw: object) -> object:
        seen[0] += 1
        if seen[0] == 2:
            con.execute("SELECT 'not a number'::INTEGER")
        return cheap(con, *args, **kw)

    monkeypatch.setattr(ingest, "_cheap_path", failing)
    with Case() as case:
        with pytest.raises(duckdb.ConversionException, match="not a number"):
            case.ingest([path])
        assert case.sql("SELECT count(*) AS n FROM evidence")["n"][0] == 0  # the file's transaction rolled back
        case.ingest([path])  # and the case takes the file afterwards, views and all
        assert case.sql("SELECT count(*) AS n FROM evidence")["n"][0] == 1
