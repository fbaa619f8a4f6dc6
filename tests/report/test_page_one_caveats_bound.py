"""Page 1 says every caveat since report/pageone.py, but thirty files given by --target and never requested are
thirty caveats, each naming its file: page 1 says the caveats the files share first (a GeoIP database older than
the requests, one line for all), then the first files' own up to PAGE_ONE_CAVEATS - 1 lines, and counts the rest in one line pointing to
section 1, which says every one."""

from __future__ import annotations

from exposure.report.i18n import EN, Strings
from exposure.report.pageone import PAGE_ONE_CAVEATS, page_one

GEOIP = "the city database GeoLite2-City (...) was built 2018-07-03T21:26:56Z, before the requests (30 files)"


def test_many_caveats_keep_the_shared_one_and_count_the_rest() -> None:
    own = [{"kind": "caveat", "path": f"/docs/{k}.pdf", "text": f"/docs/{k}.pdf was never requested", "files": 1}
           for k in range(29)]
    shared = {"kind": "caveat", "path": None, "text": GEOIP, "files": 30}
    one = page_one([], [], [*own[:3], shared, *own[3:]], [], Strings(EN), str)
    # PAGE_ONE_CAVEATS lines: the shared caveat, the first files' own, and the line counting the other 27
    assert [c["text"] for c in one["caveats"]] == [GEOIP] + [c["text"] for c in own[:PAGE_ONE_CAVEATS - 2]]
    assert one["more_caveats"] == 30 - (PAGE_ONE_CAVEATS - 1) == 27


def test_a_few_caveats_are_each_said() -> None:
    caveats = [{"kind": "caveat", "path": None, "text": f"caveat {k}", "files": 1} for k in range(PAGE_ONE_CAVEATS)]
    one = page_one([], [], caveats, [], Strings(EN), str)
    assert one["caveats"] == caveats and one["more_caveats"] == 0
