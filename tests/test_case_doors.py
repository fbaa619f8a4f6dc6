"""Servers that ignore case (IIS) beside servers that do not (nginx): every door names the same files with the same
numbers (queries/files.sql file_spellings, the one rule). `files` on the command line, `analyse`'s JSON and the
Python API (exposure.api.Case) are compared on one input each.

The logs: nginx combined (access.log: $7 the path, $9 the status) and IIS W3C (u_ex200608.log: $5 cs-uri-stem,
$14 sc-status); the counts in the comments are awk's over them.
"""

from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.api import Case
from exposure.cli import app
from tests.logs import clf, t
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


@pytest.fixture(scope="module")
def _iis_404_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The logs below ingested once for the module (the 4 tests that read them ingested them 4 times); each test
    gets its own copy of the case (`analyse` writes to the case it answers from)."""
    return ingested(tmp_path_factory.mktemp("iis-404"), iis=IIS_HEAD + IIS_404,
                    nginx=nginx_lines([("/Docs/a.pdf", 2, 100290)]))


@pytest.fixture
def iis_404_of_an_nginx_file(_iis_404_built: Path, tmp_path: Path) -> Path:
    """nginx served /Docs/a.pdf whole twice (awk '$9 == 200' access.log: 2); IIS refused /docs/A.pdf once (awk
    '$14 == 404' u_ex200608.log: 1): on IIS that is /Docs/a.pdf, so --target /Docs/a.pdf counts it, 3 requests,
    withdrawn at it (09:01). A private copy of the case ingested once for the module."""
    copy = tmp_path / "case.duckdb"
    shutil.copy(_iis_404_built, copy)
    return copy


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


def iis_get(minute: int, path: str, client: int, status: int = 200, sent: int = 100590) -> str:
    """One IIS line: a GET of `path` at 09:`minute`, sc-bytes `sent` (headers and body)."""
    return (f"2020-06-08 09:{minute:02d}:00 192.0.2.1 GET {path} - 443 - 198.51.100.{client} HTTP/1.1 Mozilla/5.0 - "
            f"www.example.nl {status} 0 0 {sent} 420 31\n")


def copies(answer: dict) -> list[tuple[str, list[str], int, int, str | None]]:  # type: ignore[type-arg]
    """A target's possible copies: path, spellings, matching responses, complete downloads, withdrawn_at."""
    return sorted((c["path"], c["spellings"], c["matching_responses"], c["complete_downloads"], c["withdrawn_at"])
                  for c in answer["possible_copies"])


def test_possible_copies_are_the_files_files_lists(tmp_path: Path) -> None:
    """/t.pdf served whole by nginx (3, 100,290 body bytes) and IIS (3, 100,590 with headers), 09:01-09:03. In its
    window nginx served /Docs/a.pdf (2: awk '$7 == "/Docs/a.pdf" && $9 == 200' access.log) and IIS /docs/A.pdf (1)
    and /B.pdf (1), each whole; nginx refused /b.pdf once (09:30, a scanner). By the one rule (file_spellings)
    /Docs/a.pdf is one file of 3 lines, 3 complete, and /B.pdf a file of its own never withdrawn, /b.pdf another
    of the 404 alone: the copies `analyse --target /t.pdf` lists, in its JSON and through the API, are those files
    with `files`' numbers. Before (lower(path) on IIS lines, path on the others): /Docs/a.pdf 2 and /docs/A.pdf 1
    as two copies, and /B.pdf merged with nginx's /b.pdf into a copy 'withdrawn' at the scanner's 404. Seen red
    with copy_hits and copy_raw keyed the old way."""
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3)) + iis_get(20, "/docs/A.pdf", 7) \
        + iis_get(21, "/B.pdf", 8)
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + "".join(clf(f"192.0.2.{m}", t(8, 9, m), "/Docs/a.pdf", size=100290) + "\n" for m in (14, 15)) \
        + clf("192.0.2.19", t(8, 9, 30), "/b.pdf", status=404, size=150) + "\n"
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    listed = {r["path"]: (r["path"], r["spellings"], r["requests"], r["complete_downloads"], r["withdrawn_at"])
              for r in json.loads(result.stdout)}
    assert listed["/Docs/a.pdf"] == ("/Docs/a.pdf", ["/Docs/a.pdf", "/docs/A.pdf"], 3, 3, None)
    assert listed["/B.pdf"] == ("/B.pdf", ["/B.pdf"], 1, 1, None)
    expected = [listed["/B.pdf"], listed["/Docs/a.pdf"]]  # every line of each matched: matching = requests
    out = tmp_path / "answer.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), "--target", "/t.pdf", "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    [answer] = json.loads(out.read_text())["targets"]
    assert copies(answer) == expected
    with Case(case, read_only=True) as c:
        rows = c.possible_copies("/t.pdf", arrow=True).to_pylist()
        assert sorted((r["path"], r["spellings"], r["matching_responses"], r["complete_downloads"],
                       r["withdrawn_at"]) for r in rows) == expected
        # `files` builds file_spellings for its own targets (/docs/A.pdf a row of its own): the copies' files,
        # collected again for another target and then this one, stay the rule's without targets
        c.files(targets=["/docs/A.pdf"])
        c.possible_copies("/Docs/a.pdf")
        rows = c.possible_copies("/t.pdf", arrow=True).to_pylist()
        assert sorted((r["path"], r["spellings"], r["matching_responses"], r["complete_downloads"],
                       r["withdrawn_at"]) for r in rows) == expected
        # built for the copies' folds alone there, it is built for every fold again by the doors that list files
        assert c.expand_targets(unders=["/"]) == ["/B.pdf", "/Docs/a.pdf", "/t.pdf"]
        assert sorted(r["path"] for r in c.files(arrow=True).to_pylist()) == ["/B.pdf", "/Docs/a.pdf", "/b.pdf",
                                                                               "/t.pdf"]


