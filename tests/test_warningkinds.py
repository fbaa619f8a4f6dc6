"""Each warning of the answer has a kind (exposure/warningkinds.py), named by its producer's own words: page 1's
counted line of caveats names the kinds it counts ("1 more caveat (file size in doubt)"), where it said "1 more
caveat" alone (/tmp/firstpage/c, Dutch). Every kind has a label in English and Dutch."""

from __future__ import annotations

import pytest

from exposure.answer import (
    above_size_warning,
    error_page_warning,
    fold_responses_sentence,
    lengths_warning,
    never_requested,
    reopened_elsewhere_sentence,
    reopened_in_flight_sentence,
    shared_spellings_sentence,
    size_doubt_warnings,
)
from exposure.report.i18n import EN, NL
from exposure.warningkinds import KINDS, OTHER, warning_kind

_PAIR = {"via": None, "closed": 1, "reopened": 2, "seconds": 120, "reopened_by": "web2/access.log",
         "closed_by": "web1/access.log", "responses": 1, "stream": "web1/access.log"}


@pytest.mark.parametrize(("warning", "kind"), [
    pytest.param(size_doubt_warnings(1, [{"bytes": 32768, "addresses": 2}], 60000, 75000)[0], "size_in_doubt",
                 id="size-in-doubt-larger"),
    pytest.param(size_doubt_warnings(1, [{"bytes": 32768, "addresses": 2}, {"bytes": 60000, "addresses": 2}],
                                     60000, 60000)[0], "size_in_doubt", id="size-in-doubt-two"),
    pytest.param(lengths_warning(2, [590000, 600000]), "several_lengths", id="lengths"),
    pytest.param(above_size_warning(1, 2, 50000), "above_size", id="above-size"),
    pytest.param(error_page_warning(1), "error_page", id="error-page"),
    pytest.param(never_requested("/docs/x.pdf"), "never_requested", id="never-requested"),
    pytest.param(reopened_elsewhere_sentence(_PAIR), "windows_may_be_one", id="reopened-elsewhere"),
    pytest.param(reopened_in_flight_sentence(_PAIR), "republication", id="reopened-in-flight"),
    pytest.param(shared_spellings_sentence(3, ["/Docs/X.pdf"]), "shared_spelling", id="spellings"),
    pytest.param("the city database GeoLite2-City (x.mmdb) was built 2018-07-03T21:26:56Z, before the requests: its "
                 "results (geo_note) may no longer describe the addresses", "geoip_older", id="geoip"),
    pytest.param("window 1 opens within the first hour of the evidence: the publication time may be earlier than "
                 "the logs", "open_at_start", id="open-at-start"),
    pytest.param("window 2: 1 client's partial downloads may together hold the file (86.87.220.15: 2 partials from "
                 "download 17, up to 71577 of 71577 bytes): a resume ...", "partials_add_up", id="partials"),
    pytest.param(fold_responses_sentence({"via": None, "first_evidence_id": 1, "first_line_no": 16, "responses": 3,
                                          "unavailable": 1}, {1: ("access.log", "", None)}), "clock_fold", id="clock-fold"),
    pytest.param("a sentence no producer writes", OTHER, id="other"),
])
def test_each_warning_is_named_by_its_producers_words(warning: str, kind: str) -> None:
    assert warning_kind(warning) == kind


def test_every_kind_has_a_label_in_english_and_dutch() -> None:
    for kind in [k for k, _ in KINDS] + [OTHER]:
        key = f"caveat_kind_{kind}"
        assert EN.get(key) and NL.get(key) and EN[key] != NL[key], key
