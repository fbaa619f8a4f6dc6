"""tests/slow.txt is measured: `tests.slowlist` sums each test's phases from pytest's --durations report and keeps
those at or over the threshold; the list read back gives the seconds each test's marker and order come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import slowlist

REPORT = """\
============================= slowest durations ==============================
2.50s call     tests/test_a.py::test_slow
0.75s setup    tests/test_a.py::test_slow
1.20s call     tests/test_b.py::test_param[two words]
0.40s teardown tests/test_b.py::test_param[two words]
0.90s call     tests/test_b.py::test_quick
(12 durations < 0.005s hidden.  Use -vv to show these durations.)
"""


def test_phases_of_one_test_are_summed() -> None:
    assert slowlist.durations(REPORT) == {"tests/test_a.py::test_slow": 3.25,
                                          "tests/test_b.py::test_param[two words]": 1.6,
                                          "tests/test_b.py::test_quick": 0.9}


def test_the_list_keeps_tests_at_the_threshold_and_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "durations.log"
    log.write_text(REPORT, encoding="utf-8")
    assert slowlist.main([str(log), "--min", "1.6"]) == 0
    listed = tmp_path / "slow.txt"
    listed.write_text(capsys.readouterr().out, encoding="utf-8")
    assert slowlist.slow_tests(listed) == {"tests/test_a.py::test_slow": 3.25,
                                           "tests/test_b.py::test_param[two words]": 1.6}


def test_a_log_without_durations_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "durations.log"
    log.write_text("3 passed in 1.00s\n", encoding="utf-8")
    assert slowlist.main([str(log)]) == 2


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid, self.marks = nodeid, []

    def add_marker(self, mark: pytest.MarkDecorator) -> None:
        self.marks.append(mark.name)


def test_a_listed_test_is_marked_slow_and_no_other() -> None:
    from tests import conftest

    listed = next(iter(slowlist.slow_tests()))
    items = [_Item(listed), _Item("tests/test_slowlist.py::test_not_listed")]
    for item in items:
        conftest.pytest_itemcollected(item)  # type: ignore[arg-type]
    assert [item.marks for item in items] == [["slow"], []]


def test_a_long_setup_lists_its_module_and_an_earlier_list_is_kept(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A shared fixture's cost lands on one test's setup: its whole module is listed (moving that test alone would
    hand the cost to the next); entries of an earlier list this run did not time stay."""
    log = tmp_path / "durations.log"
    log.write_text(REPORT + "6.00s setup    tests/test_c.py::test_first\n", encoding="utf-8")
    earlier = tmp_path / "earlier.txt"
    earlier.write_text("# made before\n9.00 tests/test_d.py::test_old\n", encoding="utf-8")
    assert slowlist.main([str(log), "--min", "3", "--module-min", "5", "--keep", str(earlier)]) == 0
    listed = tmp_path / "slow.txt"
    listed.write_text(capsys.readouterr().out, encoding="utf-8")
    assert slowlist.slow_tests(listed) == {"tests/test_a.py::test_slow": 3.25, "tests/test_c.py": 6.0,
                                           "tests/test_c.py::test_first": 6.0, "tests/test_d.py::test_old": 9.0}


def test_a_test_of_a_listed_module_is_marked_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import conftest

    monkeypatch.setattr(conftest, "_SLOW", {"tests/test_c.py": 6.0})
    items = [_Item("tests/test_c.py::test_any[x]"), _Item("tests/test_cc.py::test_other")]
    for item in items:
        conftest.pytest_itemcollected(item)  # type: ignore[arg-type]
    assert [item.marks for item in items] == [["slow"], []]


def _run_one(deadline: str) -> str:
    """Run this module's first test in a child pytest with EXPOSURE_TEST_DEADLINE set; its output."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "EXPOSURE_TEST_DEADLINE": deadline}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                           f"{Path(__file__).relative_to(Path.cwd())}::test_phases_of_one_test_are_summed"],
                          env=env, capture_output=True, text=True, check=False)
    return done.stdout


def test_a_deadline_passed_leaves_each_test_unrun_and_says_so() -> None:
    """`.ci/run` gives the slow tier a deadline: a test not started by then is skipped (never passed), and the
    run's summary counts what the deadline left."""
    past = _run_one("1")
    assert "1 skipped" in past and "passed" not in past.splitlines()[-1]
    assert "1 tests not run: past the run's deadline" in past
    future = _run_one("99999999999")
    assert "1 passed" in future and "not run" not in future
