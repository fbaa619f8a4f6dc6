"""Possible copies under other names (queries/possible_copies.sql): paths served with the target's size while it
was available are listed apart, with their own downloads by the one rule, and never counted; `--alias` counts
one, each of its downloads labelled with the path it came through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.errors import InputError
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/wob/2020/lijst.xlsx"
SIZE = 5000
STAFF = "203.0.113.0/24"
COPIES = ["/backup/lijst.xls", "/wob/2020/lijst (1).xlsx", "/wob/2020/lijst.xlsx.bak"]


def _lines() -> list[str]:
    """The target online 8 June 10:00 until its 404 on 9 June 10:00; three copies under the names people give
    them answer with its size inside that window (one also after it); a same-size file outside the window and a
    different-size file with the same name stem are no copies."""
    return [
        clf("198.51.100.9", t(1, 9), "/old/lijst-2019.xlsx", size=SIZE),         # 1 same size, before the window
        clf("198.51.100.1", t(8, 10), TARGET, size=SIZE),                         # 2
        clf("198.51.100.2", t(8, 11), TARGET, size=SIZE),                         # 3
        clf("198.51.100.3", t(8, 12), "/wob/2020/lijst (1).xlsx", size=SIZE),     # 4 numbered copy
        clf("198.51.100.4", t(8, 13), "/wob/2020/lijst.xlsx.bak", size=SIZE),     # 5 backup suffix
        clf("198.51.100.5", t(8, 14), "/backup/lijst.xls", size=SIZE),            # 6 another folder and extension
        clf("198.51.100.6", t(8, 15), "/wob/2020/lijst.pdf", size=7000),          # 7 same stem, another size
        clf("203.0.113.7", t(8, 16), "/backup/lijst.xls", size=SIZE),             # 8 staff, same size
        clf("198.51.100.8", t(8, 17), "/backup/lijst.xls", size=2000),            # 9 a partial copy
        clf("198.51.100.3", t(9, 10), TARGET, status=404),                        # 10 the target is gone
        clf("198.51.100.10", t(10, 10), "/backup/lijst.xls", size=SIZE),          # 11 the copy still online
        clf("198.51.100.11", t(10, 11), "/old/lijst-2019.xlsx", size=SIZE),      # 12 outside every window
    ]


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return write_log(tmp_path / "logs" / "access.log", _lines()).parent


def _answer(logs: Path, tmp_path: Path, aliases: tuple[str, ...] = ()) -> dict:
    with Case(tmp_path / f"case{len(aliases)}.duckdb") as case:
        case.ingest([logs])
        return case.analyse([TARGET], AnalysisOptions(internal=(STAFF,), aliases=aliases))


def test_copies_under_other_names_are_listed_apart_and_never_counted(logs: Path, tmp_path: Path) -> None:
    answer = _answer(logs, tmp_path)
    [target] = answer["targets"]
    assert (target["totals"]["complete_downloads"], target["totals"]["distinct_ips"]) == (2, 2)
    copies = {c["path"]: c for c in target["possible_copies"]}
    assert sorted(copies) == COPIES  # not the same-size file outside the window, not the other-size stem
    backup = copies["/backup/lijst.xls"]
    assert (backup["size_match"], backup["target_windows"], backup["matching_responses"]) == ("exact", [1], 2)
    # its own downloads by the one rule, over its own window (still online after the target's 404)
    assert (backup["complete_downloads"], backup["distinct_ips"], backup["internal_complete_downloads"],
            backup["partial_downloads"]) == (2, 2, 1, 1)
    assert backup["client_ips"] == ["198.51.100.10", "198.51.100.5"]
    assert (backup["first_available"], backup["last_available"], backup["withdrawn_at"]) == (
        "2020-06-08T14:00:00Z", "2020-06-10T10:00:00Z", None)
    assert [(Path(e["file"]).name, e["line"]) for e in backup["evidence"]] == [("access.log", 6), ("access.log", 8)]
    assert all(len(e["sha256"]) == 64 for e in backup["evidence"])
    status = answer["evidence_status"]
    assert "possible copy" in status["checked"]
    [finding] = [f for f in status["findings"] if f["kind"] == "possible copy"]
    assert (finding["count"], finding["paths"], finding["severity"]) == (3, COPIES, "stated")
    assert answer["options"]["aliases"] == [] and target["aliases"] == []
    assert all(d["via"] is None for d in target["downloads"])


def test_an_alias_counts_toward_the_target_labelled_with_its_path(logs: Path, tmp_path: Path) -> None:
    before = _answer(logs, tmp_path)["targets"][0]
    after = _answer(logs, tmp_path, aliases=("/backup/lijst.xls",))["targets"][0]
    copy = next(c for c in before["possible_copies"] if c["path"] == "/backup/lijst.xls")
    # the alias's downloads are exactly the ones the possible copy listed, now in the totals
    assert after["totals"]["complete_downloads"] == before["totals"]["complete_downloads"] + copy["complete_downloads"]
    assert after["totals"]["distinct_ips"] == before["totals"]["distinct_ips"] + copy["distinct_ips"] == 4
    assert after["totals"]["internal_complete_downloads"] == copy["internal_complete_downloads"] == 1
    assert after["totals"]["partial_downloads"] == copy["partial_downloads"] == 1
    via = [(d["client_ip"], d["outcome"]) for d in after["downloads"] if d["via"] == "/backup/lijst.xls"]
    assert via == [("198.51.100.5", "complete"), ("203.0.113.7", "complete"), ("198.51.100.8", "partial"),
                   ("198.51.100.10", "complete")]
    assert all(d["via"] is None for d in after["downloads"] if d["client_ip"] in ("198.51.100.1", "198.51.100.2"))
    # its windows are its own (the target's 404 does not close them) and the target's stay the target's
    [alias] = after["aliases"]
    assert alias["path"] == "/backup/lijst.xls"
    assert [(w["first_available"], w["first_unavailable"]) for w in alias["windows"]] == [
        ("2020-06-08T14:00:00Z", None)]
    assert [w["first_unavailable"] for w in after["windows"]] == ["2020-06-09T10:00:00Z"]
    assert sorted(c["path"] for c in after["possible_copies"]) == COPIES[1:]  # the alias is no longer "possible"
    assert [d["download_no"] for d in after["downloads"]] == list(range(1, len(after["downloads"]) + 1))


def test_an_alias_with_several_targets_goes_to_the_target_it_copies(logs: Path, tmp_path: Path) -> None:
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        options = AnalysisOptions(aliases=("/wob/2020/lijst.xlsx.bak",))
        lijst, pdf = case.analyse([TARGET, "/wob/2020/lijst.pdf"], options)["targets"]
        assert [a["path"] for a in lijst["aliases"]] == ["/wob/2020/lijst.xlsx.bak"] and pdf["aliases"] == []
        with pytest.raises(InputError, match="possible copy of none"):
            case.analyse([TARGET, "/wob/2020/lijst.pdf"], AnalysisOptions(aliases=("/old/lijst-2019.xlsx",)))
        with pytest.raises(InputError, match="the target itself"):
            case.analyse([TARGET], AnalysisOptions(aliases=(TARGET,)))


def test_byte_counts_with_headers_match_within_the_band(tmp_path: Path) -> None:
    """%O logs: complete transfers of the target spread by their headers; another name's shorter Content-Type
    puts its count a little below the band's edge; a larger file is no copy."""
    lines = [clf(f"198.51.100.{i}", t(8, 10 + i), TARGET, size=SIZE + 300 + i * 7) for i in range(1, 5)]
    lines += [clf("198.51.100.20", t(8, 16), "/tmp/lijst-kopie.xlsx", size=SIZE + 262),
              clf("198.51.100.21", t(8, 17), "/tmp/groot.zip", size=SIZE + 5000),
              clf("198.51.100.3", t(9, 10), TARGET, status=404)]
    logs = write_log(tmp_path / "logs" / "access.log", lines).parent
    from exposure import IngestOptions

    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs], IngestOptions(bytes_meaning="headers"))
        [target] = case.analyse([TARGET], AnalysisOptions())["targets"]
    assert target["size_rule"] == "band"
    assert [(c["path"], c["size_match"]) for c in target["possible_copies"]] == [("/tmp/lijst-kopie.xlsx", "band")]


