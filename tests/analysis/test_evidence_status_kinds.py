"""The kinds of incompleteness an evidence status names on page 1 (evidence_status.incompleteness)."""

from __future__ import annotations

import pytest

from exposure.analysis.evidence_status import incompleteness


def _status(*kinds: tuple[str, str]) -> dict:
    return {"findings": [{"kind": k, "severity": sev} for k, sev in kinds]}


@pytest.mark.parametrize(("kinds", "named"), [
    pytest.param([("damaged", "incomplete"), ("joined lines", "incomplete"), ("gap", "stated")],
                 ["damaged", "joined"], id="damaged-and-joined-read-whole"),
    pytest.param([("unreadable", "incomplete"), ("truncated", "incomplete")], ["unreadable", "truncated"],
                 id="unreadable-and-cut"),
    pytest.param([("truncated", "incomplete"), ("gap", "stated")], ["truncated"], id="truncated-is-not-damaged"),
    pytest.param([("changed during read", "incomplete"), ("truncated", "incomplete"), ("damaged", "incomplete")],
                 ["damaged", "truncated", "changing"], id="each-named"),
    pytest.param([("missing", "incomplete"), ("some new kind", "incomplete")], ["changed", "unreadable"],
                 id="unknown-kind-is-unreadable"),
    pytest.param([("overlap", "stated")], [], id="complete"),
])
def test_the_status_names_what_kind_of_incompleteness(kinds: list[tuple[str, str]], named: list[str]) -> None:
    assert incompleteness(_status(*kinds)) == named
