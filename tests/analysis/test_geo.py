"""GeoIP/ASN per distinct address: databases recorded with build date, old databases flagged, private ranges
labelled and not looked up."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from exposure import AnalysisOptions, Case
from exposure.clients import describe_addresses
from exposure.errors import InputError
from exposure.geo import DEFAULT_CITY_LABEL, GeoLookup
from tests.conftest import write_log
from tests.logs import clf, t

from .mmdb import asn_db, city_db

NETS_CITY = {"84.29.0.0/16": ("NL", "Grave", 5), "2001:1c00::/23": ("NL", "Voorburg", 1),
             "100.64.0.0/10": ("ZZ", "Nowhere", 1), "10.0.0.0/8": ("ZZ", "Nowhere", 1)}
NETS_ASN = {"84.24.0.0/13": (33915, "Ziggo B.V."), "2001:1c00::/23": (33915, "Ziggo B.V."),
            "100.64.0.0/10": (1, "should never be looked up")}


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[Path, Path]:
    return (city_db(tmp_path / "city.mmdb", datetime(2021, 1, 5), NETS_CITY),
            asn_db(tmp_path / "asn.mmdb", datetime(2019, 3, 1), NETS_ASN))


def test_lookup_public_ipv4_and_ipv6(dbs: tuple[Path, Path]) -> None:
    city, asn = dbs
    with GeoLookup(str(city), str(asn), environ={}) as geo:
        got = geo.describe([("84.29.143.61", "public", datetime(2020, 6, 8)),
                            ("2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0", "public", datetime(2020, 6, 11))])
    assert got["84.29.143.61"]["country"] == "NL" and got["84.29.143.61"]["city"] == "Grave"
    assert got["84.29.143.61"]["accuracy_radius"] == 5
    assert (got["84.29.143.61"]["asn"], got["84.29.143.61"]["as_org"]) == (33915, "Ziggo B.V.")
    v6 = got["2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0"]
    assert (v6["country"], v6["city"], v6["asn"]) == ("NL", "Voorburg", 33915)


def test_old_database_is_named_next_to_each_result(dbs: tuple[Path, Path]) -> None:
    city, asn = dbs  # City built 2021 (newer than the events), ASN built 2019 (older)
    with GeoLookup(str(city), str(asn), environ={}) as geo:
        note = geo.describe([("84.29.143.61", "public", datetime(2020, 6, 8))])["84.29.143.61"]["geo_note"]
        assert geo.database("asn").older_than(datetime(2020, 6, 8))
        assert not geo.database("city").older_than(datetime(2020, 6, 8))
    assert "GeoLite2-ASN was built 2019-03-01, before the requests it describes (first 2020-06-08)" in note
    assert "GeoLite2-City" not in note


@pytest.mark.parametrize(("address", "ntype"), [("10.1.1.1", "private"), ("100.64.3.4", "shared"),
                                                 ("127.0.0.1", "loopback"), ("fd00::5", "private")])
def test_private_and_shared_ranges_are_labelled_not_looked_up(dbs: tuple[Path, Path], address: str,
                                                               ntype: str) -> None:
    city, asn = dbs
    with GeoLookup(str(city), str(asn), environ={}) as geo:
        row = describe_addresses([address], [], geo=geo).iloc[0]
    assert row["network_type"] == ntype
    assert row["geo_note"] == f"{ntype} address: not looked up"
    assert pd.isna(row["country"]) and pd.isna(row["asn"]) and pd.isna(row["city"])


def test_address_missing_from_database_is_said(dbs: tuple[Path, Path]) -> None:
    city, asn = dbs
    with GeoLookup(str(city), str(asn), environ={}) as geo:
        got = geo.describe([("8.8.8.8", "public", None)])["8.8.8.8"]
    assert got["country"] is None and got["asn"] is None
    assert got["geo_note"] == "not in GeoLite2-City (built 2021-01-05); not in GeoLite2-ASN (built 2019-03-01)"


def test_one_lookup_per_distinct_address(dbs: tuple[Path, Path]) -> None:
    city, asn = dbs
    with GeoLookup(str(city), str(asn), environ={}) as geo:
        calls: list[str] = []
        reader = geo._readers["city"]

        class Counting:  # the reader's lookups, counted (maxminddb's C reader takes no new attributes)
            def get(self, ip: str):  # noqa: ANN202
                calls.append(ip)
                return reader.get(ip)

            def close(self) -> None:
                reader.close()

        geo._readers["city"] = Counting()  # type: ignore[assignment]
        got = geo.describe([("84.29.143.61", "public", datetime(2020, 6, 9)),
                            ("84.29.143.61", "public", datetime(2020, 6, 8))])
    assert calls == ["84.29.143.61"]
    assert "(first 2020-06-08)" in (got["84.29.143.61"]["geo_note"] or "")  # earliest request kept


def test_default_city_is_the_2018_geolite2_and_older_than_2020_events() -> None:
    with GeoLookup(environ={}) as geo:
        [db] = geo.databases
        assert (db.kind, db.database_type, db.path, db.source) == ("city", "GeoLite2-City", DEFAULT_CITY_LABEL,
                                                                   "default")
        assert db.build_date.strftime("%Y-%m") == "2018-07"
        got = geo.describe([("66.249.66.159", "public", datetime(2020, 6, 8, 14, 47))])["66.249.66.159"]
    assert got["country"] == "US"
    assert got["asn"] is None  # no ASN database unless given
    assert "GeoLite2-City was built 2018-07-03, before the requests it describes (first 2020-06-08)" in got["geo_note"]


def test_environment_variables_and_none(dbs: tuple[Path, Path]) -> None:
    city, asn = dbs
    with GeoLookup(environ={"EXPOSURE_GEOIP_CITY": str(city), "EXPOSURE_GEOIP_ASN": str(asn)}) as geo:
        assert [(d.kind, d.source, d.path) for d in geo.databases] == [("city", "environment", str(city)),
                                                                       ("asn", "environment", str(asn))]
    with GeoLookup("none", None, environ={}) as geo:
        assert geo.databases == []


def test_bad_databases_are_one_clear_error(dbs: tuple[Path, Path], tmp_path: Path) -> None:
    city, asn = dbs
    with pytest.raises(InputError, match=r"--geoip-city: no GeoIP database at .*missing.mmdb: give the path of a "
                                         r"MaxMind \.mmdb file, or none for no lookups$"):
        GeoLookup(str(tmp_path / "missing.mmdb"), None, environ={})
    with pytest.raises(InputError, match="--geoip-asn: .*city.mmdb is a GeoLite2-City database, not a ASN"):
        GeoLookup("none", str(city), environ={})
    junk = tmp_path / "junk.mmdb"
    junk.write_bytes(b"not a database")
    with pytest.raises(InputError, match="EXPOSURE_GEOIP_CITY: .*junk.mmdb is not a readable .mmdb database"):
        GeoLookup(environ={"EXPOSURE_GEOIP_CITY": str(junk)})


def test_answer_carries_geo_per_ip_and_the_databases(dbs: tuple[Path, Path], tmp_path: Path) -> None:
    city, asn = dbs
    target = "/doc.xlsx"
    log = write_log(tmp_path / "logs" / "access.log", [
        clf("84.29.143.61", t(8, 12), target, 200, 5000),
        clf("100.64.7.8", t(8, 13), target, 200, 5000),
        clf("2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0", t(8, 14), target, 200, 5000),
        clf("84.29.143.61", t(9, 12), "/gone", 404, 10),
    ])
    with Case() as case:
        case.ingest([log])
        answer = case.analyse([target], AnalysisOptions(geoip_city=str(city), geoip_asn=str(asn)))
    tgt = answer["targets"][0]
    per_ip = {p["client_ip"]: p for p in tgt["per_ip"]}
    assert per_ip["84.29.143.61"]["country"] == "NL" and per_ip["84.29.143.61"]["asn"] == 33915
    assert per_ip["100.64.7.8"]["network_type"] == "shared" and per_ip["100.64.7.8"]["country"] is None
    assert per_ip["100.64.7.8"]["geo_note"] == "shared address: not looked up"
    assert per_ip["2001:1c00:1a0e:8f00:6d3c:9b2:41e5:77a0"]["city"] == "Voorburg"
    dbinfo = {d["kind"]: d for d in tgt["geoip_databases"]}
    assert dbinfo["city"]["build_date"] == "2021-01-05T00:00:00Z" and not dbinfo["city"]["older_than_events"]
    assert dbinfo["asn"]["type"] == "GeoLite2-ASN" and dbinfo["asn"]["older_than_events"] is True
    assert any("asn database GeoLite2-ASN" in w and "before the requests" in w for w in tgt["warnings"])
    assert answer["options"]["geoip_asn"] == str(asn)


@functools.cache
def _geoip2_reader(path: str) -> Any:
    import geoip2.database

    return geoip2.database.Reader(path)


def _as_geoip2_reads(city: Path | None, asn: Path | None, address: str) -> dict[str, dict[str, object] | None]:
    """What geoip2's models give for an address (the reading GeoLookup.raw replaced, kept here as the reference)."""
    import geoip2.errors

    out: dict[str, dict[str, object] | None] = {}
    for kind, path in (("city", city), ("asn", asn)):
        if path is None:
            continue
        reader = _geoip2_reader(str(path))
        try:
            if kind == "city":
                rec = reader.city(address)
                out[kind] = {"country": rec.country.iso_code or rec.registered_country.iso_code,
                             "city": rec.city.name, "accuracy_radius": rec.location.accuracy_radius}
            else:
                arec = reader.asn(address)
                out[kind] = {"asn": arec.autonomous_system_number, "as_org": arec.autonomous_system_organization}
        except geoip2.errors.AddressNotFoundError:
            out[kind] = None
    return out


