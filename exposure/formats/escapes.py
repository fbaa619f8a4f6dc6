"""The escapes servers write into log fields, decoded in SQL to the bytes they stand for, then read as UTF-8.

Apache httpd (`ap_escape_logitem`, server/util.c) writes a backslash before `"` and `\\`, the C escapes
`\\b \\n \\r \\t \\v` for those control bytes, and `\\xhh` (lower-case hex) for every other byte that is not
printable ASCII: other control bytes and every byte of a non-ASCII character. nginx (`ngx_http_log_escape`,
the default `escape=default`) writes `\\xHH` (upper-case hex) for `"`, `\\`, control bytes and every byte from
0x7F up. One rule decodes both, exactly: nginx never writes a backslash that is not the start of `\\xHH`
(its own backslashes are `\\x5C`), so the Apache escapes never occur in an nginx line by accident.

Decoding is vectorised: a value without a backslash is returned as it is (one `strpos`); in a value with
one, each maximal run of escapes is cut out with one regular expression (left to right, as the server wrote
them, so `\\\\x41` is an escaped backslash followed by `x41`), turned into `\\xHH` form and cast to a BLOB,
then read as UTF-8. A run that is not valid UTF-8 is read unit by unit: each maximal valid prefix of a UTF-8
sequence (the Unicode "maximal subpart" rule, as Python's `errors='replace'`) or stray byte becomes one
U+FFFD, and the value is flagged (`bad`). A backslash that starts no escape is kept as written.
"""

from __future__ import annotations

from .base import sql_literal

# The rules a format can declare (LogFormat.escapes): NONE leaves values as written.
NONE = "none"
BACKSLASH = "backslash"  # Apache ap_escape_logitem and nginx escape=default (see the module doc)
JSON = "json"  # nginx escape=json: the escapes of a JSON string (`\"` `\\` `\n` `\u0001` ...)
HEX = "hex"  # `\xHH` only: AWS load balancers write a `"` in the request or user agent as `\x22`

_HEX = "[0-9A-Fa-f]"
# one escape as Apache or nginx writes it; a run is one or more of them
_ESCAPE = rf'\\(?:x{_HEX}{{2}}|[\\"bnrtv])'
RUN_RE = f"(?:{_ESCAPE})+"
HEX_RUN_RE = rf"(?:\\x{_HEX}{{2}})+"  # a run of HEX's escapes: already in `\xHH` form
# the two-character escapes and the byte each stands for, in `\xHH` form (`\\` first: see `_hex_form`)
_SIMPLE = (("\\\\", "\\x5C"), ('\\"', "\\x22"), ("\\b", "\\x08"), ("\\n", "\\x0A"), ("\\r", "\\x0D"),
           ("\\t", "\\x09"), ("\\v", "\\x0B"))

# One unit of a run in `\xHH` form that is not valid UTF-8 as a whole: a complete UTF-8 sequence, or the
# longest prefix of one (decoded as one U+FFFD), or any other single byte (one U+FFFD). Unicode 15, 3.9 D92.
_C = r"\\x[89ABab][0-9A-Fa-f]"  # a continuation byte


def _opt(*parts: str) -> str:
    """`a(?:b(?:c)?)?`: a sequence whose tail is optional from each part on (maximal subparts)."""
    out = ""
    for part in reversed(parts[1:]):
        out = f"(?:{part}{out})?"
    return parts[0] + out


UNIT_RE = "|".join((
    r"\\x[0-7][0-9A-Fa-f]",
    _opt(r"\\x(?:[Cc][2-9A-Fa-f]|[Dd][0-9A-Fa-f])", _C),
    _opt(r"\\x[Ee]0", r"\\x[ABab][0-9A-Fa-f]", _C),
    _opt(r"\\x(?:[Ee][1-9A-Ca-cEeFf])", _C, _C),
    _opt(r"\\x[Ee][Dd]", r"\\x[89][0-9A-Fa-f]", _C),
    _opt(r"\\x[Ff]0", r"\\x(?:9[0-9A-Fa-f]|[ABab][0-9A-Fa-f])", _C, _C),
    _opt(r"\\x[Ff][1-3]", _C, _C, _C),
    _opt(r"\\x[Ff]4", r"\\x8[0-9A-Fa-f]", _C, _C),
    rf"\\x{_HEX}{{2}}",
))
REPLACEMENT = "chr(65533)"


