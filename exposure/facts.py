"""What each evidence file's fields mean: recorded facts, each with its basis, that the download rule reads.

The facts (columns of `evidence`, README "Definitions"):

- `paths_case_insensitive`: the server treats `/A.xlsx` and `/a.xlsx` as one file (IIS, W3C writers);
- `bytes_meaning`: `body` or `headers+body`, what a byte count covers (`none`: the file logs no byte count);
- `exact_length_field`: the field that gives the object's exact length (S3 `object_size`, CloudFront
  `sc-content-len` on a 200, a logged Content-Range total), or NULL;
- `time_meaning`: what the timestamp marks (request received, response logged...).

Each has a basis: `declared` (by the format, or the directive: `%b` body, `%O` headers and body), `inferred`
(from the data, and `bytes_basis_detail` says from what), `given` (`--bytes`, which overrides inference) or
`assumed` (the log cannot say and the data did not decide: stated, never hidden). The format declares what it
can at ingest (`declared_facts`), `--bytes` restates the files an ingest names (`give_bytes_meaning`); where a CLF line cannot say whether its byte count is `%b` or `%O`, the named
query `bytes_meaning_inference` (queries/facts.sql) decides per server log stream after every ingest
(`infer_facts`), as the overlap detection does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from . import queries
from .errors import InputError
from .formats import LogFormat
from .formats.clf import LACKS_BODY, LACKS_WIRE
from .transactions import transaction

BYTES_GIVEN = {"body": "body", "headers": "headers+body"}  # --bytes value -> bytes_meaning
UNDECIDED = "assumed body: the data did not decide"


def given_bytes_meaning(value: str | None) -> str | None:
    """The bytes_meaning a `--bytes body|headers` value states (None when not given)."""
    if value is None:
        return None
    if value not in BYTES_GIVEN:
        raise InputError(f"--bytes must be 'body' or 'headers', not '{value}'")
    return BYTES_GIVEN[value]


def declared_facts(fmt: LogFormat, logs_exact_length: bool = False, bytes_unsaid: bool = False,
                   logs_bytes: bool = True) -> dict[str, Any]:
    """The evidence columns a file's format states at ingest (`give_bytes_meaning` applies --bytes after).
    `logs_exact_length`: the file's requests carry the format's exact length field (an older CloudFront layout
    lacks sc-content-len). `bytes_unsaid`: some of its byte counts came from a field that cannot say what it
    covers (a JSON `bytes_sent`: nginx's $bytes_sent has the headers, Envoy's the body): like a CLF line's, the
    file's meaning is then inferred from the data (`infer_facts`). `logs_bytes` false: not one of its requests
    has a byte count and a missing one is not 0 bytes (`unsized_requests`): the file logs none (IIS 8.5-10's
    default #Fields has no sc-bytes), `bytes_meaning` `none`."""
    if not logs_bytes:
        return {**declared_facts(fmt, logs_exact_length), "bytes_meaning": "none", "bytes_basis": "declared",
                "bytes_basis_detail": "no byte count logged: not one of the file's requests has one"}
    if bytes_unsaid:
        return {**declared_facts(fmt, logs_exact_length), "bytes_meaning": "body", "bytes_basis": "assumed",
                "bytes_basis_detail": f"{UNDECIDED} yet ({fmt.name}: bytes_sent, headers included or not)"}
    if fmt.bytes_basis == "declared":
        detail = f"declared by the {fmt.name} format: {fmt.bytes_field or fmt.bytes_meaning}"
    else:
        detail = f"{UNDECIDED} yet ({fmt.name}: {fmt.bytes_field})"
    return {
        "time_meaning": fmt.time_meaning, "time_basis": fmt.time_basis,
        "bytes_meaning": fmt.bytes_meaning, "bytes_basis": fmt.bytes_basis, "bytes_basis_detail": detail,
        "exact_length_field": fmt.exact_length_field if logs_exact_length else None,
        "exact_length_basis": "declared" if fmt.exact_length_field and logs_exact_length else None,
        "paths_case_insensitive": fmt.case_insensitive_paths, "paths_basis": "declared",
    }


def infer_facts(con: duckdb.DuckDBPyConnection) -> list[tuple[str | None, str, str, str]]:
    """Decide `bytes_meaning` of every file whose format cannot say, per server log stream, from the whole
    case (one transaction); files with a declared or given meaning are left alone. Returns, per stream
    inferred, (stream, bytes_meaning, basis, detail)."""
    rows = con.execute(queries.get("bytes_meaning_inference").sql).fetchall()
    out = []
    lacks = []
    for stream, meaning, detail in rows:
        basis = "inferred" if meaning else "assumed"
        text = f"inferred from {detail}" if meaning else f"{UNDECIDED} ({detail})"
        lacks.append((LACKS_BODY, LACKS_WIRE) if meaning == "headers+body" else (LACKS_WIRE, LACKS_BODY))
        out.append((stream, meaning or "body", basis, text))
    if not out:
        return out
    with transaction(con):
        # every stream's decision in one statement (a folder of ten thousand S3 objects is ten thousand streams)
        con.execute("UPDATE evidence SET bytes_meaning = v.meaning, bytes_basis = v.basis, bytes_basis_detail = v.detail, "
                    "format_lacks = replace(evidence.format_lacks, v.lacks_old, v.lacks_new) "
                    "FROM (SELECT unnest($1::VARCHAR[]) AS stream, unnest($2::VARCHAR[]) AS meaning, "
                    "unnest($3::VARCHAR[]) AS basis, unnest($4::VARCHAR[]) AS detail, "
                    "unnest($5::VARCHAR[]) AS lacks_old, unnest($6::VARCHAR[]) AS lacks_new) v "
                    "WHERE evidence.stream IS NOT DISTINCT FROM v.stream AND evidence.verdict = 'ingested' "
                    "AND evidence.bytes_basis IN ('assumed', 'inferred')",
                    [[o[0] for o in out], [o[1] for o in out], [o[2] for o in out], [o[3] for o in out],
                     [lk[1] for lk in lacks], [lk[0] for lk in lacks]])
    return out


def give_bytes_meaning(con: duckdb.DuckDBPyConnection, abs_paths: Sequence[str], bytes_given: str) -> int:
    """Record `--bytes` for evidence files already in the case (by absolute path): the given meaning overrides
    a declared or inferred one. Returns the number of files changed."""
    meaning = given_bytes_meaning(bytes_given)
    if not abs_paths:
        return 0
    before = con.execute("SELECT count(*) FROM evidence WHERE list_contains(?, abs_path) AND verdict = 'ingested' "
                         "AND bytes_meaning IS DISTINCT FROM 'none' "
                         "AND (bytes_meaning IS DISTINCT FROM ? OR bytes_basis IS DISTINCT FROM 'given')",
                         [list(abs_paths), meaning]).fetchone()[0]
    con.execute("UPDATE evidence SET bytes_meaning = ?, bytes_basis = 'given', bytes_basis_detail = ?, "
                "format_lacks = replace(format_lacks, ?, ?) WHERE list_contains(?, abs_path) AND verdict = 'ingested' "
                "AND bytes_meaning IS DISTINCT FROM 'none'",  # a file that logs no byte count has none to restate
                [meaning, f"given: --bytes {bytes_given}",
                 *((LACKS_WIRE, LACKS_BODY) if meaning == "headers+body" else (LACKS_BODY, LACKS_WIRE)),
                 list(abs_paths)])
    return int(before)
