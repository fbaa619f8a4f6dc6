"""Export the normalised requests as Parquet, partitioned by date and host, for engines beyond one machine.

Column names follow the Elastic Common Schema where one exists (docs/scale.md lists them), so the same
window and download logic runs on Spark, Trino or DuckDB over the files. Partitions are Hive-style
`event_date=YYYY-MM-DD/host=NAME/`; every row keeps `evidence_id`, `line_no` and `byte_offset`, so any number
computed elsewhere still traces back to a raw line. Directories are created 0700 and files 0600 (the
requests hold personal data: addresses and user agents).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .schema import EXPORT_NAMES

if TYPE_CHECKING:
    from .case import CaseFile

# requests column -> ECS-style name (exposure.* where ECS has no field): schema.EXPORT_NAMES
ECS_COLUMNS: dict[str, str] = EXPORT_NAMES


def export_parquet(case: CaseFile, out_dir: str | os.PathLike[str]) -> int:
    """Write every request to `out_dir` as Parquet partitioned by event_date and host; returns the row count.

    `host` is the evidence file's server label (the folder it was found in). Raises InputError when
    `out_dir` exists and is not empty (an export is never mixed with older files).
    """
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise InputError(f"{out} exists and is not empty")
    old = os.umask(0o077)
    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        cols = ", ".join(f'r.{c} AS "{name}"' for c, name in ECS_COLUMNS.items())
        # COPY TO takes no bound parameter for its path: the literal is quoted by _quote
        case.execute(f"""
COPY (
  SELECT {cols}, CAST(r.ts_utc AS DATE) AS event_date, coalesce(e.server, 'unknown') AS host
  FROM requests r JOIN evidence e USING (evidence_id)
  ORDER BY r.evidence_id, r.line_no
) TO '{_quote(out)}' (FORMAT parquet, PARTITION_BY (event_date, host), OVERWRITE_OR_IGNORE true)
""")  # noqa: S608
    finally:
        os.umask(old)
    for root, dirs, files in os.walk(out):
        for d in dirs:
            os.chmod(Path(root) / d, 0o700)
        for f in files:
            os.chmod(Path(root) / f, 0o600)
    os.chmod(out, 0o700)
    return int(case.fetchone("SELECT count(*) FROM requests")[0])


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def read_export_sql(out_dir: str | os.PathLike[str]) -> str:
    """A DuckDB relation over an export with the case's own column names (for checks and analysts)."""
    cols = ", ".join(f'"{name}" AS {c}' for c, name in ECS_COLUMNS.items())
    glob = _quote(Path(out_dir)) + "/**/*.parquet"
    return f"(SELECT {cols} FROM read_parquet('{glob}', hive_partitioning = true))"  # noqa: S608 (quoted)
