"""Log formats: one module per server family, all producing the same normalised request schema."""

from __future__ import annotations

from .base import RAW_FIELDS, LogFormat
from .detect import Detection, detect_format, detect_formats
from .registry import all_formats, forced_format, get_format

__all__ = ["RAW_FIELDS", "Detection", "LogFormat", "all_formats", "detect_format", "detect_formats", "forced_format", "get_format"]
