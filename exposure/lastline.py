"""A file's last line cut off mid-line (a copy of a live log stops anywhere): which of its fields are whole.

The cut can fall in any field. These cases change what the line proves:
- it falls in a number that decides a download: the byte count (`... 200 10` where the server wrote
  `200 1000 "-" "UA"`; CLF, or a W3C file whose sc-bytes is the last field, always ends there), the object's
  length (CloudFront sc-content-len, S3 object size) or a range offset (CloudFront sc-range-start/sc-range-end):
  the number as read may have lost digits. The line stays a request, the number kept as read, and the row says
  so (`extra['cut_field']`, the fields it may be: 'bytes', 'object_size', 'range_start', 'range_end', space-
  separated where the digits read as more than one). The download rule (queries/downloads_rule.sql, rule_cut)
  never reads it: a cut count is unknown (undetermined, never judged by the digits read; a completion flag
  written whole before the cut decides, as on any line without a count), a cut length never sets the object's
  size, a part with a cut offset has no offsets (its range group is judged by its whole byte counts).
- it falls in or before the log's own completion flag (nginx $request_completion 'OK' read as '' or 'O', Apache
  %X the line ends in): the flag is not read whole, so it never decides: the row's completion is NULL and the
  mark says 'completion'.
- it falls in a quoted field after the status and the count (the user agent or the referrer): the line was
  rejected for its missing closing quote, yet its status and count are whole. It is parsed again with the
  closing quote (a cut referrer: and an empty user agent; a JSON object: quote and brace) supplied, and
  counted as its request, the cut field kept as read and named (`extra['cut_field']`: user_agent or referer).
A --log-format / --nginx-log-format line is completed the same way from its directive (formats.directive.
endings: the text after the field the cut fell in, a placeholder for each field it took): a cut that took only
fields listed above, or fields no count rests on (a duration, a cache result, a field kept in `extra`), counts,
each field it shortened or took marked (a field no column holds by its token, `extra:` and its name in `extra`
percent-encoded, exposure/cutwords.py: never kept silently, never read as a column) and said (a field the cut took as taken, its placeholder's value never kept). A cut that falls in any
other field (the status, the time, the client, an X-Forwarded-For address, a host, a JSON key: `decides`)
leaves the line rejected, also where the line parses whole but ends in such a field (a `$msec` of 1970, a
`$remote_addr` of `198.51.100.`), and so does every cut with --client-ip-from xff (the client may be in a field
the cut took).
The warning of the file says which, and the line's number.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from . import cutwords
from .evidence import ReadStats
from .formats import LogFormat, directive
from .formats.base import normalise_sql
from .formats.clientaddr import resolve_clients
from .linekeys import KEY_BITS, from_keys
from .store import ALL_STORE, WIDE_STORE, stores

CUT_KEY = directive.CUT_KEY  # extra[CUT_KEY]: the fields the cut of a file's last line fell in, space-separated
# the numbers a cut may shorten, in the order a mark names them; then the flag and the quoted fields (a field of
# the log no column holds: its token, cutwords.field_token, never one of these)
NUMBERS = cutwords.NUMBERS
MARKS = cutwords.COLUMNS
LAST_LINE_CUT = "last line has no newline: cut off mid-line (a copy of a live log?)"
# what closes a quoted field the cut left open: a text format's last field, a referrer whose user agent was never
# written (its user agent then reads as none: '-'), a JSON object's string value
CLOSINGS = ('"', '" "-"', '"}')
_TRAILING_DIGITS = re.compile(r"(?<![0-9])([0-9]+)$")
# rejects whose reason already says the line was cut by lost content or is too long: not a copy's cut
OTHER_CUTS = ("cut off%", "begins after%", "a line of%")


def unlike(patterns: tuple[str, ...]) -> str:
    """A condition on a reject's reason: none of `patterns` (LIKE; the caller binds them, in order)."""
    return "NOT (" + " OR ".join("reason LIKE ?" for _ in patterns) + ")"


NOT_OTHER_CUT = unlike(OTHER_CUTS)  # its values: OTHER_CUTS


