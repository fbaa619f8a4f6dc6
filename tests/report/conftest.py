"""The sample report rendered once per session in English and Dutch (HTML and PDF), and the tools that look at it.

Chromium and poppler-utils (pdftoppm, pdftotext, pdfinfo) are optional on a workstation: the checks that need
them skip. Under CI=true (`.ci/run` installs them) a missing tool fails the run instead, so a CI that lost them
cannot pass without ever looking at a page.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import built_once

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_logs"
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
CASE_INFO = {"en": ROOT / "docs" / "sample-case.toml", "nl": ROOT / "tests" / "data" / "sample-case.nl.toml"}
PACKAGES = {"chromium": "chromium", "pdftoppm": "poppler-utils", "pdftotext": "poppler-utils",
            "pdfinfo": "poppler-utils", "pdffonts": "poppler-utils"}


def need(tool: str) -> str:
    """The path of `tool`; without it the test skips, or fails under CI=true."""
    found = shutil.which(tool) or (shutil.which("chromium-browser") if tool == "chromium" else None)
    if found:
        return found
    message = f"{tool} not installed (Debian package {PACKAGES.get(tool, tool)})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}: CI must render and look at the report", pytrace=False)
    pytest.skip(message)


def sample_options() -> object:
    from exposure import AnalysisOptions

    return AnalysisOptions(internal=("203.0.113.0/24",), geoip_asn=str(ROOT / "exposure/data/sample-asn.mmdb"))


def _build_sample_reports(base: Path) -> None:
    from exposure import Case
    from exposure.report import ReportSettings

    with Case(base / "case.duckdb") as case:
        case.ingest([SAMPLE])
        case.inspect(SAMPLE / "signalen-mensenhandel-2017-2020.xlsx")
        for lang in ("en", "nl"):
            case.report([TARGET], base / lang, sample_options(),
                        ReportSettings(lang=lang, case_info=CASE_INFO[lang], pin_time=PIN))


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample case (the published spreadsheet inspected) reported in English and in Dutch, PDF included,
    with `sample_options()`: {"case": case file, "en": folder, "nl": folder}. The Dutch report has Dutch case
    information, so every word on its pages that is not from the logs is the tool's. The reports are drawn once
    per run for every xdist worker (`built_once`: two 34-page PDFs); each worker gets its own copy of the case
    file, which tests open for writing."""
    base = built_once(tmp_path_factory, "sample-reports", _build_sample_reports)
    case = tmp_path_factory.mktemp("sample-reports-case") / "case.duckdb"
    shutil.copy(base / "case.duckdb", case)
    return {"case": case, "en": base / "en", "nl": base / "nl"}
