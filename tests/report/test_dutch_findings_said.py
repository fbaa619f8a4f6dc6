"""A Dutch report says every finding in Dutch: a case holding a file whose time ran back, a stray time, a possible
copy, a file read through a link, files whose clients were not forwarded (--client-ip-from xff), an interrupted
command, and inputs unreadable for a system's refusal (permission denied, simulated as root cannot be refused), a
named pipe, a link to a missing file, UTF-16 text and a format exposure does not read. Their details stood in
English on the Dutch page 1 and in section 7's table of every finding (the labels were Dutch); each row's text and
page 1 now hold no English sentence (the recorded English detail under an incomplete finding's text is the
registry's value, quoted as code, and stays)."""

from __future__ import annotations

import dataclasses
import errno
import html as htmllib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure import cli, discovery
from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t
from tests.report.test_dutch_words import english_left

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
KILL_AT = """
import importlib, os, signal, sys
import exposure.seal
exposure.seal.SEAL_EVERY = 0.0
module, _, name = sys.argv[1].rpartition(".")
setattr(importlib.import_module(module), name, lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))
from exposure.cli import app
sys.argv = ["exposure", *sys.argv[2:]]
app()
"""


def _build(root: Path) -> Path:
    logs = root / "logs"
    day = [clf(f"198.51.100.{i + 1}", t(8, 10, 5 * i), TARGET, size=50_000) for i in range(12)]
    write_log(logs / "web1" / "access.log", day)
    write_log(logs / "web1" / "secret.log", [line.replace("198.51.100", "198.51.101") for line in day])
    write_log(logs / "web2" / "access.log", [clf(f"198.51.102.{i}", t(8, 11, 5 * i), TARGET, size=50_000)
                                             for i in range(6)]
              + [clf(f"198.51.102.{i}", t(8, 10, 5 * i), "/other", size=10) for i in range(6)])
    stray = [line.replace("198.51.100", "198.51.103") for line in day]
    stray[3] = clf("198.51.103.4", "01/Jan/1970:00:00:00 +0000", "/x", size=10)
    write_log(logs / "web3" / "access.log", stray)
    write_log(logs / "web4" / "access.log", [clf(f"198.51.104.{i}", t(8, 10, 5 * i + 1), "/docs/copy.xlsx",
                                                 size=50_000) for i in range(4)])
    real = write_log(root / "elsewhere" / "access.log", [clf(f"198.51.105.{i}", t(8, 10, 5 * i + 2), "/y", size=10)
                                                         for i in range(4)])
    (logs / "web5").mkdir()
    os.symlink(real, logs / "web5" / "access.log")
    (logs / "web6").mkdir()
    (logs / "web6" / "access.log").write_bytes("\n".join(day[:3]).encode("utf-16"))
    write_log(logs / "web7" / "haproxy.log", [f"198.51.100.{i}:5432 [08/Jun/2020:10:0{i}:00.123] fe be/srv1 "
                                              f'0/0/1/2/3 200 50000 - - ---- 1/1/0/0/0 0/0 "GET {TARGET} HTTP/1.1"'
                                              for i in range(4)])
    (logs / "web8").mkdir()
    os.mkfifo(logs / "web8" / "access.log")
    (logs / "web9").mkdir()
    os.symlink(root / "gone.log", logs / "web9" / "access.log")
    return logs


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dutch_findings")
    logs, case = _build(root), root / "case.duckdb"
    real = discovery.described.__globals__["open_evidence"]

    def open_evidence(path):  # noqa: ANN001, ANN202
        if Path(path).name == "secret.log":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(discovery.described.__globals__, "open_evidence", open_evidence)
        done = CliRunner().invoke(app, ["ingest", "--case", str(case), "--client-ip-from", "xff", str(logs)])
    assert done.exit_code == 3, done.output
    more = write_log(root / "more" / "web11" / "access.log", [clf(f"198.51.106.{i}", t(8, 10, 5 * i + 3), "/z")
                                                              for i in range(5)])
    killed = subprocess.run([sys.executable, "-c", KILL_AT, "exposure.ingest.infer_facts", "ingest", "--case",
                             str(case), "--client-ip-from", "xff", str(more.parent.parent), "-q"],
                            capture_output=True, timeout=300)
    assert killed.returncode < 0, killed.stderr.decode()
    out = root / "report"
    made = cli._report_settings
    with pytest.MonkeyPatch.context() as mp:  # the HTML says what the PDF draws (tests/conftest.py html_only_reports)
        mp.setattr(cli, "_report_settings", lambda *a, **k: dataclasses.replace(made(*a, **k), pdf=False))
        done = CliRunner().invoke(app, ["report", "--case", str(case), "--target", TARGET, "--out", str(out),
                                        "--lang", "nl", "--pin-time", "2020-08-01T12:00:00Z", "--geoip-city", "none",
                                        "--geoip-asn", "none"])
    assert done.exit_code == 3, done.output
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", "")))).strip()


def test_every_finding_of_the_dutch_report_is_said_in_dutch(report: Path) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    kinds = {f["kind"] for f in json.loads((report / "analysis.json").read_text())["findings"]}
    assert {"time ran back", "stray time", "possible copy", "through a link", "client not forwarded",
            "interrupted command", "unreadable"} <= kinds
    rows = re.findall(r'<tr class="(?:incomplete|stated)" data-kind="([^"]+)">(.*?)</tr>', page, re.S)
    assert {kind for kind, _ in rows} >= kinds - {"gap in window"}
    for kind, row in rows:
        said = _text(re.sub(r'<code class="wrap">.*?</code>', "", row, flags=re.S))  # the recorded value: quoted
        assert not english_left(said), (kind, said)
    cover = _text(page[page.index('<section id="cover"'):page.index('data-section="summary"')])
    assert not english_left(cover.replace("Mozilla", "")), cover
    for dutch in ("toegang geweigerd", "een named pipe (FIFO), geen gewoon bestand", "UTF-16-tekst",
                  "een koppeling naar een ontbrekend bestand", "een toegangslog in een formaat dat exposure niet leest"):
        assert dutch in _text(page), dutch
