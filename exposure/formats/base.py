"""The contract every log format fulfils, and the one normalisation stage all formats share.

A format module describes its lines; it does not loop over them. It provides SQL that turns the relation
`chunk(line_no, byte_offset, line)` into the *raw fields* below (any subset; the rest are NULL). The shared
stage in `normalise_sql` then applies the rules that must be identical for every format: `-` and empty
become NULL in exactly this one place, status and byte counts are typed, the request target is split into
path and query and percent-decoded, and each line gets exactly one verdict: request, rejected (with a
reason) or skipped (blank or comment).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import schema
from ..store import hostname_sql

# Raw fields a format may produce, with their SQL types: the request columns a format yields as written
# (schema.RAW_COLUMNS, typed there), and these, which the shared stage turns into columns or verdicts.
# `ok` says the line matched the grammar.
RAW_ONLY: dict[str, str] = {
    "ok": "BOOLEAN",
    "skip_kind": "VARCHAR",  # set by formats with their own comment/header lines (W3C '#Fields')
    "ts_local": "TIMESTAMP",  # wall-clock time as written
    "time_text": "VARCHAR",  # the time as written, for reject reasons
    "uri": "VARCHAR",  # request target as written (path?query, or absolute URL)
    "path_raw": "VARCHAR",  # formats that log path and query apart (W3C cs-uri-stem / cs-uri-query)
    "query_raw": "VARCHAR",
    "request_text": "VARCHAR",  # the whole request line as written, when the format has one
    "reject_reason": "VARCHAR",  # why a line that does not match was rejected, when the format can say better
}
# peer: the connecting address when the client comes from a header (X-Forwarded-For); completion: 'complete' |
# 'aborted' where the format logs it (%X, $request_completion); ts_utc: set directly by formats that log UTC
RAW_FIELDS: dict[str, str] = {**RAW_ONLY, **schema.RAW_COLUMNS}

# Each Arrow slot holds a line as read, with its terminator ("\n" or "\r\n"; a last line without a newline is
# given one). LINE_TEXT is the line without exactly that one terminator: a further "\r" is content.
LINE_TEXT = ("CASE WHEN ends_with(line, chr(13) || chr(10)) THEN left(line, -2) "
             "WHEN ends_with(line, chr(10)) THEN left(line, -1) ELSE line END")
# The relation every format reads a chunk from (the chunk's Arrow table is `exposure_chunk`, see
# ingest._arrow_chunks): `text`, the line without its terminator (string views over the read buffer, see
# evidence.line_texts), for the full parse and most cheap paths; `line`, with its terminator, for a cheap path
# that checks the terminator itself. DuckDB converts only the column a query reads.
SOURCE = "(SELECT line_no, byte_offset, line, text, bad_utf8 FROM exposure_chunk)"


@dataclass(frozen=True)
class LogFormat:
    """A log format: how to recognise it and the SQL that extracts its raw fields."""

    name: str
    family: str  # module / server family: clf, w3c, s3, cloudfront, json ...
    description: str
    example: str
    time_meaning: str  # what the timestamp records, for the report
    bytes_meaning: str  # 'body' or 'headers+body'
    has_offset: bool  # the timestamp carries its own UTC offset (or is UTC by definition)
    lacks: tuple[str, ...] = ()  # completeness-relevant fields this format does not log
    detect_regex: str = ""  # RE2 pattern a typical line matches (cheap detection on a sample)
    case_insensitive_paths: bool = False  # the server treats /A.xlsx and /a.xlsx as one file (IIS)
    # What the byte count is, recorded per evidence file with its basis (exposure/facts.py): `declared` by the
    # format, or `assumed` where its lines cannot say (CLF: %b body or %O headers+body look alike; the data
    # may then decide). `bytes_field` names the field for the record.
    bytes_basis: str = "declared"
    bytes_field: str = ""
    # a '-' in the byte field means no bytes were sent (Apache %b, S3 bytes_sent): a file whose lines all say
    # '-' logged zero bytes. Elsewhere a file without any byte count logs none (IIS 8.5-10's default #Fields
    # has no sc-bytes): its evidence row says bytes_meaning 'none' and the rule never reads a count from it.
    bytes_dash_zero: bool = False
    # the field giving the object's exact length (the request column object_size), when a file logs it
    exact_length_field: str | None = None
    time_basis: str = "declared"  # `assumed` where the line does not say what its time marks
    # how the writer escapes bytes in its fields (exposure.formats.escapes): decoded in the shared stage
    escapes: str = "none"
    # the optional request columns (exposure.schema.EXTRAS) this format's lines can fill: its rows go to the
    # narrow store of those columns; None: every column (requests_all)
    extras: tuple[str, ...] | None = None
    options: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def store_extras(self) -> tuple[str, ...]:
        """The optional columns of the store this format's rows are written to."""
        return tuple(schema.EXTRAS) if self.extras is None else self.extras

    def chunk_extras(self, state: dict[str, Any]) -> tuple[str, ...]:
        """The optional columns the cheap path's rows of this chunk can fill (after `fast_plan_sql`): a format
        whose columns depend on the file (a W3C #Fields list, the keys of JSON objects) narrows them here."""
        return self.store_extras

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        """SQL selecting `src.*` (line_no, byte_offset, text, bad_utf8) and every RAW_FIELD from `source`.

        `text` is the line without its terminator. Use `complete_raw_columns` to fill absent fields.
        """
        raise NotImplementedError

    def fast_requests_sql(self, source: str, evidence_id: int, state: dict[str, Any],
                          addresses: str | None = None) -> str | None:
        """Optional: SQL selecting REQUEST_COLUMNS for the lines of `source` that a cheap path proves to be
        requests, each row exactly what `normalise_sql` over `raw_sql` and then
        `clientaddr.resolve_clients` give that line, its client mapped through `addresses` (a relation raw,
        norm, zone built from `fast_clients_sql`). The other lines are left out, and ingest runs `raw_sql` on
        them. Only for formats whose lines are parsed independently of each other. It skips the generic
        stage, which costs more than the parse itself, and rows are written once, never updated."""
        return None

    def fast_clients_sql(self, source: str, state: dict[str, Any]) -> str:
        """With `fast_requests_sql`: SQL giving, as `raw`, every client (and peer) address it may write that
        may need normalising (a superset)."""
        raise NotImplementedError

    def fast_plan_sql(self, source: str) -> str | None:
        """Optional, with `fast_requests_sql`: SQL over the chunk whose one row ingest puts in
        `state["fast_plan"]` before asking for the chunk's cheap-path SQL."""
        return None

    def definition(self, state: dict[str, Any]) -> str | None:
        """What the evidence records as this file's format definition (a directive, a mapping, an assumed
        layout), after every chunk is read (`state` is the file's)."""
        return self.options.get("definition")

    @property
    def batchable(self) -> bool:
        """Small files of this format may be parsed together in one pass (exposure/linekeys.py): each line's
        parse depends only on its own file. False where a file's definition is counted from its lines."""
        return True

    # True when `chunk_done` carries what the next chunk needs: each chunk's other lines are then parsed
    # before the next chunk (otherwise they may be held and parsed together)
    carries_state: ClassVar[bool] = False

    def chunk_done(self, con: Any, state: dict[str, Any]) -> None:
        """Called after each chunk is loaded: carry what the next chunk needs in `state` (W3C files carry
        their current `#Fields` list). The chunk's lines that are not requests (headers, comments, rejects)
        are in the temporary table `staged` (line_no, verdict, reason, line_text). Most formats need nothing."""


