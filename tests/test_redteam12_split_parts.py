"""Red team 12, E3: one log split in pieces named `access-part-0000.log` ... `access-part-0003.log` (a splitter's
`-part-NNNN`, `.partNNN`) was four streams, each with a false gap at its edges where the next piece went on. The
word `part` and its number are taken off the name as a rotation's number is: the pieces are one stream, as
`access.log.1` and `access.log-20200608.gz` join `access.log`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from exposure import Case
from exposure.streams import read_name
from tests.conftest import write_log
from tests.logs import clf, t


@pytest.mark.parametrize(("path", "stream", "part"), [
    pytest.param("/e/web1/access-part-0003.log", "web1/access.log", "-part-0003", id="dash-part"),
    pytest.param("/e/web1/access.part001.log", "web1/access.log", ".part001", id="dot-part"),
    pytest.param("/e/web1/access.log.part002", "web1/access.log", ".part002", id="after-extension"),
    pytest.param("/e/web1/access.log.part002.gz", "web1/access.log", ".part002", id="compressed"),
    pytest.param("/e/x/web2-access_part7.log", "web2-access.log", "_part7", id="named-server"),
])
def test_a_split_logs_parts_are_its_stream(path: str, stream: str, part: str) -> None:
    reading = read_name(path, path)
    assert reading.stream == stream, reading.reason
    assert f"numbered part ({part})" in reading.reason


@pytest.mark.parametrize("path", ["/e/web1/counterpart-1.log", "/e/web1/apart-0001.log", "/e/web1/node-0001.log"])
def test_a_name_holding_part_as_a_word_of_its_own_is_not_split(path: str) -> None:
    assert read_name(path, path).stream == "web1/" + Path(path).name


def test_four_pieces_of_one_log_leave_no_gap_at_their_seams(tmp_path: Path) -> None:
    # a line every 20 minutes for 40 hours, in four pieces of 10 hours: each goes on where the one before stopped
    for piece in range(4):
        write_log(tmp_path / "E3" / "web1" / f"access-part-{piece:04d}.log",
                  [clf(f"198.51.100.{k + 1}", t(8, 0) + timedelta(minutes=20 * (piece * 30 + k)), "/index.html")
                   for k in range(30)])
    with Case() as case:
        case.ingest([tmp_path / "E3"])
        streams = {s for (s,) in case.sql("SELECT DISTINCT stream FROM evidence").values.tolist()}
        gaps = [f for f in case.findings() if f.kind == "gap"]
    assert streams == {"web1/access.log"}
    assert gaps == []
