"""`files` says every figure `analyse` says of a file (one rule, every door): the answer's totals, each defined once
(queries/totals.sql figure_macros: download_figures, request_figures), read by `totals` for a target and by
`files` for every path at once; the agents' classes those figures need are the ones kept in the case at ingest
(exposure/derived.py agent_classes), written for every agent of the case (clientfacts.write_agent_classes).

The case: an origin's nginx log with CloudFront's cache fills and the distribution's own log
(tests/test_cdn_cache_fill.py), and beside them crawlers, a web archive and a link preview, external and internal,
a HEAD, a 304 and an error. Before: `files` had no fetcher_complete_downloads, cdn_complete_downloads,
head_requests, not_modified, errors nor no_method_responses (seen red: those 6 keys missing from every door of it)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from tests.conftest import write_log
from tests.test_cdn_cache_fill import SIZE, START, TARGET
from tests.test_cdn_cache_fill import _logs as cdn_logs

INTERNAL = "203.0.113.0/24"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
ARCHIVE = "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)"
PREVIEW = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
OTHER = "/docs/other.pdf"  # a second file, so that `files` is compared on a row that is no --target too
# (minutes after START, address, method, path, status, bytes, agent): fetchers external and internal, an internal
# cache fill, a HEAD, a 304 and a refused request
EXTRA = ((30, "66.249.66.1", "GET", TARGET, 200, SIZE, GOOGLEBOT),
         (35, "66.249.66.2", "GET", TARGET, 200, SIZE, GOOGLEBOT),
         (40, "207.241.229.1", "GET", TARGET, 200, SIZE, ARCHIVE),
         (45, "69.171.250.1", "GET", TARGET, 200, SIZE, PREVIEW),
         (50, "69.171.250.2", "GET", TARGET, 200, 1000, PREVIEW),          # a partial: no complete fetcher download
         (55, "203.0.113.7", "GET", TARGET, 200, SIZE, GOOGLEBOT),        # internal: the staff's, no fetcher figure
         (60, "203.0.113.8", "GET", TARGET, 200, SIZE, "Amazon CloudFront"),  # internal: no CDN figure
         (65, "198.51.100.70", "HEAD", TARGET, 200, 0, BROWSER),
         (70, "198.51.100.71", "GET", TARGET, 304, 0, BROWSER),
         (75, "198.51.100.72", "GET", TARGET, 500, 153, BROWSER),
         (80, "66.249.66.1", "GET", OTHER, 200, 20000, GOOGLEBOT),
         (85, "198.51.100.73", "GET", OTHER, 200, 20000, BROWSER),
         (90, "203.0.113.9", "GET", OTHER, 200, 20000, ARCHIVE))


def _build(root: Path) -> Path:
    """The CDN case's logs (origin and CloudFront) with EXTRA in the origin's log, in time order."""
    logs = cdn_logs(root, cdn_log=True)
    origin = (logs / "access.log").read_text(encoding="utf-8").splitlines()
    for minutes, client, method, path, status, size, agent in EXTRA:
        when = START + timedelta(minutes=minutes)
        origin.append(f'{client} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "{method} {path} HTTP/1.1" {status} {size} '
                      f'"-" "{agent}" "-"')
    origin.sort(key=lambda line: datetime.strptime(line.split("[")[1][:20], "%d/%b/%Y:%H:%M:%S"))
    write_log(logs / "access.log", origin)
    return logs


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), terminal_width=400)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def doors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each door's figures for TARGET and OTHER: the JSON answer (analyse), `files --json`, `files --csv`, the
    API's totals and files()."""
    work = tmp_path_factory.mktemp("filesdoors")
    case = str(work / "case.duckdb")
    _cli("ingest", "--case", case, str(_build(work)), "--quiet")
    out: dict[str, Any] = {}
    _cli("analyse", "--case", case, "--target", TARGET, "--target", OTHER, "--internal", INTERNAL, "--json",
         str(work / "answer.json"), "--geoip-city", "none", "--geoip-asn", "none", "--quiet")
    out["analyse"] = {t["path"]: t["totals"]
                      for t in json.loads((work / "answer.json").read_text(encoding="utf-8"))["targets"]}
    out["json"] = {r["path"]: r for r in json.loads(_cli("files", "--case", case, "--internal", INTERNAL, "--json"))}
    out["csv"] = {r["path"]: r for r in csv.DictReader(io.StringIO(
        _cli("files", "--case", case, "--internal", INTERNAL, "--csv")))}
    out["table"] = _cli("files", "--case", case, "--internal", INTERNAL)
    options = AnalysisOptions(internal=(INTERNAL,))
    with Case(case, read_only=True) as c:
        out["api_totals"] = {p: c.totals(p, options) for p in (TARGET, OTHER)}
        out["api_files"] = {r["path"]: r for r in c.files(internal=(INTERNAL,)).to_dict("records")}
    return out


