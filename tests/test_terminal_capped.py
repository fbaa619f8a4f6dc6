"""Many small files or one-file log streams never flood the terminal (issue 19): the stated facts of one kind are
listed up to terminal.STATED_SHOWN lines and the rest counted on one line; every incomplete finding is listed;
the case, `Case.findings()` and the JSON keep every one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.findings import INCOMPLETE, STATED, said
from exposure.terminal import STATED_SHOWN, finding_list

runner = CliRunner(env={"COLUMNS": "200"})
STREAMS = STATED_SHOWN + 3  # one file each, two requests: too few transfers to decide what byte counts cover


def _sites(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    for i in range(STREAMS):  # a file name of its own: a log stream of its own (exposure/streams.py)
        (logs / f"site{i:02d}.log").write_text(
            f'198.51.100.{i + 1} - - [10/Jun/2020:10:00:00 +0000] "GET /a{i}.pdf HTTP/1.1" 200 {1000 + i} "-" "curl/7"\n'
            f'198.51.100.{i + 1} - - [10/Jun/2020:10:05:00 +0000] "GET /b{i}.pdf HTTP/1.1" 200 {2000 + i} "-" "curl/7"\n')
    return logs


def _lines(output: str, start: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(start)]


def test_byte_counts_of_many_one_file_streams_are_capped(tmp_path: Path) -> None:
    case = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["ingest", str(_sites(tmp_path)), "--case", str(case)])
    assert result.exit_code == 0, result.output
    warned = _lines(result.output, "warning: byte counts of ")
    assert len(warned) == STATED_SHOWN + 1  # was one per stream: 13 (and 13 findings more below)
    server = tmp_path.name  # the folder above a folder named `logs` (exposure/streams.py)
    assert warned[0].startswith(f"warning: byte counts of server {server}/site00.log: assumed body: the data did "
                                "not decide")
    assert warned[-1] == ("warning: byte counts of 3 more log streams: assumed body as well: the data did not decide "
                          "(each one's finding `assumed bytes` says why); give --bytes body|headers to state it")
    stated = _lines(result.output, "stated: assumed bytes: ")
    assert len(stated) == STATED_SHOWN + 1
    assert stated[0].startswith(f"stated: assumed bytes: stream {server}/site00.log: byte counts of server {server}: ")
    assert stated[-1] == ("stated: assumed bytes: 3 more findings of this kind (each one in the JSON answer, the "
                          "report and `exposure sql findings`)")
    with Case(case, read_only=True) as c:  # every one is kept and listed where it is read in full
        kept = [f.stream for f in c.findings() if f.kind == "assumed bytes"]
        assert kept == [f"{server}/site{i:02d}.log" for i in range(STREAMS)]
        assert c.sql("SELECT count(*) FROM evidence WHERE bytes_basis = 'assumed'").iloc[0, 0] == STREAMS


def test_quiet_keeps_the_capped_warning_and_drops_the_stated_lines(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(_sites(tmp_path)), "--case", str(tmp_path / "c.duckdb"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert len(_lines(result.output, "warning: byte counts of ")) == STATED_SHOWN + 1
    assert not _lines(result.output, "stated: ")


def test_every_incomplete_finding_is_listed_and_stated_ones_are_capped_per_kind() -> None:
    damaged = [said(INCOMPLETE, "damaged", f"/logs/{i}.log.gz", "a bad gzip member") for i in range(STATED_SHOWN + 2)]
    rejected = [said(STATED, "rejected lines", f"/logs/{i}.log", "1 of its 20 lines rejected")
                for i in range(STATED_SHOWN + 5)]
    dup = [said(STATED, "duplicate", "/logs/copy.log", "the same content as /logs/0.log")]
    lines = finding_list([*damaged[:1], *rejected, *dup, *damaged[1:]])
    unknown = "the time it leaves uncovered is unknown"
    assert lines[0] == f"incomplete: damaged: /logs/0.log.gz: a bad gzip member; {unknown}"
    assert lines[1:STATED_SHOWN + 1] == [f"stated: rejected lines: /logs/{i}.log: 1 of its 20 lines rejected"
                                         for i in range(STATED_SHOWN)]
    assert lines[STATED_SHOWN + 1] == ("stated: rejected lines: 5 more findings of this kind (each one in the JSON "
                                       "answer, the report and `exposure sql findings`)")
    assert lines[STATED_SHOWN + 2] == "stated: duplicate: /logs/copy.log: the same content as /logs/0.log"
    assert lines[STATED_SHOWN + 3:] == [f"incomplete: damaged: /logs/{i}.log.gz: a bad gzip member; {unknown}"
                                        for i in range(1, STATED_SHOWN + 2)]  # all of them, whatever the number
    assert finding_list([*damaged, *rejected], quiet=True) == [f.line() for f in damaged]


def test_file_lines_of_many_files_are_capped_per_verdict_and_every_incomplete_one_is_listed(tmp_path: Path) -> None:
    """A thousand small files with a rejected line each would be a thousand `ingested: ...` lines: 10 of a verdict
    and a count; a file whose evidence is incomplete (every line rejected) is listed whatever the number."""
    logs = _sites(tmp_path)
    for i in range(STREAMS):
        with (logs / f"site{i:02d}.log").open("a") as fh:
            fh.write("this is no request\n")
    for i in range(2):  # no request at all: incomplete (`all lines rejected`)
        (logs / f"zz{i}.log").write_text("".join(f"a rejected line {i}.{n}\n" for n in range(5))
                                         + '198.51.100.9 - - [10/Jun/2020:10:00:00 +0000] "GET"\n')
    result = runner.invoke(app, ["ingest", str(logs), "--case", str(tmp_path / "c.duckdb"), "--format", "combined"])
    assert result.exit_code == 3, result.output
    said = _lines(result.output, "ingested: ")
    assert said[:STATED_SHOWN] == [f"ingested: {logs / f'site{i:02d}.log'} [combined] lines=3 requests=2 rejected=1 "
                                   "skipped=0" for i in range(STATED_SHOWN)]
    assert said[STATED_SHOWN] == ("ingested: 3 more files (each one in the case's evidence registry, the table "
                                  "`evidence`)")
    assert said[STATED_SHOWN + 1:] == [f"ingested: {logs / f'zz{i}.log'} [combined] lines=6 requests=0 rejected=6 "
                                       "skipped=0" for i in range(2)]
    assert f"{STREAMS + 2} files: {STREAMS + 2} ingested" in result.output


def test_what_reading_found_is_capped_per_kind_unless_the_file_is_incomplete(tmp_path: Path) -> None:
    """Each of 13 copies of a live log ends in a line cut inside its user agent and repeats the lines of the one
    before it: 13 `cut off` and 12 `overlap` warnings were 25 lines; now 10 of each and a count. A file whose
    evidence is incomplete (every line rejected) is said in full, however many there are."""
    logs = tmp_path / "logs"
    logs.mkdir()
    line = '198.51.100.7 - - [10/Jun/2020:10:00:{s:02d} +0000] "GET /a.pdf HTTP/1.1" 200 1000 "-" "curl/7.68"\n'
    for i in range(STREAMS):
        (logs / f"copy{i:02d}.log").write_text("".join(line.format(s=s) for s in range(i + 2))[:-4])
    for i in range(STATED_SHOWN + 2):
        (logs / f"junk{i:02d}.log").write_text(f"10.0.0.{i} - - [10/Jun/2020:10:00:00 +0000] \"GET /\" 999 x\n" * 3)
    result = runner.invoke(app, ["ingest", str(logs), "--case", str(tmp_path / "c.duckdb"), "--format", "combined"])
    cut = _lines(result.output, f"warning: {logs}/copy")
    assert [w for w in cut if "has no newline" in w][0].startswith(
        f"warning: {logs}/copy00.log: last line (2) has no newline: cut off mid-line (a copy of a live log?): the cut falls in its "
        "user agent")
    assert len([w for w in cut if "has no newline" in w]) == STATED_SHOWN
    assert len([w for w in cut if "repeat lines" in w or "repeats line" in w]) == STATED_SHOWN
    assert ("warning: cut off: 3 more warnings of this kind (each one its file's finding: the JSON answer, the "
            "report and `exposure sql findings`)") in result.output.splitlines()
    [overlaps] = _lines(result.output, "warning: overlap: ")
    assert overlaps.endswith(" more warnings of this kind (each one its file's finding: the JSON answer, the report "
                             "and `exposure sql findings`)")
    junk = [w for w in _lines(result.output, f"warning: {logs}/junk") if "lines rejected" in w]
    assert len(junk) == STATED_SHOWN + 2
