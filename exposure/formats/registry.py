"""The list of known formats, by name. Each family module contributes its members here."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError
from . import clf
from .base import LogFormat


def all_formats() -> list[LogFormat]:
    """Every built-in format, in detection priority order (earlier wins a tie)."""
    return [*clf.FORMATS]


def get_format(name: str, options: dict[str, Any] | None = None) -> LogFormat:
    """A format by name. `options` configure formats built from a directive (custom LogFormat strings)."""
    for fmt in all_formats():
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in all_formats())
    raise FormatError(f"unknown format {name!r} (known: {known})")
