"""Damaged and partial copies against the oracle: the scenarios of tests/oracle_scenarios.py, damaged the way real
copies are (tests/oracle_damage.py), read by the CLI (`analyse --case --json`), then per seed x layout x damage:

1. accounting: every file's lines = requests + rejected + skipped, each line number once, and the raw lines read
   back by file and line are the bytes the file holds;
2. the damage is said: the finding's kind for the file in `Case.findings()`, the JSON answer and the terminal,
   with where (a line, a byte offset); exit code 3 where the evidence could not be read in full, else 0; no
   incomplete finding that the damage does not explain; lost lines inside the uncovered time said;
3. the numbers: the written rule (tests/oracle_rule.py) over the requests that survive the damage equals the
   tool's windows, downloads and per-address rows.

`make test-all` (and CI) runs one seed, each damage in one layout (rotating with the seed); by hand, e.g.
`ORACLE_SEEDS=0-100 ORACLE_LAYOUTS=all .venv/bin/python -m pytest -q -n 2 tests/test_oracle_damage.py`
(`ORACLE_LAYOUTS=all` or a comma list of layout names; `ORACLE_DAMAGES` a comma list of damage names).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exposure import Case
from exposure.cli import app
from exposure.evidence import EvidenceFile, raw_lines

from .oracle_damage import BOM, DAMAGES, Damaged, damage, lost_times, survivors
from .oracle_rule import expected
from .oracle_scenarios import FORMATS, INTERNAL, TARGET, generate
from .test_oracle import ENV, seeds, tool_answer

LAYOUTS = sorted(FORMATS)


def cases() -> list[tuple[int, str, str]]:
    """(seed, layout, damage): every damage once per seed, in a layout that rotates with the seed (make test-all),
    or every layout (ORACLE_LAYOUTS=all)."""
    chosen = os.environ.get("ORACLE_LAYOUTS", "")
    names = [n for n in os.environ.get("ORACLE_DAMAGES", ",".join(DAMAGES)).split(",") if n]
    out = []
    for seed in seeds():
        for k, name in enumerate(names):
            if chosen == "all":
                layouts = LAYOUTS
            elif chosen:
                layouts = chosen.split(",")
            else:
                layouts = [LAYOUTS[(seed * 5 + k * 7) % len(LAYOUTS)]]
            out += [(seed, layout, name) for layout in layouts]
    return out


def write(root: Path, d: Damaged) -> None:
    for rel, data in d.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel, t in d.mtimes.items():
        os.utime(root / rel, (t.timestamp(), t.timestamp()))
    for link, to in d.links.items():
        (root / link).symlink_to(to)


def numbered(content: bytes) -> list[bytes]:
    """A content's lines as a reader numbers them: split at newlines, a byte-order mark off the first."""
    if content.startswith(BOM):
        content = content[len(BOM):]
    pieces = content.split(b"\n")
    return pieces[:-1] if pieces and pieces[-1] == b"" else pieces


def run(root: Path, d: Damaged, layout: str, *extra: str) -> tuple[Any, dict[str, Any]]:
    fmt = FORMATS[layout]
    out = root / "answer.json"
    result = CliRunner().invoke(app, ["analyse", *(str(root / i) for i in d.inputs), "--target", TARGET,
                                      "--internal", INTERNAL, "--case", str(root / "case.duckdb"), "--json",
                                      str(out), *fmt.cli, *extra], env=ENV)
    assert result.exit_code in (0, 3), result.output
    return result, json.loads(out.read_text())


