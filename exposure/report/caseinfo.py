"""Case information supplied by the investigator (`--case-info case.toml`): the facts logs cannot give.

Read with tomllib. Only known keys are used; an absent fact stays None and the report shows it as
"to be supplied" — nothing here is ever guessed. See docs/case-info.example.toml for every key.
"""

from __future__ import annotations

import fnmatch
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

TIMELINE_KEYS = ("occurrence", "detection", "awareness", "takedown", "notification")


@dataclass(frozen=True)
class Custody:
    file: str  # evidence path as registered, its file name, or a glob pattern (fnmatch)
    supplied_by: str | None = None
    received: str | None = None
    how: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Link:
    """The investigator says: this inspected document is what was served at this target URL path."""

    document: str  # inspected file's path as registered, its file name, or a glob pattern
    target: str


@dataclass(frozen=True)
class CaseInfo:
    case_id: str | None = None
    title: str | None = None
    controller: str | None = None
    contact_point: str | None = None
    report_version: str | None = None
    changes: tuple[dict[str, str], ...] = ()
    nature: str | None = None
    data_categories: tuple[str, ...] = ()
    data_subjects: tuple[int | None, int | None] = (None, None)
    records: tuple[int | None, int | None] = (None, None)
    consequences: str | None = None
    measures: tuple[str, ...] = ()
    timeline: dict[str, str | None] = field(default_factory=dict)
    ongoing: bool | None = None
    custody: tuple[Custody, ...] = ()
    links: tuple[Link, ...] = ()
    supplied: bool = False

    def links_for(self, path: str) -> set[str]:
        """Targets the case info links to the inspected document at `path`."""
        name = Path(path).name
        return {k.target for k in self.links if k.document in (path, name)
                or fnmatch.fnmatchcase(path, k.document) or fnmatch.fnmatchcase(name, k.document)}

    def custody_for(self, path: str) -> list[Custody]:
        """Entries whose `file` is the path, the file name, or a glob pattern matching either."""
        name = Path(path).name
        return [c for c in self.custody if c.file in (path, name) or fnmatch.fnmatchcase(path, c.file)
                or fnmatch.fnmatchcase(name, c.file)]


# the case facts page 1 prints whole (its title, the case id, the report version): a line, not a page
PAGE_ONE_FACT = 200


# characters that reorder or hide text: bidirectional embeddings, overrides and isolates, zero-width space and
# no-break space, word joiner. Marks a script needs stay (U+200C/U+200D joiners in Persian or Indic names, U+200E/
# U+200F/U+061C direction marks, which reorder nothing inside the value's own <bdi>, a soft hyphen).
HIDING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")


def _hidden(text: str) -> str | None:
    """The first character that would make the report show other text than the file holds: a control character
    other than a line break or tab, or one of HIDING."""
    for ch in text:
        if ch in HIDING or (ch not in "\n\t" and unicodedata.category(ch) == "Cc"):
            return ch
    return None


def _text(value: Any, key: str, limit: int | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        if (ch := _hidden(text)) is not None:
            raise InputError(f"case info: {key} holds the invisible character U+{ord(ch):04X}: the report would show "
                             "other text than the file holds (remove it)")
        if limit is not None and len(text) > limit:
            raise InputError(f"case info: {key} is {len(text):,} characters long: page 1 prints it whole, at most "
                             f"{limit} (put the rest in another field)")
        return text or None
    if hasattr(value, "isoformat"):  # TOML dates and datetimes
        return value.isoformat()
    raise InputError(f"case info: {key} must be text")


def _count(value: Any, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"case info: {key} must be a whole number of zero or more")
    return value


def _range(section: dict[str, Any], name: str) -> tuple[int | None, int | None]:
    lo = _count(section.get(f"{name}_min"), f"{name}_min")
    hi = _count(section.get(f"{name}_max"), f"{name}_max")
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"case info: {name}_min is larger than {name}_max")
    return lo, hi


def _list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise InputError(f"case info: {key} must be a list of texts")
    return tuple(t for v in value if (t := _text(v, key)))


def load_case_info(path: str | Path | None) -> CaseInfo:
    """Read a case-info TOML file; None gives an empty CaseInfo (every fact to be supplied)."""
    if path is None:
        return CaseInfo()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"case info file not found: {path}") from None
    except OSError as exc:  # a folder, no permission
        raise InputError(f"cannot read case info {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"case info {path} is not valid TOML: {exc}") from None
    case = data.get("case", {})
    breach = data.get("breach", {})
    timeline = data.get("timeline", {})
    for name, section in (("case", case), ("breach", breach), ("timeline", timeline)):
        if not isinstance(section, dict):
            raise InputError(f"case info: [{name}] must be a table")
    changes = []
    for item in data.get("changes", []):
        changes.append({"version": _text(item.get("version"), "changes.version") or "",
                        "date": _text(item.get("date"), "changes.date") or "",
                        "note": _text(item.get("note"), "changes.note") or ""})
    custody = []
    for item in data.get("custody", []):
        file = _text(item.get("file"), "custody.file")
        if not file:
            raise InputError("case info: every [[custody]] entry needs a file")
        custody.append(Custody(file, _text(item.get("supplied_by"), "custody.supplied_by"),
                               _text(item.get("received"), "custody.received"),
                               _text(item.get("how"), "custody.how"), _text(item.get("note"), "custody.note")))
    links = []
    for item in data.get("link", []):
        document, target = _text(item.get("document"), "link.document"), _text(item.get("target"), "link.target")
        if not document or not target:
            raise InputError("case info: every [[link]] entry needs a document and a target")
        links.append(Link(document, target))
    ongoing = breach.get("ongoing")
    if ongoing is not None and not isinstance(ongoing, bool):
        raise InputError("case info: breach.ongoing must be true or false")
    return CaseInfo(
        case_id=_text(case.get("id"), "case.id", PAGE_ONE_FACT),
        title=_text(case.get("title"), "case.title", PAGE_ONE_FACT),
        controller=_text(case.get("controller"), "case.controller"),
        contact_point=_text(case.get("contact_point"), "case.contact_point"),
        report_version=_text(case.get("report_version"), "case.report_version", PAGE_ONE_FACT),
        changes=tuple(changes),
        nature=_text(breach.get("nature"), "breach.nature"),
        data_categories=_list(breach.get("data_categories"), "breach.data_categories"),
        data_subjects=_range(breach, "data_subjects"),
        records=_range(breach, "records"),
        consequences=_text(breach.get("consequences"), "breach.consequences"),
        measures=_list(breach.get("measures"), "breach.measures"),
        timeline={k: _text(timeline.get(k), f"timeline.{k}") for k in TIMELINE_KEYS},
        ongoing=ongoing,
        custody=tuple(custody),
        links=tuple(links),
        supplied=True,
    )
