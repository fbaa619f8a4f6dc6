"""W3C extended log files: Microsoft IIS (W3C, Advanced Logging) and other W3C writers (Incapsula, Oracle).

The columns of a W3C file are named by its `#Fields:` directive, which may change mid-file and repeat
(IIS writes a new header block on every restart). Parsing stays vectorised: every line learns its governing
`#Fields` list with `last_value(... IGNORE NULLS)` over line numbers, values are split by one regular
expression (quoted `"..."` values with `""` escapes kept whole, an empty value between two separators kept)
and picked by position with `list_position`. The field list and `#Date` of the last chunk are carried to the
next chunk of the same file through `state` (see `chunk_done`).

Times: IIS writes `date`/`time` in UTC (Microsoft, "W3C Extended Log File Format (IIS 6.0)": "time ... in
Coordinated Universal Time (UTC)"); a file without a `date` field takes the date of its `#Date:` header.
IIS Advanced Logging's `date-local`/`time-local` are local wall-clock times without an offset: they are kept
as local times (the shared stage applies `--log-tz`). `+` stands for a space in unquoted user agents and
referers; `-` is empty. IIS `sc-bytes` counts headers and body (IIS 8.5-10's default field set has none);
`sc-win32-status` other than 0 on a 200/206 is a send that failed (`completion` `aborted`), 0 one that
succeeded (`complete`). IIS serves paths case-insensitively: the
target query matches `iis`/`w3c` evidence ignoring case (queries/target.sql).
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from ..linekeys import KEY_BITS
from ..schema import field_key, field_key_sql
from .base import (
    GLUED_REASON,
    LogFormat,
    complete_raw_columns,
    mapped_requests_sql,
    normalise_sql,
    sql_literal,
)

# The raw field each W3C field feeds, in order of preference (lower-case names; first present wins). Besides IIS's
# names, the W3C draft's own (WD-logfile-960323, "Fields": a prefix c/s/r/cs/sc/sr/rs/x and an identifier, a header
# as `cs(Name)`): `c-dns`, the client's DNS name, where no `c-ip` is logged (a server that logs names, as CLF's %h
# with HostnameLookups); `cs-uri`, the whole target; `cs(Referer)` and its spelling `cs(Referrer)` (header names
# lower-cased). The draft's `s-dns` is the server's own DNS name (as IIS's `s-computername`), never the site the
# client asked for: read as the virtual host it dropped every line of a target given with its host where the
# machine's name is not the site's (srv.example.nl answering www.example.nl: 0 downloads, "never requested", exit 0;
# a log with no Host header is every host's). It, the unprefixed `bytes` (transferred, either way), `cached`,
# `sc-comment` and `x-` fields feed no column: kept in `extra`.
FIELD_MAP: dict[str, tuple[str, ...]] = {
    "client": ("c-ip", "c-dns"),
    "userid": ("cs-username",),
    "vhost": ("x-host-header", "cs-host", "cs(host)"),
    "method": ("cs-method",),
    "path_raw": ("cs-uri-stem",),
    "query_raw": ("cs-uri-query",),
    "uri": ("cs-uri",),  # Incapsula: the whole request target
    "protocol": ("cs-version", "cs-protocol-version"),
    "status": ("sc-status", "c-status"),  # SHOUTcast names the status it sent c-status
    "bytes": ("sc-bytes",),
    "object_size": ("sc-content-len",),
    "range_start": ("sc-range-start",),
    "range_end": ("sc-range-end",),
    "referer": ("cs(referer)", "cs(referrer)"),
    "user_agent": ("cs(user-agent)",),
    "xff": ("x-forwarded-for", "cs(x-forwarded-for)", "s-xff"),
    "cache_result": ("x-edge-result-type",),
    # CloudFront's own id; an IIS custom field logging a load balancer's or proxy's request id header (IIS names a
    # custom field as its header, as it does X-Forwarded-For): two lines whose ids differ are two requests
    "request_id": ("x-edge-request-id", "x-request-id", "cs(x-request-id)", "x-amzn-trace-id", "cs(x-amzn-trace-id)"),
}
# The fields `W3cFormat._fields` reads besides FIELD_MAP's, and IIS's standard fields no column holds (its every
# W3C field set, IIS_ALL): not kept in `extra`. Any other `#Fields` name (an IIS custom field, `cs(X-Correlation-ID)`,
# `X-Request-Start`; a generic writer's own) is a field the tool does not know: its value is kept in `extra` under its
# name as written lower-case, so the investigator sees it and it is part of the line's identity (schema.line_id_sql:
# two lines alike but for it are two requests, never one line and its copy). CloudFront's fields are AWS's, all known.
READ_ELSEWHERE = ("sc-substatus", "sc-win32-status", "x-edge-result-type", "x-edge-response-result-type",
                  "x-edge-detailed-result-type", "time-taken",
                  "timetakenms", "date", "time", "date-local", "time-local")
W3C_EXTRAS = ("vhost", "object_size", "range_start", "range_end", "xff", "cache_result", "request_id")  # FIELD_MAP's optional
HEADER_DIRECTIVES = ("fields", "software", "version", "date", "start-date", "end-date", "remark",
                     "gmt-offset")
FIELDS_RE = r"^#\s*[Ff][Ii][Ee][Ll][Dd][Ss]\s*:"
DATE_RE = r"^#\s*(?:[Ss][Tt][Aa][Rr][Tt]-)?[Dd][Aa][Tt][Ee]\s*:\s*"
DIRECTIVE_RE = r"(?i)^#\s*(" + "|".join(re.escape(d) for d in HEADER_DIRECTIVES) + r")\s*:"
TOKEN_RE = r'(?:^|[ ])("(?:[^"]|"")*"|[^ ]*)'  # a quoted value or a run of non-spaces (maybe empty)
TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%d/%b/%Y %H:%M:%S"]
IIS_TIME_MEANING = ("IIS/W3C date and time: UTC, when the response was logged (after the transfer ended); "
                    "date-local/time-local: local time without offset")


def parse_fields_line(text: str) -> list[str] | None:
    """The lower-case field names of one `#Fields:` line (used for the state carried between chunks)."""
    m = re.match(r"#\s*fields\s*:(.*)$", text.strip(), re.IGNORECASE)
    return m.group(1).lower().split() if m else None


def _header_date(line: str) -> str:
    """The value of a `#Date:` (or `#Start-Date:`) line, as `_DATE_OF` reads it in SQL."""
    return re.sub(DATE_RE, "", line, count=1).strip(" ")


def _by_count(layouts: tuple[tuple[str, list[str], bool | None], ...] | None) -> str:
    """`, CASE <number of values> WHEN n THEN [fields]... END`: a layout assumed from a line's value count
    (and, for two layouts of one count, whether its third value is an address)."""
    if not layouts:
        return ""
    tokens = f"regexp_extract_all(d.text, {sql_literal(TOKEN_RE)}, 1)"
    by_count: dict[int, list[tuple[list[str], bool | None]]] = {}
    for _, fields, address in layouts:
        by_count.setdefault(len(fields), []).append((fields, address))
    cases = []
    for n, options in sorted(by_count.items()):
        if len(options) == 1:
            cases.append(f"WHEN {n} THEN {_list_literal(options[0][0])}")
        else:
            at = next(f for f, a in options if a)
            other = next(f for f, a in options if not a)
            cases.append(f"WHEN {n} THEN CASE WHEN regexp_full_match({tokens}[3], {sql_literal(ADDRESS_VALUE)}) "
                         f"THEN {_list_literal(at)} ELSE {_list_literal(other)} END")
    return f", CASE WHEN NOT starts_with(d.text, '#') THEN CASE len({tokens}) {' '.join(cases)} END END"


# the field names of a `#Fields:` line and the date of a `#Date:` line, as SQL over `{text}`
_FIELDS_OF = (f"string_split_regex(lower(trim(regexp_replace({{text}}, {sql_literal(FIELDS_RE)}, ''))), "
              f"'\\s+')")
_DATE_OF = f"trim(regexp_replace({{text}}, {sql_literal(DATE_RE)}, ''))"


def _list_literal(items: list[str] | None) -> str:
    if not items:
        return "NULL::VARCHAR[]"
    return "[" + ", ".join(sql_literal(i) for i in items) + "]::VARCHAR[]"


class _Picks:
    """The values the full parse takes from each line, each written once as a column: `rK` the K-th field
    name's raw value (picked by its place in the line's #Fields list), `vK` a value unquoted (a quoted value
    loses its quotes and `""` stands for `"`; else, for agents and referrers, `+` is a space). Written out at
    every use instead, these made the statement ~4x longer and twice as slow to plan as to run on a small file."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.values: list[tuple[str, bool]] = []

    def raw(self, name: str) -> str:
        if name not in self.names:
            self.names.append(name)
        return f"r{self.names.index(name)}"

    def value(self, name: str, plus_space: bool) -> str:
        self.raw(name)
        if (name, plus_space) not in self.values:
            self.values.append((name, plus_space))
        return f"v{self.values.index((name, plus_space))}"

    def raw_columns(self, alias: str) -> str:
        return "".join(f",\n    {alias}.tok[list_position({alias}.fields, {sql_literal(name)})] AS r{k}"
                       for k, name in enumerate(self.names))

    def value_columns(self, alias: str) -> str:
        out = []
        for k, (name, plus_space) in enumerate(self.values):
            v = f"{alias}.{self.raw(name)}"
            plain = f"replace({v}, '+', ' ')" if plus_space else v
            quoted = f"(len({v}) >= 2 AND starts_with({v}, '\"') AND ends_with({v}, '\"'))"
            out.append(f",\n    CASE WHEN {quoted} THEN replace({v}[2:-2], '\"\"', '\"') ELSE {plain} END AS v{k}")
        return "".join(out)


