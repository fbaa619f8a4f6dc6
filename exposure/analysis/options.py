"""How downloads are judged: the options of an analysis, checked once before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..addresses import parse_cidrs
from ..errors import InputError
from ..geo import check_given
from ..timefmt import validate_zone
from .targets import parse_target

DEFAULT_RANGE_GAP_MINUTES = 30
DEFAULT_GAP_MINUTES = 60  # a silence in a log stream shorter than this is never a gap (queries/gaps.sql)
DEFAULT_GAP_FACTOR = 2.0  # ... nor one shorter than this many times the stream's usual longest silence of a day
MAX_SIZE = 2**63 - 1  # bytes: what the case stores a byte count in (BIGINT)
MAX_GAP_MINUTES = 10 * 366 * 24 * 60  # ten years: longer is no gap between parts of one download


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
    # --alias: paths the user decided served the target's file under another name; their downloads count as
    # the target's, labelled `via` (with several targets, each alias goes to the targets it is a possible copy of)
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validated(self) -> AnalysisOptions:
        parse_cidrs(self.internal)
        validate_zone(self.display_tz)
        for alias in self.aliases:
            parse_target(alias, "--alias")  # an alias is a path as a target is: checked the same way
        for option, kind, value in (("--geoip-city", "city", self.geoip_city), ("--geoip-asn", "asn", self.geoip_asn)):
            if value is not None and not value.strip():
                raise InputError(f"{option}: an empty path (use 'none' for no lookups)")
            check_given(kind, value)  # a database that is not there fails before the logs are read
        if self.size is not None and not 0 < self.size <= MAX_SIZE:
            raise InputError(f"--size must be a positive number of bytes (at most {MAX_SIZE})")
        if not 0 < self.range_gap_minutes <= MAX_GAP_MINUTES:
            raise InputError(f"the range gap must be a positive number of minutes (at most {MAX_GAP_MINUTES})")
        if not 0 < self.gap_minutes <= MAX_GAP_MINUTES or not 0 < self.gap_factor < 1e6:
            raise InputError("the gap threshold must be a positive number of minutes (at most "
                             f"{MAX_GAP_MINUTES}) and a positive factor")
        return self
