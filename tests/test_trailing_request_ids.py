"""A line's identity for repeats holds every field the line carries: the server's request id where its format names
it, and the fields no column holds (`extra`: a trailing field no format names, an nginx `$http_x_request_id`).
nginx's `combined` + ` $request_id` read as combined keeps the id as a trailing field: two requests identical but for
it (same address, second, path, status, bytes, agent) were counted once, as a file holding its lines twice
(overlap.py SELF_SQL) and as a copy in another server's log (/tmp/idfix/f1/self: 3 complete downloads of 6;
/tmp/idfix/f1/two: 1 of 2). Ids are compared only where both lines carry one, as the request id is: the same id
is still a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.ingest import IngestOptions
from tests.servers import analyse

pytestmark = pytest.mark.slow

TARGET = "/doc/leak.xlsx"
LINE = ('198.51.100.7 - - [10/Jun/2020:10:00:{:02d} +0200] "GET /doc/leak.xlsx HTTP/1.1" 200 1000 "-" "Mozilla/5.0" '
        "{}\n")
JSON = ('{{"time_iso8601":"2020-06-10T10:00:{:02d}+02:00","remote_addr":"198.51.100.7","request":"GET /doc/leak.xlsx '
        'HTTP/1.1","status":"200","body_bytes_sent":"1000","http_user_agent":"Mozilla/5.0","request_id":"{}"}}\n')
NGINX_HEADER_ID = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
                   '"$http_user_agent" $http_x_request_id')


def _overlaps(answer) -> list[dict]:
    return [f for f in answer.cli["findings"] if f["kind"] == "overlap"]


@pytest.mark.parametrize("second, complete", [
    pytest.param("b{}77d0c1e2f3", 6, id="other-ids"),  # 3 requests, then 3 more alike but for their ids
    pytest.param("a{}f3c9e0b1d2", 3, id="same-ids"),   # `cat a a`: the same lines written again
])
def test_a_file_holding_lines_alike_but_for_a_trailing_id(tmp_path: Path, second: str, complete: int) -> None:
    text = ("".join(LINE.format(i, f"a{i}f3c9e0b1d2") for i in range(3))
            + "".join(LINE.format(i, second.format(i)) for i in range(3)))
    answer = analyse(tmp_path, "access.log", text, TARGET)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == complete and len(answer.downloads) == complete
    assert [r["extra"]["trailing"] for r in answer.rows][-1] == second.format(2)
    assert len(answer.rows) == complete  # the copy's lines are left out of the requests
    assert [o["line_ranges"] for o in _overlaps(answer)] == ([] if complete == 6 else ["4-6"])


@pytest.mark.parametrize("line, options, ingest", [
    pytest.param(LINE, (), IngestOptions(), id="combined-trailing"),
    pytest.param(LINE, ("--nginx-log-format", NGINX_HEADER_ID), IngestOptions(nginx_log_format=NGINX_HEADER_ID),
                 id="nginx-http_x_request_id"),
    pytest.param(JSON, (), IngestOptions(), id="json-request_id"),
])
@pytest.mark.parametrize("second_id, complete", [("9c8b7a6d5e4f3a2b", 2), ("5f0e8a1b2c3d4e5f", 1)])
def test_two_servers_lines_alike_but_for_their_ids(tmp_path: Path, line: str, options: tuple[str, ...],
                                                    ingest: IngestOptions, second_id: str, complete: int) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "web1.log").write_text(line.format(5, "5f0e8a1b2c3d4e5f"))
    # the second file's line ends in CRLF: never a duplicate by hash
    answer = analyse(tmp_path, "web2.log", line.format(5, second_id).replace("\n", "\r\n"), TARGET, *options, ingest=ingest)
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == complete and len(answer.downloads) == complete
    assert len(_overlaps(answer)) == 2 - complete
