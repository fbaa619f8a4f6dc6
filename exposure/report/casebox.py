"""The case box that ends page 1: what a reader must have on page 1 beside the identity line above it, in rows
the template writes and report/pagebudget.py `case_box` counts (one list for both).

Page 1 keeps the case digest (the seal to keep outside the case, whole on one line) with a one-line note, and
the command cut to one line with a pointer to section 8's case facts, which say every row whole (the controller
and the local time generated among them). The case id and the report version are repeated only where the
identity line cuts them; the tool and the time generated never (the identity line says them whole). Whole, the
box took 8.4 printed lines of page 1 and the sample's page 1 lost one of its stated findings to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..escaping import shorten_shown
from .html import PAGE_ONE_CASE, PAGE_ONE_COMMAND
from .i18n import Strings

REPEATED = ("case_id", "report_version")  # identity rows the box repeats where the identity line cuts them


@dataclass(frozen=True)
class CaseBox:
    """Page 1's case box: the identity rows it repeats (cut above) as short rows (`label`, `value`) two to a
    line, the digest's row and the command as page 1 shows it (None: no command)."""

    repeated: tuple[str, ...]
    pairs: list[tuple[str, str]]
    digest: tuple[str, str]
    command: str | None

    def whole(self, s: Strings) -> list[tuple[str, str]]:
        """The rows set the column's width, as printed (the command with its pointer)."""
        rows = [self.digest]
        if self.command is not None:
            rows.append((s["command"], f"{self.command} ({s['case_facts_whole']})"))
        return rows


def repeated(values: dict[str, str | None]) -> tuple[str, ...]:
    """The identity rows (`REPEATED`) the box says again: those whose value the identity line cuts."""
    return tuple(k for k in REPEATED if values.get(k) and shorten_shown(values[k] or "", PAGE_ONE_CASE) != values[k])


def page_one_box(values: dict[str, str | None], seal: dict[str, object], command: str | None, s: Strings) -> CaseBox:
    """Page 1's case box from the case information (`values`: case_id, report_version), the seal and the
    command."""
    supplied = s["to_be_supplied"]
    again = repeated(values)
    pairs = [(s[k], values[k] or supplied) for k in again]
    digest = (f"{seal['digest']} ({s.f('case_digest_short', link=seal.get('link'))})" if seal.get("digest")
              else s["case_digest_temporary"])
    shown = shorten_shown(command, PAGE_ONE_COMMAND, s["characters"]) if command else None
    return CaseBox(again, pairs, (s["case_digest"], digest), shown)
