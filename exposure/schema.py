"""The request schema, written once: every column of a request row, with what each part of the tool needs to
know about it. The `requests` view (its column names and order are a published interface), every store table
(`store.py`), the rows every parse and cheap path yields (`formats/base.py`), the raw fields a format may
produce, the overlap line hash (`overlap.py`) and the Parquet export (`export.py`) are all derived from
`COLUMNS`; none of them lists the columns again.

A column is one of:
- *core*: every store has it (`extra` is None);
- *extra*: optional, kept only in the stores of formats that can fill it (`extra` is the word it adds to a
  store's name, `requests_vhost_size_duration`...);
- *computed*: not stored, computed by the view (`client_is_hostname`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type in the stores and the view
    extra: str | None = None  # optional column: the word it adds to a store's name; None: a core column
    raw: str | None = None  # the type a format yields it in as a raw field (formats/base.py); None: not raw
    ecs: str | None = None  # its name in the Parquet export (Elastic Common Schema where one exists)
    in_line_hash: bool = True  # part of what makes two log lines the same request (overlap.py)
    computed: bool = False  # computed by the view from other columns, never stored
    not_null: bool = False
    note: str = ""


# The requests view, column for column in this order.
COLUMNS: tuple[Column, ...] = (
    Column("evidence_id", "INTEGER", ecs="exposure.evidence_id", in_line_hash=False, not_null=True),
    Column("line_no", "BIGINT", ecs="log.file.line", in_line_hash=False, not_null=True),
    Column("byte_offset", "BIGINT", ecs="log.offset", in_line_hash=False, not_null=True,
           note="of the line in the (decompressed) content"),
    Column("ts_utc", "TIMESTAMP", raw="TIMESTAMP", ecs="@timestamp", not_null=True),
    Column("utc_offset_min", "SMALLINT", raw="INTEGER", ecs="event.timezone_offset_min", in_line_hash=False,
           note="as written in the log; NULL when the log has no offset (how the time is written, not the "
                "request: a copy whose times an export rewrote at another offset, the same instants, is the same "
                "line; ts_utc compares the instant)"),
    Column("ts_flag", "VARCHAR", extra="tsflag", raw="VARCHAR", note="e.g. ambiguous local time (DST fold)"),
    Column("client", "VARCHAR", raw="VARCHAR", ecs="source.address",
           note="the requests view's is a host name with its ASCII letters in lower case (store.client_key_sql: "
                "one client whatever the case it was logged in); a store's row keeps it as logged"),
    Column("client_is_hostname", "BOOLEAN", in_line_hash=False, computed=True),
    Column("peer", "VARCHAR", extra="peer", raw="VARCHAR", ecs="network.forwarded_by",
           note="connecting address when client was taken from X-Forwarded-For"),
    Column("ident", "VARCHAR", raw="VARCHAR"),
    Column("userid", "VARCHAR", raw="VARCHAR", ecs="user.name"),
    Column("vhost", "VARCHAR", extra="vhost", raw="VARCHAR", ecs="url.domain"),
    Column("method", "VARCHAR", raw="VARCHAR", ecs="http.request.method"),
    Column("path", "VARCHAR", ecs="url.path", note="percent-decoded, without query"),
    Column("query", "VARCHAR", ecs="url.query"),
    Column("protocol", "VARCHAR", raw="VARCHAR", ecs="network.protocol"),
    Column("status", "SMALLINT", raw="VARCHAR", ecs="http.response.status_code"),
    Column("bytes", "BIGINT", raw="VARCHAR", ecs="http.response.body.bytes", note="NULL when logged as '-'"),
    Column("object_size", "BIGINT", extra="size", raw="VARCHAR", ecs="exposure.object_size"),
    Column("range_start", "BIGINT", extra="range", raw="VARCHAR", ecs="exposure.range_start"),
    Column("range_end", "BIGINT", extra="range", raw="VARCHAR", ecs="exposure.range_end"),
    Column("completion", "VARCHAR", extra="completion", raw="VARCHAR", ecs="exposure.completion"),
    Column("duration_ms", "DOUBLE", extra="duration", raw="VARCHAR"),
    Column("referer", "VARCHAR", raw="VARCHAR", ecs="http.request.referrer"),
    Column("user_agent", "VARCHAR", raw="VARCHAR", ecs="user_agent.original"),
    Column("xff", "VARCHAR", extra="xff", raw="VARCHAR", ecs="exposure.x_forwarded_for"),
    Column("cache_result", "VARCHAR", extra="cache", raw="VARCHAR"),
    Column("bad_utf8", "BOOLEAN", extra="utf8", in_line_hash=False),
    Column("client_zone", "VARCHAR", extra="zone", note="IPv6 zone id (`%eth0`) written with the client, kept apart"),
    Column("extra", "MAP(VARCHAR, VARCHAR)", extra="extra", raw="MAP(VARCHAR, VARCHAR)", ecs="exposure.extra",
           in_line_hash=False,
           note="the line's other fields by name (nginx variable names: server_port, upstream_addr, "
                "http_x_request_id ...; exposure.formats.custom), for fields no column holds; and exposure's marks "
                "on a line: cut_field (a file's last line cut off mid-line: the fields the cut may have shortened "
                "or taken, space-separated: 'bytes' its count, 'object_size' its object length, 'range_start' / "
                "'range_end' its offsets (unknown), 'completion' its flag (not kept), user_agent or referer (kept "
                "as read), 'extra:' and the percent-encoded name of a field kept here (exposure.cutwords); "
                "exposure.lastline); NULL when none"),
    Column("host_header", "VARCHAR", extra="host", raw="VARCHAR", ecs="exposure.host_header", in_line_hash=False,
           note="the request's Host header where the log keeps it apart from the site (vhost): an S3 server access "
                "log's, whose site is the bucket; NULL when not logged"),
    # last: added at schema 17 after the published columns, whose order the requests view and requests.csv keep
    Column("request_id", "VARCHAR", extra="reqid", raw="VARCHAR", ecs="http.request.id",
           note="the id the server gives each request (CloudFront x-edge-request-id, S3 request ID, ALB trace_id, nginx "
                "$request_id, Apache %L / %{UNIQUE_ID}e where the log format names them): two lines whose "
                "ids differ are two requests, never a copy of one; a line without one is compared on its other "
                "fields (overlap.py)",
           in_line_hash=False),
)
# exposure's own marks on a line, kept in `extra` beside the log's fields (no field the log wrote): the fields the cut
# of a file's last line fell in (exposure/lastline.py) and a JSON line whose count is `bytes_sent` alone
CUT_MARK = "cut_field"
BYTES_MARK = "bytes_field"
MARK_KEYS: tuple[str, ...] = (CUT_MARK, BYTES_MARK)


def field_key(name: str) -> str:
    """The key of `extra` a log's own field named `name` is kept under: its name, but `field NAME` where the name is
    one of exposure's marks (MARK_KEYS), which the log's value must never be read as (a W3C `#Fields` name holds no
    space: no field of the log is named so). field_key_sql is this rule over a SQL expression."""
    return f"field {name}" if name in MARK_KEYS else name


def field_key_sql(name: str) -> str:
    """field_key over the SQL expression `name`."""
    marks = ", ".join(f"'{m}'" for m in MARK_KEYS)
    return f"CASE WHEN {name} IN ({marks}) THEN 'field ' || {name} ELSE {name} END"


def line_id_sql(prefix: str = "r.") -> str:
    """The id a request line carries beside its parsed columns (overlap.py compares it only where both lines have
    one: two lines whose ids differ are two requests), as a hash: the server's request id (`request_id`), else every
    field of the line no column holds (`extra`, exposure's marks aside: a trailing field no format names, an nginx
    `$http_x_request_id`, an S3 line's later fields); NULL where the line has neither. A line without marks (all
    but a file's cut last line and JSON's `bytes_sent` lines) is hashed whole: a filter per line cost 3x (2 M rows)."""
    x = f"{prefix}extra"
    fields = f"list_filter(map_entries({x}), lambda e: e.key NOT IN ({', '.join(repr(m) for m in MARK_KEYS)}))"
    unmarked = " AND ".join(f"{x}['{m}'] IS NULL" for m in MARK_KEYS)
    return (f"CASE WHEN {prefix}request_id IS NOT NULL THEN hash({prefix}request_id) WHEN {x} IS NULL THEN NULL "
            f"WHEN {unmarked} THEN hash(map_entries({x})) WHEN len({fields}) > 0 THEN hash({fields}) END")


BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
TYPES: dict[str, str] = {c.name: c.type for c in COLUMNS}
COMPUTED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.computed)
# the optional columns, each with the word it adds to a store's name (range_start and range_end go together)
EXTRAS: dict[str, str] = {c.name: c.extra for c in COLUMNS if c.extra is not None}
CORE: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.extra is None and not c.computed)
NOT_NULL: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.not_null)
# optional columns any format's rows may fill, whatever its fields: a time without an offset (flagged), invalid
# UTF-8 (also in an escaped value), an IPv6 zone id (from the client address), a host and port from an
# absolute request target (vhost, extra) and an address list in the client field (xff)
ANY_FORMAT: tuple[str, ...] = ("ts_flag", "bad_utf8", "client_zone", "vhost", "xff", "extra")
# the fields of a parsed line that make two lines of one server the same request (file, line, offset and
# what is computed from the text aside: an LF and a CRLF copy match)
LINE_HASH_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.in_line_hash)
# request column -> its name in the Parquet export
EXPORT_NAMES: dict[str, str] = {c.name: c.ecs for c in COLUMNS if c.ecs is not None}
# request columns a format yields as raw fields (same name), with the type it yields them in
RAW_COLUMNS: dict[str, str] = {c.name: c.raw for c in COLUMNS if c.raw is not None}


def column_list(names: tuple[str, ...] | None = None, prefix: str = "") -> str:
    """`a, b, c`: the request columns (or `names`), in view order, optionally qualified (`r.`)."""
    return ", ".join(prefix + n for n in (NAMES if names is None else names))


def absent_sql(column: str) -> str:
    """The value of a column a row does not have: typed NULL (`bad_utf8`: false)."""
    return "false" if column == "bad_utf8" else f"NULL::{TYPES[column]}"


def select_list(expressions: dict[str, str]) -> str:
    """Every request column in view order, as `expression AS name`; a column without an expression is absent
    (`absent_sql`). An expression for a name that is not a request column is an error."""
    unknown = set(expressions) - set(NAMES)
    if unknown:
        raise ValueError(f"not request columns: {sorted(unknown)}")
    return ",\n  ".join(f"{expressions[n]} AS {n}" if n in expressions else f"{absent_sql(n)} AS {n}"
                        for n in NAMES)