# Two `date time` values (space- or tab-separated, as W3C writers write them) in one line: a line of the
# layouts that log the date has one; with more values than its #Fields declare, the rest is a second line glued to
# it (a line with `date-local time-local` too has them in its declared values, never more).
_DATE_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ \t][0-9]{2}:[0-9]{2}:[0-9]{2}"
GLUED_DATES_RE = _DATE_TIME + ".*" + _DATE_TIME
# Under fields without a date (`#Fields: time c-ip ...`, the day from `#Date:`): two times of day, the second where
# the first line's last value ran into it (`5000010:15:00`) or after a separator, in a line with more values
# than declared
_TIME = r"[0-9]{2}:[0-9]{2}:[0-9]{2}"
GLUED_TIMES_RE = _TIME + r"\S*[ \t].*" + _TIME + r"[ \t]"


# Microsoft's FTP service writes W3C logs too: IIS 4-6 put the session before each command where an HTTP log has its
# method (`[3]sent /user/test.c 226`), IIS 7.5+ FTP adds `x-session` to its #Fields. Its lines are FTP commands (a
# user name or password where a path stands, FTP reply codes as statuses), no HTTP requests: each is rejected with
# what it is, the file's evidence not read (`all lines rejected`), never garbage requests.
FTP_REASON = "an FTP command (a log of Microsoft's FTP service): not an HTTP request, exposure does not read FTP logs"
FTP_METHOD_RE = r"^\[[0-9]+\]"

