"""A possible copy's complete downloads are what `--alias PATH` would add (README: adding --alias PATH adds exactly
its complete downloads): the copy's figures read the lines the target's rule would read, on the target's host
(queries/target.sql on_target_host), and a copy of several targets is said for each target as analysed for it.

The logs: nginx vhost_combined or combined (access.log: $1 the host:port where logged, then the combined fields) and
IIS W3C (u_ex200608.log); the counts in the comments are awk's over them.
"""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.logs import clf, t
from tests.test_case_doors import iis_get
from tests.test_under_case_folding import IIS_HEAD, ingested

runner = CliRunner(env={"COLUMNS": "200"})


def _analysed(case: Path, out: Path, *options: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    """analyse's JSON answer and its terminal text (blanks folded)."""
    result = runner.invoke(app, ["analyse", "--case", str(case), *options, "--json", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text()), " ".join(result.output.split())


def test_a_copy_on_another_host_is_not_the_targets_copy(tmp_path: Path) -> None:
    """vhost_combined: a.example.nl served /t.pdf 3 times and /copy.pdf once (awk '$1 ~ /^a/ && $8 == "/copy.pdf"':
    1), b.example.nl /copy.pdf twice. --target https://a.example.nl/t.pdf: the copy /copy.pdf has 1 complete
    download (192.0.2.14), what --alias /copy.pdf adds (the alias is matched on a.example.nl alone). Before: 3
    (b.example.nl's 2 counted, 'with 3 complete downloads' on the terminal). Seen red with copy_matches' and
    copy_raw's on_target_host left out."""
    nginx = "".join("a.example.nl:443 " + clf(f"192.0.2.{m}", t(8, 9, m), "/t.pdf", size=100290) + "\n"
                    for m in (1, 2, 3)) \
        + "a.example.nl:443 " + clf("192.0.2.14", t(8, 9, 14), "/copy.pdf", size=100290) + "\n" \
        + "".join("b.example.nl:443 " + clf(f"192.0.2.{m}", t(8, 9, m), "/copy.pdf", size=100290) + "\n"
                  for m in (20, 21))
    case = ingested(tmp_path, nginx=nginx)
    target = ["--target", "https://a.example.nl/t.pdf"]
    answer, said = _analysed(case, tmp_path / "a.json", *target)
    [section] = answer["targets"]
    assert [(c["path"], c["complete_downloads"], c["client_ips"]) for c in section["possible_copies"]] == [
        ("/copy.pdf", 1, ["192.0.2.14"])]
    assert "with 1 complete download by its own windows" in said
    aliased, _ = _analysed(case, tmp_path / "b.json", *target, "--alias", "/copy.pdf")
    added = aliased["targets"][0]["totals"]["complete_downloads"] - section["totals"]["complete_downloads"]
    assert added == 1


def _two_targets(tmp_path: Path) -> Path:
    """nginx combined: /t.pdf 3 (09:01-09:03), /u.pdf 2 (09:04, 09:05), /T.pdf 1 (09:14, a file of its own), all
    100290 bytes (awk '$9 == 200 {print $7}' access.log | sort | uniq -c); IIS /t.pdf 2 (09:06, 09:07: as much
    /T.pdf's as /t.pdf's, queries/files.sql file_spellings)."""
    nginx = "".join(clf(f"192.0.2.{m}", t(8, 9, m, 30), "/t.pdf", size=100290) + "\n" for m in (1, 2, 3)) \
        + "".join(clf(f"192.0.2.{m}", t(8, 9, m, 40), "/u.pdf", size=100290) + "\n" for m in (4, 5)) \
        + clf("192.0.2.14", t(8, 9, 14), "/T.pdf", size=100290) + "\n"
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m, sent=100290) for m in (6, 7))
    return ingested(tmp_path, iis=iis, nginx=nginx)