def test_the_report_bundle_holds_the_sql_of_its_possible_copies() -> None:
    """The report lists each target's possible copies with their downloads: queries.sql carries the SQL behind
    them (possible_copies.sql) and the rule of which spellings are one copy (files.sql file_spellings), each
    after what it needs, so the bundle pastes into a DuckDB shell in order. Before: neither was in the bundle.
    Seen red with the three names left out of REPORT_QUERIES."""
    from exposure.report.model import queries_text

    sql = queries_text()
    at = {name: sql.index(f"-- name: {name}  (queries/") for name in
          ("download_rule", "target_macros", "copy_matches", "file_spellings", "copy_macros", "possible_copies")}
    assert list(at) == sorted(at, key=at.__getitem__)
    assert "JOIN file_spellings f ON f.path = m.path" in sql


def test_file_spellings_for_some_folds_are_its_rows_over_the_whole_case(tmp_path: Path) -> None:
    """The copies build file_spellings for their folds alone (spellings_folds): the rule is decided fold by fold,
    so those rows are the whole case's. nginx /Docs/a.pdf (2) with IIS /docs/A.pdf (1), IIS /B.pdf (1) with
    nginx's refused /b.pdf, and /t.pdf on both: for the folds /docs/a.pdf and /b.pdf the restricted table holds
    exactly the whole table's rows of those folds (4: /Docs/a.pdf twice, /B.pdf, /b.pdf). Seen red with the
    restriction on the path as logged (lower(r.path) replaced by r.path: IIS's /docs/A.pdf and /B.pdf lost)."""
    from exposure import queries

    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3)) + iis_get(20, "/docs/A.pdf", 7) \
        + iis_get(21, "/B.pdf", 8)
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m), "/Docs/a.pdf", size=100290) + "\n" for m in (14, 15)) \
        + clf("192.0.2.19", t(8, 9, 30), "/b.pdf", status=404, size=150) + "\n"
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    folds = ["/b.pdf", "/docs/a.pdf"]

    def built(only: list[str] | None) -> list[tuple[object, ...]]:
        c.file.bind({"path_prefix": None, "path_glob": None, "files_targets": None, "spellings_folds": only})
        c.file.run(queries.get("file_spellings"))
        return sorted(c.file.fetchall("SELECT file, path, folded, n, available, shared_with FROM file_spellings "
                                      "WHERE lower(path) IN (SELECT unnest($f::VARCHAR[]))", {"f": folds}))

    with Case(case, read_only=True) as c:
        c.analysis.windows("/t.pdf")  # the download rule's macros, which file_spellings reads
        whole, some = built(None), built(folds)
    assert whole == some
    assert [(r[0], r[1]) for r in whole] == [("/B.pdf", "/B.pdf"), ("/Docs/a.pdf", "/Docs/a.pdf"),
                                             ("/Docs/a.pdf", "/docs/A.pdf"), ("/b.pdf", "/b.pdf")]


