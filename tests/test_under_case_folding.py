"""--under and --target-glob over servers that ignore case (IIS) and servers that do not (nginx): one file, one
target, each download counted once and none lost (queries/files.sql file_spellings).

A line's path is folded only where its server ignores case (evidence.paths_case_insensitive, the one test
--target already reads: queries/target.sql target_alias_no). A path an nginx line holds names its own file (an IIS
line equal to it but for case is that file's, as `--target` counts it); a file only IIS logged is named by its
most frequent spelling (the larger on a tie). The counts in the comments are awk's over the logs written here
(IIS: $5 cs-uri-stem, $14 sc-status; nginx combined: $7 the path, $9 the status).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.logs import clf, t

runner = CliRunner(env={"COLUMNS": "200"})
IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version "
            "cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken\n")


def iis_lines(spellings: list[tuple[str, int]], first: int = 1) -> str:
    """An IIS log: each (path, n) spelling fetched whole (200, 100,290 bytes sent) n times, each by its own address."""
    rows, k = [], first
    for path, n in spellings:
        for _ in range(n):
            rows.append(f"2020-06-08 09:{k:02d}:00 192.0.2.1 GET {path} - 443 - 198.51.100.{k} HTTP/1.1 "
                        f"Mozilla/5.0 - www.example.nl 200 0 0 100290 420 31\n")
            k += 1
    return IIS_HEAD + "".join(rows)


def nginx_lines(spellings: list[tuple[str, int, int]], first: int = 1, status: int = 200) -> str:
    """An nginx combined log: each (path, n, size) fetched whole n times (or answered `status`), each by its own
    address."""
    rows, k = [], first
    for path, n, size in spellings:
        for _ in range(n):
            rows.append(clf(f"192.0.2.{k}", t(8, 8, k), path, status=status, size=size) + "\n")
            k += 1
    return "".join(rows)


_INGESTED: dict[tuple[str | None, str | None], Path] = {}  # logs -> their case as ingested, never written again


def ingested(tmp_path: Path, iis: str | None = None, nginx: str | None = None) -> Path:
    """The logs (an IIS log, an nginx log) ingested into a case, once per run for the same logs (several tests read
    them another way), in a folder of the run's own beside the tests' (`.` never in a test's folder name); each test
    gets its own copy at tmp_path/case.duckdb (analyse writes to it)."""
    if (iis, nginx) not in _INGESTED:
        folder = tmp_path.parent / f"under.case.folding.{len(_INGESTED)}"
        logs = folder / "logs"
        logs.mkdir(parents=True)
        if iis is not None:
            (logs / "u_ex200608.log").write_text(iis)
        if nginx is not None:
            (logs / "access.log").write_text(nginx)
        result = runner.invoke(app, ["ingest", str(logs), "--case", str(folder / "case.duckdb"), "-q"])
        assert result.exit_code == 0, result.output
        _INGESTED[iis, nginx] = folder / "case.duckdb"
    return Path(shutil.copy(_INGESTED[iis, nginx], tmp_path / "case.duckdb"))


def analysed(case: Path, *options: str) -> list[tuple[str, int]]:
    """analyse's JSON: each target's path and complete downloads, in the answer's order."""
    out = case.parent / "answer.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), *options, "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return [(tg["path"], tg["totals"]["complete_downloads"]) for tg in json.loads(out.read_text())["targets"]]


def listed(case: Path, *options: str) -> list[tuple[str, int]]:
    """`files --json`: each file's path and complete downloads, sorted by path."""
    result = runner.invoke(app, ["files", "--case", str(case), *options, "--json"])
    assert result.exit_code == 0, result.output
    return sorted((r["path"], r["complete_downloads"]) for r in json.loads(result.stdout))  # warnings: stderr


def test_under_names_an_iis_only_file_once_by_its_most_frequent_spelling(tmp_path: Path) -> None:
    """(a) IIS alone: /Docs/X.pdf (3) and /docs/x.pdf (2) are one file. awk '$14 == 200 && tolower($5) ==
    "/docs/x.pdf"' u_ex200608.log | wc -l: 5. One target, named /Docs/X.pdf (3 lines against 2), 5 complete
    downloads, not 10 (two targets each counting both spellings) nor 3 (the one spelling). An explicit --target
    of another spelling is that file: named as given, still one target."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 3), ("/docs/x.pdf", 2)]))
    assert analysed(case, "--under", "/docs/") == [("/Docs/X.pdf", 5)]
    assert analysed(case, "--target", "/DOCS/x.PDF", "--under", "/docs/") == [("/DOCS/x.PDF", 5)]
    assert listed(case, "--under", "/docs/") == [("/Docs/X.pdf", 5)]


def test_an_iis_only_file_with_tied_spellings_is_named_by_the_larger(tmp_path: Path) -> None:
    """(a) a tie, 2 and 2: the larger spelling ('/docs/x.pdf' > '/Docs/X.pdf', 'd' after 'D'), whatever the
    order of the lines; awk as above: 4."""
    case = ingested(tmp_path, iis=iis_lines([("/docs/x.pdf", 2), ("/Docs/X.pdf", 2)]))
    assert analysed(case, "--under", "/DOCS") == [("/docs/x.pdf", 4)]


def test_a_file_nginx_and_iis_both_logged_is_named_by_nginx_and_counts_both(tmp_path: Path) -> None:
    """(b) nginx served /docs/x.pdf whole twice (awk '$9 == 200 && $7 == "/docs/x.pdf"' access.log: 2), IIS
    /Docs/X.pdf three times (awk '$14 == 200 && tolower($5) == "/docs/x.pdf"' u_ex200608.log: 3). IIS ignores
    case: its /Docs/X.pdf is the file /docs/x.pdf, as `--target /docs/x.pdf` already counts it. So one file,
    named as nginx logged it (an nginx download is never re-named, and never lost: the review's 5 -> 3, 2 -> 0
    came from naming it /Docs/X.pdf, which nginx never served), 2 + 3 = 5 complete downloads, once: the glob
    matched both spellings and made two targets (5 and 3: the IIS downloads counted twice)."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 3)]), nginx=nginx_lines([("/docs/x.pdf", 2, 100000)]))
    expected = [("/docs/x.pdf", 5)]
    assert analysed(case, "--target", "/docs/x.pdf") == expected  # the rule the doors below must agree with
    assert analysed(case, "--under", "/docs/") == expected
    assert analysed(case, "--target-glob", "*.pdf") == expected
    # the pattern matches only the IIS spelling (folded); the file is still nginx's name and both servers' lines
    assert analysed(case, "--target-glob", "/DOCS/*.PDF") == expected
    assert listed(case, "--under", "/docs/") == expected



@pytest.mark.usefixtures("html_only_reports")
def test_the_report_names_the_file_nginx_and_iis_logged_once(tmp_path: Path) -> None:
    """(b) through `report --target-glob`: its analysis.json and downloads.csv carry one target /docs/x.pdf with
    awk's 2 + 3 = 5 complete downloads (before: two targets, the 3 IIS downloads in both)."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 3)]), nginx=nginx_lines([("/docs/x.pdf", 2, 100000)]))
    result = runner.invoke(app, ["report", "--case", str(case), "--target-glob", "*.pdf", "--out", str(tmp_path / "r"),
                                 "-q"])
    assert result.exit_code == 0, result.output
    answer = json.loads((tmp_path / "r" / "analysis.json").read_text())
    assert [(tg["path"], tg["totals"]["complete_downloads"]) for tg in answer["targets"]] == [("/docs/x.pdf", 5)]
    with (tmp_path / "r" / "downloads.csv").open(newline="") as f:
        rows = [(r["target"], r["outcome"], Path(r["evidence"].split(":")[0]).name) for r in csv.DictReader(f)]
    assert sorted(rows) == [("/docs/x.pdf", "complete", "access.log")] * 2 + [
        ("/docs/x.pdf", "complete", "u_ex200608.log")] * 3

def test_two_spellings_on_nginx_are_two_files(tmp_path: Path) -> None:
    """(c) nginx is case-sensitive: /docs/x.pdf (2 whole, 100,000 bytes) and /Docs/X.pdf (1 whole, 50,000
    bytes) are two files. awk '$9 == 200 && $7 == "/docs/x.pdf"': 2; '... $7 == "/Docs/X.pdf"': 1. Two targets,
    each its own downloads; /Docs/X.pdf is not under /docs/ on nginx."""
    case = ingested(tmp_path, nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/Docs/X.pdf", 1, 50000)]))
    assert analysed(case, "--target-glob", "*.pdf") == [("/Docs/X.pdf", 1), ("/docs/x.pdf", 2)]
    assert analysed(case, "--under", "/docs/") == [("/docs/x.pdf", 2)]
    assert listed(case, "--glob", "*.pdf") == [("/Docs/X.pdf", 1), ("/docs/x.pdf", 2)]
    assert listed(case, "--under", "/docs/") == [("/docs/x.pdf", 2)]


def test_target_glob_over_two_iis_spellings_counts_the_file_once(tmp_path: Path) -> None:
    """(d) IIS, /docs/leak.pdf (1) and /DOCS/Leak.pdf (2): awk '$14 == 200 && tolower($5) == "/docs/leak.pdf"':
    3. The glob expanded to each spelling, two targets each counting all 3: 6 downloads of one file."""
    case = ingested(tmp_path, iis=iis_lines([("/docs/leak.pdf", 1), ("/DOCS/Leak.pdf", 2)]))
    assert analysed(case, "--target-glob", "*.pdf") == [("/DOCS/Leak.pdf", 3)]
    assert analysed(case, "--target-glob", "*/leak.PDF") == [("/DOCS/Leak.pdf", 3)]


def test_files_under_and_analyse_under_name_the_same_files(tmp_path: Path) -> None:
    """(e) one case, every kind: nginx /docs/x.pdf (2) with IIS /Docs/X.pdf (3): one file; IIS-only
    /docs/only.pdf (1) and /DOCS/Only.pdf (2): one file, /DOCS/Only.pdf; nginx /docs/a.pdf (1) and /docs/A.pdf
    (2): two files; nginx /Docs/out.pdf (1): not under /docs/ on nginx. awk per path as in the tests above.
    `files --under` listed the mixed file as /Docs/X.pdf (its most frequent spelling, over both servers) while
    analyse named it /docs/x.pdf: two names for one file."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 3), ("/docs/only.pdf", 1), ("/DOCS/Only.pdf", 2)]),
                    nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/docs/a.pdf", 1, 7000), ("/docs/A.pdf", 2, 9000),
                                       ("/Docs/out.pdf", 1, 8000)]))
    expected = [("/DOCS/Only.pdf", 3), ("/docs/A.pdf", 2), ("/docs/a.pdf", 1), ("/docs/x.pdf", 5)]
    assert sorted(analysed(case, "--under", "/docs/")) == expected
    assert listed(case, "--under", "/docs/") == expected


