"""Small files of one format are parsed together wherever they lie in the input (issue 19, item 1): a delivery
whose name order alternates formats (`access.log`, `error.log`, `vhosts.log` of each day; S3 and CloudFront
objects interleaved by date) was read file by file, ~0.27 s each (only consecutive files of one format were
batched). Now each format's small files take one pass, and every file keeps the evidence id, verdict, counts,
rows and registry row it gets when the files are stored one by one in input order, what is said of each said in
input order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import exposure.ingest as ingest
from exposure import Case
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

from .test_batch import _snapshot

TARGET = "/docs/leak.xlsx"


def _combined(day: int, n: int, first: int = 0) -> list[str]:
    return [clf(f"198.51.{day}.{first + i}", t(10, day, i % 60, i // 60), TARGET if i % 3 == 0 else "/index.html", size=50000)
            for i in range(n)]


def _common(day: int, n: int) -> list[str]:
    return [f'203.0.{day}.{i} - - [10/Jun/2020:{day:02d}:{i:02d}:30 +0000] "GET {TARGET} HTTP/1.1" 200 50000'
            for i in range(n)]


def _json(day: int, n: int) -> list[str]:
    return [json.dumps({"time": f"2020-06-10T{day:02d}:{i:02d}:45+00:00", "remote_addr": f"192.0.{day}.{i}",
                        "request": f"GET {TARGET} HTTP/1.1", "status": 200, "body_bytes_sent": 50000,
                        "http_referer": "", "http_user_agent": f"UA{i}"}) for i in range(n)]


def _error(day: int) -> list[str]:
    return [f"[Wed Jun 10 {day:02d}:00:00.000000 2020] [core:error] [pid 1{day}] AH00126: Invalid URI in request"]


def _alternating(root: Path, days: int = 4) -> Path:
    """Per day a combined log, an error log (not an access log), a JSON log and a common log: in name order the
    formats alternate."""
    logs = root / "delivery"
    for day in range(days):
        write_log(logs / f"2020-06-{day:02d}-access.log", _combined(day, 6))
        write_log(logs / f"2020-06-{day:02d}-error.log", _error(day))
        write_log(logs / f"2020-06-{day:02d}-json.log", _json(day, 5))
        write_log(logs / f"2020-06-{day:02d}-vhosts.log", _common(day, 4))
    return logs


def _awkward(root: Path) -> tuple[Path, Path]:
    """An alternating delivery with what makes a file's verdict depend on the files before it: the same content
    twice across the input (one copy batched, one read alone: too big), a copy whose name is cited before the
    earlier file's, a file read alone in its place (lines ending in a lone CR), a line rejected; and a file to
    ingest first (already in the case when the folder comes)."""
    logs = _alternating(root, days=5)
    big = _combined(7, 120)
    write_log(logs / "2020-06-01-big.log", big)  # past SMALL_FILE below: read alone
    write_log(logs / "2020-06-04-big.log.gz", big, compress="gzip")  # its content, small: batched
    huge = _combined(8, 120)  # the other way round: the batched copy first, the file read alone after it
    write_log(logs / "2020-06-00-huge.log.gz", huge, compress="gzip")
    write_log(logs / "2020-06-03-huge.log", huge)
    (logs / "2020-06-03-vhosts.log").write_bytes((logs / "2020-06-01-vhosts.log").read_bytes())  # a duplicate
    # a copy's name, earlier in the input than the file it copies: cited after it
    (logs / "2020-06-00-json - copy.log").write_bytes((logs / "2020-06-02-json.log").read_bytes())
    write_log(logs / "2020-06-02-access.log", _combined(2, 5), newline=b"\r")  # read alone, in its place
    write_log(logs / "2020-06-03-access.log", [*_combined(3, 4), "not a request at all"])
    return logs, logs / "2020-06-01-json.log"


def _run(tmp_path: Path, name: str, logs: Path, first: Path) -> tuple[dict, list, list, list, list]:
    """Ingest `first`, then the folder: the case's tables, the outcomes (as the API gives them), the files said
    to on_file and the progress calls, in the order they came, and the downloads of the target."""
    said: list[str] = []
    progress: list[str] = []
    with Case(tmp_path / f"{name}.duckdb") as case:
        case.ingest([first])
        result = case.ingest([logs], on_file=lambda o: said.append(o.path),
                             on_progress=lambda path, *_: progress.append(path))
        outcomes = [(o.path, o.verdict, o.evidence_id, o.duplicate_of, o.format, o.lines, o.requests, o.rejected,
                     o.skipped, o.warnings, o.replaces, o.reread) for o in result.files]
        downloads = case.downloads(TARGET).to_dict("records")
        assert case.seal_check(rows=True).holds
        return _snapshot(case), outcomes, said, progress, downloads


def _batches(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The passes over small files: each the names of the files parsed in it."""
    passes: list[list[str]] = []
    real = ingest._ingest_batch

    def counted(con, fmt, options, ready, on_stored=None):  # noqa: ANN001, ANN202
        passes.append([Path(r.ev.path).name for r in ready])
        return real(con, fmt, options, ready, on_stored)

    monkeypatch.setattr(ingest, "_ingest_batch", counted)
    return passes