def test_a_response_with_the_size_of_a_spelling_of_the_target_is_one_match(tmp_path: Path) -> None:
    """The target spelled with a doubled slash (a server serves it as the target) answered once with the target's
    size and once cut short: the first is both a size within the windows' edges and a spelling (copy_hits reads
    the two in two scans), and is one matching response; the second is a spelling only."""
    spelled = "/wob//2020/lijst.xlsx"
    lines = _lines()
    lines[9:9] = [clf("198.51.100.12", t(8, 18), spelled, size=SIZE),  # line 10: the size and a spelling
                  clf("198.51.100.13", t(8, 19), spelled, size=100)]   # line 11: a spelling, cut short
    logs = write_log(tmp_path / "logs" / "access.log", lines).parent
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        [target] = case.analyse([TARGET], AnalysisOptions())["targets"]
    copies = {c["path"]: c for c in target["possible_copies"]}
    assert sorted(copies) == sorted([*COPIES, spelled])
    mine = copies[spelled]
    assert (mine["size_match"], mine["matching_responses"], mine["target_windows"]) == ("exact", 2, [1])
    assert [e["line"] for e in mine["evidence"]] == [10, 11]
    assert (copies["/backup/lijst.xls"]["matching_responses"], target["totals"]["complete_downloads"]) == (2, 2)


def test_by_hand_and_through_the_command_line(logs: Path, tmp_path: Path) -> None:
    case = tmp_path / "case.duckdb"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--case", str(case), str(logs), "-q"]).exit_code == 0
    result = runner.invoke(app, ["sql", "possible_copies", "--case", str(case), "--param", f"target={TARGET}",
                                 "--param", f"internal={STAFF}", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["path"], r["complete_downloads"]) for r in rows] == [
        ("/backup/lijst.xls", 2), ("/wob/2020/lijst (1).xlsx", 1), ("/wob/2020/lijst.xlsx.bak", 1)]
    plain = runner.invoke(app, ["analyse", "--case", str(case), str(logs), "--target", TARGET, "--internal", STAFF])
    assert plain.exit_code == 0, plain.output
    assert "possible copies under other names: 3 (not counted above" in plain.output
    assert "    /backup/lijst.xls: exact size, 2 complete downloads from 2 external addresses" in plain.output
    assert "complete downloads 2 from 2 external addresses\n" in plain.output
    aliased = runner.invoke(app, ["analyse", "--case", str(case), str(logs), "--target", TARGET, "--internal", STAFF,
                                  "--alias", "/backup/lijst.xls"])
    assert aliased.exit_code == 0, aliased.output
    assert "complete downloads 4 from 4 external addresses (aliases included: /backup/lijst.xls)" in aliased.output
    assert "alias (--alias, counted as this file): /backup/lijst.xls: window 1 2020-06-08T14:00:00Z" in aliased.output
    assert "possible copies under other names: 2" in aliased.output
