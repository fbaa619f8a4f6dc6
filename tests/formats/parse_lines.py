"""Run a format's SQL on hand-made lines, exactly as ingest does, and return the normalised rows."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from exposure.formats.base import LINE_TEXT, LogFormat, normalise_sql
from exposure.formats.clientaddr import NEEDS_NORMALISING, address_map, resolve_clients


def _arrow(lines: list[str | bytes]) -> pa.Table:
    texts, bad = [], []
    for line in lines:
        raw = line if isinstance(line, bytes) else line.encode()
        try:
            texts.append(raw.decode("utf-8") + "\n")
            bad.append(False)
        except UnicodeDecodeError:
            texts.append(raw.decode("utf-8", errors="replace") + "\n")
            bad.append(True)
    return pa.table({
        "line_no": pa.array(range(1, len(texts) + 1), pa.int64()),
        "byte_offset": pa.array([0] * len(texts), pa.int64()),
        "line": pa.array(texts, pa.large_string()),
        "bad_utf8": pa.array(bad, pa.bool_()),
    })


def parse_lines(fmt: LogFormat, lines: list[str | bytes], state: dict[str, Any] | None = None,
                client_ip_from: str | None = None, trusted: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One dict per line (verdict, reason and every request column), in line order, after the
    client-address stage ingest runs (normalisation, X-Forwarded-For)."""
    arrow = _arrow(lines)  # noqa: F841 (read by DuckDB)
    con = duckdb.connect()
    state = dict(state or {})
    src = f"(SELECT line_no, byte_offset, {LINE_TEXT} AS text, bad_utf8 FROM arrow)"  # as ingest's full parse
    sql = normalise_sql(fmt, fmt.raw_sql(src, state), 1, state.get("log_tz"))
    con.execute(f"CREATE TABLE staged AS {sql}")
    resolve_clients(con, "staged", client_ip_from, trusted)
    cur = con.execute("SELECT * FROM staged ORDER BY line_no")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def fast_request_rows(fmt: LogFormat, lines: list[str | bytes]) -> dict[int, dict[str, Any]]:
    """The rows the format's cheap path (`fast_requests_sql`) writes, by line number, its clients mapped
    through `address_map` as ingest does."""
    arrow = _arrow(lines)  # noqa: F841 (read by DuckDB)
    con = duckdb.connect()
    src = f"(SELECT line_no, byte_offset, line, {LINE_TEXT} AS text, bad_utf8 FROM arrow)"  # base.SOURCE
    plan = fmt.fast_plan_sql(src)
    state: dict[str, Any] = {"fast_plan": con.execute(plan).fetchone() if plan else None}
    raw = con.execute(f"SELECT DISTINCT raw FROM ({fmt.fast_clients_sql(src, state)}) "
                      f"WHERE {NEEDS_NORMALISING.format(a='raw')}").fetchall()
    mapped = address_map(con, [r[0] for r in raw])
    fast = fmt.fast_requests_sql(src, 1, state, "addr_map" if mapped else None)
    assert fast is not None
    cur = con.execute(f"SELECT * FROM ({fast}) ORDER BY line_no")
    cols = [d[0] for d in cur.description]
    return {row[1]: dict(zip(cols, row, strict=True)) for row in cur.fetchall()}


def assert_fast_rows_exact(fmt: LogFormat, lines: list[str | bytes],
                           slow: list[dict[str, Any]] | None = None) -> list[int]:
    """Every row the format's cheap path writes equals the full path's request row for that line. The
    0-based indices of the lines it took."""
    if slow is None:
        slow = parse_lines(fmt, lines, {"fast_path": False})
    taken = fast_request_rows(fmt, lines)
    by_line = {r["line_no"]: r for r in slow}
    for line_no, row in taken.items():
        full = by_line[line_no]
        assert full["verdict"] == "request", full["line_text"]
        expected = {k: full[k] for k in row}
        assert row == expected, (full["line_text"], {k: (row[k], expected[k]) for k in row if row[k] != expected[k]})
    return [n - 1 for n in sorted(taken)]


def realworld_lines(rel: str, limit: int = 20_000) -> list[bytes]:
    """The first lines of a file under ../shared/realworld; the test is skipped when it is absent."""
    import pytest

    from ..conftest import REALWORLD

    path = REALWORLD / rel
    if not path.is_file():
        pytest.skip(f"{rel} not present")
    lines = path.read_bytes().split(b"\n")
    return (lines[:-1] if lines and lines[-1] == b"" else lines)[:limit]
