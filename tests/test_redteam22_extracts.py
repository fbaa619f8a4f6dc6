"""Red team 22: an extract of a log beside the log. `grep leak.xlsx access.log > notes/leak-lines.txt`,
`grep -v /page/1 access.log > export/access.log`, `sort -u access.log > backup/access.log`: every request line of
the extract is a line of the log, but the lines picked (or sorted) are no run of 3 consecutive lines of it, so the
overlap rule left them counted from both files: 12 complete downloads where the log holds 6, exit 0
(/tmp/redteam22/a_grep, c_grepv, b2_sortu_copy, b_sortu: `access.log.sorted`, now a copy's name). A file whose name leaves its stream to its content (silent, a
copy's, in a copy's folder) every request line of which is a line of another file, one for one, is a copy
(overlap.EXTRACT_SQL), also of two rotations of it; a server-named file is not (two servers' logs may share requests: README)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import exitcodes
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
SIZE = 500000


def _log() -> list[str]:
    """web1's 10 June 08:00-11:59 UTC: a page a minute from 192.0.2.(minute % 40 + 1), /page/(minute % 20).html,
    and a complete download of TARGET from 198.51.100.N 5 seconds after minute 20 + 40 N (N = 1-6)."""
    lines = []
    for m in range(240):
        when = t(10, 8) + timedelta(minutes=m, seconds=m % 50)
        lines.append(clf(f"192.0.2.{m % 40 + 1}", when, f"/page/{m % 20}.html", size=4000 + m))
        if m % 40 == 20:
            lines.append(clf(f"198.51.100.{m // 40 + 1}", when + timedelta(seconds=5), TARGET, size=SIZE))
    return lines


LOG = _log()
EXTRACTS = {
    "grep-target": ("notes/leak-lines.txt", [line for line in LOG if TARGET in line]),
    "grep-v": ("export/access.log", [line for line in LOG if "/page/1" not in line]),
    "sort-u": ("backup/access.log", sorted(set(LOG))),
    "sort-u-beside": ("web1/access.log.sorted", sorted(set(LOG))),
}


def _answer(tmp_path: Path, extract: tuple[str, list[str]], rotated: bool = False) -> dict:
    """The answer over web1's log (`rotated`: in two files, access.log.1 and access.log) and the extract."""
    logs = tmp_path / "logs"
    if rotated:
        write_log(logs / "web1" / "access.log.1", LOG[:len(LOG) // 2])
        write_log(logs / "web1" / "access.log", LOG[len(LOG) // 2:])
    else:
        write_log(logs / "web1" / "access.log", LOG)
    write_log(logs / extract[0], extract[1])
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out)])
    assert result.exit_code == exitcodes.COMPLETE, result.output
    return json.loads(out.read_text())


@pytest.mark.parametrize("rotated", [False, True], ids=["one-log", "two-rotations"])
@pytest.mark.parametrize("kind", list(EXTRACTS))
def test_an_extract_of_a_log_beside_it_counts_each_download_once(tmp_path: Path, kind: str, rotated: bool) -> None:
    """`rotated`: the extract taken over access.log.1 and access.log (`grep leak.xlsx access.log*`)."""
    path, lines = EXTRACTS[kind]
    answer = _answer(tmp_path, EXTRACTS[kind], rotated)
    [target] = answer["targets"]
    evidence = [e["file"].split("logs/")[-1] for d in target["downloads"] for e in d["evidence"]]
    assert target["totals"]["complete_downloads"] == 6, evidence
    assert evidence == ["web1/access.log.1"] * 3 + ["web1/access.log"] * 3 if rotated else ["web1/access.log"] * 6
    overlaps = [f for f in answer["findings"] if f["kind"] == "overlap"]
    assert {f["path"].split("logs/")[-1] for f in overlaps} == {path}, overlaps
    shared = sum(int(f["detail"].split(" request lines")[0]) for f in overlaps)
    assert shared == len(lines), [f["detail"] for f in overlaps]


def test_a_server_named_log_holding_only_lines_another_server_logged_keeps_them(tmp_path: Path) -> None:
    """web2/access.log holding web1's download lines alone is a server's log (README: two servers behind one
    balancer may log the same request): both counted, as before."""
    answer = _answer(tmp_path, ("web2/access.log", EXTRACTS["grep-target"][1]))
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 12