class W3cFormat(LogFormat):
    """A W3C extended log. Options: `separator` ('space' or 'tab'), `default_fields` (used before any
    `#Fields:` line, e.g. CloudFront lines delivered without their header), `time_taken_unit` ('ms' or 's'),
    `url_encoded_agents` (CloudFront percent-encodes user agents, sometimes twice), `url_encoded_stem` (CloudFront
    URL-encodes the request URL in cs-uri-stem once more), `stem_plus_is_space` (IIS writes a space in the decoded
    stem as '+')."""

    carries_state = True  # the #Fields list and #Date of a chunk apply to the lines of the next

    @property
    def batchable(self) -> bool:
        # a header-less IIS file's definition counts the layouts of its own lines; a #Fields list applies to
        # the lines of its own file only (the window is per file: `line_no` holds the file in its high bits)
        return not self.options.get("default_fields_by_count")

    def raw_sql(self, source: str, state: dict[str, Any]) -> str:
        carried = state.get("w3c_fields") or self.options.get("default_fields")
        by_count = self.options.get("default_fields_by_count") if not carried else None
        carried_date = state.get("w3c_date")
        if self._tab:
            # a line without a tab whose spaces give exactly one value per field: the same values separated by
            # spaces (a copied line, a log delivered with a space delimiter; CloudFront percent-encodes a space
            # inside a value); with any other count it is split on tabs, and rejected as before
            spaced = "string_split(g.text, ' ')"
            tokens = (f"CASE WHEN NOT contains(g.text, chr(9)) AND len({spaced}) = len(g.fields) THEN {spaced} "
                      f"ELSE string_split(g.text, chr(9)) END")
        else:  # a quoted value or a run of non-spaces (possibly empty), after a separator or the line start
            split = f"regexp_extract_all(g.text, {sql_literal(TOKEN_RE)}, 1)"
            # IIS writes some empty values as nothing between two spaces; others pad with extra spaces:
            # keep empties when that gives the declared count, else drop them when that does.
            tokens = (f"CASE WHEN len({split}) = len(g.fields) THEN {split} "
                      f"WHEN len(list_filter({split}, lambda x: x <> '')) = len(g.fields) "
                      f"THEN list_filter({split}, lambda x: x <> '') ELSE {split} END")
        picks = _Picks()
        columns = complete_raw_columns(self._fields(picks=picks))
        return f"""
SELECT t.line_no, t.byte_offset, t.text, t.bad_utf8,
  {columns}
FROM (
  SELECT u.*{picks.value_columns("u")}
  FROM (
  SELECT h.*{picks.raw_columns("h")}
  FROM (
  SELECT g.*, CASE WHEN starts_with(g.text, '#') OR trim(g.text) = '' OR g.fields IS NULL THEN []::VARCHAR[]
                   ELSE {tokens} END AS tok
  FROM (
    SELECT d.*,
      coalesce(last_value(d.fields_here IGNORE NULLS) OVER w, {_list_literal(carried)}{_by_count(by_count)}) AS fields,
      coalesce(last_value(d.date_here IGNORE NULLS) OVER w, {sql_literal(carried_date) if carried_date else 'NULL'})
          AS header_date
    FROM (
      SELECT s.*,
        CASE WHEN regexp_matches(s.text, {sql_literal(FIELDS_RE)}) THEN {_FIELDS_OF.format(text='s.text')} END
            AS fields_here,
        CASE WHEN regexp_matches(s.text, {sql_literal(DATE_RE)}) THEN {_DATE_OF.format(text='s.text')} END
            AS date_here
      FROM {source} s
    ) d
    WINDOW w AS (PARTITION BY d.line_no >> {KEY_BITS} ORDER BY d.line_no
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ) g
  ) h
  ) u
) t
"""

    @property
    def _tab(self) -> bool:
        return self.options.get("separator") == "tab"

    def _fields(self, layout: list[str] | None = None, picks: _Picks | None = None) -> dict[str, str]:
        """The raw fields over `t` (tok: the line's values, fields: its #Fields list, header_date, text).

        With `layout` (the cheap path: every line has that #Fields list and no quote) a value is taken at
        its constant position, and a field the list lacks is NULL. Without, each value is a column of `t`
        that `picks` (filled here) has the caller pick from the line by name and unquote, once."""
        tab = self._tab
        if layout is None and picks is None:
            raise ValueError("the full parse names the values it picks (picks)")

        def raw(name: str) -> str:
            if layout is not None:
                return f"t.tok[{layout.index(name) + 1}]" if name in layout else "NULL::VARCHAR"
            return f"t.{picks.raw(name)}"

        def value(name: str, plus_space: bool = False) -> str:
            if layout is not None:
                v = raw(name)
                return f"replace({v}, '+', ' ')" if plus_space else v
            return f"t.{picks.value(name, plus_space)}"

        def pick(names: tuple[str, ...], plus_space: bool = False) -> str:
            if layout is not None:
                names = tuple(n for n in names if n in layout) or names[:1]
            parts = [f"nullif(nullif({value(n, plus_space)}, '-'), '')" for n in names]
            return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"

        fields: dict[str, str] = {}
        for raw_name, names in FIELD_MAP.items():
            fields[raw_name] = pick(names, plus_space=raw_name in ("user_agent", "referer") and not tab)
        if self.options.get("url_encoded_stem"):
            # the writer's own encoding of the stem (CloudFront: "URL-encoded equivalents" for `%`, spaces ...),
            # undone before the request URL's own percent-decoding (formats/base.py)
            stem = fields["path_raw"]
            fields["path_raw"] = (f"CASE WHEN strpos({stem}, '%') > 0 THEN coalesce(try(url_decode({stem})), {stem}) "
                                  f"ELSE {stem} END")
        if self.options.get("stem_plus_is_space") and not tab:
            # IIS logs the decoded stem with a space written as '+' (`/docs/my+file.pdf` for `/docs/my%20file.pdf`);
            # a '+' the client sent is refused by IIS request filtering (404.11, double escaping) before it is
            # served: only there is a '+' in the stem the client's own
            refused = f"{pick(('sc-status',))} = '404' AND {pick(('sc-substatus',))} = '11'"
            fields["path_raw"] = (f"CASE WHEN {refused} THEN {fields['path_raw']} "
                                  f"ELSE {pick(FIELD_MAP['path_raw'], plus_space=True)} END")
        agent = fields["user_agent"]
        if self.options.get("url_encoded_agents"):
            once = f"coalesce(try(url_decode({agent})), {agent})"
            fields["user_agent"] = (f"CASE WHEN strpos({agent}, '%25') > 0 "
                                    f"THEN coalesce(try(url_decode({once})), {once}) ELSE {once} END")
        else:
            # IIS writes a space in an agent as '+'; a writer that URL-encodes the agent instead (SHOUTcast:
            # `NSPlayer%2F10.0.0.3702%20WMFSDK%2F10.0`) leaves neither '+' nor a space but `%20`/`%2F`
            encoded = (f"(strpos({agent}, '%20') > 0 OR strpos({agent}, '%2F') > 0) AND strpos({agent}, ' ') = 0 "
                       f"AND strpos({raw('cs(user-agent)')}, '+') = 0")
            fields["user_agent"] = f"CASE WHEN {encoded} THEN coalesce(try(url_decode({agent})), {agent}) ELSE {agent} END"
        # cs-uri (Incapsula, generic W3C) is the whole target; a scheme-less 'host/path' keeps its path
        cs_uri = pick(("cs-uri",))
        fields["uri"] = (f"CASE WHEN starts_with({cs_uri}, '/') OR regexp_matches({cs_uri}, '^[A-Za-z][A-Za-z0-9+.-]*://') "
                         f"THEN {cs_uri} WHEN strpos({cs_uri}, '/') > 0 THEN substr({cs_uri}, strpos({cs_uri}, '/')) "
                         f"ELSE {cs_uri} END")
        # The writer's own word that a transfer was cut short (the `completion` column; never complete, whatever
        # the byte count, which near the end of a header-inclusive transfer can lie in the complete-transfer band):
        # IIS `sc-win32-status` other than 0 on a 200/206 is the Windows error of the failed send (64 the network
        # name is gone, 1236 the connection aborted, 995, 121, 10054 ...); CloudFront documents `x-edge-result-type`
        # `Error` with an `x-edge-response-result-type` that is not `Error` as "the client disconnected before
        # finishing the download". IIS `sc-win32-status` 0 on a 200/206 is the send's success (`complete`: the
        # server's word, which decides a transfer alone only where the line has no byte count, IIS 8.5-10's
        # default fields; with one, the bytes still decide). CloudFront's no-Error says nothing: left NULL. An `Error`
        # whose `x-edge-detailed-result-type` names an origin failure (Origin...: OriginReadError, OriginConnectError
        # ..., AbortedOrigin, SlowReaderOriginError) is `origin_error`: the origin failed, a server error or the file
        # itself cut short after its 200 was sent, never complete and never a sign the file was gone
        # (queries/downloads_rule.sql rule_error_result). An `Error` whose detailed type is `ClientCommError` ("the
        # response to the viewer was interrupted due to a communication problem between the server and the
        # viewer") on a 200/206 is `aborted` whatever the response result type says: the viewer's link broke, the
        # response was the file's, never a custom error page. Any other `Error` is `error`: answering 200 a custom error
        # page at the file's path, unavailable as a 404 is (rule_error_page); answering 206 a part that failed, never
        # complete (rule_never_complete).
        win32, status = pick(("sc-win32-status",)), pick(("sc-status",))
        edge, edge_response = pick(("x-edge-result-type",)), pick(("x-edge-response-result-type",))
        detail = pick(("x-edge-detailed-result-type",))
        fields["completion"] = (f"CASE WHEN {win32} <> '0' AND {status} IN ('200', '206') THEN 'aborted' "
                                f"WHEN {edge} = 'Error' AND {edge_response} <> 'Error' THEN 'aborted' "
                                f"WHEN {edge} = 'Error' AND {detail} = 'ClientCommError' "
                                f"AND {status} IN ('200', '206') THEN 'aborted' "
                                f"WHEN {edge} = 'Error' AND coalesce(starts_with({detail}, 'Origin') "
                                f"OR {detail} IN ('AbortedOrigin', 'SlowReaderOriginError'), false) "
                                f"THEN 'origin_error' "
                                f"WHEN {edge} = 'Error' THEN 'error' "
                                f"WHEN {win32} = '0' AND {status} IN ('200', '206') THEN 'complete' END")
        # time-taken: the W3C draft's seconds, a fixed-point number (`1.250`); IIS writes whole milliseconds
        # (`time_taken_unit` 'ms'). A value with a decimal point is the draft's seconds in every W3C log (IIS never
        # writes one), a whole number the writer's unit (CloudFront: seconds, `0.002` or `1`)
        taken = pick(("time-taken",))
        unit = "1000" if self.options.get("time_taken_unit") == "s" else f"CASE WHEN contains({taken}, '.') THEN 1000 ELSE 1 END"
        fields["duration_ms"] = (f"coalesce(try_cast({taken} AS DOUBLE) * {unit}, "
                                 f"try_cast({pick(('timetakenms',))} AS DOUBLE))::VARCHAR")
        date = f"coalesce({pick(('date',))}, left(t.header_date, 10))"
        utc_text = f"{date} || ' ' || {pick(('time',))}"
        local_text = f"{pick(('date-local',))} || ' ' || {pick(('time-local',))}"
        stamps = ", ".join(f"try_strptime({utc_text}, '{f}')" for f in TIME_FORMATS)
        local_stamps = ", ".join(f"try_strptime({local_text}, '{f}')" for f in TIME_FORMATS)
        fields["ts_utc"] = f"coalesce({stamps})"
        fields["ts_local"] = f"CASE WHEN {pick(('time',))} IS NULL THEN coalesce({local_stamps}) END"
        # IIS Advanced Logging with both `date`/`time` (UTC) and `date-local`/`time-local` on a line: the server's own
        # offset at that moment is their difference, kept as the line's (UTC inside, the local time shown at it):
        # a whole number of quarter hours within ±14:00, as every zone's offset is; any other difference (a clock
        # that was set apart) keeps no offset
        apart = f"date_diff('second', coalesce({stamps}), coalesce({local_stamps}))"
        fields["utc_offset_min"] = (f"CASE WHEN {apart} % 900 = 0 AND abs({apart}) <= 50400 "
                                    f"THEN ({apart} // 60)::VARCHAR END")
        # a time with no date to read it on (no `date` field, no `#Date:` line before it) says so: the file itself
        # lacks the day, which no format fixes
        fields["time_text"] = (f"coalesce({utc_text}, {local_text}, {pick(('time',))} || ' (a time without a date: "
                               "the line has no date field and no #Date line comes before it)')")
        # every declared field must have a value, except where a format appends fields over the years and
        # older lines are a prefix of the current list (CloudFront: `min_values`); never more values than declared
        # (W3C: the #Fields line names the information recorded in each entry): a line with more was not written
        # under that header, and read by position it would lose the values past the last field unsaid (lnav's
        # logfile_w3c.5: 17 values under 6 fields, its client and status among them)
        declared = "len(t.fields)" if layout is None else str(len(layout))
        need = declared
        if self.options.get("min_values"):
            need = f"least({need}, {int(self.options['min_values'])})"
        counted = f"len(t.tok) BETWEEN {need} AND {declared}"
        fields["ok"] = f"t.fields IS NOT NULL AND {counted}" if layout is None else counted
        # more values than the fields declared and a second `date time` in the line: two lines written without a
        # newline between them (GLUED_DATES_RE), the second line's values read as trailing fields: rejected
        # A line whose value count fits no layout (header-less IIS: `t.fields` NULL) with two `date time` values is
        # glued too; under fields that log no date, two times of day (GLUED_TIMES_RE)
        dated = "list_contains(t.fields, 'date')" if layout is None else str("date" in layout).lower()
        glued = (f"((coalesce(len(t.tok) > {declared}, true) AND regexp_matches(t.text, {sql_literal(GLUED_DATES_RE)})) "
                 f"OR (len(t.tok) > {declared} AND NOT coalesce({dated}, true) "
                 f"AND regexp_matches(t.text, {sql_literal(GLUED_TIMES_RE)})))")
        session = "list_contains(t.fields, 'x-session')" if layout is None else str("x-session" in layout).lower()
        ftp = (f"(coalesce({session}, false) "
               f"OR regexp_matches(coalesce({pick(('cs-method',))}, ''), {sql_literal(FTP_METHOD_RE)}))")
        fields["ok"] = f"({fields['ok']}) AND NOT {glued} AND NOT {ftp}"
        fields["reject_reason"] = (f"CASE WHEN {glued} THEN {sql_literal(GLUED_REASON)} "
                                   f"WHEN {ftp} THEN {sql_literal(FTP_REASON)} "
                                   f"WHEN {'t.fields IS NOT NULL AND ' if layout is None else ''}NOT ({counted}) "
                                   f"THEN len(t.tok) || CASE len(t.tok) WHEN 1 THEN ' value' ELSE ' values' END || ' under ' "
                                   f"|| {declared} || ' fields' END")
        fields["skip_kind"] = (f"CASE WHEN regexp_matches(t.text, {sql_literal(DIRECTIVE_RE)}) THEN 'header' "
                               "WHEN starts_with(t.text, '#') THEN 'comment' END")
        if self.options.get("keep_unknown_fields"):
            fields["extra"] = self._unknown_extra(layout)
        return fields

    @staticmethod
    def _unknown_extra(layout: list[str] | None) -> str:
        """`extra`: the value as written of each field the tool does not know (unknown_fields), by its name; NULL
        where the line's `#Fields` has none (a `-` or empty value the shared stage drops)."""
        if layout is not None:  # the cheap path: one list for every line, the places known here
            entries = [f"struct_pack(k := {sql_literal(field_key(name))}, v := t.tok[{i}])"
                       for i, name in unknown_fields(layout)]
            return f"map_from_entries([{', '.join(entries)}])" if entries else "NULL"
        known = _list_literal(sorted(KNOWN_FIELDS))
        places = ("list_filter(range(1, len(t.fields) + 1), lambda i: NOT list_contains(" + known + ", t.fields[i]) "
                  "AND list_position(t.fields, t.fields[i]) = i)")
        return (f"CASE WHEN len({places}) > 0 THEN map_from_entries(list_transform({places}, "
                f"lambda i: struct_pack(k := {field_key_sql('t.fields[i]')}, v := t.tok[i]))) END")

    def fast_requests_sql(self, source: str, evidence_id: int, state: dict[str, Any],
                          addresses: str | None = None) -> str | None:
        """The lines after the chunk's last `#` line (all of them in a chunk without one), under the chunk's
        last `#Fields` list (or the one carried from the chunk before), without a quote and with exactly one
        value per field: split on the separator instead of the token regex, each value at its position in
        that list, with no window over the lines. The same field expressions and the shared stage, so each
        row is what the full parse gives it."""
        if self.options.get("default_fields_by_count") or state.get("client_ip_from") == "xff":
            return None
        plan = self._plan(state) or (0, [], None)  # no #Fields list known (yet): no line is taken
        rows = normalise_sql(self, self._plain_lines_sql(source, plan), evidence_id, state.get("log_tz"))
        return mapped_requests_sql(f"SELECT * FROM ({rows}) WHERE verdict = 'request'", addresses)

    def fast_plan_sql(self, source: str) -> str:
        """One row: the chunk's last `#` line, its last `#Fields` and its last `#Date` line (NULL without)."""
        return f"""
SELECT coalesce(max(line_no) FILTER (WHERE starts_with(text, '#')), 0),
       arg_max(text, line_no) FILTER (WHERE starts_with(text, '#') AND regexp_matches(text, {sql_literal(FIELDS_RE)})),
       arg_max(text, line_no) FILTER (WHERE starts_with(text, '#') AND regexp_matches(text, {sql_literal(DATE_RE)}))
FROM {source}"""

    def _plan(self, state: dict[str, Any]) -> tuple[int, list[str], str | None] | None:
        """(the chunk's last `#` line, the #Fields list and the #Date its later lines are read with), from
        the fast plan and the state carried from the chunk before; None when no list is known."""
        after, fields_line, date_line = state.get("fast_plan") or (0, None, None)
        fields = (parse_fields_line(fields_line) if fields_line else None) \
            or state.get("w3c_fields") or self.options.get("default_fields")
        if not fields:
            return None
        date = _header_date(date_line) if date_line else state.get("w3c_date")
        return int(after or 0), list(fields), date

    def chunk_extras(self, state: dict[str, Any]) -> tuple[str, ...]:
        plan = self._plan(state)
        if plan is None:
            return self.store_extras
        have = set(plan[1])
        out = [raw for raw, names in FIELD_MAP.items() if raw in W3C_EXTRAS and have & set(names)]
        if have & {"time-taken", "timetakenms"}:
            out.append("duration_ms")
        if "sc-win32-status" in have or {"x-edge-result-type", "x-edge-response-result-type"} <= have:
            out.append("completion")
        if self.options.get("keep_unknown_fields") and unknown_fields(plan[1]):
            out.append("extra")
        return tuple(out)

    def fast_clients_sql(self, source: str, state: dict[str, Any]) -> str:
        plan = self._plan(state)
        if plan is None or "c-ip" not in plan[1]:
            return "SELECT NULL::VARCHAR AS raw"
        sep = "chr(9)" if self._tab else "' '"
        return (f"SELECT string_split(text, {sep})[{plan[1].index('c-ip') + 1}] AS raw FROM {source} "
                f"WHERE line_no > {plan[0]} AND NOT contains(text, '\"')")

    def _plain_lines_sql(self, source: str, plan: tuple[int, list[str], str | None]) -> str:
        after, layout, date = plan
        sep = "chr(9)" if self._tab else "' '"
        # the #Date text is log content: only a validated date reaches the SQL (the field expressions read
        # no more than its first 10 characters)
        header_date = f"'{date[:10]}'" if date and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date[:10]) else "NULL"
        # `fence` (volatile, always true) keeps the value-count filter above the split (see clf_fast)
        return f"""
SELECT t.line_no, t.byte_offset, t.text, t.bad_utf8,
  {complete_raw_columns(self._fields(layout))}
FROM (
  SELECT s.*, {header_date}::VARCHAR AS header_date, string_split(s.text, {sep}) AS tok, random() AS fence
  FROM {source} s
  WHERE s.line_no > {after} AND NOT contains(s.text, '"')
) t
WHERE CASE WHEN t.fence >= 0 THEN len(t.tok) = {len(layout)} END{" AND false" if not layout else ""}
"""

    def chunk_done(self, con: duckdb.DuckDBPyConnection, state: dict[str, Any]) -> None:
        """Carry the chunk's last `#Fields` list and `#Date` to the next chunk of the same file; count the
        requests read with each assumed layout (header-less IIS)."""
        layouts = self.options.get("default_fields_by_count")
        if layouts and not state.get("w3c_fields"):
            self._count_layouts(con, state, layouts)
        row = con.execute(f"SELECT arg_max(line_text, line_no) FROM staged "
                          f"WHERE regexp_matches(line_text, {sql_literal(FIELDS_RE)})").fetchone()
        if row and row[0]:
            state["w3c_fields"] = parse_fields_line(row[0])
        row = con.execute(f"SELECT arg_max(trim(regexp_replace(line_text, {sql_literal(DATE_RE)}, '')), line_no) "
                          f"FROM staged WHERE regexp_matches(line_text, {sql_literal(DATE_RE)})").fetchone()
        if row and row[0]:
            state["w3c_date"] = row[0]


    @staticmethod
    def _count_layouts(con: duckdb.DuckDBPyConnection, state: dict[str, Any],
                       layouts: tuple[tuple[str, list[str], bool | None], ...]) -> None:
        """Add to state["layouts_used"] the requests of the chunk read before any #Fields line, per layout."""
        tokens = f"regexp_extract_all(line_text, {sql_literal(TOKEN_RE)}, 1)"
        rows = con.execute(f"""
SELECT len({tokens}) AS n, coalesce(regexp_full_match({tokens}[3], {sql_literal(ADDRESS_VALUE)}), false), count(*)
FROM staged
WHERE verdict = 'request' AND line_no < coalesce((SELECT min(line_no) FROM staged
                                                  WHERE regexp_matches(line_text, {sql_literal(FIELDS_RE)})), 9e18)
GROUP BY ALL""").fetchall()
        used: dict[str, int] = state.setdefault("layouts_used", {})
        for n, address, count in rows:
            same = [(name, a) for name, fields, a in layouts if len(fields) == n]
            name = next((nm for nm, a in same if a is None or a == address), None)
            if name:
                used[name] = used.get(name, 0) + count

    def definition(self, state: dict[str, Any]) -> str | None:
        """For header-less IIS, the layouts this file's lines were read with (and how many lines each)."""
        used = state.get("layouts_used")
        layouts = self.options.get("default_fields_by_count")
        if not layouts or not used:
            return super().definition(state)
        read = "; ".join(f"{name} ({n} lines): {' '.join(f)}" for name, f, _ in layouts
                         if (n := used.get(name)))
        return f"no #Fields header: IIS layout assumed from each line's value count and shape; read with {read}"


