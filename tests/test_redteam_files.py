"""Red team, hostile and broken files in an evidence folder: a rotation compressed in a form exposure does not
decode, a rotation truncated before its first full line and an empty log are each said for what they are; the
first two leave the evidence incomplete (exit code 3), never pass as "not a log" with exit code 0."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest

from exposure import Case
from exposure.findings import exit_code
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    write_log(folder / "access.log", [clf("192.0.2.1", t(9, 10), TARGET, size=4000)])
    return folder


def _findings(tmp_path: Path, folder: Path) -> tuple[dict[str, tuple[str, str, str]], int]:
    with Case(tmp_path / "leak.duckdb") as c:
        c.ingest([folder])
        found = c.findings()
        assert c.totals(TARGET)["complete_downloads"] == 1  # what could be read is still answered
    return {Path(f.path).name: (f.severity, f.kind, f.detail) for f in found if f.path}, exit_code(found)


PACKED = {  # a day's rotation packed by logrotate's compresscmd, or by hand
    "xz": (["xz", "-c"], b"\xfd7zXZ\x00"),
    "zstd": (["zstd", "-q", "-c"], b"\x28\xb5\x2f\xfd"),
}


@pytest.mark.parametrize("tool", sorted(PACKED))
def test_a_rotation_compressed_by_a_tool_exposure_does_not_decode_is_unreadable(tmp_path: Path, tool: str) -> None:
    folder = _folder(tmp_path)
    day = "\n".join(clf("192.0.2.2", t(8, 10, i), TARGET, size=4000) for i in range(3)).encode() + b"\n"
    command, magic = PACKED[tool]
    if shutil.which(command[0]):
        packed = subprocess.run(command, input=day, capture_output=True, check=True).stdout
    else:  # the magic bytes are what decide
        packed = magic + b"\x00" * 64
    assert packed.startswith(magic)
    (folder / f"access.log.1.{tool}").write_bytes(packed)
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found[f"access.log.1.{tool}"]
    assert (severity, kind, code) == ("incomplete", "unreadable", 3)
    assert detail.startswith(f"{tool}-compressed content") and "decompress it first" in detail


def test_a_rotation_truncated_before_its_first_line_is_missing_evidence(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    whole = gzip.compress(b"\n".join(clf("192.0.2.2", t(8, 10, i), TARGET, size=4000).encode()
                                     for i in range(50)) + b"\n", mtime=0)
    (folder / "access.log.1.gz").write_bytes(whole[:20])  # the copy stopped in the first deflate block
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found["access.log.1.gz"]
    assert (severity, kind, code) == ("incomplete", "truncated", 3)
    assert "too little of it could be read to tell its format" in detail


@pytest.mark.usefixtures("html_only_reports")
def test_the_report_names_a_rotation_truncated_before_its_first_line(tmp_path: Path) -> None:
    """Such a file holds no line count (not read as a log): the report's counted phrase "{lines:# line|# lines}"
    met None and `report` failed with a TypeError (exit 2, no report). It says "? lines read" now."""
    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    folder = _folder(tmp_path)
    whole = gzip.compress(b"\n".join(clf("192.0.2.2", t(8, 10, i), TARGET, size=4000).encode()
                                     for i in range(50)) + b"\n", mtime=0)
    (folder / "access.log.1.gz").write_bytes(whole[:20])
    shown = CliRunner().invoke(app, ["analyse", str(folder), "--target", TARGET, "--case", str(tmp_path / "c.duckdb"),
                                     "--report", str(tmp_path / "out"), *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    html = (tmp_path / "out" / "report.html").read_text()
    assert "? lines read before the content ends early" in html


def test_an_empty_log_is_said_to_be_empty(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "access.log.1").write_bytes(b"")
    (folder / "notes.txt").write_text("not a log at all\n")
    found, code = _findings(tmp_path, folder)
    assert found["access.log.1"][:2] == ("stated", "not a log")
    assert found["access.log.1"][2].startswith("empty: it holds no line")
    assert found["notes.txt"][2] == "not an access log in any known format: not analysed"
    assert code == 0


@pytest.mark.parametrize("name, tool", [("access.log.2.gz", "gzip"), ("access.log.3.bz2", "bzip2"),
                                        ("ACCESS.LOG.4.GZ", "gzip")])
def test_an_empty_file_named_as_compressed_is_a_cut_copy(tmp_path: Path, name: str, tool: str) -> None:
    """gzip and bzip2 never write 0 bytes (no content gzipped is 20 bytes, bzip2'd 14): a file of 0 bytes named
    `.gz` or `.bz2` is most likely a copy cut to nothing, so what it held is missing evidence (exit code 3), said
    in the terminal. Before: "empty: it holds no line", stated, exit code 0. Compression is still read from the
    magic bytes alone: the name only decides what an empty file is said to be."""
    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    folder = _folder(tmp_path)
    (folder / name).write_bytes(b"")
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found[name]
    assert (severity, kind, code) == ("incomplete", "empty compressed", 3)
    assert detail == (f"named as {tool}-compressed but empty (0 bytes; {tool} never writes an empty file): likely a "
                      "copy cut to nothing, what it held is unknown")
    # hashed as no log, read as a log (--format: no format to detect), or named alone (before: exit 2, "not an
    # access log in any known format")
    for given, forced in ((folder, ()), (folder, ("--format", "combined")), (folder / name, ())):
        shown = CliRunner().invoke(app, ["analyse", str(given), "--target", TARGET, *GEO_OFF, *forced],
                                   terminal_width=200)
        assert shown.exit_code == 3, shown.output
        assert f"incomplete: empty compressed: {folder / name}: named as {tool}-compressed but empty" in shown.output
        # the file's line and the counts say what the finding says (before: "not a log: ... (truncated)", and
        # "1 not a log" in the ingest's and the answer's evidence counts)
        assert f"not a log: {folder / name}" not in shown.output
        if given == folder and not forced:
            assert f"incomplete: {folder / name} (truncated)" in shown.output
            assert "1 not a log" not in shown.output and "1 incomplete" in shown.output
            assert "evidence: 2 files: 1 ingested (lines=1 requests=1 rejected=0 skipped=0), 1 incomplete" in \
                " ".join(shown.output.split())


def test_a_compressed_empty_rotation_is_said_to_be_empty(tmp_path: Path) -> None:
    """logrotate rotates an empty log by default (`ifempty`) and compresses it: `gzip` / `bzip2` of no bytes.
    Before: its decoded_bytes were the compressed file's size (20 / 14) and it was "not an access log"."""
    import bz2

    folder = _folder(tmp_path)
    (folder / "access.log.2.gz").write_bytes(gzip.compress(b"", mtime=0))
    (folder / "access.log.3.bz2").write_bytes(bz2.compress(b""))
    found, code = _findings(tmp_path, folder)
    assert found["access.log.2.gz"][2].startswith("empty: it holds no line")
    assert found["access.log.3.bz2"][2].startswith("empty: it holds no line")
    with Case(tmp_path / "leak.duckdb") as case:
        rows = case.con.execute("SELECT path, verdict, decoded_bytes, size_bytes FROM evidence "
                                "WHERE compression <> 'none' ORDER BY path").fetchall()
    assert [(Path(p).name, *rest) for p, *rest in rows] == [("access.log.2.gz", "not a log", 0, 20),
                                                           ("access.log.3.bz2", "not a log", 0, 14)]
    assert code == 0


@pytest.mark.parametrize("inner", ["gzip", "bzip2"])
def test_a_rotation_compressed_twice_is_unreadable(tmp_path: Path, inner: str) -> None:
    import bz2

    folder = _folder(tmp_path)
    day = "\n".join(clf("192.0.2.2", t(8, 10, i), TARGET, size=4000) for i in range(3)).encode() + b"\n"
    once = gzip.compress(day, mtime=0) if inner == "gzip" else bz2.compress(day)
    (folder / "access.log.1.gz").write_bytes(gzip.compress(once, mtime=0))
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found["access.log.1.gz"]
    assert (severity, kind, code) == ("incomplete", "unreadable", 3)
    assert detail.startswith(f"its content is {inner}-compressed again")


@pytest.mark.usefixtures("html_only_reports")
def test_page_one_says_an_empty_file_named_as_compressed(tmp_path: Path) -> None:
    import html as htmllib
    import re

    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    folder = _folder(tmp_path)
    (folder / "access.log.2.gz").write_bytes(b"")
    out = tmp_path / "report"
    shown = CliRunner().invoke(app, ["analyse", str(folder), "--target", TARGET, "--report", str(out), "-q", *GEO_OFF])
    assert shown.exit_code == 3, shown.output
    page = (out / "report.html").read_text(encoding="utf-8")
    cover = page[page.index('<section id="cover"'):page.index('data-section="summary"')].replace("<wbr>", "")
    text = re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", cover)))
    assert "INCOMPLETE · empty compressed file" in text
    assert "named as compressed but empty (0 bytes; no compressor writes an empty file): likely a copy cut to " \
           "nothing" in text
