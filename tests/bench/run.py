"""`make bench`: exposure beside lnav and GoAccess on the same synthetic logs, in the same run (issue 19).

Every measurement is a whole process, timed from outside. Runs of the tools compared are interleaved (exposure,
lnav, GoAccess, exposure, ...), so load from elsewhere falls on all of them alike; the median of BENCH_REPEAT
runs (default 3) is what a target is judged on, the minimum is shown beside it. Peak RSS is measured once
more under /usr/bin/time. lnav (index every line, then one SQL count) and GoAccess are skipped with a clear
line when absent; each tool's own count of lines is recorded, so a tool that read less is seen.

Sections: many small files (combined, S3, CloudFront .gz); one 2 M-line combined file; the same 2 M lines in
the other formats (time per line, and the fixed cost of a small file); the first answer (analyse of one target
on the ingested case, in a fresh process); the stage profile and DuckDB's floor. BENCH_FULL=1 adds 20 M lines
(peak memory of ingest, analyse and `files`); BENCH_ONLY=small runs the CLI start and the small files only
(bench/results-small.json). Each section records the load average around it. Writes bench/results.json;
nothing here runs in `make test`.
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
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from generate import TARGET, generate, generate_files  # noqa: E402

VENV = ROOT / ".venv" / "bin"
EXPOSURE = str(VENV / "exposure")
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/exposure-bench"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
SEED = 7
TWO_M = 2_000_000
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
LNAV, GOACCESS = shutil.which("lnav"), shutil.which("goaccess")
# lnav's table for each format (its own format names), GoAccess's predefined log formats
LNAV_TABLE = {"combined": "access_log", "s3": "s3_log", "cloudfront": "w3c_log", "w3c": "w3c_log", "json": "all_logs"}
GOACCESS_FORMAT = {"combined": "COMBINED", "s3": "AWSS3", "cloudfront": "CLOUDFRONT", "w3c": "W3C"}


PEER_TIMEOUT = float(os.environ.get("BENCH_PEER_TIMEOUT", "60"))  # a peer stopped after this long (lnav, 10,000 files)


def _run(cmd: list[str] | str, shell: bool = False, timeout: float | None = None) -> float:
    """Wall seconds of one run; a run stopped at `timeout` counts as `timeout` (recorded as stopped)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)  # the peer's own process group: started here, stopped here
        proc.wait()
        return timeout or 0.0
    if code:
        raise subprocess.CalledProcessError(code, cmd)
    return time.perf_counter() - t0


