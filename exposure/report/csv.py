"""downloads.csv, download_lines.csv, timeline.csv, requests.csv and referrers.csv: the report's tables for spreadsheets, formulas neutralised.

Log content is hostile: a user agent such as `=HYPERLINK(...)` must stay text when the file is opened in a
spreadsheet. Cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe (OWASP).
The CSV keeps every value as logged (it is evidence, like the JSON answer), so a control character (ESC) or a
bidirectional override (U+202E) stays in the cell; such a cell gets the same leading apostrophe, which a
spreadsheet reads as "text, never a formula" and which tells a reader the cell is not to be trusted as shown.
One rule for every CSV the tool writes: `exposure.escaping.csv_cell`.
The report (HTML, PDF) shows those characters as visible escapes (`\x1b`, `\u202e`), by
`exposure.escaping.display`; read the CSV in a spreadsheet, or with `cat -v`, never raw in a terminal.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..escaping import csv_cell

# Column names are the JSON answer's (exposure.analysis/1): time is UTC, time_local the display zone's.
DOWNLOAD_COLUMNS = ["target", "download_no", "time", "time_local", "client_ip", "internal", "outcome",
                    "client_class", "kind", "parts", "bytes", "window", "user_agent", "evidence",
                    "evidence_sha256", "via", "outcome_inferred", "size_bytes", "size_rule"]  # names only added, at the end
# One row per log line of every counted download (the appendix's raw lines, which the pages stop at page_rows
# downloads): the verbatim line, its file, line number, byte offset and that file's SHA-256 (EVIDENCE.md 15).
# raw_line is empty, and read_back false, where the file's hash no longer matched when the report was made;
# raw_line_exact is false where the cell is not the line's bytes as they are in the file: bytes that are not UTF-8
# shown as U+FFFD, a CR taken off its end, the apostrophe of the cell rule put before it (a tab, a control
# character, a formula start), or addresses pseudonymised
DOWNLOAD_LINE_COLUMNS = ["target", "download_no", "outcome", "internal", "time", "client_ip", "file", "line_no",
                         "byte_offset", "compressed", "sha256", "read_back", "raw_line", "raw_line_exact"]
TIMELINE_COLUMNS = ["target", "time", "time_local", "event", "client_ip", "detail", "evidence"]
REFERRER_COLUMNS = ["target", "referer", "requests", "clients", "first_seen"]
REQUEST_COLUMNS = ["target", "row_no", "time", "client_ip", "internal", "method", "status", "bytes", "counted_in",
                   "download", "evidence", "cut_field"]


def _write(path: Path, columns: list[str], rows: list[list[Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def write_downloads_csv(model: dict[str, Any], path: Path) -> None:
    rows = []
    for t in model["targets"]:
        for d in t["downloads"]:
            rows.append([t["path"], d["no"], d["time"], d["time_local"], d["client_ip"], d["internal"],
                         d["outcome"], d["client_class"], d["kind"], d["parts"], d["bytes"], d["window"],
                         d["user_agent"], " ".join(f"{e['file']}:{e['line']}" for e in d["evidence"]),
                         " ".join(e["sha256"] for e in d["evidence"]), d.get("via"), d["outcome_inferred"],
                         d["size_bytes"], d["size_rule"]])
    _write(path, DOWNLOAD_COLUMNS, rows)


def write_download_lines_csv(model: dict[str, Any], path: Path) -> None:
    """The verbatim raw line of every log line of every counted download (all of them, not the pages' first)."""
    rows = []
    for a in model["appendix"]:
        for d in a["downloads_all"]:
            for e in d["lines"]:
                text = e["text"]
                exact = (text is not None and bool(e.get("exact")) and not model.get("pseudonymised")
                         and csv_cell(text) == text)
                rows.append([a["target"], d["no"], d["outcome"], d["internal"], d["time"], d["client_ip"], e["file"],
                             e["line"], e["byte_offset"], e["compressed"], e["sha256"], text is not None,
                             text, exact])
    _write(path, DOWNLOAD_LINE_COLUMNS, rows)


def write_timeline_csv(model: dict[str, Any], path: Path) -> None:
    rows = []
    for t in model["targets"]:
        for r in t["timeline"]:
            rows.append([t["path"], r["time"], r["time_local"], r["event"], r["client_ip"], r["detail"],
                         " ".join(e["ref"] for e in r["evidence"])])
    _write(path, TIMELINE_COLUMNS, rows)


def write_requests_csv(model: dict[str, Any], path: Path) -> None:
    """Every request for each target (the report's table of every request shows the first rows of it)."""
    rows = []
    for t in model["targets"]:
        for r in t["request_all"]:
            rows.append([t["path"], r["no"], r["time"], r["client_ip"], r["internal"], r["method"], r["status"],
                         r["bytes"], "; ".join(r["counted"]), r["download"], r["evidence"], r["cut_field"]])
    _write(path, REQUEST_COLUMNS, rows)


def write_referrers_csv(model: dict[str, Any], path: Path) -> None:
    """Every referrer of each target (queries/report.sql report_referrers; the report's table shows the first)."""
    rows = [[t["path"], r["referer"], r["requests"], r["clients"], r["first_seen"]]
            for t in model["targets"] for r in t["referrers"]]
    _write(path, REFERRER_COLUMNS, rows)
