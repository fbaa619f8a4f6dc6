"""The list of slow tests (tests/slow.txt) from a full run's durations: `make slow-list` runs every test with
`--durations=0` and writes here each test whose setup, call and teardown took at least `--min` seconds together.

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
_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (?:setup|call|teardown)\s+(tests/\S.*)$")


def durations(text: str) -> dict[str, float]:
    """Each test's seconds (setup + call + teardown) in pytest's `--durations` report."""
    seconds: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        if m := _LINE.match(line.rstrip()):
            seconds[m.group(2)] += float(m.group(1))
    return dict(seconds)


def slow_tests(path: Path = SLOW_LIST) -> dict[str, float]:
    """The node ids the list names, with their seconds (lines `SECONDS NODEID`; `#` comments)."""
    if not path.exists():
        return {}
    rows = (line.split(" ", 1) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
    return {node: float(seconds) for seconds, node in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="output of a full pytest run with --durations=0")
    parser.add_argument("--min", type=float, default=1.5, help="seconds at which a test counts as slow")
    args = parser.parse_args(argv)
    seconds = durations(args.log.read_text(encoding="utf-8", errors="replace"))
    if not seconds:
        print(f"{args.log}: no --durations report in it", file=sys.stderr)
        return 2
    slow = sorted((s, node) for node, s in seconds.items() if s >= args.min)
    total, kept = sum(seconds.values()), sum(s for s, _ in slow)
    print(f"# {len(slow)} of {len(seconds)} timed tests took >= {args.min:g} s (setup + call + teardown) in the"
          f" last full run:\n# {kept:.0f} of {total:.0f} s. Made by `make slow-list` (tests/slowlist.py); one"
          " test per line, SECONDS NODEID.")
    for s, node in sorted(slow, key=lambda x: x[1]):
        print(f"{s:.2f} {node}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
