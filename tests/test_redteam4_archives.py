"""Red team 4, evidence handed over packed or never written: a `.zip` of logs, a `.tar`/`.tar.gz` of logs and a
log file of nothing but NUL bytes (preallocated and never written, or its content lost in a crash). Each was
taken for something it is not ("not a log" with exit code 0; a tar read as text, its first line lost to the
tar header and its padding called a crash): each is now said for what it is and leaves the evidence incomplete
(exit code 3). A published document that is a zip (xlsx, docx, odt) stays "not a log"."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import write_log
from tests.logs import clf, t
from tests.test_redteam_files import TARGET, _findings, _folder


def _day(n: int = 3) -> bytes:
    return "\n".join(clf("192.0.2.2", t(8, 10, i), TARGET, size=4000) for i in range(n)).encode() + b"\n"


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, (2020, 6, 9, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def _tar(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1591660800
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED], ids=["deflated", "stored"])
def test_a_zip_of_logs_is_unreadable_and_says_to_extract_it(tmp_path: Path, method: int) -> None:
    # deflated it passed as "not a log" (exit 0); stored (zip -0) its lines were read as text, the first line of
    # each entry rejected behind the entry's header
    folder = _folder(tmp_path)
    (folder / "logs-june.zip").write_bytes(_zip({"access.log.1": _day(), "access.log.2": _day()}, method))
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found["logs-june.zip"]
    assert (severity, kind, code) == ("incomplete", "unreadable", 3)
    assert detail.startswith("a ZIP archive") and "unzip" in detail


@pytest.mark.parametrize("first", ["[Content_Types].xml", "docProps/app.xml", "mimetype", "META-INF/MANIFEST.MF"])
def test_a_document_that_is_a_zip_stays_not_a_log(tmp_path: Path, first: str) -> None:
    folder = _folder(tmp_path)
    (folder / "leak.xlsx").write_bytes(_zip({first: b"<x/>", "xl/workbook.xml": b"<workbook/>"}))
    found, code = _findings(tmp_path, folder)
    assert found["leak.xlsx"] == ("stated", "not a log", "not an access log in any known format: not analysed")
    assert code == 0


@pytest.mark.parametrize("packed", ["tar", "tar.gz"])
def test_a_tar_of_logs_is_unreadable_not_read_as_text(tmp_path: Path, packed: str) -> None:
    folder = _folder(tmp_path)
    data = _tar({"access.log.1": _day(), "access.log.2": _day(5)})
    name = f"logs.{packed}"
    (folder / name).write_bytes(gzip.compress(data, mtime=0) if packed == "tar.gz" else data)
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found[name]
    assert (severity, kind, code) == ("incomplete", "unreadable", 3)
    assert detail.startswith("a tar archive") and "tar xf" in detail


@pytest.mark.parametrize("name,content", [("access.log.1", b"\0" * 8192),
                                          ("access.log.2.gz", gzip.compress(b"\0" * 70000, mtime=0))])
def test_a_log_of_only_nul_bytes_is_lost_content_not_a_log(tmp_path: Path, name: str, content: bytes) -> None:
    folder = _folder(tmp_path)
    (folder / name).write_bytes(content)
    found, code = _findings(tmp_path, folder)
    severity, kind, detail = found[name]
    n = 8192 if name == "access.log.1" else 70000
    assert (severity, kind, code) == ("incomplete", "damaged", 3)
    assert detail.startswith(f"all {n} bytes of its content are NUL bytes")


def test_a_log_line_holding_the_tar_magic_is_still_a_log(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    at = len(clf("192.0.2.1", t(9, 10), TARGET, size=4000, ua="")) - 1  # where the user agent starts
    agent = list("x" * (262 - at))
    agent[148 - at:156 - at], agent[257 - at:] = "00000000", "ustar"  # the tar magic and a checksum field
    hostile = clf("192.0.2.1", t(9, 10), TARGET, size=4000, ua="".join(agent))
    assert hostile.encode()[257:262] == b"ustar" and hostile.encode()[148:156] == b"00000000"
    write_log(folder / "access.log", [hostile] + [clf("192.0.2.3", t(9, 11, i), "/other.html") for i in range(3)])
    found, code = _findings(tmp_path, folder)
    assert "access.log" not in found and code == 0