def _hex_form(run: str) -> str:
    """A run of escapes with every escape in `\\xHH` form. Replacing `\\\\` first, left to right, pairs the
    backslashes as the writer did; no later replacement can match across the `\\x5C` it leaves."""
    out = run
    for escape, hex_form in _SIMPLE:
        out = f"replace({out}, {sql_literal(escape)}, {sql_literal(hex_form)})"
    return out


def _run_text(hexed: str) -> str:
    """The text of a run in `\\xHH` form (invalid UTF-8 read unit by unit, see UNIT_RE)."""
    units = f"regexp_extract_all({hexed}, {sql_literal(UNIT_RE)})"
    slow = (f"array_to_string(list_transform({units}, lambda u: coalesce(try(decode(u::BLOB)), {REPLACEMENT})), "
            "'')")
    return f"coalesce(try(decode({hexed}::BLOB)), {slow})"


def _runs_replaced(expr: str, run_to_text: str, flag: bool = False, runs: str = RUN_RE) -> str:
    """`expr` with each run of escapes replaced by `run_to_text` (SQL over `{r}`, the run in `\\xHH` form); with
    `flag`, STRUCT(v, bad): bad when a run is not valid UTF-8. A lambda over a one-element list binds the pieces
    once: esc.p the text between runs, esc.r the runs (a name no caller's column has: a column
    `s` would shadow the lambda's parameter) (regexp_split_to_array gives one piece more than runs)."""
    run = sql_literal(runs)
    text = (f"esc.p[1] || array_to_string(list_transform(range(1, len(esc.p)), "
            f"lambda i: {run_to_text.replace('{r}', 'esc.r[i]')} || esc.p[i + 1]), '')")
    if flag:
        text = (f"struct_pack(v := {text}, bad := coalesce(list_bool_or(list_transform(esc.r, "
                f"lambda x: try(decode(x::BLOB)) IS NULL)), false))")
    return (
        f"list_transform([struct_pack(p := regexp_split_to_array({expr}, {run}), "
        f"r := list_transform(regexp_extract_all({expr}, {run}), lambda x: {_hex_form('x')}))], "
        f"lambda esc: {text})[1]"
    )


def json_repaired_sql(expr: str) -> str:
    """A line nginx wrote as a JSON object without `escape=json` (nginx before 1.11.8 had no other way):
    its values hold `\\xHH` escapes, which no JSON string may; each run is decoded and written back as JSON
    string text (`"` as `\\"`, control bytes as `\\u00XX`), so the line parses as the JSON nginx meant."""
    text = f"(to_json({_run_text('{r}')})::VARCHAR)[2:-2]"
    return _runs_replaced(expr, text)


def decoded_sql(expr: str, rule: str = BACKSLASH) -> str:
    """STRUCT(v VARCHAR, bad BOOLEAN): the value of `expr` with the escapes of `rule` decoded, and whether
    an escaped byte sequence was not valid UTF-8 (then `v` holds U+FFFD for it). NULL stays NULL (bad false)."""
    if rule == NONE:
        return f"struct_pack(v := {expr}, bad := false)"
    if rule == JSON:  # the value read as the body of a JSON string; kept as written if it is not one
        return (f"struct_pack(v := CASE WHEN strpos({expr}, '\\') > 0 THEN coalesce(try(json_extract_string("
                f"'\"' || {expr} || '\"', '$')), {expr}) ELSE {expr} END, bad := false)")
    if rule not in (BACKSLASH, HEX):
        raise ValueError(f"unknown escape rule {rule!r}")
    body = _runs_replaced(expr, _run_text("{r}"), flag=True, runs=RUN_RE if rule == BACKSLASH else HEX_RUN_RE)
    return (f"CASE WHEN strpos({expr}, '\\') > 0 THEN {body} "
            f"ELSE struct_pack(v := {expr}, bad := false) END")
