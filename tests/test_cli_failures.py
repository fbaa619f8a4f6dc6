"""Clean failure: every bad value of every option of every command gives exit 2 and one line on stderr, never a
traceback or an "unexpected failure"; Ctrl-C gives one line and exit 130 (tests/robustness/test_sigint.py).

The bad values come per kind of option (paths that are missing or folders, bad CIDRs and zones, negative and
huge numbers, empty strings, control characters, malformed URLs...). Every option the CLI has must have a kind
here: a new option fails `test_every_option_is_fuzzed` until it is given one.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import typer.main

from exposure.cli import app, main
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
CTRL = "a\x1b[2Jb"
HUGE = "9" * 40

# option kind -> bad values ({dir}, {file}, {missing}, {case}, {under_file} are filled in per run)
BAD: dict[str, list[str]] = {
    "inputs": ["{missing}", "", CTRL, "{under_file}"],
    "documents": ["{missing}", "{dir}", "", CTRL],
    "case_new": ["{dir}", "{file}", "", "{under_file}", CTRL + "/c.duckdb", "/proc/exposure-unwritable.duckdb"],
    "case_existing": ["{missing}", "{dir}", "{file}", "", CTRL],
    "out_file": ["{dir}", "{under_file}", "", "/proc/exposure-unwritable.json"],
    "out_dir": ["{file}", "{under_file}", "", "/proc/exposure-unwritable"],
    "in_file": ["{missing}", "{dir}", "{file}", ""],
    "cidr": ["10.0.0.0/33", "not-a-cidr", "", "1.2.3.4/-1", CTRL],
    "zone": ["Mars/Olympus", "", "../../etc/passwd", CTRL],
    "number": ["-1", "0", HUGE, "abc", ""],
    "format": ["nope", "", CTRL],
    "log_format": ["%>", "", "%{"],
    "nginx_format": ["$", "", "no variables here"],
    "json_fields": ["x", "=", "time=", "bogus=ts"],
    "client_ip_from": ["yyy", ""],
    "bytes": ["bodies", "", CTRL],
    "stream_from": ["(", "", CTRL, "[z-a]"],
    "target": ["https://[::1/x", "", CTRL, "ftp://host/x", "https:///x"],
    "glob": ["", CTRL, "/nothing/*"],
    "under": ["", CTRL, "/nothing/here/"],
    "filter": ["", CTRL],  # files --under/--glob: matching nothing is an answer (an empty list)
    "lang": ["xx", ""],
    "pin_time": ["yesterday", "", "2020-13-45"],
    "anchor": ["zz", "", "0" * 63, CTRL],
    "param": ["novalue", "=x", "bogus=1"],
    "query": ["nope", "{missing}.sql", "", "{dir}"],
    "verify_paths": ["{missing}", "{file}"],
    "flag": [],
}

# command -> (valid arguments, {option or argument name: kind})
COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "ingest": (["{logs}", "--case", "{newcase}"], {
        "inputs": "inputs", "--case": "case_new", "--format": "format", "--log-tz": "zone",
        "--log-format": "log_format", "--nginx-log-format": "nginx_format", "--json-fields": "json_fields",
        "--client-ip-from": "client_ip_from", "--trusted-proxy": "cidr", "--bytes": "bytes",
        "--stream-from": "stream_from", "--quiet": "flag"}),
    "analyse": (["{logs}", "--target", TARGET, "-q"], {
        "inputs": "inputs", "--target": "target", "--target-glob": "glob", "--under": "under",
        "--case": "case_new", "--format": "format", "--log-tz": "zone", "--log-format": "log_format",
        "--nginx-log-format": "nginx_format", "--json-fields": "json_fields", "--client-ip-from": "client_ip_from",
        "--trusted-proxy": "cidr", "--bytes": "bytes", "--stream-from": "stream_from", "--internal": "cidr",
        "--size": "number", "--alias": "target", "--display-tz": "zone",
        "--json": "out_file", "--quiet": "flag", "--geoip-city": "in_file", "--geoip-asn": "in_file",
        "--report": "out_dir", "--case-info": "in_file", "--lang": "lang", "--pseudonymise-ips": "flag",
        "--pseudonym-key": "in_file", "--pin-time": "pin_time"}),
    "report": (["--case", "{case}", "--target", TARGET, "--out", "{newdir}", "-q"], {
        "--target": "target", "--target-glob": "glob", "--under": "under", "--case": "case_existing",
        "--out": "out_dir", "--case-info": "in_file", "--lang": "lang", "--pseudonymise-ips": "flag",
        "--pseudonym-key": "in_file", "--pin-time": "pin_time", "--internal": "cidr", "--size": "number",
        "--alias": "target", "--display-tz": "zone", "--geoip-city": "in_file", "--geoip-asn": "in_file", "--quiet": "flag"}),
    "verify": (["--case", "{case}"], {"--case": "case_existing", "paths": "verify_paths", "--anchor": "anchor"}),
    "files": (["--case", "{case}"], {"--case": "case_existing", "--under": "filter", "--glob": "filter",
                                     "--target": "target", "--internal": "cidr", "--csv": "flag", "--json": "flag"}),
    "timeline": (["--case", "{case}", "--target", TARGET], {
        "--case": "case_existing", "--target": "target", "--internal": "cidr", "--size": "number",
        "--display-tz": "zone"}),
    "sql": (["totals", "--case", "{case}", "--param", f"target={TARGET}"], {
        "query": "query", "--case": "case_existing", "--param": "param", "--csv": "flag", "--json": "flag"}),
    "inspect": (["{doc}", "-q"], {"files": "documents", "--case": "case_new", "--json": "out_file",
                                  "--show-values": "flag", "--target": "target", "--quiet": "flag"}),
    "export": (["--case", "{case}", "--parquet", "{newdir}"], {
        "--case": "case_existing", "--parquet": "out_dir", "--quiet": "flag"}),
    "formats": ([], {}),
}
ARGUMENTS = {"inputs", "files", "paths", "query"}  # positional arguments


def run(argv: list[str]) -> tuple[int, str, str]:
    """`exposure ARGV` in this process through main(): exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_umask = sys.argv, os.umask(0o022)  # main() sets its own umask: restored after
    os.umask(old_umask)
    sys.argv = ["exposure", *argv]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old_argv
        os.umask(old_umask)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("fuzz")
    logs = root / "logs"
    write_log(logs / "access.log", [clf("198.51.100.7", t(8, 10), TARGET, 200, 4000),
                                    clf("198.51.100.8", t(8, 11), TARGET, 200, 4000),
                                    clf("198.51.100.9", t(9, 9), TARGET, 404, 200)])
    (root / "a-dir").mkdir()
    (root / "plain.txt").write_text("not a case, not a key, not a database\n")
    doc = root / "leak.csv"
    doc.write_text("name,phone\nJan Jansen,0612345678\n")
    paths = {"logs": str(logs), "dir": str(root / "a-dir"), "file": str(root / "plain.txt"),
             "missing": str(root / "missing"), "under_file": str(root / "plain.txt" / "x"), "doc": str(doc),
             "case": str(root / "case.duckdb")}
    code, _, err = run(["ingest", paths["logs"], "--case", paths["case"], "-q"])
    assert code == 0, err
    return paths


