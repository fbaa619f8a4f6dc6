"""review_rules: a body count put in doubt is never judged partial. A file replaced mid-window by a larger version
(/tmp/review_rules/c2_versions: v1 40,000 bytes by 10 addresses, v2 45,000 by 2; nginx/Apache combined, body counts
only, no stated length): the largest count several addresses logged is taken (45,000) and the size is said in doubt,
but the 10 whole copies of v1 were judged 'partial' against it, a cut-short download the log does not show (the
count is a whole other version, an error page, or a copy cut short: it cannot say). Now undetermined, in the JSON
answer, the API, the portable SQL and the oracle (queries/downloads_rule.sql rule_count_in_doubt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_bodysize import _answer, _doors

pytestmark = pytest.mark.slow

V1, V2 = 40_000, 45_000


def test_copies_of_a_count_in_doubt_are_undetermined_never_partial(tmp_path: Path) -> None:
    served = [(f"198.51.100.{i}", V1) for i in range(1, 11)] + [("192.0.2.10", V2), ("192.0.2.11", V2)]
    got = _doors(tmp_path, served)
    assert [g[1] for g in got] == ["undetermined"] * 10 + ["complete"] * 2
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_in_doubt"]) == (V2, True)
    totals = _answer().totals
    assert (totals["complete_downloads"], totals["partial_downloads"]) == (2, 0)
