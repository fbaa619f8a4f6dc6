"""GeoIP and ASN facts per client address, from MaxMind (or compatible) `.mmdb` databases via geoip2.

One lookup per distinct public address; private, shared (carrier-grade NAT 100.64/10), loopback, link-local
and reserved addresses are labelled by `network_type` and never looked up. Every database is recorded
with its type, path, build date (from its metadata) and SHA-256; a database built before the requests it
describes is said to be older next to every result that came from it (`geo_note`): addresses move between
networks and places, so a 2018 database describes 2018, not the day of the download.

Databases: `--geoip-city` / `--geoip-asn` (or the environment variables EXPOSURE_GEOIP_CITY /
EXPOSURE_GEOIP_ASN); without either, the City database shipped by the `maxminddb-geolite2` package
(GeoLite2-City, built July 2018) and no ASN database. The value `none` switches a database off.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import geoip2.database
import geoip2.errors
import maxminddb

from ..errors import InputError

ENV = {"city": "EXPOSURE_GEOIP_CITY", "asn": "EXPOSURE_GEOIP_ASN"}
OPTION = {"city": "--geoip-city", "asn": "--geoip-asn"}
DEFAULT_CITY_LABEL = "maxminddb-geolite2 package: GeoLite2-City.mmdb"


@dataclass(frozen=True)
class GeoDatabase:
    """One opened database, as recorded in the answer."""

    kind: str  # city | asn
    path: str  # as given, or DEFAULT_CITY_LABEL for the packaged database
    source: str  # option | environment | default
    database_type: str  # from the metadata, e.g. GeoLite2-City
    build_date: datetime  # UTC, from the metadata's build_epoch
    sha256: str
    file: Path = field(compare=False, repr=False)

    def older_than(self, when: datetime | None) -> bool:
        return when is not None and self.build_date < _utc(when)

    def age_note(self, when: datetime | None) -> str | None:
        if not self.older_than(when):
            return None
        return (f"{self.database_type} was built {self.build_date:%Y-%m-%d}, before the requests it describes "
                f"(first {_utc(when):%Y-%m-%d}): the address may have moved to another network or place since")

    def as_row(self) -> dict[str, Any]:
        return {"kind": self.kind, "database_type": self.database_type, "path": self.path, "source": self.source,
                "build_date": self.build_date.replace(tzinfo=None), "sha256": self.sha256}


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def default_city_path() -> Path:
    from _maxminddb_geolite2 import geolite2_database

    return Path(geolite2_database())


@cache
def _sha256(path: str, size: int, mtime_ns: int) -> str:  # size and mtime key the cache
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def resolve(kind: str, given: str | None, environ: Mapping[str, str] | None = None) -> tuple[Path, str, str] | None:
    """(file, path as recorded, source) for a database, or None when switched off or absent."""
    env = os.environ if environ is None else environ
    if given:
        value, source = given, "option"
    elif env.get(ENV[kind]):
        value, source = env[ENV[kind]], "environment"
    elif kind == "city":
        return default_city_path(), DEFAULT_CITY_LABEL, "default"
    else:
        return None
    if value.strip().lower() == "none":
        return None
    return Path(value), value, source


def open_database(kind: str, file: Path, label: str, source: str) -> tuple[GeoDatabase, geoip2.database.Reader]:
    where = OPTION[kind] if source != "environment" else ENV[kind]
    if not file.is_file():
        raise InputError(f"{where}: no GeoIP database at {label}")
    try:
        reader = geoip2.database.Reader(str(file))
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise InputError(f"{where}: {label} is not a readable .mmdb database ({exc})") from None
    meta = reader.metadata()
    dbtype = str(meta.database_type)
    wanted = "City" if kind == "city" else "ASN"
    if wanted not in dbtype:
        reader.close()
        raise InputError(f"{where}: {label} is a {dbtype} database, not a {wanted} database")
    stat = file.stat()
    db = GeoDatabase(kind, label, source, dbtype, datetime.fromtimestamp(int(meta.build_epoch), UTC),
                     _sha256(str(file), stat.st_size, stat.st_mtime_ns), file)
    return db, reader


class GeoLookup:
    """Open City and/or ASN databases; `describe` looks up distinct public addresses once each."""

    def __init__(self, city: str | None = None, asn: str | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.databases: list[GeoDatabase] = []
        self._readers: dict[str, geoip2.database.Reader] = {}
        try:
            for kind, given in (("city", city), ("asn", asn)):
                found = resolve(kind, given, environ)
                if found is not None:
                    db, reader = open_database(kind, *found)
                    self.databases.append(db)
                    self._readers[kind] = reader
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> GeoLookup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for reader in self._readers.values():
            reader.close()
        self._readers.clear()

    def database(self, kind: str) -> GeoDatabase | None:
        return next((d for d in self.databases if d.kind == kind), None)

    def describe(self, addresses: Sequence[tuple[str, str, datetime | None]]) -> dict[str, dict[str, Any]]:
        """address -> country, city, accuracy_radius, asn, as_org, geo_note, for (address, network_type,
        first request) triples; each distinct address is looked up once."""
        first: dict[str, tuple[str, datetime | None]] = {}
        for address, ntype, seen in addresses:
            prev = first.get(address)
            if prev is None or (seen is not None and (prev[1] is None or seen < prev[1])):
                first[address] = (ntype, seen)
        return {address: self._one(address, ntype, seen) for address, (ntype, seen) in sorted(first.items())}

    def _one(self, address: str, ntype: str, seen: datetime | None) -> dict[str, Any]:
        out: dict[str, Any] = {"country": None, "city": None, "accuracy_radius": None, "asn": None,
                               "as_org": None, "geo_note": None}
        if ntype != "public":
            out["geo_note"] = f"{ntype} address: not looked up"
            return out
        notes: list[str] = []
        city_db, asn_db = self.database("city"), self.database("asn")
        if city_db is not None:
            try:
                rec = self._readers["city"].city(address)
            except geoip2.errors.AddressNotFoundError:
                notes.append(f"not in {city_db.database_type} (built {city_db.build_date:%Y-%m-%d})")
            else:
                out["country"] = rec.country.iso_code or rec.registered_country.iso_code
                out["city"] = rec.city.name
                out["accuracy_radius"] = rec.location.accuracy_radius
                if note := city_db.age_note(seen):
                    notes.append(note)
        if asn_db is not None:
            try:
                arec = self._readers["asn"].asn(address)
            except geoip2.errors.AddressNotFoundError:
                notes.append(f"not in {asn_db.database_type} (built {asn_db.build_date:%Y-%m-%d})")
            else:
                out["asn"] = arec.autonomous_system_number
                out["as_org"] = arec.autonomous_system_organization
                if note := asn_db.age_note(seen):
                    notes.append(note)
        out["geo_note"] = "; ".join(notes) or None
        return out


# The databases used by an analysis, written by Case.prepare (queries/spread.sql compares them with the events).
GEO_TABLE_DDL = ("CREATE OR REPLACE TEMP TABLE geoip_databases (kind VARCHAR, database_type VARCHAR, path VARCHAR, "
                 "source VARCHAR, build_date TIMESTAMP, sha256 VARCHAR)")
