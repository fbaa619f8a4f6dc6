"""Client addresses as parsers and the analysis both read them: CIDR lists from the command line and one
normalised form per address (IPv6 compressed, `::ffff:a.b.c.d` read as IPv4, a zone id kept apart).

It sits with the readers (the reading layer) because the parsers normalise clients at ingest
(`formats/clientaddr.py`) and ingest validates `--trusted-proxy`; the analysis (`--internal`, network types)
uses the same functions from above.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from .errors import InputError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")  # IPv4-mapped IPv6 addresses


def parse_cidrs(values: Iterable[str]) -> list[Network]:
    """Validate CIDRs (or single addresses) from the command line; one clear error for a bad one. A network of
    IPv4-mapped addresses (`::ffff:203.0.113.0/120`, the way a dual-stack server such as Tomcat logs its IPv4
    clients) is its IPv4 network (203.0.113.0/24), as `normalise_address` reads each such client: else it would hold
    none of them, and `--internal` or `--trusted-proxy` given as the log writes them would match nothing."""
    nets: list[Network] = []
    for value in values:
        try:
            net = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise InputError(f"invalid CIDR or address: '{value}' (give an address or a network, "
                             "e.g. 203.0.113.0/24 or 2001:db8::/32)") from None
        if isinstance(net, ipaddress.IPv6Network) and net.subnet_of(MAPPED):
            mapped = net.network_address.ipv4_mapped
            if mapped is not None:
                net = ipaddress.IPv4Network(f"{mapped}/{net.prefixlen - 96}")
        nets.append(net)
    return nets


def normalise_address(text: str | None) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address | None, str | None]:
    """(address, zone id) for a client field, or (None, None) for a hostname. `::ffff:a.b.c.d` becomes IPv4."""
    if not text:
        return None, None
    value = text.strip()
    if value.startswith("[") and "]" in value:  # the address inside the brackets, whatever follows them
        value = value[1:value.index("]")]       # (queries/addresses.sql address_unwrapped reads it alike)
    zone = None
    if "%" in value:
        value, zone = value.split("%", 1)
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None, None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped, zone
    return addr, zone
