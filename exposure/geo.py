"""GeoIP and ASN facts per client address, from MaxMind (or compatible) `.mmdb` databases via maxminddb.

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
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import maxminddb

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


def _sha256(path: str, size: int, mtime_ns: int) -> str:  # size and mtime key the cache
    key = (path, size, mtime_ns)
    with _HASHING_LOCK:
        job = _HASHING.get(key)
    if job is None:
        return _hash_file(path, size, mtime_ns)
    try:
        return job.result()
    except BaseException:
        with _HASHING_LOCK:  # a failed read is tried again by the next lookup, as without the thread
            if _HASHING.get(key) is job:
                del _HASHING[key]
        raise


@cache
def _hash_file(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# database files being hashed in the background (prefetch_hashes), by (path, size, mtime)
_HASHING: dict[tuple[str, int, int], Future[str]] = {}
_HASHING_LOCK = threading.Lock()


def prefetch_hashes(environ: Mapping[str, str] | None = None) -> None:
    """Start hashing the databases an answer uses by default (GeoLookup()) in a thread: a 57 MB GeoLite2-City
    takes 0.04 s that an ingest spends in Python otherwise (hashlib and the reads release the GIL). The digest is
    the same; `_sha256` waits for it. Nothing is said here: a database that cannot be read is named by the
    lookup that needs it."""
    for kind in ("city", "asn"):
        try:
            found = resolve(kind, None, environ)
            if found is None or not found[0].is_file():
                continue
            stat = found[0].stat()
        except (ImportError, OSError):
            continue
        key = (str(found[0]), stat.st_size, stat.st_mtime_ns)
        with _HASHING_LOCK:
            if key not in _HASHING:
                job: Future[str] = Future()
                _HASHING[key] = job
                threading.Thread(target=_hash_into, args=(job, key), daemon=True).start()


def _hash_into(job: Future[str], key: tuple[str, int, int]) -> None:
    try:
        job.set_result(_hash_file(*key))
    except BaseException as exc:  # noqa: BLE001  # handed to the waiting `_sha256`, which raises it
        job.set_exception(exc)


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


def _where(kind: str, source: str) -> str:
    return OPTION[kind] if source != "environment" else ENV[kind]


def _absent(kind: str, file: Path, label: str, source: str) -> None:
    if not file.is_file():
        raise InputError(f"{_where(kind, source)}: no GeoIP database at {label}: give the path of a MaxMind .mmdb "
                         "file, or none for no lookups")


def check_given(kind: str, given: str | None, environ: Mapping[str, str] | None = None) -> None:
    """A database named by its option or the environment exists: checked with the options, before any work (an
    analysis of logs ingests them first; a missing file would otherwise be said only after that)."""
    found = resolve(kind, given, environ)
    if found is not None and found[2] != "default":
        _absent(kind, *found)
        _opened(kind, *found)[0].close()  # and is a readable database of its kind (a text file fails here too)


def file_sha256(kind: str, file: Path, label: str, source: str) -> str:
    """The database file's SHA-256 (what identifies it in the answer and in the case's cache)."""
    _absent(kind, file, label, source)
    stat = file.stat()
    return _sha256(str(file), stat.st_size, stat.st_mtime_ns)


def open_database(kind: str, file: Path, label: str, source: str) -> tuple[GeoDatabase, maxminddb.Reader]:
    sha = file_sha256(kind, file, label, source)
    reader, meta = _opened(kind, file, label, source)
    db = GeoDatabase(kind, label, source, str(meta.database_type), datetime.fromtimestamp(int(meta.build_epoch), UTC),
                     sha, file)
    return db, reader


def _opened(kind: str, file: Path, label: str, source: str) -> tuple[maxminddb.Reader, Any]:
    """The database open, with its metadata, when it is a readable .mmdb of `kind`'s type; else InputError."""
    import maxminddb  # loads only when a database is read

    where = _where(kind, source)
    try:
        reader = maxminddb.open_database(str(file))
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise InputError(f"{where}: {label} is not a readable .mmdb database ({exc})") from None
    meta = reader.metadata()
    dbtype = str(meta.database_type)
    wanted = "City" if kind == "city" else "ASN"
    if wanted not in dbtype:
        reader.close()
        raise InputError(f"{where}: {label} is a {dbtype} database, not a {wanted} database")
    return reader, meta


