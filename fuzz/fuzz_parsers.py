"""Fuzz the line parsers: bytes in, every line accounted for, only ExposureError out.

    make fuzz                                   # atheris (libFuzzer) when installed, else a hypothesis loop
    .venv/bin/python fuzz/fuzz_parsers.py -atheris_runs=20000

The first input byte picks the format (all registered formats are fuzzed), the rest is the file content.
One DuckDB case is reused; each input becomes a new evidence file, so the check is per evidence row.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from exposure import Case
from exposure.errors import ExposureError
from exposure.formats import all_formats
from exposure.ingest import IngestOptions

WORK = Path(tempfile.mkdtemp(prefix="exposure-fuzz-"))
CASE = Case(WORK / "fuzz.duckdb")
FORMATS = [f.name for f in all_formats()]
_counter = [0]


def check(data: bytes) -> None:
    """One fuzz input: ingest it with a forced format and check the line accounting."""
    if not data:
        return
    name = FORMATS[data[0] % len(FORMATS)]
    content = data[1:]
    _counter[0] += 1
    path = WORK / f"in{_counter[0]}.log"
    path.write_bytes(content)
    try:
        result = CASE.ingest([path], IngestOptions(format=name))
    except ExposureError:
        return
    finally:
        path.unlink()
    expected = content.count(b"\n") + (1 if content and not content.endswith(b"\n") else 0)
    for f in result.files:
        if f.verdict == "ingested":
            assert f.lines == expected == f.requests + f.rejected + f.skipped, (name, f, expected)
            found = CASE.con.execute(
                "SELECT (SELECT count(*) FROM requests WHERE evidence_id = $e) + "
                "(SELECT count(*) FROM rejects WHERE evidence_id = $e) + "
                "(SELECT count(*) FROM skipped WHERE evidence_id = $e)", {"e": f.evidence_id}).fetchone()[0]
            assert found == expected, (name, found, expected)


def _hypothesis_loop(runs: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    examples = [f.example.encode() + b"\n" for f in all_formats()]
    content = st.one_of(st.binary(max_size=4096),
                        st.lists(st.one_of(st.sampled_from(examples), st.binary(max_size=200)), max_size=20)
                        .map(b"".join))

    @settings(max_examples=runs, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.integers(0, 255), content)
    def run(selector: int, body: bytes) -> None:
        check(bytes([selector]) + body)

    run()


def main() -> None:
    try:
        import atheris
    except ImportError:
        runs = int(os.environ.get("FUZZ_RUNS", "2000"))
        print(f"atheris not installed: running {runs} hypothesis examples instead", file=sys.stderr)
        _hypothesis_loop(runs)
        return
    atheris.instrument_all()  # coverage guidance over the Python code already imported (exposure included)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
