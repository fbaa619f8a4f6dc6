"""A model key named like a dict method (`copy`, `items`, `keys`, `values`, `get`, `update`, `pop`, ...) read as
`{{ o.copy }}` in Jinja is the method, not the value: section 7's overlap table printed `<built-in method copy of
Strings object at 0x...>` (an address that changes every run: two reports of one case differed in bytes). Such keys
are read by item (`o["copy"]`)."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from tests.evidence_trees import SIZE, TARGET, live_log_and_copy

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
DICT_METHODS = ("items", "keys", "values", "get", "update", "pop", "copy", "clear", "setdefault", "popitem",
                "fromkeys")


def test_a_report_with_an_overlap_is_the_same_bytes_twice_and_names_the_copy(tmp_path: Path) -> None:
    original, copy = live_log_and_copy(tmp_path / "logs")
    pages = []
    with Case(tmp_path / "case.duckdb") as c:
        c.ingest([tmp_path / "logs"])
        for run in (1, 2):
            c.report([TARGET], tmp_path / f"out{run}", AnalysisOptions(size=SIZE),
                     ReportSettings(pin_time=PIN, pdf=False))
            pages.append((tmp_path / f"out{run}" / "report.html").read_bytes())
    assert pages[0] == pages[1]
    html = pages[0].decode("utf-8")
    assert "<built-in" not in html and "bound method" not in html and " at 0x" not in html
    table = html.split('<table class="data overlaps">', 1)[1].split("</table>", 1)[0].replace("<wbr>", "")
    assert "<th>Copy</th><th>Original (cited)</th>" in table
    assert f'<td class="ref"><bdi>{copy}</bdi></td><td class="ref"><bdi>{original}</bdi></td>' in table


def test_no_template_reads_a_key_named_like_a_dict_method_as_an_attribute() -> None:
    folder = resources.files("exposure.report").joinpath("templates")
    shadowed = re.compile(r"\b[A-Za-z_][A-Za-z_0-9]*\.(" + "|".join(DICT_METHODS) + r")\b(?!\s*\()")
    found = [(p.name, m.group(0)) for p in folder.iterdir() if p.name.endswith(".j2")
             for m in shadowed.finditer(p.read_text(encoding="utf-8"))]
    assert found == []
