"""An excerpt: a file every request line of which another file holds (the same fields, the same second), gathered
from one or several files in any order (an investigator's notes.txt holding the two lines of two servers that
matter). Each of its lines is a copy, counted once from the log that holds it (exposure/overlap.py); two genuine
identical requests of one log stay two, and one identical line in the middle of two servers' logs stays two."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/doc/leak.xlsx"


def _busy(start: datetime, end: datetime, ip: str) -> list[str]:
    steps = int((end - start).total_seconds() // 600) + 1
    return [clf(ip, start + timedelta(minutes=10 * i), "/index.html", size=800) for i in range(steps)]


def _servers(tmp_path: Path, downloads: int = 1) -> tuple[list[str], list[str]]:
    """web1 (a line every 10 minutes 00:00-14:00 UTC, `downloads` identical downloads of the target at 08:00:00
    from one client) and web2 (every 10 minutes, another client)."""
    download = clf("198.51.100.1", t(8, 8), TARGET, size=5000)
    web1 = _busy(t(8, 0), t(8, 7, 50), "198.51.100.9") + [download] * downloads \
        + _busy(t(8, 8, 10), t(8, 14), "198.51.100.9")
    web2 = _busy(t(8, 0), t(8, 14), "203.0.113.5")
    write_log(tmp_path / "logs" / "web1" / "access.log", web1)
    write_log(tmp_path / "logs" / "web2" / "access.log", web2)
    return web1, web2


def _copies(case: Case, name: str) -> list[tuple[int, str, int]]:
    """Each request line of the file named `name`: its line number, the file it is a copy of and that file's line
    (no copy: '', 0)."""
    rows = case.sql(f"""
        SELECT r.line_no, coalesce(k.path, '') AS kept, coalesce(o.kept_line_no, 0) AS kept_line
        FROM requests r JOIN evidence e USING (evidence_id)
        LEFT JOIN overlap_lines o USING (evidence_id, line_no)
        LEFT JOIN evidence k ON k.evidence_id = o.kept_evidence_id
        WHERE e.path LIKE '%{name}' ORDER BY r.line_no""").values.tolist()
    return [(n, Path(k).parent.name if k else "", kl) for n, k, kl in rows]


@pytest.mark.parametrize("notes", ["notes/excerpt.txt", "a-notes/access.log"],
                         ids=["cited-after-the-logs", "a-servers-name-ingested-first"])
def test_a_note_of_two_servers_lines_counts_the_download_once(tmp_path: Path, notes: str) -> None:
    """Review of readfixB (Jdl): notes.txt holds web1's download line and web2's 10:00 line. Each file's run of
    one line was below the minimum run and no one file held all the note's lines: the download was counted twice
    (2 complete downloads of 1 address, the note's line cited). Its lines are copies, cited from the servers'
    logs, whichever file is cited first by name (a note named access.log, ingested first, is no server's log).
    Seen red with the excerpt rule (MATCH_SQL: covered, excerpts) taken out."""
    web1, web2 = _servers(tmp_path)
    write_log(tmp_path / "logs" / notes, [web1[48], web2[60]])
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert case.totals(TARGET)["complete_downloads"] == 1
        assert _copies(case, notes) == [(1, "web1", 49), (2, "web2", 61)]
        assert _copies(case, "web1/access.log")[48] == (49, "", 0)  # the server's line is counted


def test_a_note_of_two_lines_of_one_log_far_apart_is_a_copy(tmp_path: Path) -> None:
    """Two lines of web1 (the download and a line two hours later), not one run: each a copy of its line."""
    web1, _ = _servers(tmp_path)
    write_log(tmp_path / "logs" / "notes" / "excerpt.txt", [web1[48], web1[60]])
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert case.totals(TARGET)["complete_downloads"] == 1
        assert _copies(case, "excerpt.txt") == [(1, "web1", 49), (2, "web1", 61)]


def test_two_identical_requests_of_one_log_stay_two_beside_a_note(tmp_path: Path) -> None:
    """web1 logged two genuine downloads by one client in one second (the same line twice); the note pastes one
    of them and a line of web2: the note's is a copy of the first, web1's two are counted: 2, not 3 (nor 1)."""
    web1, web2 = _servers(tmp_path, downloads=2)
    write_log(tmp_path / "logs" / "notes" / "excerpt.txt", [web1[48], web2[60]])
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        assert case.totals(TARGET)["complete_downloads"] == 2
        assert _copies(case, "excerpt.txt")[0] == (1, "web1", 49)
        assert [c for c in _copies(case, "web1/access.log") if c[1]] == []

