"""Red team, round 2: look-alike targets. A logged path that differs from the target only by a homoglyph
(Cyrillic а), a fullwidth or division slash, a zero-width or bidi character or a trailing blank is another
path: never counted as the target, listed as a possible copy when it served the target's size, kept as logged
in the data (JSON), and never shown to a person as the target's spelling (terminal, `files`, report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import AnalysisOptions, Case
from exposure.cli import app
from exposure.escaping import display, visible
from exposure.report import ReportSettings
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/wob/2020/signalen-mensenhandel.xlsx"
# spelling as logged (percent-encoded, as servers write it) -> the decoded path the case stores
LOOKALIKES = {
    "cyrillic a": ("/docs/wob/2020/signalen-mensenh%D0%B0ndel.xlsx", TARGET.replace("handel", "h\u0430ndel")),
    "fullwidth slash": ("/docs/wob/2020%EF%BC%8Fsignalen-mensenhandel.xlsx", TARGET.replace("2020/", "2020\uff0f")),
    "division slash": ("/docs/wob/2020%E2%88%95signalen-mensenhandel.xlsx", TARGET.replace("2020/", "2020\u2215")),
    "soft hyphen": ("/docs/wob/2020/signalen-mensen%C2%ADhandel.xlsx", TARGET.replace("mensen", "mensen\u00ad")),
    "greek o": ("/d%CE%BFcs/wob/2020/signalen-mensenhandel.xlsx", TARGET.replace("/docs", "/d\u03bfcs")),
    "trailing blank": ("/docs/wob/2020/signalen-mensenhandel.xlsx%20", TARGET + " "),
    "zero width": ("/docs/wob/2020/sign%E2%80%8Balen-mensenhandel.xlsx", TARGET.replace("sign", "sign\u200b")),
}


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_a_lookalike_never_reads_as_the_target(name: str) -> None:
    stored = LOOKALIKES[name][1]
    assert stored != TARGET
    assert visible(stored) != TARGET and display(stored) != TARGET
    assert visible(stored).isascii(), visible(stored)  # every disguise became a visible escape


@pytest.mark.parametrize("text", ["/documenten/financiële-stukken/één.pdf", "/документы/отчёт.pdf",
                                  "Mozilla/5.0 (Linux; U; ru-RU) Яндекс.Браузер", "/a/Ελληνικά/b",
                                  "a very long path… [1048576 characters]", "2017–2020", "  window 1  first",
                                  # ordinals, superscripts, a Japanese full stop, a Russian or Greek word with a
                                  # Latin letter: writing, not a disguise (all were escaped)
                                  "/docs/1º_trimestre.pdf", "2ª_edição", "m²_prijs", "報告書。pdf", "отчетV2",
                                  "5μm"])
def test_a_real_spelling_stays_as_it_is(text: str) -> None:
    """Accents, a word wholly in another script, the cut marker, an en dash, an indented line: no disguise."""
    assert visible(text) == text


def _case(tmp_path: Path) -> Path:
    lines = [clf("192.0.2.1", t(8, 10), TARGET, size=5000), clf("192.0.2.2", t(8, 11), TARGET, size=5000)]
    for i, (logged, _stored) in enumerate(LOOKALIKES.values()):
        lines.append(clf(f"198.51.100.{i + 1}", t(8, 12, i), logged, size=5000))
    lines.append(clf("192.0.2.9", t(9, 12), TARGET, status=404, size=200))
    return write_log(tmp_path / "logs" / "access.log", lines)


def test_only_the_target_is_counted_and_every_lookalike_is_told_apart(tmp_path: Path) -> None:
    log = _case(tmp_path)
    answer_file = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(answer_file)])
    assert result.exit_code == 0, result.output
    target = json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]
    assert target["totals"]["complete_downloads"] == 2  # the look-alikes are not the target
    # the data keeps each path as logged (decoded); each served the target's size, so each is a possible copy
    copies = {c["path"] for c in target["possible_copies"]}
    assert copies == {stored for _logged, stored in LOOKALIKES.values()}
    # on the terminal the target's spelling followed by its separator names the target, never a look-alike
    for line in result.stdout.splitlines():
        if f"{TARGET}:" in line:
            assert "possible copy" not in line and "exact size" not in line, line
    for stored in copies:
        assert visible(stored) in result.output


def test_files_and_the_report_show_the_difference(tmp_path: Path) -> None:
    log = _case(tmp_path)
    case_path, out = tmp_path / "case.duckdb", tmp_path / "out"
    with Case(case_path) as case:
        case.ingest([log])
        case.report([TARGET], out, AnalysisOptions(), ReportSettings(pdf=False))
    result = CliRunner().invoke(app, ["files", "--case", str(case_path)])
    assert result.exit_code == 0, result.output
    cells = [line.split("│")[1].strip() for line in result.stdout.splitlines() if "xlsx" in line]
    assert len(cells) == 1 + len(LOOKALIKES)
    assert cells.count(TARGET) == 1, cells  # one row reads as the target: the target's own
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    for escape in ("\\u0430", "\\uff0f", "\\u2215", "\\xad", "\\u03bf", "\\x20", "\\u200b"):
        assert escape in html, escape


# spellings a server may still serve as the target: listed whatever their size, never counted
SPELLINGS = ["/docs//wob/2020/signalen-mensenhandel.xlsx", "/docs/wob/./2020/signalen-mensenhandel.xlsx",
             "/docs/wob/x/../2020/signalen-mensenhandel.xlsx", TARGET + ";jsessionid=0123ABCD", TARGET + ".",
             "/docs\\wob\\2020\\signalen-mensenhandel.xlsx"]


@pytest.mark.parametrize("with_target", [True, False], ids=["beside the target", "target never logged as such"])
def test_a_download_under_another_spelling_is_never_hidden(tmp_path: Path, with_target: bool) -> None:
    """Range parts (206, 2000 + 3000 bytes) under a spelling the server maps to the target: no response has the
    target's size, so only the spelling rule finds them; with every request spelled another way the target has no
    window of its own and they are still listed."""
    lines = [clf("192.0.2.1", t(8, 10), TARGET, size=5000)] if with_target else []
    for i, spelled in enumerate(SPELLINGS):
        lines += [clf(f"198.51.100.{i + 1}", t(8, 11, i, 0), spelled, status=206, size=2000),
                  clf(f"198.51.100.{i + 1}", t(8, 11, i, 1), spelled, status=206, size=3000)]
    lines.append(clf("192.0.2.9", t(9, 12), TARGET, status=404, size=200))
    answer_file = tmp_path / "a.json"
    log = write_log(tmp_path / "logs" / "access.log", lines)
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(answer_file)])
    assert result.exit_code == 0, result.output
    target = json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]
    assert target["totals"]["complete_downloads"] == (1 if with_target else 0)
    copies = {c["path"]: c for c in target["possible_copies"]}
    assert sorted(copies) == sorted(SPELLINGS)
    assert {c["size_match"] for c in copies.values()} == {"spelling"}
    assert all(c["matching_responses"] == 2 for c in copies.values())
    assert "the target's path spelled another way" in result.output
    # --alias counts one (the user's decision), labelled via it
    alias = SPELLINGS[0]
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--alias", alias, "--json",
                                      str(answer_file)])
    assert result.exit_code == 0, result.output
    target = json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]
    assert alias not in {c["path"] for c in target["possible_copies"]}
    assert [a["path"] for a in target["aliases"]] == [alias]


def test_a_mathematical_letter_is_escaped_past_the_bmp() -> None:
    """U+1D426 (mathematical bold m) passes for `m`; its escape has eight digits, `\\u1d426` would read as
    U+1D42 and a `6`."""
    assert visible("\U0001d426ensenhandel.xlsx") == "\\U0001d426ensenhandel.xlsx"
