"""The fixed cost per case of two source trees, interleaved (old, new; new, old; ...): the median wall and CPU
seconds (user + sys of the command's process, all its threads) of

    (a) `exposure ingest` of a 2-line combined log into a new case,
    (b) `exposure analyse --target` on that case,
    (c) `exposure ingest` of a folder of many small files into a new case (tests/bench/generate.py).

    python tests/bench/fixedcost.py OLD_TREE NEW_TREE LOG2 FOLDER RUNS

Each tree runs as `python -m exposure` in its folder, with PYTHONPATH set to it (a checkout or `git archive` of a
commit), with this interpreter. Its SQL is its own queries/: a tree without `exposure/sql` is given the link
`exposure/sql -> ../queries` for the run (taken away after), else `exposure.sql` resolves through the editable
install to the checkout the interpreter was installed from, and an SQL change would be measured as both trees. Run it on a quiet machine: on a shared one the walls move by a quarter of a second and the CPU by
~0.05 s between runs of the same tree.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def _run(tree: str, args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # run in the tree: `python -m` puts the working folder before PYTHONPATH (another checkout there would win)
    subprocess.run([sys.executable, "-m", "exposure", *args], env={**os.environ, "PYTHONPATH": tree}, cwd=tree,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _own_sql(tree: str) -> str | None:
    """Link the tree's queries/ as its package `exposure.sql` where it has no such package: the link made, or None."""
    link = os.path.join(tree, "exposure", "sql")
    if os.path.lexists(link) or not os.path.isdir(os.path.join(tree, "queries")):
        return None
    os.symlink(os.path.join("..", "queries"), link)
    return link


def main() -> None:
    old, new, log2, folder = (os.path.abspath(a) for a in sys.argv[1:5])
    runs = int(sys.argv[5])
    trees = {"old": old, "new": new}
    links = [link for tree in dict.fromkeys(trees.values()) if (link := _own_sql(tree))]
    try:
        _measure(trees, log2, folder, runs)
    finally:
        for link in links:
            os.unlink(link)


def _measure(trees: dict[str, str], log2: str, folder: str, runs: int) -> None:
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for i in range(runs):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            work = tempfile.mkdtemp(prefix="fixedcost-")
            try:
                case, many = os.path.join(work, "t.duckdb"), os.path.join(work, "c.duckdb")
                for step, args in (("a", ["ingest", "--quiet", "--case", case, log2]),
                                   ("b", ["analyse", "--quiet", "--case", case, "--target", "/documenten/a.xlsx"]),
                                   ("c", ["ingest", "--quiet", "--case", many, folder])):
                    times.setdefault((name, step), []).append(_run(trees[name], args))
            finally:
                shutil.rmtree(work, ignore_errors=True)
    labels = {"a": "(a) 2-line ingest", "b": "(b) analyse --target", "c": "(c) many-file ingest"}
    for step, label in labels.items():
        o, n = ([statistics.median(x[j] for x in times[(t, step)]) for j in (0, 1)] for t in ("old", "new"))
        print(f"{label:22s} old wall {o[0]:.3f} s CPU {o[1]:.3f} s | new wall {n[0]:.3f} s CPU {n[1]:.3f} s | "
              f"CPU {n[1] - o[1]:+.3f} s (medians of {runs})")


if __name__ == "__main__":
    main()
