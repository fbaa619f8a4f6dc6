"""What the command imports: `ingest` never imports what it does not use (the analysis, the outputs, pandas,
matplotlib, pyarrow.compute): each costs start-up time on every run over many small files. The user-agent and
GeoIP readers (ua-parser, maxminddb: about 20 ms of imports together) are used: an ingest's settle classifies each
new user agent and looks up each new address once for every answer (exposure/derived.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
NOT_FOR_INGEST = ("exposure.analysis.analyser", "exposure.answer", "exposure.report", "exposure.verify",
                  "exposure.terminal.answer", "pandas", "matplotlib", "pyarrow.compute",
                  "pydantic")  # typer's adapters: the options' plain values are taken without them (cli.py)

_RUN = """
import sys
from typer.testing import CliRunner
from exposure.cli import app
at_start = set(sys.modules)
result = CliRunner().invoke(app, ["ingest", "--quiet", "--case", sys.argv[1], sys.argv[2]])
assert result.exit_code in (0, 3), result.output
print("start", *sorted(at_start))
print("ingest", *sorted(sys.modules))
"""


def test_ingest_imports_only_what_it_uses(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", _RUN, str(tmp_path / "c.duckdb"), str(SAMPLE_LOGS)],
                         capture_output=True, text=True, check=True).stdout
    loaded = {line.split()[0]: set(line.split()[1:]) for line in out.splitlines() if line.startswith(("start", "ingest"))}
    for when in ("start", "ingest"):
        assert "exposure.ingest" in loaded["ingest"]
        found = sorted(m for m in loaded[when] if m.startswith(NOT_FOR_INGEST))
        assert found == [], when


def test_the_case_methods_keep_their_documentation_before_any_analysis() -> None:
    """A notebook's `help(Case.windows)` shows what each column means (the Analyser's docstring, written once
    there) in a fresh process, before anything was analysed or the analysis imported."""
    code = ("import sys, pydoc\nfrom exposure import Case\n"
            "print('imported' if 'exposure.analysis.analyser' in sys.modules else 'not imported')\n"
            "print(pydoc.render_doc(Case.windows))\nprint(pydoc.render_doc(Case.downloads))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("not imported")
    assert "first_available" in out and "queries/windows.sql" in out and "queries/downloads.sql" in out


def test_plain_option_values_equal_typers_own_coercion() -> None:
    """The values the CLI takes without typer's pydantic adapters (exposure/cli.py `_plain_values`) are the ones
    typer gives, for every kind of option the commands have; a value it cannot take plainly gets typer's answer
    or typer's error message."""
    from typer import _coercion
    from typer.main import get_command

    from exposure.cli import app

    values = ["x.log", "", "  ", "007", "0", "12", "-3", " 12", "1_000", "99999999999999999999", "1e3", "ä/b c"]
    kinds = 0
    for command in get_command(app).commands.values():  # type: ignore[attr-defined]
        for param in command.params:
            descriptor = param.type_descriptor
            if descriptor.annotation is bool:
                continue
            ours, theirs = param.get_runtime_param(), _coercion.build_runtime_param(descriptor)
            assert type(ours).__name__ == "Plain"
            kinds += 1
            for value in [*values, [values[0], values[5]], (values[2],)]:
                outcome = []
                for runtime in (ours, theirs):
                    try:
                        outcome.append(("value", runtime._coerce_value(value, param, None)))
                    except Exception as exc:  # noqa: BLE001  # whatever typer raises, the same
                        outcome.append(("error", type(exc).__name__, str(exc)))
                assert outcome[0] == outcome[1], (command.name, param.name, value)
    assert kinds > 20
