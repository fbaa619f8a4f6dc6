"""Every DuckDB statement one exposure command runs, with its wall and CPU milliseconds: where the fixed cost of a
command goes (a tiny case spends it in a few large statements' planning, not in its lines). The CPU is the
process's (DuckDB's threads, and any Python thread running meanwhile: an ingest's first statements overlap the
classifiers' warm-up, exposure/derived.py), so compare runs, not statements of one run.

    python tests/bench/trace_sql.py OUT.tsv -- ingest --quiet --case /tmp/c.duckdb LOGS
    python tests/bench/trace_sql.py OUT.tsv -- analyse --case /tmp/c.duckdb --target /a.pdf

OUT.tsv: one line per statement in the order run (kind, connection, wall ms, process CPU ms, the statement on one line,
cut at TRACE_LEN characters, 300 by default); the total is said on stderr. The connections `duckdb.connect` makes
are wrapped (exposure/case.py connects through it); the command runs as `exposure` would run it.
"""

from __future__ import annotations

import atexit
import itertools
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import duckdb

_LOG: list[tuple[str, str, float, float, str]] = []
_CONNECT = duckdb.connect
_WIDTH = int(os.environ.get("TRACE_LEN", "300"))
_NUMBER = itertools.count(1)


class _Traced:
    """A connection whose statements are timed; everything else is the connection's own."""

    def __init__(self, con: Any, tag: str) -> None:  # noqa: ANN401
        object.__setattr__(self, "_con", con)
        object.__setattr__(self, "_tag", tag)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        return getattr(self._con, name)

    def __setattr__(self, name: str, value: Any) -> None:  # noqa: ANN401
        setattr(self._con, name, value)

    def __enter__(self) -> _Traced:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.__exit__(*exc)

    def _timed(self, kind: str, text: object, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _LOG.append((kind, self._tag, time.perf_counter() - wall, time.process_time() - cpu,
                         " ".join(str(text).split())[:_WIDTH]))

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        result = self._timed("execute", sql, self._con.execute, sql, *args, **kwargs)
        return self if result is self._con else result

    def executemany(self, sql: str, *args: Any, **kwargs: Any) -> _Traced:
        self._timed("executemany", sql, self._con.executemany, sql, *args, **kwargs)
        return self

    def sql(self, sql: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        return self._timed("sql", sql, self._con.sql, sql, *args, **kwargs)  # its rows are read later, untimed

    def begin(self) -> _Traced:
        self._timed("begin", "BEGIN", self._con.begin)
        return self

    def commit(self) -> _Traced:
        self._timed("commit", "COMMIT", self._con.commit)
        return self

    def rollback(self) -> _Traced:
        self._timed("rollback", "ROLLBACK", self._con.rollback)
        return self

    def register(self, name: str, data: Any) -> _Traced:  # noqa: ANN401
        self._timed("register", name, self._con.register, name, data)
        return self

    def unregister(self, name: str) -> _Traced:
        self._timed("unregister", name, self._con.unregister, name)
        return self

    def cursor(self) -> _Traced:
        return _Traced(self._con.cursor(), f"{self._tag}c")


def _connect(*args: Any, **kwargs: Any) -> _Traced:  # noqa: ANN401
    return _Traced(_CONNECT(*args, **kwargs), f"con{next(_NUMBER)}")


def _write(out: str) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        for kind, tag, wall, cpu, text in _LOG:
            fh.write(f"{kind}\t{tag}\t{wall * 1000:.2f}\t{cpu * 1000:.2f}\t{text}\n")
    print(f"{len(_LOG)} statements, {sum(r[2] for r in _LOG):.3f} s wall, {sum(r[3] for r in _LOG):.3f} s process CPU "
          f"-> {out}", file=sys.stderr)


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        raise SystemExit("usage: trace_sql.py OUT.tsv -- EXPOSURE-ARGS...")
    duckdb.connect = _connect  # type: ignore[assignment]
    atexit.register(_write, sys.argv[1])
    sys.argv = ["exposure", *sys.argv[3:]]
    from exposure.cli import main as exposure_main

    exposure_main()


if __name__ == "__main__":
    main()
