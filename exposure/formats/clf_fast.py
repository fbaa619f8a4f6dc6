"""A fast path for the Common Log Format family: plain string functions instead of the full regex.

Most lines of a real access log have one regular shape: `client ident userid [dd/Mon/yyyy:HH:MM:SS +zzzz]
"METHOD target HTTP/x" status bytes "referer" "agent"` with no backslash, tab or stray quote. For such a line
`string_split` on `"` and on spaces finds every field exactly where the grammar in `clf.LINE_RE` would, at a
fraction of the cost of a 12-group regex. The `regular` test is strict on purpose: a line that fails it (escaped
quotes, a vhost prefix, common format without referer/agent, HTTP/0.9 requests, a bad timestamp, CRLF, ...)
goes through the full regex unchanged, so the output is that of the regex-only SQL line for line.
tests/formats/test_clf_fast.py compares both paths on the sample logs and the real-world corpus.
"""

from __future__ import annotations

from .. import schema
from ..store import hostname_sql
from .base import (
    REQUEST_RE,
    client_sql,
    complete_raw_columns,
    decoded_path_sql,
    nullif_dash,
    path_part_sql,
    query_part_sql,
    sql_literal,
    target_sql,
)
from .escapes import decoded_sql

TIME_FORMAT = "%d/%b/%Y:%H:%M:%S"
PROTOCOLS = ("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2", "HTTP/3", "HTTP/3.0", "HTTP/0.9")

# Backslash escapes in the referer and user agent (`\"`, `\\`) are set aside before splitting: on a line with a
# backslash, `u` is the line with each `\\` and then each `\"` replaced by a private-use character. Replacing left
# to right pairs a run of backslashes exactly as the regex's `\\.` does, so the quotes left in `u` are the field
# quotes of QUOTED in `clf.LINE_RE`; the two fields get their escapes back (the shared stage decodes them, as on
# the regex path). A backslash before the referer, or a line already holding one of those characters, goes to
# the regex.
ESC_BACKSLASH = "chr(57345)"
ESC_QUOTE = "chr(57346)"

# Columns computed once per line: u = the line with escapes set aside, q = u split on '"', h = the part before
# the request split on ' ', r = the request split on ' ', s = ' status bytes ' split on ' '.
_SPLITS = f"""
  contains({{col}}, '\\') AS has_bs,
  CASE WHEN has_bs THEN replace(replace({{col}}, '\\\\', {ESC_BACKSLASH}), '\\"', {ESC_QUOTE}) ELSE {{col}} END AS u,
  string_split(u, '"') AS q,
  string_split(q[1], ' ') AS h,
  string_split(q[2], ' ') AS r,
  string_split(q[3], ' ') AS s,
  try_strptime(substr(h[4], 2), '{{time_format}}') AS ts
"""

def classified_sql(source: str, line_re: str, groups: list[str]) -> str:
    """Each line of `source` (its `text`) with the split columns (`_SPLITS`), `regular` (REGULAR over them) and,
    for the lines that are not regular only, `p`: the CLF grammar `line_re` with its `groups`. The one place
    the cheap path (raw_sql) and detection's statistics (clf.SAMPLE_STATS_SQL) decide which lines need it."""
    return f"""
    SELECT s.*, CASE WHEN NOT regular THEN regexp_extract(s.text, {sql_literal(line_re)}, {groups!r}) END AS p
    FROM (SELECT *, {REGULAR} AS regular
          FROM (SELECT src.*, {_SPLITS.format(col="text", time_format=TIME_FORMAT)} FROM {source} src)) s"""


