"""A W3C/IIS field the tool does not know (an IIS custom field: `cs(X-Correlation-ID)`, any name an admin gives) is
kept in the row's `extra` under its name as written lower-case: seen by the investigator, part of the line's
identity (schema.line_id_sql). Standard IIS fields no column holds (s-ip, s-port, cs(Cookie) ...) are not."""

from __future__ import annotations

from exposure.formats.w3c import IIS

from .parse_lines import parse_lines

HEAD = "#Fields: date time s-ip cs-method cs-uri-stem s-port c-ip cs(User-Agent) sc-status sc-bytes {}"
LINE = '2020-06-08 09:00:01 10.0.0.5 GET /x.xlsx 443 198.51.100.7 Mozilla/5.0 200 18412 {}'


def test_an_unknown_field_is_kept_in_extra_and_a_dash_is_not() -> None:
    rows = parse_lines(IIS, [HEAD.format("cs(X-Correlation-ID) X-Trace"), LINE.format('corr-1 "a b"'),
                             LINE.format("- -")])
    assert [r["verdict"] for r in rows] == ["skipped", "request", "request"]
    assert rows[1]["extra"] == {"cs(x-correlation-id)": "corr-1", "x-trace": '"a b"'}
    assert rows[2]["extra"] is None


def test_a_field_named_twice_keeps_its_first_value_and_standard_fields_are_not_kept() -> None:
    rows = parse_lines(IIS, [HEAD.format("x-id x-id cs(Cookie) s-sitename"), LINE.format("one two c=1 W3SVC1")])
    assert rows[1]["verdict"] == "request", rows[1]["reason"]
    assert rows[1]["extra"] == {"x-id": "one"}


def test_a_file_without_unknown_fields_has_no_extra() -> None:
    rows = parse_lines(IIS, [HEAD.format("cs(X-Request-ID)"), LINE.format("req-1")])
    assert (rows[1]["extra"], rows[1]["request_id"]) == (None, "req-1")


def test_a_field_named_as_an_exposure_mark_is_kept_under_another_key_on_both_paths() -> None:
    """A field named `cut_field` or `bytes_field` (schema.MARK_KEYS) kept under its name was read as exposure's own
    mark (cut_field 'bytes': a complete download undetermined, tests/test_w3c_field_named_as_mark.py); it is kept
    as `field NAME`, by the full parse and by the cheap path alike."""
    from .parse_lines import fast_request_rows

    lines = [HEAD.format("cut_field bytes_field x-id"), LINE.format("bytes 1 a"), LINE.format("range_start - b")]
    rows = parse_lines(IIS, lines, {"fast_path": False})
    assert rows[1]["extra"] == {"field cut_field": "bytes", "field bytes_field": "1", "x-id": "a"}
    assert rows[2]["extra"] == {"field cut_field": "range_start", "x-id": "b"}
    fast = fast_request_rows(IIS, lines)
    assert [fast[n]["extra"] for n in sorted(fast)] == [rows[1]["extra"], rows[2]["extra"]]