# The reasons (LIKE patterns) of a line that has its format's shape, one field's value not being one (the reject
# codes 5-8 of normalise_sql): a whole line. A piece of a line whose start is lost has no shape (code 4).
VALUE_REJECTS = ("invalid timestamp: %", "invalid status: %", "invalid byte count: %",
                 "control characters in the client address field%")

def sql_literal(text: str) -> str:
    """A SQL string literal for text we control (format patterns), with quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def nullif_dash(expr: str) -> str:
    """`-` and empty string mean 'no value' in every access-log format: NULL. The one place this happens."""
    return f"nullif(nullif({expr}, '-'), '')"


# A client field that names no client: `-` and empty (nullif_dash), and RFC 7239's `unknown`, which a proxy writes
# for a client it does not know or hides (Squid's `forwarded_for unknown`, `X-Forwarded-For: unknown`): never an
# address or a host name, so never one client that every such request would be counted as.
NO_CLIENT = ("unknown", "Unknown", "UNKNOWN")


def client_sql(expr: str) -> str:
    """The client of a client field `expr` (an SQL expression), NULL where it names none (NO_CLIENT). The one rule,
    for every parse (normalise_sql, the CLF fast path) and for the client X-Forwarded-For gives
    (clientaddr.resolve_clients)."""
    return (f"CASE WHEN {expr} IN ({', '.join(sql_literal(v) for v in NO_CLIENT)}) THEN NULL "
            f"ELSE {nullif_dash(expr)} END")


# A numeric UTC offset as logs write it, `+hhmm` (some writers `+hh:mm`): hours 00-23, minutes 00-59, what
# strptime's %z reads (Python's refuses `+9999` and `+0160`, as apachelogs and lars do). Read any other way,
# `+0160` would be taken for `+0200` and `+9999` for 100 hours: the time is invalid, the line rejected with it.
OFFSET_RE = r"[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9]"


def offset_minutes_sql(text: str) -> str:
    """Minutes east of UTC for the offset text `text` (OFFSET_RE), NULL when it is no valid offset. The one
    place every format with a numeric offset reads it."""
    return (f"CASE WHEN regexp_full_match({text}, {sql_literal(OFFSET_RE)}) THEN "
            f"(CASE WHEN left({text}, 1) = '-' THEN -1 ELSE 1 END) * "
            f"(substr({text}, 2, 2)::INTEGER * 60 + right({text}, 2)::INTEGER) END")


# The request columns every parse yields, in the order of the requests view (exposure.schema.COLUMNS).
REQUEST_COLUMNS = schema.column_list()


def mapped_requests_sql(rows: str, addresses: str | None) -> str:
    """REQUEST_COLUMNS of `rows` (request rows of `normalise_sql`), the client and peer mapped
    through `addresses` (raw, norm, zone: `clientaddr.address_map`) as `clientaddr.resolve_clients` would map
    them: a normalised address is never a hostname."""
    if not addresses:
        return f"SELECT {REQUEST_COLUMNS} FROM ({rows})"
    return f"""