def _copy_figures(answer: dict) -> dict[str, tuple]:  # type: ignore[type-arg]
    """Each possible copy: spellings, complete downloads, client_ips, first available, matching responses,
    target_shared_requests, shared_requests, shared_with."""
    return {c["path"]: (c["spellings"], c["complete_downloads"], c["client_ips"], c["first_available"][11:16],
                        c["matching_responses"], c["target_shared_requests"], c["shared_requests"], c["shared_with"])
            for c in answer["possible_copies"]}


def _analysed(case: Path, out: Path, *options: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["analyse", "--case", str(case), "--target", "/t.pdf", *options,
                                 "--json", str(out)])
    assert result.exit_code == 0, result.output
    [answer] = json.loads(out.read_text())["targets"]
    return answer, result.output


def test_a_possible_copy_leaves_out_the_targets_own_lines(tmp_path: Path) -> None:
    """nginx served /t.pdf (3, 09:01-09:03: the target) and /T.pdf (2, 09:14 and 09:15, same size: a file of its
    own); IIS served /t.pdf to 198.51.100.1-3. By file_spellings the IIS lines are as much /T.pdf's as /t.pdf's,
    but the target counts them: the copy /T.pdf, 'not counted in the figures', is its own 2 (available 09:14),
    sharing 3 requests with the target, and --alias /T.pdf adds exactly those 2. Before: 5 complete downloads
    incl. 198.51.100.1-3, available 09:01, and --alias added 2, not 5. Seen red with copy_raw's test of
    target_raw removed."""
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3))
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + "".join(clf(f"192.0.2.{m}", t(8, 9, m), "/T.pdf", size=100290) + "\n" for m in (14, 15))
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    answer, said = _analysed(case, tmp_path / "a.json")
    assert answer["totals"]["complete_downloads"] == 6
    assert _copy_figures(answer) == {"/T.pdf": (["/T.pdf", "/t.pdf"], 2, ["192.0.2.14", "192.0.2.15"], "09:14", 2,
                                                3, 0, [])}
    assert "3 of its requests are this target's own" in " ".join(said.split())
    aliased, _ = _analysed(case, tmp_path / "b.json", "--alias", "/T.pdf")
    assert aliased["totals"]["complete_downloads"] == 6 + 2


def test_possible_copies_say_the_requests_they_share(tmp_path: Path) -> None:
    """nginx served /B.pdf and /b.pdf (1 each, the target's size, in its window); IIS served /b.PDF to 198.51.100.7:
    as much either's (file_spellings shared_with), as `files` says. Each copy has 2 complete downloads, 1 of its
    requests shared with the other: --alias of both adds 3, not 4, and the copies say so (JSON, terminal). Before:
    no shared_requests in the copies, and both 'not counted' with .7. Seen red with the copies' shared column
    left out (shared_requests 0)."""
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3)) + iis_get(10, "/b.PDF", 7)
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + clf("192.0.2.14", t(8, 9, 14), "/B.pdf", size=100290) + "\n" \
        + clf("192.0.2.15", t(8, 9, 15), "/b.pdf", size=100290) + "\n"
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    answer, said = _analysed(case, tmp_path / "a.json")
    figures = _copy_figures(answer)
    assert figures["/B.pdf"][1:] == (2, ["192.0.2.14", "198.51.100.7"], "09:10", 2, 0, 1, ["/b.pdf"])
    assert figures["/b.pdf"][1:] == (2, ["192.0.2.15", "198.51.100.7"], "09:10", 2, 0, 1, ["/B.pdf"])
    flat = " ".join(said.split())
    assert "1 of its requests is as much /b.pdf's" in flat and "1 of its requests is as much /B.pdf's" in flat
    aliased, _ = _analysed(case, tmp_path / "b.json", "--alias", "/B.pdf", "--alias", "/b.pdf")
    assert aliased["totals"]["complete_downloads"] - answer["totals"]["complete_downloads"] == 3


