"""Keyed pseudonyms for IP addresses (HMAC-SHA256), for reports that circulate more widely.

The key comes from a file or is generated once per case and kept in the case's meta table, so reruns give
the same pseudonyms; it never appears in any output. The addresses the case knows (clients, peers,
X-Forwarded-For entries) are replaced wherever they stand, and so is every other address inside a text: one a
sender wrote into a path, query, referrer or user agent, or one in an evidence file's name, is a person's
address too. Only what parses as an address is replaced, so version numbers such as `Chrome/83.0.4103.97` (an
octet past 255) stay; a short IPv6 form that is not in the case (`a::b`, two colons and no dotted part) is
left alone, as it is more often a name than an address.
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
# an IPv4 address may be followed by a colon (a port, or "server 10.0.0.1: ..."); an IPv6 form may not (a
# colon would continue it), but either may end a sentence
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z.:])(?:\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)"
                        r"|(?:[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}|\[[0-9A-Fa-f:.]+\])"
                        r"(?![0-9A-Za-z:]|\.[0-9A-Za-z]))")  # a full stop may end the sentence after it


def _version_like(text: str, start: int, end: int) -> bool:
    """A dotted quad the case never saw as an address that reads as a version: a product token's
    (`Chrome/120.0.0.0 Safari`, `MyApp/1.2.3.4`: a word and a slash before it, no slash after) or a file
    name's (`setup-2.0.1.5.exe`: an extension after it). Left as it is; an address the case knows is replaced
    wherever it stands."""
    after = text[end:end + 2]
    if after[:1] == "." and after[1:2].isalpha():
        return True
    return start >= 2 and text[start - 1] == "/" and (text[start - 2].isalnum() or text[start - 2] == "_") \
        and after[:1] != "/"


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


def _is_address(token: str) -> bool:
    """A token of a text that is an IP address although the case has no request from it."""
    try:
        addr = ipaddress.ip_address(token.split("%", 1)[0])
    except ValueError:
        return False
    if addr.is_unspecified:
        return False
    return addr.version == 4 or token.count(":") >= 3 or "." in token


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
        """Replace every address inside a text (a raw log line, a path, a user agent, a warning)."""
        def swap(m: re.Match[str]) -> str:
            token = m.group(0)
            hit = self._map.get(token) or self._map.get(token.strip("[]"))
            if hit:
                return hit
            if _version_like(value, m.start(), m.end()):
                return token
            return self.pseudonym(token) if _is_address(token.strip("[]")) else token
        return _CANDIDATE.sub(swap, value)

    def value(self, value: Any) -> Any:
        """Walk JSON-like data and pseudonymise every string in it."""
        if isinstance(value, str):
            return self._map.get(value) or self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, dict):  # a key can be an address too (a table per client)
            return {self.value(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()}
        return value
