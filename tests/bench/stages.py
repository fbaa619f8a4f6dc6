"""Where `exposure ingest` spends its time, for `make bench`: one ingest of LOG into a new case, profiled.

    python tests/bench/stages.py LOG OUT.json

Wall seconds per stage of the main thread (cProfile of the few calls per 32 MB chunk: no per-line cost), the
process CPU seconds (both DuckDB threads and the reader thread), the reader thread's own CPU, and the time
the CLI takes to start (imports).
"""

from __future__ import annotations

import cProfile
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from exposure import Case  # noqa: E402
from exposure import evidence as evidence_mod  # noqa: E402

# (stage, module file, function) in the order an ingest meets them
STAGES = [
    ("detect the format (sniff 256 KB)", "ingest.py", "_choose_formats"),
    ("cheap path: parse + write requests", "ingest.py", "_insert"),
    ("clients to normalise (scan + Python ipaddress)", "ingest.py", "_address_map"),
    ("lines left over: full parse", "ingest.py", "run"),
    ("wait for the reader thread", "queue.py", "get"),
    ("count lines per file, registry rows", "ingest.py", "_parsed_rows"),
    ("row digests for the seal", "rowdigest.py", "write_blocks"),
    ("overlapping copies", "overlap.py", "detect_overlaps"),
    ("byte meanings inferred", "facts.py", "infer_facts"),
]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def profile(log: Path) -> dict[str, float]:
    reader_cpu = [0.0]
    read_lines = evidence_mod.read_lines

    def timed_read_lines(*args, **kwargs):  # the reader thread's CPU (SHA-256, newline split, Arrow)
        t0 = time.thread_time()
        for chunk in read_lines(*args, **kwargs):
            reader_cpu[0] += time.thread_time() - t0
            yield chunk
            t0 = time.thread_time()
        reader_cpu[0] += time.thread_time() - t0

    evidence_mod.read_lines = timed_read_lines
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        c0, t0 = _cpu(), time.perf_counter()
        prof = cProfile.Profile()
        with Case(Path(tmp) / "case.duckdb") as case:
            prof.enable()
            case.ingest([str(log)])
            prof.disable()
        out["total wall"] = time.perf_counter() - t0
        out["total CPU (all threads)"] = _cpu() - c0
    evidence_mod.read_lines = read_lines
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    for name, file, func in STAGES:
        out[name] = sum(v[3] for (f, _, fn), v in stats.items() if f.endswith(file) and fn == func
                        and (func != "get" or threading.main_thread()))
    out["reader thread CPU (overlapped)"] = reader_cpu[0]
    out["commit and checkpoint"] = sum(v[3] for (f, _, fn), v in stats.items()
                                       if f.endswith("case.py") and fn == "ingest") - sum(
        v[3] for (f, _, fn), v in stats.items() if f.endswith("ingest.py") and fn == "ingest_paths")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import exposure.cli"], check=True)
    out["CLI start (imports)"] = time.perf_counter() - t0
    return {k: round(v, 3) for k, v in out.items()}


def main() -> None:
    result = profile(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(result, indent=2) + "\n")
    for name, seconds in result.items():
        print(f"  {name:<52} {seconds:>7.2f} s", flush=True)


if __name__ == "__main__":
    main()