def test_possible_copies_leave_the_files_tables_whole(tmp_path: Path) -> None:
    """`Case.files()` builds file_spellings over every fold; the copies build theirs for their folds alone and
    must not leave that in its place: after possible_copies, `sql` of file_spellings and selected_files is what
    files() left. Before: only the copies' folds. Seen red without the stash and restore in bind_copies."""
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3)) + iis_get(10, "/b.PDF", 7)
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + clf("192.0.2.14", t(8, 9, 14), "/B.pdf", size=100290) + "\n" \
        + clf("192.0.2.19", t(8, 9, 30), "/other.pdf", size=5000) + "\n"
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    with Case(case, read_only=True) as c:
        c.files()
        whole = c.sql("SELECT file, path, folded FROM file_spellings ORDER BY ALL").to_dict("records")
        chosen = c.sql("SELECT file FROM selected_files ORDER BY ALL").to_dict("records")
        assert {r["file"] for r in whole} == {"/t.pdf", "/B.pdf", "/other.pdf"}
        assert len(c.possible_copies("/t.pdf")) == 1
        assert c.sql("SELECT file, path, folded FROM file_spellings ORDER BY ALL").to_dict("records") == whole
        assert c.sql("SELECT file FROM selected_files ORDER BY ALL").to_dict("records") == chosen


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_says_what_a_copy_shares(tmp_path: Path) -> None:
    """The report's copies table and page 1 say it too: nginx /T.pdf (1, a file of its own: IIS's /t.pdf lines are
    as much its, but the target counts them: 3 left out) and nginx /B.pdf, /b.pdf with IIS /b.PDF (1 request as much
    the other's). Seen red with the template's two notes and page 1's clause left out; 'of the target's own' (NL 'van
    het doelbestand zelf', not the file's: the row is the copy's) seen red with i18n's old copy_target_shared."""
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m) for m in (1, 2, 3)) + iis_get(10, "/b.PDF", 7)
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + clf("192.0.2.13", t(8, 9, 13), "/T.pdf", size=100290) + "\n" \
        + clf("192.0.2.14", t(8, 9, 14), "/B.pdf", size=100290) + "\n" \
        + clf("192.0.2.15", t(8, 9, 15), "/b.pdf", size=100290) + "\n"
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    result = runner.invoke(app, ["report", "--case", str(case), "--target", "/t.pdf", "--out", str(tmp_path / "r"),
                                 "-q"])
    assert result.exit_code == 0, result.output
    html = " ".join(unescape((tmp_path / "r" / "report.html").read_text()).split())
    assert "3 requests of the target's own left out" in html
    assert "1 request is as much /b.pdf's" in html and "1 request is as much /B.pdf's" in html
    assert "copies given together as --alias count them once" in html
    result = runner.invoke(app, ["report", "--case", str(case), "--target", "/t.pdf", "--out", str(tmp_path / "nl"),
                                 "--lang", "nl", "-q"])
    assert result.exit_code == 0, result.output
    html = " ".join(unescape((tmp_path / "nl" / "report.html").read_text()).split())
    assert "3 verzoeken van het doelbestand zelf weggelaten" in html and "1 verzoek is evengoed van /b.pdf" in html
    assert "samen als --alias gegeven tellen ze één keer mee" in html


