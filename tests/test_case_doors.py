"""Servers that ignore case (IIS) beside servers that do not (nginx): every door names the same files with the same
numbers (queries/files.sql file_spellings, the one rule). `files` on the command line, `analyse`'s JSON and the
Python API (exposure.api.Case) are compared on one input each.

The logs: nginx combined (access.log: $7 the path, $9 the status) and IIS W3C (u_ex200608.log: $5 cs-uri-stem,
$14 sc-status); the counts in the comments are awk's over them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.api import Case
from exposure.cli import app
from tests.test_under_case_folding import IIS_HEAD, iis_lines, ingested, nginx_lines

runner = CliRunner(env={"COLUMNS": "200"})
IIS_404 = ("2020-06-08 09:01:00 192.0.2.1 GET /docs/A.pdf - 443 - 198.51.100.1 HTTP/1.1 Mozilla/5.0 - "
           "www.example.nl 404 0 0 150 420 31\n")


def cli_files(case: Path, *options: str) -> list[tuple[str, int, int, str | None]]:
    """`files --json`: each row's path, requests, complete downloads and withdrawn_at, by path."""
    result = runner.invoke(app, ["files", "--case", str(case), *options, "--json"])
    assert result.exit_code == 0, result.output
    return sorted((r["path"], r["requests"], r["complete_downloads"], r["withdrawn_at"])
                  for r in json.loads(result.stdout))


def cli_analysed(case: Path, *options: str) -> list[tuple[str, int, int, str | None]]:
    """analyse's JSON: each target's path, requests, complete downloads and its last window's end, by path."""
    out = case.parent / "answer.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), *options, "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return sorted((t["path"], t["totals"]["requests"], t["totals"]["complete_downloads"],
                   t["windows"][-1]["first_unavailable"] if t["windows"] else None)
                  for t in json.loads(out.read_text())["targets"])


def api_files(case: Path, **options: object) -> list[tuple[str, int, int, str | None]]:
    """Case.files(): each row's path, requests, complete downloads and withdrawn_at (ISO, Z), by path."""
    with Case(case, read_only=True) as c:
        rows = c.files(arrow=True, **options).to_pylist()  # type: ignore[arg-type]
    return sorted((r["path"], r["requests"], r["complete_downloads"],
                   r["withdrawn_at"].strftime("%Y-%m-%dT%H:%M:%SZ") if r["withdrawn_at"] else None) for r in rows)


@pytest.fixture
def iis_404_of_an_nginx_file(tmp_path: Path) -> Path:
    """nginx served /Docs/a.pdf whole twice (awk '$9 == 200' access.log: 2); IIS refused /docs/A.pdf once (awk
    '$14 == 404' u_ex200608.log: 1): on IIS that is /Docs/a.pdf, so --target /Docs/a.pdf counts it, 3 requests,
    withdrawn at it (09:01)."""
    return ingested(tmp_path, iis=IIS_HEAD + IIS_404, nginx=nginx_lines([("/Docs/a.pdf", 2, 100290)]))


ROW = ("/Docs/a.pdf", 3, 2, "2020-06-08T09:01:00Z")


@pytest.mark.parametrize("folder", ["/docs/", "/Docs/", "/DOCS/"])
def test_under_selects_a_file_by_any_spelling_its_server_logged(iis_404_of_an_nginx_file: Path, folder: str) -> None:
    """A file is under a folder where any spelling the rule gives it is, on the server that logged it: IIS's
    /docs/A.pdf is /Docs/a.pdf's, so /Docs/a.pdf is under /docs/ and /DOCS/ (on IIS) as under /Docs/ (on nginx).
    Every door gives the one row the unfiltered `files` and `--target /Docs/a.pdf` give. Before: `files --under
    /docs/` listed nothing and `analyse --under /docs/` failed ('matches no path served'), while the unfiltered
    row counted the 404. Seen red with selected_files' old HAVING (a matching spelling had to show the file
    available there)."""
    case = iis_404_of_an_nginx_file
    assert cli_files(case) == [ROW]
    assert cli_analysed(case, "--target", "/Docs/a.pdf") == [ROW]
    assert cli_files(case, "--under", folder) == [ROW]
    assert cli_analysed(case, "--under", folder) == [ROW]
    assert api_files(case, under=folder) == [ROW]
    with Case(case, read_only=True) as c:
        assert c.expand_targets(unders=[folder]) == ["/Docs/a.pdf"]


def test_under_a_folder_no_spelling_is_in_selects_nothing(iis_404_of_an_nginx_file: Path) -> None:
    """The rule selects by spellings logged, not by the folder's case: nginx never logged /docs/ nor /DOCS/ and
    IIS never /Other/, so --under /Other/ matches no file in any door."""
    case = iis_404_of_an_nginx_file
    assert cli_files(case, "--under", "/Other/") == []
    assert api_files(case, under="/Other/") == []
    result = runner.invoke(app, ["analyse", "--case", str(case), "--under", "/Other/", "-q"])
    assert result.exit_code != 0 and "--under '/Other/' matches no path served in the case" in result.output


def test_two_targets_equal_but_for_case_on_iis_alone_are_two_rows_in_every_door(tmp_path: Path) -> None:
    """IIS alone: /a.pdf whole twice, /A.pdf once (awk '$14 == 200 && tolower($5) == "/a.pdf"' u_ex200608.log: 3).
    `analyse --target /a.pdf --target /A.pdf` answers each target, 3 requests and 3 complete each, each warned
    that the other counts them too; `files` with the same targets gives those two rows, each 3 shared with the
    other, on the command line and through the API. Before: `files` gave one row /a.pdf (3, nothing shared).
    Seen red with the split folds left out of file_spellings' claimed."""
    case = ingested(tmp_path, iis=iis_lines([("/a.pdf", 2), ("/A.pdf", 1)]))
    targets = ["--target", "/a.pdf", "--target", "/A.pdf"]
    both = [("/A.pdf", 3, 3, None), ("/a.pdf", 3, 3, None)]
    assert cli_analysed(case, *targets) == both
    assert cli_files(case, *targets) == both
    assert api_files(case, targets=["/a.pdf", "/A.pdf"]) == both
    result = runner.invoke(app, ["files", "--case", str(case), *targets, "--json"])
    assert sorted((r["path"], r["shared_requests"], r["shared_with"]) for r in json.loads(result.stdout)) == [
        ("/A.pdf", 3, ["/a.pdf"]), ("/a.pdf", 3, ["/A.pdf"])]
    assert cli_files(case, "--target", "/A.pdf") == [("/A.pdf", 3, 3, None)]  # one target: the file, so named
    assert cli_files(case) == [("/a.pdf", 3, 3, None)]
