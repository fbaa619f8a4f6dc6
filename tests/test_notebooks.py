"""The notebooks are stored without outputs and run clean, unmodified, from notebooks/ with kernel python3."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["01-investigate-a-leak.ipynb", "02-bring-your-own-logs.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_byol_has_a_parameters_cell() -> None:
    nb = nbformat.read(NOTEBOOKS / NAMES[1], as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("LOG_PATHS", "TARGET", "INTERNAL", "FORMAT", '"../sample_logs"'):
        assert name in tagged[0].source


def python3_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel spec `python3` that runs this interpreter (the project's .venv), whatever is installed globally;
    the notebooks' work folder under tmp_path, charts drawn off screen."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (exposure)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("EXPOSURE_WORK", str(tmp_path / "work"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    python3_kernel(tmp_path, monkeypatch)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=180,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    if name == NAMES[0]:
        assert (tmp_path / "work" / "timeline.png").stat().st_size > 1000
        assert (tmp_path / "work" / "analysis.json").is_file()
        html = (tmp_path / "work" / "report" / "report.html").read_text(encoding="utf-8")
        assert "from inspection of" in html and 'id="evidence-status" data-complete="true"' in html
        assert (tmp_path / "work" / "report" / "MANIFEST.sha256").is_file()
