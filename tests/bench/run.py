"""`make bench`: exposure against the usual tools on the same synthetic logs; a table and bench/results.json.

Each run is a whole process: wall time and peak RSS come from resource.getrusage(RUSAGE_CHILDREN) around it
(ru_maxrss of the largest child so far, so runs go from small to large). The machine may be shared: every
measurement is repeated (BENCH_REPEAT, default 3) and the minimum and median are reported.
BENCH_FULL=1 adds the 20 M-line runs (BENCH_REPEAT_LARGE times each, default BENCH_REPEAT).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from generate import TARGET, generate  # noqa: E402

VENV = ROOT / ".venv" / "bin"
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/exposure-bench"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
REPEAT_LARGE = int(os.environ.get("BENCH_REPEAT_LARGE", str(REPEAT)))  # runs on the 20 M-line file
SEED = 7

PY_RE_LOOP = r'''
import re, sys
rx = re.compile(r'^(\S+) (\S+) (.*?) \[([^\]]*)\] "(.*?)" ([0-9]{3}|-) (\S+)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?\s*$')
n = bad = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
    for line in fh:
        n += 1
        if rx.match(line) is None:
            bad += 1
print(n, bad)
'''


def _peak_of_last(cmd: list[str] | str, shell: bool) -> int:
    # ru_maxrss of children is a running max over all children: measure each command once more under
    # /usr/bin/time when it is available, for the RSS of that command alone
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if not timer:
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    full = ["/bin/sh", "-c", cmd] if shell else cmd
    out = subprocess.run([timer, "-f", "%M", *full], check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(out.strip().splitlines()[-1]) // 1024


def measure(name: str, cmd: list[str] | str, lines: int, shell: bool = False, before=None) -> dict:
    walls = []
    rss = 0
    for _ in range(REPEAT if lines < 10_000_000 else REPEAT_LARGE):
        if before:
            before()
        t0 = time.perf_counter()
        subprocess.run(cmd, shell=shell, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
    if before:
        before()
    rss = _peak_of_last(cmd, shell)
    row = {"tool": name, "lines": lines, "wall_min_s": round(min(walls), 3),
           "wall_median_s": round(statistics.median(walls), 3), "runs": len(walls), "peak_rss_mb": rss,
           "lines_per_s": round(lines / min(walls))}
    print(f"  {name:<28} {row['wall_min_s']:>8.2f} s (median {row['wall_median_s']:.2f})  "
          f"{row['lines_per_s'] / 1e6:>6.2f} M lines/s  {rss:>6} MB", flush=True)
    return row


QUERY_TIMER = r'''
import json, sys, time
from exposure import Case
case_path, target, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = {}
with Case(case_path, read_only=True) as case:
    t0 = time.perf_counter()
    case.windows(target)
    out["first_call_s"] = round(time.perf_counter() - t0, 3)
    for name in ("windows", "downloads", "per_ip", "totals"):
        walls = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            getattr(case, name)(target)
            walls.append(time.perf_counter() - t0)
        out[name + "_s"] = round(min(walls), 3)
print(json.dumps(out))
'''


def time_queries(case: Path, lines: int) -> dict:
    """Each analysis query on the ingested case, in a fresh process: the first call (loading the client
    classifiers and GeoIP databases, preparing the target's clients), then the minimum of REPEAT calls."""
    script = WORK / "query_timer.py"
    script.write_text(QUERY_TIMER)
    out = subprocess.run([sys.executable, str(script), str(case), TARGET, str(REPEAT)], check=True,
                         capture_output=True, text=True).stdout
    row = {"tool": "analysis queries", "lines": lines, **json.loads(out.strip().splitlines()[-1])}
    print(f"  analysis queries (min of {REPEAT}): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in row.items() if k.endswith("_s")), flush=True)
    return row


def _formats() -> list[str]:
    from exposure.formats import all_formats

    names = {f.name for f in all_formats()} | {f.family for f in all_formats()}
    wanted = {"w3c": ("w3c", "iis"), "s3": ("s3",), "json": ("json", "jsonl", "json_lines")}
    return [k for k, aliases in wanted.items() if names & set(aliases)]


def _run(results: dict, tool: str, lines: int) -> dict | None:
    return next((r for r in results["runs"] if r["tool"] == tool and r["lines"] == lines), None)


def targets(results: dict) -> list[dict]:
    """The issue's targets against this run's numbers (a target whose run was not made is left out)."""
    out = []

    def add(target: str, met: bool, measured: str) -> None:
        out.append({"target": target, "met": bool(met), "measured": measured})

    two, twenty = 2_000_000, 20_000_000
    ing = _run(results, "exposure ingest", two)
    if ing:
        add("ingest >= 1.5 M lines/s (floor 1.0 M)", ing["lines_per_s"] >= 1.5e6,
            f"{ing['lines_per_s'] / 1e6:.2f} M lines/s ({ing['wall_min_s']:.2f} s)")
    gz = _run(results, "exposure ingest (gzip)", two)
    if ing and gz:
        add("gzip input <= 1.5x plain", gz["wall_min_s"] <= 1.5 * ing["wall_min_s"],
            f"{gz['wall_min_s'] / ing['wall_min_s']:.2f}x")
    ana, goa = _run(results, "exposure analyse", two), _run(results, "goaccess", two)
    if ana:
        ratio = f", {goa['wall_min_s'] / ana['wall_min_s']:.1f}x faster than GoAccess" if goa else ""
        add("analyse 2 M lines <= 2 s, >= 15x GoAccess",
            ana["wall_min_s"] <= 2 and (not goa or goa["wall_min_s"] >= 15 * ana["wall_min_s"]),
            f"{ana['wall_min_s']:.2f} s{ratio}")
    big = _run(results, "exposure ingest", twenty)
    if big:
        add("peak RSS <= 1.5 GB at 20 M lines", big["peak_rss_mb"] <= 1536,
            f"{big['peak_rss_mb']} MB (2 M lines: {ing['peak_rss_mb'] if ing else '?'} MB)")
        if ing:
            ratio = big["wall_min_s"] / (10 * ing["wall_min_s"])
            add("20 M lines within 1.2x of 10x the 2 M time", ratio <= 1.2, f"{ratio:.2f}x")
    for q in results.get("queries", []):
        if q["lines"] == twenty or len(results.get("queries", [])) == 1:
            worst = max(v for k, v in q.items() if k.endswith("_s") and k != "first_call_s")
            add(f"each analysis query <= 0.5 s ({q['lines'] / 1e6:.0f} M requests)", worst <= 0.5,
                ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in q.items() if k.endswith("_s")))
    for fmt in ("w3c", "s3", "json"):
        r = next((r for r in results["runs"] if r["tool"] == f"exposure ingest ({fmt})"), None)
        if r:
            add(f"{fmt} ingest >= 0.5 M lines/s", r["lines_per_s"] >= 5e5, f"{r['lines_per_s'] / 1e6:.2f} M lines/s")
    return out


def main() -> None:
    full = os.environ.get("BENCH_FULL") == "1"
    WORK.mkdir(parents=True, exist_ok=True)
    sizes = [2_000_000] + ([20_000_000] if full else [])
    results: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                 "load_avg_at_start": os.getloadavg()},
                     "repeat": REPEAT, "seed": SEED, "runs": []}
    exposure = str(VENV / "exposure")
    for n in sizes:
        log = WORK / f"combined-{n // 1_000_000}m-seed{SEED}.log"
        if not log.exists():
            print(f"generating {log} ...", flush=True)
            generate(log, n, SEED, "combined")
        case = WORK / "bench.duckdb"

        def fresh(case: Path = case) -> None:
            case.unlink(missing_ok=True)

        gz = log.with_suffix(".log.gz")
        if n == sizes[0] and not gz.exists():
            subprocess.run(f"gzip -1 -c {log} > {gz}", shell=True, check=True)
        print(f"{n:,} combined lines, {log.stat().st_size / 1e6:.0f} MB:", flush=True)
        rows = [measure("exposure ingest", [exposure, "ingest", "--quiet", "--case", str(case), str(log)], n,
                        before=fresh)]
        queries = time_queries(case, n)  # the case of the last measured run is still there
        if n == sizes[0]:
            rows.append(measure("exposure ingest (gzip)", [exposure, "ingest", "--quiet", "--case", str(case),
                                                           str(gz)], n, before=fresh))
        rows.append(measure("exposure analyse", [exposure, "analyse", "--quiet", "--target", TARGET, "--json",
                                                 str(WORK / "answer.json"), str(log)], n))
        if n == sizes[0]:
            rows.append(measure("grep|awk|sort|uniq -c",
                                f"grep -F '{TARGET}' {log} | awk '{{print $1}}' | sort | uniq -c > /dev/null",
                                n, shell=True))
            script = WORK / "re_loop.py"
            script.write_text(PY_RE_LOOP)
            rows.append(measure("python re loop", [sys.executable, str(script), str(log)], n))
            if shutil.which("goaccess"):
                rows.append(measure("goaccess", ["goaccess", str(log), "--log-format=COMBINED", "-o",
                                                 str(WORK / "goaccess.json")], n))
            for fmt in _formats():
                other = WORK / f"{fmt}-{n // 1_000_000}m-seed{SEED}.log"
                if not other.exists():
                    generate(other, n, SEED, fmt)
                lines = sum(1 for _ in open(other, "rb"))
                rows.append(measure(f"exposure ingest ({fmt})", [exposure, "ingest", "--quiet", "--case",
                                                                str(case), str(other)], lines, before=fresh))
        base = rows[0]["wall_min_s"]
        for r in rows:
            r["ratio_to_exposure_ingest"] = round(r["wall_min_s"] / base, 2)
        results["runs"].extend(rows)
        results.setdefault("queries", []).append(queries)
    small = WORK / f"combined-{sizes[0] // 1_000_000}m-seed{SEED}.log"
    for key, script, title in (("stages", "stages.py", "where exposure ingest spends its time (2 M lines, one run)"),
                               ("floor", "floor.py", "what DuckDB itself costs here (the floor under the ingest)")):
        print(f"\n{title}:", flush=True)
        out = WORK / f"{key}.json"
        subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / script), str(small), str(out)], check=True)
        results[key] = json.loads(out.read_text())
    results["targets"] = targets(results)
    results["machine"]["load_avg_at_end"] = os.getloadavg()
    out = ROOT / "bench" / "results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(f"{'tool':<28} {'lines':>11} {'wall min':>9} {'median':>8} {'M lines/s':>9} {'RSS MB':>7} {'× ingest':>8}")
    for r in results["runs"]:
        print(f"{r['tool']:<28} {r['lines']:>11,} {r['wall_min_s']:>9.2f} {r['wall_median_s']:>8.2f} "
              f"{r['lines_per_s'] / 1e6:>9.2f} {r['peak_rss_mb']:>7} {r['ratio_to_exposure_ingest']:>8.2f}")
    print("\nissue 7 targets:")
    for t in results["targets"]:
        print(f"  {'met ' if t['met'] else 'NOT '} {t['target']:<58} {t['measured']}")
    print(f"load average {results['machine']['load_avg_at_start']} -> {results['machine']['load_avg_at_end']}"
          f" on {os.cpu_count()} cpus; wrote {out}")


if __name__ == "__main__":
    main()
