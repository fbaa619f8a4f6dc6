"""Small files of one format are parsed together in one pass (issue 19): the case must hold exactly what
reading them one by one gives: the same evidence ids, registry rows, hashes, request, rejected and skipped
rows, row digests and a sealed case that verifies."""

from __future__ import annotations

import errno
import gzip
import shutil
from pathlib import Path

import pytest

import exposure.ingest as ingest
from exposure import Case, evidence
from exposure.formats.cloudfront import STANDARD_FIELDS

from .formats.test_cloudfront import HEADER as CF_HEADER
from .formats.test_cloudfront import cf_line
from .formats.test_s3 import s3_line

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
IIS_FIELDS = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-bytes"


def _clf(i: int, path: str = "/a.xlsx") -> str:
    return (f'198.51.100.{i % 250} - - [08/Jun/2020:12:{i % 60:02d}:18 +0200] "GET {path} HTTP/1.1" 200 {1000 + i} '
            f'"-" "Mozilla/5.0 ({i})"')


def _iis(i: int) -> str:
    return f"2020-06-08 12:{i % 60:02d}:00 10.0.0.5 GET /a.xlsx - 443 - 203.0.113.{i % 250} Mozilla/5.0+({i}) 200 {900 + i}"


def _evidence_folder(root: Path) -> tuple[Path, Path, Path]:
    """Files of several formats with every quirk the per-file path handles; returns the folder, a file that
    cannot be opened at all and one that cannot be read once its format is known."""
    logs = root / "logs"
    shutil.copytree(SAMPLE_LOGS / "web1", logs / "a-web1")
    clf = logs / "b-clf"
    clf.mkdir()
    for n in range(6):
        lines = [_clf(n * 10 + i) for i in range(8)]
        if n == 1:
            lines[3] = "not a request at all"
            lines[5] = ""
        if n == 2:
            lines[2] = _clf(7).replace("GET", "GET \udcff").encode("utf-8", "surrogateescape").decode("latin-1")
        text = "\n".join(lines) + ("" if n == 3 else "\n")  # file 3: the last line has no newline
        (clf / f"access-{n}.log").write_text(text, encoding="latin-1" if n == 2 else "utf-8")
    (clf / "access-6.log").write_bytes((clf / "access-0.log").read_bytes())  # the same content: a duplicate
    # a copy's name, read before the file it copies (" " sorts before "."): the later one is cited as original
    (clf / "access-1 - copy.log").write_bytes((clf / "access-1.log").read_bytes())
    whole = gzip.compress(("\n".join(_clf(i, "/b.pdf") for i in range(400)) + "\n").encode(), 1)
    (clf / "access-7.log.gz").write_bytes(whole[: len(whole) // 2])  # truncated: cut line rejected unparsed
    (clf / "access-8.log").write_text(_clf(99) + "\n")
    (clf / "access-9.log").write_text(_clf(98) + "\n")
    (clf / "access-10.log").write_text(_clf(97) + "\n")
    # line endings and marks each reading rule handles: CRLF and mixed (cut with the batch's other contents),
    # a BOM and lines ending in a lone CR (each read by the Splitter, in its place)
    (clf / "access-11.log").write_bytes("".join(_clf(110 + i) + "\r\n" for i in range(4)).encode())
    (clf / "access-12.log").write_bytes(f"{_clf(120)}\r\n{_clf(121)}\n{_clf(122)}\r\r\n".encode())
    (clf / "access-13.log").write_bytes(b"\xef\xbb\xbf" + "".join(_clf(130 + i) + "\n" for i in range(3)).encode())
    (clf / "access-14.log").write_bytes("".join(_clf(140 + i) + "\r" for i in range(3)).encode())
    iis = logs / "c-iis"
    iis.mkdir()
    for n in range(3):
        (iis / f"u_ex{n}.log").write_text("\n".join(["#Software: Microsoft Internet Information Services 10.0",
                                                      IIS_FIELDS, *(_iis(n * 5 + i) for i in range(5))]) + "\n")
    cf = logs / "d-cloudfront"
    cf.mkdir()
    older = ["#Version: 1.0", "#Fields: " + " ".join(STANDARD_FIELDS[:20])]  # an older, shorter layout
    for n in range(3):
        lines = [cf_line(c_ip=f"192.0.2.{n * 4 + i}") for i in range(4)]
        if n == 0:
            lines = ["\t".join(line.split("\t")[:20]) for line in lines]
        # file 1 has no header: the standard fields, never the list of the file before it
        body = "\n".join({0: older, 1: [], 2: CF_HEADER}[n] + lines) + "\n"
        (cf / f"E2.2020-06-08-12.{n}.gz").write_bytes(gzip.compress(body.encode()))
    s3 = logs / "e-s3"
    s3.mkdir()
    for n in range(3):
        (s3 / f"2020-06-08-12-0{n}-00-ABC").write_text("\n".join(s3_line() for _ in range(3 + n)) + "\n")
    return logs, clf / "access-8.log", clf / "access-9.log"


def _unreadable(monkeypatch: pytest.MonkeyPatch, never: Path, later: Path) -> None:
    """`never` cannot be opened; `later` opens once (its format is detected), then no more."""
    real_open = evidence.open_evidence
    opened: dict[Path, int] = {}

    def open_evidence(path):  # noqa: ANN001, ANN202
        p = Path(path)
        opened[p] = opened.get(p, 0) + 1
        if p == never or (p == later and opened[p] > 2):  # describe and sniff open it; the read does not
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(evidence, "open_evidence", open_evidence)


def _snapshot(case: Case) -> dict[str, list[tuple]]:
    f = case.file
    return {
        "evidence": f.fetchall("SELECT * EXCLUDE (ingested_at) FROM evidence ORDER BY evidence_id"),
        "evidence_columns": [r[0] for r in f.fetchall("DESCRIBE SELECT * EXCLUDE (ingested_at) FROM evidence")],
        "requests": f.fetchall("SELECT * FROM requests ORDER BY evidence_id, line_no"),
        "rejects": f.fetchall("SELECT * FROM rejects ORDER BY evidence_id, line_no"),
        "skipped": f.fetchall("SELECT * FROM skipped ORDER BY evidence_id, line_no"),
        "row_blocks": f.fetchall("SELECT * FROM row_blocks ORDER BY ALL"),
        "cloudfront": [(Path(p).name, size, n) for p, size, n in f.fetchall(
            "SELECT e.path, r.object_size, count(*) FROM requests r JOIN evidence e USING (evidence_id) "
            "WHERE e.format = 'cloudfront' GROUP BY ALL ORDER BY ALL")],
    }


def _col(snapshot: dict, column: str, row: tuple) -> object:
    """A registry row's value of `column` (the snapshot's rows are SELECT * EXCLUDE (ingested_at))."""
    return row[snapshot["evidence_columns"].index(column)]


def _ingest(tmp_path: Path, name: str, logs: Path, again: Path) -> tuple[dict, list, object]:
    with Case(tmp_path / f"{name}.duckdb") as case:
        result = case.ingest([logs])
        repeat = case.ingest([logs, again])  # every file again, plus a copy under another name
        check = case.file.seal_check(rows=True)
        return _snapshot(case), [(o.path, o.verdict, o.evidence_id, o.warnings) for o in result.files + repeat.files], check


@pytest.mark.slow
def test_a_batch_gives_what_one_by_one_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs, never, later = _evidence_folder(tmp_path)
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(logs / "b-clf" / "access-1.log", again / "copy.log")
    _unreadable(monkeypatch, never, later)
    batches: list[int] = []
    real_batch = ingest._ingest_batch

    def counted(con, fmt, options, ready, on_stored=None):  # noqa: ANN001, ANN202
        batches.append(len(ready))
        return real_batch(con, fmt, options, ready, on_stored)

    monkeypatch.setattr(ingest, "_ingest_batch", counted)
    together, outcomes, check = _ingest(tmp_path, "together", logs, again)
    assert max(batches) >= 20  # the sample's web1 folder and the CLF files went through one pass
    monkeypatch.setattr(ingest, "SMALL_FILE", 0)  # every file alone
    batches.clear()
    alone, outcomes_alone, check_alone = _ingest(tmp_path, "alone", logs, again)
    assert batches == []
    for table, rows in together.items():
        assert rows == alone[table], table
    assert outcomes == outcomes_alone
    verdicts = {Path(p).name: v for p, v, *_ in outcomes[: len(outcomes) // 2]}
    assert verdicts["access-6.log"] == "duplicate" and verdicts["access-8.log"] == "unreadable"
    assert (verdicts["access-1 - copy.log"], verdicts["access-1.log"]) == ("duplicate", "ingested")
    assert verdicts["access-9.log"] == "unreadable" and verdicts["access-7.log.gz"] == "ingested"
    assert {v for p, v, *_ in outcomes[len(outcomes) // 2:] if Path(p).name != "copy.log"} <= {
        "already in case", "unreadable"}
    registry = {Path(r[1]).name: r for r in together["evidence"]}
    marked = ("access-11.log", "access-12.log", "access-13.log", "access-14.log")
    assert [verdicts[name] for name in marked] == ["ingested"] * 4
    assert [(_col(together, "lines", registry[name]), _col(together, "line_endings", registry[name]),
             _col(together, "bom", registry[name])) for name in marked] == [
        (4, "crlf", None), (3, "mixed", None), (3, "lf", "utf-8"), (3, "cr", None)]
    assert len(together["requests"]) > 300 and len(together["rejects"]) >= 3 and together["skipped"]
    assert any("truncated" in str(v) for v in registry["access-7.log.gz"])
    assert together["cloudfront"] == [("E2.2020-06-08-12.0.gz", None, 4), ("E2.2020-06-08-12.1.gz", 18412, 4),
                                      ("E2.2020-06-08-12.2.gz", 18412, 4)]
    assert check.holds and check_alone.holds, (check.findings, check_alone.findings)
