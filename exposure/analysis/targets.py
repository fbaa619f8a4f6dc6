"""What a target is and how it is matched: an exact URL path, optionally on one virtual host.

`--target` is exact: `*`, `?` and `[` are ordinary characters. It may be given percent-encoded or decoded;
request paths are stored decoded, so both forms are tried. A query string in the log never makes another
file, and `/a/file.xlsx.bak` is not `/a/file.xlsx` (equality, not prefix or pattern).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from ..errors import InputError


@dataclass(frozen=True)
class Target:
    given: str  # as typed by the user
    path: str  # percent-decoded path
    path_as_given: str
    host: str | None = None
    # --alias: other paths the user decided served this same file (decoded, and as given); their downloads
    # count as the target's, each labelled with the alias it came through (`via`)
    aliases: tuple[str, ...] = ()
    alias_alts: tuple[str, ...] = ()

    @property
    def params(self) -> dict[str, str | list[str] | None]:
        return {"target_path": self.path, "target_alt": self.path_as_given, "target_host": self.host,
                "target_aliases": list(self.aliases) or None, "target_alias_alts": list(self.alias_alts) or None}

    def with_aliases(self, aliases: Sequence[str]) -> Target:
        """This target with `aliases` (as typed: a path, percent-encoded or not) counted as it."""
        parsed = [parse_target(a, "--alias") for a in aliases]
        for a in parsed:
            if a.path == self.path:
                raise InputError(f"--alias '{a.given}' is the target itself")
        unique = {a.path: a for a in parsed}
        return replace(self, aliases=tuple(unique), alias_alts=tuple(a.path_as_given for a in unique.values()))


class ServedPath(str):
    """A path as the case stores it (decoded, exactly as logged), found by `--under` or `--target-glob`: taken as
    it is, not parsed as typed (it may hold any character the sender chose, control characters included)."""

    __slots__ = ()


def as_target(value: str | Target) -> Target:
    """A target from the command line (parsed), a path found in the case (exact), or a Target."""
    if isinstance(value, Target):
        return value
    if isinstance(value, ServedPath):
        return Target(given=str(value), path=str(value), path_as_given=str(value))
    return parse_target(value)


def reject_control_characters(value: str, what: str) -> None:
    """Targets and patterns come from the command line: a control character is a mistake or an attack."""
    if any(ord(ch) < 32 for ch in value):
        raise InputError(f"{what} contains control characters: '{value}'")


_TARGET_FORMS = "give a path (/docs/file.xlsx) or an http(s) URL (https://www.example.nl/docs/file.xlsx)"


def parse_target(text: str, option: str = "--target") -> Target:
    """A target from the command line: `/path/file.xlsx` or `https://host/path/file.xlsx`; `option` names the
    option it came from in an error (`--target`, `--alias`)."""
    value = text.strip()
    if not value:
        raise InputError(f"empty {option}")
    reject_control_characters(value, option)
    host = None
    if "://" in value:
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError as exc:  # `https://[::1/x`: an unclosed IPv6 literal, a bad port
            raise InputError(f"{option} is not a valid URL ({exc}): '{value}': {_TARGET_FORMS}") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not host:
            raise InputError(f"{option} must be a path or an http(s) URL: '{value}': {_TARGET_FORMS}")
        value = (parts.path or "/") + ("?" + parts.query if parts.query else "")  # '?' is an ordinary character
        host, value = _s3_bucket(host, value)
    if not value.startswith("/"):
        value = "/" + value
    return Target(given=text, path=unquote(value, errors="strict") if _decodable(value) else value,
                  path_as_given=value, host=host.lower() if host else None)


# An Amazon S3 endpoint: `bucket.s3.amazonaws.com`, `bucket.s3.REGION.amazonaws.com`, `bucket.s3-REGION...`,
# `bucket.s3-website-REGION...`, `bucket.s3.dualstack.REGION...` (virtual-hosted style: the bucket before the
# `s3` label) or the same without a bucket (path-style: the bucket is the path's first segment).
_S3_ENDPOINT = re.compile(r"^(?:(?P<bucket>.+)\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$")


def _s3_bucket(host: str, path: str) -> tuple[str, str]:
    """An S3 URL's object as S3 logs it: its bucket (the virtual host of an S3 log line, formats/s3.py) and its
    key as a path. `https://b.s3.eu-west-1.amazonaws.com/k` and `https://s3.eu-west-1.amazonaws.com/b/k` are one
    object, `b` `/k`; any other host is returned as it is."""
    m = _S3_ENDPOINT.match(host.lower())
    if not m:
        return host, path
    if m.group("bucket"):
        return m.group("bucket"), path
    bucket, _, key = path.lstrip("/").partition("/")
    return (bucket, "/" + key) if bucket and key else (host, path)


def _decodable(value: str) -> bool:
    try:
        unquote(value, errors="strict")
    except UnicodeDecodeError:
        return False
    return True
