"""Red team 12: a delivery holding both a reverse proxy's log and the log of the server behind it.

Every download is logged twice: by the proxy (client 192.0.2.x) and by the backend (client 10.0.0.2, the client in
nginx's trailing X-Forwarded-For field). /tmp/redteam12/J: 99 downloads answered as '198 complete downloads from 51
external addresses', exit 0, no word of it (with --client-ip-from xff: 198 from 50). The count stays (which tier to
answer from is the investigator's choice); the answer now says it: queries/tiers.sql downloads_logged_twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.ingest import IngestOptions
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.conftest import write_log

TARGET = "/docs/lijst.xlsx"
START = datetime(2020, 6, 8, 8, 0)


def _line(client: str, when: datetime, path: str, size: int, xff: str) -> str:
    return (f'{client} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {path} HTTP/1.1" 200 {size} "-" "Mozilla/5.0" '
            f'"{xff}"')


def _logs(tmp_path: Path, proxy: bool = True, lag: int = 0) -> Path:
    """Six downloads of the target among page views, one a minute; the backend logs each `lag` seconds earlier."""
    front, back = [], []
    for i in range(60):
        when = START + timedelta(minutes=i)
        client = f"192.0.2.{i % 7 + 1}"
        path, size = (TARGET, 123456) if i % 10 == 3 else ("/", 3000)
        front.append(_line(client, when, path, size, "-"))
        back.append(_line("10.0.0.2", when - timedelta(seconds=lag), path, size, client))
    if proxy:
        write_log(tmp_path / "proxy" / "access.log", front)
    write_log(tmp_path / "backend" / "access.log", back)
    return tmp_path


def _warnings(folder: Path, ingest: IngestOptions | None = None) -> list[str]:
    with Case() as case:
        case.ingest([folder], ingest or IngestOptions())
        answer = case.analyse([TARGET], AnalysisOptions())
    return [w for w in answer["targets"][0]["warnings"] if "X-Forwarded-For" in w]


def test_a_proxy_log_beside_its_backend_s_log_is_said(tmp_path: Path) -> None:
    said = _warnings(_logs(tmp_path, lag=40))
    assert said == [
        "6 downloads of this file may be counted twice (6 complete; the first: download 1): stream "
        "backend/access.log logged them from 10.0.0.2 with an X-Forwarded-For naming the client of a download of the "
        "file that stream proxy/access.log logged within 15 minutes, as a proxy's log and the log of the server "
        "behind it both do; answer from one of the two (leave the other's files out), or count 10.0.0.2 apart with "
        "--internal (queries/tiers.sql downloads_logged_twice)"]
    # page 1 cuts a caveat at 200 characters: what it means comes first
    assert said[0][:200].startswith("6 downloads of this file may be counted twice")
    assert sentence(said[0], strings("nl")).startswith(
        "6 downloads van dit bestand tellen mogelijk twee keer (6 volledig; de eerste: download 1): stroom "
        "backend/access.log logde ze vanaf 10.0.0.2")


def test_the_client_resolved_from_the_header_is_said_too(tmp_path: Path) -> None:
    """With --client-ip-from xff both tiers name the client: still counted twice, still said."""
    said = _warnings(_logs(tmp_path), IngestOptions(client_ip_from="xff", trusted_proxies=("10.0.0.0/8",)))
    assert len(said) == 1 and said[0].startswith("6 downloads of this file may be counted twice (6 complete")


def test_a_backend_log_alone_or_far_apart_is_not_said(tmp_path: Path) -> None:
    assert _warnings(_logs(tmp_path / "alone", proxy=False)) == []
    # the same clients fetching the file again an hour later is no second tier
    assert _warnings(_logs(tmp_path / "apart", lag=3600)) == []