def _trailing_number(text: str) -> int | None:
    """The number a line cut off at its end stops in (its last characters are digits), else None: that field
    as read may have lost digits."""
    m = _TRAILING_DIGITS.search(text)
    return int(m.group(1)) if m else None


def counts_cut(text: str, row: dict[str, Any]) -> set[str]:
    """The numbers of `row` (NUMBERS) a line cut off at its end may stop in: those whose value its last digits
    read as. The field the line ends in is the one cut; a number elsewhere in the line was written whole."""
    last = _trailing_number(text)
    return {name for name in NUMBERS if last is not None and row.get(name) == last}


def mark(fields: set[str]) -> str | None:
    """The mark of a row whose cut may have shortened or taken `fields`: in MARKS order, space-separated; then,
    sorted, the tokens of fields no column holds (cutwords.field_token of Slot.key: a request id, a duration)."""
    return " ".join([m for m in MARKS if m in fields] + sorted(fields - set(MARKS))) or None


def decides(slot: directive.Slot) -> bool:
    """A directive's field a count rests on and no mark can stand for (the status, the time, the client, the host,
    an X-Forwarded-For address, the request): a line whose cut may have shortened or taken it is rejected. Not a
    field of a fixed shape (a status, a CLF or ISO 8601 time): cut short it would not have parsed."""
    return slot.role is not None and not slot.columns and slot.role not in directive.UNDECIDING and not slot.closed


def named(slot: directive.Slot) -> tuple[str, ...]:
    """What a mark names of a directive's field the cut shortened or took: the columns it feeds, else the token of
    its name in `extra` (cutwords.field_token: a field no count rests on is marked and said too, never silently
    kept, and never read as a column, whatever its name)."""
    return slot.columns or ((cutwords.field_token(slot.key),) if slot.key else ())


QUOTED_FIELDS = ("user_agent", "referer")  # the fields a rejected cut line is repaired in (_repair)
_COLUMNS = ("status", *NUMBERS, "completion", "user_agent", "referer")  # what a repaired line is judged by


def cut_field(text: str, row: dict[str, Any]) -> str:
    """The field a repaired line's cut fell in: the quoted field whose value ends the line as read."""
    for name in QUOTED_FIELDS:
        value = row.get(name)
        if value and text.endswith(value):
            return name
    # nothing of it read (its value as read empty, NULL once parsed): the cut right after a text format's last opening
    # quote, or inside the first character after it (_utf8): the user agent after a whole referrer, else the referrer
    # after the count (never a JSON object's `"key":"`, whose value may be any field's)
    if text.endswith('" "'):
        return "user_agent"
    if text.endswith(' "') and not text[:-1].rstrip().endswith(":"):
        return "referer"
    return "another field"


def settle(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: Any, state: dict[str, Any],
           evid: int, stats: ReadStats) -> str | None:
    """The last line of a file whose content is intact but has no final newline: rejected with LAST_LINE_CUT
    in its reason, or counted with its cut fields marked (module docstring). Returns the file's warning, or
    None. Runs before the file's lines are counted."""
    if stats.final_newline or stats.decode.ended_early or not stats.lines:
        return None
    line_no = stats.lines
    text = _utf8(stats.facts.last_text)
    where = f"last line ({line_no}) has no newline: "
    rejected = con.execute(f"SELECT byte_offset FROM rejects WHERE evidence_id = ? AND line_no = ? AND {NOT_OTHER_CUT}",
                           [evid, line_no, *OTHER_CUTS]).fetchone()
    if rejected is not None:
        # not with --client-ip-from xff: the client may be in a field the cut took (an X-Forwarded-For after it)
        repaired = (_repair(con, fmt, options, state, evid, line_no, rejected[0], text)
                    if text and options.client_ip_from != "xff" else None)
        if repaired is None:
            con.execute("UPDATE rejects SET reason = ? || ': ' || reason WHERE evidence_id = ? AND line_no = ?",
                        [LAST_LINE_CUT, evid, line_no])
            return None
        return where + (said(*repaired) if repaired[0] is not None else MAY_BE_CUT)
    found = con.execute(f"SELECT {', '.join(_COLUMNS)}, extra['trailing'] FROM requests "
                        "WHERE evidence_id = ? AND line_no = ?", [evid, line_no]).fetchone()
    if found is None:
        return None
    row = dict(zip(_COLUMNS, found, strict=False))
    fields = counts_cut(text, row) if text is not None else set()
    slots = _slots(fmt)
    if slots and found[-1] is None and not (slots[-1].after and text and text.endswith(slots[-1].after)):
        if decides(slots[-1]):  # its time, client, host ... as read would be a guess (a $msec of 1970)
            _reject(con, evid, line_no, slots[-1].key, (stats.facts.last_text or b"").decode("utf-8", "replace"))
            return None
        fields |= set(slots[-1].columns)  # a directive's line ends in its last field: it may be cut (a %X too)
    cut = mark(fields)
    if cut is not None:
        _mark(con, evid, line_no, cut)
        return where + said(cut)
    return where + MAY_BE_CUT


