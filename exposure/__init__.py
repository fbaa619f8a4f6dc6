"""exposure: download-log forensics and leak-exposure analysis.

The public API: open a case, ingest evidence, ask for windows, downloads and per-address figures.
"""

from typing import TYPE_CHECKING, Any

from .api import AnalysisOptions, Case, open_case
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
from .queries import named_query
from .version import TOOL_VERSION as __version__

if TYPE_CHECKING:
    from .case import Frame

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


def __getattr__(name: str) -> Any:
    """`Frame` comes from `exposure.case` on first use, so `import exposure` does not import pandas."""
    if name == "Frame":
        from . import case

        frame = globals()["Frame"] = case.Frame
        return frame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
