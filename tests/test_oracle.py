"""A differential test: random scenarios (tests/oracle_scenarios.py) written in every format exposure reads, the
answer of the written rule (tests/oracle_rule.py, plain Python, no tool code) against the tool's (the Python
API, and the CLI's JSON answer) number by number. A mismatch prints the scenario's log lines and both answers.

`make test-all` (and CI) runs a fixed handful of seeds per format; more by hand, e.g.
`ORACLE_SEEDS=0-400 .venv/bin/python -m pytest -q -n 2 tests/test_oracle.py` (any `a-b` or `a,b,c`).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.ingest import IngestOptions

from .oracle_rule import expected
from .oracle_scenarios import FORMATS, INTERNAL, TARGET, LogFormat, Scenario, generate, write_logs

DEFAULT_SEEDS = "1"  # make test-all: one scenario per layout (each seed draws new ones; more by hand)
CLI_FORMATS = ("combined", "vhost_combined-%O", "nginx-xff", "cloudfront", "iis", "s3")
ENV = {"COLUMNS": "200", "NO_COLOR": "1", "EXPOSURE_GEOIP_CITY": "none", "EXPOSURE_GEOIP_ASN": "none"}


def seeds() -> list[int]:
    out: list[int] = []
    for part in os.environ.get("ORACLE_SEEDS", DEFAULT_SEEDS).split(","):
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def tool_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """The numbers of the tool's JSON answer the oracle also gives, in the oracle's shape."""
    [t] = answer["targets"]
    return {
        "windows": [{k: w[k] for k in ("first_available", "last_available", "first_unavailable",
                                       "open_at_log_start", "size_bytes")} for w in t["windows"]],
        "downloads": sorted((d["time"], d["client_ip"], d["kind"], d["outcome"], d["outcome_inferred"])
                            for d in t["downloads"]),
        "range_groups": sorted((d["time"], d["client_ip"], d["size_rule"], d["bytes"], d["size_bytes"])
                               for d in t["downloads"] if d["kind"] == "range"),
        "per_ip": {p["client_ip"]: {"complete": p["complete"], "complete_inferred": p["complete_inferred"],
                                    "partial": p["partial"],
                                    "internal": p["internal"],
                                    "copy_before_evidence": p["copy_before_evidence"]} for p in t["per_ip"]},
        "totals": {k: t["totals"][k] for k in ("complete_downloads", "distinct_ips", "internal_complete_downloads",
                                               "inferred_complete_downloads", "inferred_only_ips",
                                               "partial_downloads", "undetermined_downloads", "head_requests",
                                               "not_modified", "errors")},
    }


def explain(s: Scenario, fmt: LogFormat, folder: Path, want: dict[str, Any], got: dict[str, Any]) -> str:
    """The scenario's target lines and both answers, what differs first."""
    diff = [k for k in want if want[k] != got.get(k)]
    lines = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix not in (".gz", ".bz2"):
            lines += [f"{path.name}: {line}" for line in path.read_text().splitlines()
                      if TARGET.lower() in line.lower() or TARGET.lstrip("/").lower() in line.lower()]
    out = [f"seed {s.seed}, format {fmt.name}, size {s.size}, layout {s.layout}: differs in {diff}"]
    for k in diff:
        out += [f"  oracle {k}: {json.dumps(want[k], default=str)}", f"  tool   {k}: {json.dumps(got.get(k), default=str)}"]
    return "\n".join(out + ["target lines:", *lines])


Ingested = Callable[[int, str], Path]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """(seed, format name) -> a folder holding the scenario's logs/ and case.duckdb, ingested once for the module
    when first asked: the API test and the --size test read the same scenario in the same format. The folder is
    read-only to the tests; each analyses its own copy of the case."""
    built: dict[tuple[int, str], Path] = {}

    def get(seed: int, name: str) -> Path:
        if (seed, name) not in built:
            folder = tmp_path_factory.mktemp(f"oracle-{seed}-{name}")
            fmt = FORMATS[name]
            write_logs(generate(seed), fmt, folder / "logs")
            with Case(folder / "case.duckdb") as case:
                case.ingest([folder / "logs"], IngestOptions(**fmt.options))  # type: ignore[arg-type]
            built[seed, name] = folder
        return built[seed, name]

    return get


def check(seed: int, fmt: LogFormat, folder: Path, tmp_path: Path, size: int | None = None) -> None:
    """`folder`: the scenario's logs/ and its case.duckdb (the `ingested` fixture's); the case is analysed in a
    copy under tmp_path."""
    s = generate(seed)
    want = expected(s, fmt, INTERNAL, size)
    options = AnalysisOptions(internal=(INTERNAL,), size=size)
    with Case(shutil.copy(folder / "case.duckdb", tmp_path / "case.duckdb")) as case:
        answer = case.analyse([TARGET], options)
        got = tool_answer(answer)
        files = [r for r in case.files(internal=(INTERNAL,), targets=[TARGET]).to_dict("records")
                 if r["path"] == TARGET] if size is None else None
    # every line the generator wrote is a request or a header: none rejected, the copies counted once
    assert [(e["path"], e["rejected"]) for e in answer["evidence"] if e["rejected"]] == []
    assert got == want, explain(s, fmt, folder / "logs", want, got)
    if files is not None and want["windows"]:  # the `files` door: the same rule, the same numbers
        t = want["totals"]
        keys = ("complete_downloads", "distinct_ips", "partial_downloads", "undetermined_downloads",
                "internal_complete_downloads", "inferred_complete_downloads", "inferred_only_ips")
        assert [{k: int(r[k]) for k in (*keys, "windows")} for r in files] == [
            {**{k: t[k] for k in keys}, "windows": len(want["windows"])}], f"files door, seed {seed}, {fmt.name}"


@pytest.mark.parametrize("seed", seeds())
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_api_answer_is_the_written_rule(ingested: Ingested, tmp_path: Path, name: str, seed: int) -> None:
    check(seed, FORMATS[name], ingested(seed, name), tmp_path)


@pytest.mark.parametrize("seed", seeds()[::2])
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_given_size_is_the_written_rule(ingested: Ingested, tmp_path: Path, name: str, seed: int) -> None:
    """--size: the given body size judges every transfer (header-inclusive counts with the header allowance)."""
    check(seed, FORMATS[name], ingested(seed, name), tmp_path, size=generate(seed).size)


@pytest.mark.parametrize("seed", seeds()[:1])
@pytest.mark.parametrize("name", CLI_FORMATS)
def test_cli_json_answer_is_the_written_rule(tmp_path: Path, name: str, seed: int) -> None:
    fmt = FORMATS[name]
    s = generate(seed)
    write_logs(s, fmt, tmp_path / "logs")
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--internal", INTERNAL,
                                      "--json", str(out), "--quiet", *fmt.cli], env=ENV)
    assert result.exit_code == 0, result.output
    want = expected(s, fmt, INTERNAL)
    got = tool_answer(json.loads(out.read_text()))
    assert got == want, explain(s, fmt, tmp_path / "logs", want, got)


def test_scenarios_are_seeded() -> None:
    """The same seed gives the same scenario and the same lines (the test is deterministic)."""
    a, b = generate(7), generate(7)
    assert a == b
    assert [FORMATS["combined"].line(a, r) for r in a.requests] == [FORMATS["combined"].line(b, r) for r in b.requests]
    assert generate(8).requests != a.requests
