"""Parquet export: partitioned by date and host, private permissions, and the same downloads as the case."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from exposure import Case, store
from exposure.errors import InputError
from exposure.export import export_parquet, read_export_sql

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def test_export_partitions_permissions_and_same_downloads(sample_case_path: Path, tmp_path: Path,
                                                          sample_truth: dict) -> None:
    out = tmp_path / "parquet"
    with Case(sample_case_path, read_only=True) as case:
        n = export_parquet(case.file, out)
        expected = case.downloads(TARGET)
        total = int(case.sql("SELECT count(*) AS n FROM requests")["n"][0])
    assert n == total > 1000
    dirs = sorted(p.relative_to(out).parts[0] for p in out.glob("event_date=*"))
    assert dirs[0].startswith("event_date=2020-")
    files = list(out.rglob("*.parquet"))
    assert files and all("host=" in str(f) for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert all(stat.S_IMODE(d.stat().st_mode) == 0o700 for d in [out, *[p for p in out.rglob("*") if p.is_dir()]])
    # the downloads query over the Parquet files (loaded into an otherwise identical case) gives the same answer
    copy = tmp_path / "from_parquet.duckdb"
    shutil.copy(sample_case_path, copy)
    exported = duckdb.connect().sql(f"SELECT * FROM {read_export_sql(out)}").to_arrow_table()
    with Case(copy) as case, case.file.registered("exported", exported):  # a case reads no file but itself
        store.delete_evidence(case.con, None)
        store.insert_routed(case.con, "SELECT * FROM (SELECT * FROM requests LIMIT 0) "
                                      "UNION ALL BY NAME SELECT * FROM exported", store.CORE_STORE)
        got = case.downloads(TARGET)
    assert len(got) == len(expected) > 0
    assert got.astype(str).values.tolist() == expected.astype(str).values.tolist()
    complete = expected[expected["outcome"] == "complete"]  # the sample's 11 external and 3 staff copies
    assert len(complete) == len(sample_truth["complete_downloads"]) + sample_truth["internal_complete_downloads"]
    rows = duckdb.connect().execute(f"SELECT count(*) FROM {read_export_sql(out)}").fetchone()[0]
    assert rows == total


def test_export_refuses_a_non_empty_directory(sample_case_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "old.parquet").write_bytes(b"x")
    with Case(sample_case_path, read_only=True) as case, pytest.raises(InputError):
        export_parquet(case.file, out)
