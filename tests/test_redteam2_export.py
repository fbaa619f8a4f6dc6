"""Red team, round 2: the Parquet export with hostile names. A log stream's server name comes from a folder name
the supplier chose: a Hive sentinel, `=`, `%`, a newline, quotes. Every row keeps it whole in `exposure.server`,
whatever the `host` partition (a folder name, percent-encoded, where `__HIVE_DEFAULT_PARTITION__` means NULL)
reads back as."""

from __future__ import annotations

from pathlib import Path

import duckdb

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t

NAMES = ["__HIVE_DEFAULT_PARTITION__", "host=evil", "x%2Fy", "new\nline", "quote'\"", "dotdot.."]


def test_every_server_name_survives_the_export(tmp_path: Path) -> None:
    for i, name in enumerate(NAMES):
        write_log(tmp_path / "ev" / name / "access.log", [clf(f"192.0.2.{i + 1}", t(8, 10, i), "/docs/a.xlsx")])
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "ev"])
        servers = dict(case.con.execute("SELECT evidence_id, server FROM evidence").fetchall())
        assert case.export_parquet(out) == len(NAMES)
    assert sorted(servers.values()) == sorted(NAMES)
    rows = duckdb.connect().execute(
        "SELECT \"exposure.evidence_id\", \"exposure.server\", host FROM read_parquet(?, hive_partitioning = true)",
        [str(out / "**" / "*.parquet")]).fetchall()
    assert {evid: server for evid, server, _host in rows} == servers
    # the partition alone loses the sentinel: why the column is there
    assert None in {host for _evid, _server, host in rows}