def test_raw_reads_what_geoip2_models_read(dbs: tuple[Path, Path]) -> None:
    """GeoLookup.raw reads maxminddb's records directly: the same values as geoip2's City/ASN models, in the
    packaged GeoLite2-City (countries only by registered country, cities without a name, addresses not in it)
    and in the test databases."""
    import random

    from exposure.geo import default_city_path

    rnd = random.Random(19)
    addresses = [f"{rnd.randrange(1, 224)}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(256)}"
                 for _ in range(3000)] + ["84.29.143.61", "2001:1c00:1a0e:8f00::1", "2a03:2880:f12f::1", "8.8.8.8"]
    default = default_city_path()
    seen = {"no city": 0, "not found": 0, "registered only": 0}
    with GeoLookup(str(default), "none", environ={}) as packaged, GeoLookup(*map(str, dbs), environ={}) as tiny:
        for address in addresses:
            got = packaged.raw("city", address)
            assert got == _as_geoip2_reads(default, None, address)["city"], address
            assert {"city": tiny.raw("city", address), "asn": tiny.raw("asn", address)} == \
                _as_geoip2_reads(*dbs, address), address
            seen["not found"] += got is None
            seen["no city"] += got is not None and got["city"] is None
    import maxminddb

    with maxminddb.open_database(str(default)) as reader:
        for address in addresses:
            rec = reader.get(address)
            seen["registered only"] += bool(rec and "country" not in rec and "registered_country" in rec)
    assert all(seen.values()), seen  # each reading the comparison is there for occurred


