"""What a target is and how it is matched: an exact URL path, optionally on one virtual host.

`--target` is exact: `*`, `?` and `[` are ordinary characters. It may be given percent-encoded or decoded;
request paths are stored decoded, so both forms are tried. A query string in the log never makes another
file, and `/a/file.xlsx.bak` is not `/a/file.xlsx` (equality, not prefix or pattern).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..errors import InputError


@dataclass(frozen=True)
class Target:
    given: str  # as typed by the user
    path: str  # percent-decoded path
    path_as_given: str
    host: str | None = None

    @property
    def params(self) -> dict[str, str | None]:
        return {"target_path": self.path, "target_alt": self.path_as_given, "target_host": self.host}


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
        raise InputError(f"{what} contains control characters: {value!r}")


def parse_target(text: str) -> Target:
    """A target from the command line: `/path/file.xlsx` or `https://host/path/file.xlsx`."""
    value = text.strip()
    if not value:
        raise InputError("empty --target")
    reject_control_characters(value, "--target")
    host = None
    if "://" in value:
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError as exc:  # `https://[::1/x`: an unclosed IPv6 literal, a bad port
            raise InputError(f"--target is not a valid URL ({exc}): {value!r}") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not host:
            raise InputError(f"--target must be a path or an http(s) URL: {value!r}")
        value = (parts.path or "/") + ("?" + parts.query if parts.query else "")  # '?' is an ordinary character
    if not value.startswith("/"):
        value = "/" + value
    return Target(given=text, path=unquote(value, errors="strict") if _decodable(value) else value,
                  path_as_given=value, host=host.lower() if host else None)


def _decodable(value: str) -> bool:
    try:
        unquote(value, errors="strict")
    except UnicodeDecodeError:
        return False
    return True
