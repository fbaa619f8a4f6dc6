"""Keyed pseudonyms for IP addresses (HMAC-SHA256), for reports that circulate more widely.

The key comes from a file or is generated once per case and kept in the case's meta table, so reruns give
the same pseudonyms; it never appears in any output. Addresses are replaced by exact lookup of the addresses
the case knows (clients, peers, X-Forwarded-For entries), so version numbers such as `Chrome/83.0.4103.97`
in user agents are left alone.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import InputError

if TYPE_CHECKING:
    from ..case import CaseFile

META_KEY = "pseudonym_key"
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}"
                        r"(?:\.\d{1,3}){0,3}|\[[0-9A-Fa-f:.]+\])(?![0-9A-Za-z.:])")


def read_key_file(key_file: str | Path) -> bytes:
    """A pseudonym key kept in a file (at least 16 bytes)."""
    try:
        key = Path(key_file).read_bytes().strip()
    except OSError as exc:
        raise InputError(f"cannot read pseudonym key {key_file}: {exc.strerror}") from None
    if len(key) < 16:
        raise InputError(f"pseudonym key {key_file} is too short: use at least 16 bytes")
    return key


def load_key(case: CaseFile, key_file: str | Path | None) -> bytes:
    """The key from `key_file`, else the case's own key (created on first use)."""
    if key_file is not None:
        return read_key_file(key_file)
    row = case.fetchone("SELECT value FROM meta WHERE key = ?", [META_KEY])
    if row is not None:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    try:
        case.execute("INSERT INTO meta VALUES (?, ?)", [META_KEY, key.hex()])
    except duckdb.Error as exc:
        raise InputError(f"cannot keep a pseudonym key in a read-only case; give --pseudonym-key ({exc})") from None
    return key


def _canonical(text: str) -> str:
    value = text.strip().strip("[]")
    try:
        addr = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return value.lower()
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return str(addr)


class Pseudonymiser:
    """Maps every address the case knows to `ip-` + 12 hex digits of HMAC-SHA256(key, canonical address)."""

    def __init__(self, key: bytes, addresses: set[str]) -> None:
        self._key = key
        self._map = {a: self.pseudonym(a) for a in addresses if a}

    @classmethod
    def for_case(cls, case: CaseFile, key: bytes) -> Pseudonymiser:
        rows = case.fetchall("""
            SELECT DISTINCT a FROM (
                SELECT client AS a FROM requests UNION ALL SELECT peer FROM requests
                UNION ALL SELECT trim(unnest(string_split(xff, ','))) FROM requests WHERE xff IS NOT NULL)
            WHERE a IS NOT NULL AND a <> ''""")
        return cls(key, {r[0] for r in rows})

    def pseudonym(self, address: str) -> str:
        digest = hmac.new(self._key, _canonical(address).encode("utf-8"), hashlib.sha256).hexdigest()
        return f"ip-{digest[:12]}"

    @property
    def addresses(self) -> set[str]:
        return set(self._map)

    def text(self, value: str) -> str:
        """Replace every known address inside a text (a raw log line, a warning)."""
        def swap(m: re.Match[str]) -> str:
            token = m.group(0)
            hit = self._map.get(token) or self._map.get(token.strip("[]"))
            return hit if hit else token
        return _CANDIDATE.sub(swap, value)

    def value(self, value: Any) -> Any:
        """Walk JSON-like data and pseudonymise every string in it."""
        if isinstance(value, str):
            return self._map.get(value) or self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value