def _fill(value: str, world: dict[str, str], tmp: Path) -> str:
    for key, path in {**world, "newcase": str(tmp / "new.duckdb"), "newdir": str(tmp / "out")}.items():
        value = value.replace("{" + key + "}", path)
    return value


def _cases() -> list[tuple[str, str, str]]:
    return [(command, option, value) for command, (_, kinds) in COMMANDS.items()
            for option, kind in kinds.items() for value in BAD[kind]]


def test_every_option_is_fuzzed() -> None:
    cli = typer.main.get_command(app)
    assert set(cli.commands) == set(COMMANDS)
    for name, command in cli.commands.items():
        declared = {p.opts[0] if p.param_type_name == "option" else p.name for p in command.params}
        assert declared == set(COMMANDS[name][1]), name


@pytest.mark.parametrize("command, option, value", _cases(),
                         ids=[f"{c}{o}={v!r}" for c, o, v in _cases()])
def test_bad_value_one_line_exit_2(world: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   command: str, option: str, value: str) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path given must not land in the checkout
    base, _ = COMMANDS[command]
    argv = [_fill(a, world, tmp_path) for a in base]
    bad = _fill(value, world, tmp_path)
    if option in ARGUMENTS:  # the base's first word, when it is the argument; else one more
        if base and not base[0].startswith("-"):
            argv[0] = bad
        else:
            argv.append(bad)
    elif option in argv:
        argv[argv.index(option) + 1] = bad
    else:
        argv += [option, bad]
    code, _out, err = run([command, *argv])
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and "unexpected failure" not in err and "internal error" not in err, err
    assert code == 2, (argv, code, err)
    assert len(lines) == 1, (argv, err)
    assert "\x1b" not in err  # a control character given is shown as an escape, never sent to the terminal


