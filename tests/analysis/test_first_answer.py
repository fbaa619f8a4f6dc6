"""What makes the first answer fast must not change it (issue 19): the download rule's steps kept per target,
client facts and size options; the JSON written by orjson; DuckDB's memory bounded on every connection."""

from __future__ import annotations

import json
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.answer import answer_json

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def test_the_rule_is_computed_again_when_its_inputs_change(sample_case_path: Path) -> None:
    """One Case, one target, asked again with another size and other internal ranges: each answer is the one a
    fresh case gives (a rule kept from the earlier question would give the earlier numbers)."""
    plain = AnalysisOptions(internal=("203.0.113.0/24",))
    sized = AnalysisOptions(internal=("203.0.113.0/24",), size=1_000)
    staff = AnalysisOptions(internal=("0.0.0.0/0",))
    with Case(sample_case_path, read_only=True) as case:
        kept = [case.analysis.totals(TARGET, o) for o in (plain, sized, staff, plain)]
    fresh = []
    for o in (plain, sized, staff):
        with Case(sample_case_path, read_only=True) as case:
            fresh.append(case.analysis.totals(TARGET, o))
    assert kept == [*fresh, fresh[0]]
    assert fresh[0]["complete_downloads"] == 11 and fresh[1] != fresh[0] and fresh[2] != fresh[0]


def test_answer_json_is_the_standard_encoders_bytes(sample_case_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        answer = case.analyse([TARGET], AnalysisOptions())
    text = answer_json(answer)
    assert text == json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(text) == json.loads(json.dumps(answer))
    assert answer_json({1: "a key that is no string"}) == '{\n  "1": "a key that is no string"\n}\n'


def test_every_case_connection_has_a_memory_limit(sample_case_copy: Path) -> None:
    for read_only in (True, False):
        with Case(sample_case_copy, read_only=read_only) as case:
            limit = case.file.fetchone("SELECT current_setting('memory_limit')")[0]
            number, unit = limit.split()
            assert unit in ("MiB", "MB") and float(number) <= 1024, limit


_ANSWER_IMPORTS = """
import sys
from typer.testing import CliRunner
from exposure.cli import app
result = CliRunner().invoke(app, ["analyse", sys.argv[1], "--case", sys.argv[2], "--target", sys.argv[3],
                                  "--internal", "203.0.113.0/24", "--json", sys.argv[4], "-q"])
assert result.exit_code == 0, result.output
print("loaded", *sorted(m for m in sys.modules if m.split(".")[0] == "pandas" or m == "pyarrow.compute"))
"""


def test_the_answer_imports_no_pandas(sample_case_copy: Path, tmp_path: Path) -> None:
    """`analyse` (open the case, client facts, every query, the JSON) reads its rows from Arrow and DuckDB: pandas'
    import alone (0.17-0.26 s) was a fifth of the first answer on 2 M lines. The answer it writes is still the
    sample's (11 complete downloads from 7 addresses)."""
    import subprocess
    import sys

    from tests.conftest import SAMPLE_LOGS

    out = tmp_path / "answer.json"
    run = subprocess.run([sys.executable, "-c", _ANSWER_IMPORTS, str(SAMPLE_LOGS), str(sample_case_copy), TARGET,
                          str(out)], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2])
    assert run.stdout.split("\n")[-2] == "loaded"
    totals = json.loads(out.read_text(encoding="utf-8"))["targets"][0]["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (11, 7)