def _peak_mb(cmd: list[str] | str, shell: bool = False) -> int | None:
    if not TIME:
        return None
    full = ["/bin/sh", "-c", cmd] if shell else cmd
    out = subprocess.run([TIME, "-f", "%M", *full], check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(out.strip().splitlines()[-1]) // 1024


class Tool:
    """One command to time: `before` runs ahead of each run (a fresh case), `count` asks how many lines it read."""

    def __init__(self, name: str, cmd: list[str] | str, shell: bool = False, before: Callable[[], None] | None = None,
                 count: Callable[[], int | None] | None = None, timeout: float | None = None) -> None:
        self.name, self.cmd, self.shell, self.before, self.count = name, cmd, shell, before, count
        self.timeout = timeout
        self.walls: list[float] = []
        self.stopped = False

    def once(self) -> None:
        if self.stopped:  # a peer past its time limit is not run again
            return
        if self.before:
            self.before()
        self.walls.append(_run(self.cmd, self.shell, self.timeout))
        self.stopped = self.timeout is not None and self.walls[-1] >= self.timeout

    def row(self, work: str, lines: int) -> dict:
        if self.stopped:
            print(f"  {self.name:<34} stopped after {self.timeout:.0f} s (BENCH_PEER_TIMEOUT)", flush=True)
            return {"work": work, "tool": self.name, "lines": lines, "wall_median_s": self.timeout,
                    "wall_min_s": self.timeout, "walls_s": self.walls, "runs": len(self.walls), "peak_rss_mb": None,
                    "lines_per_s": round(lines / self.timeout), "lines_seen": None, "stopped_after_s": self.timeout}
        if self.before:
            self.before()
        rss = _peak_mb(self.cmd, self.shell)
        seen = self.count() if self.count else None
        med = statistics.median(self.walls)
        row = {"work": work, "tool": self.name, "lines": lines, "wall_median_s": round(med, 3),
               "wall_min_s": round(min(self.walls), 3), "walls_s": [round(w, 3) for w in self.walls],
               "runs": len(self.walls), "peak_rss_mb": rss, "lines_per_s": round(lines / med),
               "lines_seen": seen}
        print(f"  {self.name:<34} {med:>8.2f} s median (min {min(self.walls):.2f})  {lines / med / 1e6:>6.2f} M lines/s"
              f"  {rss if rss is not None else '?':>6} MB" + (f"  read {seen:,} lines" if seen is not None else ""),
              flush=True)
        return row


def interleaved(tools: list[Tool], repeat: int = REPEAT) -> None:
    for _ in range(repeat):
        for tool in tools:
            tool.once()


def fresh(case: Path) -> Callable[[], None]:
    def clear() -> None:
        for p in (case, Path(f"{case}.wal")):
            p.unlink(missing_ok=True)
        shutil.rmtree(f"{case}.tmp", ignore_errors=True)
    return clear


def case_lines(case: Path) -> Callable[[], int]:
    """The lines exposure accounted for (requests + rejected + skipped of the ingested files)."""
    def count() -> int:
        import duckdb

        con = duckdb.connect(str(case), read_only=True)
        try:
            return int(con.execute("SELECT coalesce(sum(lines), 0) FROM evidence WHERE verdict = 'ingested'"
                                   ).fetchone()[0])
        finally:
            con.close()
    return count


def lnav_tool(path: Path, fmt: str) -> Tool | None:
    if not LNAV:
        return None
    cmd = [LNAV, "-n", "-c", f";SELECT count(*) FROM {LNAV_TABLE[fmt]}", str(path)]

    def count() -> int | None:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.split()
        return int(out[-1]) if out and out[-1].isdigit() else None
    return Tool("lnav (index + SQL count)", cmd, count=count, timeout=PEER_TIMEOUT)


def goaccess_tool(path: Path, fmt: str, gz: bool = False) -> Tool | None:
    if not GOACCESS or fmt not in GOACCESS_FORMAT:
        return None
    out = WORK / "goaccess.json"
    cat = "zcat" if gz else "cat"
    src = f"{cat} {path}/*" if path.is_dir() else f"{cat} {path}"
    return Tool("goaccess", f"{src} | {GOACCESS} - --log-format={GOACCESS_FORMAT[fmt]} -o {out}", shell=True,
                timeout=PEER_TIMEOUT)


def skipped_peers(fmt: str) -> list[str]:
    out = []
    if not LNAV:
        out.append("lnav: skipped (not installed; Debian: apt-get install lnav)")
    if not GOACCESS:
        out.append("goaccess: skipped (not installed; Debian: apt-get install goaccess)")
    elif fmt not in GOACCESS_FORMAT:
        out.append(f"goaccess: skipped (no predefined {fmt} log format)")
    return out


def lnav_fields_tool(path: Path) -> Tool | None:
    """lnav answering a query that reads fields of every line (its count(*) needs only its line index)."""
    if not LNAV:
        return None
    cmd = [LNAV, "-n", "-c", ";SELECT count(*), sum(sc_bytes), count(DISTINCT c_ip) FROM access_log", str(path)]
    return Tool("lnav (index + a query of every field)", cmd, timeout=PEER_TIMEOUT)


def compare(work: str, path: Path, fmt: str, lines: int, gz: bool = False, repeat: int = REPEAT,
            fields: bool = False) -> list[dict]:
    """exposure ingest beside lnav and GoAccess on `path`, interleaved."""
    print(f"\n{work}:", flush=True)
    case = WORK / "bench.duckdb"
    tools = [Tool("exposure ingest", [EXPOSURE, "ingest", "--quiet", "--case", str(case), str(path)],
                  before=fresh(case), count=case_lines(case))]
    tools += [t for t in (lnav_tool(path, fmt), lnav_fields_tool(path) if fields else None,
                          goaccess_tool(path, fmt, gz)) if t]
    load = os.getloadavg()
    interleaved(tools, repeat)
    for note in skipped_peers(fmt):
        print(f"  {note}", flush=True)
    rows = [t.row(work, lines) for t in tools]
    after = os.getloadavg()[0]
    print(f"  load average {load[0]:.2f} before, {after:.2f} after (other work on the machine "
          "slows every tool of the section alike: they are interleaved)", flush=True)
    for row in rows:
        row["load_avg"] = [round(load[0], 2), round(after, 2)]
    return rows


FIRST_ANSWER = r'''
import json, sys, time
t0 = time.perf_counter()
from exposure import Case
from exposure.answer import write_json
from exposure.analysis.options import AnalysisOptions
case_path, target, out = sys.argv[1], sys.argv[2], sys.argv[3]
t1 = time.perf_counter()
c1 = time.process_time()
with Case(case_path, read_only=True) as case:
    answer = case.analyse(case.expand_targets([target], [], []), AnalysisOptions())
    write_json(answer, out)
t2 = time.perf_counter()
print(json.dumps({"imports_s": round(t1 - t0, 3), "answer_s": round(t2 - t1, 3),
                  "answer_cpu_s": round(time.process_time() - c1, 3)}))
'''


def first_answer(case: Path, lines: int) -> dict:
    """analyse of one target on the ingested case, in fresh processes: imports, then open -> JSON written (the
    analysis modules, the GeoIP reader and orjson load inside that time, as they do for `exposure analyse`; pandas
    is never imported on that path, tests/analysis/test_first_answer.py); CPU of every thread beside the wall
    time, since the shared machine's load moves the wall time most."""
    script = WORK / "first_answer.py"
    script.write_text(FIRST_ANSWER)
    cmd = [sys.executable, str(script), str(case), TARGET, str(WORK / "answer.json")]
    runs = [json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
            for _ in range(REPEAT)]
    rss = _peak_mb(cmd)
    row = {"work": f"first answer, {lines / 1e6:.0f} M-line case", "tool": "exposure analyse (one target)",
           "lines": lines, "answer_median_s": round(statistics.median(r["answer_s"] for r in runs), 3),
           "answers_s": [r["answer_s"] for r in runs],
           "answer_cpu_median_s": round(statistics.median(r["answer_cpu_s"] for r in runs), 3),
           "imports_median_s": round(statistics.median(r["imports_s"] for r in runs), 3), "peak_rss_mb": rss,
           "load_avg": os.getloadavg()[0]}
    print(f"  analyse one target (open case -> JSON written): {row['answer_median_s']:.2f} s median "
          f"{row['answers_s']}, {row['answer_cpu_median_s']:.2f} CPU-s, imports {row['imports_median_s']:.2f} s, "
          f"{rss} MB", flush=True)
    return row


def startup() -> dict:
    """The CLI's own start: `exposure --help` and the import of the CLI module."""
    walls = [_run([EXPOSURE, "--help"]) for _ in range(max(REPEAT, 5))]
    imports = [_run([sys.executable, "-c", "import exposure.cli"]) for _ in range(max(REPEAT, 5))]
    row = {"work": "CLI start", "tool": "exposure --help", "help_median_s": round(statistics.median(walls), 3),
           "import_cli_median_s": round(statistics.median(imports), 3)}
    print(f"\nCLI start: exposure --help {row['help_median_s']:.2f} s, import exposure.cli "
          f"{row['import_cli_median_s']:.2f} s (medians)", flush=True)
    return row


def _fmt_file(fmt: str, n: int) -> Path:
    path = WORK / f"{fmt}-{n}-seed{SEED}.log"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, n, SEED, fmt)
    return path


