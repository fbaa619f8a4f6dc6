"""Review of takefix (F4, F6): a presumed take (queries/findings.sql, kind 'presumed take') is said on page 1 and in
'Every finding' as the terminal and the JSON say it: the span after the take's last line, its length and the
window it lies in, in the report's language; never the raw English fact '(after a take's last line)'. Its group
text says the rule as it is: from the first line of one of that stream's files (a rotation), not the stream's."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.test_lb_health_checks_keep_gaps import TARGET, _checks, _download

from .test_page_one_must_carry import _status_lines


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html.replace("<wbr>", ""))).split())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """mk_take.py: web1 logs the balancer's checks 00:00-11:59 alone; web2 the same to 12:59, then serves the file
    at 13:00:30 and logs on: web1 is a presumed take, its 720 minutes after 11:59 inside window 1."""
    root = tmp_path_factory.mktemp("take")
    write_log(root / "in" / "web1" / "access.log", _checks(0, 12))
    write_log(root / "in" / "web2" / "access.log", _checks(0, 13) + [_download("198.51.100.1", 13, 30)]
              + _checks(13, 24))
    out = {}
    for lang in ("en", "nl"):
        result = CliRunner().invoke(app, ["analyse", str(root / "in"), "--target", TARGET, "--report",
                                          str(root / lang), "--lang", lang, "--pin-time", "2026-06-11T00:00:00Z",
                                          "--geoip-city", "none", "-q"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
        out[lang] = (root / lang / "report.html").read_text(encoding="utf-8")
    return out


@pytest.mark.slow  # two reports of a case of their own
@pytest.mark.parametrize(("lang", "span", "inside", "kind", "rule"), [
    ("en", "2026-06-10T11:59:00Z – 2026-06-10T23:59:00Z, 12h 00m", "inside window 1", "presumed take",
     "from the first line of one of that stream's files on"),
    ("nl", "2026-06-10T11:59:00Z – 2026-06-10T23:59:00Z, 12h 00m", "binnen venster 1", "als kopie opgevat",
     "vanaf de eerste regel van een van de bestanden van die stroom")])
def test_a_presumed_take_is_said_with_its_span_and_window_in_the_reports_language(
        reports: dict[str, str], lang: str, span: str, inside: str, kind: str, rule: str) -> None:
    page = reports[lang]
    [line] = [text for cls, _, text in _status_lines(page)
              if cls == "stated" and ("taken for a copy" in text or "als kopie opgevat" in text)]
    assert "after a take" not in line and span in line and inside in line, line
    assert rule in line, line
    [row] = [_text(r) for r in re.findall(r'<tr class="stated" data-kind="presumed take">(.*?)</tr>', page, re.S)]
    assert kind in row and "2026-06-10T11:59:00Z" in row and "2026-06-10T23:59:00Z" in row and inside in row, row
