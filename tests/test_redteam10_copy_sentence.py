"""Red team 10: page 1's line for possible copies said "Other paths answered with exactly the file's size while it
was available" whatever the copies were. Where byte counts include headers (IIS) a copy matches within the
complete-transfer band, never exactly; a spelling (`//`, `;jsessionid=`) is listed whatever its size
and at any time. Page 1 now says what the listed copies matched, in English and Dutch, and the section's
introduction names spellings too."""

from __future__ import annotations

import html as htmllib
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/x.xlsx"


def _page_one(tmp_path: Path, lines: list[str], lang: str = "en", name: str = "access.log") -> tuple[str, str]:
    log = write_log(tmp_path / "logs" / name, lines)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        case.report([TARGET], out, AnalysisOptions(), ReportSettings(pdf=False, lang=lang))
    text = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    return htmllib.unescape(text.split('data-section="summary"')[0]), htmllib.unescape(text)


def _exact_and_spelling() -> list[str]:
    return [clf("192.0.2.1", t(8, 10), TARGET, size=5000),
            clf("198.51.100.1", t(8, 10, 5), TARGET, size=5000),
            clf("198.51.100.2", t(8, 10, 10), "/backup/x.xlsx", size=5000),      # exact size: a copy
            clf("198.51.100.3", t(8, 10, 20), "/docs//x.xlsx", status=206, size=2000),  # a spelling, any size
            clf("192.0.2.9", t(8, 10, 40), TARGET, status=404, size=200)]


def test_page_one_says_what_the_copies_matched(tmp_path: Path) -> None:
    page_one, whole = _page_one(tmp_path, _exact_and_spelling())
    assert "Other paths answered with exactly the file's size while it was available" in page_one
    assert ("the file's path spelled another way that a server may serve as the file (a doubled slash, "
            ";parameters ...), whatever its size and time: perhaps downloads of the file") in page_one
    assert "Other paths answered with exactly the file's size while it was available: probably more copies of the " \
           "same file, not counted" not in page_one
    assert "spelled another way that a server may serve as the file, at any time and whatever its size" in whole


def test_a_spelling_alone_is_never_said_to_have_the_files_size(tmp_path: Path) -> None:
    lines = [clf("192.0.2.1", t(8, 10), TARGET, size=5000),
             clf("198.51.100.3", t(8, 10, 20), "/docs//x.xlsx", status=206, size=2000),
             clf("192.0.2.9", t(8, 10, 40), TARGET, status=404, size=200)]
    page_one, _ = _page_one(tmp_path, lines)
    assert "exactly the file's size" not in page_one
    assert "spelled another way" in page_one


@pytest.mark.parametrize("lang", ["nl"])
def test_dutch_says_it_too(tmp_path: Path, lang: str) -> None:
    page_one, _ = _page_one(tmp_path, _exact_and_spelling(), lang)
    assert "het pad van het bestand anders gespeld" in page_one
    assert "precies de grootte van het bestand" in page_one


IIS_HEAD = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken"]


def _iis(minute: int, ip: str, path: str, status: int, size: int) -> str:
    return f"2020-06-08 10:{minute:02d}:00 10.0.0.1 GET {path} - 443 - {ip} ua - {status} 0 0 {size} 400 15"


def test_iis_copies_match_within_the_band_never_exactly(tmp_path: Path) -> None:
    """IIS's sc-bytes include headers: a copy is in the complete-transfer band, which page 1 says."""
    lines = [*IIS_HEAD, *[_iis(i, f"198.51.100.{i + 1}", TARGET, 200, 5300 + i) for i in range(4)],
             _iis(10, "198.51.100.50", "/backup/x.xlsx", 200, 5301), _iis(30, "198.51.100.9", TARGET, 404, 1200)]
    page_one, _ = _page_one(tmp_path, lines, name="u_ex200608.log")
    assert "Other paths answered within the file's complete-transfer band (byte counts include headers)" in page_one
    assert "exactly the file's size" not in page_one
