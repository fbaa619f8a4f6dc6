"""Run one server's hand-made log through both doors, the Python API and `exposure analyse --json`, and hand
back what each says: used by tests/test_servers_*.py, which write lines as each server writes them by default."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from exposure import Case
from exposure.analysis.options import AnalysisOptions
from exposure.ingest import IngestOptions

GEO_OFF = ("--geoip-city", "none", "--geoip-asn", "none")


@dataclass
class Answer:
    cli: dict[str, Any]  # the JSON answer (exposure.analysis/1)
    exit_code: int
    output: str
    rows: list[dict[str, Any]]  # the requests view, in line order (API)
    downloads: list[dict[str, Any]]  # Case.downloads (API)
    rejects: list[dict[str, Any]]

    @property
    def target(self) -> dict[str, Any]:
        return self.cli["targets"][0]

    @property
    def totals(self) -> dict[str, Any]:
        return self.target["totals"]

    def outcomes(self) -> list[tuple[str, str]]:
        """(client, outcome) of every download attempt of the JSON answer, in its order."""
        return [(d["client_ip"], d["outcome"]) for d in self.target["downloads"]]

    def api_outcomes(self) -> list[tuple[str, str]]:
        return [(d["client_ip"], d["outcome"]) for d in self.downloads]


def analyse(tmp_path: Path, name: str, text: str | bytes, target: str, *cli_options: str,
            ingest: IngestOptions | None = None, cli: bool = True, size: int | None = None) -> Answer:
    """Write `text` as `logs/name`, answer `target` through the CLI (`--json`; not with `cli=False`, for tests
    of parsed rows alone) and through the API; `size` is given to both (`--size`)."""
    from exposure.cli import app

    log = tmp_path / "logs" / name
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / "answer.json"
    exit_code, output, answer = 0, "", {}
    if cli:
        result = CliRunner().invoke(app, ["analyse", str(log.parent), "--target", target, "--json", str(out),
                                          "--quiet", *GEO_OFF, *cli_options,
                                          *(("--size", str(size)) if size is not None else ())], terminal_width=200)
        exit_code, output = result.exit_code, result.output
        answer = json.loads(out.read_text()) if out.exists() else {}
    with Case(None) as case:
        case.ingest([log.parent], ingest or IngestOptions())
        rows = _records(case.requests().sort_values("line_no"))
        downloads = _records(case.downloads(target, AnalysisOptions(geoip_city="none", size=size)))
        rejects = _records(case.rejects())
    return Answer(answer, exit_code, output, rows, downloads, rejects)


def _records(frame: Any) -> list[dict[str, Any]]:
    """A frame's rows with a missing value as None (pandas gives NaN/NaT for NULL)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def accounted(answer: Answer) -> None:
    """Every line of every evidence file is a request, a rejected or a skipped line."""
    for ev in answer.cli["evidence"]:
        if ev.get("verdict", "ingested") == "ingested":
            assert ev["lines"] == ev["requests"] + ev["rejected"] + ev["skipped"], ev


def files_row(tmp_path: Path, target: str) -> dict[str, Any]:
    """`exposure files --json` over the logs `analyse` wrote (tmp_path/logs), ingested into a case of their own:
    the target's row, by the rule every door reads."""
    from exposure.cli import app

    case, runner = tmp_path / "files-case.duckdb", CliRunner()
    done = runner.invoke(app, ["ingest", "--case", str(case), str(tmp_path / "logs")])
    assert done.exit_code == 0, done.output
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    [row] = [f for f in json.loads(result.stdout) if f["path"] == target]
    return row