def test_prefetched_hash_is_the_files_sha256(tmp_path: Path) -> None:
    """An ingest starts hashing the default databases in a thread (geo.prefetch_hashes); the lookup that needs
    the digest waits for it and gets the file's SHA-256, as hashing it itself gives."""
    import hashlib

    from exposure import geo

    city, asn = tmp_path / "city.mmdb", tmp_path / "asn.mmdb"
    city.write_bytes(b"city database bytes " * 100_000)
    asn.write_bytes(b"asn")
    geo.prefetch_hashes({"EXPOSURE_GEOIP_CITY": str(city), "EXPOSURE_GEOIP_ASN": str(asn)})
    for file in (city, asn):
        st = file.stat()
        assert (str(file), st.st_size, st.st_mtime_ns) in geo._HASHING  # the thread's digest is the one read
        assert geo.file_sha256("city", file, str(file), "environment") == hashlib.sha256(file.read_bytes()).hexdigest()
    geo.prefetch_hashes({"EXPOSURE_GEOIP_CITY": str(tmp_path / "missing.mmdb")})  # nothing to hash: no error


def test_a_failed_background_hash_is_tried_again(tmp_path: Path) -> None:
    """A database the thread could not read (moved, unreadable for a moment) raises for the lookup that waited on
    it, and the next lookup reads the file again, as without the thread (not the stored failure for the rest of
    the process: a notebook would have no GeoIP facts until the file changed)."""
    import hashlib
    from concurrent.futures import Future

    from exposure import geo

    city = tmp_path / "city.mmdb"
    city.write_bytes(b"city database bytes")
    st = city.stat()
    key = (str(city), st.st_size, st.st_mtime_ns)
    failed: Future[str] = Future()
    failed.set_exception(OSError("read failed"))
    with geo._HASHING_LOCK:
        geo._HASHING[key] = failed
    with pytest.raises(OSError, match="read failed"):
        geo._sha256(*key)
    assert geo._sha256(*key) == hashlib.sha256(city.read_bytes()).hexdigest()