def check_accounting(case: Case, root: Path, d: Damaged) -> None:
    """Every line of every file read is a request, a rejected or a skipped line, once; read back by number, it is
    the line the file holds."""
    rows = case.sql("SELECT evidence_id, path, abs_path, size_bytes, mtime_utc, compression, server, lines, "
                    "requests, rejected, skipped FROM evidence WHERE verdict = 'ingested'").to_dict("records")
    assert rows
    for e in rows:
        assert e["lines"] == e["requests"] + e["rejected"] + e["skipped"], e
        numbers = case.sql(
            "SELECT line_no, byte_offset FROM requests WHERE evidence_id = $id UNION ALL "
            "SELECT line_no, byte_offset FROM rejects WHERE evidence_id = $id UNION ALL "
            "SELECT line_no, NULL FROM skipped WHERE evidence_id = $id", id=e["evidence_id"]).to_dict("records")
        got = sorted(int(r["line_no"]) for r in numbers)
        assert got == list(range(1, int(e["lines"]) + 1)), f"{e['path']}: line numbers are not 1..{e['lines']}"
        rel = Path(e["path"]).relative_to(root).as_posix()
        content = d.content.get(rel)
        if content is None:  # a link or a second name of a file: read where it points
            content = d.content.get(Path(e["abs_path"]).relative_to(root.resolve()).as_posix())
        if content is None:
            continue
        want = numbered(content)
        offsets = {int(r["line_no"]): (None if r["byte_offset"] != r["byte_offset"] or r["byte_offset"] is None
                                       else int(r["byte_offset"])) for r in numbers}
        ev = EvidenceFile(e["path"], e["abs_path"], int(e["size_bytes"]), e["mtime_utc"], e["compression"],
                          e["server"])
        back = raw_lines(ev, {n: o for n, o in offsets.items() if n <= len(want)})
        differ = [n for n in sorted(back) if back[n] != want[n - 1]]
        n = differ[0] if differ else 0
        assert not differ, (f"{rel}: line {n} reads back as {len(back[n])} bytes ending {back[n][-60:]!r}, the file "
                            f"holds {len(want[n - 1])} bytes ending {want[n - 1][-60:]!r}")


def check_said(case: Case, root: Path, d: Damaged, answer: dict[str, Any], terminal: str, exit_code: int) -> None:
    """Each expected finding in the JSON answer, Case.findings() and the terminal; nothing incomplete unexplained."""
    doors = {"json": [(f["severity"], f["kind"], f["path"], f["detail"]) for f in answer["findings"]],
             "api": [(f.severity, f.kind, f.path, f.detail) for f in case.findings()]}
    for want in d.expect:
        path = str(root / want.file) if want.file else None
        for door, found in doors.items():
            hits = [f for f in found if f[:3] == (want.severity, want.kind, path)]
            assert hits, f"{door}: no {want.severity} {want.kind!r} finding for {path}: {found}"
            if want.where:
                assert any(want.where in f[3] for f in hits), f"{door}: {want.kind} detail lacks {want.where}: {hits}"
        assert f"{want.severity}: {want.kind}: {path}" in terminal, f"terminal lacks the {want.kind} of {path}"
    incomplete = {(f[1], f[2]) for f in doors["json"] if f[0] == "incomplete"}
    assert incomplete == {(w.kind, str(root / w.file)) for w in d.expect if w.severity == "incomplete"}, incomplete
    assert exit_code == (0 if d.complete else 3)
    assert answer["evidence_status"]["complete"] is d.complete


def check_lost_said(s_all: Any, d: Damaged, answer: dict[str, Any]) -> None:
    """Lost lines lie inside the time an incomplete finding says is uncovered; a silence the damage made that is
    a gap by the written rule is a gap finding (inside the window it falls in)."""
    lost = lost_times(s_all, d)
    spans = [(f["uncovered_start"], f["uncovered_end"]) for f in answer["findings"] if f["severity"] == "incomplete"]
    if lost and not d.complete:
        def inside(t: datetime) -> bool:
            at = t.strftime("%Y-%m-%dT%H:%M:%SZ")
            return any((a is None or a <= at) and (b is None or at <= b) for a, b in spans)
        outside = [t for t in lost if not inside(t)]
        assert not outside, f"lost lines at {outside[:3]} outside every uncovered span {spans}"
    if d.gap:
        before, after = d.gap
        minutes = (after - before).total_seconds() / 60
        kept = sorted(r.t for r in survivors(s_all, d).requests)
        silences = sorted((b - a).total_seconds() / 60 for a, b in zip(kept, kept[1:], strict=False))
        gaps = [f for f in answer["findings"] if f["kind"] == "gap"
                and f["uncovered_start"] == before.strftime("%Y-%m-%dT%H:%M:%SZ")]
        if minutes <= 60:
            assert not gaps, gaps
        elif len(silences) > 1 and minutes > 2 * silences[-2]:  # a gap whatever the stream's usual silence
            assert gaps, f"a silence of {minutes:.0f} minutes from {before} is no gap finding"
            # a window never seen withdrawn holds the evidence's time to its end (README: open, no withdrawal seen)
            windows = [(w["first_available"], w["first_unavailable"] or "9999-12-31T23:59:59Z")
                       for w in answer["targets"][0]["windows"]]
            a, b = before.strftime("%Y-%m-%dT%H:%M:%SZ"), after.strftime("%Y-%m-%dT%H:%M:%SZ")
            if any(a < hi and b > lo for lo, hi in windows):
                assert gaps[0]["in_window"], f"the gap from {a} to {b} lies in a window and does not say so"