def test_an_alternating_delivery_takes_one_pass_per_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = _alternating(tmp_path)
    passes = _batches(monkeypatch)
    with Case(tmp_path / "c.duckdb") as case:
        result = case.ingest([logs])
    assert sorted(passes) == sorted([[f"2020-06-{d:02d}-{kind}.log" for d in range(4)]
                                     for kind in ("access", "json", "vhosts")])
    assert [(Path(o.path).name, o.verdict, o.evidence_id) for o in result.files] == [
        (p.name, "not a log" if "error" in p.name else "ingested", i + 1) for i, p in enumerate(sorted(logs.iterdir()))]
    assert {o.format for o in result.files} == {"combined", "json", "common", None}


def test_an_alternating_delivery_gives_what_one_by_one_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs, first = _awkward(tmp_path)
    passes = _batches(monkeypatch)
    monkeypatch.setattr(ingest, "SMALL_FILE", 4096)
    together = _run(tmp_path, "together", logs, first)
    assert max(len(p) for p in passes) >= 3 and passes
    monkeypatch.setattr(ingest, "SMALL_FILE", 0)  # every file alone, in input order
    passes.clear()
    alone = _run(tmp_path, "alone", logs, first)
    assert passes == []
    (tables, outcomes, said, progress, downloads), (tables_alone, outcomes_alone, *_, downloads_alone) = together, alone
    for table, rows in tables.items():
        assert rows == tables_alone[table], table
    assert outcomes == outcomes_alone
    assert downloads == downloads_alone and len(downloads) > 20
    verdicts = {Path(o[0]).name: o[1] for o in outcomes}
    assert verdicts["2020-06-04-big.log.gz"] == "duplicate" and verdicts["2020-06-03-vhosts.log"] == "duplicate"
    assert verdicts["2020-06-03-huge.log"] == "duplicate" and verdicts["2020-06-00-huge.log.gz"] == "ingested"
    assert verdicts["2020-06-00-json - copy.log"] == "duplicate" and verdicts["2020-06-01-json.log"] == "already in case"
    # said in input order: every file to on_file, its progress before it
    order = [o[0] for o in outcomes]
    assert said == order == sorted(order, key=lambda p: Path(p).name)
    places = [order.index(p) for p in progress]
    assert places == sorted(places) and all(said.index(p) >= 0 for p in progress)


