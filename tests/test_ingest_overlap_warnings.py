"""readme6: a second `ingest` into a case, adding two copies of other files, began with a `warning:` for each of the
case's ten overlaps found by the first ingest, before the findings said them again as `stated: overlap`: news of
no file this command read, each said twice. An ingest warns of the overlaps of the files it read (as the copy or
the original); the case's findings still list every overlap."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t


def _day(day: int, ip: str = "198.51.100.2") -> list[str]:
    return [clf(ip, t(day, 6 + k // 6, k % 6 * 10), f"/page{k}") for k in range(60)]


def _ingest(case: Path, *inputs: Path) -> list[str]:
    result = CliRunner().invoke(app, ["ingest", "--case", str(case), *map(str, inputs)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_later_ingest_warns_only_of_the_overlaps_of_what_it_read(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_log(first / "web1" / "access.log.1", _day(10))
    write_log(first / "web1" / "access.log", _day(11))
    export = write_log(first / "export" / "week.log", _day(10) + _day(11))
    case = tmp_path / "case.duckdb"
    said = _ingest(case, first)
    assert len([ln for ln in said if ln.startswith(f"warning: {export}: ")]) == 2
    second = tmp_path / "second"
    write_log(second / "web2" / "access.log", _day(10, "198.51.100.3"))
    said = _ingest(case, second)
    assert not [ln for ln in said if ln.startswith("warning: ") and " repeat lines " in ln], said
    assert len([ln for ln in said if ln.startswith(f"stated: overlap: {export}: ")]) == 2  # the case's findings
    third = tmp_path / "third"
    again = write_log(third / "copy" / "day11.log", _day(11)[:40])  # a new partial copy: this ingest's news
    said = _ingest(case, third)
    assert [ln for ln in said if ln.startswith("warning: ") and " repeat lines " in ln] == [
        ln for ln in said if ln.startswith(f"warning: {again}: ")] != []
