"""The fall-back hour of a log written in local time without an offset (read with --log-tz): which pass.

On the day clocks go back, 02:00-02:59 (Europe/Amsterdam) is written twice, and a time of it alone names two
instants. The parse reads each line alone, so it takes the earlier instant and flags the row
(formats.base.FOLD_FLAG). Once a file is parsed, its line order tells the passes apart (queries/folds.sql
`fold_second_pass`: the file's time runs back into the hour written twice): those lines are moved to the later
instant and flagged as such (FOLD_LATER_FLAG), before the file's rows are counted and sealed. Without it the
second pass lay an hour early: its downloads shown an hour before they were made, and the hour after the fold a
silence of the stream (a false `gap in window`) though every minute of it was logged.
"""

from __future__ import annotations

import duckdb

from . import queries
from .formats.base import FOLD_FLAG, FOLD_LATER_FLAG
from .store import stores


def settle(con: duckdb.DuckDBPyConnection, lo: int, hi: int, zone: str | None) -> int:
    """Move the second pass of each fall-back hour in the files `lo`..`hi` (just parsed, in the caller's
    transaction) to its later instant; the number of request rows moved."""
    if not zone:
        return 0
    for name, value in (("lo", lo), ("hi", hi), ("zone", zone)):
        con.execute(f"SET VARIABLE {name} = ?", [value])
    con.execute("CREATE OR REPLACE TEMP TABLE fold_later AS " + queries.get("fold_second_pass").sql.rstrip().rstrip(";"))
    for name in ("lo", "hi", "zone"):
        con.execute(f"RESET VARIABLE {name}")
    moved = int(con.execute("SELECT count(*) FROM fold_later").fetchone()[0])
    if moved:
        for store in stores(con):
            if "ts_flag" not in store.columns:
                continue
            con.execute(f"UPDATE {store.table} AS r SET ts_utc = f.later_utc, "  # noqa: S608 (a store's own name)
                        "ts_flag = replace(r.ts_flag, $fold, $later) "
                        "FROM fold_later f WHERE r.evidence_id = f.evidence_id AND r.line_no = f.line_no",
                        {"fold": FOLD_FLAG, "later": FOLD_LATER_FLAG})
    con.execute("DROP TABLE fold_later")
    return moved
