"""Build exposure/data/sample-asn.mmdb (a GeoLite2-ASN compatible database) from exposure/data/sample-asn.csv.

    .venv/bin/python scripts/build_sample_asn.py

For the synthetic sample case only (see the CSV's header). The build date written into the metadata is
the CSV's `as_of` date, not the wall clock, so two runs give byte-identical files.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mmdb_writer import MmdbU32, MMDBWriter
from netaddr import IPSet

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "exposure" / "data" / "sample-asn.csv"
OUT = ROOT / "exposure" / "data" / "sample-asn.mmdb"


class _FixedEpochWriter(MMDBWriter):
    def __init__(self, build_epoch: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._build_epoch = build_epoch

    def _build_meta(self) -> dict[str, Any]:
        return {**super()._build_meta(), "build_epoch": self._build_epoch}


def read_csv(path: Path) -> tuple[datetime, list[dict[str, str]]]:
    as_of = None
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if "as_of:" in line:
                as_of = datetime.strptime(line.split("as_of:", 1)[1].split()[0], "%Y-%m-%d").replace(tzinfo=UTC)
            continue
        lines.append(line)
    if as_of is None:
        raise SystemExit(f"{path}: no '# as_of: YYYY-MM-DD' line")
    return as_of, list(csv.DictReader(lines))


def build(csv_path: Path = CSV, out: Path = OUT) -> Path:
    as_of, rows = read_csv(csv_path)
    writer = _FixedEpochWriter(int(as_of.timestamp()), ip_version=6, ipv4_compatible=True,
                               database_type="GeoLite2-ASN", languages=["en"],
                               description="exposure sample ASN data (synthetic sample case only)")
    for row in rows:
        writer.insert_network(IPSet([row["network"]]), {
            "autonomous_system_number": MmdbU32(int(row["asn"])),
            "autonomous_system_organization": row["organisation"],
        })
    writer.to_db_file(str(out))
    return out


if __name__ == "__main__":
    print(build(*(Path(a) for a in sys.argv[1:3])))
