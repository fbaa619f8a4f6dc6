"""A line of a combined file cut right after (or inside) its byte count, mid-file (exposure/midcut.py): it was
counted as a common-format request whose count, as read, made a partial download (/tmp/readfix/cutcount: `200 184`
where the server wrote `200 18412 "-" "UA"`: 4 complete + 1 partial, nothing said). It is counted as its request,
its bytes unknown (cut_field 'bytes': undetermined), and said (`cut lines`: terminal, JSON, page 1). A file of
common lines read as combined (`--format combined`), a run of common lines (a log format changed in the file) and
a common line at a file's edge are read as written, never marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.clf import COMMON_SHAPE_KEY
from tests.servers import analyse

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"


def _line(n: int, common: bool = False) -> str:
    head = f'198.51.100.{n} - - [08/Jun/2020:09:00:{n:02d} +0000] "GET {TARGET} HTTP/1.1" 200 '
    return head + ("184\n" if common else '18412 "-" "Mozilla/5.0 (X11)"\n')


def _cut_fields(answer) -> dict[int, str | None]:
    assert not [r for r in answer.rows if COMMON_SHAPE_KEY in (r["extra"] or {})]  # the transient mark never stays
    return {r["line_no"]: (r["extra"] or {}).get("cut_field") for r in answer.rows}


def _kinds(answer) -> list[str]:
    return [f["kind"] for f in answer.cli["findings"]]


def test_a_combined_line_cut_after_its_count_mid_file_is_undetermined_and_said(tmp_path: Path) -> None:
    text = "".join(_line(n, common=n == 3) for n in range(1, 6))
    answer = analyse(tmp_path, "access.log", text, TARGET, "--size", "18412")
    assert answer.exit_code == 0, answer.output
    assert _cut_fields(answer) == {1: None, 2: None, 3: "bytes", 4: None, 5: None}
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"],
            answer.totals["undetermined_downloads"]) == (4, 0, 1)
    said = [f for f in answer.cli["findings"] if f["kind"] == "cut lines"]
    assert len(said) == 1 and "line 3" in said[0]["detail"] and said[0]["severity"] == "stated", said


@pytest.mark.parametrize("common", [pytest.param({1, 2, 3, 4, 5}, id="common-throughout"),
                                    pytest.param({3, 4}, id="a-run"), pytest.param({1}, id="first-line"),
                                    pytest.param({5}, id="last-line")])
def test_common_lines_read_as_combined_are_not_cut_lines(tmp_path: Path, common: set[int]) -> None:
    text = "".join(_line(n, common=n in common) for n in range(1, 6))
    answer = analyse(tmp_path, "access.log", text, TARGET, "--format", "combined", "--size", "18412")
    assert answer.exit_code == 0, answer.output
    assert set(_cut_fields(answer).values()) == {None}
    assert "cut lines" not in _kinds(answer)
    assert len(answer.rows) == 5


def test_a_vhost_combined_line_cut_after_its_count_is_said_as_the_finding(tmp_path: Path) -> None:
    """A vhost_combined row lives in a store of its own (its vhost), not requests_all, where findings.sql's `cut
    lines` looks (/tmp/review_readfix/mc/vh): the line was undetermined and the ingest warned, but the finding was
    missing from the JSON answer, the terminal's stated list and page 1 (EN and NL)."""
    text = "".join(f"www.example.nl:443 {_line(n, common=n == 3)}" for n in range(1, 6))
    answer = analyse(tmp_path, "access.log", text, TARGET, "--size", "18412")
    assert answer.exit_code == 0, answer.output
    assert _cut_fields(answer) == {1: None, 2: None, 3: "bytes", 4: None, 5: None}
    assert (answer.totals["complete_downloads"], answer.totals["undetermined_downloads"]) == (4, 1)
    said = [f for f in answer.cli["findings"] if f["kind"] == "cut lines"]
    assert len(said) == 1 and "line 3" in said[0]["detail"] and said[0]["severity"] == "stated", said


def test_a_line_cut_after_its_count_before_a_cut_last_line_is_a_cut_line(tmp_path: Path) -> None:
    """The line after it is the file's last, cut off inside its user agent without a newline (a copy of a live log):
    it is first rejected, then read again by exposure/lastline.py, which midcut ran before, so the cut line had no
    combined line after it and was read as written (/tmp/review_readfix/mc/lastcut: line 3 `200 184` partial,
    nothing said: 3 complete + 1 partial -> 3 complete + 1 undetermined, 'cut lines' said)."""
    text = "".join(_line(n, common=n == 3) for n in range(1, 5))[:-9]  # line 4 ends in `"Mozilla/5.`
    answer = analyse(tmp_path, "access.log", text, TARGET, "--size", "18412")
    assert answer.exit_code == 0, answer.output
    assert _cut_fields(answer) == {1: None, 2: None, 3: "bytes", 4: "user_agent"}
    assert (answer.totals["complete_downloads"], answer.totals["partial_downloads"],
            answer.totals["undetermined_downloads"]) == (3, 0, 1)
    assert {"cut lines", "cut off"} <= set(_kinds(answer)), _kinds(answer)


def test_files_of_one_batch_are_judged_each_on_its_own_lines(tmp_path: Path) -> None:
    """Small files of one format are parsed together (one batch) and midcut judges the batch at once: a line's
    neighbours are its own file's. a.log ends in a common line after two combined ones (its edge: read as
    written), b.log holds five combined lines (its lines 2 and 4 would surround a.log's line 3 were the files mixed),
    c.log has its line 3 cut after its count: only c.log's line 3 is a cut line, said once, of c.log."""
    from exposure.api import Case

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.log").write_text("".join(_line(n, common=n == 3) for n in range(1, 4)))
    (logs / "b.log").write_text("".join(_line(n) for n in range(11, 16)))  # other lines than a.log's: no copy
    (logs / "c.log").write_text("".join(_line(n, common=n == 23) for n in range(21, 26)))
    with Case(None) as case:
        outcome = case.ingest([logs])
        names = {f.evidence_id: Path(f.path).name for f in outcome.files}
        marked = {(names[int(r.evidence_id)], int(r.line_no)): (r.extra or {}).get("cut_field")
                  for r in case.requests().astype(object).where(lambda f: f.notna(), None).itertuples()}
    assert {k for k, v in marked.items() if v} == {("c.log", 3)}, marked
    assert len(marked) == 13
    said = {names[f.evidence_id]: [text for kind, text in f.warned if kind == "cut lines"] for f in outcome.files}
    assert said["a.log"] == said["b.log"] == [] and len(said["c.log"]) == 1, said
