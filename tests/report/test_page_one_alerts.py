"""Page 1's alert boxes (evidence changed or missing since ingest; a seal of the case file that does not hold) are
inside page 1's budget of printed lines (report/alerts.py): each box and its count are said on page 1 whatever the
room, its files and differences named while they fit (each hash shortened, the register has it whole) and
counted past it, so the status list's end, every kind's count and every must-carry caveat stay on page 1.

Review A (/tmp/review_page1budget/A): review t4's evidence (seven streams in ~250-character folders, a
211-character target, three ~460-character --alias paths, Dutch) ingested, then four files appended to and one
deleted: the alert named each file with its path and two whole SHA-256 hashes outside the budget, and the status
list ran 35 printed lines onto page 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.alerts import EVIDENCE_SHOWN, HASH_SHOWN, page_one_alerts
from exposure.report.i18n import EN, NL, Strings
from exposure.report.pagebudget import PAGE_ONE

from .test_layout import pdf_text
from .test_page_one_budget import LONG_ALIASES, LONG_TARGET, PIN, _assert_page_one_holds_it, _long_folders
from .test_page_one_must_carry import _flat

CHANGED, MISSING = 4, 1


def _cli(*args: str) -> int:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    assert result.exit_code in (0, 3), result.output
    return result.exit_code


@pytest.mark.slow  # a PDF of a case of its own
def test_evidence_changed_since_ingest_keeps_the_status_on_page_one(tmp_path: Path) -> None:
    logs, case, out = tmp_path / "logs", tmp_path / "case.duckdb", tmp_path / "report"
    _long_folders(logs)
    _cli("ingest", "--case", str(case), str(logs), "-q")
    files = sorted(logs.rglob("access.log"))
    for f in files[:CHANGED]:
        with f.open("a", encoding="utf-8") as fh:
            fh.write("x\n")
    for f in files[CHANGED:CHANGED + MISSING]:
        f.unlink()
    code = _cli("report", "--case", str(case), "--out", str(out), "--target", LONG_TARGET,
                *[a for x in LONG_ALIASES for a in ("--alias", x)], "--lang", "nl", "--pin-time", PIN, "-q")
    assert code == 3  # the evidence changed: never a clean exit
    s = Strings(NL)
    html, page1 = _assert_page_one_holds_it(out, s)  # the list's end, every kind's count, the must-carry caveats
    page1_text = _flat(pdf_text(out / "report.pdf", 1))
    assert _flat(f"{NL['evidence_bad']}. {s.f('evidence_bad_detail', n=CHANGED + MISSING)}") in page1_text
    assert _flat(NL["finding_changed since ingest"] + f": {CHANGED}") in page1
    alert = html[html.index('id="evidence-alert"'):]
    alert = alert[:alert.index("</div>")].replace("<wbr>", "")
    # every file is said on page 1, named or counted, with where each is named whole
    named = re.findall(r'<code class="hash">([0-9a-f]+)…</code>', alert)
    assert all(len(h) == HASH_SHOWN for h in named)
    assert "#register" in alert
    register = html[html.index('data-section="register"'):].replace("<wbr>", "")
    hashes = re.findall(r'<code class="hash">([0-9a-f]{64})</code>', register)
    assert all(any(whole.startswith(h) for whole in hashes) for h in named)
    assert len(set(hashes)) >= len(files) + CHANGED  # each file's at ingest, each changed one's now


def _problem(k: int, status: str = "changed") -> dict:
    return {"path": f"/logs/srv{k}-" + "productieserver-webfarm-" * 10 + "/access.log", "status": status,
            "recorded_sha256": f"{k:x}" * 64, "current_sha256": None if status == "missing" else "e" * 64}


def test_the_alerts_name_files_while_they_fit_and_count_the_rest() -> None:
    s = Strings(EN)
    problems = [_problem(k) for k in range(8)] + [_problem(9, "missing")]
    seal = {"holds": False, "findings": [f"evidence {k} (/logs/x): request rows differ from the seal in lines 5"
                                         for k in range(7)]}
    wide = page_one_alerts(problems, seal, s, PAGE_ONE)
    assert len(wide["evidence"]["shown"]) == EVIDENCE_SHOWN and wide["evidence"]["more"] == 9 - EVIDENCE_SHOWN
    assert wide["evidence"]["shown"][0]["recorded"] == "0" * HASH_SHOWN + "…"
    assert len(wide["seal"]["shown"]) == 5 and wide["seal"]["more"] == 2
    # a room of a few lines: each box with its count, nothing named, every file and difference counted
    tight = page_one_alerts(problems, seal, s, 3)
    assert tight["evidence"]["shown"] == [] and tight["evidence"]["more"] == 9
    assert tight["seal"]["shown"] == [] and tight["seal"]["more"] == 7
    assert 3 < tight["printed"] < wide["printed"]
    # between: the first file and the first difference before the rest of either
    some = page_one_alerts(problems, seal, s, tight["printed"] + 8)
    assert len(some["evidence"]["shown"]) == 1 and len(some["seal"]["shown"]) == 1
    assert some["printed"] <= tight["printed"] + 8
    # nothing to alert: no line taken
    assert page_one_alerts([], {"holds": True, "findings": []}, s, PAGE_ONE)["printed"] == 0