@pytest.mark.slow
@pytest.mark.usefixtures("html_only_reports")  # exit 0 is the rule here; the PDF itself is tests/report's
def test_valid_bases_answer(world: dict[str, str], tmp_path: Path) -> None:
    """The base command lines are valid (each bad value alone makes them fail)."""
    for command, (base, _) in COMMANDS.items():
        out = tmp_path / command
        out.mkdir()
        code, _, err = run([command, *[_fill(a, world, out) for a in base]])
        assert code == 0, (command, err)


@pytest.mark.parametrize("option", ["--geoip-asn", "--geoip-city"])
def test_a_geoip_database_that_is_not_there_fails_before_the_logs_are_read(world: dict[str, str], tmp_path: Path,
                                                                          option: str) -> None:
    """A --geoip-asn/--geoip-city path that names no file was said only after every log was ingested (1.3 CPU-s
    on a one-file folder, minutes on a year of logs): it is checked with the options now, so the case named by
    --case is never made and the one line says what is wrong."""
    case = tmp_path / "new.duckdb"
    code, _, err = run(["analyse", world["logs"], "--target", TARGET, "--case", str(case), option,
                        str(tmp_path / "nothere.mmdb"), "-q"])
    assert code == 2, err
    assert f"{option}: no GeoIP database at {tmp_path / 'nothere.mmdb'}" in err
    assert not case.exists()


@pytest.mark.parametrize(("args", "said"), [
    pytest.param(["--geoip-city", "TEXT"], "is not a readable .mmdb database", id="city-text-file"),
    pytest.param(["--geoip-asn", "TEXT"], "is not a readable .mmdb database", id="asn-text-file"),
    pytest.param(["--under", " "], "empty --under folder", id="empty-under"),
    pytest.param(["--under", "/docs/\x1b[2J"], "--under", id="control-under"),
    pytest.param(["--target-glob", " "], "empty --glob/--target-glob pattern", id="empty-glob"),
])
def test_a_bad_database_folder_or_glob_fails_before_the_logs_are_read(world: dict[str, str], tmp_path: Path,
                                                                      args: list[str], said: str) -> None:
    """A --geoip-city/--geoip-asn naming a file that is no .mmdb database, an empty or control-character --under,
    an empty --target-glob: refused only after the whole ingest (the case made, the logs read: 1.2-1.6 CPU-s on
    one line, hours on a year of logs; testtime2's report). Checked with the options now: no case made."""
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    case = tmp_path / "new.duckdb"
    given = [str(text) if a == "TEXT" else a for a in args]
    code, _, err = run(["analyse", world["logs"], "--target", TARGET, "--case", str(case), *given, "-q"])
    assert code == 2, err
    assert said in err
    assert not case.exists()
