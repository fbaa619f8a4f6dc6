"""Tiny GeoIP City/ASN databases for tests, written with mmdb-writer (build date chosen by the test)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mmdb_writer import MmdbU16, MmdbU32, MMDBWriter
from netaddr import IPSet


class _Writer(MMDBWriter):
    def __init__(self, built: datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._epoch = int(built.replace(tzinfo=UTC).timestamp())

    def _build_meta(self) -> dict[str, Any]:
        return {**super()._build_meta(), "build_epoch": self._epoch}


def _writer(database_type: str, built: datetime) -> _Writer:
    return _Writer(built, ip_version=6, ipv4_compatible=True, database_type=database_type, languages=["en"],
                   description="exposure test database")


def city_db(path: Path, built: datetime, networks: dict[str, tuple[str, str, int]]) -> Path:
    """networks: CIDR -> (ISO country, city name, accuracy radius km)."""
    w = _writer("GeoLite2-City", built)
    for cidr, (country, city, radius) in networks.items():
        w.insert_network(IPSet([cidr]), {
            "country": {"iso_code": country, "names": {"en": country}},
            "city": {"names": {"en": city}},
            "location": {"accuracy_radius": MmdbU16(radius)},
        })
    w.to_db_file(str(path))
    return path


def asn_db(path: Path, built: datetime, networks: dict[str, tuple[int, str]]) -> Path:
    """networks: CIDR -> (AS number, organisation)."""
    w = _writer("GeoLite2-ASN", built)
    for cidr, (asn, org) in networks.items():
        w.insert_network(IPSet([cidr]), {"autonomous_system_number": MmdbU32(asn),
                                         "autonomous_system_organization": org})
    w.to_db_file(str(path))
    return path
