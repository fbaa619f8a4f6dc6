"""readme6: notebook 02 (bring your own logs) showed the evidence table and the numbers but no finding: a CloudFront
hour cut mid-way inside the window, said by `analyse` (exit 3) and on page 1, went unsaid in the notebook. It says
every finding about the evidence, as the terminal does, before the numbers, with the window a file's lost time falls
in (review_readme6: the cell called `case.findings()` without windows, so it never said 'inside window N')."""

from __future__ import annotations

import gzip
from pathlib import Path

import nbformat
import pytest

from tests.conftest import write_log
from tests.logs import clf, t
from tests.test_notebooks import python3_kernel

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "02-bring-your-own-logs.ipynb"
TARGET = "/docs/leak.xlsx"


@pytest.mark.slow
def test_bring_your_own_logs_says_a_truncated_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log.2", [clf("198.51.100.6", t(11, 9, m), TARGET, size=5000) for m in range(30)])
    write_log(logs / "access.log", [clf("198.51.100.7", t(12, 10, m), TARGET, size=5000) for m in range(30)])
    day = "".join(clf("198.51.100.8", t(11, 10, m), "/") + "\n" for m in range(60)).encode()  # inside the window
    cut = logs / "access.log.1.gz"
    cut.write_bytes(gzip.compress(day, mtime=0)[:200])
    python3_kernel(tmp_path, monkeypatch)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    [params] = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source += f"\nLOG_PATHS = [{str(tmp_path / 'logs')!r}]\nTARGET = {TARGET!r}\nINTERNAL = []\n"
    NotebookClient(nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "evidence status: INCOMPLETE" in printed
    [said] = [ln for ln in printed.splitlines() if ln.startswith(f"incomplete: truncated: {cut}: gzip member 1")]
    assert said.endswith("; inside window 1"), said  # the window the lost time falls in, as analyse says it
