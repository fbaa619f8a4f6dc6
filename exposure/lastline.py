"""A file's last line cut off mid-line (a copy of a live log stops anywhere): which of its fields are whole.

The cut can fall in any field. Two cases change what the line proves:
- it falls in the byte count (`... 200 10` where the server wrote `200 1000 "-" "UA"`; CLF, or a W3C file whose
  sc-bytes is the last field, always ends there): the count as read may have lost digits. The line stays a
  request, its count kept as read, and the row says so (`extra['cut_field'] = 'bytes'`): the download rule
  (queries/downloads_rule.sql, rule_bytes_known) takes its delivered bytes as unknown, so it is undetermined,
  never judged by the digits read (a completion flag written whole before the cut decides, as on any line
  without a count).
- it falls in a quoted field after the status and the count (the user agent or the referrer): the line was
  rejected for its missing closing quote, yet its status and count are whole. It is parsed again with the
  closing quote (a cut referrer: and an empty user agent; a JSON object: quote and brace) supplied, and
  counted as its request, the cut field kept as read and named (`extra['cut_field']`: user_agent or referer).
  A cut that falls in any other field (an X-Forwarded-For address, a JSON key) leaves the line rejected, and
  so does every cut with --client-ip-from xff (the client may be in a field the cut took).
The warning of the file says which, and the line's number.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from .evidence import ReadStats
from .formats import LogFormat
from .formats.base import normalise_sql
from .formats.clientaddr import resolve_clients
from .linekeys import KEY_BITS, from_keys
from .store import ALL_STORE, WIDE_STORE, stores

CUT_KEY = "cut_field"  # extra[CUT_KEY]: the field the cut of a file's last line fell in
COUNT_CUT = "bytes"  # ... its byte count: may have lost digits
SIZE_CUT = "object_size"  # ... the object's length (CloudFront sc-content-len...): its byte count is whole
BOTH_CUT = "bytes object_size"  # ... digits that read as both: either may be cut
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


def counts_cut(text: str, count: int | None, length: int | None) -> str | None:
    """Which count a line cut off at its end stops in: COUNT_CUT (its last digits are the byte count's),
    SIZE_CUT (the object's length's), BOTH_CUT (both read as those digits), None (neither). The field the
    line ends in is the one cut; a count elsewhere in the line was written whole."""
    last = _trailing_number(text)
    if last is None:
        return None
    hit = [name for name, value in ((COUNT_CUT, count), (SIZE_CUT, length)) if value == last]
    return " ".join(hit) or None


QUOTED_FIELDS = ("user_agent", "referer")  # the fields a rejected cut line is repaired in (_repair)


def cut_field(text: str, row: dict[str, Any]) -> str:
    """The field a repaired line's cut fell in: the quoted field whose value ends the line as read."""
    for name in QUOTED_FIELDS:
        value = row.get(name)
        if value and text.endswith(value):
            return name
    return "another field"


def settle(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: Any, state: dict[str, Any],
           evid: int, stats: ReadStats) -> str | None:
    """The last line of a file whose content is intact but has no final newline: rejected with LAST_LINE_CUT
    in its reason, or counted with its cut field marked (module docstring). Returns the file's warning, or
    None. Runs before the file's lines are counted."""
    if stats.final_newline or stats.decode.ended_early or not stats.lines:
        return None
    line_no = stats.lines
    text = stats.facts.last_text.decode("utf-8") if _utf8(stats.facts.last_text) else None
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
        field, count_cut = repaired
        said = (f"{where}cut off inside its {field} (a copy of a live log?): its status and byte count are "
                f"whole, so it is counted as a request, its {field} kept as read and marked cut")
        return said if count_cut is None else said + _COUNT_NOTES[count_cut]
    row = con.execute("SELECT bytes, object_size FROM requests WHERE evidence_id = ? AND line_no = ?",
                      [evid, line_no]).fetchone()
    if row is None:
        return None
    mark = counts_cut(text, *row) if text is not None else None
    if mark is not None:
        _mark(con, evid, line_no, mark)
        return f"{where}cut off in {_CUT_SAID[mark]}"
    return (f"{where}it parses and is counted as a request, but it may be cut off mid-line (a copy of a live "
            "log?): its last field may be incomplete")


_CUT_SAID = {  # where a count cut fell, said in the file's warning
    COUNT_CUT: ("its byte count (a copy of a live log?): it is counted as a request, but the count as read may "
                "have lost digits: what it delivered is unknown (undetermined, never judged by the digits read)"),
    SIZE_CUT: ("its object length (a copy of a live log?): it is counted as a request, its byte count whole, but "
               "the length as read may have lost digits: it never sets the object's size"),
    BOTH_CUT: ("its byte count or its object length, which read as the same digits (a copy of a live log?): it is "
               "counted as a request, but both may have lost digits: what it delivered is unknown (undetermined) "
               "and the length never sets the object's size"),
}
_COUNT_NOTES = {  # a repaired line (cut in a quoted field) that ends in the digits of a count all the same
    COUNT_CUT: "; its byte count may itself be cut: what it delivered is unknown (undetermined)",
    SIZE_CUT: "; its object length may itself be cut: it never sets the object's size",
    BOTH_CUT: "; its byte count and object length may themselves be cut: undetermined",
}


def _utf8(data: bytes | None) -> bool:
    if data is None:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repair(con: duckdb.DuckDBPyConnection, fmt: LogFormat, options: Any, state: dict[str, Any], evid: int,
            line_no: int, offset: int, text: str) -> tuple[str, str | None] | None:
    """The rejected cut last line parsed again with each closing in turn; the first that gives a request whose
    status and count the cut left whole replaces the reject (the field it fell in, and whether the count may be
    cut, counts_cut: a JSON number can end the line). None: it stays rejected."""
    key = (evid << KEY_BITS) | line_no
    for closing in CLOSINGS:
        con.execute("CREATE OR REPLACE TEMP TABLE cut_line AS SELECT ?::BIGINT AS line_no, ?::BIGINT AS byte_offset,"
                    " ?::VARCHAR AS text, false AS bad_utf8", [key, offset, text + closing])
        parsed = normalise_sql(fmt, fmt.raw_sql("(SELECT * FROM cut_line)", dict(state)), 0, options.log_tz)
        con.execute(f"CREATE OR REPLACE TEMP TABLE cut_staged AS {from_keys(parsed)}")
        found = con.execute("SELECT status, bytes, object_size, user_agent, referer FROM cut_staged "
                            "WHERE verdict = 'request'").fetchone()
        if found is None or found[0] is None:
            continue
        row = dict(zip(("status", "bytes", "object_size", "user_agent", "referer"), found, strict=True))
        if row["bytes"] is None and row["status"] == _trailing_number(text):
            continue  # the status itself ends the line: it may be cut
        field = cut_field(text, row)
        if field not in QUOTED_FIELDS:
            continue  # the cut fell in a field that is neither: its value as read could mislead (an address)
        count_cut = counts_cut(text, row["bytes"], row["object_size"])
        resolve_clients(con, "cut_staged", options.client_ip_from, options.trusted_proxies)
        con.execute("DELETE FROM rejects WHERE evidence_id = ? AND line_no = ?", [evid, line_no])
        con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM (SELECT * REPLACE ("
                    f"{_WITH_CUT} AS extra) FROM cut_staged WHERE verdict = 'request')",
                    [count_cut or field])
        con.execute("DROP TABLE cut_line")
        con.execute("DROP TABLE cut_staged")
        return field, count_cut
    con.execute("DROP TABLE IF EXISTS cut_line")
    con.execute("DROP TABLE IF EXISTS cut_staged")
    return None


_WITH_CUT = f"map_concat(coalesce(extra, MAP {{}}::MAP(VARCHAR, VARCHAR)), MAP {{'{CUT_KEY}': ?::VARCHAR}})"


def _mark(con: duckdb.DuckDBPyConnection, evid: int, line_no: int, field: str) -> None:
    """Mark a request row's cut field: the row moves to the store every column is kept in."""
    con.execute("CREATE OR REPLACE TEMP TABLE cut_row AS SELECT * FROM requests WHERE evidence_id = ? AND line_no = ?",
                [evid, line_no])
    for s in stores(con):
        con.execute(f"DELETE FROM {s.table} WHERE evidence_id = ? AND line_no = ?", [evid, line_no])
    con.execute(f"INSERT INTO {ALL_STORE} SELECT {WIDE_STORE.column_list} FROM (SELECT * REPLACE ({_WITH_CUT} AS extra) "
                "FROM cut_row)", [field])
    con.execute("DROP TABLE cut_row")