IIS_HEADER_RE = (r"Microsoft Internet Information Services|IIS Advanced Logging|"
                 r"#Fields:.*\b(?:s-sitename|sc-win32-status)\b")

W3C_LACKS = ("the object's length (sc-bytes includes headers: the complete-transfer band is inferred)",
             "whether the transfer completed")
IIS = W3cFormat(
    name="iis",
    family="w3c",
    description="Microsoft IIS W3C extended log (#Fields header; also IIS Advanced Logging)",
    example=("2020-06-08 12:12:18 192.0.2.1 GET /docs/x.xlsx - 443 - 198.51.100.7 HTTP/1.1 "
             "Mozilla/5.0+(Windows+NT+10.0) - www.example.nl 200 0 0 18412 420 31   "
             "(under #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version "
             "cs(User-Agent) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken)"),
    time_meaning=IIS_TIME_MEANING,
    bytes_meaning="headers+body",
    bytes_field="sc-bytes",
    exact_length_field="sc-content-len",
    has_offset=True,
    lacks=W3C_LACKS,
    detect_regex="",
    case_insensitive_paths=True,
    options={"header_marker": "#Fields:", "header_regex": IIS_HEADER_RE, "separator": "space",
             "time_taken_unit": "ms", "stem_plus_is_space": True, "keep_unknown_fields": True},
)
W3C = W3cFormat(
    name="w3c",
    family="w3c",
    description="W3C extended log from another writer (Incapsula, Oracle Web Cache...; #Fields header)",
    example=('2020-06-08 12:12:18 198.51.100.7 GET /docs/x.xlsx 200 18412 "Mozilla/5.0 (X11)"   '
             '(under #Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cs(User-Agent))'),
    time_meaning="W3C date and time: UTC by the W3C draft; what the writer logs it at is not stated",
    bytes_meaning="headers+body",
    bytes_field="sc-bytes",
    exact_length_field="sc-content-len",
    has_offset=True,
    lacks=W3C_LACKS,
    detect_regex="",
    case_insensitive_paths=True,
    options={"header_marker": "#Fields:", "separator": "space", "time_taken_unit": "ms", "keep_unknown_fields": True},
)

