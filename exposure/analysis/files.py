"""Which paths were served: selecting a publication (`--under`, `--glob`) and flagging staff addresses for
the set-based `files` query (queries/files.sql).

The internal flag only needs the address and the --internal ranges, one lookup per distinct client; the
richer per-target facts (network type, geography) stay with the target analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..addresses import Network, normalise_address
from ..errors import InputError
from .targets import reject_control_characters

if TYPE_CHECKING:
    import pandas as pd


def folder_prefix(under: str) -> str:
    """`/documenten/wob/2020` -> `/documenten/wob/2020/`: a folder, so `/documenten/wob/2020-old/` is not in it."""
    value = under.strip()
    if not value:
        raise InputError("empty --under folder")
    reject_control_characters(value, "--under")
    if not value.startswith("/"):
        value = "/" + value
    return value if value.endswith("/") else value + "/"


def check_glob(pattern: str) -> str:
    """A GLOB pattern for paths (`*` and `?` also match `/`; `[...]` is a character class)."""
    value = pattern.strip()
    if not value:
        raise InputError("empty --glob/--target-glob pattern")
    reject_control_characters(value, "pattern")
    return value


def internal_flag_columns(clients: Iterable[str | None], nets: Sequence[Network]) -> dict[str, list[Any]]:
    """One row per distinct client, as columns: `client`, `internal` (its address lies in one of `nets`)."""
    values = sorted({c for c in clients if c is not None})
    flags = []
    for client in values:
        addr, _ = normalise_address(client)
        flags.append(addr is not None and any(addr.version == n.version and addr in n for n in nets))
    return {"client": values, "internal": flags}


def internal_flags(clients: Iterable[str | None], nets: Sequence[Network]) -> pd.DataFrame:
    """`internal_flag_columns` as a pandas DataFrame (client as pandas' string dtype)."""
    import pandas as pd

    columns = internal_flag_columns(clients, nets)
    return pd.DataFrame({"client": pd.Series(columns["client"], dtype="string"),
                         "internal": pd.Series(columns["internal"], dtype=bool)})


def ordered_unique(values: Iterable[str]) -> list[str]:
    """Values in their first-seen order, each once."""
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)
