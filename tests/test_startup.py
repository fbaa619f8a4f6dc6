"""What the command imports: `ingest` never imports what it does not use (the analysis, the outputs, pandas,
matplotlib, pyarrow.compute): each costs start-up time on every run over many small files. The user-agent and
GeoIP readers (ua-parser, maxminddb: about 20 ms of imports together) are used: an ingest's settle classifies each
new user agent and looks up each new address once for every answer (exposure/derived.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
# pydantic: typer 0.29 coerces every parameter through a pydantic TypeAdapter (0.075 CPU-s per command), hence
# typer < 0.29 in pyproject.toml
# rich.table (with rich.box, 9 ms): ingest prints lines, no table
NOT_FOR_INGEST = ("exposure.analysis.analyser", "exposure.answer", "exposure.report", "exposure.verify",
                  "exposure.terminal.answer", "pandas", "matplotlib", "pyarrow.compute", "pydantic", "rich.table",
                  "rich.box")

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


_BEGUN = """
import sys
from typer.testing import CliRunner
from exposure import derived, geo
from exposure.cli import app
result = CliRunner().invoke(app, ["ingest", "--quiet", "--case", sys.argv[1], sys.argv[2]])
assert result.exit_code in (0, 3), result.output
print(derived._WARMING is not None, len(geo._HASHING))
"""


def test_a_rerun_over_the_same_logs_begins_no_background_work(tmp_path: Path) -> None:
    """The classifiers' data and the GeoIP databases' hashes are begun in the background only by an ingest that
    may add requests: the first one does (the packaged GeoLite2-City is hashed), a second over the same file
    does neither (its files are all in the case already, refresh has nothing to do)."""
    log = tmp_path / "access.log"
    log.write_text('198.51.100.7 - - [04/Mar/2024:01:00:00 +0100] "GET /a.pdf HTTP/1.1" 200 1234 "-" '
                   '"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"\n')
    case = tmp_path / "c.duckdb"

    def begun() -> str:
        return subprocess.run([sys.executable, "-c", _BEGUN, str(case), str(log)], capture_output=True, text=True,
                              check=True, env={**os.environ, "EXPOSURE_GEOIP_ASN": "none"}).stdout.split()

    assert begun() == ["True", "1"]
    assert begun() == ["False", "0"]


# what `analyse` without --report never imports: the report (its HTML, PDF and CSV writers, jinja2) and openpyxl
# (0.15-0.3 s of imports on a command that takes about 0.9 s on a tiny case); openpyxl is the inspection of a
# spreadsheet's own (exposure/inspect/xlsx.py), imported when a spreadsheet's colours are read
NOT_FOR_ANALYSE = ("exposure.report", "openpyxl", "jinja2")

_ANALYSE = """
import sys
from typer.testing import CliRunner
from exposure.cli import app
result = CliRunner().invoke(app, ["analyse", "--quiet", "--case", sys.argv[1], "--target", "/a.pdf", sys.argv[2]])
assert result.exit_code in (0, 3), result.output
print(*sorted(sys.modules))
"""


def test_analyse_without_a_report_imports_no_report(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text('198.51.100.7 - - [04/Mar/2024:01:00:00 +0100] "GET /a.pdf HTTP/1.1" 200 1234 "-" "curl/8"\n')
    out = subprocess.run([sys.executable, "-c", _ANALYSE, str(tmp_path / "c.duckdb"), str(log)],
                         capture_output=True, text=True, check=True).stdout
    loaded = out.split()
    assert "exposure.answer" in loaded  # it did analyse
    assert sorted(m for m in loaded if m.startswith(NOT_FOR_ANALYSE)) == []


_FROZEN = """
import gc, sys
from exposure import cli
sys.argv = ["exposure", "formats"]
try:
    cli.main()
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("frozen", gc.get_freeze_count())
"""


def test_the_command_keeps_the_garbage_collector_off_its_imports() -> None:
    """The command's imports (duckdb, numpy, pyarrow, typer, exposure: some 43,000 objects the collector tracks)
    are moved out of the garbage collector's reach before it runs (gc.freeze): they live as long as the process,
    and every full collection an ingest's allocations set off scanned them all again (1,000 small files: about
    0.1-0.2 CPU-s of 2.3, issue 19). What the command allocates is collected as before."""
    out = subprocess.run([sys.executable, "-c", _FROZEN], capture_output=True, text=True, check=True).stdout
    frozen = int(out.split("frozen", 1)[1])
    assert frozen > 20_000  # the tracked objects of the imports (about 43,000)