# IIS files whose #Fields header is missing (cut log excerpts, shipped line by line): the default layouts of
# each IIS version, chosen per line by its number of values and, where two layouts have the same count, by the
# shape of the third value (s-sitename `W3SVC1` or s-ip `10.0.0.1`); a line of any other count is rejected.
# The layouts are those the servers write under their own `#Software:` headers in public fixtures:
#   IIS 6.0: plaso tests/test_data/iis/iis6.log; IIS 7.0: plaso iis7_owa.log; IIS 7.5: filebeat
#   module/iis/access/test/test-iis-7.5.log; IIS 8.5: public fixtures with "#Software: Microsoft Internet
#   Information Services 8.5"; IIS 10.0: plaso iis10.log, filebeat iis/access/test/test.log; Azure App Service
#   ("Microsoft Internet Information Services 8.0"): filebeat iis-access/access-azure.log, Microsoft's Azure
#   Data Factory sample input.log; every W3C field selected (IIS 6-10): matomo logs/iis.log, plaso
#   iis_ipv6_zone; the X-Forwarded-For custom field (IIS 8.5+ "Add Field"): filebeat test-x-forward-for.log;
#   the defaults with cs(Cookie), sc-bytes, cs-bytes and X-Forwarded-For: elastic/integrations iis
#   test-iis-access-cookie-bytes-split.log (as many values as Azure's layout, whose third is the site name).
# Each file records which layouts its lines were read with (evidence.format_definition).
_IIS7 = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(user-agent)".split()
_STATUS = "sc-status sc-substatus sc-win32-status".split()
IIS_ALL = ("date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
           "cs-version cs(user-agent) cs(cookie) cs(referer) cs-host sc-status sc-substatus sc-win32-status "
           "sc-bytes cs-bytes time-taken").split()
