"""A copy of a log identical but for one line cut off mid-line (the rest of it lost, the next line after it) is an
overlapping copy: its runs of equal lines around the cut one were each shorter than MIN_RUN, so a small copy's
requests were counted twice (/tmp/w3cfix/c5_cutcopy: 9 complete downloads of 5). Two runs joined across one line on
each side count only where one of the two lines is the other's bytes cut short; two servers' logs sharing health
checks around their own different requests are never joined (/tmp/w3cfix/c5_shared: 2 downloads stay 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"


def _line(client: str, at: str, path: str = TARGET, size: int = 18412) -> str:
    return (f'{client} - - [08/Jun/2020:12:{at} +0000] "GET {path} HTTP/1.1" 200 {size} "-" '
            '"Mozilla/5.0 (X11; Linux x86_64)"')


ORIGINAL = [_line("198.51.100.7", "12:18"), _line("198.51.100.8", "12:30"), _line("198.51.100.9", "13:02"),
            _line("198.51.100.10", "13:40"), _line("198.51.100.11", "14:05")]


def _downloads(tmp_path: Path, files: dict[str, list[str]]) -> tuple[list[str], int]:
    paths = []
    for name, lines in files.items():
        path = tmp_path / "logs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest(paths)
        got = case.downloads(TARGET, AnalysisOptions(size=18412))
        shared = int(case.sql("SELECT count(*) FROM overlap_lines").iat[0, 0])
    return sorted(c for c, o in zip(got["client_ip"], got["outcome"], strict=True) if o == "complete"), shared


@pytest.mark.parametrize(("keep", "copies"), [(70, 4), (101, 4), (ORIGINAL[2].index(" 18412") + 4, 5)],
                         ids=["cut-in-request (rejected)", "cut-in-agent (rejected)", "cut-in-count (a request)"])
def test_a_copy_with_one_cut_line_is_counted_once(tmp_path: Path, keep: int, copies: int) -> None:
    """A cut line read as rejected is no request (said as rejected); one read as a request (`200 184`) is the copy
    of the whole line: 4 or 5 lines listed as copies, 5 downloads either way."""
    copy = [*ORIGINAL[:2], ORIGINAL[2][:keep], *ORIGINAL[3:]]
    clients, shared = _downloads(tmp_path, {"web1/access.log": ORIGINAL, "handed_over/access.log": copy})
    assert clients == sorted(f"198.51.100.{n}" for n in (7, 8, 9, 10, 11))
    assert shared == copies


def test_two_servers_sharing_health_checks_around_their_own_requests_are_both_counted(tmp_path: Path) -> None:
    def server(client: str) -> list[str]:
        check = [_line("192.0.2.50", at, "/health", 2) for at in ("12:00", "12:10", "12:20", "12:30")]
        return [*check[:2], _line(client, "12:15"), *check[2:]]

    clients, shared = _downloads(tmp_path, {"web1/access.log": server("198.51.100.7"),
                                            "web2/access.log": server("198.51.100.99")})
    assert clients == ["198.51.100.7", "198.51.100.99"]
    assert shared == 0