def check(root: Path, seed: int, layout: str, name: str) -> None:
    s = generate(seed)
    fmt = FORMATS[layout]
    d = damage(s, fmt, name, seed)
    if d is None:
        pytest.skip(f"{name} does not apply to {layout}")
    write(root, d)
    result, answer = run(root, d, layout)
    want = expected(survivors(s, d), fmt, INTERNAL)
    got = tool_answer(answer)
    diff = [k for k in want if want[k] != got[k]]
    assert not diff, (f"seed {seed}, {layout}, {name} ({d.note}): differs in {diff}\n"
                      + "\n".join(f"  oracle {k}: {want[k]}\n  tool   {k}: {got[k]}" for k in diff))
    with Case(root / "case.duckdb", read_only=True) as case:
        check_accounting(case, root, d)
        check_said(case, root, d, answer, result.output, result.exit_code)
        requests = int(case.sql("SELECT count(*) AS n FROM requests").iloc[0]["n"])
        rejected = int(case.sql("SELECT coalesce(sum(rejected), 0) AS n FROM evidence WHERE verdict = 'ingested'")
                       .iloc[0]["n"])
    least = d.rejected if d.rejected_at_least is None else d.rejected_at_least
    assert least <= rejected <= d.rejected, f"{rejected} lines rejected, the damage made {d.rejected}"
    if d.cut_file and rejected < d.rejected:  # the cut line parsed: it is a copy of the whole one, said
        assert any(f["kind"] == "overlap" and f["path"] == str(root / d.cut_file) for f in answer["findings"])
    check_lost_said(s, d, answer)
    del requests


@pytest.mark.parametrize(("seed", "layout", "name"), cases())
def test_damaged_copies_give_the_written_rule_over_what_survives(tmp_path: Path, seed: int, layout: str,
                                                                name: str) -> None:
    check(tmp_path, seed, layout, name)


def test_damages_are_seeded() -> None:
    """The same seed, layout and damage give the same bytes (the test is deterministic)."""
    s = generate(3)
    a, b = damage(s, FORMATS["combined"], "gzip_truncated", 3), damage(s, FORMATS["combined"], "gzip_truncated", 3)
    assert a is not None and b is not None and a.files == b.files and a.surviving == b.surviving
    assert a.surviving < set(range(len(s.requests)))
    assert datetime(2000, 1, 1, tzinfo=UTC) < s.requests[0].t


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("layout", "name"), [("combined", "nul_stretch"), ("iis", "bzip2_truncated")])
def test_page_one_names_the_damage(tmp_path: Path, layout: str, name: str) -> None:
    """One representative case per kind of incomplete damage through the report: page 1 says the evidence is
    incomplete and names the file in full with the time it leaves uncovered, as the JSON finding says it."""
    import re

    s = generate(1)
    d = damage(s, FORMATS[layout], name, 1)
    assert d is not None
    write(tmp_path, d)
    result, answer = run(tmp_path, d, layout, "--report", str(tmp_path / "report"), "--pin-time",
                         "2024-01-01T00:00:00Z")
    assert result.exit_code == 3, result.output
    [finding] = [f for f in answer["findings"] if f["severity"] == "incomplete"]
    html = (tmp_path / "report" / "report.html").read_text()
    start = html.index('<section id="cover"')
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[start:html.index("</section>", start)]))
    # the status names the kind of incompleteness (readfixA): every damage the oracle makes is read in part
    word = {"truncated": "truncated"}.get(finding["kind"], "damaged")  # a file that ends early is truncated
    assert f"Evidence status: INCOMPLETE: part of the evidence is {word}" in page, finding["kind"]
    assert "They are a minimum." in page  # lost lines may hold downloads: the figures say so
    assert finding["path"] in page and finding["kind"] in page
    span = f"has no line from {finding['uncovered_start']} to {finding['uncovered_end']}"
    assert span in page, page[:2000]
