"""A query result for other tools: CSV or JSON (the terminal's table is exposure.terminal.print_frame).

Log content is hostile: CSV cells that a spreadsheet would run as a formula, or that hold a control or
bidirectional character, are neutralised with a leading apostrophe (exposure.escaping.csv_cell, the rule the
report's CSVs use too); JSON keeps every value as logged; times are ISO 8601 UTC.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .escaping import csv_cell
from .timefmt import iso_utc

if TYPE_CHECKING:
    import pandas as pd


def cell(value: Any) -> Any:
    """A plain Python value: NULL/NaN/NaT -> None, timestamps -> ISO UTC, numpy scalars -> Python."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return iso_utc(value.to_pydatetime())
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if getattr(value, "ndim", 0) > 0:  # an array (a list column): its items, never .item() of its first
        return [cell(v) for v in value.tolist()]
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    if hasattr(value, "tolist"):
        return [cell(v) for v in value.tolist()]
    if isinstance(value, list):
        return [cell(v) for v in value]
    if isinstance(value, dict):
        return {k: cell(v) for k, v in value.items()}
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): cell(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_cell(str(c)) for c in df.columns])  # a name is text too: a query's alias
    for row in records(df):
        writer.writerow([csv_cell(v) for v in row.values()])
    return buf.getvalue()


def to_json(df: pd.DataFrame) -> str:
    return json.dumps(records(df), ensure_ascii=False, indent=2) + "\n"