def vhost_logs(logs: Path) -> None:
    """Two sites in one Apache vhost_combined log (www.a.nl: /doc/leak.xlsx whole 3 times, 5,000 bytes; www.b.nl:
    the same path whole 3 times, 7,000 bytes, then a 404; /Docs/A.pdf served on www.b.nl alone), a combined log
    that logs no host (one GET of /doc/leak.xlsx: every host's) and an IIS log with cs-host (/docs/a.pdf twice on
    www.a.nl, once on www.b.nl). awk '$1 ~ /^www.a.nl/ && $8 == "/doc/leak.xlsx"' other_vhosts_access.log: 3."""
    for folder in ("vhost", "plain", "iis"):
        (logs / folder).mkdir(parents=True)
    doc = "/doc/leak.xlsx"
    rows = [("www.a.nl", 1, 0, doc, 200, 5000), ("www.a.nl", 2, 5, doc, 200, 5000), ("www.b.nl", 3, 10, doc, 200, 7000),
            ("www.b.nl", 4, 20, doc, 200, 7000), ("www.b.nl", 5, 30, doc, 200, 7000), ("www.b.nl", 6, 60, doc, 404, 200),
            ("www.b.nl", 9, 65, "/Docs/A.pdf", 200, 900), ("www.a.nl", 7, 120, doc, 200, 5000)]
    (logs / "vhost" / "other_vhosts_access.log").write_text("".join(
        f"{host}:443 {clf(f'198.51.100.{ip}', t(8, 9 + m // 60, m % 60), path, status=status, size=size)}\n"
        for host, ip, m, path, status, size in rows))
    (logs / "plain" / "access.log").write_text(clf("198.51.100.8", t(8, 9, 40), doc, size=5000) + "\n")
    (logs / "iis" / "u_ex200608.log").write_text(IIS_HEAD + "".join(
        f"2020-06-08 09:0{m}:00 192.0.2.1 GET /docs/a.pdf - 443 - 198.51.100.{20 + m} HTTP/1.1 Mozilla/5.0 - "
        f"{host} 200 0 0 1290 420 31\n" for m, host in ((1, "www.a.nl"), (2, "www.a.nl"), (3, "www.b.nl"))))


VHOST_TARGETS = ["https://www.a.nl/doc/leak.xlsx", "https://www.b.nl/doc/leak.xlsx", "/doc/leak.xlsx",
                 "https://www.a.nl/docs/a.pdf", "https://www.b.nl/docs/a.pdf", "/docs/a.pdf"]


@pytest.mark.slow
def test_a_target_naming_a_host_counts_that_hosts_requests_in_every_door(tmp_path: Path) -> None:
    """`files --target https://HOST/PATH` is a row of its own named as given, with the numbers `analyse` gives that
    target: HOST's requests alone (and the lines that log no host), every figure of the totals, its windows and
    what it shares with a case-sensitive server's file on that host. www.a.nl's /doc/leak.xlsx: 3 + 1 (no host) =
    4 requests, 4 complete, never withdrawn; www.b.nl's: 3 + 1 = 5 requests, 3 complete (the plain log's 5,000
    bytes partial against 7,000), withdrawn at 10:00 (over every host www.a.nl serves it again). /docs/a.pdf on www.b.nl shares its IIS request with nginx's
    /Docs/A.pdf (served there), on www.a.nl not (nginx never served it there). Before: the row counted the path over
    every host (8 requests, 4 complete, 2 windows) and dropped the host."""
    vhost_logs(tmp_path / "logs")
    case = tmp_path / "case.duckdb"
    assert runner.invoke(app, ["ingest", str(tmp_path / "logs"), "--case", str(case), "-q"]).exit_code == 0
    targets = [a for t in VHOST_TARGETS for a in ("--target", t)]
    result = runner.invoke(app, ["analyse", "--case", str(case), *targets, "--json", str(tmp_path / "a.json"), "-q"])
    assert result.exit_code == 0, result.output
    answers = {a["given"]: a for a in json.loads((tmp_path / "a.json").read_text())["targets"]}
    result = runner.invoke(app, ["files", "--case", str(case), *targets, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["path"]: r for r in json.loads(result.stdout)}
    with Case(case, read_only=True) as c:
        api = {r["path"]: r for r in c.files(targets=VHOST_TARGETS).to_dict("records")}
    for given, answer in answers.items():
        for row in (rows[given], api[given]):
            assert {k: row[k] for k in answer["totals"]} == answer["totals"], given
            assert (row["windows"], row["shared_requests"]) == (len(answer["windows"]), sum(
                1 for w in answer["warnings"] if "ignores case" in w) and answer["totals"]["requests"]), given
    assert [(rows[t]["requests"], rows[t]["complete_downloads"], rows[t]["withdrawn_at"], rows[t]["shared_with"])
            for t in VHOST_TARGETS] == [(4, 4, None, []), (5, 3, "2020-06-08T10:00:00Z", []),
                                        (8, 4, None, []), (2, 2, None, []),
                                        (1, 1, None, ["/Docs/A.pdf"]), (3, 3, None, ["/Docs/A.pdf"])]
    assert rows["https://www.a.nl/doc/leak.xlsx"]["hosts"] == [] and len(rows["/doc/leak.xlsx"]["hosts"]) == 2
