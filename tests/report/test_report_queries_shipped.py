"""Every number and finding of the report traces to SQL the report ships beside it (queries.sql, EVIDENCE.md 7):
each query the answer and the report run, and each query or macro the report's words cite (`queries/windows.sql
window_reopened_elsewhere`), is in queries.sql. Before, the caveat of two servers that may have reopened a window
(queries/windows.sql window_reopened_elsewhere) cited a query the bundle lacked."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import queries
from exposure.cli import app
from tests.conftest import write_log

TARGET = "/docs/leak.xlsx"
CITED = re.compile(r"queries/\s*([a-z_]+)\.sql\s+([a-z_]+)")


def _line(when: datetime, status: int, client: str) -> str:
    size = 734003 if status == 200 else 153
    return f'{client} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {TARGET} HTTP/1.1" {status} {size} "-" "Mozilla/5.0"'


def _two_servers(logs: Path) -> None:
    """web1 withdraws the file at 13:00; web2, its clock 90 s ahead, logs 200s after web1's first 404 (windows
    that may be one: window_reopened_elsewhere); web2 also holds a line that is not the format."""
    web1, web2 = [], []
    for i in range(40):
        real = datetime(2020, 6, 10, 12, 50, 10) + timedelta(seconds=20 * i)
        web1.append(_line(real, 200 if real < datetime(2020, 6, 10, 13) else 404, "192.0.2.5"))
        status = 200 if real + timedelta(seconds=10) < datetime(2020, 6, 10, 13) else 404
        web2.append(_line(real + timedelta(seconds=100), status, "192.0.2.6"))
    write_log(logs / "web1" / "access.log", web1)
    write_log(logs / "web2" / "access.log", web2[:5] + ["not a log line"] + web2[5:])


def shipped(text: str) -> set[str]:
    """The names queries.sql holds: its named queries and the macros they define."""
    return (set(re.findall(r"^-- name: ([a-z_]+)", text, flags=re.M))
            | set(re.findall(r"MACRO\s+([a-z_]+)\s*\(", text)))


@pytest.mark.usefixtures("html_only_reports")
def test_every_query_run_and_cited_is_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _two_servers(tmp_path / "logs")
    asked: set[str] = set()
    get = queries.get

    def traced(name: str) -> queries.NamedQuery:
        asked.add(name)
        return get(name)

    case = str(tmp_path / "case.duckdb")
    result = CliRunner().invoke(app, ["ingest", "--case", case, str(tmp_path / "logs")])
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(queries, "get", traced)  # the answer's and the report's queries, not the ingest's
    result = CliRunner().invoke(app, ["report", "--case", case, "--target", TARGET, "--out", str(tmp_path / "r"),
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    text = (tmp_path / "r" / "queries.sql").read_text(encoding="utf-8")
    names = shipped(text)
    cited = {m[2] for m in CITED.finditer(re.sub(r"<[^>]+>", "", html))}
    assert "window_reopened_elsewhere" in cited  # the case says its caveat
    assert cited - names == set()
    # schema: the case's tables, created or checked when the case is opened, no number of the report
    assert sorted(asked - names - {"schema"}) == []