# a counted last line without a newline whose cut no mark names
MAY_BE_CUT = ("it parses and is counted as a request, but it may be cut off mid-line (a copy of a live log?): its "
              "last field may be incomplete")


def said(cut: str, taken: frozenset[str] = frozenset()) -> str:
    """A cut line's mark (`extra['cut_field']`) said in its file's warning, in the words of its finding
    (exposure/cutwords.py); `taken`: the fields a placeholder stood in for (their value not kept), said too."""
    return (f"cut off mid-line (a copy of a live log?): {cutwords.said(cut)}"
            + cutwords.taken_said([t for t in cut.split() if t in taken]))


def _slots(fmt: LogFormat) -> list[Any]:
    """The fields of a directive format in line order (formats.directive.Slot), else none."""
    compiled = fmt.options.get("compiled")
    return list(compiled.slots) if compiled is not None else []


def _utf8(data: bytes | None) -> str | None:
    """The cut last line as text, or None where it holds bytes that are not UTF-8. A character the cut fell inside
    (its last 1-3 bytes the start of a multi-byte sequence: `e2 82` of `€`) is lost with the cut, as the rest of
    its field is: the text ends before it, so the line is judged as one cut at that character."""
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason != "unexpected end of data" or error.end != len(data) or len(data) - error.start > 3:
            return None
        return _utf8(data[:error.start])


def _candidates(fmt: LogFormat, text: str) -> list[tuple[str, set[str] | None, set[str]]]:
    """The completions of a rejected cut line to parse in turn: (line, the fields the cut shortened or took
    (None: the quoted field whose value ends the line, found once parsed), the columns read from a placeholder
    or a flag not read whole, never kept). A directive's from its fields (formats.directive.endings: none once
    the cut takes a field a count rests on), a built-in format's from CLOSINGS."""
    compiled = fmt.options.get("compiled")
    if compiled is None:
        return [(text + closing, None, set()) for closing in CLOSINGS]
    out: list[tuple[str, set[str] | None, set[str]]] = []
    for end in directive.endings(compiled, text):
        taken = [*([end.cut] if end.cut else []), *end.lost]
        if any(decides(s) for s in taken):
            continue  # a field a count rests on (the status, the time, the host, an address) would be a guess
        fields = {c for s in taken for c in named(s)}
        placeheld = {c for s in (end.lost if end.kept else taken) for c in named(s)} | (fields & {"completion"})
        out.append((end.text, fields, placeheld))
    return out


