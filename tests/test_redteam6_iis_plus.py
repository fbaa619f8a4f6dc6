"""IIS writes the decoded cs-uri-stem with a space as '+' (`/docs/my+file.pdf` for a request of
`/docs/my%20file.pdf`, as it writes agents): the target `/docs/my file.pdf` was "never requested" (0 downloads,
exit 0) while two addresses downloaded it. A '+' the client itself sent is refused by IIS request filtering
(404.11, double escaping) and stays a '+': it never closes the window of the file with a space."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import accounted, analyse

FIELDS = ("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
          "cs(Referer) sc-status sc-substatus sc-win32-status time-taken")
HEADER = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0", "#Date: 2024-03-10 10:00:00",
          FIELDS]


def _line(time: str, stem: str, ip: str, status: int, substatus: int = 0, win32: int = 0) -> str:
    return (f"2024-03-10 {time} 10.0.0.5 GET {stem} - 443 - {ip} Mozilla/5.0+(Windows+NT+10.0) - "
            f"{status} {substatus} {win32} 120")


LINES = [_line("10:00:00", "/docs/my+file.pdf", "198.51.100.1", 200),
         _line("10:01:00", "/docs/my+file.pdf", "198.51.100.2", 200),
         # a client that sent a literal '+' (a form-encoded link): refused, and no answer about the file
         _line("10:02:00", "/docs/my+file.pdf", "198.51.100.3", 404, 11, 0),
         _line("10:03:00", "/docs/my+file.pdf", "198.51.100.4", 200),
         _line("11:00:00", "/docs/my+file.pdf", "198.51.100.5", 404, 0, 2)]


@pytest.mark.parametrize("header", [pytest.param(HEADER, id="fields-header"), pytest.param([], id="headerless")])
@pytest.mark.parametrize("target", ["/docs/my file.pdf", "/docs/my%20file.pdf"])
def test_iis_plus_in_the_stem_is_a_space(tmp_path: Path, header: list[str], target: str) -> None:
    answer = analyse(tmp_path, "u_ex240310.log", "\r\n".join([*header, *LINES]) + "\r\n", target)
    assert answer.exit_code == 0, answer.output
    accounted(answer)
    assert [r["path"] for r in answer.rows] == ["/docs/my file.pdf"] * 2 + ["/docs/my+file.pdf"] + [
        "/docs/my file.pdf"] * 2
    expected = [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.4", "complete")]
    assert answer.outcomes() == expected and answer.api_outcomes() == expected
    [window] = answer.target["windows"]
    assert (window["first_available"], window["last_available"], window["first_unavailable"]) == (
        "2024-03-10T10:00:00Z", "2024-03-10T10:03:00Z", "2024-03-10T11:00:00Z")