SELECT {REQUEST_COLUMNS} FROM (
  SELECT r.* REPLACE (coalesce(m.norm, r.client) AS client, coalesce(m.zone, r.client_zone) AS client_zone,
                      r.client_is_hostname AND m.norm IS NULL AS client_is_hostname, coalesce(p.norm, r.peer) AS peer)
  FROM ({rows}) r LEFT JOIN {addresses} m ON m.raw = r.client LEFT JOIN {addresses} p ON p.raw = r.peer
)"""


def target_sql(uri: str) -> str:
    """The request target as a path (with query): an absolute-form target (a proxy request, `GET
    http://host/path`) keeps only its path; `-` and empty are NULL."""
    return (f"CASE WHEN strpos({uri}, '://') > 0 AND regexp_matches({uri}, '^[A-Za-z][A-Za-z0-9+.-]*://') "
            f"THEN coalesce(nullif(regexp_extract({uri}, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*(.*)$', 1), ''), '/') "
            f"ELSE {nullif_dash(uri)} END")


def path_part_sql(target: str) -> str:
    """The path of a target: before the first `?`."""
    return f"CASE WHEN strpos({target}, '?') > 0 THEN left({target}, strpos({target}, '?') - 1) ELSE {target} END"


def query_part_sql(target: str) -> str:
    """The query of a target: after the first `?` (may be empty; `query_sql` makes that NULL)."""
    return f"CASE WHEN strpos({target}, '?') > 0 THEN substr({target}, strpos({target}, '?') + 1) END"


def decoded_path_sql(path: str) -> str:
    """A path percent-decoded, or kept as written when it does not decode to text."""
    return f"CASE WHEN strpos({path}, '%') > 0 THEN coalesce(try(url_decode({path})), {path}) ELSE {path} END"


NO_ZONE_FLAG = "no UTC offset in the log and no --log-tz: read as UTC"
GAP_FLAG = "nonexistent local time (DST gap): read with the offset before the change"
FOLD_FLAG = "ambiguous local time (DST fold): the earlier instant taken"
# A time written without an offset and read in the --log-tz zone: the per-row record that the zone was applied
# (the zone follows the words; after a fold or gap flag). queries/findings.sql counts these per file: a file
# ingested with --log-tz (evidence.log_tz) none of whose rows carries it had the zone applied to no line.
ZONE_READ_FLAG = "local time read in --log-tz "


def local_to_utc_sql(log_tz: str | None) -> tuple[str, str]:
    """(UTC expression, flag expression) for `ts_local` written without an offset.

    With a zone, wall-clock time is converted DST-correctly with ICU: the offsets in force a day before
    and a day after give at most two candidates; a candidate is valid when it maps back to the same
    wall-clock time. Two valid candidates: the fall-back hour (ambiguous, the earlier is taken); none:
    the spring-forward gap (nonexistent, read with the earlier offset). Every row read in the zone is flagged
    ZONE_READ_FLAG + zone (after a fold or gap flag): the record that the zone was applied to it. Without a zone
    the time is read as UTC and every such row is flagged, so no report can present it as exact.
    """
    if not log_tz:
        return "ts_local", f"CASE WHEN ts_local IS NOT NULL THEN {sql_literal(NO_ZONE_FLAG)} END"
    zone = sql_literal(log_tz)

    def loc(u: str) -> str:
        return f"timezone({zone}, timezone('UTC', {u}))"

    early = f"(ts_local - ({loc('ts_local - INTERVAL 1 day')} - (ts_local - INTERVAL 1 day)))"
    late = f"(ts_local - ({loc('ts_local + INTERVAL 1 day')} - (ts_local + INTERVAL 1 day)))"
    ok_early = f"({loc(early)} = ts_local)"
    ok_late = f"({loc(late)} = ts_local)"
    utc = f"CASE WHEN ts_local IS NULL THEN NULL WHEN {ok_early} THEN {early} WHEN {ok_late} THEN {late} ELSE {early} END"
    dst = (f"CASE WHEN {ok_early} AND {ok_late} AND {early} <> {late} THEN {sql_literal(FOLD_FLAG)} "
           f"WHEN NOT {ok_early} AND NOT {ok_late} THEN {sql_literal(GAP_FLAG)} END")
    flag = f"CASE WHEN ts_local IS NOT NULL THEN concat_ws('; ', {dst}, {sql_literal(ZONE_READ_FLAG + log_tz)}) END"
    return utc, flag


# Fields a writer's escapes are decoded in (LogFormat.escapes); `extra` values too (see `_decoded_extra`).
ESCAPED_FIELDS = ("client", "peer", "ident", "userid", "vhost", "method", "uri", "path_raw", "query_raw", "protocol",
                  "referer", "user_agent", "xff", "cache_result", "request_text")
# An absolute-form request target (`GET http://host:80/path`: a proxy, an AWS load balancer): its scheme and
# authority; the host is taken without user info and port (the port goes to `extra` as url_port)
ABSOLUTE_RE = r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)"
AUTHORITY_RE = r"^(?:[^@]*@)?(\[[^\]]*\]|[^:]*)(?::([0-9]*))?$"
# A list where one address should be (nginx $proxy_add_x_forwarded_for, `"$http_x_forwarded_for" $remote_addr`,
# Traefik ClientHost, JSON shippers): entries separated by commas, spaces, tabs or quotes
LIST_LAST_RE = r'([^\s,"]+)[\s,"]*$'  # the last entry
LIST_REST_RE = r'^(.*?)[\s,"]*[^\s,"]+[\s,"]*$'  # the entries before it


def _decoded_extra(extra: str, rule: str) -> tuple[str, str]:
    """`extra` with each value decoded (escapes of `rule`), `-` and empty values dropped, NULL when nothing
    is left; and whether a decoded value was not valid UTF-8. As (value, bad) SQL expressions over the
    column `dx` that `_decoded_entries` adds."""
    kept = f"list_filter(dx, lambda e: {nullif_dash('e.d.v')} IS NOT NULL)"
    value = (f"CASE WHEN len({kept}) > 0 "
             f"THEN map_from_entries(list_transform({kept}, lambda e: struct_pack(k := e.k, v := e.d.v))) END")
    bad = "coalesce(list_bool_or(list_transform(dx, lambda e: e.d.bad)), false)"
    return value, bad


def _kept_extra(extra: str) -> str:
    """`extra` of a format without escapes: `-` and empty values dropped, NULL when nothing is left (as
    `_decoded_extra` does after decoding). Tested before it is rebuilt: most rows' maps hold no such value and are
    kept as they are (rebuilding every row's map cost ~2 CPU-s on 2 M S3 lines, each with its Host header)."""
    dropped = f"{nullif_dash('v')} IS NULL"
    kept = f"list_filter(map_entries({extra}), lambda e: {nullif_dash('e.value')} IS NOT NULL)"
    return (f"CASE WHEN cardinality({extra}) > 0 "
            f"AND NOT list_bool_or(list_transform(map_values({extra}), lambda v: {dropped})) THEN {extra} "
            f"WHEN len({kept}) > 0 THEN map_from_entries({kept}) END")


def _decoded_entries(extra: str, rule: str) -> str:
    """The entries of `extra`, each with its decoded value (k, d STRUCT(v, bad)), as `dx`."""
    from .escapes import decoded_sql

    return f"list_transform(map_entries({extra}), lambda e: struct_pack(k := e.key, d := {decoded_sql('e.value', rule)})) AS dx"


def _decoded_stage(rule: str, fills_extra: bool = True) -> str:
    """SELECT over `base`: every escaped field decoded by `rule`, `esc_bad` true when a decoded value was not
    valid UTF-8 (it then holds U+FFFD where the bytes were)."""
    from .escapes import NONE, decoded_sql

    if rule == NONE and not fills_extra:  # nothing to decode: ELB (the common fast paths)
        return "SELECT *, false AS esc_bad FROM base"
    if rule == NONE:  # no escapes (W3C, S3, CloudFront, JSON): only `extra`'s dropped values, see `_kept_extra`
        return f"SELECT * REPLACE ({_kept_extra('extra')} AS extra), false AS esc_bad FROM base"
    extra, extra_bad = _decoded_extra("extra", rule)
    entries = _decoded_entries("extra", rule)
    # one decode expression over the list of the fields (a lambda), not one per field: the statement stays
    # small, and planning it costs less than parsing a few thousand lines
    values = ", ".join(f"d[{n}].v AS {name}" for n, name in enumerate(ESCAPED_FIELDS, 1))
    listed = ", ".join(ESCAPED_FIELDS)
    return (f"SELECT * EXCLUDE (d, dx) REPLACE ({values}, {extra} AS extra), "
            f"(coalesce(list_bool_or(list_transform(d, lambda fd: fd.bad)), false) OR {extra_bad}) AS esc_bad "
            f"FROM (SELECT *, list_transform([{listed}], lambda fv: {decoded_sql('fv', rule)}) AS d, {entries} FROM base)")


def normalise_sql(fmt: LogFormat, raw_relation: str, evidence_id: int, log_tz: str | None = None) -> str:
    """The shared stage: typed, decoded request columns plus the verdict for every line of `raw_relation`.

    In order: the writer's escapes decoded in every string field (`fmt.escapes`); a list in the client
    field split (the last entry connected, the ones before it go to `xff`); an absolute request target's
    host taken as the virtual host (RFC 9112 3.2.2: it overrides a Host header) with its port in `extra`;
    the target split into path and query and the path percent-decoded; `-` and empty made NULL.
    `log_tz` (IANA zone) converts times written without an offset; see `local_to_utc_sql`.
    """
    zone_utc, zone_flag = local_to_utc_sql(log_tz)
    # cheap tests first: most clients hold none of the characters, most targets are no absolute URL
    client_is_list = ("(strpos(client_n, ',') > 0 OR strpos(client_n, ' ') > 0 OR strpos(client_n, '\"') > 0 "
                      "OR strpos(client_n, chr(9)) > 0)")
    last = f"regexp_extract(client_n, {sql_literal(LIST_LAST_RE)}, 1)"
    listed = nullif_dash(f"trim(replace(regexp_extract(client_n, {sql_literal(LIST_REST_RE)}, 1), '\"', ''), ' ,')")
    return f"""
WITH base AS (
  SELECT *, text AS line_text,
    CASE WHEN ts_utc IS NULL AND utc_offset_min IS NULL THEN {zone_utc} END AS ts_zoned,
    CASE WHEN ts_utc IS NULL AND utc_offset_min IS NULL THEN {zone_flag} END AS zone_flag
  FROM ({raw_relation})
), decoded AS (
  {_decoded_stage(fmt.escapes, "extra" in fmt.store_extras)}
), located AS (
  SELECT * REPLACE (
      CASE WHEN {client_is_list} THEN {last} ELSE client_n END AS client_n,
      coalesce({nullif_dash('xff')}, CASE WHEN {client_is_list} THEN {listed} END) AS xff,
      coalesce(nullif(url_host, ''), vhost) AS vhost,
      -- the port of an absolute target; a request line that is no `METHOD target` (a scanner's junk) as sent
      CASE WHEN url_port <> '' OR ({nullif_dash('method')} IS NULL AND {nullif_dash('request_text')} IS NOT NULL)
           THEN map_concat(coalesce(extra, MAP {{}}::MAP(VARCHAR, VARCHAR)),
                           map_from_entries(list_filter([struct_pack(k := 'url_port', v := nullif(url_port, '')),
                                                         struct_pack(k := 'request', v := CASE WHEN {nullif_dash('method')} IS NULL
                                                             THEN {nullif_dash('request_text')} END)],
                                                        lambda e: e.v IS NOT NULL)))
           ELSE extra END AS extra)
  FROM (
    SELECT *, trim(authority.h, '[]') AS url_host, authority.p AS url_port
    FROM (
      SELECT *, {client_sql('client')} AS client_n, vhost AS vhost_field,
        CASE WHEN strpos(uri, '://') > 0 THEN regexp_extract(regexp_extract(uri, {sql_literal(ABSOLUTE_RE)}, 1),
                                                              {sql_literal(AUTHORITY_RE)}, ['h', 'p']) END
            AS authority
      FROM decoded
    )
  )
), typed AS (
  SELECT *,
    coalesce(ts_utc, ts_local - to_minutes(utc_offset_min), ts_zoned) AS ts_utc_n,
    -- a path field holding the query too (SHOUTcast's cs-uri-stem `/stream?title=x`) is split like a target
    {path_part_sql('coalesce(path_raw, uri_n)')} AS path_enc,
    coalesce(query_raw, {query_part_sql('coalesce(path_raw, uri_n)')}) AS query_n,
    try_cast(nullif(status, '-') AS SMALLINT) AS status_n,
    try_cast(nullif(nullif(bytes, '-'), '') AS BIGINT) AS bytes_n
  FROM (
    SELECT *, {target_sql('uri')} AS uri_n
    FROM located
  )
)
SELECT
  {int(evidence_id)}::INTEGER AS evidence_id,
  line_no, byte_offset,
  CASE WHEN code = 0 THEN 'request' WHEN code <= 3 THEN 'skipped' ELSE 'rejected' END AS verdict,
  CASE code
    WHEN 1 THEN skip_kind
    WHEN 2 THEN 'comment'
    WHEN 3 THEN 'blank'
    WHEN 4 THEN coalesce(CASE WHEN reject_reason = {sql_literal(GLUED_REASON)}
                                   AND regexp_matches(line_text, {sql_literal(JOINED_RE)})
                              THEN {sql_literal(JOINED_REASON)} END,
                         reject_reason, CASE WHEN regexp_matches(line_text, {sql_literal(SYSLOG_LINE_RE)})
                                             THEN {sql_literal(PREFIX_SYSLOG_REASON)}
                                             ELSE 'does not match the {fmt.name} format' END)
    WHEN 5 THEN 'invalid timestamp: ' || coalesce(time_text, '(none)')
    WHEN 6 THEN 'invalid status: ' || status
    WHEN 7 THEN 'invalid byte count: ' || bytes
    WHEN 8 THEN {sql_literal(CONTROL_CLIENT_REASON)}
    WHEN 9 THEN {sql_literal(PREFIX_TIME_REASON)}
    WHEN 10 THEN {sql_literal(PREFIX_FIELDS_REASON)}
    END AS reason,
  line_text,
  ts_utc_n AS ts_utc,
  utc_offset_min::SMALLINT AS utc_offset_min,
  nullif(concat_ws('; ', ts_flag, zone_flag), '') AS ts_flag,
  client_n AS client,
  {hostname_sql('client_n')} AS client_is_hostname,
  {nullif_dash('peer')} AS peer,
  {nullif_dash('ident')} AS ident,
  {nullif_dash('userid')} AS userid,
  {nullif_dash('vhost')} AS vhost,
  {nullif_dash('method')} AS method,
  {decoded_path_sql('path_enc')} AS path,
  nullif(query_n, '') AS query,
  {nullif_dash('protocol')} AS protocol,
  status_n AS status,
  bytes_n AS bytes,
  try_cast(nullif(object_size, '-') AS BIGINT) AS object_size,
  try_cast(nullif(range_start, '-') AS BIGINT) AS range_start,
  try_cast(nullif(range_end, '-') AS BIGINT) AS range_end,
  {nullif_dash('completion')} AS completion,
  try_cast(nullif(duration_ms, '-') AS DOUBLE) AS duration_ms,
  {nullif_dash('referer')} AS referer,
  {nullif_dash('user_agent')} AS user_agent,
  xff,
  {nullif_dash('cache_result')} AS cache_result,
  {nullif_dash('request_id')} AS request_id,
  coalesce(bad_utf8, false) OR esc_bad AS bad_utf8,
  NULL::VARCHAR AS client_zone,  -- set by clientaddr.resolve_clients
  extra,
  {nullif_dash('host_header')} AS host_header
FROM (
  SELECT *,
    -- one verdict per line, decided once: 0 request; 1-3 skipped (format header, comment, blank); 4-8 rejected
    CASE
      WHEN skip_kind IS NOT NULL THEN 1
      WHEN starts_with(line_text, '#') THEN 2
      WHEN NOT coalesce(ok, false) THEN CASE WHEN trim(line_text) = '' THEN 3 ELSE 4 END
      WHEN ts_utc_n IS NULL THEN 5
      WHEN status IS NOT NULL AND status <> '-' AND (status_n IS NULL OR status_n < 0) THEN 6
      WHEN bytes IS NOT NULL AND bytes <> '-' AND bytes <> '' AND bytes_n IS NULL THEN 7
      -- a client no address or host name holds (a few NULs a damaged write left before the line): counted,
      -- it was a request from another "address", nothing said
      WHEN regexp_matches(client_n, '[[:cntrl:]]') THEN 8
      -- a time or a syslog priority where the client stands: the line behind a syslog prefix (rsyslog's
      -- `2020-06-08T09:00:00.000000+02:00 host tag:`, RFC 5424's `<190>1 ...`) read as %h %l %u, its real
      -- client inside %u. Never an address or a host name: rejected, never a request from a wrong client
      WHEN regexp_matches(client_n, {sql_literal(NOT_A_CLIENT_RE)}) THEN 9
      -- a prefix's fields where the client, ident and user stand (normalise_sql's code 10; PREFIX_FIELDS_SQL)
      WHEN {prefix_fields_sql()} THEN 10
      ELSE 0 END AS code
  FROM typed
)
"""


# The reason of a client address field holding control characters (normalise_sql's code 8)
CONTROL_CLIENT_REASON = "control characters in the client address field (NUL bytes of a damaged write?)"
# The reason of a line holding another line's start: two lines written without a newline between them. Each
# format finds it its own way (clf.GLUED_RE, w3c.GLUED_SQL, s3.GLUED_RE); the words are one, here.
GLUED_REASON = ("holds the start of another log line (two lines written without a newline between them: "
                "concurrent writers, a copy spliced together): neither request is counted")
# The reason of a line the formats found another line's start in where that start follows the other line ending, a
# raw CR where lines end at LF (an LF where they end at CR), with text on both sides (JOINED_RE): the lines were
# written with a line end, one this file does not end its lines at, so the file's `joined lines` damage
# (exposure/lines.py LineFacts.joined_lines, counted from the same bytes) says the line, not `glued lines`: one
# line, one finding (normalise_sql's code 4).
JOINED_REASON = ("holds further lines after the other line ending (a raw CR where lines end at LF, an LF where they "
                 "end at CR): lines joined (files with other line ends joined, a file converted in part), the "
                 "requests after it not counted")
JOINED_RE = r"[^\r\n][\r\n]+[^\r\n]"


# A client field that is a time (`2020-06-08T09:00:00`) or a syslog priority (`<190>`): no address or host name
# has either shape (normalise_sql's code 9). clf_fast.PLAIN leaves a superset of these clients to the full path.
NOT_A_CLIENT_RE = r"^(?:<[0-9]{1,3}>|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2})"
# an IP address (a dotted quad, or IPv6: a `::`, or eight groups (six and a dotted quad): never a time `09:01:00`,
# two colons without `::`), or an address list (a comma)
_IP_SHAPE = (r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*::[0-9A-Fa-f:.]*"
             r"|(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|[0-9]{1,3}(?:\.[0-9]{1,3}){3}))")
ADDRESS_RE = rf"^\[?{_IP_SHAPE}|,"
# the line's own `address ident user` in what was read as %l %u (the user may hold spaces: `John Doe`)
ADDRESS_AFTER_RE = rf"(?:^|\s){_IP_SHAPE} \S+ \S"
# A syslog tag as rsyslog's `%fromhost-ip% %msg%` or `%HOSTNAME% %syslogtag%%msg%` writes it: `nginx:`,
# `nginx[1234]:` (what an %l field never holds: identd answers a user name)
SYSLOG_TAG_RE = r"^[A-Za-z0-9_.\/-]+(?:\[[0-9]+\])?:$"
# the reasons of codes 9 and 10, matched exactly by queries/evidence_rules.sql (prefixed_reason, rejected_hint):
# a file with such a line is incomplete, whatever its share of them (findings.sql `prefixed lines`)
PREFIX_TIME_REASON = ("the client address field holds a time or a syslog priority (the line stands behind a prefix: "
                      "syslog, docker --timestamps, kubectl --timestamps): not a client address: take the prefix off "
                      "first")
# A line that does not match the format and begins with traditional syslog's time (`Jun  8 09:01:00 `: a day
# below 10 is padded with a space, so no %h %l %u reading of it reaches code 10): a code 4 reject with this reason
SYSLOG_LINE_RE = r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)  ?[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2} "
PREFIX_SYSLOG_REASON = ("the line begins with a syslog time (the line stands behind a prefix: syslog): not the "
                        "format's line: take the prefix off first")
