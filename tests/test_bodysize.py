"""bodysize: body-only byte counts (nginx/Apache combined: no stated length) and the error pages a server answers
200 at the file's path (inputs built by hand, the truth known; /tmp/bodysize/<case>/TRUTH.md).

- /tmp/bodysize/errpages: five addresses got a 1,234-byte error page answered 200 at the path of a 40,000-byte file,
  two got the file. Before: the page's size was the window's inferred size (the most common count) and all seven
  read complete (truth: 2). Now the largest count several addresses logged is the size (queries/downloads_rule.sql
  rule_size_repeated), and two sizes each logged by several addresses put it in doubt (rule_sizes_in_doubt): said
  by every door (terminal, JSON warnings, page 1 in English and Dutch, `files`' column and stderr).
- /tmp/bodysize/above: a 200 of 90,000 body bytes beside a 40,000-byte file (given or inferred) read complete. A
  body count above the size it is judged by is never the file: undetermined, size_rule above_size (rule_above_size).
- The "two or more lengths stated" warning: the answer read `len(lengths) > 1` beside the SQL rule; every door now
  reads the window's `several_lengths` (rule_several_lengths) and says the same.
Each case through the JSON answer (CLI), the API, the portable SQL over the export and the test oracle.
"""

from __future__ import annotations

import html as htmllib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.report import ReportSettings
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.logs import clf, s3_get, t
from tests.oracle_rule import Row, downloads, windows
from tests.parity import portable_equals_case
from tests.servers import GEO_OFF, accounted, analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/f.pdf"
UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"
PDF, PAGE = 40_000, 1_234
# /tmp/bodysize/errpages: a copy, five error pages, a copy
ERRPAGES = [("198.51.100.1", PDF)] + [(f"192.0.2.{10 + i}", PAGE) for i in range(5)] + [("198.51.100.2", PDF)]


def _log(served: list[tuple[str, int]]) -> str:
    return "\n".join(clf(ip, t(10, 10, i), TARGET, size=n) for i, (ip, n) in enumerate(served)) + "\n"


def _doors(tmp_path: Path, served: list[tuple[str, int]], size: int | None = None) -> list[tuple[str, str, str]]:
    """(client, outcome, size_rule) of every download by the JSON answer, asserted equal by the API, the portable
    SQL (its windows and downloads asserted equal to the case's, size_in_doubt too) and the oracle (outcomes)."""
    answer = analyse(tmp_path / "cli", "access.log", _log(served), TARGET, size=size)
    accounted(answer)
    got = [(d["client_ip"], d["outcome"], d["size_rule"]) for d in answer.target["downloads"]]
    assert [(d["client_ip"], d["outcome"], d["size_rule"]) for d in answer.downloads] == got
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / "access.log").write_text(_log(served))
    portable = portable_equals_case(tmp_path / "portable", logs, TARGET, AnalysisOptions(geoip_city="none", size=size))
    assert [(d["client"], d["outcome"], d["size_rule"]) for d in portable["downloads"]] == got
    oracle = [Row(t(10, 10, i), ip, UA, "GET", 200, n, False, None, None, None) for i, (ip, n) in enumerate(served)]
    assert [(d.client, d.outcome) for d in downloads(windows(oracle, oracle[0].t, size), size)] == [g[:2] for g in got]
    _doors.answer = answer  # type: ignore[attr-defined]
    return got


def _answer() -> Any:
    return _doors.answer  # type: ignore[attr-defined]


