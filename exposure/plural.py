"""Counted words: "1 complete download", "2 complete downloads"; in Dutch "1 extern adres", "2 externe adressen".

The one rule of every door (the report in English and Dutch, the terminal, the sentences of the JSON answer):
exactly 1 takes the singular, every other count (0 included) the plural, as in English and Dutch alike. Each
form is written whole, adjective included (Dutch inflects it: "extern adres", "externe adressen"), with `#` where
the number goes. A text of the report's catalogue writes the two forms as the format spec of its count:
"{n:# window|# windows}" (formatted by `counted`).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any


def grouped(n: int) -> str:
    """A count as every door writes it: groups of three digits split by a thin space, which neither an English nor
    a Dutch reader takes for a decimal mark (600,000 reads as 600 in Dutch)."""
    return f"{n:,}".replace(",", "\u202f")


def plural(n: int, one: str, many: str) -> str:
    """`one` when n is 1, else `many`, the number put where `#` is: plural(2, "# file", "# files") = "2 files"."""
    return (one if n == 1 else many).replace("#", str(n))


class Count(int):
    """A count that formats as a counted phrase when its format spec is "one|many" (see `plural`); any other spec
    as an int. Both str.format and markupsafe's Markup.format (the report's escaped fill) call it."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return plural(int(self), one, many)
        return super().__format__(spec)


class Unknown:
    """A count the evidence does not hold (a file not read as a log has no line count): a counted phrase says "?"
    where the number goes, in its plural form ("? lines read"); any other spec formats None as str.format does."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            return spec.split("|", 1)[1].replace("#", "?")
        return format(None, spec)


def counts(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every integer a Count (a phrase's count is never a bool) and every None an Unknown."""
    return {k: Count(v) if isinstance(v, Integral) and not isinstance(v, bool) else Unknown() if v is None else v
            for k, v in values.items()}


def counted(text: str, **values: Any) -> str:
    """`text.format(**values)` where a field's spec "one|many" is a counted phrase: "{n:# file|# files}" says
    "1 file", "3 files"; no count (None) says "? files". A phrase given a text fails as str.format does: loudly."""
    return text.format(**counts(values))