# A JSON line with something before its object (a syslog host `web1 {`, docker --timestamps' time): the prefixes
# the JSON reader takes off itself (jsonl.PREFIX_RE: docker compose, kubectl --prefix) never get here
PREFIX_JSON_REASON = ("the line begins with something before its JSON object (the line stands behind a prefix: "
                      "syslog, docker --timestamps, kubectl --timestamps): not a JSON object: take the prefix off first")
PREFIX_FIELDS_REASON = ("the client, ident and user fields hold a prefix (a syslog time and host, a relay's address "
                        "and tag, a docker compose or kubectl name) and the line's own address, ident and user stand "
                        "after it: not a client address: take the prefix off first")


def prefix_fields_sql() -> str:
    """Whether a line's client, ident and user (`client_n`, `ident`, `userid`, `vhost_field` of normalise_sql) are a
    prefix's fields with the line's own `address ident user` after them (normalise_sql's code 10; the user may hold
    spaces): traditional syslog's `Jun 18 09:00:00 host tag: ...`, `docker compose logs`' `web-1 | ...`,
    `kubectl logs --prefix`'s `[pod/x/c] ...`, rsyslog's `203.0.113.250 nginx: ...` (a tag where %l stands).
    Never where %l is `-` or absent: under an X-Forwarded-For-first layout the client ($http_x_forwarded_for)
    and the user ($remote_user) are the client's to write, %l the server's (`-`): a client sending
    `X-Forwarded-For: evil` and user `1.2.3.4 - -` must not have its line rejected. Nor where the line has a
    virtual host field (a vhost_combined line's client is its second field). A limit: Apache's identd answer
    (`IdentityCheck On`) after a host-name client, with a user holding an address (`pc3 alice 198.51.100.3 - -`),
    reads as `kubectl logs`, stern or a relay does (`web-7d4b9c-x2k4p nginx 198.51.100.1 - -`) and is refused as
    prefixed too: a refusal is said (exit 3), a prefix counted as the client would not be (README; --log-format)."""
    after = "concat_ws(' ', ident, userid)"
    return (f"(coalesce(vhost_field, '') = '' AND coalesce(ident, '-') <> '-' "
            f"AND regexp_matches({after}, {sql_literal(ADDRESS_AFTER_RE)}) "
            f"AND (NOT regexp_matches(client_n, {sql_literal(ADDRESS_RE)}) "
            f"OR regexp_matches(ident, {sql_literal(SYSLOG_TAG_RE)})))")


