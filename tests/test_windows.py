"""Exposure windows: available 200/206/304, unavailable 404/410, ordering, bounds and target matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import Case
from tests.conftest import write_log
from tests.logs import clf, t

T = "/docs/x.xlsx"


def _windows(tmp_path: Path, lines: list[str], target: str = T, **files: list[str]) -> list[dict]:
    write_log(tmp_path / "logs" / "a.log", lines)
    for name, more in files.items():
        write_log(tmp_path / "logs" / name, more)
    with Case() as case:
        case.ingest([tmp_path / "logs"])
        return case.analyse([target])["targets"][0]["windows"]


def _bounds(windows: list[dict]) -> list[tuple]:
    return [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in windows]


def test_two_windows_with_removal_bounds(tmp_path: Path) -> None:
    lines = [
        clf("198.51.100.1", t(1, 9), "/index.html"),  # evidence starts here
        clf("198.51.100.2", t(8, 12, 12, 18), T),
        clf("198.51.100.3", t(9, 8), T, status=206, size=100),
        clf("198.51.100.4", t(9, 9), T, status=503),  # neither opens nor closes
        clf("198.51.100.5", t(10, 7), T, status=304, size="-"),
        clf("198.51.100.6", t(11, 9, 26, 40), T, status=404),
        clf("198.51.100.7", t(12, 9), T, status=410),
        clf("198.51.100.8", t(15, 7, 31, 55), T, method="HEAD", size="-"),  # any method opens
        clf("198.51.100.9", t(18, 13), T),
    ]
    windows = _windows(tmp_path, lines)
    assert _bounds(windows) == [
        ("2020-06-08T12:12:18Z", "2020-06-10T07:00:00Z", "2020-06-11T09:26:40Z"),
        ("2020-06-15T07:31:55Z", "2020-06-18T13:00:00Z", None),
    ]
    assert [w["open_at_log_start"] for w in windows] == [False, False]
    assert windows[0]["first_available_local"] == "2020-06-08T14:12:18+02:00"
    assert windows[1]["still_available_at_log_end"] is True


def test_window_open_at_log_start(tmp_path: Path) -> None:
    lines = [clf("198.51.100.1", t(8, 12), "/"), clf("198.51.100.2", t(8, 12, 40), T),
             clf("198.51.100.2", t(8, 14), T, status=404)]
    (w,) = _windows(tmp_path, lines)
    assert w["open_at_log_start"] is True


def test_order_is_time_then_file_then_line_across_servers(tmp_path: Path) -> None:
    # same second on two servers: a.log (earlier evidence) serves it, b.log says 404
    a = [clf("198.51.100.1", t(8, 10), T), clf("198.51.100.1", t(8, 11), T)]
    b = [clf("198.51.100.2", t(8, 11), T, status=404)]
    windows = _windows(tmp_path, a, **{"b.log": b})
    assert _bounds(windows) == [("2020-06-08T10:00:00Z", "2020-06-08T11:00:00Z", "2020-06-08T11:00:00Z")]
    assert windows[0]["evidence"]["first_unavailable"][0]["line"] == 1


@pytest.mark.parametrize("logged, target, matches", [
    pytest.param("/docs/x.xlsx?download=1", T, True, id="query-string-same-file"),
    pytest.param("/docs/%78.xlsx", T, True, id="encoded-in-log"),
    pytest.param("/docs/a%20b.xlsx", "/docs/a b.xlsx", True, id="decoded-target"),
    pytest.param("/docs/a%20b.xlsx", "/docs/a%20b.xlsx", True, id="encoded-target"),
    pytest.param("/docs/x.xlsx.bak", T, False, id="lookalike-suffix"),
    pytest.param("/docs/X.xlsx", T, False, id="case-sensitive-for-apache"),
    pytest.param("/docs/x1.xlsx", "/docs/x?.xlsx", False, id="question-mark-literal"),
    pytest.param("/docs/x%3F.xlsx", "/docs/x?.xlsx", True, id="question-mark-encoded-in-log"),
    pytest.param("/docs/xa.xlsx", "/docs/x*.xlsx", False, id="star-literal"),
    pytest.param("/docs/x[1].xlsx", "/docs/x[1].xlsx", True, id="brackets-literal"),
])
def test_target_matching(tmp_path: Path, logged: str, target: str, matches: bool) -> None:
    windows = _windows(tmp_path, [clf("198.51.100.1", t(8, 10), logged)], target=target)
    assert bool(windows) is matches


def test_never_requested_target_is_a_finding(tmp_path: Path) -> None:
    write_log(tmp_path / "a.log", [clf("198.51.100.1", t(8, 10), "/other")])
    with Case() as case:
        case.ingest([tmp_path / "a.log"])
        (target,) = case.analyse(["/never.xlsx"])["targets"]
    assert target["windows"] == [] and target["downloads"] == []
    assert any("never requested" in w for w in target["warnings"])