KIND_FACTS = {"city": ("country", "city", "accuracy_radius"), "asn": ("asn", "as_org")}
FACTS = ("country", "city", "accuracy_radius", "asn", "as_org")


class GeoLookup:
    """Open City and/or ASN databases; `describe` looks up distinct public addresses once each.

    `known` (SHA-256 -> (kind, database type, build date)) names databases whose lookups the case already
    holds (exposure/derived.py): such a database is identified by its hash and opened only when an address
    must still be looked up in it (`raw`)."""

    def __init__(self, city: str | None = None, asn: str | None = None,
                 environ: Mapping[str, str] | None = None,
                 known: Mapping[str, tuple[str, str, datetime]] | None = None) -> None:
        self.databases: list[GeoDatabase] = []
        self._readers: dict[str, maxminddb.Reader] = {}
        self._found: dict[str, tuple[Path, str, str]] = {}
        try:
            for kind, given in (("city", city), ("asn", asn)):
                found = resolve(kind, given, environ)
                if found is None:
                    continue
                self._found[kind] = found
                if known and (sha := file_sha256(kind, *found)) in known and known[sha][0] == kind:
                    _kind, dbtype, built = known[sha]
                    self.databases.append(GeoDatabase(kind, found[1], found[2], dbtype, _utc(built), sha, found[0]))
                else:
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

    def raw(self, kind: str, address: str) -> dict[str, Any] | None:
        """What the `kind` database holds for a public address (its KIND_FACTS), or None when not in it: read
        from maxminddb's record as geoip2's City and ASN models read it (English names, the country else the
        registered country), without building the models (tests/analysis/test_geo.py compares the two)."""
        if kind not in self._readers:
            self._readers[kind] = open_database(kind, *self._found[kind])[1]
        rec = self._readers[kind].get(address)
        if rec is None:
            return None
        if kind == "city":
            return {"country": _field(rec, "country", "iso_code") or _field(rec, "registered_country", "iso_code"),
                    "city": (_field(rec, "city", "names") or {}).get("en"),
                    "accuracy_radius": _field(rec, "location", "accuracy_radius")}
        return {"asn": rec.get("autonomous_system_number"), "as_org": rec.get("autonomous_system_organization")}

    def describe(self, addresses: Sequence[tuple[str, str, datetime | None]]) -> dict[str, dict[str, Any]]:
        """address -> country, city, accuracy_radius, asn, as_org, geo_note, for (address, network_type,
        first request) triples; each distinct address is looked up once."""
        first: dict[str, tuple[str, datetime | None]] = {}
        for address, ntype, seen in addresses:
            prev = first.get(address)
            if prev is None or (seen is not None and (prev[1] is None or seen < prev[1])):
                first[address] = (ntype, seen)
        out = {}
        for address, (ntype, seen) in sorted(first.items()):
            results = [(db, self.raw(db.kind, address)) for db in self.databases] if ntype == "public" else []
            out[address] = describe_found(ntype, seen, results)
        return out


def _field(record: Any, part: str, name: str) -> Any:
    inner = record.get(part)
    return inner.get(name) if isinstance(inner, dict) else None


def describe_found(ntype: str, seen: datetime | None,
                   results: Sequence[tuple[GeoDatabase, dict[str, Any] | None]]) -> dict[str, Any]:
    """The GeoIP facts of one address and its note, from what each database held for it (`raw`; None: not in
    it). A database built before the address's first request says so beside its result."""
    out: dict[str, Any] = dict.fromkeys(FACTS)
    out["geo_note"] = None
    if ntype != "public":
        out["geo_note"] = f"{ntype} address: not looked up"
        return out
    notes: list[str] = []
    for db, rec in results:
        if rec is None:
            notes.append(f"not in {db.database_type} (built {db.build_date:%Y-%m-%d})")
            continue
        out.update(rec)
        if note := db.age_note(seen):
            notes.append(note)
    out["geo_note"] = "; ".join(notes) or None
    return out


# The databases used by an analysis, written by Case.prepare (queries/spread.sql compares them with the events).
GEO_TABLE_DDL = ("CREATE OR REPLACE TEMP TABLE geoip_databases (kind VARCHAR, database_type VARCHAR, path VARCHAR, "
                 "source VARCHAR, build_date TIMESTAMP, sha256 VARCHAR)")
