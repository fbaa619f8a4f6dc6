"""Red team 21a, redirect_end: a window that ends in redirects (input kept at /tmp/redtime/redirect_end/).

After the file's last 200, only 301s (the old address sent elsewhere) reached 6 addresses for 10 hours, yet the
window read "still available when the logs end (open: no withdrawal seen)" and the redirects were said nowhere.
A redirect stays neutral for the window's bounds (the log keeps no Location: a move or a withdrawal), but
queries/downloads_rule.sql rule_redirects_after says them on every door: the terminal, the JSON answer (the
target's warnings and the window's redirects_after), page 1 in English and Dutch, and `files`. A redirect
before a later 200 in the same window is a canonicalisation and says nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import strings
from exposure.report.wording import sentence
from exposure.warningkinds import warning_kind
from tests.conftest import write_log
from tests.logs import clf

T = "/leak.xlsx"
START = datetime(2021, 3, 1)


def _logs(tmp_path: Path, later_200: bool) -> Path:
    """Filler every 10 minutes; 200s at 03:00 and 04:00; from 05:00 a 301 every two hours to 6 addresses; with
    `later_200`, one more 200 at 20:00, after every 301 (then the redirects precede an available response)."""
    rows = [(START + timedelta(minutes=m), clf("192.0.2.50", START + timedelta(minutes=m), "/index.html", size=1234,
                                               offset_min=60)) for m in range(0, 24 * 60, 10)]
    rows += [(START + timedelta(hours=h), clf(f"198.51.100.{h}", START + timedelta(hours=h, seconds=1), T,
                                              size=5000, offset_min=60)) for h in (3, 4)]
    rows += [(START + timedelta(hours=5 + 2 * i), clf(f"198.51.100.{10 + i}", START + timedelta(hours=5 + 2 * i,
                                                                                               seconds=1),
                                                      T, status=301, size=230, offset_min=60)) for i in range(6)]
    if later_200:
        rows.append((START + timedelta(hours=20), clf("198.51.100.30", START + timedelta(hours=20, seconds=1), T,
                                                      size=5000, offset_min=60)))
    rows.sort(key=lambda r: r[0])
    return write_log(tmp_path / "logs" / "access.log", [r[1] for r in rows]).parent


def _analyse(tmp_path: Path, logs: Path) -> tuple[dict, str]:
    out = tmp_path / "answer.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", T, "--json", str(out), "--geoip-city", "none",
                                      "--geoip-asn", "none"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())["targets"][0], result.output


@pytest.mark.slow
def test_redirects_after_the_last_200_are_said_on_every_door(tmp_path: Path) -> None:
    logs = _logs(tmp_path, later_200=False)
    target, output = _analyse(tmp_path, logs)
    [window] = target["windows"]
    # the window's bounds are the rule's: a redirect is neutral
    assert (window["last_available"], window["first_unavailable"]) == ("2021-03-01T04:00:01Z", None)
    log = logs / "access.log"
    # the 301 at 05:00:01 is line 34 (31 filler lines 00:00-05:00 and the two 200s before it)
    assert window["redirects_after"] == {"responses": 6, "addresses": 6, "statuses": [301],
                                         "first": "2021-03-01T05:00:01Z", "line": f"{log}:34"}
    said = [w for w in target["warnings"] if "redirects" in w]
    assert said == [
        "window 1: after its last available response the path answered redirects and never showed the file "
        f"available again (6 requests (301) from 6 addresses, first 2021-03-01T05:00:01Z {log}:34): the file may "
        "have been moved or withdrawn then; the window's end is the last response that showed it available"]
    assert "answered redirects and never showed the file available again" in " ".join(output.split())
    # page 1: its kind and its Dutch words
    assert warning_kind(said[0]) == "redirects_after"
    assert strings("nl")["caveat_kind_redirects_after"].startswith("een venster dat eindigt in doorverwijzingen")
    assert sentence(said[0], strings("nl")) == (
        "venster 1: na het laatste beschikbare antwoord antwoordde het pad met doorverwijzingen en toonde het "
        f"bestand nooit meer beschikbaar (6 verzoeken (301) van 6 adressen, eerste 2021-03-01T05:00:01Z {log}:34): "
        "het bestand is toen mogelijk verplaatst of ingetrokken; het einde van het venster is het laatste antwoord "
        "dat het beschikbaar toonde")
    # `files` reads the same rule
    case, runner = str(tmp_path / "case.duckdb"), CliRunner()
    assert runner.invoke(app, ["ingest", "--case", case, str(logs)]).exit_code == 0
    result = runner.invoke(app, ["files", "--case", case, "--json"])
    [row] = [r for r in json.loads(result.stdout) if r["path"] == T]
    [ends] = row["redirects_after"]
    assert (ends["window"], ends["responses"], ends["file"], ends["line_no"]) == (1, 6, str(log), 34)
    assert f"warning: {T}: window 1: after its last available response" in " ".join(result.output.split())


@pytest.mark.slow
def test_a_redirect_followed_by_a_200_says_nothing(tmp_path: Path) -> None:
    target, _ = _analyse(tmp_path, _logs(tmp_path, later_200=True))
    [window] = target["windows"]
    assert window["last_available"] == "2021-03-01T20:00:01Z"
    assert window["redirects_after"] is None
    assert [w for w in target["warnings"] if "redirects" in w] == []


def test_the_dutch_words_keep_an_alias_and_the_other_responses() -> None:
    """The sentence's optional parts (an --alias, other responses beside the redirects) are Dutch too, page 1 names
    its kind."""
    said = ("window 2 of --alias /a.pdf: after its last available response the path answered redirects and never "
            "showed the file available again (1 request (302) from 1 address, first 2020-06-08T10:10:00Z "
            "logs/x.log:5; 3 other responses (403/500)): the file may have been moved or withdrawn then; the "
            "window's end is the last response that showed it available")
    assert warning_kind(said) == "redirects_after"
    assert sentence(said, strings("nl")) == (
        "venster 2 van --alias /a.pdf: na het laatste beschikbare antwoord antwoordde het pad met doorverwijzingen "
        "en toonde het bestand nooit meer beschikbaar (1 verzoek (302) van 1 adres, eerste 2020-06-08T10:10:00Z "
        "logs/x.log:5; 3 andere antwoorden (403/500)): het bestand is toen mogelijk verplaatst of ingetrokken; het "
        "einde van het venster is het laatste antwoord dat het beschikbaar toonde")
