"""The list of slow tests (tests/slow.txt) from a run's durations: `make slow-list` runs every test with
`--durations` and writes here each test whose setup, call and teardown took at least `--min` seconds together, and
each module one of whose tests' setup took at least `--module-min` (a fixture the module's tests share: moving the
one test that paid it would only hand the cost to the next).

`make test` leaves the listed tests (and those marked `slow` in their module) to `make test-slow`; `make test-all`
and `.ci/run` run both. The list is measured, not chosen: a test is slow by what it cost in the last full run on
2 idle cores, and a test not (yet) listed runs in `make test`.

    python -m tests.slowlist DURATIONS.log [--min 1.5] > tests/slow.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

SLOW_LIST = Path(__file__).with_name("slow.txt")
_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (setup|call|teardown)\s+(tests/\S.*)$")


def durations(text: str) -> dict[str, float]:
    """Each test's seconds (setup + call + teardown) in pytest's `--durations` report."""
    seconds: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        if m := _LINE.match(line.rstrip()):
            seconds[m.group(3)] += float(m.group(1))
    return dict(seconds)


def setups(text: str) -> dict[str, float]:
    """Each module's longest test setup in the report (a shared fixture's cost lands on one of its tests)."""
    longest: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        if (m := _LINE.match(line.rstrip())) and m.group(2) == "setup":
            module = m.group(3).split("::")[0]
            longest[module] = max(longest[module], float(m.group(1)))
    return dict(longest)


def slow_tests(path: Path = SLOW_LIST) -> dict[str, float]:
    """The node ids (or modules) the list names, with their seconds (lines `SECONDS NODEID`; `#` comments)."""
    if not path.exists():
        return {}
    rows = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {node: float(seconds) for seconds, node in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", type=Path, nargs="+", help="output of pytest runs with --durations")
    parser.add_argument("--min", type=float, default=1.0, help="seconds at which a test counts as slow")
    parser.add_argument("--module-min", type=float, default=5.0,
                        help="seconds of one test's setup at which its whole module counts as slow")
    parser.add_argument("--keep", type=Path, help="an earlier list whose entries stay (tests this run did not time)")
    args = parser.parse_args(argv)
    text = "\n".join(log.read_text(encoding="utf-8", errors="replace") for log in args.logs)
    seconds = durations(text)
    if not seconds:
        print(f"{', '.join(map(str, args.logs))}: no --durations report in it", file=sys.stderr)
        return 2
    slow = {node: s for node, s in seconds.items() if s >= args.min}
    slow |= {module: s for module, s in setups(text).items() if s >= args.module_min}
    kept = slow_tests(args.keep) if args.keep else {}
    listed = kept | slow
    print(f"# {len(slow)} tests (or modules) took >= {args.min:g} s (setup + call + teardown; a module: a setup"
          f" >= {args.module_min:g} s) in the\n# runs read, {len(listed) - len(slow)} more kept from the earlier"
          " list. Made by `make slow-list` (tests/slowlist.py); one per line, SECONDS NODEID.")
    for node in sorted(listed):
        print(f"{listed[node]:.2f} {node}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