def complete_raw_columns(selected: dict[str, str]) -> str:
    """Render a select list with every RAW_FIELD: the format's expression or a typed NULL."""
    unknown = set(selected) - set(RAW_FIELDS)
    if unknown:
        raise ValueError(f"unknown raw fields: {sorted(unknown)}")
    parts = [f"({selected[name]})::{typ} AS {name}" if name in selected else f"NULL::{typ} AS {name}"
             for name, typ in RAW_FIELDS.items()]
    return ",\n  ".join(parts)


# A request line: method, target, optional protocol (HTTP/0.9 lines have none; repeated spaces allowed).
REQUEST_RE = r"^(\S+)\s+(.*?)(?:\s+(HTTP/[0-9.]+))?\s*$"


def regex_line_sql(source: str, line_re: str, groups: list[str], fields: dict[str, str],
                   request: str, request_re: str = REQUEST_RE) -> str:
    """The shape shared by line formats: one RE2 pattern splits each line into the struct `m`, and the
    request line (`request`, an expression over the groups as `p.NAME`) into `m.req` (method, uri,
    protocol). `fields` map RAW_FIELDS to expressions over `m`."""
    return f"""
SELECT src.line_no, src.byte_offset, src.text, src.bad_utf8,
  {complete_raw_columns(fields)}
FROM (
  SELECT s.*, struct_insert(p, req := regexp_extract({request}, {sql_literal(request_re)},
                                                     ['method', 'uri', 'protocol'])) AS m
  FROM (SELECT s.*, regexp_extract(s.text, {sql_literal(line_re)}, {groups!r}) AS p FROM {source} s) s
) src
"""
