"""The CRC-32 proof (exposure/corruption.py) at a gzip member's edges: a newline the damage made as a member's last
byte makes a line of the next member's first bytes, rejected wherever the member boundary falls."""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.servers import GEO_OFF
from tests.test_crc_proof import SIZE, TARGET, _accounted, _analyse, _downloads, _line, _logs, _rejects, _text


def _joined_log(joined: int = 12) -> bytes:
    """20 lines: ten addresses, the odd ones downloading the target; line `joined` (an even one) holds two records
    joined by '*' (one request, a page of 203.0.113.*), the second a download by 198.51.100.66."""
    lines = []
    for i in range(1, 11):
        lines.append(_line(f"198.51.100.{i}", f"10:{i:02d}:00", TARGET if i % 2 else "/index.html", SIZE, f"UA{i}"))
        lines.append(_line(f"203.0.113.{i}", f"10:{i:02d}:30", "/index.html", 300, f"UA{i}"))
    lines[joined - 1] = lines[joined - 1][:-1] + '"*' + _line("198.51.100.66", "10:06:40", TARGET, SIZE, "X")
    return _text(lines)


def _members(path: Path, intact: bytes, damaged: bytes, bounds: list[int], bad: int) -> None:
    """A .gz of one member per range of `bounds`; member `bad` (1-based) compresses `damaged`'s bytes and records
    `intact`'s CRC-32 and size (a bit flipped in transit), the others are whole."""
    out = b""
    for m, (lo, hi) in enumerate(pairwise(bounds), 1):
        member = bytearray(gzip.compress((damaged if m == bad else intact)[lo:hi], mtime=0))
        member[-8:] = struct.pack("<II", zlib.crc32(intact[lo:hi]), hi - lo)
        out += member
    path.write_bytes(out)


# the joined line of the intact access.log holds two records, the second begun right after the first: since red
# team 17 a glued line (exposure/formats/base.py GLUED_REASON), rejected with neither request counted, said
GLUED = "holds the start of another log line (two lines written without a newline between them"
INTACT_DOWNLOADS = [(f"198.51.100.{i}", [("access.log", 2 * i - 1, None)]) for i in range(1, 10, 2)]


@pytest.mark.parametrize("after_star", [
    pytest.param(1, id="the-newline-is-the-members-last-byte"),
    pytest.param(20, id="the-member-ends-in-the-line-it-made"),
    pytest.param(None, id="the-member-ends-after-the-line-it-made"),
])
def test_a_line_an_altered_newline_made_is_rejected_wherever_the_member_ends(tmp_path: Path,
                                                                              after_star: int | None) -> None:
    """access.log intact; access.log.gz its copy in four members (lines 1-5, 6 to the cut, the cut to line 17, the
    rest), member 2 compressed from bytes whose '*' in line 12 became a newline, its trailer the intact CRC-32 and
    size. Line 12 is altered and line 13 (198.51.100.66's download) a line the damage made: both rejected, the five
    downloads are access.log's. Before, with the newline member 2's last byte: line 13 lies in member 3 and was
    counted (a sixth download, .66, cited from the damaged file; 21 lines = 20 requests + 1 rejected)."""
    intact = _joined_log()
    star = intact.index(b'"*198.51.100.66') + 1
    damaged = intact[:star] + b"\n" + intact[star + 1:]
    starts = [0] + [i + 1 for i, byte in enumerate(intact) if byte == 10]
    cut = starts[13] if after_star is None else star + after_star
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, damaged, [0, starts[5], cut, starts[17], len(intact)], bad=2)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_DOWNLOADS
    rejected = [(Path(p).name, n, reason.split(": ")[0], raw[:13]) for p, n, reason, raw in _rejects(case)]
    assert rejected == [("access.log", 12, GLUED, "203.0.113.6 -"),
                        ("access.log.gz", 12, "corrupted", "203.0.113.6 -"),
                        ("access.log.gz", 13, "corrupted", "198.51.100.66")]
    rows = {Path(e["path"]).name: (e["lines"], e["requests"], e["rejected"], e["skipped"]) for e in answer["evidence"]}
    assert rows == {"access.log": (20, 19, 1, 0), "access.log.gz": (21, 19, 2, 0)}
    _accounted(answer)


