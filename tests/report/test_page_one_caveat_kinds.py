"""Page 1's counted line of caveats names the kinds it counts (exposure/warningkinds.py), in the report's language:
'Caveat: 1 more caveat (file size in doubt): each said whole in section 1', where it said '1 more caveat: every
caveat in section 1' and the reader could not tell a size in doubt from a GeoIP note (/tmp/firstpage/c, Dutch)."""

from __future__ import annotations

import pytest

from exposure.answer import GEOIP_OLDER, lengths_warning, size_doubt_warnings
from exposure.report.caveats import caveats
from exposure.report.i18n import EN, NL, Strings
from exposure.report.pageone import page_one

GEOIP = f"the city database GeoLite2-City (x.mmdb) was built 2018-07-03T21:26:56Z, {GEOIP_OLDER}"
DOUBT = size_doubt_warnings(1, [{"bytes": 32768, "addresses": 2}], 60000, 75000)[0]
OPEN = "window 2 opens within the first hour of the evidence: the publication time may be earlier than the logs"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_caveats_counted_away_are_named_by_kind(lang: str) -> None:
    s = Strings(EN if lang == "en" else NL)
    target = {"path": "/docs/x.xlsx", "warnings": [DOUBT, lengths_warning(2, [590000, 600000]), OPEN]}
    said = caveats([GEOIP], [target], s)
    one = page_one([], [], said, [], s, str, room=6)  # the GeoIP caveat must be said; no room for the others
    assert [c["warning_kind"] for c in one["caveats"]] == ["geoip_older"]
    assert one["more_caveats"] == 3
    assert one["more_caveat_kinds"] == [s["caveat_kind_size_in_doubt"], s["caveat_kind_several_lengths"],
                                        s["caveat_kind_open_at_start"]]
    line = s.f("page_one_more_caveats", n=one["more_caveats"], kinds=", ".join(one["more_caveat_kinds"]))
    assert s["caveat_kind_size_in_doubt"] in line and line.startswith({"en": "3 more caveats (",
                                                                        "nl": "nog 3 kanttekeningen ("}[lang])
    assert one["printed"] <= 6


def test_no_caveat_counted_no_kind_named() -> None:
    s = Strings(EN)
    one = page_one([], [], caveats([GEOIP], [{"path": "/x", "warnings": [OPEN]}], s), [], s, str)
    assert one["more_caveats"] == 0 and one["more_caveat_kinds"] == []
