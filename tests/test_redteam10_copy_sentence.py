"""Red team 10: page 1's line for possible copies said "Other paths answered with exactly the file's size while it
was available" whatever the copies were. Where byte counts include headers (IIS) a copy matches within the
complete-transfer band, never exactly; a spelling (`//`, `;jsessionid=`, `#frag`) is listed whatever its size
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


def _page_one(tmp_path: Path, lines: list[str], lang: str = "en") -> str:
    log = write_log(tmp_path / "logs" / "access.log", lines)
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
            "a #fragment ...), whatever its size and time: perhaps downloads of the file") in page_one
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
