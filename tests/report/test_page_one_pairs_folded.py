"""Pairs of windows that may be one (servers behind one load balancer whose clocks differ) are one must-carry
caveat each; page 1 folds them into one line naming the pairs (review page1budget H/: 14 pairs, 132 printed lines
of caveats), in English and in Dutch, and section 1 still says each."""

from __future__ import annotations

import pytest

from exposure.answer import reopened_elsewhere_sentence
from exposure.report.caveats import caveats
from exposure.report.i18n import EN, NL, Strings


def _pair(a: int, via: str | None = None) -> str:
    return reopened_elsewhere_sentence({"closed": a, "reopened": a + 1, "seconds": 30 + a, "via": via,
                                        "reopened_by": f"web{a % 2 + 1}/access.log",
                                        "closed_by": f"web{(a + 1) % 2 + 1}/access.log"})


@pytest.mark.parametrize(("lang", "pairs", "one"), [(EN, "1 and 2, 3 and 4, 5 and 6", "14 pairs of windows"),
                                                   (NL, "1 en 2, 3 en 4, 5 en 6", "14 paren vensters")])
def test_fourteen_pairs_of_windows_are_one_must_carry_caveat(lang: dict, pairs: str, one: str) -> None:
    s = Strings(lang)
    warnings = [_pair(a) for a in range(1, 28, 2)]
    target = {"path": "/docs/leak.pdf", "warnings": warnings}
    said = caveats([], [target], s)
    assert len(said) == 1, [c["text"][:80] for c in said]
    [c] = said
    assert c["must"] and c["text"].startswith(one) and pairs in c["text"] and "27" in c["text"]


def test_one_pair_is_said_whole_and_pairs_of_an_alias_apart() -> None:
    s = Strings(EN)
    target = {"path": "/docs/leak.pdf", "warnings": [_pair(1), _pair(3, "/old.pdf"), _pair(5, "/old.pdf")]}
    said = [c["text"] for c in caveats([], [target], s)]
    assert said[0].startswith("windows 1 and 2 may be one: window 2 opened 31 seconds")
    assert said[1].startswith("2 pairs of windows of --alias /old.pdf may each be one window (3 and 4, 5 and 6)")
    assert len(said) == 2
