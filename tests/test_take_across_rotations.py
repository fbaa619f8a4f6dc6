"""A presumed take (queries/gaps.sql takes) is judged against the other stream's lines in their order across its
files, not one file alone. web1's log split over access.log.1 and access.log: a file holding all of access.log.1 and
the start of access.log is a take where it leaves none of their lines out (its end excused, said as a `presumed
take`); web2 behind the same balancer, logging web1's health checks from web1's first line on but not the download
web1 served at 10:25 (in access.log), is a server's own log, its end a gap. Judged against access.log.1 alone (all
of which web2's log holds) web2 was a presumed take and its 745 minutes after 11:30 no gap (/tmp/idfix/f3/logs2;
with web1's log as one file the gap was said: logs2one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import Case
from exposure.ingest import IngestOptions

pytestmark = pytest.mark.slow


def _line(i: int, client: str | None = None, path: str = "/index.html") -> str:
    return (f'{client or f"198.51.100.{i % 50 + 1}"} - - [10/Jun/2020:{i // 12:02d}:{i % 12 * 5:02d}:00 +0000] '
            f'"GET {path} HTTP/1.1" 200 1000 "-" "Mozilla/5.0"\n')


def _said(root: Path) -> list[tuple[str, str, int]]:
    with Case(None) as case:
        case.ingest([root], IngestOptions())
        return [(f.kind, f.stream, round(f.minutes)) for f in case.findings() if f.kind in ("gap", "presumed take")]


def _web1(root: Path, lines: list[str], split: bool) -> None:
    (root / "web1").mkdir(parents=True)
    if split:
        (root / "web1" / "access.log.1").write_text("".join(lines[:120]))  # 00:00-09:55
        (root / "web1" / "access.log").write_text("".join(lines[120:]))    # 10:00-23:55
    else:
        (root / "web1" / "access.log").write_text("".join(lines))


@pytest.mark.parametrize("split", [True, False])
def test_a_log_leaving_out_a_line_of_the_live_log_is_no_take(tmp_path: Path, split: bool) -> None:
    lines = [_line(i) for i in range(288)]  # every 5 minutes, 00:00 to 23:55
    lines[125] = _line(125, "192.0.2.77", "/leak.xlsx")  # 10:25, in access.log: web1's own download
    _web1(tmp_path, lines, split)
    (tmp_path / "web2").mkdir()
    (tmp_path / "web2" / "access.log").write_text("".join(lines[:125] + lines[126:139]))  # to 11:30, not 10:25
    assert _said(tmp_path) == [("gap", "web2/access.log", 745)]


@pytest.mark.parametrize("split", [True, False])
def test_a_take_across_a_rotation_and_the_live_log_is_a_presumed_take(tmp_path: Path, split: bool) -> None:
    lines = [_line(i) for i in range(288)]
    _web1(tmp_path, lines, split)
    (tmp_path / "taken-1130").mkdir()
    (tmp_path / "taken-1130" / "access.log").write_text("".join(lines[:139]))  # all of .1, the live log to 11:30
    assert _said(tmp_path) == [("presumed take", "taken-1130/access.log", 745)]
