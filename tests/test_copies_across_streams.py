"""Copies of one server's log that land in streams of their own (server-like names: `excerpt.log`,
`taken-1000/access.log`, `web3/access.log`): no copy makes a download, a gap or a `time ran back` its original does
not have, and a server's own lines keep their gaps (tests/test_rt15fix_server_names.py holds the other side)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _day(first: str = "192.0.2", second: int = 0) -> list[str]:
    """A line every 10 minutes from 00:00 to 23:50 UTC on 10 June, client `first`.(hour + 1), TARGET at :30."""
    return [clf(f"{first}.{h + 1}", t(10, h, m, second), TARGET if m == 30 else "/", size=50000 if m == 30 else 900)
            for h in range(24) for m in range(0, 60, 10)]


def _run(folder: Path) -> tuple[dict[str, Any], dict[str, str]]:
    with Case() as case:
        case.ingest([folder])
        answer = case.analyse([TARGET], AnalysisOptions(geoip_city="none"))
        streams = dict(case.sql("SELECT path, stream FROM evidence").values.tolist())
    return answer, {Path(p).relative_to(folder).as_posix(): s for p, s in streams.items()}


def _kinds(answer: dict[str, Any], *kinds: str) -> list[str]:
    return [f"{f['kind']}: {f['stream']}: {f['detail']}" for f in answer["findings"] if f["kind"] in kinds]


def test_a_tail_excerpt_under_a_servers_name_is_no_download_of_its_own(tmp_path: Path) -> None:
    """/tmp/rt15fix/run.sh D9: `tail -c` of web1's log cut 2 bytes into a download's line (`2.0.2.22` of
    `192.0.2.22`), saved as `excerpt.log` (a server's name). Before: its cut first line was a download of its
    own (25 complete downloads where 24 were made) as the head rule held only for names like a copy's. The excerpt
    after its first line is web1's tail, line for line: its first line is a cut copy, whatever its name."""
    day = _day()
    data = "".join(line + "\n" for line in day).encode()
    write_log(tmp_path / "in" / "web1" / "access.log", day)
    (tmp_path / "in" / "excerpt.log").write_bytes(data[data.index(day[129].encode()) + 2:])
    answer, streams = _run(tmp_path / "in")
    [target] = answer["targets"]
    assert target["totals"]["complete_downloads"] == 24
    assert "2.0.2.22" not in {d["client_ip"] for d in target["downloads"]}
    assert streams["excerpt.log"] == "in/excerpt.log"
    [overlap] = [f for f in answer["findings"] if f["kind"] == "overlap" and f["path"].endswith("excerpt.log")]
    assert (overlap["line_ranges"], overlap["related_line_ranges"]) == ("1", "130"), overlap
