"""review_rules: a larger body count than the size taken puts the inferred size in doubt, and it is said.
/tmp/review_rules/c1_buffer (nginx/Apache combined, body counts only, no stated length): one address fetched the
whole 40,000-byte file, two broke off at one buffer boundary (32,768). The largest count several addresses logged
(32,768) was taken as the size: the two broken-off transfers read complete, the one whole copy undetermined with a
warning that it is 'never the file', and no doubt said (size_in_doubt false). A copy cut short is a smaller count,
never a larger one: the larger count is another object at the path or the file itself, the log cannot say which, so
the size is an inference in doubt (queries/downloads_rule.sql rule_sizes_in_doubt), said by every door."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.report.i18n import strings
from exposure.report.wording import sentence
from tests.test_bodysize import TARGET, _answer, _doors, _files, _page_one, _terminal

pytestmark = pytest.mark.slow


def test_a_larger_count_than_the_size_taken_puts_it_in_doubt(tmp_path: Path) -> None:
    served = [("198.51.100.1", 40_000), ("192.0.2.10", 32_768), ("192.0.2.11", 32_768)]
    got = _doors(tmp_path, served)
    assert [g[1] for g in got] == ["undetermined", "complete", "complete"]
    [window] = _answer().target["windows"]
    assert (window["size_bytes"], window["size_in_doubt"]) == (32_768, True)
    [said] = [w for w in _answer().target["warnings"] if "size in doubt" in w]
    assert said.startswith("window 1: size in doubt: a 200 logged a larger body count (40\u202f000 bytes) than the "
                           "size taken (32\u202f768 bytes, ")
    assert "never the file" not in " ".join(_answer().target["warnings"])
    row, stderr = _files(tmp_path)
    assert row["sizes_in_doubt"] and f"warning: {TARGET}: {said}" in stderr
    assert said in _terminal(tmp_path)
    assert said in _page_one(tmp_path, "en")
    dutch = sentence(said, strings("nl"))
    assert dutch.startswith("venster 1: grootte twijfelachtig: een 200-antwoord logde een groter aantal bytes "
                            "inhoud (40\u202f000 bytes) dan de genomen grootte (32\u202f768 bytes, ")
    assert dutch in _page_one(tmp_path, "nl")