def test_the_answer_s_figures_are_these(doors: dict[str, Any]) -> None:
    """The figures themselves, so that a definition changed in the one place both doors read is seen too. Seen red
    with download_figures counting fetchers without `NOT internal` (5 for TARGET) and its CDN
    figure without it (4)."""
    totals = doors["analyse"][TARGET]
    # 5 viewers in CloudFront's log, 3 fills, 1 browser, 2 crawlers, an archive and a link preview
    assert (totals["complete_downloads"], totals["fetcher_complete_downloads"], totals["cdn_complete_downloads"],
            totals["internal_complete_downloads"]) == (13, 4, 3, 2)
    # errors: the 500, the origin's 404 and CloudFront's 404 the next day
    assert (totals["head_requests"], totals["not_modified"], totals["errors"]) == (1, 1, 3)
    other = doors["analyse"][OTHER]
    assert (other["complete_downloads"], other["fetcher_complete_downloads"],
            other["internal_complete_downloads"]) == (2, 1, 1)


@pytest.mark.parametrize("door", ["json", "csv", "api_files"])
def test_files_gives_every_total_analyse_gives(doors: dict[str, Any], door: str) -> None:
    """`files --json`, `files --csv` and Case.files(): the row of each file has every key of the answer's totals,
    each with analyse's number (and the API's totals). Seen red on HEAD (6 keys missing), with files.sql's input
    carrying no client class (fetcher and CDN figures 0: NULL::VARCHAR AS client_class, as it was), with
    `files` not writing the classes of every agent (named.py: ua_class empty, the figures 0), and with files.sql
    counting fetchers without `NOT internal` (restated there instead of download_figures: 5 for TARGET)."""
    for path in (TARGET, OTHER):
        totals = doors["analyse"][path]
        assert doors["api_totals"][path] == totals
        row = doors[door][path]
        assert {k: int(row[k]) if k in row else None for k in totals} == totals, path


def test_the_table_says_the_fetchers_and_the_cdn_beside_complete_downloads(doors: dict[str, Any]) -> None:
    """The terminal table keeps its headline columns: the fetcher and CDN figures where some file has some, the
    request figures (HEAD, 304, errors, method-less) in CSV and JSON only."""
    head = next(line for line in doors["table"].splitlines() if "complete_downloads" in line)
    names = [c.strip() for c in head.strip("┃ ").split("┃")]
    assert names[names.index("complete_downloads"):names.index("complete_downloads") + 4] == [
        "complete_downloads", "distinct_ips", "fetcher_complete_downloads", "cdn_complete_downloads"]
    assert not {"head_requests", "not_modified", "errors", "no_method_responses"} & set(names)


def test_the_table_leaves_the_fetcher_and_cdn_columns_out_where_no_file_has_one(tmp_path: Path) -> None:
    """Only the staff's crawler fetched the file: with --internal no external fetcher, no column (the table keeps
    its width); without, the crawler's downloads are external and the column says them. Seen red with the columns
    always shown (FILES_TABLE_WHERE_SOME emptied: the column in the --internal table)."""
    when = START.strftime("%d/%b/%Y:%H:%M")
    write_log(tmp_path / "logs" / "access.log",
              [f'203.0.113.{i} - - [{when}:0{i} +0000] "GET /staff.pdf HTTP/1.1" 200 100 "-" "{GOOGLEBOT}"'
               for i in (1, 2)])
    case = str(tmp_path / "case.duckdb")
    _cli("ingest", "--case", case, str(tmp_path / "logs"), "--quiet")
    staff = _cli("files", "--case", case, "--internal", INTERNAL)
    assert "internal_complete_downloads" in staff and "fetcher_complete_downloads" not in staff
    assert "cdn_complete_downloads" not in staff
    plain = _cli("files", "--case", case)
    assert "fetcher_complete_downloads" in plain and "cdn_complete_downloads" not in plain
