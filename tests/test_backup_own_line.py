"""A backup (a copy-named file) holding another file's lines and one line of its own keeps its stream and its edges
(a server's only log under a copy's name must say its end: tests/test_copy_names.py), so its end, where the copy
was taken, was said as a server's silence stated as fact (/tmp/idfix/f4/logs3: web1's log to 23:55, a backup of its
first six hours with one line of its own inside: 'gap: stream logs3/access.log: no log line for 1075 minutes after
its last line'). The gap is still said, with what bounds it: a copy-named file with N request lines of its own
beside M that repeat another file's, an inference labelled as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import Case
from exposure.ingest import IngestOptions

pytestmark = pytest.mark.slow


def _line(i: int, client: str | None = None, second: int = 0) -> str:
    return (f'{client or f"198.51.100.{i % 50 + 1}"} - - [10/Jun/2020:{i // 12:02d}:{i % 12 * 5:02d}:{second:02d} '
            f'+0000] "GET /index.html HTTP/1.1" 200 1000 "-" "Mozilla/5.0"\n')


def _gaps(root: Path) -> list:
    with Case(None) as case:
        case.ingest([root], IngestOptions())
        return [f for f in case.findings() if f.kind in ("gap", "presumed take")]


@pytest.mark.parametrize("own", [1, 2])
def test_a_backups_end_says_it_is_a_copy_with_lines_of_its_own(tmp_path: Path, own: int) -> None:
    web1 = [_line(i) for i in range(288)]  # every 5 minutes, 00:00 to 23:55
    (tmp_path / "web1").mkdir()
    (tmp_path / "web1" / "access.log").write_text("".join(web1))
    (tmp_path / "backup").mkdir()
    bak = tmp_path / "backup" / "access.log.bak"
    bak.write_text("".join(web1[:40] + [_line(40, "192.0.2.99", 30 + k) for k in range(own)] + web1[40:73]))
    [gap] = _gaps(tmp_path)
    assert (gap.kind, gap.minutes, gap.fact) == ("gap", 1075.0, "after its last line")
    lines = "1 request line" if own == 1 else f"{own} request lines"
    assert (f"an inference: the file that bounds it, {bak}, is named like a copy and holds {lines} of its own "
            f"beside 73 that repeat lines of {tmp_path / 'web1' / 'access.log'}: it may be a copy taken at that "
            "line, not a server's silence") in gap.detail, gap.detail


def test_a_servers_log_ending_early_says_no_copy(tmp_path: Path) -> None:
    # the clause is the copy's alone: a server-named log that stops early says its end as before
    (tmp_path / "web1").mkdir()
    (tmp_path / "web1" / "access.log").write_text("".join(_line(i) for i in range(288)))
    (tmp_path / "web2").mkdir()
    (tmp_path / "web2" / "access.log").write_text("".join(_line(i, "203.0.113.5", 7) for i in range(73)))
    [gap] = _gaps(tmp_path)
    assert gap.stream == "web2/access.log" and round(gap.minutes) == 1075 and "inference" not in gap.detail


@pytest.mark.parametrize("lang, said", [
    ("en", "is named like a copy and holds 1 request line of its own beside 73 that repeat another file's"),
    ("nl", "heeft de naam van een kopie en bevat 1 eigen verzoekregel naast 73 die regels van een ander bestand"),
])
def test_the_report_says_what_bounds_the_backups_end(tmp_path: Path, lang: str, said: str) -> None:
    from dataclasses import asdict

    from exposure.report.i18n import strings
    from exposure.report.model import _findings

    web1 = [_line(i) for i in range(288)]
    (tmp_path / "web1").mkdir()
    (tmp_path / "web1" / "access.log").write_text("".join(web1))
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "access.log.bak").write_text("".join(web1[:40] + [_line(40, "192.0.2.99", 30)] + web1[40:73]))
    [gap] = _gaps(tmp_path)
    [text] = [f["text"] for f in _findings({"findings": [asdict(gap)]}, strings(lang))]
    assert said in text and str(tmp_path / "backup" / "access.log.bak") in text, text