def _zcat_pair(tmp_path: Path, original: bool) -> tuple[bytes, Path, Path]:
    """access.log.gz fails its CRC-32 (198.51.100.3 -> .9 in line 5) and access.log beside it is its `zcat` output (the
    altered bytes, the same content hash), with `original` the intact log too (access.log.1): the log, the folder
    holding the .gz and the one holding the plain copy (and the original), for ingests in either order."""
    from tests.test_crc_proof import _damaged_gzip, _log

    intact = _text(_log())
    altered = intact.replace(b"198.51.100.3 ", b"198.51.100.9 ")
    gz, plain = tmp_path / "gz", tmp_path / "plain"
    gz.mkdir()
    plain.mkdir()
    _damaged_gzip(gz / "access.log.gz", intact, altered)
    (plain / "access.log").write_bytes(gzip.decompress(gzip.compress(altered)))
    if original:
        (plain / "access.log.1").write_bytes(intact)
    return intact, gz, plain


@pytest.mark.parametrize("original", [False, True], ids=["no-original", "intact-original"])
@pytest.mark.parametrize("order", ["plain-first", "gz-first", "one-command"])
def test_a_zcat_copy_of_a_damaged_gz_keeps_the_damage_said(tmp_path: Path, order: str, original: bool) -> None:
    """access.log (zcat's output of the damaged access.log.gz) and the .gz hold the same content: one is the other's
    duplicate. The CRC-32 failure found reading the .gz is about that content, whichever file is ingested first:
    `damaged` said (exit code 3, in the terminal and the answer), the .9 download marked as from a damaged file,
    and with the intact access.log.1 beside them the proof applies (line 5 rejected, the five downloads the intact
    log's). Before: the plain copy was cited and the .gz its duplicate; the damage never said (exit 0), .9 counted
    unmarked (with the original too: six downloads, the intact log listed as the plain copy's copy)."""
    from tests.test_crc_proof import _damaged_detail

    _, gz, plain = _zcat_pair(tmp_path, original)
    case = tmp_path / "case.duckdb"
    folders = {"plain-first": [[plain], [gz]], "gz-first": [[gz], [plain]], "one-command": [[plain, gz]]}[order]
    said = []
    for group in folders:
        shown = CliRunner().invoke(app, ["ingest", "--case", str(case), *map(str, group)], terminal_width=300)
        said.append((shown.exit_code, " ".join(shown.output.split())))
    assert said[-1][0] == 3, said
    out = tmp_path / "answer.json"
    shown = CliRunner().invoke(app, ["analyse", "--case", str(case), "--target", TARGET, "--json", str(out),
                                     *GEO_OFF], terminal_width=300)
    assert shown.exit_code == 3, shown.output
    answer = json.loads(out.read_text())
    assert "fails its CRC-32 check" in _damaged_detail(answer)
    assert "damaged 1" in " ".join(shown.output.split())
    verdicts = {Path(e["path"]).name: e["verdict"] for e in answer["evidence"]}
    assert verdicts["access.log.gz"] == "ingested" and verdicts["access.log"] == "duplicate"
    [duplicate] = [f["detail"] for f in answer["evidence_status"]["findings"] if f["kind"] == "duplicate"]
    # which file copies which the content cannot tell: said as a possibility, both ways (review F4: 'the same
    # bytes, their damage this file's too' was untrue of an intact original beside a .gz whose check alone failed)
    assert duplicate.endswith("(cited as the copy whose reading found the content damaged: the damage may be this "
                              "file's too (a copy of the same bytes, e.g. zcat's output of it), or this file is the "
                              f"intact original and only the check of {gz / 'access.log.gz'} is damaged)")
    downloads = dict(_downloads(answer))
    if original:
        assert downloads == {f"198.51.100.{i}": [("access.log.1", 2 * i - 1, None)] for i in range(1, 6)}
        assert [(Path(p).name, n, r.split(":")[0]) for p, n, r, _ in _rejects(case)] == [
            ("access.log.gz", 5, "corrupted")]
        assert "gzip member 1 is proven a corrupted copy of" in _damaged_detail(answer)
    else:
        assert downloads["198.51.100.9"] == [("access.log.gz", 5, "damaged")]
        assert sorted(downloads) == sorted(f"198.51.100.{i}" for i in (1, 2, 4, 5, 9))
    _accounted(answer)


