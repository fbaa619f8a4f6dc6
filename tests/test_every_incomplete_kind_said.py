"""One case holding every incomplete kind the README names that a few lines can make (damaged, truncated, empty
compressed, joined lines, all lines rejected, prefixed lines, glued lines, unreadable), and a last line cut off:
each is said by the terminal, by the JSON answer (its findings and its evidence status) and on page 1 of the
PDF report (pdftotext of page 1) in English and in Dutch: named there, or counted in the status line and named
among the kinds of the files page 1 has no room to name. Not made here: `suspicious size` (64 MiB of content),
`changed during read` (a file written while read), `changed since ingest` and `missing` (a re-hash after ingest:
tests/test_verify.py), `case changed outside exposure`."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import strings
from tests.logs import clf, t
from tests.report.conftest import need

pytestmark = pytest.mark.slow

TARGET = "/docs/leak.xlsx"
PIN = "2020-08-01T12:00:00Z"
# the incomplete kinds the case holds (evidence_status.KINDS order), and the stated one beside them
INCOMPLETE = ["unreadable", "damaged", "truncated", "empty compressed", "joined lines", "all lines rejected",
              "prefixed lines", "glued lines"]


def _day(n: int = 12) -> list[str]:
    return [clf(f"198.51.100.{i + 1}", t(8, 10, 5 * i), TARGET, size=50_000) for i in range(n)]


def _build(root: Path) -> Path:
    logs = root / "logs"
    for name in ("web1", "web2", "web3", "web4", "web5", "web6", "web7", "web8"):
        (logs / name).mkdir(parents=True)
    lines = _day()
    # glued lines (line 3 holds line 4's start)
    glued = lines[:2] + [lines[2] + lines[3]] + lines[4:]
    # damaged: NUL bytes in place of content, in a file with glued lines too (the damage hid them once)
    (logs / "web1" / "access.log").write_text("\n".join(glued[:6]) + "\n" + "\0" * 32 + "\n".join(glued[6:]) + "\n")
    # glued lines and a last line cut off
    (logs / "web2" / "access.log").write_text("\n".join(glued) + "\n" + lines[0][:40])
    # a line behind a syslog prefix
    prefixed = _day()
    prefixed[5] = "Jun  8 10:25:00 web3 nginx: " + prefixed[5]
    (logs / "web3" / "access.log").write_text("\n".join(prefixed) + "\n")
    # every line rejected: each dated a day June has not
    (logs / "web4" / "access.log").write_text("\n".join(clf(f"198.51.100.{i}", "31/Jun/2020:10:00:00 +0200", TARGET)
                                                        for i in range(4)) + "\n")
    # joined lines: a part ending in lone CRs after the LF lines
    (logs / "web5" / "access.log").write_bytes(("\n".join(lines[:6]) + "\n" + "\r".join(lines[6:]) + "\r").encode())
    # truncated: a gzip file cut in half
    whole = gzip.compress(("\n".join(_day()) + "\n").encode() * 20, mtime=0)
    (logs / "web6" / "access.log-20200609.gz").write_bytes(whole[: len(whole) // 2])
    # empty compressed: 0 bytes named .gz
    (logs / "web7" / "access.log-20200610.gz").write_bytes(b"")
    # unreadable: UTF-16 text
    (logs / "web8" / "access.log").write_bytes("\n".join(lines[:3]).encode("utf-16"))
    return logs


def _page_one(pdf: Path) -> str:
    done = subprocess.run([need("pdftotext"), "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True)
    return re.sub(r"\s+", " ", done.stdout)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("every_kind")
    logs = _build(root)
    case = root / "case.duckdb"
    done = CliRunner().invoke(app, ["ingest", "--case", str(case), str(logs)])
    assert done.exit_code == 3, done.output
    return case


def test_the_terminal_and_the_json_answer_say_every_kind(case: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyse", "--case", str(case), "--target", TARGET, "--json",
                                      str(tmp_path / "a.json"), "--geoip-city", "none", "--geoip-asn", "none"],
                                terminal_width=400)
    assert result.exit_code == 3, result.output
    said = {line.split(": ")[1] for line in result.output.splitlines() if line.startswith("incomplete: ")}
    assert said == set(INCOMPLETE)
    assert "stated: cut off: " in result.output
    answer = json.loads((tmp_path / "a.json").read_text())
    assert {f["kind"] for f in answer["findings"] if f["severity"] == "incomplete"} == set(INCOMPLETE)
    assert sorted(Path(f["path"]).parent.name for f in answer["findings"] if f["kind"] == "glued lines") \
        == ["web1", "web2"]
    status = answer["evidence_status"]
    assert [g["kind"] for g in status["findings"] if g["severity"] == "incomplete"] == INCOMPLETE
    assert "cut off" in {g["kind"] for g in status["findings"]}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_page_one_names_or_counts_every_kind(case: Path, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--case", str(case), "--target", TARGET, "--out", str(out),
                                      "--lang", lang, "--pin-time", PIN, "--geoip-city", "none", "--geoip-asn",
                                      "none"])
    assert result.exit_code == 3, result.output
    page = _page_one(out / "report.pdf")
    s = strings(lang)
    status = json.loads((out / "analysis.json").read_text())["evidence_status"]
    counts = {g["kind"]: g["count"] for g in status["findings"]}
    more = re.search(r"(?:more files? not read in full|niet volledig gelezen bestand(?:en)?|more findings of the files "
                     r"named above|nog bevindingen van de hierboven genoemde bestanden),? (?:not named here|hier niet "
                     r"genoemd) \(([^)]*)\)", page)
    assert counts["glued lines"] == 2
    for kind in [*INCOMPLETE, "cut off"]:
        assert f"{s[f'finding_{kind}']}: {counts[kind]}" in page, kind  # counted in the status line
        if kind == "cut off":
            continue
        label = s["kind_" + kind.replace(" ", "_")]
        named = f"{s['status_line_incomplete']} · {label}:" in page  # a line of its own, its path and time
        listed = more is not None and s[f"finding_{kind}"] in more[1].split(", ")  # among the files not named
        assert named or listed, (kind, page)
    if lang == "nl":  # what is said of them is Dutch too (report/wording.py): the unreadable file's reason
        assert "convert to UTF-8 first" not in page and "zet hem eerst om naar UTF-8" in page