def _lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 24), b""))


def _row(results: dict, work: str, tool: str) -> dict | None:
    return next((r for r in results["runs"] if r["work"] == work and r["tool"] == tool), None)


SMALL = [("1,000 combined files of 20 lines", "combined", 1000, 20, False),
         ("10,000 S3 server-access-log files of ~20 lines", "s3", 10_000, 20, False),
         ("5,000 CloudFront .gz files of ~20 lines", "cloudfront", 5000, 20, True)]
ONE_FILE = "2 M combined lines, one file"


def targets(results: dict) -> list[dict]:
    """Issue 19's targets against this run's numbers (a target whose run was not made is left out)."""
    out = []

    def add(target: str, measured: str, met: bool | None) -> None:
        out.append({"target": target, "measured": measured, "met": met})

    exp = "exposure ingest"
    lnav = "lnav (index + SQL count)"
    work = SMALL[0][0]
    e, ln = _row(results, work, exp), _row(results, work, lnav)
    if e:
        add("1,000 combined files of 20 lines within 2x lnav's wall time",
            f"{e['wall_median_s']:.2f} s" + (f" = {e['wall_median_s'] / ln['wall_median_s']:.2f}x lnav's "
                                             f"{ln['wall_median_s']:.2f} s" if ln else " (lnav absent)"),
            e["wall_median_s"] <= 2 * ln["wall_median_s"] if ln else None)
    for work, limit in ((SMALL[1][0], 10.0), (SMALL[2][0], 10.0)):
        e = _row(results, work, exp)
        if e:
            add(f"{work}: <= {limit:.0f} s", f"{e['wall_median_s']:.2f} s", e["wall_median_s"] <= limit)
    e, ln = _row(results, ONE_FILE, exp), _row(results, ONE_FILE, lnav)
    if e and ln:
        speed = ln["wall_median_s"] / e["wall_median_s"]
        add("one 2 M-line file at >= 1.5x lnav's speed", f"{speed:.2f}x ({e['wall_median_s']:.2f} s vs "
            f"{ln['wall_median_s']:.2f} s)", speed >= 1.5)
        pairs = list(zip(e["walls_s"], ln["walls_s"], strict=False))
        add("one 2 M-line file never slower than lnav (each interleaved pair)",
            ", ".join(f"{a:.2f}/{b:.2f}" for a, b in pairs), all(a <= b for a, b in pairs))
    if e:
        per_line = e["wall_median_s"] / e["lines"]
        for fmt in ("w3c", "s3", "cloudfront", "json"):
            r = _row(results, f"2 M {fmt} lines, one file", exp)
            if r:
                ratio = r["wall_median_s"] / r["lines"] / per_line
                add(f"{fmt} within 1.5x combined's time per line", f"{ratio:.2f}x", ratio <= 1.5)
    for r in results.get("fixed", []):
        add(f"{r['format']}: fixed per-case cost <= 1 s (a 1,000-line file beside combined's)",
            f"{r['fixed_s']:+.2f} s ({r['wall_median_s']:.2f} s vs {r['combined_s']:.2f} s)", r["fixed_s"] <= 1.0)
    for r in results.get("first_answer", []):
        if r["lines"] == TWO_M:
            add("first answer on a 2 M-line case <= 1 s after ingest", f"{r['answer_median_s']:.2f} s",
                r["answer_median_s"] <= 1.0)
    for r in results.get("memory", []):
        add(f"peak RSS <= 1.5 GB at 20 M lines: {r['tool']}", f"{r['peak_rss_mb']} MB", r["peak_rss_mb"] <= 1536)
    return out