def _files(tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    """`files --json` over the portable case: the target's row and the stderr lines."""
    result = CliRunner().invoke(app, ["files", "--case", str(tmp_path / "portable" / "case.duckdb"), "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    return row, result.stderr.splitlines()


def _page_one(tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"report-{lang}"
    with Case(tmp_path / "portable" / "case.duckdb") as case:
        case.report([TARGET], out, AnalysisOptions(geoip_city="none"), ReportSettings(pdf=False, lang=lang))
    text = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    return htmllib.unescape(text.split('id="summary"')[1].split("</section>")[0])


def _terminal(tmp_path: Path) -> str:
    """analyse's terminal answer over the portable case (stdout and stderr)."""
    result = CliRunner().invoke(app, ["analyse", "--case", str(tmp_path / "portable" / "case.duckdb"),
                                      "--target", TARGET, *GEO_OFF], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.stdout + result.stderr


def test_error_pages_outnumbering_the_copies_are_not_the_inferred_size(tmp_path: Path) -> None:
    """/tmp/bodysize/errpages. Before: size 1,234, 7 complete from 7. Now 40,000, 2 complete from 2, the five pages
    undetermined (a count the doubt rivals: an error page is no partial download, rule_counts_in_doubt), and the
    size said in doubt by every door."""
    got = _doors(tmp_path, ERRPAGES)
    assert [g[1] for g in got] == ["complete"] + ["undetermined"] * 5 + ["complete"]
    totals = _answer().totals
    assert (totals["complete_downloads"], totals["distinct_ips"]) == (2, 2)
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_rule"], window["size_votes"], window["size_in_doubt"]) == (
        PDF, "most_common", 2, True)
    assert window["repeated_sizes"] == [{"bytes": PAGE, "responses": 5, "addresses": 5},
                                        {"bytes": PDF, "responses": 2, "addresses": 2}]
    [said] = [w for w in _answer().target["warnings"] if "size in doubt" in w]
    assert said.startswith("window 1: size in doubt: 200 responses state 2 sizes of the file, each logged by several "
                           "addresses (1\u202f234 bytes by 5 addresses, 40\u202f000 bytes by 2 addresses)")
    assert "The largest, 40\u202f000 bytes, is taken" in said and "an inference in doubt" in said
    row, stderr = _files(tmp_path)
    assert row["sizes_in_doubt"] == [{"window": 1, "sizes": window["repeated_sizes"], "size": PDF, "largest": PDF}]
    assert (row["size_bytes"], row["complete_downloads"]) == (PDF, 2)
    assert f"warning: {TARGET}: {said}" in stderr
    assert said in _terminal(tmp_path)
    assert said in _page_one(tmp_path, "en")
    dutch = sentence(said, strings("nl"))
    assert dutch.startswith("venster 1: grootte twijfelachtig: 200-antwoorden noemen 2 groottes van het bestand, elk "
                            "gelogd door meerdere adressen (1\u202f234 bytes door 5 adressen, 40\u202f000 bytes door 2 "
                            "adressen)")
    nl = _page_one(tmp_path, "nl")
    assert dutch in nl and "size in doubt" not in nl


def test_one_address_repeating_a_count_is_no_doubt(tmp_path: Path) -> None:
    """One client fetching a 1,234-byte page five times is one address: the 40,000 bytes two addresses received is
    the size (before: the majority, 1,234, and all 7 complete), and no doubt is said."""
    served = [("198.51.100.1", PDF)] + [("192.0.2.10", PAGE)] * 5 + [("198.51.100.2", PDF)]
    got = _doors(tmp_path, served)
    assert [g[1] for g in got] == ["complete"] + ["partial"] * 5 + ["complete"]
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_in_doubt"]) == (PDF, False)
    assert not [w for w in _answer().target["warnings"] if "size in doubt" in w]
    assert _files(tmp_path)[0]["sizes_in_doubt"] == []


def test_copies_broken_off_at_one_point_put_no_size_in_doubt(tmp_path: Path) -> None:
    """Two clients broke off at one buffer boundary (32,768 bytes) beside five copies: the largest count is the
    majority too, the size 40,000 is no inference in doubt (the sample case's PDFs: 2 of 33 at 32,768), the two
    partial."""
    served = [(f"198.51.100.{i}", PDF) for i in range(1, 6)] + [("192.0.2.10", 32_768), ("192.0.2.11", 32_768)]
    got = _doors(tmp_path, served)
    assert [g[1] for g in got] == ["complete"] * 5 + ["partial"] * 2
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_in_doubt"]) == (PDF, False)
    assert [r["bytes"] for r in window["repeated_sizes"]] == [32_768, PDF]
    assert not [w for w in _answer().target["warnings"] if "size in doubt" in w]


def test_without_repeated_counts_the_most_common_count_stays_the_size(tmp_path: Path) -> None:
    """No count logged by two addresses: the most common (the larger on a tie), as before."""
    served = [("198.51.100.1", PDF), ("198.51.100.1", PDF), ("198.51.100.2", 30_000)]
    got = _doors(tmp_path, served)
    assert [g[1] for g in got] == ["complete", "complete", "partial"]
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_votes"], window["size_in_doubt"]) == (PDF, 2, False)


@pytest.mark.parametrize("size", [None, PDF], ids=["inferred", "given"])
def test_a_body_count_above_the_size_is_never_the_file(tmp_path: Path, size: int | None) -> None:
    """/tmp/bodysize/above: two copies of 40,000 bytes and a 200 of 90,000. Before: 3 complete, with --size 40000
    too. Now the 90,000 is undetermined (above_size), and said: with --size as a body count above the file's size,
    inferred as a size in doubt (the larger count may be the file: review_rules c1_buffer)."""
    got = _doors(tmp_path, [("198.51.100.1", PDF), ("198.51.100.2", PDF), ("198.51.100.3", 90_000)], size)
    rule = "given" if size else "most_common"
    assert got == [("198.51.100.1", "complete", rule), ("198.51.100.2", "complete", rule),
                   ("198.51.100.3", "undetermined", "above_size")]
    assert _answer().totals["complete_downloads"] == 2
    if not size:  # inferred: a larger count than the size taken puts it in doubt (the file itself, or not)
        [said] = [w for w in _answer().target["warnings"] if "size in doubt" in w]
        assert said.startswith("window 1: size in doubt: a 200 logged a larger body count (90\u202f000 bytes) than "
                               "the size taken (40\u202f000 bytes")
        assert not [w for w in _answer().target["warnings"] if "more body bytes than" in w]
        return
    [said] = [w for w in _answer().target["warnings"] if "more body bytes than" in w]
    assert said.startswith("window 1: 1 response holds more body bytes than the file's size (40\u202f000 bytes): "
                           "another object answered at its path")
    assert sentence(said, strings("nl")).startswith("venster 1: 1 antwoord bevat meer bytes inhoud dan de grootte van "
                                                    "het bestand (40\u202f000 bytes)")


def test_every_door_says_two_lengths_by_one_rule(tmp_path: Path) -> None:
    """S3 states each object's size: three copies of 40,000 bytes and an object of 1,234 at the key. The answer's
    warning reads the window's several_lengths (rule_several_lengths), as `files`' lengths_stated does: terminal,
    JSON, page 1 and `files` say the same words."""
    served = [("198.51.100.11", PDF), ("198.51.100.12", PDF), ("198.51.100.13", PDF), ("198.51.100.21", PAGE)]
    logs = tmp_path / "portable" / "logs"
    logs.mkdir(parents=True)
    (logs / "2020-06-10-10-30-00-ABCDEF0123456789").write_text(
        "\n".join(s3_get(i, ip, n, TARGET) for i, (ip, n) in enumerate(served)) + "\n")
    with Case(tmp_path / "portable" / "case.duckdb") as case:
        case.ingest([logs])
        [target] = case.analyse([TARGET], AnalysisOptions(geoip_city="none"))["targets"]
    [window] = target["windows"]
    warned = [w for w in target["warnings"] if "two or more lengths stated" in w]
    row, stderr = _files(tmp_path)
    # the doors agree first (one test, rule_several_lengths: the answer once tested len(lengths) > 1 on its own)
    assert [bool(warned), window["several_lengths"], bool(row["lengths_stated"])] == [window["several_lengths"]] * 3
    assert (window["lengths"], window["several_lengths"], window["size_in_doubt"]) == ([PAGE, PDF], True, False)
    [said] = warned
    assert said.startswith("window 1: two or more lengths stated: its responses state 2 lengths of the file "
                           "(1\u202f234 and 40\u202f000 bytes)")
    assert row["lengths_stated"] == [{"window": 1, "lengths": [PAGE, PDF]}]
    assert f"warning: {TARGET}: {said}" in stderr
    assert said in _terminal(tmp_path)
    assert said in _page_one(tmp_path, "en")
    assert sentence(said, strings("nl")) in _page_one(tmp_path, "nl")