@pytest.mark.parametrize("second", ["both-files", "the-intact-copy-alone"])
def test_ingest_says_the_counts_its_proof_changed_of_a_file_already_in_the_case(tmp_path: Path, second: str) -> None:
    """access.log.gz (198.51.100.3 -> .9, its CRC-32 failing) ingested by one command; the intact access.log by a
    second one, given with the .gz again or alone. The second proves the member a corrupted copy and rejects the .gz's
    line 5: the .gz's registry counts change (10 requests -> 9, 0 rejected -> 1), and the second command says them,
    with the file (before: the .gz listed 'already in case' with zeros in the API's result, or not at all, and
    nothing said of its new counts)."""
    from exposure import Case
    from tests.test_crc_proof import _damaged_gzip, _log

    intact = _text(_log())
    logs, alone = _logs(tmp_path), tmp_path / "alone"
    alone.mkdir()
    _damaged_gzip(logs / "access.log.gz", intact, intact.replace(b"198.51.100.3 ", b"198.51.100.9 "))
    case = tmp_path / "case.duckdb"
    first = CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs)], terminal_width=300)
    assert first.exit_code == 3, first.output
    given = logs if second == "both-files" else alone
    (given / "access.log").write_bytes(intact)
    with Case(case) as opened:
        result = opened.ingest([given])
        held = opened.con.execute("SELECT requests, rejected FROM evidence WHERE path LIKE '%.gz'").fetchone()
    assert held == (9, 1)
    assert [(Path(f.path).name, f.lines, f.requests, f.rejected, f.skipped) for f in result.recounted] == [
        ("access.log.gz", 10, 9, 1, 0)]
    if second == "both-files":
        [kept] = [f for f in result.files if f.verdict == "already in case"]
        assert (Path(kept.path).name, kept.lines, kept.requests, kept.rejected) == ("access.log.gz", 10, 9, 1)

    again = tmp_path / "again.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--case", str(again), str(logs / "access.log.gz")]).exit_code == 3
    shown = CliRunner().invoke(app, ["ingest", "--case", str(again), str(given)], terminal_width=300)
    said = " ".join(shown.output.split())
    assert (f"recounted by this command: {logs / 'access.log.gz'} [combined] lines=10 requests=9 rejected=1 "
            "skipped=0 (damaged)") in said, said
    assert ("1 file already in the case recounted by this command (lines=10 requests=9 rejected=1 skipped=0: the "
            "registry's counts now)") in said, said


@pytest.mark.parametrize("after_star", [
    pytest.param(1, id="the-newline-is-the-members-last-byte"),
    pytest.param(20, id="the-member-ends-in-the-line-it-made"),
])
@pytest.mark.parametrize("begins_in", [11, 12])
def test_a_member_in_which_no_unaltered_line_begins_is_proven_from_the_line_before_it(tmp_path: Path,
                                                                                     after_star: int,
                                                                                     begins_in: int) -> None:
    """Member 2 begins inside line 11 or 12 and ends at or after line 12's '*' that the damage made a newline: the
    only lines beginning in it are line 12 (altered) and the line the damage made, or that one alone, so the
    overlap rule pairs none of its lines with access.log's. The paired line before it (line 11) gives where its
    bytes lie in access.log: their CRC-32 and size are its trailer's, so it is proven, naming the intact lines it
    spans (counted from line 11); lines 12 and 13 rejected, the downloads access.log's (before: no candidate,
    nothing proven: .66's download counted from the damaged file, 6 downloads)."""
    intact = _joined_log()
    star = intact.index(b'"*198.51.100.66') + 1
    damaged = intact[:star] + b"\n" + intact[star + 1:]
    starts = [0] + [i + 1 for i, byte in enumerate(intact) if byte == 10]
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, damaged, [0, starts[begins_in - 1] + 30, star + after_star, starts[17],
                                                       len(intact)], bad=2)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_DOWNLOADS
    assert [(Path(p).name, n, reason.split(": ")[0]) for p, n, reason, _ in _rejects(case)] == [
        ("access.log", 12, GLUED), ("access.log.gz", 12, "corrupted"), ("access.log.gz", 13, "corrupted")]
    with duckdb.connect(str(case), read_only=True) as con:
        assert con.execute("SELECT member, kept_first_line_no, kept_last_line_no, differing_lines "
                           "FROM corrupted_members").fetchall() == [(2, begins_in, 12, "12, 13")]
    _accounted(answer)