# Every condition under which the string functions and LINE_RE/REQUEST_RE extract the same fields.
REGULAR = f"""
  len(q) = 7 AND q[5] = ' ' AND q[7] = '' AND NOT starts_with(text, '#')
  AND (NOT has_bs OR NOT (contains(text, {ESC_BACKSLASH}) OR contains(text, {ESC_QUOTE})
                          OR regexp_matches(q[1] || q[2] || q[3], '[\\\\' || {ESC_BACKSLASH} || {ESC_QUOTE} || ']')))
  AND NOT contains(text, chr(9)) AND NOT contains(text, chr(12))
  AND NOT contains(text, chr(13))
  AND len(h) = 6 AND h[1] <> '' AND NOT contains(h[1], ',') AND h[2] <> '' AND h[6] = '' AND starts_with(h[4], '[')
  AND (h[1] GLOB '*[!0-9.]*' OR NOT (h[1] GLOB '*.*.*.*.*' OR h[1] GLOB '*[0-9][0-9][0-9][0-9]*'))
  AND (h[5] GLOB '[+-][01][0-9][0-5][0-9]]' OR h[5] GLOB '[+-]2[0-3][0-5][0-9]]')  -- base.OFFSET_RE
  AND ts IS NOT NULL AND NOT contains(h[4], ']')
  AND len(r) = 3 AND r[1] <> '' AND r[2] <> '' AND ({' OR '.join(f"r[3] = '{p}'" for p in PROTOCOLS)})
  AND len(s) = 4 AND s[1] = '' AND s[4] = '' AND s[3] <> ''
  AND (s[2] = '-' OR s[2] GLOB '[0-9][0-9][0-9]')
"""


def _restored(field: str) -> str:
    """A quoted field of `u` with its backslash escapes as written (see ESC_BACKSLASH)."""
    return f"CASE WHEN has_bs THEN replace(replace({field}, {ESC_QUOTE}, '\\\"'), {ESC_BACKSLASH}, '\\\\') ELSE {field} END"


def fast_fields() -> dict[str, str]:
    """The raw fields of a regular line, from the split columns (see `_SPLITS`)."""
    offset = ("(CASE WHEN starts_with(h[5], '-') THEN -1 ELSE 1 END) * "
              "(substr(h[5], 2, 2)::INTEGER * 60 + substr(h[5], 4, 2)::INTEGER)")
    return {
        "ok": "true",
        "vhost": "''",
        "client": "h[1]",
        "ident": "h[2]",
        "userid": "h[3]",
        "time_text": "substr(h[4], 2) || ' ' || left(h[5], 5)",
        "ts_local": "ts",
        "utc_offset_min": offset,
        "request_text": "q[2]",
        "method": "r[1]",
        "uri": "r[2]",
        "protocol": "r[3]",
        "status": "s[2]",
        "bytes": "s[3]",
        "referer": _restored("q[4]"),
        "user_agent": _restored("q[6]"),
    }


def raw_sql(source: str, slow_fields: dict[str, str]) -> str:
    """One pass: regular lines get `fast_fields`, the others `slow_fields` (the regex expressions of
    `ClfFormat.raw_sql`, over the struct `m`). The regexes run only for the lines that are not regular
    (a CASE evaluates a branch only for the rows that take it), and rows keep their order."""
    from .clf import LINE_GROUPS, LINE_RE

    fast = fast_fields()
    merged = {name: f"CASE WHEN regular THEN {fast.get(name, 'NULL')} ELSE {expr} END"
              for name, expr in slow_fields.items()}
    request = "p.request"
    return f"""
SELECT line_no, byte_offset, text, bad_utf8,
  {complete_raw_columns(merged)}
FROM (
  SELECT s.*, CASE WHEN NOT regular THEN struct_insert(p, req := regexp_extract({request}, {sql_literal(REQUEST_RE)},
                                                       ['method', 'uri', 'protocol'])) END AS m
  FROM ({classified_sql(source, LINE_RE, LINE_GROUPS)}
  ) s
)
"""


