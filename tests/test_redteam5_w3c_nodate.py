"""Red team 5: a W3C log with a `time` field but no `date` field and no `#Date:` line (a writer that leaves the day
to the file name) has every line rejected, exit 3, as before; the reason said only "invalid timestamp: 00:10:00",
as if the time were malformed. It now says what is missing, so the investigator knows no option reads it."""

from __future__ import annotations

from pathlib import Path

from exposure import Case

HEAD = "#Version: 1.0\n#Fields: time c-ip cs-method cs-uri-stem sc-status sc-bytes\n"


def test_a_time_without_a_date_says_so(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text(HEAD + "00:10:00 198.51.100.1 GET /a.pdf 200 5000\n"
                                     "#Date: 2020-06-08 00:00:00\n01:10:00 198.51.100.2 GET /a.pdf 200 5000\n")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([logs])
        rejects = case.rejects().to_dict("records")
        [row] = case.evidence().to_dict("records")
    assert [(r["line_no"], r["reason"]) for r in rejects] == [
        (3, "invalid timestamp: 00:10:00 (a time without a date: the line has no date field and no #Date line comes "
            "before it)")]
    assert (row["lines"], row["requests"], row["rejected"], row["skipped"]) == (5, 1, 1, 3)
