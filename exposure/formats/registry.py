"""The list of known formats, by name. Each family module contributes its members here."""

from __future__ import annotations

from typing import Any

from ..errors import FormatError
from . import alb, clf, cloudfront, custom, jsonl, s3, w3c
from .base import LogFormat
from .custom import custom_format


def all_formats() -> list[LogFormat]:
    """Every built-in format, in detection priority order (earlier wins a tie)."""
    return [*clf.FORMATS, *jsonl.FORMATS, *cloudfront.FORMATS, *w3c.FORMATS, *s3.FORMATS, *alb.FORMATS]


def detection_formats() -> list[LogFormat]:
    """The formats detection tries: the built-in ones, then IIS lines without a #Fields header."""
    return [*all_formats(), w3c.IIS_ASSUMED]


def listed_formats() -> list[LogFormat]:
    """What `exposure formats` shows: the built-in formats, then those built from a directive or mapping."""
    return [*all_formats(), w3c.IIS_ASSUMED, *custom.EXAMPLES, jsonl.MAPPED_EXAMPLE]


def forced_format(name: str, options: dict[str, Any] | None, sample: bytes) -> LogFormat:
    """The format `--format NAME` reads a file with, given its sample lines: `iis` names both IIS forms (as
    `exposure formats` lists them), so a file without a #Fields line is read as IIS without its header, as
    detection reads it."""
    fmt = get_format(name, options)
    if fmt is w3c.IIS and w3c.IIS.options["header_marker"].encode() not in sample:
        return w3c.IIS_ASSUMED
    return fmt


def get_format(name: str, options: dict[str, Any] | None = None) -> LogFormat:
    """A format by name. `options` configure formats built from a directive (custom LogFormat strings)."""
    if name in ("custom", "apache-custom", "nginx-custom"):
        fmt = custom_format(options or {})
        if fmt is None:
            raise FormatError(f"format '{name}' needs --log-format or --nginx-log-format")
        return fmt
    if name in ("json", "jsonl") and options and options.get("json_fields"):
        return jsonl.mapped_format(options["json_fields"])
    for fmt in all_formats():
        if fmt.name == name:
            return fmt
    known = ", ".join(f.name for f in all_formats())
    raise FormatError(f"unknown format '{name}' (known: {known})")
