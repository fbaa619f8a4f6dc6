"""The digest of a table the seal takes whole (overlap_lines, the derived tables ...): its row count and the sum
and xor of DuckDB's hash of each row's every column, in table order. Cases sealed before keep their digests: the
statement names the columns itself (`*COLUMNS(*)`) where it read them first (DESCRIBE), with the same values."""

from __future__ import annotations

from pathlib import Path

from exposure import Case, derived, seal
from exposure.seal import Item, canonical, sha256_text


def _by_described_columns(con: object, table: str) -> Item:  # the digest as the seal wrote it until now
    cols = [r[0] for r in con.execute(f"DESCRIBE main.{table}").fetchall()]  # type: ignore[attr-defined]
    joined = ", ".join(cols)
    n, s, x = con.execute(f"SELECT count(*), coalesce(sum(hash({joined}))::HUGEINT, 0)::VARCHAR, "  # type: ignore[attr-defined]
                          f"coalesce(bit_xor(hash({joined})), 0)::VARCHAR FROM main.{table}").fetchone()
    return Item(int(n), sha256_text(canonical([table, s, x])))


def test_a_whole_table_digest_is_the_hash_of_every_column_in_table_order(sample_case_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        con = case.file.con
        for table in ("overlap_lines", "overlap_pairs", "corrupted_members", *derived.TABLES):
            expected = _by_described_columns(con, table)
            assert seal._hashed_table(case.file, table) == expected, table
        # tables with rows and several columns of several types were compared
        assert seal._hashed_table(case.file, "address_facts").rows > 100
        assert seal._hashed_table(case.file, "stream_silences").rows > 10
