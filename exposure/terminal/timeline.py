"""The story of one target as text lines, for reading in a terminal before the report (`exposure timeline`).
The lines hold log values (addresses, paths): print them with `exposure.terminal.say`, which makes them inert."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..tabular import records
from ..timefmt import DisplayZone

if TYPE_CHECKING:
    import pandas as pd


def timeline_lines(df: pd.DataFrame, zone: DisplayZone) -> list[str]:
    """One line per request of the timeline query: UTC, local time, address, class, request, status, bytes,
    outcome (with the download number and window) and the evidence file:line."""
    rows = records(df)
    width = max([len(str(r["client_ip"] or "-")) for r in rows] + [7])
    out = []
    for r in rows:
        outcome = str(r["outcome"]) + (" inferred" if r.get("outcome_inferred") else "")
        if r["download_no"] is not None:
            outcome += f" #{r['download_no']}"
        where = f"window {r['window']}" if r["window"] is not None else "outside windows"
        if r.get("via"):
            where += f" of {r['via']}"
        who = str(r["client_ip"] or "-") + (" (internal)" if r["internal"] else "")
        out.append("  ".join([
            str(r["time"]), _local(r["time"], zone), who.ljust(width + 11),
            str(r["client_class"]).ljust(12), str(r["method"] or "-").ljust(4), str(r["status"] or "-"),
            _bytes(r["bytes"]).rjust(9), outcome.ljust(36), where.ljust(15),
            f"{r['evidence_path']}:{r['line_no']}",
        ]))
    return out


def _local(iso: Any, zone: DisplayZone) -> str:
    if iso is None:
        return "-"
    import pandas as pd

    return zone.local(pd.Timestamp(str(iso).rstrip("Z")).to_pydatetime()) or "-"


def _bytes(value: Any) -> str:
    return "-" if value is None else str(value)