# (name, fields, whether the third value is an address: None when the count alone decides)
IIS_LAYOUTS: tuple[tuple[str, list[str], bool | None], ...] = (
    ("IIS 6.0 default", ["date", "time", "s-sitename", *_IIS7[2:], *_STATUS], False),
    ("IIS 7.0-8.0 default", [*_IIS7, *_STATUS, "time-taken"], True),
    ("IIS 8.5-10 default", [*_IIS7, "cs(referer)", *_STATUS, "time-taken"], None),
    ("IIS 8.5-10 default + X-Forwarded-For", [*_IIS7, "cs(referer)", *_STATUS, "time-taken", "x-forwarded-for"],
     None),
    ("Azure App Service", ("date time s-sitename cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
                           "cs(user-agent) cs(cookie) cs(referer) cs-host sc-status sc-substatus sc-win32-status "
                           "sc-bytes cs-bytes time-taken").split(), False),
    ("IIS 8.5-10 default + cookie, bytes + X-Forwarded-For",
     [*_IIS7, "cs(cookie)", "cs(referer)", *_STATUS, "sc-bytes", "cs-bytes", "time-taken", "x-forwarded-for"], True),
    ("IIS every W3C field", IIS_ALL, None),
    ("IIS every W3C field + X-Forwarded-For", [*IIS_ALL, "x-forwarded-for"], None),
)
ADDRESS_VALUE = "[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%.+)?"
KNOWN_FIELDS = frozenset([*(n for names in FIELD_MAP.values() for n in names), *READ_ELSEWHERE, *IIS_ALL])