def main() -> None:
    full = os.environ.get("BENCH_FULL") == "1"
    only_small = os.environ.get("BENCH_ONLY") == "small"  # the CLI start and the small-file sections, by hand
    WORK.mkdir(parents=True, exist_ok=True)
    # bytecode as an installed wheel has it (make install does the same): never a compile from source timed
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "exposure")], check=True)
    results: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                 "load_avg_at_start": os.getloadavg()},
                     "repeat": REPEAT, "seed": SEED, "peers": {"lnav": LNAV, "goaccess": GOACCESS}, "runs": []}
    for tool, path in (("lnav", LNAV), ("goaccess", GOACCESS)):
        if path:
            first = subprocess.run([path, "-V" if tool == "lnav" else "--version"], capture_output=True,
                                   text=True).stdout.strip().splitlines()
            results["peers"][f"{tool}_version"] = first[0] if first else "?"
    results["startup"] = startup()
    for work, fmt, n_files, per_file, gz in SMALL:
        folder = generate_files(WORK / f"{fmt}-{n_files}x{per_file}{'-gz' if gz else ''}", n_files, per_file, SEED,
                                fmt, gz)
        results["runs"] += compare(work, folder, fmt, n_files * per_file, gz)
    if only_small:
        _finish(results, only_small)
        return
    log = _fmt_file("combined", TWO_M)
    results["runs"] += compare(ONE_FILE, log, "combined", TWO_M, fields=True)
    results["first_answer"] = [first_answer(WORK / "bench.duckdb", TWO_M)]  # the last ingest's case
    combined_small = _fmt_file("combined", 1000)
    fixed = []
    for fmt in ("w3c", "s3", "cloudfront", "json"):
        path = _fmt_file(fmt, TWO_M)
        results["runs"] += compare(f"2 M {fmt} lines, one file", path, fmt, _lines(path), repeat=max(1, REPEAT - 1))
        small = _fmt_file(fmt, 1000)
        case = WORK / "small.duckdb"
        tools = [Tool(f"exposure ingest ({fmt}, 1,000 lines)", [EXPOSURE, "ingest", "--quiet", "--case", str(case),
                                                               str(small)], before=fresh(case)),
                 Tool("exposure ingest (combined, 1,000 lines)", [EXPOSURE, "ingest", "--quiet", "--case", str(case),
                                                                 str(combined_small)], before=fresh(case))]
        interleaved(tools)
        a, b = (statistics.median(t.walls) for t in tools)
        fixed.append({"format": fmt, "wall_median_s": round(a, 3), "combined_s": round(b, 3),
                      "fixed_s": round(a - b, 3)})
        print(f"  fixed cost, 1,000 {fmt} lines vs combined: {a:.2f} s vs {b:.2f} s", flush=True)
    results["fixed"] = fixed
    if full:
        big = _fmt_file("combined", 20_000_000)
        case = WORK / "big.duckdb"
        print("\n20 M combined lines (memory):", flush=True)
        fresh(case)()
        mem = []
        for name, cmd in (("exposure ingest", [EXPOSURE, "ingest", "--quiet", "--case", str(case), str(big)]),
                          ("exposure analyse (one target, ingested case)",
                           [sys.executable, str(WORK / "first_answer.py"), str(case), TARGET, str(WORK / "a.json")]),
                          ("exposure files (every path)", [EXPOSURE, "files", "--case", str(case), "--csv"])):
            t0 = time.perf_counter()
            rss = _peak_mb(cmd)
            mem.append({"tool": name, "lines": 20_000_000, "peak_rss_mb": rss,
                        "wall_s": round(time.perf_counter() - t0, 2)})
            print(f"  {name:<46} {rss} MB  {mem[-1]['wall_s']:.1f} s", flush=True)
        results["memory"] = mem
        results["first_answer"].append(first_answer(case, 20_000_000))
    for key, script, title in (("stages", "stages.py", "where exposure ingest spends its time (2 M lines, one run)"),
                               ("floor", "floor.py", "what DuckDB itself costs here (the floor under the ingest)")):
        print(f"\n{title}:", flush=True)
        out = WORK / f"{key}.json"
        subprocess.run([sys.executable, str(ROOT / "tests" / "bench" / script), str(log), str(out)], check=True)
        results[key] = json.loads(out.read_text())
    _finish(results, only_small)


