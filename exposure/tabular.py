"""One way to show a query result: a rich table for the terminal, CSV or JSON for other tools.

Log content is hostile: it is printed as text (no rich markup), CSV cells that a spreadsheet would run as
a formula are neutralised with a leading apostrophe, and times are ISO 8601 UTC.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .timefmt import iso_utc

if TYPE_CHECKING:
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def safe_csv_text(value: Any) -> str:
    """A CSV cell as text; a value a spreadsheet would evaluate (=, +, -, @ ...) gets a leading apostrophe.
    Numbers are written as numbers (a negative number is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([str(c) for c in df.columns])
    for row in records(df):
        writer.writerow([safe_csv_text(v) for v in row.values()])
    return buf.getvalue()


def to_json(df: pd.DataFrame) -> str:
    return json.dumps(records(df), ensure_ascii=False, indent=2) + "\n"


def print_table(df: pd.DataFrame, console: Console, title: str | None = None) -> None:
    """A rich table of every row; cells are Text objects, so log content never becomes markup."""
    table = Table(title=title, show_lines=False, highlight=False)
    for col in df.columns:
        table.add_column(str(col), overflow="fold")
    for row in records(df):
        table.add_row(*(Text("" if v is None else str(v)) for v in row.values()))
    console.print(table)
    console.print(f"{len(df)} row{'s' if len(df) != 1 else ''}", markup=False, highlight=False)
