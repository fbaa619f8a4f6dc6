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


def _files(kind: str, n: int, **more: int) -> dict:
    """A status whose `kind` names n files (and other kinds the files given in `more`)."""
    groups = [{"kind": kind, "severity": "incomplete", "count": n, "paths": [f"/logs/web{i}/access.log"
                                                                              for i in range(n)]}]
    groups += [{"kind": k.replace("_", " "), "severity": "incomplete", "count": m,
                "paths": [f"/logs/web{i}/access.log" for i in range(m)]} for k, m in more.items()]
    return {"findings": groups, "all_read": False}


@pytest.mark.parametrize(("n", "en", "nl"), [
    (1, "a file holds lines joined", "een bestand bevat regels"),
    (2, "2 files hold lines joined", "2 bestanden bevatten regels"),
    (30, "30 files hold lines joined", "30 bestanden bevatten regels"),
])
def test_the_status_sentence_counts_the_files_it_speaks_of(n: int, en: str, nl: str) -> None:
    """Page 1's status sentence said 'a file holds lines joined' of 30 files; now the count and the verb agree with
    it, in English and Dutch, for every sentence that speaks of files (truncated, changing, joined)."""
    from exposure.report.i18n import strings
    from exposure.report.model import incomplete_sentence

    assert en in incomplete_sentence(_files("joined lines", n), strings("en"))
    assert nl in incomplete_sentence(_files("joined lines", n), strings("nl"))
    truncated = {1: "a file ends early", 2: "2 files end early", 30: "30 files end early"}[n]
    assert truncated in incomplete_sentence(_files("truncated", n), strings("en"))
    changing = {1: "a file changed while it was read", 2: "2 files changed while they were read",
                30: "30 files changed while they were read"}[n]
    assert changing in incomplete_sentence(_files("changed during read", n), strings("en"))
    dutch = {1: "een bestand veranderde terwijl het werd gelezen", 2: "2 bestanden veranderden terwijl ze werden "
             "gelezen", 30: "30 bestanden veranderden terwijl ze werden gelezen"}[n]
    assert dutch in incomplete_sentence(_files("changed during read", n), strings("nl"))
    ends = {1: "een bestand houdt voortijdig op", 2: "2 bestanden houden voortijdig op",
            30: "30 bestanden houden voortijdig op"}[n]
    assert ends in incomplete_sentence(_files("truncated", n), strings("nl"))


def test_a_file_of_two_kinds_of_one_incompleteness_is_counted_once() -> None:
    # joined lines and glued lines are one incompleteness ('joined'): web0 and web1 have both, web2 glued alone
    from exposure.report.i18n import strings
    from exposure.report.model import incomplete_sentence

    assert "3 files hold lines joined" in incomplete_sentence(_files("joined lines", 2, glued_lines=3),
                                                               strings("en"))
