"""Red team, round 2: a pseudonymised report carries no raw address, also where a sender wrote one into a
path, query, referrer or user agent, where it sits in an evidence file's name, or after an address a finding
names with a colon behind it. Every file the report writes is scanned, the PDF's text included."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.pseudonym import Pseudonymiser
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"
PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
# none of these is a client of any request: the case does not know them as addresses
HIDDEN = ["192.0.2.77", "192.0.2.55", "203.0.113.99", "198.51.100.44", "198.51.100.66", "2001:db8::77"]


def _report(tmp_path: Path, pdf: bool) -> Path:
    folder = tmp_path / "logs-198.51.100.66"  # an address in the name of the folder the logs came in
    write_log(folder / "access.log", [
        clf("198.51.100.7", t(8, 10), f"{TARGET}?from=203.0.113.99", size=4000,
            referer="http://192.0.2.55/ref?ip=192.0.2.55", ua="Mozilla/5.0 (client 192.0.2.77)"),
        clf("198.51.100.8", t(8, 11), f"/mirror/2001:db8::77/{TARGET}", size=4000, ua="UA ::ffff:198.51.100.44"),
        clf("198.51.100.9", t(8, 12), TARGET, size=4000),
        clf("198.51.100.10", t(9, 12), TARGET, status=404, size=199),
    ])
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([folder])
        case.report([TARGET], out, AnalysisOptions(),
                    ReportSettings(pin_time=PIN, pseudonymise=True, pdf=pdf))
    return out


@pytest.mark.slow
def test_no_address_a_sender_wrote_survives_in_any_output(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = _report(tmp_path, pdf=True)
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir() if p.suffix != ".pdf"}
    texts["report.pdf"] = "\n".join(page.extract_text() for page in pypdf.PdfReader(out / "report.pdf").pages)
    for name, text in texts.items():
        for address in [*HIDDEN, "198.51.100.7", "198.51.100.8"]:
            assert address not in text, (name, address)
    # the places they stood are still there, with a pseudonym in the address's place
    assert "logs-ip-" in texts["downloads.csv"] and "(client ip-" in texts["downloads.csv"]
    assert "/mirror/ip-" in texts["analysis.json"]  # a possible copy under a path holding an address


def test_the_same_address_gets_the_same_pseudonym_wherever_it_stands() -> None:
    pseudo = Pseudonymiser(b"k" * 32, {"198.51.100.7"})
    known = pseudo.pseudonym("198.51.100.7")
    assert pseudo.text("http://198.51.100.7/ref") == f"http://{known}/ref"
    assert pseudo.text("server logs-198.51.100.7: no log line") == f"server logs-{known}: no log line"
    assert pseudo.text("at 198.51.100.7:8080.") == f"at {known}:8080."
    # an IPv4-mapped form is the same address
    assert pseudo.text("UA ::ffff:198.51.100.7") == f"UA {known}"
    assert pseudo.text("from 2001:db8::1.") == f"from {pseudo.pseudonym('2001:db8::1')}."  # was left raw
    assert pseudo.text("Chrome/198.51.100.7") == f"Chrome/{known}"  # a known address wherever it stands
    assert pseudo.text("/files/192.0.2.9/a") == f"/files/{pseudo.pseudonym('192.0.2.9')}/a"
    unknown = pseudo.text("Mozilla/5.0 (client 192.0.2.77)")
    assert unknown == f"Mozilla/5.0 (client {pseudo.pseudonym('192.0.2.77')})"


@pytest.mark.parametrize("text", ["Chrome/83.0.4103.97", "2020-06-08T10:00:00Z 10:00:00", "a::b", "1.2.3.4.5",
                                  "Safari/537.36", "ip-0123456789ab",
                                  # versions shaped like addresses (Chrome's reduced agent, an app, a file name)
                                  "Mozilla/5.0 (Linux) Chrome/120.0.0.0 Safari/537.36", "MyApp/1.2.3.4",
                                  "/downloads/setup-2.0.1.5.exe"])
def test_what_is_no_address_is_left_alone(text: str) -> None:
    assert Pseudonymiser(b"k" * 32, set()).text(text) == text
