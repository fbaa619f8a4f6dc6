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

from . import queries
from .errors import InputError
from .findings import ensure_silences
from .schema import EXPORT_NAMES

if TYPE_CHECKING:
    from .case import CaseFile

# requests column -> ECS-style name (exposure.* where ECS has no field): schema.EXPORT_NAMES
ECS_COLUMNS: dict[str, str] = EXPORT_NAMES
# What the download rule needs beyond the request: the evidence file's recorded facts (exposure/facts.py) and
# the overlap mark (a later copy of a line already counted: exposure/overlap.py), one column each per row.
FACT_COLUMNS: dict[str, str] = {
    "coalesce(e.bytes_meaning, 'body')": "exposure.bytes_meaning",
    # false: the line has no byte count and that is not 0 bytes (evidence.unsized_requests), or its count may be
    # cut (extra['cut_field'], exposure/lastline.py): the download rule's own macro (queries/downloads_rule.sql)
    "rule_bytes_known(r.bytes, e.unsized_requests, r.extra['cut_field'])": "exposure.bytes_known",
    "e.exact_length_field": "exposure.exact_length_field",
    # the object's exact length where the log gives one and no copy cut it: the rule's own macro
    "rule_exact_size(r.object_size, r.status, e.exact_length_field, r.extra['cut_field'])": "exposure.exact_size",
    # false where a copy's cut fell in the line's range offsets: the rule reads none (its own macro)
    "rule_offsets_known(r.extra['cut_field'])": "exposure.offsets_known",
    "coalesce(e.paths_case_insensitive, false)": "exposure.paths_case_insensitive",
    "o.kept_evidence_id": "exposure.repeats_evidence_id",
    "o.kept_line_no": "exposure.repeats_line_no",
    # the server name whole: the `host` partition is a folder name, and a name that is a Hive sentinel
    # (`__HIVE_DEFAULT_PARTITION__`) reads back as NULL in Spark, DuckDB and pyarrow
    "e.server": "exposure.server",
    # a stray time (a 1970 or 2099 from a broken clock): never the evidence's start (the rule's own macro)
    "rule_stray_time(r.evidence_id, r.line_no)": "exposure.stray_time",
    # a body count Apache's %b may have written, no completion flag: complete on it means logged as sent, not
    # shown received (the rule's own macro, rule_sent_count, over the line's completion as the rule reads it)
    "rule_sent_count(e.format, coalesce(e.bytes_meaning, 'body'), rule_completion(r.status, r.completion))":
        "exposure.sent_count",
}


def export_parquet(case: CaseFile, out_dir: str | os.PathLike[str]) -> int:
    """Write every request to `out_dir` as Parquet partitioned by event_date and host; returns the row count.

    `host` is the server name of the evidence file's log stream (evidence.server). Each row also carries its file's
    facts (FACT_COLUMNS) and, for a later copy of an overlapping line, the line it repeats (every row is
    exported; the portable rule leaves the marked ones out, as the case does). Raises InputError when
    `out_dir` exists and is not empty (an export is never mixed with older files). DuckDB reads the case
    (it has no access to other files: exposure/sandbox.py) and pyarrow writes the files.
    """
    import pyarrow.dataset as ds

    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} exists and is not an empty folder")
    old = os.umask(0o077)
    try:
        out.mkdir(parents=True, exist_ok=True, mode=0o700)
        ensure_silences(case)  # the stray times rule_stray_time reads
        case.run(queries.get("download_rule"))  # rule_bytes_known, rule_exact_size, rule_stray_time
        cols = ", ".join([*(f'r.{c} AS "{name}"' for c, name in ECS_COLUMNS.items()),
                          *(f'{expr} AS "{name}"' for expr, name in FACT_COLUMNS.items())])
        rows = case.batches(f"""
  SELECT {cols}, CAST(r.ts_utc AS DATE) AS event_date, coalesce(e.server, 'unknown') AS host
  FROM requests r JOIN evidence e USING (evidence_id)
  LEFT JOIN overlap_lines o ON o.evidence_id = r.evidence_id AND o.line_no = r.line_no
  ORDER BY r.evidence_id, r.line_no""")
        ds.write_dataset(rows, out, format="parquet", partitioning=["event_date", "host"],
                         partitioning_flavor="hive", basename_template="data_{i}.parquet", preserve_order=True,
                         existing_data_behavior="overwrite_or_ignore")
    except OSError as exc:
        raise InputError(f"cannot write the export to {out}: {exc.strerror or exc}") from None
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
