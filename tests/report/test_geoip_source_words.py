"""The Dutch report words the packaged GeoIP database's label in Dutch (report/wording.py geoip_source): page 1's
GeoIP caveat said '(maxminddb-geolite2 package: GeoLite2-City.mmdb)' in a Dutch sentence (/tmp/firstpage/a)."""

from __future__ import annotations

from exposure.answer import GEOIP_OLDER
from exposure.geo import DEFAULT_CITY_LABEL
from exposure.report import wording
from exposure.report.i18n import EN, NL, Strings


def test_the_packaged_database_is_named_in_dutch() -> None:
    warning = f"the city database GeoLite2-City ({DEFAULT_CITY_LABEL}) was built 2018-07-03T21:26:56Z, {GEOIP_OLDER}"
    dutch = wording.sentence(warning, Strings(NL))
    assert dutch == ("de plaats-database GeoLite2-City (pakket maxminddb-geolite2: GeoLite2-City.mmdb) is gebouwd "
                     "op 2018-07-03T21:26:56Z, vóór de verzoeken: de resultaten ervan (geo_note) beschrijven de "
                     "adressen mogelijk niet meer")
    assert wording.sentence(warning, Strings(EN)) == warning


def test_a_database_given_by_path_keeps_its_path() -> None:
    warning = f"the city database GeoLite2-City (/data/city package.mmdb) was built 2018-07-03T21:26:56Z, {GEOIP_OLDER}"
    assert "(/data/city package.mmdb)" in wording.sentence(warning, Strings(NL))
