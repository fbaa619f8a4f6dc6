"""A server's log directive compiled to one regular expression: the model both directive compilers fill.

`apache_directive` (mod_log_config `LogFormat`) and `nginx_directive` (`log_format`) turn a directive into a
list of literal texts and `Item`s (one logged field each). `compile_items` makes one RE2 pattern of them, one
capture group per field, and records what each group means: the raw field it feeds (`role`, see
`custom.CustomFormat.raw_sql`), and its name in the row's `extra` map when no column holds it (a second field
of a role already taken included: the first one the directive logs wins).

How much a field may match is decided here, once, from its kind and its neighbours, so that the grammar is
never stricter than the built-in formats for the same data:
- a field between double quotes is a quoted string with backslash escapes (`\\"` never ends it); where the
  writer escapes nothing (nginx `escape=none`), it ends where the rest of the line fits, the last at the last quote;
- a typed field (a number, a status, a time, an address) has its own pattern;
- an unquoted string is lazy (`.*?`: a user name with a space) unless it is followed by nothing but a space
  and then another unquoted string, where it is one run of non-spaces (else the split is arbitrary);
- after the last field, further text separated by white space is accepted as built-in `combined` does, and
  kept in `extra` as `trailing`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import FormatError
from ..schema import CUT_MARK, field_key
from .escapes import NONE

# The key exposure/lastline.py writes in a row's `extra` (the fields the cut of a file's last line fell in): a field
# of a log named so (nginx `$cut_field`) is kept as `field cut_field` (schema.field_key, the one rule for every
# format), never read as the mark
CUT_KEY = CUT_MARK

QUOTED_INNER = r'((?:[^"\\]|\\.)*)'
LAZY = r"(.*?)"
GREEDY = r"(.*)"
TOKEN = r"(\S*)"
NUMBER = r"([0-9]+|-)"
FLOAT = r"([0-9]+(?:\.[0-9]+)?|-)"
STATUS = r"([0-9]{3}|-)"
# a request line written unquoted: method, target and an optional protocol, or '-'
REQUEST_UNQUOTED = r"(\S+ \S+(?: HTTP/[0-9.]+)?|-)"
CLF_TIME = r"([0-9]{1,2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} [+-][0-9]{4})"
ISO_TIME = r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(?:\.[0-9]+)?(?:[+-][0-9]{2}:?[0-9]{2}|Z))"
TRAILING_KEY = "trailing"
# patterns of a fixed shape: a value cut short matches none of them, so a field of one that parsed is whole
CLOSED = frozenset({STATUS, CLF_TIME, ISO_TIME})


@dataclass
class Item:
    """One logged field of a directive."""

    key: str  # its name in `extra` (nginx variable names, see the compilers)
    role: str | None = None  # the raw field it feeds (the first of a role wins); None: `extra` only
    pattern: str | None = None  # a typed pattern (one outer group); None: a string, shaped by its context
    quoted: str | None = None  # its pattern between double quotes, when not the typed one (a request line)
    condition: bool = False  # Apache %400{...}: written as '-' when the condition fails
    time: tuple[str, ...] | None = None  # a time: (kind, ...) for `custom._time_fields`


@dataclass(frozen=True)
class Slot:
    """One field where it sits on the line: the texts before and after it, and the request columns it feeds."""

    before: str
    after: str  # up to the next field, or the end of the line
    typed: bool  # a typed pattern: a value cut short may not match it (a placeholder then stands in for it)
    columns: tuple[str, ...]  # the request columns it feeds (empty: `extra` only, or a column another field fills)
    role: str | None  # the raw field it feeds
    key: str = ""  # its name in `extra` (a mark names it where it feeds no column: exposure/lastline.py)
    closed: bool = False  # its pattern has a fixed shape (CLOSED): as parsed, it is whole


# a field's role -> the request columns it feeds, for the roles a cut may take (exposure/lastline.py)
ROLE_COLUMNS = {"bytes_body": ("bytes",), "bytes_wire": ("bytes",), "completion": ("completion",),
                "completion_nginx": ("completion",), "user_agent": ("user_agent",), "referer": ("referer",),
                "content_range": ("object_size", "range_start", "range_end")}
# roles whose value no count of a request rests on (its duration, its cache result)
UNDECIDING = frozenset({"duration_s", "duration_ms", "duration_us", "cache_result"})
PLACEHOLDER = "-"  # stands in for a field a cut took: every field's pattern but a time's accepts it


@dataclass(frozen=True)
class Ending:
    """A line cut off mid-line completed into a line of the directive: `text`; `cut` the field the cut fell in
    (its value kept as read, or a placeholder where `kept` is false), None where it fell between two fields;
    `lost` the fields after it, each a placeholder."""

    text: str
    cut: Slot | None
    kept: bool
    lost: tuple[Slot, ...]


def endings(c: Compiled, text: str) -> list[Ending]:
    """The ways `text`, a line cut off mid-line, completes into a line of the directive, the fewest fields taken
    first: the cut fell in the text after field k (k whole), or inside field k (its value as read closed by the
    text after it; a typed value also replaced by a placeholder). Every later field is a placeholder."""
    out: list[Ending] = []
    for k in range(len(c.slots) - 1, -1, -1):
        slot, lost = c.slots[k], tuple(c.slots[k + 1:])
        rest = "".join(PLACEHOLDER + s.after for s in lost)
        for i in range(len(slot.after) - 1, 0, -1):  # some of the text after it read (all of it: field k + 1's)
            if text.endswith(slot.after[:i]):
                out.append(Ending(text + slot.after[i:] + rest, None, True, lost))
        out.append(Ending(text + slot.after + rest, slot, True, lost))
        start = text.rfind(slot.before) if slot.before else -1
        if slot.typed and start >= 0:
            out.append(Ending(text[:start + len(slot.before)] + PLACEHOLDER + slot.after + rest, slot, False, lost))
    return out


@dataclass
class Compiled:
    """A directive compiled: the regex, the name of each capture group, and what each group means."""

    source: str
    kind: str  # 'apache' | 'nginx'
    escapes: str = "backslash"  # how the server escapes values (exposure.formats.escapes)
    parts: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # group names in order ('line' is the whole line)
    roles: dict[str, str] = field(default_factory=dict)  # role -> first group with that role
    extras: list[tuple[str, str]] = field(default_factory=list)  # (name in `extra`, group)
    time: dict[str, str] = field(default_factory=dict)  # strftime time group -> DuckDB strptime format
    # strftime times without a full date and hour (%{%Y-%m-%d}t %{%H:%M:%S}t): (group, zone kind, zone group)
    partials: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    epochs: dict[str, str] = field(default_factory=dict)  # strftime time group -> its %s (epoch) group
    bytes_meaning: str = "body"
    time_meaning: str = ""
    has_offset: bool = True
    trailing: bool = False  # text after the last field is accepted (as `trailing` in extra)
    reserved: set[str] = field(default_factory=set)  # names of the fields that feed a column
    keys: dict[str, str] = field(default_factory=dict)  # group -> the field's name
    slots: list[Slot] = field(default_factory=list)  # the fields in line order, with the texts around them

    def group(self, pattern: str, role: str | None = None, key: str | None = None) -> str:
        """Add a capture group (`pattern` has exactly one outer group): the first of `role` feeds it, any
        other value is kept in `extra` under `key`. The group's name."""
        name = f"g{len(self.groups)}"
        self.groups.append(name)
        self.parts.append(pattern)
        key = field_key(key) if key else key  # a log's field named as one of exposure's marks: `field NAME`
        if key:
            self.keys[name] = key
        if role and role not in self.roles:
            self.roles[role] = name
            if key:
                self.reserved.add(key)
        elif key:
            self.extras.append((self._unique(key), name))
        return name

    def inner_group(self) -> str:
        """Name a group nested inside the pattern just added (a time's zone)."""
        name = f"g{len(self.groups)}"
        self.groups.append(name)
        return name

    def unused_extras(self, used: set[str]) -> list[tuple[str, str]]:
        """`extras` plus every field of a role that feeds no column (`used`: the groups the columns read; `%O`
        beside `%b`, `%v` beside `%{Host}i`, `%m` beside `%r`), by name."""
        listed = {g for _, g in self.extras}
        out = list(self.extras)
        for group, key in self.keys.items():
            if group not in used and group not in listed:
                out.append((key if key not in {k for k, _ in out} else self._unique(key), group))
        return out

    def _unique(self, key: str) -> str:
        """`key`, or `key_N` where another field of the directive holds it (one field logged twice); a field named
        as one of exposure's marks never reaches here as the mark (`group` keys it by schema.field_key)."""
        taken = {k for k, _ in self.extras} | self.reserved
        if key not in taken:
            return key
        n = 2
        while f"{key}_{n}" in taken:
            n += 1
        return f"{key}_{n}"

    @property
    def regex(self) -> str:
        tail = r"(?:[ \t]+(.*?))?" if self.trailing else ""
        return "^(" + "".join(self.parts) + ")" + tail + r"\s*$"

    @property
    def all_groups(self) -> list[str]:
        """Every capture group in order: the whole line, the fields, then the trailing text."""
        return ["line", *self.groups, *(["trail"] if self.trailing else [])]


