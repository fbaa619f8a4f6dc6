"""Apache httpd's `%b` (upstream `common` and `combined`) is `r->bytes_sent`, which `ap_content_length_filter`
(server/protocol.c) adds up as the response's buckets pass (`r->bytes_sent += e->length`), before a byte reaches
the network: a static file's FILE bucket is its whole length at once. So a download the client broke off at
12,000 bytes is logged `200 50000`, as a complete one is (Apache wiki ResponseSize: `%b` "logs the size of the
object requested by the client, but not necessarily the number of bytes actually delivered"; mod_logio's `%O`
counts what was written). The log cannot tell the two apart; the answer must say that its complete downloads
rest on counts of what Apache handed on, where the log is Apache's `%b` (a `-` for an empty body: nginx writes 0).
A known fault, not mended (README, docs/servers.md state the limit): a strict xfail, its fix shows as XPASS.
Input kept in /tmp/defaults/apache-b-abort (TRUTH.md there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse

pytestmark = pytest.mark.slow

SIZE = 50000
TARGET = "/dl/leak.pdf"


def _clf(ip: str, time: str, method: str, status: int, count: int | str) -> str:
    return f'{ip} - - [08/Jun/2020:{time} +0200] "{method} {TARGET} HTTP/1.1" {status} {count} "-" "Mozilla/5.0"'


LOG = "\n".join([
    _clf("198.51.100.1", "09:00:00", "GET", 200, SIZE),
    _clf("198.51.100.2", "09:01:00", "GET", 200, SIZE),  # the client broke off at 12,000 bytes: Apache logs 50000
    _clf("198.51.100.3", "09:02:00", "HEAD", 200, "-"),
    _clf("198.51.100.4", "09:03:00", "GET", 304, "-"),
    _clf("198.51.100.9", "10:00:00", "GET", 404, 196),
]) + "\n"


@pytest.mark.xfail(strict=True, reason="Apache %b counts the body handed on, not delivered: the answer does not say "
                                       "so (red team defaults, FINDINGS.md fault 3)")
def test_complete_by_an_apache_b_count_is_said_to_be_sent_not_received(tmp_path: Path) -> None:
    answer = analyse(tmp_path, "access.log", LOG, TARGET)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert answer.outcomes() == [("198.51.100.1", "complete"), ("198.51.100.2", "complete")]
    assert [w for w in answer.target["warnings"] if "%b" in w], answer.target["warnings"]