@pytest.mark.parametrize("after_star", [
    pytest.param(1, id="the-newline-is-the-members-last-byte"),
    pytest.param(20, id="the-member-ends-in-the-line-it-made"),
])
def test_a_first_member_in_which_no_unaltered_line_begins_is_proven_from_the_line_after_it(tmp_path: Path,
                                                                                          after_star: int) -> None:
    """Line 2 holds the joined records; member 1 ends at or after its '*' made a newline: the only lines beginning
    in it are line 1, line 2 (altered) and the line the damage made, and line 1 is a run too short to pair. No
    paired line before it: the nearest after it gives where its bytes lie, the intact lines counted back from it
    (its intact lines 1-2); proven, lines 2 and 3 rejected and line 1 counted once, from access.log (before: no
    candidate, .66's download and line 1's counted from the damaged file)."""
    intact = _joined_log(joined=2)
    star = intact.index(b'"*198.51.100.66') + 1
    damaged = intact[:star] + b"\n" + intact[star + 1:]
    starts = [0] + [i + 1 for i, byte in enumerate(intact) if byte == 10]
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, damaged, [0, star + after_star, starts[6], len(intact)], bad=1)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_DOWNLOADS
    assert [(Path(p).name, n, reason.split(": ")[0]) for p, n, reason, _ in _rejects(case)] == [
        ("access.log", 2, GLUED), ("access.log.gz", 2, "corrupted"), ("access.log.gz", 3, "corrupted")]
    with duckdb.connect(str(case), read_only=True) as con:
        assert con.execute("SELECT member, kept_first_line_no, kept_last_line_no, differing_lines "
                           "FROM corrupted_members").fetchall() == [(1, 1, 2, "2, 3")]
    _accounted(answer)


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize("lang, said", [
    ("en", "counted once, cited from {gz} as the copy whose reading found the content damaged: the damage may be "
           "this file's too (a copy of the same bytes, e.g. zcat's output of it), or this file is the intact original "
           "and only the check of {gz} is damaged"),
    ("nl", "één keer geteld, geciteerd uit {gz} als de kopie waarvan het lezen de inhoud beschadigd vond: de schade "
           "kan ook die van dit bestand zijn (een kopie van dezelfde bytes, bijv. de uitvoer van zcat ervan), of dit "
           "bestand is het onbeschadigde origineel en alleen de controle van {gz} is beschadigd"),
])
def test_the_report_of_a_zcat_pair_says_either_may_be_the_original(tmp_path: Path, lang: str, said: str) -> None:
    """Review F4: between identical copies the damaged one is cited (the safer), and the report's duplicate
    finding says so as a possibility, both ways, in its language (before: only 'the same content as ...', the
    reason left out)."""
    import html as htmllib
    import re

    _, gz, plain = _zcat_pair(tmp_path, original=False)
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(plain), str(gz), "--target", TARGET, "--report", str(out), "-q",
                                     "--lang", lang, *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page.replace("<wbr>", ""))))
    assert said.format(gz=gz / "access.log.gz") in text


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_of_a_zcat_copy_and_its_damaged_gz_says_the_damage_on_page_one(tmp_path: Path) -> None:
    """The report's door for the zcat pair: page 1's status says the evidence is damaged and names the .gz; the plain
    copy is listed as repeating it; .9's download is marked as from a damaged file (before: the status complete,
    the .gz the plain copy's duplicate, nothing said of the damage)."""
    import html as htmllib
    import re

    _, gz, plain = _zcat_pair(tmp_path, original=False)
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(plain), str(gz), "--target", TARGET, "--report", str(out), "-q",
                                     *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page.replace("<wbr>", ""))))
    assert "INCOMPLETE: part of the evidence is damaged" in text
    assert f"INCOMPLETE · damaged : {gz / 'access.log.gz'} : 10 lines read from damaged content" in text
    assert f"{plain / 'access.log'} (repeats {gz / 'access.log.gz'} )" in text
    assert "from a damaged file (its bytes may be altered)" in text


