"""exposure: download-log forensics and leak-exposure analysis.

The public API: open a case, ingest evidence, ask for windows, downloads and per-address figures.
"""

from .case import AnalysisOptions, Case, Frame, named_query, open_case
from .errors import (
    CaseError,
    CaseInUseError,
    EvidenceChangedError,
    ExposureError,
    FormatError,
    InputError,
    NotALogError,
    QueryError,
)
from .ingest import IngestOptions, IngestResult
from .version import TOOL_VERSION as __version__

__all__ = [
    "AnalysisOptions",
    "Case",
    "CaseError",
    "CaseInUseError",
    "EvidenceChangedError",
    "ExposureError",
    "FormatError",
    "Frame",
    "IngestOptions",
    "IngestResult",
    "InputError",
    "NotALogError",
    "QueryError",
    "__version__",
    "named_query",
    "open_case",
]