def test_the_terminal_says_an_alternating_delivery_as_one_by_one(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    logs, first = _awkward(tmp_path)
    outs = []
    for name, small in (("together", 4096), ("alone", 0)):
        monkeypatch.setattr(ingest, "SMALL_FILE", small)
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        runner = CliRunner()
        runner.invoke(app, ["ingest", "--case", "case.duckdb", str(first)], terminal_width=400)
        got = runner.invoke(app, ["ingest", "--case", "case.duckdb", str(logs)], terminal_width=400)
        outs.append((got.exit_code, got.output))
    assert outs[0] == outs[1]
    # the per-file lines, each verdict's in input order
    lines = [line.split(": ", 1) for line in outs[0][1].splitlines()
             if line.startswith(("not a log: ", "duplicate of evidence", "ingested: "))]
    assert len(lines) == 11
    for verdict in {v for v, _ in lines}:
        paths = [Path(rest.split(" [")[0]).name for v, rest in lines if v == verdict]
        assert paths == sorted(paths), verdict


def test_a_copy_in_another_formats_batch_is_stored_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same content read as two formats (forced apart here: detection reads a sample of the content) is
    stored in input order: the earlier file, held in a batch written after the later file's, is the original,
    the later one its duplicate, as one by one."""
    logs = _alternating(tmp_path, days=3)
    gz = logs / "2020-06-01-vhosts.log.gz"  # before 2020-06-02-access.log, whose content it holds
    gz.write_bytes(gzip.compress((logs / "2020-06-02-access.log").read_bytes(), mtime=0))
    real = ingest._choose_formats

    def apart(con, files, options):  # noqa: ANN001, ANN202
        plans = real(con, files, options)
        for i, ev in enumerate(files):
            if ev.abs_path == str(gz):
                plans[i] = ingest._Plan(ingest.get_format("common", options.format_settings))
        return plans

    monkeypatch.setattr(ingest, "_choose_formats", apart)
    got = []
    for name, small in (("together", ingest.SMALL_FILE), ("alone", 0)):
        monkeypatch.setattr(ingest, "SMALL_FILE", small)
        with Case(tmp_path / f"{name}.duckdb") as case:
            result = case.ingest([logs])
            got.append(([(Path(o.path).name, o.verdict, o.evidence_id, o.duplicate_of, o.replaces, o.requests)
                         for o in result.files], _snapshot(case)["evidence"]))
    assert got[0] == got[1]
    out = {name: (verdict, evid, of) for name, verdict, evid, of, *_ in got[0][0]}
    assert out["2020-06-02-access.log"] == ("duplicate", out["2020-06-02-access.log"][1], out[gz.name][1])


def test_a_killed_alternating_ingest_is_read_again_by_format_under_its_ids(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed before its first seal link: given again, every never-sealed file is read again under its old id,
    the small files still one pass per format, and the case is what a clean ingest makes."""
    from .test_killed_ingest import _killed, _rows

    logs = _alternating(tmp_path)
    with Case(tmp_path / "clean.duckdb") as case:
        case.ingest([logs])
    _killed(tmp_path / "k.duckdb", logs)
    passes = _batches(monkeypatch)
    with Case(tmp_path / "k.duckdb") as case:
        result = case.ingest([logs])
        assert case.seal_check(rows=True).holds
    assert sorted(len(p) for p in passes) == [4, 4, 4]
    assert [(Path(o.path).name, o.evidence_id, o.reread) for o in result.files] == [
        (p.name, i + 1, [i + 1]) for i, p in enumerate(sorted(logs.iterdir()))]
    assert _rows(tmp_path / "k.duckdb") == _rows(tmp_path / "clean.duckdb")


def test_stopped_between_batches_every_file_stored_is_said_and_sealed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the second format's batch is written: the files stored before it (the first batch, the error
    logs registered in their places) are said and sealed though files before them in the input never will be;
    the next ingest stores the rest."""
    logs = _alternating(tmp_path)
    real = ingest._ingest_batch
    calls: list[int] = []

    def stopped(con, fmt, options, ready, on_stored=None):  # noqa: ANN001, ANN202
        calls.append(len(ready))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(con, fmt, options, ready, on_stored)

    monkeypatch.setattr(ingest, "_ingest_batch", stopped)
    said: list[str] = []
    with Case(tmp_path / "c.duckdb") as case:
        with pytest.raises(KeyboardInterrupt):
            case.ingest([logs], on_file=lambda o: said.append(Path(o.path).name))
        stored = case.file.fetchall("SELECT path FROM evidence ORDER BY evidence_id")
    verified = CliRunner().invoke(app, ["verify", "--case", str(tmp_path / "c.duckdb")], terminal_width=400)
    assert verified.exit_code == 0, verified.output  # nothing stored and left unsealed
    assert [Path(p).name for (p,) in stored] == said
    assert sorted(said) == said and len(said) == 8  # the first batch's 4 files and the 4 error logs
    monkeypatch.setattr(ingest, "_ingest_batch", real)
    with Case(tmp_path / "c.duckdb") as case:
        again = case.ingest([logs])
        assert case.seal_check(rows=True).holds
    assert sorted((Path(o.path).name, o.verdict) for o in again.files) == sorted(
        (p.name, "already in case" if p.name in said else "ingested") for p in logs.iterdir())


KILLED_AT_FIRST_BATCH = """
import os, signal, sys
import exposure.ingest as ingest, exposure.seal as seal
seal.SEAL_EVERY = 0  # a link as soon as a file is stored: what a long ingest does every two seconds
ingest._ingest_batch = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # killed as the first batch is written
from exposure.cli import main
sys.argv = ["exposure", "ingest", "--case", sys.argv[1], sys.argv[2], "-q"]
main()
"""


def test_a_file_stored_while_small_files_are_held_is_sealed_at_once(tmp_path: Path) -> None:
    """Files stored in their place (error logs: not a log) while the access logs before them wait for their
    format's batch are sealed as they are stored, not once every input before them is said: SIGKILLed as the
    batch is written, the case's seal holds (review of mixedbatch: 300 `registry row not sealed`)."""
    import subprocess
    import sys

    logs = tmp_path / "logs"
    for day in range(1, 11):
        write_log(logs / f"n{day:03d}-access.log", _combined(day, 3))
        (logs / f"n{day:03d}-error.log").write_text(
            f"[Wed Jun 10 10:00:{day:02d}.000000 2020] [core:error] [pid 1] AH00037: error {day}\n")
    case = tmp_path / "case.duckdb"
    proc = subprocess.run([sys.executable, "-c", KILLED_AT_FIRST_BATCH, str(case), str(logs)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr
    import duckdb

    with duckdb.connect(str(case), read_only=True) as con:  # stored, then killed
        assert con.execute("SELECT count(*) FROM evidence WHERE verdict = 'not a log'").fetchone()[0] == 10
    said = CliRunner().invoke(app, ["verify", "--case", str(case)])
    assert said.exit_code == 0 and "the case's seal holds" in said.output, said.output
