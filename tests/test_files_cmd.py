"""`exposure files` and the --target-glob/--under expansion of `analyse`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app

runner = CliRunner(env={"COLUMNS": "200"})
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
SAMPLE = Path(__file__).resolve().parent.parent / "sample_logs"


def test_files_json_under_folder(sample_case_path: Path) -> None:
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--under", "/documenten/wob/2020/",
                                 "--internal", "203.0.113.0/24", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 6
    assert all(r["path"].startswith("/documenten/wob/2020/") for r in rows)
    target = next(r for r in rows if r["path"] == TARGET)
    assert (target["complete_downloads"], target["distinct_ips"], target["windows"]) == (11, 7, 2)
    assert target["first_available"] == "2020-06-08T12:12:18Z"
    assert target["withdrawn_at"] == "2020-06-18T14:40:09Z"
    # published and withdrawn first; paths only ever answered 404 last
    assert [r["closed_windows"] > 0 for r in rows] == [True] * 4 + [False] * 2


def test_files_table_and_csv(sample_case_path: Path) -> None:
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "*.xlsx"])
    assert result.exit_code == 0, result.output
    assert "signalen" in result.stdout and "1 row" in result.stdout
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "/documenten/*", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 10 and rows[0]["path"]  # /documenten (301) is no match.startswith("/documenten/wob/2020/")


# The CSV's columns in their order: those `files` had before, in their order, then each column added later after
# them (a script reading the CSV by position reads the same columns). Written out here and in the README's `files`
# section; a column added goes at the end of both.
FILES_COLUMNS = ["path", "spellings", "first_available", "last_available", "withdrawn_at", "windows",
                 "closed_windows", "size_bytes", "size_votes", "size_rule", "band_bytes", "band_floor",
                 "complete_downloads", "distinct_ips", "inferred_complete_downloads", "inferred_only_ips",
                 "internal_complete_downloads", "partial_downloads", "undetermined_downloads", "requests",
                 "internal_requests", "requesting_ips", "available_responses", "unavailable_responses",
                 "refused_after", "shared_requests", "shared_with", "reopened_elsewhere",
                 # added later (files: every figure of the answer's totals; the hosts a path's requests name)
                 "fetcher_complete_downloads", "cdn_complete_downloads", "head_requests", "not_modified", "errors",
                 "no_method_responses", "hosts", "lengths_stated", "closed_by_error_page", "reopened_in_flight",
                 "sizes_in_doubt", "no_address_complete_downloads", "redirects_after", "complete_on_sent_counts",
                 "sent_count_formats", "unseen_from"]


def test_files_csv_columns_keep_their_order(sample_case_path: Path) -> None:
    """The CSV's header is FILES_COLUMNS, the JSON's keys too, and the README lists them in that order. Before:
    fetcher_complete_downloads and cdn_complete_downloads stood after inferred_only_ips, head_requests, not_modified
    and errors before requests, no_method_responses after requesting_ips: internal_complete_downloads (column 17)
    had moved to column 19, every column after it by 2 to 6."""
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "*.xlsx", "--csv"])
    assert result.exit_code == 0, result.output
    assert next(csv.reader(io.StringIO(result.stdout))) == FILES_COLUMNS
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--glob", "*.xlsx", "--json"])
    assert list(json.loads(result.stdout)[0]) == FILES_COLUMNS
    readme = " ".join((SAMPLE.parent / "README.md").read_text().split())
    assert ", ".join(f"`{c}`" for c in FILES_COLUMNS) in readme


def test_files_errors(sample_case_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["files", "--case", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no case file" in result.output
    # what to do next, on the one line
    assert f"make one with exposure ingest --case {tmp_path / 'none.duckdb'} LOGS..." in result.output
    result = runner.invoke(app, ["files", "--case", str(sample_case_path), "--under", "/a", "--glob", "*"])
    assert result.exit_code == 2 and "not both" in result.output


def test_analyse_target_glob_and_under(sample_case_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["analyse", str(SAMPLE / "web1" / "access.log"), "--case", str(sample_case_copy),
                                 "--target", "/documenten/wob/2020/inventarislijst.pdf",
                                 "--target-glob", "*.xlsx", "--under", "/documenten/wob/2020",
                                 "--internal", "203.0.113.0/24", "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    answer = json.loads(out.read_text())
    # exact target first, then the glob's matches, then the folder's (sorted), each path once
    assert [t["path"] for t in answer["targets"]] == [
        "/documenten/wob/2020/inventarislijst.pdf", TARGET,
        "/documenten/wob/2020/besluit-wob-verzoek.pdf", "/documenten/wob/2020/bijlage-1-toelichting-signalen.pdf"]
    assert answer["targets"][1]["totals"]["complete_downloads"] == 11
    result = runner.invoke(app, ["analyse", str(SAMPLE / "web1" / "access.log"), "--case", str(sample_case_copy),
                                 "--target-glob", "/nothing/*", "-q"])
    assert result.exit_code == 2 and "matches no path" in result.output


def test_files_names_a_case_insensitive_file_as_the_target_given(tmp_path: Path) -> None:
    """IIS: /docs/leak.xlsx and /DOCS/Leak.xlsx are one file, one row, named by --target as given; the table
    shows its spellings, JSON lists them."""
    from tests.leak_cases import CASES

    case = tmp_path / "case.duckdb"
    assert runner.invoke(app, ["ingest", str(CASES["iis"].write(tmp_path)), "--case", str(case), "-q"]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case), "--internal", "203.0.113.0/24",
                                 "--target", "/Docs/Leak.XLSX", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["path"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"/Docs/Leak.XLSX", "/index.html"}
    leak = rows["/Docs/Leak.XLSX"]
    assert (leak["spellings"], leak["complete_downloads"], leak["distinct_ips"], leak["windows"]) == (
        ["/docs/leak.xlsx", "/DOCS/Leak.xlsx"], 4, 3, 1)
    table = runner.invoke(app, ["files", "--case", str(case)])
    assert table.exit_code == 0 and "spellings" in table.output


def test_files_table_shows_undetermined_downloads(tmp_path: Path) -> None:
    """A W3C log with neither a byte count nor IIS's sc-win32-status: its 200 GETs are undetermined, neither
    complete nor partial. The terminal table shows that column (README: "complete, partial and undetermined
    downloads"); without it a file downloaded three times would read 0 complete, 0 partial."""
    from tests.test_servers_w3c import TARGET as IIS_TARGET

    log = tmp_path / "u_ex200608.log"
    log.write_text("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
                   "#Fields: date time c-ip cs-method cs-uri-stem sc-status\n"
                   + "".join(f"2020-06-08 09:0{i}:00 198.51.100.{i} GET {IIS_TARGET} {status}\n"
                             for i, status in ((1, 200), (2, 200), (3, 200), (4, 404))))
    case = tmp_path / "c.duckdb"
    assert runner.invoke(app, ["ingest", "--case", str(case), str(log), "-q"]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", str(case)])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if "complete_downloads" in line)
    row = next(line for line in result.stdout.splitlines() if IIS_TARGET in line)
    cells = dict(zip([c.strip() for c in header.split("┃")[1:-1]], [c.strip() for c in row.split("│")[1:-1]],
                     strict=True))
    assert (cells["complete_downloads"], cells["partial_downloads"], cells["undetermined_downloads"]) == ("0", "0", "3")


def test_files_table_shows_staff_requests_where_there_are_some(tmp_path: Path) -> None:
    """Review (doors): `requests` counts external addresses only (as the answer's totals), and the table left out
    `internal_requests`: a file only staff requested read 'requests 0' beside its windows, with no sign why."""
    log = tmp_path / "access.log"
    log.write_text("".join(f'203.0.113.{i} - - [08/Jun/2020:12:0{i}:00 +0000] "GET /staff.pdf HTTP/1.1" 200 100 '
                           f'"-" "UA"\n' for i in (1, 2)))
    case = tmp_path / "case.duckdb"
    assert runner.invoke(app, ["ingest", str(log), "--case", str(case), "-q"]).exit_code == 0
    table = runner.invoke(app, ["files", "--case", str(case), "--internal", "203.0.113.0/24"])
    assert table.exit_code == 0, table.output
    assert "internal_requests" in table.output
    plain = runner.invoke(app, ["files", "--case", str(case)])
    assert "internal_requests" not in plain.output
