"""Red team 16, O1: a download manager fetches a 1,000,000-byte file as 8 parallel ranges of 125,000 bytes; IIS
logs no offsets and its sc-bytes carry each part's response headers (~350 bytes). The group's sum (1,002,800)
less a 1,024-byte header allowance for each of the 7 parts beyond the first falls short of the complete-transfer
band (1,000,312). Red team 16 made it complete with the least a 206's headers take (256); the review of that
(F1, tests/test_rt16fix_part_headers.py) proved the least makes parts each short of their range complete too. A
part's allowance is the MOST a 206's headers may take (part_headers): here nothing bounds it (no size, no HEAD or
304), so 1024, and the group is undetermined, for its sum cannot tell 8 whole parts from 8 parts each up to 87
bytes short. With --size the 200's headers bound it (tests/test_rt16fix_part_headers.py). A group whose every
part misses more than its headers sums below the file and stays partial."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure import AnalysisOptions
from exposure.cli import app
from tests.parity import portable_equals_case
from tests.servers import analyse

TARGET = "/big.zip"
HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 00:00:00\n"
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
        "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken\n")
WHOLE = [1_000_312, 1_000_315, 1_000_318, 1_000_314]  # 200s: the file (1,000,000) and ~312 header bytes


def _line(minute: int, ip: str, agent: str, status: int, count: int) -> str:
    return (f"2020-06-08 {8 + minute // 60:02d}:{minute % 60:02d}:00 10.0.0.1 GET {TARGET} - 443 - {ip} {agent} - "
            f"{status} 0 0 {count} 400 31\n")


def _log(groups: dict[str, int]) -> str:
    """The four 200s, then per address 8 parts of `count` bytes each in one minute."""
    lines = [_line(n, f"1.0.0.{n + 1}", "Mozilla/5.0", 200, c) for n, c in enumerate(WHOLE)]
    for k, (ip, count) in enumerate(groups.items()):
        lines += [_line(60 + 10 * k, ip, "IDM/6.38", 206, count)] * 8
    return HEAD + "".join(lines)


GROUPS = {"2.0.0.1": 125_350,   # each part its range and 350 header bytes: undetermined (unbounded)
          "2.0.0.2": 124_850,   # each part 500 bytes short, more than its headers: sum below the file
          "2.0.0.3": 125_150}   # each 200 bytes short, less than its headers: the sum cannot tell


def test_eight_parallel_parts_with_unbounded_headers_are_undetermined(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "u_ex200608.log", _log(GROUPS), TARGET)
    ranges = {d["client_ip"]: (d["outcome"], d["outcome_inferred"], d["size_rule"], d["bytes"])
              for d in answer.downloads if d["kind"] == "range"}
    assert ranges == {"2.0.0.1": ("undetermined", False, "band_sum", 1_002_800),
                      "2.0.0.2": ("partial", False, "band_sum", 998_800),
                      "2.0.0.3": ("undetermined", False, "band_sum", 1_001_200)}
    assert answer.cli["targets"][0]["windows"][0]["band_bytes"] == 1_000_312
    cli = {d["client_ip"]: d["outcome"] for d in answer.cli["targets"][0]["downloads"] if d["kind"] == "range"}
    assert cli == {"2.0.0.1": "undetermined", "2.0.0.2": "partial", "2.0.0.3": "undetermined"}
    assert answer.cli["targets"][0]["totals"]["complete_downloads"] == 4


def test_files_counts_the_eight_parts_as_analyse_does(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "u_ex200608.log"
    log.parent.mkdir()
    log.write_text(_log(GROUPS))
    case = tmp_path / "c.duckdb"
    runner = CliRunner(env={"COLUMNS": "200"})
    assert runner.invoke(app, ["ingest", "--case", str(case), str(log.parent), "-q"]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["complete_downloads"]) for r in json.loads(result.stdout)] == [(TARGET, 4)]


def test_the_portable_sql_judges_the_parts_alike(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "u_ex200608.log"
    log.parent.mkdir()
    log.write_text(_log(GROUPS))
    got = portable_equals_case(tmp_path, log.parent, TARGET, AnalysisOptions(geoip_city="none"))
    assert sorted(d["outcome"] for d in got["downloads"] if d["kind"] == "range") == [
        "partial", "undetermined", "undetermined"]
    assert (got["windows"][0]["header_bytes"], got["windows"][0]["part_headers"]) == (1024, 1024)


def test_the_oracle_judges_the_parts_alike() -> None:
    from datetime import datetime, timedelta

    from tests.oracle_rule import Row, downloads, windows

    t0 = datetime(2020, 6, 8, 8, 0)
    rows = [Row(t0 + timedelta(minutes=n), f"1.0.0.{n + 1}", "Mozilla/5.0", "GET", 200, c, True, None, None, None)
            for n, c in enumerate(WHOLE)]
    for k, (ip, count) in enumerate(GROUPS.items()):
        rows += [Row(t0 + timedelta(minutes=60 + 10 * k), ip, "IDM/6.38", "GET", 206, count, True, None, None, None)
                 for _ in range(8)]
    got = {d.client: d.outcome for d in downloads(windows(rows, t0, None), None) if d.kind == "range"}
    assert got == {"2.0.0.1": "undetermined", "2.0.0.2": "partial", "2.0.0.3": "undetermined"}