def _finish(results: dict, only_small: bool) -> None:
    """The targets, bench/results.json (bench/results-small.json for BENCH_ONLY=small) and the summary."""
    results["targets"] = targets(results)
    results["machine"]["load_avg_at_end"] = os.getloadavg()
    out = ROOT / "bench" / ("results-small.json" if only_small else "results.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'work':<48} {'tool':<34} {'median s':>9} {'min s':>7} {'M lines/s':>9} {'RSS MB':>7} {'lines read':>11}")
    for r in results["runs"]:
        print(f"{r['work']:<48} {r['tool']:<34} {r['wall_median_s']:>9.2f} {r['wall_min_s']:>7.2f} "
              f"{r['lines_per_s'] / 1e6:>9.2f} {r['peak_rss_mb'] or '?':>7} "
              f"{r['lines_seen'] if r['lines_seen'] is not None else '':>11}")
    print("\nissue 19 targets (measured / target / met):")
    for t in results["targets"]:
        met = "met " if t["met"] else ("n/a " if t["met"] is None else "NOT ")
        print(f"  {met} {t['target']:<74} {t['measured']}")
    print(f"load average {results['machine']['load_avg_at_start']} -> {results['machine']['load_avg_at_end']}"
          f" on {os.cpu_count()} cpus; wrote {out}")


if __name__ == "__main__":
    main()
