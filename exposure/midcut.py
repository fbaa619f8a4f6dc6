"""A line of a combined file cut right after (or inside) its byte count, mid-file: the rest of it lost.

A server that writes `combined` (or `vhost_combined`) writes a referrer and a user agent on every line, `"-"` where
there is none; a line of such a file that ends in its byte count lost its end, and the count as read may have lost
digits (`200 184` where the server wrote `200 18412 "-" "UA"`). It is counted as its request, as a copy's cut last
line is (exposure/lastline.py): its delivered bytes unknown (`extra['cut_field'] = 'bytes'`, queries/downloads_rule.sql
rule_cut: undetermined, never partial by the digits read), and said (the `cut lines` finding, queries/findings.sql).

A line of the common shape is a cut line only where the request lines on both sides of it are combined: a run of
two or more common lines, or one at the file's start or end, is a log format changed in the file (plaso's
fixture: common lines then combined ones), read as written; a file forced `--format combined` that is common
throughout has no cut line. A limit: two lines cut one after the other read as such a run.
The full parse marks each line of the common shape (formats.clf.COMMON_SHAPE_KEY); `settle` takes the mark off
every row of the file before its lines are counted, and marks the cut ones.
"""

from __future__ import annotations

from typing import Any

import duckdb

from . import queries
from .formats.clf import COMMON_SHAPE_KEY
from .formats.directive import CUT_KEY
from .store import ALL_STORE, WIDE_STORE, stores

_MARKED = f"extra['{COMMON_SHAPE_KEY}'] IS NOT NULL"


def _unmarked(extra: str) -> str:
    """The map `extra` without the common-shape mark."""
    return f"map_from_entries(list_filter(map_entries({extra}), lambda e: e.key <> '{COMMON_SHAPE_KEY}'))"


def settle(con: duckdb.DuckDBPyConnection, where: str, params: dict[str, Any]) -> dict[int, str]:
    """Take the common-shape mark off the rows of the files `where` chooses (a batch: ingest._of_ids) and mark
    their cut lines (module docstring): each file's warning (`said`) by evidence id, none for a file without a cut
    line. Set-based over the batch: a batch of 1,000 small files costs one scan of its rows, not 1,000 statements."""
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE midcut_rows AS
WITH marked AS (SELECT evidence_id, line_no FROM requests WHERE {where} AND {_MARKED}),
near AS (SELECT evidence_id, line_no - 1 AS line_no FROM marked UNION SELECT evidence_id, line_no + 1 FROM marked),
combined AS (SELECT r.evidence_id, r.line_no
             FROM (SELECT evidence_id, line_no FROM requests WHERE {where} AND NOT coalesce({_MARKED}, false)) r
             SEMI JOIN near n ON n.evidence_id = r.evidence_id AND n.line_no = r.line_no)
SELECT m.evidence_id, m.line_no, (b.line_no IS NOT NULL AND a.line_no IS NOT NULL) AS cut
FROM marked m
LEFT JOIN combined b ON b.evidence_id = m.evidence_id AND b.line_no = m.line_no - 1
LEFT JOIN combined a ON a.evidence_id = m.evidence_id AND a.line_no = m.line_no + 1""", params or None)
    if not con.execute("SELECT count(*) FROM midcut_rows").fetchone()[0]:
        con.execute("DROP TABLE midcut_rows")
        return {}
    left = _unmarked("t.extra")
    for store in stores(con):
        if "extra" not in store.columns:
            continue
        con.execute(f"""
UPDATE {store.table} t SET extra = CASE WHEN cardinality({left}) > 0 THEN {left} END
FROM midcut_rows c WHERE t.evidence_id = c.evidence_id AND t.line_no = c.line_no AND NOT c.cut""")
    # a cut line's row moves to the store every column is kept in, as a copy's cut last line's does
    # (lastline._mark): findings.sql finds the marked rows there (a vhost_combined row's own store is another)
    con.execute(f"""
CREATE OR REPLACE TEMP TABLE midcut_moved AS
SELECT r.* REPLACE (map_concat({_unmarked("r.extra")}, MAP {{'{CUT_KEY}': 'bytes'}}) AS extra) FROM requests r
SEMI JOIN midcut_rows c ON c.evidence_id = r.evidence_id AND c.line_no = r.line_no AND c.cut""")
    for store in stores(con):
        con.execute(f"DELETE FROM {store.table} t USING midcut_rows c "
                    "WHERE t.evidence_id = c.evidence_id AND t.line_no = c.line_no AND c.cut")
    con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM midcut_moved")
    con.execute("DROP TABLE midcut_moved")
    # each file's cut lines in the words of their finding (queries/cutwords.sql cut_lines_said, the one text)
    queries.run(con, queries.get("cut_words"))
    cuts = con.execute("SELECT evidence_id, cut_lines_said(count(*), min(line_no)) FROM midcut_rows WHERE cut "
                       "GROUP BY 1").fetchall()
    con.execute("DROP TABLE midcut_rows")
    return {int(evid): str(words) for evid, words in cuts}
