"""Red team, hostile file names and argument bytes: a name that is not UTF-8 (Linux allows any byte but / and
NUL) is recorded as unreadable with its reason, never a crash; an argument that is not UTF-8 is refused in one
line; names with newlines, quotes, `$(...)` and a leading `-` are read like any other."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from exposure import Case, cli
from exposure.discovery import NOT_UTF8_NAME
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
BAD = os.fsdecode(b"access-\xff\xfe.log")  # bytes that are not UTF-8, as Python keeps them (lone surrogates)


def _line(i: int) -> str:
    return clf(f"192.0.2.{i}", t(8, 10, i), TARGET, size=4000)


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["exposure", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    captured = capsys.readouterr()
    return int(done.value.code), captured.out + captured.err


def test_a_file_whose_name_is_not_utf8_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    write_log(folder / "access.log", [_line(1)])
    write_log(folder / BAD, [_line(2)])
    write_log(folder / os.fsdecode(b"old-\xe9") / "access.log", [_line(3)])  # a folder's name, not the file's
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([folder])
        rows = c.sql("SELECT path, verdict, read_errors FROM evidence ORDER BY path").to_dict("records")
        assert c.totals(TARGET)["complete_downloads"] == 1
        kinds = {f.kind for f in c.findings() if f.incomplete}
    assert [(r["path"].removeprefix(str(folder)), r["verdict"]) for r in rows] == [
        ("/access-\\xff\\xfe.log", "unreadable"), ("/access.log", "ingested"), ("/old-\\xe9/access.log", "unreadable")]
    assert rows[0]["read_errors"] == NOT_UTF8_NAME
    assert kinds == {"unreadable"}  # exit code 3: part of the evidence could not be read


def test_the_command_on_such_a_folder_answers_with_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "logs"
    write_log(folder / "access.log", [_line(1)])
    write_log(folder / BAD, [_line(2)])
    code, output = _main(monkeypatch, capsys, "analyse", str(folder), "--target", TARGET)
    assert code == 3, output
    assert "unexpected failure" not in output
    assert "complete downloads 1 from 1 external address\n" in output


@pytest.mark.parametrize("option", ["--target", "--case", "--report", "--json", "--under", "--log-format", None])
def test_an_argument_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str],
                                                             option: str | None) -> None:
    log = write_log(tmp_path / "access.log", [_line(1)])
    value = os.fsdecode(os.fsencode(str(tmp_path)) + b"/x\xff")
    args = ["analyse", str(log), "--target", TARGET] + ([option, value] if option else [])
    if option is None:  # a file named on the command line
        args[1] = value
    code, output = _main(monkeypatch, capsys, *args)
    assert code == 2, output
    assert "is not valid UTF-8" in output and "unexpected failure" not in output
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["new\nline.log", "quote\"'.log", "$(touch pwned).log", "-rf.log", " space .log"])
def test_hostile_but_valid_names_are_read_and_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    log = write_log(tmp_path / "logs" / name, [_line(1)])
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([log.parent])
        assert c.evidence()["path"].tolist() == [str(log.parent / name)]
        assert c.totals(TARGET)["complete_downloads"] == 1
    assert not (tmp_path / "pwned").exists()


def test_the_library_takes_such_a_file_named_alone(tmp_path: Path) -> None:
    bad = write_log(tmp_path / BAD, [_line(2)])
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([bad])  # the activity log records the command with the name as the case can hold it
        assert c.evidence()["verdict"].tolist() == ["unreadable"]
        assert c.sql("SELECT detail FROM activity WHERE command = 'ingest'")["detail"].tolist() == [
            str(tmp_path / "access-\\xff\\xfe.log")]
