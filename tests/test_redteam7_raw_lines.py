"""Red team 7 follow-up (EVIDENCE.md 15): the report carries, for every counted download, the verbatim raw log
line, its file, line number, byte offset and that file's SHA-256. The pages stop the appendix's raw lines at
PAGE_ROWS downloads; download_lines.csv (listed with its hash in MANIFEST.sha256) has every one, and the page
where the appendix stops names it."""
from __future__ import annotations

import csv
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.i18n import EN

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
SIZE = 18412


def _line(i: int) -> str:
    agent = "=HYPERLINK(1)" if i == 7 else "Mozilla/5.0"
    return (f'198.51.100.{i} - - [08/Jun/2020:12:{i:02d}:00 +0000] "GET /leak.xlsx HTTP/1.1" 200 '
            f'{SIZE if i % 2 else 999} "-" "{agent}"\n')


def test_every_download_has_its_raw_line_in_a_hashed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import exposure.report.model

    monkeypatch.setattr(exposure.report.model, "PAGE_ROWS", 3)
    logs = tmp_path / "logs"
    logs.mkdir()
    header = "# a comment line first, so line numbers and byte offsets are not trivially 1 and 0\n"
    lines = [_line(i) for i in range(1, 9)]
    raw = (header + "".join(lines)).encode("ascii")
    (logs / "access.log").write_bytes(raw)
    sha = hashlib.sha256(raw).hexdigest()
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report(["/leak.xlsx"], out, AnalysisOptions(size=SIZE), ReportSettings(pin_time=PIN, pdf=False))
    with open(out / "download_lines.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["download_no"]) for r in rows] == list(range(1, 9))  # every download, not the pages' 3
    for i, r in enumerate(rows, start=1):
        assert r["file"] == str(logs / "access.log")
        assert int(r["line_no"]) == i + 1
        assert int(r["byte_offset"]) == len(header) + sum(len(x) for x in lines[:i - 1])
        assert r["sha256"] == sha
        assert r["read_back"] == "true"
        want = lines[i - 1].rstrip("\n")
        assert r["raw_line"] == want  # verbatim: no formula starts the line itself
    assert rows[6]["outcome"] == "complete" and rows[7]["outcome"] == "partial"
    # listed with its hash in the manifest
    manifest = (out / "MANIFEST.sha256").read_text(encoding="utf-8")
    digest = hashlib.sha256((out / "download_lines.csv").read_bytes()).hexdigest()
    assert f"{digest}  download_lines.csv" in manifest
    # the page where the appendix stops says so and names the file
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    appendix = html.split(EN["raw_downloads"], 1)[1]
    assert EN["raw_capped"].format(shown=3, total=8, file="download_lines.csv") in appendix



@pytest.mark.parametrize("pseudonymise", [False, True])
def test_a_raw_line_that_is_not_the_files_bytes_says_so(tmp_path: Path, pseudonymise: bool) -> None:
    """Review: raw_line was not always the line as it is in the file (a tab made the cell rule put an apostrophe
    before it, bytes that are not UTF-8 showed as U+FFFD, a pseudonymised address was replaced) and nothing said
    so. raw_line_exact says whether the cell is the line's bytes."""
    logs = tmp_path / "logs"
    logs.mkdir()
    lines = [_line(1).encode("ascii"), _line(3).replace("Mozilla/5.0", "Mozilla\t5.0").encode("ascii"),
             _line(5).replace("Mozilla/5.0", "Mozilla/5.0 caf\xe9").encode("latin-1")]
    (logs / "access.log").write_bytes(b"".join(lines))
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        case.report(["/leak.xlsx"], out, AnalysisOptions(size=SIZE),
                    ReportSettings(pin_time=PIN, pdf=False, pseudonymise=pseudonymise))
    with open(out / "download_lines.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    exact = "false" if pseudonymise else "true"
    assert [(r["line_no"], r["raw_line_exact"]) for r in rows] == [("1", exact), ("2", "false"), ("3", "false")]
    if not pseudonymise:
        assert rows[0]["raw_line"] == _line(1).rstrip("\n")
