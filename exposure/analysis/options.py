"""How downloads are judged: the options of an analysis, checked once before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..addresses import parse_cidrs
from ..errors import InputError
from ..timefmt import validate_zone

DEFAULT_RANGE_GAP_MINUTES = 30
DEFAULT_GAP_MINUTES = 60  # a silence in a log stream shorter than this is never a gap (queries/gaps.sql)
DEFAULT_GAP_FACTOR = 2.0  # ... nor one shorter than this many times the stream's usual longest silence of a day


@dataclass(frozen=True)
class AnalysisOptions:
    """How downloads are judged. The same options give the same numbers."""

    internal: tuple[str, ...] = ()  # CIDRs of the publishing organisation's own addresses
    size: int | None = None  # the file size in bytes, when known; otherwise inferred per window
    display_tz: str | None = None  # IANA zone for local times; default the logs' own offset
    range_gap_minutes: int = DEFAULT_RANGE_GAP_MINUTES
    gap_minutes: int = DEFAULT_GAP_MINUTES  # gaps in the evidence: queries/gaps.sql
    gap_factor: float = DEFAULT_GAP_FACTOR
    geoip_city: str | None = None  # City .mmdb (else $EXPOSURE_GEOIP_CITY, else the packaged GeoLite2-City; 'none': off)
    geoip_asn: str | None = None  # ASN .mmdb (else $EXPOSURE_GEOIP_ASN, else none)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validated(self) -> AnalysisOptions:
        parse_cidrs(self.internal)
        validate_zone(self.display_tz)
        if self.size is not None and self.size <= 0:
            raise InputError("--size must be a positive number of bytes")
        if self.range_gap_minutes <= 0:
            raise InputError("the range gap must be a positive number of minutes")
        if self.gap_minutes <= 0 or self.gap_factor <= 0:
            raise InputError("the gap threshold must be a positive number of minutes and a positive factor")
        return self