def test_a_copy_of_two_targets_is_said_for_each_as_analysed_for_it(tmp_path: Path) -> None:
    """--target /t.pdf --target /u.pdf: for /t.pdf the copy /T.pdf has 1 complete download (its 2 IIS requests
    are /t.pdf's own), for /u.pdf 3 (those 2 are as much /t.pdf's, a target that counts them): what --alias /T.pdf
    adds to each, 1 and 3. The finding says each target's row, and that the 2 are counted in target /t.pdf;
    /u.pdf, a copy of /t.pdf and a target itself, is counted in target /u.pdf (JSON, terminal). Before: one mixed
    sentence, 'with 3 complete downloads ... (2 of its requests are a target's own, left out of its figures)' (the
    2 inside the 3), '2 of its requests are as much /t.pdf's ..., counted once where they are given together as
    --alias' and '/u.pdf: ... --alias PATH counts it'. Seen red with copy_findings' old max() per column."""
    case = _two_targets(tmp_path)
    answer, said = _analysed(case, tmp_path / "a.json", "--target", "/t.pdf", "--target", "/u.pdf")
    copies = {s["path"]: {c["path"]: c["complete_downloads"] for c in s["possible_copies"]}
              for s in answer["targets"]}
    assert copies == {"/t.pdf": {"/T.pdf": 1, "/u.pdf": 2}, "/u.pdf": {"/T.pdf": 3}}
    for target, n in (("/t.pdf", 1), ("/u.pdf", 3)):
        alone, _ = _analysed(case, tmp_path / "b.json", "--target", target)
        aliased, _ = _analysed(case, tmp_path / "c.json", "--target", target, "--alias", "/T.pdf")
        assert (aliased["targets"][0]["totals"]["complete_downloads"]
                - alone["targets"][0]["totals"]["complete_downloads"]) == n
    [found] = [f for f in answer["evidence_status"]["findings"] if f["kind"] == "possible copy"]
    assert found["paths"] == ["/T.pdf", "/u.pdf"]
    copy, _, target = " ".join(found["detail"].split()).partition("; /u.pdf: ")
    assert ("for target /t.pdf: 1 complete download by its own windows (2 of its requests are /t.pdf's own, "
            "left out of its figures)") in copy
    assert ("for target /u.pdf: 3 complete downloads by its own windows, not counted in the figures (--alias PATH "
            "counts it); 2 of its requests are as much /t.pdf's (a server that ignores case logged it so), "
            "counted in target /t.pdf") in copy
    assert "given together as --alias" not in copy
    assert "counted in target /u.pdf, not in /t.pdf's figures" in target
    assert "--alias PATH counts it" not in target
    for text in (copy, target):
        assert text in said  # the terminal's findings say the JSON's
    line = said.split("/T.pdf: exact size, 3 complete downloads")[1].split("access.log:6; ")[1]  # /u.pdf's copy
    assert line.startswith("2 of its requests are as much /t.pdf's (a server that ignores case logged it so), "
                           "counted in target /t.pdf ")
    line = said.split("/u.pdf: exact size, 2 complete downloads")[1].split("access.log:5")[1]  # /t.pdf's copy
    assert line.startswith("; a target of this run, counted in its own figures ")


def _report(case: Path, out: Path, lang: str) -> str:
    result = runner.invoke(app, ["report", "--case", str(case), "--target", "/t.pdf", "--target", "/u.pdf",
                                 "--out", str(out), "--lang", lang, "-q"])
    assert result.exit_code == 0, result.output
    return " ".join(unescape((out / "report.html").read_text()).split())


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_says_a_copy_is_counted_in_another_target(tmp_path: Path) -> None:
    """The report of --target /t.pdf --target /u.pdf (_two_targets): /u.pdf's copy /T.pdf shares 2 requests with
    /t.pdf, a target of the report: its cell says they are counted in target /t.pdf, and page 1 that they are
    counted in that target, not that copies given together as --alias count them once; /t.pdf's copy /u.pdf is a
    target of the report, counted in its own section. Seen red with the template's two notes and page 1's
    copy_text_shared_target left out (page 1 said 'copies given together as --alias count them once')."""
    case = _two_targets(tmp_path)
    html = _report(case, tmp_path / "en", "en")
    assert "2 requests are as much /t.pdf's: counted in target /t.pdf" in html
    assert "a target of this report: counted in its own section" in html
    assert "Some of their requests are as much another target's of this report" in html
    assert "copies given together as --alias count them once" not in html
    html = _report(case, tmp_path / "nl", "nl")
    assert "2 verzoeken zijn evengoed van /t.pdf: geteld bij doelbestand /t.pdf" in html
    assert "een doelbestand van dit rapport: geteld in zijn eigen onderdeel" in html
    assert "evengoed die van een ander doelbestand van dit rapport" in html
    assert "samen als --alias gegeven tellen ze één keer mee" not in html


def test_a_file_on_another_host_is_not_one_the_targets_lines_may_be(tmp_path: Path) -> None:
    """a.example.nl: nginx /t.pdf 2, IIS /t.pdf 2 (cs-host a.example.nl); b.example.nl: nginx /T.pdf 1. --target
    https://a.example.nl/t.pdf counts 4, and no warning that the IIS lines may as well be of /T.pdf: that file is
    b.example.nl's (target.sql target_shared_spellings, on_target_host). Before: 'warning: 2 external requests
    counted here ... may as well be of /T.pdf'. Seen red with target_shared_spellings' on_target_host left out."""
    nginx = "".join("a.example.nl:443 " + clf(f"192.0.2.{m}", t(8, 9, m), "/t.pdf", size=100290) + "\n"
                    for m in (1, 2)) \
        + "b.example.nl:443 " + clf("192.0.2.9", t(8, 9, 9), "/T.pdf", size=100290) + "\n"
    iis = IIS_HEAD + "".join(iis_get(m, "/t.pdf", m, sent=100290).replace("www.example.nl", "a.example.nl")
                             for m in (5, 6))
    case = ingested(tmp_path, iis=iis, nginx=nginx)
    answer, said = _analysed(case, tmp_path / "a.json", "--target", "https://a.example.nl/t.pdf")
    [section] = answer["targets"]
    assert section["totals"]["complete_downloads"] == 4
    assert "may as well be of /T.pdf" not in said
    assert not [w for w in section["warnings"] if "/T.pdf" in w]