def unknown_fields(fields: list[str]) -> list[tuple[int, str]]:
    """(1-based place, name) of each field of a `#Fields` list no column reads and no standard IIS field is
    (KNOWN_FIELDS), each name once (its first place: a list naming a field twice keeps one key)."""
    return [(i, name) for i, name in enumerate(fields, 1)
            if name not in KNOWN_FIELDS and name not in fields[:i - 1]]
IIS_ASSUMED = IIS.__class__(
    name="iis",
    family="w3c",
    description="Microsoft IIS W3C log without a #Fields header: the default layout of an IIS version assumed "
                "from each line's value count and shape",
    example=("2020-06-08 12:12:18 192.0.2.1 GET /docs/x.xlsx - 443 - 198.51.100.7 "
             "Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 31"),
    time_meaning=IIS_TIME_MEANING,
    bytes_meaning="headers+body",
    bytes_field="sc-bytes",
    exact_length_field="sc-content-len",
    has_offset=True,
    lacks=IIS.lacks,
    detect_regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} (?:\S+ ){3,}[0-9]{3} [0-9]+ [0-9]+(?: |$)",
    case_insensitive_paths=True,
    options={"separator": "space", "time_taken_unit": "ms", "stem_plus_is_space": True,
             "default_fields_by_count": IIS_LAYOUTS,
             "definition": "no #Fields header: IIS layout assumed from each line's value count and shape ("
                           + "; ".join(f"{name}, {len(f)} values: {' '.join(f)}" for name, f, _ in IIS_LAYOUTS)
                           + ")"},
)

FORMATS = [IIS, W3C]  # IIS_ASSUMED shares the name 'iis': it is tried by detection only
