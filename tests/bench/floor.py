"""What DuckDB itself costs on this machine, for `make bench`: the floor under any ingest built on it.

    python tests/bench/floor.py LOG OUT.json

- `read_csv` of the whole file as one column, counted (the cost of reading lines in DuckDB);
- `read_csv` splitting the combined format into 10 VARCHAR columns, written into a case file: DuckDB's own
  fastest parse-and-store, with no line numbers, no validation, no UTC conversion, no hashing, no rejects;
- writing 2 M rows of 16 BIGINT or 16 VARCHAR columns from memory into a case file: the cost of storing one
  value, which multiplied by the columns of a request row bounds the ingest from below.
Each is the minimum of 3 runs, CPU seconds (user + sys, both threads) beside wall seconds.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

COLUMNS_10 = ("{'client': 'VARCHAR', 'ident': 'VARCHAR', 'userid': 'VARCHAR', 'time': 'VARCHAR', "
              "'zone': 'VARCHAR', 'request': 'VARCHAR', 'status': 'VARCHAR', 'bytes': 'VARCHAR', "
              "'referer': 'VARCHAR', 'agent': 'VARCHAR'}")
ROWS = 2_000_000


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _best(run, repeat: int = 3) -> dict[str, float]:
    best = None
    for _ in range(repeat):
        c0, t0 = _cpu(), time.perf_counter()
        run()
        got = {"wall_s": time.perf_counter() - t0, "cpu_s": _cpu() - c0}
        if best is None or got["cpu_s"] < best["cpu_s"]:
            best = got
    return {k: round(v, 3) for k, v in best.items()}


def measure(log: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    quoted = str(log).replace("'", "''")
    with tempfile.TemporaryDirectory() as tmp:
        mem = duckdb.connect()
        out["read_csv lines, count"] = _best(lambda: mem.execute(
            f"SELECT count(*) FROM read_csv('{quoted}', delim='\\x01', quote='', escape='', header=false, "
            "columns={'l': 'VARCHAR'}, auto_detect=false)").fetchall())

        def csv_into_case(n=[0]) -> None:  # noqa: B006 (a counter for fresh file names)
            n[0] += 1
            con = duckdb.connect(f"{tmp}/csv{n[0]}.duckdb")
            con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv('{quoted}', delim=' ', quote='\"', escape='\\', "
                        f"header=false, columns={COLUMNS_10}, auto_detect=false, strict_mode=false, "
                        "ignore_errors=true)")
            con.execute("CHECKPOINT")
            con.close()

        out["read_csv 10 VARCHAR columns into a case file"] = _best(csv_into_case)
        for kind, expr in (("BIGINT", "(i * {k}) % 100000"), ("VARCHAR", "'abc' || ((i * {k}) % 1000)::VARCHAR")):
            cols = ", ".join(f"{expr.format(k=k + 1)} AS c{k}" for k in range(16))
            mem.execute(f"CREATE TABLE src_{kind} AS SELECT {cols} FROM range({ROWS}) t(i)")

            def store(kind: str = kind, n=[0]) -> None:  # noqa: B006
                n[0] += 1
                mem.execute(f"ATTACH '{tmp}/store{kind}{n[0]}.duckdb' AS d")
                mem.execute(f"CREATE TABLE d.t AS SELECT * FROM src_{kind} LIMIT 0")
                mem.execute(f"INSERT INTO d.t SELECT * FROM src_{kind}")
                mem.execute("CHECKPOINT d")
                mem.execute("DETACH d")

            got = _best(store)
            got["ns_per_value"] = round(got["cpu_s"] / (ROWS * 16) * 1e9, 1)
            out[f"store 2 M rows x 16 {kind} columns into a case file"] = got
    return out


def main() -> None:
    result = measure(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(result, indent=2) + "\n")
    for name, row in result.items():
        extra = f"  ({row['ns_per_value']} ns CPU per value)" if "ns_per_value" in row else ""
        print(f"  {name:<52} {row['wall_s']:>6.2f} s wall {row['cpu_s']:>6.2f} s CPU{extra}", flush=True)


if __name__ == "__main__":
    main()