def _repair(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: Any, state: dict[str, Any], evid: int,
            line_no: int, offset: int, text: str) -> tuple[str | None, frozenset[str]] | None:
    """The rejected cut last line parsed again with each completion (_candidates, all in one parse); the first
    that gives a request whose status the cut left whole replaces the reject, its cut fields marked (and whether
    a count may be cut, counts_cut: a JSON number can end the line). Its mark (None: the cut took no field, only
    the text after the last) and the fields a placeholder stood in for, or None: it stays rejected."""
    candidates = _candidates(fmt, text)
    # each completion under its own number (its index + 1 in place of the line's): one parse for all of them
    _parse(con, fmt, options, state, evid << KEY_BITS, offset, [c for c, _, _ in candidates])
    found = con.execute(f"SELECT line_no, {', '.join(_COLUMNS)} FROM cut_staged WHERE verdict = 'request' "
                        "AND status IS NOT NULL ORDER BY line_no").fetchall()
    for number, *values in found:
        candidate, fields, placeheld = candidates[number - 1]
        row = dict(zip(_COLUMNS, values, strict=True))
        if fields is None:
            if row["bytes"] is None and row["status"] == _trailing_number(text):
                continue  # the status itself ends the line: it may be cut
            field = cut_field(text, row)
            if field not in QUOTED_FIELDS:
                continue  # the cut fell in a field that is neither: its value as read could mislead (an address)
            fields = {field}
        cut = mark(fields | counts_cut(text, row))
        _parse(con, fmt, options, state, (evid << KEY_BITS) | line_no, offset, [candidate])
        resolve_clients(con, "cut_staged", options.client_ip_from, options.trusted_proxies)
        con.execute("DELETE FROM rejects WHERE evidence_id = ? AND line_no = ?", [evid, line_no])
        nulls = "".join(f", NULL AS {c}" for c in _COLUMNS if c in placeheld)
        con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM (SELECT * REPLACE ("
                    f"{_WITH_CUT} AS extra{nulls}) FROM cut_staged WHERE verdict = 'request')", [cut])
        out: tuple[str | None, frozenset[str]] | None = (cut, frozenset(placeheld))
        break
    else:
        out = None
    con.execute("DROP TABLE IF EXISTS cut_line")
    con.execute("DROP TABLE IF EXISTS cut_staged")
    return out


def _parse(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: Any, state: dict[str, Any], key: int,
           offset: int, texts: list[str]) -> None:
    """Parse `texts` into the table cut_staged, the i-th (from 0) under the line key `key` + i (+ 1 where more
    than one: its candidate's number)."""
    first = key + (1 if len(texts) > 1 else 0)
    con.execute("CREATE OR REPLACE TEMP TABLE cut_line AS SELECT ?::BIGINT + i - 1 AS line_no, ?::BIGINT AS "
                "byte_offset, texts[i] AS text, false AS bad_utf8 FROM (SELECT ?::VARCHAR[] AS texts) t, "
                "range(1, len(texts) + 1) r(i)", [first, offset, texts])
    parsed = normalise_sql(fmt, fmt.raw_sql("(SELECT * FROM cut_line)", dict(state)), 0, options.log_tz)
    con.execute(f"CREATE OR REPLACE TEMP TABLE cut_staged AS {from_keys(parsed)}")


def _reject(con: duckdb.DuckDBPyConnection, evid: int, line_no: int, field: str, text: str) -> None:
    """A counted last line whose cut may have shortened its last field, one a count rests on (decides): rejected
    with LAST_LINE_CUT, the field named."""
    reason = f"{LAST_LINE_CUT}: it ends in its {field}, which a count rests on: as read it may mislead"
    con.execute("INSERT INTO rejects SELECT evidence_id, line_no, byte_offset, ?, ?, bad_utf8 FROM requests "
                "WHERE evidence_id = ? AND line_no = ?", [reason, text, evid, line_no])
    for s in stores(con):
        con.execute(f"DELETE FROM {s.table} WHERE evidence_id = ? AND line_no = ?", [evid, line_no])


_WITH_CUT = f"map_concat(coalesce(extra, MAP {{}}::MAP(VARCHAR, VARCHAR)), MAP {{'{CUT_KEY}': ?::VARCHAR}})"


def _mark(con: duckdb.DuckDBPyConnection, evid: int, line_no: int, cut: str) -> None:
    """Mark a request row's cut fields: the row moves to the store every column is kept in. A completion flag not
    read whole is not kept (it is no flag)."""
    con.execute("CREATE OR REPLACE TEMP TABLE cut_row AS SELECT * FROM requests WHERE evidence_id = ? AND line_no = ?",
                [evid, line_no])
    for s in stores(con):
        con.execute(f"DELETE FROM {s.table} WHERE evidence_id = ? AND line_no = ?", [evid, line_no])
    flag = ", NULL AS completion" if "completion" in cut.split() else ""
    con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM (SELECT * REPLACE ({_WITH_CUT} AS extra"
                f"{flag}) FROM cut_row)", [cut])
    con.execute("DROP TABLE cut_row")