# The cheap path's pieces, over the line as read (with its terminator, see `base.SOURCE`): the _SPLITS with
# the time read with its `[` (one call fewer per line; h[4] never holds a space, so it equals the
# full path's reading of the text after the bracket).
_LINE_SPLITS = _SPLITS.format(col="line", time_format=TIME_FORMAT).replace(
    f"try_strptime(substr(h[4], 2), '{TIME_FORMAT}')", f"try_strptime(h[4], '[{TIME_FORMAT}')")

# The shape of a plain line, checked on those pieces: what REGULAR checks, plus the rules the full path
# applies before the grammar (a line that starts with `#` is a comment) and after it (a time or byte count
# that does not parse makes a reject, with its reason, on the full path); clients with `[` or `%` (brackets,
# zone ids) are left to the full path too, and clients that start with `<` or `dddd-` (a superset of a syslog
# priority or time: base.NOT_A_CLIENT_RE, the full path's code 9; code 10's prefix needs more than the six
# space-separated pieces before the request that `len(h) = 6` allows), and clients of digits and dots with five groups
# or four digits in a row (a line cut inside its client then the next: clf.GLUED_CLIENT_RE, on the full path); the offset `[+-]hhmm]` is checked by the join with ZONES. A line
# with a backslash outside the referer and user agent, or an absolute request target (a host for vhost), goes to
# the full path as well; escapes in those two fields are decoded here as the shared stage decodes them
# (exposure.formats.escapes: one in ten lines of a busy site has an agent with `\"`).
# Twenty-odd comparisons of short pieces cost less than one RE2 pass over the line.
PLAIN = f"""
  len(q) = 7 AND q[5] = ' ' AND (q[7] = chr(10) OR q[7] = chr(13) || chr(10))
  AND len(h) = 6 AND h[6] = '' AND h[1] <> '' AND h[2] <> '' AND NOT contains(h[1], ',')
  AND NOT contains(h[1], '[') AND NOT contains(h[1], '%')
  AND (h[1] GLOB '*[!0-9.]*' OR NOT (h[1] GLOB '*.*.*.*.*' OR h[1] GLOB '*[0-9][0-9][0-9][0-9]*'))
  AND NOT starts_with(h[1], '#') AND NOT starts_with(h[1], '<') AND NOT h[1] GLOB '[0-9][0-9][0-9][0-9]-*'
  AND ts IS NOT NULL
  AND len(r) = 3 AND r[1] <> '' AND r[2] <> '' AND r[3] IN ({', '.join(sql_literal(p) for p in PROTOCOLS)})
  AND len(s) = 4 AND s[1] = '' AND s[4] = '' AND (s[2] = '-' OR s[2] GLOB '[0-9][0-9][0-9]')
  AND (bytes_n IS NOT NULL OR s[3] = '-')
  AND NOT contains(line, chr(9)) AND NOT contains(line, chr(12))
  AND (strpos(line, chr(13)) = 0 OR strpos(line, chr(13)) = strlen(line) - 1)
  AND (NOT has_bs OR NOT (contains(line, {ESC_BACKSLASH}) OR contains(line, {ESC_QUOTE})
                          OR regexp_matches(q[1] || q[2] || q[3], '[\\\\' || {ESC_BACKSLASH} || {ESC_QUOTE} || ']')))
  AND NOT contains(r[2], '://')
"""


# Every valid offset as CLF writes it (h[5]: `+0200]`; base.OFFSET_RE: hours 00-23, minutes 00-59) with its minutes,
# sign * (hh * 60 + mm) as the full path reads it: joining this (a hash join on a short string) costs less than
# taking the offset apart on every line; a line with any other offset is left to the full path (a reject).
ZONES = """(SELECT sign || lpad(n::VARCHAR, 4, '0') || ']' AS zone_text,
        (CASE sign WHEN '-' THEN -1 ELSE 1 END) * ((n // 100) * 60 + n % 100) AS minutes
      FROM range(2400) t(n), (VALUES ('+'), ('-')) s(sign) WHERE n % 100 < 60)"""


