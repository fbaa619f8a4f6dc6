"""The code layout holds: the layer contract in pyproject.toml is kept, lists every top-level module, and the
package list ships every package; nothing outside the case layer reaches into a case's DuckDB connection."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "exposure"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _contract() -> dict:
    [contract] = [c for c in PYPROJECT["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return contract


def top_level_modules(package: Path = PACKAGE) -> set[str]:
    """Modules and packages directly inside exposure/ (a folder without Python, such as data/, is neither)."""
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    packages = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    return modules | packages


def layered_modules(contract: dict) -> list[str]:
    return [name.strip() for layer in contract["layers"] for name in layer.replace("|", ":").split(":")]


def test_contract_lists_every_top_level_module_once() -> None:
    contract = _contract()
    listed = layered_modules(contract)
    assert len(listed) == len(set(listed)), "a module is in two layers"
    missing = top_level_modules() - set(listed)
    assert not missing, f"add these modules to a layer in pyproject.toml [tool.importlinter]: {sorted(missing)}"
    assert not set(listed) - top_level_modules(), "the contract names a module that does not exist"


def test_a_new_module_is_caught(tmp_path: Path) -> None:
    """The check above fails for a module nobody put in a layer (here in a copy of the layout)."""
    fake = tmp_path / "exposure"
    fake.mkdir()
    for name in top_level_modules():
        (fake / f"{name}.py").write_text("")
    (fake / "helpers.py").write_text("")
    assert top_level_modules(fake) - set(layered_modules(_contract())) == {"helpers"}


def test_contract_has_no_exceptions() -> None:
    contract = _contract()
    assert contract["type"] == "layers" and contract["containers"] == ["exposure"]
    assert contract.get("exhaustive") is True
    assert not contract.get("ignore_imports") and not contract.get("exhaustive_ignores")
    assert not contract.get("unmatched_ignore_imports_alerting")


def test_lint_imports_keeps_the_contract() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.fail("lint-imports is missing: `make install` installs import-linter (dev extra)")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout


def test_package_list_ships_every_package() -> None:
    """pyproject.toml lists the packages (queries/ is mapped onto exposure.sql, which find cannot see)."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert set(setuptools["packages"]) == on_disk | {"exposure.sql"}
    assert setuptools["package-dir"] == {"exposure.sql": "queries"}
    assert (ROOT / "queries" / "__init__.py").is_file()


# The case's connection belongs to the case layer (exposure/case.py); ingest receives it from the case to
# write the evidence, and the public facade hands it to notebooks and tests (`Case.con`). Everything else goes
# through CaseFile's interface (execute, fetchone, fetchall, frame, registered, transaction, bind, run).
CONNECTION_OWNERS = {"case.py"}
FACADE_ESCAPE_HATCH = ("api.py", "con")  # the property `Case.con` itself


def _connection_reads(path: Path) -> list[str]:
    """`x.con` where x is not `self` (a module's own connection attribute is its business)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "con":
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                continue
            out.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


def test_only_the_case_layer_touches_a_case_connection() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in CONNECTION_OWNERS and path.parent == PACKAGE:
            continue
        reads = _connection_reads(path)
        if (path.name, "con") == FACADE_ESCAPE_HATCH and path.parent == PACKAGE:
            reads = [r for r in reads if not _is_facade_property(path, r)]
        found += reads
    assert not found, f"use the CaseFile interface, not the connection: {found}"


def _is_facade_property(path: Path, where: str) -> bool:
    line = int(where.rsplit(":", 1)[1])
    return path.read_text(encoding="utf-8").splitlines()[line - 1].strip() == "return self.file.con"
