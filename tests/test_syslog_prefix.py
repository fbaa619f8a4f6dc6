"""An access log relayed through syslog (or shown by `docker compose logs` / `kubectl logs --prefix`) and written by rsyslog with its high-precision template
(`2020-06-08T09:00:00.000000+02:00 web1 nginx: 198.51.100.1 - - [...] "GET ..." 200 ...`) or as RFC 5424
(`<190>1 2020-06-08T09:00:00Z web1 nginx - - - 198.51.100.1 ...`) was read as combined with the syslog time as the
client, the host as %l and `nginx: 198.51.100.1 - -` as the user: five downloads "from 5 external addresses" that
were timestamps, exit 0 (/tmp/redteam16/syslog/syslog2). A time or a syslog priority is never a client: such a line
is rejected with its reason, the file is all lines rejected (incomplete, exit 3), never an answer from wrong clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.base import PREFIX_FIELDS_REASON, PREFIX_TIME_REASON
from tests.servers import analyse

TARGET = "/docs/x.xlsx"
COMBINED = "".join(f'203.0.113.{i} - - [08/Jun/2020:1{i}:00:00 +0200] "GET {TARGET} HTTP/1.1" 200 18412 "-" "curl/8"\n'
                   for i in range(1, 4))


def _relayed(prefix: str) -> str:
    # a prefix holding `{client}` places the line's own client itself (an address list after it)
    def head(i: int) -> str:
        client = f"198.51.100.{i}"
        return prefix.format(i=i, client=client) if "{client}" in prefix else f"{prefix.format(i=i)} {client}"

    return "".join(f'{head(i)} - - [08/Jun/2020:09:0{i}:00 +0200] "GET {TARGET} HTTP/1.1" '
                   f'200 18412 "-" "Mozilla/5.0"\n' for i in range(1, 6))


@pytest.mark.parametrize("prefix", [
    pytest.param("2020-06-08T09:0{i}:00.000000+02:00 web1 nginx:", id="rsyslog-high-precision"),
    pytest.param("2020-06-08T07:0{i}:00.000000Z web1 nginx:", id="rsyslog-utc"),
    pytest.param("<190>1 2020-06-08T07:0{i}:00Z web1 nginx - - -", id="rfc5424"),
    # traditional syslog with a two-digit day (one space), journalctl's default, docker compose, kubectl --prefix:
    # the client read as `Jun`, `web-1`, `[pod/...]`
    pytest.param("Jun 18 09:0{i}:00 web1 nginx:", id="syslog-traditional"),
    pytest.param("Jun 08 09:0{i}:00 web1 nginx[1234]:", id="journalctl"),
    pytest.param("web-1 |", id="docker-compose"),
    pytest.param("[pod/nginx-7d9f/nginx]", id="kubectl-prefix"),
    # /tmp/review_prefixfix t1, t7, t8, t10, t3: read as requests from `[pod/...]`, `web-1`, `Jun`, `web1`,
    # `web-7d4b9c-x2k4p` (exit 0) while an identd answer before an address the user holds was exempt from code 10
    pytest.param("[pod/web-7d4b9c/nginx] 2020-06-08T07:0{i}:00.123456789Z", id="kubectl-prefix-timestamps"),
    pytest.param("web-1 | 2020-06-08T07:0{i}:00.123456789Z", id="docker-compose-timestamps"),
    pytest.param("Jun 18 09:0{i}:00.123456 web1", id="syslog-fractional-seconds"),
    pytest.param("web1 nginx: {client}, 10.0.0.1", id="relay-tag-address-list"),
    pytest.param("web-7d4b9c-x2k4p nginx", id="stern"),
])
def test_a_syslog_prefix_is_never_read_as_the_client(tmp_path: Path, prefix: str) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "messages").write_text(_relayed(prefix))
    answer = analyse(tmp_path, "access.log", COMBINED, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 3  # the access log read; none from a timestamp "client"
    assert all(d["client_ip"].startswith("203.0.113.") for d in answer.target["downloads"])
    [finding] = [f for f in answer.cli["findings"] if f["path"] and f["path"].endswith("messages")
                 and f["severity"] == "incomplete"]
    assert finding["kind"] == "all lines rejected"
    reasons = {r["reason"] for r in answer.rejects}
    assert len(reasons) == 1 and reasons <= {
PREFIX_TIME_REASON, PREFIX_FIELDS_REASON}, reasons
    # the finding says why and what to do (rejected_hint), in the JSON answer and on the report's page 1
    [reason] = reasons
    assert finding["detail"].endswith(f"format: {reason}"), finding["detail"]
    from exposure.report.i18n import EN, NL, Strings
    from exposure.report.model import _findings

    for lang in (EN, NL):
        [said] = [f for f in _findings(answer.cli, Strings(lang)) if f["kind"] == "all lines rejected"]
        text = str(said)
        assert reason in text and "probably not" not in text and "waarschijnlijk niet" not in text, text