def test_an_iis_spelling_of_two_nginx_files_is_counted_for_each_and_said(tmp_path: Path) -> None:
    """nginx logged /docs/x.pdf (2 whole) and /Docs/X.pdf (1 whole), two files; IIS /docs/X.PDF three times
    (awk '$14 == 200 && tolower($5) == "/docs/x.pdf"' u_ex200608.log: 3), which IIS would answer for either. The
    logs cannot tell which: each target counts the 3, as `--target` of each does (/docs/x.pdf 2 + 3 = 5,
    /Docs/X.pdf 1 + 3 = 4, files the same), and each target's answer says so: summed, the 3 count twice (9, not
    awk's 6 lines). Without the warning the double count was silent."""
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    case = ingested(tmp_path, iis=iis_lines([("/docs/X.PDF", 3)]),
                    nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/Docs/X.pdf", 1, 100000)]))
    out = tmp_path / "answer.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), "--target-glob", "*.pdf", "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    targets = json.loads(out.read_text())["targets"]
    assert [(tg["path"], tg["totals"]["complete_downloads"]) for tg in targets] == [("/Docs/X.pdf", 4),
                                                                                 ("/docs/x.pdf", 5)]
    assert listed(case, "--glob", "*.pdf") == [("/Docs/X.pdf", 4), ("/docs/x.pdf", 5)]
    said = {tg["path"]: [w for w in tg["warnings"] if "ignores case" in w] for tg in targets}
    assert said == {p: [f"3 external requests counted here came from a server that ignores case (IIS) and may as "
                        f"well be of {other}, another file, counted there too: the logs "
                        f"cannot tell which file each fetched"]
                    for p, other in (("/Docs/X.pdf", "/docs/x.pdf"), ("/docs/x.pdf", "/Docs/X.pdf"))}
    assert said["/docs/x.pdf"][0] in result.output  # on the terminal too (-q keeps warnings)
    assert sentence(said["/docs/x.pdf"][0], strings("nl")).startswith("3 externe verzoeken die hier tellen kwamen van een server die hoofdletters")


def test_no_shared_spelling_warning_where_every_server_keeps_case(tmp_path: Path) -> None:
    """(c) again: nginx alone, /docs/x.pdf and /Docs/X.pdf, no line of a server that ignores case: nothing shared."""
    case = ingested(tmp_path, nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/Docs/X.pdf", 1, 50000)]))
    out = tmp_path / "answer.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), "--target-glob", "*.pdf", "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert [w for tg in json.loads(out.read_text())["targets"] for w in tg["warnings"] if "ignores case" in w] == []


def warned(case: Path, *options: str) -> dict[str, list[str]]:
    """analyse's JSON: each target's warnings about requests of a server that ignores case."""
    out = case.parent / "warned.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), *options, "--json", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return {tg["path"]: [w for w in tg["warnings"] if "ignores case" in w]
            for tg in json.loads(out.read_text())["targets"]}


def test_a_path_nginx_only_refused_takes_no_file_iis_served(tmp_path: Path) -> None:
    """IIS served /Docs/Report.pdf whole 3 times (awk '$14 == 200 && tolower($5) == "/docs/report.pdf"'
    u_ex200608.log: 3); nginx only refused /docs/report.pdf and /DOCS/REPORT.PDF (404 each: awk '$9 == 200'
    access.log: 0). A path nginx never showed available names no file of IIS's lines: one target /Docs/Report.pdf,
    3 complete downloads. Before: `--under` gave the 3 twice, as /Docs/Report.pdf and /docs/report.pdf (and with
    both 404s, as /DOCS/REPORT.PDF and /docs/report.pdf), `files` two rows of 3. `files` keeps each refused path
    as a row of its own, its one 404 and no download."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/Report.pdf", 3)]),
                    nginx=nginx_lines([("/docs/report.pdf", 1, 150), ("/DOCS/REPORT.PDF", 1, 150)], status=404))
    assert analysed(case, "--target", "/Docs/Report.pdf", "--under", "/Docs/") == [("/Docs/Report.pdf", 3)]
    assert analysed(case, "--under", "/docs/") == [("/Docs/Report.pdf", 3)]
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    rows = sorted((r["path"], r["complete_downloads"], r["requests"], r["unavailable_responses"])
                  for r in json.loads(result.stdout))
    assert rows == [("/DOCS/REPORT.PDF", 0, 1, 1), ("/Docs/Report.pdf", 3, 3, 0), ("/docs/report.pdf", 0, 1, 1)]


def test_no_shared_spelling_warning_for_a_path_nginx_only_refused(tmp_path: Path) -> None:
    """The IIS requests of /Docs/Report.pdf are no other file's where nginx only answered /docs/report.pdf with
    a 404: no warning (before: '3 requests ... just as much for /docs/report.pdf, another file ... a sum over
    these targets', with one target and a path nginx never served)."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/Report.pdf", 3)]),
                    nginx=nginx_lines([("/docs/report.pdf", 1, 150)], status=404))
    assert warned(case, "--target", "/Docs/Report.pdf") == {"/Docs/Report.pdf": []}


def test_the_shared_spelling_warning_counts_external_requests_and_speaks_of_no_sum(tmp_path: Path) -> None:
    """nginx /docs/x.pdf (2) and /Docs/X.pdf (1), IIS /docs/X.PDF from 198.51.100.1-3, the first staff
    (--internal): 2 external requests (as totals.requests counts them), not 3; one target analysed, so no word
    of a sum over targets: those requests may as well be the other file's."""
    case = ingested(tmp_path, iis=iis_lines([("/docs/X.PDF", 3)]),
                    nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/Docs/X.pdf", 1, 100000)]))
    assert warned(case, "--target", "/docs/x.pdf", "--internal", "198.51.100.1/32") == {"/docs/x.pdf": [
        "2 external requests counted here came from a server that ignores case (IIS) and may as well be of "
        "/Docs/X.pdf, another file, counted there too: the logs cannot tell which "
        "file each fetched"]}


def test_one_shared_request_is_said_in_the_singular_in_dutch(tmp_path: Path) -> None:
    """One IIS request: 'telt' and 'het', never 'tellen ... telt ze'."""
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    case = ingested(tmp_path, iis=iis_lines([("/docs/X.PDF", 1)]),
                    nginx=nginx_lines([("/docs/x.pdf", 2, 100000), ("/Docs/X.pdf", 1, 100000)]))
    [said] = warned(case, "--target", "/docs/x.pdf")["/docs/x.pdf"]
    assert said == ("1 external request counted here came from a server that ignores case (IIS) and may as well "
                    "be of /Docs/X.pdf, another file, counted there too: the logs cannot "
                    "tell which file it fetched")
    assert sentence(said, strings("nl")) == (
        "1 extern verzoek dat hier telt kwam van een server die hoofdletters negeert (IIS) en kan evengoed van "
        "/Docs/X.pdf zijn, een ander bestand, dat het ook telt: de "
        "logs kunnen niet zeggen welk bestand het ophaalde")


def test_files_says_the_requests_two_files_share(tmp_path: Path) -> None:
    """nginx /docs/x.pdf (2) and /DOCS/X.PDF (1), IIS /Docs/X.pdf (3): awk's 6 complete lines; `files` counts
    the 3 IIS lines for each file (5 and 4, 9 summed), as --target of each does, and now says so: each row's
    shared_requests (3, external, as analyse's warning counts them) and shared_with, and a warning on the
    terminal. Before: 9 against 6, silently."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 3)]),
                    nginx=nginx_lines([("/docs/x.pdf", 2, 100290), ("/DOCS/X.PDF", 1, 100290)], first=10))
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    rows = sorted((r["path"], r["complete_downloads"], r["shared_requests"], r["shared_with"])
                  for r in json.loads(result.stdout))
    assert "warning: /docs/x.pdf: 3 external requests" in result.stderr  # with --json too
    assert rows == [("/DOCS/X.PDF", 4, 3, ["/docs/x.pdf"]), ("/docs/x.pdf", 5, 3, ["/DOCS/X.PDF"])]
    table = runner.invoke(app, ["files", "--case", str(case)])
    assert table.exit_code == 0, table.output
    said = warned(case, "--target", "/docs/x.pdf")["/docs/x.pdf"]
    assert said and f"warning: /docs/x.pdf: {said[0]}" in table.output  # analyse's sentence, one rule


def test_a_target_that_is_an_iis_spelling_of_an_nginx_file_says_the_file_counts_its_requests(tmp_path: Path) -> None:
    """nginx /a.pdf (2 whole), IIS /A.pdf (3 whole). `--target /A.pdf` counts the IIS lines alone (3), as --target
    does (an nginx line keeps its case); `--under /` adds the file /a.pdf (2 + 3 = 5), which counts them too. The
    README says so: /A.pdf is not the file /a.pdf, and each answer says its 3 IIS requests may as well be the
    other target's (before: /a.pdf's said nothing, though the run's /A.pdf counts them too)."""
    case = ingested(tmp_path, iis=iis_lines([("/A.pdf", 3)]), nginx=nginx_lines([("/a.pdf", 2, 100290)]))
    assert analysed(case, "--target", "/A.pdf", "--under", "/") == [("/A.pdf", 3), ("/a.pdf", 5)]
    sentence = ("3 external requests counted here came from a server that ignores case (IIS) and may as well be of "
                "{}, another file, counted there too: the logs cannot tell which file each fetched")
    assert warned(case, "--target", "/A.pdf", "--under", "/") == {"/A.pdf": [sentence.format("/a.pdf")],
                                                                  "/a.pdf": [sentence.format("/A.pdf")]}


def test_files_for_a_target_nginx_only_refused_gives_analyse_numbers(tmp_path: Path) -> None:
    """IIS /Docs/Report.pdf (3 whole), nginx /docs/report.pdf (one 404). `--target /docs/report.pdf` counts the
    nginx 404 and, IIS ignoring case, the 3 IIS lines: 4 requests, 3 complete. `files --target /docs/report.pdf`
    gives that one row (a target given claims its IIS spellings, as --target counts them); before: two rows both
    named /docs/report.pdf, 3 complete of 3 requests and 0 of 1."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/Report.pdf", 3)]),
                    nginx=nginx_lines([("/docs/report.pdf", 1, 150)], status=404))
    out = tmp_path / "t.json"
    result = runner.invoke(app, ["analyse", "--case", str(case), "--target", "/docs/report.pdf", "--json", str(out),
                                 "-q"])
    assert result.exit_code == 0, result.output
    [tg] = json.loads(out.read_text())["targets"]
    assert (tg["path"], tg["totals"]["complete_downloads"], tg["totals"]["requests"]) == ("/docs/report.pdf", 3, 4)
    result = runner.invoke(app, ["files", "--case", str(case), "--target", "/docs/report.pdf", "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["complete_downloads"], r["requests"]) for r in json.loads(result.stdout)] == [
        ("/docs/report.pdf", 3, 4)]
    assert analysed(case, "--target", "/docs/report.pdf", "--under", "/docs/") == [("/docs/report.pdf", 3)]


def files_rows(case: Path, *options: str) -> list[tuple[str, int, int, int, str | None]]:
    """`files --json`: each row's path, requests, complete downloads, closed windows and withdrawn_at, by path."""
    result = runner.invoke(app, ["files", "--case", str(case), *options, "--json"])
    assert result.exit_code == 0, result.output
    return sorted((r["path"], r["requests"], r["complete_downloads"], r["closed_windows"], r["withdrawn_at"])
                  for r in json.loads(result.stdout))


@pytest.mark.parametrize("spellings", [[("/a.pdf", 3), ("/A.pdf", 1)], [("/A.pdf", 3), ("/a.pdf", 1)]])
def test_an_iis_only_file_is_not_merged_with_a_path_nginx_only_refused(tmp_path: Path,
                                                                        spellings: list[tuple[str, int]]) -> None:
    """IIS served /a.pdf and /A.pdf whole, 4 lines (awk '$14 == 200 && tolower($5) == "/a.pdf"' u_ex200608.log: 4),
    in either proportion; nginx only refused /a.pdf, later (10:00, awk '$9 == 404' access.log: 1). The IIS file is
    named by a spelling no case-sensitive server logged (/A.pdf), so it never shares a name, and so lines, with the
    path nginx refused: 4 requests, 4 complete, never withdrawn; /a.pdf a row of its one 404. Before: with /a.pdf
    the more frequent IIS spelling, one row /a.pdf of 5 requests withdrawn at the nginx 404, and `--target /A.pdf
    --under /` the 4 downloads twice (/A.pdf and /a.pdf); with /A.pdf more frequent, two rows: the answer hung on
    which spelling IIS logged more."""
    late_404 = clf("203.0.113.50", t(8, 10), "/a.pdf", status=404, size=150, offset_min=0) + "\n"
    case = ingested(tmp_path, iis=iis_lines(spellings), nginx=late_404)
    assert files_rows(case) == [("/A.pdf", 4, 4, 0, None), ("/a.pdf", 1, 0, 0, None)]
    assert analysed(case, "--under", "/") == [("/A.pdf", 4)]
    assert analysed(case, "--target", "/A.pdf", "--under", "/") == [("/A.pdf", 4)]
    assert analysed(case, "--target", "/a.PDF", "--under", "/") == [("/a.PDF", 4)]  # any spelling: still one


def test_files_target_an_iis_spelling_of_an_nginx_file_gives_analyse_numbers(tmp_path: Path) -> None:
    """nginx /a.pdf (2 whole), IIS /A.pdf (3 whole: awk '$14 == 200 && tolower($5) == "/a.pdf"' u_ex200608.log: 3).
    `analyse --target /A.pdf` counts the 3 IIS lines (as --target does), saying /a.pdf counts them too; `files
    --target /A.pdf` gives that row, 3 requests, 3 complete, 3 shared with /a.pdf, beside /a.pdf's (2 + 3 = 5,
    the same 3 shared with /A.pdf). Before: only /a.pdf (5, nothing shared), no row /A.pdf, nothing said."""
    case = ingested(tmp_path, iis=iis_lines([("/A.pdf", 3)]), nginx=nginx_lines([("/a.pdf", 2, 100290)]))
    assert analysed(case, "--target", "/A.pdf") == [("/A.pdf", 3)]
    result = runner.invoke(app, ["files", "--case", str(case), "--target", "/A.pdf", "--json"])
    assert result.exit_code == 0, result.output
    rows = sorted((r["path"], r["requests"], r["complete_downloads"], r["shared_requests"], r["shared_with"])
                  for r in json.loads(result.stdout))
    assert rows == [("/A.pdf", 3, 3, 3, ["/a.pdf"]), ("/a.pdf", 5, 5, 3, ["/A.pdf"])]
    assert "warning: /A.pdf: 3 external requests" in result.stderr


def test_files_target_help_says_it_gives_analyse_numbers() -> None:
    """`files --target` takes or adds rows (test_files_target_an_iis_spelling_of_an_nginx_file_gives_analyse_numbers),
    not only a name: its help says what it counts. Before: 'Name this file's row as given here'."""
    import typer

    files = typer.main.get_command(app).commands["files"]  # type: ignore[attr-defined]
    [help_text] = [p.help for p in files.params if p.name == "target"]
    assert help_text.startswith("A row with the numbers analyse --target PATH gives, named as given")


def test_files_lists_the_spelling_a_file_is_named_by_first(tmp_path: Path) -> None:
    """IIS alone, /docs/x.pdf (2) and /Docs/X.pdf (2): a tie, named by the larger, /docs/x.pdf, and `spellings`
    starts with it (before: /Docs/X.pdf first, ORDER BY path taking the smaller). With --target /Docs/X.pdf the
    row is named so, and starts with that spelling."""
    case = ingested(tmp_path, iis=iis_lines([("/Docs/X.pdf", 2), ("/docs/x.pdf", 2)]))
    result = runner.invoke(app, ["files", "--case", str(case), "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["spellings"]) for r in json.loads(result.stdout)] == [
        ("/docs/x.pdf", ["/docs/x.pdf", "/Docs/X.pdf"])]
    result = runner.invoke(app, ["files", "--case", str(case), "--target", "/Docs/X.pdf", "--json"])
    assert result.exit_code == 0, result.output
    assert [(r["path"], r["spellings"]) for r in json.loads(result.stdout)] == [
        ("/Docs/X.pdf", ["/Docs/X.pdf", "/docs/x.pdf"])]


def test_a_target_warns_of_the_other_targets_that_count_its_iis_requests(tmp_path: Path) -> None:
    """nginx only refused /a.pdf and served /A.pdf; IIS /a.PDF 3 whole (awk '$14 == 200 && tolower($5) ==
    "/a.pdf"' u_ex200608.log: 3). `--target /a.pdf --target /A.pdf`: each counts the 3 (as --target does), so each
    answer says the other counts them too, as `files --target` of both warns on both rows. Before: /a.pdf said so,
    /A.pdf said nothing (/a.pdf only refused on nginx, but a target of the run all the same)."""
    case = ingested(tmp_path, iis=iis_lines([("/a.PDF", 3)]),
                    nginx=nginx_lines([("/a.pdf", 1, 150)], status=404) + nginx_lines([("/A.pdf", 1, 100290)], first=5))
    sentence = ("3 external requests counted here came from a server that ignores case (IIS) and may as well be of "
                "{}, another file, counted there too: the logs cannot tell which file each fetched")
    assert warned(case, "--target", "/a.pdf", "--target", "/A.pdf") == {
        "/a.pdf": [sentence.format("/A.pdf")], "/A.pdf": [sentence.format("/a.pdf")]}
    result = runner.invoke(app, ["files", "--case", str(case), "--target", "/a.pdf", "--target", "/A.pdf", "--json"])
    assert result.exit_code == 0, result.output
    assert f"warning: /a.pdf: {sentence.format('/A.pdf')}" in result.stderr
    assert f"warning: /A.pdf: {sentence.format('/a.pdf')}" in result.stderr


def test_two_targets_equal_but_for_case_on_iis_alone_each_say_the_other(tmp_path: Path) -> None:
    """Review of under2fix2 (s6): IIS alone, /a.pdf 2 and /A.pdf 1 (awk 'tolower($5) == "/a.pdf"': 3).
    `--target /a.pdf --target /A.pdf` counts the 3 for each, 6 in all: said nowhere, because the warning ran only
    where the case also held a case-sensitive server's log (one unrelated nginx line made it appear). Each target
    now says the other counts them too, with or without such a log."""
    case = ingested(tmp_path, iis=iis_lines([("/a.pdf", 2), ("/A.pdf", 1)]))
    sentence = ("3 external requests counted here came from a server that ignores case (IIS) and may as well be of "
                "{}, another file, counted there too: the logs cannot tell which file each fetched")
    assert warned(case, "--target", "/a.pdf", "--target", "/A.pdf") == {
        "/a.pdf": [sentence.format("/A.pdf")], "/A.pdf": [sentence.format("/a.pdf")]}
    assert warned(case, "--target", "/a.pdf") == {"/a.pdf": []}