def clients_sql(source: str) -> str:
    """The client field of every line of `source` that `requests_sql` may take and whose client may need
    normalising (a superset), as `raw`. Only an address with `:` in it can (IPv6, a port, IPv4-mapped):
    PLAIN leaves clients with `[` or `%` (brackets, zone ids) to the full parse, and a dotted IPv4 address or
    a hostname is kept as written (see clientaddr.address_map). Two `strpos` cost less than any pattern."""
    return f"SELECT split_part(line, ' ', 1) AS raw FROM {source} WHERE strpos(line, ':') BETWEEN 1 AND strpos(line, ' ')"


def requests_sql(source: str, evidence_id: int, addresses: str | None = None) -> str:
    """The request rows of the plain lines of `source` (PLAIN), in the request columns: for each, exactly
    what `base.normalise_sql` over `raw_sql` gives it, with the client normalised through `addresses` (a
    relation raw, norm, zone: `clientaddr.address_map` of `clients_sql`), as `clientaddr.resolve_clients`
    would. tests/formats/test_clf_fast.py compares them. Every other line is left out; ingest parses those
    with `raw_sql`. It reads `line` (the line with its terminator: no per-line copy to strip it).

    The shape filter reads the volatile `fence` (always true), which stops DuckDB from pushing it into the
    scan, where it would compute every `string_split` once for each test that reads it.
    """
    f = fast_fields()
    target = target_sql(f["uri"])
    zoned = f"JOIN {ZONES} z ON z.zone_text = x.h[5]"
    if addresses:
        mapped = (f"SELECT x.*, z.minutes AS utc_offset_min, coalesce(m.norm, x.client_raw) AS client, "
                  f"m.zone AS client_zone FROM ({{rows}}) x {zoned} LEFT JOIN {addresses} m ON m.raw = x.client_raw")
    else:
        mapped = (f"SELECT x.*, z.minutes AS utc_offset_min, x.client_raw AS client, NULL::VARCHAR AS client_zone "
                  f"FROM ({{rows}}) x {zoned}")
    rows = f"""
  SELECT *, {client_sql(f["client"])} AS client_raw, {target} AS target,
    CASE WHEN has_bs THEN {decoded_sql(_restored("q[4]"))} ELSE struct_pack(v := q[4], bad := false) END AS referer_d,
    CASE WHEN has_bs THEN {decoded_sql(_restored("q[6]"))} ELSE struct_pack(v := q[6], bad := false) END AS agent_d
  FROM (
    SELECT *, try_cast(nullif(s[3], '-') AS BIGINT) AS bytes_n, random() AS fence
    FROM (SELECT src.line_no, src.byte_offset, src.line, src.bad_utf8, {_LINE_SPLITS} FROM {source} src)
  )
  WHERE CASE WHEN fence >= 0 THEN {PLAIN} END"""
    columns = schema.select_list({
        "evidence_id": f"{int(evidence_id)}::INTEGER", "line_no": "line_no", "byte_offset": "byte_offset",
        "ts_utc": "ts - to_minutes(utc_offset_min)", "utc_offset_min": "utc_offset_min::SMALLINT",
        "client": "client", "client_is_hostname": hostname_sql("client"),
        "ident": nullif_dash(f["ident"]), "userid": nullif_dash(f["userid"]), "method": nullif_dash(f["method"]),
        "path": decoded_path_sql(path_part_sql("target")), "query": f"nullif({query_part_sql('target')}, '')",
        "protocol": nullif_dash(f["protocol"]), "status": f"try_cast(nullif({f['status']}, '-') AS SMALLINT)",
        "bytes": "bytes_n", "referer": nullif_dash("referer_d.v"), "user_agent": nullif_dash("agent_d.v"),
        "bad_utf8": "coalesce(bad_utf8, false) OR referer_d.bad OR agent_d.bad", "client_zone": "client_zone",
    })  # the columns a combined line has no field for are absent (typed NULL)
    return f"""
SELECT {columns}
FROM ({mapped.format(rows=rows)})
"""
