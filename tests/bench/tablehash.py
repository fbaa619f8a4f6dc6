"""Every table and view of a case, its rows hashed in stored order and sorted: two cases built from the same
evidence by two trees compare line for line (`diff`). Ingest times (evidence.ingested_at, activity.at_utc and
tool_version, the tool's version in meta) and the seal's links and items (digests over those times) are left out.

    python tests/bench/tablehash.py CASE.duckdb > hashes.tsv

Each line: table, rows, md5 of the rows in stored order (views: sorted), md5 of the rows sorted. address_facts and
row_blocks are written in an order that varies from run to run (their content does not): compare them sorted.
"""

from __future__ import annotations

import sys

import duckdb

SKIP_COLUMNS = {"evidence": {"ingested_at"}, "activity": {"at_utc", "tool_version"}}
SKIP_TABLES = {"seal_links", "seal_items"}
SKIP_ROWS = {"meta": "WHERE key NOT IN ('created_with', 'duckdb_version')"}  # the tree's version, not the case


def main() -> None:
    con = duckdb.connect(sys.argv[1], read_only=True)
    con.execute("SET TimeZone = 'UTC'")
    where_db = "database_name = current_database() AND schema_name = 'main'"
    tables = [r[0] for r in con.execute(f"SELECT table_name FROM duckdb_tables() WHERE {where_db} ORDER BY 1").fetchall()]
    views = [r[0] for r in con.execute(f"SELECT view_name FROM duckdb_views() WHERE {where_db} AND NOT internal "
                                       "ORDER BY 1").fetchall()]
    for name in tables + views:
        if name in SKIP_TABLES:
            print(f"{name}\t(left out: seal digests)")
            continue
        cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND "
                                          f"{where_db} ORDER BY column_index", [name]).fetchall()]
        kept = ", ".join(f'"{c}"' for c in cols if c not in SKIP_COLUMNS.get(name, set()))
        stored = "rowid" if name in tables else "r"
        n, in_order, in_sort = con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(r, chr(10) ORDER BY {stored}), '')), "
            "md5(coalesce(string_agg(r, chr(10) ORDER BY r), '')) "
            f"FROM (SELECT md5(CAST(ROW({kept}) AS VARCHAR)) AS r{', rowid' if name in tables else ''} FROM {name} "
            f"{SKIP_ROWS.get(name, '')})"
        ).fetchall()[0]
        print(f"{name}\t{n}\tin order {in_order}\tsorted {in_sort}")


if __name__ == "__main__":
    main()