def quoted_at(before: str, after: str) -> bool:
    """Whether a field between the literal texts `before` and `after` is enclosed in double quotes."""
    return before.endswith('"') and after.startswith('"')


def string_pattern(quoted: bool, after: str, next_item: Item | None, escaped: bool) -> str:
    """The pattern of a string field (see the module doc): quoted, a token, or lazy. `escaped`: the writer
    escapes quotes inside values (every server but nginx with `escape=none`)."""
    if quoted:
        if escaped:
            return QUOTED_INNER
        # a writer that escapes nothing (nginx `escape=none`): a quote inside is content, so a value ends at the
        # first quote after which the rest of the line fits, the last field at the line's last quote
        return LAZY if next_item is not None else GREEDY
    if next_item is not None and after and not after.strip(" ") and next_item.pattern is None \
            and next_item.time is None:
        return TOKEN
    return LAZY


def compile_items(c: Compiled, pieces: list[str | Item], add_time: Callable[[Compiled, Item], None]) -> Compiled:
    """Fill `c` from the directive's pieces (literal texts and items, in order). `add_time(c, item)` adds a
    time item's one pattern (its zone nested in it). The last field may be followed by further fields
    (`trailing`) unless it is an unquoted string at the end, which takes them itself."""
    positions = [i for i, p in enumerate(pieces) if isinstance(p, Item)]
    if not positions:
        raise FormatError("the directive logs no field")
    fields: list[str] = []
    for n, i in enumerate(positions):
        item = pieces[i]
        assert isinstance(item, Item)
        before, after = _text(pieces, i - 1), _text(pieces, i + 1)
        nxt = pieces[positions[n + 1]] if n + 1 < len(positions) else None
        quoted = quoted_at(before, after)
        start = len(c.parts)
        if item.time is not None:
            add_time(c, item)
        elif item.pattern is None:
            c.group(string_pattern(quoted, after, nxt if isinstance(nxt, Item) else None, c.escapes != NONE),
                    item.role, item.key)
        else:
            c.group((item.quoted or item.pattern) if quoted else item.pattern, item.role, item.key)
        if len(c.parts) != start + 1:
            raise AssertionError("one pattern per field")
        fields.append(f"(?:{c.parts[start]}|-)" if item.condition else c.parts[start])  # '-': condition failed
        # the field's role where it feeds its column (a second field of a role is `extra` only); a time: 'time'
        feeds = item.time is None and bool(item.role) and c.roles.get(item.role or "") == c.groups[-1]
        role = "time" if item.time is not None else item.role if feeds else None
        shape = item.pattern or ({"clf": CLF_TIME, "iso": ISO_TIME}.get(item.time[0]) if item.time else None)
        c.slots.append(Slot(before, after, item.pattern is not None or item.time is not None,
                            ROLE_COLUMNS.get(role or "", ()), role, field_key(item.key), shape in CLOSED))
    last = pieces[positions[-1]]
    ends_open = isinstance(last, Item) and last.pattern is None and last.time is None and \
        not quoted_at(_text(pieces, positions[-1] - 1), _text(pieces, positions[-1] + 1)) and \
        not _text(pieces, positions[-1] + 1).strip()
    c.trailing = not ends_open
    it = iter(fields)
    c.parts = [_literal(p) if isinstance(p, str) else next(it) for p in pieces]
    if "bytes_body" not in c.roles and "bytes_wire" in c.roles:  # only bytes on the wire: counts include headers
        c.bytes_meaning = "headers+body"
    return c


def _text(pieces: list[str | Item], i: int) -> str:
    """The literal text at `i` ('' for a field or outside the list)."""
    return pieces[i] if 0 <= i < len(pieces) and isinstance(pieces[i], str) else ""  # type: ignore[return-value]


def _literal(text: str) -> str:
    return re.escape(text).replace("\\ ", " ")
