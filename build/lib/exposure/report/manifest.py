"""MANIFEST.sha256: the SHA-256 of every other file the report wrote, in `sha256sum -c` format."""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST_NAME = "MANIFEST.sha256"


def write_manifest(out_dir: Path, names: list[str]) -> Path:
    """Hash the named files (relative to `out_dir`) and write the manifest beside them, names sorted."""
    lines = []
    for name in sorted(names):
        digest = hashlib.sha256((out_dir / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}\n")  # two spaces: text mode, as sha256sum writes it
    path = out_dir / MANIFEST_NAME
    path.write_text("".join(lines), encoding="utf-8")
    return path