def test_many_recounted_files_are_capped_and_totalled() -> None:
    """Fourteen files recounted by one command: ten said on a line each, the rest counted on one, the summary's total
    theirs all (never fourteen lines, never a total of the ten shown)."""
    from exposure.ingest import FileOutcome, IngestResult
    from exposure.terminal.ingest import recount_lines, summary_lines

    result = IngestResult(files=[FileOutcome("/logs/access.log", "already in case", None)], recounted=[
        FileOutcome(f"/logs/access.log.{i}.gz", "ingested", i, "combined", 10, 9, 1, 0, damage="damaged")
        for i in range(1, 15)])
    said = recount_lines(result)
    assert said[0] == "recounted by this command: /logs/access.log.1.gz [combined] lines=10 requests=9 rejected=1 " \
                      "skipped=0 (damaged)"
    assert said[10:] == ["recounted by this command: 4 more files (each one in the case's evidence registry, the "
                         "table `evidence`)"]
    assert summary_lines(result) == ["1 file already in case", "14 files already in the case recounted by this "
                                     "command (lines=140 requests=126 rejected=14 skipped=0: the registry's counts "
                                     "now)"]


def test_a_line_of_an_intact_member_cut_from_its_run_by_the_altered_one_is_counted_once(tmp_path: Path) -> None:
    """Member 2 is 14 bytes of line 2, the first altered ('"' -> 'X'); member 1 is line 1 (198.51.100.1's download)
    and line 2's start, intact. The altered line 2 leaves line 1 a run of one, which the overlap rule does not pair;
    member 2 proven, line 1 is the intact line 1 in its place (the proof's shift), so it is its copy: 5 downloads,
    .1's once (before: twice, once from access.log and once from the damaged file)."""
    intact = _joined_log()
    starts = [0] + [i + 1 for i, byte in enumerate(intact) if byte == 10]
    at = starts[1] + 2
    damaged = intact[:at] + b"X" + intact[at + 1:]
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, damaged, [0, at, at + 14, len(intact)], bad=2)
    case = tmp_path / "case.duckdb"
    code, output, answer = _analyse(tmp_path, case)
    assert code == 3, output
    assert _downloads(answer) == INTACT_DOWNLOADS
    assert [(Path(p).name, n) for p, n, _, _ in _rejects(case)] == [("access.log", 12), ("access.log.gz", 2),
                                                                  ("access.log.gz", 12)]  # the joined line, glued
    _accounted(answer)


@pytest.mark.parametrize("seed", [2, 25, 33, 36, 45, 52])
def test_random_member_layouts_leave_no_line_of_the_damaged_copy_counted_twice(tmp_path: Path, seed: int) -> None:
    """The joined log cut into 3-12 gzip members at random bytes, one byte of one member flipped (to a newline or
    'X', near its end, at its start or anywhere), its trailer the intact CRC-32 and size: the member is proven, every
    line is accounted for, and each request line of the .gz is a rejected line or a copy of access.log's (none
    counted from the damaged file). The seeds are the layouts a 200-seed sweep found wrong before the proof's byte
    shift listed a run's cut-off lines as copies (a line of an intact member counted twice)."""
    import random

    from exposure import Case

    rng = random.Random(seed)
    intact = _joined_log()
    cuts = sorted(rng.sample(range(1, len(intact)), rng.randint(3, 12)))
    bounds = [0, *cuts, len(intact)]
    bad = rng.randrange(1, len(bounds))
    lo, hi = bounds[bad - 1], bounds[bad]
    at = max(lo, min(rng.choice([hi - 1, hi - 2, lo, rng.randrange(lo, hi)]), hi - 1))
    new = rng.choice([b"\n", b"X"]) if intact[at] != 10 else b"X"
    logs = _logs(tmp_path)
    (logs / "access.log").write_bytes(intact)
    _members(logs / "access.log.gz", intact, intact[:at] + new + intact[at + 1:], bounds, bad=bad)
    with Case(tmp_path / "case.duckdb") as opened:
        opened.ingest([logs])
        assert opened.con.execute("SELECT count(*) FROM corrupted_members").fetchone()[0] == 1
        assert opened.con.execute("SELECT bool_and(lines = requests + rejected + skipped) FROM evidence").fetchone()[0]
        assert opened.con.execute(
            "SELECT list(line_no) FROM requests r JOIN evidence e USING (evidence_id) WHERE e.path LIKE '%.gz' "
            "AND NOT EXISTS (SELECT 1 FROM overlap_lines o WHERE o.evidence_id = r.evidence_id "
            "AND o.line_no = r.line_no)").fetchone()[0] is None
